//! The optional sidecar `SOURCE.toml` next to a transcription: everything the text does not
//! say, or says wrongly, so that a new source never needs a code change.
//!
//! Every key is optional. Unknown keys are errors (a typo should not be ignored silently).
//!
//! ```toml
//! id = "serge-1959"              # TEI/@xml:id and publicationStmt/idno
//! title = "A Reaffirmation"      # titleStmt/title (overrides the detected title)
//! subtitle = "…"
//! authors = ["Victor Serge"]     # titleStmt/author (overrides the detected author)
//! lang = "en"                    # main language, TEI/@xml:lang
//! languages = ["en", "fr"]       # languages the detector may choose from
//! damaged = true                 # a damaged copy: [...] → gap reason="damage"
//! date_range = [1946, 1949]      # years the text covers (century of two-digit years)
//! registry = "../registry.toml"  # registry file, relative to the sidecar
//! publisher = "…"                # publicationStmt/publisher
//! licence = "CC BY-SA 4.0"       # publicationStmt/availability/licence
//! licence_url = "https://creativecommons.org/licenses/by-sa/4.0/"
//! publication_date = "2025-01-15"
//! url = "https://www.marxists.org/history/etol/…"   # the web page transcribed
//! site = "Encyclopedia of Trotskyism On-Line"        # its site
//! site_publisher = "Marxists’ Internet Archive"
//!
//! [print]                        # the printed witness (overrides the "From …" line)
//! journal = "Fourth International"
//! volume = "…"
//! issue = "7"
//! date = "Autumn 1959"
//! pages = "25–26"
//!
//! [[resp]]                       # further people of the source edition
//! role = "proofreading"
//! names = ["Jane Doe"]
//!
//! [idno."p-serge"]               # authority ids added to register entries, by id
//! wikidata = "https://www.wikidata.org/entity/Q…"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostic, FileId};

use super::codes;

/// The parsed sidecar.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// `TEI/@xml:id` and an `idno` in the publication statement.
    pub id: Option<String>,
    /// Main title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors of the original.
    pub authors: Option<Vec<String>>,
    /// Main language (ISO 639-1).
    pub lang: Option<String>,
    /// Languages the detector may choose from (ISO 639-1).
    pub languages: Option<Vec<String>>,
    /// Whether the source is a damaged copy.
    pub damaged: Option<bool>,
    /// Years the text covers.
    pub date_range: Option<[i32; 2]>,
    /// Registry file, relative to the sidecar (resolved by the caller).
    pub registry: Option<String>,
    /// Publisher of the edition.
    pub publisher: Option<String>,
    /// Licence text.
    pub licence: Option<String>,
    /// Licence URL.
    pub licence_url: Option<String>,
    /// Publication date of the edition (ISO).
    pub publication_date: Option<String>,
    /// URL of the web page transcribed.
    pub url: Option<String>,
    /// Title of the site.
    pub site: Option<String>,
    /// Publisher of the site.
    pub site_publisher: Option<String>,
    /// The printed witness.
    pub print: Option<PrintOverride>,
    /// Further responsibilities.
    #[serde(default)]
    pub resp: Vec<RespEntry>,
    /// Authority ids to add to register entries: entity id → (type → URI).
    #[serde(default)]
    pub idno: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[print]` in the sidecar.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintOverride {
    /// Journal or book title.
    pub journal: Option<String>,
    /// `j` or `m`.
    pub level: Option<String>,
    /// Volume.
    pub volume: Option<String>,
    /// Issue.
    pub issue: Option<String>,
    /// Date as printed.
    pub date: Option<String>,
    /// Pages ("25–26").
    pub pages: Option<String>,
}

/// `[[resp]]` in the sidecar.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RespEntry {
    /// What they did.
    pub role: String,
    /// Who.
    pub names: Vec<String>,
}

impl Sidecar {
    /// Parses a sidecar. Errors are diagnostics pointing into `file`; on error the result
    /// is `None` (a half-read sidecar would silently change the edition).
    pub fn parse(text: &str, file: FileId) -> (Option<Sidecar>, Vec<Diagnostic>) {
        match toml::from_str::<Sidecar>(text) {
            Ok(s) => {
                let mut diags = Vec::new();
                for code in s.languages.iter().flatten().chain(s.lang.iter()) {
                    if super::lang::lang_from_code(code).is_none() {
                        diags.push(
                            Diagnostic::error(
                                &codes::SIDECAR,
                                format!("unknown language code `{code}`; expected an ISO 639-1 code such as `en`, `fr`, `de`"),
                            )
                            .at(file, find_span(text, code)),
                        );
                    }
                }
                if diags.is_empty() {
                    (Some(s), diags)
                } else {
                    (None, diags)
                }
            }
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                (
                    None,
                    vec![
                        Diagnostic::error(&codes::SIDECAR, format!("invalid sidecar: {msg}"))
                            .at(file, span)
                            .with_help(
                                "see the sidecar keys in the README (`teikit convert --help`)",
                            ),
                    ],
                )
            }
        }
    }
}

fn find_span(text: &str, needle: &str) -> std::ops::Range<usize> {
    let q = format!("\"{needle}\"");
    match text.find(&q) {
        Some(i) => i + 1..i + 1 + needle.len(),
        None => 0..0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let (s, d) = Sidecar::parse(
            "title = \"T\"\ndamaged = true\ndate_range = [1946, 1949]\n[idno.\"p-x\"]\nwikidata = \"https://www.wikidata.org/entity/Q1\"\n",
            FileId(0),
        );
        assert!(d.is_empty(), "{d:?}");
        let s = s.unwrap();
        assert_eq!(s.title.as_deref(), Some("T"));
        assert_eq!(s.damaged, Some(true));
        assert_eq!(
            s.idno["p-x"]["wikidata"],
            "https://www.wikidata.org/entity/Q1"
        );
        let (s, d) = Sidecar::parse("titel = \"T\"\n", FileId(0));
        assert!(s.is_none());
        assert_eq!(d[0].code.id, "CNV060");
        assert_eq!(d[0].primary.as_ref().unwrap().span, 0..5);
        let (s, d) = Sidecar::parse("lang = \"xx\"\n", FileId(0));
        assert!(s.is_none());
        assert!(d[0].message.contains("xx"));
    }
}
