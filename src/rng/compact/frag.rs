//! XML fragments: the values the translation of Appendix A computes.
//!
//! The parser builds elements into an arena ([`Frag`]) because the translation often
//! decides an element's parent or its attributes only after parsing its content (a
//! choice is known to be a choice only at the first `|`; initial annotations come before
//! the element they annotate). Once the whole schema is parsed, [`Frag::emit`] writes the
//! tree into an [`xml::Document`](crate::xml::Document) through the crate's
//! [`Builder`](crate::xml::Builder), walking with an explicit stack.
//!
//! The arena is built for speed on large schemas: names are interned, strings live in
//! one pool, and children and attributes are linked lists threaded through the arena, so
//! an element costs no allocation of its own. A sequence of sibling elements (the
//! specification's `Elements` values) is a [`Seq`], a chain of nodes linked by their
//! `next` field; concatenating two is constant time. Every node is in at most one chain
//! at a time, because every fragment of the translation is used exactly once.

use std::collections::HashMap;
use std::ops::Range;

use crate::xml::{Builder, Document};

const NONE: u32 = u32::MAX;

/// Index of a node (element or text) in a [`Frag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ElemId(u32);

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Sym(u32);

/// A qualified name: namespace URI (`None` = no namespace), local name, prefix to write it
/// with (the empty string for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct QName {
    pub(crate) ns: Option<Sym>,
    pub(crate) local: Sym,
    pub(crate) prefix: Sym,
}

/// A range of [`Frag`]'s string pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PoolStr(u32, u32);

/// A source span as two `u32`s (files are limited to 4 GiB, as in the XML tree), to
/// keep nodes small: large schemas make hundreds of thousands of them.
#[derive(Debug, Clone, Copy)]
struct Span(u32, u32);

impl Span {
    fn new(r: Range<usize>) -> Span {
        Span(r.start as u32, r.end as u32)
    }

    fn range(self) -> Range<usize> {
        self.0 as usize..self.1 as usize
    }
}

#[derive(Debug)]
struct Node {
    /// `None` for a text node.
    name: Option<QName>,
    /// Text of a text node.
    text: PoolStr,
    span: Span,
    head_end: u32,
    first_child: u32,
    last_child: u32,
    next: u32,
    first_attr: u32,
    last_attr: u32,
}

#[derive(Debug)]
struct AttrNode {
    name: QName,
    value: PoolStr,
    span: Span,
    value_span: Span,
    next: u32,
}

/// A chain of sibling elements (possibly empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seq {
    first: u32,
    last: u32,
}

impl Seq {
    pub(crate) const EMPTY: Seq = Seq {
        first: NONE,
        last: NONE,
    };

    pub(crate) fn is_empty(self) -> bool {
        self.first == NONE
    }

    pub(crate) fn first(self) -> Option<ElemId> {
        (self.first != NONE).then_some(ElemId(self.first))
    }
}

/// A chain of attributes (possibly empty), not yet on an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attrs {
    first: u32,
    last: u32,
}

impl Attrs {
    pub(crate) const EMPTY: Attrs = Attrs {
        first: NONE,
        last: NONE,
    };

    pub(crate) fn is_empty(self) -> bool {
        self.first == NONE
    }
}

/// The arena.
#[derive(Debug)]
pub(crate) struct Frag {
    nodes: Vec<Node>,
    attrs: Vec<AttrNode>,
    syms: Vec<Box<str>>,
    sym_map: HashMap<Box<str>, Sym>,
    pool: String,
}

/// Names the translation uses all the time, interned first so that [`Frag::sym`] finds
/// them without hashing: `KNOWN[i]` is `Sym(i)`.
const KNOWN: &[&str] = &[
    "",
    "element",
    "attribute",
    "name",
    "ref",
    "group",
    "choice",
    "interleave",
    "optional",
    "zeroOrMore",
    "oneOrMore",
    "text",
    "empty",
    "value",
    "data",
    "param",
    "type",
    "datatypeLibrary",
    "ns",
    "define",
    "start",
    "combine",
    "documentation",
];

fn known(s: &str) -> Option<u32> {
    Some(match s {
        "" => 0,
        "element" => 1,
        "attribute" => 2,
        "name" => 3,
        "ref" => 4,
        "group" => 5,
        "choice" => 6,
        "interleave" => 7,
        "optional" => 8,
        "zeroOrMore" => 9,
        "oneOrMore" => 10,
        "text" => 11,
        "empty" => 12,
        "value" => 13,
        "data" => 14,
        "param" => 15,
        "type" => 16,
        "datatypeLibrary" => 17,
        "ns" => 18,
        "define" => 19,
        "start" => 20,
        "combine" => 21,
        "documentation" => 22,
        _ => return None,
    })
}

impl Frag {
    /// An arena sized for a file of `tokens` tokens (each element of the translation
    /// comes from at least one token, nearly always).
    pub(crate) fn with_capacity(tokens: usize, source_len: usize) -> Self {
        let mut f = Frag {
            nodes: Vec::with_capacity(tokens + 16),
            attrs: Vec::with_capacity(tokens / 2 + 16),
            syms: Vec::new(),
            sym_map: HashMap::new(),
            pool: String::with_capacity(source_len / 2),
        };
        for k in KNOWN {
            let y = Sym(f.syms.len() as u32);
            f.syms.push((*k).into());
            f.sym_map.insert((*k).into(), y);
        }
        f
    }

    // ----- strings ------------------------------------------------------------------

    pub(crate) fn sym(&mut self, s: &str) -> Sym {
        if let Some(i) = known(s) {
            return Sym(i);
        }
        if let Some(&y) = self.sym_map.get(s) {
            return y;
        }
        let y = Sym(self.syms.len() as u32);
        self.syms.push(s.into());
        self.sym_map.insert(s.into(), y);
        y
    }

    pub(crate) fn sym_str(&self, y: Sym) -> &str {
        &self.syms[y.0 as usize]
    }

    /// Appends `s` to the pool.
    pub(crate) fn pool(&mut self, s: &str) -> PoolStr {
        let start = self.pool.len() as u32;
        self.pool.push_str(s);
        PoolStr(start, self.pool.len() as u32)
    }

    /// Extends the last pooled string `p` (which must end the pool) with `s`.
    pub(crate) fn pool_extend(&mut self, p: PoolStr, s: &str) -> PoolStr {
        debug_assert_eq!(p.1 as usize, self.pool.len());
        self.pool.push_str(s);
        PoolStr(p.0, self.pool.len() as u32)
    }

    pub(crate) fn pool_str(&self, p: PoolStr) -> &str {
        &self.pool[p.0 as usize..p.1 as usize]
    }

    // ----- nodes --------------------------------------------------------------------

    fn push_node(&mut self, name: Option<QName>, text: PoolStr, span: Range<usize>) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            name,
            text,
            head_end: span.end as u32,
            span: Span::new(span),
            first_child: NONE,
            last_child: NONE,
            next: NONE,
            first_attr: NONE,
            last_attr: NONE,
        });
        id
    }

    fn node(&self, id: u32) -> &Node {
        &self.nodes[id as usize]
    }

    fn node_mut(&mut self, id: u32) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    /// A new element with no attributes or children.
    pub(crate) fn elem(&mut self, name: QName, span: Range<usize>) -> ElemId {
        let span = span.start..span.end.max(span.start);
        ElemId(self.push_node(Some(name), PoolStr(0, 0), span))
    }

    pub(crate) fn name(&self, id: ElemId) -> Option<QName> {
        self.node(id.0).name
    }

    pub(crate) fn span(&self, id: ElemId) -> Range<usize> {
        self.node(id.0).span.range()
    }

    pub(crate) fn set_end(&mut self, id: ElemId, end: usize) {
        let n = self.node_mut(id.0);
        n.span.1 = (end as u32).max(n.span.0);
    }

    pub(crate) fn set_head_end(&mut self, id: ElemId, end: usize) {
        self.node_mut(id.0).head_end = end as u32;
    }

    /// Appends a text child.
    pub(crate) fn push_text(&mut self, parent: ElemId, text: PoolStr, span: Range<usize>) {
        let t = self.push_node(None, text, span);
        self.append(parent, Seq { first: t, last: t });
    }

    /// Appends a sequence to an element's children.
    pub(crate) fn append(&mut self, parent: ElemId, seq: Seq) {
        if seq.is_empty() {
            return;
        }
        let last = self.node(parent.0).last_child;
        if last == NONE {
            self.node_mut(parent.0).first_child = seq.first;
        } else {
            self.node_mut(last).next = seq.first;
        }
        self.node_mut(parent.0).last_child = seq.last;
    }

    /// Puts a sequence before an element's children.
    pub(crate) fn prepend(&mut self, parent: ElemId, seq: Seq) {
        if seq.is_empty() {
            return;
        }
        let first = self.node(parent.0).first_child;
        self.node_mut(seq.last).next = first;
        let p = self.node_mut(parent.0);
        p.first_child = seq.first;
        if first == NONE {
            p.last_child = seq.last;
        }
    }

    // ----- sequences ----------------------------------------------------------------

    /// The sequence of one element (which must not be in another chain).
    pub(crate) fn one(&self, id: ElemId) -> Seq {
        debug_assert_eq!(self.node(id.0).next, NONE);
        Seq {
            first: id.0,
            last: id.0,
        }
    }

    /// `(a, b)`.
    pub(crate) fn concat(&mut self, a: Seq, b: Seq) -> Seq {
        if a.is_empty() {
            return b;
        }
        if b.is_empty() {
            return a;
        }
        self.node_mut(a.last).next = b.first;
        Seq {
            first: a.first,
            last: b.last,
        }
    }

    /// The smallest source range covering every element of `seq` (annotation elements
    /// that precede a value in the source follow it in the translation, so the first
    /// element of a sequence is not always the earliest).
    pub(crate) fn seq_span(&self, seq: Seq) -> Range<usize> {
        let (mut start, mut end) = (usize::MAX, 0);
        let mut n = seq.first;
        while n != NONE {
            let node = self.node(n);
            start = start.min(node.span.0 as usize);
            end = end.max(node.span.1 as usize);
            if n == seq.last {
                break;
            }
            n = node.next;
        }
        if start > end { 0..0 } else { start..end }
    }

    /// The element after `id` in its chain.
    pub(crate) fn next(&self, id: ElemId) -> Option<ElemId> {
        let n = self.node(id.0).next;
        (n != NONE).then_some(ElemId(n))
    }

    // ----- attributes ---------------------------------------------------------------

    /// A new attribute at the end of `list`.
    pub(crate) fn push_attr(
        &mut self,
        list: &mut Attrs,
        name: QName,
        value: PoolStr,
        span: Range<usize>,
        value_span: Range<usize>,
    ) {
        let a = self.attrs.len() as u32;
        self.attrs.push(AttrNode {
            name,
            value,
            span: Span::new(span),
            value_span: Span::new(value_span),
            next: NONE,
        });
        if list.first == NONE {
            list.first = a;
        } else {
            self.attrs[list.last as usize].next = a;
        }
        list.last = a;
    }

    /// Appends a list of attributes to an element's.
    pub(crate) fn add_attrs(&mut self, el: ElemId, list: Attrs) {
        if list.is_empty() {
            return;
        }
        let last = self.node(el.0).last_attr;
        if last == NONE {
            self.node_mut(el.0).first_attr = list.first;
        } else {
            self.attrs[last as usize].next = list.first;
        }
        self.node_mut(el.0).last_attr = list.last;
    }

    // ----- output -------------------------------------------------------------------

    /// Writes the tree rooted at `root` into a document whose text is `source`. The root
    /// element carries `ns_decls`.
    pub(crate) fn emit(&self, root: ElemId, source: &str, ns_decls: &[(&str, &str)]) -> Document {
        let mut b = Builder::new(source.to_string());
        // Open elements; each entry is the next child to visit.
        let mut stack: Vec<(u32, u32)> = Vec::new();
        self.open(&mut b, root.0, ns_decls);
        stack.push((root.0, self.node(root.0).first_child));
        while let Some(top) = stack.last_mut() {
            let (el, child) = *top;
            if child == NONE {
                b.end_element(self.node(el).span.1 as usize);
                stack.pop();
                continue;
            }
            let c = self.node(child);
            top.1 = c.next;
            match c.name {
                None => b.text_node(self.pool_str(c.text), c.span.range()),
                Some(_) => {
                    self.open(&mut b, child, &[]);
                    stack.push((child, c.first_child));
                }
            }
        }
        b.finish()
    }

    fn open(&self, b: &mut Builder, id: u32, ns_decls: &[(&str, &str)]) {
        let n = self.node(id);
        let mut a = n.first_attr;
        while a != NONE {
            let at = &self.attrs[a as usize];
            b.attribute(
                at.name.ns.map(|y| self.sym_str(y)),
                self.sym_str(at.name.local),
                self.sym_str(at.name.prefix),
                self.pool_str(at.value),
                at.span.range(),
                at.value_span.range(),
            );
            a = at.next;
        }
        let name = n.name.expect("an element");
        let span = n.span.range();
        let head_end = (n.head_end as usize).min(span.end).max(span.start);
        let head = span.start..head_end;
        b.start_element(
            name.ns.map(|y| self.sym_str(y)),
            self.sym_str(name.local),
            self.sym_str(name.prefix),
            ns_decls,
            head,
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_interned_in_order() {
        let mut f = Frag::with_capacity(0, 0);
        for (i, k) in KNOWN.iter().enumerate() {
            assert_eq!(known(k), Some(i as u32));
            assert_eq!(f.sym(k), Sym(i as u32));
            assert_eq!(f.sym_str(Sym(i as u32)), *k);
        }
        let y = f.sym("other");
        assert_eq!(f.sym("other"), y);
        assert_eq!(f.sym_str(y), "other");
    }
}
