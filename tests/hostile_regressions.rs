//! Regressions found by the fuzz targets beyond the XML reader (`rng_schema`, `rnc_schema`,
//! `validate`, `validate_pair`, `convert`, `diff`; see `fuzz/README.md`), each named after
//! the bug. The XML reader's own cases are in `xml_regressions.rs`.

use teikit::diag::{Diagnostic, Files};
use teikit::rng::{MemLoader, Schema};

/// Every label of every diagnostic points at a character boundary inside its file.
fn assert_located(diags: &[Diagnostic], files: &Files) {
    assert!(!diags.is_empty());
    for d in diags {
        for l in d.primary.iter().chain(&d.secondary) {
            let f = files.get(l.file);
            let t = f.text();
            assert!(l.span.end <= t.len(), "{d:?}");
            assert!(
                t.is_char_boundary(l.span.start) && t.is_char_boundary(l.span.end),
                "{d:?}"
            );
        }
    }
    let mut out = Vec::new();
    teikit::diag::render::human(&mut out, files, diags, false).expect("in memory");
}

/// `rng_schema`: a schema that is not valid in its encoding (here a UTF-16 BOM followed by
/// bytes that are not UTF-16) was registered as lossy UTF-8 while the error kept its raw
/// byte offset, so the diagnostic pointed into the middle of a U+FFFD (or past the place).
/// The text shown is now split at the raw offset (`xml::error_source`).
#[test]
fn undecodable_schema_error_points_at_a_character() {
    let mut cases: Vec<Vec<u8>> = Vec::new();
    let mut utf16 = vec![0xFE, 0xFF];
    utf16.extend(std::iter::repeat_n(0xFF, 141));
    utf16.extend_from_slice(b"<thisIJ1   t/\n");
    cases.push(utf16);
    cases.push(b"\xFF\xFE<\x00a\x00\x00\xDC/\x00>\x00".to_vec());
    cases.push(b"<a>\xC3\xA9\xE9\xFF</a>".to_vec());
    for (i, bytes) in cases.iter().enumerate() {
        for name in ["s.rng", "s.rnc"] {
            let mut loader = MemLoader::new();
            loader.add(name, bytes.clone());
            let files = Files::new();
            let err = Schema::load(name, &mut loader, &files).expect_err("undecodable");
            assert_located(&err, &files);
            let l = err[0].primary.as_ref().expect("located");
            let shown = files.get(l.file);
            // UTF-8: the error is at the first bad byte, what precedes it shown as decoded.
            assert!(
                i != 2
                    || shown.text()[..l.span.start] == *"<a>é"
                        && shown.text()[l.span.start..].starts_with('\u{FFFD}'),
                "case {i} {name}: {:?}",
                &shown.text()[l.span.start..]
            );
        }
    }
}
