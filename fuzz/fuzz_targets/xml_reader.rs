//! The XML reader on arbitrary bytes: no panic, no hang, bounded memory; errors are
//! located inside the input; accepted documents satisfy the tree invariants. The opt-in
//! entity expansion for trusted documents must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::xml::{Document, ErrorKind, ParseOptions, decode, expand_internal_entities};

fuzz_target!(|data: &[u8]| {
    let opts = ParseOptions::default();
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(expanded) = expand_internal_entities(text, 1 << 16)
        && let Ok(doc) = Document::parse(&expanded)
    {
        teikit_fuzz::check_tree(&doc);
    }
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
