//! Derivatives of patterns (James Clark, "An algorithm for RELAX NG validation", with
//! jing's split of a start tag into open / attribute name / attribute value / close).
//!
//! The [`Engine`] owns one validator's [`Overlay`] arena and memo tables: derivatives with
//! respect to a start tag or attribute name are memoised per (pattern, name), the unary
//! ones (end of attributes, end tag, text in mixed content, recovery helpers) in dense
//! tables indexed by pattern. Data (attribute values, typed element content) is matched
//! without memo: it depends on the string.
//!
//! Recursion here follows the structure of patterns between elements, which the compiler
//! bounds ([`super::compile::MAX_PATTERN_DEPTH`]); the nesting of elements in the document
//! is carried by `after` patterns and never recursed through.

use rustc_hash::FxHashMap;
use std::hash::BuildHasher;

use crate::prehashed::PreHashedMap;

use super::compile::Compiled;
use super::names::{ExpectedNames, QName, Specificity};
use super::pattern::{EMPTY, Intern, NOT_ALLOWED, Overlay, P, Pat, TEXT};
use crate::xsd;

/// A name in a validator's name table.
pub(crate) type NameId = u32;

/// A memo table indexed by pattern id.
#[derive(Debug, Default)]
struct Dense(Vec<u32>);

impl Dense {
    fn get(&self, p: Pat) -> Option<Pat> {
        match self.0.get(p.0 as usize) {
            Some(&v) if v != u32::MAX => Some(Pat(v)),
            _ => None,
        }
    }

    fn set(&mut self, p: Pat, v: Pat) {
        let i = p.0 as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, u32::MAX);
        }
        self.0[i] = v.0;
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// What to wrap around the continuation of each `after` (Clark's `applyAfter`).
#[derive(Debug, Clone, Copy)]
enum Wrap {
    /// λx. group(x, b)
    GroupThen(Pat),
    /// λx. group(a, x)
    GroupAfter(Pat),
    /// λx. interleave(x, b)
    InterleaveWith(Pat),
    /// λx. after(x, b)
    AfterThen(Pat),
}

/// Expanded names seen by one validator, interned.
///
/// The strings live in one pool; a hash of the borrowed `(ns, local)` pair finds the chain
/// of names with that hash, compared against the pool, so a name seen before costs no
/// allocation and a new one two string copies. The hash is foldhash, seeded per process:
/// the keys are the document's names, and an unseeded hash (Fx) could be fed precomputed
/// collisions.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pool: String,
    /// Per name: byte ranges of its namespace and local name in `pool`.
    list: Vec<[u32; 4]>,
    /// Hash of `(ns, local)` → the last name interned with that hash.
    heads: PreHashedMap<NameId>,
    /// Per name: the previous name with the same hash (collision chain).
    next: Vec<NameId>,
    hasher: foldhash::fast::RandomState,
    /// Per name, the name derivatives are memoised under: itself when the schema spells it
    /// out, else the first name seen of its namespace that the schema does not spell out
    /// (see [`Compiled::mentioned`]). 100,000 distinct attribute names matched by
    /// `attribute * { text }*` then cost one derivative, not 100,000.
    rep: Vec<NameId>,
    ns_rep: foldhash::HashMap<Box<str>, NameId>,
}

impl Names {
    pub fn intern(&mut self, ns: &str, local: &str, s: &Compiled) -> NameId {
        let h = self.hasher.hash_one((ns, local));
        let mut cur = self.heads.get(&h).copied();
        while let Some(id) = cur {
            let (n, l) = self.get(id);
            if n == ns && l == local {
                return id;
            }
            let prev = self.next[id as usize];
            cur = (prev != id).then_some(prev);
        }
        let id = self.list.len() as NameId;
        let a = self.pool.len() as u32;
        self.pool.push_str(ns);
        let b = self.pool.len() as u32;
        self.pool.push_str(local);
        let c = self.pool.len() as u32;
        self.list.push([a, b, b, c]);
        // The chain ends at a name that points to itself.
        let prev = self.heads.insert(h, id).unwrap_or(id);
        self.next.push(prev);
        let rep = if s.mentioned.get(ns).is_some_and(|m| m.contains(local)) {
            id
        } else if let Some(&r) = self.ns_rep.get(ns) {
            r
        } else {
            self.ns_rep.insert(Box::from(ns), id);
            id
        };
        self.rep.push(rep);
        id
    }

    /// The representative `id` is memoised under (see [`Names::rep`]).
    pub fn rep(&self, id: NameId) -> NameId {
        self.rep.get(id as usize).copied().unwrap_or(id)
    }

    /// The namespace URI and local name of `id`.
    pub fn get(&self, id: NameId) -> (&str, &str) {
        let [a, b, c, d] = self.list[id as usize];
        (
            &self.pool[a as usize..b as usize],
            &self.pool[c as usize..d as usize],
        )
    }

    /// `id` as an owned [`QName`].
    pub fn qname(&self, id: NameId) -> QName {
        let (ns, local) = self.get(id);
        QName {
            ns: ns.to_string(),
            local: local.to_string(),
        }
    }
}

/// One validator's derivative machinery.
pub(crate) struct Engine<'s> {
    pub s: &'s Compiled,
    pub ov: Overlay<'s>,
    pub names: Names,
    sto: FxHashMap<(Pat, NameId), Pat>,
    sto_recover: FxHashMap<(Pat, NameId), Pat>,
    att: FxHashMap<(Pat, NameId), Pat>,
    contains: FxHashMap<(u32, NameId), bool>,
    find_element: FxHashMap<NameId, Pat>,
    end_attrs: Dense,
    end_tag: Dense,
    mixed: Dense,
    ignore_missing: Dense,
    recover: Dense,
    empty_after: Dense,
    /// Elements reachable from start (for recovery).
    reachable: &'s [u32],
}

/// Why a data string did not match, for messages.
#[derive(Debug, Default)]
pub(crate) struct DataFailures {
    /// Values the string could have been equal to (as written in the schema).
    pub values: Vec<String>,
    /// Datatype messages ("must be an integer").
    pub messages: Vec<String>,
    /// For lists: the token that failed, or `Some("")` for a missing token.
    pub token: Option<String>,
}

impl<'s> Engine<'s> {
    pub fn new(s: &'s Compiled, reachable: &'s [u32]) -> Self {
        Engine {
            s,
            ov: Overlay::new(&s.arena),
            names: Names::default(),
            sto: FxHashMap::default(),
            sto_recover: FxHashMap::default(),
            att: FxHashMap::default(),
            contains: FxHashMap::default(),
            find_element: FxHashMap::default(),
            end_attrs: Dense::default(),
            end_tag: Dense::default(),
            mixed: Dense::default(),
            ignore_missing: Dense::default(),
            recover: Dense::default(),
            empty_after: Dense::default(),
            reachable,
        }
    }

    /// Forgets every pattern created while validating, and the memos (bounded memory
    /// across many documents).
    pub fn reset(&mut self) {
        self.ov.clear();
        self.sto.clear();
        self.sto_recover.clear();
        self.att.clear();
        self.find_element.clear();
        self.end_attrs.clear();
        self.end_tag.clear();
        self.mixed.clear();
        self.ignore_missing.clear();
        self.recover.clear();
        self.empty_after.clear();
    }

    fn node(&self, p: Pat) -> P {
        self.ov.get(p).clone()
    }

    /// The operands of a choice (empty for other patterns).
    fn choice_ops(&self, p: Pat) -> Box<[Pat]> {
        match self.ov.get(p) {
            P::Choice(v) => v.clone(),
            _ => Box::new([]),
        }
    }

    /// jing's `isNotAllowed`: `notAllowed`, or an `after` whose first operand is.
    pub fn dead(&self, p: Pat) -> bool {
        p == NOT_ALLOWED || matches!(self.ov.get(p), P::After(a, _) if *a == NOT_ALLOWED)
    }

    pub fn nullable(&self, p: Pat) -> bool {
        self.ov.nullable(p)
    }

    pub fn content_type(&self, p: Pat) -> u8 {
        self.ov.content_type(p)
    }

    fn nc_contains(&mut self, nc: u32, name: NameId) -> bool {
        let name = self.names.rep(name);
        if let Some(&b) = self.contains.get(&(nc, name)) {
            return b;
        }
        let (ns, local) = self.names.get(name);
        let b = self.s.name_classes[nc as usize].contains(ns, local);
        self.contains.insert((nc, name), b);
        b
    }

    fn apply_after(&mut self, p: Pat, w: Wrap) -> Pat {
        match self.node(p) {
            P::After(a, b) => {
                let nb = match w {
                    Wrap::GroupThen(x) => self.ov.group(b, x),
                    Wrap::GroupAfter(x) => self.ov.group(x, b),
                    Wrap::InterleaveWith(x) => self.ov.interleave(b, x),
                    Wrap::AfterThen(x) => self.ov.after(b, x),
                };
                self.ov.after(a, nb)
            }
            P::Choice(v) => {
                let ops = v.iter().map(|&c| self.apply_after(c, w)).collect();
                self.ov.choice_n(ops)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// `choice(oneOrMore(a), empty)` for the repetition `p = oneOrMore(a)`.
    fn optional(&mut self, p: Pat) -> Pat {
        self.ov.choice(p, EMPTY)
    }

    // ------------------------------------------------------------- start tag open

    /// Derivative with respect to a start tag's name.
    pub fn start_tag_open(&mut self, p: Pat, name: NameId) -> Pat {
        self.sto_impl(p, name, false)
    }

    /// jing's recovery variant: in a group, the second operand may start even if the first
    /// is not finished (used to say "not allowed yet").
    pub fn start_tag_open_recover(&mut self, p: Pat, name: NameId) -> Pat {
        self.sto_impl(p, name, true)
    }

    fn sto_impl(&mut self, p: Pat, name: NameId, recover: bool) -> Pat {
        match self.ov.get(p) {
            P::Empty
            | P::NotAllowed
            | P::Text
            | P::Data(..)
            | P::Value(_)
            | P::List(_)
            | P::Attribute(..) => return NOT_ALLOWED,
            _ => {}
        }
        let memo = if recover {
            &self.sto_recover
        } else {
            &self.sto
        };
        let name = self.names.rep(name);
        if let Some(&r) = memo.get(&(p, name)) {
            return r;
        }
        let node = self.node(p);
        let r = match node {
            P::Choice(v) => {
                let ops = v.iter().map(|&c| self.sto_impl(c, name, recover)).collect();
                self.ov.choice_n(ops)
            }
            P::Group(a, b) => {
                let x = self.sto_impl(a, name, recover);
                let r = self.apply_after(x, Wrap::GroupThen(b));
                if self.nullable(a) || recover {
                    let y = self.sto_impl(b, name, recover);
                    self.ov.choice(r, y)
                } else {
                    r
                }
            }
            P::Interleave(a, b) => {
                let x = self.sto_impl(a, name, recover);
                let r1 = self.apply_after(x, Wrap::InterleaveWith(b));
                let y = self.sto_impl(b, name, recover);
                let r2 = self.apply_after(y, Wrap::InterleaveWith(a));
                self.ov.choice(r1, r2)
            }
            P::OneOrMore(a) => {
                let x = self.sto_impl(a, name, recover);
                let rest = self.optional(p);
                self.apply_after(x, Wrap::GroupThen(rest))
            }
            P::After(a, b) => {
                let x = self.sto_impl(a, name, recover);
                self.apply_after(x, Wrap::AfterThen(b))
            }
            P::Element(e) => {
                let info = &self.s.elements[e as usize];
                let (nc, content) = (info.nc, info.content);
                if self.nc_contains(nc, name) {
                    self.ov.after(content, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            _ => NOT_ALLOWED,
        };
        let memo = if recover {
            &mut self.sto_recover
        } else {
            &mut self.sto
        };
        memo.insert((p, name), r);
        r
    }

    /// The content to validate an element with when it is out of place: the content of the
    /// most specific element patterns of the schema that match its name (jing's
    /// FindElementFunction), or `notAllowed` if none does.
    pub fn find_element(&mut self, name: NameId) -> Pat {
        let name = self.names.rep(name);
        if let Some(&p) = self.find_element.get(&name) {
            return p;
        }
        let q = self.names.qname(name);
        let mut best = Specificity::None;
        let mut contents = Vec::new();
        for &e in self.reachable {
            let info = &self.s.elements[e as usize];
            let sp = self.s.name_classes[info.nc as usize].specificity(&q.ns, &q.local);
            if sp == Specificity::None || sp < best {
                continue;
            }
            if sp > best {
                best = sp;
                contents.clear();
            }
            contents.push(info.content);
        }
        let p = self.ov.choice_n(contents);
        self.find_element.insert(name, p);
        p
    }

    // ------------------------------------------------------------- attributes

    /// Derivative with respect to an attribute's name: the matched attribute becomes
    /// `after(its content, rest)`.
    pub fn attribute_name(&mut self, p: Pat, name: NameId) -> Pat {
        match self.ov.get(p) {
            P::Choice(_)
            | P::Group(..)
            | P::Interleave(..)
            | P::OneOrMore(_)
            | P::After(..)
            | P::Attribute(..) => {}
            _ => return NOT_ALLOWED,
        }
        let name = self.names.rep(name);
        if let Some(&r) = self.att.get(&(p, name)) {
            return r;
        }
        let node = self.node(p);
        let r = match node {
            P::Attribute(nc, c) => {
                if self.nc_contains(nc, name) {
                    self.ov.after(c, EMPTY)
                } else {
                    NOT_ALLOWED
                }
            }
            P::Choice(v) => {
                let ops = v.iter().map(|&c| self.attribute_name(c, name)).collect();
                self.ov.choice_n(ops)
            }
            P::Group(a, b) => {
                let x = self.attribute_name(a, name);
                let r1 = self.apply_after(x, Wrap::GroupThen(b));
                let y = self.attribute_name(b, name);
                let r2 = self.apply_after(y, Wrap::GroupAfter(a));
                self.ov.choice(r1, r2)
            }
            P::Interleave(a, b) => {
                let x = self.attribute_name(a, name);
                let r1 = self.apply_after(x, Wrap::InterleaveWith(b));
                let y = self.attribute_name(b, name);
                let r2 = self.apply_after(y, Wrap::InterleaveWith(a));
                self.ov.choice(r1, r2)
            }
            P::OneOrMore(a) => {
                let x = self.attribute_name(a, name);
                let rest = self.optional(p);
                self.apply_after(x, Wrap::GroupThen(rest))
            }
            P::After(a, b) => {
                let x = self.attribute_name(a, name);
                self.apply_after(x, Wrap::AfterThen(b))
            }
            _ => NOT_ALLOWED,
        };
        self.att.insert((p, name), r);
        r
    }

    /// After [`Engine::attribute_name`]: keeps the continuations whose attribute content
    /// matches the value.
    pub fn attribute_value(&mut self, p: Pat, value: &str, cx: &dyn xsd::Context) -> Pat {
        match self.node(p) {
            P::After(c, k) => {
                if self.value_match(c, value, cx) {
                    k
                } else {
                    NOT_ALLOWED
                }
            }
            P::Choice(v) => {
                let ops = v
                    .iter()
                    .map(|&c| self.attribute_value(c, value, cx))
                    .collect();
                self.ov.choice_n(ops)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// End of the start tag: attributes not matched are missing.
    pub fn end_attributes(&mut self, p: Pat) -> Pat {
        self.unary(p, Unary::EndAttributes)
    }

    /// Recovery for missing attributes: treat them as present.
    pub fn ignore_missing_attributes(&mut self, p: Pat) -> Pat {
        self.unary(p, Unary::IgnoreMissing)
    }

    /// Derivative with respect to non-blank text in mixed content.
    pub fn mixed_text(&mut self, p: Pat) -> Pat {
        self.unary(p, Unary::Mixed)
    }

    /// Derivative with respect to an end tag.
    pub fn end_tag(&mut self, p: Pat) -> Pat {
        match *self.ov.get(p) {
            P::After(a, b) => {
                if self.nullable(a) {
                    b
                } else {
                    NOT_ALLOWED
                }
            }
            P::Choice(_) => {
                if let Some(r) = self.end_tag.get(p) {
                    return r;
                }
                let v = self.choice_ops(p);
                let ops = v.iter().map(|&c| self.end_tag(c)).collect();
                let r = self.ov.choice_n(ops);
                self.end_tag.set(p, r);
                r
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Recovery: skip to the continuation of every `after`.
    pub fn recover_after(&mut self, p: Pat) -> Pat {
        match self.node(p) {
            P::After(_, b) => b,
            P::Choice(v) => {
                if let Some(r) = self.recover.get(p) {
                    return r;
                }
                let ops = v.iter().map(|&c| self.recover_after(c)).collect();
                let r = self.ov.choice_n(ops);
                self.recover.set(p, r);
                r
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Every `after(x, k)` becomes `after(x, empty)` (asks "is this element fine on its own").
    pub fn empty_after(&mut self, p: Pat) -> Pat {
        match self.node(p) {
            P::After(a, _) => self.ov.after(a, EMPTY),
            P::Choice(v) => {
                if let Some(r) = self.empty_after.get(p) {
                    return r;
                }
                let ops = v.iter().map(|&c| self.empty_after(c)).collect();
                let r = self.ov.choice_n(ops);
                self.empty_after.set(p, r);
                r
            }
            _ => p,
        }
    }

    fn unary(&mut self, p: Pat, f: Unary) -> Pat {
        // Leaves answer directly.
        match (self.ov.get(p), f) {
            (P::Attribute(..), Unary::EndAttributes) => return NOT_ALLOWED,
            (P::Attribute(..), Unary::IgnoreMissing) => return EMPTY,
            (P::Attribute(..), Unary::Mixed) => return NOT_ALLOWED,
            (P::Text, Unary::Mixed) => return TEXT,
            (
                P::Empty
                | P::NotAllowed
                | P::Text
                | P::Data(..)
                | P::Value(_)
                | P::List(_)
                | P::Element(_),
                Unary::EndAttributes | Unary::IgnoreMissing,
            ) => return p,
            (
                P::Empty | P::NotAllowed | P::Data(..) | P::Value(_) | P::List(_) | P::Element(_),
                Unary::Mixed,
            ) => return NOT_ALLOWED,
            _ => {}
        }
        let table = match f {
            Unary::EndAttributes => &self.end_attrs,
            Unary::IgnoreMissing => &self.ignore_missing,
            Unary::Mixed => &self.mixed,
        };
        if let Some(r) = table.get(p) {
            return r;
        }
        let node = self.node(p);
        let r = match node {
            P::Choice(v) => {
                let ops = v.iter().map(|&c| self.unary(c, f)).collect();
                self.ov.choice_n(ops)
            }
            P::Group(a, b) => {
                let x = self.unary(a, f);
                if f == Unary::Mixed {
                    let r = self.ov.group(x, b);
                    if self.nullable(a) {
                        let y = self.unary(b, f);
                        self.ov.choice(r, y)
                    } else {
                        r
                    }
                } else {
                    let y = self.unary(b, f);
                    self.ov.group(x, y)
                }
            }
            P::Interleave(a, b) => {
                let x = self.unary(a, f);
                if f == Unary::Mixed {
                    let r1 = self.ov.interleave(x, b);
                    let y = self.unary(b, f);
                    let r2 = self.ov.interleave(a, y);
                    self.ov.choice(r1, r2)
                } else {
                    let y = self.unary(b, f);
                    self.ov.interleave(x, y)
                }
            }
            P::OneOrMore(a) => {
                let x = self.unary(a, f);
                if f == Unary::Mixed {
                    let rest = self.optional(p);
                    self.ov.group(x, rest)
                } else {
                    self.ov.one_or_more(x)
                }
            }
            P::After(a, b) => {
                let x = self.unary(a, f);
                self.ov.after(x, b)
            }
            _ => NOT_ALLOWED,
        };
        let table = match f {
            Unary::EndAttributes => &mut self.end_attrs,
            Unary::IgnoreMissing => &mut self.ignore_missing,
            Unary::Mixed => &mut self.mixed,
        };
        table.set(p, r);
        r
    }

    // ------------------------------------------------------------- data

    /// Typed element content: for every `after(content, k)`, `k` if the string matches the
    /// content (and so the end tag is consumed too).
    pub fn data(&mut self, p: Pat, s: &str, cx: &dyn xsd::Context) -> Pat {
        self.attribute_value(p, s, cx)
    }

    /// Clark's `valueMatch`.
    pub fn value_match(&mut self, p: Pat, s: &str, cx: &dyn xsd::Context) -> bool {
        if p == TEXT {
            return true;
        }
        if self.nullable(p) && is_blank(s) {
            return true;
        }
        let mut cache = ValueCache::default();
        let d = self.text_deriv(p, s, cx, &mut cache);
        self.nullable(d)
    }

    fn text_deriv(
        &mut self,
        p: Pat,
        s: &str,
        cx: &dyn xsd::Context,
        cache: &mut ValueCache,
    ) -> Pat {
        match self.node(p) {
            P::Choice(v) => {
                let ops = v
                    .iter()
                    .map(|&c| self.text_deriv(c, s, cx, cache))
                    .collect();
                self.ov.choice_n(ops)
            }
            P::Interleave(a, b) => {
                let x = self.text_deriv(a, s, cx, cache);
                let r1 = self.ov.interleave(x, b);
                let y = self.text_deriv(b, s, cx, cache);
                let r2 = self.ov.interleave(a, y);
                self.ov.choice(r1, r2)
            }
            P::Group(a, b) => {
                let x = self.text_deriv(a, s, cx, cache);
                let r = self.ov.group(x, b);
                if self.nullable(a) {
                    let y = self.text_deriv(b, s, cx, cache);
                    self.ov.choice(r, y)
                } else {
                    r
                }
            }
            P::OneOrMore(a) => {
                let x = self.text_deriv(a, s, cx, cache);
                let rest = self.optional(p);
                self.ov.group(x, rest)
            }
            P::Text => TEXT,
            P::Value(v) => {
                let entry = &self.s.values[v as usize];
                let dt = entry.dt;
                let got = cache.value(self.s, dt, s, cx);
                if got.as_ref() == Some(&self.s.values[v as usize].value) {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            P::Data(dt, except) => {
                if !cache.allows(self.s, dt, s, cx) {
                    return NOT_ALLOWED;
                }
                if let Some(e) = except {
                    let d = self.text_deriv(e, s, cx, cache);
                    if self.nullable(d) {
                        return NOT_ALLOWED;
                    }
                }
                EMPTY
            }
            P::List(q) => {
                let mut cur = q;
                for tok in s.split(is_blank_char).filter(|t| !t.is_empty()) {
                    let mut c = ValueCache::default();
                    cur = self.text_deriv(cur, tok, cx, &mut c);
                    if cur == NOT_ALLOWED {
                        return NOT_ALLOWED;
                    }
                }
                if self.nullable(cur) {
                    EMPTY
                } else {
                    NOT_ALLOWED
                }
            }
            P::After(a, b) => {
                let x = self.text_deriv(a, s, cx, cache);
                self.ov.after(x, b)
            }
            _ => NOT_ALLOWED,
        }
    }

    /// Explains why `s` does not match `p` (only called for error messages).
    pub fn data_failures(&mut self, p: Pat, s: &str, cx: &dyn xsd::Context) -> DataFailures {
        let mut out = DataFailures::default();
        self.collect_failures(p, s, cx, &mut out, 0);
        out.values.sort();
        out.values.dedup();
        out.messages.dedup();
        out
    }

    fn collect_failures(
        &mut self,
        p: Pat,
        s: &str,
        cx: &dyn xsd::Context,
        out: &mut DataFailures,
        depth: u32,
    ) {
        if depth > 64 {
            return;
        }
        match self.node(p) {
            P::Choice(v) => {
                for &c in v.iter() {
                    self.collect_failures(c, s, cx, out, depth + 1);
                }
            }
            P::After(a, _) => self.collect_failures(a, s, cx, out, depth + 1),
            P::Group(a, b) | P::Interleave(a, b) => {
                self.collect_failures(a, s, cx, out, depth + 1);
                if self.nullable(a) {
                    self.collect_failures(b, s, cx, out, depth + 1);
                }
            }
            P::OneOrMore(a) => self.collect_failures(a, s, cx, out, depth + 1),
            P::Value(v) => out.values.push(self.s.values[v as usize].text.clone()),
            P::Data(dt, _) => {
                let d = &self.s.datatypes[dt as usize];
                match d.datatype.check(s, cx) {
                    Err(m) if !m.is_empty() => out.messages.push(m),
                    Err(_) => out
                        .messages
                        .push(format!("must be a valid instance of datatype {}", d.name)),
                    Ok(()) => {}
                }
            }
            P::List(q) => {
                let mut cur = q;
                let mut found = false;
                for tok in s.split(is_blank_char).filter(|t| !t.is_empty()) {
                    let mut c = ValueCache::default();
                    let next = self.text_deriv(cur, tok, cx, &mut c);
                    if next == NOT_ALLOWED {
                        out.token = Some(tok.to_string());
                        self.collect_failures(cur, tok, cx, out, depth + 1);
                        found = true;
                        break;
                    }
                    cur = next;
                }
                if !found && !self.nullable(cur) {
                    out.token = Some(String::new());
                    self.collect_failures(cur, "", cx, out, depth + 1);
                }
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------- for messages

    /// Names of elements that could start here.
    pub fn possible_start_names(&mut self, p: Pat) -> ExpectedNames {
        let mut out = ExpectedNames::default();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![p];
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            match self.node(p) {
                P::Choice(v) => stack.extend(v.iter().copied()),
                P::Interleave(a, b) => stack.extend([a, b]),
                P::Group(a, b) => {
                    stack.push(a);
                    if self.nullable(a) {
                        stack.push(b);
                    }
                }
                P::OneOrMore(a) | P::After(a, _) => stack.push(a),
                P::Element(e) => {
                    let nc = self.s.elements[e as usize].nc;
                    self.s.name_classes[nc as usize].collect_expected(&mut out);
                }
                _ => {}
            }
        }
        out
    }

    /// Names of attributes that could occur here.
    pub fn possible_attribute_names(&mut self, p: Pat) -> ExpectedNames {
        let mut out = ExpectedNames::default();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![p];
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            match self.node(p) {
                P::Choice(v) => stack.extend(v.iter().copied()),
                P::Interleave(a, b) | P::Group(a, b) => stack.extend([a, b]),
                P::OneOrMore(a) | P::After(a, _) => stack.push(a),
                P::Attribute(nc, _) => {
                    self.s.name_classes[nc as usize].collect_expected(&mut out);
                }
                _ => {}
            }
        }
        out
    }

    /// Names of elements that must occur before the end (jing's RequiredElementsFunction).
    pub fn required_elements(&mut self, p: Pat) -> Vec<QName> {
        self.required(p, false, 0)
    }

    /// Names of attributes that must occur (jing's RequiredAttributesFunction).
    pub fn required_attributes(&mut self, p: Pat) -> Vec<QName> {
        self.required(p, true, 0)
    }

    fn required(&mut self, p: Pat, attrs: bool, depth: u32) -> Vec<QName> {
        if depth > 256 {
            return Vec::new();
        }
        match self.node(p) {
            P::Choice(v) => {
                let mut acc: Option<Vec<QName>> = None;
                for &c in v.iter() {
                    let s = self.required(c, attrs, depth + 1);
                    if s.is_empty() {
                        return Vec::new();
                    }
                    acc = Some(match acc {
                        None => s,
                        Some(a) => a.into_iter().filter(|n| s.contains(n)).collect(),
                    });
                }
                acc.unwrap_or_default()
            }
            P::Group(a, b) if !attrs => {
                if !self.nullable(a) {
                    self.required(a, attrs, depth + 1)
                } else {
                    self.required(b, attrs, depth + 1)
                }
            }
            P::Group(a, b) | P::Interleave(a, b) => {
                let mut x = self.required(a, attrs, depth + 1);
                for n in self.required(b, attrs, depth + 1) {
                    if !x.contains(&n) {
                        x.push(n);
                    }
                }
                x
            }
            P::OneOrMore(a) | P::After(a, _) => self.required(a, attrs, depth + 1),
            P::Element(e) if !attrs => {
                let nc = self.s.elements[e as usize].nc;
                self.s.name_classes[nc as usize]
                    .single_name()
                    .cloned()
                    .into_iter()
                    .collect()
            }
            P::Attribute(nc, _) if attrs => self.s.name_classes[nc as usize]
                .single_name()
                .cloned()
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unary {
    EndAttributes,
    IgnoreMissing,
    Mixed,
}

/// The value of one string under each datatype, computed at most once per string.
#[derive(Default)]
struct ValueCache {
    values: Vec<(u32, Option<xsd::Value>)>,
    allows: Vec<(u32, bool)>,
}

impl ValueCache {
    fn value(
        &mut self,
        s: &Compiled,
        dt: u32,
        text: &str,
        cx: &dyn xsd::Context,
    ) -> Option<xsd::Value> {
        if let Some((_, v)) = self.values.iter().find(|(d, _)| *d == dt) {
            return v.clone();
        }
        let v = s.datatypes[dt as usize].datatype.value(text, cx);
        self.values.push((dt, v.clone()));
        v
    }

    fn allows(&mut self, s: &Compiled, dt: u32, text: &str, cx: &dyn xsd::Context) -> bool {
        if let Some((_, b)) = self.allows.iter().find(|(d, _)| *d == dt) {
            return *b;
        }
        let b = s.datatypes[dt as usize].datatype.allows(text, cx);
        self.allows.push((dt, b));
        b
    }
}

/// XML whitespace as RELAX NG uses it (space, tab, CR, LF).
pub(crate) fn is_blank_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Whether a string is empty or only whitespace.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(is_blank_char)
}
