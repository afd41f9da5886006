//! `anyURI`: which strings are URI references.
//!
//! XML Schema 1.0 defines the lexical space of `anyURI` as the strings that, after escaping
//! the characters XLink would escape (non-ASCII characters, spaces, controls and
//! `<>"{}|\^\``), are URI references per RFC 2396 as amended by RFC 2732. jing checks exactly
//! that, with `java.net.URI`; this module implements the same grammar: an optional scheme
//! (`alpha *(alpha | digit | "+" | "-" | ".")` before the first `:` that precedes any `/?#`),
//! then either an opaque part or a hierarchical part (`//authority`, path, `?query`), then an
//! optional `#fragment`; `%` must start a two-hex-digit escape; `[` and `]` are allowed in an
//! IPv6 host literal, a query, a fragment or an opaque part, nowhere else.

/// Characters that XLink-style escaping turns into `%XX` before parsing, so they count as
/// an escape wherever an escape is allowed.
fn escaped_by_encoding(c: char) -> bool {
    (c as u32) <= 0x20
        || (c as u32) >= 0x7F
        || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
}

fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '!' | '~' | '*' | '\'' | '(' | ')')
}

/// Checks that every character of `s` is allowed by `ok` or is an escape.
fn all_chars(s: &[char], ok: impl Fn(char) -> bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == '%' {
            if !(s.get(i + 1).is_some_and(char::is_ascii_hexdigit)
                && s.get(i + 2).is_some_and(char::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(ok(c) || escaped_by_encoding(c)) {
            return false;
        }
        i += 1;
    }
    true
}

fn uric(c: char) -> bool {
    unreserved(c)
        || matches!(
            c,
            ';' | '/' | '?' | ':' | '@' | '&' | '=' | '+' | '$' | ',' | '[' | ']'
        )
}

fn path_char(c: char) -> bool {
    unreserved(c) || matches!(c, ':' | '@' | '&' | '=' | '+' | '$' | ',' | ';' | '/')
}

fn reg_name_char(c: char) -> bool {
    unreserved(c) || matches!(c, '$' | ',' | ';' | ':' | '@' | '&' | '=' | '+')
}

fn userinfo_char(c: char) -> bool {
    unreserved(c) || matches!(c, ';' | ':' | '&' | '=' | '+' | '$' | ',')
}

/// First index in `s[from..]` of a character in `stops`, or `s.len()`.
fn find(s: &[char], from: usize, stops: &[char]) -> usize {
    s[from..]
        .iter()
        .position(|c| stops.contains(c))
        .map_or(s.len(), |p| from + p)
}

/// Whether `s` is a valid `anyURI` lexical form (already whitespace-collapsed).
pub(crate) fn is_uri(s: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let mut p = 0;
    // Scheme: a ':' before any of '/', '?', '#'.
    let colon = s
        .iter()
        .position(|c| matches!(c, ':' | '/' | '?' | '#'))
        .filter(|&i| s[i] == ':');
    if let Some(c) = colon {
        if c == 0 || !s[0].is_ascii_alphabetic() {
            return false;
        }
        if !s[1..c]
            .iter()
            .all(|&ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
        {
            return false;
        }
        p = c + 1;
        if s.get(p) != Some(&'/') {
            let q = find(&s, p, &['#']);
            if q <= p || !all_chars(&s[p..q], uric) {
                return false;
            }
            p = q;
            return fragment(&s, p);
        }
    }
    hierarchical(&s, p).is_some_and(|q| fragment(&s, q))
}

fn fragment(s: &[char], p: usize) -> bool {
    if p == s.len() {
        return true;
    }
    s[p] == '#' && all_chars(&s[p + 1..], uric)
}

/// Parses `[//authority] path [?query]` from `p`; returns where it stopped.
fn hierarchical(s: &[char], mut p: usize) -> Option<usize> {
    let n = s.len();
    if s.get(p) == Some(&'/') && s.get(p + 1) == Some(&'/') {
        p += 2;
        let q = find(s, p, &['/', '?', '#']);
        if q > p {
            if !authority(&s[p..q]) {
                return None;
            }
        } else if q >= n {
            // "//" with nothing after it.
            return None;
        }
        p = q;
    }
    let q = find(s, p, &['?', '#']);
    if !all_chars(&s[p..q], path_char) {
        return None;
    }
    p = q;
    if s.get(p) == Some(&'?') {
        let q = find(s, p + 1, &['#']);
        if !all_chars(&s[p + 1..q], uric) {
            return None;
        }
        p = q;
    }
    Some(p)
}

/// A registry-based authority, or a server-based one with an IPv6 literal.
fn authority(a: &[char]) -> bool {
    if all_chars(a, reg_name_char) {
        return true;
    }
    // Only '[' and ']' separate server from registry characters.
    let host_start = match a.iter().rposition(|&c| c == '@') {
        Some(at) => {
            if !all_chars(&a[..at], userinfo_char) {
                return false;
            }
            at + 1
        }
        None => 0,
    };
    let rest = &a[host_start..];
    if rest.first() != Some(&'[') {
        return false;
    }
    let Some(close) = rest.iter().position(|&c| c == ']') else {
        return false;
    };
    // An address, optionally followed by a zone after '%' (alphanumerics, as java.net.URI
    // reads them), looked at after jing's escaping of the characters it escapes.
    let mut inside = String::new();
    for &c in &rest[1..close] {
        if escaped_by_encoding(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                inside.push_str(&format!("%{b:02X}"));
            }
        } else {
            inside.push(c);
        }
    }
    let (address, zone) = match inside.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (inside.as_str(), None),
    };
    if !is_ipv6(address)
        || zone.is_some_and(|z| z.is_empty() || !z.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return false;
    }
    let after = &rest[close + 1..];
    match after.split_first() {
        None => true,
        Some((':', port)) => port.iter().all(char::is_ascii_digit),
        Some(_) => false,
    }
}

/// An IPv6 address (RFC 2373 text form, optionally ending in a dotted IPv4 address).
fn is_ipv6(s: &str) -> bool {
    let (head, tail, compressed) = match s.split_once("::") {
        Some((h, t)) => (h, t, true),
        None => (s, "", false),
    };
    if compressed && tail.contains("::") {
        return false;
    }
    let groups = |part: &str| -> Option<(usize, bool)> {
        // Returns (number of 16-bit pieces, whether it ended with IPv4).
        if part.is_empty() {
            return Some((0, false));
        }
        let pieces: Vec<&str> = part.split(':').collect();
        let mut count = 0;
        for (i, piece) in pieces.iter().enumerate() {
            if i + 1 == pieces.len() && piece.contains('.') {
                if !is_ipv4(piece) {
                    return None;
                }
                return Some((count + 2, true));
            }
            if piece.is_empty() || piece.len() > 4 || !piece.chars().all(|c| c.is_ascii_hexdigit())
            {
                return None;
            }
            count += 1;
        }
        Some((count, false))
    };
    let Some((h, h4)) = groups(head) else {
        return false;
    };
    if compressed {
        let Some((t, _)) = groups(tail) else {
            return false;
        };
        !h4 && h + t <= 7
    } else {
        h == 8
    }
}

fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|v| v <= 255)
        })
}

#[cfg(test)]
mod tests {
    use super::is_uri;

    #[test]
    fn cases() {
        for ok in [
            "foobar",
            "http://www.example.com",
            "http://www.example.co%6d",
            "nosuchscheme:stuff",
            "a b",
            "é",
            "http://[::1]/",
            "%20",
            "a:b",
            "#",
            "",
            "a|b",
            "../a?b#c",
            "http:[",
            "a?[x]",
            "http:///p",
            "//h#/",
        ] {
            assert!(is_uri(ok), "{ok:?} should be a URI");
        }
        for bad in [
            "foo$bar:stuff",
            "f%oobar",
            "a#b#c",
            "[x]",
            "a%2",
            "a%2g",
            ":foo",
            "1a:b",
            "a:",
            "http:#",
            "a%",
            "//",
            "//h[/",
            "http://[::g]/",
        ] {
            assert!(!is_uri(bad), "{bad:?} should not be a URI");
        }
    }
}
