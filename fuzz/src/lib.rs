//! Checks shared by the fuzz targets. Each target lives in `fuzz_targets/NAME.rs` with a
//! `[[bin]]` entry in `Cargo.toml`; seeds come from `seed.sh`.

include!("../../tests/xml_support/tree_check.rs");
