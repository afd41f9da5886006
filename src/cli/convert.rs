//! `teikit convert`: plain-text transcriptions → TEI editions.
//!
//! Reads each input completely (after checking its size against `--max-size`), converts it
//! in memory, checks the TEI it produced, and only when every input converted without
//! errors writes the outputs — each atomically (a temporary file in the target folder,
//! then a rename). An existing output is replaced only with `--force`; an input is never
//! overwritten.
//!
//! Exit status: 0 converted; 2 bad input (located), usage or I/O error, with nothing written;
//! 3 an input is larger than `--max-size` (LIM001), with nothing written.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{Ctx, Status};
use teikit::diag::codes::cli::{EMPTY_FOLDER, IO_ERROR, LIMIT, OUTPUT_EXISTS, USAGE};
use teikit::diag::{Diagnostic, FileId};
use teikit::registry::{Registry, Tagger};
use teikit::rng::{self, FsLoader, MemLoader, Schema, Validator};
use teikit::transcription::{self, Options, Sidecar, Tagging, codes as cnv};

/// Arguments of `teikit convert`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "SIDECAR: an optional SOURCE.toml next to SOURCE.txt adds or overrides \
header data (id, title, subtitle, authors, lang, languages, damaged, date_range, registry, \
publisher, licence, licence_url, publication_date, url, site, site_publisher, [print], \
[[resp]], [idno.\"ENTITY-ID\"]); see the README.

REGISTRY: --registry FILE, else the sidecar's `registry`, else registry.toml in the source's \
folder or its parent. A note says which one was used."
)]
pub struct Args {
    /// Transcriptions (.txt) or folders of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output file (one input) or folder (several inputs, or a folder). Default: stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Registry of persons, places, organisations and titles (.toml, or a TEI file with
    /// listPerson/listPlace/listOrg/listBibl).
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// Do not tag names, even if a registry would be found.
    #[arg(long, conflicts_with = "registry")]
    pub no_registry: bool,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
    /// Largest input accepted (bytes; suffixes K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_size: u64,
    /// Also tag frequent capitalised names of the running text that the registry does not
    /// know, each with a provisional register entry (cert="low"). Names in letter heads,
    /// datelines and signatures always get one.
    #[arg(long)]
    pub provisional_names: bool,
    /// Validate every edition against this RELAX NG schema (e.g. tei_all.rng) before
    /// writing it; an invalid edition is not written. Default: the project schema, when
    /// teikit has one built in.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'K' | 'k')) => (&s[..i], 1u64 << 10),
        Some((i, 'M' | 'm')) => (&s[..i], 1 << 20),
        Some((i, 'G' | 'g')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("`{s}` is not a size; expected e.g. 256M"))
}

/// What one conversion needs from the command line (shared by `convert` and by `diff`,
/// which converts `.txt` inputs the same way).
#[derive(Debug, Clone, Default)]
pub(super) struct Settings {
    /// `--registry`.
    pub registry: Option<PathBuf>,
    /// `--no-registry`.
    pub no_registry: bool,
    /// `--provisional-names`.
    pub provisional_names: bool,
    /// Largest input accepted, in bytes.
    pub max_size: u64,
    /// The file name the edition records (idno, change log) instead of the input's own:
    /// `diff` converts two revisions under one name so that the name is not a change.
    pub file_name: Option<String>,
}

/// Registries already loaded, by path (a folder of sources shares one).
pub(super) type Registries = HashMap<PathBuf, Option<(Registry, Tagger)>>;

impl Args {
    fn settings(&self) -> Settings {
        Settings {
            registry: self.registry.clone(),
            no_registry: self.no_registry,
            provisional_names: self.provisional_names,
            max_size: self.max_size,
            file_name: None,
        }
    }
}

/// One converted input, ready to write.
struct Done {
    input: PathBuf,
    output: Option<PathBuf>,
    xml: String,
}

/// Runs the subcommand.
pub fn run(args: Args, ctx: &mut Ctx) -> Status {
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut folder_mode = args.inputs.len() > 1;
    for p in &args.inputs {
        if p.is_dir() {
            folder_mode = true;
            let mut found: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(rd) => rd
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|q| q.is_file() && q.extension().is_some_and(|x| x == "txt"))
                    .collect(),
                Err(e) => {
                    return ctx.fatal(
                        &IO_ERROR,
                        format!("cannot read folder {}: {e}", p.display()),
                    );
                }
            };
            if found.is_empty() {
                return ctx.fatal(
                    &EMPTY_FOLDER,
                    format!("the folder {} holds no .txt transcription", p.display()),
                );
            }
            found.sort();
            inputs.extend(found);
        } else if p.is_file() {
            inputs.push(p.clone());
        } else if p.exists() {
            return ctx.fatal(
                &IO_ERROR,
                format!("{} is not a regular file or folder", p.display()),
            );
        } else {
            return ctx.fatal(
                &IO_ERROR,
                format!("{}: no such file or folder", p.display()),
            );
        }
    }
    let out_dir = match (&args.output, folder_mode) {
        (Some(o), true) => Some(o.clone()),
        (None, true) => {
            return ctx.fatal(
                &USAGE,
                "converting several files needs an output folder: -o OUTDIR",
            );
        }
        (Some(o), false) if o.is_dir() => Some(o.clone()),
        _ => None,
    };
    if let Some(d) = &out_dir
        && d.exists()
        && !d.is_dir()
    {
        return ctx.fatal(
            &USAGE,
            format!("{} exists and is not a folder", d.display()),
        );
    }

    // The schema the output is checked against.
    let schema = match &args.schema {
        Some(p) => Schema::load(&p.to_string_lossy(), &mut FsLoader::new(), &ctx.files),
        None => match rng::default_schema() {
            Some((name, text)) => {
                let mut l = MemLoader::new();
                l.add(name, text.as_bytes());
                Schema::load(name, &mut l, &ctx.files)
            }
            None => Err(Vec::new()),
        },
    };
    let schema = match schema {
        Ok(s) => Some(s),
        Err(d) if d.is_empty() => None,
        Err(d) => {
            ctx.emit(&d);
            return Status::Error;
        }
    };
    let mut validator = schema.as_ref().map(Schema::validator);

    let settings = args.settings();
    let mut registries = Registries::new();
    let mut all_diags: Vec<Diagnostic> = Vec::new();
    let mut done: Vec<Done> = Vec::new();
    let mut failed = false;
    for input in &inputs {
        let (res, mut diags) =
            convert_one(input, &settings, ctx, &mut registries, validator.as_mut());
        failed |= diags.iter().any(Diagnostic::is_error) || res.is_none();
        all_diags.append(&mut diags);
        if let Some(xml) = res {
            let output = match (&out_dir, &args.output) {
                (Some(d), _) => Some(d.join(output_name(input))),
                (None, Some(o)) => Some(o.clone()),
                (None, None) => None,
            };
            done.push(Done {
                input: input.clone(),
                output,
                xml,
            });
        }
    }
    emit(ctx, &all_diags, done.iter().any(|d| d.output.is_none()));
    if failed {
        // A size limit hit is its own status (3), distinct from bad input and I/O errors.
        return if all_diags.iter().any(|d| d.code.id == LIMIT.id) {
            Status::Limit
        } else {
            Status::Error
        };
    }
    // Refuse before writing anything.
    for d in &done {
        if let Some(o) = &d.output {
            if same_file(o, &d.input) {
                return ctx.fatal(
                    &USAGE,
                    format!(
                        "the output {} is the input; refusing to overwrite it",
                        o.display()
                    ),
                );
            }
            if o.exists() && !args.force {
                return ctx.fatal(
                    &OUTPUT_EXISTS,
                    format!("{} exists; use --force to replace it", o.display()),
                );
            }
        }
    }
    if let Some(d) = &out_dir
        && let Err(e) = std::fs::create_dir_all(d)
    {
        return ctx.fatal(&IO_ERROR, format!("cannot create {}: {e}", d.display()));
    }
    for d in &done {
        match &d.output {
            None => {
                let mut out = std::io::stdout().lock();
                if out.write_all(d.xml.as_bytes()).is_err() {
                    return Status::Error;
                }
            }
            Some(o) => {
                if let Err(e) = write_atomic(o, d.xml.as_bytes()) {
                    return ctx.fatal(&IO_ERROR, format!("cannot write {}: {e}", o.display()));
                }
                if ctx.format == teikit::diag::render::Format::Human && !ctx.quiet {
                    eprintln!("converted {} → {}", d.input.display(), o.display());
                }
            }
        }
    }
    Status::Ok
}

/// Prints diagnostics; machine formats go to stderr when the TEI goes to stdout, so that the
/// two never mix.
fn emit(ctx: &Ctx, diags: &[Diagnostic], tei_on_stdout: bool) {
    use teikit::diag::render::{self, Format};
    let diags = &*ctx.shown(diags);
    if diags.is_empty() {
        return;
    }
    match ctx.format {
        Format::Json if tei_on_stdout => {
            let _ = render::json_lines(&mut std::io::stderr().lock(), &ctx.files, diags);
        }
        Format::Github if tei_on_stdout => {
            let _ = render::github(&mut std::io::stderr().lock(), &ctx.files, diags);
        }
        _ => ctx.emit(diags),
    }
}

fn output_name(input: &Path) -> PathBuf {
    let stem = input.file_stem().unwrap_or_default();
    let mut n = PathBuf::from(stem);
    n.set_extension("xml");
    n
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Writes through a temporary file in the target folder and a rename, so that a reader
/// never sees a half-written file and an error leaves the old file in place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Box::new(Diagnostic::error(
            &IO_ERROR,
            format!("cannot read {}: {e}", path.display()),
        ))
    })?;
    if meta.len() > max {
        return Err(Box::new(Diagnostic::error(
            &LIMIT,
            format!(
                "{} is {} bytes, more than the limit of {max} bytes; nothing was converted",
                path.display(),
                meta.len()
            ),
        )
        .with_help("raise the limit with --max-size (e.g. --max-size 2G) if this is really a transcription")));
    }
    // Read at most one byte past the limit, whatever the metadata said (a file can grow).
    let io = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            &IO_ERROR,
            format!("cannot read {}: {e}", path.display()),
        ))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(Box::new(Diagnostic::error(
            &LIMIT,
            format!(
                "{} is more than the limit of {max} bytes; nothing was converted",
                path.display()
            ),
        )));
    }
    Ok(bytes)
}

/// Converts one input: reads it (within `args.max_size`), applies its sidecar, finds and
/// loads its registry, converts, writes the TEI and checks it (well-formed; valid against
/// `validator` when given). Returns the TEI (if no errors) and the diagnostics.
pub(super) fn convert_one(
    input: &Path,
    args: &Settings,
    ctx: &mut Ctx,
    registries: &mut Registries,
    validator: Option<&mut Validator<'_>>,
) -> (Option<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let name = input.display().to_string();
    let bytes = match read_limited(input, args.max_size) {
        Ok(b) => b,
        Err(d) => return (None, vec![*d]),
    };
    let text = match transcription::decode(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let fid = ctx.files.add(name, lossy);
            let d = *e.diagnostic;
            let d = match e.offset {
                Some(at) => d.at(fid, at..at + 1),
                None => d,
            };
            return (None, vec![d]);
        }
    };
    let file = ctx.files.add(name.clone(), text.as_str());

    // Sidecar.
    let sidecar_path = input.with_extension("toml");
    let mut sidecar: Option<Sidecar> = None;
    if sidecar_path.is_file() {
        match std::fs::read_to_string(&sidecar_path) {
            Ok(t) => {
                let sid = ctx
                    .files
                    .add(sidecar_path.display().to_string(), t.as_str());
                let (s, mut d) = Sidecar::parse(&t, sid);
                diags.append(&mut d);
                if s.is_none() {
                    return (None, diags);
                }
                sidecar = s;
            }
            Err(e) => {
                diags.push(Diagnostic::error(
                    &IO_ERROR,
                    format!("cannot read {}: {e}", sidecar_path.display()),
                ));
                return (None, diags);
            }
        }
    }

    // Registry.
    let reg_path: Option<PathBuf> = if args.no_registry {
        None
    } else if let Some(r) = &args.registry {
        Some(r.clone())
    } else if let Some(r) = sidecar.as_ref().and_then(|s| s.registry.as_ref()) {
        Some(sidecar_path.parent().unwrap_or(Path::new(".")).join(r))
    } else {
        discover_registry(input)
    };
    if let Some(rp) = &reg_path
        && !registries.contains_key(rp)
    {
        let loaded = load_registry(rp, ctx, &mut diags);
        if loaded.is_some() {
            diags.push(Diagnostic::note(
                &cnv::REGISTRY_USED,
                format!("using the registry {}", rp.display()),
            ));
        }
        registries.insert(rp.clone(), loaded);
    }
    if reg_path.is_none() && !args.no_registry {
        diags.push(
            Diagnostic::note(
                &cnv::REGISTRY_USED,
                format!(
                    "no registry found for {}; names are not tagged",
                    input.display()
                ),
            )
            .with_help("pass --registry FILE, or put a registry.toml next to the sources"),
        );
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let tagging = reg_path
        .as_ref()
        .and_then(|p| registries.get(p))
        .and_then(|o| o.as_ref())
        .map(|(r, t)| Tagging {
            registry: r,
            finder: t,
        });
    let file_name = args.file_name.clone().unwrap_or_else(|| {
        input
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let opts = Options {
        file_name: &file_name,
        tagging,
        sidecar: sidecar.as_ref(),
        provisional_names: args.provisional_names,
    };
    let (edition, mut d) = transcription::convert(&text, file, &opts);
    diags.append(&mut d);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let xml = teikit::tei::write(&edition);
    let out_file = ctx
        .files
        .add(format!("{name} (generated TEI)"), xml.as_str());
    let mut check = teikit::tei::check(&xml, out_file, validator);
    if !check.is_empty() {
        diags.append(&mut check);
        return (None, diags);
    }
    (Some(xml), diags)
}

/// `registry.toml` in the source's folder, else in its parent.
fn discover_registry(input: &Path) -> Option<PathBuf> {
    let dir = input.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    [
        dir.join("registry.toml"),
        dir.join("..").join("registry.toml"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

fn load_registry(
    path: &Path,
    ctx: &mut Ctx,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Registry, Tagger)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(
                &IO_ERROR,
                format!("cannot read the registry {}: {e}", path.display()),
            ));
            return None;
        }
    };
    let fid: FileId = ctx.files.add(path.display().to_string(), text.as_str());
    let is_xml = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("xml"));
    let (reg, mut d) = if is_xml {
        match teikit::xml::Document::parse(&text) {
            Ok(doc) => Registry::from_tei(&doc, fid),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        &IO_ERROR,
                        format!(
                            "the registry {} is not well-formed XML: {e}",
                            path.display()
                        ),
                    )
                    .at(fid, e.pos..e.pos),
                );
                return None;
            }
        }
    } else {
        Registry::from_toml(&text, fid)
    };
    diags.append(&mut d);
    let tagger = reg.tagger();
    Some((reg, tagger))
}
