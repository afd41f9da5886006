//! `cargo xtask` — project automation, std-only (it does not depend on the library).
//!
//! * `cargo xtask ci`     — fmt --check, clippy -D warnings, the test suite (what `.ci/run` does)
//! * `cargo xtask bless`  — regenerate goldens and editions (`UPDATE_GOLDEN=1 cargo test`)
//! * `cargo xtask bench [validate|convert|diff]… [--runs N] [--update-readme]`
//!   — whole-process benchmarks of the release binary side by side with the reference tools
//!   (jing, xmllint, xmldiff) measured in the same run; prints a Markdown table and, with
//!   `--update-readme`, writes it between the `<!-- bench:… -->` markers of README.md.

mod bench;

use std::process::{Command, ExitCode};

fn cargo(args: &[&str], env: &[(&str, &str)]) -> bool {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    eprintln!("xtask: cargo {}", args.join(" "));
    c.status().map(|s| s.success()).unwrap_or(false)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ok = match args.first().map(String::as_str) {
        Some("ci") => {
            cargo(&["fmt", "--all", "--", "--check"], &[])
                && cargo(
                    &[
                        "clippy",
                        "--workspace",
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ],
                    &[],
                )
                && cargo(&["test", "--workspace"], &[])
        }
        Some("bless") => cargo(&["test", "--workspace"], &[("UPDATE_GOLDEN", "1")]),
        Some("bench") => bench::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci | bless | bench [validate|convert|diff]… [--runs N] [--update-readme]>"
            );
            false
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
