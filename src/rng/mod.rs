//! RELAX NG: schemas in the XML syntax (and, through [`compact`](self#compact-syntax), the
//! compact syntax), simplified and checked as the specification says, and a validator
//! built on derivatives that gives jing's verdicts and messages.
//!
//! # Compile once, validate many
//!
//! ```no_run
//! use teikit::diag::Files;
//! use teikit::rng::{FsLoader, Options, Schema};
//!
//! let files = Files::new();
//! let schema = Schema::load("tei_all.rng", &mut FsLoader::new(), &files)
//!     .expect("schema errors are diagnostics");
//! let mut validator = schema.validator(); // one per thread; reuse it
//! let text = std::fs::read_to_string("letter.xml").unwrap();
//! let file = files.add("letter.xml", text.as_str());
//! let doc = teikit::xml::Document::parse(&text).unwrap();
//! let errors = validator.validate(&doc, file, &Options::default());
//! ```
//!
//! [`Schema::load`] reads the schema through a [`Loader`] (the library does no I/O of its
//! own): [`FsLoader`] for files, [`MemLoader`] for schemas in memory. References
//! (`include`, `externalRef`) are resolved against the including file and must stay below
//! the top schema's folder; other URLs are refused, never fetched. Every problem of a
//! schema is a located [`Diagnostic`] with an `RNG…` code citing the specification.
//!
//! A [`Schema`] is immutable and `Sync`: share it between threads. A [`Validator`] owns the
//! memo tables of the derivative algorithm and the patterns it creates; keep one per thread
//! and reuse it, so that later documents profit from what earlier ones computed.
//!
//! # Pipeline
//!
//! | stage | module | what |
//! |---|---|---|
//! | 1 | `parse` | XML syntax → full-syntax AST: §3 syntax, §4.1–4.11 (includes, `ns`, QNames, datatypes) |
//! | 2 | `simplify` | grammars, `combine`, refs → simple syntax as a DAG (§4.12–4.20) |
//! | 3 | `check` | restrictions of §7 |
//! | 3b | `ids` | DTD compatibility (ID/IDREF), when enabled |
//! | 4 | `compile` | interned patterns (`pattern`) |
//! | — | `deriv`, `validate` | derivatives, walk, messages, recovery |
//!
//! # Compact syntax
//!
//! Files whose name ends in `.rnc` (the top schema or any included one) are parsed by
//! [`compact::parse`] into the same XML-syntax tree (one call site in `parse`), whose spans
//! point into the `.rnc` text; everything after that is shared.

mod check;
pub mod codes;
pub mod compact;
mod compile;
mod deriv;
mod ids;
mod loader;
mod names;
mod parse;
mod pattern;
mod simplify;
mod uri;
mod validate;

pub use loader::{FsLoader, LoadError, LoadErrorKind, Loader, MemLoader, Resource};
pub use parse::RNG_NS;
pub use validate::{Options, Validator};

use crate::diag::{Diagnostic, FileId, Files};
use crate::xml;
use pattern::{Intern, P, Pat};

/// Options for loading a schema.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Check ID, IDREF and IDREFS as RELAX NG DTD Compatibility says (jing's default). A
    /// schema that is not compatible is then rejected; turn this off to use it anyway.
    pub dtd_compatibility: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            dtd_compatibility: true,
        }
    }
}

/// A compiled RELAX NG schema: immutable, shareable between threads.
#[derive(Debug)]
pub struct Schema {
    pub(crate) compiled: compile::Compiled,
    pub(crate) id_map: Option<ids::IdMap>,
    pub(crate) reachable_elements: Vec<u32>,
}

impl Schema {
    /// Loads, simplifies, checks and compiles the schema `name` (a path for [`FsLoader`]),
    /// with default options. Every file read is added to `files`, so that diagnostics can
    /// point into it.
    pub fn load(
        name: &str,
        loader: &mut dyn Loader,
        files: &Files,
    ) -> Result<Schema, Vec<Diagnostic>> {
        Self::load_with(name, loader, files, &LoadOptions::default())
    }

    /// [`Schema::load`] with options.
    pub fn load_with(
        name: &str,
        loader: &mut dyn Loader,
        files: &Files,
        options: &LoadOptions,
    ) -> Result<Schema, Vec<Diagnostic>> {
        let ast = parse::Parser::new(loader, files).parse(name)?;
        let simple = simplify::Simplifier::new(&ast).run()?;
        let problems = check::check(&simple);
        if !problems.is_empty() {
            return Err(problems);
        }
        let id_map = if options.dtd_compatibility {
            ids::build(&simple, &ast)?
        } else {
            None
        };
        let compiled = compile::compile(&simple, &ast)?;
        let reachable_elements = reachable_elements(&compiled);
        Ok(Schema {
            compiled,
            id_map,
            reachable_elements,
        })
    }

    /// A validator for this schema (keep one per thread and reuse it).
    pub fn validator(&self) -> Validator<'_> {
        Validator::new(self)
    }

    /// Validates one document with a fresh validator (convenience; prefer reusing a
    /// [`Validator`] for many documents).
    pub fn validate(
        &self,
        doc: &xml::Document,
        file: FileId,
        options: &Options,
    ) -> Vec<Diagnostic> {
        self.validator().validate(doc, file, options)
    }

    /// Number of element patterns reachable from the start pattern.
    pub fn element_count(&self) -> usize {
        self.reachable_elements.len()
    }

    /// Whether the schema checks IDs and IDREFs (DTD compatibility).
    pub fn checks_ids(&self) -> bool {
        self.id_map.is_some()
    }
}

/// Elements reachable from start, in discovery order.
fn reachable_elements(c: &compile::Compiled) -> Vec<u32> {
    let mut seen_pat = vec![false; c.arena.len()];
    let mut seen_el = vec![false; c.elements.len()];
    let mut out = Vec::new();
    let mut stack: Vec<Pat> = vec![c.start];
    while let Some(p) = stack.pop() {
        if std::mem::replace(&mut seen_pat[p.0 as usize], true) {
            continue;
        }
        match c.arena.get(p) {
            P::Choice(v) => stack.extend(v.iter().copied()),
            P::Group(a, b) | P::Interleave(a, b) | P::After(a, b) => stack.extend([*a, *b]),
            P::OneOrMore(a) | P::List(a) | P::Attribute(_, a) | P::Data(_, Some(a)) => {
                stack.push(*a)
            }
            P::Element(e) if !std::mem::replace(&mut seen_el[*e as usize], true) => {
                out.push(*e);
                stack.push(c.elements[*e as usize].content);
            }
            _ => {}
        }
    }
    out
}

/// A diagnostic for a document that could not be read as XML (the XML reader's codes:
/// `XML001`–`XML003`, or `LIM001` for a limit).
pub fn read_error(e: &xml::Error, file: FileId) -> Diagnostic {
    e.to_diagnostic(file)
}

/// The project's default schema, embedded in the binary: `(name, text)`.
///
/// This is the one place that names it. `schema/teikit.rnc` does not exist yet; when it
/// does, return `Some(("teikit.rnc", include_str!("../../schema/teikit.rnc")))` (its
/// includes, if any, must be embedded too and served by a [`MemLoader`]).
pub fn default_schema() -> Option<(&'static str, &'static str)> {
    None
}

#[cfg(test)]
mod tests;
