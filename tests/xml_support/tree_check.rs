// Shared by the tests (`xml_support`) and the fuzz targets (`fuzz/src/lib.rs`, by include!).

use teikit::xml::{Document, NodeKind};

/// Walks a parsed document and asserts the tree's invariants: ranges inside the text and
/// on character boundaries, parent/child/sibling links consistent, subtree ends nested,
/// no carriage return in comments and PIs (text and attribute values may hold one from
/// `&#13;`), no empty text nodes, non-empty element names.
pub fn check_tree(doc: &Document) {
    let text = doc.text();
    let n = doc.len();
    assert!(
        n >= 2,
        "a document has its document node and a root element"
    );
    let root = doc.root_element();
    assert!(root.is_element());
    for node in doc.descendants() {
        let r = node.range();
        assert!(r.start <= r.end && r.end <= text.len(), "range {r:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let end = node.subtree_end().index();
        assert!(end > node.id().index() && end <= n);
        if let Some(p) = node.parent() {
            assert!(p.id() < node.id() && p.subtree_end() >= node.subtree_end());
        }
        let mut prev = None;
        for c in node.children() {
            assert_eq!(c.parent(), Some(node));
            assert_eq!(c.prev_sibling(), prev);
            prev = Some(c);
        }
        assert_eq!(node.last_child(), prev);
        match node.kind() {
            NodeKind::Element => {
                assert!(!node.tag_name().local.is_empty());
                let _ = &text[node.start_tag_range()];
                let _ = &text[node.name_range()];
                let _ = &text[node.end_tag_range()];
                for a in node.attributes() {
                    let (ar, vr) = (a.range(), a.value_range());
                    assert!(ar.start >= r.start && ar.end <= r.end && vr.end <= ar.end);
                    assert!(!a.name().local.is_empty());
                }
                let _ = node.lookup_namespace_uri(None);
            }
            NodeKind::Text | NodeKind::Comment | NodeKind::ProcessingInstruction => {
                let t = node.text().expect("character data");
                if node.kind() == NodeKind::Text {
                    assert!(!t.is_empty());
                } else {
                    assert!(!t.contains('\r'), "CR left in {t:?}");
                }
            }
            NodeKind::Root => assert_eq!(node.id().index(), 0),
        }
    }
    let _ = root.text_content();
}
