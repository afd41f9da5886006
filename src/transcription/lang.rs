//! Language identification of paragraphs (whatlang's trigram detector) and translation
//! pairs.
//!
//! The detector chooses among the languages a sidecar lists, or by default among the
//! European and major world languages transcriptions of this kind use (a smaller set makes
//! short paragraphs less error-prone than all 69 of whatlang's languages). Only a sample of
//! each paragraph is examined, so the cost per paragraph is bounded.
//!
//! A paragraph is marked with `xml:lang` when the detector is confident it is not in the
//! main language; a short paragraph gets `@cert="medium"` + `@resp="#r-conv"`.
//!
//! A paragraph in another language directly followed by one in the main language (or the
//! reverse) is a translation pair when their sentences line up: translations keep sentence
//! boundaries and sentence types (statement, question, exclamation), so the shorter
//! paragraph's sequence of sentence ends must begin the longer one's (at least three
//! sentences — the longer may continue, as when a translation goes on past a partial
//! original), or both sequences are equal and the lengths comparable (ratio ≥ 0.7).

use crate::prehashed::PreHashedSet;

use whatlang::Lang;

use crate::model::{Block, Cert, Inline, Para, inline_text};

/// ISO 639-1 code ↔ whatlang language.
const CODES: &[(&str, Lang)] = &[
    ("en", Lang::Eng),
    ("fr", Lang::Fra),
    ("de", Lang::Deu),
    ("es", Lang::Spa),
    ("it", Lang::Ita),
    ("pt", Lang::Por),
    ("nl", Lang::Nld),
    ("ru", Lang::Rus),
    ("pl", Lang::Pol),
    ("cs", Lang::Ces),
    ("sk", Lang::Slk),
    ("uk", Lang::Ukr),
    ("be", Lang::Bel),
    ("sv", Lang::Swe),
    ("da", Lang::Dan),
    ("nb", Lang::Nob),
    ("fi", Lang::Fin),
    ("hu", Lang::Hun),
    ("ro", Lang::Ron),
    ("el", Lang::Ell),
    ("tr", Lang::Tur),
    ("ca", Lang::Cat),
    ("hr", Lang::Hrv),
    ("sr", Lang::Srp),
    ("bg", Lang::Bul),
    ("mk", Lang::Mkd),
    ("sl", Lang::Slv),
    ("lt", Lang::Lit),
    ("lv", Lang::Lav),
    ("et", Lang::Est),
    ("he", Lang::Heb),
    ("yi", Lang::Yid),
    ("ar", Lang::Ara),
    ("fa", Lang::Pes),
    ("zh", Lang::Cmn),
    ("ja", Lang::Jpn),
    ("ko", Lang::Kor),
    ("hi", Lang::Hin),
    ("vi", Lang::Vie),
    ("id", Lang::Ind),
    ("la", Lang::Lat),
    ("eo", Lang::Epo),
    ("ka", Lang::Kat),
    ("hy", Lang::Hye),
    ("af", Lang::Afr),
    ("cy", Lang::Cym),
];

/// The whatlang language of an ISO 639-1 code.
pub(crate) fn lang_from_code(code: &str) -> Option<Lang> {
    CODES.iter().find(|(c, _)| *c == code).map(|&(_, l)| l)
}

/// The ISO 639-1 code of a whatlang language.
pub(crate) fn code_of(l: Lang) -> &'static str {
    CODES
        .iter()
        .find(|(_, x)| *x == l)
        .map(|&(c, _)| c)
        .unwrap_or_else(|| l.code())
}

/// The English name of a language code.
pub(crate) fn english_name(code: &str) -> String {
    lang_from_code(code)
        .map(|l| l.eng_name().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Languages detected by default (when the sidecar does not list any).
const DEFAULT: &[&str] = &[
    "en", "fr", "de", "es", "it", "pt", "nl", "ru", "pl", "cs", "sk", "uk", "sv", "da", "nb", "fi",
    "hu", "ro", "el", "tr", "ca", "hr", "sr", "bg", "sl", "lt", "lv", "et", "he", "yi", "ar", "zh",
    "ja", "ko", "la",
];

/// Bytes of a paragraph examined.
const SAMPLE: usize = 400;
/// Paragraphs with fewer letters are not classified.
const MIN_LETTERS: usize = 40;
/// Below this many letters a guess gets `@cert="medium"`.
const SHORT: usize = 160;
/// Paragraphs sampled to find the main language.
const MAIN_SAMPLE: usize = 24;
/// Words of the main language remembered (see [`Detector::guess_para`]).
const VOCAB_MAX: usize = 60_000;
/// Share of a paragraph's words already seen in main-language paragraphs above which the
/// paragraph is taken to be in the main language without asking the detector again.
const KNOWN: f64 = 0.8;

/// A paragraph's detected language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guess {
    /// ISO 639-1 code.
    pub code: &'static str,
    /// Letters examined.
    pub letters: usize,
    /// Whether whatlang considers it reliable.
    pub reliable: bool,
    /// Whether it was taken from the memory of main-language words, not from the detector.
    pub by_vocabulary: bool,
}

/// A configured detector, with a memory of the main language's words.
///
/// whatlang costs a few hundred microseconds a call whatever the length of the text, which
/// would dominate the conversion of a large file. So the detector is asked only where a
/// decision depends on it: once it has classified paragraphs as the main language, their
/// words are remembered, and a later paragraph whose words are almost all (≥ 80 %) among
/// them — stop words and the document's vocabulary, evidence that it is in the main
/// language — is taken to be so without a new call. Every other paragraph (another
/// language, whose words are mostly new; a main-language paragraph rich in new words) goes
/// to the detector, which alone decides what language it is; and a paragraph that the
/// vocabulary assigned to the main language is checked by the detector when it would form
/// a translation pair. Nothing is memoised by text.
pub(crate) struct Detector {
    det: whatlang::Detector,
    main: &'static str,
    vocab: PreHashedSet,
    confirmed: usize,
}

impl Detector {
    /// A detector choosing among `codes` (ISO 639-1), or the default set.
    pub fn new(codes: Option<&[String]>) -> Detector {
        let list: Vec<Lang> = match codes {
            Some(c) if c.len() >= 2 => c.iter().filter_map(|c| lang_from_code(c)).collect(),
            _ => DEFAULT.iter().filter_map(|c| lang_from_code(c)).collect(),
        };
        Detector {
            det: whatlang::Detector::with_allowlist(list),
            main: "en",
            vocab: PreHashedSet::default(),
            confirmed: 0,
        }
    }

    /// Guesses the language of a text sample with whatlang.
    pub fn guess(&self, text: &str) -> Option<Guess> {
        let sample = sample(text);
        let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        if letters < MIN_LETTERS {
            return None;
        }
        let info = self.det.detect(sample)?;
        Some(Guess {
            code: code_of(info.lang()),
            letters,
            reliable: info.is_reliable(),
            by_vocabulary: false,
        })
    }

    /// Guesses a paragraph's language, using the memory of main-language words.
    fn guess_para(&mut self, text: &str) -> Option<Guess> {
        let sample = sample(text);
        let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        if letters < MIN_LETTERS {
            return None;
        }
        // Hashes of the first words, lower-cased.
        let mut buf = String::new();
        let words: Vec<u64> = sample
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() >= 2)
            .take(32)
            .map(|w| {
                buf.clear();
                if w.is_ascii() {
                    buf.push_str(w);
                    buf.make_ascii_lowercase();
                } else {
                    buf.extend(w.chars().flat_map(char::to_lowercase));
                }
                xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
            })
            .collect();
        if self.confirmed >= 8 && !words.is_empty() {
            let known = words.iter().filter(|w| self.vocab.contains(*w)).count();
            if known as f64 >= KNOWN * words.len() as f64 {
                return Some(Guess {
                    code: self.main,
                    letters,
                    reliable: true,
                    by_vocabulary: true,
                });
            }
        }
        let g = self.guess(text)?;
        if g.reliable && g.code == self.main {
            self.confirmed += 1;
            for w in words {
                if self.vocab.len() >= VOCAB_MAX {
                    break;
                }
                self.vocab.insert(w);
            }
        }
        Some(g)
    }
}

fn sample(text: &str) -> &str {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The sequence of sentence ends of a text: `.`, `?` or `!` followed by a space or the end
/// (closing quotes and brackets skipped; a run such as `?!` or `...` counts once).
fn sentence_ends(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '.' | '?' | '!' | '…') {
            let mut kind = if c == '…' { '.' } else { c };
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '.' | '?' | '!' | '…') {
                if chars[j] == '?' || chars[j] == '!' {
                    kind = chars[j];
                }
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && matches!(chars[k], '"' | '”' | '’' | '»' | ')' | ']' | '\'')
            {
                k += 1;
            }
            let end = k >= chars.len() || chars[k].is_whitespace();
            // A single capital before a full stop is an initial ("M."), not a sentence end.
            let initial = kind == '.'
                && i >= 1
                && chars[i - 1].is_uppercase()
                && (i < 2 || !chars[i - 2].is_alphabetic());
            if end && !initial {
                out.push(kind);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether two adjacent paragraphs line up as original and translation.
fn aligned(a: &str, b: &str, letters: (usize, usize)) -> bool {
    let (ea, eb) = (sentence_ends(a), sentence_ends(b));
    let ratio = letters.0.min(letters.1) as f64 / letters.0.max(letters.1).max(1) as f64;
    let (short, long) = if ea.len() <= eb.len() {
        (&ea, &eb)
    } else {
        (&eb, &ea)
    };
    (short.len() >= 3 && long.starts_with(short) && ratio >= 0.3) || (ea == eb && ratio >= 0.7)
}

fn para_text(p: &Para) -> String {
    let mut s = String::new();
    inline_text(&p.content, false, &mut s);
    s
}

/// The first [`SAMPLE`] bytes or so of a paragraph's reading text (notes left out).
fn para_sample(p: &Para) -> String {
    let mut s = String::new();
    for i in &p.content {
        if s.len() >= SAMPLE {
            break;
        }
        inline_text(std::slice::from_ref(i), false, &mut s);
    }
    s
}

/// Detects the main language from the first paragraphs: the language of most letters
/// among reliable guesses (`en` if none). Sets it as the detector's main language.
pub(crate) fn main_language(det: &mut Detector, paras: &[&Para], given: Option<&str>) -> String {
    let main = match given {
        Some(g) => g.to_string(),
        None => {
            let mut totals: Vec<(&'static str, usize)> = Vec::new();
            // The longer paragraphs first: guesses on them are the most reliable.
            let mut samples: Vec<String> = paras
                .iter()
                .take(MAIN_SAMPLE * 8)
                .map(|p| para_sample(p))
                .filter(|t| t.len() >= 60)
                .collect();
            samples.sort_by_key(|t| std::cmp::Reverse(t.len()));
            for p in samples.into_iter().take(MAIN_SAMPLE) {
                if let Some(g) = det.guess(&p).filter(|g| g.reliable) {
                    match totals.iter_mut().find(|(c, _)| *c == g.code) {
                        Some(t) => t.1 += g.letters,
                        None => totals.push((g.code, g.letters)),
                    }
                }
            }
            totals
                .iter()
                .max_by_key(|(_, n)| *n)
                .map(|(c, _)| c.to_string())
                .unwrap_or_else(|| "en".into())
        }
    };
    det.main = CODES
        .iter()
        .map(|(c, _)| *c)
        .find(|c| *c == main)
        .unwrap_or("und");
    main
}

/// Marks paragraphs of `blocks` that are not in `main`, and links translation pairs.
/// `container` names the enclosing division for generated ids (`L06` → `L06-p1-fr`).
/// Returns the pairs and the languages seen.
pub(crate) fn mark_blocks(
    det: &mut Detector,
    main: &str,
    container: &str,
    blocks: &mut [Block],
    pairs: &mut Vec<(String, String)>,
    seen: &mut Vec<String>,
) {
    let guesses: Vec<Option<Guess>> = blocks
        .iter()
        .map(|b| match b {
            Block::P(p) => det.guess_para(&para_sample(p)),
            _ => None,
        })
        .collect();
    for (b, g) in blocks.iter_mut().zip(&guesses) {
        if let (Block::P(p), Some(g)) = (b, g)
            && g.reliable
            && g.code != main
        {
            p.lang = Some(g.code.to_string());
            if g.letters < SHORT {
                p.lang_cert = Some(Cert::Medium);
            }
            if !seen.iter().any(|s| s == g.code) {
                seen.push(g.code.to_string());
            }
        }
    }
    let mut k = 0;
    let mut i = 0;
    while i + 1 < blocks.len() {
        let (Some(a), Some(b)) = (guesses[i], guesses[i + 1]) else {
            i += 1;
            continue;
        };
        let differ = a.code != b.code && a.reliable && b.reliable;
        let one_main = a.code == main || b.code == main;
        let lined_up = differ
            && one_main
            && match (&blocks[i], &blocks[i + 1]) {
                (Block::P(pa), Block::P(pb)) => {
                    aligned(&para_text(pa), &para_text(pb), (a.letters, b.letters))
                }
                _ => false,
            };
        if !(differ && one_main && lined_up) {
            i += 1;
            continue;
        }
        // A pair is a decision: a side taken for the main language from its vocabulary is
        // confirmed by the detector.
        let (a, b) = match (confirm(det, &blocks[i], a), confirm(det, &blocks[i + 1], b)) {
            (Some(a), Some(b)) if a.code != b.code && a.reliable && b.reliable => (a, b),
            _ => {
                i += 1;
                continue;
            }
        };
        k += 1;
        let ida = format!("{container}-p{k}-{}", a.code);
        let idb = format!("{container}-p{k}-{}", b.code);
        if let Block::P(p) = &mut blocks[i] {
            p.id = Some(ida.clone());
            p.lang = Some(a.code.to_string());
            p.corresp = Some(format!("#{idb}"));
        }
        if let Block::P(p) = &mut blocks[i + 1] {
            p.id = Some(idb.clone());
            p.lang = Some(b.code.to_string());
            p.corresp = Some(format!("#{ida}"));
        }
        pairs.push((ida, idb));
        i += 2;
    }
}

/// A guess the detector made, or the detector's guess for a paragraph the vocabulary
/// assigned to the main language.
fn confirm(det: &Detector, b: &Block, g: Guess) -> Option<Guess> {
    match b {
        Block::P(p) if g.by_vocabulary => det.guess(&para_sample(p)),
        _ => Some(g),
    }
}

/// Collects references to every paragraph (top level and in divisions) for
/// [`main_language`].
pub(crate) fn all_paras(body: &[Block]) -> Vec<&Para> {
    let mut out = Vec::new();
    for b in body {
        match b {
            Block::P(p) => out.push(p),
            Block::Div(d) => {
                for b in &d.blocks {
                    if let Block::P(p) = b {
                        out.push(p);
                    }
                }
                for ps in &d.postscripts {
                    out.extend(ps.paras.iter());
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether inlines hold any text (used to skip empty paragraphs).
#[allow(dead_code)]
pub(crate) fn has_text(inl: &[Inline]) -> bool {
    let mut s = String::new();
    inline_text(inl, false, &mut s);
    !s.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_structure() {
        assert_eq!(
            sentence_ends("One. Two? « Three ! » And M. Dupont said… so. "),
            vec!['.', '?', '!', '.', '.']
        );
        assert!(aligned("Aa. Bb? Cc!", "Xx. Yy? Zz! More. Again.", (10, 30)));
        assert!(!aligned("Aa. Bb.", "Xx. Yy? Zz.", (10, 12)));
        assert!(aligned("Aa. Bb.", "Xx. Yy.", (10, 12)));
        assert!(!aligned("Aa.", "Xx.", (10, 20)));
    }

    #[test]
    fn detects_french_and_english() {
        let d = Detector::new(None);
        let fr = d
            .guess("J’ai reçu vos lettres et votre matériel. C’est-à-dire l’essentiel de votre matériel. A propos de vos divergences avec l’organisation française pendant la guerre")
            .unwrap();
        assert_eq!(fr.code, "fr");
        let en = d
            .guess("I have got your letters and your material. That is to say the essential material. About your differences with the French organisation during the war")
            .unwrap();
        assert_eq!(en.code, "en");
        assert!(d.guess("Too short.").is_none());
    }
}
