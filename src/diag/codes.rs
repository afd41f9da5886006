//! Stable diagnostic codes.
//!
//! Each module that reports problems declares its codes with [`declare_codes!`](crate::declare_codes)
//! in its own `codes.rs`; [`all`] gathers them for the table in the README (kept in sync by a
//! test) and for `teikit explain`-style lookups. A code never changes meaning once released;
//! retired codes are not reused.

use super::Severity;

/// A stable diagnostic code such as `VAL001`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// The identifier shown to users, e.g. `VAL001`. Prefixes group codes by stage.
    pub id: &'static str,
    /// The default severity.
    pub severity: Severity,
    /// One line saying what the code means.
    pub summary: &'static str,
    /// Longer explanation (the doc comment of the declaration).
    pub explanation: &'static str,
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

/// Declares diagnostic codes as `pub static` items plus a `pub static ALL` slice.
///
/// ```ignore
/// declare_codes! {
///     /// The document is not well-formed XML.
///     XML_SYNTAX = "XML001", Error, "the document is not well-formed XML";
/// }
/// ```
#[macro_export]
macro_rules! declare_codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $id:literal, $sev:ident, $summary:literal; )*) => {
        $(
            $(#[doc = $doc])*
            pub static $name: $crate::diag::Code = $crate::diag::Code {
                id: $id,
                severity: $crate::diag::Severity::$sev,
                summary: $summary,
                explanation: concat!($($doc, "\n"),*),
            };
        )*
        /// Every code this module declares.
        pub static ALL: &[&$crate::diag::Code] = &[$(&$name),*];
    };
}

/// Codes of the command-line layer: files, arguments, limits.
pub mod cli {
    crate::declare_codes! {
        /// A file or folder named on the command line could not be read or written.
        IO_ERROR = "IO001", Error, "a file could not be read or written";
        /// The output file exists and `--force` was not given.
        OUTPUT_EXISTS = "IO002", Error, "the output file exists (use --force to replace it)";
        /// A folder was named but holds no file of the expected kind.
        EMPTY_FOLDER = "IO003", Error, "the folder holds no input files";
        /// The arguments do not make sense together.
        USAGE = "USE001", Error, "invalid command-line usage";
        /// A resource limit (input size, nesting depth, attribute count …) was hit.
        LIMIT = "LIM001", Error, "a resource limit was reached";
    }
}

/// Every code of every module, sorted by id.
pub fn all() -> Vec<&'static Code> {
    let groups: &[&[&'static Code]] = &[
        cli::ALL,
        crate::xml::codes::ALL,
        crate::rng::codes::ALL,
        crate::rng::compact::codes::ALL,
        crate::xsd::codes::ALL,
        crate::transcription::codes::ALL,
        crate::registry::codes::ALL,
        crate::diff::codes::ALL,
        crate::rules::codes::ALL,
        crate::cmif::codes::ALL,
    ];
    let mut v: Vec<&'static Code> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    v.sort_by_key(|c| c.id);
    v
}

/// Looks a code up by its id (case-insensitive).
pub fn lookup(id: &str) -> Option<&'static Code> {
    all().into_iter().find(|c| c.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_well_formed() {
        let all = super::all();
        for w in all.windows(2) {
            assert_ne!(w[0].id, w[1].id, "duplicate code id");
        }
        for c in &all {
            assert!(c.id.len() >= 5, "{}", c.id);
            let (prefix, num) = c.id.split_at(c.id.len() - 3);
            assert!(prefix.chars().all(|ch| ch.is_ascii_uppercase()), "{}", c.id);
            assert!(num.chars().all(|ch| ch.is_ascii_digit()), "{}", c.id);
            assert!(!c.summary.is_empty());
        }
    }
}
