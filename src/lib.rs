//! teikit — a toolchain for TEI-XML scholarly editions.
//!
//! The library does the work; the `teikit` binary (`src/main.rs`, `src/cli/`) only parses
//! arguments, reads and writes files, and renders diagnostics. The pipeline stages live in
//! one module each:
//!
//! | module | job |
//! |---|---|
//! | [`diag`] | diagnostics as data (code, severity, byte spans) and their renderers |
//! | [`xml`] | the hardened XML reader: bytes → decoded text → arena tree with byte spans |
//! | [`xsd`] | the XSD datatype library and XSD regular expressions |
//! | [`rng`] | RELAX NG: XML and compact syntax, simplification, derivative validator |
//! | [`model`] | the edition model a transcription is parsed into (pure data) |
//! | [`transcription`] | plain-text transcription conventions → [`model`] |
//! | [`registry`] | persons, places, organisations: registry files and the name tagger |
//! | [`tei`] | [`model`] → TEI P5 XML, deterministic |
//! | [`diff`] | editorial diff of two editions |
//! | [`rules`] | integrity rules no grammar can express |
//! | [`cmif`] | CMIF export of correspondence metadata |
//!
//! Invariants: the library never prints and never touches the network; it reads files only
//! through the loaders the caller passes in. Spans are byte ranges; line:col exists only in
//! [`diag::render`]. Output is deterministic.
#![forbid(unsafe_code)]

pub mod cmif;
pub mod diag;
pub mod diff;
pub mod model;
mod prehashed;
pub mod registry;
pub mod rng;
pub mod rules;
pub mod tei;
pub mod transcription;
pub mod xml;
pub mod xsd;

/// The version written into every edition's `appInfo/application/@version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
