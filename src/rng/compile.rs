//! Stage 4 of loading: the checked simple syntax → interned patterns for the validator.
//!
//! n-ary groups and interleaves are folded into balanced binary trees, so a sequence of n
//! patterns costs log n levels of recursion in the derivative functions, not n.

use rustc_hash::FxHashMap as HashMap;

use super::codes::SCHEMA_LIMIT;
use super::names::NameClass;
use super::parse::{AKind, Ast, DtEntry};
use super::pattern::{Arena, EMPTY, Intern, NOT_ALLOWED, P, Pat, TEXT};
use super::simplify::{SKind, Simple};
use crate::diag::Diagnostic;
use crate::xsd;

/// How deep patterns may nest (between elements) after simplification. The derivative
/// functions recurse along this depth.
pub(crate) const MAX_PATTERN_DEPTH: u32 = 2_000;

/// An element pattern of the compiled schema.
#[derive(Debug, Clone)]
pub(crate) struct ElemInfo {
    pub nc: u32,
    pub content: Pat,
}

/// A `value` pattern's datatype and value.
#[derive(Debug, Clone)]
pub(crate) struct ValueEntry {
    pub dt: u32,
    pub value: xsd::Value,
    /// The value as written in the schema, for messages.
    pub text: String,
}

/// The compiled schema's tables.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub arena: Arena,
    pub start: Pat,
    pub elements: Vec<ElemInfo>,
    pub name_classes: Vec<NameClass>,
    /// Every (namespace, local name) a `name` of some name class spells out. Names not in
    /// it are matched by wildcards (`anyName`, `nsName`) only, so two such names of one
    /// namespace behave the same everywhere in the schema: the validator memoises
    /// derivatives for one representative of them.
    pub mentioned: HashMap<String, rustc_hash::FxHashSet<String>>,
    pub datatypes: Vec<DtEntry>,
    pub values: Vec<ValueEntry>,
}

pub(crate) fn compile(s: &Simple, ast: &Ast) -> Result<Compiled, Vec<Diagnostic>> {
    let mut arena = Arena::new();
    let mut ncs: Vec<NameClass> = Vec::new();
    let mut nc_index: HashMap<NameClass, u32> = HashMap::default();
    let mut values: Vec<ValueEntry> = Vec::new();
    let mut value_index: HashMap<(u32, xsd::Value), u32> = HashMap::default();
    let mut memo: Vec<Option<Pat>> = vec![None; s.nodes.len()];
    let mut nc_id = |nc: &NameClass| -> u32 {
        if let Some(&i) = nc_index.get(nc) {
            return i;
        }
        let i = ncs.len() as u32;
        ncs.push(nc.clone());
        nc_index.insert(nc.clone(), i);
        i
    };
    let mut elements: Vec<ElemInfo> = s
        .elements
        .iter()
        .map(|e| ElemInfo {
            nc: nc_id(&e.nc),
            content: NOT_ALLOWED,
        })
        .collect();
    let roots: Vec<u32> = std::iter::once(s.start)
        .chain(s.elements.iter().map(|e| e.content))
        .collect();
    for root in roots {
        if memo[root as usize].is_some() {
            continue;
        }
        let mut stack: Vec<(u32, bool)> = vec![(root, false)];
        while let Some((n, expanded)) = stack.pop() {
            if memo[n as usize].is_some() {
                continue;
            }
            let kind = &s.nodes[n as usize].kind;
            let kids: &[u32] = match kind {
                SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => v,
                SKind::OneOrMore(c) | SKind::List(c) => std::slice::from_ref(c),
                SKind::Attribute { body, .. } => std::slice::from_ref(body),
                SKind::Data {
                    except: Some(e), ..
                } => std::slice::from_ref(e),
                _ => &[],
            };
            if !expanded && kids.iter().any(|k| memo[*k as usize].is_none()) {
                stack.push((n, true));
                for &k in kids {
                    if memo[k as usize].is_none() {
                        stack.push((k, false));
                    }
                }
                continue;
            }
            let get = |k: u32| memo[k as usize].expect("operand compiled");
            let p = match kind {
                SKind::Empty => EMPTY,
                SKind::NotAllowed => NOT_ALLOWED,
                SKind::Text => TEXT,
                SKind::Choice(v) => {
                    let ops = v.iter().map(|&k| get(k)).collect();
                    arena.choice_n(ops)
                }
                SKind::Group(v) => {
                    let ops: Vec<Pat> = v.iter().map(|&k| get(k)).collect();
                    fold(&mut arena, &ops, false)
                }
                SKind::Interleave(v) => {
                    let ops: Vec<Pat> = v.iter().map(|&k| get(k)).collect();
                    fold(&mut arena, &ops, true)
                }
                SKind::OneOrMore(c) => {
                    let c = get(*c);
                    arena.one_or_more(c)
                }
                SKind::List(c) => {
                    let c = get(*c);
                    arena.list(c)
                }
                SKind::Data { dt, except } => {
                    let e = except.map(get);
                    arena.raw(P::Data(*dt, e))
                }
                SKind::Value(a) => {
                    let AKind::Value { dt, value, text } = &ast.nodes[*a as usize].kind else {
                        unreachable!("value node")
                    };
                    let key = (*dt, value.clone());
                    let idx = match value_index.get(&key) {
                        Some(&i) => i,
                        None => {
                            let i = values.len() as u32;
                            values.push(ValueEntry {
                                dt: *dt,
                                value: value.clone(),
                                text: text.clone(),
                            });
                            value_index.insert(key, i);
                            i
                        }
                    };
                    arena.raw(P::Value(idx))
                }
                SKind::Attribute { nc, body } => {
                    let b = get(*body);
                    let i = nc_id(nc);
                    arena.attribute(i, b)
                }
                SKind::Element(e) => arena.raw(P::Element(*e)),
            };
            memo[n as usize] = Some(p);
        }
    }
    for (i, e) in s.elements.iter().enumerate() {
        elements[i].content = memo[e.content as usize].unwrap_or(NOT_ALLOWED);
    }
    let start = memo[s.start as usize].unwrap_or(NOT_ALLOWED);
    check_depth(&arena)?;
    let mut mentioned: HashMap<String, rustc_hash::FxHashSet<String>> = HashMap::default();
    for nc in &ncs {
        nc.names_spelt_out(&mut |q| {
            mentioned
                .entry(q.ns.clone())
                .or_default()
                .insert(q.local.clone());
        });
    }
    Ok(Compiled {
        arena,
        start,
        elements,
        name_classes: ncs,
        mentioned,
        datatypes: ast.datatypes.clone(),
        values,
    })
}

/// Balanced binary fold of a group or interleave.
fn fold(arena: &mut Arena, ops: &[Pat], interleave: bool) -> Pat {
    match ops.len() {
        0 => EMPTY,
        1 => ops[0],
        n => {
            let (l, r) = ops.split_at(n / 2);
            let a = fold(arena, l, interleave);
            let b = fold(arena, r, interleave);
            if interleave {
                arena.interleave(a, b)
            } else {
                arena.group(a, b)
            }
        }
    }
}

/// Operands are interned before the patterns that use them, so one pass in id order
/// computes every pattern's depth.
fn check_depth(arena: &Arena) -> Result<(), Vec<Diagnostic>> {
    let mut depth: Vec<u32> = Vec::with_capacity(arena.len());
    for i in 0..arena.len() {
        let d = |p: &Pat| depth[p.0 as usize];
        let v = match arena.get(Pat(i as u32)) {
            P::Choice(v) => v.iter().map(d).max().unwrap_or(0),
            P::Interleave(a, b) | P::Group(a, b) | P::After(a, b) => d(a).max(d(b)),
            P::OneOrMore(a) | P::List(a) | P::Attribute(_, a) | P::Data(_, Some(a)) => d(a),
            _ => 0,
        } + 1;
        if v > MAX_PATTERN_DEPTH {
            return Err(vec![Diagnostic::error(
                &SCHEMA_LIMIT,
                format!(
                    "patterns nest deeper than the limit of {MAX_PATTERN_DEPTH} levels between elements"
                ),
            )]);
        }
        depth.push(v);
    }
    Ok(())
}
