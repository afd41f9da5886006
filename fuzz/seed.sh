#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with seed inputs from the project's test material
# and from ../shared (copied into the gitignored corpus only; never committed).
# usage: fuzz/seed.sh [SHARED]   (SHARED defaults to ../shared beside the repository)
set -euo pipefail
cd "$(dirname "$0")"
SHARED="$(cd "${1:-../../shared}" && pwd)"
REPO=..
for t in xml_reader xml_differential; do
  mkdir -p "corpus/$t"
  cp "$SHARED"/attacks/*.xml "$SHARED"/attacks/*.rng "corpus/$t/"
  cp "$SHARED"/encoding-examples/*.xml "corpus/$t/"
  cp "$SHARED"/corpora/tillich-letters/docs/*.xml "corpus/$t/" 2>/dev/null || true
  # The generated attack cases are too big for seeds; small hand-made variants instead.
  printf '<a xmlns:p="urn:p" p:x="1"><p:b>&#xE9;<![CDATA[x]]><!--c--><?pi d?></p:b></a>' > "corpus/$t/ns_small.xml"
  printf '<?xml version="1.0"?>\r\n<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a n CDATA "x>y">]>\r\n<a n="1\r\n2">t\r</a>' > "corpus/$t/dtd_small.xml"
done

# Schemas (XML syntax and compact syntax), instances, and schema+instance pairs, cut out of
# the RELAX NG conformance suites and the project's own schema fixtures.
mkdir -p corpus/rng_schema corpus/rnc_schema corpus/validate corpus/validate_pair corpus/convert
python3 - "$SHARED" <<'PY'
import os, sys, xml.etree.ElementTree as ET
shared = sys.argv[1]
conf = os.path.join(shared, "conformance", "relaxng")
n = 0
def put(target, name, data):
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data)
# spectest: schemas (<correct>/<incorrect>) and their valid/invalid instances.
text = open(os.path.join(conf, "spectest.xml"), encoding="utf-8").read()
root = ET.fromstring(text.replace('<!ENTITY dii "<&#xE14;&#xE35;/>">', ""). replace("&dii;", ""))
for i, case in enumerate(root.iter("testCase")):
    for kind in ("correct", "incorrect"):
        for s in case.findall(kind):
            kids = list(s)
            if not kids:
                continue
            schema = ET.tostring(kids[0], encoding="utf-8")
            put("rng_schema", f"spec{i}_{kind}.rng", schema)
            for j, inst in enumerate(case.findall("valid") + case.findall("invalid")):
                ik = list(inst)
                if ik:
                    put("validate_pair", f"spec{i}_{j}", schema + b"\0\0" + ET.tostring(ik[0], encoding="utf-8"))
# compacttest: compact schemas.
root = ET.parse(os.path.join(conf, "compacttest.xml")).getroot()
for i, case in enumerate(root.iter("testCase")):
    for c in case.findall("compact"):
        for kind in ("correct", "incorrect"):
            for s in c.findall(kind):
                if s.text and s.text.strip():
                    put("rnc_schema", f"compact{i}_{kind}.rnc", s.text.encode("utf-8"))
PY
cp "$REPO"/tests/data/rng/schema-errors/*.rng "$REPO"/schema/teikit.rng corpus/rng_schema/
cp "$SHARED"/attacks/*.rng "$SHARED"/attacks/_support/*.rng corpus/rng_schema/ 2>/dev/null || true
cp "$SHARED"/schemas/cmif-1.1/*.rng corpus/rng_schema/ 2>/dev/null || true
cp "$REPO"/schema/teikit.rnc corpus/rnc_schema/
find "$REPO"/tests/data/rng_compact -name '*.rnc' -exec cp {} corpus/rnc_schema/ \;
printf 'include "inc.rnc"\nstart |= element a { external "el.rnc" }\n' > corpus/rnc_schema/includes.rnc
printf '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="inc.rng"/><start combine="choice"><externalRef href="el.rng"/></start></grammar>' > corpus/rng_schema/includes.rng

# validate: first byte picks the schema (0 = project schema, 1 = small schema, 2 = tei_all).
i=0
for f in "$REPO"/tei/editions/*.xml "$REPO"/tests/data/convert/*.xml "$SHARED"/encoding-examples/*.xml \
         "$SHARED"/corpora/tillich-letters/docs/*.xml; do
  [ -f "$f" ] || continue
  [ "$(stat -c %s "$f")" -lt 65536 ] || continue
  for pick in 0 2; do
    { printf "\\x0$pick"; cat "$f"; } > "corpus/validate/s$i-$pick"
  done
  i=$((i + 1))
done
printf '\x01<a xmlns="urn:a" id="i"><b n="3">x<q/></b>t<c ref="i">a b</c><d z="1">aab</d><d>2020-01-31</d></a>' > corpus/validate/small1
printf '<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"><interleave><zeroOrMore><element name="b"><text/></element></zeroOrMore><text/></interleave></element>\0\0<a>x<b/>y<b>z</b></a>' > corpus/validate_pair/interleave
printf 'element a { attribute n { xsd:string { pattern = "(a|aa)*c" } } }\0\0<a n="aaaaaaaaaaaaaac"/>' > corpus/validate_pair/regex

# convert: transcriptions (fixtures and the project's sources) and a few attack files.
cp "$REPO"/tests/data/convert/*.txt corpus/convert/
cp "$REPO"/tei/sources/*.txt corpus/convert/ 2>/dev/null || true
cp "$SHARED"/seeds/*.txt corpus/convert/
for f in bare_ampersand billion_laughs utf16_bom invalid_utf8 c0_control_char; do
  cp "$SHARED/attacks/$f.xml" "corpus/convert/$f.txt"
done
# diff: OLD \0\0 NEW pairs: the fixture pair, editions against the goldens, and small edits.
mkdir -p corpus/diff
D="$REPO"/tests/data/diff
{ cat "$D/letters-old.xml"; printf '\0\0'; cat "$D/letters-new.xml"; } > corpus/diff/letters
i=0
for f in "$REPO"/tests/data/convert/*.xml "$SHARED"/encoding-examples/*.xml; do
  [ "$(stat -c %s "$f")" -lt 32768 ] || continue
  { cat "$f"; printf '\0\0'; sed -e 's/ the / a /' -e '0,/<p>/s//<p>Inserted words. /' "$f"; } > "corpus/diff/edit$i"
  i=$((i + 1))
done
printf '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><p>a b <persName ref="#x">c</persName> d</p><p>moved</p></div></body></text></TEI>\0\0<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><p>moved</p><p>a e <gap/> d<note>n</note></p></div></body></text></TEI>' > corpus/diff/small

for d in corpus/*; do echo "$d: $(ls "$d" | wc -l)"; done
