//! Bytes → text: byte-order marks, the encoding declaration, and strict decoding.
//!
//! Detection follows XML 1.0 Appendix F: a byte-order mark decides first (UTF-8, UTF-16 LE
//! or BE); without one, UTF-16 is recognised by `<?` encoded in it; otherwise the bytes are
//! ASCII-compatible and the `encoding` of the XML declaration names the encoding (UTF-8 when
//! there is none). Decoding never replaces anything: a byte sequence that is not valid in
//! the encoding is an [`ErrorKind::Encoding`] error at its raw byte offset.
//!
//! Legacy encodings are decoded by `encoding_rs`, which implements the WHATWG Encoding
//! Standard. Its label table is the one browsers use, so `ISO-8859-1` and `latin1` decode as
//! windows-1252: they differ only on bytes 0x80–0x9F, which are C1 control characters in
//! ISO-8859-1 (never meant in a text) and typographic characters in windows-1252 (what such
//! bytes mean in real files). `US-ASCII` is decoded strictly: a byte above 0x7F is an error.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::tree::{Error, ErrorKind, Limit, ParseOptions};

/// The text to register for a document that could not be read, and the error's offset in
/// it, so that a diagnostic built from `e` points at the right character.
///
/// `e` is the error [`decode`] or [`Document::parse_bytes`](super::Document::parse_bytes)
/// returned for `bytes` with `options`. An [`ErrorKind::Encoding`] error's raw byte offset
/// becomes an offset into a lossy UTF-8 rendering of the bytes (invalid sequences shown as
/// U+FFFD, for display only: nothing is read from it); any other error's offset is already
/// one into the decoded text, which is returned.
pub fn error_source(bytes: &[u8], options: &ParseOptions, e: &Error) -> (String, usize) {
    if e.kind != ErrorKind::Encoding
        && let Ok(text) = decode(bytes, options)
    {
        let mut pos = e.pos.min(text.len());
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        return (text.into_owned(), pos);
    }
    let cut = e.pos.min(bytes.len());
    let mut text = String::from_utf8_lossy(&bytes[..cut]).into_owned();
    let pos = text.len();
    text.push_str(&String::from_utf8_lossy(&bytes[cut..]));
    (text, pos)
}

/// Decodes a document's bytes to UTF-8 text.
///
/// UTF-8 (with or without BOM) is borrowed when possible; the BOM is dropped, so positions
/// in the parsed document are offsets into the returned text. Errors carry the raw byte
/// offset of the problem: the first invalid byte sequence, the encoding declaration that
/// contradicts the byte-order mark or names an unknown encoding.
pub fn decode<'a>(bytes: &'a [u8], options: &ParseOptions) -> Result<Cow<'a, str>, Error> {
    if bytes.len() > options.max_input_bytes {
        return Err(super::parse::size_limit(
            bytes.len(),
            options.max_input_bytes,
        ));
    }
    match sniff(bytes)? {
        Detected::Utf8Bom => {
            if let Some((s, e)) = declared_encoding(&bytes[3..]) {
                let label = &bytes[3 + s..3 + e];
                if !label.eq_ignore_ascii_case(b"utf-8")
                    && Encoding::for_label(label) != Some(UTF_8)
                {
                    return Err(Error::new(
                        ErrorKind::Encoding,
                        3 + s,
                        format!(
                            "the byte-order mark says UTF-8 but the XML declaration says encoding=\"{}\"; \
                             expected the two to agree (remove the BOM or correct the declaration)",
                            shown(label)
                        ),
                    ));
                }
            }
            utf8(&bytes[3..], 3)
        }
        Detected::Utf16 { le, bom } => {
            let enc = if le { UTF_16LE } else { UTF_16BE };
            let skip = if bom { 2 } else { 0 };
            let text = strict(enc, &bytes[skip..], skip)?;
            match declared_encoding(text.as_bytes()) {
                Some((s, e)) => {
                    let label = &text.as_bytes()[s..e];
                    // Offsets in the declaration (ASCII) map to 2 bytes per character.
                    let raw = skip + 2 * s;
                    let ok = label.eq_ignore_ascii_case(b"utf-16")
                        || Encoding::for_label(label) == Some(enc);
                    if !ok {
                        return Err(Error::new(
                            ErrorKind::Encoding,
                            raw,
                            format!(
                                "the document is UTF-16{} (by its {}) but its XML declaration says \
                                 encoding=\"{}\"; expected UTF-16",
                                if le { "LE" } else { "BE" },
                                if bom {
                                    "byte-order mark"
                                } else {
                                    "first bytes"
                                },
                                shown(label)
                            ),
                        ));
                    }
                }
                None if !bom => {
                    return Err(Error::new(
                        ErrorKind::Encoding,
                        0,
                        "the document looks like UTF-16 without a byte-order mark and its XML \
                         declaration does not say encoding=\"UTF-16\"; expected a BOM or the declaration",
                    ));
                }
                None => {}
            }
            Ok(Cow::Owned(text))
        }
        Detected::AsciiCompatible => {
            let Some((s, e)) = declared_encoding(bytes) else {
                return utf8(bytes, 0);
            };
            let label = &bytes[s..e];
            if label.eq_ignore_ascii_case(b"us-ascii") || label.eq_ignore_ascii_case(b"ascii") {
                if let Some(k) = bytes.iter().position(|&b| b >= 0x80) {
                    return Err(Error::new(
                        ErrorKind::Encoding,
                        k,
                        format!(
                            "byte 0x{:02X} is not ASCII, but the document declares encoding=\"{}\"",
                            bytes[k],
                            shown(label)
                        ),
                    ));
                }
                return utf8(bytes, 0);
            }
            let Some(enc) = Encoding::for_label(label) else {
                return Err(Error::new(
                    ErrorKind::Encoding,
                    s,
                    format!(
                        "unknown encoding \"{}\" in the XML declaration; expected UTF-8, UTF-16, \
                         ISO-8859-1, windows-1252 or another encoding of the WHATWG Encoding Standard",
                        shown(label)
                    ),
                ));
            };
            if enc == UTF_8 {
                return utf8(bytes, 0);
            }
            if enc == UTF_16LE || enc == UTF_16BE {
                return Err(Error::new(
                    ErrorKind::Encoding,
                    s,
                    format!(
                        "the XML declaration says encoding=\"{}\" but the document is not UTF-16 \
                         (it has no byte-order mark and its first bytes are ASCII)",
                        shown(label)
                    ),
                ));
            }
            if enc == encoding_rs::REPLACEMENT || enc == encoding_rs::X_USER_DEFINED {
                return Err(Error::new(
                    ErrorKind::Encoding,
                    s,
                    format!("the encoding \"{}\" is not supported", shown(label)),
                ));
            }
            Ok(Cow::Owned(strict(enc, bytes, 0)?))
        }
    }
}

enum Detected {
    Utf8Bom,
    Utf16 { le: bool, bom: bool },
    AsciiCompatible,
}

/// XML 1.0 Appendix F.1: the first bytes.
fn sniff(b: &[u8]) -> Result<Detected, Error> {
    let unsupported = |what: &str| {
        Err(Error::new(
            ErrorKind::Encoding,
            0,
            format!(
                "the document is encoded in {what}, which teikit does not read; save it as UTF-8"
            ),
        ))
    };
    match b {
        [0, 0, 0xFE, 0xFF, ..]
        | [0xFF, 0xFE, 0, 0, ..]
        | [0, 0, 0, b'<', ..]
        | [b'<', 0, 0, 0, ..] => unsupported("UTF-32"),
        [0xEF, 0xBB, 0xBF, ..] => Ok(Detected::Utf8Bom),
        [0xFF, 0xFE, ..] => Ok(Detected::Utf16 {
            le: true,
            bom: true,
        }),
        [0xFE, 0xFF, ..] => Ok(Detected::Utf16 {
            le: false,
            bom: true,
        }),
        [b'<', 0, b'?', 0, ..] => Ok(Detected::Utf16 {
            le: true,
            bom: false,
        }),
        [0, b'<', 0, b'?', ..] => Ok(Detected::Utf16 {
            le: false,
            bom: false,
        }),
        [0x4C, 0x6F, 0xA7, 0x94, ..] => unsupported("EBCDIC"),
        _ => Ok(Detected::AsciiCompatible),
    }
}

/// The range of the `encoding` value in an XML declaration at the start of `b`, read
/// leniently (the parser checks the declaration's syntax on the decoded text).
fn declared_encoding(b: &[u8]) -> Option<(usize, usize)> {
    let rest = b.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(|c| c.is_ascii_whitespace()) {
        return None;
    }
    let mut i = 5;
    loop {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let name_start = i;
        while b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
        }
        if i == name_start {
            return None;
        }
        let name = &b[name_start..i];
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let q = *b.get(i).filter(|&&c| c == b'"' || c == b'\'')?;
        i += 1;
        let vs = i;
        while b
            .get(i)
            .is_some_and(|&c| c != q && (c.is_ascii_alphanumeric() || b"._-".contains(&c)))
        {
            i += 1;
        }
        if b.get(i) != Some(&q) {
            return None;
        }
        if name == b"encoding" {
            return Some((vs, i));
        }
        i += 1;
    }
}

fn shown(label: &[u8]) -> String {
    let s = String::from_utf8_lossy(&label[..label.len().min(40)]).into_owned();
    if label.len() > 40 { s + "…" } else { s }
}

/// Strict UTF-8; `base` is the offset of `b` in the raw input.
fn utf8(b: &[u8], base: usize) -> Result<Cow<'_, str>, Error> {
    match std::str::from_utf8(b) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(b.len() - at).clamp(1, 4);
            let seq: Vec<String> = b[at..(at + len).min(b.len())]
                .iter()
                .map(|x| format!("0x{x:02X}"))
                .collect();
            let why = match e.error_len() {
                None => "a truncated multi-byte sequence at the end of the input",
                Some(_) => match b[at] {
                    0xC0 | 0xC1 => "an overlong encoding",
                    0xED if b.get(at + 1).is_some_and(|&c| c >= 0xA0) => {
                        "an encoded surrogate (CESU-8/WTF-8), not UTF-8"
                    }
                    0x80..=0xBF => {
                        "a continuation byte without a lead byte, or a truncated sequence"
                    }
                    0xF5..=0xFF => "a byte that never occurs in UTF-8",
                    _ => "an invalid or truncated multi-byte sequence",
                },
            };
            Err(Error::new(
                ErrorKind::Encoding,
                base + at,
                format!(
                    "invalid UTF-8 at byte {}: {} ({}); expected UTF-8 (declare the real encoding, \
                     e.g. encoding=\"ISO-8859-1\", if the file is not UTF-8)",
                    base + at,
                    seq.join(" "),
                    why
                ),
            ))
        }
    }
}

/// Decodes without replacement; a malformed sequence is an error at its raw offset.
fn strict(enc: &'static Encoding, b: &[u8], base: usize) -> Result<String, Error> {
    let mut dec = enc.new_decoder_without_bom_handling();
    let cap = dec
        .max_utf8_buffer_length_without_replacement(b.len())
        .ok_or_else(|| {
            Error::limit_hit(Limit::InputBytes, 0, "the input is too large to decode")
        })?;
    let mut out = String::with_capacity(cap);
    let (res, read) = dec.decode_to_string_without_replacement(b, &mut out, true);
    match res {
        DecoderResult::InputEmpty => Ok(out),
        DecoderResult::Malformed(bad, after) => {
            let at = read - bad as usize - after as usize;
            Err(Error::new(
                ErrorKind::Encoding,
                base + at,
                format!(
                    "byte{} at {} {} not valid {}; expected text in the declared encoding",
                    if bad > 1 { "s" } else { "" },
                    base + at,
                    if bad > 1 { "are" } else { "is" },
                    enc.name()
                ),
            ))
        }
        DecoderResult::OutputFull => Err(Error::new(
            ErrorKind::Encoding,
            base + read,
            "internal error: decoder output buffer too small",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_encoding_is_found() {
        let b = b"<?xml version='1.0' encoding=\"latin1\"?><a/>";
        let (s, e) = declared_encoding(b).unwrap();
        assert_eq!(&b[s..e], b"latin1");
        assert!(declared_encoding(b"<?xml-stylesheet href='a'?>").is_none());
        assert!(declared_encoding(b"<?xml version='1.0'?>").is_none());
    }
}
