//! Address blocks after a signature ("Address : Jacques RAMBOZ 7, Impasse du Rouet PARIS
//! 14ème"; an unlabelled block "Büyükada / Prinkipo / Turkey") → `address` with one
//! `addrLine` per line, inside the postscript's paragraph (ENCODING A6: everything after
//! the signature is a postscript; the registry's conventions keep street addresses in
//! `address/addrLine`, not in the register).
//!
//! A postscript paragraph is an address block when its label says so ("Address:",
//! "Adresse :", "Anschrift:", "Dirección:"), or, unlabelled, when every word has an
//! address's shape (capitalised words, numbers, street words and particles: "rue", "du",
//! "Avenue", "19", "-") and it either runs over several short lines or starts with the
//! name of a person or organisation and holds a number. Its lines are the source's lines;
//! a block written on one line is cut after a leading name, before a place name that
//! follows other text, and after a dash (" - ").

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Inline, NameKind};

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:address|addresses|adresse|adresses|anschrift|direcci[oó]n|indirizzo|addr\.)\s*:?\s*$")
        .unwrap()
});

/// Lower-case words an address may hold besides capitalised words and numbers.
const SMALL: &[&str] = &[
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l'",
    "von",
    "van",
    "der",
    "den",
    "di",
    "da",
    "del",
    "y",
    "e",
    "et",
    "und",
    "rue",
    "avenue",
    "av.",
    "boulevard",
    "bd",
    "bd.",
    "impasse",
    "allée",
    "chemin",
    "place",
    "quai",
    "strasse",
    "straße",
    "str.",
    "platz",
    "weg",
    "gasse",
    "calle",
    "via",
    "viale",
    "piazza",
    "road",
    "street",
    "st.",
    "c/o",
    "bis",
    "ter",
    "à",
    "a",
    "b.p.",
    "-",
    "–",
    "—",
    "/",
];

/// The lines of `content` if it is an address block (see the module docs).
pub(crate) fn lines(label: &[Inline], content: &[Inline]) -> Option<Vec<Vec<Inline>>> {
    if content.iter().any(|i| {
        matches!(
            i,
            Inline::Note(_) | Inline::NoteRef { .. } | Inline::Address { .. }
        )
    }) {
        return None;
    }
    let mut label_text = String::new();
    crate::model::inline_text(label, false, &mut label_text);
    let labelled = LABEL.is_match(label_text.trim());
    let mut text = String::new();
    crate::model::inline_text(content, false, &mut text);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 25 {
        return None;
    }
    let split: Vec<Vec<Inline>> = content
        .split(|i| matches!(i, Inline::Lb))
        .map(<[Inline]>::to_vec)
        .filter(|l| has_words(l))
        .collect();
    if !labelled {
        let shaped = words.iter().all(|w| address_word(w))
            && !text.trim_end().ends_with(['?', '!', ';', ':'])
            && !text.contains(". ");
        let lead_name = matches!(
            content.first(),
            Some(Inline::Name(n)) if matches!(n.kind, NameKind::Person | NameKind::Org)
        );
        let multi = split.len() >= 2
            && split.iter().all(|l| {
                let mut s = String::new();
                crate::model::inline_text(l, false, &mut s);
                s.split_whitespace().count() <= 8
            });
        let numbered = text.chars().any(|c| c.is_ascii_digit());
        if !(shaped && (multi || (lead_name && numbered))) {
            return None;
        }
    }
    let out = if split.len() >= 2 {
        split
    } else {
        one_line(content)
    };
    let out: Vec<Vec<Inline>> = out.into_iter().map(trim).filter(|l| has_words(l)).collect();
    (!out.is_empty()).then_some(out)
}

fn address_word(w: &str) -> bool {
    let t = w.trim_matches([',', ';', '(', ')']);
    t.is_empty()
        || t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || SMALL.contains(&t.to_lowercase().as_str())
}

fn has_words(l: &[Inline]) -> bool {
    let mut s = String::new();
    crate::model::inline_text(l, false, &mut s);
    !s.trim().is_empty()
}

/// Cuts a one-line address: after a leading name, before a place name that follows other
/// text, after " - ".
fn one_line(content: &[Inline]) -> Vec<Vec<Inline>> {
    let mut lines: Vec<Vec<Inline>> = vec![Vec::new()];
    let mut cur: Vec<Inline> = Vec::new();
    for (k, i) in content.iter().enumerate() {
        match i {
            Inline::Name(n) if k == 0 && matches!(n.kind, NameKind::Person | NameKind::Org) => {
                cur.push(i.clone());
                lines.push(std::mem::take(&mut cur));
            }
            Inline::Name(n) if n.kind == NameKind::Place => {
                if has_words(&cur) {
                    lines.push(std::mem::take(&mut cur));
                }
                cur.push(i.clone());
            }
            Inline::Text { text } => {
                let mut rest = text.as_str();
                while let Some(at) = dash(rest) {
                    cur.push(Inline::text(&rest[..at]));
                    lines.push(std::mem::take(&mut cur));
                    rest = &rest[at..];
                }
                cur.push(Inline::text(rest));
            }
            other => cur.push(other.clone()),
        }
    }
    lines.push(cur);
    lines
}

/// The end of the first " - " (or en/em dash) separator in `s`, dash included.
fn dash(s: &str) -> Option<usize> {
    ["-", "–", "—"]
        .iter()
        .filter_map(|d| s.find(&format!(" {d} ")).map(|i| i + 1 + d.len()))
        .min()
}

/// A line without white space at its ends.
fn trim(mut l: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text }) = l.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = l.last_mut() {
        *text = text.trim_end().to_string();
    }
    super::inline::normalise(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Name;

    fn name(kind: NameKind, s: &str) -> Inline {
        Inline::Name(Name {
            kind,
            descriptive: false,
            ref_id: Some("x".into()),
            subtype: None,
            level: None,
            cert: None,
            content: vec![Inline::text(s)],
        })
    }

    fn texts(lines: &[Vec<Inline>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                let mut s = String::new();
                crate::model::inline_text(l, false, &mut s);
                s
            })
            .collect()
    }

    #[test]
    fn labelled_one_line_address() {
        let label = vec![Inline::text("Address :")];
        let content = vec![
            name(NameKind::Person, "Jacques RAMBOZ"),
            Inline::text(" 7, Impasse du Rouet "),
            name(NameKind::Place, "PARIS"),
            Inline::text(" 14ème"),
        ];
        let l = lines(&label, &content).unwrap();
        assert_eq!(
            texts(&l),
            vec!["Jacques RAMBOZ", "7, Impasse du Rouet", "PARIS 14ème"]
        );
    }

    #[test]
    fn unlabelled_blocks() {
        let content = vec![
            Inline::text("Büyükada"),
            Inline::Lb,
            name(NameKind::Place, "Prinkipo"),
            Inline::Lb,
            Inline::text("Turkey"),
        ];
        assert_eq!(
            texts(&lines(&[], &content).unwrap()),
            vec!["Büyükada", "Prinkipo", "Turkey"]
        );
        let content = vec![
            name(NameKind::Person, "Elena Villalobos"),
            Inline::text(" Avenue Viena 19 - "),
            name(NameKind::Place, "Coyoacan"),
        ];
        assert_eq!(
            texts(&lines(&[], &content).unwrap()),
            vec!["Elena Villalobos", "Avenue Viena 19 -", "Coyoacan"]
        );
        // Prose is not an address.
        let prose = vec![Inline::text(
            "Excuse this rambling letter but we have no time.",
        )];
        assert!(lines(&[Inline::text("PS.")], &prose).is_none());
        let names = vec![
            name(NameKind::Person, "Anna"),
            Inline::text(" and Karl send their greetings"),
        ];
        assert!(lines(&[], &names).is_none());
    }
}
