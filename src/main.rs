//! The `teikit` command: argument parsing and dispatch. All work is in the library; the
//! `cli` module reads and writes files and renders diagnostics.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
