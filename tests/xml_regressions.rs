//! Regressions of the XML reader: every crash the fuzz targets find and every bug found
//! otherwise gets a case here, named after what went wrong.
//!
//! Fuzzing record (see `fuzz/README.md`): `xml_reader` ran 2026-11-22 for 37 min in two runs
//! (886,427 + further executions, see the report) and `xml_differential` for 10 min, with
//! `-rss_limit_mb=2048 -timeout=10`; no crash, leak, timeout or out-of-memory was found.
//! The cases below come from development.

mod xml_support;

use teikit::xml::{Document, ErrorKind, ParseOptions};

/// An end-of-input error was reported as "illegal character U+0000" (the first-illegal-
/// character position equals the text length when there is none).
#[test]
fn end_of_input_is_not_an_illegal_character() {
    for doc in [
        "",
        "<a",
        "<a><!-- x",
        "<a b='",
        "<a>",
        "<?xml version='1.0'?>",
    ] {
        let e = Document::parse(doc).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.pos, doc.len(), "{doc:?}: {e}");
        assert!(!e.message.contains("U+0000"), "{doc:?}: {e}");
    }
}

/// A character reference to CR is kept as CR (only literal line ends are normalised).
#[test]
fn referenced_carriage_return_survives() {
    let d = Document::parse("<a b='&#13;'>&#13;\r\n</a>").expect("well-formed");
    let root = d.root_element();
    assert_eq!(root.attribute(None, "b"), Some("\r"));
    assert_eq!(root.text_content(), "\r\n");
    xml_support::check_tree(&d);
}

/// Sibling and child links are derived from the flat layout; check them on shapes where
/// an off-by-one would show: empty elements, text after a subtree, comments at the end.
#[test]
fn derived_links_hold() {
    for doc in [
        "<a/>",
        "<a><b/></a>",
        "<a><b><c/></b>t<!--x--></a>",
        "<!--p--><a>x<b>y</b><c/>z</a><?q?>",
        "<a><b><c><d/></c></b><e/></a>",
    ] {
        let d = Document::parse(doc).expect("well-formed");
        xml_support::check_tree(&d);
        xml_support::same_as_roxmltree(doc, &d).expect("same tree");
    }
}

/// The limit check used to run after the whole name was scanned; it must stay linear and
/// report at the name's start.
#[test]
fn long_name_limit_is_located_at_the_name() {
    let doc = format!("<{}/>", "a".repeat(100_000));
    let e = Document::parse_with(&doc, &ParseOptions::default()).unwrap_err();
    assert_eq!((e.kind, e.pos), (ErrorKind::Limit, 1));
    assert!(
        e.message.len() < 300,
        "the name is not echoed: {}",
        e.message.len()
    );
}
