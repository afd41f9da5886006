//! Helpers shared by the XML reader's tests: the roxmltree oracle.
#![allow(dead_code)]

use teikit::xml::{Document, NodeKind};

mod tree_check;
pub use tree_check::check_tree;

/// roxmltree reports an element inside `xmlns=""` as in namespace `Some("")`; teikit (and
/// the Namespaces spec) say no namespace.
fn ns(n: Option<&str>) -> Option<&str> {
    n.filter(|s| !s.is_empty())
}

/// roxmltree does not normalise line ends in comments and processing instructions
/// (XML 1.0 §2.11 normalises the whole input); teikit does.
fn eol(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Parses `text` with roxmltree (DTD allowed, so that internal subsets are skipped) and
/// checks that `doc` has the same nodes in the same order: kinds, expanded names,
/// attributes (namespace, local name, value, order), text, comments, processing
/// instructions. Returns a description of the first difference.
pub fn same_as_roxmltree(text: &str, doc: &Document) -> Result<(), String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: u32::MAX,
        ..Default::default()
    };
    let rx = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| format!("roxmltree refused a document teikit accepted: {e}"))?;
    check_tree(doc);
    let mine: Vec<_> = doc.descendants().collect();
    // roxmltree keeps an empty text node for an empty CDATA section; teikit has no empty
    // text nodes.
    let theirs: Vec<_> = rx
        .descendants()
        .filter(|n| !(n.is_text() && n.text() == Some("")))
        .collect();
    for (i, (a, b)) in mine.iter().zip(theirs.iter()).enumerate() {
        let kind = match b.node_type() {
            roxmltree::NodeType::Root => NodeKind::Root,
            roxmltree::NodeType::Element => NodeKind::Element,
            roxmltree::NodeType::PI => NodeKind::ProcessingInstruction,
            roxmltree::NodeType::Comment => NodeKind::Comment,
            roxmltree::NodeType::Text => NodeKind::Text,
        };
        let at = || {
            format!(
                "node {i} (teikit {a:?} at {:?}, roxmltree {b:?})",
                a.range()
            )
        };
        if a.kind() != kind {
            return Err(format!("{}: kinds differ", at()));
        }
        match kind {
            NodeKind::Element => {
                let (n1, n2) = (a.tag_name(), b.tag_name());
                if n1.namespace != ns(n2.namespace()) || n1.local != n2.name() {
                    return Err(format!("{}: element names differ", at()));
                }
                let x: Vec<_> = a
                    .attributes()
                    .map(|t| (t.name().namespace, t.name().local, t.value()))
                    .collect();
                let y: Vec<_> = b
                    .attributes()
                    .map(|t| (t.namespace(), t.name(), t.value()))
                    .collect();
                if x != y {
                    return Err(format!("{}: attributes differ:\n  {x:?}\n  {y:?}", at()));
                }
            }
            NodeKind::Text | NodeKind::Comment => {
                let want = b.text().map(|t| {
                    if kind == NodeKind::Comment {
                        eol(t)
                    } else {
                        t.to_string()
                    }
                });
                if a.text() != want.as_deref() {
                    return Err(format!(
                        "{}: text differs:\n  {:?}\n  {:?}",
                        at(),
                        a.text(),
                        b.text()
                    ));
                }
            }
            NodeKind::ProcessingInstruction => {
                let pi = b.pi().expect("a PI");
                if a.pi_target() != Some(pi.target)
                    || a.text().map(str::to_string) != Some(eol(pi.value.unwrap_or("")))
                {
                    return Err(format!("{}: processing instructions differ", at()));
                }
            }
            NodeKind::Root => {}
        }
    }
    if mine.len() != theirs.len() {
        return Err(format!(
            "teikit has {} nodes, roxmltree {}",
            mine.len(),
            theirs.len()
        ));
    }
    Ok(())
}
