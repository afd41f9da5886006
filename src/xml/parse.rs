//! Parsing: text → [`Document`](super::Document).
//!
//! Interim implementation on top of roxmltree, kept behind this module's single entry point
//! [`parse`] so that the hardened reader can replace it without touching any caller.

use super::tree::{Builder, Document, Error, ErrorKind, ParseOptions};

/// Parses decoded XML text into a document.
pub(crate) fn parse(text: &str, options: &ParseOptions) -> Result<Document, Error> {
    if text.len() > options.max_input_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            options.max_input_bytes,
            format!(
                "input is larger than the limit of {} bytes",
                options.max_input_bytes
            ),
        ));
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let rx = roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let p = e.pos();
        Error::new(
            ErrorKind::Syntax,
            offset_of(text, p.row as usize, p.col as usize),
            e.to_string(),
        )
    })?;
    let mut b = Builder::new(text.to_string());
    // Explicit stack: (node, entered?)
    let mut stack: Vec<(roxmltree::Node<'_, '_>, bool)> = Vec::new();
    for c in rx.root().children().collect::<Vec<_>>().into_iter().rev() {
        stack.push((c, false));
    }
    while let Some((n, exiting)) = stack.pop() {
        if exiting {
            b.end_element(n.range().end);
            continue;
        }
        match n.node_type() {
            roxmltree::NodeType::Element => {
                if b.depth() >= options.max_depth {
                    return Err(Error::new(
                        ErrorKind::Limit,
                        n.range().start,
                        format!(
                            "elements nest deeper than the limit of {}",
                            options.max_depth
                        ),
                    ));
                }
                let r = n.range();
                let tag_end = start_tag_end(text, r.start);
                let qname = qname_at(text, r.start + 1);
                let prefix = qname.split_once(':').map(|(p, _)| p).unwrap_or("");
                let parent_ns: Vec<(Option<&str>, &str)> = n
                    .parent_element()
                    .map(|p| p.namespaces().map(|ns| (ns.name(), ns.uri())).collect())
                    .unwrap_or_default();
                let mut decls: Vec<(&str, &str)> = Vec::new();
                for ns in n.namespaces() {
                    if !parent_ns.contains(&(ns.name(), ns.uri())) && ns.name() != Some("xml") {
                        decls.push((ns.name().unwrap_or(""), ns.uri()));
                    }
                }
                // An undeclared default namespace (xmlns="") shows as absence.
                if n.default_namespace().is_none() && parent_ns.iter().any(|(p, _)| p.is_none()) {
                    decls.push(("", ""));
                }
                for a in n.attributes() {
                    let q = &text[a.range_qname()];
                    let ap = q.split_once(':').map(|(p, _)| p).unwrap_or("");
                    b.attribute(
                        a.namespace(),
                        a.name(),
                        ap,
                        a.value(),
                        a.range(),
                        a.range_value(),
                    );
                }
                let empty = tag_end == r.end;
                b.start_element(
                    n.tag_name().namespace(),
                    n.tag_name().name(),
                    prefix,
                    &decls,
                    r.start..tag_end,
                    empty,
                );
                if !empty {
                    stack.push((n, true));
                    for c in n.children().collect::<Vec<_>>().into_iter().rev() {
                        stack.push((c, false));
                    }
                }
            }
            roxmltree::NodeType::Text => b.text_node(n.text().unwrap_or(""), n.range()),
            roxmltree::NodeType::Comment => b.comment(n.text().unwrap_or(""), n.range()),
            roxmltree::NodeType::PI => {
                if let Some(pi) = n.pi() {
                    b.pi(pi.target, pi.value.unwrap_or(""), n.range())
                }
            }
            roxmltree::NodeType::Root => {}
        }
    }
    Ok(b.finish())
}

fn offset_of(text: &str, row: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == row {
            return off
                + line
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(char::len_utf8)
                    .sum::<usize>();
        }
        off += line.len();
    }
    text.len()
}

fn start_tag_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut quote = 0u8;
    let mut i = start;
    while i < bytes.len() {
        let c = bytes[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'>' {
            return i + 1;
        }
        i += 1;
    }
    text.len()
}

fn qname_at(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    &rest[..end]
}
