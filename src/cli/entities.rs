//! `teikit entities` (under construction).

use super::{Ctx, Status};
use teikit::diag::codes::cli::USAGE;

/// Subcommands of `teikit entities`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// (under construction)
    Todo {
        /// Inputs.
        paths: Vec<std::path::PathBuf>,
    },
}

/// Runs the subcommand.
pub fn run(cmd: Command, ctx: &mut Ctx) -> Status {
    let _ = cmd;
    ctx.fatal(&USAGE, "`teikit entities` is not implemented yet")
}
