//! The entity registry: persons, places, organisations and titles with ids, name variants,
//! aliases and authority ids, and the tagger that finds their mentions in text.
//!
//! INTERFACE CONTRACT (used by `transcription`/`tei`, owned by this module): [`Registry`],
//! [`Entity`], [`EntityKind`], [`Name`], [`Idno`], [`Tagger`], [`Mention`], [`Cert`].
//! The loaders take text, never paths: the library does no file I/O.

pub mod codes;

use std::ops::Range;

/// What an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A person (`persName` / `person`).
    Person,
    /// A place (`placeName` / `place`).
    Place,
    /// An organisation (`orgName` / `org`).
    Org,
    /// A periodical or book (`title` with `@level`, `bibl` in a `listBibl`).
    Title,
}

/// One name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// `preferred`, `alias`, `pseudonym`, `variant`, `descriptive` (→ `rs`), … ; `None` = variant.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub kind: Option<String>,
    /// Language of this form, if it matters (`fr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// An authority identifier.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Idno {
    /// `wikidata`, `VIAF`, `GND`, `geonames`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The full URI.
    pub uri: String,
}

/// One registry entry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entity {
    /// The `xml:id` in the register (`p-trotsky`, `pl-paris`, `o-uc`, `t-lutte`).
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// Names; the first is the preferred form.
    pub names: Vec<Name>,
    /// Authority ids.
    #[serde(default)]
    pub idnos: Vec<Idno>,
    /// `@level` of a title: `j` (periodical), `m` (book), `a` (article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// A short note for the register (dates, role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Entity {
    /// The preferred name.
    pub fn preferred(&self) -> &str {
        self.names
            .first()
            .map(|n| n.text.as_str())
            .unwrap_or(&self.id)
    }
}

/// How sure the tagger is of a match (`@cert`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cert {
    /// A guess.
    Low,
    /// Probable.
    Medium,
    /// Certain (no `@cert` is written).
    High,
}

/// A mention of a registered entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the searched text.
    pub range: Range<usize>,
    /// Index of the entity in [`Registry::entities`].
    pub entity: usize,
    /// Index of the matched name in the entity's `names`.
    pub name: usize,
    /// How sure the match is.
    pub cert: Cert,
}

/// A loaded registry.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// All entries, in file order.
    pub entities: Vec<Entity>,
}

impl Registry {
    /// The entity with this `xml:id`.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }
}

/// Finds mentions of a registry's entities in text.
#[derive(Debug)]
pub struct Tagger {
    _private: (),
}

impl Registry {
    /// Loads a registry from its TOML form. Problems (duplicate ids, empty names …) are
    /// diagnostics pointing into `file`; the entries that could be read are kept.
    pub fn from_toml(
        text: &str,
        file: crate::diag::FileId,
    ) -> (Registry, Vec<crate::diag::Diagnostic>) {
        let _ = (text, file);
        (Registry::default(), Vec::new())
    }

    /// Loads a registry from a TEI register (`listPerson`, `listPlace`, `listOrg`, `listBibl`
    /// anywhere in the document, as ediarum and most correspondence editions keep them).
    pub fn from_tei(
        doc: &crate::xml::Document,
        file: crate::diag::FileId,
    ) -> (Registry, Vec<crate::diag::Diagnostic>) {
        let _ = (doc, file);
        (Registry::default(), Vec::new())
    }

    /// Builds the tagger for this registry's names.
    pub fn tagger(&self) -> Tagger {
        Tagger { _private: () }
    }
}

impl Tagger {
    /// Finds mentions in `text`, non-overlapping, in text order.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let _ = text;
        Vec::new()
    }
}
