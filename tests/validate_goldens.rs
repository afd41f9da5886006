//! Validation messages as readable goldens: every `tests/data/validate/CASE/*.xml` is
//! validated against `CASE/schema.rng`, and its diagnostics (`line:col CODE message`, one
//! per line) must equal `*.expected` next to it. `UPDATE_GOLDEN=1 cargo test --test
//! validate_goldens` rewrites them (never in CI); review the diff.
//!
//! The goldens were compared with jing's output on the same files: the same errors, lines
//! and wording, except where noted in a case's `NOTES` file.

mod common;

use std::fmt::Write as _;

use teikit::diag::Files;
use teikit::rng::{FsLoader, Options, Schema};
use teikit::xml::Document;

#[test]
fn validation_goldens() {
    let root = common::root().join("tests/data/validate");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in dirs {
        let files = Files::new();
        let schema_path = dir.join("schema.rng");
        let schema = Schema::load(&schema_path.to_string_lossy(), &mut FsLoader::new(), &files)
            .unwrap_or_else(|d| panic!("{}: {:?}", schema_path.display(), d));
        let mut docs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        docs.sort();
        for doc_path in docs {
            count += 1;
            let text = common::read(&doc_path);
            let f = files.add(doc_path.display().to_string(), text.as_str());
            let doc = Document::parse(&text).expect("well-formed");
            let mut got = String::new();
            for d in schema.validate(&doc, f, &Options::default()) {
                let (line, col) = d
                    .primary
                    .as_ref()
                    .map(|l| files.get(l.file).line_col(l.span.start))
                    .unwrap_or((0, 0));
                writeln!(got, "{line}:{col} {} {}", d.code.id, d.message).unwrap();
            }
            let golden = doc_path.with_extension("expected");
            if common::update_golden() {
                std::fs::write(&golden, &got).unwrap();
                continue;
            }
            let want = std::fs::read_to_string(&golden).unwrap_or_default();
            if want != got {
                failures.push(format!(
                    "{}:\n--- expected\n{want}--- got\n{got}",
                    doc_path.display()
                ));
            }
        }
    }
    assert!(count >= 8, "{count} documents");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
