//! Validation benchmark (criterion-free: `cargo bench --bench validate`).
//!
//! Measures, on `../shared`, in this process: loading tei_all.rng; validating the 14 ELTeC
//! novels (11 MB) with a compiled schema (parse + validate, one thread, memo tables warm
//! from the first round as in a long run); one small letter against tei_all; and the
//! 1000-element interleave attack. Prints medians.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use teikit::diag::Files;
use teikit::rng::{FsLoader, Options, Schema, Validator};
use teikit::xml::{self, Document};

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("TEIKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.join("README.md").is_file().then_some(p)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (clock ticks of
/// 10 ms; averaged over several runs). The machine this runs on is usually shared, so wall
/// time says little; CPU time is what the figures below report.
fn cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Runs `f` `n` times; returns (median wall time, mean CPU time).
fn measure(n: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let c0 = cpu();
    let walls = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    let c = match (c0, cpu()) {
        (Some(a), Some(b)) => Some((b - a) / n as u32),
        _ => None,
    };
    (median(walls), c)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn show(label: &str, (wall, cpu): (Duration, Option<Duration>), extra: &str) {
    match cpu {
        Some(c) => println!("{label}: {} CPU (wall {}){extra}", ms(c), ms(wall)),
        None => println!("{label}: {} wall{extra}", ms(wall)),
    }
}

fn load(path: &Path) -> Schema {
    let files = Files::new();
    Schema::load(&path.to_string_lossy(), &mut FsLoader::new(), &files).expect("schema loads")
}

fn validate_all(v: &mut Validator<'_>, docs: &[(String, Vec<u8>)]) -> usize {
    let files = Files::new();
    let mut errors = 0;
    for (name, bytes) in docs {
        let opts = xml::ParseOptions::default();
        let text = xml::decode(bytes, &opts).expect("utf-8");
        let f = files.add(name.clone(), text.as_ref());
        let doc = Document::parse_with(&text, &opts).expect("well-formed");
        errors += v.validate(&doc, f, &Options::default()).len();
    }
    errors
}

fn main() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED: ../shared not found");
        return;
    };
    let tei_all = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    let runs = 20;
    show(
        "load tei_all.rng",
        measure(runs, || drop(load(&tei_all))),
        "",
    );

    let docs_dir = shared.join("corpora/eltec-eng/docs");
    let mut docs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&docs_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    docs.sort();
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let mb = bytes as f64 / 1e6;
    // Parsing alone, for reference.
    let m = measure(runs, || {
        for (_, b) in &docs {
            let _ = Document::parse_bytes(b, &xml::ParseOptions::default()).unwrap();
        }
    });
    let rate = |d: Option<Duration>| {
        d.map(|d| format!(" = {:.0} MB/s", mb / d.as_secs_f64()))
            .unwrap_or_default()
    };
    show(
        &format!("parse 14 ELTeC novels ({mb:.1} MB)"),
        m,
        &rate(m.1),
    );
    for (label, schema_path) in [
        (
            "eltec-1.rng",
            shared.join("corpora/eltec-eng/schema/eltec-1.rng"),
        ),
        ("tei_all.rng", tei_all.clone()),
    ] {
        let schema = load(&schema_path);
        let mut v = schema.validator();
        let mut errors = 0;
        let first = measure(1, || errors = validate_all(&mut v, &docs));
        show(
            &format!("parse+validate them against {label}, first run"),
            first,
            &format!(", {errors} errors"),
        );
        let warm = measure(runs, || {
            validate_all(&mut v, &docs);
        });
        show(
            &format!("parse+validate them against {label}, warm"),
            warm,
            &rate(warm.1),
        );
    }

    let letter = shared.join("corpora/tillich-letters/docs/L00001.xml");
    let letter = vec![(
        letter.display().to_string(),
        std::fs::read(&letter).unwrap(),
    )];
    let m = measure(runs, || {
        let s = load(&tei_all);
        validate_all(&mut s.validator(), &letter);
    });
    show("load tei_all + validate one letter", m, "");

    let attacks = shared.join("attacks");
    let s = load(&attacks.join("exponential_interleave.rng"));
    let inst = attacks.join("exponential_interleave.instance.xml");
    let inst = vec![(inst.display().to_string(), std::fs::read(&inst).unwrap())];
    let m = measure(runs * 10, || {
        validate_all(&mut s.validator(), &inst);
    });
    show("1000-element interleave (fresh validator each time)", m, "");
}
