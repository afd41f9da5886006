//! Encodings: byte-order marks, UTF-16, declared legacy encodings, strict decoding.
//!
//! Inputs are built here from Rust strings (UTF-16 and legacy bytes by `encoding_rs`'s
//! encoders or by hand), so the expected text is known independently of the decoder.

mod xml_support;

use teikit::xml::{Document, ErrorKind, ParseOptions, decode};

fn parse(bytes: &[u8]) -> Result<Document, teikit::xml::Error> {
    Document::parse_bytes(bytes, &ParseOptions::default())
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[track_caller]
fn encoding_error(bytes: &[u8], pos: usize) -> String {
    match parse(bytes) {
        Ok(_) => panic!("accepted {bytes:?}"),
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Encoding, "{e}");
            assert_eq!(e.pos, pos, "{e}");
            e.message
        }
    }
}

const TEXT: &str = "café λόγος 𝔘 “quoted”";

#[test]
fn utf8_with_and_without_bom() {
    let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a n=\"{TEXT}\">{TEXT}</a>");
    for bytes in [
        doc.clone().into_bytes(),
        [b"\xEF\xBB\xBF", doc.as_bytes()].concat(),
    ] {
        let d = parse(&bytes).expect("UTF-8");
        assert_eq!(d.root_element().text_content(), TEXT);
        assert_eq!(d.root_element().attribute(None, "n"), Some(TEXT));
        // Positions index the decoded text, which has no BOM.
        assert_eq!(d.text(), doc);
        assert_eq!(
            &d.text()[d.root_element().range()],
            &doc[doc.find("<a").unwrap()..]
        );
    }
    // Without a declaration UTF-8 is the default; a BOM with utf-8 (any case) agrees.
    assert!(parse(format!("<a>{TEXT}</a>").as_bytes()).is_ok());
    assert!(parse(b"\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?><a/>").is_ok());
    assert!(parse(b"\xEF\xBB\xBF<?xml version='1.0' encoding='UTF8'?><a/>").is_ok());
}

#[test]
fn invalid_utf8_is_located() {
    let cases: &[(&[u8], usize)] = &[
        (b"<a>\xFF</a>", 3),
        (b"<a>caf\xE9</a>", 6),
        (b"<a>\xC0\xAF</a>", 3),         // overlong '/'
        (b"<a>\xE0\x80\xAF</a>", 3),     // overlong, three bytes
        (b"<a>\xED\xA0\x80</a>", 3),     // encoded surrogate U+D800
        (b"<a>\xF4\x90\x80\x80</a>", 3), // beyond U+10FFFF
        (b"<a>\xE2\x82</a>", 3),         // truncated before '<'
        (b"<a/>\xE2\x82", 4),            // truncated at the end
        (b"<a>\x80</a>", 3),             // lone continuation byte
        (b"\xEF\xBB\xBF<a>\xFF</a>", 6), // raw offset counts the BOM
        (b"<a b='\xFE'/>", 6),
    ];
    for &(bytes, pos) in cases {
        let msg = encoding_error(bytes, pos);
        assert!(msg.contains("UTF-8"), "{msg}");
    }
}

#[test]
fn utf16_with_bom() {
    let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<a n='{TEXT}'>{TEXT}</a>");
    for le in [true, false] {
        let d = parse(&utf16(&doc, le, true)).expect("UTF-16 with BOM");
        assert_eq!(d.root_element().text_content(), TEXT);
        assert_eq!(d.text(), doc);
        xml_support::same_as_roxmltree(&doc, &d).expect("same tree");
        // No declaration at all is fine with a BOM.
        assert!(parse(&utf16("<a>x</a>", le, true)).is_ok());
        // The explicit byte order must match the BOM.
        let decl = |enc: &str| format!("<?xml version='1.0' encoding='{enc}'?><a/>");
        assert!(
            parse(&utf16(
                &decl(if le { "UTF-16LE" } else { "UTF-16BE" }),
                le,
                true
            ))
            .is_ok()
        );
        let wrong = utf16(&decl(if le { "UTF-16BE" } else { "UTF-16LE" }), le, true);
        encoding_error(&wrong, 2 + 2 * 30);
        // A UTF-16 document that declares UTF-8 contradicts its BOM.
        encoding_error(&utf16(&decl("UTF-8"), le, true), 2 + 2 * 30);
    }
}

#[test]
fn utf16_without_bom() {
    let doc = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>{TEXT}</a>");
    for le in [true, false] {
        let d = parse(&utf16(&doc, le, false)).expect("UTF-16 recognised by '<?'");
        assert_eq!(d.root_element().text_content(), TEXT);
        // '<?' in UTF-16 without a declaration naming UTF-16: refused, not guessed.
        let e = parse(&utf16("<?xml version='1.0'?><a/>", le, false)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Encoding, "{e}");
    }
}

#[test]
fn utf16_unpaired_surrogate_is_located() {
    let mut bytes = utf16("<a>xy</a>", true, true);
    // Replace 'y' (raw offset 2 + 2*4) by a lone high surrogate.
    bytes[10] = 0x00;
    bytes[11] = 0xD8;
    encoding_error(&bytes, 10);
}

#[test]
fn declared_legacy_encodings() {
    // ISO-8859-1: one byte per character.
    let d =
        parse(b"<?xml version='1.0' encoding='ISO-8859-1'?><a n='\xE9'>caf\xE9 cr\xE8me \xFF</a>")
            .expect("latin1");
    assert_eq!(d.root_element().text_content(), "café crème ÿ");
    assert_eq!(d.root_element().attribute(None, "n"), Some("é"));
    // windows-1252 (and ISO-8859-1, as in the WHATWG Encoding Standard): 0x93/0x94 are quotes.
    for label in ["windows-1252", "ISO-8859-1", "latin1"] {
        let bytes = [
            format!("<?xml version='1.0' encoding='{label}'?><a>").as_bytes(),
            b"\x93q\x94 \x80",
            b"</a>",
        ]
        .concat();
        assert_eq!(
            parse(&bytes).expect(label).root_element().text_content(),
            "“q” €"
        );
    }
    // A multi-byte legacy encoding.
    let (sjis, _, bad) =
        encoding_rs::SHIFT_JIS.encode("<?xml version='1.0' encoding='Shift_JIS'?><a>日本語</a>");
    assert!(!bad);
    assert_eq!(
        parse(&sjis)
            .expect("Shift_JIS")
            .root_element()
            .text_content(),
        "日本語"
    );
    // Parser positions are in the decoded text: é is one byte in the file, two in the text.
    let e = parse(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</b>").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.pos, 43 + 3 + 2);
}

#[test]
fn unmappable_legacy_bytes_are_located() {
    // 0xFF is not a Shift_JIS byte.
    let msg = encoding_error(
        b"<?xml version='1.0' encoding='Shift_JIS'?><a>x\xFF</a>",
        46,
    );
    assert!(msg.contains("Shift_JIS"), "{msg}");
    // US-ASCII means ASCII.
    encoding_error(
        b"<?xml version='1.0' encoding='US-ASCII'?><a>caf\xE9</a>",
        47,
    );
    assert!(parse(b"<?xml version='1.0' encoding='us-ascii'?><a>cafe</a>").is_ok());
}

#[test]
fn unknown_or_contradictory_encodings() {
    let msg = encoding_error(b"<?xml version='1.0' encoding='x-klingon-42'?><a/>", 30);
    assert!(msg.contains("x-klingon-42"), "{msg}");
    // Declares UTF-16 but is ASCII bytes without a BOM.
    encoding_error(b"<?xml version='1.0' encoding='UTF-16'?><a/>", 30);
    // BOM says UTF-8, declaration says Latin-1: refused rather than guessed.
    encoding_error(
        b"\xEF\xBB\xBF<?xml version='1.0' encoding='ISO-8859-1'?><a/>",
        33,
    );
    // UTF-32 and EBCDIC are recognised and refused.
    encoding_error(b"\x00\x00\xFE\xFF\x00\x00\x00<", 0);
    encoding_error(b"\xFF\xFE\x00\x00<\x00\x00\x00", 0);
    encoding_error(b"<\x00\x00\x00a\x00\x00\x00", 0);
    encoding_error(b"\x4C\x6F\xA7\x94\x93\xC0", 0);
}

#[test]
fn decode_borrows_utf8() {
    let opts = ParseOptions::default();
    assert!(matches!(
        decode(b"<a/>", &opts),
        Ok(std::borrow::Cow::Borrowed("<a/>"))
    ));
    assert!(matches!(
        decode(b"\xEF\xBB\xBF<a/>", &opts),
        Ok(std::borrow::Cow::Borrowed("<a/>"))
    ));
    let small = ParseOptions {
        max_input_bytes: 3,
        ..ParseOptions::default()
    };
    assert_eq!(decode(b"<a/>", &small).unwrap_err().kind, ErrorKind::Limit);
}
