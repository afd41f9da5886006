//! XML fragments: the values the translation of Appendix A computes.
//!
//! The parser builds elements into an arena ([`Frag`]) because the translation often
//! decides an element's parent or its attributes only after parsing its content (a
//! choice is known to be a choice only at the first `|`; initial annotations come before
//! the element they annotate). Once the whole schema is parsed, [`Frag::emit`] writes the
//! tree into an [`xml::Document`](crate::xml::Document) through the crate's
//! [`Builder`](crate::xml::Builder), walking with an explicit stack.

use std::ops::Range;

use crate::xml::{Builder, Document};

/// Index of an element in a [`Frag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ElemId(pub(crate) u32);

/// A qualified name: namespace URI (`None` = no namespace), local name, prefix to write it
/// with (empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QName {
    pub(crate) ns: Option<Box<str>>,
    pub(crate) local: Box<str>,
    pub(crate) prefix: Box<str>,
}

/// An attribute with the source spans of its name and value.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) name: QName,
    pub(crate) value: String,
    pub(crate) span: Range<usize>,
    pub(crate) value_span: Range<usize>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub(crate) enum Child {
    Elem(ElemId),
    Text(String, Range<usize>),
}

/// An element: its name, attributes, children and source span (`head` is the part that
/// plays the role of a start tag, e.g. `element foo {`).
#[derive(Debug, Clone)]
pub(crate) struct Elem {
    pub(crate) name: QName,
    pub(crate) attrs: Vec<Attr>,
    pub(crate) children: Vec<Child>,
    pub(crate) span: Range<usize>,
    pub(crate) head_end: usize,
}

/// The arena.
#[derive(Debug, Default)]
pub(crate) struct Frag {
    pub(crate) elems: Vec<Elem>,
}

impl Frag {
    pub(crate) fn add(&mut self, name: QName, span: Range<usize>) -> ElemId {
        let id = ElemId(self.elems.len() as u32);
        self.elems.push(Elem {
            name,
            attrs: Vec::new(),
            children: Vec::new(),
            head_end: span.end,
            span,
        });
        id
    }

    pub(crate) fn get(&self, id: ElemId) -> &Elem {
        &self.elems[id.0 as usize]
    }

    pub(crate) fn get_mut(&mut self, id: ElemId) -> &mut Elem {
        &mut self.elems[id.0 as usize]
    }

    /// Writes the tree rooted at `root` into a document whose text is `source`. The root
    /// element carries `ns_decls`.
    pub(crate) fn emit(&self, root: ElemId, source: &str, ns_decls: &[(&str, &str)]) -> Document {
        let mut b = Builder::new(source.to_string());
        // (element, index of the next child to visit)
        let mut stack: Vec<(ElemId, usize)> = Vec::new();
        self.open(&mut b, root, ns_decls);
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (id, i) = *top;
            let e = self.get(id);
            if i == e.children.len() {
                b.end_element(e.span.end);
                stack.pop();
                continue;
            }
            top.1 += 1;
            match &e.children[i] {
                Child::Text(t, r) => b.text_node(t, r.clone()),
                Child::Elem(c) => {
                    self.open(&mut b, *c, &[]);
                    stack.push((*c, 0));
                }
            }
        }
        b.finish()
    }

    fn open(&self, b: &mut Builder, id: ElemId, ns_decls: &[(&str, &str)]) {
        let e = self.get(id);
        for a in &e.attrs {
            b.attribute(
                a.name.ns.as_deref(),
                &a.name.local,
                &a.name.prefix,
                &a.value,
                a.span.clone(),
                a.value_span.clone(),
            );
        }
        let head = e.span.start..e.head_end.clamp(e.span.start, e.span.end);
        b.start_element(
            e.name.ns.as_deref(),
            &e.name.local,
            &e.name.prefix,
            ns_decls,
            head,
            false,
        );
    }
}
