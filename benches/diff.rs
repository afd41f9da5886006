//! Diff benchmark: revision pairs of ELTeC novels joined into a `teiCorpus` (≥ 6 MB with ~20
//! edits, ≥ 12 MB with ~40), made by the accuracy tests' seeded generator. Writes the pairs
//! to `target/bench-data/diff-*.xml` (for whole-process runs of the release binary under
//! `/usr/bin/time -v`, and for xmldiff) and prints in-process timings and the accuracy.
//!
//! `cargo bench --bench diff`

#[path = "../tests/diff_support/mod.rs"]
mod diff_support;

use std::path::PathBuf;
use std::time::Instant;

use teikit::diff::{self, Options};
use teikit::xml::Document;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("TEIKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let dir = shared.join("corpora/eltec-eng/docs");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("diff bench: {} not found, nothing to do", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let novels: Vec<String> = files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let out = root.join("target/bench-data");
    let _ = std::fs::create_dir_all(&out);
    println!("| pair | size MB | edits | parse s | diff s | changes | missed | spurious |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (mb, rounds) in [(6usize, 1usize), (12, 2)] {
        let mut docs = Vec::new();
        let mut size = 0;
        for (i, n) in novels.iter().cycle().enumerate() {
            if size >= mb * 1024 * 1024 || i >= novels.len() * 4 {
                break;
            }
            // Repeated novels get distinct ids.
            let t = if i >= novels.len() {
                n.replace("xml:id=\"", &format!("xml:id=\"r{}-", i / novels.len()))
            } else {
                n.clone()
            };
            size += t.len();
            docs.push(t);
        }
        let base = diff_support::join_corpus(&docs);
        let pair = diff_support::generate(&base, 2026, diff_support::CLASSES, rounds);
        let (po, pn) = (
            out.join(format!("diff-{mb}mb-old.xml")),
            out.join(format!("diff-{mb}mb-new.xml")),
        );
        let _ = std::fs::write(&po, &pair.old);
        let _ = std::fs::write(&pn, &pair.new);
        let t0 = Instant::now();
        let opts = diff::parse_options();
        let a = Document::parse_with(&pair.old, &opts).expect("parses");
        let b = Document::parse_with(&pair.new, &opts).expect("parses");
        let t1 = Instant::now();
        let r = diff::diff(&a, &b, &Options::default());
        let t2 = Instant::now();
        let changes: Vec<_> = r
            .changes
            .iter()
            .map(|c| {
                (
                    c.class.id().to_string(),
                    c.old.as_ref().map(|l| l.span.clone()),
                    c.new.as_ref().map(|l| l.span.clone()),
                    c.summary.clone(),
                )
            })
            .collect();
        let s = diff_support::score(&pair.edits, &changes);
        println!(
            "| {} | {:.1} | {} | {:.3} | {:.3} | {} | {} | {} |",
            po.display(),
            base.len() as f64 / 1048576.0,
            pair.edits.len(),
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64(),
            r.changes.len(),
            s.missed.len(),
            s.spurious.len()
        );
    }
}
