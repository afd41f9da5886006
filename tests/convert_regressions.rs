//! Inputs that once made the converter write invalid TEI (found by fuzzing): each converts
//! to an edition valid against the house schema and tei_all that passes the integrity rules.

mod common;
#[path = "support/house.rs"]
mod house;

use teikit::diag::{Diagnostic, FileId};
use teikit::registry::Registry;
use teikit::transcription::{self, Options, Tagging};

#[test]
fn fuzz_found_inputs_convert_to_valid_editions() {
    let house = house::House::load("convert regressions", true);
    let root = common::root();
    let reg_text = std::fs::read_to_string(root.join("tei/registry.toml")).unwrap();
    let (reg, _) = Registry::from_toml(&reg_text, FileId(1));
    let tagger = reg.tagger();
    let dir = root.join("tests/data/convert-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    let mut problems = Vec::new();
    for p in &inputs {
        let text = std::fs::read_to_string(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        for (tagging, provisional_names) in [
            (
                Some(Tagging {
                    registry: &reg,
                    finder: &tagger,
                }),
                true,
            ),
            (None, false),
        ] {
            let opts = Options {
                file_name: &name,
                tagging,
                provisional_names,
                ..Default::default()
            };
            let (ed, diags) = transcription::convert(&text, FileId(0), &opts);
            assert!(!diags.iter().any(Diagnostic::is_error), "{name}: {diags:?}");
            let xml = teikit::tei::write(&ed);
            problems.extend(house.problems(&name, &xml));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
