//! Schema loading, compact syntax: arbitrary text through `rng::compact::parse` (its
//! translation's ranges must lie on character boundaries of the text), then loaded as `schema.rnc` through a
//! [`MemLoader`] (includes reach only in-memory files). No panic, hang or memory blow-up;
//! refusals are located diagnostics; a schema that loads validates a small document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::diag::{FileId, Files};
use teikit::rng::{MemLoader, Schema, compact};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match compact::parse(text, FileId(0)) {
        Ok(doc) => teikit_fuzz::check_translation(&doc),
        Err(diags) => assert!(!diags.is_empty() && diags.iter().all(|d| d.is_error())),
    }
    let mut loader = MemLoader::new();
    loader.add("schema.rnc", data);
    teikit_fuzz::add_schema_helpers(&mut loader);
    let files = Files::new();
    match Schema::load("schema.rnc", &mut loader, &files) {
        Ok(schema) => teikit_fuzz::validate_samples(&schema, &files),
        Err(diags) => teikit_fuzz::check_diagnostics(&diags, &files),
    }
});
