//! Structure of the body: units (paragraph-sized pieces of the source), letters with their
//! opener, closer and postscripts, sections, note bodies.
//!
//! Works on byte ranges only; the inline stage turns each range into model inlines.
//!
//! Letters are found by shape: a head "X to Y" confirmed by a dateline or salutation on the
//! next line; or a dateline followed by a salutation; or a salutation outside any letter.
//! A letter runs to the next letter start. Its tail is read backwards: postscripts start at
//! the first "P.S."/"PS.1"/"N.B."/"Address:" paragraph; before them, a closing salutation
//! ("fraternal greetings") among the last few paragraphs anchors the closer, followed by a
//! signature (a short name line) and datelines; anything else after the closer is an
//! unlabelled postscript (an address block). Without a closing salutation, a signature
//! followed only by datelines is the closer.

use std::collections::HashMap;
use std::ops::Range;

use super::dates::{self, DateCtx, Found};
use super::header::Fate;
use super::lines::{Line, word_count_max};
use super::shapes;

/// A paragraph-sized piece of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Byte range (first line start to last line end).
    pub range: Range<usize>,
    /// Number of source lines.
    pub lines: usize,
    /// Whether the line breaks are significant (short lines: addresses, verse).
    pub line_breaks: bool,
}

/// What a unit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UKind {
    /// Running text.
    Text,
    /// A note body "[1] …": label and content range.
    NoteBody(String, Range<usize>),
    /// "Notes".
    NotesHeading,
    /// "X to Y" (unconfirmed).
    LetterHead,
    /// "Place, date".
    Dateline,
    /// "Dear …,".
    Salute,
    /// "to La Lutte de Classes".
    ToLine,
    /// "P.S.: …": end of the label.
    Ps(usize),
}

/// Structure built from units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RBlock {
    /// A heading.
    Head(Range<usize>, Option<&'static str>),
    /// An author line.
    Byline(Range<usize>),
    /// A statement of the source edition.
    Ab(Range<usize>),
    /// A paragraph.
    P(Unit),
    /// A note body.
    NoteBody(Unit, String, Range<usize>),
    /// A notes heading.
    NotesHeading(Unit),
    /// A section: heading and content.
    Section(Range<usize>, Vec<RBlock>),
    /// A letter.
    Letter(Box<RLetter>),
}

/// Parts of an opener or closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// `dateline`.
    Dateline,
    /// `salute`.
    Salute,
    /// `signed`.
    Signed,
}

/// A letter's structure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RLetter {
    /// Head line.
    pub head: Option<Range<usize>>,
    /// Opener parts.
    pub opener: Vec<(Part, Range<usize>)>,
    /// Content.
    pub blocks: Vec<RBlock>,
    /// Closer parts.
    pub closer: Vec<(Part, Range<usize>)>,
    /// Postscripts: label range and paragraphs.
    pub postscripts: Vec<(Option<Range<usize>>, Vec<Unit>)>,
    /// Note bodies after the letter's content.
    pub trailing: Vec<RBlock>,
}

/// A dateline: the date found at its end, if the part before it is a place (or nothing).
pub(crate) fn is_dateline(s: &str, ctx: &DateCtx) -> Option<Found> {
    if s.len() > 200 || word_count_max(s, 12) > 12 || s.contains('\n') {
        return None;
    }
    let f = dates::parse_tail(s, ctx)?;
    let precise = f.problem.is_some()
        || f.value.when.as_deref().is_some_and(|w| w.len() >= 7)
        || f.value.not_before.is_some()
        || f.value.not_after.is_some();
    if !precise {
        return None;
    }
    let place = strip_date_article(s[..f.range.start].trim().trim_end_matches(',').trim());
    if place.is_empty() {
        return Some(f);
    }
    let ok = word_count_max(place, 6) <= 6
        && place
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '[')
        && !place.ends_with(['!', '?', ';', ':'])
        && place.split_whitespace().all(|w| {
            let w = w.trim_start_matches('[');
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    w,
                    "de" | "del" | "la" | "le" | "sur" | "am" | "an" | "bei" | "on" | "upon" | "en"
                )
        });
    ok.then_some(f)
}

/// A place part without a trailing article that belongs to the date ("Berlin, den",
/// "Paris, le").
pub(crate) fn strip_date_article(place: &str) -> &str {
    for art in [" den", " le", " el", " il", " am", " the", " on"] {
        if let Some(p) = place.strip_suffix(art) {
            return p.trim_end().trim_end_matches(',').trim_end();
        }
    }
    place
}

/// "X to Y" shape of a letter head.
pub(crate) fn is_letter_head_shape(s: &str) -> bool {
    if s.len() > 250
        || word_count_max(s, 30) > 30
        || s.contains('\n')
        || s.ends_with(['.', '!', '?', ';', ':', ','])
    {
        return false;
    }
    split_head(s).is_some()
}

/// Splits a letter head at its "to" (or "an", "à", "au", "aux", "a" in German, French,
/// Spanish and Italian heads): (sender part, addressee part) as byte ranges. The addressee
/// must start with a capital, after an optional article or "comrade" for English "to".
pub(crate) fn split_head(s: &str) -> Option<(Range<usize>, Range<usize>)> {
    const LINKS: &[(&str, bool)] = &[
        (" to ", true),
        (" an ", false),
        (" à ", false),
        (" au ", false),
        (" aux ", false),
        (" a ", false),
    ];
    let mut best: Option<(Range<usize>, Range<usize>)> = None;
    for &(link, articles) in LINKS {
        let mut from = 0;
        while let Some(i) = s[from..].find(link) {
            let at = from + i;
            let lhs = s[..at].trim();
            let rhs_t = s[at + link.len()..].trim_start();
            let first = rhs_t.split_whitespace().next().unwrap_or("");
            let article = articles
                && matches!(
                    first.to_lowercase().as_str(),
                    "the"
                        | "la"
                        | "le"
                        | "les"
                        | "der"
                        | "die"
                        | "das"
                        | "el"
                        | "comrade"
                        | "comrades"
                );
            let rhs_ok = rhs_t.chars().next().is_some_and(char::is_uppercase)
                || (article
                    && rhs_t[first.len()..]
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase));
            let lhs_ok = lhs.split_whitespace().any(|w| {
                w.trim_start_matches('(')
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            }) && lhs
                .chars()
                .last()
                .is_some_and(|c| c.is_alphabetic() || c == ')' || c == '.');
            if lhs_ok && rhs_ok {
                // The first qualifying link in the text wins.
                if best.as_ref().is_none_or(|(l, _)| at < l.end) {
                    best = Some((0..at, at + link.len()..s.len()));
                }
                break;
            }
            from = at + link.len();
        }
    }
    best
}

/// Groups the body's lines into units.
pub(crate) fn units(text: &str, lines: &[Line], fate: &[Fate], from: usize) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    let flush = |block: &mut Vec<usize>, out: &mut Vec<Unit>| {
        if block.is_empty() {
            return;
        }
        let lens: Vec<usize> = block
            .iter()
            .map(|&i| text[lines[i].range.clone()].chars().count())
            .collect();
        let wrapped_prose = lens[..lens.len() - 1].iter().all(|&n| n >= 55);
        // Split at lines that start a structural unit.
        let mut start = 0;
        for k in 1..=block.len() {
            let split = k == block.len() || {
                let s = &text[lines[block[k]].range.clone()];
                shapes::note_body(s).is_some()
                    || shapes::ps_label(s).is_some()
                    || (!wrapped_prose
                        && (shapes::is_salute(s)
                            || shapes::is_closing(s)
                            || is_dateline(s, &DateCtx::default()).is_some()
                            || is_letter_head_shape(s)
                            || shapes::is_notes_heading(s)
                            || (k > 0
                                && shapes::is_closing(&text[lines[block[k - 1]].range.clone()])
                                && shapes::is_signature(s))))
            };
            if split {
                let part = &block[start..k];
                let r = lines[part[0]].range.start..lines[part[part.len() - 1]].range.end;
                let part_lens = &lens[start..k];
                out.push(Unit {
                    range: r,
                    lines: part.len(),
                    line_breaks: part.len() > 1
                        && part_lens[..part_lens.len() - 1].iter().any(|&n| n < 55),
                });
                start = k;
            }
        }
        block.clear();
    };
    for i in from..lines.len() {
        if lines[i].is_blank() || fate[i] != Fate::Text {
            flush(&mut block, &mut out);
        } else {
            block.push(i);
        }
    }
    flush(&mut block, &mut out);
    out
}

/// Classifies a unit.
/// What a unit is. A dateline's date is kept in `datelines` (by the unit's range), so that
/// the inline stage need not parse it again.
pub(crate) fn classify(
    text: &str,
    u: &Unit,
    ctx: &DateCtx,
    datelines: &mut HashMap<(usize, usize), Found>,
) -> UKind {
    let s = &text[u.range.clone()];
    if let Some((label, len)) = shapes::note_body(s) {
        return UKind::NoteBody(label.to_string(), u.range.start + len..u.range.end);
    }
    if u.lines == 1 {
        if shapes::is_notes_heading(s) {
            return UKind::NotesHeading;
        }
        if let Some(f) = is_dateline(s, ctx) {
            datelines.insert((u.range.start, u.range.end), f);
            return UKind::Dateline;
        }
        if shapes::is_salute(s) {
            return UKind::Salute;
        }
        if shapes::is_to_line(s) {
            return UKind::ToLine;
        }
        if is_letter_head_shape(s) {
            return UKind::LetterHead;
        }
    }
    if let Some(n) = shapes::ps_label(s) {
        return UKind::Ps(u.range.start + n);
    }
    UKind::Text
}

fn is_opener(k: &UKind) -> bool {
    matches!(k, UKind::Dateline | UKind::Salute | UKind::ToLine)
}

fn is_note(k: &UKind) -> bool {
    matches!(k, UKind::NoteBody(..) | UKind::NotesHeading)
}

/// Under a notes heading, bodies may be numbered without brackets ("1. The crisis of …",
/// "(2) See …"): reclassifies them as note bodies with that number as label.
pub(crate) fn numbered_notes(text: &str, units: &mut [(Unit, UKind)]) {
    use regex::Regex;
    use std::sync::LazyLock;
    static NUMBERED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:\((?P<a>\d{1,3})\)|(?P<b>\d{1,3})[.)])\s+\S").unwrap());
    let mut in_notes = false;
    for (u, k) in units.iter_mut() {
        match k {
            UKind::NotesHeading => in_notes = true,
            UKind::NoteBody(..) => {}
            _ if in_notes => {
                let s = &text[u.range.clone()];
                if let Some(c) = NUMBERED.captures(prefix(s, 16)) {
                    let label = c.name("a").or(c.name("b")).map(|m| m.as_str().to_string());
                    let start = c.get(0).map(|m| m.end() - 1).unwrap_or(0);
                    if let Some(label) = label {
                        *k = UKind::NoteBody(label, u.range.start + start..u.range.end);
                        continue;
                    }
                }
                in_notes = false;
            }
            _ => {}
        }
    }
}

/// The first bytes of a string, at most `n`, on a character boundary.
fn prefix(s: &str, n: usize) -> &str {
    let mut e = s.len().min(n);
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    &s[..e]
}

/// Builds the body structure from classified units.
pub(crate) fn structure(text: &str, units: Vec<(Unit, UKind)>) -> Vec<RBlock> {
    let n = units.len();
    // Where letters start.
    let mut starts: Vec<usize> = Vec::new();
    let mut in_letter = false;
    let mut opener_zone = false;
    let next_real = |i: usize| (i + 1..n).find(|&j| !is_note(&units[j].1));
    let mut prev_real: Option<usize> = None;
    for i in 0..n {
        let k = &units[i].1;
        if is_note(k) {
            continue;
        }
        let next_kind = next_real(i).map(|j| &units[j].1);
        let start = match k {
            UKind::LetterHead => next_kind.is_some_and(is_opener),
            UKind::Dateline => {
                !opener_zone && matches!(next_kind, Some(UKind::Salute | UKind::ToLine))
            }
            UKind::Salute | UKind::ToLine => {
                !opener_zone
                    && (!in_letter
                        || prev_real.is_some_and(|p| {
                            let s = &text[units[p].0.range.clone()];
                            shapes::is_signature(s) || shapes::is_closing(s)
                        }))
            }
            _ => false,
        };
        if start {
            starts.push(i);
            in_letter = true;
            opener_zone = true;
        } else if !is_opener(k) {
            opener_zone = false;
        }
        prev_real = Some(i);
    }
    let first = starts.first().copied().unwrap_or(n);
    let mut out = top_level(text, &units[..first]);
    for (x, &s) in starts.iter().enumerate() {
        let e = starts.get(x + 1).copied().unwrap_or(n);
        out.push(RBlock::Letter(Box::new(letter(text, &units[s..e]))));
    }
    out
}

fn note_block(u: &Unit, k: &UKind) -> Option<RBlock> {
    match k {
        UKind::NoteBody(l, c) => Some(RBlock::NoteBody(u.clone(), l.clone(), c.clone())),
        UKind::NotesHeading => Some(RBlock::NotesHeading(u.clone())),
        _ => None,
    }
}

/// Paragraphs, notes and sections outside letters.
fn top_level(text: &str, units: &[(Unit, UKind)]) -> Vec<RBlock> {
    let mut out: Vec<RBlock> = Vec::new();
    let mut section: Option<(Range<usize>, Vec<RBlock>)> = None;
    for (i, (u, k)) in units.iter().enumerate() {
        let b = if let Some(nb) = note_block(u, k) {
            nb
        } else {
            let s = &text[u.range.clone()];
            let prev_prose = i > 0
                && units[i - 1].1 == UKind::Text
                && word_count_max(&text[units[i - 1].0.range.clone()], 15) >= 15;
            let next_text = units
                .get(i + 1)
                .is_some_and(|(_, k)| *k == UKind::Text || matches!(k, UKind::Ps(_)));
            // The first line of the body may be a heading too, when prose follows it.
            let prev_prose = prev_prose
                || (i == 0
                    && units
                        .get(1)
                        .is_some_and(|(n, _)| shapes::is_prose(&text[n.range.clone()])));
            if u.lines == 1
                && matches!(k, UKind::Text | UKind::LetterHead)
                && shapes::is_heading_shape(s)
                && prev_prose
                && next_text
            {
                if let Some((h, blocks)) = section.take() {
                    out.push(RBlock::Section(h, blocks));
                }
                section = Some((u.range.clone(), Vec::new()));
                continue;
            }
            RBlock::P(u.clone())
        };
        match &mut section {
            Some((_, blocks)) => blocks.push(b),
            None => out.push(b),
        }
    }
    if let Some((h, blocks)) = section {
        out.push(RBlock::Section(h, blocks));
    }
    out
}

/// One letter.
fn letter(text: &str, units: &[(Unit, UKind)]) -> RLetter {
    let mut l = RLetter::default();
    let mut i = 0;
    if units.first().is_some_and(|(_, k)| *k == UKind::LetterHead) {
        l.head = Some(units[0].0.range.clone());
        i = 1;
    }
    while i < units.len() && is_opener(&units[i].1) && l.opener.len() < 5 {
        let part = match units[i].1 {
            UKind::Dateline => Part::Dateline,
            _ => Part::Salute,
        };
        l.opener.push((part, units[i].0.range.clone()));
        i += 1;
    }
    let mut rest: Vec<(Unit, UKind)> = units[i..].to_vec();
    // A salutation running into the first paragraph.
    if !l.opener.iter().any(|(p, _)| *p == Part::Salute)
        && let Some((u, UKind::Text)) = rest.first()
        && let Some(len) = shapes::salute_prefix(&text[u.range.clone()])
    {
        let split = u.range.start + len;
        l.opener.push((Part::Salute, u.range.start..split));
        let after = text[split..u.range.end].len() - text[split..u.range.end].trim_start().len();
        rest[0].0 = Unit {
            range: split + after..u.range.end,
            lines: u.lines,
            line_breaks: u.line_breaks,
        };
    }
    let items: Vec<usize> = (0..rest.len()).filter(|&x| !is_note(&rest[x].1)).collect();
    let kind = |x: usize| &rest[items[x]].1;
    let utext = |x: usize| &text[rest[items[x]].0.range.clone()];
    let single = |x: usize| rest[items[x]].0.lines == 1;
    // First postscript label (not the very first item).
    let p = (1..items.len())
        .find(|&x| matches!(kind(x), UKind::Ps(_)))
        .unwrap_or(items.len());
    let tail_ok = |x: usize| {
        matches!(kind(x), UKind::Dateline | UKind::Ps(_))
            || shapes::is_signature(utext(x))
            || word_count_max(utext(x), 25) <= 25
    };
    let salute_at = (p.saturating_sub(4)..p)
        .rev()
        .find(|&x| shapes::is_closing(utext(x)) && (x + 1..p).all(tail_ok) && x >= 1);
    let body_end;
    let mut loose_ps: Vec<usize> = Vec::new();
    if let Some(x) = salute_at {
        l.closer
            .push((Part::Salute, rest[items[x]].0.range.clone()));
        let mut j = x + 1;
        if j < p && single(j) && *kind(j) == UKind::Text && shapes::is_signature(utext(j)) {
            l.closer
                .push((Part::Signed, rest[items[j]].0.range.clone()));
            j += 1;
        }
        while j < p && *kind(j) == UKind::Dateline {
            l.closer
                .push((Part::Dateline, rest[items[j]].0.range.clone()));
            j += 1;
        }
        loose_ps.extend(j..p);
        body_end = x;
    } else {
        let mut j = p;
        while j > 1 && *kind(j - 1) == UKind::Dateline {
            j -= 1;
        }
        if j >= 2
            && single(j - 1)
            && *kind(j - 1) == UKind::Text
            && shapes::is_signature(utext(j - 1))
        {
            l.closer
                .push((Part::Signed, rest[items[j - 1]].0.range.clone()));
            body_end = j - 1;
        } else {
            body_end = j;
        }
        for x in j..p {
            l.closer
                .push((Part::Dateline, rest[items[x]].0.range.clone()));
        }
    }
    // Content and notes, in order.
    let body_end_pos = items.get(body_end).copied().unwrap_or(rest.len());
    for (x, (u, k)) in rest.iter().enumerate() {
        if let Some(nb) = note_block(u, k) {
            if x < body_end_pos {
                l.blocks.push(nb);
            } else {
                l.trailing.push(nb);
            }
        } else if x < body_end_pos {
            l.blocks.push(RBlock::P(u.clone()));
        }
    }
    // Postscripts.
    if !loose_ps.is_empty() {
        l.postscripts.push((
            None,
            loose_ps.iter().map(|&x| rest[items[x]].0.clone()).collect(),
        ));
    }
    for x in p..items.len() {
        let u = &rest[items[x]].0;
        if let UKind::Ps(end) = *kind(x) {
            let after = &text[end..u.range.end];
            let skip = after.len() - after.trim_start().len();
            let paras = if end + skip < u.range.end {
                vec![Unit {
                    range: end + skip..u.range.end,
                    lines: u.lines,
                    line_breaks: u.line_breaks,
                }]
            } else {
                Vec::new()
            };
            l.postscripts.push((Some(u.range.start..end), paras));
        } else if let Some(last) = l.postscripts.last_mut() {
            last.1.push(u.clone());
        } else {
            l.postscripts.push((None, vec![u.clone()]));
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_datelines() {
        let ctx = DateCtx {
            range: Some((1946, 1949)),
            ..Default::default()
        };
        assert!(is_letter_head_shape(
            "Union Communiste (Trotskyste) to Natalia Sedova"
        ));
        assert!(is_letter_head_shape(
            "Natalia Sedova to the Union Communiste (Trotskyste)"
        ));
        assert!(is_letter_head_shape(
            "Letter of rupture Ignace Reiss (alias Ludwig) to the Central Committee of the Communist Party of the Soviet Union"
        ));
        assert!(is_letter_head_shape("Trotsky to Max Shachtman"));
        assert!(is_letter_head_shape("Rosa Luxemburg an Leo Jogiches"));
        assert!(is_letter_head_shape("Lettre de Trotsky à Alfred Rosmer"));
        assert!(!is_letter_head_shape("A new party to build"));
        assert!(is_dateline("Berlin, den 5. März 1899", &ctx).is_some());
        assert!(!is_letter_head_shape("to La Lutte de Classes"));
        assert!(!is_letter_head_shape(
            "We went to Paris and then to the sea."
        ));
        assert!(is_dateline("Paris, 16th December 1946", &ctx).is_some());
        assert!(is_dateline("Coyoacan, 28.1.47", &ctx).is_some());
        assert!(is_dateline("July 17, 1937", &ctx).is_some());
        assert!(is_dateline("[Paris,] 4 May 1947", &ctx).is_some());
        assert!(is_dateline("1946 - 1949", &ctx).is_none());
        assert!(is_dateline("He came back on 12 July 1947", &ctx).is_none());
    }
}
