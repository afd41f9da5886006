//! Diagnostic codes of the CMIF export and of the CMIF checks (`CMF…`).
//!
//! CMF001–CMF005 are the four rules of the CMIF 1.1 Schematron (`cmif.sch`: W0001, E0001–E0004);
//! CMF010 onwards are reported while exporting an edition.
crate::declare_codes! {
    /// CMIF `cmif.sch` W0001: a `bibl` should have a UUID as its `xml:id`
    /// (`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`).
    BIBL_NOT_UUID = "CMF001", Warning, "a bibl's xml:id is not a UUID";
    /// CMIF `cmif.sch` E0001: a `correspDesc` must have a `correspAction type="sent"`.
    NO_SENT = "CMF002", Error, "a correspDesc has no correspAction type=\"sent\"";
    /// CMIF `cmif.sch` E0002: a `correspDesc` must have a `correspAction type="received"`.
    NO_RECEIVED = "CMF003", Error, "a correspDesc has no correspAction type=\"received\"";
    /// CMIF `cmif.sch` E0003: `correspDesc/@source` must be `#` plus the `xml:id` of a `bibl`.
    SOURCE_NOT_BIBL = "CMF004", Error, "a correspDesc/@source names no bibl";
    /// CMIF `cmif.sch` E0004: a `date` must have at least one of `@when`, `@from`, `@to`,
    /// `@notBefore`, `@notAfter`.
    DATE_WITHOUT_ATTRIBUTE = "CMF005", Error, "a date has no dating attribute";
    /// An edition has no `profileDesc/correspDesc`: it contributes no letters to the export.
    NO_LETTERS = "CMF010", Warning, "an edition describes no letters";
    /// A `correspDesc` has no local `@ref` to its letter, so the CMIF entry gets no letter URL.
    NO_LETTER_REF = "CMF011", Warning, "a correspDesc does not point to its letter";
    /// A `correspDesc` of the edition has no sender or no addressee (or it names neither a
    /// person nor an organisation); CMIF needs both, so the export writes `Unknown`.
    UNKNOWN_CORRESPONDENT = "CMF012", Warning, "a sender or addressee is unknown";
    /// A `correspAction` other than `sent` and `received` (`forwarded` …) has no place in CMIF
    /// 1.1 and is left out.
    ACTION_DROPPED = "CMF013", Note, "a correspAction type CMIF does not know was left out";
    /// A dating attribute of a `correspAction/date` is not a W3C date and is left out.
    BAD_DATE = "CMF014", Warning, "a date attribute is not a W3C date";
    /// A correspondent or place has no authority URI in the edition's register (GND, VIAF or
    /// Wikidata for persons and organisations, GeoNames for places), so its `@ref` is omitted.
    NO_AUTHORITY = "CMF015", Note, "an entity has no authority URI";
    /// Neither the options nor the editions give a date for `publicationStmt/date/@when`.
    NO_PUBLICATION_DATE = "CMF016", Error, "no publication date";
    /// The text given is not a CMIF document (not TEI, or no teiHeader).
    NOT_CMIF = "CMF017", Error, "not a CMIF document";
}
