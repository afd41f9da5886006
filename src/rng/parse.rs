//! Stage 1 of loading: RELAX NG XML syntax (§3) → an AST of the full syntax.
//!
//! This stage reads the top schema and every file `include` and `externalRef` name (through
//! the caller's [`Loader`], after the safety policy), checks the syntax of every RELAX NG
//! element, and does the simplification steps that need the XML tree: annotations and
//! foreign elements dropped (§4.1), whitespace (§4.2), `datatypeLibrary` and `ns`
//! inheritance (§4.3, §4.9), `href` resolution with `xml:base` (§4.5), `externalRef` and
//! `include` with overrides (§4.6, §4.7), `name` attributes (§4.8), QNames (§4.10), `div`
//! (§4.11), the name-class restrictions (§4.16) and datatypes (parameters and values are
//! checked by the datatype library).
//!
//! Architecture invariant: the walk over the XML trees is a loop over an explicit task
//! stack, so a schema nested 50,000 levels deep costs heap, not stack. Name classes are
//! parsed with their own explicit stack for the same reason.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::rc::Rc;

use super::codes::*;
use super::loader::{LoadErrorKind, Loader};
use super::names::{NameClass, QName, is_ncname, is_xml_space, split_qname, trim_xml};
use super::uri;
use crate::diag::{Diagnostic, FileId, Files, Label};
use crate::xml::{self, Document, NodeId, NodeKind};
use crate::xsd;

/// The RELAX NG structure namespace.
pub const RNG_NS: &str = "http://relaxng.org/ns/structure/1.0";
const XMLNS_URI: &str = "http://www.w3.org/2000/xmlns";

/// Index of an AST node.
pub(crate) type AId = u32;
/// Index of a grammar.
pub(crate) type GramId = u32;
/// Index of a datatype in [`Ast::datatypes`].
pub(crate) type DtId = u32;

/// A place in a schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Loc {
    pub file: FileId,
    pub span: Range<usize>,
}

impl Loc {
    pub fn diag(&self, code: &'static crate::diag::Code, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, msg).at(self.file, self.span.clone())
    }
}

/// `combine` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Combine {
    Choice,
    Interleave,
}

/// Pattern kinds of the full syntax, after the steps this stage performs.
#[derive(Debug, Clone)]
pub(crate) enum AKind {
    Element(Rc<NameClass>),
    /// Children: zero or one pattern (zero means `text`).
    Attribute(Rc<NameClass>),
    Group,
    Interleave,
    Choice,
    Optional,
    ZeroOrMore,
    OneOrMore,
    List,
    Mixed,
    Ref {
        name: String,
        grammar: Option<GramId>,
    },
    ParentRef {
        name: String,
        grammar: Option<GramId>,
    },
    Empty,
    Text,
    NotAllowed,
    /// Children: the `except` patterns (a choice), if any.
    Data(DtId),
    Value {
        dt: DtId,
        value: xsd::Value,
        text: String,
    },
    Grammar(GramId),
}

/// One AST node.
#[derive(Debug, Clone)]
pub(crate) struct ANode {
    pub kind: AKind,
    pub loc: Loc,
    pub children: Vec<AId>,
}

/// A `start` or `define` component.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    pub combine: Option<Combine>,
    /// A `Group` node holding the component's patterns.
    pub body: AId,
    pub loc: Loc,
}

/// A grammar with its components (includes and divs already merged).
#[derive(Debug, Clone)]
pub(crate) struct Grammar {
    pub parent: Option<GramId>,
    pub loc: Loc,
    pub starts: Vec<Component>,
    pub defines: HashMap<String, Vec<Component>>,
    /// Define names in order of first appearance (deterministic iteration).
    pub define_order: Vec<String>,
}

/// A datatype used by the schema.
#[derive(Debug, Clone)]
pub(crate) struct DtEntry {
    pub name: String,
    pub datatype: xsd::Datatype,
}

/// The result of this stage.
#[derive(Debug)]
pub(crate) struct Ast {
    pub nodes: Vec<ANode>,
    pub grammars: Vec<Grammar>,
    pub datatypes: Vec<DtEntry>,
    pub root: AId,
}

/// (library, type, parameters) of a datatype.
type DtKey = (String, String, Vec<(String, String)>);

/// Limits of this stage.
const MAX_INCLUDE_DEPTH: usize = 256;
const MAX_NODES: usize = 20_000_000;

/// Per-element inherited context.
#[derive(Clone)]
struct Ctx {
    doc: u32,
    /// The inherited `ns` value (§4.9); `""` when no ancestor has one.
    ns: Rc<str>,
    dtlib: Rc<str>,
    base: Rc<str>,
    grammar: Option<GramId>,
    /// URIs of the files being included around this point (loop detection).
    chain: Rc<Chain>,
}

struct Chain {
    uri: String,
    parent: Option<Rc<Chain>>,
    depth: usize,
}

impl Chain {
    fn contains(&self, uri: &str) -> bool {
        let mut c = Some(self);
        while let Some(x) = c {
            if x.uri == uri {
                return true;
            }
            c = x.parent.as_deref();
        }
        false
    }
}

/// Overrides of one `include` (§4.7), chained to enclosing includes.
struct Overrides {
    start: bool,
    names: HashSet<String>,
    found_start: std::cell::Cell<bool>,
    found: std::cell::RefCell<HashSet<String>>,
    parent: Option<Rc<Overrides>>,
    loc: Loc,
    /// Where each overriding component is, for the "overrides nothing" message.
    locs: HashMap<String, Loc>,
    start_loc: Option<Loc>,
}

/// Whether a start (name `None`) or define is overridden by some enclosing include; marks
/// it found in every include that overrides it.
fn overridden(ov: &Option<Rc<Overrides>>, name: Option<&str>) -> bool {
    let mut hit = false;
    let mut cur = ov.as_deref();
    while let Some(o) = cur {
        match name {
            None if o.start => {
                o.found_start.set(true);
                hit = true;
            }
            Some(n) if o.names.contains(n) => {
                o.found.borrow_mut().insert(n.to_string());
                hit = true;
            }
            _ => {}
        }
        cur = o.parent.as_deref();
    }
    hit
}

enum Task {
    Pattern {
        node: NodeId,
        parent: Option<AId>,
        ctx: Ctx,
    },
    GrammarContent {
        node: NodeId,
        gram: GramId,
        ctx: Ctx,
        ov: Option<Rc<Overrides>>,
        in_include: bool,
    },
    FinishInclude(Rc<Overrides>),
}

struct Loaded {
    doc: Document,
    file: FileId,
}

pub(crate) struct Parser<'a> {
    loader: &'a mut dyn Loader,
    files: &'a Files,
    docs: Vec<Loaded>,
    by_uri: HashMap<String, u32>,
    /// Includes must stay below this URI (the top schema's folder).
    root_dir: String,
    root_scheme: Option<String>,
    nodes: Vec<ANode>,
    grammars: Vec<Grammar>,
    datatypes: Vec<DtEntry>,
    dt_index: HashMap<DtKey, DtId>,
    pub diags: Vec<Diagnostic>,
    tasks: Vec<Task>,
    root: Option<AId>,
}

/// The namespace context of a `value` element (for QName-valued datatypes).
struct ValueContext {
    default_ns: String,
    bindings: Vec<(Option<String>, String)>,
}

impl xsd::Context for ValueContext {
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String> {
        match prefix {
            None => (!self.default_ns.is_empty()).then(|| self.default_ns.clone()),
            Some("xml") => Some(xml::XML_NS.to_string()),
            Some(p) => self
                .bindings
                .iter()
                .find(|(q, _)| q.as_deref() == Some(p))
                .map(|(_, u)| u.clone()),
        }
    }
}

impl<'a> Parser<'a> {
    pub fn new(loader: &'a mut dyn Loader, files: &'a Files) -> Self {
        Parser {
            loader,
            files,
            docs: Vec::new(),
            by_uri: HashMap::default(),
            root_dir: String::new(),
            root_scheme: None,
            nodes: Vec::new(),
            grammars: Vec::new(),
            datatypes: Vec::new(),
            dt_index: HashMap::default(),
            diags: Vec::new(),
            tasks: Vec::new(),
            root: None,
        }
    }

    /// Parses the schema named `name` and everything it includes.
    pub fn parse(mut self, name: &str) -> Result<Ast, Vec<Diagnostic>> {
        let top = match self.loader.locate(name) {
            Ok(u) => u,
            Err(e) => {
                return Err(vec![Diagnostic::error(&SCHEMA_IO, e.message)]);
            }
        };
        self.root_dir = uri::directory_of(&top);
        self.root_scheme = uri::scheme(&top);
        let Some(doc) = self.load(&top, None) else {
            return Err(self.diags);
        };
        let chain = Rc::new(Chain {
            uri: top.clone(),
            parent: None,
            depth: 0,
        });
        let root_el = self.docs[doc as usize].doc.root_element().id();
        let ctx = Ctx {
            doc,
            ns: Rc::from(""),
            dtlib: Rc::from(""),
            base: Rc::from(top.as_str()),
            grammar: None,
            chain,
        };
        if !self.check_pattern_element(doc, root_el) {
            return Err(self.diags);
        }
        self.tasks.push(Task::Pattern {
            node: root_el,
            parent: None,
            ctx,
        });
        self.run();
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        let root = self.root.expect("root pattern parsed");
        Ok(Ast {
            nodes: self.nodes,
            grammars: self.grammars,
            datatypes: self.datatypes,
            root,
        })
    }

    fn run(&mut self) {
        while let Some(t) = self.tasks.pop() {
            if self.nodes.len() > MAX_NODES {
                self.diags.push(Diagnostic::error(
                    &SCHEMA_LIMIT,
                    format!("the schema has more than {MAX_NODES} patterns"),
                ));
                return;
            }
            match t {
                Task::Pattern { node, parent, ctx } => self.pattern(node, parent, ctx),
                Task::GrammarContent {
                    node,
                    gram,
                    ctx,
                    ov,
                    in_include,
                } => self.grammar_content(node, gram, ctx, ov, in_include),
                Task::FinishInclude(ov) => self.finish_include(&ov),
            }
        }
    }

    // ------------------------------------------------------------------ files

    /// Loads and parses a schema file; reports problems at `from` (the referencing element).
    fn load(&mut self, uri: &str, from: Option<&Loc>) -> Option<u32> {
        if let Some(&d) = self.by_uri.get(uri) {
            return Some(d);
        }
        let at = |d: Diagnostic| match from {
            Some(l) => d.at(l.file, l.span.clone()),
            None => d,
        };
        let res = match self.loader.load(uri) {
            Ok(r) => r,
            Err(e) => {
                let code = match e.kind {
                    LoadErrorKind::Refused => &HREF_REFUSED,
                    _ => &SCHEMA_IO,
                };
                self.diags.push(at(Diagnostic::error(code, e.message)));
                return None;
            }
        };
        if is_compact_name(uri) {
            return self.load_compact(uri, &res, from);
        }
        let opts = xml::ParseOptions::default();
        let text = match xml::decode(&res.bytes, &opts) {
            Ok(t) => t.into_owned(),
            Err(e) => {
                let (shown, pos) = xml::error_source(&res.bytes, &opts, &e);
                let file = self.files.add(res.display_name.clone(), shown);
                let d = Diagnostic::error(&SCHEMA_NOT_WELL_FORMED, e.message).at(file, pos..pos);
                self.diags.push(d);
                return None;
            }
        };
        let file = self.files.add(res.display_name.clone(), text.as_str());
        match Document::parse_with(&text, &opts) {
            Ok(doc) => {
                let i = self.docs.len() as u32;
                self.docs.push(Loaded { doc, file });
                self.by_uri.insert(uri.to_string(), i);
                Some(i)
            }
            Err(e) => {
                let code = if e.kind == xml::ErrorKind::Limit {
                    &SCHEMA_LIMIT
                } else {
                    &SCHEMA_NOT_WELL_FORMED
                };
                self.diags
                    .push(Diagnostic::error(code, e.message).at(file, e.pos..e.pos));
                None
            }
        }
    }

    /// Loads a compact-syntax file: decoded like XML (BOM, UTF-8), parsed by
    /// [`parse_compact`] into the same XML-syntax tree, registered like an XML file.
    fn load_compact(
        &mut self,
        uri: &str,
        res: &super::loader::Resource,
        from: Option<&Loc>,
    ) -> Option<u32> {
        let opts = xml::ParseOptions::default();
        let text = match xml::decode(&res.bytes, &opts) {
            Ok(t) => t.into_owned(),
            Err(e) => {
                let (shown, pos) = xml::error_source(&res.bytes, &opts, &e);
                let file = self.files.add(res.display_name.clone(), shown);
                self.diags
                    .push(Diagnostic::error(&COMPACT, e.message).at(file, pos..pos));
                return None;
            }
        };
        let file = self.files.add(res.display_name.clone(), text.as_str());
        match parse_compact(&text, file) {
            Ok(doc) => {
                let i = self.docs.len() as u32;
                self.docs.push(Loaded { doc, file });
                self.by_uri.insert(uri.to_string(), i);
                Some(i)
            }
            Err(diags) => {
                for mut d in diags {
                    if let Some(l) = from {
                        d = d.also(
                            Label::new(l.file, l.span.clone()).with_message("referenced here"),
                        );
                    }
                    self.diags.push(d);
                }
                None
            }
        }
    }

    fn doc(&self, d: u32) -> &Document {
        &self.docs[d as usize].doc
    }

    fn loc(&self, d: u32, node: NodeId) -> Loc {
        let n = self.doc(d).node(node);
        Loc {
            file: self.docs[d as usize].file,
            span: n.start_tag_range(),
        }
    }

    fn attr_loc(&self, d: u32, node: NodeId, local: &str) -> Loc {
        let n = self.doc(d).node(node);
        let span = n
            .attribute_node(None, local)
            .map(|a| a.range())
            .unwrap_or_else(|| n.start_tag_range());
        Loc {
            file: self.docs[d as usize].file,
            span,
        }
    }

    fn err(&mut self, loc: &Loc, code: &'static crate::diag::Code, msg: impl Into<String>) {
        self.diags.push(loc.diag(code, msg));
    }

    // ------------------------------------------------------------------ nodes

    fn add(&mut self, kind: AKind, loc: Loc, parent: Option<AId>) -> AId {
        let id = self.nodes.len() as AId;
        self.nodes.push(ANode {
            kind,
            loc,
            children: Vec::new(),
        });
        match parent {
            Some(p) => self.nodes[p as usize].children.push(id),
            None => self.root = Some(id),
        }
        id
    }

    /// Applies `ns`, `datatypeLibrary` and `xml:base` of an element to the context, and checks
    /// its attributes against the ones its kind allows.
    fn enter(&mut self, node: NodeId, ctx: &Ctx, allowed: &[&str]) -> Ctx {
        let d = ctx.doc;
        let mut out = ctx.clone();
        let mut problems: Vec<(Loc, &'static crate::diag::Code, String)> = Vec::new();
        {
            let doc = self.doc(d);
            let n = doc.node(node);
            let file = self.docs[d as usize].file;
            for a in n.attributes() {
                let name = a.name();
                match name.namespace {
                    None => {
                        let l = name.local;
                        if l == "ns" {
                            out.ns = Rc::from(a.value());
                        } else if l == "datatypeLibrary" {
                            let v = uri::escape_href(a.value());
                            if !v.is_empty()
                                && (!uri::is_valid_reference(&v)
                                    || !uri::is_absolute(&v)
                                    || uri::has_fragment(&v))
                            {
                                problems.push((
                                    Loc {
                                        file,
                                        span: a.range(),
                                    },
                                    &BAD_URI,
                                    format!(
                                        "datatypeLibrary \"{}\" is not an absolute URI without fragment",
                                        a.value()
                                    ),
                                ));
                            }
                            out.dtlib = Rc::from(v.as_str());
                        } else if !allowed.contains(&l) {
                            problems.push((
                                Loc {
                                    file,
                                    span: a.range(),
                                },
                                &SYNTAX_ATTRIBUTE,
                                format!(
                                    "attribute \"{l}\" not allowed on \"{}\"",
                                    n.tag_name().local
                                ),
                            ));
                        }
                    }
                    Some(RNG_NS) => problems.push((
                        Loc {
                            file,
                            span: a.range(),
                        },
                        &SYNTAX_ATTRIBUTE,
                        format!(
                            "attribute \"{}\" in the RELAX NG namespace not allowed",
                            name.local
                        ),
                    )),
                    Some(xml::XML_NS) if name.local == "base" => {
                        let v = uri::escape_href(a.value());
                        out.base = Rc::from(uri::resolve(&ctx.base, &v).as_str());
                    }
                    Some(_) => {}
                }
            }
        }
        for (l, c, m) in problems {
            self.err(&l, c, m);
        }
        out
    }

    /// The value of an unqualified attribute.
    fn attr(&self, d: u32, node: NodeId, local: &str) -> Option<String> {
        self.doc(d)
            .node(node)
            .attribute(None, local)
            .map(str::to_string)
    }

    /// RNG element children of `node`; reports non-whitespace text. Foreign elements are
    /// skipped (§4.1).
    fn rng_children(&mut self, d: u32, node: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut bad_text = None;
        {
            let doc = self.doc(d);
            for c in doc.node(node).children() {
                match c.kind() {
                    NodeKind::Element if c.tag_name().namespace == Some(RNG_NS) => {
                        out.push(c.id());
                    }
                    NodeKind::Text => {
                        let t = c.text().unwrap_or("");
                        if bad_text.is_none() && !t.chars().all(is_xml_space) {
                            let r = c.range();
                            let off = t.len() - t.trim_start_matches(is_xml_space).len();
                            bad_text = Some(r.start + off.min(r.len())..r.end);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(span) = bad_text {
            let loc = Loc {
                file: self.docs[d as usize].file,
                span,
            };
            let parent = self.doc(d).node(node).tag_name().local.to_string();
            self.err(
                &loc,
                &SYNTAX_TEXT,
                format!("text not allowed in \"{parent}\""),
            );
        }
        out
    }

    /// Text content of a leaf element (`value`, `param`, `name`); reports child elements.
    fn leaf_text(&mut self, d: u32, node: NodeId) -> String {
        let mut s = String::new();
        let mut bad = None;
        {
            let doc = self.doc(d);
            for c in doc.node(node).children() {
                match c.kind() {
                    NodeKind::Text => s.push_str(c.text().unwrap_or("")),
                    NodeKind::Element if bad.is_none() => bad = Some(c.id()),
                    _ => {}
                }
            }
        }
        if let Some(b) = bad {
            let loc = self.loc(d, b);
            let parent = self.doc(d).node(node).tag_name().local.to_string();
            self.err(
                &loc,
                &SYNTAX_ELEMENT,
                format!("\"{parent}\" must contain only text"),
            );
        }
        s
    }

    fn check_pattern_element(&mut self, d: u32, node: NodeId) -> bool {
        let n = self.doc(d).node(node);
        let name = n.tag_name();
        if name.namespace == Some(RNG_NS) && PATTERNS.contains(&name.local) {
            return true;
        }
        let loc = self.loc(d, node);
        let msg = if name.namespace == Some(RNG_NS) {
            format!("\"{}\" is not a pattern", name.local)
        } else {
            format!(
                "expected a RELAX NG pattern (namespace \"{RNG_NS}\"), found element \"{}\"{}",
                name.local,
                match name.namespace {
                    Some(ns) => format!(" in namespace \"{ns}\""),
                    None => " in no namespace".to_string(),
                }
            )
        };
        self.err(&loc, &SYNTAX_ELEMENT, msg);
        false
    }

    /// Resolves an `href` against the element's base URI and applies the safety policy.
    fn resolve_href(&mut self, d: u32, node: NodeId, ctx: &Ctx) -> Option<String> {
        let loc = self.attr_loc(d, node, "href");
        let Some(raw) = self.attr(d, node, "href") else {
            let l = self.loc(d, node);
            self.err(&l, &SYNTAX_ATTRIBUTE, "missing \"href\" attribute");
            return None;
        };
        let escaped = uri::escape_href(&raw);
        if uri::has_fragment(&escaped) {
            self.err(
                &loc,
                &BAD_URI,
                format!("href \"{raw}\" must not have a fragment identifier"),
            );
            return None;
        }
        if !uri::is_valid_reference(&escaped) {
            self.err(&loc, &BAD_URI, format!("href \"{raw}\" is not a valid URI"));
            return None;
        }
        let resolved = uri::resolve(&ctx.base, &escaped);
        let scheme = uri::scheme(&resolved);
        if scheme != self.root_scheme {
            let s = scheme.unwrap_or_default();
            self.err(
                &loc,
                &HREF_REFUSED,
                format!(
                    "refusing to load \"{raw}\": teikit reads only local files next to the schema, never {s}: URLs"
                ),
            );
            return None;
        }
        if !resolved.starts_with(&self.root_dir) {
            self.err(
                &loc,
                &HREF_REFUSED,
                format!("refusing to load \"{raw}\": it is outside the folder of the top schema"),
            );
            return None;
        }
        Some(resolved)
    }

    // ------------------------------------------------------------------ patterns

    fn pattern(&mut self, node: NodeId, parent: Option<AId>, ctx: Ctx) {
        let d = ctx.doc;
        let local = self.doc(d).node(node).tag_name().local.to_string();
        let loc = self.loc(d, node);
        match local.as_str() {
            "element" | "attribute" => self.element_or_attribute(node, parent, &ctx, &local),
            "group" | "interleave" | "choice" | "optional" | "zeroOrMore" | "oneOrMore"
            | "list" | "mixed" => {
                let ctx = self.enter(node, &ctx, &[]);
                let kind = match local.as_str() {
                    "group" => AKind::Group,
                    "interleave" => AKind::Interleave,
                    "choice" => AKind::Choice,
                    "optional" => AKind::Optional,
                    "zeroOrMore" => AKind::ZeroOrMore,
                    "oneOrMore" => AKind::OneOrMore,
                    "list" => AKind::List,
                    _ => AKind::Mixed,
                };
                let id = self.add(kind, loc.clone(), parent);
                let kids = self.rng_children(d, node);
                self.push_patterns(&kids, id, &ctx, &loc, &local);
            }
            "ref" | "parentRef" => {
                let ctx = self.enter(node, &ctx, &["name"]);
                self.no_children(d, node);
                let name = self.ncname_attr(d, node, "name").unwrap_or_default();
                let kind = if local == "ref" {
                    AKind::Ref {
                        name,
                        grammar: ctx.grammar,
                    }
                } else {
                    AKind::ParentRef {
                        name,
                        grammar: ctx.grammar,
                    }
                };
                self.add(kind, loc, parent);
            }
            "empty" | "text" | "notAllowed" => {
                self.enter(node, &ctx, &[]);
                self.no_children(d, node);
                let kind = match local.as_str() {
                    "empty" => AKind::Empty,
                    "text" => AKind::Text,
                    _ => AKind::NotAllowed,
                };
                self.add(kind, loc, parent);
            }
            "data" => self.data(node, parent, &ctx),
            "value" => self.value(node, parent, &ctx),
            "externalRef" => {
                let ctx = self.enter(node, &ctx, &["href"]);
                self.no_children(d, node);
                let Some(target) = self.resolve_href(d, node, &ctx) else {
                    self.add(AKind::NotAllowed, loc, parent);
                    return;
                };
                let Some(doc) = self.follow(&target, &ctx, &loc) else {
                    self.add(AKind::NotAllowed, loc, parent);
                    return;
                };
                let root = self.doc(doc).root_element().id();
                if !self.check_pattern_element(doc, root) {
                    self.add(AKind::NotAllowed, loc, parent);
                    return;
                }
                let chain = Rc::new(Chain {
                    uri: target.clone(),
                    depth: ctx.chain.depth + 1,
                    parent: Some(ctx.chain.clone()),
                });
                let inner = Ctx {
                    doc,
                    ns: ctx.ns.clone(),
                    dtlib: Rc::from(""),
                    base: Rc::from(target.as_str()),
                    grammar: ctx.grammar,
                    chain,
                };
                self.tasks.push(Task::Pattern {
                    node: root,
                    parent,
                    ctx: inner,
                });
            }
            "grammar" => {
                let ctx = self.enter(node, &ctx, &[]);
                let g = self.grammars.len() as GramId;
                self.grammars.push(Grammar {
                    parent: ctx.grammar,
                    loc: loc.clone(),
                    starts: Vec::new(),
                    defines: HashMap::default(),
                    define_order: Vec::new(),
                });
                self.add(AKind::Grammar(g), loc, parent);
                let mut inner = ctx.clone();
                inner.grammar = Some(g);
                self.tasks.push(Task::GrammarContent {
                    node,
                    gram: g,
                    ctx: inner,
                    ov: None,
                    in_include: false,
                });
            }
            other => {
                let msg = if PATTERNS.contains(&other) {
                    format!("\"{other}\" not allowed here")
                } else {
                    format!("\"{other}\" is not a pattern")
                };
                self.err(&loc, &SYNTAX_ELEMENT, msg);
                self.add(AKind::NotAllowed, loc, parent);
            }
        }
    }

    /// Checks the loop and depth limits of an `include`/`externalRef`, then loads it.
    fn follow(&mut self, target: &str, ctx: &Ctx, loc: &Loc) -> Option<u32> {
        if ctx.chain.contains(target) {
            self.err(
                loc,
                &RECURSIVE_INCLUDE,
                format!("recursive inclusion of \"{}\"", display_uri(target)),
            );
            return None;
        }
        if ctx.chain.depth >= MAX_INCLUDE_DEPTH {
            self.err(
                loc,
                &SCHEMA_LIMIT,
                format!("includes nest deeper than the limit of {MAX_INCLUDE_DEPTH}"),
            );
            return None;
        }
        self.load(target, Some(loc))
    }

    fn no_children(&mut self, d: u32, node: NodeId) {
        let kids = self.rng_children(d, node);
        if let Some(&k) = kids.first() {
            let loc = self.loc(d, k);
            let parent = self.doc(d).node(node).tag_name().local.to_string();
            let child = self.doc(d).node(k).tag_name().local.to_string();
            self.err(
                &loc,
                &SYNTAX_ELEMENT,
                format!("\"{child}\" not allowed in \"{parent}\", which must be empty"),
            );
        }
    }

    fn ncname_attr(&mut self, d: u32, node: NodeId, local: &str) -> Option<String> {
        match self.attr(d, node, local) {
            None => {
                let loc = self.loc(d, node);
                let el = self.doc(d).node(node).tag_name().local.to_string();
                self.err(
                    &loc,
                    &SYNTAX_ATTRIBUTE,
                    format!("\"{el}\" must have a \"{local}\" attribute"),
                );
                None
            }
            Some(v) => {
                let v = trim_xml(&v).to_string();
                if !is_ncname(&v) {
                    let loc = self.attr_loc(d, node, local);
                    self.err(&loc, &BAD_NAME, format!("\"{v}\" is not a valid NCName"));
                    return None;
                }
                Some(v)
            }
        }
    }

    /// Pushes pattern tasks for `kids` (in document order); reports an empty list.
    fn push_patterns(&mut self, kids: &[NodeId], parent: AId, ctx: &Ctx, loc: &Loc, what: &str) {
        if kids.is_empty() {
            self.err(
                loc,
                &SYNTAX_ELEMENT,
                format!("\"{what}\" must contain at least one pattern"),
            );
            // Keep the tree well-formed for later stages.
            self.add(AKind::NotAllowed, loc.clone(), Some(parent));
            return;
        }
        for &k in kids.iter().rev() {
            if self.check_pattern_element(ctx.doc, k) {
                self.tasks.push(Task::Pattern {
                    node: k,
                    parent: Some(parent),
                    ctx: ctx.clone(),
                });
            }
        }
    }

    fn element_or_attribute(&mut self, node: NodeId, parent: Option<AId>, ctx: &Ctx, local: &str) {
        let d = ctx.doc;
        let loc = self.loc(d, node);
        let ctx = self.enter(node, ctx, &["name"]);
        let is_attr = local == "attribute";
        let mut kids = self.rng_children(d, node);
        let has_own_ns = self.doc(d).node(node).attribute(None, "ns").is_some();
        let nc = if let Some(raw) = self.attr(d, node, "name") {
            let raw = trim_xml(&raw).to_string();
            // §4.8: an attribute's name without prefix is in no namespace unless the
            // attribute element itself has an `ns` attribute.
            let default_ns: &str = if is_attr && !has_own_ns { "" } else { &ctx.ns };
            let aloc = self.attr_loc(d, node, "name");
            self.resolve_qname(d, node, &raw, default_ns, &aloc)
                .map(NameClass::Name)
        } else if kids.is_empty() {
            self.err(
                &loc,
                &SYNTAX_ELEMENT,
                format!("\"{local}\" must have a \"name\" attribute or a name class"),
            );
            None
        } else {
            let first = kids.remove(0);
            self.name_class(first, &ctx)
        };
        let nc = match nc {
            Some(nc) => nc,
            None => NameClass::Choice(Vec::new()),
        };
        if is_attr {
            self.check_attribute_nc(&nc, &loc);
        }
        let kind = if is_attr {
            AKind::Attribute(Rc::new(nc))
        } else {
            AKind::Element(Rc::new(nc))
        };
        let id = self.add(kind, loc.clone(), parent);
        if is_attr {
            if kids.len() > 1 {
                let l = self.loc(d, kids[1]);
                self.err(
                    &l,
                    &SYNTAX_ELEMENT,
                    "\"attribute\" must contain at most one pattern",
                );
                kids.truncate(1);
            }
            if !kids.is_empty() {
                self.push_patterns(&kids, id, &ctx, &loc, local);
            }
        } else {
            self.push_patterns(&kids, id, &ctx, &loc, local);
        }
    }

    /// §4.16: an attribute's name class must not contain `xmlns` or the xmlns namespace.
    fn check_attribute_nc(&mut self, nc: &NameClass, loc: &Loc) {
        let mut stack = vec![nc];
        while let Some(c) = stack.pop() {
            match c {
                NameClass::Name(q) => {
                    if q.ns == XMLNS_URI {
                        self.err(
                            loc,
                            &NAME_CLASS,
                            format!("attribute must not have namespace URI \"{XMLNS_URI}\""),
                        );
                    } else if q.ns.is_empty() && q.local == "xmlns" {
                        self.err(loc, &NAME_CLASS, "attribute must not be named \"xmlns\"");
                    }
                }
                NameClass::NsName(ns, ex) => {
                    if ns == XMLNS_URI {
                        self.err(
                            loc,
                            &NAME_CLASS,
                            format!("attribute must not have namespace URI \"{XMLNS_URI}\""),
                        );
                    }
                    // The rule is about every `name` in the class, excepts included.
                    if let Some(e) = ex {
                        stack.push(e);
                    }
                }
                NameClass::AnyName(ex) => {
                    if let Some(e) = ex {
                        stack.push(e);
                    }
                }
                NameClass::Choice(v) => stack.extend(v.iter()),
            }
        }
    }

    fn resolve_qname(
        &mut self,
        d: u32,
        node: NodeId,
        raw: &str,
        default_ns: &str,
        loc: &Loc,
    ) -> Option<QName> {
        let Some((prefix, local)) = split_qname(raw) else {
            self.err(loc, &BAD_NAME, format!("\"{raw}\" is not a valid QName"));
            return None;
        };
        let ns = match prefix {
            None => default_ns.to_string(),
            Some(p) => match self.doc(d).node(node).lookup_namespace_uri(Some(p)) {
                Some(u) => u.to_string(),
                None => {
                    self.err(
                        loc,
                        &BAD_NAME,
                        format!("namespace prefix \"{p}\" of \"{raw}\" is not declared"),
                    );
                    return None;
                }
            },
        };
        Some(QName {
            ns,
            local: local.to_string(),
        })
    }

    /// Parses a name class subtree iteratively (§4.16 restrictions included).
    fn name_class(&mut self, top: NodeId, ctx: &Ctx) -> Option<NameClass> {
        let d = ctx.doc;
        let errors_before = self.diags.len();
        let mut stack: Vec<NcFrame> = Vec::new();
        let mut result: Option<NameClass> = None;
        // Enter a node: either produce a leaf result or push a frame.
        let mut pending: Option<(NodeId, Ctx, u8)> = Some((top, ctx.clone(), 0));
        loop {
            if let Some((node, c, restrict)) = pending.take() {
                let n = self.doc(d).node(node);
                let tn = n.tag_name();
                let local = tn.local.to_string();
                let loc = self.loc(d, node);
                if tn.namespace != Some(RNG_NS) {
                    self.err(&loc, &SYNTAX_ELEMENT, "expected a name class");
                    nc_deliver(&mut stack, &mut result, NameClass::Choice(Vec::new()));
                } else {
                    match local.as_str() {
                        "name" => {
                            let c2 = self.enter(node, &c, &[]);
                            let raw = self.leaf_text(d, node);
                            let raw = trim_xml(&raw).to_string();
                            let nc = self
                                .resolve_qname(d, node, &raw, &c2.ns, &loc)
                                .map(NameClass::Name)
                                .unwrap_or(NameClass::Choice(Vec::new()));
                            nc_deliver(&mut stack, &mut result, nc);
                        }
                        "anyName" | "nsName" | "choice" => {
                            let c2 = self.enter(node, &c, &[]);
                            let kind = match local.as_str() {
                                "anyName" => K::AnyName,
                                "nsName" => K::NsName,
                                _ => K::Choice,
                            };
                            if kind == K::AnyName && restrict >= 1 {
                                self.err(
                                    &loc,
                                    &NAME_CLASS,
                                    if restrict == 1 {
                                        "\"anyName\" not allowed in \"except\" of \"anyName\""
                                    } else {
                                        "\"anyName\" not allowed in \"except\" of \"nsName\""
                                    },
                                );
                            }
                            if kind == K::NsName && restrict == 2 {
                                self.err(
                                    &loc,
                                    &NAME_CLASS,
                                    "\"nsName\" not allowed in \"except\" of \"nsName\"",
                                );
                            }
                            let kids = self.rng_children(d, node);
                            if kind == K::Choice && kids.is_empty() {
                                self.err(
                                    &loc,
                                    &SYNTAX_ELEMENT,
                                    "\"choice\" must contain at least one name class",
                                );
                            }
                            if kind != K::Choice {
                                let bad = kids
                                    .iter()
                                    .position(|&k| self.doc(d).node(k).tag_name().local != "except")
                                    .or(if kids.len() > 1 { Some(1) } else { None });
                                if let Some(i) = bad {
                                    let l = self.loc(d, kids[i]);
                                    self.err(
                                        &l,
                                        &SYNTAX_ELEMENT,
                                        format!("\"{local}\" may contain only one \"except\""),
                                    );
                                }
                            }
                            stack.push(NcFrame {
                                kind,
                                ctx: c2,
                                kids,
                                next: 0,
                                results: Vec::new(),
                                restrict,
                            });
                        }
                        "except" => {
                            let c2 = self.enter(node, &c, &[]);
                            let kids = self.rng_children(d, node);
                            if kids.is_empty() {
                                self.err(
                                    &loc,
                                    &SYNTAX_ELEMENT,
                                    "\"except\" must contain at least one name class",
                                );
                            }
                            stack.push(NcFrame {
                                kind: K::Except,
                                ctx: c2,
                                kids,
                                next: 0,
                                results: Vec::new(),
                                restrict,
                            });
                        }
                        other => {
                            self.err(
                                &loc,
                                &SYNTAX_ELEMENT,
                                format!("\"{other}\" is not a name class"),
                            );
                            nc_deliver(&mut stack, &mut result, NameClass::Choice(Vec::new()));
                        }
                    }
                }
            }
            let Some(top) = stack.last_mut() else { break };
            if top.next < top.kids.len() {
                let k = top.kids[top.next];
                top.next += 1;
                let restrict = match top.kind {
                    K::Except => top.restrict,
                    K::AnyName => 1,
                    K::NsName => 2,
                    K::Choice => top.restrict,
                };
                // Children of anyName/nsName are `except` elements, handled as frames.
                pending = Some((k, top.ctx.clone(), restrict));
                continue;
            }
            let f = stack.pop().expect("frame");
            let nc = match f.kind {
                K::Choice | K::Except => flatten_choice(f.results),
                K::AnyName => NameClass::AnyName(f.results.into_iter().next().map(Box::new)),
                K::NsName => NameClass::NsName(
                    f.ctx.ns.to_string(),
                    f.results.into_iter().next().map(Box::new),
                ),
            };
            nc_deliver(&mut stack, &mut result, nc);
        }
        if self.diags.len() > errors_before {
            return None;
        }
        result
    }

    fn data(&mut self, node: NodeId, parent: Option<AId>, ctx: &Ctx) {
        let d = ctx.doc;
        let loc = self.loc(d, node);
        let ctx = self.enter(node, ctx, &["type"]);
        let ty = self.ncname_attr(d, node, "type");
        let kids = self.rng_children(d, node);
        let mut params: Vec<(String, String)> = Vec::new();
        let mut except = None;
        for (i, &k) in kids.iter().enumerate() {
            let local = self.doc(d).node(k).tag_name().local.to_string();
            match local.as_str() {
                "param" if except.is_none() => {
                    self.enter(k, &ctx, &["name"]);
                    let name = self.ncname_attr(d, k, "name");
                    let v = self.leaf_text(d, k);
                    if let Some(n) = name {
                        params.push((n, v));
                    }
                }
                "except" if i + 1 == kids.len() => except = Some(k),
                _ => {
                    let l = self.loc(d, k);
                    self.err(
                        &l,
                        &SYNTAX_ELEMENT,
                        format!("\"{local}\" not allowed here in \"data\"; expected \"param\" or a final \"except\""),
                    );
                }
            }
        }
        let Some(ty) = ty else {
            self.add(AKind::NotAllowed, loc, parent);
            return;
        };
        let Some(dt) = self.datatype(&ctx.dtlib, &ty, &params, &loc) else {
            self.add(AKind::NotAllowed, loc, parent);
            return;
        };
        let id = self.add(AKind::Data(dt), loc, parent);
        if let Some(e) = except {
            let eloc = self.loc(d, e);
            let ectx = self.enter(e, &ctx, &[]);
            let ch = self.add(AKind::Choice, eloc.clone(), Some(id));
            let ekids = self.rng_children(d, e);
            self.push_patterns(&ekids, ch, &ectx, &eloc, "except");
        }
    }

    fn datatype(
        &mut self,
        lib: &str,
        ty: &str,
        params: &[(String, String)],
        loc: &Loc,
    ) -> Option<DtId> {
        let key = (lib.to_string(), ty.to_string(), params.to_vec());
        if let Some(&id) = self.dt_index.get(&key) {
            return Some(id);
        }
        if !xsd::library_supported(lib) {
            self.err(
                loc,
                &DATATYPE,
                format!("datatype library \"{lib}\" not recognized"),
            );
            return None;
        }
        let ps: Vec<(&str, &str)> = params
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        match xsd::Datatype::new(lib, ty, &ps) {
            Ok(dt) => {
                let id = self.datatypes.len() as DtId;
                self.datatypes.push(DtEntry {
                    name: ty.to_string(),
                    datatype: dt,
                });
                self.dt_index.insert(key, id);
                Some(id)
            }
            Err(e) => {
                self.err(loc, &DATATYPE, e.to_string());
                None
            }
        }
    }

    fn value(&mut self, node: NodeId, parent: Option<AId>, ctx: &Ctx) {
        let d = ctx.doc;
        let loc = self.loc(d, node);
        let ctx = self.enter(node, ctx, &["type"]);
        let text = self.leaf_text(d, node);
        // §4.4: a value without type is a built-in token.
        let (lib, ty) = match self.attr(d, node, "type") {
            Some(t) => {
                let t = trim_xml(&t).to_string();
                if !is_ncname(&t) {
                    let l = self.attr_loc(d, node, "type");
                    self.err(&l, &BAD_NAME, format!("\"{t}\" is not a valid NCName"));
                    self.add(AKind::NotAllowed, loc, parent);
                    return;
                }
                (ctx.dtlib.to_string(), t)
            }
            None => (String::new(), "token".to_string()),
        };
        let Some(dt) = self.datatype(&lib, &ty, &[], &loc) else {
            self.add(AKind::NotAllowed, loc, parent);
            return;
        };
        let datatype = &self.datatypes[dt as usize].datatype;
        let vctx = ValueContext {
            default_ns: ctx.ns.to_string(),
            bindings: if datatype.is_context_dependent() {
                self.doc(d)
                    .node(node)
                    .in_scope_namespaces()
                    .into_iter()
                    .map(|(p, u)| (p.map(str::to_string), u.to_string()))
                    .collect()
            } else {
                Vec::new()
            },
        };
        match datatype.value(&text, &vctx) {
            Some(value) => {
                self.add(AKind::Value { dt, value, text }, loc, parent);
            }
            None => {
                let why = datatype.check(&text, &vctx).err().unwrap_or_default();
                let msg = if why.is_empty() {
                    format!("\"{text}\" is not a valid value of the datatype \"{ty}\"")
                } else {
                    format!("\"{text}\" is not a valid value of the datatype \"{ty}\": {why}")
                };
                self.err(&loc, &DATATYPE, msg);
                self.add(AKind::NotAllowed, loc, parent);
            }
        }
    }

    // ------------------------------------------------------------------ grammars

    fn grammar_content(
        &mut self,
        node: NodeId,
        gram: GramId,
        ctx: Ctx,
        ov: Option<Rc<Overrides>>,
        in_include: bool,
    ) {
        let d = ctx.doc;
        let kids = self.rng_children(d, node);
        // Tasks run LIFO: collect them, then push in reverse so components keep order.
        let mut later: Vec<Task> = Vec::new();
        for k in kids {
            let local = self.doc(d).node(k).tag_name().local.to_string();
            let loc = self.loc(d, k);
            match local.as_str() {
                "start" => {
                    let c = self.enter(k, &ctx, &["combine"]);
                    let combine = self.combine_attr(d, k);
                    let pats = self.rng_children(d, k);
                    if pats.len() != 1 {
                        self.err(
                            &loc,
                            &SYNTAX_ELEMENT,
                            "\"start\" must contain exactly one pattern",
                        );
                    }
                    if !overridden(&ov, None) {
                        let body = self.detached(AKind::Group, loc.clone());
                        self.grammars[gram as usize].starts.push(Component {
                            combine,
                            body,
                            loc: loc.clone(),
                        });
                        for &p in pats.iter().take(1) {
                            if self.check_pattern_element(d, p) {
                                later.push(Task::Pattern {
                                    node: p,
                                    parent: Some(body),
                                    ctx: c.clone(),
                                });
                            }
                        }
                    }
                }
                "define" => {
                    let c = self.enter(k, &ctx, &["name", "combine"]);
                    let combine = self.combine_attr(d, k);
                    let name = self.ncname_attr(d, k, "name");
                    let pats = self.rng_children(d, k);
                    let Some(name) = name else { continue };
                    if !overridden(&ov, Some(&name)) {
                        let body = self.detached(AKind::Group, loc.clone());
                        let g = &mut self.grammars[gram as usize];
                        if !g.defines.contains_key(&name) {
                            g.define_order.push(name.clone());
                        }
                        g.defines.entry(name).or_default().push(Component {
                            combine,
                            body,
                            loc: loc.clone(),
                        });
                        if pats.is_empty() {
                            self.err(
                                &loc,
                                &SYNTAX_ELEMENT,
                                "\"define\" must contain at least one pattern",
                            );
                        }
                        for &p in &pats {
                            if self.check_pattern_element(d, p) {
                                later.push(Task::Pattern {
                                    node: p,
                                    parent: Some(body),
                                    ctx: c.clone(),
                                });
                            }
                        }
                    }
                }
                "div" => {
                    let c = self.enter(k, &ctx, &[]);
                    later.push(Task::GrammarContent {
                        node: k,
                        gram,
                        ctx: c,
                        ov: ov.clone(),
                        in_include,
                    });
                }
                "include" if !in_include => {
                    let c = self.enter(k, &ctx, &["href"]);
                    self.include(k, gram, c, ov.clone(), &mut later);
                }
                other => {
                    let msg = if in_include {
                        format!(
                            "\"{other}\" not allowed in \"include\"; expected \"start\", \"define\" or \"div\""
                        )
                    } else {
                        format!(
                            "\"{other}\" not allowed in \"grammar\"; expected \"start\", \"define\", \"div\" or \"include\""
                        )
                    };
                    self.err(&loc, &SYNTAX_ELEMENT, msg);
                }
            }
        }
        self.tasks.extend(later.into_iter().rev());
    }

    /// A node with no parent (a component body).
    fn detached(&mut self, kind: AKind, loc: Loc) -> AId {
        let id = self.nodes.len() as AId;
        self.nodes.push(ANode {
            kind,
            loc,
            children: Vec::new(),
        });
        id
    }

    fn combine_attr(&mut self, d: u32, node: NodeId) -> Option<Combine> {
        let v = self.attr(d, node, "combine")?;
        match trim_xml(&v) {
            "choice" => Some(Combine::Choice),
            "interleave" => Some(Combine::Interleave),
            other => {
                let l = self.attr_loc(d, node, "combine");
                self.err(
                    &l,
                    &SYNTAX_ATTRIBUTE,
                    format!(
                        "bad value \"{other}\" of \"combine\"; expected \"choice\" or \"interleave\""
                    ),
                );
                None
            }
        }
    }

    fn include(
        &mut self,
        node: NodeId,
        gram: GramId,
        ctx: Ctx,
        ov: Option<Rc<Overrides>>,
        later: &mut Vec<Task>,
    ) {
        let d = ctx.doc;
        let loc = self.loc(d, node);
        // The include's own components (through nested divs) override the included ones.
        let mut start = false;
        let mut start_loc = None;
        let mut names = HashSet::default();
        let mut locs = HashMap::default();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            for c in self.doc(d).node(n).element_children() {
                if c.tag_name().namespace != Some(RNG_NS) {
                    continue;
                }
                match c.tag_name().local {
                    "start" => {
                        start = true;
                        start_loc.get_or_insert_with(|| Loc {
                            file: self.docs[d as usize].file,
                            span: c.start_tag_range(),
                        });
                    }
                    "define" => {
                        if let Some(nm) = c.attribute(None, "name") {
                            let nm = trim_xml(nm).to_string();
                            locs.entry(nm.clone()).or_insert_with(|| Loc {
                                file: self.docs[d as usize].file,
                                span: c.start_tag_range(),
                            });
                            names.insert(nm);
                        }
                    }
                    "div" => stack.push(c.id()),
                    _ => {}
                }
            }
        }
        // The include element's children are components of this grammar.
        later.push(Task::GrammarContent {
            node,
            gram,
            ctx: ctx.clone(),
            ov: ov.clone(),
            in_include: true,
        });
        let Some(target) = self.resolve_href(d, node, &ctx) else {
            return;
        };
        let Some(doc) = self.follow(&target, &ctx, &loc) else {
            return;
        };
        let root = self.doc(doc).root_element();
        if !root.has_tag_name(Some(RNG_NS), "grammar") {
            let rl = self.loc(doc, root.id());
            let d2 = Diagnostic::error(
                &BAD_INCLUDE,
                "an included file must have a \"grammar\" element as its root",
            )
            .at(rl.file, rl.span)
            .also(Label::new(loc.file, loc.span.clone()).with_message("included here"));
            self.diags.push(d2);
            return;
        }
        let root = root.id();
        let level = Rc::new(Overrides {
            start,
            names,
            found_start: std::cell::Cell::new(false),
            found: std::cell::RefCell::new(HashSet::default()),
            parent: ov,
            loc: loc.clone(),
            locs,
            start_loc,
        });
        let chain = Rc::new(Chain {
            uri: target.clone(),
            depth: ctx.chain.depth + 1,
            parent: Some(ctx.chain.clone()),
        });
        let inner = Ctx {
            doc,
            ns: ctx.ns.clone(),
            dtlib: Rc::from(""),
            base: Rc::from(target.as_str()),
            grammar: Some(gram),
            chain,
        };
        let inner = self.enter(root, &inner, &[]);
        // `later` runs in order: the included content, then the check that every override
        // replaced something (tasks the content spawns run before that check too).
        later.push(Task::GrammarContent {
            node: root,
            gram,
            ctx: inner,
            ov: Some(level.clone()),
            in_include: false,
        });
        later.push(Task::FinishInclude(level));
    }

    fn finish_include(&mut self, ov: &Overrides) {
        if ov.start && !ov.found_start.get() {
            let l = ov.start_loc.clone().unwrap_or_else(|| ov.loc.clone());
            self.err(
                &l,
                &BAD_INCLUDE,
                "\"start\" in \"include\" does not override anything",
            );
        }
        let found = ov.found.borrow();
        let mut missing: Vec<&String> = ov.names.iter().filter(|n| !found.contains(*n)).collect();
        missing.sort();
        for n in missing {
            let l = ov.locs.get(n).cloned().unwrap_or_else(|| ov.loc.clone());
            self.err(
                &l,
                &BAD_INCLUDE,
                format!("definition of \"{n}\" in \"include\" does not override anything"),
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum K {
    AnyName,
    NsName,
    Choice,
    Except,
}

/// A frame of the iterative name-class parser.
struct NcFrame {
    kind: K,
    ctx: Ctx,
    kids: Vec<NodeId>,
    next: usize,
    results: Vec<NameClass>,
    /// 0 = free, 1 = inside anyName's except, 2 = inside nsName's except.
    restrict: u8,
}

fn nc_deliver(stack: &mut [NcFrame], result: &mut Option<NameClass>, nc: NameClass) {
    match stack.last_mut() {
        Some(f) => f.results.push(nc),
        None => *result = Some(nc),
    }
}

/// Flattens a list of name classes into one (choices merged).
fn flatten_choice(v: Vec<NameClass>) -> NameClass {
    let mut out = Vec::new();
    for nc in v {
        match nc {
            NameClass::Choice(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    if out.len() == 1 {
        out.pop().expect("one")
    } else {
        NameClass::Choice(out)
    }
}

/// RELAX NG elements that are patterns.
const PATTERNS: &[&str] = &[
    "element",
    "attribute",
    "group",
    "interleave",
    "choice",
    "optional",
    "zeroOrMore",
    "oneOrMore",
    "list",
    "mixed",
    "ref",
    "parentRef",
    "empty",
    "text",
    "value",
    "data",
    "notAllowed",
    "externalRef",
    "grammar",
];

/// The call site of the compact-syntax parser: `.rnc` text → the XML-syntax translation,
/// whose node spans point into `text` (so later diagnostics land in the `.rnc` file).
fn parse_compact(text: &str, file: FileId) -> Result<Document, Vec<Diagnostic>> {
    super::compact::parse(text, file)
}

/// Whether a URI names a compact-syntax file.
pub(crate) fn is_compact_name(uri: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    path.rsplit('/')
        .next()
        .is_some_and(|f| f.to_ascii_lowercase().ends_with(".rnc"))
}

/// A URI as shown in messages: the file name for `file:` URIs.
fn display_uri(u: &str) -> String {
    match u.rsplit('/').next() {
        Some(f) if !f.is_empty() => uri::percent_decode(f).unwrap_or_else(|| f.to_string()),
        _ => u.to_string(),
    }
}
