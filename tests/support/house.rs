//! Checks every converted edition must pass: valid against the house schema
//! (`schema/teikit.rnc`) and, when `../shared` is present, against TEI's `tei_all.rng`, and no
//! error or warning from the integrity rules. Shared by the converter's tests.
#![allow(dead_code)]

use teikit::diag::{Files, Severity, render};
use teikit::rng::{FsLoader, Schema};
use teikit::rules::{self, RuleOptions};
use teikit::xml::Document;

/// The loaded schemas.
pub struct House {
    files: Files,
    teikit: Schema,
    tei_all: Option<Schema>,
}

impl House {
    /// Loads `schema/teikit.rnc`, and `tei_all.rng` when `../shared` is there (else the test
    /// named `test` prints a loud SKIPPED for that part; in CI it fails).
    pub fn load(test: &str, with_tei_all: bool) -> House {
        let files = Files::new();
        let rnc = super::common::root().join("schema/teikit.rnc");
        let teikit = Schema::load(&rnc.to_string_lossy(), &mut FsLoader::new(), &files)
            .unwrap_or_else(|d| panic!("teikit.rnc: {d:?}"));
        let tei_all = if with_tei_all {
            super::common::shared(test).map(|shared| {
                let rng = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
                Schema::load(&rng.to_string_lossy(), &mut FsLoader::new(), &files)
                    .unwrap_or_else(|d| panic!("tei_all: {d:?}"))
            })
        } else {
            None
        };
        House {
            files,
            teikit,
            tei_all,
        }
    }

    /// Every problem of one edition, rendered (`name:line:col: message [CODE] (against …)`);
    /// empty when it passes.
    pub fn problems(&self, name: &str, xml: &str) -> Vec<String> {
        let doc = match Document::parse(xml) {
            Ok(d) => d,
            Err(e) => return vec![format!("{name}: not well-formed: {e}")],
        };
        let fid = self.files.add(name.to_string(), xml);
        let mut out = Vec::new();
        let mut report = |against: &str, diags: Vec<teikit::diag::Diagnostic>| {
            for d in diags {
                let at = d
                    .primary
                    .as_ref()
                    .map(|l| render::position(&self.files, l.file, &l.span))
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .unwrap_or_default();
                out.push(format!(
                    "{name}:{at}: {} [{}] ({against})",
                    d.message, d.code.id
                ));
            }
        };
        let errors = |v: Vec<teikit::diag::Diagnostic>| {
            v.into_iter().filter(|d| d.is_error()).collect::<Vec<_>>()
        };
        report(
            "teikit.rnc",
            errors(self.teikit.validate(&doc, fid, &Default::default())),
        );
        if let Some(s) = &self.tei_all {
            report(
                "tei_all.rng",
                errors(s.validate(&doc, fid, &Default::default())),
            );
        }
        let opts = RuleOptions {
            strict_pointers: true,
            ..Default::default()
        };
        report(
            "integrity rules",
            rules::check(&doc, fid, &opts)
                .into_iter()
                .filter(|d| d.severity != Severity::Note)
                .collect(),
        );
        out
    }
}
