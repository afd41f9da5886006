//! Renderers: the only place where byte spans become `line:col`.
//!
//! * [`human`]: `path:line:col: error[CODE]: message`, then the source line with the span
//!   underlined (rendered by `codespan-reporting`), help and notes. Colours only when asked.
//! * [`json_line`]: one JSON object per diagnostic (JSON Lines), with both byte spans and
//!   1-based line/column.
//! * [`github`]: GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
//! * [`junit`]: a JUnit XML report, one test case per checked file.

use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files as csf;
use codespan_reporting::term;

use super::{Diagnostic, FileId, Files, Severity};

/// Output formats every subcommand understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, with the source line underlined.
    #[default]
    Human,
    /// JSON Lines: one object per diagnostic.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML (one test case per file).
    Junit,
}

/// Resolved position of a span, for the machine formats.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// Path of the file as the user named it.
    pub file: String,
    /// 1-based line of the span start.
    pub line: usize,
    /// 1-based column (characters) of the span start.
    pub column: usize,
    /// 1-based line of the span end.
    pub end_line: usize,
    /// 1-based column of the span end.
    pub end_column: usize,
    /// Byte range.
    pub span: [usize; 2],
}

/// Resolves a label's span to line/column.
pub fn position(files: &Files, file: FileId, span: &Range<usize>) -> Position {
    let f = files.get(file);
    let (line, column) = f.line_col(span.start);
    let (end_line, end_column) = f.line_col(span.end);
    Position {
        file: f.name().to_string(),
        line,
        column,
        end_line,
        end_column,
        span: [span.start, span.end],
    }
}

/// Adapter so that codespan-reporting can read our [`Files`].
struct CsFiles<'a>(&'a Files);

impl<'a> csf::Files<'a> for CsFiles<'a> {
    type FileId = FileId;
    type Name = String;
    type Source = SourceText;

    fn name(&'a self, id: FileId) -> Result<String, csf::Error> {
        Ok(self
            .0
            .try_get(id)
            .ok_or(csf::Error::FileMissing)?
            .name()
            .to_string())
    }

    fn source(&'a self, id: FileId) -> Result<SourceText, csf::Error> {
        Ok(SourceText(
            self.0
                .try_get(id)
                .ok_or(csf::Error::FileMissing)?
                .text_arc(),
        ))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, csf::Error> {
        let f = self.0.try_get(id).ok_or(csf::Error::FileMissing)?;
        Ok(f.line_col(byte_index).0 - 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, csf::Error> {
        let f = self.0.try_get(id).ok_or(csf::Error::FileMissing)?;
        let starts = f.line_starts();
        let start = *starts.get(line_index).ok_or(csf::Error::LineTooLarge {
            given: line_index,
            max: starts.len().saturating_sub(1),
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(f.text().len());
        Ok(start..end)
    }
}

/// Shared text handle that codespan can borrow as `&str`.
struct SourceText(std::sync::Arc<str>);

impl AsRef<str> for SourceText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Longest stretch of a source line shown; long lines (minified XML, 50 MB attributes) are
/// cut around the span so that output stays readable and bounded.
const MAX_SHOWN_LINE: usize = 240;

/// Renders diagnostics for people.
///
/// With `color`, ANSI colours are used; pass `false` when `NO_COLOR` is set or the output is
/// not a terminal. Lines longer than a screen are cut around the span.
pub fn human(
    out: &mut dyn Write,
    files: &Files,
    diags: &[Diagnostic],
    color: bool,
) -> io::Result<()> {
    for d in diags {
        human_one(out, files, d, color)?;
    }
    Ok(())
}

fn human_one(out: &mut dyn Write, files: &Files, d: &Diagnostic, color: bool) -> io::Result<()> {
    // A short, grep-friendly first line that every editor and CI log understands.
    let sev = d.severity;
    let (open, close) = if color {
        match sev {
            Severity::Error => ("\x1b[1;31m", "\x1b[0m"),
            Severity::Warning => ("\x1b[1;33m", "\x1b[0m"),
            Severity::Note => ("\x1b[1;36m", "\x1b[0m"),
        }
    } else {
        ("", "")
    };
    let loc = match &d.primary {
        Some(l) => {
            let p = position(files, l.file, &l.span);
            format!("{}:{}:{}: ", p.file, p.line, p.column)
        }
        None => String::new(),
    };
    writeln!(
        out,
        "{loc}{open}{sev}[{}]{close}: {}",
        d.code.id,
        sanitize(&d.message)
    )?;

    // The source excerpt, rendered by codespan-reporting (labels only, no header).
    let shown = excerpt_files(files, d);
    if let Some((excerpt, labels)) = shown {
        let mut cd = cs::Diagnostic::new(match sev {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        })
        .with_labels(labels);
        if let Some(h) = &d.help {
            cd = cd.with_notes(vec![format!("help: {}", sanitize(h))]);
        }
        for n in &d.notes {
            cd.notes.push(format!("note: {}", sanitize(n)));
        }
        let config = term::Config {
            display_style: term::DisplayStyle::Rich,
            chars: term::Chars::ascii(),
            before_label_lines: 0,
            after_label_lines: 0,
            ..Default::default()
        };
        let mut buf = Vec::new();
        let r = if color {
            let mut w = term::termcolor::Ansi::new(&mut buf);
            term::emit_to_write_style(&mut w, &config, &CsFiles(&excerpt), &cd)
        } else {
            let mut w = term::termcolor::NoColor::new(&mut buf);
            term::emit_to_write_style(&mut w, &config, &CsFiles(&excerpt), &cd)
        };
        if r.is_ok() {
            // Drop codespan's own header line ("error: "), we printed ours.
            let text = String::from_utf8_lossy(&buf);
            // Drop codespan's own header line and its "--> file:line:col" line: our first
            // line already says where.
            for l in text
                .lines()
                .skip(1)
                .filter(|l| !l.trim_start().starts_with("-->"))
            {
                writeln!(out, "{l}")?;
            }
        }
    } else {
        if let Some(h) = &d.help {
            writeln!(out, "  = help: {}", sanitize(h))?;
        }
        for n in &d.notes {
            writeln!(out, "  = note: {}", sanitize(n))?;
        }
    }
    Ok(())
}

/// Builds a small [`Files`] holding only the lines the labels touch (cut to a readable
/// width), so that rendering cost and output size do not depend on the file size.
fn excerpt_files(files: &Files, d: &Diagnostic) -> Option<(Files, Vec<cs::Label<FileId>>)> {
    let primary = d.primary.as_ref()?;
    let excerpt = Files::new();
    let mut labels = Vec::new();
    let all = std::iter::once((primary, true)).chain(d.secondary.iter().map(|l| (l, false)));
    for (label, is_primary) in all {
        let f = files.try_get(label.file)?;
        let (line, _) = f.line_col(label.span.start);
        let range = f.line_range(line - 1)?;
        let text = f.text();
        // Cut the line around the span start.
        let mut start = range.start;
        let mut end = range.end;
        if end - start > MAX_SHOWN_LINE {
            start = label
                .span
                .start
                .saturating_sub(MAX_SHOWN_LINE / 3)
                .max(range.start);
            end = (start + MAX_SHOWN_LINE).min(range.end);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
        }
        let shown = sanitize(&text[start..end]);
        // Pad with blank lines so codespan prints the real line number.
        let mut padded = "\n".repeat(line - 1);
        let offset = padded.len();
        padded.push_str(&shown);
        padded.push('\n');
        let id = excerpt.add(f.name().to_string(), padded);
        let s = label.span.start.clamp(start, end) - start;
        let e = label.span.end.clamp(start, end) - start;
        // sanitize() keeps byte lengths only for clean text; clamp to be safe.
        let s = (offset + s).min(offset + shown.len());
        let e = (offset + e).min(offset + shown.len()).max(s);
        let style = if is_primary {
            cs::LabelStyle::Primary
        } else {
            cs::LabelStyle::Secondary
        };
        labels.push(cs::Label::new(style, id, s..e).with_message(sanitize(&label.message)));
    }
    Some((excerpt, labels))
}

/// Replaces control characters (terminal escapes from hostile input) with U+FFFD-free
/// visible escapes, keeping tabs.
fn sanitize(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\t' && c != '\n') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\t' && c != '\n' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One diagnostic as a JSON value (the object written per line by `--format json`).
pub fn json_value(files: &Files, d: &Diagnostic) -> serde_json::Value {
    let label = |l: &super::Label| {
        let mut v = serde_json::to_value(position(files, l.file, &l.span)).unwrap_or_default();
        if !l.message.is_empty() {
            v["message"] = serde_json::Value::String(l.message.clone());
        }
        v
    };
    let mut v = serde_json::json!({
        "code": d.code.id,
        "severity": d.severity,
        "message": d.message,
    });
    if let Some(p) = &d.primary {
        v["location"] = label(p);
    }
    if !d.secondary.is_empty() {
        v["related"] = d.secondary.iter().map(label).collect();
    }
    if let Some(h) = &d.help {
        v["help"] = serde_json::Value::String(h.clone());
    }
    if !d.notes.is_empty() {
        v["notes"] = serde_json::to_value(&d.notes).unwrap_or_default();
    }
    v
}

/// Writes diagnostics as JSON Lines.
pub fn json_lines(out: &mut dyn Write, files: &Files, diags: &[Diagnostic]) -> io::Result<()> {
    for d in diags {
        writeln!(out, "{}", json_value(files, d))?;
    }
    Ok(())
}

/// Writes GitHub Actions workflow commands.
pub fn github(out: &mut dyn Write, files: &Files, diags: &[Diagnostic]) -> io::Result<()> {
    fn esc_data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &d.primary {
            let p = position(files, l.file, &l.span);
            props.push(format!("file={}", esc_prop(&p.file)));
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
            if p.end_line == p.line {
                props.push(format!("endColumn={}", p.end_column.max(p.column)));
            }
        }
        props.push(format!("title={}", esc_prop(d.code.id)));
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        writeln!(out, "::{kind} {}::{}", props.join(","), esc_data(&msg))?;
    }
    Ok(())
}

/// One test case of a JUnit report: a checked file and what was found in it.
#[derive(Debug)]
pub struct JunitCase<'a> {
    /// The file's name as shown to the user.
    pub name: String,
    /// Seconds spent on it.
    pub seconds: f64,
    /// Diagnostics of this file.
    pub diags: &'a [Diagnostic],
}

/// Writes a JUnit XML report: each case fails if it has an error diagnostic.
pub fn junit(
    out: &mut dyn Write,
    files: &Files,
    suite: &str,
    cases: &[JunitCase<'_>],
) -> io::Result<()> {
    fn esc(s: &str) -> String {
        let mut o = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' => o.push_str("&gt;"),
                '"' => o.push_str("&quot;"),
                c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {
                    o.push_str(&format!("\\u{{{:x}}}", c as u32))
                }
                c => o.push(c),
            }
        }
        o
    }
    let failures = cases
        .iter()
        .filter(|c| c.diags.iter().any(|d| d.is_error()))
        .count();
    let total: f64 = cases.iter().map(|c| c.seconds).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{}" failures="{}" time="{:.3}">"#,
        esc(suite),
        cases.len(),
        failures,
        total
    )?;
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" time="{:.3}">"#,
        esc(suite),
        cases.len(),
        failures,
        total
    )?;
    for c in cases {
        write!(
            out,
            r#"    <testcase classname="{}" name="{}" time="{:.3}""#,
            esc(suite),
            esc(&c.name),
            c.seconds
        )?;
        let errors: Vec<&Diagnostic> = c.diags.iter().filter(|d| d.is_error()).collect();
        if errors.is_empty() && c.diags.is_empty() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        let mut text = Vec::new();
        human(&mut text, files, c.diags, false)?;
        let text = String::from_utf8_lossy(&text);
        if let Some(first) = errors.first() {
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                esc(first.code.id),
                esc(&first.message),
                esc(&text)
            )?;
        } else {
            writeln!(out, "      <system-out>{}</system-out>", esc(&text))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes::cli::IO_ERROR;

    fn sample() -> (Files, Vec<Diagnostic>) {
        let files = Files::new();
        let f = files.add("a.xml", "<TEI>\n  <p>x</q>\n</TEI>\n");
        let d = Diagnostic::error(&IO_ERROR, "end tag does not match")
            .at_labelled(f, 12..16, "expected </p>")
            .with_help("close <p> first");
        (files, vec![d])
    }

    #[test]
    fn human_has_location_code_and_underline() {
        let (files, diags) = sample();
        let mut out = Vec::new();
        human(&mut out, &files, &diags, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("a.xml:2:7: error[IO001]: end tag does not match\n"),
            "{s}"
        );
        assert!(s.contains("2 |   <p>x</q>"), "{s}");
        assert!(s.contains("^^^^ expected </p>"), "{s}");
        assert!(s.contains("help: close <p> first"), "{s}");
    }

    #[test]
    fn json_and_github() {
        let (files, diags) = sample();
        let v = json_value(&files, &diags[0]);
        assert_eq!(v["location"]["line"], 2);
        assert_eq!(v["location"]["column"], 7);
        assert_eq!(v["code"], "IO001");
        let mut out = Vec::new();
        github(&mut out, &files, &diags).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("::error file=a.xml,line=2,col=7,"), "{s}");
    }

    #[test]
    fn hostile_text_is_escaped() {
        let files = Files::new();
        let f = files.add("a.xml", "<a>\x1b[31m</a>");
        let d = Diagnostic::error(&IO_ERROR, "bad \x1b char").at(f, 3..4);
        let mut out = Vec::new();
        human(&mut out, &files, &[d], false).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains('\x1b'), "{s:?}");
    }
}
