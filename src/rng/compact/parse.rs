//! The parser: tokens → XML fragments, following the BNF and translation of Appendix A.
//!
//! It is a recursive-descent parser whose functions mirror the non-terminals of the
//! specification (`innerPattern`, `particle`, `leadAnnotatedPrimary`, `innerNameClass`,
//! …) and compute the same values: each returns the RELAX NG elements its construct
//! translates to, built in the [`Frag`] arena.
//!
//! Recursion depth is bounded: every construct that can nest (`(…)`, `{…}`, `[…]`, name
//! classes, annotation elements) passes through [`Parser::enter`], which stops with
//! [`RNC_TOO_DEEP`](super::codes::RNC_TOO_DEEP) beyond [`MAX_NESTING`] levels, so hostile
//! input cannot exhaust the stack.
//!
//! Syntax errors stop the parse (the first one is reported, as jing does); violations of
//! the specification's constraints (undeclared prefixes, duplicate declarations or
//! attributes, annotation rules, name-class excepts) are recorded and parsing continues,
//! so one run reports all of them.

use std::ops::Range;

use super::codes::*;
use super::escape::Decoded;
use super::frag::{Attr, Child, ElemId, Frag, QName};
use super::lex::{Kind, Kw, Token};
use super::{ANNOTATIONS_NS, RNG_NS, XSD_DATATYPES};
use crate::diag::{Code, Diagnostic, FileId, Label};
use crate::xml::{XML_NS, XMLNS_NS};

/// How deeply brackets, braces, parentheses, name classes and annotation elements may nest.
pub const MAX_NESTING: usize = 256;

/// A fatal (syntax) error has been recorded; unwind.
#[derive(Debug)]
pub(crate) struct Stop;

type PResult<T> = Result<T, Stop>;

/// A namespace binding: a URI (possibly empty) or `inherit`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NsVal {
    Uri(String),
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
    prefix: String,
    uri: String,
    span: Range<usize>,
}

/// The environment of Appendix A: namespace and datatype prefixes, default namespace.
/// The compact syntax declares everything in the preamble, so one environment serves the
/// whole file.
#[derive(Debug, Default)]
struct Env {
    ns: Vec<NsDecl>,
    default: Option<(NsVal, Range<usize>)>,
    datatypes: Vec<DtDecl>,
    rng_prefix: String,
    compat_prefix: String,
    compat_used: bool,
}

/// Initial annotations: attributes and elements waiting for the construct they annotate.
#[derive(Debug, Default)]
struct Annos {
    attrs: Vec<Attr>,
    elems: Vec<ElemId>,
}

impl Annos {
    fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.elems.is_empty()
    }
}

/// A particle: a primary with its follow annotations, a repeated primary (whose outer
/// annotations apply to the repetition), or a data pattern with an except.
enum Part {
    Plain(Vec<ElemId>),
    Repeated(ElemId, Vec<ElemId>),
    Except(Vec<ElemId>),
}

impl Part {
    fn into_vec(self) -> Vec<ElemId> {
        match self {
            Part::Plain(v) | Part::Except(v) => v,
            Part::Repeated(x, follow) => {
                let mut v = vec![x];
                v.extend(follow);
                v
            }
        }
    }
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

pub(crate) struct Parser<'d, 'a> {
    dec: &'d Decoded<'a>,
    toks: Vec<Token>,
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

fn describe(t: &Token) -> String {
    match t.kind {
        Kind::Keyword(k) => format!("keyword `{}`", k.as_str()),
        Kind::Ident { quoted: false } => format!("identifier `{}`", t.text),
        Kind::Ident { quoted: true } => format!("identifier `\\{}`", t.text),
        Kind::CName { .. } => format!("name `{}`", t.text),
        Kind::NsName => format!("`{}:*`", t.text),
        Kind::Literal => {
            let mut s: String = t.text.chars().take(30).collect();
            if t.text.chars().count() > 30 {
                s.push('…');
            }
            format!("literal {:?}", s)
        }
        k => describe_kind(k).to_string(),
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

impl<'d, 'a> Parser<'d, 'a> {
    pub(crate) fn new(
        dec: &'d Decoded<'a>,
        toks: Vec<Token>,
        file: FileId,
        source_len: usize,
    ) -> Self {
        Parser {
            dec,
            toks,
            pos: 0,
            file,
            diags: Vec::new(),
            frag: Frag::default(),
            env: Env::default(),
            depth: 0,
            source_len,
        }
    }

    // ----- token access -------------------------------------------------------------

    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }

    fn peek_kind(&self) -> Kind {
        self.toks[self.pos].kind
    }

    fn nth_kind(&self, n: usize) -> Kind {
        self.toks.get(self.pos + n).map_or(Kind::Eof, |t| t.kind)
    }

    fn kind_at(&self, i: usize) -> Kind {
        self.toks.get(i).map_or(Kind::Eof, |t| t.kind)
    }

    /// Consumes the current token and returns its kind, span and text.
    fn bump(&mut self) -> (Kind, Range<usize>, Box<str>) {
        let i = self.pos;
        if self.toks[i].kind != Kind::Eof {
            self.pos += 1;
        }
        let t = &mut self.toks[i];
        (t.kind, t.span.clone(), std::mem::take(&mut t.text))
    }

    /// End (decoded) of the last consumed token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].span.end
        }
    }

    /// " after `X`" for the previous token when it helps a message.
    fn after_prev(&self) -> String {
        if self.pos == 0 {
            return String::new();
        }
        match self.toks[self.pos - 1].kind {
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
    fn unexpected(&mut self, what: &str) -> Stop {
        let t = self.peek();
        let msg = format!("expected {what}, found {}", describe(t));
        let span = t.span.clone();
        let prev = (self.pos > 0).then(|| self.toks[self.pos - 1].kind);
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
        let t = self.peek();
        let msg = format!(
            "expected {} to close the {} opened here, found {}",
            describe_kind(kind),
            describe_kind(self.kind_at_span(&open)),
            describe(t)
        );
        let span = self.src(t.span.clone());
        let open = self.src(open);
        self.diags.push(
            Diagnostic::error(&RNC_SYNTAX, msg)
                .at(self.file, span)
                .also(Label::new(self.file, open).with_message("opened here")),
        );
        Err(Stop)
    }

    fn kind_at_span(&self, open: &Range<usize>) -> Kind {
        match self.dec.text.as_bytes().get(open.start) {
            Some(b'(') => Kind::LParen,
            Some(b'[') => Kind::LBracket,
            _ => Kind::LBrace,
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let span = self.peek().span.clone();
            return Err(self.fatal(
                &RNC_TOO_DEEP,
                span,
                format!("the schema nests more than {MAX_NESTING} levels deep here"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ----- building -----------------------------------------------------------------

    fn rng_name(&self, local: &str) -> QName {
        QName {
            ns: Some(RNG_NS.into()),
            local: local.into(),
            prefix: self.env.rng_prefix.as_str().into(),
        }
    }

    /// A new RELAX NG element spanning the decoded range `span`.
    fn rng(&mut self, local: &str, span: Range<usize>) -> ElemId {
        let name = self.rng_name(local);
        let span = self.src(span);
        self.frag.add(name, span)
    }

    /// A new RELAX NG element spanning a source range.
    fn rng_src(&mut self, local: &str, span: Range<usize>) -> ElemId {
        let name = self.rng_name(local);
        self.frag.add(name, span)
    }

    /// Sets the end of an element's span (decoded offset).
    fn finish(&mut self, id: ElemId, end: usize) {
        let end = self.dec.source_offset(end);
        let e = self.frag.get_mut(id);
        e.span.end = end.max(e.span.start);
    }

    fn set_head_end(&mut self, id: ElemId, end: usize) {
        let end = self.dec.source_offset(end);
        self.frag.get_mut(id).head_end = end;
    }

    /// Adds an unqualified attribute; `span` is decoded.
    fn attr(&mut self, id: ElemId, local: &str, value: &str, span: Range<usize>) {
        let span = self.src(span);
        self.frag.get_mut(id).attrs.push(Attr {
            name: QName {
                ns: None,
                local: local.into(),
                prefix: "".into(),
            },
            value: value.to_string(),
            value_span: span.clone(),
            span,
        });
    }

    fn text(&mut self, id: ElemId, value: String, span: Range<usize>) {
        if value.is_empty() {
            return;
        }
        let span = self.src(span);
        self.frag
            .get_mut(id)
            .children
            .push(Child::Text(value, span));
    }

    fn children(&mut self, id: ElemId, kids: impl IntoIterator<Item = ElemId>) {
        let e = self.frag.get_mut(id);
        e.children.extend(kids.into_iter().map(Child::Elem));
    }

    fn span_of(&self, ids: &[ElemId]) -> Range<usize> {
        match (ids.first(), ids.last()) {
            (Some(f), Some(l)) => self.frag.get(*f).span.start..self.frag.get(*l).span.end,
            _ => 0..0,
        }
    }

    /// `applyAnnotations`: attributes go on the element; elements become its first
    /// children, or its following siblings when it cannot have element children
    /// (`value`, `param`, `name`), as trang does and §5.1 says.
    fn apply(&mut self, a: Annos, id: ElemId) -> Vec<ElemId> {
        if a.is_empty() {
            return vec![id];
        }
        let e = self.frag.get_mut(id);
        e.attrs.extend(a.attrs);
        let childless = e.name.ns.as_deref() == Some(RNG_NS)
            && matches!(&*e.name.local, "value" | "param" | "name");
        if childless {
            let mut v = Vec::with_capacity(1 + a.elems.len());
            v.push(id);
            v.extend(a.elems);
            v
        } else {
            e.children
                .splice(0..0, a.elems.into_iter().map(Child::Elem));
            vec![id]
        }
    }

    /// `applyAnnotationsGroup` / `applyAnnotationsChoice`: wraps `xs` in `wrapper` only
    /// when there are annotations to put on it.
    fn apply_wrapped(&mut self, a: Annos, xs: Vec<ElemId>, wrapper: &str) -> Vec<ElemId> {
        if a.is_empty() {
            return xs;
        }
        let span = self.span_of(&xs);
        let w = self.rng_src(wrapper, span);
        self.children(w, xs);
        self.apply(a, w)
    }

    // ----- namespaces ---------------------------------------------------------------

    fn lookup_ns(&self, prefix: &str) -> Option<NsVal> {
        if let Some(d) = self.env.ns.iter().find(|d| d.prefix == prefix) {
            return Some(d.val.clone());
        }
        (prefix == "xml").then(|| NsVal::Uri(XML_NS.to_string()))
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
            .map_or(NsVal::Inherit, |(v, _)| v.clone())
    }

    /// The root element's namespace declarations: the preamble's bindings to non-empty
    /// URIs (as §A's `element` function says), plus the prefixes chosen for the RELAX NG
    /// and annotation namespaces when the user did not bind them.
    pub(crate) fn root_ns_decls(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for d in &self.env.ns {
            if let NsVal::Uri(u) = &d.val
                && !u.is_empty()
                && d.prefix != "xml"
                && !out.iter().any(|(p, _)| *p == d.prefix)
            {
                out.push((d.prefix.clone(), u.clone()));
            }
        }
        if !out.iter().any(|(p, _)| *p == self.env.rng_prefix) {
            out.push((self.env.rng_prefix.clone(), RNG_NS.to_string()));
        }
        if self.env.compat_used && !out.iter().any(|(p, _)| *p == self.env.compat_prefix) {
            out.push((self.env.compat_prefix.clone(), ANNOTATIONS_NS.to_string()));
        }
        out
    }

    fn prefix_taken(&self, p: &str) -> bool {
        p == "xml" || p == "xmlns" || self.env.ns.iter().any(|d| d.prefix == p)
    }

    /// Picks the prefixes for RELAX NG elements and `a:documentation`.
    fn setup_prefixes(&mut self) {
        let bound_to = |env: &Env, uri: &str| {
            env.ns
                .iter()
                .find(|d| d.val == NsVal::Uri(uri.to_string()))
                .map(|d| d.prefix.clone())
        };
        self.env.rng_prefix = match bound_to(&self.env, RNG_NS) {
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
        self.env.compat_prefix = match bound_to(&self.env, ANNOTATIONS_NS) {
            Some(p) => p,
            None => {
                let mut p = "a".to_string();
                while self.prefix_taken(&p) || p == self.env.rng_prefix {
                    p.push('a');
                }
                p
            }
        };
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
            self.frag.get_mut(g).head_end = 0;
            self.children(g, members);
            return Ok(g);
        }
        let elems = self.pattern()?;
        if self.peek_kind() != Kind::Eof {
            return Err(self.unexpected(
                "`|`, `,`, `&`, `*`, `+`, `?`, `>>` or the end of the file after the top-level pattern",
            ));
        }
        if elems.len() != 1 {
            let extra = self.frag.get(elems[1]).span.clone();
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
        Ok(elems[0])
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
                    self.expect(Kind::Eq, &format!("`=` after `namespace {prefix}`"))?;
                    let (val, vspan) = self.namespace_uri()?;
                    self.declare_ns(Some((prefix, pspan)), val, vspan, false);
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
                        self.env.default = Some((val.clone(), kspan.start..vspan.end));
                    }
                    match prefix {
                        Some(p) => self.declare_ns(Some(p), val, vspan, true),
                        None => self.declare_ns(None, val, vspan, true),
                    }
                }
                Kind::Keyword(Kw::Datatypes) => {
                    self.bump();
                    let (prefix, pspan) =
                        self.identifier_or_keyword("a prefix after `datatypes`")?;
                    self.expect(Kind::Eq, &format!("`=` after `datatypes {prefix}`"))?;
                    let (uri, uspan) = self.literal("the datatype library URI")?;
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
        Ok((NsVal::Uri(v), span))
    }

    fn declare_ns(
        &mut self,
        prefix: Option<(String, Range<usize>)>,
        val: NsVal,
        vspan: Range<usize>,
        is_default: bool,
    ) {
        let is_xml_uri = val == NsVal::Uri(XML_NS.to_string());
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
        if let Some(first) = self.env.ns.iter().find(|d| d.prefix == prefix) {
            let first = self.src(first.span.clone());
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
        let _ = is_default;
        self.env.ns.push(NsDecl {
            prefix,
            val,
            span: pspan,
        });
    }

    fn declare_datatypes(
        &mut self,
        prefix: String,
        pspan: Range<usize>,
        uri: String,
        uspan: Range<usize>,
    ) {
        if let Some(first) = self.env.datatypes.iter().find(|d| d.prefix == prefix) {
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
        self.env.datatypes.push(DtDecl {
            prefix,
            uri,
            span: pspan,
        });
    }

    fn lookup_datatypes(&mut self, prefix: &str, span: Range<usize>) -> String {
        if let Some(d) = self.env.datatypes.iter().find(|d| d.prefix == prefix) {
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
    fn identifier_or_keyword(&mut self, what: &str) -> PResult<(String, Range<usize>)> {
        match self.peek_kind() {
            Kind::Ident { .. } | Kind::Keyword(_) => {
                let (_, span, text) = self.bump();
                Ok((text.into(), span))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// `literal`: one or more segments joined by `~`. Returns the value and decoded span.
    fn literal(&mut self, what: &str) -> PResult<(String, Range<usize>)> {
        if self.peek_kind() != Kind::Literal {
            return Err(self.unexpected(what));
        }
        let (_, span, text) = self.bump();
        let mut value = String::from(text);
        let mut end = span.end;
        while self.peek_kind() == Kind::Tilde {
            self.bump();
            if self.peek_kind() != Kind::Literal {
                return Err(self.unexpected("a literal after `~`"));
            }
            let (_, s, t) = self.bump();
            value.push_str(&t);
            end = s.end;
        }
        Ok((value, span.start..end))
    }

    /// An `href`: checks the "any URI" constraint (no fragment identifier).
    fn href(&mut self, what: &str) -> PResult<(String, Range<usize>)> {
        let (v, span) = self.literal(what)?;
        if v.contains('#') {
            self.error(
                &RNC_HREF,
                span.clone(),
                format!("{v:?} has a fragment identifier (`#…`), which `include` and `external` do not allow"),
            );
        }
        Ok((v, span))
    }

    /// `optInherit`: an `ns` attribute for the referenced schema.
    fn opt_inherit(&mut self, el: ElemId, kw_span: Range<usize>) -> PResult<()> {
        let (val, span) = if self.peek_kind() == Kind::Keyword(Kw::Inherit) {
            self.bump();
            self.expect(Kind::Eq, "`=` after `inherit`")?;
            let (prefix, pspan) =
                self.identifier_or_keyword("a namespace prefix after `inherit =`")?;
            match self.resolve(&prefix, pspan.clone()) {
                Some(v) => (v, pspan),
                None => return Ok(()),
            }
        } else {
            (self.default_ns(), kw_span)
        };
        if let NsVal::Uri(u) = val {
            self.attr(el, "ns", &u, span);
        }
        Ok(())
    }

    // ----- grammar ------------------------------------------------------------------

    /// `grammar` / `includeBody`: members up to `}` or the end of the file.
    fn grammar_body(&mut self, in_include: bool) -> PResult<Vec<ElemId>> {
        let mut out = Vec::new();
        loop {
            match self.peek_kind() {
                Kind::RBrace | Kind::Eof => return Ok(out),
                Kind::Ident { .. } | Kind::CName { .. } if self.nth_kind(1) == Kind::LBracket => {
                    let e = self.annotation_element(false)?;
                    out.push(e);
                }
                _ => {
                    let annos = self.annotations()?;
                    let comp = match self.peek_kind() {
                        Kind::Keyword(Kw::Start) => self.definition(true)?,
                        Kind::Ident { .. } => self.definition(false)?,
                        Kind::Keyword(Kw::Div) => self.div(in_include)?,
                        Kind::Keyword(Kw::Include) if !in_include => self.include()?,
                        Kind::Keyword(Kw::Include) => {
                            let span = self.peek().span.clone();
                            return Err(self.fatal(
                                &RNC_SYNTAX,
                                span,
                                "an `include` cannot contain another `include`",
                            ));
                        }
                        Kind::Keyword(k)
                            if !matches!(k, Kw::Namespace | Kw::Default | Kw::Datatypes)
                                && self.nth_kind(1) == Kind::LBracket =>
                        {
                            let t = self.peek();
                            let msg =
                                format!("expected a definition, found keyword `{}`", k.as_str());
                            let span = t.span.clone();
                            return Err(self.fatal_help(
                                &RNC_SYNTAX,
                                span,
                                msg,
                                format!(
                                    "an annotation element named like a keyword must be quoted: `\\{} [ … ]`",
                                    k.as_str()
                                ),
                            ));
                        }
                        _ if !annos.is_empty() => {
                            return Err(self.unexpected(if in_include {
                                "a definition (`name = …`), `start` or `div` after the annotations (they must annotate something)"
                            } else {
                                "a definition (`name = …`), `start`, `div` or `include` after the annotations (they must annotate something)"
                            }));
                        }
                        _ => {
                            return Err(self.unexpected(if in_include {
                                "a definition (`name = …`), `start` or `div`"
                            } else {
                                "a definition (`name = …`), `start`, `div`, `include` or an annotation element"
                            }));
                        }
                    };
                    out.extend(self.apply(annos, comp));
                }
            }
        }
    }

    fn assign_op(&mut self, el: ElemId, name: &str) -> PResult<()> {
        let combine = match self.peek_kind() {
            Kind::Eq => None,
            Kind::ChoiceEq => Some("choice"),
            Kind::InterleaveEq => Some("interleave"),
            _ => return Err(self.unexpected(&format!("`=`, `|=` or `&=` after `{name}`"))),
        };
        let (_, span, _) = self.bump();
        if let Some(c) = combine {
            self.attr(el, "combine", c, span);
        }
        Ok(())
    }

    /// `start` or `define`.
    fn definition(&mut self, is_start: bool) -> PResult<ElemId> {
        let (_, span, text) = self.bump();
        let el = if is_start {
            self.rng("start", span.clone())
        } else {
            let d = self.rng("define", span.clone());
            self.attr(d, "name", &text, span.clone());
            d
        };
        let name = if is_start { "start" } else { &*text };
        self.assign_op(el, name)?;
        self.set_head_end(el, self.prev_end());
        let body = self.pattern()?;
        self.children(el, body);
        self.finish(el, self.prev_end());
        Ok(el)
    }

    fn div(&mut self, in_include: bool) -> PResult<ElemId> {
        let (_, span, _) = self.bump();
        let el = self.rng("div", span);
        let open = self.expect(Kind::LBrace, "`{` after `div`")?;
        self.set_head_end(el, open.end);
        self.enter()?;
        let body = self.grammar_body(in_include)?;
        self.leave();
        self.expect_close(Kind::RBrace, open)?;
        self.children(el, body);
        self.finish(el, self.prev_end());
        Ok(el)
    }

    fn include(&mut self) -> PResult<ElemId> {
        let (_, kspan, _) = self.bump();
        let el = self.rng("include", kspan.clone());
        let (href, hspan) = self.href("the URI of the included schema after `include`")?;
        self.attr(el, "href", &href, hspan);
        self.opt_inherit(el, kspan)?;
        self.set_head_end(el, self.prev_end());
        if self.peek_kind() == Kind::LBrace {
            let (_, open, _) = self.bump();
            self.enter()?;
            let body = self.grammar_body(true)?;
            self.leave();
            self.expect_close(Kind::RBrace, open)?;
            self.children(el, body);
        }
        self.finish(el, self.prev_end());
        Ok(el)
    }

    // ----- patterns -----------------------------------------------------------------

    fn pattern(&mut self) -> PResult<Vec<ElemId>> {
        self.inner_pattern(Annos::default())
    }

    /// `innerPattern(anno)`.
    fn inner_pattern(&mut self, anno: Annos) -> PResult<Vec<ElemId>> {
        self.enter()?;
        let r = self.inner_pattern_body(anno);
        self.leave();
        r
    }

    fn inner_pattern_body(&mut self, anno: Annos) -> PResult<Vec<ElemId>> {
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
                        let mut v = self.apply(anno, x);
                        v.extend(follow);
                        v
                    }
                });
            }
        };
        if let Part::Except(_) = first {
            let span = self.peek().span.clone();
            return Err(self.fatal_help(
                &RNC_MIXED_OPERATORS,
                span,
                format!(
                    "a pattern with an except (`-`) cannot be combined with {} without parentheses",
                    describe_kind(op)
                ),
                "put the except in parentheses: `(xsd:string - \"x\") | …`",
            ));
        }
        let mut items = first.into_vec();
        loop {
            let k = self.peek_kind();
            if !matches!(k, Kind::Pipe | Kind::Comma | Kind::Amp) {
                break;
            }
            if k != op {
                let span = self.peek().span.clone();
                let (a, b) = (describe_kind(op), describe_kind(k));
                return Err(self.fatal_help(
                    &RNC_MIXED_OPERATORS,
                    span,
                    format!("{b} cannot follow {a} without parentheses: the compact syntax has no operator precedence"),
                    format!(
                        "group explicitly, e.g. `(x {0} y) {1} z` or `x {0} (y {1} z)`",
                        &a[1..a.len() - 1],
                        &b[1..b.len() - 1]
                    ),
                ));
            }
            self.bump();
            let p = self.particle(ExceptCtx::InSequence)?;
            items.extend(p.into_vec());
        }
        let end = self.prev_end();
        let c = self.rng(name, start..end);
        self.children(c, items);
        Ok(self.apply(anno, c))
    }

    /// `particle`, or `annotatedDataExcept` when `ctx` allows it.
    fn particle(&mut self, ctx: ExceptCtx) -> PResult<Part> {
        let start = self.peek().span.start;
        let (lead, is_except) = self.lead_annotated_primary(ctx)?;
        let follow = self.follow_annotations()?;
        let repeat = match self.peek_kind() {
            Kind::Star => Some("zeroOrMore"),
            Kind::Plus => Some("oneOrMore"),
            Kind::Question => Some("optional"),
            _ => None,
        };
        if is_except {
            if repeat.is_some() {
                let span = self.peek().span.clone();
                let k = describe_kind(self.peek_kind());
                return Err(self.fatal_help(
                    &RNC_MIXED_OPERATORS,
                    span,
                    format!(
                        "{k} cannot apply to a pattern with an except (`-`) without parentheses"
                    ),
                    format!(
                        "put the except in parentheses: `(xsd:string - \"x\"){}`",
                        &k[1..k.len() - 1]
                    ),
                ));
            }
            let mut v = lead;
            v.extend(follow);
            return Ok(Part::Except(v));
        }
        let mut v = lead;
        v.extend(follow);
        let Some(name) = repeat else {
            return Ok(Part::Plain(v));
        };
        let (_, op, _) = self.bump();
        let r = self.rng(name, start..op.end);
        self.set_head_end(r, start);
        self.children(r, v);
        let follow = self.follow_annotations()?;
        Ok(Part::Repeated(r, follow))
    }

    /// `leadAnnotatedPrimary` (or `leadAnnotatedDataExcept`): returns the elements and
    /// whether they are a data pattern with an except.
    fn lead_annotated_primary(&mut self, ctx: ExceptCtx) -> PResult<(Vec<ElemId>, bool)> {
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
    fn datatype_pattern(&mut self, anno: Annos, ctx: ExceptCtx) -> PResult<(Vec<ElemId>, bool)> {
        let (kind, tspan, text) = self.bump();
        let (lib, ty) = match kind {
            Kind::CName { colon } => {
                let (prefix, local) = text.split_at(colon as usize);
                let lib = self.lookup_datatypes(prefix, tspan.clone());
                (lib, local[1..].to_string())
            }
            _ => (String::new(), text.to_string()),
        };
        if self.peek_kind() == Kind::Literal {
            let (value, vspan) = self.literal("a value")?;
            let v = self.rng("value", tspan.start..vspan.end);
            self.set_head_end(v, tspan.end);
            self.attr(v, "type", &ty, tspan.clone());
            self.attr(v, "datatypeLibrary", &lib, tspan.clone());
            self.text(v, value, vspan);
            return Ok((self.apply(anno, v), false));
        }
        let d = self.rng("data", tspan.clone());
        self.attr(d, "type", &ty, tspan.clone());
        self.attr(d, "datatypeLibrary", &lib, tspan.clone());
        if self.peek_kind() == Kind::LBrace {
            let (_, open, _) = self.bump();
            self.set_head_end(d, open.end);
            self.enter()?;
            while self.peek_kind() != Kind::RBrace {
                if self.peek_kind() == Kind::Eof {
                    break;
                }
                let p = self.param()?;
                self.children(d, p);
            }
            self.leave();
            self.expect_close(Kind::RBrace, open)?;
        }
        if self.peek_kind() != Kind::Minus {
            self.finish(d, self.prev_end());
            return Ok((self.apply(anno, d), false));
        }
        let mspan = self.peek().span.clone();
        match ctx {
            ExceptCtx::Allowed => {}
            ExceptCtx::InSequence => {
                return Err(self.fatal_help(
                    &RNC_MIXED_OPERATORS,
                    mspan,
                    "a pattern with an except (`-`) cannot be an operand of `|`, `,` or `&` without parentheses",
                    "put the except in parentheses: `… | (xsd:string - \"x\")`",
                ));
            }
            ExceptCtx::InExcept => {
                return Err(self.fatal_help(
                    &RNC_MIXED_OPERATORS,
                    mspan,
                    "an except pattern cannot itself have an except without parentheses",
                    "write `a - (b - c)`",
                ));
            }
        }
        self.bump();
        self.enter()?;
        let (z, _) = self.lead_annotated_primary(ExceptCtx::InExcept)?;
        self.leave();
        let ex = self.rng("except", mspan.start..self.prev_end());
        self.set_head_end(ex, mspan.end);
        self.children(ex, z);
        self.children(d, [ex]);
        self.finish(d, self.prev_end());
        Ok((self.apply(anno, d), true))
    }

    /// `param`.
    fn param(&mut self) -> PResult<Vec<ElemId>> {
        let anno = self.annotations()?;
        let (name, nspan) = self.identifier_or_keyword("a parameter name or `}`")?;
        self.expect(Kind::Eq, &format!("`=` after the parameter name `{name}`"))?;
        let (value, vspan) = self.literal("the parameter value (a literal)")?;
        let p = self.rng("param", nspan.start..vspan.end);
        self.set_head_end(p, nspan.end);
        self.attr(p, "name", &name, nspan);
        self.text(p, value, vspan);
        Ok(self.apply(anno, p))
    }

    /// `primary` (other than the datatype forms).
    fn primary(&mut self) -> PResult<ElemId> {
        let kind = self.peek_kind();
        match kind {
            Kind::Keyword(kw @ (Kw::Element | Kw::Attribute)) => {
                let (_, kspan, _) = self.bump();
                let el = self.rng(kw.as_str(), kspan);
                let nc = self.name_class(kw == Kw::Element)?;
                let open = self.expect(
                    Kind::LBrace,
                    &format!("`{{` after the name class of `{}`", kw.as_str()),
                )?;
                self.set_head_end(el, open.end);
                let body = self.pattern()?;
                self.expect_close(Kind::RBrace, open)?;
                self.children(el, nc);
                self.children(el, body);
                self.finish(el, self.prev_end());
                Ok(el)
            }
            Kind::Keyword(kw @ (Kw::Mixed | Kw::List)) => {
                let (_, kspan, _) = self.bump();
                let el = self.rng(kw.as_str(), kspan);
                let open = self.expect(Kind::LBrace, &format!("`{{` after `{}`", kw.as_str()))?;
                self.set_head_end(el, open.end);
                let body = self.pattern()?;
                self.expect_close(Kind::RBrace, open)?;
                self.children(el, body);
                self.finish(el, self.prev_end());
                Ok(el)
            }
            Kind::Literal => {
                let (value, span) = self.literal("a value")?;
                let v = self.rng("value", span.clone());
                self.text(v, value, span);
                Ok(v)
            }
            Kind::Keyword(kw @ (Kw::Empty | Kw::NotAllowed | Kw::Text)) => {
                let (_, span, _) = self.bump();
                Ok(self.rng(kw.as_str(), span))
            }
            Kind::Ident { .. } => {
                let (_, span, name) = self.bump();
                let r = self.rng("ref", span.clone());
                self.attr(r, "name", &name, span);
                Ok(r)
            }
            Kind::Keyword(Kw::Parent) => {
                let (_, kspan, _) = self.bump();
                if !matches!(self.peek_kind(), Kind::Ident { .. }) {
                    return Err(self.unexpected("the name of a definition after `parent`"));
                }
                let (_, span, name) = self.bump();
                let r = self.rng("parentRef", kspan.start..span.end);
                self.attr(r, "name", &name, span);
                Ok(r)
            }
            Kind::Keyword(Kw::Grammar) => {
                let (_, kspan, _) = self.bump();
                let g = self.rng("grammar", kspan);
                let open = self.expect(Kind::LBrace, "`{` after `grammar`")?;
                self.set_head_end(g, open.end);
                self.enter()?;
                let body = self.grammar_body(false)?;
                self.leave();
                self.expect_close(Kind::RBrace, open)?;
                self.children(g, body);
                self.finish(g, self.prev_end());
                Ok(g)
            }
            Kind::Keyword(Kw::External) => {
                let (_, kspan, _) = self.bump();
                let el = self.rng("externalRef", kspan.clone());
                let (href, hspan) = self.href("the URI of the external schema after `external`")?;
                self.attr(el, "href", &href, hspan);
                self.opt_inherit(el, kspan)?;
                self.finish(el, self.prev_end());
                Ok(el)
            }
            _ => {
                let after = self.after_prev();
                Err(self.unexpected(&format!("a pattern{after}")))
            }
        }
    }

    // ----- name classes -------------------------------------------------------------

    fn name_class(&mut self, is_elem: bool) -> PResult<Vec<ElemId>> {
        self.inner_name_class(is_elem, Annos::default(), NcCtx::default())
    }

    /// `innerNameClass(anno)`.
    fn inner_name_class(&mut self, is_elem: bool, anno: Annos, ctx: NcCtx) -> PResult<Vec<ElemId>> {
        self.enter()?;
        let r = self.inner_name_class_body(is_elem, anno, ctx);
        self.leave();
        r
    }

    fn inner_name_class_body(
        &mut self,
        is_elem: bool,
        anno: Annos,
        ctx: NcCtx,
    ) -> PResult<Vec<ElemId>> {
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
            items.extend(v);
        }
        let c = self.rng("choice", start..self.prev_end());
        self.children(c, items);
        Ok(self.apply(anno, c))
    }

    /// One operand of a name-class choice (`annotatedSimpleNameClass`), or, when
    /// `allow_except`, an `annotatedExceptNameClass`.
    fn name_class_item(
        &mut self,
        is_elem: bool,
        ctx: NcCtx,
        allow_except: bool,
    ) -> PResult<(Vec<ElemId>, bool)> {
        let anno = self.annotations()?;
        if self.peek_kind() == Kind::LParen {
            let (_, open, _) = self.bump();
            let mut v = self.inner_name_class(is_elem, anno, ctx)?;
            self.expect_close(Kind::RParen, open)?;
            v.extend(self.follow_annotations()?);
            return Ok((v, false));
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
            self.children(ex, z);
            self.children(el, [ex]);
            self.finish(el, self.prev_end());
            is_except = true;
        }
        let mut v = self.apply(anno, el);
        v.extend(self.follow_annotations()?);
        Ok((v, is_except))
    }

    /// `leadAnnotatedSimpleNameClass`: the body of a name-class except.
    fn lead_simple_name_class(&mut self, is_elem: bool, ctx: NcCtx) -> PResult<Vec<ElemId>> {
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
                if let Some(NsVal::Uri(u)) = self.resolve(&prefix, span.clone()) {
                    self.attr(el, "ns", &u, span);
                }
                Ok(el)
            }
            Kind::CName { colon } => {
                let (_, span, text) = self.bump();
                let (prefix, local) = text.split_at(colon as usize);
                let local = &local[1..];
                let el = self.rng("name", span.clone());
                if let Some(NsVal::Uri(u)) = self.resolve(prefix, span.clone()) {
                    self.attr(el, "ns", &u, span.clone());
                }
                let lstart = span.start + colon as usize + 1;
                self.text(el, local.to_string(), lstart..span.end);
                Ok(el)
            }
            Kind::Ident { .. } | Kind::Keyword(_) => {
                let (_, span, text) = self.bump();
                let el = self.rng("name", span.clone());
                let ns = if is_elem {
                    self.default_ns()
                } else {
                    NsVal::Uri(String::new())
                };
                if let NsVal::Uri(u) = ns {
                    self.attr(el, "ns", &u, span.clone());
                }
                self.text(el, text.into(), span);
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
    fn annotations(&mut self) -> PResult<Annos> {
        let mut a = Annos::default();
        while self.peek_kind() == Kind::Documentation {
            let (_, span, text) = self.bump();
            let d = self.documentation(String::from(text), span);
            a.elems.push(d);
        }
        if self.peek_kind() != Kind::LBracket {
            return Ok(a);
        }
        let (_, open, _) = self.bump();
        self.enter()?;
        while is_name_token(self.peek_kind()) && self.nth_kind(1) == Kind::Eq {
            let attr = self.annotation_attribute(false)?;
            if let Some(attr) = attr {
                self.check_duplicate(&a.attrs, &attr);
                a.attrs.push(attr);
            }
        }
        while is_name_token(self.peek_kind()) {
            let e = self.annotation_element(false)?;
            a.elems.push(e);
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
        self.leave();
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
    fn documentation(&mut self, text: String, span: Range<usize>) -> ElemId {
        self.env.compat_used = true;
        let name = QName {
            ns: Some(ANNOTATIONS_NS.into()),
            local: "documentation".into(),
            prefix: self.env.compat_prefix.as_str().into(),
        };
        let s = self.src(span.clone());
        let d = self.frag.add(name, s);
        self.text(d, text, span);
        d
    }

    fn check_duplicate(&mut self, existing: &[Attr], attr: &Attr) {
        if let Some(first) = existing
            .iter()
            .find(|x| x.name.ns == attr.name.ns && x.name.local == attr.name.local)
        {
            let shown = match &attr.name.ns {
                Some(ns) => format!("{{{ns}}}{}", attr.name.local),
                None => attr.name.local.to_string(),
            };
            self.diags.push(
                Diagnostic::error(
                    &RNC_ANNOTATION,
                    format!("the attribute {shown} is given twice"),
                )
                .at(self.file, attr.span.clone())
                .also(Label::new(self.file, first.span.clone()).with_message("first given here")),
            );
        }
    }

    /// `name = literal` inside `[…]`. Initial annotations (`nested == false`) need a
    /// prefixed name in a namespace other than RELAX NG's. Returns `None` after reporting a
    /// constraint violation.
    fn annotation_attribute(&mut self, nested: bool) -> PResult<Option<Attr>> {
        let (kind, span, text) = self.bump();
        self.bump(); // `=`
        let (value, vspan) = self.literal(&format!("a literal after `{text} =`"))?;
        let (ns, prefix, local): (Option<String>, &str, &str) = match kind {
            Kind::CName { colon } => {
                let (prefix, local) = text.split_at(colon as usize);
                let local = &local[1..];
                match self.resolve(prefix, span.clone()) {
                    None => return Ok(None),
                    Some(NsVal::Inherit) => {
                        self.error(
                            &RNC_ANNOTATION,
                            span,
                            format!("the prefix `{prefix}` is bound to `inherit` and cannot be used in an annotation"),
                        );
                        return Ok(None);
                    }
                    Some(NsVal::Uri(u)) => {
                        if u.is_empty() && !nested {
                            self.error(
                                &RNC_ANNOTATION,
                                span,
                                format!("the annotation attribute `{text}` has no namespace (`{prefix}` is bound to \"\"); attributes on RELAX NG elements must be in a foreign namespace"),
                            );
                            return Ok(None);
                        }
                        if u == RNG_NS && !nested {
                            self.error(
                                &RNC_ANNOTATION,
                                span,
                                format!("the annotation attribute `{text}` is in the RELAX NG namespace; annotations must be in another namespace"),
                            );
                            return Ok(None);
                        }
                        if u == XMLNS_NS || u == XMLNS_NS.trim_end_matches('/') {
                            self.error(
                                &RNC_ANNOTATION,
                                span,
                                format!("the annotation attribute `{text}` is in the namespace of namespace declarations ({u})"),
                            );
                            return Ok(None);
                        }
                        let prefix = if u.is_empty() { "" } else { prefix };
                        (Some(u).filter(|u| !u.is_empty()), prefix, local)
                    }
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
                if &*text == "xmlns" {
                    self.error(
                        &RNC_ANNOTATION,
                        span,
                        "`xmlns` cannot be used as an annotation attribute name: namespaces are declared with `namespace`",
                    );
                    return Ok(None);
                }
                (None, "", &*text)
            }
        };
        let span = self.src(span);
        let value_span = self.src(vspan);
        Ok(Some(Attr {
            name: QName {
                ns: ns.map(Into::into),
                local: local.into(),
                prefix: prefix.into(),
            },
            value,
            span,
            value_span,
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
                        if u == RNG_NS && !nested {
                            self.error(
                                &RNC_ANNOTATION,
                                span.clone(),
                                format!("the annotation element `{text}` is in the RELAX NG namespace; annotations must be in another namespace"),
                            );
                        }
                        Some(u).filter(|u| !u.is_empty())
                    }
                    None => None,
                };
                let prefix = if ns.is_some() { prefix } else { "" };
                QName {
                    ns: ns.map(Into::into),
                    local: local.into(),
                    prefix: prefix.into(),
                }
            }
            _ => QName {
                ns: None,
                local: text.clone(),
                prefix: "".into(),
            },
        };
        let s = self.src(span.clone());
        let el = self.frag.add(name, s);
        if self.peek_kind() != Kind::LBracket {
            return Err(self.unexpected(&format!("`[` after the annotation element name `{text}`")));
        }
        let (_, open, _) = self.bump();
        let mut attrs: Vec<Attr> = Vec::new();
        while is_name_token(self.peek_kind()) && self.nth_kind(1) == Kind::Eq {
            if let Some(attr) = self.annotation_attribute(true)? {
                self.check_duplicate(&attrs, &attr);
                attrs.push(attr);
            }
        }
        self.frag.get_mut(el).attrs = attrs;
        loop {
            match self.peek_kind() {
                Kind::Literal => {
                    let (v, vspan) = self.literal("a literal")?;
                    self.text(el, v, vspan);
                }
                k if is_name_token(k) => {
                    let c = self.annotation_element(true)?;
                    self.children(el, [c]);
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
    fn follow_annotations(&mut self) -> PResult<Vec<ElemId>> {
        let mut v = Vec::new();
        while self.peek_kind() == Kind::Follow {
            self.bump();
            if !is_name_token(self.peek_kind()) {
                return Err(self.unexpected("an annotation element (`name [ … ]`) after `>>`"));
            }
            v.push(self.annotation_element(false)?);
        }
        Ok(v)
    }
}
