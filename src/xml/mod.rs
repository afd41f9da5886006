//! The XML reader every stage uses: bytes → decoded text → an arena tree with byte spans.
//!
//! Untrusted input is the normal case, so the reader is safe by default: it never expands
//! entities declared in a DTD, never loads an external DTD, entity or XInclude, and has
//! limits on input size, nesting depth, attribute count and name length (see
//! [`ParseOptions`]). It has no file, network or process access at all: it takes `&[u8]`
//! ([`Document::parse_bytes`]) or `&str` ([`Document::parse`]) and nothing else, and a test
//! (`tests/attacks.rs`) checks that no I/O API is named in this module.
//!
//! The tree is stored flat, in document order: a node's descendants are the nodes that
//! follow it up to [`Node::subtree_end`], so walks are loops, never recursion, and a
//! million-deep document cannot overflow the stack.
//!
//! Positions are byte offsets into [`Document::text`] (the decoded source). Line and column
//! are computed only when a diagnostic is rendered. An [`Error`] has a kind, a position and
//! a message saying what was found and what was expected; [`Error::code`] and
//! [`Error::to_diagnostic`] turn it into a [`Diagnostic`](crate::diag::Diagnostic).
//!
//! # What is read, and how
//!
//! The reader implements XML 1.0 (Fifth Edition) well-formedness and Namespaces in XML 1.0
//! (Third Edition) namespace well-formedness, and reports the first violation in document
//! order. Like roxmltree's `docs/parsing.md`, this section says what the tree holds.
//!
//! **Encoding** (`decode`). A byte-order mark decides first (UTF-8, UTF-16 LE/BE); without
//! one, `<?` encoded in UTF-16 means UTF-16 (then the declaration must say UTF-16);
//! otherwise the `encoding` of the XML declaration, UTF-8 when absent. Other encodings are
//! decoded by `encoding_rs` under the WHATWG labels (so `ISO-8859-1` reads bytes 0x80–0x9F
//! as windows-1252, as browsers do; `US-ASCII` is strict). Nothing is ever replaced:
//! invalid UTF-8 (overlong forms, encoded surrogates, truncated sequences), unpaired UTF-16
//! surrogates and bytes a legacy encoding does not map are errors at their raw byte offset.
//! A BOM that contradicts the declaration is an error (never a guess); so are unknown
//! encoding names, UTF-32 and EBCDIC. The decoded text drops the BOM.
//!
//! **XML declaration.** Only at the very first byte (after a BOM): `version` (required,
//! `1.0`; `1.1` is refused as unsupported rather than read with 1.0's character rules),
//! `encoding`, `standalone`, in this order. Anywhere else `<?xml …?>` is an error, as is
//! any PI target matching `[Xx][Mm][Ll]`. The declaration is not kept in the tree.
//!
//! **Characters.** Every character must match `Char`: C0 controls other than tab, LF and
//! CR, U+FFFE and U+FFFF are errors, raw or as character references; references to
//! surrogates, to zero or beyond U+10FFFF are errors (the value saturates, so
//! `&#99999999999999999999;` cannot overflow). Names follow the Fifth Edition's
//! `NameStartChar`/`NameChar`; element and attribute names are QNames (at most one colon),
//! PI targets have no colon. Line ends are normalised (CRLF and lone CR → LF) everywhere:
//! text, CDATA, attribute values, comments, PIs. Attribute values are normalised as §3.3.3
//! says for CDATA attributes (tab, LF, CR → space; character references are kept).
//!
//! **References.** The five predefined entities and character references are resolved.
//! Any other `&name;` is an error naming the entity ("undefined entity &eacute;") — also
//! when the DTD declares it, because entity declarations are refused (below). A bare `&`
//! is an error.
//!
//! **DOCTYPE.** Allowed once, before the root. The external identifier is read and
//! ignored: no external subset is ever loaded (old TEI P4 files with `SYSTEM "tei2.dtd"`
//! parse when they use no entities). The internal subset is parsed well enough to skip it
//! correctly — quoted literals, comments, PIs, `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION` —
//! but **every `<!ENTITY` declaration and every parameter-entity reference is refused**
//! with [`ErrorKind::Unsupported`]: teikit never expands DTD entities, so billion laughs,
//! quadratic blowup, entity chains and loops, XXE (files, HTTP) and out-of-band parameter
//! entities all fail at the declaration, in microseconds, before anything is expanded.
//! The one exception is an unparsed entity (`<!ENTITY name SYSTEM "…" NDATA notation>`):
//! it is never expanded nor loaded (a reference to it is an error, WFC Parsed Entity), so
//! its name is recorded ([`Document::unparsed_entities`]) for `ENTITY` attribute values.
//! Attribute defaults and types declared by `<!ATTLIST` are not applied (every attribute
//! is CDATA; a default is never added to the tree); comments and PIs inside the subset are
//! not in the tree (as in the XML Infoset).
//!
//! For trusted documents that declare internal entities (James Clark's RELAX NG test
//! suite does), [`expand_internal_entities`] substitutes them textually before parsing;
//! it still refuses external and parameter entities and caps the output size.
//!
//! **XInclude** is never processed: `xi:include` is an ordinary element.
//!
//! **Namespaces.** `xml` is bound implicitly and may only be redeclared to its own URI;
//! `xmlns` may not be declared, nor used as an element prefix; no prefix may be bound to
//! the XML or XMLNS namespace; `xmlns:p=""` (undeclaring a prefix) is an error in 1.0;
//! `xmlns=""` undeclares the default namespace. Undeclared prefixes on elements and
//! attributes are errors. Attributes must be unique both as written (WFC Unique Att Spec)
//! and by expanded name (`a:n` and `b:n` with `a`, `b` bound to one URI).
//!
//! **Tree.** Elements, text (CDATA merged with adjacent text; no empty text nodes),
//! comments and PIs, inside and outside the root; white space outside the root is dropped,
//! inside it is kept. Namespace declarations are not attributes
//! ([`Node::namespace_declarations`]).
//!
//! # Why a hand-written parser
//!
//! A tokenizer (quick-xml) accepts 13 of the corpus's 21 well-formedness violations; on top
//! of it every character, name, reference, comment and declaration rule would have to be
//! re-checked on its output, i.e. a second lexer over the same bytes. roxmltree checks
//! more, but takes quadratic time on 100,000 attributes and turns `&#xD800;` into U+FFFD.
//! The rules above fit in one single-pass lexer over the decoded text, which makes the
//! guarantees ours to state and test:
//!
//! - **iterative**: the element stack and namespace scope are heap vectors; nothing
//!   recurses on input structure;
//! - **linear**: one table lookup per byte to find the first illegal character, one pass
//!   to parse; attribute uniqueness by hashing beyond 8 attributes; prefix lookup O(1)
//!   (hash map with an undo log); names interned by hash;
//! - **fast**: plain runs of text and attribute values are scanned with byte tables and
//!   copied once; the tree is built directly, without an intermediate token stream.
//!
//! The same text through roxmltree gives the same tree (`tests/xml_differential.rs`,
//! corpora plus random documents), except where roxmltree deviates from the spec: it
//! keeps CR in comments and PIs, puts internal-subset comments in the tree, keeps empty
//! CDATA as empty text, and reports `xmlns=""` scope as namespace `""`.

mod chars;
pub mod codes;
mod decode;
mod entities;
mod parse;
mod tree;

pub use decode::{decode, error_source};
pub use entities::expand_internal_entities;
#[allow(unused_imports)] // used by the compact-syntax parser
pub(crate) use tree::Builder;
pub use tree::{
    Attribute, Descendants, Document, Error, ErrorKind, ExpandedName, Limit, Node, NodeId,
    NodeKind, ParseOptions,
};

/// The XML namespace (`xml:` prefix).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations (`xmlns:` prefix).
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";
/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_shape_and_spans() {
        let src = "<?xml version=\"1.0\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"en\"><p n=\"1\">a<hi>b</hi>c</p><!--x--><lb/></TEI>";
        let doc = Document::parse(src).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().local, "TEI");
        assert_eq!(root.tag_name().namespace, Some(TEI_NS));
        assert_eq!(root.attribute(Some(XML_NS), "lang"), Some("en"));
        let kids: Vec<_> = root.children().collect();
        assert_eq!(kids.len(), 3);
        let p = kids[0];
        assert_eq!(p.attribute(None, "n"), Some("1"));
        assert_eq!(&src[p.range()], "<p n=\"1\">a<hi>b</hi>c</p>");
        assert_eq!(&src[p.start_tag_range()], "<p n=\"1\">");
        assert_eq!(&src[p.end_tag_range()], "</p>");
        assert_eq!(&src[p.name_range()], "p");
        assert_eq!(p.text_content(), "abc");
        assert_eq!(p.descendants().count(), 5);
        assert_eq!(p.subtree_end().0, p.id().0 + 5);
        let lb = kids[2];
        assert_eq!(&src[lb.range()], "<lb/>");
        assert_eq!(&src[lb.end_tag_range()], "<lb/>");
        assert_eq!(lb.lookup_namespace_uri(None), Some(TEI_NS));
        assert_eq!(kids[1].kind(), NodeKind::Comment);
    }

    #[test]
    fn syntax_errors_are_located() {
        let e = Document::parse("<a>\n<b></a>").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.pos >= 4, "{e:?}");
    }
}
