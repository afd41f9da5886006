//! diff on two arbitrary documents: the input is `OLD \0\0 NEW` (no separator: the input
//! against itself with its last byte dropped). Both are read with diff's own reading
//! options; when both parse, the comparison and all four renderers must not panic, a
//! document compared with itself is identical, and the TEI apparatus report is well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.windows(2).position(|w| w == b"\0\0") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &data[..data.len().saturating_sub(1)]),
    };
    teikit_fuzz::diff_pair(old, new);
});
