//! convert on arbitrary bytes: `transcription::decode`, then `transcription::convert` with a
//! small registry (so the name tagger runs) and `tei::write`. Never panics; whatever is
//! written is well-formed XML that teikit's XML reader accepts (and whose tree passes the
//! tree checks); every diagnostic is located inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    teikit_fuzz::convert_bytes(data);
});
