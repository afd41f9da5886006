//! Goldens for the converter: each `tests/data/convert/NAME.txt` (with an optional sidecar
//! `NAME.toml`) is converted without a registry, or with `NAME.registry.toml` when there is
//! one (and with `provisional_names` when NAME contains "provisional-names"); the TEI must
//! equal `NAME.xml` and the diagnostics `NAME.diags` (one line each: `line:col
//! severity[CODE] message`).
//! `UPDATE_GOLDEN=1` rewrites them (never in CI). Every input must also keep all its words,
//! and every output must be valid against the house schema (`schema/teikit.rnc`) and
//! `tei_all`, and pass the integrity rules without errors or warnings.
//!
//! The inputs are variants written for this project — other sites, other date forms,
//! other footers — so that the rules are tested on more than the three sample sources.

mod common;
#[path = "support/house.rs"]
mod house;
#[path = "support/words.rs"]
mod words;

use std::path::PathBuf;

use teikit::diag::{Files, render};
use teikit::registry::Registry;
use teikit::transcription::{self, Options, Sidecar, Tagging};
use teikit::xml::Document;

fn inputs() -> Vec<PathBuf> {
    let dir = common::root().join("tests/data/convert");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

fn check_golden(path: &PathBuf, actual: &str, stale: &mut Vec<String>) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    if old == actual {
        return;
    }
    if common::update_golden() {
        std::fs::write(path, actual).unwrap();
    } else {
        let diff = similar::TextDiff::from_lines(&old, actual)
            .unified_diff()
            .header("golden", "actual")
            .to_string();
        stale.push(format!("{}:\n{diff}", path.display()));
    }
}

#[test]
fn goldens() {
    let mut stale = Vec::new();
    let mut invalid = Vec::new();
    // Every output must be valid against the house schema and tei_all, and pass the
    // integrity rules without errors or warnings.
    let house = house::House::load("convert goldens valid against tei_all", true);
    let inputs = inputs();
    assert!(inputs.len() >= 5);
    for input in inputs {
        let files = Files::new();
        let text = common::read(&input);
        let fid = files.add(input.display().to_string(), text.as_str());
        let sc_path = input.with_extension("toml");
        let sidecar = sc_path.is_file().then(|| {
            let t = common::read(&sc_path);
            let sid = files.add(sc_path.display().to_string(), t.as_str());
            Sidecar::parse(&t, sid).0.expect("valid sidecar")
        });
        let reg_path = input.with_extension("registry.toml");
        let registry = reg_path.is_file().then(|| {
            let t = common::read(&reg_path);
            let rid = files.add(reg_path.display().to_string(), t.as_str());
            let (r, d) = Registry::from_toml(&t, rid);
            assert!(!d.iter().any(|d| d.is_error()), "{d:?}");
            let tagger = r.tagger();
            (r, tagger)
        });
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let opts = Options {
            file_name: &name,
            tagging: registry.as_ref().map(|(r, t)| Tagging {
                registry: r,
                finder: t,
            }),
            sidecar: sidecar.as_ref(),
            provisional_names: name.contains("provisional-names"),
        };
        let (ed, diags) = transcription::convert(&text, fid, &opts);
        let xml = teikit::tei::write(&ed);
        let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        invalid.extend(house.problems(&name, &xml));
        let mut summary = String::new();
        for d in &diags {
            match &d.primary {
                Some(l) => {
                    let p = render::position(&files, l.file, &l.span);
                    summary.push_str(&format!("{}:{} ", p.line, p.column));
                }
                None => summary.push_str("-:- "),
            }
            summary.push_str(&format!("{}[{}] {}\n", d.severity, d.code.id, d.message));
        }
        check_golden(&input.with_extension("xml"), &xml, &mut stale);
        check_golden(&input.with_extension("diags"), &summary, &mut stale);

        // Nothing lost.
        let removed: Vec<_> = diags
            .iter()
            .filter(|d| matches!(d.code.id, "CNV010" | "CNV011" | "CNV012"))
            .filter_map(|d| d.primary.as_ref().map(|l| l.span.clone()))
            .collect();
        let (main, bodies) = words::split(&text, &removed);
        let mut a = words::words(&main);
        let mut b = words::words(&teikit::tei::text::reading_text(&doc, false));
        // Unmatched note bodies stay where they are but are notes: compare as multisets
        // together with all notes.
        let note_words: Vec<String> = doc
            .root_element()
            .descendants()
            .filter(|n| n.tag_name().local == "note")
            .filter(|n| n.ancestors().any(|a| a.tag_name().local == "body"))
            .flat_map(|n| words::words(&n.text_content()))
            .collect();
        let body_words: Vec<String> = bodies.iter().flat_map(|b| words::words(b)).collect();
        if a != b {
            a.extend(body_words.clone());
            b.extend(note_words.clone());
            a.sort();
            b.sort();
        }
        assert_eq!(a, b, "{name}: words lost or added");
    }
    assert!(
        invalid.is_empty(),
        "outputs not valid or not passing the integrity rules:\n{}",
        invalid.join("\n")
    );
    assert!(
        stale.is_empty(),
        "goldens differ (UPDATE_GOLDEN=1 cargo test --test convert_golden to accept):\n{}",
        stale.join("\n")
    );
}
