//! Diagnostic codes of the integrity rules (`RUL…`).
//!
//! Each code is one rule; the doc comment is its explanation. `schema/README.md` shows a
//! two-line example of each.
crate::declare_codes! {
    /// A local pointer (`#id` in `@ref`, `@corresp`, `@target`, `@source`, `@resp`, `@who`,
    /// `@calendar`, `@spanTo`, `@sameAs`, `@copyOf`, `@prev`, `@next`, or a `prefixDef`
    /// prefix that expands to `#id`) names an `xml:id` that the document does not define.
    /// Pointers to other files (`register.xml#p1`) and absolute URIs are not local and are not
    /// checked.
    UNRESOLVED_POINTER = "RUL001", Error, "a local pointer does not resolve to an xml:id";
    /// The document defines no register (no `person`, `place`, `org` … with an `xml:id` in a
    /// list) and its name pointers (`@ref`, `@resp`, `@who`, `@sameAs`) address ids it does
    /// not define: they are taken to point into an external register, and reported once as a
    /// note instead of one error each. teikit editions, `--strict-pointers` and registers
    /// passed with the options turn this off.
    EXTERNAL_REGISTER = "RUL002", Note, "name pointers seem to address an external register";
    /// Two elements carry the same `xml:id`; pointers to it are ambiguous.
    DUPLICATE_ID = "RUL003", Error, "an xml:id is defined twice";
    /// A register entry (a `person`, `place`, `org`, `bibl` … with an `xml:id` in a list of the
    /// header, `standOff` or `back`) is not pointed to from anywhere else in the document. A
    /// register should hold exactly the entities its edition mentions.
    UNMENTIONED_ENTRY = "RUL004", Warning, "a register entry is never mentioned";
    /// One side of a translation pair points to the other with `@corresp`, but the other does
    /// not point back. Both sides of a pair carry `@corresp` (ENCODING A7).
    CORRESP_NOT_MUTUAL = "RUL005", Error, "a translation pair's @corresp is not mutual";
    /// A translation pair and the `linkGrp type="translation"` disagree: a pair linked by
    /// `@corresp` has no `link`, or a `link` joins two blocks that do not point to each other.
    TRANSLATION_LINK_MISMATCH = "RUL006", Error, "a translation pair and its link disagree";
    /// Both sides of a translation pair are in the same language (or one has no language).
    TRANSLATION_SAME_LANGUAGE = "RUL007", Error, "both sides of a translation pair have the same language";
    /// A `correspDesc/@ref` local pointer resolves to something that is not a
    /// `div type="letter"`.
    CORRESP_DESC_NOT_LETTER = "RUL008", Error, "a correspDesc points to something that is not a letter";
    /// A `div type="letter"` is not described by any `correspDesc`, in a document that
    /// describes its letters with `correspDesc/@ref` (or a teikit edition).
    LETTER_WITHOUT_CORRESP_DESC = "RUL009", Error, "a letter has no correspDesc";
    /// A `div type="letter"` is described by more than one `correspDesc`.
    LETTER_SEVERAL_CORRESP_DESC = "RUL010", Error, "a letter has more than one correspDesc";
    /// Two notes of the same division carry the same `@n`; the printed markers of one division
    /// are distinct (`1`, `2`, `*`, `1*`).
    DUPLICATE_NOTE_NUMBER = "RUL011", Error, "two notes of one division have the same @n";
    /// A dating attribute (`@when`, `@notBefore`, `@notAfter`, `@from`, `@to`) names a date
    /// that does not exist: 1947-02-30, 1900-02-29, month 13, hour 25.
    IMPOSSIBLE_DATE = "RUL012", Error, "a date does not exist";
    /// A dating attribute is not a W3C date, time or date-time (`1947-01-28`, `1947-01`,
    /// `1947`, `1947-01-28T17:32:00`, `--01-28` …).
    MALFORMED_DATE = "RUL013", Error, "a dating attribute is not a W3C date";
    /// A date window or span ends before it starts (`@notBefore` after `@notAfter`, `@from`
    /// after `@to`).
    REVERSED_DATE_RANGE = "RUL014", Error, "a date range ends before it starts";
    /// An `idno` of type `wikidata`, `VIAF`, `GND` or `geonames` does not hold an identifier of
    /// that authority (wrong host, wrong form of number, a Wikidata property instead of an item).
    MALFORMED_AUTHORITY_ID = "RUL015", Error, "an authority id is malformed for its type";
    /// An authority `idno` holds a bare identifier (`Q855`, `2988507`) instead of the full URI
    /// that exports such as CMIF need.
    BARE_AUTHORITY_ID = "RUL016", Warning, "an authority id is not a full URI";
}
