//! Dates are real dates (RUL012–RUL014).
//!
//! TEI's `att.datable.w3c` attributes (`@when`, `@notBefore`, `@notAfter`, `@from`, `@to`) take
//! the W3C XML Schema forms: `date`, `gYearMonth`, `gYear`, `dateTime`, `time`, `gMonth`,
//! `gDay`, `gMonthDay`, in the proleptic Gregorian calendar. [`parse_w3c`] reads them and
//! checks that the day exists (no 1947-02-30, no 1900-02-29); the rule also checks that a window
//! or span does not end before it starts.

use std::ops::Range;

use super::codes;
use super::index::Context;
use crate::diag::{Diagnostic, Label};

/// Attributes holding W3C dates.
const DATING_ATTRIBUTES: &[&str] = &["when", "notBefore", "notAfter", "from", "to"];

/// Elements whose `@from`/`@to` are not dates (page numbers, pointers, folio references).
const NON_DATING_FROM_TO: &[&str] = &[
    "biblScope",
    "citedRange",
    "locus",
    "span",
    "app",
    "arc",
    "rt",
];

/// Which W3C form a value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum W3cKind {
    /// `1947-01-28`
    Date,
    /// `1947-01`
    GYearMonth,
    /// `1947`
    GYear,
    /// `1947-01-28T17:32:00`
    DateTime,
    /// `17:32:00`
    Time,
    /// `--01`
    GMonth,
    /// `---28`
    GDay,
    /// `--01-28`
    GMonthDay,
}

/// A W3C date or time value, read by [`parse_w3c`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct W3cValue {
    /// The form.
    pub kind: W3cKind,
    /// The year (astronomical: may be negative), when the form has one.
    pub year: Option<i64>,
    /// The month (1–12).
    pub month: Option<u8>,
    /// The day of the month.
    pub day: Option<u8>,
    /// Hour, minute, second (and nanoseconds) of a time or date-time.
    pub time: Option<(u8, u8, u8, u32)>,
    /// Timezone offset in minutes (`Z` = 0), if given.
    pub tz_minutes: Option<i16>,
}

impl W3cValue {
    /// The calendar date part as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (four-digit years with a
    /// sign when negative), if the value has a year.
    pub fn date_part(&self) -> Option<String> {
        let y = self.year?;
        let ys = if y < 0 {
            format!("-{:04}", -y)
        } else {
            format!("{y:04}")
        };
        Some(match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{ys}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{ys}-{m:02}"),
            _ => ys,
        })
    }

    /// The first and last instant the value covers; `None` for forms without a year.
    fn bounds(&self) -> Option<(Instant, Instant)> {
        let y = self.year?;
        let (m0, m1) = self.month.map_or((1, 12), |m| (m, m));
        let (d0, d1) = self.day.map_or((1, days_in_month(y, m1)), |d| (d, d));
        let (s0, s1) = self.time.map_or((0, 86_400), |(h, mi, s, _)| {
            let t = u32::from(h) * 3600 + u32::from(mi) * 60 + u32::from(s);
            (t, t)
        });
        Some(((y, m0, d0, s0), (y, m1, d1, s1)))
    }
}

/// A comparable point in time: `(year, month, day, seconds of the day)`.
type Instant = (i64, u8, u8, u32);

/// Why a value is not a real W3C date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum W3cError {
    /// Not one of the W3C forms at all.
    Malformed,
    /// The form is right but the date or time does not exist; the string says why.
    Impossible(String),
}

/// Whether a (proleptic Gregorian, astronomical) year is a leap year.
pub fn is_leap_year(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in a month of a year (29 for February of an unknown year).
pub fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digits(&mut self, n: usize) -> Result<u32, W3cError> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => return Err(W3cError::Malformed),
            }
        }
        Ok(v)
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
    /// A timezone at the current position, if any; must then be at the end.
    fn tz(&mut self) -> Result<Option<i16>, W3cError> {
        if self.done() {
            return Ok(None);
        }
        let sign = match self.peek() {
            Some(b'Z') => {
                self.i += 1;
                return if self.done() {
                    Ok(Some(0))
                } else {
                    Err(W3cError::Malformed)
                };
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(W3cError::Malformed),
        };
        self.i += 1;
        let h = self.digits(2)?;
        if !self.eat(b':') {
            return Err(W3cError::Malformed);
        }
        let m = self.digits(2)?;
        if !self.done() {
            return Err(W3cError::Malformed);
        }
        if m > 59 || h > 14 || (h == 14 && m > 0) {
            return Err(W3cError::Impossible(format!(
                "timezone offset {h:02}:{m:02} is beyond ±14:00"
            )));
        }
        Ok(Some(sign * (h * 60 + m) as i16))
    }
    /// Whether a timezone (`-hh:mm`) rather than a month starts here.
    fn at_tz(&self) -> bool {
        self.s.len() == self.i + 6 && self.s.get(self.i + 3) == Some(&b':')
    }
}

/// Reads a W3C date/time value and checks that it exists.
pub fn parse_w3c(value: &str) -> Result<W3cValue, W3cError> {
    let value = value.trim_matches([' ', '\t', '\n', '\r']);
    let mut c = Cursor {
        s: value.as_bytes(),
        i: 0,
    };
    let mut v = W3cValue {
        kind: W3cKind::GYear,
        year: None,
        month: None,
        day: None,
        time: None,
        tz_minutes: None,
    };
    if value.starts_with("---") {
        c.i = 3;
        v.kind = W3cKind::GDay;
        v.day = Some(c.digits(2)? as u8);
    } else if value.starts_with("--") {
        c.i = 2;
        v.kind = W3cKind::GMonth;
        v.month = Some(c.digits(2)? as u8);
        if c.peek() == Some(b'-') && !c.at_tz() {
            c.i += 1;
            v.kind = W3cKind::GMonthDay;
            v.day = Some(c.digits(2)? as u8);
        }
    } else if value.len() >= 8 && value.as_bytes()[2] == b':' {
        v.kind = W3cKind::Time;
        v.time = Some(time(&mut c)?);
    } else {
        let neg = c.eat(b'-');
        let start = c.i;
        while matches!(c.peek(), Some(b'0'..=b'9')) {
            c.i += 1;
        }
        let digits = &value[start..c.i];
        if digits.len() < 4 || (digits.len() > 4 && digits.starts_with('0')) || digits.len() > 12 {
            return Err(W3cError::Malformed);
        }
        let y: i64 = digits.parse().map_err(|_| W3cError::Malformed)?;
        v.year = Some(if neg { -y } else { y });
        if c.peek() == Some(b'-') && !c.at_tz() {
            c.i += 1;
            v.kind = W3cKind::GYearMonth;
            v.month = Some(c.digits(2)? as u8);
            if c.peek() == Some(b'-') && !c.at_tz() {
                c.i += 1;
                v.kind = W3cKind::Date;
                v.day = Some(c.digits(2)? as u8);
                if c.eat(b'T') {
                    v.kind = W3cKind::DateTime;
                    v.time = Some(time(&mut c)?);
                }
            }
        }
    }
    v.tz_minutes = c.tz()?;
    check_exists(&v)?;
    Ok(v)
}

fn time(c: &mut Cursor<'_>) -> Result<(u8, u8, u8, u32), W3cError> {
    let h = c.digits(2)?;
    if !c.eat(b':') {
        return Err(W3cError::Malformed);
    }
    let m = c.digits(2)?;
    if !c.eat(b':') {
        return Err(W3cError::Malformed);
    }
    let s = c.digits(2)?;
    let mut nanos = 0u32;
    let mut frac_nonzero = false;
    if c.eat(b'.') {
        let start = c.i;
        let mut scale = 100_000_000u32;
        while let Some(d @ b'0'..=b'9') = c.peek() {
            nanos += u32::from(d - b'0') * scale;
            frac_nonzero |= d != b'0';
            scale /= 10;
            c.i += 1;
        }
        if c.i == start {
            return Err(W3cError::Malformed);
        }
    }
    if h == 24 && (m != 0 || s != 0 || frac_nonzero) {
        return Err(W3cError::Impossible(format!(
            "{h:02}:{m:02}:{s:02} is past the end of the day"
        )));
    }
    if h > 24 {
        return Err(W3cError::Impossible(format!("there is no hour {h}")));
    }
    if m > 59 {
        return Err(W3cError::Impossible(format!("there is no minute {m}")));
    }
    if s > 59 {
        return Err(W3cError::Impossible(format!("there is no second {s}")));
    }
    Ok((h as u8, m as u8, s as u8, nanos))
}

fn check_exists(v: &W3cValue) -> Result<(), W3cError> {
    if v.year == Some(0) {
        return Err(W3cError::Impossible(
            "year 0000 does not exist in XML Schema 1.0 dates (1 BCE is -0001)".into(),
        ));
    }
    if let Some(m) = v.month {
        if !(1..=12).contains(&m) {
            return Err(W3cError::Impossible(format!("there is no month {m}")));
        }
    }
    if let Some(d) = v.day {
        let max = match (v.year, v.month) {
            (Some(y), Some(m)) => days_in_month(y, m),
            (None, Some(m)) => days_in_month(2000, m),
            _ => 31,
        };
        if d == 0 || d > max {
            let why = match (v.year, v.month) {
                (Some(y), Some(2)) if d == 29 => format!("{y} is not a leap year"),
                (_, Some(m)) => format!("month {m:02} has {max} days"),
                _ => "a month has at most 31 days".into(),
            };
            return Err(W3cError::Impossible(format!("there is no day {d} ({why})")));
        }
    }
    Ok(())
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for el in cx.tei_elements() {
        let local = el.tag_name().local;
        let mut parsed: [(Option<W3cValue>, Range<usize>); 5] = Default::default();
        for (i, &name) in DATING_ATTRIBUTES.iter().enumerate() {
            if (name == "from" || name == "to") && NON_DATING_FROM_TO.contains(&local) {
                continue;
            }
            let Some(a) = el.attribute_node(None, name) else {
                continue;
            };
            match parse_w3c(a.value()) {
                Ok(v) => parsed[i] = (Some(v), a.value_range()),
                Err(W3cError::Malformed) => out.push(
                    Diagnostic::new(
                        &codes::MALFORMED_DATE,
                        format!(
                            "@{name}=\"{}\" is not a W3C date; expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss",
                            a.value()
                        ),
                    )
                    .at(cx.file, a.value_range()),
                ),
                Err(W3cError::Impossible(why)) => out.push(
                    Diagnostic::new(
                        &codes::IMPOSSIBLE_DATE,
                        format!("@{name}=\"{}\" is not a real date: {why}", a.value()),
                    )
                    .at(cx.file, a.value_range()),
                ),
            }
        }
        for (a, b) in [(1, 2), (3, 4)] {
            let ((Some(x), xr), (Some(y), yr)) = (&parsed[a], &parsed[b]) else {
                continue;
            };
            let (Some((x0, _)), Some((_, y1))) = (x.bounds(), y.bounds()) else {
                continue;
            };
            if x0 > y1 {
                out.push(
                    Diagnostic::new(
                        &codes::REVERSED_DATE_RANGE,
                        format!(
                            "@{} is later than @{}; expected the range to end after it starts",
                            DATING_ATTRIBUTES[a], DATING_ATTRIBUTES[b]
                        ),
                    )
                    .at(cx.file, xr.clone())
                    .also(Label::new(cx.file, yr.clone()).with_message("the end")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> W3cValue {
        parse_w3c(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn impossible(s: &str) {
        assert!(
            matches!(parse_w3c(s), Err(W3cError::Impossible(_))),
            "{s}: {:?}",
            parse_w3c(s)
        );
    }

    #[test]
    fn reads_every_w3c_form() {
        assert_eq!(ok("1947-01-28").kind, W3cKind::Date);
        assert_eq!(ok("1947-01").kind, W3cKind::GYearMonth);
        assert_eq!(ok("1947").kind, W3cKind::GYear);
        assert_eq!(ok("2021-12-05T17:32:00").kind, W3cKind::DateTime);
        assert_eq!(ok("2021-12-05T17:32:00.5Z").tz_minutes, Some(0));
        assert_eq!(ok("17:32:00+01:00").kind, W3cKind::Time);
        assert_eq!(ok("--05").kind, W3cKind::GMonth);
        assert_eq!(ok("--02-29").kind, W3cKind::GMonthDay);
        assert_eq!(ok("---31").kind, W3cKind::GDay);
        assert_eq!(ok("1947-05:00").kind, W3cKind::GYear);
        assert_eq!(ok("1947-05:00").tz_minutes, Some(-300));
        assert_eq!(ok("-0044-03-15").year, Some(-44));
        assert_eq!(ok("12345").year, Some(12345));
        assert_eq!(ok("2000-02-29").day, Some(29));
        assert_eq!(ok("2021-12-05T24:00:00").time, Some((24, 0, 0, 0)));
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "47",
            "28.1.47",
            "1947/01/28",
            "1947-1-28",
            "01947",
            "1947-01-28T17:32",
            "1947-01-28 17:32:00",
            "1947-01-28ZZ",
            "-",
            "--1",
            "1947-01-28+1:00",
            "T17:00:00",
        ] {
            assert_eq!(parse_w3c(s), Err(W3cError::Malformed), "{s:?}");
        }
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        impossible("1947-02-30");
        impossible("1947-02-29");
        impossible("1900-02-29");
        impossible("1947-04-31");
        impossible("1947-13");
        impossible("1947-00-10");
        impossible("1947-01-00");
        impossible("0000");
        impossible("2021-12-05T25:00:00");
        impossible("2021-12-05T24:00:01");
        impossible("2021-12-05T12:60:00");
        impossible("--02-30");
        impossible("1947-01-01+15:00");
    }

    #[test]
    fn date_part_truncates_times() {
        assert_eq!(ok("2021-12-05T17:32:00").date_part().unwrap(), "2021-12-05");
        assert_eq!(ok("1935-05").date_part().unwrap(), "1935-05");
        assert_eq!(ok("--05").date_part(), None);
    }
}
