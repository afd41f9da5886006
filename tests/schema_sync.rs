//! `schema/teikit.rng` is generated from `schema/teikit.rnc` (the source of truth) by teikit
//! itself: the compact-syntax reader (`teikit::rng::compact::parse`) translates the `.rnc` as
//! the specification's Appendix A says, and this test writes the translation as XML.
//!
//! `cargo test --test schema_sync` fails when the committed `.rng` differs from what the
//! current `.rnc` gives; `UPDATE_GOLDEN=1 cargo test --test schema_sync` rewrites it.
//! `schema_fixtures.rs` validates every fixture against both forms and demands the same
//! verdicts, so a faulty translation would not go unnoticed either.

mod common;

use teikit::diag::FileId;
use teikit::xml::{Document, Node, NodeKind};

const HEADER: &str = "<!-- Generated from teikit.rnc by teikit (rng::compact); do not edit: change teikit.rnc and regenerate (see tests/schema_sync.rs). -->";

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

fn qname(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_string(),
    }
}

fn start_tag(n: &Node<'_>) -> String {
    let mut s = format!("<{}", qname(n.prefix(), n.tag_name().local));
    for (p, uri) in n.namespace_declarations() {
        match p {
            Some(p) => s.push_str(&format!(" xmlns:{p}=\"{}\"", escape(uri, true))),
            None => s.push_str(&format!(" xmlns=\"{}\"", escape(uri, true))),
        }
    }
    for a in n.attributes() {
        s.push_str(&format!(
            " {}=\"{}\"",
            qname(a.prefix(), a.name().local),
            escape(a.value(), true)
        ));
    }
    s
}

/// Serialises the translated schema: elements with element-only content indented by two
/// spaces, elements with text written on one line. An explicit stack, no recursion.
fn serialize(doc: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(HEADER);
    out.push('\n');
    // (node, depth, closing?)
    let mut stack: Vec<(Node<'_>, usize, bool)> = vec![(doc.root_element(), 0, false)];
    while let Some((n, depth, closing)) = stack.pop() {
        let indent = "  ".repeat(depth);
        if closing {
            out.push_str(&format!(
                "{indent}</{}>\n",
                qname(n.prefix(), n.tag_name().local)
            ));
            continue;
        }
        match n.kind() {
            NodeKind::Element => {}
            NodeKind::Text => {
                let t = n.text().unwrap_or("");
                if !t.trim().is_empty() {
                    out.push_str(&format!("{indent}{}\n", escape(t, false)));
                }
                continue;
            }
            _ => continue,
        }
        let children: Vec<Node<'_>> = n.children().collect();
        let has_text = children.iter().any(|c| c.kind() == NodeKind::Text);
        if children.is_empty() {
            out.push_str(&format!("{indent}{}/>\n", start_tag(&n)));
        } else if has_text && children.iter().all(|c| c.kind() == NodeKind::Text) {
            out.push_str(&format!(
                "{indent}{}>{}</{}>\n",
                start_tag(&n),
                escape(&n.text_content(), false),
                qname(n.prefix(), n.tag_name().local)
            ));
        } else {
            out.push_str(&format!("{indent}{}>\n", start_tag(&n)));
            stack.push((n, depth, true));
            for c in children.into_iter().rev() {
                stack.push((c, depth + 1, false));
            }
        }
    }
    out
}

#[test]
fn teikit_rng_is_generated_from_the_current_rnc() {
    let root = common::root();
    let rnc = common::read(&root.join("schema/teikit.rnc"));
    let doc = teikit::rng::compact::parse(&rnc, FileId(0))
        .unwrap_or_else(|d| panic!("schema/teikit.rnc does not parse: {d:#?}"));
    let generated = serialize(&doc);
    let path = root.join("schema/teikit.rng");
    if common::update_golden() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = common::read(&path);
    assert!(
        committed == generated,
        "schema/teikit.rng is not the translation of the current schema/teikit.rnc; regenerate it with UPDATE_GOLDEN=1 cargo test --test schema_sync"
    );
    // The generated file is well-formed XML in the RELAX NG namespace.
    let back = Document::parse(&generated).expect("well-formed");
    assert_eq!(
        back.root_element().tag_name().namespace,
        Some("http://relaxng.org/ns/structure/1.0")
    );
}
