//! The entity registry: persons, places, organisations and titles with ids, name variants,
//! aliases and authority ids, and the tagger that finds their mentions in text.
//!
//! An edition's names are only as good as its register. This module keeps the register as
//! data an editor writes by hand (TOML) or already has (a TEI `listPerson`/`listPlace`/
//! `listOrg`/`listBibl` file), and turns it into a [`Tagger`]: one Aho–Corasick automaton over
//! every name form, so tagging cost depends on the length of the text, not on the size of the
//! registry.
//!
//! INTERFACE CONTRACT (used by `transcription`/`tei`, owned by this module): [`Registry`],
//! [`Entity`], [`EntityKind`], [`Name`], [`Idno`], [`Tagger`], [`Mention`], [`Cert`].
//! The loaders take text, never paths: the library does no file I/O.
//!
//! # The TOML format
//!
//! One table per entity, in an array named after its kind: `[[person]]`, `[[place]]`,
//! `[[org]]`, `[[title]]` (periodicals, books, articles).
//!
//! ```toml
//! [[person]]
//! id = "p-barta"                       # the xml:id; prefixes p- pl- o- t- by convention
//! name = "Barta"                       # the preferred form (register heading)
//! birth = "David Korner"               # name at birth
//! pseudonyms = ["A. Mathieu", "Mathieu"]
//! aliases = []                         # other names used in life (party names, covers)
//! variants = []                        # spellings and short forms ("Sedova", "Nathalie")
//! descriptive = []                     # epithets, encoded as <rs> ("the Father of the Peoples")
//! wikidata = "Q…"                      # only when certain; bare id or full URI
//! note = "Leader of the Union Communiste (Trotskyste)."
//!
//! [[person]]
//! id = "p-munis"
//! name = "Grandizo Munis"
//! variants = ["Munis", { text = "M.", after = ["comrade"] }]
//!
//! [[title]]
//! id = "t-lutte-de-classes"
//! name = "La Lutte de Classes"
//! level = "j"                          # j periodical, m book, a article, s series, u unpublished
//! variants = ["Lutte de Classes", "La Lutte"]
//! translations = [{ text = "The Class Struggle", lang = "en" }]
//! ```
//!
//! Keys of an entry: `id` and `name` (required); the name lists `variants`, `aliases`,
//! `pseudonyms`, `birth`, `abbreviations`, `translations`, `descriptive` and `names` (a
//! catch-all whose items give their own `type`); `level` (titles); `wikidata`, `viaf`, `gnd`,
//! `geonames`; `note`. A name list takes a string, a list of strings, or inline tables
//! `{ text, type, lang, cert, after }`: `lang` is the form's language, `cert` caps how sure a
//! match through this form can be (`"medium"` for an epithet that is usually, not always, this
//! entity), and `after` lists words that must precede the form for it to count
//! (`{ text = "M.", after = ["comrade"] }`). The list a form is in becomes its `@type`
//! (`variant`, `alias`, `pseudonym`, `birth`, `abbreviation`, `translation`, `descriptive`);
//! the `name` is `preferred`.
//!
//! Authority ids may be given bare (`Q33391`, `2988507`) or as any usual URI form; they are
//! stored as the canonical URI ENCODING.md uses (`https://www.wikidata.org/entity/Q33391`,
//! `https://viaf.org/viaf/N`, `https://d-nb.info/gnd/N`, `https://www.geonames.org/N`). A value
//! of the wrong shape is reported and dropped.
//!
//! Problems are located diagnostics (`REG…` codes, see [`codes`]): TOML syntax, duplicate ids,
//! missing names, unknown keys (with the closest known key), wrong types, bad authority ids,
//! bad `level`/`cert` values, and — as information — name forms shared by several entities.
//!
//! `name` itself may be such a table when the preferred form needs a condition
//! (`name = { text = "Tours", after = ["of", "at", "in"] }`).
//!
//! # The tagger's rules
//!
//! See [`Tagger`].
//!
//! # Using it from a converter
//!
//! ```ignore
//! let (reg, diags) = Registry::from_toml(&text, file);      // or from_tei(&doc, file)
//! let tagger = reg.tagger();                                 // build once, reuse
//! for m in tagger.find(&whole_text) {                        // or find_in_segments(&paras)
//!     let e = &reg.entities[m.entity];
//!     let element = reg.element_for(&m);                     // persName … or rs
//!     // write <element ref="#{e.id}">…</element>; rs gets type="{e.kind.rs_type()}";
//!     // if m.cert < Cert::High: cert="{m.cert.as_str()}" resp="#r-conv"
//! }
//! ```
//!
//! Search the whole document at once (or its pieces with [`Tagger::find_in_segments`]):
//! ambiguous forms are resolved from the other mentions in the same text. For frequent
//! unregistered names, [`provisional`] returns a copy of the registry with them added as
//! low-certainty entries. [`suggest`] is what `teikit entities suggest` prints.

pub mod codes;
mod suggest;
mod tagger;
mod tei;
mod toml_format;

pub use suggest::{Cue, SuggestOptions, Suggestion, provisional, suggest, suggestions_to_toml};
pub use tagger::{FindContext, Tagger};

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::{Diagnostic, FileId, Label};

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

impl EntityKind {
    /// All kinds, in register order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Org,
        EntityKind::Title,
    ];

    /// The TOML table name (`person`, `place`, `org`, `title`).
    pub fn key(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
            EntityKind::Title => "title",
        }
    }

    /// The TEI element for a mention (`persName`, `placeName`, `orgName`, `title`).
    pub fn name_element(self) -> &'static str {
        match self {
            EntityKind::Person => "persName",
            EntityKind::Place => "placeName",
            EntityKind::Org => "orgName",
            EntityKind::Title => "title",
        }
    }

    /// The `@type` of an `rs` for a descriptive reference (`person`, `place`, `org`, `title`).
    pub fn rs_type(self) -> &'static str {
        self.key()
    }

    /// The usual id prefix (`p-`, `pl-`, `o-`, `t-`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            EntityKind::Person => "p-",
            EntityKind::Place => "pl-",
            EntityKind::Org => "o-",
            EntityKind::Title => "t-",
        }
    }
}

/// One name of an entity.
///
/// Build one with [`Name::new`] / [`Name::typed`] (struct literals need `..Name::new("")`
/// because fields may be added).
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
    /// The highest certainty a match through this form can have (`None` = no cap). Weak
    /// forms — epithets, bare first names — carry `Some(Cert::Medium)` or `Some(Cert::Low)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<Cert>,
    /// Words one of which must directly precede the form for it to match (`comrade` before
    /// `M.`), compared case-insensitively. Empty = no condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

impl Name {
    /// A name form without type.
    pub fn new(text: impl Into<String>) -> Self {
        Name {
            text: text.into(),
            kind: None,
            lang: None,
            cert: None,
            after: Vec::new(),
        }
    }

    /// A name form with a `@type` (`preferred`, `alias`, …).
    pub fn typed(text: impl Into<String>, kind: &str) -> Self {
        Name {
            kind: Some(kind.to_string()),
            ..Name::new(text)
        }
    }

    /// Whether a mention through this form is a descriptive reference, encoded as `rs`.
    pub fn is_descriptive(&self) -> bool {
        self.kind.as_deref() == Some("descriptive")
    }
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
    /// An entity with one (preferred) name and nothing else.
    pub fn new(id: impl Into<String>, kind: EntityKind, name: impl Into<String>) -> Self {
        Entity {
            id: id.into(),
            kind,
            names: vec![Name::typed(name, "preferred")],
            idnos: Vec::new(),
            level: None,
            note: None,
        }
    }

    /// The preferred name.
    pub fn preferred(&self) -> &str {
        self.names
            .first()
            .map(|n| n.text.as_str())
            .unwrap_or(&self.id)
    }
}

/// How sure the tagger is of a match (`@cert`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Cert {
    /// A guess.
    Low,
    /// Probable.
    Medium,
    /// Certain (no `@cert` is written).
    High,
}

impl Cert {
    /// The `@cert` value (`low`, `medium`, `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Cert::Low => "low",
            Cert::Medium => "medium",
            Cert::High => "high",
        }
    }
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

    /// The index of the entity with this `xml:id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entities.iter().position(|e| e.id == id)
    }

    /// Loads a registry from its TOML form (see the module documentation). Problems
    /// (duplicate ids, empty names …) are diagnostics pointing into `file`; the entries that
    /// could be read are kept.
    pub fn from_toml(text: &str, file: FileId) -> (Registry, Vec<Diagnostic>) {
        let (entities, spans, mut diags) = toml_format::load(text, file);
        let reg = Registry { entities };
        diags.extend(ambiguity_notes(&reg, &spans, file));
        sort_by_location(&mut diags);
        (reg, diags)
    }

    /// Loads a registry from a TEI register (`listPerson`, `listPlace`, `listOrg`, `listBibl`
    /// anywhere in the document, as ediarum and most correspondence editions keep them).
    ///
    /// Ids come from `xml:id`; names from the `persName`/`placeName`/`orgName`/`title`
    /// children (also `settlement`, `country`, `region`, `geogName` for places, and `name`),
    /// with their `@type` and `@xml:lang`; `forename`/`surname`/`nameLink`/`roleName`/`addName`
    /// parts are joined in reading order ("Paul Tillich" from
    /// `<surname>Tillich</surname>, <forename>Paul</forename>`); `idno` with `@type` becomes an
    /// authority id (a bare number is expanded to the authority's URI); the first `note` is
    /// the note. Names typed `reg`/`preferred`/`main`/`full` come first.
    pub fn from_tei(doc: &crate::xml::Document, file: FileId) -> (Registry, Vec<Diagnostic>) {
        let (entities, spans, mut diags) = tei::load(doc, file);
        let reg = Registry { entities };
        diags.extend(ambiguity_notes(&reg, &spans, file));
        sort_by_location(&mut diags);
        (reg, diags)
    }

    /// Builds the tagger for this registry's names.
    pub fn tagger(&self) -> Tagger {
        Tagger::new(self)
    }

    /// Appends the entities of `other` whose ids are not taken yet; returns the ids that were
    /// skipped because this registry already has them.
    pub fn merge(&mut self, other: Registry) -> Vec<String> {
        let mut seen: std::collections::HashSet<String> =
            self.entities.iter().map(|e| e.id.clone()).collect();
        let mut skipped = Vec::new();
        for e in other.entities {
            if seen.insert(e.id.clone()) {
                self.entities.push(e);
            } else {
                skipped.push(e.id);
            }
        }
        skipped
    }

    /// The TEI element a mention is written as: `rs` for a descriptive reference, else the
    /// kind's name element (`persName`, `placeName`, `orgName`, `title`).
    pub fn element_for(&self, m: &Mention) -> &'static str {
        let Some(e) = self.entities.get(m.entity) else {
            return "rs";
        };
        if e.names.get(m.name).is_some_and(Name::is_descriptive) {
            "rs"
        } else {
            e.kind.name_element()
        }
    }

    /// Counts of entities per kind, and how many of them have at least one authority id.
    pub fn stats(&self) -> RegistryStats {
        let mut s = RegistryStats::default();
        for e in &self.entities {
            let i = EntityKind::ALL
                .iter()
                .position(|k| *k == e.kind)
                .unwrap_or(0);
            s.per_kind[i] += 1;
            if !e.idnos.is_empty() {
                s.with_authority[i] += 1;
            }
            s.names += e.names.len();
        }
        s
    }
}

/// Summary counts of a registry ([`Registry::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegistryStats {
    /// Entities per kind, in [`EntityKind::ALL`] order.
    pub per_kind: [usize; 4],
    /// Entities with at least one authority id, per kind.
    pub with_authority: [usize; 4],
    /// Name forms in all.
    pub names: usize,
}

/// Orders diagnostics by where they point (unlocated ones first), keeping the order of
/// diagnostics at the same place.
fn sort_by_location(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.primary.as_ref().map(|l| (l.span.start, l.span.end)));
}

/// Where each entity's names were written, for diagnostics (parallel to `entities`).
pub(crate) type NameSpans = Vec<Vec<Range<usize>>>;

/// One note per name form claimed by several entities.
fn ambiguity_notes(reg: &Registry, spans: &NameSpans, file: FileId) -> Vec<Diagnostic> {
    let mut claims: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (ei, e) in reg.entities.iter().enumerate() {
        for (ni, n) in e.names.iter().enumerate() {
            let key = tagger::normalize_form(&n.text);
            if key.is_empty() {
                continue;
            }
            let v = claims.entry(key.clone()).or_default();
            if v.is_empty() {
                order.push(key);
            }
            if !v.iter().any(|(e2, _)| *e2 == ei) {
                v.push((ei, ni));
            }
        }
    }
    let mut out = Vec::new();
    for key in order {
        let v = &claims[&key];
        if v.len() < 2 {
            continue;
        }
        let ids: Vec<&str> = v
            .iter()
            .map(|(e, _)| reg.entities[*e].id.as_str())
            .collect();
        let span_of = |(e, n): (usize, usize)| spans.get(e).and_then(|s| s.get(n)).cloned();
        let (e0, n0) = v[v.len() - 1];
        let mut d = Diagnostic::new(
            &codes::AMBIGUOUS_NAME,
            format!(
                "the name \"{}\" belongs to {} entities: {}",
                reg.entities[e0].names[n0].text,
                v.len(),
                ids.join(", ")
            ),
        )
        .with_help(
            "the tagger picks the entity whose unambiguous mention is nearest and marks the match cert=\"medium\" or \"low\"; remove the form from one entity if it never means that one",
        );
        if let Some(s) = span_of((e0, n0)) {
            d = d.at(file, s);
        }
        for &(e, n) in &v[..v.len() - 1] {
            if let Some(s) = span_of((e, n)) {
                d = d.also(
                    Label::new(file, s)
                        .with_message(format!("also a name of {}", reg.entities[e].id)),
                );
            }
        }
        out.push(d);
    }
    out
}

/// Whether `id` can be an `xml:id` (an XML NCName; ASCII-strict for letters outside Latin).
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A name in the normalised form the tagger compares (one space between words, straight
/// apostrophes, no accents, no soft hyphens): two forms with the same normalisation are the
/// same form.
pub fn normalize_name(s: &str) -> String {
    tagger::normalize_form(s)
}

/// An id for a new entry: the kind's prefix and the name in lower-case ASCII words
/// (`p-jacques-ramboz`, `pl-issy-les-moulineaux`). Accents are dropped; letters and digits
/// of other scripts are kept when every XML edition allows them in a name (XSD's `\c`, which
/// TEI's pointer pattern uses); anything else (`¼`, `²`, symbols) separates words.
pub fn slug_id(kind: EntityKind, name: &str) -> String {
    let folded = tagger::normalize_form(name).to_lowercase();
    let mut s = String::from(kind.id_prefix());
    let mut dash = true;
    for c in folded.chars() {
        if c.is_alphanumeric() && crate::xsd::names::is_ncname_char(c) {
            s.push(c);
            dash = false;
        } else if !dash {
            s.push('-');
            dash = true;
        }
    }
    while s.ends_with('-') && s.len() > kind.id_prefix().len() {
        s.pop();
    }
    if s.len() == kind.id_prefix().len() {
        s.push('x');
    }
    s
}

/// Canonical authority URI for `(kind, value)`: a bare id or any usual URI form of Wikidata,
/// VIAF, GND or GeoNames. `None` if the value does not have the authority's shape. Unknown
/// authority kinds keep their value if it looks like an absolute URI.
pub fn canonical_authority(kind: &str, value: &str) -> Option<(String, String)> {
    use std::sync::OnceLock;
    static RES: OnceLock<[regex::Regex; 4]> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            regex::Regex::new(
                r"^(?:(?:https?://)?(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)/?$",
            )
            .unwrap(),
            regex::Regex::new(r"^(?:(?:https?://)?(?:www\.)?viaf\.org/viaf/)?([1-9][0-9]*)/?$")
                .unwrap(),
            regex::Regex::new(
                r"^(?:(?:https?://)?d-nb\.info/gnd/)?([0-9]{1,10}[0-9X](?:-[0-9X])?)/?$",
            )
            .unwrap(),
            regex::Regex::new(
                r"^(?:(?:https?://)?(?:www\.|sws\.)?geonames\.org/)?([1-9][0-9]*)(?:/[^\s]*)?$",
            )
            .unwrap(),
        ]
    });
    let v = value.trim();
    let k = kind.to_ascii_lowercase();
    let (i, label, base) = match k.as_str() {
        "wikidata" => (0, "wikidata", "https://www.wikidata.org/entity/"),
        "viaf" => (1, "VIAF", "https://viaf.org/viaf/"),
        "gnd" => (2, "GND", "https://d-nb.info/gnd/"),
        "geonames" => (3, "geonames", "https://www.geonames.org/"),
        _ => {
            let ok = v.contains("://") && !v.contains(char::is_whitespace);
            return ok.then(|| (kind.to_string(), v.to_string()));
        }
    };
    let c = res[i].captures(v)?;
    Some((label.to_string(), format!("{base}{}", &c[1])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_forms() {
        let w = |v| canonical_authority("wikidata", v).map(|x| x.1);
        assert_eq!(
            w("Q33391").as_deref(),
            Some("https://www.wikidata.org/entity/Q33391")
        );
        assert_eq!(
            w("http://www.wikidata.org/wiki/Q855").as_deref(),
            Some("https://www.wikidata.org/entity/Q855")
        );
        assert_eq!(w("33391"), None);
        assert_eq!(w("Q0"), None);
        let g = |v| canonical_authority("geonames", v).map(|x| x.1);
        assert_eq!(
            g("https://www.geonames.org/2988507/paris.html").as_deref(),
            Some("https://www.geonames.org/2988507")
        );
        assert_eq!(
            g("http://sws.geonames.org/2988507/").as_deref(),
            Some("https://www.geonames.org/2988507")
        );
        let gnd = |v| canonical_authority("GND", v).map(|x| x.1);
        assert_eq!(
            gnd("4021477-1").as_deref(),
            Some("https://d-nb.info/gnd/4021477-1")
        );
        assert_eq!(
            gnd("10004847X").as_deref(),
            Some("https://d-nb.info/gnd/10004847X")
        );
        assert_eq!(gnd("abc"), None);
        assert_eq!(
            canonical_authority("VIAF", "https://viaf.org/viaf/123/").map(|x| x.1),
            Some("https://viaf.org/viaf/123".into())
        );
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("p-trotsky"));
        assert!(is_valid_id("_x.1"));
        assert!(!is_valid_id("1p"));
        assert!(!is_valid_id("p trotsky"));
        assert!(!is_valid_id(""));
    }
}
