//! Reading the user's inputs, in one place.
//!
//! Every document a subcommand reads for the user goes through [`read_file`]: a regular
//! file named on the command line (or found in a folder the user named), read up to a size
//! limit, never a device, FIFO or socket. Schemas and their includes are read by
//! `rng::FsLoader` (which keeps them below the top schema's folder). The XML reader itself
//! takes bytes only. So a review of what the CLI opens is a review of this module, the
//! loader and each subcommand's path handling (`tests/hostile_cli.rs` also checks it under
//! `strace`).
//!
//! The reading limits of the XML reader ([`ParseOptions`]) can be raised per run with
//! [`XmlLimits`]; a limit that is hit is a `LIM001` diagnostic whose help names the flag,
//! and the subcommand exits with [`Status::Limit`](super::Status::Limit).

use std::io::Read;
use std::path::Path;

use teikit::diag::codes::cli::{IO_ERROR, LIMIT};
use teikit::diag::{Diagnostic, Files};
use teikit::xml::{self, ErrorKind, Limit, ParseOptions};

/// Flags that raise (or lower) the XML reader's limits. Unset flags keep the subcommand's
/// defaults.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Reading limits (protect against hostile input)")]
pub struct XmlLimits {
    /// Largest document read, in bytes; suffixes K, M, G [default: 256M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_size: Option<u64>,
    /// Deepest element nesting read [default: 100000; diff: no limit].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,
    /// Most attributes (with namespace declarations) on one element [default: 100000].
    #[arg(long, value_name = "N")]
    pub max_attributes: Option<usize>,
    /// Longest element, attribute or PI name, in bytes; suffixes K, M [default: 64K].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_name_length: Option<u64>,
}

impl XmlLimits {
    /// `base` with the flags that were given applied.
    pub fn apply(&self, base: ParseOptions) -> ParseOptions {
        let clamp = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        ParseOptions {
            max_input_bytes: self.max_size.map_or(base.max_input_bytes, clamp),
            max_depth: self.max_depth.unwrap_or(base.max_depth),
            max_attributes: self.max_attributes.unwrap_or(base.max_attributes),
            max_name_bytes: self.max_name_length.map_or(base.max_name_bytes, clamp),
        }
    }
}

/// Parses `256M`, `2G`, `64K`, `1000`.
pub fn parse_size(s: &str) -> Result<u64, String> {
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

/// Reads a regular file of at most `max` bytes (more is a `LIM001` diagnostic whose help
/// names `--max-size`). Devices, FIFOs and sockets are refused: they could block forever
/// or never end.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    let name = path.display();
    let io = |e: std::io::Error| {
        Box::new(Diagnostic::error(
            &IO_ERROR,
            format!("cannot read {name}: {e}"),
        ))
    };
    let too_big = || {
        Box::new(
            Diagnostic::error(
                &LIMIT,
                format!("{name} is larger than the input-size limit of {max} bytes"),
            )
            .with_help(size_help()),
        )
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Box::new(Diagnostic::error(
            &IO_ERROR,
            format!(
                "cannot read {name}: {}",
                if meta.is_dir() {
                    "it is a folder"
                } else {
                    "not a regular file"
                }
            ),
        )));
    }
    if meta.len() > max {
        return Err(too_big());
    }
    // At most one byte past the limit, whatever the metadata said (a file can grow).
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The first `n` bytes of a regular file (for sniffing a prolog).
pub fn read_head(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    // stat first: opening a FIFO would block.
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let f = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    f.take(n).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn size_help() -> String {
    "the limits protect against hostile input; for a file you trust, raise this one with \
     --max-size (e.g. --max-size 1G)"
        .to_string()
}

/// The help for a limit error of the XML reader: which flag raises it.
pub fn limit_help(limit: Option<Limit>) -> String {
    let flag = match limit {
        Some(Limit::InputBytes) => "--max-size (e.g. --max-size 1G)",
        Some(Limit::Depth) => "--max-depth (e.g. --max-depth 2000000)",
        Some(Limit::Attributes) => "--max-attributes (e.g. --max-attributes 1000000)",
        Some(Limit::NameBytes) => "--max-name-length (e.g. --max-name-length 1M)",
        _ => "--max-size, --max-depth, --max-attributes or --max-name-length",
    };
    format!(
        "the limits protect against hostile input; for a file you trust, raise this one with \
         {flag}"
    )
}

/// A reading error of `bytes` (parsed with `opts`) as a located diagnostic: the text is
/// registered in `files` under `name` (see [`xml::error_source`]); a limit error's help
/// names the flag that raises it.
pub fn read_error(
    files: &Files,
    name: &str,
    bytes: &[u8],
    opts: &ParseOptions,
    e: &xml::Error,
) -> Diagnostic {
    let (shown, pos) = xml::error_source(bytes, opts, e);
    let file = files.add(name.to_string(), shown);
    let d = xml::Error { pos, ..e.clone() }.to_diagnostic(file);
    if e.kind == ErrorKind::Limit {
        Diagnostic {
            help: Some(limit_help(e.limit)),
            ..d
        }
    } else {
        d
    }
}

/// Whether any diagnostic reports a resource limit (`LIM001` reading, `RNG023` schema,
/// `VAL012` validation): the run then exits with status 3.
pub fn hit_limit(diags: &[Diagnostic]) -> bool {
    diags
        .iter()
        .any(|d| matches!(d.code.id, "LIM001" | "RNG023" | "VAL012"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size(" 12 "), Ok(12));
        assert!(parse_size("x").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn flags_override_only_what_is_given() {
        let base = ParseOptions {
            max_depth: 7,
            ..ParseOptions::default()
        };
        let l = XmlLimits {
            max_attributes: Some(3),
            ..XmlLimits::default()
        };
        let o = l.apply(base);
        assert_eq!((o.max_depth, o.max_attributes), (7, 3));
        assert_eq!(o.max_input_bytes, ParseOptions::default().max_input_bytes);
    }
}
