//! The XML reader every stage uses: bytes → decoded text → an arena tree with byte spans.
//!
//! Untrusted input is the normal case, so the reader is safe by default: it never expands
//! entities declared in a DTD, never loads an external DTD, entity or XInclude, and has
//! limits on input size, nesting depth and attribute count (see [`ParseOptions`]).
//!
//! The tree is stored flat, in document order: a node's descendants are the nodes that
//! follow it up to [`Node::subtree_end`], so walks are loops, never recursion, and a
//! million-deep document cannot overflow the stack.
//!
//! Positions are byte offsets into [`Document::text`] (the decoded source). Line and column
//! are computed only when a diagnostic is rendered.

mod chars;
pub mod codes;
mod decode;
mod parse;
mod tree;

pub use decode::decode;
#[allow(unused_imports)] // used by the compact-syntax parser
pub(crate) use tree::Builder;
pub use tree::{
    Attribute, Descendants, Document, Error, ErrorKind, ExpandedName, Node, NodeId, NodeKind,
    ParseOptions,
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
