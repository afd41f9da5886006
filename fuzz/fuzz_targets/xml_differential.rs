//! Differential: whatever teikit accepts, roxmltree (the oracle) must accept and read as
//! the same tree. (teikit is stricter — no DTD entities, no XML 1.1 —, so only this
//! direction is checked.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::xml::{Document, NodeKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(doc) = Document::parse(text) else {
        return;
    };
    teikit_fuzz::check_tree(&doc);
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let rx = match roxmltree::Document::parse_with_options(text, opts) {
        Ok(rx) => rx,
        Err(e) => panic!("teikit accepted, roxmltree refused: {e}"),
    };
    let mine: Vec<_> = doc.descendants().collect();
    let theirs: Vec<_> = rx.descendants().collect();
    assert_eq!(mine.len(), theirs.len(), "node counts differ");
    for (a, b) in mine.iter().zip(theirs.iter()) {
        match a.kind() {
            NodeKind::Element => {
                assert!(b.is_element());
                assert_eq!(a.tag_name().namespace, b.tag_name().namespace());
                assert_eq!(a.tag_name().local, b.tag_name().name());
                let x: Vec<_> = a
                    .attributes()
                    .map(|t| (t.name().namespace, t.name().local, t.value()))
                    .collect();
                let y: Vec<_> = b
                    .attributes()
                    .map(|t| (t.namespace(), t.name(), t.value()))
                    .collect();
                assert_eq!(x, y);
            }
            NodeKind::Text => assert_eq!(a.text(), b.text()),
            NodeKind::Comment => assert_eq!(a.text(), b.text()),
            NodeKind::ProcessingInstruction => {
                let pi = b.pi().expect("a PI");
                assert_eq!(a.pi_target(), Some(pi.target));
                assert_eq!(a.text(), Some(pi.value.unwrap_or("")));
            }
            NodeKind::Root => assert!(b.node_type() == roxmltree::NodeType::Root),
        }
    }
});
