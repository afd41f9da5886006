//! Accuracy of `teikit diff` against generated revision pairs with a known edit list
//! (`diff_support`): every edit must be reported as exactly one change of its class, near
//! where it was made, and nothing else may be reported — at three sizes (a letter, a
//! novel, a 6 MB corpus) and on the encoding examples. Serialization noise must be silent.

mod common;
mod diff_support;

use std::collections::BTreeMap;
use std::path::Path;

use diff_support::{CLASSES, Pair, Score};
use teikit::diff::{self, Change, Options};
use teikit::xml::Document;

fn parse(t: &str) -> Document {
    Document::parse_with(t, &diff::parse_options()).expect("generated document parses")
}

fn flat(changes: &[Change]) -> Vec<diff_support::Reported> {
    changes
        .iter()
        .map(|c| {
            (
                c.class.id().to_string(),
                c.old.as_ref().map(|l| l.span.clone()),
                c.new.as_ref().map(|l| l.span.clone()),
                c.summary.clone(),
            )
        })
        .collect()
}

/// Diffs a pair and scores it; the new side is optionally run through the noise filter
/// (then only classes are compared, since the spans move).
fn check(pair: &Pair, noisy: bool) -> Score {
    let old = parse(&pair.old);
    let new_text = if noisy {
        diff_support::noise(&pair.new)
    } else {
        pair.new.clone()
    };
    let new = parse(&new_text);
    // Timing is the benchmark's business: a generous budget keeps slow debug runs exact.
    let options = Options {
        time_budget: std::time::Duration::from_secs(3600),
        ..Options::default()
    };
    let report = diff::diff(&old, &new, &options);
    assert!(
        report.degraded.is_empty(),
        "degraded: {:?}",
        report.degraded
    );
    let mut changes = flat(&report.changes);
    if noisy {
        // Spans of the new side no longer line up with the regions: match on the old side.
        for c in &mut changes {
            c.2 = None;
        }
    }
    diff_support::score(&pair.edits, &changes)
}

#[derive(Default)]
struct Tally {
    per_class: BTreeMap<&'static str, (usize, usize)>,
    failures: Vec<String>,
    pairs: usize,
}

impl Tally {
    fn add(&mut self, name: &str, pair: &Pair, s: &Score) {
        dump(
            &name.rsplit('/').next().unwrap_or(name).replace(' ', "-"),
            pair,
            s,
        );
        self.pairs += 1;
        for e in &pair.edits {
            let ent = self.per_class.entry(e.class).or_default();
            ent.0 += 1;
        }
        let missed: Vec<&str> = s
            .missed
            .iter()
            .map(|m| m.split(':').next().unwrap_or(""))
            .collect();
        for e in &pair.edits {
            if !missed.contains(&e.class) {
                self.per_class.entry(e.class).or_default().1 += 1;
            }
        }
        if !s.missed.is_empty() || !s.spurious.is_empty() {
            self.failures.push(format!(
                "{name}: {} edits, {} found\n  missed: {:#?}\n  spurious: {:#?}",
                s.expected, s.found, s.missed, s.spurious
            ));
        }
    }

    fn finish(self, what: &str, require_all: bool) {
        println!("{what}: {} pairs", self.pairs);
        for (c, (n, ok)) in &self.per_class {
            println!("  {c:<22} {ok:>4}/{n:<4}");
        }
        assert!(
            self.failures.is_empty(),
            "{what}:\n{}",
            self.failures.join("\n")
        );
        if require_all {
            for c in CLASSES {
                assert!(
                    self.per_class.contains_key(c),
                    "{what}: the generator made no `{c}` edit"
                );
            }
        }
    }
}

/// With `DIFF_DUMP=dir`, failing pairs are written there for inspection.
fn dump(name: &str, pair: &Pair, s: &Score) {
    if let Some(d) = std::env::var_os("DIFF_DUMP")
        && (!s.missed.is_empty() || !s.spurious.is_empty())
    {
        let d = Path::new(&d);
        let _ = std::fs::create_dir_all(d);
        let _ = std::fs::write(d.join(format!("{name}-old.xml")), &pair.old);
        let _ = std::fs::write(d.join(format!("{name}-new.xml")), &pair.new);
        let _ = std::fs::write(
            d.join(format!("{name}-edits.txt")),
            format!("{:#?}", pair.edits),
        );
    }
}

fn read(p: &Path) -> String {
    common::read(p)
}

#[test]
fn encoding_examples() {
    let Some(shared) = common::shared("diff_accuracy::encoding_examples") else {
        return;
    };
    let mut t = Tally::default();
    for name in [
        "ex1_article_damaged.xml",
        "ex2_letter_notes.xml",
        "ex3_correspondence_translation.xml",
    ] {
        let base = read(&shared.join("encoding-examples").join(name));
        for seed in 1..=12u64 {
            let pair = diff_support::generate(&base, seed, CLASSES, 1);
            let s = check(&pair, false);
            t.add(&format!("{name} seed {seed}"), &pair, &s);
        }
    }
    t.finish("encoding examples", true);
}

#[test]
fn tillich_letters() {
    let Some(shared) = common::shared("diff_accuracy::tillich_letters") else {
        return;
    };
    let dir = shared.join("corpora/tillich-letters/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut t = Tally::default();
    for (k, f) in files.iter().enumerate() {
        let base = read(f);
        let seeds = if f.ends_with("L00231.xml") {
            1..=8u64
        } else {
            (k as u64)..=(k as u64)
        };
        for seed in seeds {
            let pair = diff_support::generate(&base, seed, CLASSES, 1);
            let s = check(&pair, false);
            t.add(&format!("{} seed {seed}", f.display()), &pair, &s);
        }
    }
    t.finish("tillich letters", true);
}

#[test]
fn novel() {
    let Some(shared) = common::shared("diff_accuracy::novel") else {
        return;
    };
    let base = read(&shared.join("corpora/eltec-eng/docs/ENG18610_Eliot.xml"));
    let mut t = Tally::default();
    for seed in 1..=3u64 {
        let pair = diff_support::generate(&base, seed, CLASSES, 1);
        let s = check(&pair, false);
        t.add(&format!("Eliot seed {seed}"), &pair, &s);
    }
    t.finish("novel (467 KB)", true);
}

#[test]
fn noise_is_silent() {
    let Some(shared) = common::shared("diff_accuracy::noise_is_silent") else {
        return;
    };
    let mut paths = vec![
        shared.join("encoding-examples/ex1_article_damaged.xml"),
        shared.join("encoding-examples/ex2_letter_notes.xml"),
        shared.join("encoding-examples/ex3_correspondence_translation.xml"),
        shared.join("corpora/tillich-letters/docs/L00231.xml"),
        shared.join("corpora/eltec-eng/docs/ENG18610_Eliot.xml"),
    ];
    paths.sort();
    for p in paths {
        let base = read(&p);
        let noisy = diff_support::noise(&base);
        assert_ne!(base, noisy);
        let report = diff::diff(&parse(&base), &parse(&noisy), &Options::default());
        assert!(
            report.changes.is_empty(),
            "{}: noise reported as {:#?}",
            p.display(),
            report
                .changes
                .iter()
                .map(|c| &c.summary)
                .collect::<Vec<_>>()
        );
        // And edits under noise are still exactly the edits.
        let pair = diff_support::generate(&base, 7, CLASSES, 1);
        let s = check(&pair, true);
        if std::env::var_os("DIFF_DUMP").is_some()
            && !(s.missed.is_empty() && s.spurious.is_empty())
        {
            let d = std::path::PathBuf::from(std::env::var_os("DIFF_DUMP").unwrap());
            let _ = std::fs::create_dir_all(&d);
            let _ = std::fs::write(d.join("noisy-old.xml"), &pair.old);
            let _ = std::fs::write(d.join("noisy-new.xml"), diff_support::noise(&pair.new));
        }
        assert!(
            s.missed.is_empty() && s.spurious.is_empty(),
            "{} with noise: {s:#?}",
            p.display()
        );
    }
}

fn corpus(shared: &Path) -> String {
    let dir = shared.join("corpora/eltec-eng/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut docs = Vec::new();
    let mut size = 0;
    for f in files {
        let t = read(&f);
        size += t.len();
        docs.push(t);
        if size >= 6 * 1024 * 1024 {
            break;
        }
    }
    diff_support::join_corpus(&docs)
}

/// The 6 MB corpus. Fast enough for a debug build (a few seconds).
#[test]
fn corpus_6mb() {
    let Some(shared) = common::shared("diff_accuracy::corpus_6mb") else {
        return;
    };
    let base = corpus(&shared);
    assert!(
        base.len() >= 6 * 1024 * 1024,
        "corpus is {} bytes",
        base.len()
    );
    let mut t = Tally::default();
    let pair = diff_support::generate(&base, 42, CLASSES, 1);
    let s = check(&pair, false);
    t.add("6 MB corpus seed 42", &pair, &s);
    t.finish("corpus (6 MB)", true);
}

/// A wider sweep (more seeds, two edits per class, every novel): `cargo test --release
/// --test diff_accuracy -- --ignored`.
#[test]
#[ignore]
fn sweep() {
    let Some(shared) = common::shared("diff_accuracy::sweep") else {
        return;
    };
    let mut t = Tally::default();
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpora/tillich-letters/docs"))
        .unwrap()
        .chain(std::fs::read_dir(shared.join("corpora/eltec-eng/docs")).unwrap())
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in &files {
        let base = read(f);
        let big = base.len() > 100_000;
        for seed in 100..(if big { 102 } else { 110 }) {
            let pair = diff_support::generate(&base, seed, CLASSES, if big { 2 } else { 1 });
            let s = check(&pair, false);
            t.add(&format!("{} seed {seed}", f.display()), &pair, &s);
        }
    }
    t.finish("sweep", true);
}
