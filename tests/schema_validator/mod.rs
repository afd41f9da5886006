//! The RELAX NG validation the schema, rule and CMIF tests use: teikit's own validator
//! (`teikit::rng`) through the library API, behind one function.
//!
//! (It used jing until `teikit::rng` landed; the fixtures' expected lines were recorded with
//! jing and are the same with teikit.)
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use teikit::diag::Files;
use teikit::rng::{FsLoader, Options, Schema};
use teikit::xml::Document;

/// One error: its code, 1-based line and column, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Validates documents against a schema (`.rng` or `.rnc`); returns each document's errors
/// (empty = valid). Panics if the schema itself has errors.
pub fn validate(test: &str, schema: &Path, docs: &[PathBuf]) -> BTreeMap<PathBuf, Vec<Error>> {
    let files = Files::new();
    let compiled = Schema::load(&schema.to_string_lossy(), &mut FsLoader::new(), &files)
        .unwrap_or_else(|d| panic!("{test}: {} does not load: {d:#?}", schema.display()));
    let mut validator = compiled.validator();
    let mut out = BTreeMap::new();
    for doc_path in docs {
        let text = std::fs::read_to_string(doc_path)
            .unwrap_or_else(|e| panic!("{}: {e}", doc_path.display()));
        let file = files.add(doc_path.display().to_string(), text.as_str());
        let diags = match Document::parse(&text) {
            Ok(doc) => validator.validate(&doc, file, &Options::default()),
            Err(e) => vec![teikit::rng::read_error(&e, file)],
        };
        let source = files.get(file);
        let errors = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let (line, col) = d
                    .primary
                    .as_ref()
                    .map(|l| source.line_col(l.span.start))
                    .unwrap_or((0, 0));
                Error {
                    code: d.code.id.to_string(),
                    line,
                    col,
                    message: d.message.clone(),
                }
            })
            .collect();
        out.insert(doc_path.clone(), errors);
    }
    out
}

/// `*.xml` files of a folder, sorted.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    v
}

/// An expectation written in a fixture's comment: `<!-- EXPECT CODE line N: text -->`, where
/// CODE is a diagnostic code and the text a substring of the message (optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub code: String,
    pub line: usize,
    pub text: String,
}

/// The expectations of a fixture.
pub fn expectations(text: &str) -> Vec<Expect> {
    let mut v = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("<!-- EXPECT ") {
        rest = &rest[i + "<!-- EXPECT ".len()..];
        let end = rest.find("-->").expect("unterminated EXPECT comment");
        let body = rest[..end].trim();
        rest = &rest[end..];
        let (code, after) = body.split_once(" line ").expect("EXPECT CODE line N: text");
        let (line, text) = after.split_once(':').unwrap_or((after, ""));
        v.push(Expect {
            code: code.trim().to_string(),
            line: line.trim().parse().expect("line number"),
            text: text.trim().to_string(),
        });
    }
    v
}
