//! Letters and their correspondence metadata (ENCODING A6): every `correspDesc/@ref` points to
//! a letter, and every letter has exactly one `correspDesc` (RUL008–RUL010).

use std::collections::HashMap;
use std::ops::Range;

use super::codes;
use super::index::{Context, PointerKind};
use super::{in_tei, is_tei_element};
use crate::diag::{Diagnostic, Label};
use crate::xml::{Node, NodeId};

const DIVS: &[&str] = &[
    "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7",
];

/// Whether an element is a letter: a TEI division typed `letter`.
pub(crate) fn is_letter(n: &Node<'_>) -> bool {
    in_tei(n)
        && DIVS.contains(&n.tag_name().local)
        && n.attribute(None, "type").map(str::trim) == Some("letter")
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // letter → the @ref tokens of the correspDescs that describe it.
    let mut described: HashMap<NodeId, Vec<Range<usize>>> = HashMap::new();
    let mut uses_refs = false;
    for cd in cx.tei_elements() {
        if !is_tei_element(&cd, "correspDesc") {
            continue;
        }
        let Some(r) = cd.attribute_node(None, "ref") else {
            continue;
        };
        for tok in cx.tokens(&r) {
            let PointerKind::Local(id) = cx.classify(tok.text) else {
                continue;
            };
            let Some(target) = cx.by_id(&id) else {
                continue; // RUL001
            };
            uses_refs = true;
            if is_letter(&target) {
                described.entry(target.id()).or_default().push(tok.span);
            } else {
                out.push(
                    Diagnostic::new(
                        &codes::CORRESP_DESC_NOT_LETTER,
                        format!(
                            "correspDesc/@ref points to \"{}\", a <{}>{}; expected a <div type=\"letter\">",
                            tok.text,
                            target.tag_name().local,
                            target
                                .attribute(None, "type")
                                .map(|t| format!(" of type \"{t}\""))
                                .unwrap_or_default()
                        ),
                    )
                    .at(cx.file, tok.span)
                    .also(Label::new(cx.file, target.start_tag_range()).with_message("this element")),
                );
            }
        }
    }
    if !(uses_refs || cx.teikit) {
        return;
    }
    for el in cx.tei_elements() {
        if !is_letter(&el) {
            continue;
        }
        let at = el
            .attribute_node(None, "type")
            .map(|a| a.value_range())
            .unwrap_or_else(|| el.name_range());
        let id = el.attribute(Some(crate::xml::XML_NS), "id").map(str::trim);
        match described.get(&el.id()).map(Vec::as_slice) {
            None | Some([]) => {
                let mut d = Diagnostic::new(
                    &codes::LETTER_WITHOUT_CORRESP_DESC,
                    format!(
                        "no correspDesc describes this letter{}; expected one profileDesc/correspDesc with @ref pointing to it",
                        id.map(|i| format!(" \"{i}\"")).unwrap_or_default()
                    ),
                )
                .at(cx.file, at);
                if id.is_none() {
                    d = d.with_help(
                        "give the letter an xml:id so that a correspDesc can point to it",
                    );
                }
                out.push(d);
            }
            Some([_]) => {}
            Some([first, rest @ ..]) => {
                for span in rest {
                    out.push(
                        Diagnostic::new(
                            &codes::LETTER_SEVERAL_CORRESP_DESC,
                            format!(
                                "letter \"{}\" is already described by another correspDesc; expected one correspDesc per letter",
                                id.unwrap_or("?")
                            ),
                        )
                        .at(cx.file, span.clone())
                        .also(Label::new(cx.file, first.clone()).with_message("first described here")),
                    );
                }
            }
        }
    }
}
