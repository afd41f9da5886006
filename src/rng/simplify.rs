//! Stage 2 of loading: the full-syntax AST → the simple syntax (RELAX NG §4.12–§4.20).
//!
//! Grammars are resolved (§4.17 `combine`, §4.18 `start`, `ref`, `parentRef`), `optional`,
//! `zeroOrMore` and `mixed` are rewritten (§4.13–4.15), `notAllowed` and `empty` are
//! propagated (§4.20), and every `element` becomes one [`SElement`] (§4.19).
//!
//! Unlike the specification, references to definitions that are not elements are not
//! copied: the result is a DAG in which a definition's body is shared by every reference,
//! so a schema whose definitions reference each other many times stays linear in size
//! (tei_all references its attribute and model classes thousands of times).
//!
//! Architecture invariant: the evaluation is an explicit-stack depth-first walk; a chain of
//! 20,000 references or 50,000 nested groups costs heap, not stack.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use super::codes::*;
use super::names::NameClass;
use super::parse::{AId, AKind, Ast, Combine, DtId, GramId, Loc};
use crate::diag::{Diagnostic, Label};

/// Index of a simple-syntax node.
pub(crate) type SId = u32;
/// Index of an element pattern.
pub(crate) type ElemIdx = u32;

/// Kinds of simple-syntax patterns.
#[derive(Debug, Clone)]
pub(crate) enum SKind {
    Empty,
    NotAllowed,
    Text,
    /// At least two operands, no nested choices, no `notAllowed`.
    Choice(Vec<SId>),
    /// At least two operands, no nested groups, no `empty`/`notAllowed`.
    Group(Vec<SId>),
    /// At least two operands, no nested interleaves, no `empty`/`notAllowed`.
    Interleave(Vec<SId>),
    OneOrMore(SId),
    List(SId),
    Data {
        dt: DtId,
        except: Option<SId>,
    },
    /// The AST node holding the value.
    Value(AId),
    Attribute {
        nc: Rc<NameClass>,
        body: SId,
    },
    Element(ElemIdx),
}

/// A simple-syntax node with the location of the schema element it comes from.
#[derive(Debug, Clone)]
pub(crate) struct SNode {
    pub kind: SKind,
    pub loc: Loc,
}

/// An element pattern.
#[derive(Debug, Clone)]
pub(crate) struct SElement {
    pub nc: Rc<NameClass>,
    pub content: SId,
}

/// The simplified schema.
#[derive(Debug)]
pub(crate) struct Simple {
    pub nodes: Vec<SNode>,
    pub elements: Vec<SElement>,
    pub start: SId,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Item {
    Ast(AId),
    Def(u32),
    ElemContent(ElemIdx),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    Busy,
    Done(SId),
}

struct Define {
    /// Component bodies (AST `Group` nodes).
    parts: Vec<AId>,
    combine: Combine,
    loc: Loc,
}

pub(crate) struct Simplifier<'a> {
    ast: &'a Ast,
    nodes: Vec<SNode>,
    elements: Vec<SElement>,
    /// Element AST node of each element.
    element_ast: Vec<AId>,
    ast_state: Vec<State>,
    def_state: Vec<State>,
    elem_done: Vec<bool>,
    defs: Vec<Define>,
    /// (grammar, name) → define; the start of grammar g is `starts[g]`.
    def_index: HashMap<(GramId, String), u32>,
    starts: Vec<Option<u32>>,
    empty: SId,
    not_allowed: SId,
    text: SId,
    pub diags: Vec<Diagnostic>,
    report_recursion: bool,
}

impl<'a> Simplifier<'a> {
    pub fn new(ast: &'a Ast) -> Self {
        let loc = ast.nodes[ast.root as usize].loc.clone();
        let mut s = Simplifier {
            ast,
            nodes: Vec::with_capacity(ast.nodes.len()),
            elements: Vec::new(),
            element_ast: Vec::new(),
            ast_state: vec![State::New; ast.nodes.len()],
            def_state: Vec::new(),
            elem_done: Vec::new(),
            defs: Vec::new(),
            def_index: HashMap::default(),
            starts: Vec::new(),
            empty: 0,
            not_allowed: 0,
            text: 0,
            diags: Vec::new(),
            report_recursion: true,
        };
        s.empty = s.push(SKind::Empty, loc.clone());
        s.not_allowed = s.push(SKind::NotAllowed, loc.clone());
        s.text = s.push(SKind::Text, loc);
        s
    }

    fn push(&mut self, kind: SKind, loc: Loc) -> SId {
        let id = self.nodes.len() as SId;
        self.nodes.push(SNode { kind, loc });
        id
    }

    /// Runs the stage.
    pub fn run(mut self) -> Result<Simple, Vec<Diagnostic>> {
        self.collect_defines();
        // What is reachable from the root first: recursion is an error only there (§4.19
        // removes unreachable definitions before expanding references).
        let root = self.ast.root;
        self.eval(Item::Ast(root));
        let start = match self.ast_state[root as usize] {
            State::Done(s) => s,
            _ => self.not_allowed,
        };
        self.eval_element_contents();
        // Then every other definition, for the errors §4.17/§4.18 find anywhere.
        self.report_recursion = false;
        for d in 0..self.defs.len() as u32 {
            self.eval(Item::Def(d));
        }
        self.eval_element_contents();
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        Ok(Simple {
            nodes: self.nodes,
            elements: self.elements,
            start,
        })
    }

    /// §4.17, §4.18: collects the definitions of every grammar and checks `combine`.
    fn collect_defines(&mut self) {
        for (g, gram) in self.ast.grammars.iter().enumerate() {
            let g = g as GramId;
            // start
            if gram.starts.is_empty() {
                self.diags.push(
                    gram.loc
                        .diag(&MISSING_START, "grammar has no \"start\" element"),
                );
                self.starts.push(None);
            } else {
                let combine = self.combine_of(&gram.starts, None);
                let id = self.defs.len() as u32;
                self.defs.push(Define {
                    parts: gram.starts.iter().map(|c| c.body).collect(),
                    combine,
                    loc: gram.starts[0].loc.clone(),
                });
                self.starts.push(Some(id));
            }
            for name in &gram.define_order {
                let comps = &gram.defines[name];
                let combine = self.combine_of(comps, Some(name));
                let id = self.defs.len() as u32;
                self.defs.push(Define {
                    parts: comps.iter().map(|c| c.body).collect(),
                    combine,
                    loc: comps[0].loc.clone(),
                });
                self.def_index.insert((g, name.clone()), id);
            }
        }
        self.def_state = vec![State::New; self.defs.len()];
    }

    fn combine_of(&mut self, comps: &[super::parse::Component], name: Option<&str>) -> Combine {
        let what = match name {
            Some(n) => format!("of \"{n}\""),
            None => "of start".to_string(),
        };
        let without: Vec<&super::parse::Component> =
            comps.iter().filter(|c| c.combine.is_none()).collect();
        if without.len() > 1 {
            let mut d = without[1].loc.diag(
                &COMBINE,
                format!("multiple definitions {what} without \"combine\" attribute"),
            );
            d = d.also(
                Label::new(without[0].loc.file, without[0].loc.span.clone())
                    .with_message("first definition"),
            );
            self.diags.push(d);
        }
        let mut method = None;
        for c in comps {
            if let Some(m) = c.combine {
                match method {
                    None => method = Some((m, c)),
                    Some((m0, c0)) if m0 != m => {
                        let d = c
                            .loc
                            .diag(
                                &COMBINE,
                                format!("conflicting values of \"combine\" attribute for definition {what}"),
                            )
                            .also(
                                Label::new(c0.loc.file, c0.loc.span.clone())
                                    .with_message("other value here"),
                            );
                        self.diags.push(d);
                    }
                    _ => {}
                }
            }
        }
        method.map(|(m, _)| m).unwrap_or(Combine::Choice)
    }

    fn state(&self, it: Item) -> State {
        match it {
            Item::Ast(a) => self.ast_state[a as usize],
            Item::Def(d) => self.def_state[d as usize],
            Item::ElemContent(e) => {
                if self.elem_done[e as usize] {
                    State::Done(self.elements[e as usize].content)
                } else {
                    State::New
                }
            }
        }
    }

    fn set_state(&mut self, it: Item, s: State) {
        match it {
            Item::Ast(a) => self.ast_state[a as usize] = s,
            Item::Def(d) => self.def_state[d as usize] = s,
            Item::ElemContent(e) => {
                if let State::Done(c) = s {
                    self.elements[e as usize].content = c;
                    self.elem_done[e as usize] = true;
                }
            }
        }
    }

    fn result(&self, it: Item) -> SId {
        match self.state(it) {
            State::Done(s) => s,
            _ => self.not_allowed,
        }
    }

    /// The items an item's value depends on. Refs resolve to their definition here.
    fn deps(&mut self, it: Item) -> Vec<Item> {
        match it {
            Item::Def(d) => self.defs[d as usize]
                .parts
                .iter()
                .map(|&a| Item::Ast(a))
                .collect(),
            Item::ElemContent(e) => {
                let a = self.element_ast[e as usize];
                self.ast.nodes[a as usize]
                    .children
                    .iter()
                    .map(|&c| Item::Ast(c))
                    .collect()
            }
            Item::Ast(a) => {
                let n = &self.ast.nodes[a as usize];
                match &n.kind {
                    AKind::Element(_) => Vec::new(),
                    AKind::Ref { .. } | AKind::ParentRef { .. } => match self.resolve_ref(a) {
                        Some(d) => vec![Item::Def(d)],
                        None => Vec::new(),
                    },
                    AKind::Grammar(g) => match self.starts[*g as usize] {
                        Some(d) => vec![Item::Def(d)],
                        None => Vec::new(),
                    },
                    _ => n.children.iter().map(|&c| Item::Ast(c)).collect(),
                }
            }
        }
    }

    fn resolve_ref(&self, a: AId) -> Option<u32> {
        let n = &self.ast.nodes[a as usize];
        match &n.kind {
            AKind::Ref {
                name,
                grammar: Some(g),
            } => self.def_index.get(&(*g, name.clone())).copied(),
            AKind::ParentRef {
                name,
                grammar: Some(g),
            } => {
                let p = self.ast.grammars[*g as usize].parent?;
                self.def_index.get(&(p, name.clone())).copied()
            }
            _ => None,
        }
    }

    /// Evaluates element contents until no new elements appear.
    fn eval_element_contents(&mut self) {
        let mut i = 0;
        while i < self.elements.len() {
            if !self.elem_done[i] {
                self.eval(Item::ElemContent(i as ElemIdx));
            }
            i += 1;
        }
    }

    /// Explicit-stack post-order evaluation.
    fn eval(&mut self, root: Item) {
        if !matches!(self.state(root), State::New) {
            return;
        }
        // (item, deps, next dep index)
        let mut stack: Vec<(Item, Vec<Item>, usize)> = Vec::new();
        self.set_state(root, State::Busy);
        let deps = self.deps(root);
        stack.push((root, deps, 0));
        while let Some(top) = stack.last_mut() {
            if top.2 < top.1.len() {
                let dep = top.1[top.2];
                top.2 += 1;
                let from = top.0;
                match self.state(dep) {
                    State::New => {
                        self.set_state(dep, State::Busy);
                        let d = self.deps(dep);
                        stack.push((dep, d, 0));
                    }
                    State::Busy => {
                        // Only references close cycles (element contents are separate roots).
                        if let Item::Ast(a) = from
                            && self.report_recursion
                        {
                            let n = &self.ast.nodes[a as usize];
                            let name = match &n.kind {
                                AKind::Ref { name, .. } | AKind::ParentRef { name, .. } => {
                                    name.clone()
                                }
                                _ => String::new(),
                            };
                            self.diags.push(n.loc.diag(
                                &RECURSIVE_REF,
                                format!("bad recursive reference to pattern \"{name}\""),
                            ));
                        }
                    }
                    State::Done(_) => {}
                }
                continue;
            }
            let (it, deps, _) = stack.pop().expect("frame");
            let v = self.finish(it, &deps);
            self.set_state(it, State::Done(v));
        }
    }

    /// Computes an item's value once its dependencies are done.
    fn finish(&mut self, it: Item, deps: &[Item]) -> SId {
        let vals: Vec<SId> = deps.iter().map(|&d| self.result(d)).collect();
        match it {
            Item::Def(d) => {
                let loc = self.defs[d as usize].loc.clone();
                match self.defs[d as usize].combine {
                    Combine::Choice => self.choice(vals, loc),
                    Combine::Interleave => self.interleave(vals, loc),
                }
            }
            Item::ElemContent(_) => {
                let loc = match deps.first() {
                    Some(Item::Ast(a)) => self.ast.nodes[*a as usize].loc.clone(),
                    _ => self.nodes[self.empty as usize].loc.clone(),
                };
                self.group(vals, loc)
            }
            Item::Ast(a) => self.finish_ast(a, vals),
        }
    }

    fn finish_ast(&mut self, a: AId, vals: Vec<SId>) -> SId {
        let ast = self.ast;
        let n = &ast.nodes[a as usize];
        let loc = n.loc.clone();
        match &n.kind {
            // Fresh nodes, so that §7 errors about them point at them.
            AKind::Empty => self.push(SKind::Empty, loc),
            AKind::NotAllowed => self.not_allowed,
            AKind::Text => self.push(SKind::Text, loc),
            AKind::Group => self.group(vals, loc),
            AKind::Interleave => self.interleave(vals, loc),
            AKind::Choice => self.choice(vals, loc),
            AKind::Optional => {
                let p = self.group(vals, loc.clone());
                let e = self.push(SKind::Empty, loc.clone());
                self.choice(vec![p, e], loc)
            }
            AKind::ZeroOrMore => {
                let p = self.group(vals, loc.clone());
                let m = self.one_or_more(p, loc.clone());
                let e = self.push(SKind::Empty, loc.clone());
                self.choice(vec![m, e], loc)
            }
            AKind::OneOrMore => {
                let p = self.group(vals, loc.clone());
                self.one_or_more(p, loc)
            }
            AKind::Mixed => {
                let p = self.group(vals, loc.clone());
                let t = self.push(SKind::Text, loc.clone());
                self.interleave(vec![p, t], loc)
            }
            AKind::List => {
                let p = self.group(vals, loc.clone());
                if self.is_not_allowed(p) {
                    return p;
                }
                self.push(SKind::List(p), loc)
            }
            AKind::Data(dt) => {
                let except = vals.first().copied().filter(|&e| !self.is_not_allowed(e));
                self.push(SKind::Data { dt: *dt, except }, loc)
            }
            AKind::Value { .. } => self.push(SKind::Value(a), loc),
            AKind::Attribute(nc) => {
                let body = match vals.first() {
                    Some(&b) => b,
                    None => self.push(SKind::Text, loc.clone()),
                };
                if self.is_not_allowed(body) {
                    return body;
                }
                self.push(
                    SKind::Attribute {
                        nc: nc.clone(),
                        body,
                    },
                    loc,
                )
            }
            AKind::Element(nc) => {
                let e = self.elements.len() as ElemIdx;
                self.elements.push(SElement {
                    nc: nc.clone(),
                    content: self.not_allowed,
                });
                self.element_ast.push(a);
                self.elem_done.push(false);
                self.push(SKind::Element(e), loc)
            }
            AKind::Ref { name, grammar } | AKind::ParentRef { name, grammar } => {
                match vals.first() {
                    Some(&v) => v,
                    None => {
                        let is_parent = matches!(n.kind, AKind::ParentRef { .. });
                        let (code, msg) = match grammar {
                            None => (
                                &NO_PARENT_GRAMMAR,
                                "reference to non-existent grammar".to_string(),
                            ),
                            Some(g) if is_parent && ast.grammars[*g as usize].parent.is_none() => (
                                &NO_PARENT_GRAMMAR,
                                "reference to non-existent parent grammar".to_string(),
                            ),
                            Some(_) => (
                                &UNDEFINED_REF,
                                format!("reference to undefined pattern \"{name}\""),
                            ),
                        };
                        self.diags.push(loc.diag(code, msg));
                        self.not_allowed
                    }
                }
            }
            AKind::Grammar(_) => vals.first().copied().unwrap_or(self.not_allowed),
        }
    }

    // ------------------------------------------------------------ constructors (§4.20)

    fn is_not_allowed(&self, p: SId) -> bool {
        matches!(self.nodes[p as usize].kind, SKind::NotAllowed)
    }

    fn choice(&mut self, vals: Vec<SId>, loc: Loc) -> SId {
        let mut ops = Vec::with_capacity(vals.len());
        for v in vals {
            match &self.nodes[v as usize].kind {
                SKind::NotAllowed => {}
                SKind::Choice(inner) => ops.extend_from_slice(inner),
                _ => ops.push(v),
            }
        }
        match ops.len() {
            0 => self.not_allowed,
            1 => ops[0],
            _ => self.push(SKind::Choice(ops), loc),
        }
    }

    fn group(&mut self, vals: Vec<SId>, loc: Loc) -> SId {
        self.sequence(vals, loc, false)
    }

    fn interleave(&mut self, vals: Vec<SId>, loc: Loc) -> SId {
        self.sequence(vals, loc, true)
    }

    fn sequence(&mut self, vals: Vec<SId>, loc: Loc, interleave: bool) -> SId {
        let mut ops = Vec::with_capacity(vals.len());
        for v in vals {
            match &self.nodes[v as usize].kind {
                SKind::NotAllowed => return self.not_allowed,
                SKind::Empty => {}
                SKind::Group(inner) if !interleave => ops.extend_from_slice(inner),
                SKind::Interleave(inner) if interleave => ops.extend_from_slice(inner),
                _ => ops.push(v),
            }
        }
        match ops.len() {
            0 => self.empty,
            1 => ops[0],
            _ if interleave => self.push(SKind::Interleave(ops), loc),
            _ => self.push(SKind::Group(ops), loc),
        }
    }

    fn one_or_more(&mut self, p: SId, loc: Loc) -> SId {
        match self.nodes[p as usize].kind {
            SKind::NotAllowed | SKind::Empty => p,
            _ => self.push(SKind::OneOrMore(p), loc),
        }
    }
}
