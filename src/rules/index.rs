//! What every rule needs to know about a document: its ids, its pointer attributes split into
//! tokens with exact spans, the `prefixDef`s that expand prefixed pointers, and a few facts
//! (is it a teikit edition, does it have a register of its own).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use super::{RuleOptions, in_tei, is_tei_element};
use crate::diag::FileId;
use crate::xml::{Attribute, Document, Node, NodeId, TEI_NS, XML_NS};

/// Attributes whose values are TEI pointers (`teidata.pointer`, space-separated lists).
pub(crate) const POINTER_ATTRIBUTES: &[&str] = &[
    "ref", "corresp", "target", "source", "resp", "who", "calendar", "spanTo", "sameAs", "copyOf",
    "prev", "next",
];

/// Pointer attributes that name persons, places and other register entries: in a document
/// without a register they are taken to address an external one (RUL002).
pub(crate) const NAME_POINTER_ATTRIBUTES: &[&str] = &["ref", "resp", "who", "sameAs"];

/// Elements whose `xml:id`-bearing children are register entries.
pub(crate) const REGISTER_LISTS: &[&str] = &[
    "listPerson",
    "listPlace",
    "listOrg",
    "listBibl",
    "listEvent",
    "listObject",
    "listNym",
    "personGrp",
    "particDesc",
    "settingDesc",
];

/// What a pointer token addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointerKind<'t> {
    /// An element of this document, by `xml:id` (without the `#`). May be empty (`"#"`).
    Local(Cow<'t, str>),
    /// Anything else: an absolute URI, another file (`register.xml#p1`), an undeclared prefix.
    External,
}

/// The id a bare local pointer (`#id`) names, if the token is one.
pub fn local_id(token: &str) -> Option<&str> {
    token.strip_prefix('#')
}

/// One whitespace-separated token of an attribute value, with its span in the source text.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub span: Range<usize>,
}

/// A `prefixDef`: `ident:rest` → `replacementPattern` when `rest` matches `matchPattern`.
struct PrefixDef {
    ident: String,
    pattern: regex::Regex,
    replacement: String,
}

/// The shared index of one document.
pub(crate) struct Context<'a> {
    pub doc: &'a Document,
    pub file: FileId,
    pub options: &'a RuleOptions,
    /// `xml:id` → the first element that defines it.
    pub ids: HashMap<&'a str, NodeId>,
    /// Later definitions of an id: (the attribute, the first definer).
    pub duplicate_ids: Vec<(Attribute<'a>, NodeId)>,
    prefixes: Vec<PrefixDef>,
    /// Whether the document says it was written by teikit (`appInfo/application[@ident='teikit']`).
    pub teikit: bool,
    /// Whether the document has register entries of its own.
    pub has_register: bool,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document, file: FileId, options: &'a RuleOptions) -> Self {
        let mut ids: HashMap<&'a str, NodeId> = HashMap::new();
        let mut duplicate_ids = Vec::new();
        let mut prefixes = Vec::new();
        let mut teikit = false;
        let mut has_register = false;
        for n in doc.root().descendants() {
            if !n.is_element() {
                continue;
            }
            if let Some(a) = n.attribute_node(Some(XML_NS), "id") {
                let id = a.value().trim();
                match ids.get(id) {
                    Some(&first) => duplicate_ids.push((a, first)),
                    None => {
                        ids.insert(id, n.id());
                    }
                }
                if !has_register
                    && n.parent_element()
                        .is_some_and(|p| in_tei(&p) && REGISTER_LISTS.contains(&p.tag_name().local))
                {
                    has_register = true;
                }
            }
            if is_tei_element(&n, "prefixDef") {
                if let Some(p) = prefix_def(&n) {
                    prefixes.push(p);
                }
            } else if is_tei_element(&n, "application")
                && n.attribute(None, "ident") == Some("teikit")
            {
                teikit = true;
            }
        }
        Context {
            doc,
            file,
            options,
            ids,
            duplicate_ids,
            prefixes,
            teikit,
            has_register,
        }
    }

    /// The element with this `xml:id`.
    pub fn by_id(&self, id: &str) -> Option<Node<'a>> {
        self.ids.get(id).map(|&n| self.doc.node(n))
    }

    /// Classifies a pointer token, expanding declared prefixes.
    pub fn classify<'t>(&self, token: &'t str) -> PointerKind<'t> {
        if let Some(id) = local_id(token) {
            return PointerKind::Local(Cow::Borrowed(id));
        }
        let Some((prefix, rest)) = token.split_once(':') else {
            return PointerKind::External;
        };
        for def in self.prefixes.iter().filter(|d| d.ident == prefix) {
            if let Some(caps) = def.pattern.captures(rest) {
                let expanded = expand(&def.replacement, &caps);
                return match local_id(&expanded) {
                    Some(id) => PointerKind::Local(Cow::Owned(id.to_string())),
                    None => PointerKind::External,
                };
            }
        }
        PointerKind::External
    }

    /// The tokens of an attribute value with their spans in the source text.
    pub fn tokens(&self, attr: &Attribute<'a>) -> Vec<Token<'a>> {
        let value = attr.value();
        let vr = attr.value_range();
        let raw = self.doc.text().get(vr.clone()).unwrap_or("");
        let mut out = Vec::new();
        let mut search_from = 0;
        let mut pos = 0;
        for tok in value.split(is_xml_space) {
            let start_in_value = pos;
            pos += tok.len() + 1;
            if tok.is_empty() {
                continue;
            }
            // Fast path: the raw text is the value (no references, no CR LF).
            let span = if raw.len() == value.len() {
                vr.start + start_in_value..vr.start + start_in_value + tok.len()
            } else if let Some(i) = raw.get(search_from..).and_then(|r| r.find(tok)) {
                search_from += i + tok.len();
                vr.start + search_from - tok.len()..vr.start + search_from
            } else {
                vr.clone()
            };
            out.push(Token { text: tok, span });
        }
        out
    }

    /// The TEI elements of the document, in order.
    pub fn tei_elements(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        self.doc.root().descendants().filter(in_tei)
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn prefix_def(n: &Node<'_>) -> Option<PrefixDef> {
    let ident = n.attribute(None, "ident")?.trim().to_string();
    let pattern = n.attribute(None, "matchPattern")?;
    let replacement = n.attribute(None, "replacementPattern")?.to_string();
    // matchPattern is an XSD-style regular expression, implicitly anchored. The common ones
    // (`([a-z]+)`, `(.+)`, `([0-9]+)`) mean the same in the `regex` crate's syntax; a pattern
    // it cannot read leaves the prefix undeclared (its pointers count as external).
    let pattern = regex::Regex::new(&format!("^(?:{pattern})$")).ok()?;
    Some(PrefixDef {
        ident,
        pattern,
        replacement,
    })
}

/// Replaces `$1` … `$9` with the captured groups, as `replacementPattern` says.
fn expand(replacement: &str, caps: &regex::Captures<'_>) -> String {
    let mut out = String::with_capacity(replacement.len());
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                out.push_str(caps.get(d as usize).map(|m| m.as_str()).unwrap_or(""));
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// For every node of the document, the nearest ancestor-or-self element for which `pred`
/// holds, computed in one pass in document order: no per-node walk up the ancestors, so the
/// cost stays linear however deep the input nests.
pub(crate) fn nearest_all(doc: &Document, pred: impl Fn(&Node<'_>) -> bool) -> Vec<Option<NodeId>> {
    let mut out = vec![None; doc.len()];
    // Open matching elements: (id, one past their last descendant).
    let mut open: Vec<(NodeId, u32)> = Vec::new();
    for node in doc.root().descendants() {
        let id = node.id();
        while open.last().is_some_and(|&(_, end)| id.0 >= end) {
            open.pop();
        }
        if node.is_element() && pred(&node) {
            open.push((id, node.subtree_end().0));
        }
        if let Some(slot) = out.get_mut(id.index()) {
            *slot = open.last().map(|&(a, _)| a);
        }
    }
    out
}

/// Whether a node is a TEI element with one of these local names.
pub(crate) fn tei_named(n: &Node<'_>, names: &[&str]) -> bool {
    n.tag_name().namespace == Some(TEI_NS) && names.contains(&n.tag_name().local)
}

/// Whether `inner` lies in the subtree of `outer` (or is it).
pub(crate) fn within(inner: NodeId, outer: &Node<'_>) -> bool {
    inner.0 >= outer.id().0 && inner.0 < outer.subtree_end().0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx_for(doc: &Document, f: impl FnOnce(&Context<'_>)) {
        let opts = RuleOptions::default();
        let cx = Context::new(doc, FileId(0), &opts);
        f(&cx)
    }

    #[test]
    fn tokens_have_exact_spans_even_with_references() {
        let src = "<TEI xmlns='http://www.tei-c.org/ns/1.0'><p corresp='&#x23;a\r\n  #b'/></TEI>";
        let doc = Document::parse(src).unwrap();
        cx_for(&doc, |cx| {
            let p = doc.root_element().first_child().unwrap();
            let a = p.attribute_node(None, "corresp").unwrap();
            let toks = cx.tokens(&a);
            assert_eq!(toks.len(), 2);
            assert_eq!(&src[toks[1].span.clone()], "#b");
        });
    }

    #[test]
    fn nearest_all_finds_the_nearest_matching_ancestor() {
        let src =
            "<TEI xmlns='http://www.tei-c.org/ns/1.0'><div><p/><div><p/></div><p/></div><p/></TEI>";
        let doc = Document::parse(src).unwrap();
        let map = nearest_all(&doc, |n| tei_named(n, &["div"]));
        let names: Vec<(String, Option<u32>)> = doc
            .root()
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| {
                (
                    n.tag_name().local.to_string(),
                    map[n.id().index()].map(|i| i.0),
                )
            })
            .collect();
        // TEI(1) div(2) p(3) div(4) p(5) p(6) p(7)
        assert_eq!(
            names.iter().map(|(_, d)| *d).collect::<Vec<_>>(),
            vec![None, Some(2), Some(2), Some(4), Some(4), Some(2), None]
        );
    }

    #[test]
    fn prefixes_expand_to_local_pointers() {
        let src = r##"<TEI xmlns='http://www.tei-c.org/ns/1.0'><listPrefixDef>
            <prefixDef ident="psn" matchPattern="([a-z]+)" replacementPattern="#p-$1"/>
            <prefixDef ident="reg" matchPattern="(.+)" replacementPattern="register.xml#$1"/>
            </listPrefixDef></TEI>"##;
        let doc = Document::parse(src).unwrap();
        cx_for(&doc, |cx| {
            assert_eq!(
                cx.classify("psn:serge"),
                PointerKind::Local("p-serge".into())
            );
            assert_eq!(cx.classify("psn:Serge1"), PointerKind::External);
            assert_eq!(cx.classify("reg:x"), PointerKind::External);
            assert_eq!(cx.classify("https://x.org/#a"), PointerKind::External);
            assert_eq!(cx.classify("other.xml#a"), PointerKind::External);
            assert_eq!(cx.classify("#a"), PointerKind::Local("a".into()));
        });
    }
}
