//! Loading registries: the TOML format (goldens of diagnostics next to each input), TEI
//! registers (a register written for the test and the standOff of the project's encoding
//! examples), and the shipped `tei/registry.toml`.

mod common;

use std::path::Path;

use teikit::diag::{Diagnostic, Files, Severity};
use teikit::registry::{EntityKind, Registry};

/// One line per diagnostic: `CODE severity line:col: message` (+ indented help).
fn render(files: &Files, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let at = match &d.primary {
            Some(l) => {
                let (line, col) = files.get(l.file).line_col(l.span.start);
                format!("{line}:{col}")
            }
            None => "-".into(),
        };
        out.push_str(&format!(
            "{} {} {at}: {}\n",
            d.code.id, d.severity, d.message
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("    help: {h}\n"));
        }
    }
    out
}

/// Compares `actual` with the golden file, or rewrites it with UPDATE_GOLDEN=1.
fn check_golden(path: &Path, actual: &str) {
    if common::update_golden() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(
        expected,
        actual,
        "{} is stale; rerun with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}

#[test]
fn toml_cases_match_their_goldens() {
    let dir = common::root().join("tests/data/registry/toml");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = common::read(&p);
        let files = Files::new();
        let f = files.add(p.file_name().unwrap().to_string_lossy(), text.as_str());
        let (reg, diags) = Registry::from_toml(&text, f);
        let mut out = render(&files, &diags);
        out.push_str("--- entities\n");
        for e in &reg.entities {
            let names: Vec<String> = e
                .names
                .iter()
                .map(|n| format!("{}[{}]", n.text, n.kind.as_deref().unwrap_or("")))
                .collect();
            let ids: Vec<&str> = e.idnos.iter().map(|i| i.uri.as_str()).collect();
            out.push_str(&format!(
                "{} {:?} {} {}\n",
                e.id,
                e.kind,
                names.join(" | "),
                ids.join(" ")
            ));
        }
        check_golden(&p.with_extension("golden"), &out);
        n += 1;
    }
    assert!(n >= 3, "expected the TOML cases in {}", dir.display());
}

#[test]
fn errors_are_reported_and_good_entries_kept() {
    let text = common::read(&common::root().join("tests/data/registry/toml/errors.toml"));
    let files = Files::new();
    let f = files.add("errors.toml", text.as_str());
    let (reg, diags) = Registry::from_toml(&text, f);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.id).collect();
    for want in [
        "REG002", "REG003", "REG004", "REG005", "REG006", "REG007", "REG008", "REG009", "REG010",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    // Every diagnostic is located.
    assert!(diags.iter().all(|d| d.primary.is_some()), "{diags:?}");
    // The first p-a is kept, the duplicate dropped; the entry without name dropped.
    assert_eq!(reg.entities.iter().filter(|e| e.id == "p-a").count(), 1);
    assert_eq!(reg.get("p-a").unwrap().preferred(), "Alpha");
    assert!(reg.get("p-noname").is_none());
    // The unnamed place got a generated id.
    assert!(reg.get("pl-gamma-city").is_some());
    // The typo'd key has a suggestion.
    let unknown = diags
        .iter()
        .find(|d| d.message.contains("varients"))
        .unwrap();
    assert!(unknown.help.as_deref().unwrap().contains("variants"));
}

#[test]
fn syntax_errors_are_located() {
    let text = common::read(&common::root().join("tests/data/registry/toml/syntax.toml"));
    let (_, diags) = Registry::from_toml(&text, teikit::diag::FileId(0));
    let d = diags
        .iter()
        .find(|d| d.code.id == "REG001")
        .expect("REG001");
    let span = d.primary.as_ref().unwrap().span.clone();
    // The error is on the broken table header (line 5).
    let line = text[..span.start].matches('\n').count() + 1;
    assert_eq!(line, 5, "{d:?}");
}

#[test]
fn tei_register_is_a_registry() {
    let text = common::read(&common::root().join("tests/data/registry/tei/register.xml"));
    let doc = teikit::xml::Document::parse(&text).unwrap();
    let files = Files::new();
    let f = files.add("register.xml", text.as_str());
    let (reg, diags) = Registry::from_tei(&doc, f);
    let ids: Vec<&str> = reg.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tillich_person_id__1928",
            "p-trotsky",
            "pg-kamenevs",
            "pl-mexico",
            "pl-coyoacan",
            "o-uc",
            "o-empty",
            "t-lutte",
            "t-ldc-struct"
        ]
    );
    let tillich = &reg.entities[0];
    assert_eq!(tillich.kind, EntityKind::Person);
    // Name parts joined in reading order; the inverted text form is not a name form.
    let names: Vec<&str> = tillich.names.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(names, ["Paul Tillich", "Paul Johannes Tillich"]);
    assert_eq!(tillich.names[0].kind.as_deref(), Some("reg"));
    assert_eq!(tillich.idnos[0].uri, "https://d-nb.info/gnd/118622935");
    assert_eq!(tillich.note.as_deref(), Some("Theologian."));
    let trotsky = reg.get("p-trotsky").unwrap();
    assert_eq!(trotsky.names[1].lang.as_deref(), Some("ru"));
    let kinds: Vec<&str> = trotsky.idnos.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, ["wikidata", "VIAF"]);
    assert_eq!(
        reg.get("pl-mexico").unwrap().idnos[0].uri,
        "https://www.geonames.org/3996063"
    );
    assert_eq!(reg.get("pl-coyoacan").unwrap().preferred(), "Coyoacán");
    assert_eq!(reg.get("t-lutte").unwrap().level.as_deref(), Some("j"));
    assert_eq!(reg.get("t-ldc-struct").unwrap().kind, EntityKind::Title);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.id).collect();
    for want in ["REG002", "REG006", "REG011", "REG012"] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    // The register works as a tagger.
    let m = reg
        .tagger()
        .find("Paul Tillich met Leon Trotsky in Coyoacan (UC).");
    let found: Vec<&str> = m
        .iter()
        .map(|m| reg.entities[m.entity].id.as_str())
        .collect();
    assert_eq!(
        found,
        ["tillich_person_id__1928", "p-trotsky", "pl-coyoacan"]
    );
}

#[test]
fn standoff_of_the_encoding_examples_is_a_registry() {
    let Some(shared) = common::shared("standoff_of_the_encoding_examples_is_a_registry") else {
        return;
    };
    let mut all = Registry::default();
    for ex in [
        "ex1_article_damaged.xml",
        "ex2_letter_notes.xml",
        "ex3_correspondence_translation.xml",
    ] {
        let text = common::read(&shared.join("encoding-examples").join(ex));
        let doc = teikit::xml::Document::parse(&text).unwrap();
        let (reg, diags) = Registry::from_tei(&doc, teikit::diag::FileId(0));
        assert!(
            diags.iter().all(|d| d.severity < Severity::Warning),
            "{ex}: {diags:?}"
        );
        assert!(!reg.entities.is_empty(), "{ex}");
        all.merge(reg);
    }
    let stalin = all.get("p-stalin").expect("p-stalin from ex2");
    assert_eq!(stalin.idnos[0].uri, "https://www.wikidata.org/entity/Q855");
    let reiss = all.get("p-reiss").unwrap();
    assert!(
        reiss
            .names
            .iter()
            .any(|n| n.text == "Ludwig" && n.kind.as_deref() == Some("alias"))
    );
    let paris = all.get("pl-paris").unwrap();
    assert!(paris.idnos.iter().any(|i| i.kind == "geonames"));
    // Tagging with the examples' own registers.
    let t = "Ignace Reiss (alias Ludwig) wrote to Natalia Sedova in Coyoacán.";
    let m = all.tagger().find(t);
    assert_eq!(m.len(), 4, "{m:?}");
}

#[test]
fn shipped_registry_is_clean_and_consistent() {
    let path = common::root().join("tei/registry.toml");
    let text = common::read(&path);
    let files = Files::new();
    let f = files.add("tei/registry.toml", text.as_str());
    let (reg, diags) = Registry::from_toml(&text, f);
    let bad: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .collect();
    assert!(bad.is_empty(), "{}", render(&files, &diags));
    // Only deliberate ambiguities.
    let shared = diags.iter().filter(|d| d.code.id == "REG007").count();
    assert!(shared <= 10, "{}", render(&files, &diags));
    assert!(reg.entities.len() >= 300);
    for e in &reg.entities {
        assert!(
            e.id.starts_with(e.kind.id_prefix()),
            "{} is a {:?}",
            e.id,
            e.kind
        );
        assert_eq!(e.names[0].kind.as_deref(), Some("preferred"), "{}", e.id);
        if e.kind == EntityKind::Title {
            assert!(e.level.is_some(), "{} has no level", e.id);
        }
        for i in &e.idnos {
            let (k, uri) = teikit::registry::canonical_authority(&i.kind, &i.uri).unwrap();
            assert_eq!(
                (k.as_str(), uri.as_str()),
                (i.kind.as_str(), i.uri.as_str())
            );
        }
    }
}

/// Found by fuzzing the converter: `¼` is alphanumeric to Rust but no XML name character,
/// and a provisional id made from "Z¼rich" broke TEI's pointer pattern.
#[test]
fn new_ids_are_xml_names() {
    use teikit::registry::slug_id;
    assert_eq!(slug_id(EntityKind::Place, "Z¼rich"), "pl-z-rich");
    assert_eq!(
        slug_id(EntityKind::Person, "Jacques RAMBOZ"),
        "p-jacques-ramboz"
    );
    assert_eq!(slug_id(EntityKind::Place, "Zürich²"), "pl-zurich");
    assert_eq!(slug_id(EntityKind::Person, "Лев Троцкий"), "p-лев-троцкии"); // accents (here the breve of й) are folded
    assert_eq!(slug_id(EntityKind::Org, "¼ ½"), "o-x");
}
