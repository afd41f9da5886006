//! Diagnostics as data.
//!
//! Every problem teikit finds in a user's content — a well-formedness error, a schema
//! violation, an unmatched note marker, a removed navigation line — is a [`Diagnostic`]:
//! a stable [`Code`], a [`Severity`], a message, byte-span [`Label`]s into files held by a
//! [`Files`] map, and optional help. The library only builds these values; the renderers in
//! [`render`] turn them into human-readable text (source line underlined), JSON Lines,
//! GitHub Actions annotations or JUnit XML at the edge of the program.
//!
//! Spans are byte ranges into the text a [`Files`] entry holds; line and column numbers are
//! computed only when rendering ([`SourceFile::line_col`]).

pub mod codes;
pub mod render;

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock, RwLock};

pub use codes::Code;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information, e.g. a removed navigation line.
    Note,
    /// Something probably wrong that does not make the result invalid.
    Warning,
    /// The input is invalid, or the job could not be done.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Identifies a file inside a [`Files`] map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file, with an optional message shown next to the underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The file the span points into.
    pub file: FileId,
    /// Byte range into the file's text. May be empty (a point).
    pub span: Range<usize>,
    /// Text shown next to the underline; may be empty.
    pub message: String,
}

impl Label {
    /// A label without a message.
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Label {
            file,
            span,
            message: String::new(),
        }
    }

    /// Attaches a message to the label.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code, e.g. `VAL001`.
    pub code: &'static Code,
    /// How serious it is.
    pub severity: Severity,
    /// One sentence saying what is wrong (and, for validation, what was expected).
    pub message: String,
    /// Where it is. `None` for problems without a location (e.g. a missing file).
    pub primary: Option<Label>,
    /// Further places that explain the problem (e.g. the first definition of a duplicate id).
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// Further remarks.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: &'static Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// An error-severity diagnostic.
    pub fn error(code: &'static Code, message: impl Into<String>) -> Self {
        Self::new(code, message).with_severity(Severity::Error)
    }

    /// A warning-severity diagnostic.
    pub fn warning(code: &'static Code, message: impl Into<String>) -> Self {
        Self::new(code, message).with_severity(Severity::Warning)
    }

    /// A note-severity diagnostic.
    pub fn note(code: &'static Code, message: impl Into<String>) -> Self {
        Self::new(code, message).with_severity(Severity::Note)
    }

    /// Overrides the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the primary location.
    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.primary = Some(Label::new(file, span));
        self
    }

    /// Sets the primary location with a label message.
    pub fn at_labelled(mut self, file: FileId, span: Range<usize>, msg: impl Into<String>) -> Self {
        self.primary = Some(Label::new(file, span).with_message(msg));
        self
    }

    /// Adds a secondary location.
    pub fn also(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A file's name and text, with a lazily built line index.
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Creates a source file.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    /// The name shown to the user (usually the path as given).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A shared handle to the text.
    pub fn text_arc(&self) -> Arc<str> {
        self.text.clone()
    }

    /// Byte offsets at which lines start (the first is 0). A line ends at `\n`, `\r\n`
    /// or a lone `\r`, as XML end-of-line handling says.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past the end are
    /// clamped; offsets inside a UTF-8 sequence count from its start.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let offset = offset.min(self.text.len());
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line];
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The byte range of a 0-based line, without its line terminator.
    pub fn line_range(&self, line_index: usize) -> Option<Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(line_index)?;
        let mut end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start && (bytes[end - 1] == b'\n' || bytes[end - 1] == b'\r') {
            end -= 1;
        }
        Some(start..end)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i + 1);
            }
            _ => {}
        }
        i += 1;
    }
    starts
}

/// An append-only, thread-safe map of the files diagnostics point into.
///
/// Files are added once and never removed, so a [`FileId`] stays valid for the life of the
/// map. Adding takes a short write lock; reading clones an [`Arc`].
#[derive(Debug, Default)]
pub struct Files {
    files: RwLock<Vec<Arc<SourceFile>>>,
}

impl Files {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let id = FileId(u32::try_from(files.len()).expect("more than 4 billion files"));
        files.push(Arc::new(SourceFile::new(name, text)));
        id
    }

    /// The file with this id.
    ///
    /// # Panics
    /// If the id was not handed out by this map.
    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files[id.0 as usize].clone()
    }

    /// The file with this id, if any.
    pub fn try_get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.get(id.0 as usize).cloned()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Counts of diagnostics by severity, for summary lines and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub notes: usize,
}

impl Tally {
    /// Counts a list of diagnostics.
    pub fn of(diags: &[Diagnostic]) -> Self {
        let mut t = Tally::default();
        for d in diags {
            t.add(d);
        }
        t
    }

    /// Counts one more diagnostic.
    pub fn add(&mut self, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Note => self.notes += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_handles_all_line_ends() {
        let f = SourceFile::new("t", "ab\ncd\r\nef\rgh");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(1), (1, 2));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (3, 1));
        assert_eq!(f.line_col(10), (4, 1));
        assert_eq!(f.line_range(1), Some(3..5));
        assert_eq!(f.line_range(3), Some(10..12));
    }

    #[test]
    fn columns_count_characters() {
        let f = SourceFile::new("t", "é<b>");
        assert_eq!(f.line_col(2), (1, 2));
        // Inside a multi-byte sequence: counts from its start.
        assert_eq!(f.line_col(1), (1, 1));
    }
}
