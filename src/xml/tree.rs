//! The arena tree and its read-only API.
//!
//! The API follows roxmltree's (`Document`, `Node`, `tag_name()`, `attribute()`,
//! `children()`, `descendants()`, `range()`), because it is what Rust XML code reads like,
//! but the storage is ours: nodes in document order in one `Vec`, strings in one pool, so
//! that memory stays a small multiple of the input and every walk is a loop.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;

use crate::prehashed::PreHashedMap;
use std::ops::Range;

/// Index of a node in its [`Document`]. The document node is `NodeId(0)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// The document node (parent of the root element).
    Root,
    /// An element.
    Element,
    /// Character data (text and CDATA sections, references resolved, line ends normalised).
    Text,
    /// A comment.
    Comment,
    /// A processing instruction.
    ProcessingInstruction,
}

/// A namespace URI plus local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExpandedName<'a> {
    /// Namespace URI, `None` for no namespace.
    pub namespace: Option<&'a str>,
    /// Local name.
    pub local: &'a str,
}

impl fmt::Display for ExpandedName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.namespace {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(self.local),
        }
    }
}

/// Resource limits for parsing. The defaults are safe for untrusted input.
///
/// Each limit that is hit is an [`ErrorKind::Limit`] error whose message names the limit
/// and this field. The parser is linear in time and memory whatever the input, so the
/// limits bound work and memory on hostile input rather than protect a weakness.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Largest accepted input in bytes, checked before decoding and on the decoded text
    /// (default 256 MiB). Tree offsets are 32-bit: inputs of 4 GiB or more are refused.
    pub max_input_bytes: usize,
    /// Deepest accepted element nesting (default 100,000). The tree itself has no depth
    /// limit and its walks are loops; this bounds pathological input.
    pub max_depth: usize,
    /// Most attributes (including namespace declarations) on one element (default 100,000).
    pub max_attributes: usize,
    /// Longest accepted element, attribute, entity or PI-target name in bytes (default
    /// 64 KiB).
    pub max_name_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_input_bytes: 256 * 1024 * 1024,
            max_depth: 100_000,
            max_attributes: 100_000,
            max_name_bytes: 64 * 1024,
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The bytes are not in a supported or declared encoding (invalid UTF-8, unknown
    /// encoding, BOM contradicting the declaration …).
    Encoding,
    /// The text is not well-formed XML 1.0 (with namespaces).
    Syntax,
    /// The text is well-formed but uses something teikit refuses for safety (entity
    /// declarations, …).
    Unsupported,
    /// A limit of [`ParseOptions`] was hit.
    Limit,
}

/// Which [`ParseOptions`] limit an [`ErrorKind::Limit`] error hit (so that a front end can
/// say how to raise it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`ParseOptions::max_input_bytes`] (or the fixed 1 GiB ceiling of the tree).
    InputBytes,
    /// [`ParseOptions::max_depth`].
    Depth,
    /// [`ParseOptions::max_attributes`].
    Attributes,
    /// [`ParseOptions::max_name_bytes`].
    NameBytes,
}

/// A located reading error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The class of error.
    pub kind: ErrorKind,
    /// Byte offset in the decoded text (for [`ErrorKind::Encoding`]: in the raw bytes).
    pub pos: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// For [`ErrorKind::Limit`]: which limit.
    pub limit: Option<Limit>,
}

impl Error {
    /// Creates an error.
    pub fn new(kind: ErrorKind, pos: usize, message: impl Into<String>) -> Self {
        Error {
            kind,
            pos,
            message: message.into(),
            limit: None,
        }
    }

    /// Creates an [`ErrorKind::Limit`] error for `limit`.
    pub fn limit_hit(limit: Limit, pos: usize, message: impl Into<String>) -> Self {
        Error {
            limit: Some(limit),
            ..Error::new(ErrorKind::Limit, pos, message)
        }
    }
}

impl Error {
    /// The stable diagnostic code for this error: `XML001` (not well-formed), `XML002`
    /// (encoding), `XML003` (refused for safety) or `LIM001` (a [`ParseOptions`] limit).
    pub fn code(&self) -> &'static crate::diag::Code {
        match self.kind {
            ErrorKind::Syntax => &super::codes::XML_SYNTAX,
            ErrorKind::Encoding => &super::codes::XML_ENCODING,
            ErrorKind::Unsupported => &super::codes::XML_UNSUPPORTED,
            ErrorKind::Limit => &crate::diag::codes::cli::LIMIT,
        }
    }

    /// This error as a diagnostic pointing at `pos` in `file`.
    ///
    /// `file` must hold the text the position refers to: the decoded text for every kind
    /// but [`ErrorKind::Encoding`], whose position is a raw byte offset (for UTF-8 input,
    /// the two agree up to the error).
    pub fn to_diagnostic(&self, file: crate::diag::FileId) -> crate::diag::Diagnostic {
        let d = crate::diag::Diagnostic::error(self.code(), self.message.clone())
            .at(file, self.pos..self.pos);
        match self.kind {
            ErrorKind::Limit => d.with_help(
                "the limits protect against hostile input; raise them only for files you trust",
            ),
            ErrorKind::Unsupported => d.with_help(
                "teikit reads XML 1.0 without DTD entities, so that no document can make it read \
                 files, fetch URLs or expand entity bombs",
            ),
            _ => d,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.pos)
    }
}

impl std::error::Error for Error {}

const NONE: u32 = u32::MAX;
/// Flag on the start of a `strs` range: the range is in `text`, not in `pool`.
const IN_TEXT: u32 = 1 << 31;
/// Largest text the tree can index (offsets are `u32`, and `strs` uses the top bit).
pub(crate) const MAX_TEXT_BYTES: usize = (1 << 30) - 1;

/// 28 bytes per node. Nodes are in document order, so the first child is the next node
/// (when the subtree is not empty) and the next sibling is the node after the subtree
/// (when it is still inside the parent's subtree): neither is stored.
#[derive(Debug, Clone)]
struct NodeData {
    parent: u32,
    prev_sibling: u32,
    /// One past the last descendant.
    subtree_end: u32,
    range: (u32, u32),
    /// Element: index into `elements`; Text/Comment: pool range index into `strs`;
    /// PI: index into `pis`.
    data: u32,
    kind: NodeKind,
}

/// 28 bytes per element. Attributes and namespace declarations of element `i` run from
/// its start to the next element's start (they are appended in document order).
#[derive(Debug, Clone)]
struct ElementData {
    name: u32,
    /// Index into `prefixes`; 0 is "no prefix".
    prefix: u32,
    attrs_start: u32,
    ns_start: u32,
    start_tag_end: u32,
    last_child: u32,
    /// The nearest ancestor-or-self element (node id) that declares namespaces, or
    /// `NONE`: namespace lookups visit only declaring elements, not every ancestor.
    ns_scope: u32,
}

#[derive(Debug, Clone)]
struct AttrData {
    name: u32,
    /// Index into `prefixes`; 0 is "no prefix".
    prefix: u32,
    value: (u32, u32),
    range: (u32, u32),
    value_range: (u32, u32),
}

#[derive(Debug, Clone)]
struct NsDecl {
    /// Pool range of the prefix; empty for the default namespace.
    prefix: (u32, u32),
    /// Pool range of the URI; empty URI undeclares the default namespace.
    uri: (u32, u32),
}

/// A parsed XML document.
#[derive(Clone)]
pub struct Document {
    text: String,
    pool: String,
    nodes: Vec<NodeData>,
    elements: Vec<ElementData>,
    attrs: Vec<AttrData>,
    ns_decls: Vec<NsDecl>,
    /// Interned prefixes (pool ranges); entry 0 is the empty prefix.
    prefixes: Vec<(u32, u32)>,
    /// The document node's last child.
    root_last_child: u32,
    /// Interned expanded names: (namespace pool range or NONE, local pool range).
    names: Vec<((u32, u32), (u32, u32))>,
    /// Text and comment strings: pool ranges, or source ranges flagged with `IN_TEXT`.
    strs: Vec<(u32, u32)>,
    pis: Vec<((u32, u32), (u32, u32))>,
    /// Names of the unparsed entities the internal subset declares (`NDATA`), in order.
    unparsed_entities: Vec<Box<str>>,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("nodes", &self.nodes.len())
            .finish_non_exhaustive()
    }
}

impl Document {
    /// Parses XML text with the default (safe) options.
    pub fn parse(text: &str) -> Result<Document, Error> {
        Self::parse_with(text, &ParseOptions::default())
    }

    /// Parses XML text.
    pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Document, Error> {
        super::parse::parse(text, options)
    }

    /// Decodes raw bytes (BOM, XML declaration; see [`super::decode`]) and parses them.
    pub fn parse_bytes(bytes: &[u8], options: &ParseOptions) -> Result<Document, Error> {
        let text = super::decode(bytes, options)?;
        Self::parse_with(&text, options)
    }

    /// The decoded source text; node ranges index into it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The document node.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            id: NodeId(0),
        }
    }

    /// The root element.
    pub fn root_element(&self) -> Node<'_> {
        self.root()
            .children()
            .find(|n| n.is_element())
            .expect("a parsed document has a root element")
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> Node<'_> {
        assert!(id.index() < self.nodes.len());
        Node { doc: self, id }
    }

    /// Number of nodes (including the document node).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Always false: a document has at least its document node and root element.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// All nodes in document order, the document node first.
    pub fn descendants(&self) -> Descendants<'_> {
        self.root().descendants()
    }

    /// The unparsed entities the DOCTYPE's internal subset declares
    /// (`<!ENTITY name SYSTEM "…" NDATA notation>`), in declaration order, each once. They
    /// are never expanded or loaded: the names only make `ENTITY` attribute values valid.
    pub fn unparsed_entities(&self) -> impl Iterator<Item = &str> {
        self.unparsed_entities.iter().map(|n| &**n)
    }

    /// Whether `name` is an unparsed entity declared in the internal subset.
    pub fn is_unparsed_entity(&self, name: &str) -> bool {
        self.unparsed_entities.iter().any(|n| &**n == name)
    }

    /// Number of distinct expanded element and attribute names (for per-name caches).
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    fn prefix(&self, i: u32) -> Option<&str> {
        (i != 0).then(|| self.s(self.prefixes[i as usize]))
    }

    /// Attribute index range of element `i`.
    fn attr_range(&self, i: usize) -> (u32, u32) {
        let end = self
            .elements
            .get(i + 1)
            .map_or(self.attrs.len() as u32, |e| e.attrs_start);
        (self.elements[i].attrs_start, end)
    }

    /// Namespace-declaration index range of element `i`.
    fn ns_range(&self, i: usize) -> (u32, u32) {
        let end = self
            .elements
            .get(i + 1)
            .map_or(self.ns_decls.len() as u32, |e| e.ns_start);
        (self.elements[i].ns_start, end)
    }

    /// A text or comment string.
    fn str_at(&self, i: u32) -> &str {
        let (s, e) = self.strs[i as usize];
        if s & IN_TEXT != 0 {
            &self.text[(s & !IN_TEXT) as usize..e as usize]
        } else {
            &self.pool[s as usize..e as usize]
        }
    }

    fn s(&self, r: (u32, u32)) -> &str {
        &self.pool[r.0 as usize..r.1 as usize]
    }

    fn name(&self, idx: u32) -> ExpandedName<'_> {
        let (ns, local) = self.names[idx as usize];
        ExpandedName {
            namespace: if ns.0 == NONE { None } else { Some(self.s(ns)) },
            local: self.s(local),
        }
    }
}

/// A node of a [`Document`]. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    doc: &'a Document,
    id: NodeId,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.id == other.id
    }
}

impl Eq for Node<'_> {}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            NodeKind::Element => write!(f, "Element({})", self.tag_name()),
            NodeKind::Text => write!(f, "Text({:?})", self.text().unwrap_or("")),
            k => write!(f, "{k:?}"),
        }
    }
}

impl<'a> Node<'a> {
    fn data(&self) -> &'a NodeData {
        &self.doc.nodes[self.id.index()]
    }

    fn wrap(&self, id: u32) -> Option<Node<'a>> {
        (id != NONE).then_some(Node {
            doc: self.doc,
            id: NodeId(id),
        })
    }

    fn el(&self) -> Option<&'a ElementData> {
        (self.data().kind == NodeKind::Element)
            .then(|| &self.doc.elements[self.data().data as usize])
    }

    /// The node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The document this node belongs to.
    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// What kind of node this is.
    pub fn kind(&self) -> NodeKind {
        self.data().kind
    }

    /// Whether this is an element.
    pub fn is_element(&self) -> bool {
        self.kind() == NodeKind::Element
    }

    /// Whether this is a text node.
    pub fn is_text(&self) -> bool {
        self.kind() == NodeKind::Text
    }

    /// The element's expanded name; for other nodes an empty name.
    pub fn tag_name(&self) -> ExpandedName<'a> {
        match self.el() {
            Some(e) => self.doc.name(e.name),
            None => ExpandedName {
                namespace: None,
                local: "",
            },
        }
    }

    /// A small integer identifying the element's expanded name within this document
    /// (equal names, equal indexes). `None` for non-elements.
    pub fn name_index(&self) -> Option<u32> {
        self.el().map(|e| e.name)
    }

    /// Whether the element has this local name in this namespace.
    pub fn has_tag_name(&self, namespace: Option<&str>, local: &str) -> bool {
        let n = self.tag_name();
        self.is_element() && n.local == local && n.namespace == namespace
    }

    /// The prefix the element was written with, if any.
    pub fn prefix(&self) -> Option<&'a str> {
        let e = self.el()?;
        self.doc.prefix(e.prefix)
    }

    /// The index of this element in `elements`, if it is one.
    fn el_index(&self) -> Option<usize> {
        (self.data().kind == NodeKind::Element).then(|| self.data().data as usize)
    }

    /// The element's attributes in document order (namespace declarations excluded).
    pub fn attributes(&self) -> impl ExactSizeIterator<Item = Attribute<'a>> + 'a {
        let (s, e) = self
            .el_index()
            .map(|i| self.doc.attr_range(i))
            .unwrap_or((0, 0));
        let doc = self.doc;
        (s..e).map(move |i| Attribute {
            doc,
            data: &doc.attrs[i as usize],
        })
    }

    /// The value of the attribute with this namespace and local name.
    pub fn attribute(&self, namespace: Option<&str>, local: &str) -> Option<&'a str> {
        self.attribute_node(namespace, local).map(|a| a.value())
    }

    /// The attribute with this namespace and local name.
    pub fn attribute_node(&self, namespace: Option<&str>, local: &str) -> Option<Attribute<'a>> {
        self.attributes().find(|a| {
            let n = a.name();
            n.local == local && n.namespace == namespace
        })
    }

    /// Namespace declarations made on this element, as `(prefix, uri)`; the default
    /// namespace has prefix `None`, and an empty URI undeclares it.
    pub fn namespace_declarations(&self) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + 'a {
        let (s, e) = self
            .el_index()
            .map(|i| self.doc.ns_range(i))
            .unwrap_or((0, 0));
        let doc = self.doc;
        (s..e).map(move |i| {
            let d = &doc.ns_decls[i as usize];
            let p = doc.s(d.prefix);
            ((!p.is_empty()).then_some(p), doc.s(d.uri))
        })
    }

    /// Resolves a prefix (`None` = default namespace) in this element's scope.
    pub fn lookup_namespace_uri(&self, prefix: Option<&str>) -> Option<&'a str> {
        if prefix == Some("xml") {
            return Some(super::XML_NS);
        }
        for n in self.declaring_scopes() {
            for (p, uri) in n.namespace_declarations() {
                if p == prefix {
                    return (!uri.is_empty()).then_some(uri);
                }
            }
        }
        None
    }

    /// All in-scope namespace bindings `(prefix, uri)`, innermost first, without the
    /// implicit `xml` binding; undeclarations are omitted.
    pub fn in_scope_namespaces(&self) -> Vec<(Option<&'a str>, &'a str)> {
        let mut seen: Vec<Option<&str>> = Vec::new();
        let mut out = Vec::new();
        for n in self.declaring_scopes() {
            for (p, uri) in n.namespace_declarations() {
                if !seen.contains(&p) {
                    seen.push(p);
                    if !uri.is_empty() {
                        out.push((p, uri));
                    }
                }
            }
        }
        out
    }

    /// The ancestor-or-self elements that declare namespaces, innermost first (one step
    /// each, however deep the tree).
    fn declaring_scopes(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let doc = self.doc;
        let scope_of = move |n: Node<'a>| -> u32 {
            let el = if n.is_element() {
                Some(n)
            } else {
                n.parent_element()
            };
            el.and_then(|e| e.el()).map_or(NONE, |e| e.ns_scope)
        };
        let first = scope_of(*self);
        std::iter::successors((first != NONE).then_some(first), move |&id| {
            let n = Node {
                doc,
                id: NodeId(id),
            };
            let next = n.parent().map_or(NONE, scope_of);
            (next != NONE).then_some(next)
        })
        .map(move |id| Node {
            doc,
            id: NodeId(id),
        })
    }

    /// The text of a text node (references resolved, line ends normalised); the target's
    /// data for a processing instruction; the comment's text. `None` for elements.
    pub fn text(&self) -> Option<&'a str> {
        match self.kind() {
            NodeKind::Text | NodeKind::Comment => Some(self.doc.str_at(self.data().data)),
            NodeKind::ProcessingInstruction => {
                Some(self.doc.s(self.doc.pis[self.data().data as usize].1))
            }
            _ => None,
        }
    }

    /// The target of a processing instruction.
    pub fn pi_target(&self) -> Option<&'a str> {
        (self.kind() == NodeKind::ProcessingInstruction)
            .then(|| self.doc.s(self.doc.pis[self.data().data as usize].0))
    }

    /// The concatenated text of all descendant text nodes.
    pub fn text_content(&self) -> String {
        let mut s = String::new();
        for n in self.descendants() {
            if n.is_text() {
                s.push_str(n.text().unwrap_or(""));
            }
        }
        s
    }

    /// The parent node.
    pub fn parent(&self) -> Option<Node<'a>> {
        self.wrap(self.data().parent)
    }

    /// The parent element (`None` for the root element).
    pub fn parent_element(&self) -> Option<Node<'a>> {
        self.parent().filter(|p| p.is_element())
    }

    /// The next sibling.
    pub fn next_sibling(&self) -> Option<Node<'a>> {
        let d = self.data();
        let parent = self.doc.nodes.get(d.parent as usize)?;
        (d.subtree_end < parent.subtree_end).then_some(Node {
            doc: self.doc,
            id: NodeId(d.subtree_end),
        })
    }

    /// The previous sibling.
    pub fn prev_sibling(&self) -> Option<Node<'a>> {
        self.wrap(self.data().prev_sibling)
    }

    /// The first child.
    pub fn first_child(&self) -> Option<Node<'a>> {
        self.has_children().then_some(Node {
            doc: self.doc,
            id: NodeId(self.id.0 + 1),
        })
    }

    /// The last child.
    pub fn last_child(&self) -> Option<Node<'a>> {
        match self.kind() {
            NodeKind::Root => self.wrap(self.doc.root_last_child),
            NodeKind::Element => self.wrap(self.el()?.last_child),
            _ => None,
        }
    }

    /// Whether the node has children.
    pub fn has_children(&self) -> bool {
        self.data().subtree_end > self.id.0 + 1
    }

    /// The children in order.
    pub fn children(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let first = self.first_child();
        std::iter::successors(first, |n| n.next_sibling())
    }

    /// The element children in order.
    pub fn element_children(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        self.children().filter(|n| n.is_element())
    }

    /// The ancestors, starting with the parent.
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(self.parent(), |n| n.parent())
    }

    /// This node and its descendants in document order (a loop over a contiguous range).
    pub fn descendants(&self) -> Descendants<'a> {
        Descendants {
            doc: self.doc,
            next: self.id.0,
            end: self.data().subtree_end,
        }
    }

    /// One past the id of the last descendant: descendants are `id+1 .. subtree_end`.
    pub fn subtree_end(&self) -> NodeId {
        NodeId(self.data().subtree_end)
    }

    /// Byte range of the whole node in [`Document::text`] (for elements: start tag to end
    /// tag inclusive).
    pub fn range(&self) -> Range<usize> {
        let (s, e) = self.data().range;
        s as usize..e as usize
    }

    /// Byte range of an element's start tag (`<p rend="x">`, or the whole empty-element tag).
    pub fn start_tag_range(&self) -> Range<usize> {
        match self.el() {
            Some(e) => self.data().range.0 as usize..e.start_tag_end as usize,
            None => self.range(),
        }
    }

    /// Byte range of the element's name in its start tag (after `<`).
    pub fn name_range(&self) -> Range<usize> {
        let start = self.data().range.0 as usize + 1;
        let len = match self.el() {
            Some(e) => {
                let p = self.doc.prefix(e.prefix).map_or(0, |p| p.len() as u32);
                let l = self.tag_name().local.len() as u32;
                (if p > 0 { p + 1 } else { 0 } + l) as usize
            }
            None => 0,
        };
        start..start + len
    }

    /// Byte range of the end tag (`</p>`); for an empty-element tag, the whole tag.
    pub fn end_tag_range(&self) -> Range<usize> {
        let r = self.range();
        match self.el() {
            Some(e) if e.start_tag_end as usize == r.end => self.start_tag_range(),
            Some(_) => {
                let text = &self.doc.text[..r.end];
                let start = text.rfind("</").unwrap_or(r.start);
                start..r.end
            }
            None => r,
        }
    }
}

/// An attribute of an element.
#[derive(Clone, Copy)]
pub struct Attribute<'a> {
    doc: &'a Document,
    data: &'a AttrData,
}

impl fmt::Debug for Attribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={:?}", self.name(), self.value())
    }
}

impl<'a> Attribute<'a> {
    /// The expanded name.
    pub fn name(&self) -> ExpandedName<'a> {
        self.doc.name(self.data.name)
    }

    /// A small integer identifying the expanded name within the document.
    pub fn name_index(&self) -> u32 {
        self.data.name
    }

    /// The prefix the attribute was written with.
    pub fn prefix(&self) -> Option<&'a str> {
        self.doc.prefix(self.data.prefix)
    }

    /// The normalised value (references resolved, whitespace normalised as XML 1.0 §3.3.3
    /// says for CDATA attributes).
    pub fn value(&self) -> &'a str {
        self.doc.s(self.data.value)
    }

    /// Byte range of the whole attribute (`name="value"`).
    pub fn range(&self) -> Range<usize> {
        self.data.range.0 as usize..self.data.range.1 as usize
    }

    /// Byte range of the value between the quotes.
    pub fn value_range(&self) -> Range<usize> {
        self.data.value_range.0 as usize..self.data.value_range.1 as usize
    }
}

/// Iterator over a node and its descendants in document order.
#[derive(Clone)]
pub struct Descendants<'a> {
    doc: &'a Document,
    next: u32,
    end: u32,
}

impl<'a> Iterator for Descendants<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        if self.next >= self.end {
            return None;
        }
        let n = Node {
            doc: self.doc,
            id: NodeId(self.next),
        };
        self.next += 1;
        Some(n)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (self.end - self.next) as usize;
        (n, Some(n))
    }
}

/// Builds a [`Document`] from parser events. Used by the parser; the tree's invariants
/// (document order, sibling links, subtree ends) are maintained here and nowhere else.
pub(crate) struct Builder {
    doc: Document,
    /// Open elements (node ids), the document node at the bottom.
    stack: Vec<u32>,
    /// The last child so far of each open node on `stack`.
    last: Vec<u32>,
    /// Hash of an expanded name (foldhash, seeded per process, so that nobody can
    /// precompute colliding names) → the last name interned with that hash.
    name_map: PreHashedMap<u32>,
    /// Per name: the previous name with the same hash (collision chain).
    name_next: Vec<u32>,
    prefix_map: HashMap<Box<str>, u32>,
    hasher: foldhash::fast::RandomState,
    pending_attrs: Vec<AttrData>,
}

impl Builder {
    pub(crate) fn new(text: String) -> Self {
        let cap = text.len() / 16;
        let mut doc = Document {
            text,
            pool: String::with_capacity(cap),
            nodes: Vec::with_capacity(cap / 4),
            elements: Vec::new(),
            attrs: Vec::new(),
            ns_decls: Vec::new(),
            prefixes: vec![(0, 0)],
            root_last_child: NONE,
            names: Vec::new(),
            strs: Vec::new(),
            pis: Vec::new(),
            unparsed_entities: Vec::new(),
        };
        doc.nodes.push(NodeData {
            kind: NodeKind::Root,
            parent: NONE,
            prev_sibling: NONE,
            subtree_end: 1,
            range: (0, 0),
            data: NONE,
        });
        Builder {
            doc,
            stack: vec![0],
            last: vec![NONE],
            name_map: HashMap::default(),
            name_next: Vec::new(),
            prefix_map: HashMap::new(),
            hasher: foldhash::fast::RandomState::default(),
            pending_attrs: Vec::new(),
        }
    }

    /// The source text.
    #[allow(dead_code)] // part of the Builder contract (the compact-syntax parser)
    pub(crate) fn text(&self) -> &str {
        &self.doc.text
    }

    /// Current element depth (0 = at document level).
    #[allow(dead_code)] // part of the Builder contract (the compact-syntax parser)
    pub(crate) fn depth(&self) -> usize {
        self.stack.len() - 1
    }

    fn push_str(&mut self, s: &str) -> (u32, u32) {
        let start = self.doc.pool.len() as u32;
        self.doc.pool.push_str(s);
        (start, self.doc.pool.len() as u32)
    }

    /// Interns an expanded name: a hash of the borrowed strings finds the chain of names
    /// with that hash, compared against the pool, so a hit allocates nothing.
    fn intern(&mut self, ns: Option<&str>, local: &str) -> u32 {
        let h = self.hasher.hash_one((ns, local));
        let mut cur = self.name_map.get(&h).copied().unwrap_or(NONE);
        while cur != NONE {
            let n = self.doc.name(cur);
            if n.local == local && n.namespace == ns {
                return cur;
            }
            cur = self.name_next[cur as usize];
        }
        let nsr = match ns {
            Some(ns) => self.push_str(ns),
            None => (NONE, NONE),
        };
        let lr = self.push_str(local);
        let i = self.doc.names.len() as u32;
        self.doc.names.push((nsr, lr));
        let head = self.name_map.insert(h, i).unwrap_or(NONE);
        self.name_next.push(head);
        i
    }

    /// Interns a prefix; the empty prefix is 0.
    fn intern_prefix(&mut self, prefix: &str) -> u32 {
        if prefix.is_empty() {
            return 0;
        }
        if let Some(&i) = self.prefix_map.get(prefix) {
            return i;
        }
        let r = self.push_str(prefix);
        let i = self.doc.prefixes.len() as u32;
        self.doc.prefixes.push(r);
        self.prefix_map.insert(prefix.into(), i);
        i
    }

    fn add_node(&mut self, kind: NodeKind, range: Range<usize>, data: u32) -> u32 {
        let id = self.doc.nodes.len() as u32;
        let parent = *self.stack.last().expect("document node");
        let last = self.last.last_mut().expect("document node");
        let prev = *last;
        *last = id;
        self.doc.nodes.push(NodeData {
            kind,
            parent,
            prev_sibling: prev,
            subtree_end: id + 1,
            range: (range.start as u32, range.end as u32),
            data,
        });
        id
    }

    /// Queues an attribute for the next [`Builder::start_element`].
    pub(crate) fn attribute(
        &mut self,
        ns: Option<&str>,
        local: &str,
        prefix: &str,
        value: &str,
        range: Range<usize>,
        value_range: Range<usize>,
    ) {
        let name = self.intern(ns, local);
        let prefix = self.intern_prefix(prefix);
        let value = self.push_str(value);
        self.pending_attrs.push(AttrData {
            name,
            prefix,
            value,
            range: (range.start as u32, range.end as u32),
            value_range: (value_range.start as u32, value_range.end as u32),
        });
    }

    /// Opens an element with the queued attributes and these namespace declarations.
    /// `range` is the start tag's range; it grows to the end tag on [`Builder::end_element`].
    pub(crate) fn start_element(
        &mut self,
        ns: Option<&str>,
        local: &str,
        prefix: &str,
        ns_decls: &[(&str, &str)],
        start_tag: Range<usize>,
        empty: bool,
    ) {
        let name = self.intern(ns, local);
        let prefix = self.intern_prefix(prefix);
        let attrs_start = self.doc.attrs.len() as u32;
        self.doc.attrs.append(&mut self.pending_attrs);
        let ns_start = self.doc.ns_decls.len() as u32;
        for (p, u) in ns_decls {
            let prefix = self.push_str(p);
            let uri = self.push_str(u);
            self.doc.ns_decls.push(NsDecl { prefix, uri });
        }
        let ei = self.doc.elements.len() as u32;
        let parent = *self.stack.last().expect("document node");
        let ns_scope = if !ns_decls.is_empty() {
            self.doc.nodes.len() as u32
        } else if parent == 0 {
            NONE
        } else {
            let pe = self.doc.nodes[parent as usize].data as usize;
            self.doc.elements[pe].ns_scope
        };
        self.doc.elements.push(ElementData {
            name,
            prefix,
            attrs_start,
            ns_start,
            start_tag_end: start_tag.end as u32,
            last_child: NONE,
            ns_scope,
        });
        let id = self.add_node(NodeKind::Element, start_tag.clone(), ei);
        self.stack.push(id);
        self.last.push(NONE);
        if empty {
            self.end_element(start_tag.end);
        }
    }

    /// Closes the innermost open element; `end` is the byte after its end tag.
    pub(crate) fn end_element(&mut self, end: usize) {
        if self.stack.len() <= 1 {
            return; // nothing open: the document node is never closed here
        }
        let id = self.stack.pop().expect("open element");
        let last = self.last.pop().unwrap_or(NONE);
        let n = self.doc.nodes.len() as u32;
        let node = &mut self.doc.nodes[id as usize];
        node.range.1 = end as u32;
        node.subtree_end = n;
        let ei = node.data as usize;
        self.doc.elements[ei].last_child = last;
    }

    /// Adds character data. Adjacent text (e.g. text, CDATA, text) is merged into one node.
    pub(crate) fn text_node(&mut self, text: &str, range: Range<usize>) {
        if text.is_empty() {
            return;
        }
        let last = *self.last.last().expect("document node");
        if last != NONE && self.doc.nodes[last as usize].kind == NodeKind::Text {
            // Merge: strings of a text node are contiguous at the end of the pool only if
            // it was the last thing pushed; otherwise copy (from the pool or the source).
            let si = self.doc.nodes[last as usize].data as usize;
            let (s, e) = self.doc.strs[si];
            if s & IN_TEXT == 0 && e as usize == self.doc.pool.len() {
                self.doc.pool.push_str(text);
                self.doc.strs[si].1 = self.doc.pool.len() as u32;
            } else {
                let old = self.doc.str_at(si as u32).to_string();
                let r0 = self.push_str(&old);
                let r1 = self.push_str(text);
                self.doc.strs[si] = (r0.0, r1.1);
            }
            self.doc.nodes[last as usize].range.1 = range.end as u32;
            return;
        }
        let r = self.push_str(text);
        let si = self.doc.strs.len() as u32;
        self.doc.strs.push(r);
        self.add_node(NodeKind::Text, range, si);
    }

    /// Adds character data that is exactly `range` of the source text (no reference, no
    /// line end to normalise): it is stored as that range, not copied.
    pub(crate) fn text_node_source(&mut self, range: Range<usize>) {
        if range.is_empty() || range.end > MAX_TEXT_BYTES || range.end > self.doc.text.len() {
            let text = self.doc.text.get(range.clone()).unwrap_or("").to_string();
            return self.text_node(&text, range);
        }
        let last = *self.last.last().expect("document node");
        if last != NONE && self.doc.nodes[last as usize].kind == NodeKind::Text {
            let text = self.doc.text[range.clone()].to_string();
            return self.text_node(&text, range);
        }
        let si = self.doc.strs.len() as u32;
        self.doc
            .strs
            .push((range.start as u32 | IN_TEXT, range.end as u32));
        self.add_node(NodeKind::Text, range, si);
    }

    /// Adds a comment.
    pub(crate) fn comment(&mut self, text: &str, range: Range<usize>) {
        let r = self.push_str(text);
        let si = self.doc.strs.len() as u32;
        self.doc.strs.push(r);
        self.add_node(NodeKind::Comment, range, si);
    }

    /// Adds a processing instruction.
    pub(crate) fn pi(&mut self, target: &str, data: &str, range: Range<usize>) {
        let t = self.push_str(target);
        let d = self.push_str(data);
        let pi = self.doc.pis.len() as u32;
        self.doc.pis.push((t, d));
        self.add_node(NodeKind::ProcessingInstruction, range, pi);
    }

    /// Records an unparsed entity's name (the first declaration binds; later ones of the
    /// same name are ignored, as XML 1.0 §4.2 says).
    pub(crate) fn add_unparsed_entity(&mut self, name: &str) {
        if !self.is_unparsed_entity(name) {
            self.doc.unparsed_entities.push(name.into());
        }
    }

    /// Whether an unparsed entity of this name was recorded.
    pub(crate) fn is_unparsed_entity(&self, name: &str) -> bool {
        self.doc.is_unparsed_entity(name)
    }

    /// Finishes the document. Elements still open (a caller that stops early) are closed
    /// at the end of the text, so the tree's invariants hold whatever the caller did.
    pub(crate) fn finish(mut self) -> Document {
        let end = self.doc.text.len();
        while self.stack.len() > 1 {
            self.end_element(end);
        }
        let n = self.doc.nodes.len() as u32;
        self.doc.nodes[0].subtree_end = n;
        self.doc.nodes[0].range = (0, self.doc.text.len() as u32);
        self.doc.root_last_child = self.last.first().copied().unwrap_or(NONE);
        self.doc
    }
}
