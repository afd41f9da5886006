//! The integrity rules on their fixtures.
//!
//! * `tests/data/rules/*.xml` each break one rule; the diagnostics reported are exactly the
//!   `<!-- EXPECT CODE line N: text -->` comments of the file (code, line of the primary span,
//!   and a substring of the message).
//! * The valid schema fixtures (`tests/data/schema/valid/`) raise nothing at all.

mod common;
mod schema_validator;

use schema_validator::{expectations, xml_files};
use teikit::diag::{Diagnostic, Files, render};
use teikit::rules::{self, RuleOptions};
use teikit::xml::Document;

fn run(path: &std::path::Path, files: &Files) -> (Vec<Diagnostic>, teikit::diag::FileId) {
    let text = common::read(path);
    let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let id = files.add(path.display().to_string(), text.as_str());
    (rules::check(&doc, id, &RuleOptions::default()), id)
}

#[test]
fn each_rule_fixture_reports_exactly_its_expected_diagnostics() {
    let dir = common::root().join("tests/data/rules");
    let docs = xml_files(&dir);
    assert!(docs.len() >= 16, "rule fixtures missing");
    let mut covered: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    for path in &docs {
        let files = Files::new();
        let (diags, id) = run(path, &files);
        let file = files.get(id);
        let mut got: Vec<(String, usize, String)> = diags
            .iter()
            .map(|d| {
                let line = d
                    .primary
                    .as_ref()
                    .map(|l| file.line_col(l.span.start).0)
                    .unwrap_or(0);
                (d.code.id.to_string(), line, d.message.clone())
            })
            .collect();
        got.sort();
        let mut want = expectations(&common::read(path));
        want.sort_by(|a, b| (&a.code, a.line).cmp(&(&b.code, b.line)));
        let mut rendered = Vec::new();
        render::human(&mut rendered, &files, &diags, false).unwrap();
        eprintln!("{}", String::from_utf8_lossy(&rendered));
        let ok = got.len() == want.len()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| g.0 == w.code && g.1 == w.line && g.2.contains(&w.text));
        if !ok {
            failures.push(format!(
                "{}: expected {:?}\ngot:\n{}",
                path.display(),
                want,
                String::from_utf8_lossy(&rendered)
            ));
        }
        covered.extend(want.into_iter().map(|w| w.code));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for code in teikit::rules::codes::ALL {
        assert!(
            covered.iter().any(|c| c == code.id),
            "no fixture in tests/data/rules exercises {}",
            code.id
        );
    }
}

#[test]
fn valid_fixtures_raise_nothing() {
    let files = Files::new();
    let mut all = Vec::new();
    for path in xml_files(&common::root().join("tests/data/schema/valid")) {
        all.extend(run(&path, &files).0);
    }
    let mut out = Vec::new();
    render::human(&mut out, &files, &all, false).unwrap();
    assert!(all.is_empty(), "{}", String::from_utf8_lossy(&out));
}

#[test]
fn strict_pointers_and_external_ids() {
    let path = common::root().join("tests/data/rules/RUL002-external-register.xml");
    let text = common::read(&path);
    let doc = Document::parse(&text).unwrap();
    let files = Files::new();
    let id = files.add("f", text.as_str());
    // Strict: every unresolved name pointer is an error.
    let strict = RuleOptions {
        strict_pointers: true,
        ..Default::default()
    };
    let d = rules::check(&doc, id, &strict);
    assert!(
        d.len() > 1 && d.iter().all(|d| d.code.id == "RUL001"),
        "{d:#?}"
    );
    // Ids of an external register resolve them.
    let external = RuleOptions {
        external_ids: ["p-sedova", "pl-coyoacan", "o-uc"]
            .into_iter()
            .map(String::from)
            .collect(),
        ..Default::default()
    };
    let d = rules::check(&doc, id, &external);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn non_tei_documents_are_not_checked() {
    let doc = Document::parse("<doc><p ref='#nowhere' when='1947-02-30'/></doc>").unwrap();
    assert!(!rules::is_tei(&doc));
    assert!(rules::check(&doc, teikit::diag::FileId(0), &RuleOptions::default()).is_empty());
}
