//! The reading text of a TEI document: what a reader sees in `text`, without the header
//! or the register.
//!
//! Blocks (`p`, `head`, `byline`, `dateline`, `salute`, `signed`, `label`, `ab`, `l`,
//! `item`, a block-level `note` …) are separated by blank lines. Lacunae read `[…]`,
//! supplied text `[words]`, expansions and names as their words, `lb` as a line break.
//! Notes are left out, or — with `notes` — marked `[n]` at their anchor and printed after
//! their block as `[n] text` (a note standing between blocks is printed where it stands).
//!
//! The walk is iterative (explicit stack), so any nesting depth is safe.

use crate::xml::{Document, Node, NodeKind, TEI_NS};

const BLOCKS: &[&str] = &[
    "p",
    "head",
    "byline",
    "dateline",
    "salute",
    "signed",
    "label",
    "ab",
    "l",
    "item",
    "trailer",
    "addrLine",
    "docAuthor",
    "docDate",
    "titlePart",
    "cell",
    "argument",
    "epigraph",
    "q",
];

enum Step<'a> {
    Enter(Node<'a>),
    Exit(Node<'a>),
}

fn is_block(n: &Node<'_>) -> bool {
    n.is_element() && BLOCKS.contains(&n.tag_name().local)
}

/// The `text` element (TEI or no namespace), or the root element.
fn text_root(doc: &Document) -> Node<'_> {
    let root = doc.root_element();
    root.descendants()
        .find(|n| {
            n.is_element()
                && n.tag_name().local == "text"
                && matches!(n.tag_name().namespace, None | Some(TEI_NS))
        })
        .unwrap_or(root)
}

/// The reading text of a document (see the module docs).
pub fn reading_text(doc: &Document, notes: bool) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut pending: Vec<String> = Vec::new();
    let mut depth = 0usize; // open blocks
    let mut stack = vec![Step::Enter(text_root(doc))];
    let flush = |cur: &mut String, pending: &mut Vec<String>, blocks: &mut Vec<String>| {
        let t = cur.trim();
        if !t.is_empty() {
            blocks.push(t.to_string());
        }
        cur.clear();
        blocks.append(pending);
    };
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit(n) => {
                let name = n.tag_name().local;
                if name == "supplied" {
                    cur.push(']');
                }
                if is_block(&n) {
                    depth -= 1;
                    if depth == 0 {
                        flush(&mut cur, &mut pending, &mut blocks);
                    }
                }
            }
            Step::Enter(n) => match n.kind() {
                NodeKind::Text => {
                    let t = n.text().unwrap_or("");
                    if depth > 0 || !t.trim().is_empty() {
                        cur.push_str(t);
                    }
                }
                NodeKind::Element => {
                    let name = n.tag_name().local;
                    match name {
                        "note" => {
                            if notes {
                                let label = n.attribute(None, "n").unwrap_or("*");
                                let body = format!("[{label}] {}", note_text(n));
                                if depth > 0 {
                                    cur.push_str(&format!("[{label}]"));
                                    pending.push(body);
                                } else {
                                    flush(&mut cur, &mut pending, &mut blocks);
                                    blocks.push(body);
                                }
                            }
                            continue;
                        }
                        "gap" => {
                            cur.push_str("[…]");
                            continue;
                        }
                        "lb" => {
                            cur.push('\n');
                            continue;
                        }
                        "teiHeader" | "standOff" => continue,
                        "supplied" => cur.push('['),
                        _ => {}
                    }
                    if is_block(&n) {
                        if depth == 0 && !cur.trim().is_empty() {
                            flush(&mut cur, &mut pending, &mut blocks);
                        }
                        depth += 1;
                    } else if depth == 0 && !cur.trim().is_empty() {
                        // Loose text between blocks ends at the next element.
                        flush(&mut cur, &mut pending, &mut blocks);
                    }
                    stack.push(Step::Exit(n));
                    let kids: Vec<Node<'_>> = n.children().collect();
                    for k in kids.into_iter().rev() {
                        stack.push(Step::Enter(k));
                    }
                }
                _ => {}
            },
        }
    }
    flush(&mut cur, &mut pending, &mut blocks);
    let mut out = blocks.join("\n\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// A note's text (nested notes left out).
fn note_text(note: Node<'_>) -> String {
    let mut out = String::new();
    let mut stack: Vec<Step<'_>> = note
        .children()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(Step::Enter)
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit(n) => {
                if n.tag_name().local == "supplied" {
                    out.push(']');
                }
            }
            Step::Enter(n) => match n.kind() {
                NodeKind::Text => out.push_str(n.text().unwrap_or("")),
                NodeKind::Element => match n.tag_name().local {
                    "note" => {}
                    "gap" => out.push_str("[…]"),
                    "lb" => out.push('\n'),
                    name => {
                        if name == "supplied" {
                            out.push('[');
                        }
                        stack.push(Step::Exit(n));
                        let kids: Vec<Node<'_>> = n.children().collect();
                        for k in kids.into_iter().rev() {
                            stack.push(Step::Enter(k));
                        }
                    }
                },
                _ => {}
            },
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_notes_and_brackets() {
        let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader>
<text><body>
  <head>Title</head>
  <p>One <gap reason="damage"/> two <supplied reason="damage">three</supplied> N<ex>atalia</ex>.<note n="1" place="end">A note with <persName>Name</persName>.</note> End.</p>
  <div type="letter"><closer><signed>Sig</signed></closer></div>
</body></text></TEI>"#;
        let doc = Document::parse(xml).unwrap();
        assert_eq!(
            reading_text(&doc, false),
            "Title\n\nOne […] two [three] Natalia. End.\n\nSig\n"
        );
        assert_eq!(
            reading_text(&doc, true),
            "Title\n\nOne […] two [three] Natalia.[1] End.\n\n[1] A note with Name.\n\nSig\n"
        );
    }
}
