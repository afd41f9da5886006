//! Arbitrary-precision decimal numbers as XML Schema's `decimal` value space needs them:
//! exact comparison, canonical form and digit counts. No arithmetic is needed, so the
//! digits are kept as strings; `1.0`, `01` and `+1.` are the same [`Decimal`].

use std::cmp::Ordering;
use std::fmt;

/// A decimal number in canonical form: no leading zeros in `int`, no trailing zeros in
/// `frac`, and zero is never negative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Decimal {
    neg: bool,
    int: String,
    frac: String,
}

impl Decimal {
    /// Zero.
    pub(crate) fn zero() -> Decimal {
        Decimal {
            neg: false,
            int: String::new(),
            frac: String::new(),
        }
    }

    /// Parses the `decimal` lexical form `[+-]?(d+(.d*)?|.d+)`.
    pub(crate) fn parse(s: &str) -> Option<Decimal> {
        let (neg, body) = split_sign(s);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal::from_parts(neg, int, frac))
    }

    /// Parses the `integer` lexical form `[+-]?d+`.
    pub(crate) fn parse_integer(s: &str) -> Option<Decimal> {
        let (neg, body) = split_sign(s);
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Decimal::from_parts(neg, body, ""))
    }

    /// Builds from a sign and unsigned ASCII digit strings.
    pub(crate) fn from_parts(neg: bool, int: &str, frac: &str) -> Decimal {
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let neg = neg && !(int.is_empty() && frac.is_empty());
        Decimal { neg, int, frac }
    }

    /// Whether this is an integer.
    pub(crate) fn is_integer(&self) -> bool {
        self.frac.is_empty()
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    /// Digits of the integer part (no leading zeros; empty for |x| < 1).
    pub(crate) fn int_digits(&self) -> &str {
        &self.int
    }

    /// Digits of the fraction (no trailing zeros).
    pub(crate) fn frac_digits(&self) -> &str {
        &self.frac
    }

    /// Whether the number is negative.
    pub(crate) fn is_negative(&self) -> bool {
        self.neg
    }

    /// Number of significant digits in the sense of the `totalDigits` facet: the least `n`
    /// with the value expressible as `i × 10^-k`, `|i| < 10^n`, `k ≥ 0`.
    pub(crate) fn total_digits(&self) -> usize {
        if self.int.is_empty() {
            self.frac.trim_start_matches('0').len()
        } else {
            self.int.len() + self.frac.len()
        }
    }

    /// Number of fraction digits in the sense of the `fractionDigits` facet.
    pub(crate) fn fraction_digits(&self) -> usize {
        self.frac.len()
    }

    /// The value as `u64` if it is a non-negative integer that fits.
    pub(crate) fn to_u64(&self) -> Option<u64> {
        if self.neg || !self.is_integer() {
            return None;
        }
        if self.int.is_empty() {
            return Some(0);
        }
        self.int.parse().ok()
    }

    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    /// The canonical representation (`-1.5`, `0`, `12`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.neg {
            f.write_str("-")?;
        }
        f.write_str(if self.int.is_empty() { "0" } else { &self.int })?;
        if !self.frac.is_empty() {
            write!(f, ".{}", self.frac)?;
        }
        Ok(())
    }
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn lexical() {
        for ok in ["1.0", "1.", ".1", "+1.0", "-1.0", "0", "-0", "00.00"] {
            assert!(Decimal::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "", ".", "+", "-", "--1", "++1", "+-1", "1.2.", "..1", "1..", "1 .2", "1+", "+ 1",
            "junk", "1e3",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert!(Decimal::parse_integer("1.").is_none());
        assert!(Decimal::parse_integer("+0010").is_some());
    }

    #[test]
    fn equality_and_order() {
        assert_eq!(d("1.0"), d("01"));
        assert_eq!(d("-0"), d("0.000"));
        assert!(d("-1") < d("0"));
        assert!(d("0.5") < d("0.51"));
        assert!(d("0.6") > d("0.51"));
        assert!(d("-0.6") < d("-0.51"));
        assert!(d("10") > d("9.99"));
        assert_eq!(d("-001.500").to_string(), "-1.5");
    }

    #[test]
    fn digits() {
        assert_eq!(d("0.0012").total_digits(), 2);
        assert_eq!(d("1200").total_digits(), 4);
        assert_eq!(d("1.20").total_digits(), 2);
        assert_eq!(d("0.000").total_digits(), 0);
        assert_eq!(d("1.250").fraction_digits(), 2);
    }
}
