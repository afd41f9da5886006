//! Plain-text transcriptions → the edition model.
//!
//! [`convert`] reads a transcription as web-page copies of this kind are written (MIA/ETOL
//! pages, forum reposts, letter collections) and returns an [`Edition`] plus diagnostics.
//! The stages, each in its own module, work on byte ranges of the source so every
//! diagnostic points at it:
//!
//! 1. `lines`: control characters replaced, lines split.
//! 2. `header`: boilerplate removed (reported), header statements moved to the header
//!    (reported), title/author lines recognised.
//! 3. `body`: units, letters (opener, closer, postscripts), sections, note bodies.
//! 4. note matching: each note body to the nearest unmatched marker before it with the same
//!    label.
//! 5. `inline`: brackets, dates, names (through the registry's tagger), notes at markers.
//! 6. `lang`: paragraph languages and translation pairs.
//! 7. header and correspondence metadata assembled; the register gets exactly the entities
//!    mentioned.
//!
//! Invariant (tested on every sample source and by a property test): the words of the
//! source, minus the reported removals and the bracket/marker syntax, are the words of the
//! edition's reading text, in order, with note bodies moved to their markers.

mod address;
mod body;
pub mod codes;
mod dates;
mod header;
mod inline;
mod lang;
mod lines;
mod register;
mod shapes;
mod sidecar;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::diag::{Diagnostic, FileId};
use crate::model::{
    Agent, AgentKind, Block, CorrespAction, CorrespDesc, DateValue, Div, Edition, Header, Inline,
    Language, LetterPart, MadeEntry, MadeWhy, Name, NameKind, Note, Para, Postscript, Publication,
    Resp,
};
use crate::registry::{self, EntityKind, Idno};

use body::{Part, RBlock, RLetter, UKind, Unit};
use dates::DateCtx;
use header::{Fate, Kept};
use inline::{Inliner, Mode, NoteSrc};
use register::Made;

pub use inline::{NameFinder, Tagging};
pub use lines::{DecodeError, decode};
pub use sidecar::{PrintOverride, RespEntry, Sidecar};

/// What the converter is given besides the text.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// The source's file name, for the header (`revisionDesc`).
    pub file_name: &'a str,
    /// The registry and its tagger, if names are to be tagged.
    pub tagging: Option<Tagging<'a>>,
    /// The sidecar, if any.
    pub sidecar: Option<&'a Sidecar>,
    /// Also tag frequent capitalised names of the running text that the registry does not
    /// know, as provisional entries ([`crate::registry::provisional`]). Names in structural
    /// positions (letter heads, datelines, signatures) always get one.
    pub provisional_names: bool,
}

/// Converts a transcription. Never panics; problems are diagnostics (errors mean the
/// edition should not be written).
pub fn convert(text: &str, file: FileId, opts: &Options<'_>) -> (Edition, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let src = lines::sanitize(text, file, &mut diags);
    let src: &str = &src;
    let lines = lines::split_lines(src);
    let mut fate = vec![Fate::Text; lines.len()];
    let furniture = header::mark_boilerplate(src, &lines, &mut fate, file, &mut diags);
    let hs = header::scan(src, &lines, &mut fate, &furniture, file, &mut diags);
    let sc = opts.sidecar;
    let damaged = sc.and_then(|s| s.damaged).unwrap_or(hs.condition.is_some());
    let range = sc
        .and_then(|s| s.date_range)
        .map(|[a, b]| (a.min(b), a.max(b)))
        .or(hs.range);
    let date_ctx = DateCtx {
        range,
        typical_year: if range.is_none() {
            typical_year(src)
        } else {
            None
        },
        current_year: None,
        current_date: None,
    };
    let mut datelines = HashMap::new();
    let mut units: Vec<(Unit, UKind)> = body::units(src, &lines, &fate, hs.body_start)
        .into_iter()
        .map(|u| {
            let k = body::classify(src, &u, &date_ctx, &mut datelines);
            (u, k)
        })
        .collect();
    body::numbered_notes(src, &mut units);
    let mut rblocks: Vec<RBlock> = hs
        .kept
        .iter()
        .map(|&(l, role)| {
            let r = lines[l].range.clone();
            match role {
                Kept::Title => RBlock::Head(r, None),
                Kept::Subtitle => RBlock::Head(r, Some("sub")),
                Kept::Author => RBlock::Byline(r),
                Kept::Statement => RBlock::Ab(r),
            }
        })
        .collect();
    rblocks.extend(body::structure(src, units));

    let title_line = hs
        .kept
        .iter()
        .find(|(_, k)| *k == Kept::Title)
        .map(|(l, _)| lines[*l].range.clone());
    let user = opts.tagging.map(|t| t.registry);
    let authors_hint: Vec<String> = match sc.and_then(|s| s.authors.clone()) {
        Some(a) => a,
        None => hs
            .kept
            .iter()
            .filter(|(_, k)| *k == Kept::Author)
            .map(|(l, _)| src[lines[*l].range.clone()].trim().to_string())
            .collect(),
    };
    // What the whole source tells the tagger (acronyms it spells out itself): the same
    // for both passes, as the provisional entries have no short forms of their own.
    let find_ctx = opts
        .tagging
        .map(|t| t.finder.context(src))
        .unwrap_or_default();
    let new_inliner = |tagging, made| Inliner {
        src,
        file,
        damaged,
        dates: date_ctx,
        find_ctx: find_ctx.clone(),
        tagging,
        notes: HashMap::new(),
        used: BTreeSet::new(),
        diags: Vec::new(),
        decisions: Default::default(),
        user,
        made,
        place: String::new(),
        note_ns: HashMap::new(),
        datelines: &datelines,
    };

    // First pass, over the letters' heads, openers and closers only: the correspondents and
    // places of writing the registry does not know get provisional entries (see
    // `register`), so that the tagger finds them everywhere in the second pass.
    let reserved: Vec<&str> = sc.and_then(|s| s.id.as_deref()).into_iter().collect();
    let mut made = Made::new(user, &reserved);
    if opts.provisional_names {
        let base = user.map_or(0, |r| r.entities.len());
        let empty = crate::registry::Registry::default();
        let reg = registry::provisional(src, user.unwrap_or(&empty), &Default::default());
        for e in reg.entities.into_iter().skip(base) {
            made.adopt(e);
        }
    }
    let mut sketch = Builder {
        il: new_inliner(opts.tagging, made),
        unmatched: BTreeSet::new(),
        dropped_headings: BTreeSet::new(),
        letters: Vec::new(),
        sketch: true,
        authors_hint: authors_hint.clone(),
        signer_alias: None,
    };
    for rb in &rblocks {
        if let RBlock::Letter(l) = rb {
            sketch.letter(l);
        }
    }
    sketch.correspondence(src, title_line.clone());
    let signer_alias = sketch.signer_alias.take();
    let made = std::mem::take(&mut sketch.il.made);
    drop(sketch);

    // The registry's finder and one over the provisional entries, as one.
    let provisional: Vec<(usize, &crate::registry::Entity)> = made.provisional_entities();
    let combined_reg;
    let combined_finder;
    let tagging = if provisional.is_empty() {
        opts.tagging
    } else {
        let mut entities = user.map(|r| r.entities.clone()).unwrap_or_default();
        entities.extend(made.entities.iter().cloned());
        combined_reg = crate::registry::Registry { entities };
        let extra = crate::registry::Registry {
            entities: provisional.iter().map(|(_, e)| (*e).clone()).collect(),
        };
        combined_finder = register::Combined {
            main: opts.tagging.map(|t| t.finder),
            extra: extra.tagger(),
            map: provisional.iter().map(|(g, _)| *g).collect(),
        };
        Some(Tagging {
            registry: &combined_reg,
            finder: &combined_finder,
        })
    };
    drop(provisional);

    let mut il = new_inliner(tagging, made);
    let matching = match_notes(&il, &rblocks);
    il.notes = matching.notes;
    let mut b = Builder {
        il,
        unmatched: matching.unmatched,
        dropped_headings: matching.dropped_headings,
        letters: Vec::new(),
        sketch: false,
        authors_hint,
        signer_alias,
    };
    let mut body_blocks = Vec::new();
    for rb in &rblocks {
        if let Some(blk) = b.block(rb) {
            body_blocks.push(blk);
        }
    }
    let mut body_blocks = regroup(detach_trailing_headings(body_blocks));

    // Languages.
    let mut det = lang::Detector::new(sc.and_then(|s| s.languages.as_deref()));
    let main = lang::main_language(
        &mut det,
        &lang::all_paras(&body_blocks),
        sc.and_then(|s| s.lang.as_deref()),
    );
    let mut pairs = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    lang::mark_blocks(
        &mut det,
        &main,
        "text",
        &mut body_blocks,
        &mut pairs,
        &mut seen,
    );
    let mut section_no = 0;
    for blk in &mut body_blocks {
        if let Block::Div(d) = blk {
            section_no += 1;
            let container = d.id.clone().unwrap_or_else(|| format!("s{section_no}"));
            lang::mark_blocks(
                &mut det,
                &main,
                &container,
                &mut d.blocks,
                &mut pairs,
                &mut seen,
            );
        }
    }
    let mut languages = vec![Language {
        ident: main.clone(),
        name: lang::english_name(&main),
    }];
    for s in seen {
        if s != main {
            languages.push(Language {
                name: lang::english_name(&s),
                ident: s,
            });
        }
    }

    // Header.
    let correspondence = b.correspondence(src, title_line);
    let header = b.header(src, &lines, &hs, opts, damaged, &rblocks, &correspondence);
    // The register: the entities something points to, the registry's first (with the
    // sidecar's authority ids), then the entries made here.
    let mut register = Vec::new();
    let mut made_entries = Vec::new();
    for &i in &b.il.used {
        let Some(mut e) = b.il.entity(i).cloned() else {
            continue;
        };
        if let Some(m) = i
            .checked_sub(b.il.made.base)
            .and_then(|k| b.il.made.why.get(k))
        {
            made_entries.push(MadeEntry {
                id: e.id.clone(),
                why: m.clone(),
            });
        } else if let Some(extra) = sc.and_then(|s| s.idno.get(&e.id)) {
            for (kind, uri) in extra {
                if !e.idnos.iter().any(|x| &x.uri == uri) {
                    e.idnos.push(Idno {
                        kind: kind.clone(),
                        uri: uri.clone(),
                    });
                }
            }
        }
        register.push(e);
    }
    let mut header = header;
    header.decisions = b.il.decisions.clone();
    header.decisions.boilerplate_removed = fate
        .iter()
        .zip(&lines)
        .filter(|(f, l)| **f == Fate::Removed && !l.is_blank())
        .count();
    header.decisions.registry_used = opts.tagging.is_some();
    header.decisions.provisional_names = opts.provisional_names;
    header.decisions.provisional = made_entries
        .iter()
        .filter(|m| m.why == MadeWhy::Provisional)
        .count();
    header.decisions.editorial_bodies = made_entries
        .iter()
        .filter(|m| matches!(m.why, MadeWhy::EditorialBody { .. }))
        .count();
    diags.append(&mut b.il.diags);
    let edition = Edition {
        lang: main,
        id: sc.and_then(|s| s.id.clone()),
        header,
        body: body_blocks,
        correspondence,
        languages,
        translations: pairs,
        register,
        made: made_entries,
    };
    diags.sort_by_key(|d| d.primary.as_ref().map(|l| l.span.start).unwrap_or(0));
    (edition, diags)
}

/// The median four-digit year of the text (context for two-digit years).
fn typical_year(src: &str) -> Option<i32> {
    use regex::Regex;
    use std::sync::LazyLock;
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(1[5-9]\d\d|20\d\d)\b").unwrap());
    let mut years: Vec<i32> = YEAR
        .find_iter(src)
        .take(10_000)
        .filter_map(|m| m.as_str().parse().ok())
        .collect();
    if years.is_empty() {
        return None;
    }
    years.sort_unstable();
    Some(years[years.len() / 2])
}

struct Matching {
    notes: HashMap<usize, NoteSrc>,
    unmatched: BTreeSet<usize>,
    dropped_headings: BTreeSet<usize>,
}

/// Every range read in text mode, and every note body and notes heading, in document order.
fn collect_ranges(rblocks: &[RBlock], texts: &mut Vec<Range<usize>>, notes: &mut Vec<Ev>) {
    let mut stack: Vec<&RBlock> = rblocks.iter().rev().collect();
    while let Some(rb) = stack.pop() {
        match rb {
            RBlock::Head(r, _) | RBlock::Byline(r) | RBlock::Ab(r) => texts.push(r.clone()),
            RBlock::P(u) => texts.push(u.range.clone()),
            RBlock::NoteBody(u, l, c) => notes.push(Ev::Body(u.range.start, l.clone(), c.clone())),
            RBlock::NotesHeading(u) => notes.push(Ev::Heading(u.range.clone())),
            RBlock::Section(h, bs) => {
                texts.push(h.clone());
                stack.extend(bs.iter().rev());
            }
            RBlock::Letter(l) => {
                texts.extend(l.head.iter().cloned());
                texts.extend(
                    l.opener
                        .iter()
                        .filter(|(p, _)| *p != Part::Dateline)
                        .map(|(_, r)| r.clone()),
                );
                // Closer and postscripts come before trailing notes in the source.
                for rb in &l.blocks {
                    match rb {
                        RBlock::P(u) => texts.push(u.range.clone()),
                        RBlock::NoteBody(u, lab, c) => {
                            notes.push(Ev::Body(u.range.start, lab.clone(), c.clone()))
                        }
                        RBlock::NotesHeading(u) => notes.push(Ev::Heading(u.range.clone())),
                        _ => {}
                    }
                }
                texts.extend(
                    l.closer
                        .iter()
                        .filter(|(p, _)| *p != Part::Dateline)
                        .map(|(_, r)| r.clone()),
                );
                for (label, paras) in &l.postscripts {
                    texts.extend(label.iter().cloned());
                    texts.extend(paras.iter().map(|u| u.range.clone()));
                }
                for rb in &l.trailing {
                    match rb {
                        RBlock::NoteBody(u, lab, c) => {
                            notes.push(Ev::Body(u.range.start, lab.clone(), c.clone()))
                        }
                        RBlock::NotesHeading(u) => notes.push(Ev::Heading(u.range.clone())),
                        _ => {}
                    }
                }
            }
        }
    }
}

enum Ev {
    Body(usize, String, Range<usize>),
    Heading(Range<usize>),
}

/// Matches note bodies to markers: a run of bodies takes the nearest unmatched markers
/// before it with the same labels, in order.
fn match_notes(il: &Inliner<'_>, rblocks: &[RBlock]) -> Matching {
    let mut texts = Vec::new();
    let mut notes = Vec::new();
    collect_ranges(rblocks, &mut texts, &mut notes);
    // Events by position: markers and bodies.
    enum E {
        Marker(String),
        Body(String, Range<usize>),
        Heading(Range<usize>),
    }
    let mut evs: Vec<(usize, E)> = Vec::new();
    for r in texts {
        for (pos, label) in il.markers(r) {
            evs.push((pos, E::Marker(label)));
        }
    }
    for n in notes {
        match n {
            Ev::Body(pos, l, c) => evs.push((pos, E::Body(l, c))),
            Ev::Heading(r) => evs.push((r.start, E::Heading(r))),
        }
    }
    evs.sort_by_key(|(p, _)| *p);
    let mut stacks: HashMap<String, Vec<usize>> = HashMap::new();
    let mut out = Matching {
        notes: HashMap::new(),
        unmatched: BTreeSet::new(),
        dropped_headings: BTreeSet::new(),
    };
    let mut heading: Option<(usize, Option<&'static str>, bool)> = None;
    let mut i = 0;
    while i < evs.len() {
        match &evs[i].1 {
            E::Marker(l) => stacks.entry(l.clone()).or_default().push(evs[i].0),
            E::Heading(r) => {
                let s = &il.src[r.clone()];
                heading = Some((r.start, shapes::notes_heading_kind(s), false));
            }
            E::Body(..) => {
                // A run of note bodies takes, label by label and in order, the latest
                // unmatched markers with its label: "[*] … [*] …" then two "[*]" bodies
                // pair first with first.
                let mut j = i;
                while j < evs.len() && matches!(evs[j].1, E::Body(..) | E::Heading(_)) {
                    j += 1;
                }
                let mut need: HashMap<&str, usize> = HashMap::new();
                for (_, e) in &evs[i..j] {
                    if let E::Body(l, _) = e {
                        *need.entry(l.as_str()).or_default() += 1;
                    }
                }
                let mut queues: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::new();
                for (l, k) in need {
                    let st = stacks.entry(l.to_string()).or_default();
                    let take = k.min(st.len());
                    queues.insert(l, st.split_off(st.len() - take).into());
                }
                for (pos, e) in &evs[i..j] {
                    match e {
                        E::Heading(r) => {
                            let s = &il.src[r.clone()];
                            heading = Some((r.start, shapes::notes_heading_kind(s), false));
                        }
                        E::Body(l, c) => {
                            match queues.get_mut(l.as_str()).and_then(|q| q.pop_front()) {
                                Some(m) => {
                                    out.notes.insert(
                                        m,
                                        NoteSrc {
                                            content: c.clone(),
                                            heading_kind: heading.and_then(|h| h.1),
                                        },
                                    );
                                    if let Some(h) = &mut heading
                                        && !h.2
                                    {
                                        h.2 = true;
                                        out.dropped_headings.insert(h.0);
                                    }
                                }
                                None => {
                                    out.unmatched.insert(*pos);
                                }
                            }
                        }
                        E::Marker(_) => {}
                    }
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Builds model blocks from the structure.
struct Builder<'a> {
    il: Inliner<'a>,
    unmatched: BTreeSet<usize>,
    dropped_headings: BTreeSet<usize>,
    /// Letters built so far: (id, head range, opener, closer, date).
    letters: Vec<LetterInfo>,
    /// The first pass: only what correspondents and places of writing need is built.
    sketch: bool,
    /// The page's author(s) (author line or sidecar), the sender of a letter that names none.
    authors_hint: Vec<String>,
    /// A one-word signature the registry does not know ("Jim") under the one letter of a
    /// page whose author it does know: the author's familiar name, and the entity (global
    /// index) it stands for. Found by the sketch pass, used by the final one.
    signer_alias: Option<(String, usize)>,
}

struct LetterInfo {
    id: String,
    head: Option<Range<usize>>,
    first: usize,
    date: Option<DateValue>,
    place: Option<Agent>,
    signed: Vec<Range<usize>>,
    salutes: Vec<Range<usize>>,
    /// Dates of the letters this one says it answers ("your letter of the 16th December").
    replies: Vec<String>,
}

/// A heading can only open a division: a heading kept after content (a "Notes" heading whose
/// notes have no markers, a heading repeated further down) opens a division of its own that
/// runs to the next such heading or division — `type="notes"` when it holds only notes, else
/// `type="section"`. Headings before any content stay where they are.
fn regroup(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut open: Option<Div> = None;
    let mut content_seen = false;
    for b in blocks {
        match b {
            Block::Head { content, .. } if content_seen => {
                if let Some(d) = open.take() {
                    out.push(Block::Div(close_group(d)));
                }
                open = Some(Div {
                    head: vec![content],
                    ..Default::default()
                });
            }
            Block::Div(d) => {
                if let Some(g) = open.take() {
                    out.push(Block::Div(close_group(g)));
                }
                content_seen = true;
                out.push(Block::Div(d));
            }
            other => {
                if !matches!(other, Block::Head { .. } | Block::Byline { .. }) {
                    content_seen = true;
                }
                match &mut open {
                    Some(d) => d.blocks.push(other),
                    None => out.push(other),
                }
            }
        }
    }
    if let Some(d) = open {
        out.push(Block::Div(close_group(d)));
    }
    out
}

/// Nothing may follow a letter's postscripts but notes: a heading among the notes kept
/// after them (a "Notes" heading whose notes have no markers) ends the letter there, and
/// it and what follows become a division of their own right after the letter — the
/// reading order stays that of the source. (Letters sit at most inside one section, so the
/// recursion is shallow.)
fn detach_trailing_headings(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let Block::Div(mut d) = b else {
            out.push(b);
            continue;
        };
        d.blocks = detach_trailing_headings(std::mem::take(&mut d.blocks));
        let Some(k) = d
            .trailing
            .iter()
            .position(|b| matches!(b, Block::Head { .. }))
        else {
            out.push(Block::Div(d));
            continue;
        };
        let rest = d.trailing.split_off(k);
        out.push(Block::Div(d));
        let mut group: Option<Div> = None;
        for b in rest {
            match b {
                Block::Head { content, .. } => {
                    if let Some(g) = group.take() {
                        out.push(Block::Div(close_group(g)));
                    }
                    group = Some(Div {
                        head: vec![content],
                        ..Default::default()
                    });
                }
                other => {
                    if let Some(g) = group.as_mut() {
                        g.blocks.push(other);
                    }
                }
            }
        }
        if let Some(g) = group {
            out.push(Block::Div(close_group(g)));
        }
    }
    out
}

/// A letter holds no divisions: a heading kept inside its text (a "Notes" heading whose notes
/// have no markers) is an `ab type="head"` there.
fn in_letter(b: Block) -> Block {
    match b {
        Block::Head { content, .. } => Block::Ab {
            subtype: Some("head".into()),
            content,
        },
        other => other,
    }
}

fn close_group(mut d: Div) -> Div {
    let notes = !d.blocks.is_empty() && d.blocks.iter().all(|b| matches!(b, Block::Note(_)));
    d.kind = if notes { "notes" } else { "section" }.into();
    d
}

impl Builder<'_> {
    fn para(&mut self, u: &Unit) -> Para {
        Para {
            content: self.il.build(u.range.clone(), Mode::Text, u.line_breaks),
            ..Default::default()
        }
    }

    fn block(&mut self, rb: &RBlock) -> Option<Block> {
        Some(match rb {
            RBlock::Head(r, sub) => Block::Head {
                subtype: sub.map(str::to_string),
                content: self.il.build(r.clone(), Mode::Text, false),
            },
            RBlock::Byline(r) => Block::Byline {
                content: self.il.build(r.clone(), Mode::Text, false),
            },
            RBlock::Ab(r) => Block::Ab {
                subtype: Some("source".into()),
                content: self.il.build(r.clone(), Mode::Text, false),
            },
            RBlock::P(u) => Block::P(self.para(u)),
            RBlock::NoteBody(u, label, c) => {
                if !self.unmatched.contains(&u.range.start) {
                    return None;
                }
                self.il.diags.push(
                    Diagnostic::warning(
                        &codes::NOTE_WITHOUT_MARKER,
                        format!(
                            "note [{label}] has no marker [{label}] before it; kept where it stands"
                        ),
                    )
                    .at(self.il.file, u.range.start..c.start),
                );
                let body = &self.il.src[c.clone()];
                let n = self.il.note_n(label, u.range.start..c.start);
                Block::Note(Note {
                    n,
                    kind: shapes::note_kind(body).map(str::to_string),
                    content: self.il.build(c.clone(), Mode::Note, u.line_breaks),
                })
            }
            RBlock::NotesHeading(u) => {
                if self.dropped_headings.contains(&u.range.start) {
                    self.il.diags.push(
                        Diagnostic::note(
                            &codes::NOTES_HEADING,
                            format!(
                                "dropped the heading “{}”: its notes were moved to their markers",
                                &self.il.src[u.range.clone()]
                            ),
                        )
                        .at(self.il.file, u.range.clone()),
                    );
                    return None;
                }
                Block::Head {
                    subtype: None,
                    content: self.il.build(u.range.clone(), Mode::Text, false),
                }
            }
            RBlock::Section(h, bs) => {
                // A division numbers its notes afresh.
                let outer = std::mem::take(&mut self.il.note_ns);
                let head = self.il.build(h.clone(), Mode::Text, false);
                let blocks = regroup(bs.iter().filter_map(|b| self.block(b)).collect());
                self.il.note_ns = outer;
                Block::Div(Div {
                    kind: "section".into(),
                    head: vec![head],
                    blocks,
                    ..Default::default()
                })
            }
            RBlock::Letter(l) => Block::Div(self.letter(l)),
        })
    }

    fn letter(&mut self, l: &RLetter) -> Div {
        let outer = std::mem::take(&mut self.il.note_ns);
        let d = self.letter_div(l);
        self.il.note_ns = outer;
        d
    }

    fn letter_div(&mut self, l: &RLetter) -> Div {
        let n = self.letters.len() + 1;
        let id = format!("L{n:02}");
        let mut info = LetterInfo {
            id: id.clone(),
            head: l.head.clone(),
            first: l
                .head
                .clone()
                .or(l.opener.first().map(|o| o.1.clone()))
                .map(|r| r.start)
                .unwrap_or(0),
            date: None,
            place: None,
            signed: Vec::new(),
            salutes: Vec::new(),
            replies: Vec::new(),
        };
        let mut d = Div {
            kind: "letter".into(),
            id: Some(id.clone()),
            ..Default::default()
        };
        let src = self.il.src;
        let sketch = self.sketch;
        if let Some(h) = &l.head
            && !sketch
        {
            let mut inl = self.il.build(h.clone(), Mode::Text, false);
            if body::split_head(&src[h.clone()]).is_some() {
                self.il.periodicals_as_bodies(&mut inl);
            }
            d.head.push(inl);
        }
        let dateline = |this: &mut Self, r: &Range<usize>, info: &mut LetterInfo| {
            this.il.place = format!("as the place of writing in the dateline of letter {id}");
            let (inl, date) = this.il.dateline(r.clone());
            if info.date.is_none() {
                info.date = date;
            }
            if info.place.is_none() {
                info.place = first_place(&inl);
            }
            LetterPart::Dateline(inl)
        };
        for (p, r) in &l.opener {
            let part = match p {
                Part::Dateline => dateline(self, r, &mut info),
                _ => {
                    info.salutes.push(r.clone());
                    if sketch {
                        continue;
                    }
                    let mut inl = self.il.build(r.clone(), Mode::Text, false);
                    if shapes::is_to_line(&src[r.clone()]) {
                        self.il.periodicals_as_bodies(&mut inl);
                    }
                    LetterPart::Salute(inl)
                }
            };
            d.opener.push(part);
        }
        // The letter's date is the context for dates without a year.
        let saved = (self.il.dates.current_year, self.il.dates.current_date);
        if let Some(y) = info.date.as_ref().and_then(dates::year_of) {
            self.il.dates.current_year = Some(y);
        }
        self.il.dates.current_date = info.date.as_ref().and_then(dates::ymd_of);
        if !sketch {
            for rb in &l.blocks {
                if let Some(b) = self.block(rb) {
                    d.blocks.push(in_letter(b));
                }
            }
            for b in &d.blocks {
                if let Block::P(p) = b {
                    info.replies.extend(reply_dates(&p.content));
                }
            }
        }
        for (p, r) in &l.closer {
            let part = match p {
                Part::Dateline => dateline(self, r, &mut info),
                Part::Signed => {
                    info.signed.push(r.clone());
                    if sketch {
                        continue;
                    }
                    let mut inl = self.il.build(r.clone(), Mode::Text, false);
                    self.il.periodicals_as_bodies(&mut inl);
                    self.signature_name(&src[r.clone()], &mut inl);
                    LetterPart::Signed(inl)
                }
                Part::Salute if sketch => continue,
                Part::Salute => LetterPart::Salute(self.il.build(r.clone(), Mode::Text, false)),
            };
            d.closer.push(part);
        }
        if !sketch {
            for (label, paras) in &l.postscripts {
                let label = label
                    .as_ref()
                    .map(|r| vec![Inline::text(&self.il.src[r.clone()])])
                    .unwrap_or_default();
                let mut paras: Vec<Para> = paras.iter().map(|u| self.para(u)).collect();
                // An address block after the signature is an address.
                for p in &mut paras {
                    if let Some(lines) = address::lines(&label, &p.content) {
                        p.content = vec![Inline::Address { lines }];
                    }
                }
                d.postscripts.push(Postscript { label, paras });
            }
            for rb in &l.trailing {
                if let Some(b) = self.block(rb) {
                    d.trailing.push(b);
                }
            }
        }
        self.il.place = String::new();
        (self.il.dates.current_year, self.il.dates.current_date) = saved;
        self.letters.push(info);
        d
    }

    /// A person named by a whole string (an author line): the registry's entity or a
    /// provisional one, `@cert="low"`.
    fn named_agent(&mut self, name: &str) -> Agent {
        let found = self
            .il
            .whole_match(name)
            .and_then(|(i, _)| self.il.entity(i).map(|e| (i, e.id.clone(), e.kind)))
            .filter(|(_, _, k)| matches!(k, EntityKind::Person | EntityKind::Org));
        let (id, kind) = match found {
            Some((i, id, k)) => {
                self.il.used.insert(i);
                (id, k)
            }
            None => (
                self.il.provisional(EntityKind::Person, name).0,
                EntityKind::Person,
            ),
        };
        Agent {
            name: name.to_string(),
            kind: if kind == EntityKind::Org {
                AgentKind::Org
            } else {
                AgentKind::Person
            },
            ref_id: Some(id),
            cert: Some(crate::model::Cert::Low),
        }
    }

    /// The page's author as the sender of its one letter, when the letter is signed with a
    /// single word the registry does not know ("Jim" under a letter on James P. Cannon's
    /// page): writers sign with a first name or a nickname, and the page says who wrote
    /// it. `cert="medium"`: the identification rests on the page, not on the name.
    fn author_signature(&mut self, r: Range<usize>, single: bool) -> Option<Agent> {
        let s = &self.il.src[r];
        if !single || self.authors_hint.len() != 1 || !self.il.mentions_in(s).is_empty() {
            return None;
        }
        let names = raw_names(s, "signature");
        let [name] = names.as_slice() else {
            return None;
        };
        if name.contains(char::is_whitespace) || shapes::looks_like_org(name) {
            return None;
        }
        let (g, id) = self
            .il
            .whole_match(&self.authors_hint[0])
            .and_then(|(g, _)| self.il.entity(g).map(|e| (g, e)))
            .filter(|(_, e)| e.kind == EntityKind::Person)
            .map(|(g, e)| (g, e.id.clone()))?;
        self.il.used.insert(g);
        self.signer_alias = Some((name.clone(), g));
        Some(Agent {
            name: name.clone(),
            kind: AgentKind::Person,
            ref_id: Some(id),
            cert: Some(crate::model::Cert::Medium),
        })
    }

    /// The correspondent a letter does not name.
    fn unnamed(&mut self) -> Agent {
        let g = self.il.made.unnamed();
        self.il.used.insert(g);
        let e = self.il.entity(g);
        Agent {
            name: e.map(|e| e.preferred().to_string()).unwrap_or_default(),
            kind: AgentKind::Person,
            ref_id: e.map(|e| e.id.clone()),
            cert: None,
        }
    }

    /// A signature that names the sender (the letter has no head) and that the tagger left
    /// untagged, because it is a form the tagger does not match alone ("L.T."): the name
    /// is wrapped with its provisional entry.
    fn signature_name(&mut self, s: &str, inl: &mut Vec<Inline>) {
        let [Inline::Text { text }] = inl.as_slice() else {
            return;
        };
        let names = raw_names(s, "signature");
        let [name] = names.as_slice() else {
            return;
        };
        let kind = if shapes::looks_like_org(name) {
            EntityKind::Org
        } else {
            EntityKind::Person
        };
        let (g, cert) = match &self.signer_alias {
            Some((alias, g)) if alias == name => (*g, crate::model::Cert::Medium),
            _ => match self.il.made.find(kind, name) {
                Some(g) => (g, crate::model::Cert::Low),
                None => return,
            },
        };
        let Some(at) = text.rfind(name.as_str()) else {
            return;
        };
        let (before, after) = (&text[..at], &text[at + name.len()..]);
        let boundary =
            !before.ends_with(char::is_alphanumeric) && !after.starts_with(char::is_alphanumeric);
        let Some(id) = self.il.entity(g).map(|e| e.id.clone()).filter(|_| boundary) else {
            return;
        };
        self.il.used.insert(g);
        let name_inl = Inline::Name(Name {
            kind: match kind {
                EntityKind::Org => NameKind::Org,
                _ => NameKind::Person,
            },
            descriptive: false,
            ref_id: Some(id),
            subtype: None,
            level: None,
            cert: Some(cert),
            content: vec![Inline::text(name.as_str())],
        });
        *inl = inline::normalise(vec![Inline::text(before), name_inl, Inline::text(after)]);
    }

    /// Agents named in a range of the source: the registry's (or provisional) mentions of
    /// persons and organisations — a periodical stands for its editorial body —, else the
    /// name the text's shape gives (with `raw`), which gets a provisional entry.
    fn agents(&mut self, r: Range<usize>, role: &str, raw: bool, letter: &str) -> Vec<Agent> {
        let src = self.il.src;
        let s = &src[r.clone()];
        let mut out: Vec<Agent> = Vec::new();
        for (mr, ei, cert) in self.il.mentions_in(s) {
            let Some(e) = self.il.entity(ei) else {
                continue;
            };
            let (kind, id) = match e.kind {
                EntityKind::Person => (AgentKind::Person, e.id.clone()),
                EntityKind::Org => (AgentKind::Org, e.id.clone()),
                EntityKind::Title => match self.il.counterpart(ei) {
                    Some(id) => (AgentKind::Org, id),
                    None => continue,
                },
                EntityKind::Place => continue,
            };
            if out.iter().any(|a| a.ref_id.as_deref() == Some(id.as_str())) {
                continue;
            }
            self.il.used.insert(ei);
            out.push(Agent {
                name: s[mr].to_string(),
                kind,
                ref_id: Some(id),
                cert,
            });
        }
        if !out.is_empty() || !raw {
            return out;
        }
        let mut out = Vec::new();
        for name in raw_names(s, role) {
            let kind = if shapes::looks_like_org(&name) {
                EntityKind::Org
            } else {
                EntityKind::Person
            };
            self.il.place = match role {
                "sender" | "addressee" => {
                    format!("as the {role} in the head of letter {letter}")
                }
                _ => format!("in the {role} of letter {letter}"),
            };
            let (id, _) = self.il.provisional(kind, &name);
            self.il.place = String::new();
            if out
                .iter()
                .any(|a: &Agent| a.ref_id.as_deref() == Some(id.as_str()))
            {
                continue;
            }
            out.push(Agent {
                name,
                kind: match kind {
                    EntityKind::Org => AgentKind::Org,
                    _ => AgentKind::Person,
                },
                ref_id: Some(id),
                cert: Some(crate::model::Cert::Low),
            });
        }
        out
    }

    /// One `correspDesc` per letter: sender and addressee from the letter's head ("X to
    /// Y"), else — for a page holding one letter — from the page title ("Letter to Y"); the
    /// sender else from the signature, the addressee else from the salutation ("Dear Comrade
    /// Dunne:", `@cert="low"` when the registry does not know the name); place and date
    /// from the dateline.
    fn correspondence(&mut self, src: &str, title: Option<Range<usize>>) -> Vec<CorrespDesc> {
        let letters = std::mem::take(&mut self.letters);
        let single = letters.len() == 1;
        let mut out = Vec::new();
        for info in &letters {
            let mut sent = CorrespAction::default();
            let mut received = CorrespAction::default();
            let head = info
                .head
                .clone()
                .or_else(|| title.clone().filter(|_| single));
            if let Some(h) = &head
                && let Some((a, b)) = body::split_head(&src[h.clone()])
            {
                let lhs = &src[h.start + a.start..h.start + a.end];
                if !generic_letter_word(lhs) {
                    sent.agents =
                        self.agents(h.start + a.start..h.start + a.end, "sender", true, &info.id);
                }
                received.agents = self.agents(
                    h.start + b.start..h.start + b.end,
                    "addressee",
                    true,
                    &info.id,
                );
            }
            if sent.agents.is_empty() {
                // The last signature names the sender.
                if let Some(r) = info.signed.last() {
                    sent.agents = match self.author_signature(r.clone(), single) {
                        Some(a) => vec![a],
                        None => self.agents(r.clone(), "signature", true, &info.id),
                    };
                }
            }
            if received.agents.is_empty() {
                for r in &info.salutes {
                    for mut a in self.agents(r.clone(), "salutation", false, &info.id) {
                        a.cert = a.cert.or(Some(crate::model::Cert::Medium));
                        received.agents.push(a);
                    }
                }
                if received.agents.is_empty()
                    && let Some(name) = info
                        .salutes
                        .iter()
                        .find_map(|r| salute_name(&src[r.clone()]))
                {
                    self.il.place =
                        format!("as the addressee in the salutation of letter {}", info.id);
                    let (id, _) = self.il.provisional(EntityKind::Person, &name);
                    self.il.place = String::new();
                    received.agents.push(Agent {
                        name,
                        kind: AgentKind::Person,
                        ref_id: Some(id),
                        cert: Some(crate::model::Cert::Low),
                    });
                }
            }
            sent.place = info.place.clone();
            sent.date = info.date.clone();
            let mut missing = Vec::new();
            if sent.agents.is_empty() {
                missing.push("sender");
            }
            if received.agents.is_empty() {
                missing.push("addressee");
            }
            if sent.date.is_none() {
                missing.push("date");
            }
            if !missing.is_empty() {
                let at = info.head.clone().unwrap_or(info.first..info.first);
                self.il.diags.push(
                    Diagnostic::warning(
                        &codes::LETTER_METADATA,
                        format!(
                            "letter {}: could not determine its {}",
                            info.id,
                            missing.join(", ")
                        ),
                    )
                    .at(self.il.file, at)
                    .with_help("a letter head \"Sender to Addressee\" and a dateline \"Place, date\" give them; meanwhile the sender is taken to be the author of the page, if it names one, and a correspondent nobody names is \"Unknown\""),
                );
            }
            // The house encoding wants both correspondents named: a letter that names no
            // sender is taken to be by the page's author (cert="low"), else by an unnamed
            // correspondent; likewise an unnamed addressee.
            if sent.agents.is_empty() {
                for name in self.authors_hint.clone() {
                    self.il.place = format!(
                        "as the author of the page, taken to be the sender of letter {}",
                        info.id
                    );
                    let a = self.named_agent(&name);
                    sent.agents.push(a);
                }
                self.il.place = String::new();
            }
            if sent.agents.is_empty() {
                sent.agents.push(self.unnamed());
            }
            if received.agents.is_empty() {
                received.agents.push(self.unnamed());
            }
            out.push(CorrespDesc {
                letter: info.id.clone(),
                sent,
                received,
                context: Vec::new(),
            });
        }
        link_replies(&letters, &mut out, self.il.made.unnamed_id());
        self.letters = letters;
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn header(
        &mut self,
        src: &str,
        lines: &[lines::Line],
        hs: &header::HeaderScan,
        opts: &Options<'_>,
        damaged: bool,
        rblocks: &[RBlock],
        corr: &[CorrespDesc],
    ) -> Header {
        let sc = opts.sidecar;
        let kept = |role: Kept| {
            hs.kept
                .iter()
                .find(|(_, r)| *r == role)
                .map(|(l, _)| src[lines[*l].range.clone()].to_string())
        };
        let first_letter_head = rblocks.iter().find_map(|b| match b {
            RBlock::Letter(l) => l.head.clone().map(|h| src[h].to_string()),
            _ => None,
        });
        let title = sc
            .and_then(|s| s.title.clone())
            .or(kept(Kept::Title))
            .or(first_letter_head)
            .or(hs.digital.post.as_ref().and_then(|p| p.title.clone()))
            .unwrap_or_else(|| {
                opts.file_name
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(opts.file_name)
                    .trim_end_matches(".txt")
                    .to_string()
            });
        let subtitle = sc.and_then(|s| s.subtitle.clone()).or(kept(Kept::Subtitle));
        let mut authors: Vec<Agent> = Vec::new();
        let names: Vec<String> = match sc.and_then(|s| s.authors.clone()) {
            Some(a) => a,
            None => kept(Kept::Author).into_iter().collect(),
        };
        for n in names {
            let (ref_id, cert) = self.whole(&n);
            authors.push(Agent {
                name: n,
                kind: AgentKind::Person,
                ref_id,
                cert,
            });
        }
        if authors.is_empty() {
            // A periodical's editorial body is not the author of the letters.
            let is_title = |a: &Agent| {
                a.ref_id
                    .as_ref()
                    .is_some_and(|r| self.il.made.is_editorial_body(r))
            };
            for c in corr {
                for a in c.sent.agents.iter().filter(|a| !is_title(a)) {
                    if !authors
                        .iter()
                        .any(|x| x.name == a.name || (x.ref_id.is_some() && x.ref_id == a.ref_id))
                    {
                        authors.push(a.clone());
                    }
                }
            }
        }
        let mut resp: Vec<Resp> = hs.resp.clone();
        if let Some(s) = sc {
            for r in &s.resp {
                resp.push(Resp {
                    id: String::new(),
                    role: r.role.clone(),
                    role_key: shapes::resp_key(&r.role).to_string(),
                    names: r
                        .names
                        .iter()
                        .map(|n| Agent {
                            name: n.clone(),
                            kind: AgentKind::Person,
                            ref_id: None,
                            cert: None,
                        })
                        .collect(),
                    text: format!("{}: {}", r.role, r.names.join(", ")),
                });
            }
        }
        for (i, r) in resp.iter_mut().enumerate() {
            r.id = format!("r-src{}", i + 1);
            for a in &mut r.names {
                let (ref_id, cert) = self.whole(&a.name);
                a.ref_id = ref_id;
                a.cert = cert;
            }
        }
        let mut print = hs.print.clone();
        if let Some(po) = sc.and_then(|s| s.print.as_ref()) {
            let p = print.get_or_insert_with(Default::default);
            if let Some(j) = &po.journal {
                p.journal = Some(j.clone());
            }
            if let Some(v) = &po.volume {
                p.volume = Some(v.clone());
            }
            if let Some(v) = &po.issue {
                p.issue = Some(v.clone());
            }
            if let Some(v) = &po.date {
                p.date = Some(
                    dates::parse_exact(v, &DateCtx::default())
                        .map(|f| f.value)
                        .unwrap_or(DateValue {
                            text: v.clone(),
                            ..Default::default()
                        }),
                );
            }
            if let Some(v) = &po.pages {
                let (a, b) = v.split_once(['-', '–', '—']).unwrap_or((v, v));
                p.pages = Some(crate::model::Pages {
                    text: v.clone(),
                    from: a.trim().to_string(),
                    to: b.trim().to_string(),
                });
            }
            p.level = po.level.clone().unwrap_or_else(|| {
                if p.issue.is_some() || p.volume.is_some() {
                    "j".into()
                } else {
                    "m".into()
                }
            });
        }
        if let Some(p) = &mut print
            && let Some(j) = p.journal.clone()
        {
            // The journal as the tagger reads it in the citation (where an issue number
            // tells a periodical from an organisation of the same name); only a title.
            let reg = self.il.tagging.map(|t| t.registry);
            let cit = p.citation.clone();
            p.journal_ref = self
                .il
                .mentions_in(&cit)
                .into_iter()
                .filter(|(r, _, _)| cit[r.clone()] == *j)
                .filter_map(|(_, e, _)| reg.and_then(|g| g.entities.get(e)))
                .find(|e| e.kind == EntityKind::Title)
                .map(|e| e.id.clone());
            if let Some(id) = &p.journal_ref
                && let Some(i) = reg.and_then(|g| g.entities.iter().position(|e| &e.id == id))
            {
                self.il.used.insert(i);
            }
        }
        let mut digital = hs.digital.clone();
        // The poster, as the tagger reads the post line ("… by Reiss").
        if let Some(post) = &mut digital.post
            && let Some(by) = post.by.clone()
        {
            let reg = self.il.tagging.map(|t| t.registry);
            let line = post.text.clone();
            if let Some((e, i)) = self
                .il
                .mentions_in(&line)
                .into_iter()
                .filter(|(r, _, _)| line[r.clone()] == *by)
                .filter_map(|(_, e, _)| reg.and_then(|g| g.entities.get(e)).map(|x| (x, e)))
                .find(|(x, _)| x.kind == EntityKind::Person)
            {
                post.by_ref = Some(e.id.clone());
                self.il.used.insert(i);
            }
        }
        if let Some(s) = sc {
            digital.url = s.url.clone().or(digital.url);
            digital.title = s.site.clone().or(digital.title);
            digital.publisher = s.site_publisher.clone().or(digital.publisher);
        }
        Header {
            title,
            subtitle,
            authors,
            resp,
            print,
            digital: Some(digital),
            written: hs.written.clone(),
            damaged,
            condition: hs.condition.clone(),
            publication: Publication {
                publisher: sc.and_then(|s| s.publisher.clone()),
                licence: sc.and_then(|s| s.licence.clone()),
                licence_url: sc.and_then(|s| s.licence_url.clone()),
                idnos: sc
                    .and_then(|s| s.id.clone())
                    .map(|i| vec![("teikit".to_string(), i)])
                    .unwrap_or_default(),
                date: sc.and_then(|s| s.publication_date.clone()),
            },
            notes: hs.notes.clone(),
            source_file: opts
                .file_name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(opts.file_name)
                .to_string(),
            decisions: Default::default(),
        }
    }

    /// Register id of the entity a whole string names.
    fn whole(&mut self, s: &str) -> (Option<String>, Option<crate::model::Cert>) {
        match self.il.whole_match(s) {
            Some((i, cert)) => (
                self.il
                    .tagging
                    .and_then(|t| t.registry.entities.get(i))
                    .map(|e| e.id.clone()),
                cert,
            ),
            None => (None, None),
        }
    }
}

use lines::word_count;

/// The dates of letters a paragraph says it answers: a full date right after "your letter
/// of" (or "votre lettre du", "Ihr Brief vom", "su carta del" …).
fn reply_dates(inl: &[Inline]) -> Vec<String> {
    const CUES: &[&str] = &[
        "your letter of",
        "your letter of the",
        "your letters of",
        "your letters of the",
        "your letter dated",
        "your letter from",
        "your letter from the",
        "votre lettre du",
        "votre lettre de",
        "vos lettres du",
        "ta lettre du",
        "ihr brief vom",
        "ihren brief vom",
        "dein brief vom",
        "deinen brief vom",
        "euer brief vom",
        "euren brief vom",
        "su carta del",
        "tu carta del",
        "la vostra lettera del",
        "la tua lettera del",
    ];
    let mut out = Vec::new();
    for w in inl.windows(2) {
        let (Inline::Text { text }, Inline::Date { value, .. }) = (&w[0], &w[1]) else {
            continue;
        };
        let Some(when) = value.when.as_deref().filter(|w| w.len() == 10) else {
            continue;
        };
        let tail: String = text
            .trim_end()
            .chars()
            .rev()
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
            .to_lowercase();
        let words: Vec<&str> = tail.split_whitespace().collect();
        if CUES.iter().any(|c| {
            let n = c.split(' ').count();
            words.len() >= n && words[words.len() - n..].join(" ") == *c
        }) {
            out.push(when.to_string());
        }
    }
    out
}

/// `correspContext` links: a letter that says it answers "your letter of <date>" is a reply
/// to the one letter of that date sent by its addressee (prev), and that letter is answered
/// by it (next). No link when no letter, or more than one, fits.
fn link_replies(letters: &[LetterInfo], out: &mut [CorrespDesc], unnamed: Option<&str>) {
    let refs = |a: &CorrespAction| -> Vec<String> {
        a.agents
            .iter()
            .filter_map(|x| x.ref_id.clone())
            .filter(|r| Some(r.as_str()) != unnamed)
            .collect()
    };
    // Letters by the normalised date they were sent (a collection of thousands of letters
    // must not compare every reply with every letter).
    let mut by_date: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (j, c) in out.iter().enumerate() {
        if let Some(w) = c.sent.date.as_ref().and_then(|x| x.when.as_deref()) {
            by_date.entry(w).or_default().push(j);
        }
    }
    let mut links: Vec<(usize, usize)> = Vec::new();
    let mut linked: std::collections::HashSet<(usize, usize)> = Default::default();
    for (i, info) in letters.iter().enumerate() {
        let Some(addressees) = out.get(i).map(|c| refs(&c.received)) else {
            continue;
        };
        for d in &info.replies {
            let fits: Vec<usize> = by_date
                .get(d.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&j| j != i && refs(&out[j].sent).iter().any(|r| addressees.contains(r)))
                .collect();
            if let [j] = fits.as_slice()
                && linked.insert((i, *j))
            {
                links.push((i, *j));
            }
        }
    }
    let date_of = |c: &CorrespDesc| {
        c.sent
            .date
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default()
    };
    for (i, j) in links {
        let (di, dj) = (date_of(&out[i]), date_of(&out[j]));
        let (li, lj) = (out[i].letter.clone(), out[j].letter.clone());
        out[i].context.push(crate::model::CorrespLink {
            kind: "prev".into(),
            letter: lj,
            text: format!("Reply to the letter of {dj}"),
        });
        out[j].context.push(crate::model::CorrespLink {
            kind: "next".into(),
            letter: li,
            text: format!("Answered by the letter of {di}"),
        });
    }
}

/// Whether the sender part of a head is only a word for the document ("Letter", "Open
/// letter", "Reply"), not a sender.
fn generic_letter_word(lhs: &str) -> bool {
    let l = lhs.trim().to_lowercase();
    word_count(&l) <= 3
        && l.split_whitespace().any(|w| {
            matches!(
                w,
                "letter"
                    | "letters"
                    | "reply"
                    | "answer"
                    | "message"
                    | "note"
                    | "telegram"
                    | "circular"
                    | "statement"
                    | "declaration"
                    | "lettre"
                    | "brief"
            )
        })
}

/// The name a salutation addresses ("Dear Comrade Dunne:" → "Dunne"), if it names someone.
fn salute_name(s: &str) -> Option<String> {
    const SKIP: &[&str] = &[
        "dear",
        "my",
        "dearest",
        "cher",
        "chère",
        "chers",
        "chères",
        "mon",
        "ma",
        "liebe",
        "lieber",
        "liebes",
        "werte",
        "werter",
        "sehr",
        "geehrte",
        "geehrter",
        "querido",
        "querida",
        "estimado",
        "estimada",
        "caro",
        "cara",
        "comrade",
        "comrades",
        "camarade",
        "camarades",
        "genosse",
        "genossin",
        "genossen",
        "friend",
        "friends",
        "sir",
        "sirs",
        "madam",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "brother",
        "sister",
        "compañero",
        "compañera",
        "citizen",
        "citoyen",
        "professor",
        "monsieur",
        "madame",
        "and",
        "all",
    ];
    let t = s.trim().trim_end_matches([',', ':', '!', ';', '.']);
    let words: Vec<&str> = t
        .split_whitespace()
        .skip_while(|w| SKIP.contains(&w.to_lowercase().as_str()))
        .collect();
    let ok = !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
    ok.then(|| words.join(" "))
}

/// The first place named in a dateline.
fn first_place(inl: &[Inline]) -> Option<Agent> {
    for i in inl {
        match i {
            Inline::Name(Name {
                kind: NameKind::Place,
                ref_id,
                cert,
                content,
                ..
            }) => {
                let mut s = String::new();
                crate::model::inline_text(content, false, &mut s);
                return Some(Agent {
                    name: s,
                    kind: AgentKind::Place,
                    ref_id: ref_id.clone(),
                    cert: *cert,
                });
            }
            Inline::Supplied { content, .. } => {
                if let Some(a) = first_place(content) {
                    return Some(a);
                }
            }
            _ => {}
        }
    }
    None
}

/// The correspondents a letter head's part or a signature names when the registry knows
/// none of them: [`raw_name`] of the text without editorial brackets (a gloss "[Barta]" is
/// dropped, a bracket inside a word is read), split into several persons when it lists them
/// ("Pierre Naville and Gérard Rosenthal").
fn raw_names(s: &str, role: &str) -> Vec<String> {
    let mut flat = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut drop = false;
    for c in s.chars() {
        match c {
            '[' => {
                if depth == 0 {
                    drop = flat.is_empty() || flat.ends_with(char::is_whitespace);
                }
                depth += 1;
            }
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 && drop => {}
            _ => flat.push(c),
        }
    }
    let whole = raw_name(&flat.split_whitespace().collect::<Vec<_>>().join(" "), role);
    if whole.is_empty() || !whole.chars().any(char::is_alphabetic) {
        return Vec::new();
    }
    if shapes::looks_like_org(&whole) {
        return vec![whole];
    }
    let mut listed = whole.clone();
    for link in [" and ", " et ", " und ", " y ", " e ", " & "] {
        listed = listed.replace(link, ",");
    }
    let parts: Vec<&str> = listed
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let name_like = |p: &&str| {
        shapes::is_person_like(p)
            || (word_count(p) == 1 && p.chars().next().is_some_and(char::is_uppercase))
    };
    if parts.len() >= 2 && parts.iter().all(name_like) {
        parts.into_iter().map(str::to_string).collect()
    } else {
        vec![whole]
    }
}

/// A correspondent's name from a letter head or signature when the registry does not know
/// it: the sender is the trailing run of capitalised words ("Letter of rupture Ignace Reiss
/// (alias Ludwig)" → "Ignace Reiss"); the addressee loses a leading article.
fn raw_name(s: &str, role: &str) -> String {
    let s = s.trim();
    let strip_parens = |s: &str| {
        let mut out = String::new();
        let mut depth = 0usize;
        for c in s.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let s = s
        .strip_prefix("for the ")
        .or(s.strip_prefix("For the "))
        .or(s.strip_prefix("for "))
        .unwrap_or(s);
    // A signature's closing word ("Your Rosa", "Deine Rosa", "Votre Léon").
    let s = match s.split_once(' ') {
        Some((w, rest))
            if role == "signature"
                && matches!(
                    w.to_lowercase().as_str(),
                    "your"
                        | "yours"
                        | "deine"
                        | "dein"
                        | "ihr"
                        | "ihre"
                        | "votre"
                        | "ton"
                        | "ta"
                        | "tuo"
                        | "tua"
                        | "tu"
                        | "su"
                        | "vostro"
                        | "vuestro"
                ) =>
        {
            rest.trim()
        }
        _ => s,
    };
    if shapes::looks_like_org(s) {
        let mut t = s;
        for art in ["the ", "The "] {
            t = t.strip_prefix(art).unwrap_or(t);
        }
        return t.trim().to_string();
    }
    let flat = strip_parens(s);
    if role == "sender" {
        let words: Vec<&str> = flat.split_whitespace().collect();
        let mut k = words.len();
        while k > 0
            && words[k - 1]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase())
        {
            k -= 1;
        }
        if k < words.len() {
            return words[k..].join(" ");
        }
    }
    let mut t = flat.as_str();
    for art in ["the ", "The ", "comrade ", "Comrade "] {
        t = t.strip_prefix(art).unwrap_or(t);
    }
    t.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salutations_and_generic_heads() {
        assert_eq!(salute_name("Dear Comrade Dunne:").as_deref(), Some("Dunne"));
        assert_eq!(salute_name("Dear Max,").as_deref(), Some("Max"));
        assert_eq!(salute_name("Dear comrades,"), None);
        assert_eq!(salute_name("Dear Friend,"), None);
        assert!(generic_letter_word("Letter"));
        assert!(generic_letter_word("Open letter"));
        assert!(!generic_letter_word("Leon Trotsky"));
    }

    #[test]
    fn replies_are_found_after_their_cue() {
        let date = |w: &str| Inline::Date {
            value: DateValue {
                when: Some(w.into()),
                ..Default::default()
            },
            content: vec![Inline::text("x")],
        };
        let p = vec![
            Inline::text("Thank you for your letter of the "),
            date("1946-12-16"),
            Inline::text(". We sent ours on "),
            date("1946-12-20"),
            Inline::text("; votre lettre du "),
            date("1947-01"),
        ];
        assert_eq!(reply_dates(&p), vec!["1946-12-16".to_string()]);
    }

    #[test]
    fn raw_names() {
        assert_eq!(
            raw_name("Letter of rupture Ignace Reiss (alias Ludwig)", "sender"),
            "Ignace Reiss"
        );
        assert_eq!(
            raw_name(
                "the Central Committee of the Communist Party of the Soviet Union",
                "addressee"
            ),
            "Central Committee of the Communist Party of the Soviet Union"
        );
        assert_eq!(raw_name("Natalia Sedova", "addressee"), "Natalia Sedova");
        assert_eq!(
            raw_name("for the Union Communiste (Trotskyste)", "signature"),
            "Union Communiste (Trotskyste)"
        );
    }
}
