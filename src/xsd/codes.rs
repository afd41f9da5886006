//! Diagnostic codes of this module: problems in a schema's use of datatypes. The RELAX NG
//! loader reports them (with the span of the `data`, `value` or `param` element) through
//! [`DatatypeError::code`](super::DatatypeError::code).
crate::declare_codes! {
    /// The `datatypeLibrary` URI names a library teikit does not know. Only the built-in
    /// library (the empty URI) and XML Schema datatypes
    /// (`http://www.w3.org/2001/XMLSchema-datatypes`) are supported.
    UNKNOWN_LIBRARY = "XSD001", Error, "unsupported datatype library";
    /// The datatype library has no type of this name (the built-in library has only
    /// `string` and `token`).
    UNKNOWN_TYPE = "XSD002", Error, "unknown datatype";
    /// A `<param>` is not a facet of the type, does not apply to it, or has a value the type
    /// does not allow (e.g. `maxInclusive="3"` after `minInclusive="5"`). `enumeration` and
    /// `whiteSpace` are never parameters.
    BAD_PARAM = "XSD003", Error, "invalid datatype parameter";
    /// A `pattern` parameter is not an XML Schema regular expression (Part 2, Appendix F):
    /// unbalanced brackets, a quantifier with nothing to repeat, an unknown escape, block or
    /// category, or groups nested too deeply.
    BAD_PATTERN = "XSD004", Error, "invalid regular expression in a pattern";
}
