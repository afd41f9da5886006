//! Where schema files come from.
//!
//! The library does no I/O of its own: [`Schema::load`](super::Schema::load) asks a
//! [`Loader`] for the top schema and for every file an `include` or `externalRef` names.
//! Before asking, the library has already resolved the reference to an absolute URI and
//! applied the safety policy (only the top schema's scheme, only below the top schema's
//! folder, never a fragment), so a loader only maps URIs to bytes. [`FsLoader`] reads local
//! files and checks the policy once more on real paths (symbolic links, `%2F` tricks);
//! [`MemLoader`] serves schemas held in memory (tests, the embedded default schema).

use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use super::uri;

/// The bytes of one schema file.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The raw bytes (decoded by the library: BOM, encoding declaration).
    pub bytes: Vec<u8>,
    /// The name diagnostics show for this file (usually a path relative to the working
    /// directory).
    pub display_name: String,
}

/// Why a loader could not provide a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// Nothing exists at that location.
    NotFound,
    /// The loader refuses to read it (outside the allowed folder, not a local file …).
    Refused,
    /// It exists but could not be read, or is too large.
    Io,
}

/// A loader's failure. The message names the location and the reason, never the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// What kind of failure.
    pub kind: LoadErrorKind,
    /// One sentence for the user.
    pub message: String,
}

impl LoadError {
    /// Creates an error.
    pub fn new(kind: LoadErrorKind, message: impl Into<String>) -> Self {
        LoadError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// Provides schema files to [`Schema::load`](super::Schema::load).
pub trait Loader {
    /// Turns the caller's name for the top-level schema (a path for [`FsLoader`]) into an
    /// absolute, hierarchical URI (`file:///…`) against which its references are resolved.
    fn locate(&mut self, name: &str) -> Result<String, LoadError>;

    /// Reads the resource at `uri`: the URI [`Loader::locate`] returned, or one the
    /// library resolved from an `include`/`externalRef` and found allowed.
    fn load(&mut self, uri: &str) -> Result<Resource, LoadError>;
}

/// Reads schema files from the local file system, and only below one folder.
///
/// The folder is the top schema's folder unless [`FsLoader::with_root`] names another.
/// Reads are limited in size ([`FsLoader::max_bytes`]).
#[derive(Debug, Clone)]
pub struct FsLoader {
    root: Option<PathBuf>,
    /// Largest file read, in bytes (default 256 MiB, like the XML reader).
    pub max_bytes: u64,
}

impl Default for FsLoader {
    fn default() -> Self {
        Self::new()
    }
}

impl FsLoader {
    /// A loader whose root is the folder of the first schema it locates.
    pub fn new() -> Self {
        FsLoader {
            root: None,
            max_bytes: 256 * 1024 * 1024,
        }
    }

    /// A loader that reads only below `root` (which must exist).
    pub fn with_root(root: impl AsRef<Path>) -> Result<Self, LoadError> {
        let root = std::fs::canonicalize(root.as_ref()).map_err(|e| {
            LoadError::new(
                LoadErrorKind::NotFound,
                format!("cannot use {} as schema root: {e}", root.as_ref().display()),
            )
        })?;
        Ok(FsLoader {
            root: Some(root),
            ..Self::new()
        })
    }

    /// The folder reads are confined to, once known.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    fn path_of(&self, uri: &str) -> Result<PathBuf, LoadError> {
        let refused = |why: &str| {
            LoadError::new(
                LoadErrorKind::Refused,
                format!("refusing to read \"{uri}\": {why}"),
            )
        };
        if uri::scheme(uri).as_deref() != Some("file") {
            return Err(refused("only local files are read"));
        }
        let rest = &uri["file:".len()..];
        let path = match rest.strip_prefix("//") {
            Some(r) => {
                let slash = r.find('/').unwrap_or(r.len());
                let host = &r[..slash];
                if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
                    return Err(refused("files on other hosts are not read"));
                }
                &r[slash..]
            }
            None => rest,
        };
        if path.contains(['?', '#']) {
            return Err(refused("queries and fragments are not allowed"));
        }
        let mut out = PathBuf::from("/");
        for seg in path.split('/') {
            let seg = uri::percent_decode(seg).ok_or_else(|| refused("malformed escape"))?;
            if seg.contains(['/', '\\', '\0']) || seg == ".." || seg == "." {
                return Err(refused("path segments must not contain separators"));
            }
            if !seg.is_empty() {
                out.push(seg);
            }
        }
        Ok(out)
    }
}

fn display_name(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.display().to_string();
    }
    path.display().to_string()
}

fn path_to_uri(path: &Path) -> String {
    let mut s = String::from("file://");
    let p = path.to_string_lossy();
    if !p.starts_with('/') {
        s.push('/');
    }
    s.push_str(&uri::encode_path(&p.replace('\\', "/")));
    s
}

impl Loader for FsLoader {
    fn locate(&mut self, name: &str) -> Result<String, LoadError> {
        let p = Path::new(name);
        let abs = std::fs::canonicalize(p).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                LoadErrorKind::NotFound
            } else {
                LoadErrorKind::Io
            };
            LoadError::new(kind, format!("cannot read {name}: {e}"))
        })?;
        if self.root.is_none() {
            self.root = abs.parent().map(Path::to_path_buf);
        }
        Ok(path_to_uri(&abs))
    }

    fn load(&mut self, uri: &str) -> Result<Resource, LoadError> {
        let path = self.path_of(uri)?;
        let real = std::fs::canonicalize(&path).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                LoadErrorKind::NotFound
            } else {
                LoadErrorKind::Io
            };
            LoadError::new(kind, format!("cannot read {}: {e}", path.display()))
        })?;
        if let Some(root) = &self.root
            && !real.starts_with(root)
        {
            return Err(LoadError::new(
                LoadErrorKind::Refused,
                format!(
                    "refusing to read {}: it is outside the schema folder {}",
                    path.display(),
                    root.display()
                ),
            ));
        }
        if real.components().any(|c| matches!(c, Component::ParentDir)) {
            return Err(LoadError::new(
                LoadErrorKind::Refused,
                format!("refusing to read {}", path.display()),
            ));
        }
        let meta = std::fs::metadata(&real).map_err(|e| {
            LoadError::new(
                LoadErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        if !meta.is_file() {
            return Err(LoadError::new(
                LoadErrorKind::Io,
                format!("cannot read {}: not a regular file", path.display()),
            ));
        }
        if meta.len() > self.max_bytes {
            return Err(LoadError::new(
                LoadErrorKind::Io,
                format!(
                    "cannot read {}: larger than the limit of {} bytes",
                    path.display(),
                    self.max_bytes
                ),
            ));
        }
        let bytes = std::fs::read(&real).map_err(|e| {
            LoadError::new(
                LoadErrorKind::Io,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        Ok(Resource {
            bytes,
            display_name: display_name(&path),
        })
    }
}

/// Serves schema files from memory, keyed by URI (`mem:///dir/name.rng` by default).
///
/// Used by the conformance tests and for schemas embedded in the binary.
#[derive(Debug, Clone, Default)]
pub struct MemLoader {
    files: HashMap<String, Vec<u8>>,
    base: String,
}

impl MemLoader {
    /// An empty loader whose relative names resolve against `mem:///`.
    pub fn new() -> Self {
        MemLoader {
            files: HashMap::new(),
            base: "mem:///".to_string(),
        }
    }

    /// Adds a file under a relative name such as `sub/a.rng`.
    pub fn add(&mut self, name: &str, bytes: impl Into<Vec<u8>>) -> &mut Self {
        let uri = uri::resolve(&self.base, &uri::escape_href(name));
        self.files.insert(uri, bytes.into());
        self
    }
}

impl Loader for MemLoader {
    fn locate(&mut self, name: &str) -> Result<String, LoadError> {
        Ok(uri::resolve(&self.base, &uri::escape_href(name)))
    }

    fn load(&mut self, uri: &str) -> Result<Resource, LoadError> {
        match self.files.get(uri) {
            Some(b) => Ok(Resource {
                bytes: b.clone(),
                display_name: uri.strip_prefix(&self.base).unwrap_or(uri).to_string(),
            }),
            None => Err(LoadError::new(
                LoadErrorKind::NotFound,
                format!("no such file: {uri}"),
            )),
        }
    }
}
