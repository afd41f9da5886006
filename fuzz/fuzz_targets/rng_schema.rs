//! Schema loading, XML syntax: arbitrary bytes as `schema.rng`, loaded through a
//! [`MemLoader`] so that `include`/`externalRef` can only reach the in-memory files below.
//! Loading must never panic, hang or exhaust memory; every refusal is a located diagnostic;
//! a schema that loads must validate a small document without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::diag::Files;
use teikit::rng::{MemLoader, Schema};

fuzz_target!(|data: &[u8]| {
    let mut loader = MemLoader::new();
    loader.add("schema.rng", data);
    teikit_fuzz::add_schema_helpers(&mut loader);
    let files = Files::new();
    match Schema::load("schema.rng", &mut loader, &files) {
        Ok(schema) => teikit_fuzz::validate_samples(&schema, &files),
        Err(diags) => teikit_fuzz::check_diagnostics(&diags, &files),
    }
});
