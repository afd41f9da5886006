//! DTD declarations the safe reader accepts: unparsed entities (`NDATA`) are recorded, never
//! expanded or loaded; every other entity declaration stays refused. The validator answers
//! `xsd:ENTITY`/`ENTITIES` from the recorded names.

use teikit::diag::Files;
use teikit::rng::{MemLoader, Options, Schema};
use teikit::xml::{Document, ErrorKind};

#[test]
fn unparsed_entity_declarations_are_recorded() {
    let d = Document::parse(
        "<!DOCTYPE a [\n<!NOTATION jpeg SYSTEM 'image/jpeg'>\n\
         <!ENTITY  pic SYSTEM \"pic.jpg\"  NDATA jpeg >\n\
         <!ENTITY pub PUBLIC '-//X//Y' 'p.png' NDATA png>\n\
         <!ENTITY pic SYSTEM 'other.jpg' NDATA jpeg>\n]><a src='pic'/>",
    )
    .expect("NDATA declarations are accepted");
    assert_eq!(d.unparsed_entities().collect::<Vec<_>>(), ["pic", "pub"]);
    assert!(d.is_unparsed_entity("pub"));
    assert!(!d.is_unparsed_entity("jpeg"));
    let plain = Document::parse("<a/>").expect("well-formed");
    assert_eq!(plain.unparsed_entities().count(), 0);
}

#[test]
fn other_entity_declarations_stay_refused() {
    for (doc, at) in [
        ("<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", "<!ENTITY x"),
        (
            "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><a/>",
            "<!ENTITY x",
        ),
        (
            "<!DOCTYPE a [<!ENTITY % p SYSTEM 'x' NDATA n>]><a/>",
            "<!ENTITY %",
        ),
        ("<!DOCTYPE a [<!ENTITY x 'y' NDATA n>]><a/>", "<!ENTITY x"),
        (
            "<!DOCTYPE a [<!ENTITY x SYSTEM 'y' NDATA>]><a/>",
            "<!ENTITY x",
        ),
        (
            "<!DOCTYPE a [<!ENTITY x SYSTEM 'y'NDATA n>]><a/>",
            "<!ENTITY x",
        ),
        (
            "<!DOCTYPE a [<!ENTITY x SYSTEM 'y' NDATA n junk>]><a/>",
            "<!ENTITY x",
        ),
        (
            "<!DOCTYPE a [<!ENTITY p:x SYSTEM 'y' NDATA n>]><a/>",
            "<!ENTITY p",
        ),
        (
            "<!DOCTYPE a [<!ENTITY x PUBLIC 'a{' 'y' NDATA n>]><a/>",
            "<!ENTITY x",
        ),
        ("<!DOCTYPE a [<!ENTITY x SYSTEM 'y' NDATA n", "<!ENTITY x"),
    ] {
        let e = Document::parse(doc).expect_err(doc);
        assert_eq!(e.kind, ErrorKind::Unsupported, "{doc}: {e}");
        assert!(doc[e.pos..].starts_with(at), "{doc}: {e}");
    }
}

/// WFC Parsed Entity: an unparsed entity is never referenced, in content or attributes.
#[test]
fn references_to_unparsed_entities_are_errors() {
    for doc in [
        "<!DOCTYPE a [<!ENTITY pic SYSTEM 'p.jpg' NDATA jpeg>]><a>&pic;</a>",
        "<!DOCTYPE a [<!ENTITY pic SYSTEM 'p.jpg' NDATA jpeg>]><a b='&pic;'/>",
    ] {
        let e = Document::parse(doc).expect_err(doc);
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(doc[e.pos..].starts_with("&pic;"), "{e}");
        assert!(e.message.contains("unparsed entity"), "{e}");
    }
}

#[test]
fn entity_datatypes_use_the_declarations() {
    let schema = r#"<element name="a" xmlns="http://relaxng.org/ns/structure/1.0"
        datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
        <attribute name="one"><data type="ENTITY"/></attribute>
        <attribute name="many"><data type="ENTITIES"/></attribute></element>"#;
    let mut loader = MemLoader::new();
    loader.add("s.rng", schema);
    let files = Files::new();
    let schema = Schema::load("s.rng", &mut loader, &files).expect("schema loads");
    let dtd = "<!DOCTYPE a [<!ENTITY p SYSTEM 'p.jpg' NDATA jpeg><!ENTITY q SYSTEM 'q' NDATA n>]>";
    for (attrs, valid) in [
        ("one='p' many='p q'", true),
        ("one=' q ' many='q'", true),
        ("one='x' many='p'", false),
        ("one='p' many='p x'", false),
    ] {
        let text = format!("{dtd}<a {attrs}/>");
        let doc = Document::parse(&text).expect("well-formed");
        let f = files.add("doc.xml", text.as_str());
        let diags = schema.validate(&doc, f, &Options::default());
        assert_eq!(diags.is_empty(), valid, "{attrs}: {diags:?}");
    }
}
