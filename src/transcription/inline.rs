//! Inline content: square brackets, note markers, dates and names.
//!
//! A byte range of the source becomes model inlines in three passes:
//!
//! 1. **Brackets.** `[...]`/`[…]` → `gap` (`damage` when the source declares a damaged
//!    copy, else `editorial`); `[1]`, `[*]`, `[**]`, `[1*]` → note markers; a bracket
//!    attached to a word (`N[atalia]`) → `ex`; `[?]`, `[sic]` and other bracketed marks stay
//!    as written; any other bracketed words → `supplied` (`omitted-in-original` in a
//!    dateline, `clarification` for a gloss after a name such as `David Korner [Barta]`,
//!    `damage` in a damaged copy, `clarification` otherwise). An unbalanced bracket is an
//!    error; a nested one a warning (kept as written).
//! 2. **Dates** in running text (see [`super::dates::find_in_text`]).
//! 3. **Names**: the registry's tagger runs over each run of text (expansions included, so
//!    `N[atalia] Sedova` is found), and matches become `persName`/`placeName`/`orgName`/
//!    `title`/`rs` around the run's pieces.
//!
//! Markers become the note whose body the caller matched to them, or `ref type="noteref"`.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Diagnostic, FileId};
use crate::model::{Cert, DateValue, Decisions, Inline, Name, NameKind, Note};
use crate::registry::{self, Entity, EntityKind, Mention, Registry};

use super::codes;
use super::dates::{self, DateCtx, DateProblem};
use super::register::Made;
use super::shapes;

/// Finds mentions of registered entities in text. [`registry::Tagger`] implements it;
/// tests may supply their own.
pub trait NameFinder: Sync {
    /// Mentions in `text`, non-overlapping, in text order.
    fn find(&self, text: &str) -> Vec<Mention>;

    /// What the whole document tells about the names in its parts.
    fn context(&self, _doc: &str) -> registry::FindContext {
        registry::FindContext::default()
    }

    /// Mentions in `text`, the part of a document at byte `at` (if it is a slice of the
    /// document) whose context is `ctx`.
    fn find_with(
        &self,
        text: &str,
        _ctx: &registry::FindContext,
        _at: Option<usize>,
    ) -> Vec<Mention> {
        self.find(text)
    }
}

impl NameFinder for registry::Tagger {
    fn find(&self, text: &str) -> Vec<Mention> {
        registry::Tagger::find(self, text)
    }

    fn context(&self, doc: &str) -> registry::FindContext {
        registry::Tagger::context(self, doc)
    }

    fn find_with(
        &self,
        text: &str,
        ctx: &registry::FindContext,
        at: Option<usize>,
    ) -> Vec<Mention> {
        registry::Tagger::find_at(self, text, ctx, at)
    }
}

/// A registry and the finder built from it.
#[derive(Clone, Copy)]
pub struct Tagging<'a> {
    /// The registry (entity data).
    pub registry: &'a Registry,
    /// Its finder.
    pub finder: &'a dyn NameFinder,
}

/// A note body matched to a marker.
#[derive(Debug, Clone)]
pub(crate) struct NoteSrc {
    /// Content range (after the marker).
    pub content: Range<usize>,
    /// `@type` from the notes heading, if any.
    pub heading_kind: Option<&'static str>,
}

/// How a range is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Running text: markers are note markers.
    Text,
    /// A note body: markers stay as written.
    Note,
    /// A dateline: bracketed words are supplied parts of the dateline.
    Dateline,
}

#[derive(Debug, Clone, PartialEq)]
enum PK {
    Text,
    Gap(&'static str),
    Marker(String),
    Ex,
    Supplied(&'static str),
    Literal,
    Lb,
    Date(DateValue),
}

#[derive(Debug, Clone, PartialEq)]
struct Piece {
    kind: PK,
    /// For `Ex` and `Supplied` the inner range; otherwise the whole range.
    range: Range<usize>,
}

static GAP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:(?:\.\s*){2,}\.?|…+|\.\.\.+)\s*$").unwrap());
static ILLEGIBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:illegible|unreadable|indecipherable|illisible|unleserlich)(?:\s+\w+){0,2}$")
        .unwrap()
});
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,3}[a-z]?\*?|\*{1,4}|†{1,3}|‡{1,2})$").unwrap());
static LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:sic!?|\?+|!+|\?!|!\?|sic\?)$").unwrap());

/// The inline builder for one conversion.
pub(crate) struct Inliner<'a> {
    /// Source text.
    pub src: &'a str,
    /// Its file id.
    pub file: FileId,
    /// Whether the source declares a damaged copy.
    pub damaged: bool,
    /// Date context.
    pub dates: DateCtx,
    /// Registry, if any.
    pub tagging: Option<Tagging<'a>>,
    /// What the whole source tells the finder (see [`NameFinder::context`]).
    pub find_ctx: registry::FindContext,
    /// Matched notes: marker start → body.
    pub notes: HashMap<usize, NoteSrc>,
    /// Registry indices of the entities mentioned.
    pub used: BTreeSet<usize>,
    /// Diagnostics.
    pub diags: Vec<Diagnostic>,
    /// Counters for `editorialDecl`.
    pub decisions: Decisions,
    /// The user's registry (without provisional entries), if any.
    pub user: Option<&'a Registry>,
    /// Register entries made for names the registry does not know.
    pub made: Made,
    /// Where names are being read, for the note of a provisional entry ("in the dateline of
    /// letter L02").
    pub place: String,
    /// Note markers used so far in the current division, with their counts.
    pub note_ns: HashMap<String, usize>,
    /// Datelines the structure stage parsed, by their line's range.
    pub datelines: &'a HashMap<(usize, usize), dates::Found>,
}

impl<'a> Inliner<'a> {
    /// Note markers in a range, with their positions (no diagnostics).
    pub fn markers(&self, range: Range<usize>) -> Vec<(usize, String)> {
        let mut sink = Vec::new();
        self.scan(range, Mode::Text, &mut sink)
            .into_iter()
            .filter_map(|p| match p.kind {
                PK::Marker(l) => Some((p.range.start, l)),
                _ => None,
            })
            .collect()
    }

    /// Builds the inlines of a range.
    pub fn build(&mut self, range: Range<usize>, mode: Mode, line_breaks: bool) -> Vec<Inline> {
        let mut diags = Vec::new();
        let pieces = self.scan(range, mode, &mut diags);
        self.diags.extend(diags);
        let pieces = if line_breaks {
            self.split_lines(pieces)
        } else {
            pieces
        };
        let pieces = self.split_dates(pieces);
        let out = self.assemble(&pieces);
        normalise(out)
    }

    /// Builds inlines for plain text (no brackets): dates and names only.
    fn build_plain(&mut self, range: Range<usize>) -> Vec<Inline> {
        let pieces = self.split_dates(vec![Piece {
            kind: PK::Text,
            range,
        }]);
        let out = self.assemble(&pieces);
        normalise(out)
    }

    /// Bracket pass.
    fn scan(&self, range: Range<usize>, mode: Mode, diags: &mut Vec<Diagnostic>) -> Vec<Piece> {
        let src = self.src;
        let s = &src[range.clone()];
        let base = range.start;
        let mut pieces = Vec::new();
        let mut text_from = 0;
        let mut i = 0;
        let push_text = |pieces: &mut Vec<Piece>, a: usize, b: usize| {
            if a < b {
                pieces.push(Piece {
                    kind: PK::Text,
                    range: base + a..base + b,
                });
            }
        };
        // Brackets are ASCII, so a byte search is exact in UTF-8.
        while let Some(rel) = s.as_bytes()[i..]
            .iter()
            .position(|&b| b == b'[' || b == b']')
        {
            let pos = i + rel;
            if s.as_bytes()[pos] == b']' {
                diags.push(
                    Diagnostic::error(
                        &codes::UNBALANCED_BRACKET,
                        "`]` without an opening `[` in this paragraph",
                    )
                    .at(self.file, base + pos..base + pos + 1)
                    .with_help("add the missing `[`, or remove the `]`"),
                );
                i = pos + 1;
                continue;
            }
            // Find the matching `]`, counting nesting.
            let mut depth = 0usize;
            let mut close = None;
            let mut nested = false;
            for (off, c) in s[pos..].char_indices() {
                match c {
                    '[' => {
                        depth += 1;
                        if depth > 1 {
                            nested = true;
                        }
                    }
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(pos + off);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(close) = close else {
                diags.push(
                    Diagnostic::error(
                        &codes::UNBALANCED_BRACKET,
                        "`[` is not closed in this paragraph; expected `]` before the paragraph ends",
                    )
                    .at(self.file, base + pos..base + pos + 1)
                    .with_help("close the bracket or remove it; lacunae are written `[...]`"),
                );
                i = pos + 1;
                continue;
            };
            push_text(&mut pieces, text_from, pos);
            text_from = close + 1;
            i = close + 1;
            let whole = base + pos..base + close + 1;
            let inner_r = base + pos + 1..base + close;
            if nested {
                diags.push(
                    Diagnostic::warning(
                        &codes::NESTED_BRACKET,
                        "square brackets inside square brackets; kept as written",
                    )
                    .at(self.file, whole.clone()),
                );
                pieces.push(Piece {
                    kind: PK::Literal,
                    range: whole,
                });
                continue;
            }
            let inner = &src[inner_r.clone()];
            let prev = s[..pos].chars().next_back();
            let next = s[close + 1..].chars().next();
            let kind = if GAP.is_match(inner) {
                PK::Gap(if self.damaged { "damage" } else { "editorial" })
            } else if ILLEGIBLE.is_match(inner.trim()) {
                PK::Gap("illegible")
            } else if MARKER.is_match(inner) {
                if mode == Mode::Text {
                    PK::Marker(inner.to_string())
                } else {
                    PK::Literal
                }
            } else if inner.trim().is_empty()
                || LITERAL.is_match(inner.trim())
                || !inner.chars().any(char::is_alphanumeric)
            {
                PK::Literal
            } else if inner
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
                && (prev.is_some_and(char::is_alphabetic) || next.is_some_and(char::is_alphabetic))
            {
                PK::Ex
            } else if mode == Mode::Dateline {
                PK::Supplied("omitted-in-original")
            } else if is_gloss(&s[..pos], inner) {
                PK::Supplied("clarification")
            } else if self.damaged {
                PK::Supplied("damage")
            } else {
                PK::Supplied("clarification")
            };
            let range = match kind {
                PK::Ex | PK::Supplied(_) => inner_r,
                _ => whole,
            };
            pieces.push(Piece { kind, range });
        }
        push_text(&mut pieces, text_from, s.len());
        pieces
    }

    fn split_lines(&self, pieces: Vec<Piece>) -> Vec<Piece> {
        let mut out = Vec::new();
        for p in pieces {
            if p.kind != PK::Text {
                out.push(p);
                continue;
            }
            let s = &self.src[p.range.clone()];
            let mut from = 0;
            for (i, c) in s.char_indices() {
                if c == '\n' || c == '\r' {
                    if from < i {
                        out.push(Piece {
                            kind: PK::Text,
                            range: p.range.start + from..p.range.start + i,
                        });
                    }
                    if c == '\n' || !s[i + 1..].starts_with('\n') {
                        out.push(Piece {
                            kind: PK::Lb,
                            range: p.range.start + i..p.range.start + i,
                        });
                    }
                    from = i + 1;
                }
            }
            if from < s.len() {
                out.push(Piece {
                    kind: PK::Text,
                    range: p.range.start + from..p.range.end,
                });
            }
        }
        out
    }

    fn split_dates(&mut self, pieces: Vec<Piece>) -> Vec<Piece> {
        let mut out = Vec::with_capacity(pieces.len());
        for p in pieces {
            if p.kind != PK::Text {
                out.push(p);
                continue;
            }
            let s = &self.src[p.range.clone()];
            let found = dates::find_in_text(s, &self.dates);
            if found.is_empty() {
                out.push(p);
                continue;
            }
            let mut at = 0;
            for f in found {
                if f.problem == Some(DateProblem::Impossible) {
                    self.diags.push(
                        Diagnostic::warning(
                            &codes::BAD_DATE,
                            format!(
                                "“{}” is not a possible date; left unnormalised",
                                f.value.text
                            ),
                        )
                        .at(
                            self.file,
                            p.range.start + f.range.start..p.range.start + f.range.end,
                        ),
                    );
                    continue;
                }
                if f.problem.is_some() {
                    continue;
                }
                if at < f.range.start {
                    out.push(Piece {
                        kind: PK::Text,
                        range: p.range.start + at..p.range.start + f.range.start,
                    });
                }
                out.push(Piece {
                    kind: PK::Date(f.value),
                    range: p.range.start + f.range.start..p.range.start + f.range.end,
                });
                at = f.range.end;
            }
            if at < s.len() {
                out.push(Piece {
                    kind: PK::Text,
                    range: p.range.start + at..p.range.end,
                });
            }
        }
        out
    }

    fn assemble(&mut self, pieces: &[Piece]) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            match &pieces[i].kind {
                PK::Text | PK::Ex => {
                    let j = (i..pieces.len())
                        .find(|&j| !matches!(pieces[j].kind, PK::Text | PK::Ex))
                        .unwrap_or(pieces.len());
                    // A note right after the run ("our comrade Mathieu [*]" … "[*] This
                    // refers to Mathieu Bucholz") tells which of several entities a name of
                    // the run is: its text is context for the tagger.
                    let note = match pieces.get(j).map(|p| (&p.kind, p.range.start)) {
                        Some((PK::Marker(_), at)) => self.notes.get(&at).map(|n| n.content.clone()),
                        _ => None,
                    };
                    self.tag_run(&pieces[i..j], note, &mut out);
                    i = j;
                    continue;
                }
                PK::Gap(reason) => {
                    self.decisions.gaps += 1;
                    out.push(Inline::Gap {
                        reason: (*reason).to_string(),
                    })
                }
                PK::Supplied(reason) => {
                    self.decisions.supplied += 1;
                    let content = self.build_plain(pieces[i].range.clone());
                    out.push(Inline::Supplied {
                        reason: (*reason).to_string(),
                        evidence: (*reason == "omitted-in-original").then(|| "external".into()),
                        content,
                    });
                }
                PK::Marker(label) => {
                    // The space before a marker belongs to the marker syntax.
                    if let Some(Inline::Text { text }) = out.last_mut() {
                        let t = text.trim_end_matches([' ', '\t']).len();
                        text.truncate(t);
                    }
                    let start = pieces[i].range.start;
                    if let Some(ns) = self.notes.get(&start).cloned() {
                        self.decisions.notes_moved += 1;
                        let content = self.build(ns.content.clone(), Mode::Note, false);
                        let body = &self.src[ns.content.clone()];
                        let n = self.note_n(label, pieces[i].range.clone());
                        out.push(Inline::Note(Note {
                            n,
                            kind: shapes::note_kind(body)
                                .or(ns.heading_kind)
                                .map(str::to_string),
                            content,
                        }));
                    } else {
                        self.diags.push(
                            Diagnostic::warning(
                                &codes::MARKER_WITHOUT_NOTE,
                                format!("note marker [{label}] has no note body after it; kept as a reference"),
                            )
                            .at(self.file, pieces[i].range.clone())
                            .with_help(format!("add a paragraph starting `[{label}]` after the text")),
                        );
                        out.push(Inline::NoteRef {
                            n: label.clone(),
                            text: self.src[pieces[i].range.clone()].to_string(),
                        });
                    }
                }
                PK::Literal => out.push(Inline::text(&self.src[pieces[i].range.clone()])),
                PK::Lb => out.push(Inline::Lb),
                PK::Date(v) => out.push(Inline::Date {
                    value: v.clone(),
                    content: vec![Inline::text(&self.src[pieces[i].range.clone()])],
                }),
            }
            i += 1;
        }
        out
    }

    /// Tags names over a run of text and expansion pieces.
    fn tag_run(&mut self, run: &[Piece], note: Option<Range<usize>>, out: &mut Vec<Inline>) {
        let plain = |p: &Piece| match p.kind {
            PK::Ex => Inline::Ex {
                text: self.src[p.range.clone()].to_string(),
            },
            _ => Inline::text(&self.src[p.range.clone()]),
        };
        for p in run {
            if p.kind == PK::Ex {
                self.decisions.expansions += 1;
            }
        }
        let Some(t) = self.tagging else {
            out.extend(run.iter().map(plain));
            return;
        };
        // Projection: the run's reading text, with each piece's offset in it (the source
        // itself when the run is one piece of text).
        let mut owned = String::new();
        let mut offs = Vec::with_capacity(run.len());
        // Where the projection starts in the source, when it is a slice of it.
        let at = (run.len() == 1).then(|| run[0].range.start);
        let proj: &str = if run.len() == 1 {
            offs.push(0);
            &self.src[run[0].range.clone()]
        } else {
            for p in run {
                offs.push(owned.len());
                owned.push_str(&self.src[p.range.clone()]);
            }
            &owned
        };
        let mentions = match note {
            // The note's text after the run, past a separator no name spans; mentions in
            // it only serve as context.
            Some(r) => {
                let mut with = String::with_capacity(proj.len() + r.len() + 3);
                with.push_str(proj);
                with.push_str("\n\u{1}\n");
                with.push_str(&self.src[r]);
                let mut ms = t.finder.find_with(&with, &self.find_ctx, at);
                ms.retain(|m| m.range.end <= proj.len());
                ms
            }
            None => t.finder.find_with(proj, &self.find_ctx, at),
        };
        if mentions.is_empty() {
            out.extend(run.iter().map(plain));
            return;
        }
        // Atoms: (kind, projection range, source start).
        struct Atom {
            ex: bool,
            proj: Range<usize>,
            src: usize,
        }
        let mut cuts: Vec<usize> = mentions
            .iter()
            .flat_map(|m| [m.range.start, m.range.end])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut atoms: Vec<Atom> = Vec::new();
        let mut bad_cut: Vec<usize> = Vec::new();
        for (k, p) in run.iter().enumerate() {
            let a = offs[k];
            let b = a + p.range.len();
            let inner: Vec<usize> = cuts
                .iter()
                .copied()
                .filter(|&c| c > a && c < b && proj.is_char_boundary(c))
                .collect();
            if p.kind == PK::Ex {
                bad_cut.extend(inner);
                atoms.push(Atom {
                    ex: true,
                    proj: a..b,
                    src: p.range.start,
                });
                continue;
            }
            let mut from = a;
            for c in inner.into_iter().chain(std::iter::once(b)) {
                atoms.push(Atom {
                    ex: false,
                    proj: from..c,
                    src: p.range.start + (from - a),
                });
                from = c;
            }
        }
        let valid: Vec<&Mention> = mentions
            .iter()
            .filter(|m| {
                m.range.start < m.range.end
                    && m.range.end <= proj.len()
                    && !bad_cut
                        .iter()
                        .any(|&c| c == m.range.start || c == m.range.end)
                    && atoms.iter().any(|a| a.proj.start == m.range.start)
                    && atoms.iter().any(|a| a.proj.end == m.range.end)
                    && self.entity(m.entity).is_some()
            })
            .collect();
        let atom_inline = |a: &Atom| {
            let s = &self.src[a.src..a.src + a.proj.len()];
            if a.ex {
                Inline::Ex {
                    text: s.to_string(),
                }
            } else {
                Inline::text(s)
            }
        };
        let mut k = 0;
        let mut mi = 0;
        while k < atoms.len() {
            while mi < valid.len() && valid[mi].range.start < atoms[k].proj.start {
                mi += 1;
            }
            if mi < valid.len() && valid[mi].range.start == atoms[k].proj.start {
                let m = valid[mi];
                let mut content = Vec::new();
                while k < atoms.len() && atoms[k].proj.end <= m.range.end {
                    content.push(atom_inline(&atoms[k]));
                    k += 1;
                }
                out.push(Inline::Name(self.name_for(m, content)));
                mi += 1;
            } else {
                out.push(atom_inline(&atoms[k]));
                k += 1;
            }
        }
    }

    /// The model name for a mention.
    fn name_for(&mut self, m: &Mention, content: Vec<Inline>) -> Name {
        let e = self
            .entity(m.entity)
            .expect("a found entity exists")
            .clone();
        self.used.insert(m.entity);
        let nk = e.names.get(m.name).and_then(|n| n.kind.clone());
        let descriptive = nk.as_deref() == Some("descriptive");
        let subtype =
            nk.filter(|k| matches!(k.as_str(), "alias" | "pseudonym" | "nickname" | "birth"));
        Name {
            kind: match e.kind {
                EntityKind::Person => NameKind::Person,
                EntityKind::Place => NameKind::Place,
                EntityKind::Org => NameKind::Org,
                EntityKind::Title => NameKind::Title,
            },
            descriptive,
            ref_id: Some(e.id.clone()),
            subtype,
            level: (e.kind == EntityKind::Title)
                .then(|| e.level.clone().unwrap_or_else(|| "m".into())),
            cert: match m.cert {
                registry::Cert::Low => Some(Cert::Low),
                registry::Cert::Medium => Some(Cert::Medium),
                registry::Cert::High => None,
            },
            content,
        }
    }

    /// The `@n` of a note with marker `label` at `at`: the marker as printed, unless the
    /// division already has a note with it (a reused `[*]`, a second series of numbers):
    /// then the marker and its occurrence ("1 (2)"), with a warning, so that note numbers
    /// stay distinct within the division (the integrity rule RUL011).
    pub fn note_n(&mut self, label: &str, at: Range<usize>) -> String {
        let k = self.note_ns.entry(label.to_string()).or_insert(0);
        *k += 1;
        if *k == 1 {
            return label.to_string();
        }
        let n = format!("{label} ({k})");
        self.diags.push(
            Diagnostic::warning(
                &codes::REPEATED_MARKER,
                format!(
                    "a note marked [{label}] is not the first in this division; written n=\"{n}\" to keep note numbers distinct"
                ),
            )
            .at(self.file, at)
            .with_help("number the notes of a division distinctly, or put a heading before a new series"),
        );
        n
    }

    /// The entity with this global index: the registry's, or one made for this conversion.
    pub fn entity(&self, global: usize) -> Option<&Entity> {
        match self.user {
            Some(r) if global < r.entities.len() => r.entities.get(global),
            _ => self.made.get(global),
        }
    }

    /// The provisional entry for a name the registry does not know (made now if needed,
    /// noted as found where the inliner is reading): (id, global index). Counts as used.
    pub fn provisional(&mut self, kind: EntityKind, name: &str) -> (String, usize) {
        let g = self.made.provisional(kind, name, &self.place);
        self.used.insert(g);
        let id = self.entity(g).map(|e| e.id.clone()).unwrap_or_default();
        (id, g)
    }

    /// The organisation standing for the periodical with global index `title` when it acts
    /// as a correspondent (see [`super::register`]): its id. The periodical and the
    /// organisation both count as used.
    pub fn counterpart(&mut self, title: usize) -> Option<String> {
        let t = self.entity(title)?.clone();
        let g = self.made.counterpart(self.user, &t);
        self.used.insert(title);
        self.used.insert(g);
        self.entity(g).map(|e| e.id.clone())
    }

    /// In a correspondent's position (a letter head "X to Y", a "to …" line, a signature),
    /// periodicals become the organisations behind them.
    pub fn periodicals_as_bodies(&mut self, inl: &mut [Inline]) {
        for i in inl {
            match i {
                Inline::Name(n) if n.kind == NameKind::Title && !n.descriptive => {
                    let at = n.ref_id.as_deref().and_then(|id| self.global_of(id));
                    if let Some(org) = at.and_then(|g| self.counterpart(g)) {
                        n.kind = NameKind::Org;
                        n.ref_id = Some(org);
                        n.level = None;
                        n.subtype = None;
                    }
                }
                Inline::Supplied { content, .. } => self.periodicals_as_bodies(content),
                _ => {}
            }
        }
    }

    /// The global index of the registry's entity with this id (made entries are not looked
    /// up: they are never titles).
    fn global_of(&self, id: &str) -> Option<usize> {
        self.user?.position(id)
    }

    /// The registered entity a whole string names, if any (for header names and
    /// correspondents): (registry index, certainty).
    pub fn whole_match(&mut self, s: &str) -> Option<(usize, Option<Cert>)> {
        let t = self.tagging?;
        let core = s.trim().trim_end_matches(['.', ',', ';', ':']);
        let ms = t.finder.find(core);
        let m = ms.iter().find(|m| {
            m.range.start <= 1 && m.range.end + 1 >= core.len() && self.entity(m.entity).is_some()
        })?;
        self.used.insert(m.entity);
        let cert = match m.cert {
            registry::Cert::Low => Some(Cert::Low),
            registry::Cert::Medium => Some(Cert::Medium),
            registry::Cert::High => None,
        };
        Some((m.entity, cert))
    }

    /// All mentions in a string (for correspondents in a letter head): (range, registry
    /// index, certainty).
    pub fn mentions_in(&mut self, s: &str) -> Vec<(Range<usize>, usize, Option<Cert>)> {
        let Some(t) = self.tagging else {
            return Vec::new();
        };
        t.finder
            .find(s)
            .into_iter()
            .filter(|m| self.entity(m.entity).is_some())
            .map(|m| {
                let cert = match m.cert {
                    registry::Cert::Low => Some(Cert::Low),
                    registry::Cert::Medium => Some(Cert::Medium),
                    registry::Cert::High => None,
                };
                (m.range, m.entity, cert)
            })
            .collect()
    }

    /// A dateline's inlines: place (`placeName`, tagged when registered), separator, date.
    pub fn dateline(&mut self, range: Range<usize>) -> (Vec<Inline>, Option<DateValue>) {
        let s = &self.src[range.clone()];
        // The date as the structure stage found it (same context: no letter year yet).
        let cached = self
            .datelines
            .get(&(range.start, range.end))
            .filter(|_| self.dates.current_year.is_none())
            .cloned();
        let Some(f) = cached.or_else(|| super::body::is_dateline(s, &self.dates)) else {
            return (self.build(range, Mode::Text, false), None);
        };
        if f.problem.is_some() {
            self.diags.push(
                Diagnostic::warning(
                    &codes::BAD_DATE,
                    match f.problem {
                        Some(DateProblem::NoCentury) => format!(
                            "“{}”: a two-digit year, and no date range in the header to take the century from",
                            f.value.text
                        ),
                        _ => format!("“{}” is not a possible date", f.value.text),
                    },
                )
                .at(self.file, range.start + f.range.start..range.start + f.range.end)
                .with_help("give the years the text covers in the sidecar: date_range = [1946, 1949]"),
            );
        }
        let mut out = Vec::new();
        let place_end = s[..f.range.start].trim_end().len();
        let place_core_end =
            super::body::strip_date_article(s[..place_end].trim_end_matches([',', ' '])).len();
        if place_core_end > 0 {
            let inl = self.build(
                range.start..range.start + place_core_end,
                Mode::Dateline,
                false,
            );
            out.extend(self.place_names(inl));
        }
        if place_core_end < f.range.start {
            out.push(Inline::text(&s[place_core_end..f.range.start]));
        }
        let value = f.value.clone();
        if value.is_normalised() {
            out.push(Inline::Date {
                value: f.value,
                content: vec![Inline::text(&s[f.range.clone()])],
            });
        } else {
            // A date that cannot be normalised (reported above) stays text: a `date` always
            // carries its ISO value (ENCODING A8).
            out.push(Inline::text(&s[f.range.clone()]));
        }
        if f.range.end < s.len() {
            out.push(Inline::text(&s[f.range.end..]));
        }
        (normalise(out), value.is_normalised().then_some(value))
    }
}

impl Inliner<'_> {
    /// In a dateline's place part, plain text that is not already a name becomes a
    /// `placeName` (the place of writing is a place even when unregistered: it gets a
    /// provisional entry). Recurses once into `supplied` (which holds no further `supplied`).
    fn place_names(&mut self, inl: Vec<Inline>) -> Vec<Inline> {
        let mut out = Vec::new();
        for i in inl {
            match i {
                Inline::Text { text } => {
                    let v = self.place_in_text(&text);
                    out.extend(v);
                }
                Inline::Supplied {
                    reason,
                    evidence,
                    content,
                } => {
                    let content = self.place_names(content);
                    out.push(Inline::Supplied {
                        reason,
                        evidence,
                        content,
                    })
                }
                other => out.push(other),
            }
        }
        out
    }

    fn place_in_text(&mut self, text: &str) -> Vec<Inline> {
        let mut core = text.trim_end_matches([',', ' ', '.']);
        // A day of the week belongs to the date ("Paris, Sunday 3 May 1937").
        loop {
            let last = core.rsplit([' ', ',']).next().unwrap_or("");
            if last.is_empty() || !is_weekday(last) {
                break;
            }
            core = core[..core.len() - last.len()].trim_end_matches([',', ' ']);
        }
        let core_t = core.trim_start();
        if !core_t.chars().any(char::is_alphabetic) {
            return vec![Inline::text(text)];
        }
        let lead = core.len() - core_t.len();
        let mut v = Vec::new();
        if lead > 0 {
            v.push(Inline::text(&text[..lead]));
        }
        let (id, _) = self.provisional(EntityKind::Place, core_t);
        v.push(Inline::Name(Name {
            kind: NameKind::Place,
            descriptive: false,
            ref_id: Some(id),
            subtype: None,
            level: None,
            cert: Some(Cert::Low),
            content: vec![Inline::text(core_t)],
        }));
        if core.len() < text.len() {
            v.push(Inline::text(&text[core.len()..]));
        }
        v
    }
}

/// A day of the week standing before a dateline's date ("Sunday, 3 May 1937"): not a place.
fn is_weekday(s: &str) -> bool {
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ];
    let l = s.trim().trim_end_matches([',', '.']).to_lowercase();
    DAYS.contains(&l.as_str())
}

/// Whether `[inner]` after `before` is an editor's gloss on a name: the bracket follows a
/// capitalised word and holds a short capitalised name ("David Korner [Barta]").
fn is_gloss(before: &str, inner: &str) -> bool {
    let prev_word = before
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    let prev_cap = prev_word
        .trim_end_matches([',', ')', '’', '\''])
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    let words: Vec<&str> = inner.split_whitespace().collect();
    prev_cap
        && before.ends_with(char::is_whitespace)
        && !words.is_empty()
        && words.len() <= 4
        && words[0].chars().next().is_some_and(char::is_uppercase)
}

/// Merges adjacent text inlines and drops empty ones.
pub(crate) fn normalise(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(v.len());
    for i in v {
        match i {
            Inline::Text { text } if text.is_empty() => {}
            Inline::Text { text } => {
                if let Some(Inline::Text { text: prev }) = out.last_mut() {
                    prev.push_str(&text);
                } else {
                    out.push(Inline::Text { text });
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inliner(src: &str, damaged: bool) -> Inliner<'_> {
        Inliner {
            src,
            file: FileId(0),
            damaged,
            dates: DateCtx::default(),
            tagging: None,
            find_ctx: registry::FindContext::default(),
            notes: HashMap::new(),
            used: BTreeSet::new(),
            diags: Vec::new(),
            decisions: Decisions::default(),
            user: None,
            made: Made::default(),
            place: String::new(),
            note_ns: HashMap::new(),
            datelines: &NO_DATELINES,
        }
    }

    fn kinds(v: &[Inline]) -> Vec<String> {
        v.iter()
            .map(|i| match i {
                Inline::Text { text } => format!("t:{text}"),
                Inline::Gap { reason } => format!("gap:{reason}"),
                Inline::Supplied {
                    reason, content, ..
                } => {
                    let mut s = String::new();
                    crate::model::inline_text(content, false, &mut s);
                    format!("sup:{reason}:{s}")
                }
                Inline::Ex { text } => format!("ex:{text}"),
                Inline::NoteRef { n, .. } => format!("ref:{n}"),
                Inline::Date { value, .. } => {
                    format!("date:{}", value.when.clone().unwrap_or_default())
                }
                other => format!("{other:?}"),
            })
            .collect()
    }

    static NO_DATELINES: LazyLock<HashMap<(usize, usize), dates::Found>> =
        LazyLock::new(HashMap::new);

    #[test]
    fn brackets() {
        let src = "depth [...] creative [was another man who] wanted N[atalia] and [?] David Korner [Barta] here [1] end";
        let mut il = inliner(src, true);
        let v = il.build(0..src.len(), Mode::Text, false);
        assert_eq!(
            kinds(&v),
            vec![
                "t:depth ",
                "gap:damage",
                "t: creative ",
                "sup:damage:was another man who",
                "t: wanted N",
                "ex:atalia",
                "t: and [?] David Korner ",
                "sup:clarification:Barta",
                "t: here",
                "ref:1",
                "t: end"
            ]
        );
        assert_eq!(il.diags.len(), 1, "{:?}", il.diags);
        assert_eq!(il.diags[0].code.id, "CNV020");
    }

    #[test]
    fn unbalanced_and_nested() {
        let src = "an [open bracket and a close] bracket] and [a [b] c]";
        let mut il = inliner(src, false);
        il.build(0..src.len(), Mode::Text, false);
        let codes: Vec<&str> = il.diags.iter().map(|d| d.code.id).collect();
        assert_eq!(codes, vec!["CNV030", "CNV031"]);
        let src = "an [open";
        let mut il = inliner(src, false);
        il.build(0..src.len(), Mode::Text, false);
        assert_eq!(il.diags[0].code.id, "CNV030");
        assert_eq!(il.diags[0].primary.as_ref().unwrap().span, 3..4);
    }

    #[test]
    fn editorial_gap_when_not_damaged() {
        let src = "[…] The second volume [of The History] is";
        let mut il = inliner(src, false);
        let v = il.build(0..src.len(), Mode::Text, false);
        assert_eq!(kinds(&v)[0], "gap:editorial");
        assert_eq!(kinds(&v)[2], "sup:clarification:of The History");
    }

    #[test]
    fn dateline_with_supplied_place() {
        let src = "[Paris,] 4 May 1947";
        let mut il = inliner(src, false);
        let (v, d) = il.dateline(0..src.len());
        assert_eq!(d.unwrap().when.as_deref(), Some("1947-05-04"));
        match &v[0] {
            Inline::Supplied {
                reason,
                evidence,
                content,
            } => {
                assert_eq!(reason, "omitted-in-original");
                assert_eq!(evidence.as_deref(), Some("external"));
                assert!(matches!(content[0], Inline::Name(_)), "{content:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
