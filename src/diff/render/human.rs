//! The human report: changes grouped by division or letter, one line each with where it is,
//! inner changes indented, and a summary line of counts per class.

use std::io::{self, Write};

use super::{Inputs, LineMaps, grouped, summary_line};
use crate::diff::{Change, Class, Report};

fn colour(c: Class) -> &'static str {
    match c {
        Class::WordsInserted
        | Class::NoteAdded
        | Class::LetterAdded
        | Class::ElementInserted
        | Class::NameTagged => "\x1b[32m",
        Class::WordsDeleted
        | Class::NoteRemoved
        | Class::LetterRemoved
        | Class::ElementRemoved
        | Class::NameUntagged => "\x1b[31m",
        Class::LacunaFilled | Class::LacunaIntroduced => "\x1b[35m",
        Class::BlockMoved => "\x1b[36m",
        Class::HeaderChanged => "\x1b[34m",
        _ => "\x1b[33m",
    }
}

/// Removes control characters so that document text cannot drive the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Writes the human report.
pub fn human(
    w: &mut dyn Write,
    report: &Report,
    inputs: &Inputs<'_>,
    color: bool,
) -> io::Result<()> {
    let lines = LineMaps::new(inputs);
    let (bold, dim, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    writeln!(w, "{bold}--- {}{reset}", clean(inputs.old_name))?;
    writeln!(w, "{bold}+++ {}{reset}", clean(inputs.new_name))?;
    for (group, changes) in grouped(report) {
        writeln!(w, "\n{bold}{}{reset}", clean(&group))?;
        for c in changes {
            // Inner changes by an explicit stack: (change, depth).
            let mut stack: Vec<(&Change, usize)> = vec![(c, 1)];
            while let Some((x, depth)) = stack.pop() {
                let pad = "  ".repeat(depth);
                let (open, close) = if color {
                    (colour(x.class), reset)
                } else {
                    ("", "")
                };
                let label = x.class.label();
                let detail = x
                    .summary
                    .split_once(": ")
                    .map_or(x.summary.as_str(), |(_, d)| d);
                writeln!(w, "{pad}{open}{label}{close}: {}", clean(detail))?;
                let mut at = Vec::new();
                let path = x
                    .new
                    .as_ref()
                    .or(x.old.as_ref())
                    .map(|l| l.path.clone())
                    .unwrap_or_default();
                match (lines.old_line(&x.old), lines.new_line(&x.new)) {
                    (Some(a), Some(b)) => at.push(format!("old line {a}, new line {b}")),
                    (Some(a), None) => at.push(format!("old line {a}")),
                    (None, Some(b)) => at.push(format!("new line {b}")),
                    (None, None) => {}
                }
                if x.class == Class::BlockMoved
                    && let (Some(o), Some(n)) = (&x.old, &x.new)
                {
                    at.push(format!("from {} to {}", o.path, n.path));
                } else if !path.is_empty() {
                    at.push(path);
                }
                if let Some(ctx) = &x.context
                    && (!ctx.before.is_empty() || !ctx.after.is_empty())
                {
                    at.push(format!("…{} ⟨…⟩ {}…", ctx.before, ctx.after));
                }
                writeln!(w, "{pad}  {dim}{}{reset}", clean(&at.join(" · ")))?;
                for i in x.inner.iter().rev() {
                    stack.push((i, depth + 1));
                }
            }
        }
    }
    for d in &report.degraded {
        writeln!(w, "\n{bold}note[{}]{reset}: {}", d.code, clean(&d.message))?;
    }
    writeln!(w, "\n{bold}{}{reset}", summary_line(report))
}
