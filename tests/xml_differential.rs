//! Differential tests: on well-formed input, teikit's tree equals roxmltree's.
//!
//! Inputs: the real corpora and encoding examples of `../shared`, and random well-formed
//! documents from a proptest generator that exercises escapes, character references,
//! CDATA, comments, processing instructions, line ends (CR, CRLF), namespaces (default,
//! prefixed, redeclared, undeclared default) and a DOCTYPE with an internal subset.
//!
//! `speed_vs_roxmltree` (ignored; run it in release) measures throughput on the ELTeC
//! novels: `cargo test --release --test xml_differential -- --ignored --nocapture`.

mod common;
mod xml_support;

use std::path::PathBuf;
use std::time::Instant;

use proptest::prelude::*;
use teikit::xml::{Document, ParseOptions};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let shared = common::shared("xml differential corpora")?;
    let mut files = Vec::new();
    for dir in [
        "corpora/eltec-eng/docs",
        "corpora/tillich-letters/docs",
        "encoding-examples",
    ] {
        let dir = shared.join(dir);
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "xml") {
                files.push(p);
            }
        }
    }
    files.sort();
    Some(files)
}

#[test]
fn corpora_match_roxmltree() {
    let Some(files) = corpus_files() else { return };
    assert!(files.len() > 10, "{} corpus files", files.len());
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let doc = Document::parse_bytes(&bytes, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            .expect("the corpora are UTF-8");
        if let Err(msg) = xml_support::same_as_roxmltree(text, &doc) {
            panic!("{}: {msg}", path.display());
        }
    }
}

/// Throughput on the ELTeC novels, teikit against roxmltree (release build).
#[test]
#[ignore = "a measurement; run with --release -- --ignored --nocapture"]
fn speed_vs_roxmltree() {
    let Some(files) = corpus_files() else { return };
    let texts: Vec<String> = files
        .iter()
        .filter(|p| p.to_string_lossy().contains("eltec"))
        .map(|p| common::read(p))
        .collect();
    let total: usize = texts.iter().map(String::len).sum();
    let mb = total as f64 / 1e6;
    let rounds = 5;
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        for s in &texts {
            std::hint::black_box(Document::parse(s).expect("parses"));
        }
        best.0 = best.0.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for s in &texts {
            std::hint::black_box(
                Document::parse_bytes(s.as_bytes(), &ParseOptions::default()).expect("parses"),
            );
        }
        best.1 = best.1.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let opts = || roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        for s in &texts {
            std::hint::black_box(
                roxmltree::Document::parse_with_options(s, opts()).expect("parses"),
            );
        }
        best.2 = best.2.min(t.elapsed().as_secs_f64());
    }
    eprintln!(
        "{} files, {mb:.1} MB, best of {rounds}: teikit parse(&str) {:.0} MB/s, parse_bytes {:.0} MB/s, roxmltree {:.0} MB/s",
        texts.len(),
        mb / best.0,
        mb / best.1,
        mb / best.2
    );
}

// ---- random well-formed documents ---------------------------------------------------

const ELEMENTS: &[&str] = &["a", "p", "hi", "x:b", "y:c", "é", "TEI"];
const ATTRIBUTES: &[&str] = &["n", "rend", "x:n", "y:n", "xml:id", "x:rend", "é"];
const DEFAULTS: &[Option<&str>] = &[None, None, Some(""), Some("urn:d1"), Some("urn:d2")];

#[derive(Debug, Clone)]
enum Item {
    Text(Vec<(char, u8)>),
    CData(String),
    Comment(String),
    Pi(usize, String),
    Elem(Elem),
}

#[derive(Debug, Clone)]
struct Elem {
    name: usize,
    attrs: Vec<(usize, Vec<(char, u8)>, bool)>,
    default_ns: usize,
    redeclare_x: bool,
    space_in_tag: bool,
    kids: Vec<Item>,
}

fn styled_chars() -> impl Strategy<Value = Vec<(char, u8)>> {
    let c = prop::sample::select(vec![
        'a', 'b', ' ', '\n', '\r', '\t', '<', '&', '>', '"', '\'', 'é', '𝄞', ']', '\u{85}',
        '\u{2028}',
    ]);
    prop::collection::vec((c, 0u8..4), 0..12)
}

fn plain(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(chars.to_vec()), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

fn item() -> impl Strategy<Value = Item> {
    let leaf = prop_oneof![
        4 => styled_chars().prop_map(Item::Text),
        1 => plain(&['a', ' ', '<', '&', ']', '\r', '\n', 'é'], 8).prop_map(Item::CData),
        1 => plain(&['a', ' ', '-', 'é', '\r', '\n'], 8)
            .prop_filter("no -- in comments", |s| !s.contains("--") && !s.ends_with('-'))
            .prop_map(Item::Comment),
        1 => (0usize..2, plain(&['a', ' ', '>', '\r', '\n', 'é'], 8)).prop_map(|(t, d)| Item::Pi(t, d)),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        elem(prop::collection::vec(inner, 0..5)).prop_map(Item::Elem)
    })
}

fn elem(kids: impl Strategy<Value = Vec<Item>>) -> impl Strategy<Value = Elem> {
    (
        0..ELEMENTS.len(),
        prop::collection::vec((0..ATTRIBUTES.len(), styled_chars(), any::<bool>()), 0..4),
        0..DEFAULTS.len(),
        prop::bool::weighted(0.15),
        any::<bool>(),
        kids,
    )
        .prop_map(
            |(name, mut attrs, default_ns, redeclare_x, space_in_tag, kids)| {
                let mut seen = Vec::new();
                attrs.retain(|a| {
                    let new = !seen.contains(&a.0);
                    seen.push(a.0);
                    new
                });
                Elem {
                    name,
                    attrs,
                    default_ns,
                    redeclare_x,
                    space_in_tag,
                    kids,
                }
            },
        )
}

/// Writes a character of text or attribute value in one of four styles.
fn write_char(out: &mut String, c: char, style: u8, in_attr: bool) {
    let must_escape = matches!(c, '<' | '&' | '\r') || (c == '>') || (in_attr && c == '"');
    match (style, must_escape) {
        (0, false) => {
            // Raw; newlines sometimes as CRLF (normalised back to LF by the parser).
            if c == '\n' && !in_attr {
                out.push_str("\r\n");
            } else {
                out.push(c);
            }
        }
        (1, _) => match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push_str(&format!("&#{};", c as u32)),
        },
        (2, _) | (0, true) => out.push_str(&format!("&#{};", c as u32)),
        _ => out.push_str(&format!("&#x{:X};", c as u32)),
    }
}

fn write_items(out: &mut String, items: &[Item]) {
    // (item, index of next child to write) — iterative, like the parser.
    enum Step<'a> {
        Open(&'a Item),
        Close(&'a Elem),
    }
    let mut stack: Vec<Step> = items.iter().rev().map(Step::Open).collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(e) => {
                out.push_str(&format!("</{}>", ELEMENTS[e.name]));
            }
            Step::Open(Item::Text(chars)) => {
                for &(c, s) in chars {
                    write_char(out, c, s, false);
                }
            }
            Step::Open(Item::CData(s)) => out.push_str(&format!("<![CDATA[{s}]]>")),
            Step::Open(Item::Comment(s)) => out.push_str(&format!("<!--{s}-->")),
            Step::Open(Item::Pi(t, d)) => {
                out.push_str(&format!("<?{} {d}?>", ["pi", "tei-x"][*t]));
            }
            Step::Open(Item::Elem(e)) => {
                write_start(out, e, false);
                if e.kids.is_empty() && e.space_in_tag {
                    out.push_str(" />");
                } else if e.kids.is_empty() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    stack.push(Step::Close(e));
                    stack.extend(e.kids.iter().rev().map(Step::Open));
                }
            }
        }
    }
}

fn write_start(out: &mut String, e: &Elem, root: bool) {
    out.push('<');
    out.push_str(ELEMENTS[e.name]);
    if root {
        out.push_str(" xmlns:x='urn:x' xmlns:y=\"urn:y\"");
    }
    if e.redeclare_x && !root {
        out.push_str(" xmlns:x='urn:x2'");
    }
    if let Some(d) = DEFAULTS[e.default_ns] {
        out.push_str(&format!(" xmlns=\"{d}\""));
    }
    for (name, value, single) in &e.attrs {
        out.push(if *single { '\n' } else { ' ' });
        out.push_str(ATTRIBUTES[*name]);
        out.push_str("=\"");
        for &(c, s) in value {
            write_char(out, c, s, true);
        }
        out.push('"');
    }
}

fn document() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        elem(prop::collection::vec(item(), 0..6)),
        plain(&['a', ' ', '\n'], 6),
    )
        .prop_map(|(decl, doctype, root, misc)| {
            let mut s = String::new();
            if decl {
                s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone='no'?>\r\n");
            }
            s.push_str(&format!("<!--{misc}-->\n"));
            if doctype {
                // (No comment or PI in the subset: roxmltree puts them in the tree, teikit —
                // like the XML Infoset — does not.)
                s.push_str(
                    "<!DOCTYPE TEI [\n  <!ELEMENT TEI ANY>\n  <!NOTATION n SYSTEM 'x'>\n]>\n",
                );
            }
            write_start(&mut s, &root, true);
            s.push('>');
            write_items(&mut s, &root.kids);
            s.push_str(&format!("</{}>\n<?pi after?>\n", ELEMENTS[root.name]));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_match_roxmltree(doc in document()) {
        let parsed = Document::parse(&doc);
        prop_assert!(parsed.is_ok(), "refused {doc:?}: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        if let Err(msg) = xml_support::same_as_roxmltree(&doc, &parsed) {
            prop_assert!(false, "{doc:?}: {msg}");
        }
        // The same document as UTF-16 reads the same.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in doc.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        if !doc.starts_with("<?xml") {
            let via16 = Document::parse_bytes(&utf16, &ParseOptions::default());
            prop_assert!(via16.is_ok(), "UTF-16: {:?}", via16.err());
            prop_assert_eq!(via16.unwrap().root_element().text_content(), parsed.root_element().text_content());
        }
    }
}
