//! Command-line layer: one module per subcommand (a clap `Args` struct plus `run`), and the
//! conventions they share — output format, colour, exit codes, rendering diagnostics.
//!
//! Exit codes: 0 = success (valid, identical, converted); 1 = findings (invalid documents,
//! differences); 2 = usage, I/O or fatal error; 3 = a resource limit was hit.

mod cmif;
mod convert;
mod diff;
mod entities;
mod input;
mod schema;
mod text;
mod validate;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use teikit::diag::render::{self, Format};
use teikit::diag::{Diagnostic, Files};

/// teikit — convert plain-text transcriptions to TEI P5, validate editions with RELAX NG,
/// and diff editions in an editor's terms.
#[derive(Debug, Parser)]
#[command(name = "teikit", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "EXAMPLES:
  teikit convert tei/sources -o tei/editions      convert every .txt of a folder
  teikit validate tei/editions                    check editions (project schema + rules)
  teikit validate --schema tei_all.rng FILE.xml   check against any RELAX NG schema
  teikit diff old.xml new.xml                     what changed, in an editor's terms

Exit status: 0 ok, 1 findings (invalid / different), 2 usage or I/O error, 3 limit hit.
Colours follow the terminal; NO_COLOR=1 or --color never turns them off.")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to print diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print errors and warnings only: no notes (removed boilerplate, registry used, …)
    /// and no progress lines.
    #[arg(short, long, global = true)]
    quiet: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert plain-text transcriptions into TEI P5 editions.
    Convert(convert::Args),
    /// Validate XML documents against RELAX NG schemas (and teikit's integrity rules).
    Validate(validate::Args),
    /// Check and inspect schemas.
    #[command(subcommand)]
    Schema(schema::Command),
    /// Compare two editions (or two transcriptions) and report changes in editorial terms.
    Diff(diff::Args),
    /// Print the reading text of an edition.
    Text(text::Args),
    /// Work with the entity registry.
    #[command(subcommand)]
    Entities(entities::Command),
    /// Export correspondence metadata as CMIF.
    Cmif(cmif::Args),
}

/// Process exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything fine.
    Ok = 0,
    /// Findings: invalid documents, differences.
    Findings = 1,
    /// Usage, I/O or fatal error.
    Error = 2,
    /// A resource limit was hit.
    Limit = 3,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

/// Shared state of one run: where diagnostics point, how to print them.
pub struct Ctx {
    /// Every file diagnostics may point into.
    pub files: Files,
    /// Output format for diagnostics.
    pub format: Format,
    /// Whether to colour human output on stderr.
    pub color_err: bool,
    /// Whether to colour human output on stdout.
    pub color_out: bool,
    /// `--quiet`: notes and progress lines are not printed.
    pub quiet: bool,
}

impl Ctx {
    fn new(format: Format, color: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Ctx {
            files: Files::new(),
            format,
            color_err: decide(io::stderr().is_terminal()),
            color_out: decide(io::stdout().is_terminal()),
            quiet,
        }
    }

    /// The diagnostics to print: all of them, or without notes under `--quiet`.
    pub fn shown<'d>(&self, diags: &'d [Diagnostic]) -> std::borrow::Cow<'d, [Diagnostic]> {
        if self.quiet
            && diags
                .iter()
                .any(|d| d.severity == teikit::diag::Severity::Note)
        {
            std::borrow::Cow::Owned(
                diags
                    .iter()
                    .filter(|d| d.severity != teikit::diag::Severity::Note)
                    .cloned()
                    .collect(),
            )
        } else {
            std::borrow::Cow::Borrowed(diags)
        }
    }

    /// Prints diagnostics: human format to stderr, machine formats to stdout.
    pub fn emit(&self, diags: &[Diagnostic]) {
        let diags = &*self.shown(diags);
        if diags.is_empty() {
            return;
        }
        let r = match self.format {
            Format::Human => {
                let mut e = io::stderr().lock();
                render::human(&mut e, &self.files, diags, self.color_err)
            }
            Format::Json => render::json_lines(&mut io::stdout().lock(), &self.files, diags),
            Format::Github => render::github(&mut io::stdout().lock(), &self.files, diags),
            // JUnit needs the whole run; subcommands that support it render it themselves.
            Format::Junit => render::human(&mut io::stderr().lock(), &self.files, diags, false),
        };
        let _ = r;
    }

    /// Prints one fatal error without location and returns [`Status::Error`].
    pub fn fatal(&self, code: &'static teikit::diag::Code, message: impl Into<String>) -> Status {
        self.emit(&[Diagnostic::error(code, message)]);
        Status::Error
    }

    /// Writes a line to stdout (the human summary); ignores broken pipes.
    pub fn out(&self, line: &str) {
        let _ = writeln!(io::stdout().lock(), "{line}");
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => Status::Error.into(),
            };
        }
    };
    let mut ctx = Ctx::new(cli.format, cli.color, cli.quiet);
    let status = match cli.command {
        Command::Convert(a) => convert::run(a, &mut ctx),
        Command::Validate(a) => validate::run(a, &mut ctx),
        Command::Schema(c) => schema::run(c, &mut ctx),
        Command::Diff(a) => diff::run(a, &mut ctx),
        Command::Text(a) => text::run(a, &mut ctx),
        Command::Entities(c) => entities::run(c, &mut ctx),
        Command::Cmif(a) => cmif::run(a, &mut ctx),
    };
    status.into()
}
