//! `teikit validate` and `teikit schema check` end to end: exit codes, schema choice,
//! folders, output formats.

use std::path::Path;

use assert_cmd::Command;

const SCHEMA: &str = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"
  datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="doc"><zeroOrMore><ref name="p"/></zeroOrMore></element></start>
  <define name="p"><element name="p"><optional><attribute name="n"/></optional><text/></element></define>
</grammar>"#;

fn teikit() -> Command {
    Command::cargo_bin("teikit").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

fn out(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_and_messages() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(d, "s.rng", SCHEMA);
    let ok = write(d, "ok.xml", "<doc><p n='1'>a</p><p/></doc>");
    let bad = write(d, "bad.xml", "<doc>\n<p>a</p>\n<q/>\n</doc>");
    let nwf = write(d, "nwf.xml", "<doc><p></doc>");

    let (code, stdout, _) = out(teikit().arg("validate").arg("-s").arg(&s).arg(&ok));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("1 file: 1 valid, 0 invalid (0 errors)"),
        "{stdout}"
    );

    let (code, stdout, stderr) = out(teikit().arg("validate").arg("--schema").arg(&s).arg(&bad));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("bad.xml:3:2: error[VAL001]: element \"q\" not allowed anywhere; expected the element end-tag or element \"p\""), "{stderr}");
    assert!(
        stdout.contains("1 file: 0 valid, 1 invalid (1 error)"),
        "{stdout}"
    );

    let (code, _, stderr) = out(teikit().arg("validate").arg("-s").arg(&s).arg(&nwf));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("nwf.xml:1:"), "{stderr}");

    // Missing input: I/O error.
    let (code, _, _) = out(teikit()
        .arg("validate")
        .arg("-s")
        .arg(&s)
        .arg(d.join("none.xml")));
    assert_eq!(code, 2);

    // Schema errors: exit 2, located in the schema.
    let bs = write(
        d,
        "bad.rng",
        "<element name='doc' xmlns='http://relaxng.org/ns/structure/1.0'><ref name='x'/></element>",
    );
    let (code, _, stderr) = out(teikit().arg("validate").arg("-s").arg(&bs).arg(&ok));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.rng:1:") && stderr.contains("RNG015"),
        "{stderr}"
    );

    // No schema at all.
    let (code, _, stderr) = out(teikit().arg("validate").arg(&ok));
    assert_eq!(code, 2);
    assert!(stderr.contains("no schema"), "{stderr}");
}

#[test]
fn folders_are_recursive_sorted_and_deterministic() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(d, "s.rng", SCHEMA);
    write(d, "docs/b.xml", "<doc><x/></doc>");
    write(d, "docs/a.xml", "<doc><y/></doc>");
    write(d, "docs/sub/c.xml", "<doc><p/></doc>");
    write(d, "docs/notes.txt", "not xml");
    let run = || {
        out(teikit()
            .arg("validate")
            .arg("-s")
            .arg(&s)
            .arg(d.join("docs"))
            .arg("-j2"))
    };
    let (code, stdout, stderr) = run();
    assert_eq!(code, 1);
    assert!(
        stdout.contains("3 files: 1 valid, 2 invalid (2 errors)"),
        "{stdout}"
    );
    let a = stderr.find("a.xml").unwrap();
    let b = stderr.find("b.xml").unwrap();
    assert!(a < b, "{stderr}");
    for _ in 0..3 {
        assert_eq!(
            run().2,
            stderr,
            "output order must not depend on scheduling"
        );
    }
    // An empty folder is a usage problem.
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let (code, _, _) = out(teikit()
        .arg("validate")
        .arg("-s")
        .arg(&s)
        .arg(d.join("empty")));
    assert_eq!(code, 2);
}

#[test]
fn xml_model_names_the_schema() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "schemas/s.rng", SCHEMA);
    let doc = write(
        d,
        "docs/a.xml",
        "<?xml version=\"1.0\"?>\n<?xml-model href=\"../schemas/s.sch\" schematypens=\"http://purl.oclc.org/dsdl/schematron\"?>\n<?xml-model href=\"../schemas/s.rng\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"?>\n<doc><p/><z/></doc>",
    );
    let (code, _, stderr) = out(teikit().arg("validate").arg(&doc));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("\"z\" not allowed"), "{stderr}");
    // A remote xml-model is never fetched: no usable schema.
    let remote = write(
        d,
        "docs/r.xml",
        "<?xml-model href=\"http://127.0.0.1:8765/s.rng\"?><doc/>",
    );
    let (code, _, stderr) = out(teikit().arg("validate").arg(&remote));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn machine_formats() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(d, "s.rng", SCHEMA);
    let ok = write(d, "ok.xml", "<doc/>");
    let bad = write(d, "bad.xml", "<doc>\n  <p n='1' m='2'/>\n</doc>");
    let (code, stdout, _) = out(teikit()
        .args(["validate", "--format", "json", "-s"])
        .arg(&s)
        .arg(&bad));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(v["code"], "VAL002");
    assert_eq!(v["location"]["line"], 2);
    let (_, stdout, _) = out(teikit()
        .args(["validate", "--format", "github", "-s"])
        .arg(&s)
        .arg(&bad));
    assert!(stdout.starts_with("::error file="), "{stdout}");
    assert!(stdout.contains("line=2"), "{stdout}");
    let (code, stdout, _) = out(teikit()
        .args(["validate", "--format", "junit", "-s"])
        .arg(&s)
        .arg(&ok)
        .arg(&bad));
    assert_eq!(code, 1);
    assert_eq!(stdout.matches("<testcase ").count(), 2, "{stdout}");
    assert_eq!(stdout.matches("<failure ").count(), 1, "{stdout}");
}

#[test]
fn schema_check() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(d, "s.rng", SCHEMA);
    let (code, stdout, _) = out(teikit().args(["schema", "check"]).arg(&s));
    assert_eq!(code, 0);
    assert!(stdout.contains("correct"), "{stdout}");
    let b = write(
        d,
        "b.rng",
        "<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><attribute name='a'/></start></grammar>",
    );
    let (code, _, stderr) = out(teikit().args(["schema", "check"]).arg(&b));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("RNG017") && stderr.contains("b.rng:1:"),
        "{stderr}"
    );
}

#[test]
fn deep_documents_do_not_overflow() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(
        d,
        "s.rng",
        r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="a"/></start>
        <define name="a"><element name="a"><optional><ref name="a"/></optional></element></define></grammar>"#,
    );
    let n = 90_000;
    let doc = write(
        d,
        "deep.xml",
        &format!("{}{}", "<a>".repeat(n), "</a>".repeat(n)),
    );
    let (code, stdout, stderr) = out(teikit().arg("validate").arg("-s").arg(&s).arg(&doc));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 valid"));
}

#[test]
fn compact_syntax_schemas() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let s = write(
        d,
        "s.rnc",
        "default namespace = \"urn:x\"\nstart = element doc { p* }\np = element p { attribute n { xsd:integer }?, text }\n",
    );
    let ok = write(d, "ok.xml", "<doc xmlns='urn:x'><p n='1'>a</p></doc>");
    let bad = write(d, "bad.xml", "<doc xmlns='urn:x'>\n<p n='x'/>\n</doc>");
    let (code, _, stderr) = out(teikit().arg("validate").arg("-s").arg(&s).arg(&ok));
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = out(teikit().arg("validate").arg("-s").arg(&s).arg(&bad));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("bad.xml:2:") && stderr.contains("VAL003"),
        "{stderr}"
    );
    // Schema errors point into the .rnc text.
    let b = write(d, "b.rnc", "start = element doc { ref }\n");
    let (code, _, stderr) = out(teikit().args(["schema", "check"]).arg(&b));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("b.rnc:1:"), "{stderr}");
    // An .rng including an .rnc.
    write(d, "lib.rnc", "p = element p { empty }\n");
    let m = write(
        d,
        "m.rng",
        "<grammar xmlns='http://relaxng.org/ns/structure/1.0'><include href='lib.rnc'/><start><element name='doc'><ref name='p'/></element></start></grammar>",
    );
    let doc = write(d, "m.xml", "<doc><p/></doc>");
    let (code, _, stderr) = out(teikit().arg("validate").arg("-s").arg(&m).arg(&doc));
    assert_eq!(code, 0, "{stderr}");
}
