//! Interned patterns and their smart constructors (jing's PatternBuilder and
//! PatternInterner, in Rust).
//!
//! A pattern is a [`Pat`], an index into an arena where every structurally distinct pattern
//! is stored once, so equality is an integer comparison and derivatives can be memoised per
//! index. Constructors simplify as they build: `notAllowed` absorbs groups and disappears
//! from choices, `empty` disappears from groups, choices are flattened, sorted and
//! deduplicated (so a 100,000-way choice stays one flat node), and choices of `after`
//! patterns with the same left or right operand are merged, which keeps derivatives of
//! ambiguous content models small.
//!
//! Two arenas implement [`Intern`]: the immutable one of a compiled [`Schema`](super::Schema)
//! and the per-validator [`Overlay`] that stacks new patterns (created while validating) on
//! top of it, so many threads can validate with one schema without locks.

use rustc_hash::FxHashMap;

/// An interned pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Pat(pub u32);

/// `empty`.
pub(crate) const EMPTY: Pat = Pat(0);
/// `notAllowed`.
pub(crate) const NOT_ALLOWED: Pat = Pat(1);
/// `text`.
pub(crate) const TEXT: Pat = Pat(2);

/// A pattern node. Operands are interned patterns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum P {
    Empty,
    NotAllowed,
    Text,
    /// Sorted, deduplicated, at least two operands, none a choice or `notAllowed`.
    Choice(Box<[Pat]>),
    Interleave(Pat, Pat),
    Group(Pat, Pat),
    OneOrMore(Pat),
    List(Pat),
    /// Datatype index, optional `except` pattern.
    Data(u32, Option<Pat>),
    /// Index into the schema's value table.
    Value(u32),
    /// Name-class index, content.
    Attribute(u32, Pat),
    /// Element index (elements are identified by index, so recursive content is fine).
    Element(u32),
    /// Clark's `after`: match the first, then continue with the second.
    After(Pat, Pat),
}

/// Content types (jing's order: a choice or group takes the maximum).
pub(crate) const CT_EMPTY: u8 = 0;
pub(crate) const CT_ELEMENT: u8 = 1;
pub(crate) const CT_MIXED: u8 = 2;
pub(crate) const CT_DATA: u8 = 3;

const NULLABLE: u8 = 4;

/// Access to an arena of patterns, and the smart constructors built on it.
pub(crate) trait Intern {
    /// The pattern node.
    fn get(&self, p: Pat) -> &P;
    /// Flags: bit 2 nullable, bits 0–1 content type.
    fn flags(&self, p: Pat) -> u8;
    /// Interns a node (no simplification).
    fn raw(&mut self, node: P) -> Pat;

    fn nullable(&self, p: Pat) -> bool {
        self.flags(p) & NULLABLE != 0
    }

    fn content_type(&self, p: Pat) -> u8 {
        self.flags(p) & 3
    }

    fn choice(&mut self, a: Pat, b: Pat) -> Pat {
        if a == b || b == NOT_ALLOWED {
            return a;
        }
        if a == NOT_ALLOWED {
            return b;
        }
        self.choice_n(vec![a, b])
    }

    /// The choice of many patterns, flattened, sorted and deduplicated.
    fn choice_n(&mut self, ops: Vec<Pat>) -> Pat {
        self.choice_depth(ops, 0)
    }

    /// [`Intern::choice_n`] with the nesting depth of `after` merges, which is bounded so
    /// that merging never recurses as deep as the document.
    fn choice_depth(&mut self, ops: Vec<Pat>, depth: u32) -> Pat {
        let mut flat: Vec<Pat> = Vec::with_capacity(ops.len());
        for p in ops {
            match self.get(p) {
                P::NotAllowed => {}
                P::Choice(v) => flat.extend_from_slice(v),
                _ => flat.push(p),
            }
        }
        flat.sort_unstable();
        flat.dedup();
        // Merge `after`s: same continuation → one after with a choice of contents; same
        // content → one after with a choice of continuations. Dead afters go when others
        // remain.
        let afters = flat
            .iter()
            .filter(|p| matches!(self.get(**p), P::After(..)))
            .count();
        if afters >= 2 && depth < 32 {
            let mut others = Vec::new();
            let mut pairs: Vec<(Pat, Pat)> = Vec::new();
            for &p in &flat {
                match *self.get(p) {
                    P::After(a, b) => pairs.push((a, b)),
                    _ => others.push(p),
                }
            }
            let live: Vec<(Pat, Pat)> = pairs
                .iter()
                .copied()
                .filter(|&(a, b)| a != NOT_ALLOWED && b != NOT_ALLOWED)
                .collect();
            if !live.is_empty() || !others.is_empty() {
                pairs = live;
            }
            // Group by continuation.
            pairs.sort_unstable_by_key(|&(a, b)| (b, a));
            let mut by_cont: Vec<(Pat, Pat)> = Vec::new();
            let mut i = 0;
            while i < pairs.len() {
                let k = pairs[i].1;
                let mut j = i;
                while j < pairs.len() && pairs[j].1 == k {
                    j += 1;
                }
                let content = if j - i == 1 {
                    pairs[i].0
                } else {
                    let cs: Vec<Pat> = pairs[i..j].iter().map(|x| x.0).collect();
                    self.choice_depth(cs, depth + 1)
                };
                by_cont.push((content, k));
                i = j;
            }
            // Group by content.
            by_cont.sort_unstable();
            let mut i = 0;
            while i < by_cont.len() {
                let c = by_cont[i].0;
                let mut j = i;
                while j < by_cont.len() && by_cont[j].0 == c {
                    j += 1;
                }
                let cont = if j - i == 1 {
                    by_cont[i].1
                } else {
                    let ks: Vec<Pat> = by_cont[i..j].iter().map(|x| x.1).collect();
                    self.choice_depth(ks, depth + 1)
                };
                others.push(self.raw(P::After(c, cont)));
                i = j;
            }
            others.sort_unstable();
            others.dedup();
            flat = others;
        }
        match flat.len() {
            0 => NOT_ALLOWED,
            1 => flat[0],
            _ => self.raw(P::Choice(flat.into_boxed_slice())),
        }
    }

    fn group(&mut self, a: Pat, b: Pat) -> Pat {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        self.raw(P::Group(a, b))
    }

    fn interleave(&mut self, a: Pat, b: Pat) -> Pat {
        if a == NOT_ALLOWED || b == NOT_ALLOWED {
            return NOT_ALLOWED;
        }
        if a == EMPTY {
            return b;
        }
        if b == EMPTY {
            return a;
        }
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.raw(P::Interleave(a, b))
    }

    fn one_or_more(&mut self, p: Pat) -> Pat {
        if p == NOT_ALLOWED || p == EMPTY {
            return p;
        }
        if let P::OneOrMore(_) = self.get(p) {
            return p;
        }
        self.raw(P::OneOrMore(p))
    }

    fn list(&mut self, p: Pat) -> Pat {
        if p == NOT_ALLOWED {
            return p;
        }
        self.raw(P::List(p))
    }

    fn attribute(&mut self, nc: u32, p: Pat) -> Pat {
        if p == NOT_ALLOWED {
            return p;
        }
        self.raw(P::Attribute(nc, p))
    }

    fn after(&mut self, a: Pat, b: Pat) -> Pat {
        self.raw(P::After(a, b))
    }
}

fn flags_of<I: Intern + ?Sized>(arena: &I, node: &P) -> u8 {
    let n = |p: Pat| arena.nullable(p);
    let ct = |p: Pat| arena.content_type(p);
    let (nullable, ctype) = match node {
        P::Empty => (true, CT_EMPTY),
        P::NotAllowed => (false, CT_EMPTY),
        P::Text => (true, CT_MIXED),
        P::Choice(v) => (
            v.iter().any(|&p| n(p)),
            v.iter().map(|&p| ct(p)).max().unwrap_or(CT_EMPTY),
        ),
        P::Interleave(a, b) | P::Group(a, b) => (n(*a) && n(*b), ct(*a).max(ct(*b))),
        P::OneOrMore(p) => (n(*p), ct(*p)),
        P::List(_) | P::Data(..) | P::Value(_) => (false, CT_DATA),
        P::Attribute(..) => (false, CT_EMPTY),
        P::Element(_) => (false, CT_ELEMENT),
        P::After(a, _) => (false, ct(*a)),
    };
    ctype | if nullable { NULLABLE } else { 0 }
}

/// An arena of patterns.
#[derive(Debug, Default, Clone)]
pub(crate) struct Arena {
    nodes: Vec<P>,
    flags: Vec<u8>,
    map: FxHashMap<P, Pat>,
    /// Ids start here (0 for a schema's arena; the schema's size for an overlay).
    offset: u32,
}

impl Arena {
    /// A schema arena with `empty`, `notAllowed` and `text` at their fixed ids.
    pub fn new() -> Self {
        let mut a = Arena::default();
        assert_eq!(a.raw(P::Empty), EMPTY);
        assert_eq!(a.raw(P::NotAllowed), NOT_ALLOWED);
        assert_eq!(a.raw(P::Text), TEXT);
        a
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    fn lookup(&self, node: &P) -> Option<Pat> {
        self.map.get(node).copied()
    }

    fn push(&mut self, node: P, flags: u8) -> Pat {
        let id = Pat(self.offset + self.nodes.len() as u32);
        self.nodes.push(node.clone());
        self.flags.push(flags);
        self.map.insert(node, id);
        id
    }
}

impl Intern for Arena {
    fn get(&self, p: Pat) -> &P {
        &self.nodes[(p.0 - self.offset) as usize]
    }

    fn flags(&self, p: Pat) -> u8 {
        self.flags[(p.0 - self.offset) as usize]
    }

    fn raw(&mut self, node: P) -> Pat {
        if let Some(p) = self.lookup(&node) {
            return p;
        }
        let f = flags_of(self, &node);
        self.push(node, f)
    }
}

/// New patterns stacked on a schema's arena, owned by one validator.
#[derive(Debug)]
pub(crate) struct Overlay<'s> {
    base: &'s Arena,
    local: Arena,
}

impl<'s> Overlay<'s> {
    pub fn new(base: &'s Arena) -> Self {
        Overlay {
            base,
            local: Arena {
                offset: base.len() as u32,
                ..Arena::default()
            },
        }
    }

    /// Number of patterns created by this overlay.
    pub fn local_len(&self) -> usize {
        self.local.len()
    }

    /// Forgets every local pattern (memo tables keyed by them must be cleared too).
    pub fn clear(&mut self) {
        self.local.nodes.clear();
        self.local.flags.clear();
        self.local.map.clear();
    }
}

impl Intern for Overlay<'_> {
    fn get(&self, p: Pat) -> &P {
        if (p.0 as usize) < self.base.len() {
            self.base.get(p)
        } else {
            self.local.get(p)
        }
    }

    fn flags(&self, p: Pat) -> u8 {
        if (p.0 as usize) < self.base.len() {
            self.base.flags(p)
        } else {
            self.local.flags(p)
        }
    }

    fn raw(&mut self, node: P) -> Pat {
        if let Some(p) = self.base.lookup(&node) {
            return p;
        }
        if let Some(p) = self.local.lookup(&node) {
            return p;
        }
        let f = flags_of(self, &node);
        self.local.push(node, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_constructors() {
        let mut a = Arena::new();
        let e1 = a.raw(P::Element(1));
        let e2 = a.raw(P::Element(2));
        assert_eq!(a.group(EMPTY, e1), e1);
        assert_eq!(a.group(e1, NOT_ALLOWED), NOT_ALLOWED);
        let c = a.choice(e1, e2);
        assert_eq!(a.choice(e2, e1), c);
        assert_eq!(a.choice(c, e1), c);
        assert_eq!(a.choice_n(vec![e1, NOT_ALLOWED]), e1);
        let opt = a.choice(e1, EMPTY);
        assert!(a.nullable(opt));
        assert!(!a.nullable(e1));
        let g = a.group(e1, TEXT);
        assert_eq!(a.content_type(g), CT_MIXED);
        // afters with the same continuation merge
        let x = a.after(e1, EMPTY);
        let y = a.after(e2, EMPTY);
        let m = a.choice(x, y);
        assert_eq!(a.get(m), &P::After(c, EMPTY));
    }

    #[test]
    fn overlay_reuses_base() {
        let mut a = Arena::new();
        let e1 = a.raw(P::Element(1));
        let g = a.group(e1, TEXT);
        let mut o = Overlay::new(&a);
        assert_eq!(o.group(e1, TEXT), g);
        let n = o.one_or_more(g);
        assert!(n.0 as usize >= a.len());
        assert_eq!(o.one_or_more(g), n);
        assert_eq!(o.local_len(), 1);
    }
}
