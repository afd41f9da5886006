//! `teikit schema` (under construction).

use super::{Ctx, Status};
use teikit::diag::codes::cli::USAGE;

/// Subcommands of `teikit schema`.
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
    ctx.fatal(&USAGE, "`teikit schema` is not implemented yet")
}
