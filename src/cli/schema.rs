//! `teikit schema check S`: load, simplify and check a RELAX NG schema on its own.

use std::path::PathBuf;

use teikit::rng::{FsLoader, LoadOptions, Schema};

use super::{Ctx, Status};

/// Subcommands of `teikit schema`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that a RELAX NG schema (.rng or .rnc) is correct: syntax, includes,
    /// simplification and the restrictions of RELAX NG §7. Exit 0 if it is, 2 if not.
    Check {
        /// The schema.
        #[arg(value_name = "SCHEMA")]
        schema: PathBuf,
        /// Do not check RELAX NG DTD compatibility (ID/IDREF), like `jing -i`.
        #[arg(long)]
        no_id_checks: bool,
    },
}

/// Runs the subcommand.
pub fn run(cmd: Command, ctx: &mut Ctx) -> Status {
    match cmd {
        Command::Check {
            schema,
            no_id_checks,
        } => {
            let name = schema.to_string_lossy().into_owned();
            let options = LoadOptions {
                dtd_compatibility: !no_id_checks,
            };
            match Schema::load_with(&name, &mut FsLoader::new(), &ctx.files, &options) {
                Ok(s) => {
                    if ctx.format == teikit::diag::render::Format::Human {
                        ctx.out(&format!(
                            "{name}: correct ({} element patterns)",
                            s.element_count()
                        ));
                    }
                    Status::Ok
                }
                Err(diags) => {
                    ctx.emit(&diags);
                    if diags.iter().any(|d| d.code.id == "RNG023") {
                        Status::Limit
                    } else {
                        Status::Error
                    }
                }
            }
        }
    }
}
