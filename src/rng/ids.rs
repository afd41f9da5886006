//! RELAX NG DTD Compatibility, ID/IDREF/IDREFS (its §3 and §4), as jing checks by default.
//!
//! At compile time: every `data`/`value` whose datatype has an ID-type must be the whole
//! content of an `attribute` with a single name, inside elements named by plain names, and
//! all patterns for the same (element, attribute) pair must agree on the ID-type
//! ("ID correctness"). The result is a map (element name, attribute name) → ID-type.
//!
//! At validation time ([`IdChecker`]): every ID is unique in the document and every IDREF
//! token names an ID ("ID soundness").

use rustc_hash::FxHashMap as HashMap;

use super::codes::*;
use super::names::{NameClass, QName};
use super::parse::{AKind, Ast};
use super::simplify::{SId, SKind, Simple};
use crate::diag::{Diagnostic, FileId, Label};
use crate::xsd::IdType;

/// (element name, attribute name) → ID-type, for the pairs whose type is not null.
#[derive(Debug, Default, Clone)]
pub(crate) struct IdMap {
    pub map: HashMap<(QName, QName), IdType>,
}

fn id_type(s: &Simple, ast: &Ast, n: SId) -> IdType {
    match &s.nodes[n as usize].kind {
        SKind::Data { dt, .. } => ast.datatypes[*dt as usize].datatype.id_type(),
        SKind::Value(a) => match &ast.nodes[*a as usize].kind {
            AKind::Value { dt, .. } => ast.datatypes[*dt as usize].datatype.id_type(),
            _ => IdType::Null,
        },
        _ => IdType::Null,
    }
}

/// Builds the ID-type map; `Ok(None)` when the schema uses no ID-typed datatype.
pub(crate) fn build(s: &Simple, ast: &Ast) -> Result<Option<IdMap>, Vec<Diagnostic>> {
    let any_id = ast
        .datatypes
        .iter()
        .any(|d| d.datatype.id_type() != IdType::Null);
    if !any_id {
        return Ok(None);
    }
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut map = IdMap::default();
    let err = |diags: &mut Vec<Diagnostic>, s: &Simple, at: SId, msg: String| {
        let loc = &s.nodes[at as usize].loc;
        diags.push(loc.diag(&ID_COMPATIBILITY, msg));
    };
    // 1. One walk over everything reachable: ID-typed data must be an attribute's content.
    let mut seen = vec![0u8; s.nodes.len()];
    let mut elem_seen = vec![false; s.elements.len()];
    let mut elements: Vec<usize> = Vec::new();
    let mut stack: Vec<(SId, bool)> = vec![(s.start, false)];
    while let Some((n, attr_parent)) = stack.pop() {
        let bit = 1u8 << u8::from(attr_parent);
        if seen[n as usize] & bit != 0 {
            continue;
        }
        seen[n as usize] |= bit;
        match &s.nodes[n as usize].kind {
            SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => {
                // Reversed, so that operands are visited in document order.
                stack.extend(v.iter().rev().map(|&c| (c, false)));
            }
            SKind::OneOrMore(c) | SKind::List(c) => stack.push((*c, false)),
            SKind::Element(e) => {
                let e = *e as usize;
                if !elem_seen[e] {
                    elem_seen[e] = true;
                    elements.push(e);
                    stack.push((s.elements[e].content, false));
                }
            }
            SKind::Attribute { body, .. } => stack.push((*body, true)),
            SKind::Data { except, .. } => {
                if id_type(s, ast, n) != IdType::Null && !attr_parent {
                    err(&mut diags, s, n, ID_PARENT.into());
                }
                if let Some(x) = except {
                    stack.push((*x, false));
                }
            }
            SKind::Value(_) => {
                if id_type(s, ast, n) != IdType::Null && !attr_parent {
                    err(&mut diags, s, n, ID_PARENT.into());
                }
            }
            SKind::Empty | SKind::NotAllowed | SKind::Text => {}
        }
    }
    // 2. Per element, its attributes: ID-typed ones fill the map, the others may conflict.
    let mut possible: Vec<(usize, SId)> = Vec::new();
    let mut memo: HashMap<SId, std::rc::Rc<Vec<SId>>> = HashMap::default();
    for e in elements {
        let attrs = attributes_of(s, s.elements[e].content, &mut memo);
        for &n in attrs.iter() {
            let SKind::Attribute { nc, body } = &s.nodes[n as usize].kind else {
                continue;
            };
            let t = id_type(s, ast, *body);
            if t == IdType::Null {
                possible.push((e, n));
                continue;
            }
            let Some(an) = nc.single_name() else {
                err(
                    &mut diags,
                    s,
                    n,
                    "an \"attribute\" pattern with a non-null ID-type must have a name class that is a single name".into(),
                );
                continue;
            };
            let enc = &s.elements[e].nc;
            if !enc.is_names_only() {
                err(
                    &mut diags,
                    s,
                    n,
                    "an \"element\" pattern containing an \"attribute\" pattern with a non-null ID-type must have a name class that contains only \"choice\" and \"name\" elements".into(),
                );
                continue;
            }
            let mut names = Vec::new();
            collect_names(enc, &mut names);
            for en in names {
                let key = (en.clone(), an.clone());
                match map.map.get(&key) {
                    Some(&old) if old != t => err(
                        &mut diags,
                        s,
                        n,
                        format!(
                            "conflicting ID-types for attribute \"{}\" of element \"{}\"",
                            an.local, en.local
                        ),
                    ),
                    _ => {
                        map.map.insert(key, t);
                    }
                }
            }
        }
    }
    // Attributes without ID-type must not match an (element, attribute) pair that has one.
    let mut keys: Vec<&(QName, QName)> = map.map.keys().collect();
    keys.sort();
    for (e, a) in possible {
        let enc = &s.elements[e].nc;
        let SKind::Attribute { nc: anc, .. } = &s.nodes[a as usize].kind else {
            continue;
        };
        let conflict = match anc.single_name() {
            Some(an) if enc.is_names_only() => {
                let mut names = Vec::new();
                collect_names(enc, &mut names);
                names
                    .into_iter()
                    .find(|en| map.map.contains_key(&(en.clone(), an.clone())))
                    .map(|en| (en, an.clone()))
            }
            _ => keys
                .iter()
                .find(|(en, an)| enc.contains(&en.ns, &en.local) && anc.contains(&an.ns, &an.local))
                .map(|k| (*k).clone()),
        };
        if let Some((en, an)) = conflict {
            err(
                &mut diags,
                s,
                a,
                format!(
                    "conflicting ID-types for attribute \"{}\" of element \"{}\"",
                    an.local, en.local
                ),
            );
        }
    }
    if diags.is_empty() {
        Ok(Some(map))
    } else {
        Err(diags)
    }
}

const ID_PARENT: &str = "a \"data\" or \"value\" pattern with non-null ID-type must occur as the child of an \"attribute\" pattern";

/// The attribute patterns of an element's content (not inside other elements or
/// attributes), in document order, memoised per node: definitions such as TEI's attribute
/// classes are shared by hundreds of elements.
fn attributes_of(
    s: &Simple,
    root: SId,
    memo: &mut HashMap<SId, std::rc::Rc<Vec<SId>>>,
) -> std::rc::Rc<Vec<SId>> {
    let mut stack: Vec<(SId, bool)> = vec![(root, false)];
    while let Some((n, expanded)) = stack.pop() {
        if memo.contains_key(&n) {
            continue;
        }
        let kids: &[SId] = match &s.nodes[n as usize].kind {
            SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => v,
            SKind::OneOrMore(c) => std::slice::from_ref(c),
            _ => &[],
        };
        if !expanded && kids.iter().any(|k| !memo.contains_key(k)) {
            stack.push((n, true));
            stack.extend(kids.iter().rev().map(|&k| (k, false)));
            continue;
        }
        let v: Vec<SId> = match &s.nodes[n as usize].kind {
            SKind::Attribute { .. } => vec![n],
            _ => {
                let mut v: Vec<SId> = kids.iter().flat_map(|k| memo[k].iter().copied()).collect();
                v.sort_unstable();
                v.dedup();
                v
            }
        };
        memo.insert(n, std::rc::Rc::new(v));
    }
    memo[&root].clone()
}

fn collect_names(nc: &NameClass, out: &mut Vec<QName>) {
    match nc {
        NameClass::Name(q) => out.push(q.clone()),
        NameClass::Choice(v) => v.iter().for_each(|c| collect_names(c, out)),
        _ => {}
    }
}

/// Collects IDs and IDREFs of one document and reports duplicates and dangling references.
#[derive(Debug, Default)]
pub(crate) struct IdChecker {
    /// Keyed by the document's ID values: a seeded hash (foldhash), not Fx.
    ids: foldhash::HashMap<String, std::ops::Range<usize>>,
    refs: Vec<(String, std::ops::Range<usize>)>,
}

impl IdChecker {
    /// Records an attribute value of an ID-typed attribute; returns a diagnostic for a
    /// duplicate ID.
    pub fn attribute(
        &mut self,
        t: IdType,
        value: &str,
        span: std::ops::Range<usize>,
        file: FileId,
    ) -> Option<Diagnostic> {
        let tokens: Vec<&str> = value.split_ascii_whitespace().collect();
        match t {
            IdType::Null => None,
            IdType::Id => {
                if tokens.len() != 1 {
                    let msg = if tokens.is_empty() {
                        "value of attribute of type ID contained no tokens"
                    } else {
                        "value of attribute of type ID contained multiple tokens"
                    };
                    return Some(Diagnostic::error(&ID_TOKENS, msg).at(file, span));
                }
                let id = tokens[0];
                if let Some(first) = self.ids.get(id) {
                    return Some(
                        Diagnostic::error(
                            &DUPLICATE_ID,
                            format!("ID \"{id}\" has already been defined"),
                        )
                        .at(file, span)
                        .also(
                            Label::new(file, first.clone())
                                .with_message(format!("first occurrence of ID \"{id}\"")),
                        ),
                    );
                }
                self.ids.insert(id.to_string(), span);
                None
            }
            IdType::Idref | IdType::Idrefs => {
                if tokens.is_empty() {
                    let msg = if t == IdType::Idref {
                        "value of attribute of type IDREF contained no tokens"
                    } else {
                        "value of attribute of type IDREFS contained no tokens"
                    };
                    return Some(Diagnostic::error(&ID_TOKENS, msg).at(file, span));
                }
                if t == IdType::Idref && tokens.len() > 1 {
                    return Some(
                        Diagnostic::error(
                            &ID_TOKENS,
                            "value of attribute of type IDREF contained multiple tokens",
                        )
                        .at(file, span),
                    );
                }
                for tok in tokens {
                    self.refs.push((tok.to_string(), span.clone()));
                }
                None
            }
        }
    }

    /// At the end of the document: one diagnostic per IDREF token without an ID.
    pub fn finish(self, file: FileId) -> Vec<Diagnostic> {
        self.refs
            .into_iter()
            .filter(|(r, _)| !self.ids.contains_key(r))
            .map(|(r, span)| {
                Diagnostic::error(&MISSING_ID, format!("IDREF \"{r}\" without matching ID"))
                    .at(file, span)
            })
            .collect()
    }
}
