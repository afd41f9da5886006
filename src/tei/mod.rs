//! The edition model → TEI P5 XML, following `ENCODING.md` (Part A).
//!
//! Output is deterministic: the same [`Edition`] always gives the same bytes. Elements are
//! written in a fixed order with a fixed attribute order per element; element-only content
//! is indented by two spaces; mixed content (paragraphs, heads, salutations, notes …) is
//! written on one line with no added whitespace, so the reading text is exactly the
//! model's. Nothing depends on the clock or the environment.
//!
//! The writer walks the model recursively; the model's nesting is bounded by construction
//! (see [`crate::model`]), so the depth is too.
//!
//! [`text::reading_text`] goes the other way: the reading text of any TEI document.

pub mod text;

use std::collections::BTreeSet;

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::model::{
    Agent, AgentKind, Block, Cert, CorrespAction, DateValue, Div, Edition, Inline, LetterPart,
    MadeWhy, Name, NameKind, Note, Para, Postscript,
};
use crate::registry::{Entity, EntityKind};

/// The TEI namespace.
pub const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// Writes an edition as a TEI document (UTF-8, with XML declaration, final newline).
pub fn write(ed: &Edition) -> String {
    let mut w = W::new();
    w.decl();
    let lang = ed.lang.as_str();
    w.open(
        "TEI",
        &[
            ("xmlns", Some(TEI_NS)),
            ("xml:id", ed.id.as_deref()),
            ("xml:lang", Some(lang)),
        ],
    );
    header(&mut w, ed);
    w.open("text", &[]);
    w.open("body", &[]);
    let has_common = ed
        .body
        .iter()
        .any(|b| matches!(b, Block::P(_) | Block::Div(_) | Block::Ab { .. }));
    let mut wrote_p = false;
    for b in &ed.body {
        if !has_common
            && !wrote_p
            && !matches!(
                b,
                Block::Head { .. } | Block::Byline { .. } | Block::Ab { .. }
            )
        {
            w.empty("p", &[]);
            wrote_p = true;
        }
        block(&mut w, b);
    }
    if !has_common && !wrote_p {
        w.empty("p", &[]);
    }
    w.close("body");
    w.close("text");
    stand_off(&mut w, ed);
    w.close("TEI");
    w.finish()
}

// ---- the writer --------------------------------------------------------------------------

type Attrs<'a> = [(&'a str, Option<&'a str>)];

struct W {
    w: Writer<Vec<u8>>,
    depth: usize,
}

impl W {
    fn new() -> W {
        W {
            w: Writer::new(Vec::with_capacity(1 << 20)),
            depth: 0,
        }
    }

    fn ev(&mut self, e: Event<'_>) {
        // Writing into a Vec cannot fail.
        let _ = self.w.write_event(e);
    }

    fn decl(&mut self) {
        self.ev(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    }

    fn nl(&mut self) {
        let mut s = String::with_capacity(1 + 2 * self.depth);
        s.push('\n');
        for _ in 0..self.depth {
            s.push_str("  ");
        }
        self.ev(Event::Text(BytesText::from_escaped(s)));
    }

    fn start<'a>(name: &'a str, attrs: &Attrs<'a>) -> BytesStart<'a> {
        let mut s = BytesStart::new(name);
        for (k, v) in attrs {
            if let Some(v) = v {
                s.push_attribute((*k, *v));
            }
        }
        s
    }

    /// A block element with element content: indented, children indented further.
    fn open(&mut self, name: &str, attrs: &Attrs<'_>) {
        if self.depth > 0 || !self.w.get_ref().is_empty() {
            self.nl();
        }
        self.ev(Event::Start(Self::start(name, attrs)));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.nl();
        self.ev(Event::End(BytesEnd::new(name)));
    }

    /// An element with text content on its own line.
    fn leaf(&mut self, name: &str, attrs: &Attrs<'_>, text: &str) {
        self.nl();
        self.ev(Event::Start(Self::start(name, attrs)));
        self.text(text);
        self.ev(Event::End(BytesEnd::new(name)));
    }

    /// An empty element on its own line.
    fn empty(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.nl();
        self.ev(Event::Empty(Self::start(name, attrs)));
    }

    /// An element with mixed content on its own line.
    fn mixed(&mut self, name: &str, attrs: &Attrs<'_>, content: &[Inline]) {
        self.nl();
        if content.is_empty() {
            self.ev(Event::Empty(Self::start(name, attrs)));
            return;
        }
        self.ev(Event::Start(Self::start(name, attrs)));
        self.inlines(content);
        self.ev(Event::End(BytesEnd::new(name)));
    }

    fn text(&mut self, s: &str) {
        if !s.is_empty() {
            self.ev(Event::Text(BytesText::from_escaped(partial_escape(s))));
        }
    }

    fn istart(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.ev(Event::Start(Self::start(name, attrs)));
    }

    fn iend(&mut self, name: &str) {
        self.ev(Event::End(BytesEnd::new(name)));
    }

    fn iempty(&mut self, name: &str, attrs: &Attrs<'_>) {
        self.ev(Event::Empty(Self::start(name, attrs)));
    }

    fn inlines(&mut self, v: &[Inline]) {
        for i in v {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text { text } => self.text(text),
            Inline::Lb => self.iempty("lb", &[]),
            Inline::Gap { reason } => self.iempty("gap", &[("reason", Some(reason))]),
            Inline::Supplied {
                reason,
                evidence,
                content,
            } => {
                self.istart(
                    "supplied",
                    &[("reason", Some(reason)), ("evidence", evidence.as_deref())],
                );
                self.inlines(content);
                self.iend("supplied");
            }
            Inline::Ex { text } => {
                self.istart("ex", &[]);
                self.text(text);
                self.iend("ex");
            }
            Inline::Note(n) => self.note(n, false),
            Inline::NoteRef { n, text } => {
                self.istart("ref", &[("type", Some("noteref")), ("n", Some(n))]);
                self.text(text);
                self.iend("ref");
            }
            Inline::Name(n) => self.name(n),
            Inline::Address { lines } => {
                self.istart("address", &[]);
                for (i, l) in lines.iter().enumerate() {
                    if i > 0 {
                        // The line break, as white space between the lines.
                        self.ev(Event::Text(BytesText::from_escaped("\n")));
                    }
                    self.istart("addrLine", &[]);
                    self.inlines(l);
                    self.iend("addrLine");
                }
                self.iend("address");
            }
            Inline::Date { value, content } => {
                let a = date_attrs(value);
                self.istart("date", &a);
                self.inlines(content);
                self.iend("date");
            }
        }
    }

    fn note(&mut self, n: &Note, block: bool) {
        let attrs = [
            ("n", Some(n.n.as_str())),
            ("place", Some("end")),
            ("type", n.kind.as_deref()),
        ];
        if block {
            self.mixed("note", &attrs, &n.content);
        } else {
            self.istart("note", &attrs);
            self.inlines(&n.content);
            self.iend("note");
        }
    }

    fn name(&mut self, n: &Name) {
        let r = n.ref_id.as_ref().map(|r| format!("#{r}"));
        let cert = n.cert.map(Cert::as_str);
        let resp = n.cert.map(|_| "#r-conv");
        let (el, attrs): (&str, Vec<(&str, Option<&str>)>) = if n.descriptive {
            (
                "rs",
                vec![
                    ("type", Some(rs_type(n.kind))),
                    ("ref", r.as_deref()),
                    ("cert", cert),
                    ("resp", resp),
                ],
            )
        } else {
            match n.kind {
                NameKind::Title => (
                    "title",
                    vec![
                        ("level", n.level.as_deref()),
                        ("ref", r.as_deref()),
                        ("cert", cert),
                        ("resp", resp),
                    ],
                ),
                k => (
                    name_element(k),
                    vec![
                        ("ref", r.as_deref()),
                        ("type", n.subtype.as_deref()),
                        ("cert", cert),
                        ("resp", resp),
                    ],
                ),
            }
        };
        self.istart(el, &attrs);
        self.inlines(&n.content);
        self.iend(el);
    }

    fn finish(self) -> String {
        let mut v = self.w.into_inner();
        v.push(b'\n');
        // Only valid UTF-8 was ever written.
        String::from_utf8(v).unwrap_or_default()
    }
}

fn name_element(k: NameKind) -> &'static str {
    match k {
        NameKind::Person => "persName",
        NameKind::Place => "placeName",
        NameKind::Org => "orgName",
        NameKind::Title => "title",
    }
}

fn rs_type(k: NameKind) -> &'static str {
    match k {
        NameKind::Person => "person",
        NameKind::Place => "place",
        NameKind::Org => "org",
        NameKind::Title => "work",
    }
}

fn date_attrs(v: &DateValue) -> Vec<(&'static str, Option<&str>)> {
    vec![
        ("when", v.when.as_deref()),
        ("from", v.from.as_deref()),
        ("to", v.to.as_deref()),
        ("notBefore", v.not_before.as_deref()),
        ("notAfter", v.not_after.as_deref()),
        ("cert", v.cert.map(Cert::as_str)),
        ("resp", v.cert.map(|_| "#r-conv")),
    ]
}

// ---- text --------------------------------------------------------------------------------

fn para(w: &mut W, p: &Para) {
    let corresp = p.corresp.as_deref();
    w.mixed(
        "p",
        &[
            ("xml:id", p.id.as_deref()),
            ("xml:lang", p.lang.as_deref()),
            ("corresp", corresp),
            ("cert", p.lang_cert.map(Cert::as_str)),
            ("resp", p.lang_cert.map(|_| "#r-conv")),
        ],
        &p.content,
    );
}

fn block(w: &mut W, b: &Block) {
    match b {
        Block::Head { subtype, content } => {
            w.mixed("head", &[("type", subtype.as_deref())], content)
        }
        Block::Byline { content } => w.mixed("byline", &[], content),
        Block::Ab { subtype, content } => w.mixed("ab", &[("type", subtype.as_deref())], content),
        Block::P(p) => para(w, p),
        Block::Note(n) => w.note(n, true),
        Block::Div(d) => div(w, d),
    }
}

fn letter_part(w: &mut W, p: &LetterPart) {
    match p {
        LetterPart::Dateline(c) => w.mixed("dateline", &[], c),
        LetterPart::Salute(c) => w.mixed("salute", &[], c),
        LetterPart::Signed(c) => w.mixed("signed", &[], c),
    }
}

fn div(w: &mut W, d: &Div) {
    w.open(
        "div",
        &[("type", Some(&d.kind)), ("xml:id", d.id.as_deref())],
    );
    for h in &d.head {
        w.mixed("head", &[], h);
    }
    // A letter always has an opener, a paragraph and a closer (ENCODING A6; the house
    // schema wants them), empty when the source has none.
    let letter = d.kind == "letter";
    if letter && d.opener.is_empty() {
        w.empty("opener", &[]);
    }
    if !d.opener.is_empty() {
        w.open("opener", &[]);
        for p in &d.opener {
            letter_part(w, p);
        }
        w.close("opener");
    }
    let has_common = d
        .blocks
        .iter()
        .any(|b| matches!(b, Block::P(_) | Block::Div(_)));
    if !has_common && (letter || !d.closer.is_empty() || !d.postscripts.is_empty()) {
        w.empty("p", &[]);
    }
    for b in &d.blocks {
        block(w, b);
    }
    if letter && d.closer.is_empty() {
        w.empty("closer", &[]);
    }
    if !d.closer.is_empty() {
        w.open("closer", &[]);
        for p in &d.closer {
            letter_part(w, p);
        }
        w.close("closer");
    }
    for ps in &d.postscripts {
        postscript(w, ps);
    }
    for b in &d.trailing {
        block(w, b);
    }
    w.close("div");
}

fn postscript(w: &mut W, ps: &Postscript) {
    w.open("postscript", &[]);
    if ps.paras.is_empty() {
        w.mixed("p", &[], &ps.label);
    } else {
        if !ps.label.is_empty() {
            w.mixed("label", &[], &ps.label);
        }
        for p in &ps.paras {
            para(w, p);
        }
    }
    w.close("postscript");
}

// ---- header ------------------------------------------------------------------------------

fn agent(w: &mut W, a: &Agent) {
    let el = match a.kind {
        AgentKind::Person => "persName",
        AgentKind::Org => "orgName",
        AgentKind::Place => "placeName",
        AgentKind::Unknown => "name",
    };
    let r = a.ref_id.as_ref().map(|r| format!("#{r}"));
    w.leaf(
        el,
        &[
            ("ref", r.as_deref()),
            ("cert", a.cert.map(Cert::as_str)),
            ("resp", a.cert.map(|_| "#r-conv")),
        ],
        &a.name,
    );
}

fn date_leaf(w: &mut W, type_: Option<&str>, v: &DateValue) {
    // A date without an ISO value stays text (a `date` always has one: ENCODING A8).
    if !v.is_normalised() {
        w.nl();
        w.text(&v.text);
        return;
    }
    let mut a = vec![("type", type_)];
    a.extend(date_attrs(v));
    w.leaf("date", &a, &v.text);
}

fn header(w: &mut W, ed: &Edition) {
    let h = &ed.header;
    w.open("teiHeader", &[]);
    w.open("fileDesc", &[]);
    w.open("titleStmt", &[]);
    w.leaf("title", &[("type", Some("main"))], &h.title);
    if let Some(s) = &h.subtitle {
        w.leaf("title", &[("type", Some("sub"))], s);
    }
    for a in &h.authors {
        let r = a.ref_id.as_ref().map(|r| format!("#{r}"));
        w.leaf("author", &[("ref", r.as_deref())], &a.name);
    }
    if h.authors.is_empty() {
        // No author line, sidecar or letter sender: the house schema wants this said.
        w.empty("author", &[("role", Some("anonymous"))]);
    }
    for r in &h.resp {
        w.open("respStmt", &[("xml:id", Some(&r.id))]);
        w.leaf("resp", &[], &r.role);
        for a in &r.names {
            agent(w, a);
        }
        w.close("respStmt");
    }
    w.open("respStmt", &[("xml:id", Some("r-conv"))]);
    w.leaf("resp", &[], "automatic conversion from plain text to TEI");
    w.leaf(
        "name",
        &[("type", Some("software"))],
        &format!("teikit {}", crate::VERSION),
    );
    w.close("respStmt");
    w.close("titleStmt");

    w.open("publicationStmt", &[]);
    let p = &h.publication;
    match &p.publisher {
        Some(pb) => w.leaf("publisher", &[], pb),
        None => w.leaf(
            "authority",
            &[],
            &format!(
                "Unpublished conversion of {} made with teikit",
                h.source_file
            ),
        ),
    }
    for (t, v) in &p.idnos {
        w.leaf("idno", &[("type", Some(t))], v);
    }
    if let Some(d) = &p.date {
        w.leaf("date", &[("when", Some(d))], d);
    }
    // A licence is stated even when none was given, so that nobody assumes one.
    w.open(
        "availability",
        &[(
            "status",
            (p.licence.is_none() && p.licence_url.is_none()).then_some("unknown"),
        )],
    );
    w.leaf(
        "licence",
        &[("target", p.licence_url.as_deref())],
        p.licence.as_deref().or(p.licence_url.as_deref()).unwrap_or(
            "No licence was given for this file; the rights of the source edition apply.",
        ),
    );
    w.close("availability");
    w.close("publicationStmt");

    w.open("sourceDesc", &[]);
    if let Some(pr) = &h.print {
        w.open(
            "bibl",
            &[("type", Some("print")), ("xml:id", Some("src-print"))],
        );
        for a in &h.authors {
            let r = a.ref_id.as_ref().map(|r| format!("#{r}"));
            w.leaf("author", &[("ref", r.as_deref())], &a.name);
        }
        if !h.title.is_empty() && pr.journal.is_some() && pr.level == "j" {
            w.leaf("title", &[("level", Some("a"))], &h.title);
        }
        if let Some(j) = &pr.journal {
            let r = pr.journal_ref.as_ref().map(|r| format!("#{r}"));
            w.leaf(
                "title",
                &[("level", Some(pr.level.as_str())), ("ref", r.as_deref())],
                j,
            );
        }
        if let Some(v) = &pr.volume {
            w.leaf("biblScope", &[("unit", Some("volume"))], v);
        }
        if let Some(v) = &pr.issue {
            w.leaf("biblScope", &[("unit", Some("issue"))], v);
        }
        if let Some(d) = &pr.date {
            date_leaf(w, None, d);
        }
        if let Some(pg) = &pr.pages {
            w.leaf(
                "biblScope",
                &[
                    ("unit", Some("page")),
                    ("from", Some(&pg.from)),
                    ("to", Some(&pg.to)),
                ],
                &pg.text,
            );
        }
        if let Some(c) = &h.condition {
            w.leaf("note", &[("type", Some("condition"))], c);
        }
        if !pr.citation.is_empty() {
            w.leaf("note", &[("type", Some("citation"))], &pr.citation);
        }
        w.close("bibl");
    }
    w.open(
        "bibl",
        &[("type", Some("digital")), ("xml:id", Some("src-web"))],
    );
    let dg = h.digital.clone().unwrap_or_default();
    if h.print.is_none() {
        for a in &h.authors {
            let r = a.ref_id.as_ref().map(|r| format!("#{r}"));
            w.leaf("author", &[("ref", r.as_deref())], &a.name);
        }
    }
    match dg.post.as_ref().and_then(|p| p.title.as_ref()) {
        Some(t) => w.leaf("title", &[("level", Some("a"))], t),
        None => w.leaf("title", &[("level", Some("a"))], &h.title),
    }
    if let Some(t) = &dg.title {
        w.leaf("title", &[("level", Some("m"))], t);
    }
    if let Some(p) = &dg.publisher {
        w.leaf("publisher", &[], p);
    }
    if let Some(u) = &dg.url {
        w.leaf("ref", &[("target", Some(u))], u);
    }
    if let Some(post) = &dg.post {
        if let Some(by) = &post.by {
            w.open("respStmt", &[]);
            w.leaf("resp", &[], "posted by");
            match &post.by_ref {
                Some(r) => w.leaf("persName", &[("ref", Some(&format!("#{r}")))], by),
                None => w.leaf("name", &[], by),
            }
            w.close("respStmt");
        }
        if let Some(d) = &post.date {
            date_leaf(w, Some("posted"), d);
        }
        w.leaf("note", &[("type", Some("post"))], &post.text);
    }
    if let Some(d) = &dg.last_updated {
        date_leaf(w, Some("lastUpdated"), d);
    }
    if let Some(b) = &dg.breadcrumb {
        w.leaf("note", &[("type", Some("breadcrumb"))], b);
    }
    for r in &h.resp {
        w.open("respStmt", &[]);
        w.leaf("resp", &[], &r.role);
        for a in &r.names {
            agent(w, a);
        }
        w.close("respStmt");
    }
    if h.print.is_none()
        && let Some(c) = &h.condition
    {
        w.leaf("note", &[("type", Some("condition"))], c);
    }
    for n in &h.notes {
        w.leaf("note", &[], n);
    }
    w.leaf("idno", &[("type", Some("file"))], &h.source_file);
    w.close("bibl");
    w.close("sourceDesc");
    w.close("fileDesc");

    // encodingDesc
    w.open("encodingDesc", &[]);
    w.open("editorialDecl", &[]);
    for p in editorial(ed) {
        w.leaf("p", &[], &p);
    }
    w.close("editorialDecl");
    w.open("appInfo", &[]);
    w.open(
        "application",
        &[("ident", Some("teikit")), ("version", Some(crate::VERSION))],
    );
    w.leaf("label", &[], "teikit");
    w.leaf(
        "desc",
        &[],
        "Converted the plain-text transcription to TEI: structure, notes, lacunae, names, dates, languages.",
    );
    w.close("application");
    w.close("appInfo");
    w.close("encodingDesc");

    // profileDesc
    w.open("profileDesc", &[]);
    if let Some(wr) = &h.written {
        w.open("creation", &[]);
        date_leaf(w, None, wr);
        w.close("creation");
    }
    w.open("langUsage", &[]);
    for l in &ed.languages {
        w.leaf("language", &[("ident", Some(&l.ident))], &l.name);
    }
    w.close("langUsage");
    for c in &ed.correspondence {
        let r = format!("#{}", c.letter);
        w.open("correspDesc", &[("ref", Some(&r))]);
        action(w, "sent", &c.sent);
        action(w, "received", &c.received);
        if !c.context.is_empty() {
            w.open("correspContext", &[]);
            for l in &c.context {
                let t = format!("#{}", l.letter);
                // A link the converter inferred (ENCODING A9).
                w.leaf(
                    "ref",
                    &[
                        ("type", Some(&l.kind)),
                        ("target", Some(&t)),
                        ("resp", Some("#r-conv")),
                    ],
                    &l.text,
                );
            }
            w.close("correspContext");
        }
        w.close("correspDesc");
    }
    w.close("profileDesc");

    w.open("revisionDesc", &[]);
    w.leaf(
        "change",
        &[("who", Some("#r-conv"))],
        &format!(
            "Converted from {} by teikit {}.",
            h.source_file,
            crate::VERSION
        ),
    );
    w.close("revisionDesc");
    w.close("teiHeader");
}

fn action(w: &mut W, kind: &str, a: &CorrespAction) {
    if a.agents.is_empty() && a.place.is_none() && a.date.is_none() {
        return;
    }
    w.open("correspAction", &[("type", Some(kind))]);
    for ag in &a.agents {
        agent(w, ag);
    }
    if let Some(p) = &a.place {
        agent(w, p);
    }
    if let Some(d) = &a.date {
        let attrs = date_attrs(d);
        w.leaf("date", &attrs, &d.text);
    }
    w.close("correspAction");
}

fn editorial(ed: &Edition) -> Vec<String> {
    let d = &ed.header.decisions;
    let mut out = Vec::new();
    if d.gaps > 0 {
        out.push(if ed.header.damaged {
            "Lacunae written [...] or […] in the source are encoded as gap with reason=\"damage\": the source declares a damaged copy. No extent is given where the source gives none.".to_string()
        } else {
            "Omissions written [...] or […] in the source are encoded as gap with reason=\"editorial\". No extent is given where the source gives none.".to_string()
        });
    }
    if d.supplied > 0 {
        out.push("Words the source gives in square brackets are encoded as supplied: reason=\"damage\" for text restored in a damaged passage, reason=\"clarification\" for an editor's gloss, reason=\"omitted-in-original\" for a dateline part added by the editor.".to_string());
    }
    if d.expansions > 0 {
        out.push(
            "A bracket inside a word (N[atalia]) is encoded as an expansion (ex).".to_string(),
        );
    }
    if d.notes_moved > 0 {
        out.push("Notes printed after the text are encoded inline at their markers; n keeps the marker as printed.".to_string());
    }
    if d.boilerplate_removed > 0 {
        out.push(format!(
            "Web-page furniture ({} line{}: navigation, forum footers) was removed; statements about the source were moved into this header.",
            d.boilerplate_removed,
            if d.boilerplate_removed == 1 { "" } else { "s" }
        ));
    }
    if d.registry_used {
        out.push("Names of persons, places, organisations and periodicals were tagged automatically from a registry; doubtful matches carry cert and resp=\"#r-conv\".".to_string());
    }
    if d.provisional > 0 {
        out.push(format!(
            "Names in letter heads, datelines, signatures and salutations that the registry does not know have provisional register entries ({} in all), made by the conversion (resp=\"#r-conv\", a note of type provisional); their mentions carry cert=\"low\".{}",
            d.provisional,
            if d.provisional_names {
                " Frequent capitalised names of the running text that the registry does not know were tagged the same way."
            } else {
                ""
            }
        ));
    }
    if d.editorial_bodies > 0 {
        out.push("A periodical named as the sender or addressee of a letter is encoded there as orgName pointing to the organisation behind it (its editorial body); elsewhere it is a title.".to_string());
    }
    out.push("Dates are normalised to ISO 8601; two-digit years take their century from the years the source covers; doubtful normalisations carry cert and resp=\"#r-conv\". Languages of paragraphs were identified automatically.".to_string());
    out
}

// ---- standOff ----------------------------------------------------------------------------

fn stand_off(w: &mut W, ed: &Edition) {
    if ed.register.is_empty() && ed.translations.is_empty() {
        return;
    }
    w.open("standOff", &[]);
    let groups: [(EntityKind, &str); 4] = [
        (EntityKind::Person, "listPerson"),
        (EntityKind::Place, "listPlace"),
        (EntityKind::Org, "listOrg"),
        (EntityKind::Title, "listBibl"),
    ];
    for (kind, list) in groups {
        let es: Vec<&Entity> = ed.register.iter().filter(|e| e.kind == kind).collect();
        if es.is_empty() {
            continue;
        }
        w.open(list, &[]);
        for e in es {
            let made = ed.made.iter().find(|m| m.id == e.id).map(|m| &m.why);
            entity(w, ed, e, made);
        }
        w.close(list);
    }
    if !ed.translations.is_empty() {
        w.open("linkGrp", &[("type", Some("translation"))]);
        for (a, b) in &ed.translations {
            let t = format!("#{a} #{b}");
            w.empty("link", &[("target", Some(&t))]);
        }
        w.close("linkGrp");
    }
    w.close("standOff");
}

fn entity(w: &mut W, ed: &Edition, e: &Entity, made: Option<&MadeWhy>) {
    let (el, name_el) = match e.kind {
        EntityKind::Person => ("person", "persName"),
        EntityKind::Place => ("place", "placeName"),
        EntityKind::Org => ("org", "orgName"),
        EntityKind::Title => ("bibl", "title"),
    };
    // An entry the converter made is its responsibility (ENCODING A9).
    w.open(
        el,
        &[("xml:id", Some(&e.id)), ("resp", made.map(|_| "#r-conv"))],
    );
    let mut seen = BTreeSet::new();
    for (i, n) in e.names.iter().enumerate() {
        if !seen.insert((&n.text, &n.kind)) {
            continue;
        }
        let t = n
            .kind
            .clone()
            .unwrap_or_else(|| if i == 0 { "preferred" } else { "variant" }.into());
        if e.kind == EntityKind::Title {
            w.leaf(
                "title",
                &[
                    ("level", e.level.as_deref()),
                    ("type", Some(&t)),
                    ("xml:lang", n.lang.as_deref()),
                ],
                &n.text,
            );
        } else {
            w.leaf(
                name_el,
                &[("type", Some(&t)), ("xml:lang", n.lang.as_deref())],
                &n.text,
            );
        }
    }
    if e.names.is_empty() {
        w.leaf(name_el, &[], &e.id);
    }
    for i in &e.idnos {
        w.leaf("idno", &[("type", Some(&i.kind))], &i.uri);
    }
    match made {
        None => {
            if let Some(n) = &e.note {
                w.leaf("note", &[], n);
            }
        }
        Some(MadeWhy::Provisional) => {
            if let Some(n) = &e.note {
                w.leaf("note", &[("type", Some("provisional"))], n);
            }
        }
        Some(MadeWhy::Unnamed) => {
            if let Some(n) = &e.note {
                w.leaf("note", &[("type", Some("unnamed"))], n);
            }
        }
        Some(MadeWhy::EditorialBody { title }) => {
            // The periodical the organisation stands for, pointed to in its own entry.
            let t = ed.register.iter().find(|x| &x.id == title);
            let r = format!("#{title}");
            let level = t.and_then(|t| t.level.as_deref());
            let name = t.map_or(title.as_str(), Entity::preferred);
            w.nl();
            w.istart("note", &[("type", Some("periodical"))]);
            w.text("The editorial body of the periodical ");
            w.istart("title", &[("level", level), ("ref", Some(&r))]);
            w.text(name);
            w.iend("title");
            w.text(", named as a correspondent of letters in this edition (entry made by teikit convert).");
            w.iend("note");
        }
    }
    w.close(el);
}

// ---- output check ------------------------------------------------------------------------

/// Checks a generated edition before it is written: it must be well-formed (read back with
/// teikit's own XML reader) and, when a schema validator is given, valid. Errors are
/// reported as `CNV080` (a bug in teikit: the converter wrote TEI its schema rejects),
/// each with the validator's own message.
pub fn check(
    xml: &str,
    file: crate::diag::FileId,
    validator: Option<&mut crate::rng::Validator<'_>>,
) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::Diagnostic;
    use crate::transcription::codes::OUTPUT_CHECK;
    let doc = match crate::xml::Document::parse(xml) {
        Ok(d) => d,
        Err(e) => {
            return vec![
                Diagnostic::error(
                    &OUTPUT_CHECK,
                    format!("the generated TEI is not well-formed: {e}"),
                )
                .at(file, e.pos..e.pos),
            ];
        }
    };
    let Some(v) = validator else {
        return Vec::new();
    };
    v.validate(&doc, file, &Default::default())
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let mut out = Diagnostic::error(
                &OUTPUT_CHECK,
                format!(
                    "the generated TEI is not valid: {} ({})",
                    d.message, d.code.id
                ),
            );
            out.primary = d.primary;
            out.help =
                Some("this is a bug in teikit convert; please report it with the source".into());
            out
        })
        .collect()
}
