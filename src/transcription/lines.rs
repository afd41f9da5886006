//! Input checks, character clean-up and line splitting.
//!
//! The converter works on lines (byte ranges into the source, terminators excluded, outer
//! whitespace trimmed) grouped into blocks separated by blank lines. Every later stage keeps
//! byte ranges into the original text, so diagnostics point at the source.

use std::borrow::Cow;
use std::ops::Range;

use crate::diag::{Diagnostic, FileId};

use super::codes;

/// Why the bytes of a transcription were refused.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// What is wrong. It carries no location: the message gives the byte offset, and
    /// [`DecodeError::offset`] lets the caller attach it once the file is registered.
    pub diagnostic: Box<Diagnostic>,
    /// The byte offset the problem is at, if it has one.
    pub offset: Option<usize>,
}

fn refuse(d: Diagnostic, offset: Option<usize>) -> DecodeError {
    DecodeError {
        diagnostic: Box::new(d),
        offset,
    }
}

/// Decodes the bytes of a transcription: UTF-8 with or without a byte-order mark, or
/// UTF-16 with a byte-order mark. Rejects empty and binary input.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        utf8(rest, 3)?
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (s, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(refuse(
                Diagnostic::error(
                    &codes::NOT_UTF8,
                    "the file starts with a UTF-16 byte-order mark but is not valid UTF-16",
                ),
                None,
            ));
        }
        s.into_owned()
    } else {
        utf8(bytes, 0)?
    };
    if text.trim().is_empty() {
        return Err(refuse(
            Diagnostic::error(
                &codes::EMPTY,
                if text.is_empty() {
                    "the file is empty: there is nothing to convert"
                } else {
                    "the file holds only whitespace: there is nothing to convert"
                },
            ),
            None,
        ));
    }
    if let Some(pos) = text.find('\0') {
        return Err(refuse(
            Diagnostic::error(
                &codes::BINARY,
                format!(
                    "the file holds a NUL byte at byte offset {pos}: it looks like a binary file, not a transcription"
                ),
            ),
            Some(pos),
        ));
    }
    let sample: Vec<char> = text.chars().take(4096).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 10 > sample.len() {
        return Err(refuse(
            Diagnostic::error(
                &codes::BINARY,
                format!(
                    "{controls} of the first {} characters are control characters: this looks like a binary file, not a transcription",
                    sample.len()
                ),
            ),
            None,
        ));
    }
    Ok(text)
}

fn utf8(bytes: &[u8], offset: usize) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to() + offset;
            Err(refuse(
                Diagnostic::error(
                    &codes::NOT_UTF8,
                    format!(
                        "the file is not UTF-8: invalid byte 0x{:02X} at byte offset {at}",
                        bytes[e.valid_up_to()]
                    ),
                )
                .with_help("re-save the transcription as UTF-8"),
                Some(at),
            ))
        }
    }
}

/// Replaces characters XML cannot hold (C0 controls other than tab, line feed and carriage
/// return; U+FFFE, U+FFFF) with characters of the same UTF-8 length, so that byte offsets
/// stay valid. Reports the first one and the count.
pub(crate) fn sanitize<'a>(
    text: &'a str,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Cow<'a, str> {
    let bad = |c: char| {
        (c.is_control() && (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
            || c == '\u{FFFE}'
            || c == '\u{FFFF}'
    };
    // Fast path: no C0 control other than tab/LF/CR, and no EF BF BE / EF BF BF.
    let bytes = text.as_bytes();
    let suspicious = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    });
    if !suspicious {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(bad) else {
        return Cow::Borrowed(text);
    };
    let mut count = 0;
    let out: String = text
        .chars()
        .map(|c| {
            if bad(c) {
                count += 1;
                if (c as u32) < 0x20 { ' ' } else { '\u{FFFD}' }
            } else {
                c
            }
        })
        .collect();
    let c = text[first..].chars().next().unwrap_or(' ');
    diags.push(
        Diagnostic::warning(
            &codes::CONTROL_CHAR,
            format!(
                "control character U+{:04X} cannot be written to XML; replaced ({count} in the file)",
                c as u32
            ),
        )
        .at(file, first..first + c.len_utf8()),
    );
    Cow::Owned(out)
}

/// One line of the source: the byte range of its content (outer whitespace trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// Content range (trimmed).
    pub range: Range<usize>,
}

impl Line {
    /// Whether the line is blank.
    pub fn is_blank(&self) -> bool {
        self.range.is_empty()
    }
}

/// Splits text into lines (`\n`, `\r\n` or `\r`), trimming each.
pub(crate) fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |s: usize, e: usize, lines: &mut Vec<Line>| {
        let raw = &text[s..e];
        let lead = raw.len() - raw.trim_start().len();
        let t = raw.trim();
        lines.push(Line {
            range: s + lead..s + lead + t.len(),
        });
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                push(start, i, &mut lines);
                start = i + 1;
            }
            b'\r' => {
                push(start, i, &mut lines);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        push(start, bytes.len(), &mut lines);
    }
    lines
}

/// Number of whitespace-separated words.
pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Number of whitespace-separated words, counting no further than `max + 1` (so that
/// shape checks on long paragraphs stop early).
pub(crate) fn word_count_max(s: &str, max: usize) -> usize {
    s.split_whitespace().take(max + 1).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert!(decode(b"hello").is_ok());
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        let e = decode(b"ab\xFFcd").unwrap_err();
        assert_eq!(e.offset, Some(2));
        assert!(e.diagnostic.message.contains("byte offset 2"));
        assert_eq!(decode(b"").unwrap_err().diagnostic.code.id, "CNV002");
        assert_eq!(decode(b" \n\t").unwrap_err().diagnostic.code.id, "CNV002");
        assert_eq!(decode(b"a\0b").unwrap_err().diagnostic.code.id, "CNV003");
        let utf16: Vec<u8> = [0xFF, 0xFE, b'h', 0, b'i', 0].to_vec();
        assert_eq!(decode(&utf16).unwrap(), "hi");
    }

    #[test]
    fn lines_and_terminators() {
        let t = "  a b \r\nc\rd\n\ne";
        let l: Vec<&str> = split_lines(t).iter().map(|l| &t[l.range.clone()]).collect();
        assert_eq!(l, vec!["a b", "c", "d", "", "e"]);
    }
}
