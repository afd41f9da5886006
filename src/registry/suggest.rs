//! `entities suggest`: likely names a registry does not cover yet, with counts, contexts and
//! a guessed kind, ready to paste into the registry.
//!
//! The heuristics are those of an editor skimming a transcription: a run of capitalised
//! words that is not at the start of a sentence is probably a name; a capitalised word at a
//! sentence start is one only if it is also capitalised elsewhere. Connectors (`de`, `von`,
//! `of the`, …) may join capitalised words; honorifics (`comrade`, `Dear`, `Mr`) are cut off
//! and count as evidence of a person; months, weekdays and the usual sentence-opening words
//! are dropped; registered names are masked out first.

use std::collections::HashMap;
use std::ops::Range;

use super::{Cert, Entity, EntityKind, Name, Registry, slug_id, tagger::normalize_form};

/// Options of [`suggest`].
#[derive(Debug, Clone)]
pub struct SuggestOptions {
    /// Drop suggestions seen fewer times than this (default 1).
    pub min_count: usize,
    /// Contexts kept per suggestion (default 3).
    pub max_contexts: usize,
    /// Characters of context on each side (default 40).
    pub context_chars: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            min_count: 1,
            max_contexts: 3,
            context_chars: 40,
        }
    }
}

/// Evidence for a kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cue {
    /// The kind this points to.
    pub kind: EntityKind,
    /// What was seen, e.g. `after "comrade"`, `acronym`, `contains "Party"`.
    pub reason: String,
}

/// One place a suggested name occurs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Context {
    /// Byte range of the name in the text.
    pub range: Range<usize>,
    /// The surrounding text on one line, the name marked with `‹ ›`.
    pub snippet: String,
}

/// A likely name that the registry does not cover.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    /// The form proposed as preferred name (capitals normalised: `Jacques Ramboz`).
    pub name: String,
    /// The surface forms seen, most frequent first.
    pub forms: Vec<String>,
    /// The guessed kind.
    pub kind: EntityKind,
    /// A proposed id, unique against the registry.
    pub id: String,
    /// Number of occurrences.
    pub count: usize,
    /// Evidence for the kind (empty: guessed by default).
    pub cues: Vec<Cue>,
    /// The first occurrences.
    pub contexts: Vec<Context>,
}

#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    cap: bool,
    /// First token of a sentence or line.
    initial: bool,
}

const CONNECTORS: &[&str] = &[
    "de", "du", "des", "d'", "la", "le", "von", "van", "der", "den", "di", "da", "del", "della",
    "dos", "y", "of", "the", "et", "für", "zu",
];

const HONORIFICS: &[&str] = &[
    "comrade",
    "comrades",
    "dear",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mme",
    "mlle",
    "monsieur",
    "madame",
    "dr",
    "professor",
    "prof",
    "general",
    "colonel",
    "captain",
    "citizen",
    "president",
    "minister",
    "premier",
    "tsar",
    "czar",
    "king",
    "queen",
    "lord",
    "lady",
    "sir",
    "herr",
    "frau",
    "genosse",
    "genossin",
    "camarade",
    "cher",
    "chère",
    "señor",
    "compañero",
    "widow",
    "wife",
    "husband",
    "brother",
    "sister",
    "uncle",
    "aunt",
];

/// Words that are capitalised at a sentence start or as pronoun, never names on their own.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "of",
    "to",
    "for",
    "and",
    "but",
    "or",
    "nor",
    "our",
    "your",
    "their",
    "we",
    "i",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "his",
    "her",
    "my",
    "yes",
    "no",
    "not",
    "if",
    "as",
    "so",
    "then",
    "there",
    "here",
    "what",
    "when",
    "where",
    "who",
    "why",
    "how",
    "all",
    "some",
    "any",
    "every",
    "each",
    "one",
    "with",
    "by",
    "from",
    "after",
    "before",
    "since",
    "until",
    "while",
    "although",
    "though",
    "because",
    "however",
    "also",
    "only",
    "even",
    "now",
    "today",
    "yet",
    "still",
    "thus",
    "hence",
    "please",
    "thank",
    "thanks",
    "receive",
    "accept",
    "hoping",
    "yours",
    "fraternal",
    "greetings",
    "salutation",
    "salutations",
    "is",
    "are",
    "was",
    "were",
    "be",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "must",
    "shall",
    "should",
    "let",
    "p.s.",
    "ps",
    "n.b.",
    "nb",
    "ok",
    "mr",
    "mrs",
    "dr",
    "st",
    "no",
    "vol",
    "pp",
    "ibid",
    "op",
    "cit",
    "etc",
    "i'm",
    "i've",
    "i'll",
    "don't",
    "it's",
    "we're",
    "you",
    "me",
    "us",
    "him",
    "them",
    "about",
    "against",
    "between",
    "into",
    "through",
    "during",
    "without",
    "within",
    "under",
    "over",
    "again",
    "further",
    "once",
    "both",
    "few",
    "more",
    "most",
    "other",
    "such",
    "own",
    "same",
    "than",
    "too",
    "very",
    "just",
    "first",
    "second",
    "third",
    "last",
    "next",
    "new",
    "old",
    "top",
    "page",
    "index",
    "main",
    "home",
    "written",
    "translation",
    "transcription",
    "source",
    "note",
    "notes",
    "address",
    "forward",
    "down",
    "long",
    "live",
    "merciless",
    "return",
    "neither",
    "nothing",
    "make",
    "don't",
    "dear",
    "comrade",
    "comrades",
    "je",
    "j'ai",
    "il",
    "elle",
    "nous",
    "vous",
    "ils",
    "c'est",
    "mais",
    "a-t-il",
    "der",
    "die",
    "das",
    "und",
    "ich",
    "wir",
    "es",
    "en",
    "y",
    "con",
];

const MONTHS_DAYS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "spring",
    "summer",
    "autumn",
    "winter",
];

/// Last words of names of events, which are not persons, places, organisations or titles.
const EVENT_WORDS: &[&str] = &[
    "war",
    "revolution",
    "trial",
    "trials",
    "treaty",
    "pact",
    "strike",
    "purge",
    "purges",
    "uprising",
    "rising",
    "insurrection",
    "crisis",
    "massacre",
    "commune",
    "congress",
    "day",
    "days",
];

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
];

/// Abbreviations after which a period does not end a sentence.
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "vol", "pp", "p", "mme", "m", "mlle", "jr", "sr",
    "gen", "col", "prof", "capt", "lt", "cf", "ed", "eds", "vs", "ca",
];

const ORG_WORDS: &[&str] = &[
    "administration",
    "directorate",
    "commissariat",
    "department",
    "academy",
    "party",
    "parti",
    "partei",
    "partido",
    "partito",
    "union",
    "unions",
    "committee",
    "comité",
    "commission",
    "league",
    "ligue",
    "liga",
    "federation",
    "fédération",
    "confederation",
    "confédération",
    "international",
    "internationale",
    "congress",
    "council",
    "bureau",
    "secretariat",
    "secrétariat",
    "group",
    "groupe",
    "association",
    "society",
    "société",
    "company",
    "compagnie",
    "ltd",
    "inc",
    "front",
    "movement",
    "mouvement",
    "opposition",
    "bloc",
    "trust",
    "bank",
    "banque",
    "army",
    "armée",
    "police",
    "government",
    "ministry",
    "institute",
    "institut",
    "university",
    "université",
    "school",
    "club",
    "section",
    "syndicat",
    "press",
    "publishers",
    "éditions",
    "editions",
    "editorial",
    "verlag",
    "team",
    "faction",
    "tendency",
    "congrès",
    "brigade",
    "soviet",
    "cartel",
    "corporation",
    "works",
    "factory",
    "office",
    "agency",
    "conference",
    "assembly",
    "senate",
    "parliament",
    "cabinet",
    "court",
    "tribunal",
    "church",
    "archive",
    "library",
    "museum",
    "foundation",
];

const TITLE_WORDS: &[&str] = &[
    "gazette",
    "times",
    "journal",
    "review",
    "revue",
    "bulletin",
    "tribune",
    "news",
    "herald",
    "post",
    "voix",
    "voice",
    "monde",
    "vérité",
    "verite",
    "humanité",
    "humanite",
    "appeal",
    "militant",
    "pravda",
    "izvestia",
    "magazine",
    "quarterly",
    "monthly",
    "weekly",
    "daily",
    "courier",
    "courrier",
    "observer",
    "chronicle",
    "echo",
    "écho",
    "leader",
    "lutte",
    "struggle",
    "manifesto",
    "letters",
    "memoirs",
    "history",
    "notebook",
    "cahiers",
    "zeitung",
    "rundschau",
    "ouvrier",
    "worker",
    "workers'",
    "internationalist",
    "spark",
    "iskra",
];

const PLACE_WORDS: &[&str] = &[
    "street",
    "avenue",
    "avenida",
    "boulevard",
    "rue",
    "road",
    "square",
    "city",
    "town",
    "province",
    "region",
    "republic",
    "island",
    "islands",
    "river",
    "mountains",
    "sea",
    "ocean",
    "valley",
    "county",
    "department",
    "département",
    "district",
    "prison",
    "camp",
    "strasse",
    "straße",
    "platz",
    "place",
    "impasse",
    "quai",
    "lane",
];

const PLACE_PREPS: &[&str] = &["in", "at", "near", "à", "en", "nach", "bei", "aus"];
const PERSON_NEXT: &[&str] = &[
    "said", "says", "wrote", "writes", "told", "replied", "who", "himself", "herself", "died",
    "was born",
];
const FOREIGN_ARTICLES: &[&str] = &[
    "la", "le", "les", "l'", "die", "der", "das", "el", "il", "lo",
];

/// Lists likely unregistered names in `text`. Names the registry's tagger finds are left
/// out. Sorted by count (descending), then by first occurrence.
pub fn suggest(text: &str, registry: Option<&Registry>, opts: &SuggestOptions) -> Vec<Suggestion> {
    let masked: Vec<Range<usize>> = registry
        .map(|r| r.tagger().find(text).into_iter().map(|m| m.range).collect())
        .unwrap_or_default();
    let toks = tokenize(text);
    let is_masked = |t: &Tok| {
        let i = masked.partition_point(|r| r.end <= t.start);
        masked.get(i).is_some_and(|r| r.start < t.end)
    };

    // Capitalised sequences.
    struct Occ {
        range: Range<usize>,
        initial: bool,
        ntok: usize,
        cues: Vec<Cue>,
        surface: String,
    }
    let mut occs: Vec<Occ> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].cap || is_masked(&toks[i]) {
            i += 1;
            continue;
        }
        // Extend over capitalised tokens and connectors followed by a capitalised token.
        let mut j = i;
        let mut end = i;
        while j + 1 < toks.len() && same_line_gap(text, toks[j].end, toks[j + 1].start) {
            let n = &toks[j + 1];
            if is_masked(n) || n.initial {
                break;
            }
            if n.cap {
                j += 1;
                end = j;
                continue;
            }
            let w = lower(&text[n.start..n.end]);
            let after_of = lower(tok_text(text, &toks[j])) == "of";
            if CONNECTORS.contains(&w.as_str()) && (w != "the" || after_of) {
                j += 1;
                continue;
            }
            break;
        }
        let seq: Vec<usize> = (i..=end).collect();
        i = end + 1;
        // Cut honorifics and stop words at the front, months and weekdays at both ends.
        let mut cues: Vec<Cue> = Vec::new();
        let mut s = 0;
        let mut e = seq.len();
        let mut prev_word = prev_word(text, toks[seq[0]].start);
        while s < e {
            let raw = tok_text(text, &toks[seq[s]]);
            // A section number at a line start ("I. The Communist Party of Mexico").
            if s == 0 && is_roman_initial(raw) && at_line_start(text, toks[seq[s]].start) {
                s += 1;
                continue;
            }
            if is_initial(raw) {
                break;
            }
            let w = lower(raw);
            let w = w.trim_end_matches('.');
            if HONORIFICS.contains(&w) {
                cues.push(Cue {
                    kind: EntityKind::Person,
                    reason: format!("after \"{w}\""),
                });
                prev_word = Some(w.to_string());
                s += 1;
            } else if STOP.contains(&w)
                || MONTHS_DAYS.contains(&w)
                || CONNECTORS.contains(&w)
                || is_number_word(w)
            {
                prev_word = Some(w.to_string());
                s += 1;
            } else {
                break;
            }
        }
        while e > s {
            let w = lower(tok_text(text, &toks[seq[e - 1]]));
            let w = w.trim_end_matches('.');
            if MONTHS_DAYS.contains(&w) || CONNECTORS.contains(&w) || STOP.contains(&w) {
                e -= 1;
            } else {
                break;
            }
        }
        if s >= e {
            continue;
        }
        let first = &toks[seq[s]];
        let last = &toks[seq[e - 1]];
        let range = first.start..last.end;
        let surface = text[range.clone()].to_string();
        let ntok = e - s;
        let event = seq[s..e]
            .iter()
            .rev()
            .map(|&k| lower(tok_text(text, &toks[k])))
            .find(|w| !is_number_word(w));
        if ntok > 1 && event.is_some_and(|w| EVENT_WORDS.contains(&w.as_str())) {
            continue;
        }
        for c in context_cues(text, &range, prev_word.as_deref()) {
            push_cue(&mut cues, c);
        }
        if ntok == 1
            && (is_noise_token(&surface) || EVENT_WORDS.contains(&lower(&surface).as_str()))
        {
            continue;
        }
        if ntok > 12 || is_field_label(text, &range) {
            continue;
        }
        // Abstract nouns ("The Attempted Assassination of May 24" in a title-case head)
        // are no name unless the context or the words say what kind of name they are.
        if cues.is_empty()
            && form_cues(&surface, std::slice::from_ref(&surface)).is_empty()
            && surface.split_whitespace().any(is_abstract_noun)
        {
            continue;
        }
        if let Some(p) = &prev_word {
            if HONORIFICS.contains(&p.as_str())
                && !cues.iter().any(|c| c.reason.contains(p.as_str()))
            {
                cues.push(Cue {
                    kind: EntityKind::Person,
                    reason: format!("after \"{p}\""),
                });
            }
        }
        occs.push(Occ {
            range,
            initial: first.initial && s == 0,
            ntok,
            cues,
            surface,
        });
    }

    // A sentence-initial capitalised word before a name ("Later Pierre Dupont") is cut off
    // when the rest occurs on its own elsewhere, or the word occurs in lower case.
    let lower_words: std::collections::HashSet<String> = toks
        .iter()
        .filter(|t| !t.cap)
        .map(|t| lower(tok_text(text, t)))
        .collect();
    let alone: std::collections::HashSet<String> = occs
        .iter()
        .filter(|o| !o.initial)
        .map(|o| normalize_form(&o.surface).to_lowercase())
        .collect();
    for o in occs.iter_mut().filter(|o| o.initial && o.ntok >= 2) {
        let Some(sp) = o.surface.find(' ') else {
            continue;
        };
        let first = lower(&o.surface[..sp]);
        let rest = o.surface[sp..].trim_start().to_string();
        if lower_words.contains(&first) || alone.contains(&normalize_form(&rest).to_lowercase()) {
            let cut = o.surface.len() - rest.len();
            o.range.start += cut;
            o.surface = rest;
            o.ntok -= 1;
            o.initial = false;
        }
    }

    // Group by normalised, case-folded form.
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (k, o) in occs.iter().enumerate() {
        let key = normalize_form(&o.surface).to_lowercase();
        let g = groups.entry(key.clone()).or_default();
        if g.is_empty() {
            order.push(key);
        }
        g.push(k);
    }
    let taken: std::collections::HashSet<String> = registry
        .map(|r| r.entities.iter().map(|e| e.id.clone()).collect())
        .unwrap_or_default();
    let mut used_ids = taken;
    let mut out: Vec<(usize, Suggestion)> = Vec::new();
    for key in order {
        let ks = &groups[&key];
        // A sentence-initial single word counts only if it also appears mid-sentence.
        let mid: Vec<usize> = ks
            .iter()
            .copied()
            .filter(|&k| {
                let o = &occs[k];
                !(o.initial && o.ntok == 1) || o.cues.iter().any(|c| c.reason == "dateline")
            })
            .collect();
        if mid.is_empty() {
            continue;
        }
        let count = ks.len();
        if count < opts.min_count {
            continue;
        }
        // Forms by frequency.
        let mut form_counts: Vec<(String, usize)> = Vec::new();
        for &k in ks {
            let s = &occs[k].surface;
            match form_counts.iter_mut().find(|f| &f.0 == s) {
                Some(f) => f.1 += 1,
                None => form_counts.push((s.clone(), 1)),
            }
        }
        form_counts.sort_by_key(|f| std::cmp::Reverse(f.1));
        let forms: Vec<String> = form_counts.iter().map(|f| f.0.clone()).collect();
        let name = forms
            .iter()
            .find(|f| {
                !f.split(' ')
                    .any(|w| w.chars().count() > 4 && is_all_caps(w))
            })
            .cloned()
            .unwrap_or_else(|| decapitalise(&forms[0]));
        // Cues.
        let mut cues: Vec<Cue> = Vec::new();
        for &k in ks {
            for c in &occs[k].cues {
                push_cue(&mut cues, c.clone());
            }
        }
        for c in form_cues(&name, &forms) {
            push_cue(&mut cues, c);
        }
        let kind = guess(&cues, &name);
        let mut id = slug_id(kind, &name);
        if used_ids.contains(&id) {
            let mut n = 2;
            while used_ids.contains(&format!("{id}-{n}")) {
                n += 1;
            }
            id = format!("{id}-{n}");
        }
        used_ids.insert(id.clone());
        let contexts = ks
            .iter()
            .take(opts.max_contexts)
            .map(|&k| Context {
                range: occs[k].range.clone(),
                snippet: snippet(text, &occs[k].range, opts.context_chars),
            })
            .collect();
        out.push((
            occs[ks[0]].range.start,
            Suggestion {
                name,
                forms,
                kind,
                id,
                count,
                cues,
                contexts,
            },
        ));
    }
    out.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    out.into_iter().map(|x| x.1).collect()
}

fn push_cue(v: &mut Vec<Cue>, c: Cue) {
    if !v.contains(&c) {
        v.push(c);
    }
}

/// Cues from the words around one occurrence.
fn context_cues(text: &str, r: &Range<usize>, prev: Option<&str>) -> Vec<Cue> {
    let mut out = Vec::new();
    let after = &text[r.end..];
    let after_line = after.split('\n').next().unwrap_or("");
    let next = after_line
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if let Some(p) = prev {
        if PLACE_PREPS.contains(&p) && !text[r.clone()].contains(' ') {
            out.push(Cue {
                kind: EntityKind::Place,
                reason: format!("after \"{p}\""),
            });
        }
        if PLACE_WORDS.contains(&p) {
            out.push(Cue {
                kind: EntityKind::Place,
                reason: format!("street name (after \"{p}\")"),
            });
        }
        if p == "no" || p == "issue" || p == "number" {
            out.push(Cue {
                kind: EntityKind::Title,
                reason: format!("after \"{p}\""),
            });
        }
    }
    if PERSON_NEXT.contains(&next.as_str()) {
        out.push(Cue {
            kind: EntityKind::Person,
            reason: format!("before \"{next}\""),
        });
    }
    let t = after_line.trim_start();
    if t.starts_with(", No")
        || t.starts_with("No.")
        || t.starts_with(", no.")
        || t.starts_with(", Vol")
    {
        out.push(Cue {
            kind: EntityKind::Title,
            reason: "before an issue number".into(),
        });
    }
    // Dateline: at a line start, followed by a comma and a date.
    if at_line_start(text, r.start) {
        let rest = t.trim_start_matches(',').trim_start();
        if rest.chars().next().is_some_and(|c| c.is_ascii_digit())
            && (t.starts_with(',') || rest.len() < 30)
        {
            out.push(Cue {
                kind: EntityKind::Place,
                reason: "dateline".into(),
            });
        }
    }
    out
}

/// Cues from the words of the name itself.
fn form_cues(name: &str, forms: &[String]) -> Vec<Cue> {
    let mut out = Vec::new();
    let words: Vec<String> = name.split_whitespace().map(lower).collect();
    for w in &words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        if ORG_WORDS.contains(&w) {
            out.push(Cue {
                kind: EntityKind::Org,
                reason: format!("contains \"{w}\""),
            });
        }
        if TITLE_WORDS.contains(&w) {
            out.push(Cue {
                kind: EntityKind::Title,
                reason: format!("contains \"{w}\""),
            });
        }
        if PLACE_WORDS.contains(&w) {
            out.push(Cue {
                kind: EntityKind::Place,
                reason: format!("contains \"{w}\""),
            });
        }
        if w.contains("-les-") || w.contains("-sur-") || w.contains("-en-") || w.contains("-le-") {
            out.push(Cue {
                kind: EntityKind::Place,
                reason: "compound place name".into(),
            });
        }
    }
    if words.len() >= 2 && FOREIGN_ARTICLES.contains(&words[0].as_str())
        || name.starts_with("L'")
        || name.starts_with("L’")
    {
        out.push(Cue {
            kind: EntityKind::Title,
            reason: "starts with an article".into(),
        });
    }
    let ws: Vec<&str> = name.split_whitespace().collect();
    if ws.len() >= 2 && ws[..ws.len() - 1].iter().any(|w| is_initial(w)) {
        out.push(Cue {
            kind: EntityKind::Person,
            reason: "initials".into(),
        });
    }
    if ws.len() >= 3
        && ws[1..ws.len() - 1].iter().any(|w| {
            matches!(
                *w,
                "de" | "von" | "van" | "da" | "di" | "del" | "della" | "dos" | "van der" | "ter"
            )
        })
        && !out.iter().any(|c| c.kind != EntityKind::Person)
    {
        out.push(Cue {
            kind: EntityKind::Person,
            reason: "name particle".into(),
        });
    }
    if ws.len() == 1 && forms.iter().all(|f| f.split('-').all(is_acronym)) {
        out.push(Cue {
            kind: EntityKind::Org,
            reason: "acronym".into(),
        });
    }
    out
}

/// The kind with most evidence; ties and no evidence → person (the commonest unregistered
/// name in letters and articles).
fn guess(cues: &[Cue], _name: &str) -> EntityKind {
    let mut score = [0usize; 4];
    for c in cues {
        let i = EntityKind::ALL
            .iter()
            .position(|k| *k == c.kind)
            .unwrap_or(0);
        score[i] += 1;
    }
    let mut best = 0;
    for i in 1..4 {
        if score[i] > score[best] {
            best = i;
        }
    }
    EntityKind::ALL[best]
}

/// Tokens: runs of letters and digits, with inner apostrophes, hyphens and periods of
/// abbreviations (`O’Callaghan`, `Issy-les-Moulineaux`, `U.S.S.R.`), and a single letter with
/// its period (`A.`).
fn tokenize(text: &str) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut boundary = true; // next token starts a sentence
    while let Some((i, c)) = it.next() {
        if !c.is_alphanumeric() {
            match c {
                '.' | '!' | '?' | ':' | ';' => {
                    // A period after an abbreviation or initial does not end a sentence.
                    let prev_abbrev = out.last().is_some_and(|t| {
                        t.end == i && {
                            let w = lower(&text[t.start..t.end]);
                            ABBREV.contains(&w.as_str()) || w.chars().count() == 1
                        }
                    });
                    if !(c == '.' && prev_abbrev) {
                        boundary = true;
                    }
                }
                '\n' => boundary = true,
                '|' | '—' | '–' => boundary = true,
                _ => {}
            }
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                it.next();
            } else if matches!(d, '\'' | '’' | '-' | '.') {
                // Joiner only when a letter follows (U.S.S.R. keeps its final period).
                let rest = &text[j + d.len_utf8()..];
                let next = rest.chars().next();
                if next.is_some_and(char::is_alphanumeric)
                    && (d != '.' || is_abbrev_run(&text[start..j], rest))
                {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    if d == '.' && (end - start == c.len_utf8() || text[start..end].contains('.')) {
                        // "A." initial, "U.S.S.R." abbreviation.
                        if c.is_uppercase() {
                            end = j + 1;
                            it.next();
                        }
                    }
                    break;
                }
            } else {
                break;
            }
        }
        // A possessive is not part of the name.
        for suffix in ["'s", "’s", "'S", "’S"] {
            if text[start..end].ends_with(suffix) && end - suffix.len() > start {
                end -= suffix.len();
                break;
            }
        }
        let cap = c.is_uppercase();
        let numeric = text[start..end].chars().all(|c| c.is_ascii_digit());
        out.push(Tok {
            start,
            end,
            cap,
            initial: boundary,
        });
        if !numeric {
            boundary = false;
        }
    }
    out
}

/// Whether a period joins an abbreviation: single letters on both sides (`U.S`, `S.R`).
fn is_abbrev_run(before: &str, rest: &str) -> bool {
    let last_seg = before.rsplit('.').next().unwrap_or("");
    let next_seg: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    last_seg.chars().count() == 1 && next_seg.chars().count() == 1
}

fn tok_text<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

/// Only spaces (no line break, no punctuation) between two tokens.
fn same_line_gap(text: &str, a: usize, b: usize) -> bool {
    let g = &text[a..b];
    !g.is_empty() && g.chars().all(|c| c == ' ' || c == '\u{a0}')
}

fn prev_word(text: &str, start: usize) -> Option<String> {
    let before = text[..start].trim_end_matches([' ', '\u{a0}']);
    if before.len() == text[..start].len() && !before.is_empty() {
        return None; // not separated by a space (punctuation, line start)
    }
    let w: String = before
        .chars()
        .rev()
        .skip_while(|c| *c == '.')
        .take_while(|c| c.is_alphanumeric())
        .collect();
    if w.is_empty() {
        return None;
    }
    Some(lower(&w.chars().rev().collect::<String>()))
}

fn lower(s: &str) -> String {
    s.to_lowercase().replace('’', "'")
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

fn is_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    (2..=6).contains(&letters.len()) && letters.iter().all(|c| c.is_uppercase())
}

/// `I.`, `V.`, `X.`: a section number when it opens a line.
fn is_roman_initial(w: &str) -> bool {
    matches!(w, "I." | "V." | "X.")
}

/// Where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

fn at_line_start(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].trim().is_empty()
}

/// The label of a `Label: value` line of a page's header ("Public Domain: …", "First
/// Published: …", "Transcription/HTML Markup: …"): the name ends right before the colon, at
/// most two words precede it on its line, and a value follows on the same line. A
/// salutation ("Dear Comrade Dunne:") has no value after its colon.
fn is_field_label(text: &str, r: &Range<usize>) -> bool {
    let rest = &text[r.end..];
    let line_rest = rest.split('\n').next().unwrap_or("");
    let Some(value) = line_rest.strip_prefix(':') else {
        return false;
    };
    let before = &text[line_start(text, r.start)..r.start];
    !value.trim().is_empty() && !before.contains(':') && before.split_whitespace().count() <= 2
}

/// A word with the ending of an English abstract noun or participle, long enough that
/// surnames with the same ending (Clement, Reed) are not caught.
fn is_abstract_noun(w: &str) -> bool {
    let w = lower(w.trim_matches(|c: char| !c.is_alphabetic()));
    let n = w.chars().count();
    [
        ("tion", 6),
        ("sion", 6),
        ("ment", 9),
        ("ness", 7),
        ("ism", 6),
        ("ity", 7),
        ("ated", 7),
    ]
    .iter()
    .any(|(end, min)| n >= *min && w.ends_with(end))
        || (n >= 8 && w.ends_with("ted") && !w.ends_with("stedt"))
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

fn is_number_word(w: &str) -> bool {
    NUMBER_WORDS.contains(&w)
        || w.split('-').all(|p| MONTHS_DAYS.contains(&p))
        || w.chars().all(|c| c.is_ascii_digit())
        || (!w.is_empty()
            && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l' | 'c'))
            && w.len() <= 4)
}

/// Single tokens that are never names: one letter, Roman numerals, stop words, and
/// adjectives or nouns derived from names (`Stalinist`, `Stalinism`, `Trotskyite`,
/// `American`, `Spanish`), which an editor does not tag.
fn is_noise_token(s: &str) -> bool {
    let l = lower(s);
    let l = l.trim_end_matches('.');
    let n = l.chars().count();
    l.chars().filter(|c| c.is_alphanumeric()).count() <= 1
        || STOP.contains(&l)
        || is_number_word(l)
        || MONTHS_DAYS.contains(&l)
        || ADJECTIVES.contains(&l)
        || (n >= 6 && DERIVED_SUFFIXES.iter().any(|suf| l.ends_with(suf)) && !is_all_caps(s))
}

/// Endings of words derived from names: -ism, -ist, -ite, -ian, -ese, -ish (plurals too).
const DERIVED_SUFFIXES: &[&str] = &[
    "ism", "isms", "ist", "ists", "ite", "ites", "ian", "ians", "ean", "eans", "ese", "ish",
    "istic", "ists'",
];

/// Adjectives of nationality and politics that are capitalised in English.
const ADJECTIVES: &[&str] = &[
    "french",
    "german",
    "english",
    "dutch",
    "greek",
    "swiss",
    "irish",
    "scottish",
    "welsh",
    "soviet",
    "czech",
    "arab",
    "jewish",
    "catholic",
    "protestant",
    "nazi",
    "nazis",
    "bolshevik",
    "bolsheviks",
    "menshevik",
    "mensheviks",
    "communists",
    "socialists",
    "democrats",
    "jews",
    "negro",
    "negroes",
    "thai",
    "western",
    "eastern",
    "northern",
    "southern",
    "trotskyist",
    "trotskyists",
    "stalinists",
    "marxists",
    "gaullist",
    "gaullists",
    "fascists",
    "anarchists",
    "liberals",
    "conservatives",
    "republicans",
    "christian",
    "christians",
    "latin",
    "slav",
    "slavs",
    "turk",
    "turks",
    "russians",
    "americans",
    "europeans",
    "africans",
    "asians",
    "american",
    "mexican",
    "african",
    "cuban",
    "chilean",
    "german",
    "roman",
    "social",
    "democratic",
    "socialist",
    "communist",
    "internationals",
    "newspaper",
];

/// `JACQUES RAMBOZ` → `Jacques Ramboz`; short all-capital words stay (acronyms).
fn decapitalise(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            if w.contains('-') {
                return w.split('-').map(decapitalise).collect::<Vec<_>>().join("-");
            }
            if w.chars().count() <= 4 || !is_all_caps(w) {
                return w.to_string();
            }
            let mut out = String::new();
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = !c.is_alphabetic();
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line around `r`, about `width` characters each side, the name in `‹ ›`.
fn snippet(text: &str, r: &Range<usize>, width: usize) -> String {
    let line_start = line_start(text, r.start);
    let line_end = text[r.end..].find('\n').map_or(text.len(), |p| r.end + p);
    let left: String = {
        let l = &text[line_start..r.start];
        let n = l.chars().count();
        let s: String = l.chars().skip(n.saturating_sub(width)).collect();
        if n > width {
            format!("…{}", s.trim_start())
        } else {
            s
        }
    };
    let right: String = {
        let rr = &text[r.end..line_end];
        let n = rr.chars().count();
        let s: String = rr.chars().take(width).collect();
        if n > width {
            format!("{}…", s.trim_end())
        } else {
            s
        }
    };
    format!("{left}‹{}›{right}", &text[r.clone()])
}

/// Renders suggestions as TOML registry entries, each preceded by comments with its count,
/// the evidence for its kind and its contexts. Paste, check, and complete them.
pub fn suggestions_to_toml(suggestions: &[Suggestion]) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    for s in suggestions {
        let why = if s.cues.is_empty() {
            "no cue; guessed".to_string()
        } else {
            s.cues
                .iter()
                .filter(|c| c.kind == s.kind)
                .map(|c| c.reason.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "# {} — {}× — {} ({})\n",
            s.name,
            s.count,
            s.kind.key(),
            if why.is_empty() {
                "mixed cues".into()
            } else {
                why
            }
        ));
        for c in &s.contexts {
            out.push_str(&format!("#   {}\n", c.snippet.replace('\n', " ")));
        }
        out.push_str(&format!(
            "[[{}]]\nid = {}\nname = {}\n",
            s.kind.key(),
            q(&s.id),
            q(&s.name)
        ));
        let variants: Vec<String> = s
            .forms
            .iter()
            .filter(|f| normalize_form(f).to_lowercase() != normalize_form(&s.name).to_lowercase())
            .map(|f| q(f))
            .collect();
        if variants.is_empty() {
            out.push_str("# variants = []\n");
        } else {
            out.push_str(&format!("variants = [{}]\n", variants.join(", ")));
        }
        if s.kind == EntityKind::Title {
            out.push_str("# level = \"j\"   # j periodical, m book, a article\n");
        }
        out.push_str("# wikidata = \"\"   # only if certain\n\n");
    }
    out
}

/// A copy of `registry` with the frequent unregistered names of `text` added as provisional
/// entries, for a converter that wants to tag them anyway.
///
/// Each added entity has the suggested id and kind, its surface forms as names capped at
/// `cert="low"` (so every mention through them is marked as a machine guess), and a note
/// saying it is provisional. Only suggestions seen at least `opts.min_count` times (use 2
/// or more) with some evidence for their kind, or of two words or more, are added. The
/// added entities come after the registry's own, so `index >= registry.entities.len()`
/// tells a provisional one.
///
/// How convert uses it: `let reg = registry::provisional(&text, &registry, &opts);` then
/// `reg.tagger().find(&text)`; write `@cert` and `@resp="#r-conv"` for mentions below High,
/// as for any other guess, and list the provisional entities in the standOff with their note.
pub fn provisional(text: &str, registry: &Registry, opts: &SuggestOptions) -> Registry {
    let mut out = registry.clone();
    for s in suggest(text, Some(registry), opts) {
        if s.cues.is_empty() && !s.name.contains(' ') {
            continue;
        }
        let mut e = Entity::new(s.id.clone(), s.kind, s.name.clone());
        e.names[0].cert = Some(Cert::Low);
        for f in &s.forms {
            // Case variants are matched anyway (capitals rule); other forms become variants.
            let key = normalize_form(f).to_lowercase();
            if e.names
                .iter()
                .any(|n| normalize_form(&n.text).to_lowercase() == key)
            {
                continue;
            }
            let mut n = Name::typed(f.clone(), "variant");
            n.cert = Some(Cert::Low);
            e.names.push(n);
        }
        e.note = Some(format!(
            "provisional: proposed by teikit from {} mention(s); check before publishing",
            s.count
        ));
        out.entities.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityKind, usize)> {
        suggest(text, None, &SuggestOptions::default())
            .into_iter()
            .map(|s| (s.name, s.kind, s.count))
            .collect()
    }

    #[test]
    fn capitalised_sequences() {
        let t = "We met comrade Pierre Dupont in Marseille. The strike at Michelin \
                 was led by the Parti Ouvrier. Dupont said so. In May we wrote to Dupont.\n\
                 Lyon, 12 March 1950\nDear Mr Smith,";
        let got = names(t);
        let find = |n: &str| got.iter().find(|g| g.0 == n).cloned();
        assert_eq!(find("Pierre Dupont").map(|g| g.1), Some(EntityKind::Person));
        assert_eq!(find("Dupont").map(|g| g.2), Some(2));
        assert_eq!(find("Marseille").map(|g| g.1), Some(EntityKind::Place));
        assert_eq!(find("Parti Ouvrier").map(|g| g.1), Some(EntityKind::Org));
        assert_eq!(find("Lyon").map(|g| g.1), Some(EntityKind::Place));
        assert_eq!(find("Smith").map(|g| g.1), Some(EntityKind::Person));
        assert!(find("The").is_none() && find("In").is_none() && find("May").is_none());
        assert!(find("We").is_none());
    }

    #[test]
    fn header_labels_section_numbers_and_abstract_nouns_are_no_names() {
        let t = "The Attempted Assassination of May 24 and the Communist Party\n\n\
                 First Published: New Militant, 1940.\n\
                 Transcription/HTML Markup: Sheldon Harte\n\
                 Public Domain: this work may be copied.\n\n\
                 I. The Communist Party of Mexico\n\n\
                 The GPU [State Political Administration] was there. Dear Comrade Dunne:\n";
        let got = names(t);
        let want = [
            ("Communist Party", EntityKind::Org, 1),
            ("Communist Party of Mexico", EntityKind::Org, 1),
            ("Militant", EntityKind::Title, 1),
            ("Sheldon Harte", EntityKind::Person, 1),
            ("GPU", EntityKind::Org, 1),
            ("State Political Administration", EntityKind::Org, 1),
            ("Dunne", EntityKind::Person, 1),
        ];
        let mut want: Vec<(String, EntityKind, usize)> = want
            .iter()
            .map(|(n, k, c)| (n.to_string(), *k, *c))
            .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort_by(|a, b| a.0.cmp(&b.0));
        want.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(got_sorted, want, "{got:?}");
    }

    #[test]
    fn all_caps_and_initials() {
        let t = "Address: Jacques RAMBOZ 7, rue Blanche. It was signed by A. Mathieu and the PCI. The PCI is weak.";
        let got = names(t);
        assert!(got.iter().any(|g| g.0 == "Jacques Ramboz"), "{got:?}");
        assert!(
            got.iter()
                .any(|g| g.0 == "A. Mathieu" && g.1 == EntityKind::Person),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "PCI" && g.1 == EntityKind::Org && g.2 == 2),
            "{got:?}"
        );
    }

    #[test]
    fn provisional_entries_are_low_certainty() {
        let mut reg = Registry::default();
        reg.entities
            .push(Entity::new("p-trotsky", EntityKind::Person, "Trotsky"));
        let text =
            "Trotsky met Pierre Dupont. Later Pierre Dupont wrote to Trotsky and to Jean Martin.";
        let opts = SuggestOptions {
            min_count: 2,
            ..SuggestOptions::default()
        };
        let p = provisional(text, &reg, &opts);
        assert_eq!(p.entities.len(), 2, "{:?}", p.entities);
        assert_eq!(p.entities[1].id, "p-pierre-dupont");
        let ms = p.tagger().find(text);
        let dupont: Vec<Cert> = ms
            .iter()
            .filter(|m| m.entity == 1)
            .map(|m| m.cert)
            .collect();
        assert_eq!(dupont, [Cert::Low, Cert::Low]);
        assert!(ms.iter().any(|m| m.entity == 0 && m.cert == Cert::High));
    }

    #[test]
    fn toml_output_parses() {
        let s = suggest(
            "He met \"Jean\" Dupont and Jean Dupont again.",
            None,
            &SuggestOptions::default(),
        );
        let t = suggestions_to_toml(&s);
        let (r, d) = Registry::from_toml(&t, crate::diag::FileId(0));
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}\n{t}");
        assert!(!r.entities.is_empty(), "{t}");
    }
}
