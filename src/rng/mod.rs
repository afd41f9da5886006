//! RELAX NG (under construction).

pub mod codes;
mod loader;
mod names;
mod parse;
mod uri;

pub use loader::{FsLoader, LoadError, LoadErrorKind, Loader, MemLoader, Resource};
