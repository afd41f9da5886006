//! The reading texts and their unified diff.
//!
//! The reading text of a document is one line per text block (a flow of the diff view) of
//! `text` (the header is left out), words joined by single spaces, a lacuna as `[…]`, a note
//! as `[note n]` with the note's own text on the following lines, indented.

use std::io::{self, Write};

use similar::TextDiff;

use super::Inputs;
use crate::diff::tree::{ItemKind, Names, View};
use crate::xml::Document;

/// The reading text of a document (see the module documentation).
pub fn reading_text(doc: &Document) -> String {
    let mut names = Names::new([doc, doc]);
    let v = View::build(doc, 0, &mut names);
    let mut flows: Vec<(u32, u32, usize)> = Vec::new();
    for (i, it) in v.items.iter().enumerate() {
        if it.kind == ItemKind::Flow && !it.ctx.header {
            // Depth in notes: count enclosing atomic items.
            let mut depth = 0;
            let mut p = it.parent;
            let mut steps = 0;
            while p != super::super::tree::NONE && steps < 64 {
                let pi = &v.items[p as usize];
                if pi.flow_parent != super::super::tree::NONE {
                    depth += 1;
                    p = pi.flow_parent;
                } else {
                    p = pi.parent;
                }
                steps += 1;
            }
            flows.push((it.node.0, i as u32, depth));
        }
    }
    flows.sort_unstable();
    let mut out = String::new();
    for (_, id, depth) in flows {
        let fd = v.flow_data(id, &names);
        let mut line = String::new();
        let mut marks = fd.marks.iter().filter(|m| m.anchor).peekable();
        for w in 0..=fd.words.len() {
            while let Some(m) = marks.peek() {
                if m.start.w as usize > w || (m.start.w as usize == w && m.start.off > 0) {
                    break;
                }
                let local = names.info(m.name).local.as_str();
                let t = match local {
                    "gap" => Some("[…]".to_string()),
                    "note" => Some(match v.doc.node(m.node).attribute(None, "n") {
                        Some(n) => format!("[note {n}]"),
                        None => "[note]".to_string(),
                    }),
                    _ => None,
                };
                if let Some(t) = t {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(&t);
                }
                marks.next();
            }
            if w < fd.words.len() {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(fd.word(w));
            }
        }
        if line.is_empty() {
            continue;
        }
        for _ in 0..depth {
            out.push_str("    ");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Writes a unified diff (3 lines of context) of the two reading texts.
pub fn text(
    w: &mut dyn Write,
    old: &Document,
    new: &Document,
    inputs: &Inputs<'_>,
) -> io::Result<()> {
    let a = reading_text(old);
    let b = reading_text(new);
    let d = TextDiff::configure()
        .timeout(std::time::Duration::from_secs(10))
        .diff_lines(&a, &b);
    let mut u = d.unified_diff();
    u.context_radius(3).header(inputs.old_name, inputs.new_name);
    write!(w, "{u}")
}
