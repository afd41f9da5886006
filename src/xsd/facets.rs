//! Facets given as RELAX NG `<param>`s, applied one after another as jing does: each
//! parameter restricts the type built so far, a bound must itself be a valid value of that
//! type (so `minInclusive=5` then `maxInclusive=3` is refused), and when a value is checked
//! the last parameter is tested first.

use std::sync::Arc;

use super::decimal::Decimal;
use super::regex::XsdRegex;
use super::types::{Base, ValueRepr, normalize};
use super::{Context, DatatypeError, NoContext, Whitespace};

/// Which bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    MinInclusive,
    MinExclusive,
    MaxInclusive,
    MaxExclusive,
}

/// One facet.
#[derive(Debug, Clone)]
pub(crate) enum Facet {
    Length(u64),
    MinLength(u64),
    MaxLength(u64),
    Pattern(Arc<XsdRegex>),
    Bound(Bound, ValueRepr, String),
    TotalDigits(u64),
    FractionDigits(u64),
}

/// A built-in XSD type restricted by facets.
#[derive(Debug, Clone)]
pub(crate) struct Restricted {
    pub(crate) name: &'static str,
    pub(crate) base: Base,
    pub(crate) facets: Vec<Facet>,
}

fn bad(name: &str, message: impl Into<String>) -> DatatypeError {
    DatatypeError::BadParam {
        name: name.to_string(),
        message: message.into(),
    }
}

/// Parses a facet value that must be a non-negative (or, with `positive`, positive) integer.
fn count(name: &str, value: &str, positive: bool) -> Result<u64, DatatypeError> {
    let v = normalize(Whitespace::Collapse, value);
    let what = if positive {
        "a positive integer"
    } else {
        "a non-negative integer"
    };
    match Decimal::parse_integer(&v) {
        Some(d) if !d.is_negative() && (!positive || !d.is_zero()) => {
            Ok(d.to_u64().unwrap_or(u64::MAX))
        }
        _ => Err(bad(
            name,
            format!("the value of \"{name}\" must be {what}, not \"{value}\""),
        )),
    }
}

impl Restricted {
    /// Adds one `<param>`.
    pub(crate) fn add_param(&mut self, name: &str, value: &str) -> Result<(), DatatypeError> {
        let facet = match name {
            "length" | "minLength" | "maxLength" => {
                if !self.base.has_length() {
                    return Err(bad(
                        name,
                        format!(
                            "\"{name}\" does not apply to type \"{}\", which has no notion of length",
                            self.name
                        ),
                    ));
                }
                let n = count(name, value, false)?;
                match name {
                    "length" => Facet::Length(n),
                    "minLength" => Facet::MinLength(n),
                    _ => Facet::MaxLength(n),
                }
            }
            "pattern" => match XsdRegex::cached(value) {
                Ok(re) => Facet::Pattern(re),
                Err(e) => {
                    return Err(bad(
                        name,
                        format!("invalid regular expression \"{value}\": {e}"),
                    ));
                }
            },
            "minInclusive" | "minExclusive" | "maxInclusive" | "maxExclusive" => {
                if !self.base.is_ordered() {
                    return Err(bad(
                        name,
                        format!(
                            "\"{name}\" does not apply to type \"{}\", which is not ordered",
                            self.name
                        ),
                    ));
                }
                let v = match self.evaluate(value, &NoContext, true) {
                    Ok(Some(v)) => v,
                    Ok(None) => return Err(bad(name, "internal error: no value")),
                    Err(reason) => {
                        return Err(bad(
                            name,
                            format!("\"{value}\" is not allowed by the base type: {reason}"),
                        ));
                    }
                };
                let bound = match name {
                    "minInclusive" => Bound::MinInclusive,
                    "minExclusive" => Bound::MinExclusive,
                    "maxInclusive" => Bound::MaxInclusive,
                    _ => Bound::MaxExclusive,
                };
                let literal = normalize(self.base.whitespace(), value).into_owned();
                Facet::Bound(bound, v, literal)
            }
            "totalDigits" | "fractionDigits" => {
                if !self.base.is_decimal() {
                    return Err(bad(
                        name,
                        format!(
                            "\"{name}\" applies only to types derived from \"decimal\", not to \"{}\"",
                            self.name
                        ),
                    ));
                }
                if name == "totalDigits" {
                    Facet::TotalDigits(count(name, value, true)?)
                } else {
                    Facet::FractionDigits(count(name, value, false)?)
                }
            }
            "enumeration" => {
                return Err(bad(
                    name,
                    "the \"enumeration\" facet is not allowed as a parameter: use <value> elements in a <choice> instead",
                ));
            }
            "whiteSpace" => {
                return Err(bad(
                    name,
                    "the \"whiteSpace\" facet is not allowed as a parameter",
                ));
            }
            _ => {
                return Err(bad(
                    name,
                    format!(
                        "unrecognized parameter \"{name}\" (XSD datatypes accept length, minLength, maxLength, pattern, minInclusive, minExclusive, maxInclusive, maxExclusive, totalDigits, fractionDigits)"
                    ),
                ));
            }
        };
        self.facets.push(facet);
        Ok(())
    }

    /// Checks a string and returns its value when `want` (or a facet needs it).
    pub(crate) fn evaluate(
        &self,
        text: &str,
        cx: &dyn Context,
        want: bool,
    ) -> Result<Option<ValueRepr>, String> {
        let s = normalize(self.base.whitespace(), text);
        let need_value = want
            || matches!(self.base, Base::Integer { .. })
            || self.facets.iter().any(|f| {
                matches!(
                    f,
                    Facet::Bound(..) | Facet::TotalDigits(_) | Facet::FractionDigits(_)
                )
            });
        let value = self.base.parse(&s, cx, need_value)?;
        let desc = self.base.description();
        for facet in self.facets.iter().rev() {
            match facet {
                Facet::Length(n) | Facet::MinLength(n) | Facet::MaxLength(n) => {
                    let len = self.base.length(&s);
                    let (ok, what) = match facet {
                        Facet::Length(_) => (len == *n, "equal to"),
                        Facet::MinLength(_) => (len >= *n, "at least"),
                        _ => (len <= *n, "at most"),
                    };
                    if !ok {
                        return Err(format!(
                            "must be {desc} with length {what} {n} (actual length was {len})"
                        ));
                    }
                }
                Facet::Pattern(re) => match re.is_match(&s) {
                    Ok(true) => {}
                    Ok(false) => {
                        return Err(format!(
                            "must be {desc} matching the regular expression \"{}\"",
                            re.as_str()
                        ));
                    }
                    Err(e) => {
                        return Err(format!(
                            "cannot be checked against the regular expression \"{}\": {e}",
                            re.as_str()
                        ));
                    }
                },
                Facet::Bound(bound, limit, literal) => {
                    let Some(v) = &value else { continue };
                    let (ok, what) = match bound {
                        Bound::MinInclusive => {
                            (limit.less_than(v) || limit == v, "greater than or equal to")
                        }
                        Bound::MinExclusive => (limit.less_than(v), "greater than"),
                        Bound::MaxInclusive => {
                            (v.less_than(limit) || limit == v, "less than or equal to")
                        }
                        Bound::MaxExclusive => (v.less_than(limit), "less than"),
                    };
                    if !ok {
                        return Err(format!("must be {desc} {what} {literal}"));
                    }
                }
                Facet::TotalDigits(n) => {
                    if let Some(ValueRepr::Decimal(d)) = &value {
                        let found = d.total_digits() as u64;
                        if found > *n {
                            let most = if *n == 1 {
                                "one significant digit".to_string()
                            } else {
                                format!("{n} significant digits")
                            };
                            return Err(format!(
                                "must be {desc} with at most {most} (found {found} digits)"
                            ));
                        }
                    }
                }
                Facet::FractionDigits(n) => {
                    if let Some(ValueRepr::Decimal(d)) = &value {
                        let found = d.fraction_digits() as u64;
                        if found > *n {
                            return Err(match n {
                                0 => format!(
                                    "must be {desc} without any significant digits after the decimal point"
                                ),
                                1 => format!(
                                    "must be {desc} with at most one significant digit after the decimal point (found {found} digits)"
                                ),
                                _ => format!(
                                    "must be {desc} with at most {n} significant digits after the decimal point (found {found} digits)"
                                ),
                            });
                        }
                    }
                }
            }
        }
        self.base.builtin_restriction(&s, value.as_ref())?;
        Ok(value)
    }
}
