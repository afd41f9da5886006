//! The parser: tokens → XML fragments, following the BNF and translation of Appendix A.
//!
//! It is a recursive-descent parser whose functions mirror the non-terminals of the
//! specification (`innerPattern`, `particle`, `leadAnnotatedPrimary`, `innerNameClass`,
//! …) and compute the same values: each returns the RELAX NG elements its construct
//! translates to (a [`Seq`]), built in the [`Frag`] arena.
//!
//! Recursion depth is bounded: every construct that can nest (`(…)`, `{…}`, name classes,
//! annotation elements, grammars, divs) passes through [`Parser::enter`], which stops with
//! [`RNC_TOO_DEEP`](super::codes::RNC_TOO_DEEP) beyond [`MAX_NESTING`] levels, so hostile
//! input cannot exhaust the stack. The functions on the recursive paths are kept out of
//! line and move their error reporting into cold functions, so that their frames stay
//! small (about 4 KiB per level in a debug build, 1.5 KiB in release, so the limit fits
//! a standard 2 MiB thread stack).
//!
//! Syntax errors stop the parse (the first one is reported, as jing does); violations of
//! the specification's constraints (undeclared prefixes, duplicate declarations or
//! attributes, annotation rules, name-class excepts) are recorded and parsing continues,
//! so one run reports all of them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::codes::*;
use super::escape::Decoded;
use super::frag::{Attrs, ElemId, Frag, PoolStr, QName, Seq, Sym};
use super::lex::{Kind, Kw, Lexed, Token};
use super::{ANNOTATIONS_NS, RNG_NS, XSD_DATATYPES};
use crate::diag::{Code, Diagnostic, FileId, Label};
use crate::xml::{XML_NS, XMLNS_NS};

/// How deeply brackets, braces, parentheses, name classes and annotation elements may nest.
pub const MAX_NESTING: usize = 256;

/// A fatal (syntax) error has been recorded; unwind.
#[derive(Debug)]
pub(crate) struct Stop;

type PResult<T> = Result<T, Stop>;

/// A namespace binding: a URI (possibly empty; interned) or `inherit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NsVal {
    Uri(Sym),
    Inherit,
}

#[derive(Debug)]
struct NsDecl {
    prefix: String,
    val: NsVal,
    span: Range<usize>,
}

#[derive(Debug)]
struct DtDecl {
    uri: String,
    span: Range<usize>,
}

/// The environment of Appendix A: namespace and datatype prefixes, default namespace.
/// The compact syntax declares everything in the preamble, so one environment serves the
/// whole file.
#[derive(Debug)]
struct Env {
    ns: Vec<NsDecl>,
    /// Index into `ns` by prefix.
    ns_index: HashMap<String, usize>,
    default: Option<(NsVal, Range<usize>)>,
    datatypes: HashMap<String, DtDecl>,
    rng_ns: Sym,
    rng_prefix: Sym,
    compat_ns: Sym,
    compat_prefix: Sym,
    compat_used: bool,
    empty: Sym,
}

/// Initial annotations: attributes and elements waiting for the construct they annotate.
#[derive(Debug, Clone, Copy)]
struct Annos {
    attrs: Attrs,
    elems: Seq,
}

impl Annos {
    const EMPTY: Annos = Annos {
        attrs: Attrs::EMPTY,
        elems: Seq::EMPTY,
    };

    fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.elems.is_empty()
    }
}

/// A particle: a primary with its follow annotations, a repeated primary (whose outer
/// annotations apply to the repetition) with its follow annotations, or a data pattern
/// with an except.
enum Part {
    Plain(Seq),
    Repeated(ElemId, Seq),
    Except(Seq),
}

/// What a `-` after a datatype name may do here.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExceptCtx {
    /// First particle of a pattern: allowed.
    Allowed,
    /// A later particle of `|`, `,` or `&`: needs parentheses.
    InSequence,
    /// The body of another except: needs parentheses.
    InExcept,
}

/// Which name-class excepts enclose the current name class (RELAX NG §4.16).
#[derive(Clone, Copy, Default)]
struct NcCtx {
    in_any_except: bool,
    in_ns_except: bool,
}

/// An annotation attribute, checked, not yet on an element.
struct PendingAttr {
    name: QName,
    value: PoolStr,
    span: Range<usize>,
    value_span: Range<usize>,
}

pub(crate) struct Parser<'p> {
    dec: &'p Decoded<'p>,
    lx: &'p Lexed<'p>,
    pos: usize,
    file: FileId,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) frag: Frag,
    env: Env,
    depth: usize,
    source_len: usize,
}

fn describe_kind(k: Kind) -> &'static str {
    match k {
        Kind::Eof => "the end of the file",
        Kind::LBrace => "`{`",
        Kind::RBrace => "`}`",
        Kind::LParen => "`(`",
        Kind::RParen => "`)`",
        Kind::LBracket => "`[`",
        Kind::RBracket => "`]`",
        Kind::Eq => "`=`",
        Kind::ChoiceEq => "`|=`",
        Kind::InterleaveEq => "`&=`",
        Kind::Comma => "`,`",
        Kind::Amp => "`&`",
        Kind::Pipe => "`|`",
        Kind::Question => "`?`",
        Kind::Star => "`*`",
        Kind::Plus => "`+`",
        Kind::Minus => "`-`",
        Kind::Tilde => "`~`",
        Kind::Follow => "`>>`",
        Kind::Keyword(_) => "a keyword",
        Kind::Ident { .. } => "an identifier",
        Kind::CName { .. } => "a prefixed name",
        Kind::NsName => "a `prefix:*` name class",
        Kind::Literal => "a literal",
        Kind::Documentation => "a documentation comment (`##`)",
    }
}

fn is_name_token(k: Kind) -> bool {
    matches!(
        k,
        Kind::Ident { .. } | Kind::CName { .. } | Kind::Keyword(_)
    )
}

/// Whether `s` may be the value of a `datatypeLibrary` attribute: empty, or an absolute
/// URI without a fragment identifier (RELAX NG §3).
fn is_datatype_library(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !s.contains('#')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl<'p> Parser<'p> {
    pub(crate) fn new(
        dec: &'p Decoded<'p>,
        lx: &'p Lexed<'p>,
        file: FileId,
        source_len: usize,
    ) -> Self {
        let mut frag = Frag::with_capacity(lx.toks.len(), source_len);
        let empty = frag.sym("");
        let rng_ns = frag.sym(RNG_NS);
        let compat_ns = frag.sym(ANNOTATIONS_NS);
        Parser {
            dec,
            lx,
            pos: 0,
            file,
            diags: Vec::new(),
            frag,
            env: Env {
                ns: Vec::new(),
                ns_index: HashMap::new(),
                default: None,
                datatypes: HashMap::new(),
                rng_ns,
                rng_prefix: empty,
                compat_ns,
                compat_prefix: empty,
                compat_used: false,
                empty,
            },
            depth: 0,
            source_len,
        }
    }

    // ----- token access -------------------------------------------------------------

    fn peek(&self) -> &'p Token {
        &self.lx.toks[self.pos]
    }

    fn peek_kind(&self) -> Kind {
        self.lx.toks[self.pos].kind
    }

    fn nth_kind(&self, n: usize) -> Kind {
        self.kind_at(self.pos + n)
    }

    fn kind_at(&self, i: usize) -> Kind {
        self.lx.toks.get(i).map_or(Kind::Eof, |t| t.kind)
    }

    /// Consumes the current token and returns its kind, span and text.
    fn bump(&mut self) -> (Kind, Range<usize>, &'p str) {
        let lx = self.lx;
        let t = &lx.toks[self.pos];
        if t.kind != Kind::Eof {
            self.pos += 1;
        }
        (t.kind, t.span.clone(), lx.text(t))
    }

    /// End (decoded) of the last consumed token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.lx.toks[self.pos - 1].span.end
        }
    }

    fn describe(&self, t: &Token) -> String {
        let text = self.lx.text(t);
        match t.kind {
            Kind::Keyword(k) => format!("keyword `{}`", k.as_str()),
            Kind::Ident { quoted: false } => format!("identifier `{text}`"),
            Kind::Ident { quoted: true } => format!("identifier `\\{text}`"),
            Kind::CName { .. } => format!("name `{text}`"),
            Kind::NsName => format!("`{text}:*`"),
            Kind::Literal => {
                let mut s: String = text.chars().take(30).collect();
                if text.chars().count() > 30 {
                    s.push('…');
                }
                format!("literal {s:?}")
            }
            k => describe_kind(k).to_string(),
        }
    }

    /// " after `X`" for the previous token when it helps a message.
    fn after_prev(&self) -> String {
        if self.pos == 0 {
            return String::new();
        }
        match self.lx.toks[self.pos - 1].kind {
            Kind::Keyword(k) => format!(" after `{}`", k.as_str()),
            k @ (Kind::LBrace
            | Kind::LParen
            | Kind::LBracket
            | Kind::RBracket
            | Kind::Eq
            | Kind::ChoiceEq
            | Kind::InterleaveEq
            | Kind::Comma
            | Kind::Amp
            | Kind::Pipe
            | Kind::Minus
            | Kind::Tilde
            | Kind::Follow) => format!(" after {}", describe_kind(k)),
            _ => String::new(),
        }
    }

    // ----- diagnostics --------------------------------------------------------------

    fn src(&self, r: Range<usize>) -> Range<usize> {
        self.dec.source_range(r)
    }

    fn error(&mut self, code: &'static Code, span: Range<usize>, msg: impl Into<String>) {
        let span = self.src(span);
        self.diags
            .push(Diagnostic::error(code, msg).at(self.file, span));
    }

    fn fatal(&mut self, code: &'static Code, span: Range<usize>, msg: impl Into<String>) -> Stop {
        self.error(code, span, msg);
        Stop
    }

    fn fatal_help(
        &mut self,
        code: &'static Code,
        span: Range<usize>,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) -> Stop {
        let span = self.src(span);
        self.diags.push(
            Diagnostic::error(code, msg)
                .at(self.file, span)
                .with_help(help),
        );
        Stop
    }

    /// A syntax error at the current token: "expected {what}, found {token}".
    #[cold]
    #[inline(never)]
    fn unexpected(&mut self, what: &str) -> Stop {
        let t = self.peek();
        let msg = format!("expected {what}, found {}", self.describe(t));
        let span = t.span.clone();
        let prev = (self.pos > 0).then(|| self.lx.toks[self.pos - 1].kind);
        let help = match (prev, t.kind) {
            (_, Kind::Keyword(Kw::Namespace | Kw::Default | Kw::Datatypes)) => Some(
                "`namespace`, `default namespace` and `datatypes` declarations must come before everything else"
                    .to_string(),
            ),
            (_, Kind::Documentation) => Some(
                "`##` documentation comments may only come before a pattern, a name class, a definition or a parameter"
                    .to_string(),
            ),
            (Some(Kind::Keyword(k)), Kind::Eq | Kind::ChoiceEq | Kind::InterleaveEq) => Some(format!(
                "`{0}` is a keyword; to use it as the name of a definition, write `\\{0}`",
                k.as_str()
            )),
            _ => None,
        };
        match help {
            Some(h) => self.fatal_help(&RNC_SYNTAX, span, msg, h),
            None => self.fatal(&RNC_SYNTAX, span, msg),
        }
    }

    fn expect(&mut self, kind: Kind, what: &str) -> PResult<Range<usize>> {
        if self.peek_kind() == kind {
            Ok(self.bump().1)
        } else {
            Err(self.unexpected(what))
        }
    }

    /// Expects the bracket that closes the one opened at `open`.
    fn expect_close(&mut self, kind: Kind, open: Range<usize>) -> PResult<Range<usize>> {
        if self.peek_kind() == kind {
            return Ok(self.bump().1);
        }
        Err(self.unclosed(kind, open))
    }

    #[cold]
    #[inline(never)]
    fn unclosed(&mut self, kind: Kind, open: Range<usize>) -> Stop {
        let t = self.peek();
        let opener = match self.dec.text.as_bytes().get(open.start) {
            Some(b'(') => Kind::LParen,
            Some(b'[') => Kind::LBracket,
            _ => Kind::LBrace,
        };
        let msg = format!(
            "expected {} to close the {} opened here, found {}",
            describe_kind(kind),
            describe_kind(opener),
            self.describe(t)
        );
        let span = self.src(t.span.clone());
        let open = self.src(open);
        let starts_pattern = matches!(
            t.kind,
            Kind::Ident { .. } | Kind::CName { .. } | Kind::Literal | Kind::LParen
        ) || matches!(
            t.kind,
            Kind::Keyword(
                Kw::Element
                    | Kw::Attribute
                    | Kw::List
                    | Kw::Mixed
                    | Kw::Empty
                    | Kw::Text
                    | Kw::NotAllowed
                    | Kw::Grammar
                    | Kw::External
                    | Kw::Parent
                    | Kw::String
                    | Kw::Token
            )
        );
        let mut d = Diagnostic::error(&RNC_SYNTAX, msg)
            .at(self.file, span)
            .also(Label::new(self.file, open).with_message("opened here"));
        if starts_pattern && matches!(kind, Kind::RBrace | Kind::RParen) {
            d = d.with_help(
                "patterns are combined with `,` (in sequence), `|` (choice) or `&` (in any order)",
            );
        }
        self.diags.push(d);
        Stop
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.too_deep());
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self) -> Stop {
        let span = self.peek().span.clone();
        self.fatal(
            &RNC_TOO_DEEP,
            span,
            format!("the schema nests more than {MAX_NESTING} levels deep here"),
        )
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ----- building -----------------------------------------------------------------

    /// A new RELAX NG element spanning the decoded range `span`.
    fn rng(&mut self, local: &str, span: Range<usize>) -> ElemId {
        let span = self.src(span);
        self.rng_src(local, span)
    }

    /// A new RELAX NG element spanning a source range.
    fn rng_src(&mut self, local: &str, span: Range<usize>) -> ElemId {
        let name = QName {
            ns: Some(self.env.rng_ns),
            local: self.frag.sym(local),
            prefix: self.env.rng_prefix,
        };
        self.frag.elem(name, span)
    }

    /// Sets the end of an element's span (decoded offset).
    fn finish(&mut self, id: ElemId, end: usize) {
        let end = self.dec.source_offset(end);
        self.frag.set_end(id, end);
    }

    fn set_head_end(&mut self, id: ElemId, end: usize) {
        let end = self.dec.source_offset(end);
        self.frag.set_head_end(id, end);
    }

    /// Adds an unqualified attribute; `span` is decoded.
    fn attr(&mut self, id: ElemId, local: &str, value: &str, span: Range<usize>) {
        let value = self.frag.pool(value);
        self.attr_pooled(id, local, value, span);
    }

    fn attr_pooled(&mut self, id: ElemId, local: &str, value: PoolStr, span: Range<usize>) {
        let span = self.src(span);
        let name = QName {
            ns: None,
            local: self.frag.sym(local),
            prefix: self.env.empty,
        };
        let mut list = Attrs::EMPTY;
        self.frag
            .push_attr(&mut list, name, value, span.clone(), span);
        self.frag.add_attrs(id, list);
    }

    fn text(&mut self, id: ElemId, value: PoolStr, span: Range<usize>) {
        if self.frag.pool_str(value).is_empty() {
            return;
        }
        let span = self.src(span);
        self.frag.push_text(id, value, span);
    }

    fn one(&self, id: ElemId) -> Seq {
        self.frag.one(id)
    }

    fn is_rng(&self, id: ElemId, locals: &[&str]) -> bool {
        self.frag.name(id).is_some_and(|n| {
            n.ns == Some(self.env.rng_ns) && locals.contains(&self.frag.sym_str(n.local))
        })
    }

    /// `applyAnnotations`: attributes go on the element; elements become its first
    /// children, or its following siblings when it cannot have element children
    /// (`value`, `param`, `name`), as trang does and §5.1 says.
    fn apply(&mut self, a: Annos, id: ElemId) -> Seq {
        let one = self.one(id);
        if a.is_empty() {
            return one;
        }
        self.frag.add_attrs(id, a.attrs);
        if self.is_rng(id, &["value", "param", "name"]) {
            self.frag.concat(one, a.elems)
        } else {
            self.frag.prepend(id, a.elems);
            one
        }
    }

    /// `applyAnnotationsGroup` / `applyAnnotationsChoice`: wraps `xs` in `wrapper` only
    /// when there are annotations to put on it.
    fn apply_wrapped(&mut self, a: Annos, xs: Seq, wrapper: &str) -> Seq {
        if a.is_empty() {
            return xs;
        }
        let span = self.frag.seq_span(xs);
        let w = self.rng_src(wrapper, span);
        self.frag.append(w, xs);
        self.apply(a, w)
    }

    // ----- namespaces ---------------------------------------------------------------

    fn lookup_ns(&mut self, prefix: &str) -> Option<NsVal> {
        if let Some(&i) = self.env.ns_index.get(prefix) {
            return Some(self.env.ns[i].val);
        }
        (prefix == "xml").then(|| NsVal::Uri(self.frag.sym(XML_NS)))
    }

    /// Resolves a prefix used in a name; reports an undeclared prefix.
    fn resolve(&mut self, prefix: &str, span: Range<usize>) -> Option<NsVal> {
        let v = self.lookup_ns(prefix);
        if v.is_none() {
            let msg = if prefix == "xmlns" {
                "the prefix `xmlns` cannot be used in a compact-syntax schema".to_string()
            } else {
                format!(
                    "undeclared namespace prefix `{prefix}`: declare it with `namespace {prefix} = \"…\"`"
                )
            };
            self.error(&RNC_UNDECLARED_PREFIX, span, msg);
        }
        v
    }

    /// The namespace for unprefixed element names (`inherit` when none is declared).
    fn default_ns(&self) -> NsVal {
        self.env
            .default
            .as_ref()
            .map_or(NsVal::Inherit, |(v, _)| *v)
    }

    /// Adds an `ns` attribute for a namespace value, unless it is `inherit`.
    fn ns_attr(&mut self, el: ElemId, val: NsVal, span: Range<usize>) {
        if let NsVal::Uri(u) = val {
            let uri = self.frag.sym_str(u).to_string();
            self.attr(el, "ns", &uri, span);
        }
    }

    /// The root element's namespace declarations: the preamble's bindings to non-empty
    /// URIs (as §A's `element` function says), plus the prefixes chosen for the RELAX NG
    /// and annotation namespaces when the user did not bind them.
    pub(crate) fn root_ns_decls(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for d in &self.env.ns {
            if let NsVal::Uri(u) = d.val
                && !self.frag.sym_str(u).is_empty()
                && d.prefix != "xml"
                && seen.insert(&d.prefix)
            {
                out.push((d.prefix.clone(), self.frag.sym_str(u).to_string()));
            }
        }
        let rng_prefix = self.frag.sym_str(self.env.rng_prefix);
        if !seen.contains(rng_prefix) {
            out.push((rng_prefix.to_string(), RNG_NS.to_string()));
        }
        let compat_prefix = self.frag.sym_str(self.env.compat_prefix);
        if self.env.compat_used && !seen.contains(compat_prefix) {
            out.push((compat_prefix.to_string(), ANNOTATIONS_NS.to_string()));
        }
        out
    }

    fn prefix_taken(&self, p: &str) -> bool {
        p == "xml" || p == "xmlns" || self.env.ns_index.contains_key(p)
    }

    /// Picks the prefixes for RELAX NG elements and `a:documentation`.
    fn setup_prefixes(&mut self) {
        let bound_to = |env: &Env, uri: Sym| {
            env.ns
                .iter()
                .find(|d| d.val == NsVal::Uri(uri))
                .map(|d| d.prefix.clone())
        };
        let rng = match bound_to(&self.env, self.env.rng_ns) {
            Some(p) => p,
            None => {
                let mut p = "rng".to_string();
                let mut n = 1;
                while self.prefix_taken(&p) {
                    n += 1;
                    p = format!("rng{n}");
                }
                p
            }
        };
        let compat = match bound_to(&self.env, self.env.compat_ns) {
            Some(p) => p,
            None => {
                let mut p = "a".to_string();
                while self.prefix_taken(&p) || p == rng {
                    p.push('a');
                }
                p
            }
        };
        self.env.rng_prefix = self.frag.sym(&rng);
        self.env.compat_prefix = self.frag.sym(&compat);
    }

    // ----- top level ----------------------------------------------------------------

    /// `topLevel`: the preamble, then a grammar body or a single pattern.
    pub(crate) fn parse_top(&mut self) -> PResult<ElemId> {
        self.preamble()?;
        self.setup_prefixes();
        if self.top_is_grammar() {
            let members = self.grammar_body(false)?;
            if self.peek_kind() != Kind::Eof {
                let span = self.peek().span.clone();
                return Err(self.fatal(&RNC_SYNTAX, span, "unexpected `}`: no `{` is open here"));
            }
            let g = self.rng_src("grammar", 0..self.source_len);
            self.frag.set_head_end(g, 0);
            self.frag.append(g, members);
            return Ok(g);
        }
        let elems = self.pattern()?;
        if self.peek_kind() != Kind::Eof {
            return Err(self.unexpected(
                "`|`, `,`, `&`, `*`, `+`, `?`, `>>` or the end of the file after the top-level pattern",
            ));
        }
        let first = elems.first().expect("a pattern translates to an element");
        if let Some(second) = self.frag.next(first) {
            let extra = self.frag.span(second);
            self.diags.push(
                Diagnostic::error(
                    &RNC_SINGLE_ELEMENT,
                    "a schema that is a single pattern must translate to exactly one element, but this annotation element would be a second one beside it",
                )
                .at(self.file, extra)
                .with_help("move the annotation inside the pattern, or make the schema a grammar (`start = …`)"),
            );
            return Err(Stop);
        }
        Ok(first)
    }

    /// Whether the body after the preamble is a grammar (jing's lookahead: a definition,
    /// `start`, `div`, `include` or an annotation element, possibly after initial
    /// annotations) rather than a pattern. An empty body is an empty grammar.
    fn top_is_grammar(&self) -> bool {
        let assign = |k: Kind| matches!(k, Kind::Eq | Kind::ChoiceEq | Kind::InterleaveEq);
        let component = |i: usize| match self.kind_at(i) {
            Kind::Keyword(Kw::Start | Kw::Div | Kw::Include) => true,
            Kind::Ident { .. } => assign(self.kind_at(i + 1)),
            _ => false,
        };
        let i = self.pos;
        match self.kind_at(i) {
            Kind::Eof => return true,
            Kind::CName { .. } if self.kind_at(i + 1) == Kind::LBracket => return true,
            Kind::Ident { .. }
                if self.kind_at(i + 1) == Kind::LBracket || assign(self.kind_at(i + 1)) =>
            {
                return true;
            }
            _ => {}
        }
        let mut i = i;
        while self.kind_at(i) == Kind::Documentation {
            i += 1;
        }
        if self.kind_at(i) == Kind::LBracket {
            let mut depth = 0usize;
            loop {
                match self.kind_at(i) {
                    Kind::LBracket => depth += 1,
                    Kind::RBracket => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    Kind::Eof => return false,
                    _ => {}
                }
                i += 1;
            }
        }
        component(i)
    }

    fn preamble(&mut self) -> PResult<()> {
        loop {
            match self.peek_kind() {
                Kind::Keyword(Kw::Namespace) => {
                    self.bump();
                    let (prefix, pspan) =
                        self.identifier_or_keyword("a prefix after `namespace`")?;
                    self.expect(Kind::Eq, "`=` after the prefix")?;
                    let (val, vspan) = self.namespace_uri()?;
                    self.declare_ns(Some((prefix, pspan)), val, vspan);
                }
                Kind::Keyword(Kw::Default) => {
                    let (_, kspan, _) = self.bump();
                    self.expect(Kind::Keyword(Kw::Namespace), "`namespace` after `default`")?;
                    let prefix =
                        if matches!(self.peek_kind(), Kind::Ident { .. } | Kind::Keyword(_)) {
                            Some(self.identifier_or_keyword("a prefix")?)
                        } else {
                            None
                        };
                    self.expect(Kind::Eq, "`=` in the `default namespace` declaration")?;
                    let (val, vspan) = self.namespace_uri()?;
                    if let Some((_, first)) = &self.env.default {
                        let first = self.src(first.clone());
                        let here = self.src(kspan.clone());
                        self.diags.push(
                            Diagnostic::error(
                                &RNC_DECLARATION,
                                "the default namespace is declared twice",
                            )
                            .at(self.file, here)
                            .also(Label::new(self.file, first).with_message("first declared here")),
                        );
                    } else {
                        self.env.default = Some((val, kspan.start..vspan.end));
                    }
                    self.declare_ns(prefix, val, vspan);
                }
                Kind::Keyword(Kw::Datatypes) => {
                    self.bump();
                    let (prefix, pspan) =
                        self.identifier_or_keyword("a prefix after `datatypes`")?;
                    self.expect(Kind::Eq, "`=` after the prefix")?;
                    let (uri, uspan) = self.literal("the datatype library URI")?;
                    let uri = self.frag.pool_str(uri).to_string();
                    self.declare_datatypes(prefix, pspan, uri, uspan);
                }
                _ => return Ok(()),
            }
        }
    }

    fn namespace_uri(&mut self) -> PResult<(NsVal, Range<usize>)> {
        if self.peek_kind() == Kind::Keyword(Kw::Inherit) {
            let (_, span, _) = self.bump();
            return Ok((NsVal::Inherit, span));
        }
        if self.peek_kind() != Kind::Literal {
            return Err(self.unexpected("a namespace URI literal or `inherit`"));
        }
        let (v, span) = self.literal("a namespace URI")?;
        let uri = self.frag.pool_str(v).to_string();
        Ok((NsVal::Uri(self.frag.sym(&uri)), span))
    }

    fn declare_ns(
        &mut self,
        prefix: Option<(&str, Range<usize>)>,
        val: NsVal,
        vspan: Range<usize>,
    ) {
        let is_xml_uri = matches!(val, NsVal::Uri(u) if self.frag.sym_str(u) == XML_NS);
        let Some((prefix, pspan)) = prefix else {
            if is_xml_uri {
                self.error(
                    &RNC_DECLARATION,
                    vspan,
                    "the XML namespace cannot be the default namespace; it is bound to the prefix `xml`",
                );
            }
            return;
        };
        if prefix == "xmlns" {
            self.error(
                &RNC_DECLARATION,
                pspan,
                "the prefix `xmlns` cannot be declared",
            );
            return;
        }
        if prefix == "xml" {
            if !is_xml_uri {
                self.error(
                    &RNC_DECLARATION,
                    vspan,
                    format!("the prefix `xml` is bound to {XML_NS} and cannot be bound to another namespace"),
                );
                return;
            }
        } else if is_xml_uri {
            self.error(
                &RNC_DECLARATION,
                pspan,
                format!("the XML namespace ({XML_NS}) can only be bound to the prefix `xml`, not `{prefix}`"),
            );
            return;
        }
        if let Some(&i) = self.env.ns_index.get(prefix) {
            let first = self.src(self.env.ns[i].span.clone());
            let here = self.src(pspan);
            self.diags.push(
                Diagnostic::error(
                    &RNC_DECLARATION,
                    format!("the namespace prefix `{prefix}` is declared twice"),
                )
                .at(self.file, here)
                .also(Label::new(self.file, first).with_message("first declared here")),
            );
            return;
        }
        self.env
            .ns_index
            .insert(prefix.to_string(), self.env.ns.len());
        self.env.ns.push(NsDecl {
            prefix: prefix.to_string(),
            val,
            span: pspan,
        });
    }

    fn declare_datatypes(
        &mut self,
        prefix: &str,
        pspan: Range<usize>,
        uri: String,
        uspan: Range<usize>,
    ) {
        if let Some(first) = self.env.datatypes.get(prefix) {
            let first = self.src(first.span.clone());
            let here = self.src(pspan);
            self.diags.push(
                Diagnostic::error(
                    &RNC_DECLARATION,
                    format!("the datatypes prefix `{prefix}` is declared twice"),
                )
                .at(self.file, here)
                .also(Label::new(self.file, first).with_message("first declared here")),
            );
            return;
        }
        if prefix == "xsd" && uri != XSD_DATATYPES {
            self.error(
                &RNC_DECLARATION,
                uspan.clone(),
                format!("the datatypes prefix `xsd` is bound to {XSD_DATATYPES} and cannot be bound to another library"),
            );
        } else if !is_datatype_library(&uri) {
            self.error(
                &RNC_DECLARATION,
                uspan.clone(),
                format!("{uri:?} is not a valid datatype library URI: it must be empty or an absolute URI without a fragment (`#`)"),
            );
        }
        self.env
            .datatypes
            .insert(prefix.to_string(), DtDecl { uri, span: pspan });
    }

    fn lookup_datatypes(&mut self, prefix: &str, span: Range<usize>) -> String {
        if let Some(d) = self.env.datatypes.get(prefix) {
            return d.uri.clone();
        }
        if prefix == "xsd" {
            return XSD_DATATYPES.to_string();
        }
        self.error(
            &RNC_UNDECLARED_PREFIX,
            span,
            format!("undeclared datatypes prefix `{prefix}`: declare it with `datatypes {prefix} = \"…\"`"),
        );
        String::new()
    }

    // ----- names and literals -------------------------------------------------------

    /// `identifierOrKeyword`.
    fn identifier_or_keyword(&mut self, what: &str) -> PResult<(&'p str, Range<usize>)> {
        match self.peek_kind() {
            Kind::Ident { .. } | Kind::Keyword(_) => {
                let (_, span, text) = self.bump();
                Ok((text, span))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// `literal`: one or more segments joined by `~`. Returns the value (in the pool)
    /// and decoded span.
    fn literal(&mut self, what: &str) -> PResult<(PoolStr, Range<usize>)> {
        if self.peek_kind() != Kind::Literal {
            return Err(self.unexpected(what));
        }
        let (_, span, text) = self.bump();
        let mut value = self.frag.pool(text);
        let mut end = span.end;
        while self.peek_kind() == Kind::Tilde {
            self.bump();
            if self.peek_kind() != Kind::Literal {
                return Err(self.unexpected("a literal after `~`"));
            }
            let (_, s, t) = self.bump();
            value = self.frag.pool_extend(value, t);
            end = s.end;
        }
        Ok((value, span.start..end))
    }

    /// An `href`: checks the "any URI" constraint (no fragment identifier).
    fn href(&mut self, el: ElemId, what: &str) -> PResult<()> {
        let (v, span) = self.literal(what)?;
        let value = self.frag.pool_str(v);
        if value.contains('#') {
            let msg = format!(
                "{value:?} has a fragment identifier (`#…`), which `include` and `external` do not allow"
            );
            self.error(&RNC_HREF, span.clone(), msg);
        }
        self.attr_pooled(el, "href", v, span);
        Ok(())
    }

    /// `optInherit`: an `ns` attribute for the referenced schema.
    fn opt_inherit(&mut self, el: ElemId, kw_span: Range<usize>) -> PResult<()> {
        let (val, span) = if self.peek_kind() == Kind::Keyword(Kw::Inherit) {
            self.bump();
            self.expect(Kind::Eq, "`=` after `inherit`")?;
            let (prefix, pspan) =
                self.identifier_or_keyword("a namespace prefix after `inherit =`")?;
            match self.resolve(prefix, pspan.clone()) {
                Some(v) => (v, pspan),
                None => return Ok(()),
            }
        } else {
            (self.default_ns(), kw_span)
        };
        self.ns_attr(el, val, span);
        Ok(())
    }

    // ----- grammar ------------------------------------------------------------------

    /// `grammar` / `includeBody`: members up to `}` or the end of the file.
    #[inline(never)]
    fn grammar_body(&mut self, in_include: bool) -> PResult<Seq> {
        let mut out = Seq::EMPTY;
        loop {
            let one = match self.peek_kind() {
                Kind::RBrace | Kind::Eof => return Ok(out),
                Kind::Ident { .. } | Kind::CName { .. } if self.nth_kind(1) == Kind::LBracket => {
                    let e = self.annotation_element(false)?;
                    self.one(e)
                }
                _ => {
                    let annos = self.annotations()?;
                    let comp = match self.peek_kind() {
                        Kind::Keyword(Kw::Start) => self.definition(true)?,
                        Kind::Ident { .. } => self.definition(false)?,
                        Kind::Keyword(Kw::Div) => self.div(in_include)?,
                        Kind::Keyword(Kw::Include) if !in_include => self.include()?,
                        _ => return Err(self.expected_component(in_include, annos)),
                    };
                    self.apply(annos, comp)
                }
            };
            out = self.frag.concat(out, one);
        }
    }

    #[cold]
    #[inline(never)]
    fn expected_component(&mut self, in_include: bool, annos: Annos) -> Stop {
        let t = self.peek();
        match t.kind {
            Kind::Keyword(Kw::Include) => {
                let span = t.span.clone();
                self.fatal(
                    &RNC_SYNTAX,
                    span,
                    "an `include` cannot contain another `include`",
                )
            }
            Kind::Keyword(k)
                if !matches!(k, Kw::Namespace | Kw::Default | Kw::Datatypes)
                    && self.nth_kind(1) == Kind::LBracket =>
            {
                let span = t.span.clone();
                self.fatal_help(
                    &RNC_SYNTAX,
                    span,
                    format!("expected a definition, found keyword `{}`", k.as_str()),
                    format!(
                        "an annotation element named like a keyword must be quoted: `\\{} [ … ]`",
                        k.as_str()
                    ),
                )
            }
            _ if !annos.is_empty() => self.unexpected(if in_include {
                "a definition (`name = …`), `start` or `div` after the annotations (they must annotate something)"
            } else {
                "a definition (`name = …`), `start`, `div` or `include` after the annotations (they must annotate something)"
            }),
            _ => self.unexpected(if in_include {
                "a definition (`name = …`), `start` or `div`"
            } else {
                "a definition (`name = …`), `start`, `div`, `include` or an annotation element"
            }),
        }
    }

    fn assign_op(&mut self, el: ElemId) -> PResult<()> {
        let combine = match self.peek_kind() {
            Kind::Eq => None,
            Kind::ChoiceEq => Some("choice"),
            Kind::InterleaveEq => Some("interleave"),
            _ => return Err(self.unexpected("`=`, `|=` or `&=` after the name of the definition")),
        };
        let (_, span, _) = self.bump();
        if let Some(c) = combine {
            self.attr(el, "combine", c, span);
        }
        Ok(())
    }

    /// `start` or `define`.
    #[inline(never)]
    fn definition(&mut self, is_start: bool) -> PResult<ElemId> {
        let (_, span, text) = self.bump();
        let el = if is_start {
            self.rng("start", span)
        } else {
            let d = self.rng("define", span.clone());
            self.attr(d, "name", text, span);
            d
        };
        self.assign_op(el)?;
        self.set_head_end(el, self.prev_end());
        let body = self.pattern()?;
        self.frag.append(el, body);
        self.finish(el, self.prev_end());
        Ok(el)
    }

    #[inline(never)]
    fn div(&mut self, in_include: bool) -> PResult<ElemId> {
        let (_, span, _) = self.bump();
        let el = self.rng("div", span);
        let open = self.expect(Kind::LBrace, "`{` after `div`")?;
        self.set_head_end(el, open.end);
        self.enter()?;
        let body = self.grammar_body(in_include)?;
        self.leave();
        self.frag.append(el, body);
        self.expect_close(Kind::RBrace, open)?;
        self.finish(el, self.prev_end());
        Ok(el)
    }

    #[inline(never)]
    fn include(&mut self) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let el = self.rng("include", kspan.clone());
        self.href(el, "the URI of the included schema after `include`")?;
        self.opt_inherit(el, kspan)?;
        self.set_head_end(el, self.prev_end());
        if self.peek_kind() == Kind::LBrace {
            let (_, open, _) = self.bump();
            self.enter()?;
            let body = self.grammar_body(true)?;
            self.leave();
            self.frag.append(el, body);
            self.expect_close(Kind::RBrace, open)?;
        }
        self.finish(el, self.prev_end());
        Ok(el)
    }

    // ----- patterns -----------------------------------------------------------------

    fn pattern(&mut self) -> PResult<Seq> {
        self.inner_pattern(Annos::EMPTY)
    }

    /// `innerPattern(anno)`.
    fn inner_pattern(&mut self, anno: Annos) -> PResult<Seq> {
        self.enter()?;
        let r = self.inner_pattern_body(anno);
        self.leave();
        r
    }

    #[inline(never)]
    fn inner_pattern_body(&mut self, anno: Annos) -> PResult<Seq> {
        let start = self.peek().span.start;
        let first = self.particle(ExceptCtx::Allowed)?;
        let (name, op) = match self.peek_kind() {
            Kind::Pipe => ("choice", Kind::Pipe),
            Kind::Comma => ("group", Kind::Comma),
            Kind::Amp => ("interleave", Kind::Amp),
            _ => {
                return Ok(match first {
                    Part::Plain(xs) | Part::Except(xs) => self.apply_wrapped(anno, xs, "group"),
                    Part::Repeated(x, follow) => {
                        let v = self.apply(anno, x);
                        self.frag.concat(v, follow)
                    }
                });
            }
        };
        let mut items = match first {
            Part::Except(_) => return Err(self.err_except_combined(op)),
            p => self.part_seq(p),
        };
        loop {
            let k = self.peek_kind();
            if !matches!(k, Kind::Pipe | Kind::Comma | Kind::Amp) {
                break;
            }
            if k != op {
                return Err(self.err_mixed_operators(op, k));
            }
            self.bump();
            let p = self.particle(ExceptCtx::InSequence)?;
            let p = self.part_seq(p);
            items = self.frag.concat(items, p);
        }
        let end = self.prev_end();
        let c = self.rng(name, start..end);
        self.frag.append(c, items);
        Ok(self.apply(anno, c))
    }

    fn part_seq(&mut self, p: Part) -> Seq {
        match p {
            Part::Plain(v) | Part::Except(v) => v,
            Part::Repeated(x, follow) => {
                let one = self.one(x);
                self.frag.concat(one, follow)
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn err_except_combined(&mut self, op: Kind) -> Stop {
        let span = self.peek().span.clone();
        self.fatal_help(
            &RNC_MIXED_OPERATORS,
            span,
            format!(
                "a pattern with an except (`-`) cannot be combined with {} without parentheses",
                describe_kind(op)
            ),
            "put the except in parentheses: `(xsd:string - \"x\") | …`",
        )
    }

    #[cold]
    #[inline(never)]
    fn err_mixed_operators(&mut self, op: Kind, k: Kind) -> Stop {
        let span = self.peek().span.clone();
        let (a, b) = (describe_kind(op), describe_kind(k));
        self.fatal_help(
            &RNC_MIXED_OPERATORS,
            span,
            format!(
                "{b} cannot follow {a} without parentheses: the compact syntax has no operator precedence"
            ),
            format!(
                "group explicitly, e.g. `(x {0} y) {1} z` or `x {0} (y {1} z)`",
                &a[1..a.len() - 1],
                &b[1..b.len() - 1]
            ),
        )
    }

    #[cold]
    #[inline(never)]
    fn err_except_repeated(&mut self) -> Stop {
        let span = self.peek().span.clone();
        let k = describe_kind(self.peek_kind());
        self.fatal_help(
            &RNC_MIXED_OPERATORS,
            span,
            format!("{k} cannot apply to a pattern with an except (`-`) without parentheses"),
            format!(
                "put the except in parentheses: `(xsd:string - \"x\"){}`",
                &k[1..k.len() - 1]
            ),
        )
    }

    /// `particle`, or `annotatedDataExcept` when `ctx` allows it.
    #[inline(never)]
    fn particle(&mut self, ctx: ExceptCtx) -> PResult<Part> {
        let start = self.peek().span.start;
        let (lead, is_except) = self.lead_annotated_primary(ctx)?;
        let follow = self.follow_annotations()?;
        let lead = self.frag.concat(lead, follow);
        let repeat = match self.peek_kind() {
            Kind::Star => "zeroOrMore",
            Kind::Plus => "oneOrMore",
            Kind::Question => "optional",
            _ if is_except => return Ok(Part::Except(lead)),
            _ => return Ok(Part::Plain(lead)),
        };
        if is_except {
            return Err(self.err_except_repeated());
        }
        let (_, op, _) = self.bump();
        let r = self.rng(repeat, start..op.end);
        self.set_head_end(r, start);
        self.frag.append(r, lead);
        let follow = self.follow_annotations()?;
        Ok(Part::Repeated(r, follow))
    }

    /// `leadAnnotatedPrimary` (or `leadAnnotatedDataExcept`): returns the elements and
    /// whether they are a data pattern with an except.
    #[inline(never)]
    fn lead_annotated_primary(&mut self, ctx: ExceptCtx) -> PResult<(Seq, bool)> {
        let anno = self.annotations()?;
        match self.peek_kind() {
            Kind::LParen => {
                let (_, open, _) = self.bump();
                let v = self.inner_pattern(anno)?;
                self.expect_close(Kind::RParen, open)?;
                Ok((v, false))
            }
            Kind::CName { .. } | Kind::Keyword(Kw::String | Kw::Token) => {
                self.datatype_pattern(anno, ctx)
            }
            _ => {
                let p = self.primary()?;
                Ok((self.apply(anno, p), false))
            }
        }
    }

    /// A pattern starting with a datatype name: a typed value, a data pattern, or a data
    /// pattern with an except.
    #[inline(never)]
    fn datatype_pattern(&mut self, anno: Annos, ctx: ExceptCtx) -> PResult<(Seq, bool)> {
        let (kind, tspan, text) = self.bump();
        let (lib, ty) = match kind {
            Kind::CName { colon } => {
                let (prefix, local) = text.split_at(colon as usize);
                (self.lookup_datatypes(prefix, tspan.clone()), &local[1..])
            }
            _ => (String::new(), text),
        };
        if self.peek_kind() == Kind::Literal {
            let (value, vspan) = self.literal("a value")?;
            let v = self.rng("value", tspan.start..vspan.end);
            self.set_head_end(v, tspan.end);
            self.attr(v, "type", ty, tspan.clone());
            self.attr(v, "datatypeLibrary", &lib, tspan);
            self.text(v, value, vspan);
            return Ok((self.apply(anno, v), false));
        }
        let d = self.rng("data", tspan.clone());
        self.attr(d, "type", ty, tspan.clone());
        self.attr(d, "datatypeLibrary", &lib, tspan);
        if self.peek_kind() == Kind::LBrace {
            let (_, open, _) = self.bump();
            self.set_head_end(d, open.end);
            while !matches!(self.peek_kind(), Kind::RBrace | Kind::Eof) {
                let p = self.param()?;
                self.frag.append(d, p);
            }
            self.expect_close(Kind::RBrace, open)?;
        }
        if self.peek_kind() != Kind::Minus {
            self.finish(d, self.prev_end());
            return Ok((self.apply(anno, d), false));
        }
        let mspan = self.peek().span.clone();
        if ctx != ExceptCtx::Allowed {
            return Err(self.err_nested_except(ctx, mspan));
        }
        self.bump();
        // No `enter` here: an except body cannot have an except of its own, so it nests
        // only through parentheses, which `inner_pattern` counts.
        let (z, _) = self.lead_annotated_primary(ExceptCtx::InExcept)?;
        let ex = self.rng("except", mspan.start..self.prev_end());
        self.set_head_end(ex, mspan.end);
        self.frag.append(ex, z);
        let ex = self.one(ex);
        self.frag.append(d, ex);
        self.finish(d, self.prev_end());
        Ok((self.apply(anno, d), true))
    }

    #[cold]
    #[inline(never)]
    fn err_nested_except(&mut self, ctx: ExceptCtx, mspan: Range<usize>) -> Stop {
        if ctx == ExceptCtx::InSequence {
            self.fatal_help(
                &RNC_MIXED_OPERATORS,
                mspan,
                "a pattern with an except (`-`) cannot be an operand of `|`, `,` or `&` without parentheses",
                "put the except in parentheses: `… | (xsd:string - \"x\")`",
            )
        } else {
            self.fatal_help(
                &RNC_MIXED_OPERATORS,
                mspan,
                "an except pattern cannot itself have an except without parentheses",
                "write `a - (b - c)`",
            )
        }
    }

    /// `param`.
    #[inline(never)]
    fn param(&mut self) -> PResult<Seq> {
        let anno = self.annotations()?;
        let (name, nspan) = self.identifier_or_keyword("a parameter name or `}`")?;
        self.expect(Kind::Eq, "`=` after the parameter name")?;
        let (value, vspan) = self.literal("the parameter value (a literal)")?;
        let p = self.rng("param", nspan.start..vspan.end);
        self.set_head_end(p, nspan.end);
        self.attr(p, "name", name, nspan);
        self.text(p, value, vspan);
        Ok(self.apply(anno, p))
    }

    /// `primary` (other than the datatype forms). Each form has its own out-of-line
    /// function so that the recursion through `element { … }` keeps small frames.
    #[inline(never)]
    fn primary(&mut self) -> PResult<ElemId> {
        match self.peek_kind() {
            Kind::Keyword(kw @ (Kw::Element | Kw::Attribute)) => self.element_pattern(kw),
            Kind::Keyword(kw @ (Kw::Mixed | Kw::List)) => self.wrapper_pattern(kw),
            Kind::Keyword(Kw::Grammar) => self.grammar_pattern(),
            Kind::Keyword(Kw::External) => self.external_pattern(),
            Kind::Keyword(Kw::Parent) => self.parent_ref(),
            Kind::Literal => self.value_pattern(),
            Kind::Keyword(kw @ (Kw::Empty | Kw::NotAllowed | Kw::Text)) => {
                let (_, span, _) = self.bump();
                Ok(self.rng(kw.as_str(), span))
            }
            Kind::Ident { .. } => {
                let (_, span, name) = self.bump();
                let r = self.rng("ref", span.clone());
                self.attr(r, "name", name, span);
                Ok(r)
            }
            _ => Err(self.expected_pattern()),
        }
    }

    #[cold]
    #[inline(never)]
    fn expected_pattern(&mut self) -> Stop {
        let after = self.after_prev();
        self.unexpected(&format!("a pattern{after}"))
    }

    #[cold]
    #[inline(never)]
    fn expected_open_brace(&mut self, kw: Kw, after_name_class: bool) -> Stop {
        let what = if after_name_class {
            format!("`{{` after the name class of `{}`", kw.as_str())
        } else {
            format!("`{{` after `{}`", kw.as_str())
        };
        self.unexpected(&what)
    }

    /// `element nc { p }` and `attribute nc { p }`.
    #[inline(never)]
    fn element_pattern(&mut self, kw: Kw) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let el = self.rng(kw.as_str(), kspan);
        let nc = self.name_class(kw == Kw::Element)?;
        if self.peek_kind() != Kind::LBrace {
            return Err(self.expected_open_brace(kw, true));
        }
        let (_, open, _) = self.bump();
        self.set_head_end(el, open.end);
        self.frag.append(el, nc);
        let body = self.pattern()?;
        self.frag.append(el, body);
        self.expect_close(Kind::RBrace, open)?;
        self.finish(el, self.prev_end());
        Ok(el)
    }

    /// `mixed { p }` and `list { p }`.
    #[inline(never)]
    fn wrapper_pattern(&mut self, kw: Kw) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let el = self.rng(kw.as_str(), kspan);
        if self.peek_kind() != Kind::LBrace {
            return Err(self.expected_open_brace(kw, false));
        }
        let (_, open, _) = self.bump();
        self.set_head_end(el, open.end);
        let body = self.pattern()?;
        self.frag.append(el, body);
        self.expect_close(Kind::RBrace, open)?;
        self.finish(el, self.prev_end());
        Ok(el)
    }

    /// `grammar { … }`.
    #[inline(never)]
    fn grammar_pattern(&mut self) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let g = self.rng("grammar", kspan);
        let open = self.expect(Kind::LBrace, "`{` after `grammar`")?;
        self.set_head_end(g, open.end);
        self.enter()?;
        let body = self.grammar_body(false)?;
        self.leave();
        self.frag.append(g, body);
        self.expect_close(Kind::RBrace, open)?;
        self.finish(g, self.prev_end());
        Ok(g)
    }

    /// `external "uri" inherit = p`.
    #[inline(never)]
    fn external_pattern(&mut self) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let el = self.rng("externalRef", kspan.clone());
        self.href(el, "the URI of the external schema after `external`")?;
        self.opt_inherit(el, kspan)?;
        self.finish(el, self.prev_end());
        Ok(el)
    }

    /// `parent name`.
    #[inline(never)]
    fn parent_ref(&mut self) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        if !matches!(self.peek_kind(), Kind::Ident { .. }) {
            return Err(self.unexpected("the name of a definition after `parent`"));
        }
        let (_, span, name) = self.bump();
        let r = self.rng("parentRef", kspan.start..span.end);
        self.attr(r, "name", name, span);
        Ok(r)
    }

    /// An untyped value.
    #[inline(never)]
    fn value_pattern(&mut self) -> PResult<ElemId> {
        let (value, span) = self.literal("a value")?;
        let v = self.rng("value", span.clone());
        self.text(v, value, span);
        Ok(v)
    }

    // ----- name classes -------------------------------------------------------------

    fn name_class(&mut self, is_elem: bool) -> PResult<Seq> {
        self.inner_name_class(is_elem, Annos::EMPTY, NcCtx::default())
    }

    /// `innerNameClass(anno)`.
    fn inner_name_class(&mut self, is_elem: bool, anno: Annos, ctx: NcCtx) -> PResult<Seq> {
        self.enter()?;
        let r = self.inner_name_class_body(is_elem, anno, ctx);
        self.leave();
        r
    }

    #[inline(never)]
    fn inner_name_class_body(&mut self, is_elem: bool, anno: Annos, ctx: NcCtx) -> PResult<Seq> {
        let start = self.peek().span.start;
        let (first, is_except) = self.name_class_item(is_elem, ctx, true)?;
        if self.peek_kind() != Kind::Pipe {
            return Ok(self.apply_wrapped(anno, first, "choice"));
        }
        if is_except {
            let span = self.peek().span.clone();
            return Err(self.fatal_help(
                &RNC_MIXED_OPERATORS,
                span,
                "a name class with an except (`-`) cannot be combined with `|` without parentheses",
                "write `(* - a) | b` or `* - (a | b)`",
            ));
        }
        let mut items = first;
        while self.peek_kind() == Kind::Pipe {
            self.bump();
            let (v, _) = self.name_class_item(is_elem, ctx, false)?;
            items = self.frag.concat(items, v);
        }
        let c = self.rng("choice", start..self.prev_end());
        self.frag.append(c, items);
        Ok(self.apply(anno, c))
    }

    /// One operand of a name-class choice (`annotatedSimpleNameClass`), or, when
    /// `allow_except`, an `annotatedExceptNameClass`.
    #[inline(never)]
    fn name_class_item(
        &mut self,
        is_elem: bool,
        ctx: NcCtx,
        allow_except: bool,
    ) -> PResult<(Seq, bool)> {
        let anno = self.annotations()?;
        if self.peek_kind() == Kind::LParen {
            let (_, open, _) = self.bump();
            let v = self.inner_name_class(is_elem, anno, ctx)?;
            self.expect_close(Kind::RParen, open)?;
            let follow = self.follow_annotations()?;
            return Ok((self.frag.concat(v, follow), false));
        }
        let kind = self.peek_kind();
        let el = self.simple_name_class(is_elem, ctx)?;
        let mut is_except = false;
        if matches!(kind, Kind::Star | Kind::NsName) && self.peek_kind() == Kind::Minus {
            let (_, mspan, _) = self.bump();
            if !allow_except {
                return Err(self.fatal_help(
                    &RNC_MIXED_OPERATORS,
                    mspan,
                    "a name class with an except (`-`) cannot be an operand of `|` without parentheses",
                    "write `a | (* - b)`",
                ));
            }
            let inner = if kind == Kind::Star {
                NcCtx {
                    in_any_except: true,
                    ..ctx
                }
            } else {
                NcCtx {
                    in_ns_except: true,
                    ..ctx
                }
            };
            let z = self.lead_simple_name_class(is_elem, inner)?;
            let ex = self.rng("except", mspan.start..self.prev_end());
            self.set_head_end(ex, mspan.end);
            self.frag.append(ex, z);
            let ex = self.one(ex);
            self.frag.append(el, ex);
            self.finish(el, self.prev_end());
            is_except = true;
        }
        let v = self.apply(anno, el);
        let follow = self.follow_annotations()?;
        Ok((self.frag.concat(v, follow), is_except))
    }

    /// `leadAnnotatedSimpleNameClass`: the body of a name-class except.
    #[inline(never)]
    fn lead_simple_name_class(&mut self, is_elem: bool, ctx: NcCtx) -> PResult<Seq> {
        let anno = self.annotations()?;
        let v = if self.peek_kind() == Kind::LParen {
            let (_, open, _) = self.bump();
            let v = self.inner_name_class(is_elem, anno, ctx)?;
            self.expect_close(Kind::RParen, open)?;
            v
        } else {
            let el = self.simple_name_class(is_elem, ctx)?;
            self.apply(anno, el)
        };
        if self.peek_kind() == Kind::Minus {
            let span = self.peek().span.clone();
            return Err(self.fatal_help(
                &RNC_MIXED_OPERATORS,
                span,
                "an except (`-`) cannot follow another except without parentheses",
                "write `* - (a:* - a:b)`",
            ));
        }
        Ok(v)
    }

    /// `simpleNameClass`: a name, `prefix:*` or `*` (without its except).
    #[inline(never)]
    fn simple_name_class(&mut self, is_elem: bool, ctx: NcCtx) -> PResult<ElemId> {
        match self.peek_kind() {
            Kind::Star => {
                let (_, span, _) = self.bump();
                if ctx.in_any_except || ctx.in_ns_except {
                    let owner = if ctx.in_ns_except {
                        "`prefix:*`"
                    } else {
                        "`*`"
                    };
                    self.error(
                        &RNC_NAME_CLASS_EXCEPT,
                        span.clone(),
                        format!("`*` cannot appear in the except of {owner}: it would exclude every name"),
                    );
                }
                Ok(self.rng("anyName", span))
            }
            Kind::NsName => {
                let (_, span, prefix) = self.bump();
                if ctx.in_ns_except {
                    self.error(
                        &RNC_NAME_CLASS_EXCEPT,
                        span.clone(),
                        format!("`{prefix}:*` cannot appear in the except of another `prefix:*`"),
                    );
                }
                let el = self.rng("nsName", span.clone());
                if let Some(v) = self.resolve(prefix, span.clone()) {
                    self.ns_attr(el, v, span);
                }
                Ok(el)
            }
            Kind::CName { colon } => {
                let (_, span, text) = self.bump();
                let (prefix, local) = text.split_at(colon as usize);
                let el = self.rng("name", span.clone());
                if let Some(v) = self.resolve(prefix, span.clone()) {
                    self.ns_attr(el, v, span.clone());
                }
                let local = self.frag.pool(&local[1..]);
                let lstart = span.start + colon as usize + 1;
                self.text(el, local, lstart..span.end);
                Ok(el)
            }
            Kind::Ident { .. } | Kind::Keyword(_) => {
                let (_, span, text) = self.bump();
                let el = self.rng("name", span.clone());
                let ns = if is_elem {
                    self.default_ns()
                } else {
                    NsVal::Uri(self.env.empty)
                };
                self.ns_attr(el, ns, span.clone());
                let local = self.frag.pool(text);
                self.text(el, local, span);
                Ok(el)
            }
            _ => {
                let after = self.after_prev();
                Err(self.unexpected(&format!(
                    "a name class (a name, `prefix:*`, `*` or `(`){after}"
                )))
            }
        }
    }

    // ----- annotations --------------------------------------------------------------

    /// `annotations`: `##` documentation, then optionally `[ attributes elements ]`.
    #[inline(never)]
    fn annotations(&mut self) -> PResult<Annos> {
        let mut a = Annos::EMPTY;
        while self.peek_kind() == Kind::Documentation {
            let (_, span, text) = self.bump();
            let d = self.documentation(text, span);
            let d = self.one(d);
            a.elems = self.frag.concat(a.elems, d);
        }
        if self.peek_kind() != Kind::LBracket {
            return Ok(a);
        }
        let (_, open, _) = self.bump();
        let mut seen = HashMap::new();
        while is_name_token(self.peek_kind()) && self.nth_kind(1) == Kind::Eq {
            if let Some(attr) = self.annotation_attribute(false)? {
                self.add_unique(&mut a.attrs, &mut seen, attr);
            }
        }
        while is_name_token(self.peek_kind()) {
            let e = self.annotation_element(false)?;
            let e = self.one(e);
            a.elems = self.frag.concat(a.elems, e);
        }
        if self.peek_kind() != Kind::RBracket {
            let what = if self.peek_kind() == Kind::Eq {
                "`]` (annotation attributes must come before annotation elements)"
            } else {
                "an annotation attribute (`prefix:name = \"…\"`), an annotation element (`name [ … ]`) or `]`"
            };
            return Err(self.unexpected(what));
        }
        self.expect_close(Kind::RBracket, open)?;
        if self.peek_kind() == Kind::Documentation {
            let span = self.peek().span.clone();
            return Err(self.fatal(
                &RNC_ANNOTATION,
                span,
                "`##` documentation must come before the `[…]` annotation it goes with, not after it",
            ));
        }
        Ok(a)
    }

    /// An `a:documentation` element.
    fn documentation(&mut self, text: &str, span: Range<usize>) -> ElemId {
        self.env.compat_used = true;
        let name = QName {
            ns: Some(self.env.compat_ns),
            local: self.frag.sym("documentation"),
            prefix: self.env.compat_prefix,
        };
        let s = self.src(span.clone());
        let d = self.frag.elem(name, s);
        let text = self.frag.pool(text);
        self.text(d, text, span);
        d
    }

    /// Adds `attr` to `attrs` unless an attribute with the same expanded name is there
    /// already, which is reported. `seen` maps expanded names to where they were given.
    fn add_unique(
        &mut self,
        attrs: &mut Attrs,
        seen: &mut HashMap<(Option<Sym>, Sym), Range<usize>>,
        attr: PendingAttr,
    ) {
        let key = (attr.name.ns, attr.name.local);
        if let Some(first) = seen.get(&key) {
            let local = self.frag.sym_str(attr.name.local);
            let shown = match attr.name.ns {
                Some(ns) => format!("{{{}}}{local}", self.frag.sym_str(ns)),
                None => local.to_string(),
            };
            self.diags.push(
                Diagnostic::error(
                    &RNC_ANNOTATION,
                    format!("the attribute {shown} is given twice"),
                )
                .at(self.file, attr.span)
                .also(Label::new(self.file, first.clone()).with_message("first given here")),
            );
            return;
        }
        self.frag.push_attr(
            attrs,
            attr.name,
            attr.value,
            attr.span.clone(),
            attr.value_span,
        );
        seen.insert(key, attr.span);
    }

    /// `name = literal` inside `[…]`. Initial annotations (`nested == false`) need a
    /// prefixed name in a namespace other than RELAX NG's. Returns `None` after reporting a
    /// constraint violation.
    #[inline(never)]
    fn annotation_attribute(&mut self, nested: bool) -> PResult<Option<PendingAttr>> {
        let (kind, span, text) = self.bump();
        self.bump(); // `=`
        let (value, vspan) = self.literal("a literal (the attribute's value) after `=`")?;
        let (ns, prefix, local): (Option<Sym>, &str, &str) = match kind {
            Kind::CName { colon } => {
                let (prefix, local) = text.split_at(colon as usize);
                let local = &local[1..];
                let u = match self.resolve(prefix, span.clone()) {
                    None => return Ok(None),
                    Some(NsVal::Inherit) => {
                        self.error(
                            &RNC_ANNOTATION,
                            span,
                            format!("the prefix `{prefix}` is bound to `inherit` and cannot be used in an annotation"),
                        );
                        return Ok(None);
                    }
                    Some(NsVal::Uri(u)) => u,
                };
                let uri = self.frag.sym_str(u);
                let problem = if uri.is_empty() && !nested {
                    Some(format!(
                        "the annotation attribute `{text}` has no namespace (`{prefix}` is bound to \"\"); attributes on RELAX NG elements must be in a foreign namespace"
                    ))
                } else if uri == RNG_NS && !nested {
                    Some(format!(
                        "the annotation attribute `{text}` is in the RELAX NG namespace; annotations must be in another namespace"
                    ))
                } else if uri == XMLNS_NS || uri == XMLNS_NS.trim_end_matches('/') {
                    Some(format!(
                        "the annotation attribute `{text}` is in the namespace of namespace declarations ({uri})"
                    ))
                } else {
                    None
                };
                if let Some(msg) = problem {
                    self.error(&RNC_ANNOTATION, span, msg);
                    return Ok(None);
                }
                if uri.is_empty() {
                    (None, "", local)
                } else {
                    (Some(u), prefix, local)
                }
            }
            _ => {
                if !nested {
                    self.error(
                        &RNC_ANNOTATION,
                        span,
                        format!("the annotation attribute `{text}` needs a namespace prefix: attributes on RELAX NG elements must be in a foreign namespace"),
                    );
                    return Ok(None);
                }
                if text == "xmlns" {
                    self.error(
                        &RNC_ANNOTATION,
                        span,
                        "`xmlns` cannot be used as an annotation attribute name: namespaces are declared with `namespace`",
                    );
                    return Ok(None);
                }
                (None, "", text)
            }
        };
        let name = QName {
            ns,
            local: self.frag.sym(local),
            prefix: self.frag.sym(prefix),
        };
        Ok(Some(PendingAttr {
            name,
            value,
            span: self.src(span),
            value_span: self.src(vspan),
        }))
    }

    /// `annotationElement` (`nested == false`: not in the RELAX NG namespace) or
    /// `nestedAnnotationElement`.
    fn annotation_element(&mut self, nested: bool) -> PResult<ElemId> {
        self.enter()?;
        let r = self.annotation_element_body(nested);
        self.leave();
        r
    }

    #[inline(never)]
    fn annotation_element_body(&mut self, nested: bool) -> PResult<ElemId> {
        if !is_name_token(self.peek_kind()) {
            return Err(self.unexpected("the name of an annotation element"));
        }
        let (kind, span, text) = self.bump();
        let name = match kind {
            Kind::CName { colon } => {
                let (prefix, local) = text.split_at(colon as usize);
                let local = &local[1..];
                let ns = match self.resolve(prefix, span.clone()) {
                    Some(NsVal::Inherit) => {
                        self.error(
                            &RNC_ANNOTATION,
                            span.clone(),
                            format!("the prefix `{prefix}` is bound to `inherit` and cannot be used in an annotation"),
                        );
                        None
                    }
                    Some(NsVal::Uri(u)) => {
                        if !nested && self.frag.sym_str(u) == RNG_NS {
                            self.error(
                                &RNC_ANNOTATION,
                                span.clone(),
                                format!("the annotation element `{text}` is in the RELAX NG namespace; annotations must be in another namespace"),
                            );
                        }
                        Some(u).filter(|&u| u != self.env.empty)
                    }
                    None => None,
                };
                let prefix = if ns.is_some() { prefix } else { "" };
                QName {
                    ns,
                    local: self.frag.sym(local),
                    prefix: self.frag.sym(prefix),
                }
            }
            _ => QName {
                ns: None,
                local: self.frag.sym(text),
                prefix: self.env.empty,
            },
        };
        let s = self.src(span.clone());
        let el = self.frag.elem(name, s);
        if self.peek_kind() != Kind::LBracket {
            return Err(self.unexpected(&format!("`[` after the annotation element name `{text}`")));
        }
        let (_, open, _) = self.bump();
        let mut attrs = Attrs::EMPTY;
        let mut seen = HashMap::new();
        while is_name_token(self.peek_kind()) && self.nth_kind(1) == Kind::Eq {
            if let Some(attr) = self.annotation_attribute(true)? {
                self.add_unique(&mut attrs, &mut seen, attr);
            }
        }
        self.frag.add_attrs(el, attrs);
        loop {
            match self.peek_kind() {
                Kind::Literal => {
                    let (v, vspan) = self.literal("a literal")?;
                    self.text(el, v, vspan);
                }
                k if is_name_token(k) => {
                    let c = self.annotation_element(true)?;
                    let c = self.one(c);
                    self.frag.append(el, c);
                }
                _ => break,
            }
        }
        let close = self.expect_close(Kind::RBracket, open)?;
        self.set_head_end(el, span.end);
        self.finish(el, close.end);
        Ok(el)
    }

    /// `followAnnotations`: `>> annotationElement`*.
    #[inline(never)]
    fn follow_annotations(&mut self) -> PResult<Seq> {
        let mut v = Seq::EMPTY;
        while self.peek_kind() == Kind::Follow {
            self.bump();
            if !is_name_token(self.peek_kind()) {
                return Err(self.unexpected("an annotation element (`name [ … ]`) after `>>`"));
            }
            let e = self.annotation_element(false)?;
            let e = self.one(e);
            v = self.frag.concat(v, e);
        }
        Ok(v)
    }
}
