//! Opt-in expansion of internal general entities, for **trusted** documents only.
//!
//! The reader refuses every entity declaration (see the [module docs](super)). Some
//! trusted inputs still declare a few internal entities — James Clark's RELAX NG test
//! suite (`spectest.xml`) declares one. [`expand_internal_entities`] rewrites such a text
//! so that the safe reader can read it: internal general entities declared in the internal
//! subset are substituted textually, their declarations removed. External entities and
//! parameter entities stay refused (nothing is ever read from outside the text), recursion
//! is an error, and the output size is capped, so even a hostile input cannot make it
//! read a file or blow up — but it is not a well-formedness checker (a replacement text
//! need not be balanced), which is why the default path never uses it.

use std::borrow::Cow;
use std::collections::HashMap;

use super::chars::{is_name_char, is_name_start, is_xml_char};
use super::tree::{Error, ErrorKind};

/// Deepest nesting of entity references inside replacement texts.
const MAX_NESTING: usize = 64;

/// Substitutes the internal general entities a trusted document declares in its internal
/// subset; returns the text unchanged (borrowed) when it declares none.
///
/// Replacement texts are computed as XML 1.0 §4.5 says (character references in the
/// literal are expanded at declaration time), then inserted where the entity is
/// referenced in content and attribute values (not in comments, PIs or CDATA sections);
/// references to the predefined entities and undeclared names are left for the parser.
/// Errors: external or parameter entities ([`ErrorKind::Unsupported`]), a recursive
/// entity or nesting deeper than 64 ([`ErrorKind::Syntax`]), an output larger than
/// `max_output_bytes` ([`ErrorKind::Limit`]). Positions in the parsed result refer to the
/// expanded text.
pub fn expand_internal_entities(
    text: &str,
    max_output_bytes: usize,
) -> Result<Cow<'_, str>, Error> {
    let Some(subset) = find_internal_subset(text) else {
        return Ok(Cow::Borrowed(text));
    };
    let (decls, removed) = read_declarations(text, subset.clone())?;
    if decls.is_empty() {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    // The prolog and subset, without the entity declarations.
    let mut at = 0;
    for r in &removed {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..subset.end]);
    expand_body(text, subset.end, &decls, max_output_bytes, &mut out)?;
    Ok(Cow::Owned(out))
}

fn unsupported(pos: usize, msg: &str) -> Error {
    Error::new(ErrorKind::Unsupported, pos, msg)
}

/// The byte range of the internal subset (`[` … `]`) of a DOCTYPE before the root.
fn find_internal_subset(text: &str) -> Option<std::ops::Range<usize>> {
    let s = text.as_bytes();
    let mut i = 0;
    loop {
        while i < s.len() && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let rest = &text[i..];
        if rest.starts_with('\u{FEFF}') {
            i += 3;
        } else if rest.starts_with("<?") {
            i += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->")? + 3;
        } else if rest.starts_with("<!DOCTYPE") {
            break;
        } else {
            return None;
        }
    }
    // To the '[' outside quoted literals, before the closing '>'.
    let mut quote = 0u8;
    while i < s.len() {
        match s[i] {
            q if quote == q => quote = 0,
            _ if quote != 0 => {}
            q @ (b'"' | b'\'') => quote = q,
            b'[' => break,
            b'>' => return None,
            _ => {}
        }
        i += 1;
    }
    let start = i;
    // To the matching ']': skip literals, comments and PIs.
    quote = 0;
    while i < s.len() {
        if quote != 0 {
            if s[i] == quote {
                quote = 0;
            }
        } else if s[i..].starts_with(b"<!--") {
            i += memchr::memmem::find(&s[i..], b"-->")? + 2;
        } else if s[i..].starts_with(b"<?") {
            i += memchr::memmem::find(&s[i..], b"?>")? + 1;
        } else {
            match s[i] {
                q @ (b'"' | b'\'') => quote = q,
                b']' => return Some(start..i + 1),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Reads `<!ENTITY name "value">` declarations; returns name → replacement text and the
/// ranges of the declarations.
type Decls = HashMap<String, String>;

fn read_declarations(
    text: &str,
    subset: std::ops::Range<usize>,
) -> Result<(Decls, Vec<std::ops::Range<usize>>), Error> {
    let mut decls = HashMap::new();
    let mut removed = Vec::new();
    let mut from = subset.start;
    while let Some(k) = text[from..subset.end].find("<!ENTITY") {
        // A declaration inside a comment is not one.
        if let Some(c) = text[from..from + k].find("<!--") {
            let c = from + c;
            from = text[c..subset.end]
                .find("-->")
                .map_or(subset.end, |e| c + e + 3);
            continue;
        }
        let start = from + k;
        let s = text.as_bytes();
        let mut i = start + 8;
        let skip_ws = |i: &mut usize| {
            while *i < subset.end && s[*i].is_ascii_whitespace() {
                *i += 1;
            }
        };
        // A byte of the subset (nothing past its end: a declaration cut by the end of the
        // subset is unfinished).
        let at = |i: usize| {
            if i < subset.end {
                s.get(i).copied()
            } else {
                None
            }
        };
        skip_ws(&mut i);
        if at(i) == Some(b'%') {
            return Err(unsupported(
                start,
                "parameter entities are not supported, even for trusted documents",
            ));
        }
        let ns = i;
        while i < subset.end && !s[i].is_ascii_whitespace() && !matches!(s[i], b'"' | b'\'') {
            i += 1;
        }
        let name = &text[ns..i];
        skip_ws(&mut i);
        let q = match at(i) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => {
                return Err(unsupported(
                    start,
                    "external entities are never loaded, even for trusted documents",
                ));
            }
        };
        let vs = i + 1;
        let ve = vs
            + text[vs..subset.end]
                .find(q as char)
                .ok_or_else(|| Error::new(ErrorKind::Syntax, start, "unclosed entity value"))?;
        let value = &text[vs..ve];
        if value.contains('%') {
            return Err(unsupported(
                vs,
                "parameter-entity references are not supported, even for trusted documents",
            ));
        }
        i = ve + 1;
        skip_ws(&mut i);
        if at(i) != Some(b'>') {
            return Err(Error::new(
                ErrorKind::Syntax,
                i,
                "expected '>' ending the entity declaration",
            ));
        }
        // The first declaration of a name binds (XML 1.0 §4.2).
        let replacement = expand_char_refs(value, vs)?;
        decls.entry(name.to_string()).or_insert(replacement);
        removed.push(start..i + 1);
        from = i + 1;
    }
    Ok((decls, removed))
}

/// Expands character references of an entity value (§4.5); other references stay.
fn expand_char_refs(value: &str, base: usize) -> Result<String, Error> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(k) = rest.find("&#") {
        out.push_str(&rest[..k]);
        let after = &rest[k + 2..];
        let end = after.find(';').ok_or_else(|| {
            Error::new(ErrorKind::Syntax, base, "unterminated character reference")
        })?;
        let digits = &after[..end];
        let v = match digits.strip_prefix('x') {
            Some(h) if !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(h, 16).ok()
            }
            None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse().ok()
            }
            _ => None,
        };
        match v.filter(|&v| is_xml_char(v)).and_then(char::from_u32) {
            Some(c) => out.push(c),
            None => {
                return Err(Error::new(
                    ErrorKind::Syntax,
                    base,
                    format!("invalid character reference &#{digits}; in an entity value"),
                ));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Copies `text[from..]` to `out`, expanding references to declared entities.
fn expand_body(
    text: &str,
    from: usize,
    decls: &Decls,
    max: usize,
    out: &mut String,
) -> Result<(), Error> {
    // Segments being scanned: (text, position, entity name). The document body first.
    let mut stack: Vec<(&str, usize, &str)> = vec![(text, from, "")];
    // Work spent on expansions: each reference costs one unit plus its replacement text,
    // so references to empty entities cannot amplify work without amplifying output.
    let mut work = 0usize;
    while let Some(top) = stack.last_mut() {
        let (seg, pos) = (top.0, top.1);
        let rest = &seg[pos..];
        // Copy up to the next '&' or markup that hides references.
        let k = rest.find(['&', '<']).unwrap_or(rest.len());
        out.push_str(&rest[..k]);
        if out.len() > max {
            return Err(Error::new(
                ErrorKind::Limit,
                from,
                format!("entity expansion exceeds {max} bytes"),
            ));
        }
        let rest = &rest[k..];
        if rest.is_empty() {
            stack.pop();
            continue;
        }
        let skip = [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")]
            .iter()
            .find(|(open, _)| rest.starts_with(open));
        if let Some((_, close)) = skip {
            let n = rest.find(close).map_or(rest.len(), |e| e + close.len());
            out.push_str(&rest[..n]);
            top.1 = pos + k + n;
            continue;
        }
        if rest.starts_with('<') {
            out.push('<');
            top.1 = pos + k + 1;
            continue;
        }
        // '&': a declared entity?
        let name_len = rest[1..]
            .char_indices()
            .find(|&(j, c)| {
                !(if j == 0 {
                    is_name_start(c)
                } else {
                    is_name_char(c)
                })
            })
            .map_or(rest.len() - 1, |(j, _)| j);
        let name = &rest[1..1 + name_len];
        let replacement = (rest[1 + name_len..].starts_with(';') && name_len > 0)
            .then(|| decls.get_key_value(name))
            .flatten();
        let Some((key, replacement)) = replacement else {
            out.push('&');
            top.1 = pos + k + 1;
            continue;
        };
        top.1 = pos + k + name_len + 2;
        if stack.iter().any(|&(_, _, open)| open == key) {
            return Err(Error::new(
                ErrorKind::Syntax,
                from,
                format!("the entity &{key}; refers to itself (WFC: No Recursion)"),
            ));
        }
        work += 1 + replacement.len();
        if work > max {
            return Err(Error::new(
                ErrorKind::Limit,
                from,
                format!("entity expansion exceeds {max} units of work"),
            ));
        }
        if stack.len() > MAX_NESTING {
            return Err(Error::new(
                ErrorKind::Limit,
                from,
                format!("entity references nest deeper than {MAX_NESTING}"),
            ));
        }
        stack.push((replacement, 0, key));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Document;

    fn expand(s: &str) -> Result<String, Error> {
        expand_internal_entities(s, 1 << 20).map(|c| c.into_owned())
    }

    #[test]
    fn expands_declared_entities() {
        let src = "<!DOCTYPE a [\n<!-- <!ENTITY e 'no'> -->\n<!ENTITY e \"<b x='&f;'>&#xE14;&#38;amp;</b>\">\n<!ENTITY f 'F'>\n<!ELEMENT a ANY>]>\n<a>&e;&lt;&f;<!--&e;--><![CDATA[&e;]]></a>";
        let out = expand(src).unwrap();
        let doc = Document::parse(&out).unwrap();
        let a = doc.root_element();
        let b = a.first_child().unwrap();
        assert_eq!(b.attribute(None, "x"), Some("F"));
        assert_eq!(b.text_content(), "\u{E14}&");
        assert_eq!(a.text_content(), "\u{E14}&<F&e;");
        assert_eq!(a.children().nth(2).unwrap().text(), Some("&e;"));
    }

    #[test]
    fn non_ascii_subsets_and_bad_references() {
        let src =
            "<!DOCTYPE a [<!-- é --><?p ü?><!ATTLIST a n CDATA 'ä]'><!ENTITY e 'ö'>]><a>&e;</a>";
        assert_eq!(
            Document::parse(&expand(src).unwrap())
                .unwrap()
                .root_element()
                .text_content(),
            "ö"
        );
        for bad in ["&#x+41;", "&#-1;", "&#xD800;", "&#;", "&#x;"] {
            let src = format!("<!DOCTYPE a [<!ENTITY e '{bad}'>]><a>&e;</a>");
            assert_eq!(expand(&src).unwrap_err().kind, ErrorKind::Syntax, "{bad}");
        }
    }

    #[test]
    fn unchanged_without_declarations() {
        assert!(matches!(
            expand_internal_entities("<a/>", 10),
            Ok(Cow::Borrowed(_))
        ));
        assert!(matches!(
            expand_internal_entities("<!DOCTYPE a [<!ELEMENT a ANY>]><a/>", 10),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn refuses_what_is_unsafe() {
        let kind = |s: &str| expand(s).unwrap_err().kind;
        assert_eq!(
            kind("<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><a>&x;</a>"),
            ErrorKind::Unsupported
        );
        assert_eq!(
            kind("<!DOCTYPE a [<!ENTITY % p 'x'>]><a/>"),
            ErrorKind::Unsupported
        );
        assert_eq!(
            kind("<!DOCTYPE a [<!ENTITY a 'x&b;'><!ENTITY b '&a;'>]><a>&a;</a>"),
            ErrorKind::Syntax
        );
        let mut laughs = String::from("<!DOCTYPE a [<!ENTITY l0 'lol'>");
        for i in 1..10 {
            let p = format!("&l{};", i - 1).repeat(10);
            laughs += &format!("<!ENTITY l{i} '{p}'>");
        }
        laughs += "]><a>&l9;</a>";
        let e = expand_internal_entities(&laughs, 50_000).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        // The same with empty leaves: no output, but 10^9 expansions of work.
        let empty = laughs.replace("<!ENTITY l0 'lol'>", "<!ENTITY l0 ''>");
        let e = expand_internal_entities(&empty, 50_000).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
    }
}
