//! Validation with both sides arbitrary: the input is `SCHEMA \0\0 INSTANCE` (the schema in
//! compact syntax when it does not start with `<`). Loading and validating must never
//! panic, hang or blow up memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::diag::Files;
use teikit::rng::{MemLoader, Options, Schema};
use teikit::xml::{Document, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let Some(at) = data.windows(2).position(|w| w == b"\0\0") else {
        return;
    };
    let (schema, instance) = (&data[..at], &data[at + 2..]);
    let name = if schema.trim_ascii_start().starts_with(b"<") {
        "schema.rng"
    } else {
        "schema.rnc"
    };
    let mut loader = MemLoader::new();
    loader.add(name, schema);
    teikit_fuzz::add_schema_helpers(&mut loader);
    let files = Files::new();
    let Ok(schema) = Schema::load(name, &mut loader, &files) else {
        return;
    };
    let Ok(doc) = Document::parse_bytes(instance, &ParseOptions::default()) else {
        return;
    };
    let file = files.add("doc.xml", doc.text());
    let diags = schema.validate(&doc, file, &Options::default());
    teikit_fuzz::check_located(&diags, doc.text().len());
});
