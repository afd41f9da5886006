//! What a line looks like: the small predicates the converter's rules are built from.
//!
//! Each predicate describes a *shape* common to transcriptions of this kind (MIA/ETOL pages,
//! forum reposts, letter collections), never one source's exact words: a navigation bar is
//! short segments separated by `|`; a salutation starts with "Dear"/"Cher"/… and is short; a
//! signature is a few capitalised words. The tests at the bottom show each shape on
//! variants.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::word_count_max;

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).unwrap());
    };
}

// ---- boilerplate -------------------------------------------------------------------------

/// A navigation bar: two or more short segments separated by `|`.
pub(crate) fn is_nav_bar(s: &str) -> bool {
    if !s.contains('|') {
        return false;
    }
    let segs: Vec<&str> = s
        .split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect();
    segs.len() >= 2
        && word_count_max(s, 24) <= 24
        && segs.iter().all(|seg| {
            word_count_max(seg, 8) <= 8
                && seg.chars().count() <= 60
                && !seg.ends_with(['.', '?', '!', ',', ';'])
        })
}

re!(
    BREADCRUMB_START,
    r"^(?i:home|start|main|index|accueil|inicio|startseite|mia|etol|archive|forum|site map)\s*(?:>|»|›|::|/)\s*"
);

/// A breadcrumb trail: `Home > … > Forum 53183`.
pub(crate) fn is_breadcrumb(s: &str) -> bool {
    if s.len() > 300 || !s.contains(['>', '»', '›', ':', '/']) {
        return false;
    }
    let seps = [" > ", " » ", " › ", " :: "];
    let segs: usize = seps.iter().map(|sep| s.matches(sep).count()).sum();
    if segs == 0 && !BREADCRUMB_START.is_match(s) {
        return false;
    }
    let parts: Vec<&str> = s
        .split(['>', '»', '›'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    word_count_max(s, 20) <= 20
        && parts.len() >= 2
        && parts.iter().all(|p| word_count_max(p, 6) <= 6)
        && (BREADCRUMB_START.is_match(s) || parts.len() >= 3)
}

re!(
    NAV_PHRASE,
    r"^(?i:top of (?:the )?page|back to (?:the )?top|return to (?:the )?top|to (?:the )?top|top|back|go back|next|previous|prev|next page|previous page|home|home page|main index|print(?: this)?(?: page| version)?|printer[- ]friendly(?: version)?|e-?mail this(?: page)?|share(?: this)?(?: page)?|skip to (?:main )?content|main menu|« ?previous|next ?»|[↑▲^]+)[.:]?$"
);

/// A standalone navigation phrase: "Top of page", "Back to top", "Next »".
pub(crate) fn is_nav_phrase(s: &str) -> bool {
    s.len() <= 40 && NAV_PHRASE.is_match(s)
}

re!(
    FOOTER_TRIGGER,
    r"^(?i:any (?:message|comments?)(?:\s+or\s+(?:comments?|questions?))?\s*[?:]?$|leave a (?:reply|comment)\b.{0,30}$|post (?:a|your) (?:comment|reply)\b.{0,30}$|add (?:a |your )?(?:new )?comment\b.{0,30}$|reply to this (?:message|article|post|thread)\b.{0,30}$|(?:\d+\s+)?(?:comments?|replies|responses|reactions)\s*[:?]?$|follow (?:the )?comments\b|this forum is (?:moderated|unmoderated)\b|who are you\s*\?|your (?:post|comment|message|reply)\s*:?$|to create paragraphs\b|you must be logged in\b|log ?in to (?:reply|comment)\b|share (?:this|on)\b|subscribe\b|related (?:posts|articles)\s*:?$|tags\s*:|messages? (?:of|in) (?:the|this) forum\b)"
);

/// The first line of a forum or comment footer ("Any message or comments?").
pub(crate) fn is_footer_trigger(s: &str) -> bool {
    FOOTER_TRIGGER.is_match(s)
}

// ---- header statements -------------------------------------------------------------------

re!(
    FIELD,
    r"^(?P<label>\p{L}[\p{L}\\/&.\- ]{0,40}?)\s*:\s*(?P<value>\S.*)$"
);

/// What a "Label: value" header line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// Someone's work on the source edition (transcription, translation, mark-up …).
    Resp(&'static str),
    /// When the text was written or delivered.
    Written,
    /// Where it was first printed.
    Source,
    /// Rights statement of the source edition.
    Rights,
    /// The online version.
    Online,
}

/// A header field line: `Transcription\HTML Markup: David Walters`, `Written: 1946`.
pub(crate) fn header_field(s: &str) -> Option<(FieldKind, &str, &str)> {
    // The DFA rejects most lines cheaply; captures only on a match.
    if !FIELD.is_match(s) {
        return None;
    }
    let c = FIELD.captures(s)?;
    let label = c.name("label")?.as_str().trim();
    let value = c.name("value")?.as_str().trim();
    if word_count_max(label, 5) > 5 {
        return None;
    }
    let l = label.to_lowercase();
    let kind = if l.contains("transl")
        || l.contains("transcri")
        || l.contains("markup")
        || l.contains("mark-up")
        || l.contains("mark up")
        || l.contains("html")
        || l.contains("proofread")
        || l.contains("scanned")
        || l.contains("edited")
        || l.contains("editor")
        || l.contains("prepared")
        || l.contains("converted")
        || l.contains("digiti")
    {
        FieldKind::Resp(resp_key(&l))
    } else if l.starts_with("written") || l.starts_with("delivered") || l.starts_with("composed") {
        FieldKind::Written
    } else if l.starts_with("source")
        || l.contains("published")
        || l.contains("printed")
        || l.starts_with("original")
    {
        FieldKind::Source
    } else if l.contains("public domain")
        || l.contains("copyleft")
        || l.contains("licen")
        || l.contains("copyright")
        || l.contains("rights")
    {
        FieldKind::Rights
    } else if l.starts_with("online") || l == "url" || l == "web" {
        FieldKind::Online
    } else {
        return None;
    };
    Some((kind, label, value))
}

/// Normalised key of a responsibility ("Transcription\HTML Markup" → `transcription`).
pub(crate) fn resp_key(label: &str) -> &'static str {
    let l = label.to_lowercase();
    if l.contains("transl") {
        "translation"
    } else if l.contains("transcri") || l.contains("typed") || l.contains("keyed") {
        "transcription"
    } else if l.contains("mark") || l.contains("html") || l.contains("format") {
        "markup"
    } else if l.contains("proof") {
        "proofreading"
    } else if l.contains("scan") || l.contains("digiti") {
        "digitisation"
    } else if l.contains("edit") {
        "editing"
    } else {
        "contribution"
    }
}

re!(
    CREDIT,
    r"^(?P<role>(?i:transcribed|transcription|marked[ -]up|html[ -]?(?:mark-?up)?|mark-?up|proof-?read|proofreading|translated|translation|scanned|edited|prepared|converted|formatted|digiti[sz]ed|typed|keyed)[^:]{0,60}?)\s+by\s+(?P<names>.+?)\.?$"
);

/// A credit sentence: "Transcribed & marked up by Einde O’Callaghan for ETOL."
/// Returns the role words and the names part.
pub(crate) fn credit(s: &str) -> Option<(&str, &str)> {
    if word_count_max(s, 30) > 30 {
        return None;
    }
    // The DFA rejects most lines cheaply; captures only on a match.
    if !CREDIT.is_match(s) {
        return None;
    }
    let c = CREDIT.captures(s)?;
    Some((c.name("role")?.as_str(), c.name("names")?.as_str()))
}

re!(
    CITATION,
    r"^(?i:from|source|first published(?: in)?|published(?: in)?|originally published(?: in)?|reprinted from|first printed in)\s*:?\s+(?P<cit>.+)$"
);

/// A source citation: "From Fourth International, No. 7, Autumn 1959, pp. 25–26."
pub(crate) fn citation(s: &str) -> Option<&str> {
    // The DFA rejects most lines cheaply; captures only on a match.
    if !CITATION.is_match(s) {
        return None;
    }
    let c = CITATION.captures(s)?;
    let cit = c.name("cit")?.as_str();
    (cit.bytes().any(|b| b.is_ascii_digit()) && word_count_max(s, 40) <= 40).then_some(cit)
}

re!(DAMAGED, r"(?i)\bdamaged?\b");
re!(
    DAMAGE_HOW,
    r"(?i)missing|\[\s*(?:\.\s*){2,}\]|\[…\]|illegible|lacunae?|indicated|unreadable"
);

/// A statement that the copy transcribed is damaged.
pub(crate) fn is_damage_statement(s: &str) -> bool {
    DAMAGED.is_match(s) && DAMAGE_HOW.is_match(s) && word_count_max(s, 60) <= 60
}

re!(
    POST_LINE,
    r"^(?i:posted\s+(?:on\s+)?)?(?P<date>.{6,40}?),?\s+by\s+(?P<by>[^,]{1,60}?)\.?$"
);

/// A forum post line: "5 December 2021, 17:32, by Reiss" → (date part, user).
pub(crate) fn post_line(s: &str) -> Option<(&str, &str)> {
    // The DFA rejects most lines cheaply; captures only on a match.
    if !POST_LINE.is_match(s) {
        return None;
    }
    let c = POST_LINE.captures(s)?;
    Some((c.name("date")?.as_str(), c.name("by")?.as_str()))
}

re!(
    LAST_UPDATED,
    r"^(?i:(?:page\s+)?last\s+(?:updated|modified|revised|changed)|updated)(?:\s+on)?\s*:?\s*(?P<date>.+?)\.?$"
);

/// "Last updated on 30 January 2016" → the date part.
pub(crate) fn last_updated(s: &str) -> Option<&str> {
    if !LAST_UPDATED.is_match(s) {
        return None;
    }
    Some(LAST_UPDATED.captures(s)?.name("date")?.as_str())
}

// ---- names -------------------------------------------------------------------------------

const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "y", "ibn", "bin", "al", "el",
    "ben", "dos", "das", "del", "do", "zu", "ter", "ten",
];

const NOT_FIRST: &[&str] = &[
    "the",
    "a",
    "an",
    "on",
    "in",
    "of",
    "for",
    "to",
    "and",
    "letter",
    "letters",
    "from",
    "la",
    "le",
    "les",
    "el",
    "der",
    "die",
    "das",
    "un",
    "une",
    "our",
    "my",
    "his",
    "her",
    "their",
    "what",
    "why",
    "how",
    "who",
    "when",
    "where",
    "with",
    "against",
    "towards",
    "toward",
    "after",
    "before",
    "about",
    "between",
    "speech",
    "article",
    "open",
    "report",
    "notes",
    "note",
    "introduction",
    "preface",
    "appendix",
    "resolution",
    "theses",
    "chapter",
    "part",
    "book",
    "declaration",
    "manifesto",
    "statement",
    "reply",
    "answer",
    "interview",
    "dear",
    "yours",
    "long",
    "down",
    "forward",
    "no",
    "yes",
    "all",
];

fn is_cap_word(w: &str) -> bool {
    let mut ch = w.chars();
    let Some(first) = ch.next() else { return false };
    first.is_uppercase()
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
        && !w.ends_with(['-'])
}

fn is_initial(w: &str) -> bool {
    let mut ch = w.chars();
    matches!((ch.next(), ch.next(), ch.next()), (Some(a), Some('.'), None) if a.is_uppercase())
        || (w.len() <= 6
            && w.ends_with('.')
            && w.split('.')
                .filter(|x| !x.is_empty())
                .all(|x| x.chars().count() == 1 && x.chars().all(char::is_uppercase)))
}

/// A personal name as a whole line: "Victor Serge", "Einde O’Callaghan", "L. D. Trotsky".
pub(crate) fn is_person_like(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) {
        return false;
    }
    let first = words[0].trim_end_matches(',').to_lowercase();
    if NOT_FIRST.contains(&first.as_str()) {
        return false;
    }
    if s.ends_with(['!', '?', ':', ';', ',']) {
        return false;
    }
    if s.ends_with('.') && !is_initial(words[words.len() - 1]) {
        return false;
    }
    let mut caps = 0;
    for w in &words {
        if is_initial(w) || is_cap_word(w) {
            caps += 1;
        } else if !PARTICLES.contains(&w.to_lowercase().as_str()) {
            return false;
        }
    }
    caps >= 2
}

re!(
    SIG_PREFIX,
    r"^(?i:for|on behalf of|pp\.?|p\.p\.|per|pour|für|in the name of)\s+(?i:the\s+|la\s+|le\s+|les\s+|l’|l')?"
);

/// A signature line: a few capitalised words, initials, a parenthesised alias, possibly
/// "for the …": "Ludwig (Ignace Reiss)", "A. Mathieu", "for the Union Communiste (Trotskyste)".
pub(crate) fn is_signature(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty()
        || s.chars().any(|c| c.is_ascii_digit())
        || s.ends_with([',', ';', ':', '!', '?'])
    {
        return false;
    }
    let rest = match SIG_PREFIX.find(s) {
        Some(m) => &s[m.end()..],
        None => s,
    };
    // Drop parenthesised groups ("(alias Ludwig)", "(Trotskyste)").
    let mut flat = String::new();
    let mut depth = 0usize;
    for c in rest.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => flat.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return false;
    }
    let words: Vec<&str> = flat.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || word_count_max(s, 9) > 9 {
        return false;
    }
    if flat.trim_end().ends_with('.') && !is_initial(words[words.len() - 1]) {
        return false;
    }
    let first = words[0].to_lowercase();
    if NOT_FIRST.contains(&first.as_str()) && words.len() > 1 {
        return false;
    }
    words.iter().all(|w| {
        is_initial(w)
            || is_cap_word(w)
            || PARTICLES.contains(&w.to_lowercase().as_str())
            || matches!(*w, "&" | "and" | "et" | "und")
    })
}

// ---- letters -----------------------------------------------------------------------------

re!(
    SALUTE,
    r"^(?i:dear|my dear|dearest|cher|chère|chers|chères|mon cher|ma chère|liebe[rs]?|werte[rs]?|sehr geehrte[rs]?|querid[oa]s?|estimad[oa]s?|caro|cara|cari|care|comrades?|camarades?|genossen|genossinnen|compañer[oa]s?|gentlemen|sirs?|madam|to whom it may concern)\b"
);

/// An opening salutation: "Dear comrade Nathalie,", "Comrades!", "Chers camarades,".
pub(crate) fn is_salute(s: &str) -> bool {
    let n = word_count_max(s, 10);
    SALUTE.is_match(s) && n <= 10 && (s.ends_with([',', ':', '!']) || n <= 5)
}

/// A salutation running into the first paragraph ("DEAR FRED, On Friday …"): the length of
/// the salutation part (up to and including its comma).
pub(crate) fn salute_prefix(s: &str) -> Option<usize> {
    if !SALUTE.is_match(s) {
        return None;
    }
    let comma = s.find([',', ':', '!'])?;
    let head = &s[..comma];
    let rest = s[comma + 1..].trim_start();
    (word_count_max(head, 6) <= 6 && rest.chars().next().is_some_and(char::is_uppercase))
        .then_some(comma + 1)
}

re!(TO_LINE, r"^(?i:to)\s+\p{Lu}");

/// An addressee line in the opener: "to La Lutte de Classes".
pub(crate) fn is_to_line(s: &str) -> bool {
    TO_LINE.is_match(s) && word_count_max(s, 8) <= 8 && !s.ends_with(['.', '?', '!', ';'])
}

re!(
    CLOSING,
    r"(?i)\b(?:greetings?|salutations?|regards|yours|fraternally|sincerely|faithfully|comradely|cordially|respectfully|best wishes|with love|affectionately|adieu|farewell|salut|cordialement|fraternellement|bien à (?:vous|toi)|amitiés|grüßen?|gruß|grüße|saludos|fraternalmente|un abrazo|saluti)\b"
);

/// A closing salutation: "fraternal greetings", "Receive dear comrade my fraternal
/// salutation.", "Yours fraternally,".
pub(crate) fn is_closing(s: &str) -> bool {
    word_count_max(s, 25) <= 25 && CLOSING.is_match(s)
}

re!(
    PS_LABEL,
    r"^(?P<label>(?:P\.?\s?P\.?\s?S\.?|P\.?\s?S\.?(?:\s?\d{1,2}\.?)?|N\.\s?B\.?|NB\.?|Post-?scriptum|Postscript|(?i:(?:our |my |new |the |postal |home )?address(?:es)?|(?:my |our )?new address))\s*[:.\-–—]?)(?:\s+|$)"
);

/// A postscript label at the start of a paragraph: "P.S.:", "PS.1.", "N.B.", "Address :".
/// Returns the label's length.
pub(crate) fn ps_label(s: &str) -> Option<usize> {
    // The DFA rejects most lines cheaply; captures only on a match.
    if !PS_LABEL.is_match(s) {
        return None;
    }
    let c = PS_LABEL.captures(s)?;
    let label = c.name("label")?;
    // "Address" needs its colon or dash; "PS" needs to be followed by text.
    let l = label.as_str();
    if l.to_lowercase().contains("address") && !l.ends_with([':', '-', '–', '—']) {
        return None;
    }
    if s.len() == label.end() && !l.to_lowercase().contains("address") {
        return None;
    }
    Some(label.end())
}

re!(
    NOTE_BODY,
    r"^\[(?P<label>\d{1,3}[a-z]?\*?|\*{1,4}|†{1,3}|‡{1,2})\]\s*"
);

/// A note body: "[1] Indicted in …", "[*] This refers to …". Returns (label, length of the
/// marker with its following spaces).
pub(crate) fn note_body(s: &str) -> Option<(&str, usize)> {
    // The DFA rejects most lines cheaply; captures only on a match.
    if !NOTE_BODY.is_match(s) {
        return None;
    }
    let c = NOTE_BODY.captures(s)?;
    let m = c.get(0)?;
    if m.end() >= s.len() {
        return None;
    }
    Some((c.name("label")?.as_str(), m.end()))
}

re!(
    NOTES_HEADING,
    r"^(?i:notes|footnotes|endnotes|notes and references|references|editor[’']?s notes?|translator[’']?s notes?|notes? by the editors?|notes? by the translator)\s*:?$"
);

/// A heading over note bodies: "Notes", "Footnotes", "Editor’s Notes".
pub(crate) fn is_notes_heading(s: &str) -> bool {
    NOTES_HEADING.is_match(s)
}

/// `editorial` or `translator` when a notes heading says so.
pub(crate) fn notes_heading_kind(s: &str) -> Option<&'static str> {
    let l = s.to_lowercase();
    if l.contains("editor") {
        Some("editorial")
    } else if l.contains("translator") {
        Some("translator")
    } else {
        None
    }
}

re!(
    NOTE_KIND,
    r"(?:[-–—]\s*|\(\s*|\[\s*)(?P<k>Ed|Eds|Editor|Editors|Trans|Tr|Transl|Translator|Note by the (?:editors?|translator))\.?\s*[)\]]?\s*\.?$"
);

/// `editorial` / `translator` when a note body ends with "—Ed." or "– Trans.".
pub(crate) fn note_kind(s: &str) -> Option<&'static str> {
    if !NOTE_KIND.is_match(s.trim_end()) {
        return None;
    }
    let c = NOTE_KIND.captures(s.trim_end())?;
    let k = c.name("k")?.as_str().to_lowercase();
    Some(if k.starts_with("ed") || k.contains("editor") {
        "editorial"
    } else {
        "translator"
    })
}

/// Prose: a sentence or more.
pub(crate) fn is_prose(s: &str) -> bool {
    let n = word_count_max(s, 20);
    n >= 20
        || (n >= 8
            && s.trim_end()
                .ends_with(['.', '!', '?', '"', '”', '’', '»', ')', ':']))
}

/// A section heading: a short line without final punctuation.
pub(crate) fn is_heading_shape(s: &str) -> bool {
    let n = word_count_max(s, 14);
    (1..=14).contains(&n)
        && !s.ends_with(['.', ',', ';', ':', '!', '?', '"', '”', '’', '»'])
        && s.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

const ORG_WORDS: &[&str] = &[
    "committee",
    "comité",
    "komitee",
    "party",
    "parti",
    "partido",
    "partei",
    "union",
    "league",
    "ligue",
    "liga",
    "group",
    "groupe",
    "gruppe",
    "bureau",
    "secretariat",
    "council",
    "congress",
    "international",
    "internationale",
    "federation",
    "fédération",
    "association",
    "society",
    "editorial",
    "editors",
    "board",
    "section",
    "opposition",
    "bund",
    "club",
    "organisation",
    "organization",
    "movement",
    "mouvement",
    "communiste",
    "socialiste",
    "trotskyste",
    "comrades",
    "camarades",
    "workers",
    "travailleurs",
    "voix",
    "lutte",
    "publishers",
    "press",
    "government",
    "ministry",
    "soviet",
];

/// Guesses whether a correspondent named in a letter head is an organisation.
pub(crate) fn looks_like_org(s: &str) -> bool {
    let l = s.to_lowercase();
    let first = l.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "the" | "la" | "le" | "les" | "l’" | "der" | "die" | "das" | "el" | "los" | "il"
    ) || l
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ORG_WORDS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation() {
        assert!(is_nav_bar(
            "Fourth International Index | Main Newspaper Index"
        ));
        assert!(is_nav_bar(
            "Encyclopedia of Trotskyism | Marxists’ Internet Archive"
        ));
        assert!(is_nav_bar(
            "Trotsky Internet Archive | Writings 1937 | Index"
        ));
        assert!(!is_nav_bar(
            "He said | and then went on talking about the war in Spain and more."
        ));
        assert!(is_breadcrumb("Home > ... > Forum 53183"));
        assert!(is_breadcrumb("MIA > Archive > Trotsky > 1937"));
        assert!(!is_breadcrumb("x > y is a comparison"));
        assert!(is_nav_phrase("Top of page"));
        assert!(is_nav_phrase("Back to top"));
        assert!(!is_nav_phrase("Top of the class, he said."));
        assert!(is_footer_trigger("Any message or comments?"));
        assert!(is_footer_trigger("Leave a Reply"));
        assert!(is_footer_trigger("3 Comments"));
        assert!(!is_footer_trigger(
            "Any message from the comrades was welcome."
        ));
    }

    #[test]
    fn header_statements() {
        let (k, _, v) = header_field("Transcription\\HTML Markup: David Walters").unwrap();
        assert_eq!(k, FieldKind::Resp("transcription"));
        assert_eq!(v, "David Walters");
        assert_eq!(
            header_field("Translation: Ted Crawford").unwrap().0,
            FieldKind::Resp("translation")
        );
        assert_eq!(
            header_field("Written: 1946 through 1949").unwrap().0,
            FieldKind::Written
        );
        assert_eq!(
            header_field("First Published: Pravda, 3 March 1917")
                .unwrap()
                .0,
            FieldKind::Source
        );
        assert_eq!(
            header_field("Public Domain: Marxists Internet Archive (2005)")
                .unwrap()
                .0,
            FieldKind::Rights
        );
        assert!(header_field("Trotsky: the man and his work").is_none());
        let (role, names) =
            credit("Transcribed & marked up by Einde O’Callaghan for ETOL.").unwrap();
        assert_eq!(role, "Transcribed & marked up");
        assert_eq!(names, "Einde O’Callaghan for ETOL");
        assert!(credit("Proofread by Jane Doe").is_some());
        assert_eq!(
            citation("From Fourth International, No. 7, Autumn 1959, pp. 25–26."),
            Some("Fourth International, No. 7, Autumn 1959, pp. 25–26.")
        );
        assert!(citation("From the very beginning he fought").is_none());
        assert!(is_damage_statement(
            "The copy of the magazine from which this was transcribed is damaged – the missing passages are indicated by [...]."
        ));
        assert_eq!(
            post_line("5 December 2021, 17:32, by Reiss"),
            Some(("5 December 2021, 17:32", "Reiss"))
        );
        assert_eq!(
            last_updated("Last updated on 30 January 2016"),
            Some("30 January 2016")
        );
        assert_eq!(last_updated("Last updated: 5.7.2003."), Some("5.7.2003"));
    }

    #[test]
    fn names() {
        assert!(is_person_like("Victor Serge"));
        assert!(is_person_like("Einde O’Callaghan"));
        assert!(is_person_like("L. D. Trotsky"));
        assert!(is_person_like("Rosa Luxemburg"));
        assert!(!is_person_like("A Reaffirmation"));
        assert!(!is_person_like("The Revolution"));
        assert!(!is_person_like("Barta—Natalia Sedova 1946"));
        assert!(is_signature("Ludwig (Ignace Reiss)"));
        assert!(is_signature("A. Mathieu"));
        assert!(is_signature("for the Union Communiste (Trotskyste)"));
        assert!(is_signature("Natalie Sedova"));
        assert!(is_signature("L.T."));
        assert!(is_signature("JACQUES RAMBOZ"));
        assert!(!is_signature(
            "Elena Villalobos Avenue Viena 19 - Coyoacan Mexico, D.F."
        ));
        assert!(!is_signature("fraternal greetings"));
        assert!(!is_signature("Merciless struggle against Stalinism!"));
        assert!(looks_like_org(
            "the Central Committee of the Communist Party"
        ));
        assert!(looks_like_org("Union Communiste (Trotskyste)"));
        assert!(!looks_like_org("Natalia Sedova"));
    }

    #[test]
    fn letter_parts() {
        assert!(is_salute("Dear comrade Nathalie,"));
        assert!(is_salute("Dear comrades,"));
        assert!(is_salute("Chers camarades,"));
        assert!(is_salute("Comrades!"));
        assert!(!is_salute(
            "Dear comrade would it be possible for you to eventually contribute to a bi-monthly Voix"
        ));
        assert_eq!(salute_prefix("DEAR FRED, On Friday we met."), Some(10));
        assert!(is_to_line("to La Lutte de Classes"));
        assert!(is_closing("fraternal greetings"));
        assert!(is_closing(
            "Hoping to hear from you, receive dear comrade our fraternal salutation."
        ));
        assert!(is_closing("Yours fraternally,"));
        assert!(!is_closing("We were pleased to get your letter."));
        assert_eq!(ps_label("P.S.: In 1928 I was decorated"), Some(5));
        assert_eq!(ps_label("PS.1. We attach a copy"), Some(5));
        assert_eq!(ps_label("PS. Excuse this rambling letter"), Some(3));
        assert_eq!(ps_label("N.B. Do not forget"), Some(4));
        assert_eq!(ps_label("Address : Jacques RAMBOZ"), Some(9));
        assert_eq!(ps_label("PS-PC-CGT government is the call"), None);
        assert_eq!(ps_label("Addresses are kept secret"), None);
        assert_eq!(
            note_body("[1] Indicted in the first Moscow trial."),
            Some(("1", 4))
        );
        assert_eq!(note_body("[**] Fernandez Grandizo"), Some(("**", 5)));
        assert_eq!(note_body("[1]"), None);
        assert_eq!(note_kind("He died in 1940. – Ed."), Some("editorial"));
        assert_eq!(
            note_kind("Literally ‘the cause’ [Trans.]"),
            Some("translator")
        );
        assert_eq!(note_kind("Indicted in the first Moscow trial."), None);
        assert!(is_notes_heading("Notes"));
        assert!(is_notes_heading("Footnotes:"));
    }
}
