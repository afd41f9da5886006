//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `../shared` folder (or `$TEIKIT_SHARED`), if present.
///
/// When it is missing, prints a loud SKIPPED line and returns `None` — unless `CI=true`, where
/// the shared material is always present, so its absence fails the test.
pub fn shared(test: &str) -> Option<PathBuf> {
    let p = std::env::var_os("TEIKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    if p.join("README.md").is_file() {
        return Some(p);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "{test}: ../shared is missing ({}), and CI=true: CI must run with ../shared beside the checkout",
            p.display()
        );
    }
    // Written to the process's stderr directly, not with `eprintln!`: the test harness
    // captures the print macros of passing tests, and a skip must be seen.
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n*** SKIPPED {test}: ../shared not found at {} (set TEIKIT_SHARED or clone it beside the repository) ***\n",
        p.display()
    );
    None
}

/// Reads a file to a string, panicking with the path on failure.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether goldens should be rewritten (`UPDATE_GOLDEN=1`, never in CI).
pub fn update_golden() -> bool {
    std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1")
        && std::env::var("CI").as_deref() != Ok("true")
}
