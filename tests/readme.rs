//! The README's table of diagnostic codes is generated from the code declarations
//! (`declare_codes!` in each module's `codes.rs`); this test fails when it is stale.
//! `UPDATE_GOLDEN=1 cargo test --test readme` rewrites it.

mod common;

const START: &str = "<!-- codes:start -->";
const END: &str = "<!-- codes:end -->";

fn table() -> String {
    let mut t = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for c in teikit::diag::codes::all() {
        t.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.id,
            c.severity,
            c.summary.replace('|', "\\|")
        ));
    }
    t
}

#[test]
fn readme_lists_every_diagnostic_code() {
    let path = common::root().join("README.md");
    let text = common::read(&path);
    let (Some(i), Some(j)) = (text.find(START), text.find(END)) else {
        panic!("README.md has no {START} … {END} section");
    };
    let want = format!("{START}\n{}{END}", table());
    let have = &text[i..j + END.len()];
    if have != want {
        if common::update_golden() {
            let new = format!("{}{want}{}", &text[..i], &text[j + END.len()..]);
            std::fs::write(&path, new).unwrap();
            return;
        }
        panic!(
            "the codes table in README.md is stale: run `UPDATE_GOLDEN=1 cargo test --test readme`"
        );
    }
}
