#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ (gitignored) with seed inputs from the project's test material.
# usage: fuzz/seed.sh [SHARED]   (SHARED defaults to ../shared beside the repository)
set -euo pipefail
cd "$(dirname "$0")"
SHARED="${1:-../../shared}"
for t in xml_reader xml_differential; do
  mkdir -p "corpus/$t"
  cp "$SHARED"/attacks/*.xml "$SHARED"/attacks/*.rng "corpus/$t/"
  cp "$SHARED"/encoding-examples/*.xml "corpus/$t/"
  cp "$SHARED"/corpora/tillich-letters/docs/*.xml "corpus/$t/" 2>/dev/null || true
  # The generated attack cases are too big for seeds; small hand-made variants instead.
  printf '<a xmlns:p="urn:p" p:x="1"><p:b>&#xE9;<![CDATA[x]]><!--c--><?pi d?></p:b></a>' > "corpus/$t/ns_small.xml"
  printf '<?xml version="1.0"?>\r\n<!DOCTYPE a [<!ELEMENT a ANY><!ATTLIST a n CDATA "x>y">]>\r\n<a n="1\r\n2">t\r</a>' > "corpus/$t/dtd_small.xml"
done
ls corpus/* | wc -l
