//! The edition model: what a transcription says, as plain data.
//!
//! [`crate::transcription`] parses a plain-text transcription into an [`Edition`];
//! [`crate::tei`] writes an [`Edition`] as TEI P5. Between the two, the model is the contract:
//! it holds every word of the source that is not boilerplate, in order, together with the
//! editorial readings the converter made (lacunae, supplied text, notes, names, dates,
//! letters, languages) and the header metadata. It knows nothing about XML syntax, plain-text
//! conventions or validation.
//!
//! Invariants (checked by tests, relied on by the writer):
//! * Nesting is shallow by construction: a [`Note`] holds inlines that hold no notes; a
//!   [`Name`] holds only text and [`Inline::Ex`]; [`Inline::Supplied`] holds no notes or
//!   supplied text; an [`Inline::Address`] holds no notes and no address. Walking the model recursively is therefore bounded, whatever the input.
//! * Every `ref_id` points to an entity of [`Edition::register`]; the register holds exactly
//!   the entities something refers to. Names the registry does not know have provisional
//!   entries ([`Edition::made`]), so every name in the text and in `correspDesc` has one.
//! * Generated ids (`L01`, `L06-p1-fr`) are unique within the edition.

use serde::{Deserialize, Serialize};

use crate::registry::Entity;

/// How sure a machine guess is (`@cert`). Absent means certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cert {
    /// A guess.
    Low,
    /// Probable.
    Medium,
}

impl Cert {
    /// The `@cert` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Cert::Low => "low",
            Cert::Medium => "medium",
        }
    }
}

/// One converted transcription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Edition {
    /// Main language (`TEI/@xml:lang`), an ISO 639-1 code such as `en`.
    pub lang: String,
    /// The `xml:id` of the `TEI` element, if the sidecar gives one.
    pub id: Option<String>,
    /// Header metadata.
    pub header: Header,
    /// The text, in source order.
    pub body: Vec<Block>,
    /// One entry per letter (`profileDesc/correspDesc`).
    pub correspondence: Vec<CorrespDesc>,
    /// Languages used (`langUsage`), main language first.
    pub languages: Vec<Language>,
    /// Translation pairs: ids of the two blocks (original first).
    pub translations: Vec<(String, String)>,
    /// The entities the edition refers to, in registry order (entries the converter made
    /// itself come last).
    pub register: Vec<Entity>,
    /// The register entries the converter made itself, with the reason (ENCODING A9: the
    /// writer marks them `@resp="#r-conv"`).
    pub made: Vec<MadeEntry>,
}

/// A register entry the converter made itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadeEntry {
    /// The entry's `xml:id` (an entity of [`Edition::register`]).
    pub id: String,
    /// Why it was made.
    pub why: MadeWhy,
}

/// Why the converter made a register entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum MadeWhy {
    /// A provisional entry for a name the registry does not know: a correspondent, a place
    /// of writing, a signature, or (on request) a frequent name of the running text. The
    /// entity's `note` says where it was found; its mentions carry `@cert="low"`.
    Provisional,
    /// Stands for a correspondent the source does not name (a letter without head,
    /// signature or salutation naming one): the house encoding wants every `correspAction`
    /// to name its person or organisation.
    Unnamed,
    /// The editorial body of a periodical that a letter names as its sender or addressee
    /// (`orgName` in the letter head and in `correspDesc`; the periodical itself stays a
    /// `title`, and the entry's note points to it).
    EditorialBody {
        /// The register id of the periodical (a title entry of the register).
        title: String,
    },
}

/// A language of the edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639-1 (or 639-3 when there is no two-letter code).
    pub ident: String,
    /// English name.
    pub name: String,
}

/// Header metadata in three layers of responsibility: the original author(s), the source
/// edition's people (transcriber, translator, marker-up), and this conversion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Main title.
    pub title: String,
    /// Subtitle, if any.
    pub subtitle: Option<String>,
    /// Authors of the original text.
    pub authors: Vec<Agent>,
    /// Responsibilities of the source edition (transcription, translation, mark-up …).
    pub resp: Vec<Resp>,
    /// The printed witness the source cites ("From Fourth International, No. 7 …").
    pub print: Option<PrintSource>,
    /// The web page the transcription was copied from.
    pub digital: Option<DigitalSource>,
    /// When the text was written ("Written: 1946 through 1949").
    pub written: Option<DateValue>,
    /// Whether the source declares a damaged copy (lacunae are then `reason="damage"`).
    pub damaged: bool,
    /// The source's own statement about its condition, verbatim.
    pub condition: Option<String>,
    /// Publication statement of this file (from the sidecar).
    pub publication: Publication,
    /// Further header statements the converter recognised but has no slot for, verbatim.
    pub notes: Vec<String>,
    /// The name of the converted file (for `revisionDesc`).
    pub source_file: String,
    /// What the converter did, for `editorialDecl`.
    pub decisions: Decisions,
}

/// Publication statement of the edition file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    /// Publisher or distributor.
    pub publisher: Option<String>,
    /// Licence text.
    pub licence: Option<String>,
    /// Licence URL.
    pub licence_url: Option<String>,
    /// Identifiers of the edition: (`@type`, value).
    pub idnos: Vec<(String, String)>,
    /// Publication date (ISO), if the sidecar gives one.
    pub date: Option<String>,
}

/// Which editorial readings the converter applied (stated in `editorialDecl`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decisions {
    /// Number of lacunae encoded as `gap`.
    pub gaps: usize,
    /// Number of `supplied` passages.
    pub supplied: usize,
    /// Number of expansions (`ex`).
    pub expansions: usize,
    /// Number of notes moved to their markers.
    pub notes_moved: usize,
    /// Number of boilerplate lines removed.
    pub boilerplate_removed: usize,
    /// Whether entity names were tagged from a registry.
    pub registry_used: bool,
    /// Number of provisional register entries made for names the registry does not know.
    pub provisional: usize,
    /// Whether frequent unregistered names of the running text were tagged too
    /// (`--provisional-names`).
    pub provisional_names: bool,
    /// Number of periodicals named as correspondents (encoded as their editorial bodies).
    pub editorial_bodies: usize,
}

/// A person or body named in the header or in correspondence metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// The name as written.
    pub name: String,
    /// Person, organisation, place, or unknown.
    pub kind: AgentKind,
    /// Register id, if the name was matched.
    pub ref_id: Option<String>,
    /// Certainty of the match or of the attribution.
    pub cert: Option<Cert>,
}

/// What an [`Agent`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentKind {
    /// `persName`.
    Person,
    /// `orgName`.
    Org,
    /// `placeName`.
    Place,
    /// A name of unknown kind (`name`).
    Unknown,
}

/// A responsibility statement of the source edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resp {
    /// `xml:id` of the `respStmt` (`r-src1` …).
    pub id: String,
    /// What they did, as the source says it ("Transcribed & marked up").
    pub role: String,
    /// Normalised role: `transcription`, `translation`, `markup`, `proofreading`, `editing`, …
    pub role_key: String,
    /// Who.
    pub names: Vec<Agent>,
    /// The source's own wording, verbatim.
    pub text: String,
}

/// The printed witness.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSource {
    /// The citation as the source gives it.
    pub citation: String,
    /// Journal or book title.
    pub journal: Option<String>,
    /// Register id of the journal, if matched.
    pub journal_ref: Option<String>,
    /// `j` (periodical) or `m` (monograph).
    pub level: String,
    /// Volume.
    pub volume: Option<String>,
    /// Issue number.
    pub issue: Option<String>,
    /// Publication date.
    pub date: Option<DateValue>,
    /// Pages: (text, from, to).
    pub pages: Option<Pages>,
}

/// A page range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pages {
    /// As printed ("25–26").
    pub text: String,
    /// First page.
    pub from: String,
    /// Last page.
    pub to: String,
}

/// The web page the transcription was copied from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigitalSource {
    /// Site or collection title.
    pub title: Option<String>,
    /// Publisher of the site.
    pub publisher: Option<String>,
    /// URL of the page.
    pub url: Option<String>,
    /// "Last updated on …".
    pub last_updated: Option<DateValue>,
    /// A forum post the text was reposted in.
    pub post: Option<ForumPost>,
    /// The page's breadcrumb trail, verbatim.
    pub breadcrumb: Option<String>,
}

/// A forum post wrapping the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumPost {
    /// The post's title.
    pub title: Option<String>,
    /// When it was posted.
    pub date: Option<DateValue>,
    /// Who posted it (user name).
    pub by: Option<String>,
    /// Register id of the poster, if the registry knows the user name.
    pub by_ref: Option<String>,
    /// The post line verbatim ("5 December 2021, 17:32, by Reiss").
    pub text: String,
}

/// A normalised date: the source text plus W3C attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    /// The date as written.
    pub text: String,
    /// `@when`.
    pub when: Option<String>,
    /// `@from`.
    pub from: Option<String>,
    /// `@to`.
    pub to: Option<String>,
    /// `@notBefore`.
    pub not_before: Option<String>,
    /// `@notAfter`.
    pub not_after: Option<String>,
    /// Certainty of the normalisation (two-digit years, inferred years).
    pub cert: Option<Cert>,
}

impl DateValue {
    /// Whether any normalised attribute is present.
    pub fn is_normalised(&self) -> bool {
        self.when.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || self.not_before.is_some()
            || self.not_after.is_some()
    }
}

/// A block-level unit of the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// A heading (`head`, with `@type="sub"` for subtitles).
    Head {
        /// `@type`.
        subtype: Option<String>,
        /// Content.
        content: Vec<Inline>,
    },
    /// An author line under the title (`byline`).
    Byline {
        /// Content.
        content: Vec<Inline>,
    },
    /// An anonymous block (`ab`), e.g. the source edition's own statement about the text
    /// ("From …", "Transcribed by …") with `@type="source"`.
    Ab {
        /// `@type`.
        subtype: Option<String>,
        /// Content.
        content: Vec<Inline>,
    },
    /// A paragraph.
    P(Para),
    /// A note whose marker was not found, kept where the source has it.
    Note(Note),
    /// A division (a letter, a section).
    Div(Div),
}

/// A paragraph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Para {
    /// `xml:id` (set for translation pairs).
    pub id: Option<String>,
    /// `xml:lang`, when it differs from the main language or is part of a pair.
    pub lang: Option<String>,
    /// Certainty of the language guess.
    pub lang_cert: Option<Cert>,
    /// `@corresp`: the other side of a translation pair.
    pub corresp: Option<String>,
    /// Content.
    pub content: Vec<Inline>,
}

/// A division.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Div {
    /// `@type`: `letter`, `section`, ….
    pub kind: String,
    /// `xml:id`.
    pub id: Option<String>,
    /// Headings.
    pub head: Vec<Vec<Inline>>,
    /// Letter opener: datelines, salutations.
    pub opener: Vec<LetterPart>,
    /// The division's content.
    pub blocks: Vec<Block>,
    /// Letter closer: salutation, signature, dateline.
    pub closer: Vec<LetterPart>,
    /// Postscripts (P.S., addresses, anything after the signature).
    pub postscripts: Vec<Postscript>,
    /// Notes whose markers were not found, kept after the division's content.
    pub trailing: Vec<Block>,
}

/// A part of a letter's opener or closer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "content", rename_all = "lowercase")]
pub enum LetterPart {
    /// `dateline` (holds `placeName` and `date` inlines).
    Dateline(Vec<Inline>),
    /// `salute`.
    Salute(Vec<Inline>),
    /// `signed`.
    Signed(Vec<Inline>),
}

/// A postscript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Postscript {
    /// The label as written ("P.S.:", "PS.1.", "Address :"); empty if none.
    pub label: Vec<Inline>,
    /// Paragraphs.
    pub paras: Vec<Para>,
}

/// Phrase-level content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// A line break inside a block (`lb`).
    Lb,
    /// A lacuna (`gap`).
    Gap {
        /// `@reason`: `damage` or `editorial`.
        reason: String,
    },
    /// Text supplied by an editor (`supplied`).
    Supplied {
        /// `@reason`: `damage`, `clarification`, `omitted-in-original`.
        reason: String,
        /// `@evidence`.
        evidence: Option<String>,
        /// Content.
        content: Vec<Inline>,
    },
    /// An editorial expansion inside a word (`ex`).
    Ex {
        /// The expansion.
        text: String,
    },
    /// A note at its marker.
    Note(Note),
    /// A note marker whose note was not found (`ref type="noteref"`).
    NoteRef {
        /// The marker label (`12`).
        n: String,
        /// The marker as printed (`[12]`).
        text: String,
    },
    /// A name of a registered entity.
    Name(Name),
    /// An address block after a signature (`address`, one `addrLine` per line): each
    /// line's inlines (text, names, dates; no notes).
    Address {
        /// The lines.
        lines: Vec<Vec<Inline>>,
    },
    /// A date.
    Date {
        /// Normalised value (its `text` is the date as written).
        value: DateValue,
        /// Content (the date as written).
        content: Vec<Inline>,
    },
}

impl Inline {
    /// A text inline.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }
}

/// A note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The marker verbatim (`1`, `*`, `**`, `1*`).
    pub n: String,
    /// `authorial`, `editorial`, `translator`, when the text says so.
    pub kind: Option<String>,
    /// Content.
    pub content: Vec<Inline>,
}

/// What a [`Name`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// `persName`.
    Person,
    /// `placeName`.
    Place,
    /// `orgName`.
    Org,
    /// `title` (with `@level`).
    Title,
}

/// A mention of a registered entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Name {
    /// Element to use.
    pub kind: NameKind,
    /// Whether this is a descriptive reference (`rs`).
    pub descriptive: bool,
    /// Register id. The converter always sets it (a name the registry does not know gets a
    /// provisional entry); the writer leaves `@ref` out when it is `None`.
    pub ref_id: Option<String>,
    /// `@type` for aliases and pseudonyms.
    pub subtype: Option<String>,
    /// `@level` of titles.
    pub level: Option<String>,
    /// Certainty of the match (`@cert` + `@resp="#r-conv"`).
    pub cert: Option<Cert>,
    /// Content: text and [`Inline::Ex`] only.
    pub content: Vec<Inline>,
}

/// Correspondence metadata of one letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrespDesc {
    /// The letter's `xml:id`.
    pub letter: String,
    /// Sender(s), place and date of sending.
    pub sent: CorrespAction,
    /// Addressee(s).
    pub received: CorrespAction,
    /// Letters this one answers and letters that answer it (`correspContext`).
    pub context: Vec<CorrespLink>,
}

/// A link from a letter to another of the same correspondence (`correspContext/ref`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrespLink {
    /// `prev` (the letter this one answers) or `next` (a letter that answers this one).
    pub kind: String,
    /// The other letter's `xml:id`.
    pub letter: String,
    /// What the link says ("Reply to the letter of 16th December 1946").
    pub text: String,
}

/// A `correspAction`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorrespAction {
    /// Persons or organisations.
    pub agents: Vec<Agent>,
    /// Place.
    pub place: Option<Agent>,
    /// Date.
    pub date: Option<DateValue>,
}

/// Appends the reading text of inlines to `out` (notes left out unless `notes`).
///
/// The reading text is what a reader sees: text, supplied text and expansions as words,
/// lacunae as `[…]`, line breaks as newlines.
pub fn inline_text(inlines: &[Inline], notes: bool, out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } | Inline::Ex { text } => out.push_str(text),
            Inline::Lb => out.push('\n'),
            Inline::Gap { .. } => out.push_str("[…]"),
            Inline::Supplied { content, .. } => {
                out.push('[');
                inline_text(content, notes, out);
                out.push(']');
            }
            Inline::Note(n) => {
                if notes {
                    out.push_str(" [");
                    out.push_str(&n.n);
                    out.push_str(": ");
                    inline_text(&n.content, false, out);
                    out.push(']');
                }
            }
            Inline::NoteRef { text, .. } => out.push_str(text),
            Inline::Name(n) => inline_text(&n.content, notes, out),
            Inline::Address { lines } => {
                for (i, l) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    inline_text(l, notes, out);
                }
            }
            Inline::Date { content, .. } => inline_text(content, notes, out),
        }
    }
}

/// One step of a document-order walk over the text.
enum Step<'a> {
    Block(&'a Block),
    Inlines(&'a [Inline]),
}

impl Edition {
    /// Visits every run of inlines of the text in document order (headings, opener and
    /// closer parts, paragraphs, postscript labels and paragraphs, notes kept as blocks).
    /// Iterative, so any nesting depth is safe.
    pub fn for_each_inlines(&self, mut f: impl FnMut(&[Inline])) {
        let mut stack: Vec<Step<'_>> = self.body.iter().rev().map(Step::Block).collect();
        while let Some(step) = stack.pop() {
            let b = match step {
                Step::Inlines(i) => {
                    f(i);
                    continue;
                }
                Step::Block(b) => b,
            };
            match b {
                Block::Head { content, .. }
                | Block::Byline { content }
                | Block::Ab { content, .. } => f(content),
                Block::P(p) => f(&p.content),
                Block::Note(n) => f(&n.content),
                Block::Div(d) => {
                    // Push in reverse document order.
                    for t in d.trailing.iter().rev() {
                        stack.push(Step::Block(t));
                    }
                    for ps in d.postscripts.iter().rev() {
                        for p in ps.paras.iter().rev() {
                            stack.push(Step::Inlines(&p.content));
                        }
                        if !ps.label.is_empty() {
                            stack.push(Step::Inlines(&ps.label));
                        }
                    }
                    for part in d.closer.iter().rev() {
                        stack.push(Step::Inlines(part.content()));
                    }
                    for b in d.blocks.iter().rev() {
                        stack.push(Step::Block(b));
                    }
                    for part in d.opener.iter().rev() {
                        stack.push(Step::Inlines(part.content()));
                    }
                    for h in d.head.iter().rev() {
                        stack.push(Step::Inlines(h));
                    }
                }
            }
        }
    }

    /// The reading text of the body: blocks separated by blank lines; notes left out
    /// unless `notes`.
    pub fn reading_text(&self, notes: bool) -> String {
        let mut out = String::new();
        self.for_each_inlines(|inl| {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            inline_text(inl, notes, &mut out);
        });
        out
    }
}

impl LetterPart {
    /// The part's inlines.
    pub fn content(&self) -> &[Inline] {
        match self {
            LetterPart::Dateline(c) | LetterPart::Salute(c) | LetterPart::Signed(c) => c,
        }
    }
}
