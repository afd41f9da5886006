//! The "nothing lost" comparison: words of a transcription minus its bracket and marker
//! syntax. Shared by `tests/editions.rs` and `tests/convert_props.rs`.
#![allow(dead_code)]

use std::sync::LazyLock;

use regex::Regex;

static GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*(?:(?:\.\s*){2,}\.?|…+|\.\.\.+)\s*\]|\[(?i:illegible|unreadable|indecipherable|illisible|unleserlich)(?:\s+\w+){0,2}\]").unwrap()
});
/// A note marker; the converter writes a marker repeated in one division as "1 (2)".
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[ \t]*\[(?:\d{1,3}[a-z]?\*?|\*{1,4}|†{1,3}|‡{1,2})(?: \(\d+\))?\]").unwrap()
});
static NOTES_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:notes|footnotes|endnotes|notes and references|references|editor[’']?s notes?|translator[’']?s notes?)\s*:?$").unwrap()
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\(\d{1,3}\)|\d{1,3}[.)])\s+").unwrap());
static NOTE_BODY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(?:\d{1,3}[a-z]?\*?|\*{1,4}|†{1,3}|‡{1,2})\]\s*\S").unwrap());

/// Words with lacunae, note markers and square brackets removed.
pub fn words(s: &str) -> Vec<String> {
    let s = GAP.replace_all(s, " ");
    let s = MARKER.replace_all(&s, "");
    let s = s.replace(['[', ']'], "");
    s.split_whitespace().map(str::to_string).collect()
}

/// Deletes byte ranges from a text (replacing each by a line break).
pub fn without(text: &str, mut spans: Vec<std::ops::Range<usize>>) -> String {
    spans.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in spans {
        if r.start < at {
            at = at.max(r.end);
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push('\n');
        at = r.end;
    }
    out.push_str(&text[at.min(text.len())..]);
    out
}

/// Note bodies of a transcription, as byte ranges of the source (marker or number
/// included): a note body starts at a line that starts with a note marker (or, under a
/// "Notes" heading, a number "1." / "(1)") and runs to the next blank line or note body.
pub fn note_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut in_note = false;
    let mut in_section = false;
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = line.trim();
        let lead = line.len() - line.trim_start().len();
        if t.is_empty() {
            in_note = false;
        } else if NOTES_HEADING.is_match(t) {
            in_section = true;
            in_note = false;
        } else if NOTE_BODY.is_match(t) || (in_section && NUMBERED.is_match(t)) {
            in_note = true;
            out.push(start + lead..start + line.len());
        } else if in_note {
            if let Some(last) = out.last_mut() {
                last.end = start + line.len();
            }
        } else {
            in_section = false;
        }
    }
    out
}

/// Splits a transcription into (main text without the note bodies, note bodies), after
/// deleting the `removed` ranges (reported removals).
pub fn split(text: &str, removed: &[std::ops::Range<usize>]) -> (String, Vec<String>) {
    let notes = note_spans(text);
    let bodies: Vec<String> = notes
        .iter()
        .filter(|n| !removed.iter().any(|r| r.start <= n.start && n.end <= r.end))
        .map(|n| NUMBERED.replace(&text[n.clone()], "").into_owned())
        .collect();
    let mut all: Vec<std::ops::Range<usize>> = removed.to_vec();
    all.extend(notes);
    (without(text, all), bodies)
}
