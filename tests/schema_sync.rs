//! `schema/teikit.rng` is generated from `schema/teikit.rnc` (the source of truth) and must not
//! drift from it.
//!
//! The `.rng` carries, in its second line, the xxh3 hash of the `.rnc` it was generated from;
//! this test fails when the `.rnc` changed since. `UPDATE_GOLDEN=1 cargo test --test
//! schema_sync` regenerates the `.rng` with trang (`apt-get install trang`) and restamps it.
//! (Once teikit's own compact-syntax reader can write RELAX NG XML, it replaces trang here.)
//! `schema_fixtures.rs` also validates every fixture against both forms and demands the same
//! verdicts.

mod common;

use std::path::Path;
use std::process::Command;

const STAMP: &str = "rnc-xxh3-64: ";

fn stamp_line(hash: u64) -> String {
    format!(
        "<!-- Generated from teikit.rnc by trang; do not edit: change teikit.rnc and regenerate (see tests/schema_sync.rs). {STAMP}{hash:016x} -->"
    )
}

fn rnc_hash(rnc: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(common::read(rnc).replace("\r\n", "\n").as_bytes())
}

fn regenerate(rnc: &Path, rng: &Path) {
    let status = Command::new("trang")
        .arg("-I")
        .arg("rnc")
        .arg("-O")
        .arg("rng")
        .arg(rnc)
        .arg(rng)
        .status()
        .expect(
            "UPDATE_GOLDEN=1 needs trang to regenerate schema/teikit.rng (apt-get install trang)",
        );
    assert!(status.success(), "trang failed");
    let text = common::read(rng);
    let (decl, rest) = text
        .split_once('\n')
        .expect("trang output has a declaration line");
    let out = format!("{decl}\n{}\n{rest}", stamp_line(rnc_hash(rnc)));
    std::fs::write(rng, out).unwrap();
}

#[test]
fn teikit_rng_is_generated_from_the_current_rnc() {
    let root = common::root();
    let rnc = root.join("schema/teikit.rnc");
    let rng = root.join("schema/teikit.rng");
    if common::update_golden() {
        regenerate(&rnc, &rng);
    }
    let text = common::read(&rng);
    let stamp = text
        .lines()
        .nth(1)
        .and_then(|l| l.split(STAMP).nth(1))
        .and_then(|s| s.get(..16))
        .and_then(|h| u64::from_str_radix(h, 16).ok());
    let want = rnc_hash(&rnc);
    assert_eq!(
        stamp,
        Some(want),
        "schema/teikit.rng was not generated from the current schema/teikit.rnc; run UPDATE_GOLDEN=1 cargo test --test schema_sync (needs trang)"
    );
}
