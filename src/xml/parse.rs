//! The well-formedness parser: decoded text → [`Document`].
//!
//! A hand-written, single-pass, iterative parser for XML 1.0 (Fifth Edition) with
//! Namespaces in XML 1.0. See the [module documentation](super) for what it accepts and
//! refuses, and why it is not built on a tokenizer crate.
//!
//! Shape: [`parse`] first finds the first illegal character of the whole text (one table
//! lookup per byte), then runs the parser on the text *before* it. An error the parser
//! finds earlier wins; otherwise the illegal character is the error. So every reported
//! error is the first one in document order, and no scanner below has to check `Char`.
//!
//! The element stack (`Parser::open`) and the namespace scope (`Parser::bindings`, an undo
//! log over a hash map from prefix to binding) are explicit, so nesting depth costs heap,
//! never call stack, and every prefix lookup is O(1). Attribute uniqueness — by qualified
//! name and, for prefixed attributes, by expanded name — is checked with a hash set once an
//! element has more than a handful of attributes, so a start tag costs O(attributes).

use std::borrow::Cow;
// Maps keyed by the document's names: foldhash, seeded per process (fast, and not
// open to precomputed collisions as an unseeded hash would be).
use foldhash::{HashMap, HashMapExt};

use super::chars::{
    ascii_name_byte, ascii_name_start_byte, describe_char, first_illegal_char, is_name_char,
    is_name_start, is_space, is_xml_char,
};
use super::tree::{Builder, Document, Error, ErrorKind, Limit, MAX_TEXT_BYTES, ParseOptions};
use super::{XML_NS, XMLNS_NS};

const NONE: u32 = u32::MAX;
/// Resolved-namespace marker for the implicit `xml` prefix.
const XML_BINDING: u32 = u32::MAX - 1;
/// Resolved-namespace marker for a namespace declaration (not an attribute in the tree).
const DECL: u32 = u32::MAX - 2;
/// Below this many attributes, uniqueness is checked pairwise (faster than hashing).
const PAIRWISE_MAX: usize = 8;

/// Parses decoded XML text into a document.
pub(crate) fn parse(text: &str, options: &ParseOptions) -> Result<Document, Error> {
    if text.len() > options.max_input_bytes {
        return Err(size_limit(text.len(), options.max_input_bytes));
    }
    // The tree stores offsets as u32 (with headroom for copied strings).
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::limit_hit(
            Limit::InputBytes,
            0,
            "documents of 1 GiB or more are not supported",
        ));
    }
    let bad = first_illegal_char(text.as_bytes());
    let mut p = Parser::new(text, bad, options);
    match p.document() {
        Ok(()) if bad == text.len() => Ok(p.b.finish()),
        // An error before the first illegal character (or in a text without one) wins.
        Err(e) if e.pos < bad || bad == text.len() => Err(e),
        _ => Err(illegal_char(text, bad)),
    }
}

/// The error for an input over [`ParseOptions::max_input_bytes`].
pub(crate) fn size_limit(len: usize, max: usize) -> Error {
    Error::limit_hit(
        Limit::InputBytes,
        0,
        format!(
            "the input is {len} bytes, more than the input-size limit of {max} bytes \
             (raise ParseOptions::max_input_bytes to read it)"
        ),
    )
}

fn illegal_char(text: &str, pos: usize) -> Error {
    let c = text[pos..].chars().next().unwrap_or('\0');
    let why = match c {
        '\0' => "NUL is never allowed in XML",
        '\u{FFFE}' | '\u{FFFF}' => "U+FFFE and U+FFFF are excluded from XML's characters",
        _ => {
            "XML 1.0 allows no control characters below U+0020 except tab, newline and carriage return"
        }
    };
    Error::new(
        ErrorKind::Syntax,
        pos,
        format!(
            "illegal character U+{:04X} ({why}); expected text or markup made of XML characters",
            c as u32
        ),
    )
}

/// Shortens a name or other echoed input for a message (huge names must not flood logs).
fn show(s: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    if s.len() <= MAX {
        return Cow::Borrowed(s);
    }
    let mut cut = MAX;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    Cow::Owned(format!("{}… ({} bytes)", &s[..cut], s.len()))
}

/// Attribute-value bytes that end a plain run.
static ATTR_STOP: [bool; 256] = byte_set(b"\"'<&\t\n\r");

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

/// A qualified name in the source: `start..end`, with the colon's offset if prefixed.
#[derive(Clone, Copy)]
struct QName {
    start: usize,
    colon: Option<usize>,
    end: usize,
}

impl QName {
    fn full<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
    fn prefix<'t>(&self, text: &'t str) -> &'t str {
        match self.colon {
            Some(c) => &text[self.start..c],
            None => "",
        }
    }
    fn local<'t>(&self, text: &'t str) -> &'t str {
        match self.colon {
            Some(c) => &text[c + 1..self.end],
            None => &text[self.start..self.end],
        }
    }
}

/// Where an attribute's (normalised) value lives: in the source, or in the scratch buffer.
#[derive(Clone, Copy)]
enum Val {
    Text(usize, usize),
    Buf(usize, usize),
}

#[derive(Clone, Copy)]
struct RawAttr {
    name: QName,
    value: Val,
    range: (usize, usize),
    value_range: (usize, usize),
}

/// A namespace binding in scope; `prev` is the binding of the same prefix it shadows.
struct Binding<'t> {
    prefix: &'t str,
    uri: Cow<'t, str>,
    prev: u32,
}

/// An open element.
struct Open {
    name: QName,
    start: usize,
    bindings: usize,
}

struct Parser<'t, 'o> {
    text: &'t str,
    s: &'t [u8],
    /// Parsing stops here: the first illegal character, or the end of the text.
    end: usize,
    pos: usize,
    opts: &'o ParseOptions,
    b: Builder,
    bindings: Vec<Binding<'t>>,
    scope: HashMap<&'t str, u32>,
    open: Vec<Open>,
    attrs: Vec<RawAttr>,
    /// Resolved namespace (binding index, `NONE` or `XML_BINDING`) per attribute.
    attr_ns: Vec<u32>,
    /// Normalised attribute values of the current start tag.
    abuf: String,
    /// Normalised character data.
    tbuf: String,
}

impl<'t, 'o> Parser<'t, 'o> {
    fn new(text: &'t str, end: usize, opts: &'o ParseOptions) -> Self {
        Parser {
            text,
            s: text.as_bytes(),
            end,
            pos: 0,
            opts,
            b: Builder::new(text.to_string()),
            bindings: Vec::new(),
            scope: HashMap::new(),
            open: Vec::new(),
            attrs: Vec::new(),
            attr_ns: Vec::new(),
            abuf: String::new(),
            tbuf: String::new(),
        }
    }

    // ---- small helpers -------------------------------------------------------------

    fn byte(&self, i: usize) -> Option<u8> {
        (i < self.end).then(|| self.s[i])
    }

    fn peek(&self) -> Option<u8> {
        self.byte(self.pos)
    }

    fn at(&self, lit: &[u8]) -> bool {
        self.pos <= self.end && self.s[self.pos..self.end].starts_with(lit)
    }

    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or('\0')
    }

    /// What stands at `i`, for messages.
    fn found(&self, i: usize) -> String {
        if i >= self.end {
            "the end of the input".to_string()
        } else {
            describe_char(self.char_at(i))
        }
    }

    fn syntax(&self, pos: usize, msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, pos, msg)
    }

    fn expected(&self, what: &str) -> Error {
        self.syntax(
            self.pos,
            format!("expected {what}, found {}", self.found(self.pos)),
        )
    }

    fn skip_space(&mut self) -> bool {
        let start = self.pos;
        while self.pos < self.end && is_space(self.s[self.pos]) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// A `Name` at the current position.
    fn name(&mut self, what: &str) -> Result<(usize, usize), Error> {
        let (s, end, start) = (self.s, self.end, self.pos);
        let mut i = start;
        if i >= end {
            return Err(self.expected(what));
        }
        if s[i] < 0x80 {
            if !ascii_name_start_byte(s[i]) {
                return Err(self.expected(what));
            }
            i += 1;
        } else {
            let c = self.char_at(i);
            if !is_name_start(c) {
                return Err(self.expected(what));
            }
            i += c.len_utf8();
        }
        loop {
            while i < end && ascii_name_byte(s[i]) {
                i += 1;
            }
            if i < end && s[i] >= 0x80 {
                let c = self.char_at(i);
                if is_name_char(c) {
                    i += c.len_utf8();
                    continue;
                }
            }
            break;
        }
        if i - start > self.opts.max_name_bytes {
            return Err(Error::limit_hit(
                Limit::NameBytes,
                start,
                format!(
                    "a name of {} bytes is longer than the name-length limit of {} bytes \
                     (raise ParseOptions::max_name_bytes to read it)",
                    i - start,
                    self.opts.max_name_bytes
                ),
            ));
        }
        self.pos = i;
        Ok((start, i))
    }

    /// A `QName` (Namespaces in XML 1.0 §4): a `Name` with at most one colon, which is
    /// neither first nor last and is followed by a name-start character.
    fn qname(&mut self, what: &str) -> Result<QName, Error> {
        let (start, end) = self.name(what)?;
        let bytes = &self.s[start..end];
        let Some(c) = bytes.iter().position(|&b| b == b':') else {
            return Ok(QName {
                start,
                colon: None,
                end,
            });
        };
        let colon = start + c;
        let full = &self.text[start..end];
        if colon == start || colon + 1 == end {
            return Err(self.syntax(
                start,
                format!(
                    "the name '{}' starts or ends with ':'; expected prefix:local or a name \
                     without a colon (Namespaces in XML 1.0)",
                    show(full)
                ),
            ));
        }
        if bytes[c + 1..].contains(&b':') {
            return Err(self.syntax(
                start,
                format!(
                    "the name '{}' has more than one ':'; expected prefix:local with a single colon \
                     (Namespaces in XML 1.0)",
                    show(full)
                ),
            ));
        }
        if !is_name_start(self.char_at(colon + 1)) {
            return Err(self.syntax(
                colon + 1,
                format!(
                    "the local part of '{}' does not start with a name-start character",
                    show(full)
                ),
            ));
        }
        Ok(QName {
            start,
            colon: Some(colon),
            end,
        })
    }

    // ---- document level ------------------------------------------------------------

    fn document(&mut self) -> Result<(), Error> {
        if self.at("\u{FEFF}".as_bytes()) {
            self.pos = 3;
        }
        if self.at(b"<?xml") && !self.byte(self.pos + 5).is_some_and(ascii_name_byte) {
            self.xml_decl()?;
        }
        let mut seen_root = false;
        let mut seen_doctype = false;
        loop {
            self.skip_space();
            let Some(c) = self.peek() else {
                if !seen_root {
                    return Err(self.syntax(
                        self.pos,
                        "the document has no root element; expected a start tag such as <TEI>",
                    ));
                }
                return Ok(());
            };
            if c != b'<' {
                let msg = if seen_root {
                    format!(
                        "text after the root element (found {}); expected only comments, \
                         processing instructions or white space after the root element",
                        self.found(self.pos)
                    )
                } else {
                    format!(
                        "text before the root element (found {}); expected '<' starting the \
                         root element, a comment, a processing instruction or a DOCTYPE",
                        self.found(self.pos)
                    )
                };
                return Err(self.syntax(self.pos, msg));
            }
            match self.byte(self.pos + 1) {
                Some(b'?') => self.pi(true)?,
                Some(b'!') => {
                    if self.at(b"<!--") {
                        self.comment(true)?;
                    } else if self.at(b"<!DOCTYPE") {
                        if seen_root {
                            return Err(self.syntax(
                                self.pos,
                                "a DOCTYPE after the root element; expected it before the root element",
                            ));
                        }
                        if seen_doctype {
                            return Err(self.syntax(
                                self.pos,
                                "a second DOCTYPE; a document has at most one, before the root element",
                            ));
                        }
                        self.doctype()?;
                        seen_doctype = true;
                    } else if self.at(b"<![CDATA[") {
                        return Err(self.syntax(
                            self.pos,
                            "a CDATA section outside the root element; expected it inside an element",
                        ));
                    } else {
                        return Err(self.syntax(
                            self.pos,
                            "expected '<!--' (a comment) or '<!DOCTYPE' after '<!'",
                        ));
                    }
                }
                Some(b'/') => {
                    return Err(self.syntax(
                        self.pos,
                        if seen_root {
                            "an end tag after the root element was closed; expected no more elements"
                        } else {
                            "an end tag before any start tag; expected the root element's start tag"
                        },
                    ));
                }
                _ => {
                    if seen_root {
                        return Err(self.syntax(
                            self.pos,
                            "a second root element; a document has exactly one root element, \
                             expected only comments, processing instructions or white space here",
                        ));
                    }
                    self.element_tree()?;
                    seen_root = true;
                }
            }
        }
    }

    /// `XMLDecl` ([23]); the caller saw `<?xml` followed by a non-name character.
    fn xml_decl(&mut self) -> Result<(), Error> {
        self.pos += 5;
        if !self.skip_space() {
            return Err(self.expected("white space and version=\"1.0\" after '<?xml'"));
        }
        if !self.at(b"version") {
            return Err(
                self.expected("'version' (the XML declaration starts with version=\"1.0\")")
            );
        }
        self.pos += 7;
        let (vs, ve) = self.decl_value()?;
        let v = &self.text[vs..ve];
        let is_1x =
            v.len() > 2 && v.starts_with("1.") && v[2..].bytes().all(|b| b.is_ascii_digit());
        if !is_1x {
            return Err(self.syntax(
                vs,
                format!("invalid XML version '{}'; expected 1.0", show(v)),
            ));
        }
        if v == "1.1" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                vs,
                "XML 1.1 is not supported: teikit reads XML 1.0 (if the document uses no XML 1.1 \
                 feature, declare version=\"1.0\")",
            ));
        }
        if v != "1.0" {
            return Err(Error::new(
                ErrorKind::Unsupported,
                vs,
                format!("XML version {v} is not supported; expected 1.0"),
            ));
        }
        let mut space = self.skip_space();
        if space && self.at(b"encoding") {
            self.pos += 8;
            let (es, ee) = self.decl_value()?;
            let enc = &self.s[es..ee];
            let ok = !enc.is_empty()
                && enc[0].is_ascii_alphabetic()
                && enc
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !ok {
                return Err(self.syntax(
                    es,
                    format!(
                        "invalid encoding name '{}'; expected a name such as UTF-8",
                        show(&self.text[es..ee])
                    ),
                ));
            }
            space = self.skip_space();
        }
        if space && self.at(b"standalone") {
            self.pos += 10;
            let (ss, se) = self.decl_value()?;
            if !matches!(&self.text[ss..se], "yes" | "no") {
                return Err(self.syntax(
                    ss,
                    format!(
                        "standalone='{}'; expected 'yes' or 'no'",
                        show(&self.text[ss..se])
                    ),
                ));
            }
            self.skip_space();
        }
        if !self.at(b"?>") {
            return Err(self.expected(
                "'?>' ending the XML declaration (it holds only version, encoding and \
                 standalone, in this order)",
            ));
        }
        self.pos += 2;
        Ok(())
    }

    /// `Eq` and a quoted value of the XML declaration; returns the value's range.
    fn decl_value(&mut self) -> Result<(usize, usize), Error> {
        self.skip_space();
        if self.peek() != Some(b'=') {
            return Err(self.expected("'='"));
        }
        self.pos += 1;
        self.skip_space();
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(self.expected("a quoted value")),
        };
        self.pos += 1;
        let start = self.pos;
        while self.pos < self.end && self.s[self.pos] != q {
            if matches!(self.s[self.pos], b'<' | b'>' | b'?') {
                return Err(self.expected("the closing quote of the value"));
            }
            self.pos += 1;
        }
        if self.pos >= self.end {
            return Err(self.expected("the closing quote of the value"));
        }
        self.pos += 1;
        Ok((start, self.pos - 1))
    }

    // ---- DOCTYPE -------------------------------------------------------------------

    /// `doctypedecl` ([28]): read well enough to skip it; entity declarations and
    /// parameter-entity references are refused.
    fn doctype(&mut self) -> Result<(), Error> {
        self.pos += 9;
        if !self.skip_space() {
            return Err(self.expected("white space after '<!DOCTYPE'"));
        }
        self.name("the root element's name in the DOCTYPE")?;
        let space = self.skip_space();
        if space && (self.at(b"SYSTEM") || self.at(b"PUBLIC")) {
            let public = self.at(b"PUBLIC");
            self.pos += 6;
            if !self.skip_space() {
                return Err(self.expected("white space and a quoted identifier"));
            }
            if public {
                let (ps, pe) = self.quoted("a quoted public identifier")?;
                let quote = self.s[ps - 1];
                if let Some(k) = self.s[ps..pe]
                    .iter()
                    .position(|&b| !is_pubid_char(b, quote))
                {
                    return Err(self.syntax(
                        ps + k,
                        format!(
                            "{} is not allowed in a public identifier",
                            self.found(ps + k)
                        ),
                    ));
                }
                if !self.skip_space() {
                    return Err(self.expected("white space and a quoted system identifier"));
                }
            }
            // The system identifier is never resolved: no external subset is ever read.
            self.quoted("a quoted system identifier")?;
            self.skip_space();
        }
        if self.peek() == Some(b'[') {
            self.pos += 1;
            self.internal_subset()?;
            self.skip_space();
        }
        if self.peek() != Some(b'>') {
            return Err(self.expected("'>' ending the DOCTYPE"));
        }
        self.pos += 1;
        Ok(())
    }

    /// A quoted literal; returns the range between the quotes.
    fn quoted(&mut self, what: &str) -> Result<(usize, usize), Error> {
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(self.expected(what)),
        };
        let start = self.pos + 1;
        match self.s[start..self.end].iter().position(|&b| b == q) {
            Some(k) => {
                self.pos = start + k + 1;
                Ok((start, start + k))
            }
            None => Err(self.syntax(
                self.end,
                format!(
                    "the literal opened at byte {} is not closed; expected {}",
                    start - 1,
                    q as char
                ),
            )),
        }
    }

    fn internal_subset(&mut self) -> Result<(), Error> {
        let open = self.pos - 1;
        loop {
            self.skip_space();
            match self.peek() {
                None => {
                    return Err(self.syntax(
                        self.end,
                        format!(
                            "the DOCTYPE's internal subset opened at byte {open} is not closed; \
                             expected ']'"
                        ),
                    ));
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'%') => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        self.pos,
                        "parameter-entity references are not supported: teikit never expands DTD \
                         entities",
                    ));
                }
                Some(b'<') => {
                    if self.at(b"<!--") {
                        self.comment(false)?;
                    } else if self.at(b"<?") {
                        self.pi(false)?;
                    } else if self.at(b"<!ENTITY") {
                        if self.unparsed_entity_decl()? {
                            continue;
                        }
                        let name = self.entity_decl_name();
                        return Err(Error::new(
                            ErrorKind::Unsupported,
                            self.pos,
                            format!(
                                "entity declarations are not supported: teikit never expands DTD \
                                 entities (found the declaration of {name}); replace the entity \
                                 references by the text or characters they stand for"
                            ),
                        ));
                    } else if self.at(b"<!ELEMENT")
                        || self.at(b"<!ATTLIST")
                        || self.at(b"<!NOTATION")
                    {
                        self.skip_markup_decl()?;
                    } else if self.at(b"<![") {
                        return Err(self.syntax(
                            self.pos,
                            "a conditional section in the internal subset; they are allowed only \
                             in external DTDs",
                        ));
                    } else {
                        return Err(self.expected(
                            "a markup declaration (<!ELEMENT, <!ATTLIST, <!NOTATION), a comment, \
                             a processing instruction or ']'",
                        ));
                    }
                }
                Some(_) => {
                    return Err(self.expected(
                        "a markup declaration, a comment, a processing instruction or ']' in the \
                         internal subset",
                    ));
                }
            }
        }
    }

    /// An unparsed entity declaration at `<!ENTITY` (`<!ENTITY name SYSTEM "uri" NDATA
    /// notation>`, [71]–[76]): recorded on the document and skipped. Such an entity is never
    /// expanded — a reference to it is a well-formedness error (WFC Parsed Entity) — so its
    /// declaration is safe; it only makes the name valid for ENTITY attributes. Returns false,
    /// with the position unchanged, for every other entity declaration (then refused).
    fn unparsed_entity_decl(&mut self) -> Result<bool, Error> {
        let start = self.pos;
        let found = self.try_unparsed_entity_decl();
        if found.is_none() {
            self.pos = start;
        }
        Ok(match found {
            Some((ns, ne)) => {
                self.b.add_unparsed_entity(&self.text[ns..ne]);
                true
            }
            None => false,
        })
    }

    fn try_unparsed_entity_decl(&mut self) -> Option<(usize, usize)> {
        self.pos += 8;
        if !self.skip_space() || self.peek() == Some(b'%') {
            return None;
        }
        let (ns, ne) = self.name("an entity name").ok()?;
        if self.text[ns..ne].contains(':') || !self.skip_space() {
            return None;
        }
        let public = if self.at(b"PUBLIC") {
            true
        } else if self.at(b"SYSTEM") {
            false
        } else {
            return None;
        };
        self.pos += 6;
        if !self.skip_space() {
            return None;
        }
        if public {
            let (ps, pe) = self.quoted("a quoted public identifier").ok()?;
            let quote = self.s[ps - 1];
            if !self.s[ps..pe].iter().all(|&b| is_pubid_char(b, quote)) || !self.skip_space() {
                return None;
            }
        }
        self.quoted("a quoted system identifier").ok()?;
        if !self.skip_space() || !self.at(b"NDATA") {
            return None;
        }
        self.pos += 5;
        if !self.skip_space() {
            return None;
        }
        let (_, _) = self.name("a notation name").ok()?;
        self.skip_space();
        if self.peek() != Some(b'>') {
            return None;
        }
        self.pos += 1;
        Some((ns, ne))
    }

    /// The name of the entity declared at the current `<!ENTITY`, for the message.
    fn entity_decl_name(&self) -> String {
        let rest = &self.s[self.pos + 8..self.end];
        let mut i = rest.iter().take_while(|&&b| is_space(b)).count();
        let pe = rest.get(i) == Some(&b'%');
        if pe {
            i += 1;
            i += rest[i..].iter().take_while(|&&b| is_space(b)).count();
        }
        let start = self.pos + 8 + i;
        let mut end = start;
        while end < self.end
            && !is_space(self.s[end])
            && !matches!(self.s[end], b'"' | b'\'' | b'>')
        {
            end += 1;
        }
        let name = show(&self.text[start..end]);
        if pe {
            format!("the parameter entity %{name};")
        } else {
            format!("entity &{name};")
        }
    }

    /// Skips `<!ELEMENT …>`, `<!ATTLIST …>` or `<!NOTATION …>`, honouring quoted literals.
    fn skip_markup_decl(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 2;
        let (ks, ke) = self.name("a declaration keyword")?;
        let attlist = &self.s[ks..ke] == b"ATTLIST";
        if !self.skip_space() {
            return Err(self.expected("white space after the declaration keyword"));
        }
        loop {
            let Some(c) = self.peek() else {
                return Err(self.syntax(
                    self.end,
                    format!(
                        "the markup declaration opened at byte {start} is not closed; expected '>'"
                    ),
                ));
            };
            match c {
                b'>' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'"' | b'\'' if attlist => {
                    // A default value (AttValue [10]): no '<', only valid references.
                    let open = self.pos;
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => {
                                return Err(self.syntax(
                                    self.end,
                                    format!("the literal opened at byte {open} is not closed"),
                                ));
                            }
                            Some(q) if q == c => break,
                            Some(b'<') => {
                                return Err(self.syntax(
                                    self.pos,
                                    "'<' in an attribute default value; expected text or references",
                                ));
                            }
                            Some(b'&') => {
                                self.reference()?;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                    self.pos += 1;
                }
                b'"' | b'\'' => {
                    self.quoted("a literal")?;
                }
                b'%' if self
                    .byte(self.pos + 1)
                    .is_some_and(|b| b >= 0x80 || ascii_name_start_byte(b)) =>
                {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        self.pos,
                        "parameter-entity references are not supported: teikit never expands DTD \
                         entities",
                    ));
                }
                b'<' => {
                    return Err(self.syntax(
                        self.pos,
                        format!(
                            "'<' inside the markup declaration opened at byte {start}; expected '>' \
                             ending it first"
                        ),
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    // ---- content -------------------------------------------------------------------

    /// The root element and everything inside it, iteratively.
    fn element_tree(&mut self) -> Result<(), Error> {
        self.start_tag()?;
        while let Some(open) = self.open.last() {
            let (ostart, oname) = (open.start, open.name);
            self.text()?;
            if self.pos >= self.end {
                let name = show(oname.full(self.text));
                return Err(self.syntax(
                    self.end,
                    format!(
                        "the document ends inside element <{name}> opened at byte {ostart}; \
                         expected </{name}>"
                    ),
                ));
            }
            match self.byte(self.pos + 1) {
                Some(b'/') => self.end_tag()?,
                Some(b'?') => self.pi(true)?,
                Some(b'!') => {
                    if self.at(b"<!--") {
                        self.comment(true)?;
                    } else if self.at(b"<![CDATA[") {
                        self.cdata()?;
                    } else if self.at(b"<!DOCTYPE") {
                        return Err(self.syntax(
                            self.pos,
                            "a DOCTYPE inside an element; expected it before the root element",
                        ));
                    } else {
                        return Err(self.syntax(
                            self.pos,
                            "expected '<!--' (a comment) or '<![CDATA[' after '<!'",
                        ));
                    }
                }
                _ => self.start_tag()?,
            }
        }
        Ok(())
    }

    /// Character data up to the next `<` (or the end): references resolved, line ends
    /// normalised, `]]>` refused.
    fn text(&mut self) -> Result<(), Error> {
        let (s, text, end) = (self.s, self.text, self.end);
        let start = self.pos;
        let mut i = start;
        let mut run = start;
        let mut owned = false;
        loop {
            let stop = memchr::memchr3(b'<', b'&', b'\r', &s[i..end]).map_or(end, |k| i + k);
            // "]]>" holds no stop byte, so it lies inside one run.
            for k in memchr::memchr_iter(b']', &s[i..stop]) {
                if s[i + k..end].starts_with(b"]]>") {
                    return Err(self.syntax(
                        i + k,
                        "']]>' in text; it may only end a CDATA section (write ]]&gt;)",
                    ));
                }
            }
            i = stop;
            if i >= end || s[i] == b'<' {
                break;
            }
            if !owned {
                self.tbuf.clear();
                owned = true;
            }
            self.tbuf.push_str(&text[run..i]);
            if s[i] == b'\r' {
                self.tbuf.push('\n');
                i += 1;
                if i < end && s[i] == b'\n' {
                    i += 1;
                }
            } else {
                self.pos = i;
                let c = self.reference()?;
                self.tbuf.push(c);
                i = self.pos;
            }
            run = i;
        }
        if i > start {
            if owned {
                self.tbuf.push_str(&text[run..i]);
                self.b.text_node(&self.tbuf, start..i);
            } else {
                self.b.text_node_source(start..i);
            }
        }
        self.pos = i;
        Ok(())
    }

    /// An entity or character reference at `&`; leaves the position after the `;`.
    fn reference(&mut self) -> Result<char, Error> {
        let amp = self.pos;
        if self.byte(amp + 1) == Some(b'#') {
            return self.char_ref(amp);
        }
        self.pos = amp + 1;
        let starts_name = match self.peek() {
            None => false,
            Some(b) if b < 0x80 => ascii_name_start_byte(b) && b != b':',
            Some(_) => is_name_start(self.char_at(self.pos)),
        };
        if !starts_name {
            return Err(self.syntax(
                amp,
                format!(
                    "'&' followed by {}; expected a reference such as &amp; or &#233; \
                     (write &amp; for a literal ampersand)",
                    self.found(amp + 1)
                ),
            ));
        }
        let (ns, ne) = self.name("an entity name")?;
        if self.peek() != Some(b';') {
            return Err(self.syntax(
                amp,
                format!(
                    "'&{}' is not a complete reference (expected ';' after the name, found {}); \
                     write &amp; for a literal ampersand",
                    show(&self.text[ns..ne]),
                    self.found(self.pos)
                ),
            ));
        }
        self.pos += 1;
        Ok(match &self.text[ns..ne] {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            name if self.b.is_unparsed_entity(name) => {
                return Err(self.syntax(
                    amp,
                    format!(
                        "&{}; refers to an unparsed entity, which may only be named in an \
                         ENTITY attribute, never referenced (WFC: Parsed Entity)",
                        show(name)
                    ),
                ));
            }
            name => {
                return Err(self.syntax(
                    amp,
                    format!(
                        "undefined entity &{}; — teikit knows only &lt; &gt; &amp; &apos; &quot; \
                         and character references: write the character itself or a reference \
                         such as &#xE9;",
                        show(name)
                    ),
                ));
            }
        })
    }

    /// `CharRef` ([66]) at `&#`; the value must be a `Char`.
    fn char_ref(&mut self, amp: usize) -> Result<char, Error> {
        let (s, end) = (self.s, self.end);
        let mut i = amp + 2;
        let hex = self.byte(i) == Some(b'x');
        if hex {
            i += 1;
        }
        let digits = i;
        let mut v: u32 = 0;
        while i < end {
            let d = match s[i] {
                b @ b'0'..=b'9' => (b - b'0') as u32,
                b @ b'a'..=b'f' if hex => (b - b'a' + 10) as u32,
                b @ b'A'..=b'F' if hex => (b - b'A' + 10) as u32,
                _ => break,
            };
            // Saturate just past the Unicode range: huge references cannot overflow.
            v = (v * if hex { 16 } else { 10 } + d).min(0x11_0000);
            i += 1;
        }
        if i == digits {
            self.pos = i;
            return Err(self.expected(if hex {
                "a hexadecimal digit in the character reference"
            } else {
                "a decimal digit (or 'x' and hexadecimal digits) in the character reference"
            }));
        }
        if self.byte(i) != Some(b';') {
            self.pos = i;
            return Err(self.expected("';' ending the character reference"));
        }
        i += 1;
        let shown = show(&self.text[amp..i]);
        if !is_xml_char(v) {
            let what = match v {
                0 => "U+0000 (NUL) is never allowed in XML".to_string(),
                0xD800..=0xDFFF => format!("U+{v:04X} is a surrogate code point, not a character"),
                0x11_0000.. => {
                    "the value is beyond U+10FFFF, the last Unicode code point".to_string()
                }
                0xFFFE | 0xFFFF => format!("U+{v:04X} is excluded from XML's characters"),
                _ => format!("U+{v:04X} is a control character XML 1.0 does not allow"),
            };
            return Err(self.syntax(
                amp,
                format!("character reference {shown} is not an XML character: {what}"),
            ));
        }
        self.pos = i;
        char::from_u32(v)
            .ok_or_else(|| self.syntax(amp, format!("invalid character reference {shown}")))
    }

    /// A start tag (or empty-element tag) at `<`.
    fn start_tag(&mut self) -> Result<(), Error> {
        let tag_start = self.pos;
        if self.open.len() >= self.opts.max_depth {
            return Err(Error::limit_hit(
                Limit::Depth,
                tag_start,
                format!(
                    "elements are nested deeper than the nesting-depth limit of {} \
                     (raise ParseOptions::max_depth to read this document)",
                    self.opts.max_depth
                ),
            ));
        }
        self.pos += 1;
        let name = self.qname("an element name after '<'")?;
        self.attrs.clear();
        self.abuf.clear();
        let empty;
        loop {
            let space = self.skip_space();
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    empty = false;
                    break;
                }
                Some(b'/') => {
                    if self.byte(self.pos + 1) == Some(b'>') {
                        self.pos += 2;
                        empty = true;
                        break;
                    }
                    self.pos += 1;
                    return Err(self.expected("'>' after '/' in an empty-element tag"));
                }
                None => {
                    return Err(self.syntax(
                        self.end,
                        format!(
                            "the document ends inside the start tag <{}> opened at byte {tag_start}; \
                             expected '>'",
                            show(name.full(self.text))
                        ),
                    ));
                }
                Some(_) => {
                    if !space {
                        return Err(
                            self.expected("white space, '>' or '/>' after the name or attribute")
                        );
                    }
                    self.attribute()?;
                }
            }
        }
        self.finish_start_tag(tag_start, name, empty)
    }

    fn attribute(&mut self) -> Result<(), Error> {
        if self.attrs.len() >= self.opts.max_attributes {
            return Err(Error::limit_hit(
                Limit::Attributes,
                self.pos,
                format!(
                    "an element has more attributes than the limit of {} \
                     (raise ParseOptions::max_attributes to read this document)",
                    self.opts.max_attributes
                ),
            ));
        }
        let start = self.pos;
        let name = self.qname("an attribute name")?;
        self.skip_space();
        if self.peek() != Some(b'=') {
            return Err(self.expected(&format!(
                "'=' after the attribute name {}",
                show(name.full(self.text))
            )));
        }
        self.pos += 1;
        self.skip_space();
        let q = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(self.expected("a quoted attribute value (\"…\" or '…')")),
        };
        self.pos += 1;
        let vstart = self.pos;
        let value = self.attr_value(q, start)?;
        self.attrs.push(RawAttr {
            name,
            value,
            range: (start, self.pos),
            value_range: (vstart, self.pos - 1),
        });
        Ok(())
    }

    /// An attribute value after its opening quote, normalised as XML 1.0 §3.3.3 says for
    /// CDATA attributes; leaves the position after the closing quote.
    fn attr_value(&mut self, quote: u8, attr_start: usize) -> Result<Val, Error> {
        let (s, text, end) = (self.s, self.text, self.end);
        let start = self.pos;
        let buf_start = self.abuf.len();
        let mut i = start;
        let mut run = start;
        let mut owned = false;
        loop {
            while i < end && !ATTR_STOP[s[i] as usize] {
                i += 1;
            }
            if i >= end {
                return Err(self.syntax(
                    self.end,
                    format!(
                        "the document ends inside the attribute value started at byte \
                         {attr_start}; expected the closing {}",
                        quote as char
                    ),
                ));
            }
            let c = s[i];
            if c == quote {
                break;
            }
            match c {
                b'"' | b'\'' => i += 1,
                b'<' => {
                    return Err(self.syntax(
                        i,
                        "'<' in an attribute value; expected text or references (write &lt;)",
                    ));
                }
                b'\t' | b'\n' | b'\r' => {
                    owned = true;
                    self.abuf.push_str(&text[run..i]);
                    self.abuf.push(' ');
                    i += 1;
                    if c == b'\r' && i < end && s[i] == b'\n' {
                        i += 1;
                    }
                    run = i;
                }
                _ => {
                    owned = true;
                    self.abuf.push_str(&text[run..i]);
                    self.pos = i;
                    let ch = self.reference()?;
                    self.abuf.push(ch);
                    i = self.pos;
                    run = i;
                }
            }
        }
        self.pos = i + 1;
        Ok(if owned {
            self.abuf.push_str(&text[run..i]);
            Val::Buf(buf_start, self.abuf.len())
        } else {
            Val::Text(start, i)
        })
    }

    fn value_cow(&self, v: Val) -> Cow<'t, str> {
        match v {
            Val::Text(s, e) => Cow::Borrowed(&self.text[s..e]),
            Val::Buf(s, e) => Cow::Owned(self.abuf[s..e].to_string()),
        }
    }

    fn push_binding(&mut self, prefix: &'t str, uri: Cow<'t, str>) {
        let idx = self.bindings.len() as u32;
        let prev = self.scope.insert(prefix, idx).unwrap_or(NONE);
        self.bindings.push(Binding { prefix, uri, prev });
    }

    fn pop_bindings(&mut self, to: usize) {
        while self.bindings.len() > to {
            let Some(b) = self.bindings.pop() else { break };
            if b.prev == NONE {
                self.scope.remove(b.prefix);
            } else {
                self.scope.insert(b.prefix, b.prev);
            }
        }
    }

    /// The binding of a (non-empty, non-`xml`) prefix.
    fn lookup(&self, prefix: &str) -> Option<u32> {
        self.scope.get(prefix).copied()
    }

    /// Namespace processing, attribute uniqueness and tree building for a start tag.
    fn finish_start_tag(
        &mut self,
        tag_start: usize,
        name: QName,
        empty: bool,
    ) -> Result<(), Error> {
        let text = self.text;
        let tag_end = self.pos;
        let n = self.attrs.len();
        self.check_unique_qnames()?;

        // Namespace declarations (Namespaces in XML 1.0 §3, §4).
        let nb = self.bindings.len();
        for k in 0..n {
            let a = self.attrs[k];
            let qn = a.name.full(text);
            let prefix = if qn == "xmlns" {
                ""
            } else if a.name.prefix(text) == "xmlns" {
                a.name.local(text)
            } else {
                continue;
            };
            let uri = self.value_cow(a.value);
            let at = a.range.0;
            if prefix == "xmlns" {
                return Err(self.syntax(
                    at,
                    "the prefix xmlns is reserved and must not be declared (Namespaces in XML 1.0 §3)",
                ));
            }
            if prefix == "xml" {
                if uri != XML_NS {
                    return Err(self.syntax(
                        at,
                        format!(
                            "the prefix xml must not be bound to another namespace than {XML_NS} \
                             (found {})",
                            show(&uri)
                        ),
                    ));
                }
                continue;
            }
            if uri == XML_NS || uri == XMLNS_NS {
                return Err(self.syntax(
                    at,
                    format!(
                        "the namespace {} is reserved and must not be bound to {}",
                        show(&uri),
                        if prefix.is_empty() {
                            "the default namespace".to_string()
                        } else {
                            format!("the prefix {prefix}")
                        }
                    ),
                ));
            }
            if !prefix.is_empty() && uri.is_empty() {
                return Err(self.syntax(
                    at,
                    format!(
                        "xmlns:{prefix}=\"\" undeclares a prefix, which Namespaces in XML 1.0 does \
                         not allow; expected a namespace name (a non-empty URI)"
                    ),
                ));
            }
            self.push_binding(prefix, uri);
        }

        // Resolve the element's name.
        let el_ns = match name.colon {
            None => match self.scope.get("") {
                Some(&i) if !self.bindings[i as usize].uri.is_empty() => i,
                _ => NONE,
            },
            Some(_) => {
                let p = name.prefix(text);
                match p {
                    "xml" => XML_BINDING,
                    "xmlns" => {
                        return Err(self.syntax(
                            name.start,
                            "the prefix xmlns is reserved for namespace declarations; elements \
                             must not have it",
                        ));
                    }
                    _ => match self.lookup(p) {
                        Some(i) => i,
                        None => {
                            return Err(self.syntax(
                                name.start,
                                format!(
                                    "undeclared namespace prefix '{p}' in element name <{}>; \
                                     expected an xmlns:{p}=\"…\" declaration on this element or \
                                     an ancestor",
                                    show(name.full(text))
                                ),
                            ));
                        }
                    },
                }
            }
        };

        // Resolve attribute names.
        self.attr_ns.clear();
        let mut prefixed = 0usize;
        for k in 0..n {
            let a = self.attrs[k];
            let p = a.name.prefix(text);
            let ns = if a.name.colon.is_none() {
                if a.name.full(text) == "xmlns" {
                    DECL
                } else {
                    NONE
                }
            } else {
                match p {
                    "xmlns" => DECL,
                    "xml" => {
                        prefixed += 1;
                        XML_BINDING
                    }
                    _ => match self.lookup(p) {
                        Some(i) => {
                            prefixed += 1;
                            i
                        }
                        None => {
                            return Err(self.syntax(
                                a.range.0,
                                format!(
                                    "undeclared namespace prefix '{p}' in attribute name {}; \
                                     expected an xmlns:{p}=\"…\" declaration on this element or \
                                     an ancestor",
                                    show(a.name.full(text))
                                ),
                            ));
                        }
                    },
                }
            };
            self.attr_ns.push(ns);
        }
        if prefixed > 1 {
            self.check_unique_expanded()?;
        }

        // Build.
        for k in 0..n {
            let ns = self.attr_ns[k];
            if ns == DECL {
                continue;
            }
            let a = self.attrs[k];
            let value = match a.value {
                Val::Text(s, e) => &text[s..e],
                Val::Buf(s, e) => &self.abuf[s..e],
            };
            self.b.attribute(
                uri_of(&self.bindings, ns),
                a.name.local(text),
                a.name.prefix(text),
                value,
                a.range.0..a.range.1,
                a.value_range.0..a.value_range.1,
            );
        }
        let decls: Vec<(&str, &str)> = self.bindings[nb..]
            .iter()
            .map(|b| (b.prefix, b.uri.as_ref()))
            .collect();
        self.b.start_element(
            uri_of(&self.bindings, el_ns),
            name.local(text),
            name.prefix(text),
            &decls,
            tag_start..tag_end,
            empty,
        );
        if empty {
            self.pop_bindings(nb);
        } else {
            self.open.push(Open {
                name,
                start: tag_start,
                bindings: nb,
            });
        }
        Ok(())
    }

    /// WFC: Unique Att Spec — no attribute name (as written) twice in a start tag.
    fn check_unique_qnames(&self) -> Result<(), Error> {
        let text = self.text;
        let n = self.attrs.len();
        let dup = |first: usize, second: usize| {
            let a = &self.attrs[second];
            self.syntax(
                a.range.0,
                format!(
                    "duplicate attribute {} (first given at byte {}); an attribute may appear \
                     only once in a start tag",
                    show(a.name.full(text)),
                    self.attrs[first].range.0
                ),
            )
        };
        if n <= PAIRWISE_MAX {
            for j in 1..n {
                for i in 0..j {
                    if self.attrs[i].name.full(text) == self.attrs[j].name.full(text) {
                        return Err(dup(i, j));
                    }
                }
            }
        } else {
            let mut seen: HashMap<&str, usize> = HashMap::with_capacity(n);
            for (j, a) in self.attrs.iter().enumerate() {
                if let Some(&i) = seen.get(a.name.full(text)) {
                    return Err(dup(i, j));
                }
                seen.insert(a.name.full(text), j);
            }
        }
        Ok(())
    }

    /// Namespaces in XML 1.0 §6.3 — no two attributes with the same expanded name.
    fn check_unique_expanded(&self) -> Result<(), Error> {
        let text = self.text;
        let key = |k: usize| -> Option<(&str, &str)> {
            let ns = self.attr_ns[k];
            let uri = match ns {
                XML_BINDING => XML_NS,
                i if (i as usize) < self.bindings.len() => self.bindings[i as usize].uri.as_ref(),
                _ => return None,
            };
            Some((uri, self.attrs[k].name.local(text)))
        };
        let dup = |first: usize, second: usize| {
            let (a, b) = (&self.attrs[first], &self.attrs[second]);
            self.syntax(
                b.range.0,
                format!(
                    "attributes {} and {} (at byte {}) have the same expanded name: their \
                     prefixes are bound to the same namespace {}",
                    show(b.name.full(text)),
                    show(a.name.full(text)),
                    a.range.0,
                    show(key(first).map(|k| k.0).unwrap_or(""))
                ),
            )
        };
        let keyed: Vec<(usize, (&str, &str))> = (0..self.attrs.len())
            .filter_map(|k| key(k).map(|v| (k, v)))
            .collect();
        if keyed.len() <= PAIRWISE_MAX {
            for j in 1..keyed.len() {
                for i in 0..j {
                    if keyed[i].1 == keyed[j].1 {
                        return Err(dup(keyed[i].0, keyed[j].0));
                    }
                }
            }
        } else {
            let mut seen: HashMap<(&str, &str), usize> = HashMap::with_capacity(keyed.len());
            for &(k, v) in &keyed {
                if let Some(&i) = seen.get(&v) {
                    return Err(dup(i, k));
                }
                seen.insert(v, k);
            }
        }
        Ok(())
    }

    /// An end tag at `</`.
    fn end_tag(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 2;
        let (ns, ne) = self.name("an element name after '</'")?;
        self.skip_space();
        if self.peek() != Some(b'>') {
            return Err(self.expected("'>' ending the end tag"));
        }
        self.pos += 1;
        let Some(open) = self.open.pop() else {
            return Err(self.syntax(start, "an end tag without a start tag"));
        };
        let (found, want) = (&self.text[ns..ne], open.name.full(self.text));
        if found != want {
            return Err(self.syntax(
                start,
                format!(
                    "end tag </{}> does not match the start tag <{}> at byte {}; expected </{}>",
                    show(found),
                    show(want),
                    open.start,
                    show(want)
                ),
            ));
        }
        self.b.end_element(self.pos);
        self.pop_bindings(open.bindings);
        Ok(())
    }

    /// Scans from `from` to the terminator `term`, normalising line ends into `tbuf` when
    /// needed. Returns the content (borrowed or in `tbuf`) range end and whether it was
    /// copied. `check` is called on each `-` (comments) to refuse `--`.
    fn scan_until(
        &mut self,
        from: usize,
        term: &[u8],
        what: &str,
        open: usize,
    ) -> Result<(usize, bool), Error> {
        let (s, text, end) = (self.s, self.text, self.end);
        let first = term[0];
        let mut i = from;
        let mut run = from;
        let mut owned = false;
        loop {
            i = memchr::memchr2(first, b'\r', &s[i..end]).map_or(end, |k| i + k);
            if i >= end {
                return Err(self.syntax(
                    self.end,
                    format!(
                        "the {what} opened at byte {open} is not closed; expected '{}'",
                        String::from_utf8_lossy(term)
                    ),
                ));
            }
            if s[i] == b'\r' {
                if !owned {
                    self.tbuf.clear();
                    owned = true;
                }
                self.tbuf.push_str(&text[run..i]);
                self.tbuf.push('\n');
                i += 1;
                if i < end && s[i] == b'\n' {
                    i += 1;
                }
                run = i;
                continue;
            }
            if s[i..end].starts_with(term) {
                break;
            }
            if first == b'-' && s.get(i + 1) == Some(&b'-') && i + 1 < end {
                return Err(self.syntax(
                    i,
                    "'--' inside a comment; a comment may not contain two hyphens in a row \
                     (nor end with '--->')",
                ));
            }
            i += 1;
        }
        if owned {
            self.tbuf.push_str(&text[run..i]);
        }
        self.pos = i + term.len();
        Ok((i, owned))
    }

    /// A comment at `<!--`.
    fn comment(&mut self, emit: bool) -> Result<(), Error> {
        let start = self.pos;
        let from = start + 4;
        let (cend, owned) = self.scan_until(from, b"-->", "comment", start)?;
        if emit {
            if owned {
                self.b.comment(&self.tbuf, start..self.pos);
            } else {
                self.b.comment(&self.text[from..cend], start..self.pos);
            }
        }
        Ok(())
    }

    /// A CDATA section at `<![CDATA[`.
    fn cdata(&mut self) -> Result<(), Error> {
        let start = self.pos;
        let from = start + 9;
        let (cend, owned) = self.scan_until(from, b"]]>", "CDATA section", start)?;
        if owned {
            self.b.text_node(&self.tbuf, start..self.pos);
        } else if cend > from {
            // The node's range is the whole section; its text is the content.
            self.b.text_node(&self.text[from..cend], start..self.pos);
        }
        Ok(())
    }

    /// A processing instruction at `<?`.
    fn pi(&mut self, emit: bool) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 2;
        let (ts, te) = self.name("a processing-instruction target after '<?'")?;
        let target = &self.text[ts..te];
        if target.eq_ignore_ascii_case("xml") {
            return Err(if target == "xml" {
                self.syntax(
                    start,
                    "an XML declaration that is not at the very start of the document; nothing, \
                     not even white space, may come before <?xml …?>, and there is at most one",
                )
            } else {
                self.syntax(
                    ts,
                    format!(
                        "the processing-instruction target '{target}' is reserved (names \
                         matching [Xx][Mm][Ll] are reserved by XML)"
                    ),
                )
            });
        }
        if target.contains(':') {
            return Err(self.syntax(
                ts,
                format!(
                    "the processing-instruction target '{}' contains ':', which Namespaces in \
                     XML 1.0 does not allow",
                    show(target)
                ),
            ));
        }
        let (data_from, data_end, owned) = if self.at(b"?>") {
            self.pos += 2;
            (self.pos - 2, self.pos - 2, false)
        } else {
            if !self.skip_space() {
                return Err(
                    self.expected("white space or '?>' after the processing-instruction target")
                );
            }
            let from = self.pos;
            let (e, owned) = self.scan_until(from, b"?>", "processing instruction", start)?;
            (from, e, owned)
        };
        if emit {
            let data = if owned {
                self.tbuf.as_str()
            } else {
                &self.text[data_from..data_end]
            };
            self.b.pi(target, data, start..self.pos);
        }
        Ok(())
    }
}

/// The namespace URI of a resolved binding index.
fn uri_of<'a>(bindings: &'a [Binding<'_>], i: u32) -> Option<&'a str> {
    match i {
        NONE => None,
        XML_BINDING => Some(XML_NS),
        _ => Some(bindings[i as usize].uri.as_ref()),
    }
}

/// `PubidChar` ([13]) inside a literal quoted with `quote`.
fn is_pubid_char(b: u8, quote: u8) -> bool {
    b != quote
        && (b.is_ascii_alphanumeric()
            || matches!(b, b' ' | b'\r' | b'\n')
            || b"-'()+,./:=?;!*#@$_%".contains(&b))
}
