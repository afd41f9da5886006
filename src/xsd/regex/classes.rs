//! The character classes of XSD regular expressions as Unicode code point sets.
//!
//! General categories (`\p{Lu}`) come from `regex-syntax`'s Unicode tables (current Unicode,
//! as jing takes them from the JDK); `\i` and `\c` from XML 1.0 Appendix B (see
//! [`crate::xsd::names`]); blocks from [`super::blocks`].

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind};

use super::blocks;
use crate::xsd::names;

/// The one-character class `{c}`.
pub(crate) fn single(c: char) -> ClassUnicode {
    ClassUnicode::new([ClassUnicodeRange::new(c, c)])
}

/// The complement of a class.
pub(crate) fn negated(mut c: ClassUnicode) -> ClassUnicode {
    c.negate();
    c
}

/// `.`: every character except newline and carriage return.
pub(crate) fn dot() -> ClassUnicode {
    negated(ClassUnicode::new([
        ClassUnicodeRange::new('\n', '\n'),
        ClassUnicodeRange::new('\r', '\r'),
    ]))
}

fn from_tables(tables: &[&[(u32, u32)]], extra: &[char]) -> ClassUnicode {
    let mut set = ClassUnicode::empty();
    for t in tables {
        for &(lo, hi) in *t {
            if let (Some(lo), Some(hi)) = (char::from_u32(lo), char::from_u32(hi)) {
                set.push(ClassUnicodeRange::new(lo, hi));
            }
        }
    }
    for &c in extra {
        set.push(ClassUnicodeRange::new(c, c));
    }
    set
}

/// `\s \S \i \I \c \C \d \D \w \W`.
pub(crate) fn multi_char_escape(c: char) -> ClassUnicode {
    let positive = match c.to_ascii_lowercase() {
        's' => from_tables(&[], &[' ', '\t', '\n', '\r']),
        'i' => from_tables(&[names::BASE_CHAR, names::IDEOGRAPHIC], &['_', ':']),
        'c' => from_tables(
            &[
                names::BASE_CHAR,
                names::IDEOGRAPHIC,
                names::DIGIT,
                names::COMBINING_CHAR,
                names::EXTENDER,
            ],
            &['_', ':', '.', '-'],
        ),
        'd' => category("Nd"),
        // \w = [#x0000-#x10FFFF]-[\p{P}\p{Z}\p{C}]
        _ => {
            let mut pzc = category("P");
            pzc.union(&category("Z"));
            pzc.union(&category("C"));
            negated(pzc)
        }
    };
    if c.is_ascii_uppercase() {
        negated(positive)
    } else {
        positive
    }
}

/// The general categories XML Schema 1.0 names (§F.1.1): no `Cs`, no `LC`.
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Cn", "Co", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
    "Z", "Zl", "Zp", "Zs",
];

fn category(name: &str) -> ClassUnicode {
    // The names come from CATEGORIES, all of which regex-syntax knows.
    let parsed = regex_syntax::ParserBuilder::new()
        .unicode(true)
        .utf8(true)
        .build()
        .parse(&format!("\\p{{{name}}}"));
    match parsed.map(|h| h.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(c))) => c,
        _ => ClassUnicode::empty(),
    }
}

/// The class of `\p{name}`: a general category or an `Is` block.
pub(crate) fn property(name: &str) -> Result<ClassUnicode, String> {
    if name.is_empty() {
        return Err("the property name in \"\\p{}\" is empty".into());
    }
    if let Some(block) = name.strip_prefix("Is") {
        if block.is_empty() || !block.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("\"{name}\" is not a valid block name"));
        }
        return match blocks::block(block) {
            Some(ranges) => Ok(from_tables(&[ranges], &[])),
            None => Err(format!(
                "unknown Unicode block \"{block}\" (XML Schema 1.0 knows the blocks of Unicode 3.1, e.g. \"IsBasicLatin\")"
            )),
        };
    }
    if CATEGORIES.contains(&name) {
        Ok(category(name))
    } else {
        Err(format!(
            "unknown Unicode general category \"{name}\" (expected one of L, Lu, Ll, Lt, Lm, Lo, M, Mn, Mc, Me, N, Nd, Nl, No, P, Pc, Pd, Ps, Pe, Pi, Pf, Po, Z, Zs, Zl, Zp, S, Sm, Sc, Sk, So, C, Cc, Cf, Co, Cn, or Is followed by a block name)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(c: &ClassUnicode, ch: char) -> bool {
        c.ranges().iter().any(|r| r.start() <= ch && ch <= r.end())
    }

    #[test]
    fn escapes() {
        let i = multi_char_escape('i');
        assert!(has(&i, 'j') && has(&i, '\u{212E}') && has(&i, ':'));
        assert!(!has(&i, '\u{10000}') && !has(&i, '-'));
        let w = multi_char_escape('w');
        assert!(has(&w, 'a') && !has(&w, ' ') && !has(&w, '.'));
        assert!(has(&multi_char_escape('D'), 'a'));
        assert!(!has(&dot(), '\n') && has(&dot(), '\u{10330}'));
    }

    #[test]
    fn properties() {
        assert!(property("Lu").is_ok());
        assert!(property("Cs").is_err());
        assert!(property("LC").is_err());
        assert!(property("IsGothic").is_ok());
        assert!(property("IsHighSurrogates").is_err());
        assert!(property("").is_err());
        assert!(has(
            &property("Nd").unwrap_or_else(|_| ClassUnicode::empty()),
            '7'
        ));
    }
}
