//! `teikit entities`: suggest, check and tag from the command line.

mod common;

use assert_cmd::Command;

fn teikit() -> Command {
    let mut c = Command::cargo_bin("teikit").unwrap();
    c.env("NO_COLOR", "1");
    c
}

const TEXT: &str = "Paris, 3 March 1950\n\nDear comrade Lefebvre,\n\n\
We met Pierre Dupont and the Parti Ouvrier at Renault. Dupont wrote to La Gazette Ouvrière, No. 12.\n\
In Marseille, Dupont said that Trotsky’s book was banned.\n";

#[test]
fn suggest_prints_pasteable_toml() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("letter.txt");
    std::fs::write(&src, TEXT).unwrap();
    let reg = dir.path().join("reg.toml");
    std::fs::write(&reg, "[[person]]\nid = \"p-trotsky\"\nname = \"Trotsky\"\n").unwrap();
    let out = teikit()
        .args(["entities", "suggest"])
        .arg(&src)
        .arg("--registry")
        .arg(&reg)
        .output()
        .unwrap();
    assert!(out.status.success());
    let toml = String::from_utf8(out.stdout).unwrap();
    // The output is a registry: it loads without errors and adds what was missing.
    let (r, d) = teikit::registry::Registry::from_toml(&toml, teikit::diag::FileId(0));
    assert!(d.iter().all(|d| !d.is_error()), "{d:?}\n{toml}");
    let names: Vec<&str> = r.entities.iter().map(|e| e.preferred()).collect();
    assert!(names.contains(&"Dupont"), "{names:?}");
    assert!(names.contains(&"Pierre Dupont"), "{names:?}");
    assert!(
        !names.contains(&"Trotsky"),
        "registered names are left out: {names:?}"
    );
    assert!(
        !names.contains(&"Dear") && !names.contains(&"We"),
        "{names:?}"
    );
    let kind = |n: &str| {
        r.entities
            .iter()
            .find(|e| e.preferred() == n)
            .map(|e| e.kind)
    };
    assert_eq!(kind("Marseille"), Some(teikit::registry::EntityKind::Place));
    assert_eq!(
        kind("Parti Ouvrier"),
        Some(teikit::registry::EntityKind::Org)
    );
    assert_eq!(kind("Lefebvre"), Some(teikit::registry::EntityKind::Person));
    // Most frequent first.
    assert_eq!(r.entities[0].preferred(), "Dupont");
    // Contexts are there as comments.
    assert!(toml.contains("‹Dupont›"), "{toml}");
}

#[test]
fn suggest_json() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("letter.txt");
    std::fs::write(&src, TEXT).unwrap();
    let out = teikit()
        .args(["--format", "json", "entities", "suggest"])
        .arg(&src)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(
        arr.iter()
            .any(|s| s["name"] == "Pierre Dupont" && s["kind"] == "person")
    );
    assert!(arr.iter().all(
        |s| s["count"].as_u64().unwrap() >= 1 && !s["contexts"].as_array().unwrap().is_empty()
    ));
}

#[test]
fn check_exit_codes() {
    let root = common::root();
    teikit()
        .args(["entities", "check"])
        .arg(root.join("tests/data/registry/toml/ok.toml"))
        .assert()
        .code(0);
    let out = teikit()
        .args(["entities", "check"])
        .arg(root.join("tests/data/registry/toml/errors.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("REG002") && err.contains("errors.toml:"),
        "{err}"
    );
    // A TEI register is accepted too.
    teikit()
        .args(["entities", "check"])
        .arg(root.join("tests/data/registry/tei/register.xml"))
        .assert()
        .code(1);
    // A missing file is an I/O error.
    teikit()
        .args(["entities", "check", "/nonexistent/reg.toml"])
        .assert()
        .code(2);
}

#[test]
fn tag_lists_mentions() {
    let root = common::root();
    let out = teikit()
        .args(["--format", "json", "entities", "tag"])
        .arg(root.join("tests/data/registry/tag/rules.txt"))
        .arg("-r")
        .arg(root.join("tests/data/registry/tag/registry.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(
        arr.iter()
            .any(|m| m["id"] == "p-kamenev" && m["cert"] == "medium")
    );
    assert!(arr.iter().any(|m| m["element"] == "rs"));
}
