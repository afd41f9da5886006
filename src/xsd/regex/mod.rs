//! XML Schema 1.0 regular expressions (Part 2, Appendix F), for the `pattern` facet.
//!
//! A pattern is parsed into a small AST (`parse.rs`) whose character classes are code point
//! sets, then handed to `regex-automata`'s meta engine as a `regex-syntax` HIR, anchored at
//! both ends. That engine never backtracks: matching is linear in the input, so ReDoS
//! patterns such as `(a+)+b` cost nothing special.
//!
//! The one thing a finite automaton cannot do cheaply is counting: `x{2147483648}` or
//! `((a{1,100}){1,100}){1,100}` would unroll into millions of states. Two measures keep
//! memory and time bounded while staying exact:
//!
//! 1. Nested counts are merged where that is exact (`(X{a,b}){c,d}` = `X{ca,db}` when the
//!    repetition counts it allows form one interval).
//! 2. A pattern still too large to compile as written is compiled per input length class: a
//!    value of at most `K` characters cannot tell `X{n,m}` from `X{n,}` once `m` exceeds
//!    `K / minlen(X)`, nor match `X{n,…}` at all when `n·minlen(X) > K`. The regex rewritten
//!    for `K` (the next power of two of the value's length) is exact for every value that
//!    short, and small. Only if even that is too large does checking report the pattern as
//!    too complex for the value, an explicit limit rather than a hang.

mod blocks;
mod classes;
mod parse;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_syntax::hir::{Class, Hir, Look, Repetition};

use parse::Ast;

/// Largest estimated automaton (in units of [`cost`]) compiled directly.
const COST_LIMIT: u64 = 100_000;
/// Size limit handed to the NFA compiler, in bytes.
const NFA_SIZE_LIMIT: usize = 16 << 20;
/// Smallest length class compiled for long-count patterns.
const MIN_CAP: u64 = 256;
/// Compiled length classes kept per pattern.
const MAX_CAPPED: usize = 8;

/// An invalid regular expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    /// Character offset (0-based) in the pattern where the problem was found.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for RegexError {}

/// A pattern too complex to check against a value of this length within the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooComplex {
    /// Length of the value in characters.
    pub length: usize,
}

impl fmt::Display for TooComplex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the pattern's counted repetitions are too large to check against a value of {} characters",
            self.length
        )
    }
}

/// A compiled XSD regular expression; matches whole strings.
pub struct XsdRegex {
    source: String,
    ast: Ast,
    /// The pattern compiled as written, unless too large.
    exact: Option<meta::Regex>,
    /// Length-capped compilations: `(K, regex or None if too complex)`.
    capped: Mutex<Vec<(u64, Option<meta::Regex>)>>,
}

impl fmt::Debug for XsdRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XsdRegex")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl XsdRegex {
    /// Parses and compiles an XSD regular expression.
    pub fn new(pattern: &str) -> Result<XsdRegex, RegexError> {
        let ast = parse::parse(pattern).map_err(|e| RegexError {
            position: e.pos,
            message: e.message,
        })?;
        let ast = simplify(ast);
        let exact = if cost(&ast) <= COST_LIMIT {
            compile(&ast)
        } else {
            None
        };
        Ok(XsdRegex {
            source: pattern.to_string(),
            ast,
            exact,
            capped: Mutex::new(Vec::new()),
        })
    }

    /// Compiles through a process-wide cache: schemas repeat the same few patterns
    /// (tei_all has 341 `pattern` parameters but 13 distinct patterns).
    pub fn cached(pattern: &str) -> Result<Arc<XsdRegex>, RegexError> {
        type Cache = Mutex<HashMap<String, Arc<XsdRegex>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        if let Ok(map) = cache.lock()
            && let Some(r) = map.get(pattern)
        {
            return Ok(Arc::clone(r));
        }
        let r = Arc::new(XsdRegex::new(pattern)?);
        if let Ok(mut map) = cache.lock() {
            if map.len() >= 1024 {
                map.clear();
            }
            map.insert(pattern.to_string(), Arc::clone(&r));
        }
        Ok(r)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> Result<bool, TooComplex> {
        if let Some(re) = &self.exact {
            return Ok(re.is_match(s));
        }
        let length = s.chars().count();
        let k = (length as u64).max(MIN_CAP).next_power_of_two();
        let mut capped = self.capped.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, re)) = capped.iter().find(|(kk, _)| *kk == k) {
            return re
                .as_ref()
                .map(|re| re.is_match(s))
                .ok_or(TooComplex { length });
        }
        let rewritten = cap(&self.ast, k);
        let re = if cost(&rewritten) <= COST_LIMIT {
            compile(&rewritten)
        } else {
            None
        };
        let result = re
            .as_ref()
            .map(|re| re.is_match(s))
            .ok_or(TooComplex { length });
        if capped.len() >= MAX_CAPPED {
            capped.remove(0);
        }
        capped.push((k, re));
        result
    }
}

/// Merges nested counted repetitions where exact and drops `{1,1}`.
fn simplify(ast: Ast) -> Ast {
    match ast {
        Ast::Concat(v) => Ast::Concat(v.into_iter().map(simplify).collect()),
        Ast::Alt(v) => Ast::Alt(v.into_iter().map(simplify).collect()),
        Ast::Repeat { sub, min, max } => {
            let sub = simplify(*sub);
            if min == 1 && max == Some(1) {
                return sub;
            }
            match sub {
                Ast::Repeat {
                    sub: inner,
                    min: a,
                    max: b,
                } if counts_merge(a, b, min, max) => Ast::Repeat {
                    sub: inner,
                    min: a.saturating_mul(min),
                    max: match (b, max) {
                        (Some(b), Some(d)) => Some(b.saturating_mul(d)),
                        _ => None,
                    },
                },
                sub => Ast::Repeat {
                    sub: Box::new(sub),
                    min,
                    max,
                },
            }
        }
        other => other,
    }
}

/// Whether `(X{a,b}){c,d}` equals `X{ac,bd}`: the union over `k` in `[c,d]` of the intervals
/// `[ka,kb]` has no gap, which (the gaps shrinking as `k` grows) only needs checking at `k = c`.
fn counts_merge(a: u64, b: Option<u64>, c: u64, d: Option<u64>) -> bool {
    if d == Some(c) {
        // Exactly c repetitions: always an interval [ca, cb].
        return true;
    }
    match b {
        None => c >= 1 || a <= 1,
        Some(b) => {
            // (c+1)a <= cb + 1  <=>  a - 1 <= c(b - a)
            let lhs = a.saturating_sub(1);
            let rhs = c.saturating_mul(b.saturating_sub(a));
            lhs <= rhs
        }
    }
}

/// Least length (in characters) of a match; `None` if nothing matches.
fn min_len(ast: &Ast) -> Option<u64> {
    match ast {
        Ast::Empty => Some(0),
        Ast::Class(c) => (!c.ranges().is_empty()).then_some(1),
        Ast::Concat(v) => v
            .iter()
            .try_fold(0u64, |acc, a| Some(acc.saturating_add(min_len(a)?))),
        Ast::Alt(v) => v.iter().filter_map(min_len).min(),
        Ast::Repeat { sub, min, .. } => match min_len(sub) {
            Some(l) => Some(l.saturating_mul(*min)),
            None if *min == 0 => Some(0),
            None => None,
        },
    }
}

/// A rough size of the automaton the pattern compiles to.
fn cost(ast: &Ast) -> u64 {
    match ast {
        Ast::Empty => 1,
        Ast::Class(c) => 1 + c.ranges().len() as u64 / 16,
        Ast::Concat(v) | Ast::Alt(v) => v.iter().fold(1u64, |acc, a| acc.saturating_add(cost(a))),
        Ast::Repeat { sub, min, max } => {
            let copies = match max {
                Some(m) => (*m).max(1),
                None => min.saturating_add(1),
            };
            cost(sub).saturating_mul(copies).saturating_add(1)
        }
    }
}

/// Rewrites the pattern into one that agrees with it on every string of at most `k`
/// characters and unrolls no count beyond `k`.
fn cap(ast: &Ast, k: u64) -> Ast {
    match ast {
        Ast::Empty | Ast::Class(_) => ast.clone(),
        Ast::Concat(v) => Ast::Concat(v.iter().map(|a| cap(a, k)).collect()),
        Ast::Alt(v) => Ast::Alt(v.iter().map(|a| cap(a, k)).collect()),
        Ast::Repeat { sub, min, max } => {
            let sub = cap(sub, k);
            match min_len(&sub) {
                None => {
                    if *min == 0 {
                        Ast::Empty
                    } else {
                        Ast::Class(regex_syntax::hir::ClassUnicode::empty())
                    }
                }
                // A sub-expression that can match "" makes the lower bound moot, and more than
                // k non-empty iterations cannot fit.
                Some(0) => Ast::Repeat {
                    sub: Box::new(sub),
                    min: 0,
                    max: max.filter(|&m| m < k),
                },
                Some(l) => {
                    if min.saturating_mul(l) > k {
                        return Ast::Class(regex_syntax::hir::ClassUnicode::empty());
                    }
                    let most = k / l;
                    Ast::Repeat {
                        sub: Box::new(sub),
                        min: *min,
                        max: max.filter(|&m| m <= most),
                    }
                }
            }
        }
    }
}

fn to_hir(ast: &Ast) -> Option<Hir> {
    Some(match ast {
        Ast::Empty => Hir::empty(),
        Ast::Class(c) => match c.ranges() {
            [r] if r.start() == r.end() => {
                let mut buf = [0u8; 4];
                Hir::literal(r.start().encode_utf8(&mut buf).as_bytes())
            }
            _ => Hir::class(Class::Unicode(c.clone())),
        },
        Ast::Concat(v) => Hir::concat(v.iter().map(to_hir).collect::<Option<Vec<_>>>()?),
        Ast::Alt(v) => Hir::alternation(v.iter().map(to_hir).collect::<Option<Vec<_>>>()?),
        Ast::Repeat { sub, min, max } => Hir::repetition(Repetition {
            min: u32::try_from(*min).ok()?,
            max: match max {
                Some(m) => Some(u32::try_from(*m).ok()?),
                None => None,
            },
            greedy: true,
            sub: Box::new(to_hir(sub)?),
        }),
    })
}

/// Compiles the AST anchored at both ends; `None` when it exceeds the size limits.
fn compile(ast: &Ast) -> Option<meta::Regex> {
    let hir = Hir::concat(vec![
        Hir::look(Look::Start),
        to_hir(ast)?,
        Hir::look(Look::End),
    ]);
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                .which_captures(WhichCaptures::None)
                .onepass(false)
                .backtrack(false),
        )
        .build_from_hir(&hir)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        XsdRegex::new(p)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .is_match(s)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn basics() {
        assert!(m("xyzzy", "xyzzy"));
        assert!(!m("xyzzy", "xyzzyy"));
        assert!(m("$", "$"));
        assert!(m("^", "^"));
        assert!(m("", ""));
        assert!(m("|", ""));
        assert!(m("[a-z-[c-y]]", "b") && !m("[a-z-[c-y]]", "d"));
        assert!(m("[a-z-]", "-") && m("[-a]", "-"));
        assert!(m("a[\u{10330}-[\u{10330}]]*b", "ab"));
        assert!(m(r"\p{IsGothic}", "\u{10330}"));
        assert!(!m(".", "\n"));
        assert!(m("[^^]", "x") && !m("[^^]", "^"));
    }

    #[test]
    fn rejects() {
        for p in [
            "a??",
            "\\",
            "?",
            "*",
            "+",
            "(",
            "[",
            "]",
            ")",
            "[^]",
            "[]",
            "[]]",
            "[[]",
            "[\\]",
            "x{2,1}",
            "x{1, 2}",
            "x{ 2}",
            "x{2 }",
            "x{-0,1}",
            "x{+2}",
            "[a-[a]-[a]]",
            "\\pL",
            "\\p{IsHighSurrogates}",
            "\\p{IsLowSurrogates}",
            "\\p{IsHighPrivateUseSurrogates}",
            "x{2147483649,2147483648}",
            "{",
            "a}",
            "a{1}{2}",
            "[a-c-b]",
            "[\\d-z]",
            "[z-a]",
            "\\$",
        ] {
            assert!(XsdRegex::new(p).is_err(), "{p} should be rejected");
        }
    }

    #[test]
    fn huge_counts() {
        assert!(!m("x{2147483648}", "x"));
        assert!(m("x{0,2147483648}", "x"));
        let blowup = "((a{1,100}){1,100}){1,100}";
        let long = "a".repeat(4999) + "b";
        assert!(!m(blowup, &long));
        assert!(m(blowup, &"a".repeat(5000)));
        assert!(!m(blowup, ""));
        assert!(m("((a{2,3}){50,60}){2}", &"a".repeat(250)));
        assert!(!m("((a{2,3}){50,60}){2}", &"a".repeat(199)));
    }

    #[test]
    fn merge_is_exact() {
        // (a{2,3}){0,2} = {ε, a², a³, a⁴, a⁵, a⁶}: not a⁰..a⁶ because a¹ is missing.
        let r = XsdRegex::new("(a{2,3}){0,2}").unwrap();
        let hits: Vec<usize> = (0..8)
            .filter(|&n| r.is_match(&"a".repeat(n)).unwrap())
            .collect();
        assert_eq!(hits, vec![0, 2, 3, 4, 5, 6]);
        let r = XsdRegex::new("(a{1,2}){3}").unwrap();
        let hits: Vec<usize> = (0..8)
            .filter(|&n| r.is_match(&"a".repeat(n)).unwrap())
            .collect();
        assert_eq!(hits, vec![3, 4, 5, 6]);
    }
}
