//! The "nothing lost" comparison: words of a transcription minus its bracket and marker
//! syntax. Shared by `tests/editions.rs` and `tests/convert_props.rs`.
#![allow(dead_code)]

use std::sync::LazyLock;

use regex::Regex;

static GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[\s*(?:(?:\.\s*){2,}\.?|…+|\.\.\.+)\s*\]|\[(?i:illegible|unreadable|indecipherable|illisible|unleserlich)(?:\s+\w+){0,2}\]").unwrap()
});
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[ \t]*\[(?:\d{1,3}[a-z]?\*?|\*{1,4}|†{1,3}|‡{1,2})\]").unwrap());
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

/// Splits a transcription into (main text, note bodies): a note body starts at a line that
/// starts with a note marker and runs to the next blank line or note body.
pub fn split_notes(text: &str) -> (String, Vec<String>) {
    let norm = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut main = String::new();
    let mut notes: Vec<String> = Vec::new();
    let mut in_note = false;
    for line in norm.split('\n') {
        let t = line.trim();
        if t.is_empty() {
            in_note = false;
            main.push('\n');
        } else if NOTE_BODY.is_match(t) {
            in_note = true;
            notes.push(t.to_string());
        } else if in_note {
            let last = notes.last_mut().expect("in a note");
            last.push('\n');
            last.push_str(t);
        } else {
            main.push_str(line);
            main.push('\n');
        }
    }
    (main, notes)
}
