//! Unit tests of the RELAX NG module on small inline schemas.

use super::*;

fn load(schema: &str) -> Result<Schema, Vec<Diagnostic>> {
    let mut l = MemLoader::new();
    l.add("s.rng", schema);
    let files = Files::new();
    Schema::load("s.rng", &mut l, &files)
}

fn errors(schema: &Schema, doc: &str) -> Vec<String> {
    let files = Files::new();
    let f = files.add("d.xml", doc);
    let d = xml::Document::parse(doc).unwrap();
    schema
        .validate(&d, f, &Options::default())
        .into_iter()
        .map(|d| d.message)
        .collect()
}

#[test]
fn simple_element() {
    let s = load(r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"><zeroOrMore><element name="b"><text/></element></zeroOrMore></element>"#).unwrap();
    assert!(errors(&s, "<a><b>x</b><b/></a>").is_empty());
    let e = errors(&s, "<a><c/></a>");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("\"c\" not allowed anywhere"), "{e:?}");
}
