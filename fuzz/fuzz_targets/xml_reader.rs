//! The XML reader on arbitrary bytes: no panic, no hang, bounded memory; errors are
//! located inside the input; accepted documents satisfy the tree invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::xml::{Document, ErrorKind, ParseOptions, decode};

fuzz_target!(|data: &[u8]| {
    let opts = ParseOptions::default();
    match Document::parse_bytes(data, &opts) {
        Ok(doc) => teikit_fuzz::check_tree(&doc),
        Err(e) => {
            assert!(!e.message.is_empty());
            if e.kind == ErrorKind::Encoding {
                assert!(e.pos <= data.len(), "{e:?}");
            } else if let Ok(text) = decode(data, &opts) {
                assert!(e.pos <= text.len(), "{e:?}");
                assert!(text.is_char_boundary(e.pos), "{e:?}");
            }
        }
    }
});
