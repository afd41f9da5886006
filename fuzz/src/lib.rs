//! Checks shared by the fuzz targets. Each target lives in `fuzz_targets/NAME.rs` with a
//! `[[bin]]` entry in `Cargo.toml`; seeds come from `seed.sh`.
//!
//! The tree checks are the tests' own (`tests/xml_support/`), included here so that both
//! run the same code.

include!("../../tests/xml_support/tree_check.rs");
include!("../../tests/xml_support/oracle.rs");

use std::sync::OnceLock;

use teikit::diag::{Diagnostic, FileId, Files};
use teikit::registry::{Registry, Tagger};
use teikit::rng::{FsLoader, MemLoader, Options, Schema};
use teikit::transcription::{self, Tagging};
use teikit::xml::ParseOptions;

/// The compact-syntax translation: a tree whose nodes are not tags of its text, so only
/// what diagnostics use is checked: every node, attribute and value range lies inside the
/// text on character boundaries, and parent/child links agree.
pub fn check_translation(doc: &teikit::xml::Document) {
    let text = doc.text();
    let inside = |r: std::ops::Range<usize>| {
        assert!(r.start <= r.end && r.end <= text.len(), "{r:?} outside the text");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{r:?}");
    };
    for n in doc.descendants() {
        inside(n.range());
        for c in n.children() {
            assert_eq!(c.parent(), Some(n));
        }
        for a in n.attributes() {
            inside(a.range());
            inside(a.value_range());
        }
    }
}

/// In-memory files a fuzzed schema may include or reference (nothing else is reachable).
pub fn add_schema_helpers(loader: &mut MemLoader) {
    loader.add(
        "inc.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start combine="choice"><ref name="x"/></start><define name="x"><element name="x"><text/></element></define></grammar>"#,
    );
    loader.add(
        "el.rng",
        r#"<element name="e" xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><attribute name="n"><data type="integer"/></attribute><empty/></element>"#,
    );
    loader.add("inc.rnc", "start |= x\nx = element x { text }\n");
    loader.add("el.rnc", "element e { attribute n { xsd:integer }, empty }\n");
}

/// Small documents every fuzzed schema that loads must validate without panicking.
const SAMPLES: &[&str] = &[
    "<x/>",
    "<x>text</x>",
    r#"<e n="12"/>"#,
    r#"<a xmlns="urn:a" xml:id="i1" b="1"><b>t</b><c ref="i1"/>x</a>"#,
    r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a<hi>b</hi></p></body></text></TEI>"#,
];

/// Validates the sample documents with a loaded schema; diagnostics must be located inside
/// the document.
pub fn validate_samples(schema: &Schema, files: &Files) {
    let mut v = schema.validator();
    for s in SAMPLES {
        let doc = teikit::xml::Document::parse(s).expect("sample is well-formed");
        let file = files.add("sample.xml", *s);
        let diags = v.validate(&doc, file, &Options::default());
        check_located(&diags, s.len());
    }
}

/// Every label of every diagnostic names a known file and a span on character boundaries
/// inside it; rendering never panics.
pub fn check_diagnostics(diags: &[Diagnostic], files: &Files) {
    assert!(!diags.is_empty(), "a refused schema has at least one diagnostic");
    for d in diags {
        assert!(!d.message.is_empty(), "{d:?}");
        for l in d.primary.iter().chain(&d.secondary) {
            let f = files
                .try_get(l.file)
                .unwrap_or_else(|| panic!("unknown file in {d:?}"));
            let t = f.text();
            assert!(
                l.span.start <= l.span.end && l.span.end <= t.len(),
                "span outside the file: {d:?}"
            );
            assert!(
                t.is_char_boundary(l.span.start) && t.is_char_boundary(l.span.end),
                "span not on char boundaries: {d:?}"
            );
        }
    }
    let mut out = Vec::new();
    teikit::diag::render::human(&mut out, files, diags, false).expect("render to memory");
}

/// Every primary label of a validation diagnostic lies inside the document of `len` bytes.
pub fn check_located(diags: &[Diagnostic], len: usize) {
    for d in diags {
        assert!(!d.message.is_empty());
        if let Some(l) = &d.primary {
            assert!(l.span.start <= l.span.end && l.span.end <= len, "{d:?}");
        }
    }
}

struct Fixed {
    schemas: Vec<Schema>,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let files = Files::new();
        let mut schemas = Vec::new();
        let (name, text) = teikit::rng::default_schema().expect("embedded schema");
        let mut mem = MemLoader::new();
        mem.add(name, text);
        schemas.push(Schema::load(name, &mut mem, &files).expect("project schema loads"));
        let mut mem = MemLoader::new();
        mem.add("small.rnc", SMALL_RNC);
        schemas.push(Schema::load("small.rnc", &mut mem, &files).expect("small schema loads"));
        let tei_all = std::env::var("TEIKIT_FUZZ_TEI_ALL").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/schemas/tei-p5-4.12.0/tei_all.rng"
            )
            .to_string()
        });
        if std::path::Path::new(&tei_all).exists() {
            let s = Schema::load(&tei_all, &mut FsLoader::new(), &files).expect("tei_all loads");
            schemas.push(s);
        } else {
            eprintln!("validate fuzz target: tei_all.rng not found at {tei_all}; not fuzzed");
        }
        Fixed { schemas }
    })
}

/// A small schema with the validator's harder corners: interleave, datatypes with facets,
/// lists, IDs, name classes with exceptions, mixed content.
const SMALL_RNC: &str = r#"
default namespace = "urn:a"
start = a
a = element a { attribute id { xsd:ID }?, (b* & c? & text), d* }
b = element b { attribute n { xsd:integer { minInclusive = "0" } }?, mixed { e* } }
c = element c { attribute ref { xsd:IDREF }, list { xsd:token* } }
d = element d { attribute * - (id) { text }*, (xsd:date | xsd:string { pattern = "(a+)+b" }) }
e = element * - (a | b) { any* }
any = element * - (a | c) { attribute * { text }*, (text | any)* }
"#;

/// Validates `doc` against fixed schema number `pick % n` (see the `validate` target).
pub fn validate_with_fixed_schema(pick: u8, doc: &[u8]) {
    let f = fixed();
    let schema = &f.schemas[usize::from(pick) % f.schemas.len()];
    let Ok(doc) = teikit::xml::Document::parse_bytes(doc, &ParseOptions::default()) else {
        return;
    };
    let files = Files::new();
    let file = files.add("doc.xml", doc.text());
    let diags = schema.validate(&doc, file, &Options::default());
    check_located(&diags, doc.text().len());
}

const REGISTRY: &str = include_str!("../../tests/data/registry/tag/registry.toml");

fn registry() -> &'static (Registry, Tagger) {
    static REG: OnceLock<(Registry, Tagger)> = OnceLock::new();
    REG.get_or_init(|| {
        let (reg, diags) = Registry::from_toml(REGISTRY, FileId(0));
        assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
        let tagger = reg.tagger();
        (reg, tagger)
    })
}

/// The `convert` target: decode, convert (with and without a registry), write; the TEI
/// must be well-formed and read back by teikit's XML reader.
pub fn convert_bytes(data: &[u8]) {
    let text = match transcription::decode(data) {
        Ok(t) => t,
        Err(_) => return,
    };
    let (reg, tagger) = registry();
    let tagging = Tagging {
        registry: reg,
        finder: tagger,
    };
    for (tagging, provisional_names) in [(Some(tagging), true), (None, false)] {
        let opts = transcription::Options {
            file_name: "fuzz.txt",
            tagging,
            sidecar: None,
            provisional_names,
        };
        let (ed, diags) = transcription::convert(&text, FileId(0), &opts);
        check_located(&diags, text.len());
        if diags.iter().any(|d| d.is_error()) {
            continue;
        }
        let xml = teikit::tei::write(&ed);
        let doc = match teikit::xml::Document::parse(&xml) {
            Ok(doc) => doc,
            Err(e) => panic!("convert wrote ill-formed XML: {e}\n{xml}"),
        };
        check_tree(&doc);
        // What convert writes is valid against the house schema and passes the rules.
        let invalid: Vec<_> = house_schema()
            .validate(&doc, FileId(0), &Default::default())
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(invalid.is_empty(), "invalid edition: {invalid:?}\n{xml}");
        let broken: Vec<_> = teikit::rules::check(&doc, FileId(0), &Default::default())
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(broken.is_empty(), "rules fail: {broken:?}\n{xml}");
    }
}

/// The built-in house schema (`schema/teikit.rnc`), loaded once.
fn house_schema() -> &'static Schema {
    static S: OnceLock<Schema> = OnceLock::new();
    S.get_or_init(|| {
        let (name, text) = teikit::rng::default_schema().expect("built-in schema");
        let mut loader = MemLoader::new();
        loader.add(name, text);
        Schema::load(name, &mut loader, &teikit::diag::Files::new()).expect("house schema loads")
    })
}

/// The `diff` target: compare `old` with `new` (when both parse) and with itself.
pub fn diff_pair(old: &[u8], new: &[u8]) {
    use teikit::diff::{self, render};
    let opts = diff::parse_options();
    let Ok(a) = teikit::xml::Document::parse_bytes(old, &opts) else {
        return;
    };
    let options = diff::Options {
        time_budget: std::time::Duration::from_secs(2),
        ..diff::Options::default()
    };
    let same = diff::diff(&a, &a, &options);
    assert!(same.is_identical(), "a document differs from itself");
    let Ok(b) = teikit::xml::Document::parse_bytes(new, &opts) else {
        return;
    };
    let report = diff::diff(&a, &b, &options);
    let inputs = render::Inputs {
        old_name: "old.xml",
        old_text: a.text(),
        new_name: "new.xml",
        new_text: b.text(),
    };
    let mut out = Vec::new();
    render::human(&mut out, &report, &inputs, false).expect("in memory");
    out.clear();
    render::json(&mut out, &report, &inputs).expect("in memory");
    serde_json::from_slice::<serde_json::Value>(&out).expect("the JSON report parses");
    out.clear();
    render::text(&mut out, &a, &b, &inputs).expect("in memory");
    out.clear();
    render::tei(&mut out, &report, &inputs).expect("in memory");
    let tei = String::from_utf8(out).expect("the TEI report is UTF-8");
    if let Err(e) = teikit::xml::Document::parse(&tei) {
        panic!("the TEI report is not well-formed: {e}\n{tei}");
    }
}
