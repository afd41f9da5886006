//! Character classes of XML 1.0 (Fifth Edition) §2.2–2.3 and Namespaces 1.0.
//!
//! ASCII goes through lookup tables; everything else through the range lists of the
//! productions, so the common case (ASCII markup) costs one table load per byte.

/// Byte classes for the ASCII fast path of names.
const NAME_START: u8 = 1;
const NAME: u8 = 2;

static ASCII_NAME: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphabetic() || b == b'_' || b == b':' {
            t[c] = NAME_START | NAME;
        } else if b.is_ascii_digit() || b == b'-' || b == b'.' {
            t[c] = NAME;
        }
        c += 1;
    }
    t
};

/// `NameStartChar` (XML 1.0 5th ed. [4]), colon included.
pub(crate) fn is_name_start(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return ASCII_NAME[u as usize] & NAME_START != 0;
    }
    matches!(u,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF
        | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF
        | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
}

/// `NameChar` (XML 1.0 5th ed. [4a]), colon included.
pub(crate) fn is_name_char(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return ASCII_NAME[u as usize] & NAME != 0;
    }
    is_name_start(c) || u == 0xB7 || matches!(u, 0x300..=0x36F | 0x203F..=0x2040)
}

/// ASCII name byte (start or not), for the fast path.
#[inline]
pub(crate) fn ascii_name_byte(b: u8) -> bool {
    b < 0x80 && ASCII_NAME[b as usize] & NAME != 0
}

/// ASCII name-start byte, for the fast path.
#[inline]
pub(crate) fn ascii_name_start_byte(b: u8) -> bool {
    b < 0x80 && ASCII_NAME[b as usize] & NAME_START != 0
}

/// The `Char` production (XML 1.0 5th ed. [2]) for a code point that may come from a
/// character reference (so surrogates and values beyond U+10FFFF are possible).
pub(crate) fn is_xml_char(u: u32) -> bool {
    matches!(u, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// `S` (white space, [3]).
#[inline]
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that may start an illegal character in UTF-8 text: C0 controls other than tab,
/// newline and carriage return, and 0xEF (the lead byte of U+FFFE and U+FFFF).
static SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x9 | 0xA | 0xD);
        b += 1;
    }
    t[0xEF] = true;
    t
};

/// Byte offset of the first character in `s` that is not an XML 1.0 `Char`, or `s.len()`.
///
/// Text that is valid UTF-8 cannot hold surrogates or values beyond U+10FFFF, so the only
/// illegal characters are the C0 controls (other than tab, LF, CR) and U+FFFE / U+FFFF.
pub(crate) fn first_illegal_char(s: &[u8]) -> usize {
    let mut i = 0;
    while i < s.len() {
        if SUSPECT[s[i] as usize] {
            if s[i] != 0xEF {
                return i;
            }
            if s.get(i + 1) == Some(&0xBF) && matches!(s.get(i + 2), Some(0xBE | 0xBF)) {
                return i;
            }
        }
        i += 1;
    }
    s.len()
}

/// Describes a code point for messages: `'a'`, or `U+0001` for invisible ones.
pub(crate) fn describe_char(c: char) -> String {
    if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' || c.is_whitespace() {
        match c {
            ' ' => "a space".to_string(),
            '\n' => "a newline".to_string(),
            '\t' => "a tab".to_string(),
            '\r' => "a carriage return".to_string(),
            _ => format!("U+{:04X}", c as u32),
        }
    } else {
        format!("'{c}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_classes() {
        assert!(is_name_start('a') && is_name_start(':') && is_name_start('é'));
        assert!(!is_name_start('1') && !is_name_start('-') && !is_name_start('·'));
        assert!(is_name_char('1') && is_name_char('·') && is_name_char('\u{300}'));
        assert!(!is_name_char(' ') && !is_name_char('\u{D7}'));
        assert!(!is_xml_char(0) && !is_xml_char(0xD800) && !is_xml_char(0xFFFE));
        assert!(!is_xml_char(0x110000) && is_xml_char(0x10FFFF) && is_xml_char(0x85));
        assert_eq!(first_illegal_char("ab\u{1}".as_bytes()), 2);
        assert_eq!(first_illegal_char("a\u{FFFD}\u{FFFF}".as_bytes()), 4);
        assert_eq!(first_illegal_char("a\u{F000}\t\r\n".as_bytes()), 7);
    }
}
