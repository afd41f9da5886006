//! Real TEI documents of other projects (`../shared/corpora`): for every row of
//! `verdicts.csv`, teikit must give jing's verdict, and its first error must be on the
//! line of jing's first error.

mod common;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use teikit::diag::Files;
use teikit::rng::{FsLoader, Options, Schema};
use teikit::xml::{self, Document};

/// One row of verdicts.csv.
struct Row {
    document: String,
    schema: String,
    verdict: String,
    errors: usize,
    first_line: Option<usize>,
}

/// Minimal CSV reading (quoted fields with doubled quotes), enough for verdicts.csv.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn rows(corpora: &Path) -> Vec<Row> {
    let text = common::read(&corpora.join("verdicts.csv"));
    let mut out = Vec::new();
    for r in parse_csv(&text).into_iter().skip(1) {
        if r.len() < 5 {
            continue;
        }
        let first_line = r[4].split(':').next().and_then(|l| l.parse().ok());
        out.push(Row {
            document: r[0].clone(),
            schema: r[1].clone(),
            verdict: r[2].clone(),
            errors: r[3].parse().unwrap_or(0),
            first_line,
        });
    }
    out
}

#[test]
fn verdicts_match_jing() {
    let Some(shared) = common::shared("validate_verdicts") else {
        return;
    };
    let corpora = shared.join("corpora");
    let rows = rows(&corpora);
    assert!(rows.len() >= 100, "verdicts.csv has {} rows", rows.len());
    let files = Files::new();
    let mut schemas: HashMap<String, Schema> = HashMap::new();
    for r in &rows {
        if !schemas.contains_key(&r.schema) {
            let path = corpora.join(&r.schema);
            let s = Schema::load(&path.to_string_lossy(), &mut FsLoader::new(), &files)
                .unwrap_or_else(|d| panic!("{}: {:?}", r.schema, d));
            schemas.insert(r.schema.clone(), s);
        }
    }
    let outcomes: Vec<Result<String, String>> = rows
        .par_iter()
        .map_init(HashMap::new, |validators, r| {
            let schema = &schemas[&r.schema];
            let v = validators
                .entry(r.schema.clone())
                .or_insert_with(|| schema.validator());
            let path = corpora.join(&r.document);
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", r.document))?;
            let opts = xml::ParseOptions::default();
            let text = xml::decode(&bytes, &opts).map_err(|e| format!("{}: {e}", r.document))?;
            let file = files.add(r.document.clone(), text.as_ref());
            let (verdict, first, count) = match Document::parse_with(&text, &opts) {
                Err(e) => ("not-well-formed", Some(e.pos), 1),
                Ok(doc) => {
                    let diags = v.validate(&doc, file, &Options::default());
                    let first = diags
                        .first()
                        .and_then(|d| d.primary.as_ref())
                        .map(|l| l.span.start);
                    let verdict = if diags.is_empty() { "valid" } else { "invalid" };
                    (verdict, first, diags.len())
                }
            };
            let line = first.map(|p| files.get(file).line_col(p).0);
            let row = format!("{} × {}", r.document, r.schema);
            if verdict != r.verdict {
                return Err(format!("{row}: teikit says {verdict}, jing {}", r.verdict));
            }
            if line != r.first_line {
                return Err(format!(
                    "{row}: first error on line {line:?}, jing's on line {:?}",
                    r.first_line
                ));
            }
            Ok(format!(
                "{row}: {verdict}, {count} errors (jing {})",
                r.errors
            ))
        })
        .collect();
    let failures: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    for o in outcomes.iter().flatten() {
        println!("ok  {o}");
    }
    for f in &failures {
        println!("BAD {f}");
    }
    assert!(
        failures.is_empty(),
        "{} rows disagree with jing",
        failures.len()
    );
}
