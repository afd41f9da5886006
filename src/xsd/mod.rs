//! Datatype libraries for RELAX NG: the built-in library (`string`, `token`) and the W3C XML
//! Schema datatypes (`http://www.w3.org/2001/XMLSchema-datatypes`), as the RELAX NG spec and
//! "Guidelines for using W3C XML Schema Datatypes with RELAX NG" define them.
//!
//! This module knows nothing about RELAX NG patterns or TEI: it answers "is this string a
//! valid value of this type with these facets?" and "are these two strings the same value?".
//!
//! INTERFACE CONTRACT (used by `rng`): [`Datatype::new`], [`Datatype::check`],
//! [`Datatype::allows`], [`Datatype::value`], [`Datatype::id_type`],
//! [`Datatype::is_context_dependent`], [`Value`], [`Context`], [`IdType`], [`DatatypeError`],
//! [`library_supported`]. Helpers: [`Datatype::whitespace`], [`Datatype::description`],
//! [`Datatype::name`], [`Datatype::accepts_everything`], [`DatatypeError::code`],
//! [`Context::is_unparsed_entity`], [`regex::XsdRegex`].
//!
//! # Map
//!
//! | file | what |
//! |---|---|
//! | `types.rs` | the built-in types: whitespace, lexical spaces, values ([`Value`]) |
//! | `facets.rs` | `<param>`s, applied in order as jing does; messages in jing's words |
//! | `decimal.rs`, `datetime.rs`, `binary.rs`, `uri.rs`, `names.rs` | the value spaces |
//! | `regex/` | XSD regular expressions → `regex-automata` (linear time) |
//!
//! # Where this differs from jing, and why
//!
//! jing is the reference for verdicts, and the differential tests behind this module agree
//! with it on lexical spaces, value equality and facets except here:
//!
//! - `totalDigits`/`fractionDigits` count the digits of the *value* as XML Schema defines
//!   them; jing counts trailing zeros of the literal (`1.20` has 3 digits for jing, 2 here).
//! - Fractions of seconds keep every digit; jing truncates them to milliseconds.
//! - A length facet on a type without length (dates, numbers …) is a schema error; jing
//!   accepts the schema, then fails with an internal exception on valid values.
//! - `hexBinary`/`base64Binary` patterns see the whitespace-collapsed value, as XML Schema
//!   says; jing matches them against the raw text.
//! - In regular expressions `-` may be the first or last character of a character group
//!   (`[a-]`, `[-a]`), as XML Schema 1.0 2nd edition allows; jing refuses. Negated groups
//!   holding class escapes (`[^a\s]`) mean what XML Schema says; jing's translation to Java
//!   regexes gets them wrong on JDK 9 and later.
//! - `\i` and `\c` are exactly XML 1.0's name characters, as for the `Name` types (which agree
//!   with jing on every BMP character); jing's regex version also admits 31 letters assigned
//!   since Unicode 11 (U+0560, U+0E86 …), an artifact of running on a newer JDK.
//! - Unicode general categories are those of the `regex` crate's Unicode version; jing uses
//!   the JDK's. Blocks are XML Schema 1.0's names with current extents, as in jing.
//! - A pattern whose counted repetitions are too large to compile even for the length of the
//!   value at hand (e.g. `(ab|cd|…){50000,}` against 100 000 characters) reports that it
//!   cannot be checked, instead of backtracking for minutes as jing would.

mod binary;
pub mod codes;
mod datetime;
mod decimal;
mod facets;
pub(crate) mod names;
pub mod regex;
mod types;
mod uri;

use std::fmt;
use std::sync::Arc;

use facets::Restricted;
use types::ValueRepr;

/// The XSD datatype library URI.
pub const XSD_LIBRARY: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// Resolves namespace prefixes for context-dependent types (`QName`, `NOTATION`).
pub trait Context {
    /// The namespace URI bound to `prefix` (`None` = the default namespace), or `None` if the
    /// prefix is not bound. An unprefixed QName uses the default namespace.
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String>;

    /// Whether `name` is declared in the document's DTD as an unparsed entity (for `ENTITY`
    /// and `ENTITIES`). The default declares none.
    fn is_unparsed_entity(&self, name: &str) -> bool {
        let _ = name;
        false
    }
}

/// A context that binds no prefix (only `xml`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoContext;

impl Context for NoContext {
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String> {
        (prefix == Some("xml")).then(|| crate::xml::XML_NS.to_string())
    }
}

/// The ID-type of a datatype under RELAX NG DTD Compatibility §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    /// Not an ID-ish type.
    Null,
    /// `xsd:ID`
    Id,
    /// `xsd:IDREF`
    Idref,
    /// `xsd:IDREFS`
    Idrefs,
}

/// Why a datatype could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatatypeError {
    /// The `datatypeLibrary` URI is not supported.
    UnknownLibrary(String),
    /// The library has no type of this name.
    UnknownType {
        /// Library URI.
        library: String,
        /// Type name.
        name: String,
    },
    /// A parameter is not allowed for this type, or its value is bad.
    BadParam {
        /// Parameter name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for DatatypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatatypeError::UnknownLibrary(l) => {
                write!(f, "datatype library \"{l}\" is not supported")
            }
            DatatypeError::UnknownType { library, name } => {
                if library.is_empty() {
                    write!(f, "the built-in datatype library has no type \"{name}\"")
                } else {
                    write!(f, "datatype library \"{library}\" has no type \"{name}\"")
                }
            }
            DatatypeError::BadParam { name, message } => {
                write!(f, "parameter \"{name}\": {message}")
            }
        }
    }
}

impl std::error::Error for DatatypeError {}

/// Whether a datatype library URI is supported (the empty URI is the built-in library).
pub fn library_supported(uri: &str) -> bool {
    uri.is_empty() || uri == XSD_LIBRARY
}

impl DatatypeError {
    /// The diagnostic code for this error.
    pub fn code(&self) -> &'static crate::diag::Code {
        match self {
            DatatypeError::UnknownLibrary(_) => &codes::UNKNOWN_LIBRARY,
            DatatypeError::UnknownType { .. } => &codes::UNKNOWN_TYPE,
            DatatypeError::BadParam { name, .. } if name == "pattern" => &codes::BAD_PATTERN,
            DatatypeError::BadParam { .. } => &codes::BAD_PARAM,
        }
    }
}

/// The `whiteSpace` facet of a type: what happens to a string before it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Whitespace {
    /// Kept as it is (`string`).
    Preserve,
    /// Tab, newline and carriage return become spaces (`normalizedString`).
    Replace,
    /// As `Replace`, then runs of spaces become one and leading/trailing spaces go (all
    /// other types).
    Collapse,
}

/// A value in a datatype's value space. Two values are equal exactly when the type says
/// they are the same value (so `1.0` and `01` are equal decimals); hashing is consistent
/// with equality, so large `<value>` choices can be looked up in a hash set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Value(ValueRepr);

/// A datatype with its parameters (facets), ready to check strings. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Datatype {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    BuiltinString,
    BuiltinToken,
    Xsd(Arc<Restricted>),
}

impl Datatype {
    /// Builds a datatype from a library URI, a type name and `(name, value)` parameters,
    /// applied in order (as RELAX NG's `<param>` elements).
    pub fn new(
        library: &str,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<Datatype, DatatypeError> {
        let kind = match library {
            "" => {
                let kind = match name {
                    "string" => Kind::BuiltinString,
                    "token" => Kind::BuiltinToken,
                    _ => {
                        return Err(DatatypeError::UnknownType {
                            library: String::new(),
                            name: name.to_string(),
                        });
                    }
                };
                if let Some((p, _)) = params.first() {
                    return Err(DatatypeError::BadParam {
                        name: p.to_string(),
                        message: "the built-in library's types take no parameters".into(),
                    });
                }
                kind
            }
            XSD_LIBRARY => {
                let Some((type_name, base)) = types::lookup(name) else {
                    return Err(DatatypeError::UnknownType {
                        library: library.to_string(),
                        name: name.to_string(),
                    });
                };
                let mut t = Restricted {
                    name: type_name,
                    base,
                    facets: Vec::new(),
                };
                for (p, v) in params {
                    t.add_param(p, v)?;
                }
                Kind::Xsd(Arc::new(t))
            }
            _ => return Err(DatatypeError::UnknownLibrary(library.to_string())),
        };
        Ok(Datatype { kind })
    }

    /// Checks a string; `Err` holds a short reason in jing's words ("must be a decimal
    /// number", "must be a string with length at most 10 (actual length was 12)").
    pub fn check(&self, text: &str, cx: &dyn Context) -> Result<(), String> {
        match &self.kind {
            Kind::BuiltinString | Kind::BuiltinToken => Ok(()),
            Kind::Xsd(t) => t.evaluate(text, cx, false).map(|_| ()),
        }
    }

    /// Whether the string is a valid value.
    pub fn allows(&self, text: &str, cx: &dyn Context) -> bool {
        self.check(text, cx).is_ok()
    }

    /// The value a string denotes, `None` if it is not valid.
    pub fn value(&self, text: &str, cx: &dyn Context) -> Option<Value> {
        match &self.kind {
            Kind::BuiltinString => Some(Value(ValueRepr::Str(text.to_string()))),
            Kind::BuiltinToken => Some(Value(ValueRepr::Str(
                types::normalize(Whitespace::Collapse, text).into_owned(),
            ))),
            Kind::Xsd(t) => t.evaluate(text, cx, true).ok().flatten().map(Value),
        }
    }

    /// The ID-type under DTD compatibility.
    pub fn id_type(&self) -> IdType {
        match &self.kind {
            Kind::Xsd(t) => match t.base {
                types::Base::NcName(types::NcRole::Id) => IdType::Id,
                types::Base::NcName(types::NcRole::Idref) => IdType::Idref,
                types::Base::List(types::ListItem::Idref) => IdType::Idrefs,
                _ => IdType::Null,
            },
            _ => IdType::Null,
        }
    }

    /// Whether checking needs a [`Context`]: `QName`, `NOTATION` (namespace bindings) and
    /// `ENTITY`, `ENTITIES` (unparsed entities).
    pub fn is_context_dependent(&self) -> bool {
        matches!(&self.kind, Kind::Xsd(t) if t.base.is_context_dependent())
    }

    /// The whitespace handling applied before checking.
    pub fn whitespace(&self) -> Whitespace {
        match &self.kind {
            Kind::BuiltinString => Whitespace::Preserve,
            Kind::BuiltinToken => Whitespace::Collapse,
            Kind::Xsd(t) => t.base.whitespace(),
        }
    }

    /// The type's name as written in the schema (`decimal`, `token` …).
    pub fn name(&self) -> &'static str {
        match &self.kind {
            Kind::BuiltinString => "string",
            Kind::BuiltinToken => "token",
            Kind::Xsd(t) => t.name,
        }
    }

    /// What the values look like, for messages: "a decimal number", "an ISO date",
    /// "a string" (jing's wording).
    pub fn description(&self) -> &'static str {
        match &self.kind {
            Kind::BuiltinString | Kind::BuiltinToken => "a string",
            Kind::Xsd(t) => t.base.description(),
        }
    }

    /// Whether any value is allowed: the type accepts every string (`string`, `token` …
    /// without parameters). The validator can skip checking such data.
    pub fn accepts_everything(&self) -> bool {
        match &self.kind {
            Kind::BuiltinString | Kind::BuiltinToken => true,
            Kind::Xsd(t) => matches!(t.base, types::Base::Str(_)) && t.facets.is_empty(),
        }
    }
}

/// The type names of the XSD library (`http://www.w3.org/2001/XMLSchema-datatypes`).
pub fn xsd_type_names() -> &'static [&'static str] {
    types::TYPE_NAMES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Datatype>();
        assert_send_sync::<Value>();
        assert_send_sync::<DatatypeError>();
    }

    #[test]
    fn builtin_library() {
        let s = Datatype::new("", "string", &[]).unwrap();
        let t = Datatype::new("", "token", &[]).unwrap();
        assert_ne!(s.value(" a ", &NoContext), s.value("a", &NoContext));
        assert_eq!(t.value(" a \n b", &NoContext), t.value("a b", &NoContext));
        assert!(Datatype::new("", "string", &[("length", "1")]).is_err());
        assert!(matches!(
            Datatype::new("", "int", &[]),
            Err(DatatypeError::UnknownType { .. })
        ));
        assert!(matches!(
            Datatype::new("urn:x", "int", &[]),
            Err(DatatypeError::UnknownLibrary(_))
        ));
        assert!(s.accepts_everything() && t.accepts_everything());
    }

    #[test]
    fn errors_and_codes() {
        let e = Datatype::new(XSD_LIBRARY, "string", &[("pattern", "(")]).unwrap_err();
        assert_eq!(e.code().id, "XSD004");
        let e = Datatype::new(XSD_LIBRARY, "string", &[("enumeration", "a")]).unwrap_err();
        assert_eq!(e.code().id, "XSD003");
        assert!(e.to_string().contains("enumeration"));
        let e = Datatype::new(
            XSD_LIBRARY,
            "int",
            &[("minInclusive", "5"), ("maxInclusive", "3")],
        )
        .unwrap_err();
        assert!(e.to_string().contains("greater than or equal to 5"), "{e}");
        assert!(Datatype::new(XSD_LIBRARY, "boolean", &[("minInclusive", "0")]).is_err());
        assert!(Datatype::new(XSD_LIBRARY, "QName", &[("length", "3")]).is_err());
        assert!(Datatype::new(XSD_LIBRARY, "double", &[("totalDigits", "3")]).is_err());
        assert!(Datatype::new(XSD_LIBRARY, "decimal", &[("totalDigits", "0")]).is_err());
        assert!(Datatype::new(XSD_LIBRARY, "string", &[("whiteSpace", "collapse")]).is_err());
        assert!(Datatype::new(XSD_LIBRARY, "string", &[("foo", "bar")]).is_err());
    }

    #[test]
    fn messages_in_jings_words() {
        let check = |ty: &str, params: &[(&str, &str)], s: &str| {
            Datatype::new(XSD_LIBRARY, ty, params)
                .unwrap()
                .check(s, &NoContext)
                .unwrap_err()
        };
        assert_eq!(check("decimal", &[], "junk"), "must be a decimal number");
        assert_eq!(
            check("string", &[("maxLength", "3")], "abcd"),
            "must be a string with length at most 3 (actual length was 4)"
        );
        assert_eq!(
            check("string", &[("pattern", "[0-9]{4}")], "12"),
            "must be a string matching the regular expression \"[0-9]{4}\""
        );
        assert_eq!(
            check("unsignedByte", &[], "256"),
            "must be an integer less than or equal to 255"
        );
        assert_eq!(
            check("int", &[("maxInclusive", "5"), ("pattern", "[0-9]")], "17"),
            "must be an integer matching the regular expression \"[0-9]\"",
        );
        assert_eq!(
            check("QName", &[], "q:a"),
            "must be a QName whose prefix, if any, is declared (prefix \"q\" is not declared)"
        );
        assert_eq!(
            check("IDREFS", &[], " "),
            "must be a list of XML names without colons with length at least 1 (actual length was 0)"
        );
    }

    #[test]
    fn id_types_and_context() {
        let id = |n: &str| Datatype::new(XSD_LIBRARY, n, &[]).unwrap().id_type();
        assert_eq!(id("ID"), IdType::Id);
        assert_eq!(id("IDREF"), IdType::Idref);
        assert_eq!(id("IDREFS"), IdType::Idrefs);
        assert_eq!(id("NCName"), IdType::Null);
        let dt = Datatype::new(XSD_LIBRARY, "QName", &[]).unwrap();
        assert!(dt.is_context_dependent());
        assert_eq!(
            dt.value("xml:lang", &NoContext),
            dt.value(" xml:lang ", &NoContext)
        );
        assert!(
            Datatype::new(XSD_LIBRARY, "ENTITY", &[])
                .unwrap()
                .is_context_dependent()
        );
        assert!(
            !Datatype::new(XSD_LIBRARY, "token", &[])
                .unwrap()
                .is_context_dependent()
        );
        assert_eq!(
            Datatype::new(XSD_LIBRARY, "normalizedString", &[])
                .unwrap()
                .whitespace(),
            Whitespace::Replace
        );
    }
}
