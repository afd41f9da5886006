//! The RELAX NG validator the schema tests use, behind one function so that the tests switch
//! from jing to teikit's own validator (`teikit::rng`) in one place once it lands.
//!
//! Today: jing (`jing -c` for compact syntax), run once per schema for a batch of documents.
//! When jing is not installed the tests print a loud SKIPPED line and pass — unless `CI=true`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One error: 1-based line and column, and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Validates documents against a schema (`.rng` or `.rnc`). Returns each document's errors
/// (empty = valid), or `None` when no validator is available.
pub fn validate(
    test: &str,
    schema: &Path,
    docs: &[PathBuf],
) -> Option<BTreeMap<PathBuf, Vec<Error>>> {
    if docs.is_empty() {
        return Some(BTreeMap::new());
    }
    if !jing_available() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{test}: jing is needed (until teikit's validator lands) and CI=true");
        }
        eprintln!("\n*** SKIPPED {test}: jing not installed (apt-get install jing) ***\n");
        return None;
    }
    let mut cmd = Command::new("jing");
    if schema.extension().is_some_and(|e| e == "rnc") {
        cmd.arg("-c");
    }
    cmd.arg(schema);
    let docs: Vec<PathBuf> = docs
        .iter()
        .map(|d| {
            d.canonicalize()
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        })
        .collect();
    cmd.args(&docs);
    let out = cmd.output().expect("run jing");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut result: BTreeMap<PathBuf, Vec<Error>> =
        docs.iter().map(|d| (d.clone(), Vec::new())).collect();
    for line in stdout.lines() {
        let Some(doc) = docs
            .iter()
            .find(|d| line.starts_with(&format!("{}:", d.display())))
        else {
            // An error in the schema itself.
            panic!("{test}: jing: {line}");
        };
        let rest = &line[doc.display().to_string().len() + 1..];
        let mut parts = rest.splitn(3, ':');
        let line_no = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let col = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let message = parts
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches("error:")
            .trim_start_matches("fatal:")
            .trim()
            .to_string();
        result.get_mut(doc).unwrap().push(Error {
            line: line_no,
            col,
            message,
        });
    }
    Some(result)
}

fn jing_available() -> bool {
    Command::new("jing").arg("-h").output().is_ok()
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
/// CODE is a diagnostic code (or `jing` for a schema error while jing is the validator) and the
/// text is a substring of the message (optional).
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
