//! Names and name classes (RELAX NG §3, §4.16, §7.3–7.4).
//!
//! A name class is kept as a small tree whose choices are flattened: `except` can nest at most
//! three levels (anyName − (nsName − name)), so the recursive functions here have a depth
//! bounded by the RELAX NG grammar, not by the input.

use std::fmt;

/// An expanded name in a schema: namespace URI (`""` = no namespace) and local name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct QName {
    pub ns: String,
    pub local: String,
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

/// A name class.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum NameClass {
    /// One name.
    Name(QName),
    /// Any name, minus the exception.
    AnyName(Option<Box<NameClass>>),
    /// Any name in a namespace, minus the exception.
    NsName(String, Option<Box<NameClass>>),
    /// The union (never empty, never directly nested).
    Choice(Vec<NameClass>),
}

/// How specifically a name class matches a name (jing's recovery picks the most specific
/// element pattern for an element that is out of place).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Specificity {
    None,
    AnyName,
    NsName,
    Name,
}

impl NameClass {
    /// Whether the name class contains the name.
    pub fn contains(&self, ns: &str, local: &str) -> bool {
        match self {
            NameClass::Name(q) => q.ns == ns && q.local == local,
            NameClass::AnyName(ex) => !ex.as_ref().is_some_and(|e| e.contains(ns, local)),
            NameClass::NsName(n, ex) => {
                n == ns && !ex.as_ref().is_some_and(|e| e.contains(ns, local))
            }
            NameClass::Choice(v) => v.iter().any(|c| c.contains(ns, local)),
        }
    }

    /// How specifically the class matches the name.
    pub fn specificity(&self, ns: &str, local: &str) -> Specificity {
        match self {
            NameClass::Name(q) if q.ns == ns && q.local == local => Specificity::Name,
            NameClass::Name(_) => Specificity::None,
            NameClass::AnyName(_) if self.contains(ns, local) => Specificity::AnyName,
            NameClass::NsName(..) if self.contains(ns, local) => Specificity::NsName,
            NameClass::Choice(v) => v
                .iter()
                .map(|c| c.specificity(ns, local))
                .max()
                .unwrap_or(Specificity::None),
            _ => Specificity::None,
        }
    }

    /// Calls `f` with every name the class spells out (in `name`, also inside exceptions).
    pub fn names_spelt_out(&self, f: &mut dyn FnMut(&QName)) {
        // Explicit stack: exceptions nest, and schemas are untrusted input too.
        let mut stack = vec![self];
        while let Some(nc) = stack.pop() {
            match nc {
                NameClass::Name(q) => f(q),
                NameClass::AnyName(ex) | NameClass::NsName(_, ex) => {
                    stack.extend(ex.as_deref());
                }
                NameClass::Choice(v) => stack.extend(v.iter()),
            }
        }
    }

    /// The single name, if the class is exactly one name.
    pub fn single_name(&self) -> Option<&QName> {
        match self {
            NameClass::Name(q) => Some(q),
            _ => None,
        }
    }

    /// Whether the class contains infinitely many names (uses `anyName` or `nsName`).
    pub fn is_open(&self) -> bool {
        match self {
            NameClass::Name(_) => false,
            NameClass::AnyName(_) | NameClass::NsName(..) => true,
            NameClass::Choice(v) => v.iter().any(NameClass::is_open),
        }
    }

    /// Whether the class consists of `name` and `choice` only (DTD compatibility).
    pub fn is_names_only(&self) -> bool {
        match self {
            NameClass::Name(_) => true,
            NameClass::Choice(v) => v.iter().all(NameClass::is_names_only),
            _ => false,
        }
    }

    /// Pushes every name and namespace mentioned anywhere in the class.
    fn mentions(&self, names: &mut Vec<QName>, nss: &mut Vec<String>) {
        match self {
            NameClass::Name(q) => {
                names.push(q.clone());
                nss.push(q.ns.clone());
            }
            NameClass::AnyName(ex) => {
                if let Some(e) = ex {
                    e.mentions(names, nss);
                }
            }
            NameClass::NsName(n, ex) => {
                nss.push(n.clone());
                if let Some(e) = ex {
                    e.mentions(names, nss);
                }
            }
            NameClass::Choice(v) => v.iter().for_each(|c| c.mentions(names, nss)),
        }
    }

    /// Whether some name belongs to both classes (RELAX NG §7.3's representative names:
    /// every name mentioned, one unlikely name in every mentioned namespace, and one in an
    /// unmentioned namespace).
    pub fn overlaps(&self, other: &NameClass) -> bool {
        let mut names = Vec::new();
        let mut nss = Vec::new();
        self.mentions(&mut names, &mut nss);
        other.mentions(&mut names, &mut nss);
        const ODD: &str = "\u{0}teikit-unlikely-name";
        const ODD_NS: &str = "\u{0}teikit-unlikely-namespace";
        nss.push(ODD_NS.to_string());
        names
            .iter()
            .map(|q| (q.ns.as_str(), q.local.as_str()))
            .chain(nss.iter().map(|n| (n.as_str(), ODD)))
            .any(|(ns, l)| self.contains(ns, l) && other.contains(ns, l))
    }

    /// Collects what a message can list: the names the class contains, the namespaces it
    /// contains wholesale, and whether it contains names of any namespace.
    pub fn collect_expected(&self, out: &mut ExpectedNames) {
        match self {
            NameClass::Name(q) => out.names.push(q.clone()),
            NameClass::AnyName(_) => out.any = true,
            NameClass::NsName(n, _) => out.namespaces.push(n.clone()),
            NameClass::Choice(v) => v.iter().for_each(|c| c.collect_expected(out)),
        }
    }
}

/// The names a message can list as expected.
#[derive(Debug, Default, Clone)]
pub(crate) struct ExpectedNames {
    pub names: Vec<QName>,
    pub namespaces: Vec<String>,
    pub any: bool,
}

impl ExpectedNames {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.namespaces.is_empty() && !self.any
    }
}

/// XML 1.0 (fifth edition) NameStartChar, without `:`.
pub(crate) fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (fifth edition) NameChar, without `:`.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an NCName. RELAX NG (like jing) uses the names of XML 1.0 before the
/// fifth edition, where a name cannot start with a combining mark or a digit of any
/// script; the fifth edition's wider ranges are narrowed by that rule.
pub(crate) fn is_ncname(s: &str) -> bool {
    let mut it = s.chars();
    let Some(first) = it.next() else {
        return false;
    };
    is_name_start_char(first)
        && (first.is_ascii() || !is_mark_or_digit(first))
        && it.all(is_name_char)
}

fn is_mark_or_digit(c: char) -> bool {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"^[\p{M}\p{Nd}]").expect("valid class"));
    let mut buf = [0u8; 4];
    re.is_match(c.encode_utf8(&mut buf))
}

/// Splits a QName into prefix and local part; `None` if it is not a QName.
pub(crate) fn split_qname(s: &str) -> Option<(Option<&str>, &str)> {
    match s.split_once(':') {
        Some((p, l)) if is_ncname(p) && is_ncname(l) => Some((Some(p), l)),
        Some(_) => None,
        None if is_ncname(s) => Some((None, s)),
        None => None,
    }
}

/// XML whitespace (space, tab, CR, LF).
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Trims XML whitespace.
pub(crate) fn trim_xml(s: &str) -> &str {
    s.trim_matches(is_xml_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(ns: &str, l: &str) -> NameClass {
        NameClass::Name(QName {
            ns: ns.into(),
            local: l.into(),
        })
    }

    #[test]
    fn containment_and_overlap() {
        let any_but_x = NameClass::AnyName(Some(Box::new(NameClass::NsName("x".into(), None))));
        assert!(any_but_x.contains("", "a"));
        assert!(!any_but_x.contains("x", "a"));
        assert!(any_but_x.overlaps(&name("", "a")));
        assert!(!any_but_x.overlaps(&name("x", "a")));
        let nsx = NameClass::NsName("x".into(), Some(Box::new(name("x", "b"))));
        assert!(nsx.overlaps(&name("x", "a")));
        assert!(!nsx.overlaps(&name("x", "b")));
        assert!(!nsx.overlaps(&any_but_x));
        assert!(NameClass::AnyName(None).overlaps(&any_but_x));
        assert_eq!(nsx.specificity("x", "a"), Specificity::NsName);
    }

    #[test]
    fn name_syntax() {
        assert!(is_ncname("a-b.c_1"));
        assert!(!is_ncname("1a"));
        assert!(!is_ncname("a:b"));
        assert!(!is_ncname("\u{E35}"));
        assert!(is_ncname("\u{E14}\u{E35}"));
        assert_eq!(split_qname("p:l"), Some((Some("p"), "l")));
        assert_eq!(split_qname("p:"), None);
        assert_eq!(split_qname("a:b:c"), None);
    }
}
