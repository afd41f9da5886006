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
//! [`library_supported`].

pub mod codes;

use std::fmt;

/// The XSD datatype library URI.
pub const XSD_LIBRARY: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// Resolves namespace prefixes for context-dependent types (`QName`, `NOTATION`).
pub trait Context {
    /// The namespace URI bound to `prefix` (`None` = the default namespace), or `None` if the
    /// prefix is not bound. An unprefixed QName uses the default namespace.
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String>;
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

/// A value in a datatype's value space. Two values are equal exactly when the type says
/// they are the same value (so `1.0` and `01` are equal decimals); hashing is consistent
/// with equality, so large `<value>` choices can be looked up in a hash set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Value(ValueRepr);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueRepr {
    /// Canonical string form plus a tag naming the primitive value space.
    Canonical(&'static str, String),
}

/// A datatype with its parameters (facets), ready to check strings.
#[derive(Debug, Clone)]
pub struct Datatype {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    BuiltinString,
    BuiltinToken,
    /// Provisional: XSD types are being implemented.
    Xsd(String),
}

impl Datatype {
    /// Builds a datatype from a library URI, a type name and `(name, value)` parameters.
    pub fn new(
        library: &str,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<Datatype, DatatypeError> {
        let kind = match (library, name) {
            ("", "string") => Kind::BuiltinString,
            ("", "token") => Kind::BuiltinToken,
            ("", _) => {
                return Err(DatatypeError::UnknownType {
                    library: String::new(),
                    name: name.to_string(),
                });
            }
            (XSD_LIBRARY, _) => Kind::Xsd(name.to_string()),
            _ => return Err(DatatypeError::UnknownLibrary(library.to_string())),
        };
        if matches!(kind, Kind::BuiltinString | Kind::BuiltinToken)
            && let Some((p, _)) = params.first()
        {
            return Err(DatatypeError::BadParam {
                name: p.to_string(),
                message: "the built-in library's types take no parameters".into(),
            });
        }
        Ok(Datatype { kind })
    }

    /// Checks a string; `Err` holds a short reason ("must be a decimal number").
    pub fn check(&self, text: &str, cx: &dyn Context) -> Result<(), String> {
        let _ = (text, cx);
        Ok(())
    }

    /// Whether the string is a valid value.
    pub fn allows(&self, text: &str, cx: &dyn Context) -> bool {
        self.check(text, cx).is_ok()
    }

    /// The value a string denotes, `None` if it is not valid.
    pub fn value(&self, text: &str, cx: &dyn Context) -> Option<Value> {
        self.check(text, cx).ok()?;
        Some(match &self.kind {
            Kind::BuiltinString => Value(ValueRepr::Canonical("string", text.to_string())),
            Kind::BuiltinToken | Kind::Xsd(_) => Value(ValueRepr::Canonical(
                "token",
                text.split_ascii_whitespace().collect::<Vec<_>>().join(" "),
            )),
        })
    }

    /// The ID-type under DTD compatibility.
    pub fn id_type(&self) -> IdType {
        match &self.kind {
            Kind::Xsd(n) if n == "ID" => IdType::Id,
            Kind::Xsd(n) if n == "IDREF" => IdType::Idref,
            Kind::Xsd(n) if n == "IDREFS" => IdType::Idrefs,
            _ => IdType::Null,
        }
    }

    /// Whether checking needs a [`Context`] (QName, NOTATION).
    pub fn is_context_dependent(&self) -> bool {
        matches!(&self.kind, Kind::Xsd(n) if n == "QName" || n == "NOTATION")
    }
}
