//! Diagnostic codes of the RELAX NG module.
//!
//! `RNG…` codes are problems of a schema (it cannot be loaded, or it breaks a rule of the
//! RELAX NG specification, whose section each code cites); `VAL…` codes are problems of a
//! document checked against a schema. Messages follow jing's: they say what was found and
//! what was expected.
crate::declare_codes! {
    /// A schema file is not well-formed XML (or not in a supported encoding). The schema is
    /// read with the same safe XML reader as documents: no DTD entity expansion, no external
    /// entities.
    SCHEMA_NOT_WELL_FORMED = "RNG001", Error, "a schema file is not well-formed XML";
    /// A schema file named by the user or by `include`/`externalRef` could not be read.
    SCHEMA_IO = "RNG002", Error, "a schema file could not be read";
    /// An `include` or `externalRef` names a resource teikit refuses to read: a non-file URL
    /// (teikit never uses the network), or a file outside the folder of the top schema.
    /// The refused file is never opened, and its content is never shown.
    HREF_REFUSED = "RNG003", Error, "an include or externalRef names a resource teikit refuses to read";
    /// An `include` or `externalRef` (directly or through other files) includes itself
    /// (RELAX NG §4.5–4.7).
    RECURSIVE_INCLUDE = "RNG004", Error, "recursive include or externalRef";
    /// An element is not allowed at this point of the RELAX NG XML syntax (§3), or a
    /// required child is missing.
    SYNTAX_ELEMENT = "RNG005", Error, "element not allowed here by the RELAX NG syntax";
    /// An attribute is not allowed on this RELAX NG element, is missing, or has a bad value
    /// (§3).
    SYNTAX_ATTRIBUTE = "RNG006", Error, "missing, unknown or bad attribute in a RELAX NG element";
    /// Text (other than whitespace) appears where the RELAX NG syntax allows only elements
    /// (§3).
    SYNTAX_TEXT = "RNG007", Error, "text not allowed here by the RELAX NG syntax";
    /// A name is not a valid NCName or QName, or a QName uses an undeclared prefix (§4.10).
    BAD_NAME = "RNG008", Error, "invalid name, or undeclared namespace prefix";
    /// A datatype library, datatype, parameter or value is unknown or invalid (§4.16, §6.2.8).
    DATATYPE = "RNG009", Error, "unknown or invalid datatype, parameter or value";
    /// An included file is not a grammar, or a definition in an `include` overrides nothing
    /// (§4.7).
    BAD_INCLUDE = "RNG010", Error, "bad include";
    /// Several definitions of the same name (or several `start`s) without `combine`, or with
    /// conflicting `combine` values (§4.17).
    COMBINE = "RNG011", Error, "conflicting or missing combine attribute";
    /// A grammar has no `start` (§4.18).
    MISSING_START = "RNG012", Error, "grammar without start";
    /// A `ref` or `parentRef` names a pattern that is not defined (§4.18).
    UNDEFINED_REF = "RNG013", Error, "reference to an undefined pattern";
    /// A definition refers to itself without an `element` in between (§4.19).
    RECURSIVE_REF = "RNG014", Error, "bad recursive reference";
    /// A `parentRef` outside a nested grammar, or a `ref` outside any grammar (§4.18).
    NO_PARENT_GRAMMAR = "RNG015", Error, "reference outside a grammar";
    /// A name class breaks §4.16: `anyName` inside `except` of `anyName`, `nsName` or
    /// `anyName` inside `except` of `nsName`, or an attribute name class that can match
    /// `xmlns` or the `xmlns` namespace.
    NAME_CLASS = "RNG016", Error, "name class not allowed here";
    /// A pattern contains another pattern it must not contain (§7.1: e.g. `attribute` inside
    /// `attribute`, `element` inside `list`, `text` in `start`).
    PROHIBITED_PATH = "RNG017", Error, "a pattern contains a pattern it must not contain";
    /// Data (`data`, `value`, `list`) is grouped or interleaved with elements or text, or
    /// repeated (§7.2).
    STRING_SEQUENCE = "RNG018", Error, "data grouped with other content";
    /// The same attribute can occur twice in the operands of a `group` or `interleave`
    /// (§7.3).
    DUPLICATE_ATTRIBUTE = "RNG019", Error, "duplicate attribute";
    /// An `attribute` with an `anyName` or `nsName` name class is not inside `oneOrMore`
    /// (§7.3).
    OPEN_ATTRIBUTE = "RNG020", Error, "attribute with an open name class must repeat";
    /// The same element name, or `text`, occurs in both operands of an `interleave` (§7.4).
    INTERLEAVE_OVERLAP = "RNG021", Error, "overlapping operands of interleave";
    /// A compact-syntax schema (`.rnc`) could not be decoded (its syntax errors have the
    /// `RNC…` codes of the compact-syntax parser).
    COMPACT = "RNG022", Error, "compact-syntax file could not be decoded";
    /// A schema is too large or too deeply nested for teikit's limits.
    SCHEMA_LIMIT = "RNG023", Error, "schema exceeds a resource limit";
    /// A URI attribute (`href`, `datatypeLibrary`) is not a valid URI, is relative where it
    /// must be absolute, or has a fragment identifier (§4.3, §4.5).
    BAD_URI = "RNG024", Error, "invalid URI";
    /// The schema is not compatible with RELAX NG DTD Compatibility (ID, IDREF and IDREFS
    /// attributes, §3 of that specification). Turn ID checking off to use it anyway.
    ID_COMPATIBILITY = "RNG025", Error, "schema incompatible with DTD compatibility ID checking";

    /// An element is not allowed where it occurs (or nowhere in the schema).
    ELEMENT_NOT_ALLOWED = "VAL001", Error, "element not allowed here";
    /// An attribute is not allowed on this element.
    ATTRIBUTE_NOT_ALLOWED = "VAL002", Error, "attribute not allowed here";
    /// An attribute's value is not valid.
    ATTRIBUTE_VALUE = "VAL003", Error, "invalid attribute value";
    /// A required attribute is missing.
    MISSING_ATTRIBUTE = "VAL004", Error, "missing required attribute";
    /// An element ends before its required content.
    INCOMPLETE_ELEMENT = "VAL005", Error, "element incomplete";
    /// Text appears where the schema allows none.
    TEXT_NOT_ALLOWED = "VAL006", Error, "text not allowed here";
    /// The text content of an element is not a valid value.
    CONTENT_VALUE = "VAL007", Error, "invalid character content";
    /// An ID value occurs twice in the document (DTD compatibility).
    DUPLICATE_ID = "VAL008", Error, "duplicate ID";
    /// An IDREF or IDREFS token names no ID of the document (DTD compatibility).
    MISSING_ID = "VAL009", Error, "IDREF without matching ID";
    /// An ID, IDREF or IDREFS attribute has no token, or an ID or IDREF has several.
    ID_TOKENS = "VAL010", Error, "wrong number of tokens in an ID-typed attribute";
    /// The schema matches no document at all.
    SCHEMA_ALLOWS_NOTHING = "VAL011", Error, "the schema allows nothing";
    /// Validation needed more memory or nesting than teikit allows.
    VALIDATION_LIMIT = "VAL012", Error, "validation exceeds a resource limit";
}
