//! Stage 3 of loading: the restrictions of RELAX NG §7 on the simplified schema.
//!
//! * §7.1 prohibited paths (`attribute//attribute`, `list//element`, `start//text` …) and
//!   the §7.3 rule that an attribute with an open name class must repeat: one walk with a
//!   context bit set, memoised per (node, context), so shared definitions are visited a
//!   bounded number of times;
//! * §7.2 string sequences: content types computed bottom-up;
//! * §7.3 duplicate attributes and §7.4 interleave overlaps: attribute and element name sets
//!   computed bottom-up and compared operand by operand.
//!
//! Only what is reachable from `start` is checked, as the specification says.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;

use super::codes::*;
use super::names::{NameClass, QName};
use super::simplify::{SId, SKind, Simple};
use crate::diag::Diagnostic;

const ATTR: u8 = 1;
const ONE: u8 = 2;
const ONE_GROUP: u8 = 4;
const ONE_INTERLEAVE: u8 = 8;
const LIST: u8 = 16;
const EXCEPT: u8 = 32;
const START: u8 = 64;

/// Checks the restrictions; returns the diagnostics (empty when the schema is correct).
pub(crate) fn check(s: &Simple) -> Vec<Diagnostic> {
    let mut c = Checker {
        s,
        diags: Vec::new(),
        reported: HashSet::default(),
        reachable: Vec::new(),
        attr_sets: HashMap::default(),
        elem_sets: HashMap::default(),
        has_text: HashMap::default(),
        reachable_elements: Vec::new(),
    };
    c.paths();
    if c.diags.is_empty() {
        c.content_types();
    }
    if c.diags.is_empty() {
        c.overlaps();
    }
    c.diags
}

/// A set of names and open name classes.
#[derive(Default, Debug)]
struct NcSet {
    names: HashSet<QName>,
    open: Vec<Rc<NameClass>>,
    /// First location of each, for messages: the node that contributed it.
    any: Option<SId>,
}

impl NcSet {
    fn is_empty(&self) -> bool {
        self.names.is_empty() && self.open.is_empty()
    }

    /// Some name in both sets, as a message fragment.
    fn overlap(&self, other: &NcSet) -> Option<String> {
        let (small, big) = if self.names.len() <= other.names.len() {
            (self, other)
        } else {
            (other, self)
        };
        for n in &small.names {
            if big.names.contains(n) {
                return Some(format!("\"{}\"", n.local));
            }
        }
        for o in &self.open {
            for n in &other.names {
                if o.contains(&n.ns, &n.local) {
                    return Some(format!("\"{}\"", n.local));
                }
            }
            for p in &other.open {
                if o.overlaps(p) {
                    return Some(String::new());
                }
            }
        }
        for o in &other.open {
            for n in &self.names {
                if o.contains(&n.ns, &n.local) {
                    return Some(format!("\"{}\"", n.local));
                }
            }
        }
        None
    }

    fn extend(&mut self, other: &NcSet) {
        self.names.extend(other.names.iter().cloned());
        self.open.extend(other.open.iter().cloned());
        if self.any.is_none() {
            self.any = other.any;
        }
    }

    fn add_nc(&mut self, nc: &Rc<NameClass>, at: SId) {
        let mut stack = vec![nc.as_ref()];
        let mut open = false;
        while let Some(c) = stack.pop() {
            match c {
                NameClass::Name(q) => {
                    self.names.insert(q.clone());
                }
                NameClass::Choice(v) => stack.extend(v.iter()),
                _ => open = true,
            }
        }
        if open {
            self.open.push(nc.clone());
        }
        self.any.get_or_insert(at);
    }
}

struct Checker<'a> {
    s: &'a Simple,
    diags: Vec<Diagnostic>,
    reported: HashSet<(SId, &'static str)>,
    /// Group and interleave nodes reachable from start (for §7.3/§7.4).
    reachable: Vec<SId>,
    attr_sets: HashMap<SId, Rc<NcSet>>,
    elem_sets: HashMap<SId, Rc<NcSet>>,
    has_text: HashMap<SId, bool>,
    /// Which elements are reachable from start.
    reachable_elements: Vec<bool>,
}

fn kind_name(k: &SKind) -> &'static str {
    match k {
        SKind::Empty => "empty",
        SKind::NotAllowed => "notAllowed",
        SKind::Text => "text",
        SKind::Choice(_) => "choice",
        SKind::Group(_) => "group",
        SKind::Interleave(_) => "interleave",
        SKind::OneOrMore(_) => "oneOrMore",
        SKind::List(_) => "list",
        SKind::Data { .. } => "data",
        SKind::Value(_) => "value",
        SKind::Attribute { .. } => "attribute",
        SKind::Element(_) => "element",
    }
}

impl<'a> Checker<'a> {
    fn report(&mut self, n: SId, code: &'static crate::diag::Code, msg: String) {
        let tag = code.id;
        if !self.reported.insert((n, tag)) {
            return;
        }
        let loc = &self.s.nodes[n as usize].loc;
        self.diags.push(loc.diag(code, msg));
    }

    /// §7.1 and the open-attribute rule of §7.3.
    fn paths(&mut self) {
        let s = self.s;
        // Contexts are 7 bits: one bit per (node, context) pair.
        let mut seen: Vec<u128> = vec![0; s.nodes.len()];
        let mut elem_seen = vec![false; s.elements.len()];
        let mut stack: Vec<(SId, u8)> = vec![(s.start, START)];
        let mut reach_seen: HashSet<SId> = HashSet::default();
        while let Some((n, ctx)) = stack.pop() {
            let bit = 1u128 << ctx;
            if seen[n as usize] & bit != 0 {
                continue;
            }
            seen[n as usize] |= bit;
            let kind = &s.nodes[n as usize].kind;
            let here = kind_name(kind);
            // The innermost relevant ancestor for the message.
            let within = if ctx & START != 0 {
                Some("start")
            } else if ctx & EXCEPT != 0 {
                Some("except")
            } else if ctx & LIST != 0 {
                Some("list")
            } else if ctx & ATTR != 0 {
                Some("attribute")
            } else {
                None
            };
            let prohibited = match kind {
                SKind::Attribute { .. } => ctx & (ATTR | LIST | EXCEPT | START) != 0,
                SKind::Element(_) => ctx & (ATTR | LIST | EXCEPT) != 0,
                SKind::Text => ctx & (LIST | EXCEPT | START) != 0,
                SKind::List(_) => ctx & (LIST | EXCEPT | START) != 0,
                SKind::Group(_) | SKind::OneOrMore(_) | SKind::Empty => ctx & (EXCEPT | START) != 0,
                SKind::Interleave(_) => ctx & (LIST | EXCEPT | START) != 0,
                SKind::Data { .. } | SKind::Value(_) => ctx & START != 0,
                SKind::Choice(_) | SKind::NotAllowed => false,
            };
            if prohibited {
                let w = match (kind, within) {
                    // `attribute` inside `list` inside `attribute` etc.: name the closest.
                    (_, Some(w)) => w,
                    _ => "pattern",
                };
                self.report(n, &PROHIBITED_PATH, format!("\"{w}\" contains \"{here}\""));
                continue;
            }
            match kind {
                SKind::Attribute { nc, body } => {
                    if ctx & ONE_GROUP != 0 {
                        self.report(
                            n,
                            &PROHIBITED_PATH,
                            "\"oneOrMore\" contains \"group\" contains \"attribute\"".into(),
                        );
                    } else if ctx & ONE_INTERLEAVE != 0 {
                        self.report(
                            n,
                            &PROHIBITED_PATH,
                            "\"oneOrMore\" contains \"interleave\" contains \"attribute\"".into(),
                        );
                    }
                    if nc.is_open() && ctx & ONE == 0 {
                        self.report(
                            n,
                            &OPEN_ATTRIBUTE,
                            "attribute using \"nsName\" or \"anyName\" must be in \"oneOrMore\""
                                .into(),
                        );
                    }
                    stack.push((*body, ctx | ATTR));
                }
                SKind::Element(e) if !elem_seen[*e as usize] => {
                    elem_seen[*e as usize] = true;
                    stack.push((s.elements[*e as usize].content, 0));
                }
                SKind::Choice(v) => {
                    for &c in v.iter().rev() {
                        stack.push((c, ctx));
                    }
                }
                SKind::Group(v) | SKind::Interleave(v) => {
                    if reach_seen.insert(n) {
                        self.reachable.push(n);
                    }
                    let extra = if ctx & ONE != 0 {
                        if matches!(kind, SKind::Group(_)) {
                            ONE_GROUP
                        } else {
                            ONE_INTERLEAVE
                        }
                    } else {
                        0
                    };
                    for &c in v.iter().rev() {
                        stack.push((c, ctx | extra));
                    }
                }
                SKind::OneOrMore(c) => stack.push((*c, ctx | ONE)),
                SKind::List(c) => stack.push((*c, ctx | LIST)),
                SKind::Data {
                    except: Some(e), ..
                } => stack.push((*e, ctx | EXCEPT)),
                _ => {}
            }
        }
        // Elements' content types are checked per reachable element.
        self.reachable_elements = elem_seen;
    }
}

// Content types (§7.2) need the reachable elements found by `paths`.
impl<'a> Checker<'a> {
    fn content_types(&mut self) {
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
        enum Ct {
            Empty,
            Complex,
            Simple,
        }
        let s = self.s;
        let mut memo: HashMap<SId, Option<Ct>> = HashMap::default();
        let roots: Vec<SId> = s
            .elements
            .iter()
            .enumerate()
            .filter(|(i, _)| self.reachable_elements.get(*i).copied().unwrap_or(false))
            .map(|(_, e)| e.content)
            .collect();
        let groupable = |a: Ct, b: Ct| {
            a == Ct::Empty || b == Ct::Empty || (a == Ct::Complex && b == Ct::Complex)
        };
        for root in roots {
            let mut stack: Vec<(SId, bool)> = vec![(root, false)];
            while let Some((n, expanded)) = stack.pop() {
                if memo.contains_key(&n) && !expanded {
                    continue;
                }
                let kind = &s.nodes[n as usize].kind;
                let kids: Vec<SId> = match kind {
                    SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => v.clone(),
                    SKind::OneOrMore(c) => vec![*c],
                    _ => Vec::new(),
                };
                if !expanded && !kids.is_empty() {
                    stack.push((n, true));
                    for k in kids {
                        if !memo.contains_key(&k) {
                            stack.push((k, false));
                        }
                    }
                    continue;
                }
                let ct = |m: &HashMap<SId, Option<Ct>>, k: SId| m.get(&k).copied().flatten();
                let v = match kind {
                    SKind::Value(_) | SKind::Data { .. } | SKind::List(_) => Some(Ct::Simple),
                    SKind::Text | SKind::Element(_) => Some(Ct::Complex),
                    SKind::Attribute { .. } | SKind::Empty | SKind::NotAllowed => Some(Ct::Empty),
                    SKind::Choice(v) => {
                        let mut acc = Some(Ct::Empty);
                        for &k in v {
                            acc = match (acc, ct(&memo, k)) {
                                (Some(a), Some(b)) => Some(a.max(b)),
                                _ => None,
                            };
                        }
                        acc
                    }
                    SKind::Group(v) | SKind::Interleave(v) => {
                        let mut acc = Some(Ct::Empty);
                        for &k in v {
                            acc = match (acc, ct(&memo, k)) {
                                (Some(a), Some(b)) if groupable(a, b) => Some(a.max(b)),
                                (Some(_), Some(_)) => {
                                    let what = kind_name(kind);
                                    self.report(
                                        n,
                                        &STRING_SEQUENCE,
                                        format!("{what} of \"string\" or \"data\" element"),
                                    );
                                    None
                                }
                                _ => None,
                            };
                        }
                        acc
                    }
                    SKind::OneOrMore(c) => match ct(&memo, *c) {
                        Some(a) if groupable(a, a) => Some(a),
                        Some(_) => {
                            self.report(
                                n,
                                &STRING_SEQUENCE,
                                "repeat of \"string\" or \"data\" element".into(),
                            );
                            None
                        }
                        None => None,
                    },
                };
                memo.insert(n, v);
            }
        }
    }
}

impl<'a> Checker<'a> {
    /// §7.3 duplicate attributes, §7.4 interleave overlaps.
    fn overlaps(&mut self) {
        let nodes = std::mem::take(&mut self.reachable);
        for &n in &nodes {
            let kind = &self.s.nodes[n as usize].kind;
            let (ops, inter) = match kind {
                SKind::Group(v) => (v.clone(), false),
                SKind::Interleave(v) => (v.clone(), true),
                _ => continue,
            };
            // Attributes.
            let mut seen = NcSet::default();
            for &o in &ops {
                let a = self.attr_set(o);
                if let Some(name) = seen.overlap(&a) {
                    let msg = if name.is_empty() {
                        "duplicate attribute".to_string()
                    } else {
                        format!("duplicate attribute {name}")
                    };
                    let at = a.any.unwrap_or(n);
                    self.report(at, &DUPLICATE_ATTRIBUTE, msg);
                    break;
                }
                seen.extend(&a);
            }
            if !inter {
                continue;
            }
            let mut seen = NcSet::default();
            let mut text = false;
            for &o in &ops {
                let e = self.elem_set(o);
                if let Some(name) = seen.overlap(&e) {
                    let msg = if name.is_empty() {
                        "overlapping element names in operands of \"interleave\"".to_string()
                    } else {
                        format!(
                            "the element {name} can occur in more than one operand of \"interleave\""
                        )
                    };
                    self.report(n, &INTERLEAVE_OVERLAP, msg);
                    break;
                }
                seen.extend(&e);
                let t = self.text_in(o);
                if t && text {
                    self.report(
                        n,
                        &INTERLEAVE_OVERLAP,
                        "both operands of \"interleave\" contain \"text\"".into(),
                    );
                    break;
                }
                text |= t;
            }
        }
    }

    /// Generic bottom-up set computation over the pattern DAG (not crossing elements and
    /// attributes).
    fn set_of(&mut self, root: SId, elements: bool) -> Rc<NcSet> {
        let s = self.s;
        let memo = if elements {
            &mut self.elem_sets
        } else {
            &mut self.attr_sets
        };
        if let Some(r) = memo.get(&root) {
            return r.clone();
        }
        let mut stack: Vec<(SId, bool)> = vec![(root, false)];
        while let Some((n, expanded)) = stack.pop() {
            if memo.contains_key(&n) {
                continue;
            }
            let kind = &s.nodes[n as usize].kind;
            let kids: &[SId] = match kind {
                SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => v,
                SKind::OneOrMore(c) | SKind::List(c) => std::slice::from_ref(c),
                _ => &[],
            };
            if !expanded && !kids.is_empty() {
                stack.push((n, true));
                for &k in kids {
                    if !memo.contains_key(&k) {
                        stack.push((k, false));
                    }
                }
                continue;
            }
            let mut set = NcSet::default();
            match kind {
                SKind::Attribute { nc, .. } if !elements => set.add_nc(nc, n),
                SKind::Element(e) if elements => set.add_nc(&s.elements[*e as usize].nc, n),
                _ => {
                    for &k in kids {
                        if let Some(c) = memo.get(&k) {
                            if !c.is_empty() {
                                set.extend(c);
                            }
                        }
                    }
                }
            }
            memo.insert(n, Rc::new(set));
        }
        memo.get(&root).cloned().unwrap_or_default()
    }

    fn attr_set(&mut self, n: SId) -> Rc<NcSet> {
        self.set_of(n, false)
    }

    fn elem_set(&mut self, n: SId) -> Rc<NcSet> {
        self.set_of(n, true)
    }

    fn text_in(&mut self, root: SId) -> bool {
        if let Some(&b) = self.has_text.get(&root) {
            return b;
        }
        let s = self.s;
        let mut seen = HashSet::default();
        let mut stack = vec![root];
        let mut found = false;
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let Some(&b) = self.has_text.get(&n) {
                if b {
                    found = true;
                    break;
                }
                continue;
            }
            match &s.nodes[n as usize].kind {
                SKind::Text => {
                    found = true;
                    break;
                }
                SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => {
                    stack.extend(v.iter().copied())
                }
                SKind::OneOrMore(c) => stack.push(*c),
                _ => {}
            }
        }
        self.has_text.insert(root, found);
        found
    }
}
