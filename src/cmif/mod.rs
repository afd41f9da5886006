//! CMIF export: correspondence metadata for correspSearch and similar services.
//!
//! The Correspondence Metadata Interchange Format (CMIF 1.1, TEI Correspondence SIG) is a small
//! TEI document with one `correspDesc` per letter: who sent it from where and when, to whom,
//! where the letter is published (`@ref`) and which edition describes it (`@source` → a `bibl`
//! whose `xml:id` is a UUID). A teikit edition already holds all of this — one
//! `profileDesc/correspDesc` per letter pointing into the edition's register, whose entries carry
//! authority URIs — so the export is a pure projection: [`export`] resolves the local `#ids` to
//! GND/VIAF/Wikidata and GeoNames URIs and writes the file deterministically (same editions and
//! options, same bytes). [`check`] re-implements the four rules of the CMIF Schematron
//! (`cmif.sch`) so that a file can be checked without an XSLT processor.
//!
//! ## Identifiers that stay stable
//!
//! Each edition becomes one `sourceDesc/bibl`. Its `xml:id` is a name-based UUID (RFC 9562
//! version 5, SHA-1) in the URL namespace of `"{file_url}#{edition}"`, where `file_url` is the
//! CMIF file's own URL ([`CmifOptions::file_url`]) and `edition` the edition's name (its file
//! stem, or [`Edition::name`]). An `xml:id` cannot start with a digit, so when that UUID does,
//! the names `"…#{edition}#1"`, `"…#{edition}#2"` … are tried in turn and the first UUID that
//! starts with a letter is taken ([`bibl_uuid`]). The same export therefore gets the same UUIDs
//! on every run, and anyone can recompute them (Python: `uuid.uuid5(uuid.NAMESPACE_URL, name)`).
//! `publicationStmt/date/@when` is [`CmifOptions::date`] if given, otherwise the latest
//! `revisionDesc/change/@when` or `publicationStmt/date/@when` of the editions — never the clock.

pub mod codes;

mod check;
mod export;
mod write;

pub use check::check;
pub use export::{CmifOptions, Edition, Export, Licence, bibl_uuid, export};
