//! Every stored XML file of the attack corpus through `teikit validate` (with the corpus'
//! permissive `anything.rng`, so that only reading is tested at this entry point), with the
//! outcome `../shared/attacks/MANIFEST.md` names: `reject` → exit 1 (or 3 for a limit) and a
//! located message; `accept` → exit 0; `either` / `accept|limit` → no crash, exit 0, 1 or 3.
//! Throughout: no panic, and no content of a system file in the output.

mod common;

use assert_cmd::Command;

#[test]
fn attack_files_through_validate() {
    let Some(shared) = common::shared("validate_attacks") else {
        return;
    };
    let dir = shared.join("attacks");
    let manifest = common::read(&dir.join("MANIFEST.md"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in manifest.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') {
            continue;
        }
        let file = cells[1].trim_start_matches('`');
        let file = &file[..file.find('`').unwrap_or(file.len())];
        let expected = cells[3];
        if !file.ends_with(".xml") || cells[1].contains("**gen**") {
            continue;
        }
        let path = dir.join(file);
        if !path.is_file() {
            continue;
        }
        let o = Command::cargo_bin("teikit")
            .unwrap()
            .args(["validate", "--schema"])
            .arg(dir.join("anything.rng"))
            .arg(&path)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        checked += 1;
        let code = o.status.code().unwrap_or(-1);
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let located = out.contains(&format!("{file}:"));
        let ok = match expected {
            "reject" => (code == 1 || code == 3) && located,
            "accept" => code == 0,
            _ => matches!(code, 0 | 1 | 3),
        };
        if !ok || out.contains("panicked") || out.contains("root:x:") {
            failures.push(format!("{file} ({expected}): exit {code}\n{out}"));
        }
    }
    assert!(checked >= 60, "only {checked} files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
