//! Diagnostic codes of the diff (`DIF`): limits that made a result coarser than it could be,
//! and inputs that could not be compared.
crate::declare_codes! {
    /// Aligning a sequence (the children of an element, or the words of a text block) took
    /// longer than its time budget. `similar` then returns a correct but coarser alignment:
    /// the changes there may be reported as larger replacements, or unchanged blocks as
    /// removed and inserted. The message says where and how large the sequences were.
    DEADLINE = "DIF001", Warning, "an alignment hit its time budget; the result there is coarser";
    /// Very many blocks were removed and inserted in one place; they were paired by a bounded
    /// search, so some edited blocks may be reported as removed and inserted instead.
    LARGE_GAP = "DIF002", Warning, "a large run of changed blocks was paired by a bounded search";
    /// Too many blocks were left unmatched to look for edited moves among them; edited blocks
    /// that moved are reported as removed and inserted (identical moves are still found).
    MOVES_SKIPPED = "DIF003", Warning, "edited-move detection was skipped: too many unmatched blocks";
    /// A plain-text transcription was given, but it could not be converted to TEI first.
    NOT_CONVERTED = "DIF004", Error, "a plain-text input could not be converted to TEI";
}
