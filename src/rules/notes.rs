//! Note numbers (ENCODING A3): the printed markers kept in `note/@n` are distinct within one
//! division (RUL011).

use std::collections::HashMap;
use std::ops::Range;

use super::codes;
use super::index::{Context, nearest_all, tei_named};
use super::is_tei_element;
use crate::diag::{Diagnostic, Label};
use crate::xml::NodeId;

/// Elements that delimit the scope of note numbers: the nearest one is a note's division.
const DIVISIONS: &[&str] = &[
    "div",
    "div1",
    "div2",
    "div3",
    "div4",
    "div5",
    "div6",
    "div7",
    "front",
    "body",
    "back",
    "text",
    "teiHeader",
];

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(NodeId, &str), Range<usize>> = HashMap::new();
    let division_of = nearest_all(cx.doc, |n| tei_named(n, DIVISIONS));
    for el in cx.tei_elements() {
        if !is_tei_element(&el, "note") {
            continue;
        }
        let Some(n) = el.attribute_node(None, "n") else {
            continue;
        };
        let Some(division) = el
            .parent()
            .and_then(|p| division_of[p.id().index()])
            .map(|d| cx.doc.node(d))
        else {
            continue;
        };
        let key = (division.id(), n.value().trim());
        if key.1.is_empty() {
            continue;
        }
        match seen.get(&key) {
            Some(first) => out.push(
                Diagnostic::new(
                    &codes::DUPLICATE_NOTE_NUMBER,
                    format!(
                        "another note of this <{}> already has n=\"{}\"; expected distinct note markers within a division",
                        division.tag_name().local,
                        key.1
                    ),
                )
                .at(cx.file, n.value_range())
                .also(Label::new(cx.file, first.clone()).with_message("first used here")),
            ),
            None => {
                seen.insert(key, n.value_range());
            }
        }
    }
}
