//! Regressions of the XML reader: every crash the fuzz targets find and every bug found
//! otherwise gets a case here, named after what went wrong.
//!
//! Fuzzing record (see `fuzz/README.md`), 2026-11-22, `-rss_limit_mb=2048 -timeout=10
//! -max_len=16384`, on a shared 2-core machine:
//!
//! - `xml_reader`: five runs, 73 min, 9.16 M executions; no crash, leak, timeout or OOM.
//!   One finding: the opt-in entity expansion bounded output but not work (a unit took
//!   11 s) — `empty_entity_laughs_are_bounded`.
//! - `xml_differential`: five runs, ~32 min, 3.41 M executions. Four stops, all roxmltree
//!   deviations from the spec that teikit gets right (CR before a reference, CR as white
//!   space in the XML declaration, the `xml` prefix on elements, `>` in an ATTLIST
//!   default); each has a case here or in `xml_wellformed.rs`, and the oracle tolerates
//!   them.
//!
//! The other cases come from development.

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

/// A literal CR just before a reference is a line end like any other (found by the
/// differential fuzz target: roxmltree keeps this CR, XML 1.0 §2.11 normalises it).
#[test]
fn carriage_return_before_a_reference_is_normalised() {
    let d = Document::parse("<a b='x\r&amp;'>y\r&amp;z\r\n&#65;\r&#x9;</a>").expect("well-formed");
    let root = d.root_element();
    assert_eq!(root.attribute(None, "b"), Some("x &"));
    assert_eq!(root.text_content(), "y\n&z\nA\n\t");
    xml_support::same_as_roxmltree(d.text(), &d).expect("same tree, up to roxmltree's CR");
}

/// Namespace lookups walked every ancestor: checking each element of a 50,000-deep tree
/// was quadratic. They now visit only the elements that declare namespaces.
#[test]
fn namespace_lookup_is_not_quadratic_in_depth() {
    let n = 50_000;
    let doc = format!(
        "<r xmlns='urn:d' xmlns:p='urn:p'>{}<p:x xmlns:q='urn:q'><y xmlns=''>t</y></p:x>{}</r>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    let d = Document::parse(&doc).expect("well-formed");
    let mut found = 0;
    for node in d.descendants() {
        if node.lookup_namespace_uri(Some("p")) == Some("urn:p") {
            found += 1;
        }
    }
    assert_eq!(found, n + 4, "every node but the document node sees p");
    let y = d
        .descendants()
        .find(|e| e.tag_name().local == "y")
        .expect("y");
    assert_eq!(y.lookup_namespace_uri(None), None);
    assert_eq!(y.lookup_namespace_uri(Some("q")), Some("urn:q"));
    let t = y.first_child().expect("text");
    assert_eq!(t.lookup_namespace_uri(Some("q")), Some("urn:q"));
    assert_eq!(
        t.in_scope_namespaces(),
        vec![(Some("q"), "urn:q"), (Some("p"), "urn:p")]
    );
    assert_eq!(d.root().lookup_namespace_uri(Some("p")), None);
}

/// White space in the XML declaration includes CR (found by the differential fuzz target:
/// roxmltree reads `<?xml\r version=…?>` as a processing instruction).
#[test]
fn carriage_return_in_the_xml_declaration() {
    let d = Document::parse("<?xml\r\rversion='1.0'\rencoding='UTF-8'\r?>\r\n<a/>")
        .expect("a declaration");
    assert_eq!(
        d.root().children().count(),
        1,
        "no PI node for the declaration"
    );
}

/// Found by fuzzing (a unit took 11 s): entity expansion capped the output but not the
/// work, so nested references to an *empty* entity did 10^9 expansions producing nothing.
#[test]
fn empty_entity_laughs_are_bounded() {
    let mut doc = String::from("<!DOCTYPE a [<!ENTITY l0 ''>");
    for i in 1..10 {
        doc += &format!("<!ENTITY l{i} '{}'>", format!("&l{};", i - 1).repeat(10));
    }
    doc += "]><a>&l9;</a>";
    let t = std::time::Instant::now();
    let e = teikit::xml::expand_internal_entities(&doc, 1 << 16).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
}

/// Found by fuzzing: an entity declaration cut by the end of the internal subset
/// (`<!ENTITY x]"…">`) made the trusted-input entity expander slice past the subset.
#[test]
fn entity_declaration_cut_by_the_subset_end_is_an_error() {
    for doc in [
        "<!DOCTYPE a [<!ENTITY x]\"v\">]><a/>",
        "<!DOCTYPE a [<!ENTITY x \"v\"]><a/>",
        "<!DOCTYPE a [<!ENTITY x]><a/>",
        "<!DOCTYPE a [<!ENTITY]><a/>",
    ] {
        let e = teikit::xml::expand_internal_entities(doc, 1 << 16);
        assert!(e.is_err(), "{doc}: {e:?}");
    }
}
