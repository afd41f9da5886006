//! Validating a document: the tree is replayed as jing's event sequence (start tag open,
//! attribute name and value, start tag close, text, end tag) through the derivative
//! [`Engine`], and every failing event becomes a diagnostic saying what was found and what
//! was expected, after which validation recovers and continues (jing's PatternMatcher
//! strategy: skip to what is allowed, validate out-of-place elements against their own
//! definition, ignore errors that only follow from an earlier one).
//!
//! Locations follow jing's, because users compare the two: errors about a start tag are on
//! the line where the tag ends, errors about an end tag or typed content on the end tag's
//! line, text errors on the line of the first non-blank character. When the natural place
//! (an attribute, the element name) is on that line, the span points at it.

use std::ops::Range;

use super::Schema;
use super::codes::*;
use super::deriv::{DataFailures, Engine, NameId, is_blank};
use super::ids::IdChecker;
use super::names::{ExpectedNames, QName};
use super::pattern::{CT_DATA, CT_MIXED, Pat};
use crate::diag::{Diagnostic, FileId};
use crate::xml::{Document, Node, NodeId, NodeKind};
use crate::xsd::{self, IdType};

/// Options for validating one document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Stop after this many errors (0 = report all).
    pub max_errors: usize,
}

/// Patterns a validator may create before it gives up on a document (memory bound).
const MAX_LOCAL_PATTERNS: usize = 8_000_000;
/// Above this many local patterns, memos are dropped between documents.
const RESET_LOCAL_PATTERNS: usize = 1_000_000;

/// Validates documents against one [`Schema`]; owns the memo tables, so keep one per
/// thread and reuse it: later documents run on what earlier ones computed.
pub struct Validator<'s> {
    schema: &'s Schema,
    engine: Engine<'s>,
}

/// Resolves prefixes in an instance element's scope, for QName-valued datatypes, and
/// answers for the document's unparsed entities (`ENTITY`, `ENTITIES`).
struct NodeContext<'a>(Node<'a>);

impl xsd::Context for NodeContext<'_> {
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String> {
        self.0.lookup_namespace_uri(prefix).map(str::to_string)
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        self.0.document().is_unparsed_entity(name)
    }
}

/// Per-open-element state of the walk.
struct Open {
    node: NodeId,
    end: u32,
    /// Typed content (jing's textTyped): text is collected and matched at the end tag,
    /// until a child element starts.
    typed: bool,
    text: String,
    /// Span of the collected text (for messages).
    text_span: Option<Range<usize>>,
}

struct Run<'v, 's, 'd> {
    v: &'v mut Validator<'s>,
    doc: &'d Document,
    file: FileId,
    memo: Pat,
    had_error: bool,
    diags: Vec<Diagnostic>,
    /// Document name index → validator name id.
    name_ids: Vec<NameId>,
    ids: Option<IdChecker>,
    max_errors: usize,
    aborted: bool,
    /// (element, position of the last line break in its start tag).
    anchor_cache: Option<(NodeId, Option<usize>)>,
    /// The complete list of expected names when a message had to shorten it; attached
    /// as a note to the next diagnostic built.
    full_expected: std::cell::Cell<Option<String>>,
}

impl<'s> Validator<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Self {
        Validator {
            schema,
            engine: Engine::new(&schema.compiled, &schema.reachable_elements),
        }
    }

    /// Validates a document whose text is in `file`; returns every error found (empty =
    /// valid).
    pub fn validate(&mut self, doc: &Document, file: FileId, options: &Options) -> Vec<Diagnostic> {
        if self.engine.ov.local_len() > RESET_LOCAL_PATTERNS {
            self.engine.reset();
        }
        let start = self.schema.compiled.start;
        let ids = self.schema.id_map.as_ref().map(|_| IdChecker::default());
        let mut run = Run {
            v: self,
            doc,
            file,
            memo: start,
            had_error: false,
            diags: Vec::new(),
            name_ids: vec![u32::MAX; doc.name_count()],
            ids,
            max_errors: options.max_errors,
            aborted: false,
            anchor_cache: None,
            full_expected: std::cell::Cell::new(None),
        };
        run.walk();
        let mut diags = run.diags;
        if let Some(ids) = run.ids.take()
            && !run.aborted
        {
            diags.extend(ids.finish(file));
        }
        if options.max_errors > 0 {
            diags.truncate(options.max_errors);
        }
        diags
    }
}

impl<'v, 's, 'd> Run<'v, 's, 'd> {
    /// The validator's id of a document name (looked up once per distinct name).
    fn name_id(&mut self, idx: u32, name: impl FnOnce() -> (Option<&'d str>, &'d str)) -> NameId {
        let i = idx as usize;
        if let Some(&id) = self.name_ids.get(i)
            && id != u32::MAX
        {
            return id;
        }
        let (ns, local) = name();
        let id = self
            .v
            .engine
            .names
            .intern(ns.unwrap_or(""), local, self.v.engine.s);
        if i < self.name_ids.len() {
            self.name_ids[i] = id;
        }
        id
    }

    fn ignore_error(&self) -> bool {
        self.had_error && self.v.engine.dead(self.memo)
    }

    fn error(&mut self, d: Diagnostic) {
        if self.ignore_error() {
            return;
        }
        self.had_error = true;
        self.diags.push(d);
        if self.max_errors > 0 && self.diags.len() >= self.max_errors {
            self.aborted = true;
        }
    }

    fn check_limit(&mut self) -> bool {
        if self.v.engine.ov.local_len() > MAX_LOCAL_PATTERNS {
            self.diags.push(Diagnostic::error(
                &VALIDATION_LIMIT,
                format!(
                    "validation needs more than {MAX_LOCAL_PATTERNS} patterns; the schema is too ambiguous for this document"
                ),
            ));
            self.aborted = true;
            return false;
        }
        true
    }

    fn walk(&mut self) {
        if self.v.engine.dead(self.memo) {
            self.diags.push(Diagnostic::error(
                &SCHEMA_ALLOWS_NOTHING,
                "schema does not allow anything: it is equivalent to <notAllowed/>",
            ));
            return;
        }
        let doc = self.doc;
        let mut stack: Vec<Open> = Vec::new();
        let n = doc.len() as u32;
        let mut i = 1u32;
        while i < n {
            if self.aborted {
                return;
            }
            while stack.last().is_some_and(|o| o.end <= i) {
                let o = stack.pop().expect("open");
                self.end_element(o);
            }
            let node = doc.node(NodeId(i));
            match node.kind() {
                NodeKind::Element => {
                    if let Some(parent) = stack.last_mut()
                        && parent.typed
                    {
                        // Text before a child start tag is untyped (jing).
                        parent.typed = false;
                        let text = std::mem::take(&mut parent.text);
                        let span = parent.text_span.take();
                        if let Some(sp) = span {
                            let ctx = doc.node(parent.node);
                            self.untyped_text(&text, sp, ctx);
                        }
                    }
                    let typed = self.start_element(node);
                    if !self.check_limit() {
                        return;
                    }
                    stack.push(Open {
                        node: node.id(),
                        end: node.subtree_end().0,
                        typed,
                        text: String::new(),
                        text_span: None,
                    });
                }
                NodeKind::Text => {
                    let t = node.text().unwrap_or("");
                    if let Some(parent) = stack.last_mut() {
                        if parent.typed {
                            parent.text.push_str(t);
                            let r = node.range();
                            parent.text_span = Some(match parent.text_span.take() {
                                Some(s) => s.start..r.end,
                                None => r,
                            });
                        } else {
                            let ctx = doc.node(parent.node);
                            self.untyped_text(t, node.range(), ctx);
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        while let Some(o) = stack.pop() {
            if self.aborted {
                return;
            }
            self.end_element(o);
        }
    }

    // --------------------------------------------------------------- events

    /// Start tag: open, attributes, close. Returns whether the content is typed.
    fn start_element(&mut self, node: Node<'d>) -> bool {
        let name = self.name_id(node.name_index().unwrap_or(u32::MAX), || {
            let tn = node.tag_name();
            (tn.namespace, tn.local)
        });
        // -- open
        let d = self.v.engine.start_tag_open(self.memo, name);
        if !self.v.engine.dead(d) {
            self.memo = d;
        } else {
            let next = self.v.engine.start_tag_open_recover(self.memo, name);
            let ok = self.ignore_error();
            let span = self.tag_anchor(node, node.name_range());
            let q = self.qname(node);
            if !self.v.engine.dead(next) {
                if !ok {
                    let missing = self.v.engine.required_elements(self.memo);
                    let msg = if !missing.is_empty() {
                        format!(
                            "element {q} not allowed yet; missing required element{} {}",
                            if missing.len() == 1 { "" } else { "s" },
                            format_names(&missing, false, false, node, MAX_LISTED)
                        )
                    } else {
                        format!("element {q} not allowed yet{}", self.expected_content(node))
                    };
                    self.error(self.diag(&ELEMENT_NOT_ALLOWED, msg, span));
                }
                self.memo = next;
            } else {
                let content = self.v.engine.find_element(name);
                let after = {
                    use super::pattern::Intern;
                    let m = self.memo;
                    self.v.engine.ov.after(content, m)
                };
                if !ok {
                    let anywhere = self.v.engine.dead(content);
                    let msg = format!(
                        "element {q} not allowed {}{}",
                        if anywhere { "anywhere" } else { "here" },
                        self.expected_content(node)
                    );
                    self.error(self.diag(&ELEMENT_NOT_ALLOWED, msg, span));
                }
                self.memo = after;
            }
        }
        // -- attributes
        let cx = NodeContext(node);
        let mut id_diags = Vec::new();
        for a in node.attributes() {
            let aname = self.name_id(a.name_index(), || {
                let an = a.name();
                (an.namespace, an.local)
            });
            let d = self.v.engine.attribute_name(self.memo, aname);
            if self.v.engine.dead(d) {
                if !self.ignore_error() {
                    let q = attr_qname(&a);
                    let possible = self.v.engine.possible_attribute_names(self.memo);
                    let msg = if possible.is_empty() {
                        format!("found attribute {q}, but no attributes allowed here")
                    } else {
                        format!(
                            "attribute {q} not allowed here{}",
                            expected_attributes(&possible, node)
                        )
                    };
                    let aspan = self.tag_anchor(node, a.range());
                    self.error(self.diag(&ATTRIBUTE_NOT_ALLOWED, msg, aspan));
                }
            } else {
                self.memo = d;
                let v = self.v.engine.attribute_value(self.memo, a.value(), &cx);
                if !self.v.engine.dead(v) {
                    self.memo = v;
                } else {
                    if !self.ignore_error() {
                        let f = self.explain(self.memo, a.value(), &cx);
                        let msg = format!(
                            "value of attribute {} is invalid{}",
                            attr_qname(&a),
                            format_failures(&f)
                        );
                        let vspan = self.tag_anchor(node, a.value_range());
                        self.error(self.diag(&ATTRIBUTE_VALUE, msg, vspan));
                    }
                    self.memo = self.v.engine.recover_after(self.memo);
                }
            }
            // DTD compatibility: IDs and IDREFs (reported after the start tag's grammar
            // errors, as jing does).
            if self.ids.is_some() {
                let t = self.id_type(node, &a);
                if t != IdType::Null {
                    let file = self.file;
                    let span = self.tag_anchor(node, a.value_range());
                    if let Some(d) = self
                        .ids
                        .as_mut()
                        .and_then(|c| c.attribute(t, a.value(), span, file))
                    {
                        id_diags.push(d);
                    }
                }
            }
        }
        // -- close
        let d = self.v.engine.end_attributes(self.memo);
        if !self.v.engine.dead(d) {
            self.memo = d;
        } else {
            if !self.ignore_error() {
                let q = self.qname(node);
                let missing = self.v.engine.required_attributes(self.memo);
                let msg = if missing.is_empty() {
                    let possible = self.v.engine.possible_attribute_names(self.memo);
                    format!(
                        "element {q} missing one or more required attributes{}",
                        expected_attributes(&possible, node)
                    )
                } else {
                    format!(
                        "element {q} missing required attribute{} {}",
                        if missing.len() == 1 { "" } else { "s" },
                        format_names(&missing, true, false, node, MAX_LISTED)
                    )
                };
                let span = self.tag_anchor(node, node.name_range());
                self.error(self.diag(&MISSING_ATTRIBUTE, msg, span));
            }
            self.memo = self.v.engine.ignore_missing_attributes(self.memo);
        }
        self.diags.extend(id_diags);
        self.v.engine.content_type(self.memo) == CT_DATA
    }

    fn untyped_text(&mut self, text: &str, span: Range<usize>, ctx: Node<'d>) {
        if is_blank(text) {
            return;
        }
        let d = self.v.engine.mixed_text(self.memo);
        if !self.v.engine.dead(d) {
            self.memo = d;
            return;
        }
        if self.ignore_error() {
            return;
        }
        let span = first_non_blank(self.doc.text(), span);
        let msg = format!("text not allowed here{}", self.expected_content(ctx));
        self.error(self.diag(&TEXT_NOT_ALLOWED, msg, span));
    }

    fn end_element(&mut self, o: Open) {
        let node = self.doc.node(o.node);
        if o.typed {
            self.typed_content(node, &o.text, o.text_span);
            return;
        }
        let d = self.v.engine.end_tag(self.memo);
        if !self.v.engine.dead(d) {
            self.memo = d;
            return;
        }
        let ok = self.ignore_error();
        let next = self.v.engine.recover_after(self.memo);
        let report = !ok
            && (!self.v.engine.dead(next) || {
                let ea = self.v.engine.empty_after(self.memo);
                let e = self.v.engine.end_tag(ea);
                self.v.engine.dead(e)
            });
        if report {
            let q = self.qname(node);
            let missing = self.v.engine.required_elements(self.memo);
            let msg = if !missing.is_empty() {
                format!(
                    "element {q} incomplete; missing required element{} {}",
                    if missing.len() == 1 { "" } else { "s" },
                    format_names(&missing, false, false, node, MAX_LISTED)
                )
            } else {
                format!("element {q} incomplete{}", self.expected_content(node))
            };
            let end_span = self.end_anchor(node);
            self.error(self.diag(&INCOMPLETE_ELEMENT, msg, end_span));
        }
        self.memo = next;
    }

    fn typed_content(&mut self, node: Node<'d>, text: &str, text_span: Option<Range<usize>>) {
        let cx = NodeContext(node);
        let d = self.v.engine.data(self.memo, text, &cx);
        if !self.v.engine.dead(d) {
            self.memo = d;
            return;
        }
        let next = self.v.engine.recover_after(self.memo);
        let ok = self.ignore_error();
        let report = !ok
            && (!self.v.engine.dead(next) || {
                let ea = self.v.engine.empty_after(self.memo);
                let e = self.v.engine.data(ea, text, &cx);
                self.v.engine.dead(e)
            });
        if report {
            let q = self.qname(node);
            let starts = self.v.engine.possible_start_names(self.memo);
            let msg = if !starts.is_empty() && is_blank(text) {
                format!(
                    "empty content for element {q} not allowed{}",
                    self.expected_content(node)
                )
            } else {
                let f = self.explain(self.memo, text, &cx);
                format!(
                    "character content of element {q} invalid{}",
                    format_failures(&f)
                )
            };
            // Point at the text when it ends on the end tag's line.
            let end_span = self.end_anchor(node);
            let span = match text_span {
                Some(s) if !self.doc.text()[s.start..end_span.start].contains(['\n', '\r']) => {
                    s.start..end_span.end
                }
                _ => end_span,
            };
            self.error(self.diag(&CONTENT_VALUE, msg, span));
        }
        self.memo = next;
    }

    // --------------------------------------------------------------- helpers

    fn diag(
        &self,
        code: &'static crate::diag::Code,
        msg: String,
        span: Range<usize>,
    ) -> Diagnostic {
        let d = Diagnostic::error(code, msg).at(self.file, span);
        match self.full_expected.take() {
            Some(full) => d.with_note(format!("allowed here: {full}")),
            None => d,
        }
    }

    fn explain(&mut self, memo: Pat, s: &str, cx: &dyn xsd::Context) -> DataFailures {
        self.v.engine.data_failures(memo, s, cx)
    }

    fn id_type(&mut self, el: Node<'d>, a: &crate::xml::Attribute<'d>) -> IdType {
        let Some(map) = self.v.schema.id_map.as_ref() else {
            return IdType::Null;
        };
        if map.map.is_empty() {
            return IdType::Null;
        }
        let e = el.tag_name();
        let n = a.name();
        let key = (
            QName {
                ns: e.namespace.unwrap_or("").to_string(),
                local: e.local.to_string(),
            },
            QName {
                ns: n.namespace.unwrap_or("").to_string(),
                local: n.local.to_string(),
            },
        );
        map.map.get(&key).copied().unwrap_or(IdType::Null)
    }

    /// `construct` if it is on the line where the start tag ends, else the tag's end.
    fn tag_anchor(&mut self, node: Node<'d>, construct: Range<usize>) -> Range<usize> {
        let tag = node.start_tag_range();
        let text = self.doc.text();
        // The last line break inside the tag, computed once per element (an element with
        // 100,000 bad attributes must not cost 100,000 scans of its tag).
        let last_break = match self.anchor_cache {
            Some((id, b)) if id == node.id() => b,
            _ => {
                let b = text[tag.clone()].rfind(['\n', '\r']).map(|i| tag.start + i);
                self.anchor_cache = Some((node.id(), b));
                b
            }
        };
        if last_break.is_none_or(|b| construct.start > b) {
            return construct;
        }
        let close = if text[..tag.end].ends_with("/>") {
            2
        } else {
            1
        };
        tag.end.saturating_sub(close)..tag.end
    }

    fn end_anchor(&mut self, node: Node<'d>) -> Range<usize> {
        let r = node.end_tag_range();
        if node.start_tag_range() == r {
            // An empty-element tag: jing reports at its end.
            return self.tag_anchor(node, node.name_range());
        }
        r
    }

    fn qname(&self, node: Node<'d>) -> String {
        let local = node.tag_name().local;
        match node.prefix() {
            Some(p) => format!("\"{p}:{local}\""),
            None => format!("\"{local}\""),
        }
    }

    /// jing's "; expected …" for content.
    fn expected_content(&mut self, ctx: Node<'d>) -> String {
        let memo = self.memo;
        let mut parts: Vec<String> = Vec::new();
        let e = self.v.engine.end_tag(memo);
        if !self.v.engine.dead(e) {
            parts.push("the element end-tag".into());
        }
        let ea = self.v.engine.empty_after(memo);
        match self.v.engine.content_type(ea) {
            CT_MIXED => {
                let m = self.v.engine.mixed_text(memo);
                if !self.v.engine.dead(m) {
                    parts.push("text".into());
                }
            }
            CT_DATA => parts.push("data".into()),
            _ => {}
        }
        let names = self.v.engine.possible_start_names(memo);
        if !names.names.is_empty() {
            if names.names.len() > SHORT_LIST {
                // A person cannot act on 200 names in one line: the message shows the
                // first few, the note the whole list (JSON output keeps both).
                self.full_expected.set(Some(format_names(
                    &names.names,
                    false,
                    true,
                    ctx,
                    MAX_LISTED,
                )));
            }
            parts.push(format!(
                "element {}",
                format_names(&names.names, false, true, ctx, SHORT_LIST)
            ));
            if names.any || !names.namespaces.is_empty() {
                parts.push("an element from another namespace".into());
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("; expected {}", list(&parts, "or"))
        }
    }
}

/// The source span of a text node from its first non-blank character on, skipping
/// whitespace, CDATA markers and character references to whitespace (the value and the
/// source differ there, and jing's line is the one of the first real character).
fn first_non_blank(text: &str, span: Range<usize>) -> Range<usize> {
    let src = &text[span.clone()];
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        } else if rest.starts_with("<![CDATA[") {
            i += 9;
        } else if rest.starts_with("]]>") {
            i += 3;
        } else if let Some(r) = rest.strip_prefix("&#") {
            let end = match r.find(';') {
                Some(e) => e,
                None => break,
            };
            let code = match r[..end].strip_prefix('x') {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => r[..end].parse().ok(),
            };
            if matches!(code, Some(9 | 10 | 13 | 32)) {
                i += 2 + end + 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (span.start + i).min(span.end)..span.end
}

fn attr_qname(a: &crate::xml::Attribute<'_>) -> String {
    match a.prefix() {
        Some(p) => format!("\"{p}:{}\"", a.name().local),
        None => format!("\"{}\"", a.name().local),
    }
}

fn expected_attributes(possible: &ExpectedNames, ctx: Node<'_>) -> String {
    if possible.names.is_empty() {
        return String::new();
    }
    let names = format_names(&possible.names, true, true, ctx, MAX_LISTED);
    if possible.any || !possible.namespaces.is_empty() {
        format!("; expected attribute {names} or an attribute from another namespace")
    } else {
        format!("; expected attribute {names}")
    }
}

fn format_failures(f: &DataFailures) -> String {
    let mut msgs = f.messages.clone();
    if !f.values.is_empty() {
        let vals: Vec<String> = f.values.iter().map(|v| quote_value(v)).collect();
        msgs.push(format!("must be equal to {}", list(&vals, "or")));
    }
    if msgs.is_empty() {
        return String::new();
    }
    let arg = list(&msgs, "or");
    match f.token.as_deref() {
        Some("") => format!("; missing token; {arg}"),
        Some(t) => format!("; token {} invalid; {arg}", quote_value(t)),
        None => format!("; {arg}"),
    }
}

/// `a`, `a or b`, `a, b or c`.
/// Longest list a message spells out; longer ones (a 100,000-way value choice) end with
/// "… and N others" so that messages stay readable and bounded.
const MAX_LISTED: usize = 500;
/// Names shown in a message before the rest go to a note.
const SHORT_LIST: usize = 12;

fn list(items: &[String], conj: &str) -> String {
    list_limited(items, conj, MAX_LISTED)
}

fn list_limited(items: &[String], conj: &str, limit: usize) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n if n > limit => format!(
            "{} {conj} one of {} others",
            items[..limit].join(", "),
            n - limit
        ),
        n => format!("{} {conj} {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn quote_value(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '<' => s.push_str("&lt;"),
            '"' => s.push_str("&quot;"),
            '&' => s.push_str("&amp;"),
            '\n' => s.push_str("&#xA;"),
            '\r' => s.push_str("&#xD;"),
            '\t' => s.push_str("&#x9;"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Formats names the way jing does: with the document's prefixes where it has them,
/// generated ones (`ns`, `ns1` …) declared in parentheses where it does not.
fn format_names(names: &[QName], attribute: bool, or: bool, ctx: Node<'_>, limit: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let scope = ctx.in_scope_namespaces();
    let bound_prefix = |ns: &str| -> Option<String> {
        // The xml prefix is bound in every document without a declaration.
        if ns == crate::xml::XML_NS {
            return Some("xml".to_string());
        }
        scope
            .iter()
            .find(|(p, u)| p.is_some() && *u == ns)
            .and_then(|(p, _)| p.map(str::to_string))
    };
    let mut decls: Vec<(String, String)> = Vec::new(); // (ns, prefix)
    let mut default_ns: Option<String> = if attribute {
        Some(String::new())
    } else {
        ctx.lookup_namespace_uri(None).map(str::to_string)
    };
    if !attribute && names.iter().any(|n| n.ns.is_empty()) {
        if default_ns.as_deref().is_some_and(|d| !d.is_empty()) {
            decls.push((String::new(), String::new()));
        }
        default_ns = Some(String::new());
    }
    let mut qnames: Vec<String> = Vec::new();
    let mut undeclared: Vec<&QName> = Vec::new();
    for n in names {
        if Some(n.ns.as_str()) == default_ns.as_deref() {
            qnames.push(n.local.clone());
        } else if let Some(p) = (!n.ns.is_empty()).then(|| bound_prefix(&n.ns)).flatten() {
            qnames.push(format!("{p}:{}", n.local));
        } else {
            undeclared.push(n);
        }
    }
    if !undeclared.is_empty() {
        let mut nss: Vec<&str> = undeclared.iter().map(|n| n.ns.as_str()).collect();
        nss.sort_unstable();
        nss.dedup();
        if nss.len() == 1 && default_ns.is_none() {
            decls.push((nss[0].to_string(), String::new()));
        } else {
            const BASES: [&str; 6] = ["ns", "ns-", "ns_", "NS", "NS-", "NS_"];
            let is_bound = |p: &str| scope.iter().any(|(q, _)| *q == Some(p));
            let mut chosen = String::new();
            let bases = BASES
                .iter()
                .map(|b| b.to_string())
                .chain((1usize..).map(|n| format!("{}ns", "_".repeat(n))));
            for base in bases {
                let candidates: Vec<String> = if nss.len() == 1 {
                    vec![base.clone()]
                } else {
                    (1..=nss.len()).map(|i| format!("{base}{i}")).collect()
                };
                if !candidates.iter().any(|c| is_bound(c)) {
                    chosen = base;
                    break;
                }
            }
            for (i, ns) in nss.iter().enumerate() {
                let p = if nss.len() == 1 {
                    chosen.clone()
                } else {
                    format!("{chosen}{}", i + 1)
                };
                decls.push((ns.to_string(), p));
            }
        }
        for n in undeclared {
            let p = decls
                .iter()
                .find(|(ns, _)| *ns == n.ns)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            qnames.push(if p.is_empty() {
                n.local.clone()
            } else {
                format!("{p}:{}", n.local)
            });
        }
    }
    qnames.sort();
    qnames.dedup();
    let quoted: Vec<String> = qnames.iter().map(|q| format!("\"{q}\"")).collect();
    let mut out = list_limited(&quoted, if or { "or" } else { "and" }, limit);
    if !decls.is_empty() {
        let mut ds: Vec<String> = decls
            .iter()
            .map(|(ns, p)| {
                if p.is_empty() {
                    format!("xmlns={}", quote_value(ns))
                } else {
                    format!("xmlns:{p}={}", quote_value(ns))
                }
            })
            .collect();
        ds.sort();
        out = format!("{out} (with {})", ds.join(" "));
    }
    out
}
