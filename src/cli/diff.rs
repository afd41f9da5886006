//! `teikit diff OLD NEW`: what changed between two editions, in editorial terms.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::convert::{self, Registries, Settings};
use super::input::{self, XmlLimits};
use super::{Ctx, Status};
use teikit::diag::codes::cli::{IO_ERROR, USAGE};
use teikit::diag::{Diagnostic, Severity};
use teikit::diff::{self, Class, Options, render};
use teikit::xml::Document;

/// Report formats of `teikit diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Changes grouped by division or letter, with a summary line (colours on a terminal).
    Human,
    /// One JSON document, schema `teikit-diff/1` (see the `diff` module documentation).
    Json,
    /// A unified diff of the two reading texts.
    Text,
    /// A TEI document with a critical apparatus (listApp/app/lem/rdg @wit).
    Tei,
}

/// Arguments of `teikit diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "CLASSES (for --ignore; groups in parentheses):
  words_inserted words_deleted words_replaced (words)   lacuna_filled lacuna_introduced (lacuna)
  name_tagged name_untagged name_reidentified (names)   note_added note_removed note_changed (notes)
  attribute_changed (attributes)   element_inserted element_removed element_renamed (elements)
  block_moved (moves)   header_changed (header)   letter_added letter_removed (letters)
  translation_changed (translation)

The global --format chooses how errors and warnings are printed (to stderr in human form);
--output-format chooses the report written to stdout.
Exit status: 0 identical, 1 different, 2 error (unreadable or malformed input, bad usage),
3 an input is over a reading limit.")]
pub struct Args {
    /// The old version: a TEI document, or a plain-text transcription (.txt), converted as
    /// `teikit convert` would.
    pub old: PathBuf,
    /// The new version.
    pub new: PathBuf,
    /// Report format.
    #[arg(short = 'f', long = "output-format", value_enum, default_value_t = OutputFormat::Human)]
    pub output_format: OutputFormat,
    /// Leave out changes of these classes or groups (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "CLASS")]
    pub ignore: Vec<String>,
    /// Report only changes of the reading text.
    #[arg(long, conflicts_with = "markup_only")]
    pub text_only: bool,
    /// Report only changes of the markup (the reading text unchanged).
    #[arg(long)]
    pub markup_only: bool,
    /// Do not look for moved blocks (report them as removed and inserted).
    #[arg(long)]
    pub no_moves: bool,
    /// Time budget in seconds; alignments running past it give a coarser result, reported
    /// as a DIF001 warning.
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS")]
    pub time_budget: f64,
    /// Registry for converting plain-text inputs (.txt), as in `teikit convert`: default the
    /// sidecar's `registry`, else registry.toml in the source's folder or its parent.
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// Convert plain-text inputs without tagging names.
    #[arg(long, conflicts_with = "registry")]
    pub no_registry: bool,
    /// Reading limits (diff reads any nesting depth unless --max-depth is given).
    #[command(flatten)]
    pub limits: XmlLimits,
}

/// An input read and parsed.
struct Loaded {
    name: String,
    doc: Document,
}

/// Input → Document: reads a TEI file, or converts a plain-text transcription (`.txt`) the
/// way `teikit convert` does (sidecar, registry), into the document the diff compares.
/// Errors are located diagnostics; a conversion's notes are not repeated here.
fn load(
    path: &Path,
    ctx: &mut Ctx,
    limits: &XmlLimits,
    conv: &Settings,
    registries: &mut Registries,
) -> Result<Loaded, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let opts = limits.apply(diff::parse_options());
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
    {
        let conv = Settings {
            max_size: opts.max_input_bytes as u64,
            ..conv.clone()
        };
        let (xml, diags) = convert::convert_one(path, &conv, ctx, registries, None);
        let shown: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| d.severity != Severity::Note)
            .collect();
        let Some(xml) = xml else {
            let mut shown = shown;
            shown.push(
                Diagnostic::error(
                    &diff::codes::NOT_CONVERTED,
                    format!("{name} could not be converted to TEI; nothing was compared"),
                )
                .with_help(format!(
                    "`teikit convert {name}` shows every step of the conversion"
                )),
            );
            return Err(shown);
        };
        let name = format!("{name} (converted)");
        if !shown.is_empty() {
            ctx.emit(&shown);
        }
        return match Document::parse_with(&xml, &opts) {
            Ok(doc) => Ok(Loaded { name, doc }),
            Err(e) => Err(vec![input::read_error(
                &ctx.files,
                &name,
                xml.as_bytes(),
                &opts,
                &e,
            )]),
        };
    }
    let bytes = input::read_file(path, opts.max_input_bytes as u64).map_err(|d| vec![*d])?;
    let parsed = Document::parse_bytes(&bytes, &opts);
    match parsed {
        Ok(doc) => Ok(Loaded { name, doc }),
        Err(e) => {
            let d = input::read_error(&ctx.files, &name, &bytes, &opts, &e);
            Err(vec![d.with_note(
                "nothing was compared: both documents must be readable",
            )])
        }
    }
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let mut ignore = Vec::new();
    for s in &args.ignore {
        match Class::parse_many(s) {
            Some(v) => ignore.extend(v),
            None => {
                return ctx.fatal(
                    &USAGE,
                    format!("unknown change class `{s}` for --ignore (see `teikit diff --help`)"),
                );
            }
        }
    }
    if !(args.time_budget > 0.0 && args.time_budget.is_finite()) {
        return ctx.fatal(&USAGE, "--time-budget must be a positive number of seconds");
    }
    // Two revisions of a transcription are converted under one name (the new one's), so
    // that the file name recorded in the header is not reported as a change.
    let conv = Settings {
        registry: args.registry.clone(),
        no_registry: args.no_registry,
        file_name: args
            .new
            .file_name()
            .map(|f| f.to_string_lossy().into_owned()),
        ..Default::default()
    };
    let mut registries = Registries::new();
    let old = load(&args.old, ctx, &args.limits, &conv, &mut registries);
    let new = load(&args.new, ctx, &args.limits, &conv, &mut registries);
    let (old, new) = match (old, new) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let errs: Vec<Diagnostic> =
                [a.err(), b.err()].into_iter().flatten().flatten().collect();
            ctx.emit(&errs);
            return if input::hit_limit(&errs) {
                Status::Limit
            } else {
                Status::Error
            };
        }
    };
    let options = Options {
        ignore,
        text_only: args.text_only,
        markup_only: args.markup_only,
        moves: !args.no_moves,
        time_budget: std::time::Duration::from_secs_f64(args.time_budget.min(1e6)),
    };
    let report = diff::diff(&old.doc, &new.doc, &options);
    // Degradations go to stderr (human diagnostics); machine diagnostic formats write to
    // stdout, where they would corrupt a machine report, which carries them itself.
    let diag_on_stdout = ctx.format != teikit::diag::render::Format::Human;
    let report_on_stdout_is_machine = args.output_format != OutputFormat::Human;
    let emit_here = !(diag_on_stdout && report_on_stdout_is_machine);
    if !report.degraded.is_empty() && emit_here {
        // The texts go into the diagnostics map only when a diagnostic points into them.
        let fo = ctx.files.add(old.name.clone(), old.doc.text());
        let fn_ = ctx.files.add(new.name.clone(), new.doc.text());
        ctx.emit(&report.diagnostics(fo, fn_));
    }
    let inputs = render::Inputs {
        old_name: &old.name,
        old_text: old.doc.text(),
        new_name: &new.name,
        new_text: new.doc.text(),
    };
    let stdout = io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    let r = match args.output_format {
        OutputFormat::Human => render::human(&mut w, &report, &inputs, ctx.color_out),
        OutputFormat::Json => render::json(&mut w, &report, &inputs),
        OutputFormat::Text => render::text(&mut w, &old.doc, &new.doc, &inputs),
        OutputFormat::Tei => render::tei(&mut w, &report, &inputs),
    };
    let r = r.and_then(|_| w.flush());
    if let Err(e) = r
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return ctx.fatal(&IO_ERROR, format!("cannot write the report: {e}"));
    }
    if report.is_identical() {
        Status::Ok
    } else {
        Status::Findings
    }
}
