//! Renderers of a [`Report`]: `human` (grouped, coloured on request), `json` (the schema in
//! the [module documentation](super)), `text` (a unified diff of the reading texts) and
//! `tei` (a TEI document with a critical apparatus). They write to any `io::Write`; line
//! numbers are computed here, from the byte spans of the report.

mod human;
mod json;
mod tei;
mod text;

pub use human::human;
pub use json::json;
pub use tei::tei;
pub use text::{reading_text, text};

use super::{Change, Location, Report};

/// The two inputs, as the renderers need them: names shown to the user and the texts the
/// spans point into.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Name of the old file (as the user gave it).
    pub old_name: &'a str,
    /// Text of the old file (as read, decoded).
    pub old_text: &'a str,
    /// Name of the new file.
    pub new_name: &'a str,
    /// Text of the new file.
    pub new_text: &'a str,
}

/// Byte offset → 1-based line.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        Lines { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Line numbers of both inputs.
pub(crate) struct LineMaps {
    pub old: Lines,
    pub new: Lines,
}

impl LineMaps {
    pub(crate) fn new(inputs: &Inputs<'_>) -> Self {
        LineMaps {
            old: Lines::new(inputs.old_text),
            new: Lines::new(inputs.new_text),
        }
    }

    pub(crate) fn old_line(&self, l: &Option<Location>) -> Option<usize> {
        l.as_ref().map(|l| self.old.line(l.span.start))
    }

    pub(crate) fn new_line(&self, l: &Option<Location>) -> Option<usize> {
        l.as_ref().map(|l| self.new.line(l.span.start))
    }
}

/// Top-level changes grouped by their `group`, groups in order of first appearance.
pub(crate) fn grouped(report: &Report) -> Vec<(String, Vec<&Change>)> {
    let mut out: Vec<(String, Vec<&Change>)> = Vec::new();
    for c in &report.changes {
        let g = c.group.clone().unwrap_or_else(|| "document".to_string());
        match out.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(c),
            None => out.push((g, vec![c])),
        }
    }
    out
}

/// "12 changes: 3 words replaced, 7 lacuna filled, …" (or "no changes").
pub fn summary_line(report: &Report) -> String {
    let counts = report.counts();
    if counts.is_empty() {
        return "no changes".to_string();
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(c, n)| format!("{n} {}", c.label()))
        .collect();
    format!(
        "{total} change{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}
