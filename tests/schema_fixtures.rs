//! The edition schema on its fixtures.
//!
//! * `tests/data/schema/valid/*.xml` are valid against `schema/teikit.rnc`, against the
//!   generated `schema/teikit.rng`, and against TEI's `tei_all.rng` (teikit's schema is a
//!   restriction of TEI, so its documents must be TEI documents).
//! * `tests/data/schema/invalid/*.xml` each break one schema rule: the first error reported has
//!   the code and line its `<!-- EXPECT CODE line N: text -->` comment names and contains the
//!   text; the `.rng` gives the same errors as the `.rnc`.
//!
//! The validator is teikit's own (`teikit::rng`), behind `schema_validator::validate`.

mod common;
mod schema_validator;

use std::path::PathBuf;

use schema_validator::{expectations, validate, xml_files};

fn schema(name: &str) -> PathBuf {
    common::root().join("schema").join(name)
}

#[test]
fn valid_fixtures_are_valid_against_teikit_and_tei_all() {
    let test = "valid_fixtures_are_valid_against_teikit_and_tei_all";
    let docs = xml_files(&common::root().join("tests/data/schema/valid"));
    assert!(docs.len() >= 3, "valid fixtures missing");
    let Some(shared) = common::shared(test) else {
        return;
    };
    let tei_all = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    for s in [schema("teikit.rnc"), schema("teikit.rng"), tei_all] {
        let result = validate(test, &s, &docs);
        let bad: Vec<_> = result.iter().filter(|(_, e)| !e.is_empty()).collect();
        assert!(bad.is_empty(), "invalid against {}: {bad:#?}", s.display());
    }
}

#[test]
fn each_invalid_fixture_fails_on_its_expected_line() {
    let test = "each_invalid_fixture_fails_on_its_expected_line";
    let docs = xml_files(&common::root().join("tests/data/schema/invalid"));
    assert!(docs.len() >= 30, "invalid fixtures missing");
    let by_rnc = validate(test, &schema("teikit.rnc"), &docs);
    let by_rng = validate(test, &schema("teikit.rng"), &docs);
    let mut failures = Vec::new();
    for (doc, errors) in &by_rnc {
        let name = doc.file_name().unwrap().to_string_lossy();
        let expect = expectations(&common::read(doc));
        assert_eq!(
            expect.len(),
            1,
            "{name}: one EXPECT comment per schema fixture"
        );
        let e = &expect[0];
        match errors.first() {
            None => failures.push(format!(
                "{name}: valid, expected an error on line {}",
                e.line
            )),
            Some(first) if first.line != e.line || !first.message.contains(&e.text) => failures
                .push(format!(
                    "{name}: first error {}:{}: {}; expected line {}: …{}…",
                    first.line, first.col, first.message, e.line, e.text
                )),
            Some(_) => {}
        }
        // Same codes at the same places (messages may list alternatives in another order).
        let places = |v: &Vec<schema_validator::Error>| -> Vec<(String, usize, usize)> {
            v.iter().map(|e| (e.code.clone(), e.line, e.col)).collect()
        };
        if by_rng.get(doc).map(places) != Some(places(errors)) {
            failures.push(format!(
                "{name}: teikit.rng and teikit.rnc disagree: {:?} vs {errors:?}",
                by_rng.get(doc)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
