//! RELAX NG DTD Compatibility, ID/IDREF/IDREFS (its §3 and §4), as jing checks by default.
//!
//! At compile time: every `data`/`value` whose datatype has an ID-type must be the whole
//! content of an `attribute` with a single name, inside elements named by plain names, and
//! all patterns for the same (element, attribute) pair must agree on the ID-type
//! ("ID correctness"). The result is a map (element name, attribute name) → ID-type.
//!
//! At validation time ([`IdChecker`]): every ID is unique in the document and every IDREF
//! token names an ID ("ID soundness").

use std::collections::{HashMap, HashSet};

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
    // (element name class, attribute name class, where) of attributes without ID-type.
    let mut possible: Vec<(usize, SId)> = Vec::new();
    let mut elem_seen = vec![false; s.elements.len()];
    let mut seen: HashSet<(SId, Option<usize>, bool)> = HashSet::new();
    // (node, current element, parent is attribute)
    let mut stack: Vec<(SId, Option<usize>, bool)> = vec![(s.start, None, false)];
    let err = |diags: &mut Vec<Diagnostic>, s: &Simple, at: SId, msg: String| {
        let loc = &s.nodes[at as usize].loc;
        diags.push(loc.diag(&ID_COMPATIBILITY, msg));
    };
    while let Some((n, elem, attr_parent)) = stack.pop() {
        if !seen.insert((n, elem, attr_parent)) {
            continue;
        }
        match &s.nodes[n as usize].kind {
            SKind::Choice(v) | SKind::Group(v) | SKind::Interleave(v) => {
                // Reversed, so that operands are visited in document order.
                for &c in v.iter().rev() {
                    stack.push((c, elem, false));
                }
            }
            SKind::OneOrMore(c) | SKind::List(c) => stack.push((*c, elem, false)),
            SKind::Element(e) => {
                let e = *e as usize;
                if !elem_seen[e] {
                    elem_seen[e] = true;
                    stack.push((s.elements[e].content, Some(e), false));
                }
            }
            SKind::Attribute { nc, body } => {
                let t = id_type(s, ast, *body);
                if t != IdType::Null {
                    match (nc.single_name(), elem) {
                        (None, _) => err(
                            &mut diags,
                            s,
                            n,
                            "an \"attribute\" pattern with a non-null ID-type must have a name class that is a single name".into(),
                        ),
                        (Some(an), Some(e)) => {
                            let enc = &s.elements[e].nc;
                            if !enc.is_names_only() {
                                err(
                                    &mut diags,
                                    s,
                                    n,
                                    "an \"element\" pattern containing an \"attribute\" pattern with a non-null ID-type must have a name class that contains only \"choice\" and \"name\" elements".into(),
                                );
                            } else {
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
                        (Some(_), None) => {}
                    }
                } else if let Some(e) = elem {
                    possible.push((e, n));
                }
                stack.push((*body, elem, true));
            }
            SKind::Data { except, .. } => {
                if id_type(s, ast, n) != IdType::Null && !attr_parent {
                    err(
                        &mut diags,
                        s,
                        n,
                        "a \"data\" or \"value\" pattern with non-null ID-type must occur as the child of an \"attribute\" pattern".into(),
                    );
                }
                if let Some(x) = except {
                    stack.push((*x, elem, false));
                }
            }
            SKind::Value(_) => {
                if id_type(s, ast, n) != IdType::Null && !attr_parent {
                    err(
                        &mut diags,
                        s,
                        n,
                        "a \"data\" or \"value\" pattern with non-null ID-type must occur as the child of an \"attribute\" pattern".into(),
                    );
                }
            }
            SKind::Empty | SKind::NotAllowed | SKind::Text => {}
        }
    }
    // Attributes without ID-type must not match an (element, attribute) pair that has one.
    for (e, a) in possible {
        let enc = &s.elements[e].nc;
        let SKind::Attribute { nc: anc, .. } = &s.nodes[a as usize].kind else {
            continue;
        };
        let conflict = match (enc.single_name(), anc.single_name()) {
            (Some(en), Some(an)) => map
                .map
                .contains_key(&(en.clone(), an.clone()))
                .then(|| (en.clone(), an.clone())),
            _ => {
                let mut keys: Vec<&(QName, QName)> = map.map.keys().collect();
                keys.sort();
                keys.into_iter()
                    .find(|(en, an)| {
                        enc.contains(&en.ns, &en.local) && anc.contains(&an.ns, &an.local)
                    })
                    .cloned()
            }
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
    ids: HashMap<String, std::ops::Range<usize>>,
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
