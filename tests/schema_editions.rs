//! The project's editions (`tei/editions/*.xml`, written by `teikit convert`) are valid against
//! `schema/teikit.rnc` and TEI's `tei_all.rng`, and pass every integrity rule (no error, no
//! warning).

mod common;
mod schema_validator;

use teikit::diag::{Files, Severity, render};
use teikit::rules::{self, RuleOptions};
use teikit::xml::Document;

fn editions() -> Vec<std::path::PathBuf> {
    let docs = schema_validator::xml_files(&common::root().join("tei/editions"));
    assert!(
        docs.len() >= 3,
        "tei/editions must hold the project's editions (teikit convert writes them)"
    );
    docs
}

#[test]
fn editions_are_valid_against_teikit_and_tei_all() {
    let test = "editions_are_valid_against_teikit_and_tei_all";
    let docs = editions();
    let Some(shared) = common::shared(test) else {
        return;
    };
    let schemas = [
        common::root().join("schema/teikit.rnc"),
        shared.join("schemas/tei-p5-4.12.0/tei_all.rng"),
    ];
    let mut failures = Vec::new();
    for s in &schemas {
        for (doc, errors) in schema_validator::validate(test, s, &docs) {
            for e in errors {
                failures.push(format!(
                    "{}:{}:{}: {}[{}] (against {})",
                    doc.display(),
                    e.line,
                    e.col,
                    e.message,
                    e.code,
                    s.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn editions_pass_every_integrity_rule() {
    let files = Files::new();
    let mut findings = Vec::new();
    for path in editions() {
        let text = common::read(&path);
        let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id = files.add(path.display().to_string(), text.as_str());
        findings.extend(
            rules::check(&doc, id, &RuleOptions::default())
                .into_iter()
                .filter(|d| d.severity != Severity::Note),
        );
    }
    let mut out = Vec::new();
    render::human(&mut out, &files, &findings, false).unwrap();
    assert!(findings.is_empty(), "{}", String::from_utf8_lossy(&out));
}
