//! `teikit text`: the reading text of an edition.

use std::io::Write;
use std::path::PathBuf;

use super::input;
use super::{Ctx, Status};
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
    /// Reading limits.
    #[command(flatten)]
    pub limits: input::XmlLimits,
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let mut status = Status::Ok;
    let multiple = args.paths.len() > 1;
    for p in &args.paths {
        let opts = args.limits.apply(ParseOptions::default());
        let bytes = match input::read_file(p, opts.max_input_bytes as u64) {
            Ok(b) => b,
            Err(d) => {
                status = if input::hit_limit(std::slice::from_ref(&d)) {
                    Status::Limit
                } else {
                    Status::Error
                };
                ctx.emit(&[*d]);
                continue;
            }
        };
        let doc = match Document::parse_bytes(&bytes, &opts) {
            Ok(d) => d,
            Err(e) => {
                let name = p.display().to_string();
                ctx.emit(&[input::read_error(&ctx.files, &name, &bytes, &opts, &e)]);
                status = if e.kind == teikit::xml::ErrorKind::Limit {
                    Status::Limit
                } else {
                    Status::Error
                };
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
