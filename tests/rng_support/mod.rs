//! Runs James Clark's RELAX NG test-suite format (`spectest.xml`, `xsdtest-suite.xml`,
//! `compacttest.xml`) natively: every `<testCase>` is expanded in memory (schema and
//! resources served by a `MemLoader`) and its checks counted as the suite README says:
//! (a) every correct schema loads, (b) every incorrect one is rejected, (c) every valid
//! instance validates, (d) every invalid one is rejected; instances of a correct schema
//! that failed to load count as failed.
#![allow(dead_code)]

use std::path::Path;

use teikit::diag::Files;
use teikit::rng::{LoadOptions, MemLoader, Options, Schema};
use teikit::xml::{Document, Node};

/// One expanded test case.
#[derive(Debug)]
pub struct Case {
    /// 1-based number in document order (as run_spectest.py numbers them).
    pub id: usize,
    pub section: String,
    pub correct: bool,
    /// File name of the schema (`c.rng`, `i.rng`, or `.rnc` for compact cases).
    pub schema_name: String,
    pub schema: String,
    pub resources: Vec<(String, String)>,
    /// (valid?, text)
    pub instances: Vec<(bool, String)>,
}

/// Replaces the internal-subset entities of a suite file (spectest.xml declares one) and
/// drops the DOCTYPE, so that the suite parses with the safe reader.
fn expand_internal_entities(text: &str) -> String {
    let Some(start) = text.find("<!DOCTYPE") else {
        return text.to_string();
    };
    let Some(end_rel) = text[start..].find("]>") else {
        return text.to_string();
    };
    let subset = &text[start..start + end_rel];
    let mut body = text[start + end_rel + 2..].to_string();
    let mut rest = subset;
    while let Some(i) = rest.find("<!ENTITY") {
        let decl = &rest[i + 8..];
        let decl = decl.trim_start();
        let name_end = decl.find(char::is_whitespace).unwrap_or(decl.len());
        let name = &decl[..name_end];
        let after = decl[name_end..].trim_start();
        let q = after.chars().next().unwrap_or('"');
        let value_end = after[1..].find(q).map(|e| e + 1).unwrap_or(after.len());
        let value = expand_char_refs(&after[1..value_end]);
        body = body.replace(&format!("&{name};"), &value);
        rest = &after[value_end..];
    }
    format!("{}{}", &text[..start], body)
}

/// Character references in an entity value are replaced when the entity is declared.
fn expand_char_refs(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let r = &rest[i + 2..];
        let end = r.find(';').unwrap_or(r.len());
        let code = if let Some(h) = r[..end].strip_prefix('x') {
            u32::from_str_radix(h, 16).ok()
        } else {
            r[..end].parse().ok()
        };
        out.push(code.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
        rest = &r[(end + 1).min(r.len())..];
    }
    out.push_str(rest);
    out
}

/// The source text of an element, with the namespace declarations it inherits added to
/// its start tag (like XSLT's copy-of).
pub fn serialize(node: Node<'_>, doc: &Document) -> String {
    let src = &doc.text()[node.range()];
    let own: Vec<Option<&str>> = node.namespace_declarations().map(|(p, _)| p).collect();
    let mut decls = String::new();
    if let Some(parent) = node.parent_element() {
        let mut seen: Vec<Option<&str>> = Vec::new();
        for (p, u) in parent.in_scope_namespaces() {
            if own.contains(&p) || seen.contains(&p) {
                continue;
            }
            seen.push(p);
            match p {
                Some(p) => decls.push_str(&format!(" xmlns:{p}=\"{}\"", escape_attr(u))),
                None => decls.push_str(&format!(" xmlns=\"{}\"", escape_attr(u))),
            }
        }
    }
    let name_end = node.name_range().end - node.range().start;
    format!("{}{}{}", &src[..name_end], decls, &src[name_end..])
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn text_of(node: Node<'_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .map(|c| c.text().unwrap_or("").to_string())
        .collect()
}

/// The document a holder (`correct`, `valid`, `resource` …) stands for.
fn holder_content(holder: Node<'_>, doc: &Document) -> String {
    let dtd = holder.attribute(None, "dtd").unwrap_or("");
    match holder.element_children().next() {
        Some(el) => format!("{dtd}{}", serialize(el, doc)),
        None => text_of(holder),
    }
}

fn resources(node: Node<'_>, doc: &Document, prefix: &str, out: &mut Vec<(String, String)>) {
    for c in node.element_children() {
        match c.tag_name().local {
            "resource" => {
                let name = format!("{prefix}{}", c.attribute(None, "name").unwrap_or(""));
                out.push((name, holder_content(c, doc)));
            }
            "dir" => {
                let p = format!("{prefix}{}/", c.attribute(None, "name").unwrap_or(""));
                resources(c, doc, &p, out);
            }
            _ => {}
        }
    }
}

/// Which form of compacttest.xml's cases to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// spectest.xml / xsdtest-suite.xml: holders are children of `<testCase>`.
    Plain,
    /// compacttest.xml's `<compact>` forms.
    Compact,
    /// compacttest.xml's `<xml>` forms.
    Xml,
}

/// Reads a suite file.
pub fn read_suite(path: &Path, form: Form) -> Vec<Case> {
    let compact = form == Form::Compact;
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = expand_internal_entities(&raw);
    let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    for tc in doc
        .descendants()
        .filter(|n| n.has_tag_name(None, "testCase"))
    {
        let mut section = String::new();
        let mut cur = Some(tc);
        while let Some(n) = cur {
            if let Some(s) = n
                .element_children()
                .find(|c| c.has_tag_name(None, "section"))
            {
                section = text_of(s).trim().to_string();
                break;
            }
            cur = n.parent_element();
        }
        let holder_parent = match form {
            Form::Plain => tc,
            Form::Compact => match tc
                .element_children()
                .find(|c| c.has_tag_name(None, "compact"))
            {
                Some(c) => c,
                None => continue,
            },
            Form::Xml => match tc.element_children().find(|c| c.has_tag_name(None, "xml")) {
                Some(c) => c,
                None => continue,
            },
        };
        let Some(holder) = holder_parent
            .element_children()
            .find(|c| c.has_tag_name(None, "correct") || c.has_tag_name(None, "incorrect"))
        else {
            continue;
        };
        let correct = holder.has_tag_name(None, "correct");
        let ext = if compact { "rnc" } else { "rng" };
        let schema_name = format!("{}.{ext}", if correct { "c" } else { "i" });
        let mut res = Vec::new();
        resources(tc, &doc, "", &mut res);
        if holder_parent != tc {
            resources(holder_parent, &doc, "", &mut res);
        }
        let instances = tc
            .element_children()
            .filter(|c| c.has_tag_name(None, "valid") || c.has_tag_name(None, "invalid"))
            .map(|c| (c.has_tag_name(None, "valid"), holder_content(c, &doc)))
            .collect();
        cases.push(Case {
            id: cases.len() + 1,
            section,
            correct,
            schema_name,
            schema: holder_content(holder, &doc),
            resources: res,
            instances,
        });
    }
    cases
}

/// The outcome of a suite run.
#[derive(Debug, Default)]
pub struct Score {
    pub checks: usize,
    pub passed: usize,
    /// [correct loaded, incorrect rejected, valid accepted, invalid rejected] as (passed, total)
    pub by_kind: [(usize, usize); 4],
    /// Failing checks: (case id, section, what, detail).
    pub failures: Vec<(usize, String, &'static str, String)>,
}

impl Score {
    fn count(&mut self, kind: usize, ok: bool, case: &Case, what: &'static str, detail: String) {
        self.checks += 1;
        self.by_kind[kind].1 += 1;
        if ok {
            self.passed += 1;
            self.by_kind[kind].0 += 1;
        } else {
            self.failures
                .push((case.id, case.section.clone(), what, detail));
        }
    }

    /// A printable report (score line, then one line per failing check).
    pub fn report(&self, name: &str) -> String {
        let mut s = format!(
            "{name}: {}/{} checks (correct schemas loaded {}/{}, incorrect rejected {}/{}, valid accepted {}/{}, invalid rejected {}/{})\n",
            self.passed,
            self.checks,
            self.by_kind[0].0,
            self.by_kind[0].1,
            self.by_kind[1].0,
            self.by_kind[1].1,
            self.by_kind[2].0,
            self.by_kind[2].1,
            self.by_kind[3].0,
            self.by_kind[3].1
        );
        for (id, sec, what, detail) in &self.failures {
            let detail: String = detail.chars().take(200).collect();
            s.push_str(&format!("  FAIL #{id:03} §{sec}: {what}: {detail}\n"));
        }
        s
    }
}

/// Runs the cases.
pub fn run(cases: &[Case], load: &LoadOptions) -> Score {
    let mut score = Score::default();
    for case in cases {
        let mut loader = MemLoader::new();
        loader.add(&case.schema_name, case.schema.as_bytes());
        for (n, t) in &case.resources {
            loader.add(n, t.as_bytes());
        }
        let files = Files::new();
        let result = Schema::load_with(&case.schema_name, &mut loader, &files, load);
        let first = |diags: &[teikit::diag::Diagnostic]| {
            diags
                .first()
                .map(|d| format!("{}: {}", d.code.id, d.message))
                .unwrap_or_default()
        };
        match (&result, case.correct) {
            (Ok(_), true) => score.count(0, true, case, "", String::new()),
            (Err(d), true) => score.count(0, false, case, "correct schema rejected", first(d)),
            (Ok(_), false) => {
                score.count(1, false, case, "incorrect schema accepted", String::new())
            }
            (Err(_), false) => score.count(1, true, case, "", String::new()),
        }
        let schema = result.ok();
        for (valid, text) in &case.instances {
            let kind = if *valid { 2 } else { 3 };
            let Some(schema) = schema.as_ref().filter(|_| case.correct) else {
                score.count(kind, false, case, "schema not loaded", String::new());
                continue;
            };
            let f = files.add("instance.xml", text.as_str());
            let (ok, detail) = match Document::parse(text) {
                Ok(doc) => {
                    let diags = schema.validate(&doc, f, &Options::default());
                    (diags.is_empty() == *valid, first(&diags))
                }
                Err(e) => (!*valid, format!("not well-formed: {e}")),
            };
            let what = if *valid {
                "valid instance rejected"
            } else {
                "invalid instance accepted"
            };
            score.count(kind, ok, case, what, detail);
        }
    }
    score
}
