//! Dates as transcriptions write them → W3C values for `@when`, `@from`/`@to`,
//! `@notBefore`/`@notAfter`.
//!
//! Recognised forms (English, French, German, Spanish and Italian month names; ordinal
//! suffixes; optional "of" and commas):
//!
//! | form | example | value |
//! |---|---|---|
//! | day month year | `16th December 1946`, `12 juillet 1947` | `1946-12-16` |
//! | month day, year | `July 17, 1937` | `1937-07-17` |
//! | … with a time | `5 December 2021, 17:32` | `2021-12-05T17:32:00` |
//! | month year | `May 1935` | `1935-05` |
//! | season year | `Autumn 1959` | `1959` |
//! | d.m.y | `28.1.47`, `5.7.2003`, `28/1/1947` | `1947-01-28` (two-digit years: see below) |
//! | day / Roman month | `20/XII.` | year from the context, `@cert="low"` |
//! | ISO | `1947-01-28` | itself |
//! | year, year range | `1928`, `1946 - 1949`, `1946 through 1949` | `1928`; `@from`/`@to` |
//! | qualifiers | `about …`, `after …`, `before …` | `@cert="medium"`, `@notBefore`, `@notAfter` |
//!
//! Two-digit years take their century from the context ([`DateCtx`]): the header's date
//! range ("1946 – 1949") when there is one, otherwise the century of the four-digit years
//! in the text, marked `@cert="medium"`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::model::{Cert, DateValue};

/// What a date is read against.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DateCtx {
    /// The years the text covers, from the header.
    pub range: Option<(i32, i32)>,
    /// A typical year of the text (for two-digit years without a range).
    pub typical_year: Option<i32>,
    /// The year of the surrounding letter (for dates without a year).
    pub current_year: Option<i32>,
    /// The date of the surrounding letter (year, month, day): a day and month without a
    /// year in its text ("your letter of the 16th December") take the year that puts them
    /// nearest to it.
    pub current_date: Option<(i32, u32, u32)>,
}

const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
];

fn month_number(name: &str) -> Option<u32> {
    let lower = name.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|&(_, m)| m)
}

/// Alternation of month names, longest first so that `june` wins over `jun`.
fn months_alt() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.dedup();
    names.join("|")
}

const ORD: &str = r"(?:st|nd|rd|th|er|e|º)?";

/// The date forms, as one regex with a named group set per form. Not anchored.
fn date_pattern(running_text: bool) -> String {
    format!("(?P<date>{})", date_alts(running_text).join("|"))
}

/// The date forms, one pattern each (their group names are distinct).
fn date_alts(running_text: bool) -> Vec<String> {
    let m = months_alt();
    let time =
        |p: &str| format!(r"(?:,?\s+(?:at\s+)?(?P<{p}hh>[01]?\d|2[0-3]):(?P<{p}mi>[0-5]\d))?");
    let (t1, t2) = (time("a"), time("b"));
    // In running text the English month name must be capitalised in "Month Year" (so that
    // "may 1935" in a sentence is not a date); with a day number any case is fine.
    let my_month = if running_text {
        "(?P<my_m>(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|(?i:janvier|février|fevrier|avril|juin|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre))\\.?)".to_string()
    } else {
        format!("(?P<my_m>(?i:{m})\\.?)")
    };
    let numeric = r"(?P<n_d>[0-3]?\d)[./](?P<n_m>[01]?\d)[./](?P<n_y>\d{4}|\d{2})";
    let mut alts = vec![
        format!(r"(?P<mr_a>(?i:{m})\.?)\s*[-–—/]\s*(?P<mr_b>(?i:{m})\.?),?\s+(?P<mr_y>\d{{4}})"),
        format!(
            r"(?P<dr_a>[0-3]?\d){ORD}\s*(?:[-–—]|to|and)\s*(?P<dr_b>[0-3]?\d){ORD}\s+(?:of\s+)?(?P<dr_m>(?i:{m})\.?),?\s+(?P<dr_y>\d{{4}})"
        ),
        format!(
            r"(?P<dmy_d>[0-3]?\d){ORD}\.?\s+(?:of\s+)?(?P<dmy_m>(?i:{m})\.?),?\s+(?P<dmy_y>\d{{4}}){t1}"
        ),
        format!(r"(?P<mdy_m>(?i:{m})\.?)\s+(?P<mdy_d>[0-3]?\d){ORD},?\s+(?P<mdy_y>\d{{4}}){t2}"),
        r"(?P<iso_y>\d{4})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)".to_string(),
        numeric.to_string(),
        format!(r"{my_month},?\s+(?P<my_y>\d{{4}})"),
        r"(?P<s_s>(?i:spring|summer|autumn|fall|winter))\s+(?P<s_y>\d{4})".to_string(),
    ];
    if running_text {
        // A day and month without a year ("the 16th December", "February 27"): after the
        // forms with a year, so that those win; a value only inside a dated letter.
        // (Without the abbreviation's full stop: after a full name it ends the sentence.)
        let month = my_month.replace("my_m", "{g}").replace(r"\.?)", ")");
        alts.push(format!(
            r"(?P<dm_d>[0-3]?\d)(?:st|nd|rd|th|er|e)?\.?\s+(?:of\s+)?{}",
            month.replace("{g}", "dm_m")
        ));
        alts.push(format!(
            r"{}\s+(?P<md_d>[0-3]?\d)(?:st|nd|rd|th)?",
            month.replace("{g}", "md_m")
        ));
        alts.push(r"\((?P<r_a>1[5-9]\d\d|20\d\d)\s*[-–—]\s*(?P<r_b>1[5-9]\d\d|20\d\d)\)".into());
        alts.push(r"(?i:in|since|until|till|from|by|after|before|during|around|circa|early|late|mid-|of)\s+(?P<py>1[5-9]\d\d|20\d\d)".into());
    } else {
        alts.push(r"(?P<r_a>\d{4})\s*(?:[-–—]|to|through|until|till)\s*(?P<r_b>\d{4})".to_string());
        alts.push(r"(?P<ro_d>[0-3]?\d)\s*/\s*(?P<ro_m>XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\.?(?:\s*/?\s*(?P<ro_y>\d{4}|\d{2}))?".into());
        alts.push(r"(?P<y_y>\d{4})".into());
    }
    alts
}

static TEXT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[^\p{{L}}\p{{N}}]){}(?:$|[^\p{{L}}\p{{N}}])",
        date_pattern(true)
    ))
    .unwrap()
});
/// One regex per running-text form, anchored at both ends of a match: capturing groups on
/// a short match with a small regex is much cheaper than with the combined one.
static TEXT_FORMS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    date_alts(true)
        .iter()
        .map(|alt| {
            Regex::new(&format!(
                r"^(?:[^\p{{L}}\p{{N}}])?(?P<date>{alt})(?:[^\p{{L}}\p{{N}}])?$"
            ))
            .unwrap()
        })
        .collect()
});

static EXACT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<q>(?i:about|circa|ca\.|c\.|after|before|not before|not after|early|late|mid|end of|beginning of)(?:\s+|-))?(?:{})\s*\.?$",
        date_pattern(false)
    ))
    .unwrap()
});
static TAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:^|[\s,;(\[])(?P<q>(?i:about|circa|ca\.|c\.|after|before|early|late|mid|end of|beginning of)(?:\s+|-))?(?:{})\s*\.?$",
        date_pattern(false)
    ))
    .unwrap()
});

/// [`TAIL_RE`] one form at a time, for capturing on the tail the combined regex found: the
/// combined regex finds the match with its DFA, a small regex captures the groups (a
/// backtracker over the combined one costs tens of thousands of steps per dateline).
/// Tried in the combined regex's order, each anchored at both ends of the tail, so the
/// first that matches is the form the combined regex chose.
static TAIL_FORMS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    date_alts(false)
        .iter()
        .map(|alt| {
            Regex::new(&format!(
                r"^[\s,;(\[]?(?P<q>(?i:about|circa|ca\.|c\.|after|before|early|late|mid|end of|beginning of)(?:\s+|-))?(?P<date>{alt})\s*\.?$"
            ))
            .unwrap()
        })
        .collect()
});

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date could not be normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// Day or month out of range.
    Impossible,
    /// A two-digit year and no context for the century.
    NoCentury,
}

/// A date found in a string.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// Byte range of the date text in the searched string.
    pub range: Range<usize>,
    /// Its value (`when` etc. empty when it could not be normalised).
    pub value: DateValue,
    /// Why it could not be normalised.
    pub problem: Option<DateProblem>,
}

fn roman_month(s: &str) -> Option<u32> {
    Some(match s {
        "I" => 1,
        "II" => 2,
        "III" => 3,
        "IV" => 4,
        "V" => 5,
        "VI" => 6,
        "VII" => 7,
        "VIII" => 8,
        "IX" => 9,
        "X" => 10,
        "XI" => 11,
        "XII" => 12,
        _ => return None,
    })
}

fn year_from_two_digits(yy: i32, ctx: &DateCtx) -> Option<(i32, Option<Cert>)> {
    if let Some((a, b)) = ctx.range {
        for century in [a / 100, b / 100, a / 100 - 1, b / 100 + 1] {
            let y = century * 100 + yy;
            if y >= a - 1 && y <= b + 1 {
                return Some((y, None));
            }
        }
        return Some((a / 100 * 100 + yy, Some(Cert::Medium)));
    }
    ctx.typical_year
        .map(|t| (t / 100 * 100 + yy, Some(Cert::Medium)))
}

/// Builds the value from the captures of one of the date regexes.
fn value_of(c: &Captures<'_>, ctx: &DateCtx) -> (DateValue, Option<DateProblem>) {
    let num = |n: &str| c.name(n).and_then(|m| m.as_str().parse::<i32>().ok());
    let mut v = DateValue::default();
    let ymd = |y: i32, m: u32, d: u32, t: Option<(i32, i32)>| -> Result<String, DateProblem> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(DateProblem::Impossible);
        }
        Ok(match t {
            Some((hh, mi)) => format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mi:02}:00"),
            None => format!("{y:04}-{m:02}-{d:02}"),
        })
    };
    let time = num("ahh").zip(num("ami")).or(num("bhh").zip(num("bmi")));
    let mut problem = None;
    if let (Some(a), Some(b), Some(y)) = (c.name("mr_a"), c.name("mr_b"), num("mr_y")) {
        match (month_number(a.as_str()), month_number(b.as_str())) {
            (Some(a), Some(b)) if a < b => {
                v.from = Some(format!("{y:04}-{a:02}"));
                v.to = Some(format!("{y:04}-{b:02}"));
            }
            _ => problem = Some(DateProblem::Impossible),
        }
    } else if let (Some(a), Some(b), Some(m), Some(y)) =
        (num("dr_a"), num("dr_b"), c.name("dr_m"), num("dr_y"))
    {
        match month_number(m.as_str())
            .map(|m| (ymd(y, m, a as u32, None), ymd(y, m, b as u32, None)))
        {
            Some((Ok(f), Ok(t))) if a < b => {
                v.from = Some(f);
                v.to = Some(t);
            }
            _ => problem = Some(DateProblem::Impossible),
        }
    } else if let (Some(d), Some(m), Some(y)) = (num("dmy_d"), c.name("dmy_m"), num("dmy_y")) {
        match month_number(m.as_str()).ok_or(DateProblem::Impossible) {
            Ok(m) => match ymd(y, m, d as u32, time) {
                Ok(w) => v.when = Some(w),
                Err(p) => problem = Some(p),
            },
            Err(p) => problem = Some(p),
        }
    } else if let (Some(m), Some(d), Some(y)) = (c.name("mdy_m"), num("mdy_d"), num("mdy_y")) {
        match month_number(m.as_str()).map(|m| ymd(y, m, d as u32, time)) {
            Some(Ok(w)) => v.when = Some(w),
            Some(Err(p)) => problem = Some(p),
            None => problem = Some(DateProblem::Impossible),
        }
    } else if let (Some(y), Some(m), Some(d)) = (num("iso_y"), num("iso_m"), num("iso_d")) {
        match ymd(y, m as u32, d as u32, None) {
            Ok(w) => v.when = Some(w),
            Err(p) => problem = Some(p),
        }
    } else if let (Some(d), Some(m), Some(ys)) = (num("n_d"), num("n_m"), c.name("n_y")) {
        let y = ys.as_str().parse::<i32>().unwrap_or(0);
        let year = if ys.as_str().len() == 2 {
            year_from_two_digits(y, ctx)
        } else {
            Some((y, None))
        };
        match year {
            Some((y, cert)) => match ymd(y, m as u32, d as u32, None) {
                Ok(w) => {
                    v.when = Some(w);
                    v.cert = cert;
                }
                Err(p) => problem = Some(p),
            },
            None => problem = Some(DateProblem::NoCentury),
        }
    } else if let (Some(m), Some(y)) = (c.name("my_m"), num("my_y")) {
        match month_number(m.as_str()) {
            Some(m) => v.when = Some(format!("{y:04}-{m:02}")),
            None => problem = Some(DateProblem::Impossible),
        }
    } else if let Some((d, m)) = num("dm_d")
        .zip(c.name("dm_m"))
        .or(num("md_d").zip(c.name("md_m")))
    {
        // No year: the year of the letter, or the one before or after, whichever puts the
        // date nearest to the letter's ("the 16th December" in a letter of 28 January 1947
        // is 1946-12-16).
        if let (Some(m), Some((ly, lm, ld))) = (month_number(m.as_str()), ctx.current_date) {
            let day = |y: i32| ymd(y, m, d as u32, None).ok().map(|w| (y, w));
            let dist =
                |y: i32| ((y - ly) * 372 + (m as i32 - lm as i32) * 31 + (d - ld as i32)).abs();
            match [ly - 1, ly, ly + 1]
                .into_iter()
                .filter_map(day)
                .min_by_key(|(y, _)| dist(*y))
            {
                Some((_, w)) => {
                    v.when = Some(w);
                    v.cert = Some(Cert::Medium);
                }
                None => problem = Some(DateProblem::Impossible),
            }
        }
    } else if let Some(y) = num("s_y") {
        v.when = Some(format!("{y:04}"));
    } else if let (Some(a), Some(b)) = (num("r_a"), num("r_b")) {
        if a <= b {
            v.from = Some(format!("{a:04}"));
            v.to = Some(format!("{b:04}"));
        } else {
            problem = Some(DateProblem::Impossible);
        }
    } else if let (Some(d), Some(rm)) = (num("ro_d"), c.name("ro_m")) {
        let m = roman_month(rm.as_str()).unwrap_or(0);
        let year = match c.name("ro_y") {
            Some(ys) if ys.as_str().len() == 2 => {
                year_from_two_digits(ys.as_str().parse().unwrap_or(0), ctx)
            }
            Some(ys) => ys.as_str().parse().ok().map(|y| (y, None)),
            None => ctx
                .current_year
                .or(ctx.range.map(|r| r.0))
                .map(|y| (y, Some(Cert::Low))),
        };
        match year {
            Some((y, cert)) => match ymd(y, m, d as u32, None) {
                Ok(w) => {
                    v.when = Some(w);
                    v.cert = cert;
                }
                Err(p) => problem = Some(p),
            },
            None => problem = Some(DateProblem::NoCentury),
        }
    } else if let Some(y) = num("py").or(num("y_y")) {
        v.when = Some(format!("{y:04}"));
    }
    (v, problem)
}

fn apply_qualifier(v: &mut DateValue, q: Option<&str>) {
    let Some(q) = q else { return };
    let q = q.trim().trim_end_matches('-').to_lowercase();
    let when = v.when.take();
    match q.as_str() {
        "after" | "not before" => v.not_before = when,
        "before" | "not after" => v.not_after = when,
        // Within the period named: the value stands as it is.
        "early" | "late" | "mid" | "end of" | "beginning of" => v.when = when,
        _ => {
            v.when = when;
            v.cert = Some(Cert::Medium);
        }
    }
}

/// Parses a string that is a date and nothing else (surrounding spaces and a final full
/// stop allowed). `None` if it is not a date.
pub(crate) fn parse_exact(s: &str, ctx: &DateCtx) -> Option<Found> {
    let t = s.trim();
    if !EXACT_RE.is_match(t) {
        return None;
    }
    let c = EXACT_RE.captures(t)?;
    let (mut value, problem) = value_of(&c, ctx);
    apply_qualifier(&mut value, c.name("q").map(|m| m.as_str()));
    let lead = s.len() - s.trim_start().len();
    let body = t.trim_end_matches('.').trim_end();
    value.text = body.to_string();
    Some(Found {
        range: lead..lead + body.len(),
        value,
        problem,
    })
}

/// Finds a date at the end of `s` ("Paris, 16th December 1946"): returns it with the byte
/// range where the date starts (after any qualifier) and ends (before a final full stop).
pub(crate) fn parse_tail(s: &str, ctx: &DateCtx) -> Option<Found> {
    let t = s.trim_end();
    let m = TAIL_RE.find(t)?;
    let base = m.start();
    let c = TAIL_FORMS.iter().find_map(|r| r.captures(m.as_str()))?;
    let date = c.name("date")?;
    let (mut value, problem) = value_of(&c, ctx);
    apply_qualifier(&mut value, c.name("q").map(|m| m.as_str()));
    let start = base + c.name("q").map(|q| q.start()).unwrap_or(date.start());
    let end = base + date.end();
    value.text = s[start..end].to_string();
    Some(Found {
        range: start..end,
        value,
        problem,
    })
}

/// Finds dates in running text. Only unambiguous forms are taken: full dates, month and
/// year, season and year, `d.m.yy`, a year after a preposition ("in 1928"), a year range in
/// parentheses ("(1912-1989)").
pub(crate) fn find_in_text(s: &str, ctx: &DateCtx) -> Vec<Found> {
    let mut out = Vec::new();
    let mut at = 0;
    // Cheap pre-check: every form holds a digit.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    while at < s.len() {
        // Find the match with the DFA, then capture on the matched text only (the
        // pattern's boundary groups match at the ends of the slice).
        let Some(m) = TEXT_RE.find_at(s, at) else {
            break;
        };
        let base = m.start();
        let Some(c) = TEXT_FORMS.iter().find_map(|r| r.captures(m.as_str())) else {
            break;
        };
        let Some(date) = c.name("date") else { break };
        let (mut value, problem) = value_of(&c, ctx);
        // A year after a preposition: only the year is the date.
        let range = if let Some(py) = c.name("py") {
            base + py.start()..base + py.end()
        } else if let (Some(a), Some(b)) = (c.name("r_a"), c.name("r_b")) {
            base + a.start()..base + b.end()
        } else {
            base + date.start()..base + date.end()
        };
        value.text = s[range.clone()].to_string();
        // Resume just after the date (not after the trailing boundary char, which may
        // start the next date).
        at = (base + date.end()).max(at + 1);
        while at < s.len() && !s.is_char_boundary(at) {
            at += 1;
        }
        if value.is_normalised() || problem.is_some() {
            out.push(Found {
                range,
                value,
                problem,
            });
        }
    }
    out
}

/// The day of a value that is one day (`@when` = YYYY-MM-DD…): (year, month, day).
pub(crate) fn ymd_of(v: &DateValue) -> Option<(i32, u32, u32)> {
    let w = v.when.as_deref()?;
    let (y, rest) = w.split_at_checked(4)?;
    let m = rest.get(1..3)?;
    let d = rest.get(4..6)?;
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// The year of a normalised value, if any.
pub(crate) fn year_of(v: &DateValue) -> Option<i32> {
    v.when
        .as_deref()
        .or(v.from.as_deref())
        .or(v.not_before.as_deref())
        .and_then(|w| w.get(..4))
        .and_then(|y| y.parse().ok())
}

/// A year range from a header line such as "1946 - 1949" or "Written: 1946 through 1949".
pub(crate) fn year_range(v: &DateValue) -> Option<(i32, i32)> {
    let y = |s: &Option<String>| s.as_deref()?.get(..4)?.parse::<i32>().ok();
    match (y(&v.from), y(&v.to), y(&v.when)) {
        (Some(a), Some(b), _) => Some((a, b)),
        (_, _, Some(w)) => Some((w, w)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(s: &str, ctx: &DateCtx) -> Option<String> {
        parse_exact(s, ctx).and_then(|f| f.value.when)
    }

    #[test]
    fn exact_forms() {
        let ctx = DateCtx {
            range: Some((1946, 1949)),
            ..Default::default()
        };
        assert_eq!(when("July 17, 1937", &ctx).as_deref(), Some("1937-07-17"));
        assert_eq!(
            when("16th December 1946", &ctx).as_deref(),
            Some("1946-12-16")
        );
        assert_eq!(when("28.1.47", &ctx).as_deref(), Some("1947-01-28"));
        assert_eq!(when("12 July 1947", &ctx).as_deref(), Some("1947-07-12"));
        assert_eq!(when("5.7.2003", &ctx).as_deref(), Some("2003-07-05"));
        assert_eq!(
            when("5 December 2021, 17:32", &ctx).as_deref(),
            Some("2021-12-05T17:32:00")
        );
        assert_eq!(when("Autumn 1959", &ctx).as_deref(), Some("1959"));
        assert_eq!(when("May 1935", &ctx).as_deref(), Some("1935-05"));
        assert_eq!(when("12 juillet 1947", &ctx).as_deref(), Some("1947-07-12"));
        assert_eq!(when("1947-01-28", &ctx).as_deref(), Some("1947-01-28"));
        let r = parse_exact("23–25 May 1946", &ctx).unwrap().value;
        assert_eq!(
            (r.from.as_deref(), r.to.as_deref()),
            (Some("1946-05-23"), Some("1946-05-25"))
        );
        assert_eq!(when("Jan. 3, 1940.", &ctx).as_deref(), Some("1940-01-03"));
        let r = parse_exact("1946 - 1949", &ctx).unwrap().value;
        assert_eq!(
            (r.from.as_deref(), r.to.as_deref()),
            (Some("1946"), Some("1949"))
        );
        let r = parse_exact("1946 through 1949", &ctx).unwrap().value;
        assert_eq!(year_range(&r), Some((1946, 1949)));
        let r = parse_exact("20/XII.", &ctx).unwrap().value;
        assert_eq!(r.when.as_deref(), Some("1946-12-20"));
        assert_eq!(r.cert, Some(Cert::Low));
        let r = parse_exact("May-June 1938", &ctx).unwrap().value;
        assert_eq!(
            (r.from.as_deref(), r.to.as_deref()),
            (Some("1938-05"), Some("1938-06"))
        );
        let r = parse_exact("mid-December 1917", &ctx).unwrap().value;
        assert_eq!((r.when.as_deref(), r.cert), (Some("1917-12"), None));
        let r = parse_exact("after February 11, 1914", &ctx).unwrap().value;
        assert_eq!(r.not_before.as_deref(), Some("1914-02-11"));
        assert!(
            parse_exact("31 February 1947", &ctx)
                .unwrap()
                .problem
                .is_some()
        );
        assert!(parse_exact("Hello 1947", &ctx).is_none());
    }

    #[test]
    fn two_digit_years_need_context() {
        let none = DateCtx::default();
        let f = parse_exact("28.1.47", &none).unwrap();
        assert_eq!(f.problem, Some(DateProblem::NoCentury));
        let typical = DateCtx {
            typical_year: Some(1950),
            ..Default::default()
        };
        let f = parse_exact("28.1.47", &typical).unwrap();
        assert_eq!(f.value.when.as_deref(), Some("1947-01-28"));
        assert_eq!(f.value.cert, Some(Cert::Medium));
        let y2k = DateCtx {
            range: Some((1998, 2003)),
            ..Default::default()
        };
        assert_eq!(when("5.7.01", &y2k).as_deref(), Some("2001-07-05"));
    }

    #[test]
    fn datelines() {
        let ctx = DateCtx {
            range: Some((1946, 1949)),
            ..Default::default()
        };
        for (line, place, w) in [
            ("Paris, 16th December 1946", "Paris, ", "1946-12-16"),
            ("Coyoacan, 28.1.47", "Coyoacan, ", "1947-01-28"),
            ("Paris 18th June 1948", "Paris ", "1948-06-18"),
            (
                "Mexico, D.F., 12 July 1947.",
                "Mexico, D.F., ",
                "1947-07-12",
            ),
        ] {
            let f = parse_tail(line, &ctx).unwrap();
            assert_eq!(&line[..f.range.start], place, "{line}");
            assert_eq!(f.value.when.as_deref(), Some(w), "{line}");
        }
    }

    #[test]
    fn running_text() {
        let ctx = DateCtx {
            range: Some((1946, 1949)),
            ..Default::default()
        };
        let s = "In 1928 I was decorated; in May 1935 he said; your letter of 28.1.47; \
                 on the 11th September 1944; Munis (1912-1989); 100,000 leaflets; may 1935";
        let found: Vec<_> = find_in_text(s, &ctx)
            .into_iter()
            .map(|f| (f.value.text, f.value.when.or(f.value.from)))
            .collect();
        assert_eq!(
            found,
            vec![
                ("1928".into(), Some("1928".into())),
                ("May 1935".into(), Some("1935-05".into())),
                ("28.1.47".into(), Some("1947-01-28".into())),
                ("11th September 1944".into(), Some("1944-09-11".into())),
                ("1912-1989".into(), Some("1912".into())),
            ]
        );
    }

    #[test]
    fn day_and_month_take_the_nearest_year_of_the_letter() {
        let s = "your letter of the 16th December. We meet on the 5th March, not on March 40; \
                 see you February 27 or the 3rd of May 1950";
        let when = |ctx: &DateCtx| -> Vec<(String, Option<String>, Option<Cert>)> {
            find_in_text(s, ctx)
                .into_iter()
                .map(|f| (f.value.text, f.value.when, f.value.cert))
                .collect()
        };
        // Outside a dated letter a day and month alone is no date.
        assert_eq!(
            when(&DateCtx::default()),
            vec![("3rd of May 1950".into(), Some("1950-05-03".into()), None)]
        );
        let in_letter = DateCtx {
            current_date: Some((1947, 1, 28)),
            ..Default::default()
        };
        let m = Some(Cert::Medium);
        assert_eq!(
            when(&in_letter),
            vec![
                ("16th December".into(), Some("1946-12-16".into()), m),
                ("5th March".into(), Some("1947-03-05".into()), m),
                ("February 27".into(), Some("1947-02-27".into()), m),
                ("3rd of May 1950".into(), Some("1950-05-03".into()), None),
            ]
        );
    }
}
