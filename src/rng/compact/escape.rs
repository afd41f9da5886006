//! Escape interpretation (Compact Syntax, Appendix A.2.4), done before tokenising.
//!
//! Every `\x{N}` (with one or more `x`) is replaced by the character with code `N`; the
//! scan continues after the replacement, so `\x{5C}x{5C}` becomes `\x{5C}`. The result
//! is a second string whose offsets differ from the source's wherever an escape was
//! replaced; [`Decoded::source_offset`] maps them back, so diagnostics and element spans
//! always point into the text the user wrote.
//!
//! Newline normalisation (A.2.3) is *not* done here: the lexer treats a raw CR, LF or
//! CR LF as a newline marker, and asks [`Decoded::is_escaped`] to tell a raw LF or CR from
//! one produced by `\x{A}` or `\x{D}`, which the specification says is a character, not a
//! newline marker.

use std::borrow::Cow;
use std::ops::Range;

/// One replaced escape sequence.
#[derive(Debug, Clone, Copy)]
struct Escape {
    /// Offset of the replacement character in the decoded text.
    dec: usize,
    /// Offset just after the replacement character in the decoded text.
    dec_end: usize,
    /// Offset of the escape sequence (`\`) in the source.
    src: usize,
    /// Offset just after the escape sequence (`}`) in the source.
    src_end: usize,
}

/// The source text with escapes replaced, and the map back to source offsets.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The decoded text the lexer reads.
    pub(crate) text: Cow<'a, str>,
    escapes: Vec<Escape>,
}

/// A malformed escape: its source range and what is wrong.
#[derive(Debug)]
pub(crate) struct EscapeError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

/// Whether `c` matches the `Char` production of XML 1.0.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Replaces every `\x{N}` escape of `src`.
pub(crate) fn decode(src: &str) -> Result<Decoded<'_>, EscapeError> {
    let bytes = src.as_bytes();
    let Some(first) = find_escape(bytes, 0) else {
        return Ok(Decoded {
            text: Cow::Borrowed(src),
            escapes: Vec::new(),
        });
    };
    let mut out = String::with_capacity(src.len());
    let mut escapes = Vec::new();
    let mut copied = 0;
    let mut next = Some(first);
    while let Some((start, open_end)) = next {
        // `start` is the backslash; `open_end` is just after `{`.
        out.push_str(&src[copied..start]);
        let mut i = open_end;
        let mut value: u32 = 0;
        while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
            let d = (bytes[i] as char).to_digit(16).unwrap_or(0);
            // Saturate well above U+10FFFF so that long runs of digits cannot overflow.
            value = value.saturating_mul(16).saturating_add(d).min(0x0100_0000);
            i += 1;
        }
        let digits = i - open_end;
        if digits == 0 || i >= bytes.len() || bytes[i] != b'}' {
            let next_char = src[i..].chars().next();
            let found = match next_char {
                None => "the end of the file".to_string(),
                Some(c) => format!("`{}`", c.escape_debug()),
            };
            let what = if digits == 0 {
                "hexadecimal digits"
            } else {
                "a hexadecimal digit or `}`"
            };
            return Err(EscapeError {
                // Up to and including the character found (whole: spans lie on character
                // boundaries).
                span: start..i + next_char.map_or(0, char::len_utf8),
                message: format!("unterminated `\\x{{…}}` escape: expected {what}, found {found}"),
            });
        }
        let end = i + 1;
        let c = char::from_u32(value).filter(|&c| is_xml_char(c));
        let Some(c) = c else {
            return Err(EscapeError {
                span: start..end,
                message: if value > 0x10_FFFF {
                    format!(
                        "`{}` is not a Unicode code point (the largest is 10FFFF)",
                        &src[start..end]
                    )
                } else {
                    format!(
                        "`{}` denotes U+{value:04X}, which is not allowed in XML",
                        &src[start..end]
                    )
                },
            });
        };
        let dec = out.len();
        out.push(c);
        escapes.push(Escape {
            dec,
            dec_end: out.len(),
            src: start,
            src_end: end,
        });
        copied = end;
        next = find_escape(bytes, end);
    }
    out.push_str(&src[copied..]);
    Ok(Decoded {
        text: Cow::Owned(out),
        escapes,
    })
}

/// Finds the next escape opener `\` `x`+ `{` at or after `from`; returns the offset of the
/// backslash and the offset just after the brace.
fn find_escape(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < bytes.len() {
        let rel = bytes[i..].iter().position(|&b| b == b'\\')?;
        let start = i + rel;
        let mut j = start + 1;
        while j < bytes.len() && bytes[j] == b'x' {
            j += 1;
        }
        if j > start + 1 && j < bytes.len() && bytes[j] == b'{' {
            return Some((start, j + 1));
        }
        i = start + 1;
    }
    None
}

impl Decoded<'_> {
    /// Maps an offset of the decoded text to the source. An offset inside a replacement
    /// character maps to the start of its escape sequence.
    pub(crate) fn source_offset(&self, dec: usize) -> usize {
        if self.escapes.is_empty() {
            return dec;
        }
        // Last escape whose replacement starts at or before `dec`.
        let idx = self.escapes.partition_point(|e| e.dec <= dec);
        if idx == 0 {
            return dec;
        }
        let e = self.escapes[idx - 1];
        if dec < e.dec_end && dec > e.dec {
            return e.src;
        }
        if dec == e.dec {
            return e.src;
        }
        e.src_end + (dec - e.dec_end)
    }

    /// Maps a decoded range to the source.
    pub(crate) fn source_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.source_offset(r.start);
        let end = self.source_offset(r.end).max(start);
        start..end
    }

    /// Whether the character at this decoded offset was produced by an escape.
    pub(crate) fn is_escaped(&self, dec: usize) -> bool {
        !self.escapes.is_empty() && self.escapes.binary_search_by(|e| e.dec.cmp(&dec)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: the span of an unterminated escape ended inside the multi-byte
    /// character that follows it.
    #[test]
    fn unterminated_escape_span_covers_whole_characters() {
        for src in ["a { \\x{\u{FEFF}D}", "\\x{1é", "\\x{€"] {
            let e = decode(src).unwrap_err();
            assert!(
                src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end),
                "{src:?}: {:?}",
                e.span
            );
            assert!(e.span.end <= src.len());
        }
    }

    #[test]
    fn replaces_and_maps_back() {
        let src = r"a\x{62}c\xx{1F600}d";
        let d = decode(src).unwrap();
        assert_eq!(d.text, "abc\u{1F600}d");
        // 'c' is at decoded 2, source 7.
        assert_eq!(d.source_offset(2), 7);
        // The emoji starts at decoded 3 and maps to its escape at source 8.
        assert_eq!(d.source_offset(3), 8);
        assert!(d.is_escaped(3));
        assert!(!d.is_escaped(2));
        // 'd' follows the 4-byte emoji: decoded 7, source 18.
        assert_eq!(d.source_offset(7), 18);
        assert_eq!(&src[d.source_range(1..2)], r"\x{62}");
    }

    #[test]
    fn no_rescan_after_replacement() {
        let d = decode(r"\x{5C}x{5C}").unwrap();
        assert_eq!(d.text, r"\x{5C}");
    }

    #[test]
    fn not_an_escape_is_kept() {
        let d = decode(r"\xxxxx = \\x").unwrap();
        assert_eq!(d.text, r"\xxxxx = \\x");
    }

    #[test]
    fn errors() {
        for bad in [
            r"\x{}",
            r"\x{7d",
            r"\x{D800}",
            r"\x{110000}",
            r"\x{FFFFFFFFFFFFF}",
            r"\x{0}",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }
}
