//! Reading a TEI register (`listPerson`, `listPlace`, `listOrg`, `listBibl`) as a registry.

use std::collections::HashMap;
use std::ops::Range;

use super::{Entity, EntityKind, Idno, Name, NameSpans, canonical_authority, codes};
use crate::diag::{Diagnostic, FileId, Label};
use crate::xml::{Document, Node, TEI_NS, XML_NS};

const LISTS: &[&str] = &[
    "listPerson",
    "listPlace",
    "listOrg",
    "listBibl",
    "particDesc",
    "settingDesc",
];

/// Name types that go first (the register heading).
const PREFERRED_TYPES: &[&str] = &["preferred", "reg", "main", "full", "standard"];

fn is_tei(n: &Node<'_>) -> bool {
    matches!(n.tag_name().namespace, None | Some(TEI_NS))
}

fn local<'a>(n: &Node<'a>) -> &'a str {
    n.tag_name().local
}

pub(super) fn load(doc: &Document, file: FileId) -> (Vec<Entity>, NameSpans, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut entities = Vec::new();
    let mut spans: NameSpans = Vec::new();
    let mut ids: HashMap<String, Range<usize>> = HashMap::new();
    let mut any_entry = false;
    for node in doc.root().descendants() {
        if !node.is_element() || !is_tei(&node) {
            continue;
        }
        let kind = match local(&node) {
            "person" | "personGrp" => EntityKind::Person,
            "place" => EntityKind::Place,
            "org" => EntityKind::Org,
            "bibl" | "biblStruct" => EntityKind::Title,
            _ => continue,
        };
        if !node
            .ancestors()
            .any(|a| a.is_element() && is_tei(&a) && LISTS.contains(&local(&a)))
        {
            continue;
        }
        // A bibl inside another register entry (a person's bibliography) is not an entry.
        if kind == EntityKind::Title
            && node.ancestors().any(|a| {
                a.is_element()
                    && matches!(
                        local(&a),
                        "bibl" | "biblStruct" | "person" | "place" | "org"
                    )
            })
        {
            continue;
        }
        any_entry = true;
        let tag = node.start_tag_range();
        let Some(id) = node.attribute(Some(XML_NS), "id").map(str::trim) else {
            diags.push(
                Diagnostic::new(
                    &codes::TEI_NO_ID,
                    format!("this <{}> has no xml:id; it is skipped", local(&node)),
                )
                .at(file, tag)
                .with_help(
                    "give every register entry an xml:id so mentions can point to it with @ref",
                ),
            );
            continue;
        };
        let id_span = node
            .attribute_node(Some(XML_NS), "id")
            .map(|a| a.value_range())
            .unwrap_or(tag.clone());
        if let Some(first) = ids.get(id) {
            diags.push(
                Diagnostic::new(
                    &codes::DUPLICATE_ID,
                    format!("duplicate xml:id `{id}`; this entry is dropped"),
                )
                .at(file, id_span)
                .also(Label::new(file, first.clone()).with_message("first defined here")),
            );
            continue;
        }
        ids.insert(id.to_string(), id_span);

        let mut names: Vec<(Name, Range<usize>)> = Vec::new();
        let mut idnos = Vec::new();
        let mut level = None;
        let mut note = None;
        let name_nodes: Vec<Node<'_>> = if local(&node) == "biblStruct" {
            node.element_children()
                .filter(|c| matches!(local(c), "analytic" | "monogr"))
                .flat_map(|c| {
                    c.element_children()
                        .filter(|t| local(t) == "title")
                        .collect::<Vec<_>>()
                })
                .collect()
        } else {
            node.element_children()
                .filter(|c| is_name_element(kind, local(c)))
                .collect()
        };
        for n in name_nodes {
            if level.is_none() && kind == EntityKind::Title {
                level = n.attribute(None, "level").map(str::to_string);
            }
            for text in name_texts(&n) {
                if names.iter().any(|(x, _)| x.text == text) {
                    continue;
                }
                let mut name = Name::new(text);
                name.kind = n.attribute(None, "type").map(str::to_string);
                name.lang = n.attribute(Some(XML_NS), "lang").map(str::to_string);
                names.push((name, n.range()));
            }
        }
        // Preferred forms first, otherwise document order.
        names.sort_by_key(|(n, _)| {
            !n.kind
                .as_deref()
                .is_some_and(|k| PREFERRED_TYPES.contains(&k))
        });
        for c in node.element_children() {
            match local(&c) {
                "idno" => {
                    let value = collapse(&c.text_content());
                    let ty = c
                        .attribute(None, "type")
                        .filter(|t| !matches!(t.to_ascii_lowercase().as_str(), "uri" | "url"))
                        .map(str::to_string)
                        .or_else(|| c.attribute(None, "subtype").map(str::to_string))
                        .unwrap_or_else(|| authority_of_uri(&value).to_string());
                    match canonical_authority(&ty, &value) {
                        Some((kind, uri)) => {
                            if !idnos.iter().any(|i: &Idno| i.uri == uri) {
                                idnos.push(Idno { kind, uri });
                            }
                        }
                        None => diags.push(
                            Diagnostic::new(
                                &codes::BAD_AUTHORITY,
                                format!("the idno \"{value}\" (type `{ty}`) is not an authority id teikit can use; it is dropped"),
                            )
                            .at(file, c.range()),
                        ),
                    }
                }
                "note" if note.is_none() => {
                    let t = collapse(&c.text_content());
                    if !t.is_empty() {
                        note = Some(t);
                    }
                }
                _ => {}
            }
        }
        if names.is_empty() {
            diags.push(
                Diagnostic::new(
                    &codes::TEI_NO_NAME,
                    format!("the entry `{id}` has no name; the tagger cannot find it in text"),
                )
                .at(file, tag),
            );
        }
        let (names, name_spans): (Vec<Name>, Vec<Range<usize>>) = names.into_iter().unzip();
        entities.push(Entity {
            id: id.to_string(),
            kind,
            names,
            idnos,
            level,
            note,
        });
        spans.push(name_spans);
    }
    if !any_entry {
        diags.push(Diagnostic::new(
            &codes::TEI_NO_REGISTER,
            "the document holds no listPerson, listPlace, listOrg or listBibl entry",
        ));
    }
    (entities, spans, diags)
}

fn is_name_element(kind: EntityKind, l: &str) -> bool {
    match kind {
        EntityKind::Person => matches!(l, "persName" | "name"),
        EntityKind::Place => matches!(
            l,
            "placeName"
                | "settlement"
                | "country"
                | "region"
                | "geogName"
                | "district"
                | "bloc"
                | "name"
        ),
        EntityKind::Org => matches!(l, "orgName" | "name"),
        EntityKind::Title => l == "title",
    }
}

/// The forms a name element gives: parts joined in reading order (forenames, name links,
/// surnames, generational names), and the element's text when it differs and is not an
/// inverted "Surname, Forename".
fn name_texts(n: &Node<'_>) -> Vec<String> {
    let whole = collapse(&n.text_content());
    let mut parts: [Vec<String>; 4] = Default::default();
    for c in n.descendants().skip(1).filter(Node::is_element) {
        let slot = match local(&c) {
            "forename" => 0,
            "nameLink" => 1,
            "surname" => 2,
            "genName" => 3,
            _ => continue,
        };
        let t = collapse(&c.text_content());
        if !t.is_empty() {
            parts[slot].push(t);
        }
    }
    let mut out = Vec::new();
    if parts.iter().any(|p| !p.is_empty()) {
        let joined = parts
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        out.push(joined);
    }
    if !whole.is_empty() && !out.contains(&whole) && (out.is_empty() || !whole.contains(',')) {
        out.push(whole);
    }
    out
}

fn authority_of_uri(v: &str) -> &'static str {
    if v.contains("wikidata.org") {
        "wikidata"
    } else if v.contains("viaf.org") {
        "VIAF"
    } else if v.contains("d-nb.info/gnd") {
        "GND"
    } else if v.contains("geonames.org") {
        "geonames"
    } else {
        "URI"
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
