//! Integrity rules: what a TEI document must satisfy that no grammar can state.
//!
//! A RELAX NG schema says which elements may appear where; it cannot say that `#p-trotsky`
//! names an existing register entry, that two paragraphs of a translation pair point to each
//! other, that a letter has its `correspDesc`, or that 1947-02-30 is not a day. These rules do.
//! They run on any TEI document, not only on teikit editions, so each is written to stay quiet
//! on ordinary TEI practice (pointers into other files, prefixed pointers declared with
//! `prefixDef`, registers kept outside the document); findings are [`Diagnostic`]s with a stable
//! `RUL` code located on the offending attribute value.
//!
//! The entry point is [`check`]. Every walk is a loop over the document's flat node array;
//! nothing recurses on input depth.

pub mod codes;

mod authority;
mod dates;
mod index;
mod letters;
mod notes;
mod pointers;
mod translation;

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, FileId};
use crate::xml::{Document, Node, TEI_NS};

pub use authority::Authority;
pub use dates::{W3cError, W3cKind, W3cValue, days_in_month, is_leap_year, parse_w3c};
pub use index::{PointerKind, local_id};

/// Options of [`check`].
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// Ids defined outside the document (a shared register file) that `#id` pointers of this
    /// document may address; pointers to them count as resolved.
    pub external_ids: BTreeSet<String>,
    /// Report every unresolved local pointer as an error, even in a document without a
    /// register of its own (see [`codes::EXTERNAL_REGISTER`]).
    pub strict_pointers: bool,
}

/// Whether a document is TEI: its root element is `TEI` or `teiCorpus` in the TEI namespace.
pub fn is_tei(doc: &Document) -> bool {
    let root = doc.root_element();
    root.has_tag_name(Some(TEI_NS), "TEI") || root.has_tag_name(Some(TEI_NS), "teiCorpus")
}

/// Runs every integrity rule on a TEI document and returns the findings in document order.
///
/// `file` is the id under which the caller registered the document's text in its
/// [`crate::diag::Files`]; spans are byte ranges into [`Document::text`]. A document that is
/// not TEI (see [`is_tei`]) yields no findings.
pub fn check(doc: &Document, file: FileId, options: &RuleOptions) -> Vec<Diagnostic> {
    if !is_tei(doc) {
        return Vec::new();
    }
    let cx = index::Context::new(doc, file, options);
    let mut out = Vec::new();
    pointers::check(&cx, &mut out);
    translation::check(&cx, &mut out);
    letters::check(&cx, &mut out);
    notes::check(&cx, &mut out);
    dates::check(&cx, &mut out);
    authority::check(&cx, &mut out);
    out.sort_by_key(|d| {
        d.primary
            .as_ref()
            .map(|l| (l.span.start, l.span.end))
            .unwrap_or((0, 0))
    });
    out
}

/// Whether a node is an element in the TEI namespace with this local name.
fn is_tei_element(n: &Node<'_>, local: &str) -> bool {
    n.has_tag_name(Some(TEI_NS), local)
}

/// Whether a node is a TEI element.
fn in_tei(n: &Node<'_>) -> bool {
    n.is_element() && n.tag_name().namespace == Some(TEI_NS)
}
