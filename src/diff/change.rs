//! The change list: plain, serialisable data in editorial classes. Renderers read it; the
//! engine never formats output.

use std::ops::Range;

use serde::Serialize;

/// The editorial class of a change. The serialised name (`snake_case`) is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Words added to a running text.
    WordsInserted,
    /// Words removed from a running text.
    WordsDeleted,
    /// Words replaced by other words.
    WordsReplaced,
    /// A lacuna (`gap`) replaced by text, plain or `supplied`.
    LacunaFilled,
    /// Text replaced by a lacuna (`gap`), or a `gap` added.
    LacunaIntroduced,
    /// Existing words tagged as a name (`persName`, `placeName`, `orgName`, `rs`, `name` …).
    NameTagged,
    /// A name's tagging removed, its words kept.
    NameUntagged,
    /// A name pointed at another entity (`@ref` or `@key` changed).
    NameReidentified,
    /// A `note` added.
    NoteAdded,
    /// A `note` removed.
    NoteRemoved,
    /// A `note`'s content or attributes changed (its inner changes are listed in `inner`).
    NoteChanged,
    /// Attributes of an element changed (added, removed or given another value).
    AttributeChanged,
    /// An element added (a block, or inline markup around existing words, or an empty
    /// element such as `pb`).
    ElementInserted,
    /// An element removed.
    ElementRemoved,
    /// An element given another name, its content kept.
    ElementRenamed,
    /// A block deleted in one place and inserted in another, identical or edited (the edits
    /// are listed in `inner`).
    BlockMoved,
    /// Something in `teiHeader` changed; `field` names what (title, date, respStmt, licence …).
    HeaderChanged,
    /// A letter (`div[@type='letter']`) added, with its `correspDesc` if it has one.
    LetterAdded,
    /// A letter removed.
    LetterRemoved,
    /// A translation pair changed: the text or attributes of one of its blocks, or its link.
    TranslationChanged,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 20] = [
        Class::WordsInserted,
        Class::WordsDeleted,
        Class::WordsReplaced,
        Class::LacunaFilled,
        Class::LacunaIntroduced,
        Class::NameTagged,
        Class::NameUntagged,
        Class::NameReidentified,
        Class::NoteAdded,
        Class::NoteRemoved,
        Class::NoteChanged,
        Class::AttributeChanged,
        Class::ElementInserted,
        Class::ElementRemoved,
        Class::ElementRenamed,
        Class::BlockMoved,
        Class::HeaderChanged,
        Class::LetterAdded,
        Class::LetterRemoved,
        Class::TranslationChanged,
    ];

    /// The stable identifier (`words_replaced`).
    pub fn id(self) -> &'static str {
        match self {
            Class::WordsInserted => "words_inserted",
            Class::WordsDeleted => "words_deleted",
            Class::WordsReplaced => "words_replaced",
            Class::LacunaFilled => "lacuna_filled",
            Class::LacunaIntroduced => "lacuna_introduced",
            Class::NameTagged => "name_tagged",
            Class::NameUntagged => "name_untagged",
            Class::NameReidentified => "name_reidentified",
            Class::NoteAdded => "note_added",
            Class::NoteRemoved => "note_removed",
            Class::NoteChanged => "note_changed",
            Class::AttributeChanged => "attribute_changed",
            Class::ElementInserted => "element_inserted",
            Class::ElementRemoved => "element_removed",
            Class::ElementRenamed => "element_renamed",
            Class::BlockMoved => "block_moved",
            Class::HeaderChanged => "header_changed",
            Class::LetterAdded => "letter_added",
            Class::LetterRemoved => "letter_removed",
            Class::TranslationChanged => "translation_changed",
        }
    }

    /// Words for people ("words replaced").
    pub fn label(self) -> &'static str {
        match self {
            Class::WordsInserted => "words inserted",
            Class::WordsDeleted => "words deleted",
            Class::WordsReplaced => "words replaced",
            Class::LacunaFilled => "lacuna filled",
            Class::LacunaIntroduced => "lacuna introduced",
            Class::NameTagged => "name tagged",
            Class::NameUntagged => "name untagged",
            Class::NameReidentified => "name re-identified",
            Class::NoteAdded => "note added",
            Class::NoteRemoved => "note removed",
            Class::NoteChanged => "note changed",
            Class::AttributeChanged => "attribute changed",
            Class::ElementInserted => "element inserted",
            Class::ElementRemoved => "element removed",
            Class::ElementRenamed => "element renamed",
            Class::BlockMoved => "block moved",
            Class::HeaderChanged => "header changed",
            Class::LetterAdded => "letter added",
            Class::LetterRemoved => "letter removed",
            Class::TranslationChanged => "translation changed",
        }
    }

    /// Parses an identifier (`words_replaced`, `words-replaced`) or a group name, returning
    /// every class it stands for. Groups: `words`, `lacuna`, `names`, `notes`, `attributes`,
    /// `elements`, `moves`, `header`, `letters`, `translation`.
    pub fn parse_many(s: &str) -> Option<Vec<Class>> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        if let Some(c) = Class::ALL.iter().find(|c| c.id() == s) {
            return Some(vec![*c]);
        }
        use Class::*;
        Some(match s.as_str() {
            "words" => vec![WordsInserted, WordsDeleted, WordsReplaced],
            "lacuna" | "lacunae" => vec![LacunaFilled, LacunaIntroduced],
            "names" | "name" => vec![NameTagged, NameUntagged, NameReidentified],
            "notes" | "note" => vec![NoteAdded, NoteRemoved, NoteChanged],
            "attributes" | "attribute" => vec![AttributeChanged],
            "elements" | "element" => vec![ElementInserted, ElementRemoved, ElementRenamed],
            "moves" | "move" => vec![BlockMoved],
            "header" => vec![HeaderChanged],
            "letters" | "letter" => vec![LetterAdded, LetterRemoved],
            "translation" | "translations" => vec![TranslationChanged],
            _ => return None,
        })
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Where a change is on one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// XPath-like path of the element (`/TEI/text/body/div[2]/p[3]`, or from the nearest
    /// `xml:id`: `//div[@xml:id='L01']/p[3]`).
    pub path: String,
    /// Byte range in the source text (an empty range is an insertion point).
    #[serde(serialize_with = "ser_range")]
    pub span: Range<usize>,
}

fn ser_range<S: serde::Serializer>(r: &Range<usize>, s: S) -> Result<S::Ok, S::Error> {
    [r.start, r.end].serialize(s)
}

/// One attribute that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeChange {
    /// The attribute (`ref`, `xml:id`, `{uri}local`).
    pub name: String,
    /// The old value, absent if the attribute was added.
    pub old: Option<String>,
    /// The new value, absent if the attribute was removed.
    pub new: Option<String>,
}

/// A few words around a change, from the new side (old side for deletions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// Words before the change.
    pub before: String,
    /// Words after the change.
    pub after: String,
}

/// One editorial change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The class.
    pub class: Class,
    /// One line for people, e.g. `lacuna filled: 'was another man who'`.
    pub summary: String,
    /// Where it is in the old document (absent for pure insertions of blocks).
    pub old: Option<Location>,
    /// Where it is in the new document (absent for pure removals of blocks).
    pub new: Option<Location>,
    /// The old reading (words, or a description such as `[gap]`).
    pub old_text: Option<String>,
    /// The new reading.
    pub new_text: Option<String>,
    /// Surrounding words.
    pub context: Option<Context>,
    /// The element concerned (local name), if any.
    pub element: Option<String>,
    /// For header changes: the metadata field (`title`, `date`, `respStmt`, `licence` …).
    pub field: Option<String>,
    /// Attribute differences.
    pub attributes: Vec<AttributeChange>,
    /// The division or letter it belongs to, for grouping (`letter L01`, `chapter 3`,
    /// `header`).
    pub group: Option<String>,
    /// Whether the reading text changed (false: markup only).
    pub changes_text: bool,
    /// Changes that are part of this one (edits inside a moved block or a changed note,
    /// merged parts of one header field or translation pair).
    pub inner: Vec<Change>,
}

impl Change {
    pub(crate) fn new(class: Class) -> Change {
        Change {
            class,
            summary: String::new(),
            old: None,
            new: None,
            old_text: None,
            new_text: None,
            context: None,
            element: None,
            field: None,
            attributes: Vec::new(),
            group: None,
            changes_text: false,
            inner: Vec::new(),
        }
    }

    /// This change and its inner changes, depth-first (an explicit stack).
    pub fn walk(&self) -> Vec<&Change> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            out.push(c);
            for i in c.inner.iter().rev() {
                stack.push(i);
            }
        }
        out
    }
}

/// Why and where the result is less precise than it could be (also reported as `DIF`
/// diagnostics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Degradation {
    /// The diagnostic code (`DIF001` …).
    pub code: &'static str,
    /// What happened and how the result is affected.
    pub message: String,
    /// Where, if it is one place.
    #[serde(skip)]
    pub at: Option<(Side, Range<usize>)>,
}

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The old document.
    Old,
    /// The new document.
    New,
}

/// The result of a diff.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Changes in document order (of the new side, then removals).
    pub changes: Vec<Change>,
    /// Limits hit while diffing, and how the result is degraded.
    pub degraded: Vec<Degradation>,
}

impl Report {
    /// Whether no change was found.
    pub fn is_identical(&self) -> bool {
        self.changes.is_empty()
    }

    /// Number of top-level changes per class, in [`Class::ALL`] order, zeros omitted.
    pub fn counts(&self) -> Vec<(Class, usize)> {
        Class::ALL
            .iter()
            .map(|c| (*c, self.changes.iter().filter(|x| x.class == *c).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}
