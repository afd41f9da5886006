//! `teikit diff` end to end: the four report formats against goldens, exit codes, hostile
//! input (malformed XML, a million-deep document, different roots), the TEI apparatus
//! valid against tei_all, and the Serge article with its lacunae restored.
//!
//! Goldens live in `tests/data/diff/`; `UPDATE_GOLDEN=1 cargo test --test diff_cli` rewrites
//! them (never in CI).

mod common;
mod schema_validator;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use teikit::diff::{self, Class, Options};
use teikit::xml::Document;

fn data(name: &str) -> PathBuf {
    common::root().join("tests/data/diff").join(name)
}

fn teikit() -> Command {
    let mut c = Command::cargo_bin("teikit").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// Runs `teikit diff ARGS` in `tests/data/diff` (so file names in reports are relative).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = teikit()
        .current_dir(data(""))
        .arg("diff")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn golden(name: &str, actual: &str) {
    let p = data(name);
    if common::update_golden() || !p.exists() && std::env::var("CI").as_deref() != Ok("true") {
        std::fs::write(&p, actual).unwrap();
        return;
    }
    let expected = common::read(&p);
    assert!(
        expected == actual,
        "{name} differs from its golden (UPDATE_GOLDEN=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn four_formats_match_their_goldens() {
    for (fmt, file) in [
        ("human", "letters.human.txt"),
        ("json", "letters.json"),
        ("text", "letters.text.diff"),
        ("tei", "letters.tei.xml"),
    ] {
        let (code, out, err) = run(&["-f", fmt, "letters-old.xml", "letters-new.xml"]);
        assert_eq!(code, 1, "{fmt}: exit {code}, stderr {err}");
        golden(file, &out);
    }
}

#[test]
fn json_report_lists_each_edit_once() {
    let (code, out, _) = run(&["-f", "json", "letters-old.xml", "letters-new.xml"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "teikit-diff/1");
    assert_eq!(v["identical"], false);
    let classes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    let mut sorted = classes.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "block_moved",
            "header_changed",
            "lacuna_filled",
            "name_reidentified",
            "note_changed",
            "translation_changed",
            "words_inserted"
        ]
    );
    // The move carries its inner edits; locations carry lines and spans on both sides.
    let moved = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == "block_moved")
        .unwrap();
    let inner: Vec<&str> = moved["inner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert_eq!(inner, ["name_tagged", "words_replaced"]);
    assert_eq!(moved["old"]["line"], 23);
    assert_eq!(moved["new"]["line"], 24);
    let filled = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == "lacuna_filled")
        .unwrap();
    assert_eq!(filled["new_text"], "quite");
    assert_eq!(filled["old_text"], "[gap]");
    assert_eq!(v["counts"]["block_moved"], 1);
}

#[test]
fn identical_is_exit_0_and_filters_apply() {
    let (code, out, _) = run(&["letters-old.xml", "letters-old.xml"]);
    assert_eq!(code, 0);
    assert!(out.contains("no changes"), "{out}");
    // Ignoring every class that occurs: nothing left, exit 0.
    let (code, _, _) = run(&[
        "--ignore",
        "words,lacuna,names,notes,moves,header,translation",
        "letters-old.xml",
        "letters-new.xml",
    ]);
    assert_eq!(code, 0);
    // Markup only: the name re-identified, nothing that changes the text.
    let (code, out, _) = run(&[
        "--markup-only",
        "-f",
        "json",
        "letters-old.xml",
        "letters-new.xml",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let classes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["name_reidentified"]);
    let (code, out, _) = run(&[
        "--text-only",
        "-f",
        "json",
        "letters-old.xml",
        "letters-new.xml",
    ]);
    assert_eq!(code, 1);
    assert!(!out.contains("name_reidentified"));
    let (code, _, err) = run(&["--ignore", "nonsense", "letters-old.xml", "letters-new.xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("nonsense"), "{err}");
}

#[test]
fn malformed_input_is_a_located_error() {
    for args in [
        ["malformed.xml", "tei-root.xml"],
        ["tei-root.xml", "malformed.xml"],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("malformed.xml:5:"), "no location in: {err}");
        assert!(err.contains("XML001"), "{err}");
    }
    let (code, _, err) = run(&["missing.xml", "tei-root.xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.xml"), "{err}");
}

#[test]
fn plain_text_inputs_are_converted_first() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    let text = |gap: &str| {
        format!(
            "A Title\n\nThe first paragraph of a {gap} letter, which goes on for a while as letters do.\n\n\
             A second paragraph, as long as the first one, closes the letter for now.\n"
        )
    };
    std::fs::write(&a, text("[...]")).unwrap();
    std::fs::write(&b, text("long")).unwrap();
    let out = teikit()
        .args(["diff", "--no-registry", "-f", "json"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let classes: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .filter(|c| *c != "header_changed")
        .collect();
    assert_eq!(classes, ["lacuna_filled"], "{stdout}");
    // The file names differ; the editions record one name, so no change mentions them.
    assert!(
        !stdout.contains("a.txt\u{2019}") && !stdout.contains("'a.txt'"),
        "{stdout}"
    );
    assert!(!stdout.contains("\"a.txt\""), "{stdout}");
    // Identical transcriptions: exit 0.
    let out = teikit()
        .args(["diff", "--no-registry"])
        .arg(&a)
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_transcription_that_does_not_convert_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, [0xff, 0xfe, 0x00, 0xd8, 0x41]).unwrap();
    std::fs::write(&b, "A letter, revised.\n").unwrap();
    let out = teikit().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DIF004"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn different_roots_still_diff() {
    let (code, out, _) = run(&["-f", "json", "tei-root.xml", "corpus-root.xml"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &v["changes"][0];
    assert_eq!(c["class"], "element_renamed");
    assert_eq!(c["element"], "TEI → teiCorpus");
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);
}

#[test]
fn a_million_deep_document_does_not_overflow() {
    // A million in release builds (about a second); a debug build runs a fifth of it, which
    // is still far beyond what recursion on the default stack survives.
    let n = if cfg!(debug_assertions) {
        200_000
    } else {
        1_000_000
    };
    let doc = |w: &str| format!("{}{w}{}", "<a>".repeat(n), "</a>".repeat(n));
    let opts = diff::parse_options();
    let old = Document::parse_with(&doc("old"), &opts).expect("deep document parses");
    let new = Document::parse_with(&doc("new"), &opts).expect("deep document parses");
    let r = diff::diff(&old, &new, &Options::default());
    assert_eq!(r.changes.len(), 1, "{:?}", r.changes);
    assert_eq!(r.changes[0].class, Class::WordsReplaced);
    assert!(r.changes[0].new.as_ref().unwrap().path.len() < 1000);
    // And deeply nested blocks.
    let blocks = |w: &str| {
        format!(
            "{}<p>{w}</p>{}",
            "<div>".repeat(n / 4),
            "</div>".repeat(n / 4)
        )
    };
    let old = Document::parse_with(&blocks("same words here"), &opts).unwrap();
    let new = Document::parse_with(&blocks("same words there"), &opts).unwrap();
    let r = diff::diff(&old, &new, &Options::default());
    assert_eq!(r.changes.len(), 1, "{:?}", r.changes);
}

/// Validates with teikit's own RELAX NG validator (its verdicts equal jing's on tei_all).
fn jing_valid(path: &Path, tei_all: &Path) -> Result<(), String> {
    let errors = schema_validator::validate("diff_cli", tei_all, &[path.to_path_buf()]);
    let errs = &errors[path];
    if errs.is_empty() {
        Ok(())
    } else {
        Err(format!("{errs:#?}"))
    }
}

#[test]
fn tei_apparatus_is_valid_against_tei_all() {
    let Some(shared) = common::shared("diff_cli::tei_apparatus_is_valid_against_tei_all") else {
        return;
    };
    let tei_all = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    let dir = tempfile::tempdir().unwrap();
    // The golden pair, and a pair with every class (the Serge article, revised).
    let (_, out, _) = run(&["-f", "tei", "letters-old.xml", "letters-new.xml"]);
    let p = dir.path().join("letters.tei.xml");
    std::fs::write(&p, out).unwrap();
    jing_valid(&p, &tei_all).unwrap();
    let (a, b) = (dir.path().join("old.xml"), dir.path().join("new.xml"));
    std::fs::write(&a, serge_old()).unwrap();
    std::fs::write(&b, serge_restored()).unwrap();
    let out = teikit()
        .arg("diff")
        .arg("-f")
        .arg("tei")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let p = dir.path().join("serge.tei.xml");
    std::fs::write(&p, &out.stdout).unwrap();
    jing_valid(&p, &tei_all).unwrap();
    // Identical inputs: an apparatus with no entries is valid too.
    let out = teikit()
        .arg("diff")
        .arg("-f")
        .arg("tei")
        .arg(&a)
        .arg(&a)
        .output()
        .unwrap();
    let p = dir.path().join("none.tei.xml");
    std::fs::write(&p, &out.stdout).unwrap();
    jing_valid(&p, &tei_all).unwrap();
}

/// The project's edition of the damaged Serge article (`tei/editions`, written by
/// `teikit convert`).
fn serge_old() -> String {
    common::read(&common::root().join("tei/editions/serge-1959-a-reaffirmation.xml"))
}

/// The same edition with its seven lacunae restored from a better copy: alternately as
/// plain text and as `supplied` (the revision fixture of issue 5, derived from the committed
/// edition so that it never drifts from it).
fn serge_restored() -> String {
    let old = serge_old();
    let words = ["equal", "in", "and", "a", "great", "that", "seeking"];
    let mut out = String::new();
    let mut rest = old.as_str();
    let mut k = 0;
    while let Some(i) = rest.find("<gap reason=\"damage\"") {
        let end = i + rest[i..].find("/>").unwrap() + 2;
        out.push_str(&rest[..i]);
        let w = words[k % words.len()];
        if k % 2 == 0 {
            out.push_str(w);
        } else {
            out.push_str(&format!("<supplied reason=\"damage\">{w}</supplied>"));
        }
        k += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    assert_eq!(k, 7, "the article has seven lacunae");
    out
}

#[test]
fn serge_with_its_lacunae_restored_is_seven_lacunae_filled() {
    let opts = diff::parse_options();
    let old = Document::parse_with(&serge_old(), &opts).unwrap();
    let new = Document::parse_with(&serge_restored(), &opts).unwrap();
    let r = diff::diff(&old, &new, &Options::default());
    let classes: Vec<Class> = r.changes.iter().map(|c| c.class).collect();
    assert_eq!(classes, vec![Class::LacunaFilled; 7], "{:#?}", r.changes);
    let texts: Vec<&str> = r
        .changes
        .iter()
        .map(|c| c.new_text.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        texts,
        ["equal", "in", "and", "a", "great", "that", "seeking"]
    );
    // And back: seven lacunae introduced.
    let r = diff::diff(&new, &old, &Options::default());
    let classes: Vec<Class> = r.changes.iter().map(|c| c.class).collect();
    assert_eq!(
        classes,
        vec![Class::LacunaIntroduced; 7],
        "{:#?}",
        r.changes
    );
}
