//! `teikit cmif`: export the correspondence metadata of editions as one CMIF file.

use std::path::{Path, PathBuf};

use super::input;
use super::{Ctx, Status};
use teikit::cmif::{self, CmifOptions, Edition, Licence};
use teikit::diag::codes::cli::{EMPTY_FOLDER, IO_ERROR, OUTPUT_EXISTS, USAGE};
use teikit::diag::{Diagnostic, Tally};
use teikit::xml::{Document, ParseOptions};

/// Arguments of `teikit cmif`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLE:
  teikit cmif tei/editions/barta-sedova-letters-1946-1949.xml -o letters.xml \\
      --editor 'Jane Doe' --editor-email jane@example.org --publisher 'Example edition' \\
      --file-url https://example.org/cmif/letters.xml \\
      --letter-url 'https://example.org/{edition}.html#{id}' --licence cc-by

The same settings can live in a TOML file (--config cmif.toml) with the keys title, editor,
editor_email, publisher, publisher_url, file_url, licence (\"CC-BY-4.0\" or \"CC0-1.0\"),
date and letter_url; options on the command line override it.

Each edition becomes a bibl whose xml:id is the UUID v5 of \"{file-url}#{edition file stem}\",
so repeated exports keep their ids. The publication date is --date, else the editions' latest
revisionDesc/change/@when; --date now takes the current time.")]
pub struct Args {
    /// Editions (TEI files, or folders of them) whose letters to export.
    #[arg(required = true, value_name = "EDITION")]
    pub editions: Vec<PathBuf>,
    /// Where to write the CMIF file (`-` for standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// A TOML file with the header settings (see below).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Title of the letter index (default: "Letters of" + the editions' titles).
    #[arg(long)]
    pub title: Option<String>,
    /// Name of the contact person (titleStmt/editor).
    #[arg(long)]
    pub editor: Option<String>,
    /// E-mail of the contact person.
    #[arg(long)]
    pub editor_email: Option<String>,
    /// Who publishes the metadata (publicationStmt/publisher).
    #[arg(long)]
    pub publisher: Option<String>,
    /// A URL for the publisher.
    #[arg(long)]
    pub publisher_url: Option<String>,
    /// The URL at which this CMIF file is published.
    #[arg(long)]
    pub file_url: Option<String>,
    /// Licence of the CMIF file.
    #[arg(long, value_enum)]
    pub licence: Option<LicenceArg>,
    /// Date of this version (YYYY-MM-DD or a date-time), or `now`.
    #[arg(long)]
    pub date: Option<String>,
    /// URL of a letter: `{edition}` and `{id}` are replaced (without `{id}`, the id is appended).
    #[arg(long)]
    pub letter_url: Option<String>,
    /// Reading limits.
    #[command(flatten)]
    pub limits: input::XmlLimits,
}

/// The licences CMIF allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LicenceArg {
    /// Creative Commons Attribution 4.0.
    CcBy,
    /// Creative Commons Zero 1.0.
    Cc0,
}

/// Settings as the config file gives them: every key optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    title: Option<String>,
    editor: Option<String>,
    editor_email: Option<String>,
    publisher: Option<String>,
    publisher_url: Option<String>,
    file_url: Option<String>,
    licence: Option<Licence>,
    date: Option<String>,
    letter_url: Option<String>,
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let options = match options(&args, ctx) {
        Ok(o) => o,
        Err(status) => return status,
    };
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && args.output.exists() && !args.force {
        return ctx.fatal(
            &OUTPUT_EXISTS,
            format!(
                "{} exists (use --force to replace it)",
                args.output.display()
            ),
        );
    }

    let mut paths = Vec::new();
    for p in &args.editions {
        if p.is_dir() {
            let mut found = xml_files(p);
            if found.is_empty() {
                return ctx.fatal(&EMPTY_FOLDER, format!("{} holds no .xml file", p.display()));
            }
            paths.append(&mut found);
        } else {
            paths.push(p.clone());
        }
    }

    let mut docs = Vec::new();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for p in &paths {
        let opts = args.limits.apply(ParseOptions::default());
        let bytes = match input::read_file(p, opts.max_input_bytes as u64) {
            Ok(b) => b,
            Err(d) => {
                let limit = input::hit_limit(std::slice::from_ref(&d));
                ctx.emit(&[*d]);
                return if limit { Status::Limit } else { Status::Error };
            }
        };
        match Document::parse_bytes(&bytes, &opts) {
            Ok(doc) => {
                let id = ctx.files.add(p.display().to_string(), doc.text());
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                docs.push((doc, id, name));
            }
            Err(e) => {
                let name = p.display().to_string();
                diags.push(input::read_error(&ctx.files, &name, &bytes, &opts, &e));
            }
        }
    }
    if !diags.is_empty() {
        ctx.emit(&diags);
        return if input::hit_limit(&diags) {
            Status::Limit
        } else {
            Status::Error
        };
    }
    let editions: Vec<Edition<'_>> = docs
        .iter()
        .map(|(doc, file, name)| Edition {
            doc,
            file: *file,
            name,
        })
        .collect();
    let (result, mut diags) = cmif::export(&editions, &options);

    // Check what was produced against the CMIF Schematron rules.
    if let Ok(out_doc) = Document::parse(&result.xml) {
        let out_id = ctx
            .files
            .add(args.output.display().to_string(), result.xml.as_str());
        diags.extend(cmif::check(&out_doc, out_id));
    }
    ctx.emit(&diags);
    let tally = Tally::of(&diags);
    if tally.errors > 0 {
        return Status::Findings;
    }
    if to_stdout {
        print!("{}", result.xml);
    } else if let Err(e) = std::fs::write(&args.output, &result.xml) {
        return ctx.fatal(&IO_ERROR, format!("{}: {e}", args.output.display()));
    } else {
        eprintln!(
            "wrote {} letter(s) from {} edition(s) to {}",
            result.letters,
            editions.len(),
            args.output.display()
        );
    }
    Status::Ok
}

/// The export options: the config file, overridden by the command line.
fn options(args: &Args, ctx: &Ctx) -> Result<CmifOptions, Status> {
    let config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ctx.fatal(&IO_ERROR, format!("{}: {e}", path.display())))?;
            toml::from_str::<Config>(&text)
                .map_err(|e| ctx.fatal(&USAGE, format!("{}: {e}", path.display())))?
        }
        None => Config::default(),
    };
    let pick = |cli: &Option<String>, file: Option<String>| cli.clone().or(file);
    let mut missing = Vec::new();
    let mut need = |v: Option<String>, name: &'static str| {
        if v.is_none() {
            missing.push(name);
        }
        v.unwrap_or_default()
    };
    let editor = need(pick(&args.editor, config.editor), "--editor");
    let publisher = need(pick(&args.publisher, config.publisher), "--publisher");
    let file_url = need(pick(&args.file_url, config.file_url), "--file-url");
    let letter_url = need(pick(&args.letter_url, config.letter_url), "--letter-url");
    if !missing.is_empty() {
        return Err(ctx.fatal(
            &USAGE,
            format!(
                "missing {} (on the command line or in --config)",
                missing.join(", ")
            ),
        ));
    }
    let date = match pick(&args.date, config.date) {
        Some(d) if d.trim() == "now" => Some(now_utc()),
        other => other,
    };
    Ok(CmifOptions {
        title: pick(&args.title, config.title),
        editor,
        editor_email: pick(&args.editor_email, config.editor_email),
        publisher,
        publisher_url: pick(&args.publisher_url, config.publisher_url),
        file_url,
        licence: match args.licence {
            Some(LicenceArg::CcBy) => Licence::CcBy4,
            Some(LicenceArg::Cc0) => Licence::Cc0,
            None => config.licence.unwrap_or_default(),
        },
        date,
        letter_url,
    })
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The current UTC time as `YYYY-MM-DDThh:mm:ssZ` (only when the user asks with `--date now`).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(super::civil_from_days(-1), (1969, 12, 31));
    }
}
