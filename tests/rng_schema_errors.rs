//! Schema errors as data: every `tests/data/rng/schema-errors/*.rng` starts with a comment
//! `<!-- expect: CODE LINE -->` naming the code and line of the first diagnostic loading it
//! must give. (Each case was checked to be rejected by jing as well.)

mod common;

use teikit::diag::Files;
use teikit::rng::{FsLoader, Schema};

#[test]
fn schema_errors_are_located_and_specific() {
    let dir = common::root().join("tests/data/rng/schema-errors");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rng"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "{} cases", paths.len());
    let mut failures = Vec::new();
    for p in &paths {
        let text = common::read(p);
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("<!-- expect: "))
            .and_then(|l| l.strip_suffix(" -->"))
            .unwrap_or_else(|| panic!("{}: no expect comment", p.display()));
        let (code, line) = expect.split_once(' ').expect("CODE LINE");
        let line: usize = line.parse().expect("line");
        let files = Files::new();
        let name = p.to_string_lossy().into_owned();
        match Schema::load(&name, &mut FsLoader::new(), &files) {
            Ok(_) => failures.push(format!("{}: loaded, expected {code}", p.display())),
            Err(diags) => {
                let d = &diags[0];
                let got_line = d
                    .primary
                    .as_ref()
                    .map(|l| files.get(l.file).line_col(l.span.start).0);
                if d.code.id != code || got_line != Some(line) {
                    failures.push(format!(
                        "{}: expected {code} on line {line}, got {} on line {got_line:?}: {}",
                        p.file_name().unwrap().to_string_lossy(),
                        d.code.id,
                        d.message
                    ));
                }
                assert!(!d.message.is_empty());
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
