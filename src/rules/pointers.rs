//! Pointers resolve (RUL001, RUL002), ids are unique (RUL003), register entries are mentioned
//! (RUL004).

use std::collections::HashSet;

use super::codes;
use super::in_tei;
use super::index::{
    Context, NAME_POINTER_ATTRIBUTES, POINTER_ATTRIBUTES, PointerKind, REGISTER_LISTS, nearest_all,
    within,
};
use crate::diag::{Diagnostic, Label};
use crate::xml::{NodeId, XML_NS};

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (attr, first) in &cx.duplicate_ids {
        let first = cx.doc.node(*first);
        let mut d = Diagnostic::new(
            &codes::DUPLICATE_ID,
            format!(
                "xml:id \"{}\" is already defined on <{}>; expected ids unique in the document",
                attr.value().trim(),
                first.tag_name().local
            ),
        )
        .at(cx.file, attr.value_range());
        if let Some(a) = first.attribute_node(Some(XML_NS), "id") {
            d = d.also(Label::new(cx.file, a.value_range()).with_message("first defined here"));
        }
        out.push(d);
    }

    let summarise = !cx.has_register
        && !cx.teikit
        && !cx.options.strict_pointers
        && cx.options.external_ids.is_empty();
    let mut external: Option<(std::ops::Range<usize>, usize, HashSet<String>)> = None;
    // (target, pointing element) for every resolved pointer, for RUL004.
    let mut resolved: Vec<(NodeId, NodeId)> = Vec::new();

    for el in cx.tei_elements() {
        for attr in el.attributes() {
            let name = attr.name();
            if name.namespace.is_some() || !POINTER_ATTRIBUTES.contains(&name.local) {
                continue;
            }
            for tok in cx.tokens(&attr) {
                let PointerKind::Local(id) = cx.classify(tok.text) else {
                    continue;
                };
                if let Some(&target) = cx.ids.get(id.as_ref()) {
                    resolved.push((target, el.id()));
                    continue;
                }
                if cx.options.external_ids.contains(id.as_ref()) {
                    continue;
                }
                if summarise && NAME_POINTER_ATTRIBUTES.contains(&name.local) {
                    let e = external.get_or_insert_with(|| (tok.span.clone(), 0, HashSet::new()));
                    e.1 += 1;
                    e.2.insert(id.into_owned());
                    continue;
                }
                let message = if id.is_empty() {
                    format!(
                        "@{} holds an empty pointer \"{}\"; expected \"#\" followed by an xml:id",
                        name.local, tok.text
                    )
                } else {
                    format!(
                        "@{} points to \"{}\", but no element has xml:id \"{id}\"; expected the id of an element of this document",
                        name.local, tok.text
                    )
                };
                let mut d = Diagnostic::new(&codes::UNRESOLVED_POINTER, message)
                    .at(cx.file, tok.span.clone());
                if let Some(s) = suggest(cx, &id) {
                    d = d.with_help(format!("did you mean \"#{s}\"?"));
                }
                out.push(d);
            }
        }
    }

    if let Some((span, count, ids)) = external {
        out.push(
            Diagnostic::new(
                &codes::EXTERNAL_REGISTER,
                format!(
                    "{count} name pointer(s) address {} id(s) this document does not define, and it has no register of its own: taken as pointers into an external register (not checked)",
                    ids.len()
                ),
            )
            .at_labelled(cx.file, span, "first of them")
            .with_help("pass the register's ids to check them, or use --strict-pointers"),
        );
    }

    unmentioned_entries(cx, &resolved, out);
}

/// RUL004: entries of registers in the header, `standOff` or `back` that nothing points to.
fn unmentioned_entries(cx: &Context<'_>, resolved: &[(NodeId, NodeId)], out: &mut Vec<Diagnostic>) {
    let body_of = nearest_all(cx.doc, |n| in_tei(n) && n.tag_name().local == "body");
    let mut mentioned: HashSet<NodeId> = HashSet::new();
    for &(target, from) in resolved {
        let t = cx.doc.node(target);
        if !within(from, &t) {
            mentioned.insert(target);
        }
    }
    for el in cx.tei_elements() {
        let Some(id) = el.attribute_node(Some(XML_NS), "id") else {
            continue;
        };
        let Some(list) = el.parent_element() else {
            continue;
        };
        if !in_tei(&list) || !REGISTER_LISTS.contains(&list.tag_name().local) {
            continue;
        }
        // A register in the body is the content of a register file, not an edition's index.
        if body_of[list.id().index()].is_some() {
            continue;
        }
        if cx.ids.get(id.value().trim()) != Some(&el.id()) || mentioned.contains(&el.id()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &codes::UNMENTIONED_ENTRY,
                format!(
                    "<{}> \"{}\" is in the register but nothing points to \"#{}\"; expected every register entry to be mentioned",
                    el.tag_name().local,
                    id.value().trim(),
                    id.value().trim()
                ),
            )
            .at(cx.file, id.value_range())
            .with_help("remove the entry, or point a mention to it with @ref"),
        );
    }
}

/// The defined id closest to `id` (edit distance at most 2), if any.
fn suggest(cx: &Context<'_>, id: &str) -> Option<String> {
    if id.is_empty() || id.len() > 64 || cx.ids.len() > 20_000 {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for &cand in cx.ids.keys() {
        if cand.len().abs_diff(id.len()) > 2 {
            continue;
        }
        let d = edit_distance(id, cand);
        if d <= 2 && best.is_none_or(|(bd, bc)| (d, cand) < (bd, bc)) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("p-trotsky", "p-trotsky"), 0);
        assert_eq!(super::edit_distance("p-trotski", "p-trotsky"), 1);
        assert_eq!(super::edit_distance("", "ab"), 2);
    }
}
