//! `teikit text`: the reading text of an edition.

use std::io::Write;
use std::path::PathBuf;

use super::{Ctx, Status};
use teikit::diag::Diagnostic;
use teikit::diag::codes::cli::IO_ERROR;
use teikit::xml::{Document, ParseOptions};

/// Arguments of `teikit text`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// TEI editions.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also print the notes: `[n]` at each anchor, the note after its paragraph.
    #[arg(long)]
    pub notes: bool,
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let mut status = Status::Ok;
    let multiple = args.paths.len() > 1;
    for p in &args.paths {
        let bytes = match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => {
                ctx.emit(&[Diagnostic::error(
                    &IO_ERROR,
                    format!("cannot read {}: {e}", p.display()),
                )]);
                status = Status::Error;
                continue;
            }
        };
        let doc = match Document::parse_bytes(&bytes, &ParseOptions::default()) {
            Ok(d) => d,
            Err(e) => {
                let (shown, pos) = teikit::xml::error_source(&bytes, &ParseOptions::default(), &e);
                let fid = ctx.files.add(p.display().to_string(), shown);
                ctx.emit(&[teikit::xml::Error { pos, ..e }.to_diagnostic(fid)]);
                status = Status::Error;
                continue;
            }
        };
        let text = teikit::tei::text::reading_text(&doc, args.notes);
        let mut out = std::io::stdout().lock();
        if multiple {
            let _ = writeln!(out, "==> {} <==", p.display());
        }
        if out.write_all(text.as_bytes()).is_err() {
            return Status::Error;
        }
    }
    status
}
