//! The little URI arithmetic RELAX NG needs: escaping `href` values (XLink §5.4, as RELAX NG
//! §4.5 requires), resolving references against a base (RFC 3986 §5.2), and checking the
//! syntax of `datatypeLibrary` URIs (§4.3).
//!
//! This is deliberately not a general URL library: the loader only ever deals with
//! hierarchical URIs of the form `scheme://authority/path` or `scheme:/path`, and anything
//! else is refused before any I/O happens.

/// The scheme of an absolute URI (`file`, `http` …), lower-cased, or `None` for a relative
/// reference.
pub(crate) fn scheme(uri: &str) -> Option<String> {
    let colon = uri.find(':')?;
    let s = &uri[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    Some(s.to_ascii_lowercase())
}

/// Whether the reference has a fragment identifier (`#…`).
pub(crate) fn has_fragment(uri: &str) -> bool {
    uri.contains('#')
}

/// Escapes the characters XLink §5.4 says must be escaped in an `href` before it is used as
/// a URI: non-ASCII characters (as UTF-8 bytes), controls, space and `<>"{}|\^``.
pub(crate) fn escape_href(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        let needs = !c.is_ascii()
            || c.is_ascii_control()
            || matches!(
                c,
                ' ' | '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`'
            );
        if needs {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `s` is a syntactically valid URI reference (RFC 3986 characters, well-formed
/// percent escapes, at most one `#`, a scheme if there is a colon before any `/?#`).
pub(crate) fn is_valid_reference(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut hashes = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'%' => {
                if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return false;
                }
                i += 3;
                continue;
            }
            b'#' => hashes += 1,
            b if b.is_ascii_alphanumeric() => {}
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'[' | b']' | b'@' | b'!' | b'$'
            | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => {}
            _ => return false,
        }
        i += 1;
    }
    if hashes > 1 {
        return false;
    }
    // A colon in the first segment must end a valid scheme, and (RFC 2396) an absolute
    // URI has something after its scheme.
    let first_seg_end = s.find(['/', '?', '#']).unwrap_or(s.len());
    if s[..first_seg_end].contains(':') {
        match scheme(s) {
            None => return false,
            Some(sc) => {
                let rest = &s[sc.len() + 1..];
                if rest.is_empty() || rest.starts_with('#') {
                    return false;
                }
            }
        }
    }
    true
}

/// Whether `s` is an absolute URI (has a scheme).
pub(crate) fn is_absolute(s: &str) -> bool {
    scheme(s).is_some()
}

struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

fn split(uri: &str) -> Parts<'_> {
    let rest = match uri.find('#') {
        Some(i) => &uri[..i],
        None => uri,
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (scheme, rest) = match scheme(rest) {
        Some(s) => (Some(&rest[..s.len()]), &rest[s.len() + 1..]),
        None => (None, rest),
    };
    let (authority, path) = if let Some(r) = rest.strip_prefix("//") {
        let end = r.find('/').unwrap_or(r.len());
        (Some(&r[..end]), &r[end..])
    } else {
        (None, rest)
    };
    Parts {
        scheme,
        authority,
        path,
        query,
    }
}

/// RFC 3986 §5.2.4. `.` and `..` segments spelled with percent escapes (`%2E`) count as dot
/// segments too, so that they cannot smuggle a traversal past this function.
fn remove_dot_segments(path: &str) -> String {
    let normalized;
    let path = if path.contains('%') {
        normalized = path.replace("%2E", ".").replace("%2e", ".");
        normalized.as_str()
    } else {
        path
    };
    let mut out: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == n;
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > usize::from(absolute) {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut s = out.join("/");
    if absolute && !s.starts_with('/') {
        s.insert(0, '/');
    }
    s
}

fn merge(base: &Parts<'_>, rel_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{rel_path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{}", &base.path[..=i], rel_path),
        None => rel_path.to_string(),
    }
}

/// Resolves `reference` against the absolute URI `base` (RFC 3986 §5.2.2). The result has
/// no fragment.
pub(crate) fn resolve(base: &str, reference: &str) -> String {
    let r = split(reference);
    let b = split(base);
    let (scheme, authority, path, query);
    if let Some(s) = r.scheme {
        scheme = Some(s);
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_string();
                query = r.query.or(b.query);
            } else {
                path = if r.path.starts_with('/') {
                    remove_dot_segments(r.path)
                } else {
                    remove_dot_segments(&merge(&b, r.path))
                };
                query = r.query;
            }
        }
    }
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URI of the folder a resource is in (everything up to and including the last `/` of
/// the path), used as the boundary includes may not leave.
pub(crate) fn directory_of(uri: &str) -> String {
    let end = uri.find(['?', '#']).unwrap_or(uri.len());
    let uri = &uri[..end];
    match uri.rfind('/') {
        Some(i) => uri[..=i].to_string(),
        None => uri.to_string(),
    }
}

/// Percent-decodes a URI path segment. `None` if the escapes are malformed or the bytes are
/// not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let h = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a file-system path for use in a `file:` URI path.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3986_examples() {
        let base = "http://a/b/c/d;p?q";
        for (r, want) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("./../g", "http://a/b/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(resolve(base, r), want, "{r}");
        }
    }

    #[test]
    fn encoded_dots_are_dot_segments() {
        assert_eq!(
            resolve("file:///s/a.rng", "%2e%2e/%2E%2E/etc/passwd"),
            "file:///etc/passwd"
        );
    }

    #[test]
    fn escaping_and_syntax() {
        assert_eq!(escape_href("a b/é.rng"), "a%20b/%C3%A9.rng");
        assert!(is_valid_reference(
            "http://www.w3.org/2001/XMLSchema-datatypes"
        ));
        assert!(is_valid_reference("foo/bar%20"));
        assert!(!is_valid_reference("foo bar"));
        assert!(!is_valid_reference("a#b#c"));
        assert!(!is_valid_reference("%zz"));
        assert!(!is_valid_reference("1a:b"));
        assert!(!is_valid_reference("foo:"));
        assert_eq!(scheme("File:///x").as_deref(), Some("file"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(directory_of("file:///a/b/c.rng"), "file:///a/b/");
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
    }
}
