//! The RELAX NG compact syntax (`.rnc`), translated to the XML syntax.
//!
//! [`parse`] reads a complete compact-syntax schema and returns the
//! [`xml::Document`](crate::xml::Document) that the translation of the specification
//! (OASIS "RELAX NG Compact Syntax", Committee Specification 21 November 2002, Appendix A)
//! gives: elements in the RELAX NG namespace, which the XML-syntax loader then reads like
//! any `.rng` file. Nothing is simplified here; the loader does §4 and §7.
//!
//! The stages, one module each:
//!
//! | stage | module | what |
//! |---|---|---|
//! | escapes | `escape` | `\x{N}` replaced before tokenising (A.2.4), with a map back to source offsets |
//! | tokens | `lex` | longest-match tokenisation (A.2.5); `#` comments dropped, `##` kept |
//! | parse | `parse` | recursive descent over the BNF of A.1, computing its XML fragments |
//! | emit | `frag` | the fragments written into a `Document` with an explicit stack |
//!
//! # The translated document
//!
//! - Every element's and attribute's range points into the `.rnc` text:
//!   `element foo { … }` spans from `element` to `}`, its [`start_tag_range`] to `{`;
//!   a `<name>` spans the name token; `type` and `datatypeLibrary` attributes span the
//!   datatype name; `href` spans the literal. Positions are how schema errors found later
//!   are reported, so they are exact. ([`Node::end_tag_range`] and [`Node::name_range`]
//!   assume XML tags and mean nothing here.)
//! - Names of elements and attributes are always `<name ns="…">local</name>` children
//!   (never `name=` attributes), `ns` given as the translation says: from the default
//!   namespace for unprefixed element names (absent when it is `inherit`, so that the
//!   loader inherits it), `ns=""` for unprefixed attribute names, from the declaration
//!   for prefixed ones. `include` and `externalRef` carry the `ns` to pass on.
//! - `data` and typed `value` elements carry both `type` and `datatypeLibrary`
//!   (`datatypeLibrary=""` for `string` and `token`); untyped values carry neither.
//! - The root element declares the preamble's namespace prefixes (those bound to a
//!   non-empty URI), so that QName values (`xsd:QName "p:x"`) resolve as in jing. RELAX NG
//!   elements are written with a prefix (`rng`, or the user's prefix for the RELAX NG
//!   namespace) and no default namespace is declared, so an unprefixed QName value has no
//!   namespace, as in jing.
//! - Annotations become foreign attributes and elements: initial annotations on the
//!   element they precede (their elements as first children, or as following siblings for
//!   `value`, `param` and `name`, which cannot have element children); `>>` annotations
//!   as following siblings; `##` comments as `a:documentation` elements (prefix `a`, or
//!   the user's prefix for that namespace). Ordinary `#` comments are dropped.
//!
//! # Errors
//!
//! Syntax errors stop the parse at the first one; the constraints of the specification
//! (declarations, prefixes, annotations, name-class excepts) are all reported. Codes are
//! in [`codes`]. Semantic errors that the XML syntax shares (undefined references, §7) are
//! the loader's.
//!
//! [`start_tag_range`]: crate::xml::Node::start_tag_range
//! [`Node::end_tag_range`]: crate::xml::Node::end_tag_range
//! [`Node::name_range`]: crate::xml::Node::name_range

pub mod codes;
mod escape;
mod frag;
mod lex;
mod parse;

use crate::diag::{Diagnostic, FileId};
use crate::xml::Document;

pub use parse::MAX_NESTING;

/// The RELAX NG structure namespace.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
/// The namespace of `a:documentation` (RELAX NG DTD Compatibility annotations).
pub const ANNOTATIONS_NS: &str = "http://relaxng.org/ns/compatibility/annotations/1.0";
/// The XSD datatype library, predeclared as the `xsd` datatypes prefix.
pub const XSD_DATATYPES: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// Parses a complete compact-syntax schema into its XML-syntax translation.
///
/// `text` is the decoded file (a leading byte order mark is ignored); `file` is used in
/// the diagnostics' labels. The returned document's text is `text`, and every node's range
/// points into it. On error, the diagnostics (all errors) say what was found and what was
/// expected; the first syntax error ends the parse.
///
/// `include "x.rnc"` and `external "x.rnc"` keep their `href` as written; resolving and
/// loading it (as compact syntax) is the loader's job. Texts of 4 GiB or more are
/// refused ([`LIMIT`](crate::diag::codes::cli::LIMIT)).
pub fn parse(text: &str, file: FileId) -> Result<Document, Vec<Diagnostic>> {
    if u32::try_from(text.len()).is_err() {
        // Spans are stored as 32-bit offsets, as in the XML tree.
        return Err(vec![Diagnostic::error(
            &crate::diag::codes::cli::LIMIT,
            "the schema is larger than 4 GiB",
        )]);
    }
    let dec = match escape::decode(text) {
        Ok(d) => d,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(&codes::RNC_ESCAPE, e.message).at(file, e.span),
            ]);
        }
    };
    let lexed = match lex::tokenize(&dec) {
        Ok(t) => t,
        Err(e) => {
            let span = dec.source_range(e.span);
            return Err(vec![
                Diagnostic::error(&codes::RNC_LEXICAL, e.message).at(file, span),
            ]);
        }
    };
    let mut p = parse::Parser::new(&dec, &lexed, file, text.len());
    let root = p.parse_top();
    match root {
        Ok(root) if p.diags.is_empty() => {
            let decls = p.root_ns_decls();
            let decls: Vec<(&str, &str)> = decls
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            Ok(p.frag.emit(root, text, &decls))
        }
        _ => Err(p.diags),
    }
}
