//! Validation of arbitrary instance bytes against real schemas, loaded once: the project's
//! schema (`schema/teikit.rnc`, embedded), a small TEI-like RELAX NG schema with datatypes
//! and interleave, and TEI P5's `tei_all.rng` when `../shared` (or `TEIKIT_FUZZ_TEI_ALL`)
//! has it. The first input byte picks the schema; the rest is the document. No panic, no
//! hang, bounded memory; every diagnostic is located inside the document.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, doc)) = data.split_first() else {
        return;
    };
    teikit_fuzz::validate_with_fixed_schema(pick, doc);
});
