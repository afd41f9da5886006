//! The encoding cases of issue 6 §2 (covered for the reader by `xml_encoding.rs`) through
//! the CLI: `teikit validate` and `teikit diff` read UTF-8 with and without BOM, UTF-16 LE/BE
//! with BOM and declared legacy encodings; invalid UTF-8, unknown encodings, a BOM that
//! contradicts the declaration and invalid character references are located errors (the
//! byte offset in the message, `file:line:col` pointing at it), never silent replacement.
//! Inputs are built here from Rust strings, so the expected text is known independently.

use assert_cmd::Command;

const SCHEMA: &str = "element doc { attribute n { text }?, text }";
const TEXT: &str = "café λόγος 𝔘 “quoted”";

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut out = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn teikit(dir: &std::path::Path, args: &[&str]) -> Out {
    let o = Command::cargo_bin("teikit")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn setup(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("s.rnc"), SCHEMA).unwrap();
    for (name, bytes) in files {
        std::fs::write(t.path().join(name), bytes).unwrap();
    }
    t
}

#[test]
fn legal_encodings_validate_and_compare_equal() {
    let doc = format!("<doc n=\"{TEXT}\">{TEXT}</doc>");
    let decl16 = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{doc}");
    let mut latin1 =
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>caf\xE9 cr\xE8me</doc>".to_vec();
    latin1.push(b'\n');
    let files = [
        ("utf8.xml", doc.clone().into_bytes()),
        (
            "utf8bom.xml",
            [b"\xEF\xBB\xBF".as_slice(), doc.as_bytes()].concat(),
        ),
        ("utf16le.xml", utf16(&decl16, true)),
        ("utf16be.xml", utf16(&doc, false)),
        ("latin1.xml", latin1),
        (
            "cp1252.xml",
            b"<?xml version='1.0' encoding='windows-1252'?><doc>\x93quoted\x94</doc>".to_vec(),
        ),
    ];
    let t = setup(&files);
    for (name, _) in &files {
        let o = teikit(t.path(), &["validate", "--no-rules", "-s", "s.rnc", name]);
        assert_eq!(o.code, 0, "{name}: {}{}", o.stdout, o.stderr);
    }
    // The same text in four encodings is the same document for diff.
    for other in ["utf8bom.xml", "utf16le.xml", "utf16be.xml"] {
        let o = teikit(t.path(), &["diff", "utf8.xml", other]);
        assert_eq!(o.code, 0, "utf8.xml vs {other}: {}{}", o.stdout, o.stderr);
    }
    // The decoded text is right: latin1's é is é (diff against the UTF-8 spelling).
    std::fs::write(
        t.path().join("latin1-as-utf8.xml"),
        "<doc>café crème</doc>\n",
    )
    .unwrap();
    let o = teikit(t.path(), &["diff", "latin1.xml", "latin1-as-utf8.xml"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
}

/// `name:line:col: error[CODE]` and the byte offset in the message.
fn assert_located(o: &Out, name: &str, code: &str, line_col: &str, offset: Option<usize>) {
    let head = format!("{name}:{line_col}: error[{code}]");
    assert!(o.stderr.contains(&head), "expected {head}:\n{}", o.stderr);
    if let Some(off) = offset {
        assert!(
            o.stderr.contains(&format!("byte {off}")) || o.stderr.contains(&format!("at {off}")),
            "expected byte offset {off}:\n{}",
            o.stderr
        );
    }
}

#[test]
fn encoding_errors_are_located() {
    let files = [
        // Invalid UTF-8 on line 2 at byte 12 (0xFF), after "café".
        ("invalid.xml", b"<doc>\ncaf\xC3\xA9 \xFF</doc>".to_vec()),
        // Overlong "/" and an encoded surrogate.
        ("overlong.xml", b"<doc>a\xC0\xAF</doc>".to_vec()),
        ("surrogate.xml", b"<doc>a\xED\xA0\x80</doc>".to_vec()),
        ("truncated.xml", b"<doc>a\xE2\x82</doc>".to_vec()),
        (
            "unknown.xml",
            b"<?xml version='1.0' encoding='x-klingon'?><doc/>".to_vec(),
        ),
        (
            "bom_contradicts.xml",
            b"\xEF\xBB\xBF<?xml version='1.0' encoding='ISO-8859-1'?><doc/>".to_vec(),
        ),
        (
            "unpaired.xml",
            [
                utf16("<doc>a", true),
                vec![0x00, 0xD8],
                utf16("</doc>", true)[2..].to_vec(),
            ]
            .concat(),
        ),
    ];
    let t = setup(&files);
    for (name, _) in &files {
        for cmd in [
            vec!["validate", "--no-rules", "-s", "s.rnc", name],
            vec!["diff", name, name],
        ] {
            let o = teikit(t.path(), &cmd);
            let want = if cmd[0] == "validate" { 1 } else { 2 };
            assert_eq!(o.code, want, "{cmd:?}: {}", o.stderr);
            assert!(
                o.stderr.contains(&format!("{name}:")),
                "{cmd:?}: {}",
                o.stderr
            );
            assert!(o.stderr.contains("error[XML002]"), "{cmd:?}: {}", o.stderr);
            assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
        }
    }
    let o = teikit(
        t.path(),
        &["validate", "--no-rules", "-s", "s.rnc", "invalid.xml"],
    );
    assert_located(&o, "invalid.xml", "XML002", "2:6", Some(12));
    let o = teikit(
        t.path(),
        &["validate", "--no-rules", "-s", "s.rnc", "overlong.xml"],
    );
    assert_located(&o, "overlong.xml", "XML002", "1:7", Some(6));
}

#[test]
fn invalid_character_references_are_located() {
    for (i, r) in [
        "&#xD800;",
        "&#0;",
        "&#x110000;",
        "&#99999999999999999999;",
        "&#x1B;",
    ]
    .iter()
    .enumerate()
    {
        let name = format!("ref{i}.xml");
        let t = setup(&[(&name, format!("<doc>\nok {r}</doc>").into_bytes())]);
        let o = teikit(t.path(), &["validate", "--no-rules", "-s", "s.rnc", &name]);
        assert_eq!(o.code, 1, "{r}: {}", o.stderr);
        assert_located(&o, &name, "XML001", "2:4", None);
        assert!(!o.stderr.contains('\u{FFFD}'), "{}", o.stderr);
    }
}
