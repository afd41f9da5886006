//! CMIF export: the output is valid against the CMIF 1.1 RELAX NG schema (checked with teikit's
//! validator) and the four rules of its Schematron (`teikit::cmif::check`), deterministic, with
//! stable bibl UUIDs; the four rules catch what they should; and `teikit cmif` works from the
//! command line.

mod common;
mod schema_validator;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use teikit::cmif::{self, CmifOptions, Edition, Licence};
use teikit::diag::{Files, Severity};
use teikit::xml::{Document, TEI_NS, XML_NS};

fn options() -> CmifOptions {
    CmifOptions {
        title: None,
        editor: "Jane Doe".into(),
        editor_email: Some("jane.doe@example.org".into()),
        publisher: "Example edition".into(),
        publisher_url: Some("https://example.org/".into()),
        file_url: "https://example.org/cmif/letters.xml".into(),
        licence: Licence::CcBy4,
        date: None,
        letter_url: "https://example.org/{edition}.html#{id}".into(),
    }
}

/// Exports these files; returns the CMIF text and the diagnostics.
fn export(
    paths: &[PathBuf],
    options: &CmifOptions,
) -> (String, usize, Vec<teikit::diag::Diagnostic>) {
    let files = Files::new();
    let docs: Vec<(Document, teikit::diag::FileId, String)> = paths
        .iter()
        .map(|p| {
            let text = common::read(p);
            let doc = Document::parse(&text).unwrap();
            let id = files.add(p.display().to_string(), text.as_str());
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (doc, id, stem)
        })
        .collect();
    let editions: Vec<Edition<'_>> = docs
        .iter()
        .map(|(doc, file, name)| Edition {
            doc,
            file: *file,
            name,
        })
        .collect();
    let (out, diags) = cmif::export(&editions, options);
    (out.xml, out.letters, diags)
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/data/schema/valid").join(name)
}

fn count_corresp_descs(path: &Path) -> usize {
    let text = common::read(path);
    let doc = Document::parse(&text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name(Some(TEI_NS), "correspDesc"))
        .count()
}

/// Validates a CMIF text against the CMIF RELAX NG schema (if a validator is available) and
/// the Schematron rules; panics with the findings.
fn assert_valid_cmif(test: &str, xml: &str) {
    let doc = Document::parse(xml).expect("the export is well-formed");
    let d = cmif::check(&doc, teikit::diag::FileId(0));
    assert!(d.is_empty(), "Schematron rules fail: {d:#?}\n{xml}");
    let Some(shared) = common::shared(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cmif.xml");
    std::fs::write(&path, xml).unwrap();
    let schema = shared.join("schemas/cmif-1.1/cmi-customization.rng");
    let result = schema_validator::validate(test, &schema, std::slice::from_ref(&path));
    let errors = result.values().next().unwrap();
    assert!(errors.is_empty(), "invalid CMIF: {errors:#?}\n{xml}");
    let tei_all = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    let result = schema_validator::validate(test, &tei_all, std::slice::from_ref(&path));
    let errors = result.values().next().unwrap();
    assert!(
        errors.is_empty(),
        "CMIF output invalid against tei_all: {errors:#?}"
    );
}

#[test]
fn fixtures_export_to_valid_cmif() {
    let paths = vec![
        fixture("letters.xml"),
        fixture("letter.xml"),
        fixture("two-letters.xml"),
    ];
    let (xml, letters, diags) = export(&paths, &options());
    let want: usize = paths.iter().map(|p| count_corresp_descs(p)).sum();
    assert_eq!(letters, want);
    assert!(
        diags.iter().all(|d| d.severity != Severity::Error),
        "{diags:#?}"
    );
    assert_valid_cmif("fixtures_export_to_valid_cmif", &xml);

    // One correspDesc per letter, each with a letter URL, a source and both actions.
    let doc = Document::parse(&xml).unwrap();
    let descs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name(Some(TEI_NS), "correspDesc"))
        .collect();
    assert_eq!(descs.len(), want);
    for d in &descs {
        let r = d.attribute(None, "ref").unwrap();
        assert!(
            r.starts_with("https://example.org/") && r.contains(".html#"),
            "{r}"
        );
        assert!(d.attribute(None, "source").unwrap().starts_with('#'));
    }
    assert!(xml.contains("<email>jane.doe@example.org</email>"));
    assert!(xml.contains(r#"<idno type="url">https://example.org/cmif/letters.xml</idno>"#));
    // Authority URIs from the register; local pointers never leak into CMIF.
    assert!(xml.contains(r#"ref="https://www.wikidata.org/entity/Q468439""#));
    assert!(xml.contains(r#"ref="https://www.geonames.org/2988507""#));
    assert!(!xml.contains("ref=\"#"), "{xml}");
}

#[test]
fn export_is_deterministic_and_uuids_are_stable() {
    let a = export(&[fixture("letters.xml"), fixture("letter.xml")], &options()).0;
    let b = export(&[fixture("letters.xml"), fixture("letter.xml")], &options()).0;
    assert_eq!(a, b);
    // An edition's bibl UUID depends on the file URL and the edition's name only.
    let alone = export(&[fixture("letter.xml")], &options()).0;
    let uuid = cmif::bibl_uuid("https://example.org/cmif/letters.xml", "letter");
    assert!(alone.contains(&format!("xml:id=\"{uuid}\"")), "{alone}");
    assert!(a.contains(&format!("xml:id=\"{uuid}\"")));
    assert!(uuid.starts_with(|c: char| c.is_ascii_alphabetic()));
    // Publication date: the option, or the latest change of the editions (never the clock).
    assert!(a.contains(r#"<date when="2025-01-15T10:00:00"/>"#), "{a}");
    let dated = CmifOptions {
        date: Some("2025-02-01".into()),
        licence: Licence::Cc0,
        ..options()
    };
    let c = export(&[fixture("letter.xml")], &dated).0;
    assert!(c.contains(r#"<date when="2025-02-01"/>"#));
    assert!(c.contains("https://creativecommons.org/publicdomain/zero/1.0/"));
    assert_valid_cmif("export_is_deterministic_and_uuids_are_stable", &c);
}

#[test]
fn unknown_correspondents_and_missing_dates_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::read(&fixture("two-letters.xml"))
        .replace(
            "<correspAction type=\"received\">\n          <orgName ref=\"#o-uc\">Union Communiste</orgName>\n        </correspAction>\n      </correspDesc>\n      <correspDesc ref=\"#L02\">",
            "</correspDesc>\n      <correspDesc ref=\"#L02\">",
        )
        .replace("<change when=\"2025-01-15\" who=\"#r-conv\">", "<change who=\"#r-conv\">");
    let path = dir.path().join("edition.xml");
    std::fs::write(&path, &src).unwrap();
    let (xml, letters, diags) = export(&[path], &options());
    assert_eq!(letters, 2);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.id).collect();
    assert!(codes.contains(&"CMF012"), "{codes:?}");
    assert!(codes.contains(&"CMF016"), "{codes:?}");
    assert!(xml.contains("<persName>Unknown</persName>"));
}

#[test]
fn the_four_schematron_rules() {
    let ok = common::read(&fixture("letter.xml"));
    let (xml, _, _) = {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("letter.xml");
        std::fs::write(&p, &ok).unwrap();
        let dated = CmifOptions {
            date: Some("2025-01-15".into()),
            ..options()
        };
        export(&[p], &dated)
    };
    let check = |text: &str| -> Vec<(String, usize)> {
        let doc = Document::parse(text).unwrap();
        let f = teikit::diag::SourceFile::new("t", text);
        cmif::check(&doc, teikit::diag::FileId(0))
            .iter()
            .map(|d| {
                (
                    d.code.id.to_string(),
                    f.line_col(d.primary.as_ref().unwrap().span.start).0,
                )
            })
            .collect()
    };
    assert!(check(&xml).is_empty());
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;

    // W0001: a bibl without a UUID.
    let uuid = xml
        .split("xml:id=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let t = xml.replace(&format!("xml:id=\"{uuid}\""), "xml:id=\"edition\"");
    let t = t.replace(&format!("source=\"#{uuid}\""), "source=\"#edition\"");
    assert_eq!(
        check(&t),
        vec![("CMF001".into(), line_of(&t, "xml:id=\"edition\""))]
    );
    // E0001, E0002: no sent, no received.
    let t = xml.replace("type=\"sent\"", "type=\"received\"");
    assert_eq!(
        check(&t),
        vec![("CMF002".into(), line_of(&t, "<correspDesc"))]
    );
    let t = xml.replace("type=\"received\"", "type=\"sent\"");
    assert_eq!(
        check(&t),
        vec![("CMF003".into(), line_of(&t, "<correspDesc"))]
    );
    // E0003: @source names no bibl.
    let t = xml.replace(&format!("source=\"#{uuid}\""), "source=\"#nowhere\"");
    assert_eq!(check(&t), vec![("CMF004".into(), line_of(&t, "#nowhere"))]);
    // E0004: a date without a dating attribute.
    let t = xml.replace("<date when=\"1937-07-17\"/>", "<date>1937</date>");
    assert_eq!(
        check(&t),
        vec![("CMF005".into(), line_of(&t, "<date>1937"))]
    );
}

#[test]
fn barta_sedova_edition_exports_eleven_letters() {
    let path = common::root().join("tei/editions/barta-sedova-letters-1946-1949.xml");
    // The editions carry no wall-clock date (conversion is deterministic), so the CMIF
    // timestamp is given, as the README's command does.
    let opts = CmifOptions {
        date: Some("2025-06-01".into()),
        ..options()
    };
    let (xml, letters, diags) = export(&[path], &opts);
    assert!(
        diags.iter().all(|d| d.severity != Severity::Error),
        "{diags:#?}"
    );
    assert_eq!(letters, 11, "{xml}");
    assert_valid_cmif("barta_sedova_edition_exports_eleven_letters", &xml);
    let doc = Document::parse(&xml).unwrap();
    for cd in doc
        .descendants()
        .filter(|n| n.has_tag_name(Some(TEI_NS), "correspDesc"))
    {
        assert!(cd.attribute(None, "ref").is_some());
        let dated = cd
            .descendants()
            .any(|n| n.has_tag_name(Some(TEI_NS), "date"));
        assert!(dated, "every Barta–Sedova letter is dated");
    }
    let _ = XML_NS;
}

fn teikit() -> Command {
    Command::cargo_bin("teikit").unwrap()
}

#[test]
fn cli_exports_with_a_config_file_and_flags() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cmif.toml");
    std::fs::write(
        &config,
        r#"editor = "Jane Doe"
editor_email = "jane.doe@example.org"
publisher = "Example edition"
file_url = "https://example.org/cmif/letters.xml"
letter_url = "https://example.org/{edition}.html#{id}"
licence = "CC0-1.0"
"#,
    )
    .unwrap();
    let out = dir.path().join("letters.xml");
    teikit()
        .arg("cmif")
        .arg(fixture("letters.xml"))
        .arg("-o")
        .arg(&out)
        .arg("--config")
        .arg(&config)
        .args(["--date", "2025-03-01T12:00:00Z"])
        .assert()
        .success();
    let xml = common::read(&out);
    assert!(xml.contains(r#"<date when="2025-03-01T12:00:00Z"/>"#));
    assert!(xml.contains("publicdomain/zero"));
    assert_valid_cmif("cli_exports_with_a_config_file_and_flags", &xml);
    // The output exists: refused without --force.
    teikit()
        .arg("cmif")
        .arg(fixture("letters.xml"))
        .arg("-o")
        .arg(&out)
        .arg("--config")
        .arg(&config)
        .assert()
        .code(2);
    // Missing settings are a usage error.
    teikit()
        .arg("cmif")
        .arg(fixture("letters.xml"))
        .arg("-o")
        .arg(dir.path().join("x.xml"))
        .assert()
        .code(2);
    // A bad config key is a usage error, not ignored.
    std::fs::write(&config, "editr = \"x\"\n").unwrap();
    teikit()
        .arg("cmif")
        .arg(fixture("letters.xml"))
        .arg("-o")
        .arg(dir.path().join("y.xml"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(2);
}
