//! `teikit validate [--schema S] PATH…`: validate XML documents against RELAX NG.
//!
//! Files and folders (every `*.xml` below a folder, sorted) are read, parsed and validated
//! in parallel (rayon); each schema is compiled once and every worker thread keeps its own
//! [`Validator`] so that the derivative memo tables are reused across documents. Output is
//! in input order whatever the scheduling.
//!
//! The schema of a document is, in order: `--schema`; else the document's
//! `<?xml-model href=…?>` naming a local RELAX NG file (relative to the document); else the
//! project's default schema embedded in the binary ([`teikit::rng::default_schema`]).

use std::collections::HashMap;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use teikit::diag::codes::cli::{EMPTY_FOLDER, IO_ERROR, USAGE};
use teikit::diag::render::{self, Format, JunitCase};
use teikit::diag::{Diagnostic, FileId, Files, Severity, Tally};
use teikit::rng::{self, FsLoader, LoadOptions, MemLoader, Options, Schema, Validator};
use teikit::xml::{self, Document, ErrorKind, NodeKind};

use super::input::{self, XmlLimits};
use super::{Ctx, Status};

/// Arguments of `teikit validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// XML files, or folders (every `*.xml` inside, recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// RELAX NG schema (`.rng`, or `.rnc` compact syntax). Default: the document's
    /// `<?xml-model?>` when it names a local file, else the project schema.
    #[arg(long, short = 's', value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Do not check ID/IDREF/IDREFS (RELAX NG DTD compatibility), like `jing -i`.
    #[arg(long)]
    pub no_id_checks: bool,
    /// Worker threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Do not run teikit's integrity rules (resolving pointers, translation pairs, letters,
    /// dates …) on TEI documents the schema accepts.
    #[arg(long)]
    pub no_rules: bool,
    /// Reading limits.
    #[command(flatten)]
    pub limits: XmlLimits,
}

/// Where a document's schema comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SchemaKey {
    File(PathBuf),
    Default,
}

/// The outcome for one input file.
struct Checked {
    name: String,
    diags: Vec<Diagnostic>,
    seconds: f64,
    /// Not well-formed (or unreadable): counted as invalid.
    unreadable: bool,
    limit: bool,
    io: bool,
}

/// Integrity rules that run after the grammar accepted a document (`--no-rules` switches
/// them off); they check TEI documents only.
fn integrity_rules(doc: &Document, file: FileId, _files: &Files) -> Vec<Diagnostic> {
    teikit::rules::check(doc, file, &teikit::rules::RuleOptions::default())
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let inputs = match collect_inputs(&args.paths) {
        Ok(v) => v,
        Err(d) => {
            ctx.emit(&[*d]);
            return Status::Error;
        }
    };
    let load_options = LoadOptions {
        dtd_compatibility: !args.no_id_checks,
    };
    // Decide each document's schema (reading only the prolog when there is no --schema).
    let keys: Vec<Result<SchemaKey, String>> = match &args.schema {
        Some(s) => vec![Ok(SchemaKey::File(s.clone())); inputs.len()],
        None => inputs.iter().map(|p| schema_from_prolog(p)).collect(),
    };
    if let Some((path, href)) = inputs
        .iter()
        .zip(&keys)
        .find_map(|(p, k)| k.as_ref().err().map(|h| (p, h)))
    {
        return ctx.fatal(
            &USAGE,
            format!(
                "{} names its schema as \"{href}\" in <?xml-model?>, which is not a local .rng \
                 or .rnc file (teikit never fetches anything, nor opens other files a document \
                 names): give --schema FILE",
                path.display()
            ),
        );
    }
    let keys: Vec<SchemaKey> = keys.into_iter().flatten().collect();
    let mut distinct: Vec<SchemaKey> = Vec::new();
    for k in &keys {
        if !distinct.contains(k) {
            distinct.push(k.clone());
        }
    }
    // Compile each schema once.
    let mut schemas: Vec<Schema> = Vec::new();
    let mut index: HashMap<SchemaKey, usize> = HashMap::new();
    for key in &distinct {
        let result = match key {
            SchemaKey::File(p) => {
                let name = p.to_string_lossy().into_owned();
                Schema::load_with(&name, &mut FsLoader::new(), &ctx.files, &load_options)
            }
            SchemaKey::Default => {
                let Some((name, text)) = rng::default_schema() else {
                    return ctx.fatal(&USAGE, "no schema: give --schema FILE");
                };
                let mut l = MemLoader::new();
                l.add(name, text.as_bytes());
                Schema::load_with(name, &mut l, &ctx.files, &load_options)
            }
        };
        match result {
            Ok(s) => {
                index.insert(key.clone(), schemas.len());
                schemas.push(s);
            }
            Err(diags) => {
                ctx.emit(&diags);
                return if input::hit_limit(&diags) {
                    Status::Limit
                } else {
                    Status::Error
                };
            }
        }
    }
    let schema_of: Vec<usize> = keys.iter().map(|k| index[k]).collect();

    let progress = progress_bar(&inputs);
    let files = &ctx.files;
    let opts = args.limits.apply(xml::ParseOptions::default());
    let opts = &opts;
    let work = || -> Vec<Checked> {
        inputs
            .par_iter()
            .zip(schema_of.par_iter())
            .map_init(
                HashMap::<usize, Validator<'_>>::new,
                |validators, (path, &si)| {
                    let v = validators
                        .entry(si)
                        .or_insert_with(|| schemas[si].validator());
                    let r = check_file(path, v, files, opts, !args.no_rules);
                    if let Some(pb) = &progress {
                        pb.inc(1);
                    }
                    r
                },
            )
            .collect()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .stack_size(32 * 1024 * 1024)
        .build();
    let results = match pool {
        Ok(p) => p.install(work),
        Err(_) => work(),
    };
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    report(&results, ctx)
}

fn check_file(
    path: &Path,
    validator: &mut Validator<'_>,
    files: &Files,
    opts: &xml::ParseOptions,
    rules: bool,
) -> Checked {
    let started = Instant::now();
    let name = path.display().to_string();
    let done = |diags: Vec<Diagnostic>, unreadable: bool, limit: bool, io: bool| Checked {
        name: name.clone(),
        diags,
        seconds: started.elapsed().as_secs_f64(),
        unreadable,
        limit,
        io,
    };
    let bytes = match input::read_file(path, opts.max_input_bytes as u64) {
        Ok(b) => b,
        Err(d) => {
            let limit = input::hit_limit(std::slice::from_ref(&d));
            return done(vec![*d], true, limit, !limit);
        }
    };
    let text = match xml::decode(&bytes, opts) {
        Ok(t) => t,
        Err(e) => {
            let limit = e.kind == ErrorKind::Limit;
            let d = input::read_error(files, &name, &bytes, opts, &e);
            return done(vec![d], true, limit, false);
        }
    };
    let doc = match Document::parse_with(&text, opts) {
        Ok(d) => d,
        Err(e) => {
            let limit = e.kind == ErrorKind::Limit;
            let d = input::read_error(files, &name, &bytes, opts, &e);
            return done(vec![d], true, limit, false);
        }
    };
    let file = files.add(name.clone(), text.as_ref());
    let mut diags = validator.validate(&doc, file, &Options::default());
    let limit = input::hit_limit(&diags);
    if diags.is_empty() && rules {
        diags = integrity_rules(&doc, file, files);
    }
    done(diags, false, limit, false)
}

fn report(results: &[Checked], ctx: &mut Ctx) -> Status {
    let mut tally = Tally::default();
    let mut invalid = 0;
    let mut limit = false;
    let mut io = false;
    for r in results {
        tally = add(tally, Tally::of(&r.diags));
        if r.unreadable || r.diags.iter().any(|d| d.severity == Severity::Error) {
            invalid += 1;
        }
        limit |= r.limit;
        io |= r.io;
    }
    match ctx.format {
        Format::Junit => {
            let cases: Vec<JunitCase<'_>> = results
                .iter()
                .map(|r| JunitCase {
                    name: r.name.clone(),
                    seconds: r.seconds,
                    diags: &r.diags,
                })
                .collect();
            let _ = render::junit(
                &mut io::stdout().lock(),
                &ctx.files,
                "teikit validate",
                &cases,
            );
        }
        _ => {
            for r in results {
                ctx.emit(&r.diags);
            }
        }
    }
    if ctx.format == Format::Human {
        let n = results.len();
        let valid = n - invalid;
        let summary = format!(
            "{n} file{}: {valid} valid, {invalid} invalid ({} error{})",
            if n == 1 { "" } else { "s" },
            tally.errors,
            if tally.errors == 1 { "" } else { "s" }
        );
        ctx.out(&summary);
    }
    if io {
        Status::Error
    } else if limit {
        Status::Limit
    } else if invalid > 0 {
        Status::Findings
    } else {
        Status::Ok
    }
}

fn add(a: Tally, b: Tally) -> Tally {
    Tally {
        errors: a.errors + b.errors,
        warnings: a.warnings + b.warnings,
        notes: a.notes + b.notes,
    }
}

/// Files as named, and every `*.xml` below named folders (sorted, symlinked folders not
/// followed).
fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            Box::new(Diagnostic::error(
                &IO_ERROR,
                format!("cannot read {}: {e}", p.display()),
            ))
        })?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut found = Vec::new();
        let mut stack = vec![p.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| {
                Box::new(Diagnostic::error(
                    &IO_ERROR,
                    format!("cannot read {}: {e}", dir.display()),
                ))
            })?;
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(ft) = entry.file_type() else { continue };
                if ft.is_dir() {
                    stack.push(path);
                } else if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                    && (ft.is_file() || path.is_file())
                {
                    found.push(path);
                }
            }
        }
        if found.is_empty() {
            return Err(Box::new(Diagnostic::error(
                &EMPTY_FOLDER,
                format!("{} holds no *.xml file", p.display()),
            )));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// The schema named by a document's `<?xml-model?>` (RELAX NG, local file), or the default
/// schema when the document names none. `Err(href)` when it names a RELAX NG schema that is
/// not a local file (a URL, or a missing path): validating against another schema instead
/// would be misleading.
fn schema_from_prolog(path: &Path) -> Result<SchemaKey, String> {
    let fallback = Ok(SchemaKey::Default);
    let Ok(bytes) = input::read_head(path, 1 << 20) else {
        return fallback;
    };
    // Only the prolog is needed; cut at the root element to keep this cheap.
    let head = prolog_bytes(&bytes);
    let opts = xml::ParseOptions::default();
    let Ok(text) = xml::decode(head, &opts) else {
        return fallback;
    };
    for (href, attrs) in xml_models(&text) {
        let rng_ns = attrs
            .iter()
            .find(|(k, _)| k == "schematypens")
            .map(|(_, v)| v.as_str());
        let ty = attrs
            .iter()
            .find(|(k, _)| k == "type")
            .map(|(_, v)| v.as_str());
        let is_rng = match rng_ns {
            Some(ns) => ns == rng::RNG_NS,
            None => {
                ty.is_none_or(|t| t.contains("xml") || t.contains("relax"))
                    && (href.ends_with(".rng") || href.ends_with(".rnc"))
            }
        };
        if !is_rng {
            continue;
        }
        if let Some(p) = local_path(path, &href)
            && p.is_file()
            && allowed_model_path(&p)
        {
            return Ok(SchemaKey::File(p));
        }
        return Err(href);
    }
    fallback
}

/// A schema that a document names (rather than the user) is read only when it is a `.rng`
/// or `.rnc` file (also after following symbolic links): a hostile document must not make
/// teikit open `/etc/passwd` or another file and show its first line in a syntax error.
fn allowed_model_path(p: &Path) -> bool {
    let is_schema = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("rng") || e.eq_ignore_ascii_case("rnc"))
    };
    is_schema(p) && std::fs::canonicalize(p).is_ok_and(|real| is_schema(&real))
}

fn prolog_bytes(bytes: &[u8]) -> &[u8] {
    // The prolog ends at the first '<' followed by a name character.
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'<' && (bytes[i + 1].is_ascii_alphabetic() || bytes[i + 1] >= 0x80) {
            return &bytes[..i];
        }
        i += 1;
    }
    bytes
}

/// `(href, pseudo-attributes)` of every `xml-model` processing instruction of a prolog.
fn xml_models(prolog: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    // Parse the prolog plus a dummy root with the real reader (no entity expansion).
    let probe = format!("{}<_/>", prolog.trim_start_matches('\u{FEFF}'));
    let Ok(doc) = Document::parse(&probe) else {
        return out;
    };
    for n in doc.root().children() {
        if n.kind() != NodeKind::ProcessingInstruction || n.pi_target() != Some("xml-model") {
            continue;
        }
        let attrs = pseudo_attributes(n.text().unwrap_or(""));
        if let Some((_, href)) = attrs.iter().find(|(k, _)| k == "href") {
            out.push((href.clone(), attrs.clone()));
        }
    }
    out
}

/// Pseudo-attributes `name="value"` of a processing instruction.
fn pseudo_attributes(data: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = data.trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(end) = after[1..].find(q) else { break };
        let value = after[1..1 + end]
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        out.push((name, value));
        rest = after[end + 2..].trim_start();
    }
    out
}

/// A local file named by an `href` relative to the document; `None` for URLs.
fn local_path(doc: &Path, href: &str) -> Option<PathBuf> {
    let (scheme, rest) = match href.split_once(':') {
        Some((s, r)) if s.len() > 1 && s.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (Some(s.to_ascii_lowercase()), r)
        }
        _ => (None, href),
    };
    let path = match scheme.as_deref() {
        None => PathBuf::from(rest),
        Some("file") => {
            let p = rest
                .strip_prefix("//localhost")
                .or(rest.strip_prefix("//"))
                .unwrap_or(rest);
            PathBuf::from(p)
        }
        Some(_) => return None,
    };
    let path = if path.is_absolute() {
        path
    } else {
        doc.parent().unwrap_or(Path::new(".")).join(path)
    };
    Some(path)
}

fn progress_bar(inputs: &[PathBuf]) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bytes: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    if inputs.len() < 50 && bytes < 20 * 1024 * 1024 {
        return None;
    }
    let pb = indicatif::ProgressBar::new(inputs.len() as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        pb.set_style(style);
    }
    Some(pb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_model_pseudo_attributes() {
        let m = xml_models(
            "<?xml version=\"1.0\"?>\n<?xml-model href=\"s.rng\" type=\"application/xml\"\n schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n",
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, "s.rng");
        assert_eq!(m[0].1[2].1, "http://relaxng.org/ns/structure/1.0");
        assert_eq!(
            local_path(Path::new("a/b.xml"), "s.rng"),
            Some(PathBuf::from("a/s.rng"))
        );
        assert_eq!(local_path(Path::new("a/b.xml"), "http://x/s.rng"), None);
    }
}
