//! The built-in XSD types: their whitespace handling, lexical spaces and value spaces.

use std::borrow::Cow;

use super::Context;
use super::datetime::{DateTime, DtKind, Duration};
use super::decimal::Decimal;
use super::{Whitespace, binary, names, uri};

/// What an `NCName`-typed value stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NcRole {
    /// `NCName`
    Plain,
    /// `ID`
    Id,
    /// `IDREF`
    Idref,
    /// `ENTITY`: must name an unparsed entity.
    Entity,
}

/// The item type of a built-in list type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListItem {
    /// `NMTOKENS`
    Nmtoken,
    /// `IDREFS`
    Idref,
    /// `ENTITIES`
    Entity,
}

/// A built-in type before any facet: its lexical and value space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Base {
    /// `string`, `normalizedString`, `token`, `anyAtomicType`, `untypedAtomic`.
    Str(Whitespace),
    /// `language` (RFC 3066 syntax, as jing).
    Language,
    /// `Name`
    Name,
    /// `NCName`, `ID`, `IDREF`, `ENTITY`
    NcName(NcRole),
    /// `NMTOKEN`
    Nmtoken,
    /// `QName` and `NOTATION`
    QName,
    /// `anyURI`
    AnyUri,
    /// `boolean`
    Boolean,
    /// `decimal`
    Decimal,
    /// `integer` and its derived types, with their built-in bounds.
    Integer {
        /// Inclusive lower bound.
        min: Option<&'static str>,
        /// Inclusive upper bound.
        max: Option<&'static str>,
    },
    /// `float`
    Float,
    /// `double`
    Double,
    /// `duration`
    Duration,
    /// The date/time types.
    Date(DtKind),
    /// `hexBinary`
    Hex,
    /// `base64Binary`
    Base64,
    /// `NMTOKENS`, `IDREFS`, `ENTITIES` (at least one item).
    List(ListItem),
}

/// Looks a type of the XSD library up by name.
pub(crate) fn lookup(name: &str) -> Option<(&'static str, Base)> {
    use Base::*;
    let int = |n: &'static str, min: Option<&'static str>, max: Option<&'static str>| {
        (n, Integer { min, max })
    };
    Some(match name {
        "string" => ("string", Str(Whitespace::Preserve)),
        "normalizedString" => ("normalizedString", Str(Whitespace::Replace)),
        "token" => ("token", Str(Whitespace::Collapse)),
        "anyAtomicType" => ("anyAtomicType", Str(Whitespace::Preserve)),
        "untypedAtomic" => ("untypedAtomic", Str(Whitespace::Preserve)),
        "language" => ("language", Language),
        "Name" => ("Name", Name),
        "NCName" => ("NCName", NcName(NcRole::Plain)),
        "ID" => ("ID", NcName(NcRole::Id)),
        "IDREF" => ("IDREF", NcName(NcRole::Idref)),
        "ENTITY" => ("ENTITY", NcName(NcRole::Entity)),
        "NMTOKEN" => ("NMTOKEN", Nmtoken),
        "NMTOKENS" => ("NMTOKENS", List(ListItem::Nmtoken)),
        "IDREFS" => ("IDREFS", List(ListItem::Idref)),
        "ENTITIES" => ("ENTITIES", List(ListItem::Entity)),
        "QName" => ("QName", QName),
        "NOTATION" => ("NOTATION", QName),
        "anyURI" => ("anyURI", AnyUri),
        "boolean" => ("boolean", Boolean),
        "decimal" => ("decimal", Decimal),
        "integer" => int("integer", None, None),
        "nonPositiveInteger" => int("nonPositiveInteger", None, Some("0")),
        "negativeInteger" => int("negativeInteger", None, Some("-1")),
        "nonNegativeInteger" => int("nonNegativeInteger", Some("0"), None),
        "positiveInteger" => int("positiveInteger", Some("1"), None),
        "long" => int(
            "long",
            Some("-9223372036854775808"),
            Some("9223372036854775807"),
        ),
        "int" => int("int", Some("-2147483648"), Some("2147483647")),
        "short" => int("short", Some("-32768"), Some("32767")),
        "byte" => int("byte", Some("-128"), Some("127")),
        "unsignedLong" => int("unsignedLong", Some("0"), Some("18446744073709551615")),
        "unsignedInt" => int("unsignedInt", Some("0"), Some("4294967295")),
        "unsignedShort" => int("unsignedShort", Some("0"), Some("65535")),
        "unsignedByte" => int("unsignedByte", Some("0"), Some("255")),
        "float" => ("float", Float),
        "double" => ("double", Double),
        "duration" => ("duration", Duration),
        "dateTime" => ("dateTime", Date(DtKind::DateTime)),
        "time" => ("time", Date(DtKind::Time)),
        "date" => ("date", Date(DtKind::Date)),
        "gYearMonth" => ("gYearMonth", Date(DtKind::GYearMonth)),
        "gYear" => ("gYear", Date(DtKind::GYear)),
        "gMonthDay" => ("gMonthDay", Date(DtKind::GMonthDay)),
        "gDay" => ("gDay", Date(DtKind::GDay)),
        "gMonth" => ("gMonth", Date(DtKind::GMonth)),
        "hexBinary" => ("hexBinary", Hex),
        "base64Binary" => ("base64Binary", Base64),
        _ => return None,
    })
}

/// Every type name of the XSD library, for messages and tests.
pub(crate) const TYPE_NAMES: &[&str] = &[
    "ENTITIES",
    "ENTITY",
    "ID",
    "IDREF",
    "IDREFS",
    "NCName",
    "NMTOKEN",
    "NMTOKENS",
    "NOTATION",
    "Name",
    "QName",
    "anyAtomicType",
    "anyURI",
    "base64Binary",
    "boolean",
    "byte",
    "date",
    "dateTime",
    "decimal",
    "double",
    "duration",
    "float",
    "gDay",
    "gMonth",
    "gMonthDay",
    "gYear",
    "gYearMonth",
    "hexBinary",
    "int",
    "integer",
    "language",
    "long",
    "negativeInteger",
    "nonNegativeInteger",
    "nonPositiveInteger",
    "normalizedString",
    "positiveInteger",
    "short",
    "string",
    "time",
    "token",
    "unsignedByte",
    "unsignedInt",
    "unsignedLong",
    "unsignedShort",
    "untypedAtomic",
];

/// A value of some type, compared as the value space says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ValueRepr {
    /// String-like types, after whitespace normalization.
    Str(String),
    /// `boolean`
    Bool(bool),
    /// `decimal` and the integer types.
    Decimal(Decimal),
    /// `float` bits (`-0` stored as `0`, one NaN).
    Float(u32),
    /// `double` bits (`-0` stored as `0`, one NaN).
    Double(u64),
    /// `duration`
    Duration(Box<Duration>),
    /// The date/time types.
    DateTime(Box<DateTime>),
    /// `hexBinary`
    Hex(Vec<u8>),
    /// `base64Binary`
    Base64(Vec<u8>),
    /// `QName`/`NOTATION`: namespace URI and local name.
    QName(String, String),
    /// List types.
    List(Vec<ValueRepr>),
}

impl ValueRepr {
    /// Whether `self` is strictly less than `other` (false when incomparable).
    pub(crate) fn less_than(&self, other: &ValueRepr) -> bool {
        match (self, other) {
            (ValueRepr::Decimal(a), ValueRepr::Decimal(b)) => a < b,
            (ValueRepr::Float(a), ValueRepr::Float(b)) => f32::from_bits(*a) < f32::from_bits(*b),
            (ValueRepr::Double(a), ValueRepr::Double(b)) => f64::from_bits(*a) < f64::from_bits(*b),
            (ValueRepr::Duration(a), ValueRepr::Duration(b)) => a.less_than(b),
            (ValueRepr::DateTime(a), ValueRepr::DateTime(b)) => a.less_than(b),
            _ => false,
        }
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Applies a `whiteSpace` facet value.
pub(crate) fn normalize(ws: Whitespace, s: &str) -> Cow<'_, str> {
    match ws {
        Whitespace::Preserve => Cow::Borrowed(s),
        Whitespace::Replace => {
            if s.contains(['\t', '\n', '\r']) {
                Cow::Owned(s.replace(['\t', '\n', '\r'], " "))
            } else {
                Cow::Borrowed(s)
            }
        }
        Whitespace::Collapse => {
            let clean = !s.starts_with(is_xml_space)
                && !s.ends_with(is_xml_space)
                && !s.contains(['\t', '\n', '\r'])
                && !s.contains("  ");
            if clean {
                Cow::Borrowed(s)
            } else {
                let mut out = String::with_capacity(s.len());
                for w in s.split(is_xml_space).filter(|w| !w.is_empty()) {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(w);
                }
                Cow::Owned(out)
            }
        }
    }
}

/// `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`, jing's RFC 3066 syntax for `language`.
fn is_language(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The `float`/`double` lexical form: a decimal with optional exponent, `INF`, `-INF`, `NaN`.
fn is_float_literal(s: &str) -> bool {
    if matches!(s, "INF" | "-INF" | "NaN") {
        return true;
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if Decimal::parse(mantissa).is_none() {
        return false;
    }
    match exponent {
        None => true,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

fn parse_f64(s: &str) -> f64 {
    match s {
        "INF" => f64::INFINITY,
        "-INF" => f64::NEG_INFINITY,
        "NaN" => f64::NAN,
        _ => s.parse().unwrap_or(f64::NAN),
    }
}

fn parse_f32(s: &str) -> f32 {
    match s {
        "INF" => f32::INFINITY,
        "-INF" => f32::NEG_INFINITY,
        "NaN" => f32::NAN,
        _ => s.parse().unwrap_or(f32::NAN),
    }
}

impl Base {
    /// The `whiteSpace` facet of the type.
    pub(crate) fn whitespace(&self) -> Whitespace {
        match self {
            Base::Str(ws) => *ws,
            _ => Whitespace::Collapse,
        }
    }

    /// How jing describes the lexical space in messages ("must be …").
    pub(crate) fn description(&self) -> &'static str {
        match self {
            Base::Str(_) => "a string",
            Base::Language => "an RFC 3066 language identifier",
            Base::Name => "an XML name",
            Base::NcName(_) => "an XML name without colons",
            Base::Nmtoken => "an XML NMTOKEN",
            Base::QName => "an XML QName",
            Base::AnyUri => "a URI",
            Base::Boolean => "a boolean",
            Base::Decimal => "a decimal number",
            Base::Integer { .. } => "an integer",
            Base::Float | Base::Double => "a floating-point number",
            Base::Duration => "a duration",
            Base::Date(k) => k.description(),
            Base::Hex => "a hexadecimal string",
            Base::Base64 => "a base64 string",
            Base::List(ListItem::Nmtoken) => "a list of XML NMTOKENs",
            Base::List(_) => "a list of XML names without colons",
        }
    }

    /// Whether the `length` facets apply (strings: characters, binary: octets, lists: items).
    pub(crate) fn has_length(&self) -> bool {
        matches!(
            self,
            Base::Str(_)
                | Base::Language
                | Base::Name
                | Base::NcName(_)
                | Base::Nmtoken
                | Base::AnyUri
                | Base::Hex
                | Base::Base64
                | Base::List(_)
        )
    }

    /// Whether the type is ordered (the bound facets apply).
    pub(crate) fn is_ordered(&self) -> bool {
        matches!(
            self,
            Base::Decimal
                | Base::Integer { .. }
                | Base::Float
                | Base::Double
                | Base::Duration
                | Base::Date(_)
        )
    }

    /// Whether the type derives from `decimal` (the digit facets apply).
    pub(crate) fn is_decimal(&self) -> bool {
        matches!(self, Base::Decimal | Base::Integer { .. })
    }

    /// Whether values depend on the context (namespace bindings, unparsed entities).
    pub(crate) fn is_context_dependent(&self) -> bool {
        matches!(
            self,
            Base::QName | Base::NcName(NcRole::Entity) | Base::List(ListItem::Entity)
        )
    }

    /// Checks a whitespace-normalized string and returns its value. When `want` is false
    /// string-like types skip building a value (`Ok(None)`).
    pub(crate) fn parse(
        &self,
        s: &str,
        cx: &dyn Context,
        want: bool,
    ) -> Result<Option<ValueRepr>, String> {
        let lexical = || Err(format!("must be {}", self.description()));
        let string = |ok: bool| -> Result<Option<ValueRepr>, String> {
            if !ok {
                return Err(format!("must be {}", self.description()));
            }
            Ok(want.then(|| ValueRepr::Str(s.to_string())))
        };
        match self {
            Base::Str(_) => string(true),
            Base::Language => string(is_language(s)),
            Base::Name => string(names::is_name(s)),
            Base::Nmtoken => string(names::is_nmtoken(s)),
            Base::AnyUri => string(uri::is_uri(s)),
            Base::NcName(role) => {
                if !names::is_ncname(s) {
                    return lexical();
                }
                if *role == NcRole::Entity && !cx.is_unparsed_entity(s) {
                    return Err(ENTITY_MESSAGE.into());
                }
                Ok(want.then(|| ValueRepr::Str(s.to_string())))
            }
            Base::QName => {
                if !names::is_qname(s) {
                    return lexical();
                }
                let (ns, local) = match s.split_once(':') {
                    Some((prefix, local)) => match cx.resolve_prefix(Some(prefix)) {
                        Some(ns) => (ns, local),
                        None => {
                            return Err(format!(
                                "must be a QName whose prefix, if any, is declared (prefix \"{prefix}\" is not declared)"
                            ));
                        }
                    },
                    None => (cx.resolve_prefix(None).unwrap_or_default(), s),
                };
                Ok(Some(ValueRepr::QName(ns, local.to_string())))
            }
            Base::Boolean => match s {
                "true" | "1" => Ok(Some(ValueRepr::Bool(true))),
                "false" | "0" => Ok(Some(ValueRepr::Bool(false))),
                _ => lexical(),
            },
            Base::Decimal => Decimal::parse(s)
                .map(|d| Some(ValueRepr::Decimal(d)))
                .map_or_else(lexical, Ok),
            Base::Integer { .. } => Decimal::parse_integer(s)
                .map(|d| Some(ValueRepr::Decimal(d)))
                .map_or_else(lexical, Ok),
            Base::Float => {
                if !is_float_literal(s) {
                    return lexical();
                }
                let f = parse_f32(s);
                let bits = if f.is_nan() {
                    f32::NAN.to_bits()
                } else if f == 0.0 {
                    0
                } else {
                    f.to_bits()
                };
                Ok(Some(ValueRepr::Float(bits)))
            }
            Base::Double => {
                if !is_float_literal(s) {
                    return lexical();
                }
                let f = parse_f64(s);
                let bits = if f.is_nan() {
                    f64::NAN.to_bits()
                } else if f == 0.0 {
                    0
                } else {
                    f.to_bits()
                };
                Ok(Some(ValueRepr::Double(bits)))
            }
            Base::Duration => Duration::parse(s)
                .map(|d| Some(ValueRepr::Duration(Box::new(d))))
                .map_or_else(lexical, Ok),
            Base::Date(kind) => DateTime::parse(*kind, s)
                .map(|d| Some(ValueRepr::DateTime(Box::new(d))))
                .map_or_else(lexical, Ok),
            Base::Hex => binary::hex(s)
                .map(|b| Some(ValueRepr::Hex(b)))
                .map_or_else(lexical, Ok),
            Base::Base64 => binary::base64(s)
                .map(|b| Some(ValueRepr::Base64(b)))
                .map_or_else(lexical, Ok),
            Base::List(item) => {
                let items: Vec<&str> = if s.is_empty() {
                    Vec::new()
                } else {
                    s.split(' ').collect()
                };
                let lexical_ok = |w: &str| match item {
                    ListItem::Nmtoken => names::is_nmtoken(w),
                    ListItem::Idref | ListItem::Entity => names::is_ncname(w),
                };
                if !items.iter().all(|w| lexical_ok(w)) {
                    return lexical();
                }
                if *item == ListItem::Entity && !items.iter().all(|w| cx.is_unparsed_entity(w)) {
                    return Err(ENTITY_MESSAGE.into());
                }
                Ok(want.then(|| {
                    ValueRepr::List(
                        items
                            .iter()
                            .map(|w| ValueRepr::Str(w.to_string()))
                            .collect(),
                    )
                }))
            }
        }
    }

    /// The restrictions built into a derived type, checked after (inside) any facet: the
    /// bounds of the integer types and the non-emptiness of lists.
    pub(crate) fn builtin_restriction(
        &self,
        s: &str,
        value: Option<&ValueRepr>,
    ) -> Result<(), String> {
        match self {
            Base::Integer { min, max } => {
                let Some(ValueRepr::Decimal(d)) = value else {
                    return Ok(());
                };
                if let Some(min) = min
                    && Decimal::parse_integer(min).is_some_and(|m| *d < m)
                {
                    return Err(format!("must be an integer greater than or equal to {min}"));
                }
                if let Some(max) = max
                    && Decimal::parse_integer(max).is_some_and(|m| *d > m)
                {
                    return Err(format!("must be an integer less than or equal to {max}"));
                }
                Ok(())
            }
            Base::List(_) if s.is_empty() => Err(format!(
                "must be {} with length at least 1 (actual length was 0)",
                self.description()
            )),
            _ => Ok(()),
        }
    }

    /// The length of a value in the type's units, from the normalized string.
    pub(crate) fn length(&self, s: &str) -> u64 {
        let n = match self {
            Base::Hex => s.len() / 2,
            Base::Base64 => binary::base64(s).map_or(0, |b| b.len()),
            Base::List(_) => {
                if s.is_empty() {
                    0
                } else {
                    s.split(' ').count()
                }
            }
            _ => s.chars().count(),
        };
        n as u64
    }
}

const ENTITY_MESSAGE: &str = "must be a name declared in the DTD as an unparsed entity";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace() {
        assert_eq!(normalize(Whitespace::Collapse, "\t a \n b  "), "a b");
        assert_eq!(normalize(Whitespace::Replace, "a\tb\r\n"), "a b  ");
        assert!(matches!(
            normalize(Whitespace::Collapse, "a b"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn lexical_forms() {
        assert!(
            is_language("en-UK")
                && is_language("i-cherokee")
                && !is_language("en.UK")
                && !is_language("toolongtag")
        );
        for ok in [
            "1.0", "1.", ".1", "1e999", "-.5e-3", "0E+0", "INF", "-INF", "NaN",
        ] {
            assert!(is_float_literal(ok), "{ok}");
        }
        for bad in [
            "+INF", "+NaN", "-NaN", "inf", "1f", "0x10", "1e", "e1", "1E+", ".e1", ".", "",
            "1E2.5", "- 1",
        ] {
            assert!(!is_float_literal(bad), "{bad}");
        }
    }

    #[test]
    fn every_name_resolves() {
        for n in TYPE_NAMES {
            assert_eq!(lookup(n).map(|(name, _)| name), Some(*n));
        }
        assert!(lookup("anySimpleType").is_none());
    }
}
