//! Tokenisation (Compact Syntax, Appendix A.2.5): decoded text → tokens.
//!
//! The longest match wins, as the specification says: `|=` is one token, `foo-bar` is one
//! identifier, `a:b` is a CName and `a:*` an nsName. Whitespace and `#` comments are
//! separators and are dropped; `##` comments are documentation tokens, with consecutive
//! lines (only blanks between the newline and the next `##`) merged into one token.
//!
//! The whole file is tokenised up front: the parser needs unbounded lookahead in one place
//! (deciding whether the top level is a grammar or a pattern), and a token vector is the
//! simplest way to give it that in linear time.

use std::ops::Range;

use super::escape::{Decoded, is_xml_char};

/// The keywords of the compact syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    Attribute,
    Default,
    Datatypes,
    Div,
    Element,
    Empty,
    External,
    Grammar,
    Include,
    Inherit,
    List,
    Mixed,
    Namespace,
    NotAllowed,
    Parent,
    Start,
    String,
    Text,
    Token,
}

impl Kw {
    fn from_str(s: &str) -> Option<Kw> {
        Some(match s {
            "attribute" => Kw::Attribute,
            "default" => Kw::Default,
            "datatypes" => Kw::Datatypes,
            "div" => Kw::Div,
            "element" => Kw::Element,
            "empty" => Kw::Empty,
            "external" => Kw::External,
            "grammar" => Kw::Grammar,
            "include" => Kw::Include,
            "inherit" => Kw::Inherit,
            "list" => Kw::List,
            "mixed" => Kw::Mixed,
            "namespace" => Kw::Namespace,
            "notAllowed" => Kw::NotAllowed,
            "parent" => Kw::Parent,
            "start" => Kw::Start,
            "string" => Kw::String,
            "text" => Kw::Text,
            "token" => Kw::Token,
            _ => return None,
        })
    }

    /// The keyword as written.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kw::Attribute => "attribute",
            Kw::Default => "default",
            Kw::Datatypes => "datatypes",
            Kw::Div => "div",
            Kw::Element => "element",
            Kw::Empty => "empty",
            Kw::External => "external",
            Kw::Grammar => "grammar",
            Kw::Include => "include",
            Kw::Inherit => "inherit",
            Kw::List => "list",
            Kw::Mixed => "mixed",
            Kw::Namespace => "namespace",
            Kw::NotAllowed => "notAllowed",
            Kw::Parent => "parent",
            Kw::Start => "start",
            Kw::String => "string",
            Kw::Text => "text",
            Kw::Token => "token",
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// `=`
    Eq,
    /// `|=`
    ChoiceEq,
    /// `&=`
    InterleaveEq,
    Comma,
    Amp,
    Pipe,
    Question,
    Star,
    Plus,
    Minus,
    Tilde,
    /// `>>`
    Follow,
    Keyword(Kw),
    /// An NCName that is not a keyword, or `\NCName`. `text` is the name without `\`.
    Ident {
        quoted: bool,
    },
    /// `prefix:local`; `colon` is the offset of `:` in the token.
    CName {
        colon: u32,
    },
    /// `prefix:*`.
    NsName,
    /// One literal segment; `text` is its value.
    Literal,
    /// One or more merged `##` lines; `text` is the documentation.
    Documentation,
}

/// A token: kind, decoded span, and where its text is (for names, literals and
/// documentation): a range of the decoded text, or of the lexer's pool when it had to
/// be rewritten (documentation, literals with newlines to normalise).
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: Kind,
    pub(crate) span: Range<usize>,
    text: (u32, u32),
    pooled: bool,
}

/// The tokens of a file and the strings they refer to.
#[derive(Debug)]
pub(crate) struct Lexed<'d> {
    pub(crate) toks: Vec<Token>,
    pool: String,
    text: &'d str,
}

impl<'d> Lexed<'d> {
    /// The token's text: the name (without `\`), the literal's value, the documentation.
    pub(crate) fn text(&self, t: &Token) -> &str {
        let (a, b) = (t.text.0 as usize, t.text.1 as usize);
        if t.pooled {
            &self.pool[a..b]
        } else {
            &self.text[a..b]
        }
    }
}

/// A lexical error at a decoded span.
#[derive(Debug)]
pub(crate) struct LexError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

struct Lexer<'d, 'a> {
    dec: &'d Decoded<'a>,
    text: &'d str,
    pos: usize,
    toks: Vec<Token>,
    pool: String,
}

/// Tokenises the whole decoded text. The last token is always [`Kind::Eof`].
pub(crate) fn tokenize<'d>(dec: &'d Decoded<'_>) -> Result<Lexed<'d>, LexError> {
    let text: &str = &dec.text;
    let mut lx = Lexer {
        dec,
        text,
        pos: 0,
        toks: Vec::with_capacity(text.len() / 5 + 1),
        pool: String::new(),
    };
    lx.run()?;
    Ok(Lexed {
        toks: lx.toks,
        pool: lx.pool,
        text,
    })
}

impl Lexer<'_, '_> {
    fn peek_char(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    /// Pushes a token whose text is `text` of the decoded text (empty for punctuation).
    fn push(&mut self, kind: Kind, start: usize, end: usize, text: Range<usize>) {
        self.toks.push(Token {
            kind,
            span: start..end,
            text: (text.start as u32, text.end as u32),
            pooled: false,
        });
    }

    /// Pushes a token whose text is a rewritten string.
    fn push_pooled(&mut self, kind: Kind, start: usize, end: usize, text: &str) {
        let a = self.pool.len() as u32;
        self.pool.push_str(text);
        self.toks.push(Token {
            kind,
            span: start..end,
            text: (a, self.pool.len() as u32),
            pooled: true,
        });
    }

    fn err<T>(&self, span: Range<usize>, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            span,
            message: message.into(),
        })
    }

    /// Whether the raw character at `at` (a CR or LF) is a newline marker rather than a
    /// character produced by an escape.
    fn is_newline_at(&self, at: usize) -> bool {
        let b = self.text.as_bytes()[at];
        (b == b'\n' || b == b'\r') && !self.dec.is_escaped(at)
    }

    /// Length of the newline marker at `at` (CR LF counts as one), or 0.
    fn newline_len(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        if at >= bytes.len() || !self.is_newline_at(at) {
            return 0;
        }
        if bytes[at] == b'\r'
            && at + 1 < bytes.len()
            && bytes[at + 1] == b'\n'
            && !self.dec.is_escaped(at + 1)
        {
            2
        } else {
            1
        }
    }

    /// End of the line starting at `at`: the next newline marker or LF character.
    fn line_end(&self, at: usize) -> Result<usize, LexError> {
        let bytes = self.text.as_bytes();
        let mut i = at;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' || (b == b'\r' && self.is_newline_at(i)) {
                return Ok(i);
            }
            if b < 0x20 && b != b'\t' && b != b'\r' {
                return self.err(i..i + 1, format!("U+{b:04X} is not allowed in a comment"));
            }
            i += 1;
        }
        // Check non-ASCII non-characters only when present (rare).
        Ok(i)
    }

    fn check_chars(&self, span: Range<usize>, what: &str) -> Result<(), LexError> {
        let s = &self.text[span.clone()];
        if let Some((i, c)) = s.char_indices().find(|&(_, c)| !is_xml_char(c)) {
            let at = span.start + i;
            return self.err(
                at..at + c.len_utf8(),
                format!(
                    "U+{:04X} is not an XML character and is not allowed in {what}",
                    c as u32
                ),
            );
        }
        Ok(())
    }

    fn run(&mut self) -> Result<(), LexError> {
        let bytes = self.text.as_bytes();
        if self.text.starts_with('\u{FEFF}') {
            self.pos = '\u{FEFF}'.len_utf8();
        }
        while self.pos < bytes.len() {
            let start = self.pos;
            let b = bytes[start];
            match b {
                b' ' | b'\t' | b'\n' => self.pos += 1,
                b'\r' => {
                    if self.dec.is_escaped(start) {
                        return self.err(
                            start..start + 1,
                            "U+000D from `\\x{D}` is a character, not a newline, and cannot appear between tokens",
                        );
                    }
                    self.pos += 1;
                }
                b'#' => {
                    if bytes.get(start + 1) == Some(&b'#') {
                        self.documentation()?;
                    } else {
                        let end = self.line_end(start + 1)?;
                        self.check_chars(start..end, "a comment")?;
                        self.pos = end;
                    }
                }
                b'"' | b'\'' => self.literal()?,
                b'{' => self.single(Kind::LBrace),
                b'}' => self.single(Kind::RBrace),
                b'(' => self.single(Kind::LParen),
                b')' => self.single(Kind::RParen),
                b'[' => self.single(Kind::LBracket),
                b']' => self.single(Kind::RBracket),
                b'=' => self.single(Kind::Eq),
                b',' => self.single(Kind::Comma),
                b'?' => self.single(Kind::Question),
                b'*' => self.single(Kind::Star),
                b'+' => self.single(Kind::Plus),
                b'-' => self.single(Kind::Minus),
                b'~' => self.single(Kind::Tilde),
                b'|' | b'&' => {
                    let assign = bytes.get(start + 1) == Some(&b'=');
                    let kind = match (b, assign) {
                        (b'|', true) => Kind::ChoiceEq,
                        (b'|', false) => Kind::Pipe,
                        (_, true) => Kind::InterleaveEq,
                        (_, false) => Kind::Amp,
                    };
                    let end = start + 1 + usize::from(assign);
                    self.push(kind, start, end, 0..0);
                    self.pos = end;
                }
                b'>' => {
                    if bytes.get(start + 1) == Some(&b'>') {
                        self.push(Kind::Follow, start, start + 2, 0..0);
                        self.pos = start + 2;
                    } else {
                        return self.err(
                            start..start + 1,
                            "unexpected `>` (a following annotation is written `>>`)",
                        );
                    }
                }
                b'\\' => {
                    let name_end = self.ncname_end(start + 1);
                    if name_end == start + 1 {
                        return self.err(
                            start..start + 1,
                            "`\\` must be followed by a name (a quoted identifier such as `\\element`)",
                        );
                    }
                    self.push(
                        Kind::Ident { quoted: true },
                        start,
                        name_end,
                        start + 1..name_end,
                    );
                    self.pos = name_end;
                }
                _ => {
                    let c = self.peek_char(start).unwrap_or('\0');
                    if is_name_start(c) {
                        self.name(start);
                    } else {
                        let shown = if c.is_control() || c.is_whitespace() {
                            format!("U+{:04X}", c as u32)
                        } else {
                            format!("`{c}`")
                        };
                        return self.err(
                            start..start + c.len_utf8(),
                            format!("unexpected character {shown}: it cannot start a token"),
                        );
                    }
                }
            }
        }
        let end = self.text.len();
        self.push(Kind::Eof, end, end, 0..0);
        Ok(())
    }

    fn single(&mut self, kind: Kind) {
        let start = self.pos;
        self.push(kind, start, start + 1, 0..0);
        self.pos = start + 1;
    }

    fn ncname_end(&self, start: usize) -> usize {
        let s = &self.text[start..];
        let mut cs = s.char_indices();
        match cs.next() {
            Some((_, c)) if is_name_start(c) => {}
            _ => return start,
        }
        for (i, c) in cs {
            if !is_name_char(c) {
                return start + i;
            }
        }
        self.text.len()
    }

    fn name(&mut self, start: usize) {
        let end = self.ncname_end(start);
        let bytes = self.text.as_bytes();
        if bytes.get(end) == Some(&b':') {
            if bytes.get(end + 1) == Some(&b'*') {
                self.push(Kind::NsName, start, end + 2, start..end);
                self.pos = end + 2;
                return;
            }
            let local_end = self.ncname_end(end + 1);
            if local_end > end + 1 {
                let colon = (end - start) as u32;
                self.push(Kind::CName { colon }, start, local_end, start..local_end);
                self.pos = local_end;
                return;
            }
        }
        let kind = match Kw::from_str(&self.text[start..end]) {
            Some(k) => Kind::Keyword(k),
            None => Kind::Ident { quoted: false },
        };
        self.push(kind, start, end, start..end);
        self.pos = end;
    }

    fn literal(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let q = bytes[start];
        let triple = bytes.get(start + 1) == Some(&q) && bytes.get(start + 2) == Some(&q);
        if triple {
            let body = start + 3;
            let delim = if q == b'"' { "\"\"\"" } else { "'''" };
            let Some(rel) = self.text[body..].find(delim) else {
                return self.err(
                    start..start + 3,
                    format!("unterminated literal: no closing {delim}"),
                );
            };
            let end = body + rel;
            self.check_chars(body..end, "a literal")?;
            // Newline markers become LF; CR and LF produced by escapes stay as they are.
            let raw = &self.text[body..end];
            if !raw.contains('\r') {
                self.push(Kind::Literal, start, end + 3, body..end);
                self.pos = end + 3;
                return Ok(());
            }
            let value = {
                let mut v = String::with_capacity(raw.len());
                let mut i = body;
                while i < end {
                    let nl = self.newline_len(i);
                    if nl > 0 {
                        v.push('\n');
                        i += nl;
                    } else {
                        let c = self.peek_char(i).unwrap_or('\0');
                        v.push(c);
                        i += c.len_utf8();
                    }
                }
                v
            };
            self.push_pooled(Kind::Literal, start, end + 3, &value);
            self.pos = end + 3;
            return Ok(());
        }
        let body = start + 1;
        let mut i = body;
        loop {
            if i >= bytes.len() {
                return self.err(
                    start..start + 1,
                    format!("unterminated literal: no closing {}", q as char),
                );
            }
            let b = bytes[i];
            if b == q {
                break;
            }
            if (b == b'\n' || b == b'\r') && self.is_newline_at(i) {
                return self.err(
                    i..i + 1,
                    format!(
                        "newline inside a literal opened with `{}`: close it on the same line, or use a triple-quoted literal (`{0}{0}{0}…{0}{0}{0}`) or `\\x{{A}}`",
                        q as char
                    ),
                );
            }
            i += 1;
        }
        self.check_chars(body..i, "a literal")?;
        self.push(Kind::Literal, start, i + 1, body..i);
        self.pos = i + 1;
        Ok(())
    }

    /// `##` lines: leading `#`s and one space are stripped from each; lines joined by LF.
    fn documentation(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut value = String::new();
        let mut line = start;
        let end;
        loop {
            // `line` is at `##`.
            let mut i = line + 2;
            while i < bytes.len() && bytes[i] == b'#' {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            let line_end = self.line_end(i)?;
            self.check_chars(i..line_end, "a documentation comment")?;
            value.push_str(&self.text[i..line_end]);
            // A continuation: newline (marker or LF), blanks, `##`.
            let nl = if line_end < bytes.len()
                && bytes[line_end] == b'\n'
                && self.dec.is_escaped(line_end)
            {
                1
            } else {
                self.newline_len(line_end)
            };
            if nl == 0 {
                end = line_end;
                break;
            }
            let mut j = line_end + nl;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if j + 1 < bytes.len() && bytes[j] == b'#' && bytes[j + 1] == b'#' {
                value.push('\n');
                line = j;
            } else {
                end = line_end;
                break;
            }
        }
        self.push_pooled(Kind::Documentation, start, end, &value);
        self.pos = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::escape::decode;
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, String)> {
        let d = decode(src).unwrap();
        let lx = tokenize(&d).unwrap();
        lx.toks
            .iter()
            .map(|t| (t.kind, lx.text(t).to_string()))
            .collect()
    }

    #[test]
    fn longest_match() {
        let k = kinds("a|=b-c a:b a:* \\element element *-x >>");
        let got: Vec<_> = k.iter().map(|(k, t)| format!("{k:?}:{t}")).collect();
        assert_eq!(
            got,
            [
                "Ident { quoted: false }:a",
                "ChoiceEq:",
                "Ident { quoted: false }:b-c",
                "CName { colon: 1 }:a:b",
                "NsName:a",
                "Ident { quoted: true }:element",
                "Keyword(Element):element",
                "Star:",
                "Minus:",
                "Ident { quoted: false }:x",
                "Follow:",
                "Eof:",
            ]
        );
    }

    #[test]
    fn literals() {
        let k = kinds("\"a'b\" 'c\"d' \"\"\"e\r\nf\"\"\" '''g''h''' \"\"");
        let lits: Vec<_> = k
            .iter()
            .filter(|(k, _)| *k == Kind::Literal)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(lits, ["a'b", "c\"d", "e\nf", "g''h", ""]);
    }

    #[test]
    fn escaped_newline_in_literal_is_a_character() {
        let k = kinds(r#""z\x{D}\x{A}""#);
        assert_eq!(k[0].1, "z\r\n");
        let d = decode("\"a\nb\"").unwrap();
        assert!(tokenize(&d).is_err());
    }

    #[test]
    fn documentation_lines_merge() {
        let k = kinds("## one\n  ##two\n#### three\n\n## four\n# x\n## five");
        let docs: Vec<_> = k
            .iter()
            .filter(|(k, _)| *k == Kind::Documentation)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(docs, ["one\ntwo\nthree", "four", "five"]);
    }
}
