//! Translation pairs (ENCODING A7): `@corresp` on both sides, a `link` per pair in
//! `linkGrp type="translation"`, and two different languages (RUL005–RUL007).
//!
//! A *translation pair* is two elements that each carry their own `xml:lang`, one pointing to
//! the other with `@corresp` — or the two targets of a `link` in a translation `linkGrp`.
//! `@corresp` between elements without their own language (common in TEI for other kinds of
//! correspondence) is not a translation pair and is left alone.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::codes;
use super::index::{Context, PointerKind, nearest_all};
use super::is_tei_element;
use crate::diag::{Diagnostic, Label};
use crate::xml::{Node, NodeId, XML_NS};

type Pair = (NodeId, NodeId);

fn pair(a: NodeId, b: NodeId) -> Pair {
    if a <= b { (a, b) } else { (b, a) }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Links of every translation linkGrp: unordered pair → span of the link's @target.
    let mut links: HashMap<Pair, Range<usize>> = HashMap::new();
    let mut has_link_grp = false;
    let mut link_list: Vec<(Pair, Range<usize>)> = Vec::new();
    for el in cx.tei_elements() {
        if !is_tei_element(&el, "link") {
            continue;
        }
        let Some(grp) = el.parent_element() else {
            continue;
        };
        if !is_tei_element(&grp, "linkGrp") || grp.attribute(None, "type") != Some("translation") {
            continue;
        }
        has_link_grp = true;
        let Some(target) = el.attribute_node(None, "target") else {
            continue;
        };
        let ids: Vec<NodeId> = cx
            .tokens(&target)
            .iter()
            .filter_map(|t| match cx.classify(t.text) {
                PointerKind::Local(id) => cx.ids.get(id.as_ref()).copied(),
                PointerKind::External => None,
            })
            .collect();
        if let [a, b] = ids[..] {
            links.insert(pair(a, b), target.value_range());
            link_list.push(((a, b), target.value_range()));
        }
    }
    if !has_link_grp {
        has_link_grp = cx.tei_elements().any(|g| {
            is_tei_element(&g, "linkGrp") && g.attribute(None, "type") == Some("translation")
        });
    }

    let mut reported_lang: HashSet<Pair> = HashSet::new();
    let mut reported_link: HashSet<Pair> = HashSet::new();

    // Pairs declared by @corresp.
    for el in cx.tei_elements() {
        let Some(lang) = el.attribute(Some(XML_NS), "lang") else {
            continue;
        };
        let Some(corresp) = el.attribute_node(None, "corresp") else {
            continue;
        };
        for tok in cx.tokens(&corresp) {
            let PointerKind::Local(id) = cx.classify(tok.text) else {
                continue;
            };
            let Some(other) = cx.by_id(&id) else {
                continue; // RUL001
            };
            let Some(other_lang) = other.attribute(Some(XML_NS), "lang") else {
                continue; // not a translation pair
            };
            let p = pair(el.id(), other.id());
            let back = points_to(cx, &other, &el);
            if !back {
                let own = el.attribute(Some(XML_NS), "id");
                let what = match own {
                    Some(own) => format!("does not point back to \"#{}\"", own.trim()),
                    None => "cannot point back: this element has no xml:id".to_string(),
                };
                out.push(
                    Diagnostic::new(
                        &codes::CORRESP_NOT_MUTUAL,
                        format!(
                            "<{}> points to its translation \"{}\", but that <{}> {what}; expected @corresp on both sides",
                            el.tag_name().local,
                            tok.text,
                            other.tag_name().local
                        ),
                    )
                    .at(cx.file, tok.span.clone())
                    .also(Label::new(cx.file, other.start_tag_range()).with_message("the other side")),
                );
            }
            // Report a mutual pair once, from its first side.
            let first_side = !back || el.id() < other.id();
            if has_link_grp && !links.contains_key(&p) && first_side && reported_link.insert(p) {
                out.push(
                    Diagnostic::new(
                        &codes::TRANSLATION_LINK_MISMATCH,
                        format!(
                            "the translation pair \"#{}\" ↔ \"{}\" has no <link> in linkGrp type=\"translation\"; expected one link per pair",
                            el.attribute(Some(XML_NS), "id").map(str::trim).unwrap_or(""),
                            tok.text
                        ),
                    )
                    .at(cx.file, tok.span.clone()),
                );
            }
            if same_lang(lang, other_lang) && first_side && reported_lang.insert(p) {
                let message = format!(
                    "both sides of this translation pair are in language \"{}\"; expected two different xml:lang values",
                    lang.trim()
                );
                out.push(same_language(cx, tok.span.clone(), message, &other));
            }
        }
    }

    // Pairs declared by links. The language in effect on each node, computed once.
    let lang_of = if link_list.is_empty() {
        Vec::new()
    } else {
        nearest_all(cx.doc, |n| n.attribute(Some(XML_NS), "lang").is_some())
    };
    let effective_lang = |n: &Node<'_>| {
        lang_of
            .get(n.id().index())
            .copied()
            .flatten()
            .and_then(|l| cx.doc.node(l).attribute(Some(XML_NS), "lang"))
    };
    for ((a, b), span) in link_list {
        let (na, nb) = (cx.doc.node(a), cx.doc.node(b));
        let p = pair(a, b);
        if !(points_to(cx, &na, &nb) && points_to(cx, &nb, &na)) && reported_link.insert(p) {
            out.push(
                Diagnostic::new(
                    &codes::TRANSLATION_LINK_MISMATCH,
                    format!(
                        "this link joins <{}> and <{}>, but they do not point to each other with @corresp; expected the link and @corresp to agree",
                        na.tag_name().local,
                        nb.tag_name().local
                    ),
                )
                .at(cx.file, span.clone()),
            );
        }
        let message = match (effective_lang(&na), effective_lang(&nb)) {
            (Some(x), Some(y)) if same_lang(x, y) => Some(format!(
                "both sides of this translation pair are in language \"{}\"; expected two different xml:lang values",
                x.trim()
            )),
            (Some(_), Some(_)) => None,
            _ => Some(
                "a side of this translation pair has no xml:lang; expected two different xml:lang values"
                    .to_string(),
            ),
        };
        if let Some(message) = message {
            if reported_lang.insert(p) {
                out.push(same_language(cx, span, message, &nb));
            }
        }
    }
}

fn same_lang(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn same_language(
    cx: &Context<'_>,
    span: Range<usize>,
    message: String,
    other: &Node<'_>,
) -> Diagnostic {
    Diagnostic::new(&codes::TRANSLATION_SAME_LANGUAGE, message)
        .at(cx.file, span)
        .also(Label::new(cx.file, other.start_tag_range()).with_message("the other side"))
}

/// Whether `from/@corresp` has a pointer to `to`.
fn points_to(cx: &Context<'_>, from: &Node<'_>, to: &Node<'_>) -> bool {
    let Some(c) = from.attribute_node(None, "corresp") else {
        return false;
    };
    cx.tokens(&c).iter().any(|t| match cx.classify(t.text) {
        PointerKind::Local(id) => cx.ids.get(id.as_ref()) == Some(&to.id()),
        PointerKind::External => false,
    })
}
