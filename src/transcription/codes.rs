//! Diagnostic codes of the plain-text converter (`CNV`).
crate::declare_codes! {
    /// The input is not valid UTF-8 (nor UTF-16 with a byte-order mark). The message gives
    /// the byte offset of the first bad byte. Re-save the file as UTF-8.
    NOT_UTF8 = "CNV001", Error, "the input is not UTF-8 text";
    /// The input is empty or holds only whitespace: there is nothing to convert.
    EMPTY = "CNV002", Error, "the input is empty";
    /// The input holds NUL bytes or mostly control characters: it looks like a binary file,
    /// not a transcription.
    BINARY = "CNV003", Error, "the input looks like a binary file";
    /// A control character that XML cannot hold was replaced by a space.
    CONTROL_CHAR = "CNV004", Warning, "a control character was replaced";
    /// A line of site navigation, a breadcrumb trail, "Top of page", a forum footer or a
    /// similar piece of web-page furniture was removed from the text. Reported so that
    /// nothing is dropped silently.
    BOILERPLATE = "CNV010", Note, "boilerplate removed from the text";
    /// A header statement (source citation, transcriber credit, "Written:", a damage
    /// statement, "Last updated on …", a forum post line) was taken out of the text and put
    /// into the TEI header.
    MOVED_TO_HEADER = "CNV011", Note, "statement moved to the TEI header";
    /// A "Notes" heading was dropped because every note under it was moved to its marker.
    NOTES_HEADING = "CNV012", Note, "notes heading dropped";
    /// A note marker such as `[12]` has no note body anywhere after it. The marker is kept
    /// as `<ref type="noteref">`.
    MARKER_WITHOUT_NOTE = "CNV020", Warning, "note marker without a note";
    /// A note body such as `[3] …` has no marker before it. Its text is kept as a note where
    /// it stands.
    NOTE_WITHOUT_MARKER = "CNV021", Warning, "note without a marker";
    /// A note marker such as `[*]` or `[1]` is used a second time within one division (a
    /// reused asterisk, a second series of numbers). Note numbers must stay distinct within
    /// a division, so the later note's `@n` is the marker and its occurrence ("1 (2)").
    REPEATED_MARKER = "CNV022", Warning, "note marker repeated within a division";
    /// An opening `[` has no closing `]` in the same paragraph, or a `]` has no `[`.
    UNBALANCED_BRACKET = "CNV030", Error, "unbalanced square bracket";
    /// A bracket opens inside another bracket; the inner text is kept as written.
    NESTED_BRACKET = "CNV031", Warning, "nested square brackets";
    /// A date was recognised but could not be normalised (an impossible day, a two-digit
    /// year without any context to take the century from).
    BAD_DATE = "CNV040", Warning, "date could not be normalised";
    /// A letter was found but its sender, addressee or date could not be determined.
    LETTER_METADATA = "CNV050", Warning, "incomplete letter metadata";
    /// The sidecar `SOURCE.toml` could not be read: a syntax error, an unknown key or a
    /// value of the wrong type.
    SIDECAR = "CNV060", Error, "invalid sidecar file";
    /// Which registry was used to tag names (or that none was found).
    REGISTRY_USED = "CNV061", Note, "registry in use";
    /// The TEI written for this source failed the output check. This is a bug in teikit;
    /// please report it with the source.
    OUTPUT_CHECK = "CNV080", Error, "the generated TEI failed its check";
}
