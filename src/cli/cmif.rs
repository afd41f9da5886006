//! `teikit cmif` (under construction).

use super::{Ctx, Status};
use teikit::diag::codes::cli::USAGE;

/// Arguments of `teikit cmif`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let _ = args;
    ctx.fatal(&USAGE, "`teikit cmif` is not implemented yet")
}
