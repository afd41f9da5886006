//! Diagnostic codes of the XML reader.
//!
//! A reading error ([`Error`](super::Error)) maps to one of these by its kind
//! ([`Error::code`](super::Error::code)); limit errors use the shared `LIM001`.
crate::declare_codes! {
    /// The document is not well-formed XML 1.0 with namespaces: a syntax error, an illegal
    /// character or character reference, an undefined entity, mismatched tags, a duplicate
    /// attribute, an undeclared namespace prefix … The message says what was found and what
    /// was expected at the position.
    XML_SYNTAX = "XML001", Error, "the document is not well-formed XML";
    /// The bytes are not text in the document's encoding: invalid UTF-8 (overlong forms,
    /// encoded surrogates, truncated sequences), bytes not valid in the declared encoding,
    /// an unknown encoding name, or a byte-order mark that contradicts the declaration.
    /// Nothing is ever replaced silently.
    XML_ENCODING = "XML002", Error, "the document's bytes are not valid in its encoding";
    /// The document uses something teikit refuses for safety or does not implement: entity
    /// declarations and parameter-entity references in the DTD (teikit never expands DTD
    /// entities, so entity bombs, external entities and XXE cannot work), XML 1.1.
    XML_UNSUPPORTED = "XML003", Error, "the document uses an XML feature teikit refuses";
}
