//! Parser for XML Schema 1.0 regular expressions (Part 2, Appendix F) into a small AST of
//! character classes, concatenation, alternation and counted repetition.
//!
//! The grammar is the 2nd edition's: no anchors (`^` and `$` are ordinary characters), no
//! back-references, no lazy or possessive quantifiers, `{` and `}` must be escaped outside
//! quantifiers, and character classes may end in one subtraction `-[…]`. A `-` is literal as
//! the first or last character of a positive character group (jing is stricter and rejects
//! both; we follow the Recommendation). Groups nest through an explicit stack, never through
//! recursion, and their depth is limited by [`MAX_NESTING`].

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

use super::classes;

/// The deepest nesting of groups (and of character-class subtractions) accepted. Deeper
/// patterns are refused with a clear error rather than risking the stack of later stages.
pub(crate) const MAX_NESTING: usize = 100;

/// The regular expression as a tree.
#[derive(Debug, Clone)]
pub(crate) enum Ast {
    /// Matches the empty string.
    Empty,
    /// Matches one character of the class (an empty class matches nothing).
    Class(ClassUnicode),
    /// Matches the parts one after another.
    Concat(Vec<Ast>),
    /// Matches any one of the branches.
    Alt(Vec<Ast>),
    /// Matches `sub` between `min` and `max` (`None` = unbounded) times. Counts beyond
    /// `u64` saturate, which no input can tell apart.
    Repeat {
        /// The repeated expression.
        sub: Box<Ast>,
        /// Least number of repetitions.
        min: u64,
        /// Greatest number of repetitions, `None` for no limit.
        max: Option<u64>,
    },
}

/// A syntax error: where (in characters from the start) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Character offset of the problem in the pattern.
    pub pos: usize,
    /// What is wrong, for people.
    pub message: String,
}

struct Frame {
    /// Finished branches of the group (before a `|`).
    branches: Vec<Ast>,
    /// Atoms of the branch being read.
    items: Vec<Ast>,
    /// Position of the `(`.
    open: usize,
}

impl Frame {
    fn new(open: usize) -> Frame {
        Frame {
            branches: Vec::new(),
            items: Vec::new(),
            open,
        }
    }

    fn end_branch(&mut self) {
        let items = std::mem::take(&mut self.items);
        self.branches.push(concat(items));
    }

    fn finish(mut self) -> Ast {
        self.end_branch();
        if self.branches.len() == 1 {
            self.branches.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(self.branches)
        }
    }
}

fn concat(mut items: Vec<Ast>) -> Ast {
    match items.len() {
        0 => Ast::Empty,
        1 => items.pop().unwrap_or(Ast::Empty),
        _ => Ast::Concat(items),
    }
}

/// What a backslash escape denotes.
enum Escaped {
    Char(char),
    Class(ClassUnicode),
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Parses an XSD regular expression.
pub(crate) fn parse(pattern: &str) -> Result<Ast, SyntaxError> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
    };
    p.regex()
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            pos,
            message: message.into(),
        })
    }

    fn regex(&mut self) -> Result<Ast, SyntaxError> {
        let mut stack = vec![Frame::new(0)];
        while let Some(c) = self.peek() {
            let start = self.pos;
            let atom = match c {
                '(' => {
                    if stack.len() > MAX_NESTING {
                        return self.err(
                            start,
                            format!("groups are nested more than {MAX_NESTING} deep"),
                        );
                    }
                    self.pos += 1;
                    stack.push(Frame::new(start));
                    continue;
                }
                ')' => {
                    if stack.len() == 1 {
                        return self.err(start, "\")\" without a matching \"(\"");
                    }
                    self.pos += 1;
                    match stack.pop() {
                        Some(frame) => frame.finish(),
                        None => Ast::Empty,
                    }
                }
                '|' => {
                    self.pos += 1;
                    if let Some(f) = stack.last_mut() {
                        f.end_branch();
                    }
                    continue;
                }
                '?' | '*' | '+' => {
                    return self.err(
                        start,
                        format!("quantifier \"{c}\" does not follow anything it could repeat"),
                    );
                }
                '{' => {
                    return self.err(
                        start,
                        "\"{\" must be escaped as \"\\{\" when it does not start a quantifier after an atom",
                    );
                }
                '}' | ']' => {
                    return self.err(start, format!("\"{c}\" must be escaped as \"\\{c}\""));
                }
                '.' => {
                    self.pos += 1;
                    Ast::Class(classes::dot())
                }
                '\\' => match self.escape()? {
                    Escaped::Char(ch) => Ast::Class(classes::single(ch)),
                    Escaped::Class(cls) => Ast::Class(cls),
                },
                '[' => Ast::Class(self.class_expr()?),
                _ => {
                    self.pos += 1;
                    Ast::Class(classes::single(c))
                }
            };
            let atom = self.quantifier(atom)?;
            if let Some(f) = stack.last_mut() {
                f.items.push(atom);
            }
        }
        if stack.len() > 1 {
            let open = stack.last().map(|f| f.open).unwrap_or(0);
            return self.err(
                self.chars.len(),
                format!(
                    "the \"(\" at character {} is never closed by \")\"",
                    open + 1
                ),
            );
        }
        Ok(stack.pop().map(Frame::finish).unwrap_or(Ast::Empty))
    }

    fn quantifier(&mut self, atom: Ast) -> Result<Ast, SyntaxError> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => return self.quantity(atom),
            _ => return Ok(atom),
        };
        self.pos += 1;
        Ok(Ast::Repeat {
            sub: Box::new(atom),
            min,
            max,
        })
    }

    /// `{n}`, `{n,}` or `{n,m}`; the `{` is current.
    fn quantity(&mut self, atom: Ast) -> Result<Ast, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let lo = self.digits()?;
        let hi = match self.peek() {
            Some('}') => Some(lo.clone()),
            Some(',') => {
                self.pos += 1;
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.digits()?)
                }
            }
            _ => return self.err(self.pos, "expected \",\" or \"}\" in the quantifier"),
        };
        if self.peek() != Some('}') {
            return self.err(self.pos, "expected \"}\" to close the quantifier");
        }
        self.pos += 1;
        if let Some(hi) = &hi
            && cmp_digits(&lo, hi) == std::cmp::Ordering::Greater
        {
            return self.err(
                open,
                format!("the quantifier's lower bound {lo} is greater than its upper bound {hi}"),
            );
        }
        let min = saturating_u64(&lo);
        let max = hi.as_deref().map(saturating_u64);
        Ok(Ast::Repeat {
            sub: Box::new(atom),
            min,
            max,
        })
    }

    fn digits(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        while matches!(self.peek(), Some('0'..='9')) {
            self.pos += 1;
        }
        if start == self.pos {
            return self.err(self.pos, "expected a digit in the quantifier");
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    /// A backslash escape; the `\` is current.
    fn escape(&mut self) -> Result<Escaped, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            return self.err(start, "the pattern ends with a lone \"\\\"");
        };
        self.pos += 1;
        Ok(match c {
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            't' => Escaped::Char('\t'),
            '\\' | '|' | '.' | '?' | '*' | '+' | '(' | ')' | '{' | '}' | '-' | '[' | ']' | '^' => {
                Escaped::Char(c)
            }
            's' | 'S' | 'i' | 'I' | 'c' | 'C' | 'd' | 'D' | 'w' | 'W' => {
                Escaped::Class(classes::multi_char_escape(c))
            }
            'p' | 'P' => {
                if self.peek() != Some('{') {
                    return self.err(self.pos, format!("expected \"{{\" after \"\\{c}\""));
                }
                self.pos += 1;
                let name_start = self.pos;
                while let Some(ch) = self.peek() {
                    if ch == '}' {
                        break;
                    }
                    self.pos += 1;
                }
                if self.peek() != Some('}') {
                    return self.err(self.pos, "expected \"}\" to close the property name");
                }
                let name: String = self.chars[name_start..self.pos].iter().collect();
                self.pos += 1;
                let cls = classes::property(&name).map_err(|message| SyntaxError {
                    pos: name_start,
                    message,
                })?;
                Escaped::Class(if c == 'P' { classes::negated(cls) } else { cls })
            }
            _ => {
                return self.err(
                    start,
                    format!("\"\\{c}\" is not an escape of XML Schema regular expressions"),
                );
            }
        })
    }

    /// A character class expression; the `[` is current. Subtractions `[a-[b-[c]]]` are read
    /// in a loop and folded from the innermost outwards.
    fn class_expr(&mut self) -> Result<ClassUnicode, SyntaxError> {
        let open = self.pos;
        let mut groups: Vec<ClassUnicode> = Vec::new();
        loop {
            self.pos += 1; // the '['
            if groups.len() >= MAX_NESTING {
                return self.err(
                    self.pos,
                    format!("character class subtractions are nested more than {MAX_NESTING} deep"),
                );
            }
            let negative = if self.peek() == Some('^') {
                self.pos += 1;
                true
            } else {
                false
            };
            let set = self.pos_group()?;
            groups.push(if negative { classes::negated(set) } else { set });
            match (self.peek(), self.peek_at(1)) {
                (Some('-'), Some('[')) => {
                    self.pos += 1;
                    continue;
                }
                (Some(']'), _) => {
                    self.pos += 1;
                    break;
                }
                (None, _) => {
                    return self.err(
                        self.pos,
                        format!(
                            "the \"[\" at character {} is never closed by \"]\"",
                            open + 1
                        ),
                    );
                }
                _ => return self.err(self.pos, "expected \"]\" after the subtracted class"),
            }
        }
        for _ in 1..groups.len() {
            if self.peek() != Some(']') {
                return self.err(
                    self.pos,
                    "expected \"]\": a subtraction \"-[…]\" must end its character class",
                );
            }
            self.pos += 1;
        }
        let mut acc = groups.pop().unwrap_or_else(ClassUnicode::empty);
        while let Some(mut outer) = groups.pop() {
            outer.difference(&acc);
            acc = outer;
        }
        Ok(acc)
    }

    /// The ranges and escapes of one group, up to (not including) `]` or `-[`.
    fn pos_group(&mut self) -> Result<ClassUnicode, SyntaxError> {
        let mut set = ClassUnicode::empty();
        let mut first = true;
        loop {
            let at = self.pos;
            let Some(c) = self.peek() else {
                return self.err(at, "the character class is not closed by \"]\"");
            };
            match c {
                ']' if first => {
                    return self.err(
                        at,
                        "a character class must not be empty (write \"\\]\" for a literal \"]\")",
                    );
                }
                ']' => return Ok(set),
                '[' => {
                    return self.err(
                        at,
                        "\"[\" must be escaped as \"\\[\" inside a character class",
                    );
                }
                '-' => {
                    let next = self.peek_at(1);
                    if next == Some('[') {
                        if first {
                            return self.err(
                                at,
                                "a character class must not be empty before a subtraction \"-[\"",
                            );
                        }
                        return Ok(set);
                    }
                    if first || next == Some(']') {
                        self.pos += 1;
                        set.push(ClassUnicodeRange::new('-', '-'));
                        first = false;
                        continue;
                    }
                    return self.err(
                        at,
                        "\"-\" must be escaped as \"\\-\" here (it is literal only first or last in a character class)",
                    );
                }
                _ => {}
            }
            let lo = if c == '\\' {
                self.escape()?
            } else {
                self.pos += 1;
                Escaped::Char(c)
            };
            first = false;
            let range_follows =
                self.peek() == Some('-') && !matches!(self.peek_at(1), Some(']' | '[') | None);
            match lo {
                Escaped::Class(cls) => {
                    if range_follows {
                        return self.err(
                            self.pos,
                            "a range must be bounded by single characters, not by a class escape",
                        );
                    }
                    set.union(&cls);
                }
                Escaped::Char(lo) if range_follows => {
                    self.pos += 1; // '-'
                    let hi_at = self.pos;
                    let hi = match self.peek() {
                        Some('\\') => match self.escape()? {
                            Escaped::Char(h) => h,
                            Escaped::Class(_) => {
                                return self.err(hi_at, "a range must be bounded by single characters, not by a class escape");
                            }
                        },
                        Some('-') => {
                            return self
                                .err(hi_at, "\"-\" must be escaped as \"\\-\" to end a range");
                        }
                        Some(h) => {
                            self.pos += 1;
                            h
                        }
                        None => {
                            return self.err(hi_at, "the character class is not closed by \"]\"");
                        }
                    };
                    if lo > hi {
                        return self.err(
                            at,
                            format!(
                                "range {}-{} is reversed: U+{:04X} comes after U+{:04X}",
                                printable(lo),
                                printable(hi),
                                lo as u32,
                                hi as u32
                            ),
                        );
                    }
                    set.push(ClassUnicodeRange::new(lo, hi));
                }
                Escaped::Char(ch) => set.push(ClassUnicodeRange::new(ch, ch)),
            }
        }
    }
}

/// A character as it may be shown in a message.
fn printable(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
    }
}

/// Compares two non-empty ASCII digit strings numerically.
fn cmp_digits(a: &str, b: &str) -> std::cmp::Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn saturating_u64(digits: &str) -> u64 {
    let mut v: u64 = 0;
    for d in digits.bytes() {
        v = v.saturating_mul(10).saturating_add(u64::from(d - b'0'));
    }
    v
}
