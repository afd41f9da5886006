//! Diagnostic codes of the entity registry (`REG`): problems in a registry file (TOML or a TEI
//! register) that an editor fixes by hand.
crate::declare_codes! {
    /// The registry file is not valid TOML. The message says what the TOML parser expected;
    /// entries before the error are still read when the parser can recover.
    TOML_SYNTAX = "REG001", Error, "the registry is not valid TOML";
    /// Two entries have the same `id`. Every `@ref="#id"` must point to one entity, so the
    /// second entry is dropped; rename one of them.
    DUPLICATE_ID = "REG002", Error, "two registry entries have the same id";
    /// An entry lacks a required field (`id` or `name`), or the field is empty. The entry is
    /// dropped when it has no name, and gets a generated id when it has no id.
    MISSING_FIELD = "REG003", Error, "a registry entry lacks a required field";
    /// A key the registry format does not know, usually a typo (`varients`). It is ignored;
    /// the help names the closest known key.
    UNKNOWN_KEY = "REG004", Warning, "unknown key in the registry";
    /// A value has the wrong type, e.g. a number where a string or a list of strings is
    /// expected. The value is ignored.
    WRONG_TYPE = "REG005", Error, "a registry value has the wrong type";
    /// An authority id does not have the shape of its authority (Wikidata `Q123`, VIAF and
    /// GeoNames digits, GND `118623869` / `4021477-1`), or its URI is not one of the
    /// authority's forms. The id is dropped: a wrong authority link is worse than none.
    BAD_AUTHORITY = "REG006", Warning, "an authority id has the wrong shape";
    /// The same name form belongs to several entities ("Mathieu" = Barta's pseudonym and
    /// Mathieu Bucholz). This is allowed: the tagger decides from context (the nearest
    /// unambiguous mention of either) and marks the match `cert="medium"` or `"low"`.
    AMBIGUOUS_NAME = "REG007", Note, "a name form belongs to several entities";
    /// An id is not a valid XML name (it must start with a letter or `_` and contain only
    /// letters, digits, `-`, `_` and `.`), so it cannot be an `xml:id`.
    BAD_ID = "REG008", Error, "an id is not a valid xml:id";
    /// A field has a value outside its list: `level` must be `a`, `m`, `j`, `s` or `u`;
    /// `cert` must be `high`, `medium` or `low`.
    BAD_VALUE = "REG009", Warning, "a registry value is not one of the allowed values";
    /// The same name form is listed twice for one entity (after normalising spaces,
    /// apostrophes and accents). The repetition is ignored.
    DUPLICATE_NAME = "REG010", Note, "a name form is listed twice for one entity";
    /// A `person`, `place`, `org` or `bibl` of a TEI register has no `xml:id`, so nothing
    /// can point to it. It is skipped.
    TEI_NO_ID = "REG011", Warning, "a TEI register entry has no xml:id";
    /// A TEI register entry has no name (`persName`, `placeName`, `orgName`, `title`). It is
    /// kept, under its id, but the tagger cannot find it in text.
    TEI_NO_NAME = "REG012", Warning, "a TEI register entry has no name";
    /// The TEI document holds no `listPerson`, `listPlace`, `listOrg` or `listBibl` entry.
    TEI_NO_REGISTER = "REG013", Warning, "the TEI document holds no register";
}
