//! The integrity rules on real TEI written by other projects (`../shared/corpora`): they must
//! not be noisy there. Every error or warning they raise on these documents is a false positive
//! (the corpora are published editions), so the test fails on any; notes are allowed.

mod common;

use teikit::diag::{Files, Severity, render};
use teikit::rules::{self, RuleOptions};
use teikit::xml::{Document, ParseOptions};

fn run_corpus(test: &str, sub: &str) {
    let Some(shared) = common::shared(test) else {
        return;
    };
    let dir = shared.join("corpora").join(sub).join("docs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no documents in {}", dir.display());
    let files = Files::new();
    let mut findings = Vec::new();
    let mut notes = 0;
    for p in &paths {
        let bytes = std::fs::read(p).unwrap();
        let doc = Document::parse_bytes(&bytes, &ParseOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(rules::is_tei(&doc), "{}", p.display());
        let id = files.add(p.display().to_string(), doc.text());
        for d in rules::check(&doc, id, &RuleOptions::default()) {
            if d.severity == Severity::Note {
                notes += 1;
            } else {
                findings.push(d);
            }
        }
    }
    let mut out = Vec::new();
    render::human(&mut out, &files, &findings, false).unwrap();
    eprintln!("{sub}: {} documents, {} notes", paths.len(), notes);
    assert!(
        findings.is_empty(),
        "{} false positive(s) on {sub}:\n{}",
        findings.len(),
        String::from_utf8_lossy(&out)
    );
}

#[test]
fn rules_are_quiet_on_the_tillich_letters() {
    run_corpus("rules_are_quiet_on_the_tillich_letters", "tillich-letters");
}

#[test]
fn rules_are_quiet_on_eltec_novels() {
    run_corpus("rules_are_quiet_on_eltec_novels", "eltec-eng");
}
