//! Diagnostic codes of the compact-syntax parser (`RNC…`).
//!
//! Each code is one of the static errors of the RELAX NG Compact Syntax specification
//! (OASIS Committee Specification, 21 November 2002): a lexical or syntax error, or one of
//! the named constraints of its Appendix A. Errors that the XML syntax shares with the
//! compact syntax (undefined references, the restrictions of RELAX NG §7, datatype
//! errors, …) are reported by the XML-syntax loader on the translated document, with
//! positions that still point into the `.rnc` text.
crate::declare_codes! {
    /// The text does not match the grammar of the compact syntax: a token appears where
    /// something else was expected. The message says what was found and what was
    /// expected. (Compact Syntax, Appendix A.1.)
    RNC_SYNTAX = "RNC001", Error, "syntax error in a compact-syntax schema";
    /// A `\x{…}` escape is malformed (no hexadecimal digits, no closing brace) or names a
    /// character that is not allowed in XML (a surrogate, U+FFFE, a code point above
    /// U+10FFFF, most C0 controls). (Compact Syntax, Appendix A.2.4.)
    RNC_ESCAPE = "RNC002", Error, "invalid `\\x{…}` escape sequence";
    /// A character that cannot start any token, a character that is not an XML character,
    /// a literal that is not closed, or a newline inside a literal delimited by a single
    /// quote character (use `"""…"""` or `\x{A}` for multi-line values).
    /// (Compact Syntax, Appendix A.2.5.)
    RNC_LEXICAL = "RNC003", Error, "invalid character or unterminated literal";
    /// A namespace or datatypes prefix is used but not declared. Only `xml` (namespace)
    /// and `xsd` (datatypes) are predeclared.
    RNC_UNDECLARED_PREFIX = "RNC004", Error, "undeclared prefix";
    /// A `namespace`, `default namespace` or `datatypes` declaration breaks a rule: the
    /// same prefix declared twice, two default namespaces, the `xmlns` prefix, the `xml`
    /// prefix bound to another URI (or another prefix bound to the XML namespace), `xsd`
    /// bound to another datatype library, or a datatype library URI that is not absolute
    /// or has a fragment. (Compact Syntax, Appendix A.1, constraints on `decl`.)
    RNC_DECLARATION = "RNC005", Error, "invalid namespace or datatypes declaration";
    /// An annotation breaks a rule: an annotation attribute of a RELAX NG element without
    /// a namespace, in the RELAX NG namespace or in the `xmlns` namespace; an annotation
    /// element in the RELAX NG namespace; the same attribute twice; a prefix bound to
    /// `inherit`; or `##` documentation after `[…]`. (Compact Syntax §5, Appendix A.1.)
    RNC_ANNOTATION = "RNC006", Error, "invalid annotation";
    /// The operators `|`, `&`, `,` and `-` are combined without parentheses. The compact
    /// syntax has no operator precedence: write `(a | b), c` or `a | (b, c)`. A pattern
    /// with an except (`xsd:string - "x"`) must also be parenthesized before it is
    /// combined or repeated. (Compact Syntax §2.)
    RNC_MIXED_OPERATORS = "RNC007", Error, "operators combined without parentheses";
    /// A name-class except contains a name class it may not contain: `*` inside the except
    /// of `*` or of `prefix:*`, or `prefix:*` inside the except of `prefix:*`.
    /// (RELAX NG §4.16, checked here so that the error points at the compact syntax.)
    RNC_NAME_CLASS_EXCEPT = "RNC008", Error, "invalid name-class except";
    /// Brackets, braces, parentheses and excepts nest deeper than the parser's limit.
    /// The limit protects against stack exhaustion on hostile input; real schemas nest a
    /// few dozen levels at most.
    RNC_TOO_DEEP = "RNC009", Error, "the schema nests too deeply";
    /// A schema that is a pattern (not a grammar) must translate to exactly one RELAX NG
    /// element; annotations after it (`>>`, or annotation elements on a value) would make
    /// it several. (Compact Syntax, Appendix A.1, constraint "single element".)
    RNC_SINGLE_ELEMENT = "RNC010", Error, "the top-level pattern is not a single element";
    /// The URI of an `include` or `external` has a fragment identifier (`#…`), which
    /// RELAX NG does not allow (RELAX NG §4.5).
    RNC_HREF = "RNC011", Error, "invalid `include` or `external` URI";
}
