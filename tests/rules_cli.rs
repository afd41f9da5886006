//! `teikit validate` runs the integrity rules on TEI documents the schema accepts;
//! `--no-rules` turns them off.

mod common;

use assert_cmd::Command;

fn teikit() -> Command {
    Command::cargo_bin("teikit").unwrap()
}

fn schema() -> std::path::PathBuf {
    common::root().join("schema/teikit.rnc")
}

fn rules_fixture(name: &str) -> std::path::PathBuf {
    common::root().join("tests/data/rules").join(name)
}

#[test]
fn validate_reports_rule_errors_with_code_and_line() {
    let f = rules_fixture("RUL001-unresolved-pointer.xml");
    let out = teikit()
        .args(["--format", "json", "validate", "--schema"])
        .arg(schema())
        .arg(&f)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert_eq!(lines[0]["code"], "RUL001");
    assert_eq!(lines[0]["location"]["line"], 73);
}

#[test]
fn no_rules_turns_them_off() {
    teikit()
        .arg("validate")
        .arg("--schema")
        .arg(schema())
        .arg("--no-rules")
        .arg(rules_fixture("RUL001-unresolved-pointer.xml"))
        .assert()
        .success();
}

#[test]
fn warnings_do_not_make_a_document_invalid() {
    let out = teikit()
        .arg("validate")
        .arg("--schema")
        .arg(schema())
        .arg(rules_fixture("RUL004-unmentioned-entry.xml"))
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("warning[RUL004]"));
}

#[test]
fn valid_editions_pass_schema_and_rules() {
    teikit()
        .arg("validate")
        .arg("--schema")
        .arg(schema())
        .arg(common::root().join("tests/data/schema/valid"))
        .assert()
        .success();
}
