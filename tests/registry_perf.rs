//! Tagging throughput (a benchmark, not a timed test). Run with
//! `cargo test --release --test registry_perf -- --ignored --nocapture`.
//!
//! The test that always runs checks only what does not depend on the machine: a synthetic
//! 2,000-entity registry builds and tags correctly.

mod common;

use std::time::Instant;

use teikit::registry::{Entity, EntityKind, Name, Registry};

/// A registry of `n` synthetic persons (two forms each) plus the shipped one.
fn synthetic(n: usize) -> Registry {
    let text = common::read(&common::root().join("tei/registry.toml"));
    let (mut reg, _) = Registry::from_toml(&text, teikit::diag::FileId(0));
    for i in 0..n {
        let surname = surname(i);
        let mut e = Entity::new(
            format!("p-syn-{i}"),
            EntityKind::Person,
            format!("Ivan {surname}"),
        );
        e.names.push(Name::typed(surname, "variant"));
        reg.entities.push(e);
    }
    reg
}

/// A distinct synthetic surname for each `i` < 10,000.
fn surname(i: usize) -> String {
    let syll = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "dro"];
    let a = syll[i % 10];
    let b = syll[(i / 10) % 10];
    let c = syll[(i / 100) % 10];
    let d = syll[(i / 1000) % 10];
    format!("{}{b}{c}{d}vski", a[..1].to_uppercase() + &a[1..])
}

/// CPU time of this thread in seconds (from /proc; `None` elsewhere). Wall-clock time is
/// meaningless on a shared machine; CPU time is what one core spends.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let (u, k): (f64, f64) = (f.get(11)?.parse().ok()?, f.get(12)?.parse().ok()?);
    Some((u + k) / 100.0)
}

/// Best of `n` runs of `f`: (wall seconds, CPU seconds).
fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let (mut wall, mut cpu) = (f64::MAX, f64::MAX);
    for _ in 0..n {
        let c0 = cpu_seconds();
        let t0 = Instant::now();
        std::hint::black_box(f());
        wall = wall.min(t0.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            cpu = cpu.min(b - a);
        }
    }
    (wall, cpu)
}

fn corpus(min_bytes: usize) -> String {
    let dir = common::root().join("tei/sources");
    let mut base = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        base.push_str(&common::read(&e.unwrap().path()));
        base.push('\n');
    }
    let mut s = String::with_capacity(min_bytes + base.len());
    while s.len() < min_bytes {
        s.push_str(&base);
    }
    s
}

#[test]
fn synthetic_registry_tags() {
    let reg = synthetic(2000);
    let t = reg.tagger();
    let s = surname(1234);
    let ms = t.find(&format!("Ivan {s} met {s} and Stalin."));
    let ids: Vec<&str> = ms
        .iter()
        .map(|m| reg.entities[m.entity].id.as_str())
        .collect();
    assert_eq!(ids, ["p-syn-1234", "p-syn-1234", "p-stalin"]);
}

#[test]
#[ignore]
fn throughput() {
    let text = corpus(24 << 20);
    let mb = text.len() as f64 / 1e6;
    for (label, reg) in [
        ("shipped registry", synthetic(0)),
        ("shipped + 2,000 synthetic entities", synthetic(2000)),
    ] {
        let t0 = Instant::now();
        let tagger = reg.tagger();
        let build = t0.elapsed();
        let count = tagger.find(&text).len();
        let (wall, cpu) = best_of(5, || tagger.find(&text));
        println!(
            "{label}: {} entities, {} forms, build {:.1} ms, {:.1} MB: wall {:.3} s = {:.1} MB/s, CPU {:.2} s = {:.1} MB/s ({count} mentions)",
            reg.entities.len(),
            tagger.form_count(),
            build.as_secs_f64() * 1e3,
            mb,
            wall,
            mb / wall,
            cpu,
            mb / cpu,
        );
    }
    // Linearity: half the text takes about half the time.
    let reg = synthetic(2000);
    let tagger = reg.tagger();
    let half = &text[..text.floor_char_boundary(text.len() / 2)];
    let (th, ch) = best_of(5, || tagger.find(half));
    let (tf, cf) = best_of(5, || tagger.find(&text));
    println!(
        "linearity: full/half = {:.2} wall, {:.2} CPU",
        tf / th,
        cf / ch
    );
}
