//! The date/time types (`dateTime`, `time`, `date`, `gYearMonth`, `gYear`, `gMonthDay`,
//! `gDay`, `gMonth`) and `duration`, with the value spaces and partial orders of XML
//! Schema 1.0 as jing implements them.
//!
//! Lexical rules follow jing (which follows XML Schema 1.0, 2nd edition, with the proleptic
//! Gregorian calendar): a year has at least four digits and no leading zero beyond four;
//! `0000` is not a year and `-0001` is 1 BCE, a leap year; hours run 00–23 (no `24:00:00`)
//! and seconds up to 60 (a leap second); a time zone is `Z` or an offset from −13:00 to
//! +14:00; a fraction of a second may be empty (`12:00:00.`). A value must fall within the
//! range of instants jing can represent (±2⁶³ ms around 1970, about ±292 million years).
//!
//! Values are instants on the UTC time line (a value without time zone is placed as if it
//! were UTC) plus whether it had a time zone; fields a type lacks default to 2000-01-01
//! 00:00:00, so `time` values compare on one reference day. Fractions of seconds keep every
//! digit (jing truncates to milliseconds). Order between a value with and one without time
//! zone is decided only when they are more than 14 hours apart, as XML Schema 1.0 §3.2.7.4
//! specifies.
//!
//! Durations are equal when their six fields are (so `P1D` ≠ `PT24H`, as in jing and XML
//! Schema 1.0), and ordered by adding them to the four reference instants of §3.2.6.2.

use std::cmp::Ordering;

use num_bigint::BigInt;

use super::decimal::Decimal;

/// Which date/time type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DtKind {
    /// `dateTime`
    DateTime,
    /// `time`
    Time,
    /// `date`
    Date,
    /// `gYearMonth`
    GYearMonth,
    /// `gYear`
    GYear,
    /// `gMonthDay`
    GMonthDay,
    /// `gDay`
    GDay,
    /// `gMonth`
    GMonth,
}

impl DtKind {
    /// The description used in messages ("must be …").
    pub(crate) fn description(self) -> &'static str {
        match self {
            DtKind::DateTime => "an ISO date and time",
            DtKind::Time => "an ISO time",
            DtKind::Date => "an ISO date",
            DtKind::GYearMonth => "an ISO year and month",
            DtKind::GYear => "a year",
            DtKind::GMonthDay => "an ISO month and day (of the form --MM-DD)",
            DtKind::GDay => "an ISO day of the month (of the form ---DD)",
            DtKind::GMonth => "an ISO month (of the form --MM)",
        }
    }

    /// The lexical template: `Y` year, `M` month, `D` day, `t` time, others literal.
    fn template(self) -> &'static str {
        match self {
            DtKind::DateTime => "Y-M-DTt",
            DtKind::Time => "t",
            DtKind::Date => "Y-M-D",
            DtKind::GYearMonth => "Y-M",
            DtKind::GYear => "Y",
            DtKind::GMonthDay => "--M-D",
            DtKind::GDay => "---D",
            DtKind::GMonth => "--M",
        }
    }
}

/// A date/time value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct DateTime {
    kind: DtKind,
    /// Seconds since 1970-01-01T00:00:00Z (a leap second counts as its minute's :59).
    secs: i64,
    /// Whether the seconds field was 60.
    leap: bool,
    /// Fraction of the second, decimal digits without trailing zeros.
    frac: String,
    /// Whether the literal had a time zone.
    has_tz: bool,
}

/// Most negative and positive millisecond instants jing accepts (Java `long` millis).
const MS_MIN: i128 = i64::MIN as i128;
const MS_MAX: i128 = i64::MAX as i128;
/// Time zone offsets jing accepts, in minutes.
const TZ_MIN: i64 = -13 * 60;
const TZ_MAX: i64 = 14 * 60;

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn two_digits(&mut self) -> Option<u32> {
        let d = self.s.get(self.pos..self.pos + 2)?;
        if d[0].is_ascii_digit() && d[1].is_ascii_digit() {
            self.pos += 2;
            Some(u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
        } else {
            None
        }
    }

    fn digits(&mut self) -> &'a str {
        let start = self.pos;
        while self.s.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        let s: &'a [u8] = self.s;
        std::str::from_utf8(&s[start..self.pos]).unwrap_or("")
    }

    fn done(&self) -> bool {
        self.pos == self.s.len()
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (astronomical year).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

impl DateTime {
    /// Parses a (whitespace-collapsed) literal of the given kind.
    pub(crate) fn parse(kind: DtKind, s: &str) -> Option<DateTime> {
        let mut c = Cursor {
            s: s.as_bytes(),
            pos: 0,
        };
        let (mut year, mut month, mut day) = (2000i64, 1u32, 1u32);
        let (mut hour, mut minute, mut second) = (0u32, 0u32, 0u32);
        let mut frac = "";
        for t in kind.template().bytes() {
            match t {
                b'Y' => {
                    let neg = c.eat(b'-');
                    let digits = c.digits();
                    if digits.len() < 4 || (digits.len() > 4 && digits.starts_with('0')) {
                        return None;
                    }
                    // More than 10 digits is far outside the range checked below.
                    if digits.len() > 10 {
                        return None;
                    }
                    let n: i64 = digits.parse().ok()?;
                    if n == 0 {
                        return None;
                    }
                    // BCE years: -0001 is 1 BCE, astronomical year 0.
                    year = if neg { 1 - n } else { n };
                }
                b'M' => month = c.two_digits()?,
                b'D' => day = c.two_digits()?,
                b't' => {
                    hour = c.two_digits()?;
                    if !c.eat(b':') {
                        return None;
                    }
                    minute = c.two_digits()?;
                    if !c.eat(b':') {
                        return None;
                    }
                    second = c.two_digits()?;
                    if c.eat(b'.') {
                        frac = c.digits();
                    }
                }
                lit => {
                    if !c.eat(lit) {
                        return None;
                    }
                }
            }
        }
        let has_tz = !c.done();
        let mut offset_min = 0i64;
        if has_tz && !c.eat(b'Z') {
            let sign = if c.eat(b'+') {
                1
            } else if c.eat(b'-') {
                -1
            } else {
                return None;
            };
            let h = c.two_digits()?;
            if !c.eat(b':') {
                return None;
            }
            let m = c.two_digits()?;
            if m > 59 {
                return None;
            }
            offset_min = sign * (i64::from(h) * 60 + i64::from(m));
            if !(TZ_MIN..=TZ_MAX).contains(&offset_min) {
                return None;
            }
        }
        if !c.done() {
            return None;
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let leap = second == 60;
        let second = if leap { 59 } else { second };
        let secs = i128::from(days_from_civil(year, month, day)) * 86_400
            + i128::from(hour) * 3600
            + i128::from(minute) * 60
            + i128::from(second)
            - i128::from(offset_min) * 60;
        // jing's range: milliseconds (a leap second counts as :59.999) fit in an i64.
        let millis: i128 = if leap {
            999
        } else {
            frac.bytes()
                .chain(std::iter::repeat(b'0'))
                .take(3)
                .fold(0i128, |a, b| a * 10 + i128::from(b - b'0'))
        };
        let ms = secs * 1000 + millis;
        if !(MS_MIN..=MS_MAX).contains(&ms) {
            return None;
        }
        Some(DateTime {
            kind,
            secs: i64::try_from(secs).ok()?,
            leap,
            frac: frac.trim_end_matches('0').to_string(),
            has_tz,
        })
    }

    fn key_cmp(&self, shift_self: i64, other: &DateTime, shift_other: i64) -> Ordering {
        (i128::from(self.secs) + i128::from(shift_self))
            .cmp(&(i128::from(other.secs) + i128::from(shift_other)))
            .then(self.leap.cmp(&other.leap))
            .then_with(|| cmp_fraction(&self.frac, &other.frac))
    }

    /// Whether `self` is strictly before `other` in XML Schema's partial order.
    pub(crate) fn less_than(&self, other: &DateTime) -> bool {
        const MAX_TZ: i64 = 14 * 3600;
        match (self.has_tz, other.has_tz) {
            (a, b) if a == b => self.key_cmp(0, other, 0) == Ordering::Less,
            // other lacks a time zone: it could be as early as other - 14h.
            (true, false) => self.key_cmp(0, other, -MAX_TZ) == Ordering::Less,
            _ => self.key_cmp(MAX_TZ, other, 0) == Ordering::Less,
        }
    }
}

/// Compares two fractions given as digit strings without trailing zeros.
fn cmp_fraction(a: &str, b: &str) -> Ordering {
    a.cmp(b)
}

/// A `duration` value: a sign and six non-negative fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Duration {
    neg: bool,
    years: Decimal,
    months: Decimal,
    days: Decimal,
    hours: Decimal,
    minutes: Decimal,
    seconds: Decimal,
}

impl Duration {
    /// Parses `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n*)?S|.nS)?)?` with at least one field and
    /// at least one after `T`.
    pub(crate) fn parse(s: &str) -> Option<Duration> {
        let mut c = Cursor {
            s: s.as_bytes(),
            pos: 0,
        };
        let neg = c.eat(b'-');
        if !c.eat(b'P') {
            return None;
        }
        let zero = Decimal::zero;
        let mut d = Duration {
            neg,
            years: zero(),
            months: zero(),
            days: zero(),
            hours: zero(),
            minutes: zero(),
            seconds: zero(),
        };
        let mut any = false;
        // Date part: designators must come in order Y, M, D.
        let mut order = 0;
        while !c.done() && c.s[c.pos] != b'T' {
            let n = c.digits().to_string();
            if n.is_empty() {
                return None;
            }
            let field = match c.s.get(c.pos) {
                Some(b'Y') if order < 1 => {
                    order = 1;
                    &mut d.years
                }
                Some(b'M') if order < 2 => {
                    order = 2;
                    &mut d.months
                }
                Some(b'D') if order < 3 => {
                    order = 3;
                    &mut d.days
                }
                _ => return None,
            };
            c.pos += 1;
            *field = Decimal::from_parts(false, &n, "");
            any = true;
        }
        if c.eat(b'T') {
            let mut any_time = false;
            let mut order = 0;
            while !c.done() {
                let int = c.digits().to_string();
                let mut frac = None;
                if c.eat(b'.') {
                    frac = Some(c.digits().to_string());
                }
                if int.is_empty() && frac.as_deref().is_none_or(str::is_empty) {
                    return None;
                }
                match c.s.get(c.pos) {
                    Some(b'H') if order < 1 && frac.is_none() => {
                        order = 1;
                        d.hours = Decimal::from_parts(false, &int, "");
                    }
                    Some(b'M') if order < 2 && frac.is_none() => {
                        order = 2;
                        d.minutes = Decimal::from_parts(false, &int, "");
                    }
                    Some(b'S') if order < 3 => {
                        order = 3;
                        d.seconds = Decimal::from_parts(false, &int, frac.as_deref().unwrap_or(""));
                    }
                    _ => return None,
                }
                c.pos += 1;
                any_time = true;
            }
            if !any_time {
                return None;
            }
            any = true;
        }
        if !any || !c.done() {
            return None;
        }
        let all_zero = [
            &d.years, &d.months, &d.days, &d.hours, &d.minutes, &d.seconds,
        ]
        .iter()
        .all(|f| f.is_zero());
        if all_zero {
            d.neg = false;
        }
        Some(d)
    }

    /// The instant reached by adding this duration to the first of a month, in units of
    /// 10^-`scale` seconds.
    fn end_point(&self, year: i64, month: u32, scale: usize) -> BigInt {
        let big = |d: &Decimal| -> BigInt { d.int_digits().parse().unwrap_or_default() };
        let sign = if self.neg {
            BigInt::from(-1)
        } else {
            BigInt::from(1)
        };
        let months_total = (big(&self.years) * 12 + big(&self.months)) * &sign;
        let m0 = BigInt::from(i64::from(month) - 1) + months_total;
        let twelve = BigInt::from(12);
        let (mut yq, mut mr) = (&m0 / &twelve, &m0 % &twelve);
        if mr < BigInt::from(0) {
            mr += &twelve;
            yq -= 1;
        }
        let y = BigInt::from(year) + yq;
        let m = u32::try_from(mr).unwrap_or(0) + 1;
        let days_start = big_days_from_civil(&y, m);
        let secs_int = big(&self.days) * 86_400
            + big(&self.hours) * 3600
            + big(&self.minutes) * 60
            + big(&self.seconds);
        let ten_pow = BigInt::from(10).pow(u32::try_from(scale).unwrap_or(u32::MAX));
        let mut frac = self.seconds.frac_digits().to_string();
        while frac.len() < scale {
            frac.push('0');
        }
        let frac_val: BigInt = if frac.is_empty() {
            BigInt::from(0)
        } else {
            frac.parse().unwrap_or_default()
        };
        let offset = (secs_int * &ten_pow + frac_val) * sign;
        days_start * 86_400 * ten_pow + offset
    }

    /// Whether `self` is strictly shorter than `other` from each of the four reference
    /// instants of XML Schema 1.0 §3.2.6.2.
    pub(crate) fn less_than(&self, other: &Duration) -> bool {
        const REFS: [(i64, u32); 4] = [(1696, 9), (1697, 2), (1903, 3), (1903, 7)];
        let scale = self
            .seconds
            .frac_digits()
            .len()
            .max(other.seconds.frac_digits().len());
        REFS.iter()
            .all(|&(y, m)| self.end_point(y, m, scale) < other.end_point(y, m, scale))
    }
}

/// `days_from_civil(y, m, 1)` for a big year.
fn big_days_from_civil(y: &BigInt, m: u32) -> BigInt {
    let y = if m <= 2 { y - 1 } else { y.clone() };
    let four_hundred = BigInt::from(400);
    let mut era = &y / &four_hundred;
    let mut yoe = &y % &four_hundred;
    if yoe < BigInt::from(0) {
        yoe += &four_hundred;
        era -= 1;
    }
    let yoe = i64::try_from(yoe).unwrap_or(0);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(k: DtKind, s: &str) -> DateTime {
        DateTime::parse(k, s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn civil() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            big_days_from_civil(&BigInt::from(2000), 3),
            BigInt::from(11_017)
        );
        assert_eq!(
            big_days_from_civil(&BigInt::from(-5000), 1),
            BigInt::from(days_from_civil(-5000, 1, 1))
        );
    }

    #[test]
    fn lexical() {
        use super::DateTime as Dt;
        use DtKind::*;
        for (k, s) in [
            (Date, "-0001-02-29"),
            (Date, "-0257-02-29"),
            (Date, "0004-02-29"),
            (DateTime, "2001-12-01T19:45:00-11:59"),
            (DateTime, "2001-01-01T23:59:60"),
            (Time, "12:00:00."),
            (Time, "12:00:00+14:00"),
            (Date, "2001-01-01-13:00"),
            (GMonthDay, "--02-29"),
            (GYear, "12345678"),
        ] {
            assert!(Dt::parse(k, s).is_some(), "{s}");
        }
        for (k, s) in [
            (Date, "0003-02-29"),
            (Date, "-0258-02-29"),
            (Date, "0000-01-01"),
            (GYear, "-0000"),
            (GYear, "01999"),
            (GYear, "+2001"),
            (DateTime, "2001-01-01T24:00:00"),
            (Time, "12:00:00-14:00"),
            (Time, "12:00:00+14:01"),
            (Date, "2001-01-01+00:60"),
            (GMonth, "--12--"),
            (GMonth, "---01"),
            (Date, "292278994-12-31"),
            (Date, "-292275056-05-16"),
        ] {
            assert!(Dt::parse(k, s).is_none(), "{s}");
        }
    }

    #[test]
    fn values() {
        use DtKind::*;
        assert_eq!(
            dt(DateTime, "2001-12-01T19:45:00Z"),
            dt(DateTime, "2001-12-01T20:45:00+01:00")
        );
        assert_eq!(
            dt(DateTime, "2001-12-01T19:45:00"),
            dt(DateTime, "2001-12-01T19:45:00.00")
        );
        assert_ne!(
            dt(DateTime, "2001-12-01T19:45:00"),
            dt(DateTime, "2001-12-01T19:45:00Z")
        );
        assert_ne!(dt(Time, "00:00:00Z"), dt(Time, "23:00:00-01:00"));
        assert_ne!(dt(Time, "12:30:60"), dt(Time, "12:31:00"));
        assert!(dt(Time, "12:30:60").less_than(&dt(Time, "12:31:00")));
        assert!(dt(Time, "12:30:59.999").less_than(&dt(Time, "12:30:60")));
        assert!(dt(Date, "1066-12-31").less_than(&dt(Date, "1900-01-01")));
        let z = dt(Date, "2000-01-01Z");
        let local = dt(Date, "2000-01-01");
        assert!(!z.less_than(&local) && !local.less_than(&z));
        assert!(local.less_than(&dt(Date, "2000-01-02Z")));
    }

    fn du(s: &str) -> Duration {
        Duration::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn durations() {
        for ok in [
            "P1Y",
            "P1Y0M2DT17H5M12S",
            "-P1Y",
            "P60D",
            "PT24H",
            "PT1.2S",
            "PT1.S",
            "PT.5S",
            "P1YT1S",
        ] {
            assert!(Duration::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "P24h", "P24H", "P1YT", "P", "-P", "PT", "P1.5Y", "PT.S", "P1M1Y", "+P1Y", "PT-1S",
            "P1 Y",
        ] {
            assert!(Duration::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(du("P0Y"), du("-P0Y"));
        assert_eq!(du("P1Y"), du("P1Y0M0DT0H0M0.0S"));
        assert_ne!(du("P1D"), du("PT24H"));
        assert!(du("PT1M").less_than(&du("PT61S")));
        assert!(!du("PT60S").less_than(&du("PT1M")) && !du("PT1M").less_than(&du("PT60S")));
        assert!(du("P364D").less_than(&du("P1Y")));
        assert!(!du("P365D").less_than(&du("P1Y")) && !du("P1Y").less_than(&du("P365D")));
        assert!(du("P1Y").less_than(&du("P367D")));
        assert!(du("P27D").less_than(&du("P1M")) && du("P1M").less_than(&du("P32D")));
        assert!(du("-P1M").less_than(&du("-P27D")));
        assert!(du("PT0.0000000000000000000001S").less_than(&du("PT0.0000000000000000000002S")));
        assert!(du("P99999999999999999998Y").less_than(&du("P99999999999999999999Y")));
    }
}
