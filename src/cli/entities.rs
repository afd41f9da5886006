//! `teikit entities`: work with the entity registry — check it, see what it tags in a
//! source, and list the names it does not cover yet as ready-to-paste entries.

use std::path::{Path, PathBuf};

use super::{Ctx, Status};
use teikit::diag::codes::cli::IO_ERROR;
use teikit::diag::render::Format;
use teikit::diag::{Diagnostic, Severity};
use teikit::registry::{self, EntityKind, Registry, SuggestOptions};

/// Subcommands of `teikit entities`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List likely names a registry does not cover, as ready-to-paste TOML entries
    /// (or JSON with --format json), most frequent first.
    Suggest {
        /// The plain-text source.
        source: PathBuf,
        /// Registry files (TOML, or a TEI register in XML); names they cover are left out.
        #[arg(long, short)]
        registry: Vec<PathBuf>,
        /// Only names seen at least this many times.
        #[arg(long, default_value_t = 1)]
        min_count: usize,
        /// Contexts shown per name.
        #[arg(long, default_value_t = 3)]
        contexts: usize,
    },
    /// Check registry files: syntax, duplicate ids, authority ids, unknown keys, shared names.
    Check {
        /// Registry files (TOML, or a TEI register in XML).
        #[arg(required = true)]
        registries: Vec<PathBuf>,
    },
    /// Show what the registry tags in a source: each mention with its entity and certainty.
    Tag {
        /// The plain-text source.
        source: PathBuf,
        /// Registry files (TOML, or a TEI register in XML).
        #[arg(long, short, required = true)]
        registry: Vec<PathBuf>,
    },
}

/// Runs the subcommand.
pub fn run(cmd: Command, ctx: &mut Ctx) -> Status {
    match cmd {
        Command::Suggest {
            source,
            registry,
            min_count,
            contexts,
        } => {
            let reg = if registry.is_empty() {
                None
            } else {
                match load_quiet(&registry, ctx) {
                    Ok(r) => Some(r),
                    Err(s) => return s,
                }
            };
            let text = match read(&source, ctx) {
                Ok(t) => t,
                Err(s) => return s,
            };
            let opts = SuggestOptions {
                min_count,
                max_contexts: contexts,
                ..SuggestOptions::default()
            };
            let s = registry::suggest(&text, reg.as_ref(), &opts);
            if ctx.format == Format::Json {
                ctx.out(&serde_json::to_string_pretty(&s).unwrap_or_default());
            } else {
                ctx.out(&format!(
                    "# {} likely unregistered name(s) in {}",
                    s.len(),
                    source.display()
                ));
                ctx.out("");
                ctx.out(registry::suggestions_to_toml(&s).trim_end());
            }
            Status::Ok
        }
        Command::Check { registries } => {
            let (reg, findings) = match load_all(&registries, ctx) {
                Ok(x) => x,
                Err(s) => return s,
            };
            let st = reg.stats();
            let per: Vec<String> = EntityKind::ALL
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    format!(
                        "{} {} ({} with authority ids)",
                        st.per_kind[i],
                        k.key(),
                        st.with_authority[i]
                    )
                })
                .collect();
            let line = format!(
                "{} entities, {} name forms: {}",
                reg.entities.len(),
                st.names,
                per.join(", ")
            );
            if ctx.format == Format::Json {
                ctx.out(
                    &serde_json::json!({
                        "entities": reg.entities.len(),
                        "names": st.names,
                        "per_kind": EntityKind::ALL.iter().enumerate()
                            .map(|(i, k)| (k.key(), st.per_kind[i]))
                            .collect::<std::collections::BTreeMap<_, _>>(),
                        "with_authority": EntityKind::ALL.iter().enumerate()
                            .map(|(i, k)| (k.key(), st.with_authority[i]))
                            .collect::<std::collections::BTreeMap<_, _>>(),
                    })
                    .to_string(),
                );
            } else {
                ctx.out(&line);
            }
            if findings {
                Status::Findings
            } else {
                Status::Ok
            }
        }
        Command::Tag { source, registry } => {
            let reg = match load_quiet(&registry, ctx) {
                Ok(r) => r,
                Err(s) => return s,
            };
            let text = match read(&source, ctx) {
                Ok(t) => t,
                Err(s) => return s,
            };
            let file = ctx.files.add(source.display().to_string(), text.as_str());
            let sf = ctx.files.get(file);
            let mentions = reg.tagger().find(&text);
            if ctx.format == Format::Json {
                let v: Vec<serde_json::Value> = mentions
                    .iter()
                    .map(|m| {
                        let e = &reg.entities[m.entity];
                        serde_json::json!({
                            "start": m.range.start,
                            "end": m.range.end,
                            "text": &text[m.range.clone()],
                            "id": e.id,
                            "kind": e.kind,
                            "element": reg.element_for(m),
                            "name": e.names[m.name].text,
                            "cert": m.cert,
                        })
                    })
                    .collect();
                ctx.out(&serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                for m in &mentions {
                    let e = &reg.entities[m.entity];
                    let (l, c) = sf.line_col(m.range.start);
                    let cert = match m.cert {
                        registry::Cert::High => String::new(),
                        c => format!("  cert={}", c.as_str()),
                    };
                    ctx.out(&format!(
                        "{}:{l}:{c}: {} → #{} <{}>{cert}",
                        sf.name(),
                        &text[m.range.clone()],
                        e.id,
                        reg.element_for(m)
                    ));
                }
                ctx.out(&format!(
                    "{} mention(s) of {} entit(ies)",
                    mentions.len(),
                    mentions
                        .iter()
                        .map(|m| m.entity)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                ));
            }
            Status::Ok
        }
    }
}

fn read(path: &Path, ctx: &Ctx) -> Result<String, Status> {
    match std::fs::read(path) {
        Ok(b) => match String::from_utf8(b) {
            Ok(s) => Ok(s),
            Err(e) => Err(ctx.fatal(
                &IO_ERROR,
                format!(
                    "{}: not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ),
            )),
        },
        Err(e) => Err(ctx.fatal(&IO_ERROR, format!("{}: {e}", path.display()))),
    }
}

/// Loads registries for a command whose own output is the result (`tag`, `suggest`): only
/// warnings and errors are shown, on stderr in human form, so that JSON output stays one
/// document. Use `entities check` for the full report.
fn load_quiet(paths: &[PathBuf], ctx: &mut Ctx) -> Result<Registry, Status> {
    let format = ctx.format;
    ctx.format = Format::Human;
    let r = load_all_filtered(paths, ctx, Severity::Warning);
    ctx.format = format;
    r.map(|x| x.0)
}

/// Loads and merges registry files; prints all their diagnostics.
fn load_all(paths: &[PathBuf], ctx: &Ctx) -> Result<(Registry, bool), Status> {
    load_all_filtered(paths, ctx, Severity::Note)
}

/// Loads and merges registry files; prints their diagnostics from `min` up. Returns the registry and
/// whether there were errors or warnings.
fn load_all_filtered(
    paths: &[PathBuf],
    ctx: &Ctx,
    min: Severity,
) -> Result<(Registry, bool), Status> {
    let mut all = Registry::default();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for p in paths {
        let text = read(p, ctx)?;
        let file = ctx.files.add(p.display().to_string(), text.as_str());
        let is_xml = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            || text.trim_start().starts_with('<');
        let (reg, d) = if is_xml {
            match teikit::xml::Document::parse(&text) {
                Ok(doc) => Registry::from_tei(&doc, file),
                Err(e) => {
                    let d =
                        Diagnostic::error(&IO_ERROR, format!("not well-formed XML: {}", e.message))
                            .at(file, e.pos..e.pos);
                    ctx.emit(&[d]);
                    return Err(Status::Error);
                }
            }
        } else {
            Registry::from_toml(&text, file)
        };
        diags.extend(d);
        let skipped = all.merge(reg);
        for id in skipped {
            diags.push(Diagnostic::warning(
                &registry::codes::DUPLICATE_ID,
                format!(
                    "{}: the id `{id}` is already defined by an earlier registry; this entry is ignored",
                    p.display()
                ),
            ));
        }
    }
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.severity >= min)
        .cloned()
        .collect();
    ctx.emit(&shown);
    let findings = diags.iter().any(|d| d.severity >= Severity::Warning);
    Ok((all, findings))
}
