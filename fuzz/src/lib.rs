//! Checks shared by the fuzz targets. Each target lives in `fuzz_targets/NAME.rs` with a
//! `[[bin]]` entry in `Cargo.toml`; seeds come from `seed.sh`.
//!
//! The checks are the tests' own (`tests/xml_support/`), included here so that both run
//! the same code.

include!("../../tests/xml_support/tree_check.rs");
include!("../../tests/xml_support/oracle.rs");
