//! The four rules of the CMIF 1.1 Schematron (`cmif.sch`), re-implemented on the tree.
//!
//! They are reproduced with XPath's exact semantics, including its quirks: W0001 uses
//! `matches()`, which looks for the UUID pattern *anywhere* in the id; E0003 compares
//! `substring-after(@source, '#')` with every `bibl/@xml:id` of the document.

use std::collections::HashSet;

use super::codes;
use crate::diag::{Diagnostic, FileId};
use crate::xml::{Document, TEI_NS, XML_NS};

/// Whether `s` contains `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`.
fn contains_uuid(s: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let b = s.as_bytes();
    let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    (0..b.len()).any(|start| {
        let mut i = start;
        for (g, &len) in GROUPS.iter().enumerate() {
            if g > 0 {
                if b.get(i) != Some(&b'-') {
                    return false;
                }
                i += 1;
            }
            if i + len > b.len() || !b[i..i + len].iter().all(|&c| hex(c)) {
                return false;
            }
            i += len;
        }
        true
    })
}

/// Checks a CMIF document against the rules of `cmif.sch`: W0001 (CMF001), E0001 (CMF002),
/// E0002 (CMF003), E0003 (CMF004), E0004 (CMF005). Grammar (the CMIF RELAX NG schema) is
/// checked separately by the validator.
pub fn check(doc: &Document, file: FileId) -> Vec<Diagnostic> {
    let root = doc.root_element();
    if !root.has_tag_name(Some(TEI_NS), "TEI") {
        return vec![
            Diagnostic::new(
                &codes::NOT_CMIF,
                format!(
                    "the root element is <{}>; expected a TEI document",
                    root.tag_name().local
                ),
            )
            .at(file, root.name_range()),
        ];
    }
    let mut out = Vec::new();
    let tei = |n: &crate::xml::Node<'_>, local: &str| n.has_tag_name(Some(TEI_NS), local);
    let bibl_ids: HashSet<&str> = doc
        .descendants()
        .filter(|n| tei(n, "bibl"))
        .filter_map(|n| n.attribute(Some(XML_NS), "id"))
        .collect();
    for n in doc.descendants() {
        if tei(&n, "bibl") {
            let id = n.attribute_node(Some(XML_NS), "id");
            if !id.is_some_and(|a| contains_uuid(a.value())) {
                let span = id
                    .map(|a| a.value_range())
                    .unwrap_or_else(|| n.name_range());
                out.push(
                    Diagnostic::new(
                        &codes::BIBL_NOT_UUID,
                        "[W0001] It is recommended to use an UUID for bibl/@xml:id; expected e.g. xml:id=\"b0c1d2e3-f405-4a6b-8c7d-9e0f1a2b3c4d\"",
                    )
                    .at(file, span),
                );
            }
        } else if tei(&n, "correspDesc") {
            for (kind, code, tag) in [
                ("sent", &codes::NO_SENT, "E0001"),
                ("received", &codes::NO_RECEIVED, "E0002"),
            ] {
                let present = n
                    .element_children()
                    .any(|c| tei(&c, "correspAction") && c.attribute(None, "type") == Some(kind));
                if !present {
                    out.push(
                        Diagnostic::new(
                            code,
                            format!(
                                "[{tag}] Element \"<correspAction type=\"{kind}\"/>\" must be present."
                            ),
                        )
                        .at(file, n.start_tag_range()),
                    );
                }
            }
            if let Some(src) = n.attribute_node(None, "source") {
                let after = src.value().split_once('#').map(|(_, a)| a).unwrap_or("");
                if !bibl_ids.contains(after) {
                    out.push(
                        Diagnostic::new(
                            &codes::SOURCE_NOT_BIBL,
                            format!(
                                "[E0003] correspDesc/@source \"{}\" does not correspond to a bibl/@xml:id",
                                src.value()
                            ),
                        )
                        .at(file, src.value_range()),
                    );
                }
            }
        } else if tei(&n, "date") {
            let dated = ["when", "from", "to", "notBefore", "notAfter"]
                .iter()
                .any(|a| n.attribute(None, a).is_some());
            if !dated {
                out.push(
                    Diagnostic::new(
                        &codes::DATE_WITHOUT_ATTRIBUTE,
                        "[E0004] At least one dating attribute (@when, @from etc.) must be present.",
                    )
                    .at(file, n.start_tag_range()),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_found_anywhere_like_xpath_matches() {
        assert!(contains_uuid("b0c1d2e3-f405-4a6b-8c7d-9e0f1a2b3c4d"));
        assert!(contains_uuid("x-b0c1d2e3-f405-4a6b-8c7d-9e0f1a2b3c4d-y"));
        assert!(!contains_uuid("B0C1D2E3-F405-4A6B-8C7D-9E0F1A2B3C4D"));
        assert!(!contains_uuid("b0c1d2e3-f405-4a6b-8c7d-9e0f1a2b3c4"));
        assert!(!contains_uuid(""));
    }
}
