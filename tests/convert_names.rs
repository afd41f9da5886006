//! Names: the converter's wiring to a registry and its tagger — elements, `@ref`, alias
//! `@type`, `rs` for descriptive names, `@cert`/`@resp` on doubtful matches, names inside
//! expansions, correspondents from letter heads, and a register holding exactly the
//! entities mentioned.
//!
//! The finder here is a small exact-match stand-in built in code, so that this test does
//! not depend on the real tagger's matching rules (tested in `src/registry`).

use teikit::diag::FileId;
use teikit::registry::{Cert, Entity, EntityKind, Idno, Mention, Name, Registry};
use teikit::transcription::{self, NameFinder, Options, Tagging};
use teikit::xml::{Document, Node};

/// Longest-first exact matching on word boundaries.
struct Exact<'a>(&'a Registry);

impl NameFinder for Exact<'_> {
    fn find(&self, text: &str) -> Vec<Mention> {
        let mut names: Vec<(usize, usize, &str)> = Vec::new();
        for (ei, e) in self.0.entities.iter().enumerate() {
            for (ni, n) in e.names.iter().enumerate() {
                names.push((ei, ni, n.text.as_str()));
            }
        }
        names.sort_by_key(|(_, _, t)| std::cmp::Reverse(t.len()));
        let mut taken = vec![false; text.len()];
        let mut out = Vec::new();
        for (ei, ni, t) in names {
            let mut from = 0;
            while let Some(i) = text[from..].find(t) {
                let (a, b) = (from + i, from + i + t.len());
                from = b;
                let before = text[..a].chars().next_back();
                let after = text[b..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                    || taken[a..b].iter().any(|x| *x)
                {
                    continue;
                }
                taken[a..b].iter_mut().for_each(|x| *x = true);
                let cert = if t == "Ludwig" { Cert::Low } else { Cert::High };
                out.push(Mention {
                    range: a..b,
                    entity: ei,
                    name: ni,
                    cert,
                });
            }
        }
        out.sort_by_key(|m| m.range.start);
        out
    }
}

fn name(text: &str, kind: Option<&str>) -> Name {
    match kind {
        Some(k) => Name::typed(text, k),
        None => Name::new(text),
    }
}

fn entity(id: &str, kind: EntityKind, names: Vec<Name>) -> Entity {
    Entity {
        id: id.into(),
        kind,
        names,
        idnos: Vec::new(),
        level: (kind == EntityKind::Title).then(|| "j".into()),
        note: None,
    }
}

fn registry() -> Registry {
    let mut stalin = entity(
        "p-stalin",
        EntityKind::Person,
        vec![
            name("Joseph Stalin", Some("preferred")),
            name("Stalin", Some("variant")),
            name("Father of the Peoples", Some("descriptive")),
        ],
    );
    stalin.idnos.push(Idno {
        kind: "wikidata".into(),
        uri: "https://www.wikidata.org/entity/Q855".into(),
    });
    Registry {
        entities: vec![
            entity(
                "p-reiss",
                EntityKind::Person,
                vec![
                    name("Ignace Reiss", Some("preferred")),
                    name("Ludwig", Some("alias")),
                ],
            ),
            stalin,
            entity(
                "p-unused",
                EntityKind::Person,
                vec![name("Nobody Mentioned", None)],
            ),
            entity(
                "p-sedova",
                EntityKind::Person,
                vec![name("Natalia Sedova", None), name("Nathalie", None)],
            ),
            entity(
                "pl-lubyanka",
                EntityKind::Place,
                vec![name("Lubyanka", None)],
            ),
            entity("pl-paris", EntityKind::Place, vec![name("Paris", None)]),
            entity(
                "o-cc",
                EntityKind::Org,
                vec![name(
                    "Central Committee of the Communist Party of the Soviet Union",
                    None,
                )],
            ),
            entity(
                "t-ldc",
                EntityKind::Title,
                vec![name("La Lutte de Classes", None)],
            ),
        ],
    }
}

const SOURCE: &str = "\
Letter of rupture Ignace Reiss (alias Ludwig) to the Central Committee of the Communist Party of the Soviet Union

Paris, July 17, 1937

Dear comrades,

The day when the Sixteen were massacred in the Lubyanka caves, on the order of the “Father of the Peoples”, I kept quiet. Stalin is their leader. I read La Lutte de Classes and wrote to N[atalia] Sedova, whom we call Nathalie.

Fraternal greetings,

Ludwig
";

fn convert() -> String {
    let reg = registry();
    let finder = Exact(&reg);
    let opts = Options {
        file_name: "letter.txt",
        tagging: Some(Tagging {
            registry: &reg,
            finder: &finder,
        }),
        sidecar: None,
        provisional_names: false,
    };
    let (ed, diags) = transcription::convert(SOURCE, FileId(0), &opts);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    teikit::tei::write(&ed)
}

fn elements<'a>(doc: &'a Document, local: &str) -> Vec<Node<'a>> {
    doc.root_element()
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().local == local)
        .collect()
}

fn in_text(n: &Node<'_>) -> bool {
    n.ancestors().any(|a| a.tag_name().local == "body")
}

#[test]
fn mentions_are_tagged_with_refs() {
    let xml = convert();
    let doc = Document::parse(&xml).unwrap();
    type Seen<'a> = (String, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let pers: Vec<Seen<'_>> = elements(&doc, "persName")
        .iter()
        .filter(|n| in_text(n))
        .map(|n| {
            (
                n.text_content(),
                n.attribute(None, "ref"),
                n.attribute(None, "type"),
                n.attribute(None, "cert"),
            )
        })
        .collect();
    assert!(pers.contains(&("Ignace Reiss".into(), Some("#p-reiss"), None, None)));
    assert!(pers.contains(&(
        "Ludwig".into(),
        Some("#p-reiss"),
        Some("alias"),
        Some("low")
    )));
    assert!(pers.contains(&("Stalin".into(), Some("#p-stalin"), None, None)));
    assert!(pers.contains(&("Natalia Sedova".into(), Some("#p-sedova"), None, None)));
    assert!(pers.contains(&("Nathalie".into(), Some("#p-sedova"), None, None)));
    let low = elements(&doc, "persName")
        .into_iter()
        .find(|n| n.attribute(None, "cert") == Some("low"))
        .unwrap();
    assert_eq!(low.attribute(None, "resp"), Some("#r-conv"));
    // The expansion stays inside the name.
    let sedova = elements(&doc, "persName")
        .into_iter()
        .find(|n| n.text_content() == "Natalia Sedova" && in_text(n))
        .unwrap();
    assert!(sedova.descendants().any(|n| n.tag_name().local == "ex"));
    let rs = elements(&doc, "rs");
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].attribute(None, "type"), Some("person"));
    assert_eq!(rs[0].attribute(None, "ref"), Some("#p-stalin"));
    assert_eq!(rs[0].text_content(), "Father of the Peoples");
    let place = elements(&doc, "placeName")
        .into_iter()
        .filter(|n| in_text(n))
        .map(|n| (n.text_content(), n.attribute(None, "ref")))
        .collect::<Vec<_>>();
    assert!(place.contains(&("Lubyanka".into(), Some("#pl-lubyanka"))));
    assert!(
        place.contains(&("Paris".into(), Some("#pl-paris"))),
        "{place:?}"
    );
    let title = elements(&doc, "title")
        .into_iter()
        .find(|n| in_text(n))
        .unwrap();
    assert_eq!(title.attribute(None, "level"), Some("j"));
    assert_eq!(title.attribute(None, "ref"), Some("#t-ldc"));
}

#[test]
fn correspondents_come_from_the_registry() {
    let xml = convert();
    if let Ok(p) = std::env::var("DUMP_XML") {
        std::fs::write(p, &xml).unwrap();
    }
    let doc = Document::parse(&xml).unwrap();
    let cd = elements(&doc, "correspDesc");
    assert_eq!(cd.len(), 1);
    let action = |t: &str| {
        cd[0]
            .children()
            .find(|a| a.is_element() && a.attribute(None, "type") == Some(t))
            .unwrap()
    };
    let sent = action("sent");
    let p = sent
        .children()
        .find(|n| n.is_element() && n.tag_name().local == "persName")
        .unwrap();
    assert_eq!(p.attribute(None, "ref"), Some("#p-reiss"));
    let pl = sent
        .children()
        .find(|n| n.is_element() && n.tag_name().local == "placeName")
        .unwrap();
    assert_eq!(pl.attribute(None, "ref"), Some("#pl-paris"));
    let recv = action("received");
    let o = recv
        .children()
        .find(|n| n.is_element() && n.tag_name().local == "orgName")
        .unwrap();
    assert_eq!(o.attribute(None, "ref"), Some("#o-cc"));
}

#[test]
fn register_holds_exactly_the_mentioned_entities() {
    let xml = convert();
    let doc = Document::parse(&xml).unwrap();
    let ids: Vec<&str> = ["person", "place", "org", "bibl"]
        .iter()
        .flat_map(|k| elements(&doc, k))
        .filter(|n| n.ancestors().any(|a| a.tag_name().local == "standOff"))
        .filter_map(|n| n.attribute(Some(teikit::xml::XML_NS), "id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        vec![
            "o-cc",
            "p-reiss",
            "p-sedova",
            "p-stalin",
            "pl-lubyanka",
            "pl-paris",
            "t-ldc"
        ]
    );
    // Every @ref resolves.
    let all_ids: Vec<&str> = doc
        .root_element()
        .descendants()
        .filter_map(|n| n.attribute(Some(teikit::xml::XML_NS), "id"))
        .collect();
    for n in doc.root_element().descendants() {
        if let Some(r) = n.attribute(None, "ref").filter(|r| r.starts_with('#')) {
            assert!(all_ids.contains(&&r[1..]), "dangling {r}");
        }
    }
    // Authority ids once per entity.
    let idnos = elements(&doc, "idno")
        .into_iter()
        .filter(|n| n.text_content().contains("Q855"))
        .count();
    assert_eq!(idnos, 1);
    // Aliases as typed names in one person.
    let reiss = elements(&doc, "person")
        .into_iter()
        .find(|n| n.attribute(Some(teikit::xml::XML_NS), "id") == Some("p-reiss"))
        .unwrap();
    let types: Vec<Option<&str>> = reiss
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.attribute(None, "type"))
        .collect();
    assert_eq!(types, vec![Some("preferred"), Some("alias")]);
}

#[test]
fn sidecar_authority_ids_join_the_register_once() {
    let reg = registry();
    let finder = Exact(&reg);
    let (sc, d) = teikit::transcription::Sidecar::parse(
        "[idno.\"p-reiss\"]\nwikidata = \"https://www.wikidata.org/entity/Q1234567\"\n[idno.\"p-stalin\"]\nwikidata = \"https://www.wikidata.org/entity/Q855\"\n",
        FileId(1),
    );
    assert!(d.is_empty(), "{d:?}");
    let sc = sc.unwrap();
    let opts = Options {
        file_name: "letter.txt",
        tagging: Some(Tagging {
            registry: &reg,
            finder: &finder,
        }),
        sidecar: Some(&sc),
        provisional_names: false,
    };
    let (ed, _) = transcription::convert(SOURCE, FileId(0), &opts);
    let xml = teikit::tei::write(&ed);
    assert_eq!(xml.matches("Q1234567").count(), 1, "{xml}");
    // Already in the registry: not repeated.
    assert_eq!(xml.matches("Q855").count(), 1);
}

#[test]
fn conversion_is_deterministic() {
    let a = convert();
    let b = convert();
    assert_eq!(a, b);
}
