//! `teikit convert` and `teikit text` on the command line: outputs, refusals, bad input.
//! Every failure must exit 2 (3 for a size limit) with a clear (located, where there is a
//! place) message and leave no output file behind.

mod common;

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const LETTER: &str = "\
Trotsky to Max Shachtman

Coyoacan, 20 August 1938

Dear Max,

We received your letter [1] and the articles.

Comradely greetings,

Leon Trotsky

[1] Of 12 August.
";

fn teikit() -> Command {
    let mut c = Command::cargo_bin("teikit").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn write(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn converts_to_stdout() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    let out = teikit().arg("convert").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<div type=\"letter\" xml:id=\"L01\">"));
    assert!(
        xml.contains(
            "your letter<note n=\"1\" place=\"end\">Of <date when=\"1938-08-12\" cert=\"medium\" resp=\"#r-conv\">12 August</date>.</note> and"
        ),
        "{xml}"
    );
}

#[test]
fn writes_a_file_and_refuses_to_replace_it_without_force() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    let dst = d.path().join("out.xml");
    let ok = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&dst)
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let first = std::fs::read_to_string(&dst).unwrap();
    std::fs::write(&dst, "old").unwrap();
    let refused = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&dst)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&dst).unwrap(), "old");
    let forced = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&dst)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&dst).unwrap(), first);
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[test]
fn never_overwrites_the_input() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    let out = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&src)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&src).unwrap(), LETTER);
}

#[test]
fn converts_a_folder_in_sorted_order() {
    let d = TempDir::new().unwrap();
    let srcs = d.path().join("src");
    std::fs::create_dir(&srcs).unwrap();
    write(&srcs, "b.txt", LETTER.as_bytes());
    write(
        &srcs,
        "a.txt",
        "A Title\n\nSome text of a paragraph that is long enough to be prose.\n".as_bytes(),
    );
    write(&srcs, "notes.md", b"ignored");
    let outd = d.path().join("out");
    let out = teikit()
        .arg("convert")
        .arg(&srcs)
        .arg("-o")
        .arg(&outd)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let a = err.find("a.txt →").unwrap();
    let b = err.find("b.txt →").unwrap();
    assert!(a < b, "{err}");
    assert!(outd.join("a.xml").is_file() && outd.join("b.xml").is_file());
    assert!(!outd.join("notes.xml").exists());
}

#[test]
fn a_bad_file_in_a_folder_writes_nothing() {
    let d = TempDir::new().unwrap();
    let srcs = d.path().join("src");
    std::fs::create_dir(&srcs).unwrap();
    write(&srcs, "a.txt", LETTER.as_bytes());
    write(&srcs, "b.txt", b"An [unclosed bracket here.\n");
    let outd = d.path().join("out");
    let out = teikit()
        .arg("convert")
        .arg(&srcs)
        .arg("-o")
        .arg(&outd)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!outd.join("a.xml").exists(), "partial output");
}

#[test]
fn missing_input() {
    let out = teikit()
        .args(["convert", "/nonexistent/x.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
}

#[test]
fn folder_without_transcriptions() {
    let d = TempDir::new().unwrap();
    write(d.path(), "x.md", b"nothing");
    let out = teikit()
        .arg("convert")
        .arg(d.path())
        .arg("-o")
        .arg(d.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no .txt"), "{}", stderr(&out));
}

fn refused(name: &str, content: &[u8], expect: &str) {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), name, content);
    let dst = d.path().join("out.xml");
    let out = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&dst)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
    assert!(stderr(&out).contains(expect), "{name}: {}", stderr(&out));
    assert!(!dst.exists(), "{name}: output written");
}

#[test]
fn bad_inputs_are_refused_with_located_errors() {
    refused("latin1.txt", b"Caf\xe9 au lait\n", "byte offset 3");
    refused("latin1.txt", b"Caf\xe9 au lait\n", "latin1.txt:1:4");
    refused("empty.txt", b"", "empty");
    refused("blank.txt", b"  \n\n ", "only whitespace");
    refused("binary.txt", b"\x7fELF\x02\x01\x01\0\0\0", "binary");
    refused(
        "bracket.txt",
        b"A Title\n\nA paragraph with an [unclosed bracket that goes on.\n",
        "bracket.txt:3:21",
    );
    refused(
        "stray.txt",
        b"A stray ] bracket in a paragraph.\n",
        "without an opening",
    );
}

#[test]
fn size_limit() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "small.txt", LETTER.as_bytes());
    let out = teikit()
        .arg("convert")
        .arg(&src)
        .args(["--max-size", "100"])
        .output()
        .unwrap();
    // A limit hit has its own exit status, distinct from bad input (2).
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("LIM001"), "{}", stderr(&out));
    assert!(stderr(&out).contains("limit"), "{}", stderr(&out));
    // A 1 GB file is refused by its size, without being read.
    let big = d.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(1 << 30).unwrap();
    let t = std::time::Instant::now();
    let out = teikit().arg("convert").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("--max-size"), "{}", stderr(&out));
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn json_diagnostics_do_not_mix_with_tei_on_stdout() {
    let d = TempDir::new().unwrap();
    let src = write(
        d.path(),
        "nav.txt",
        b"Home | Archive | Index\n\nA paragraph long enough to count as prose in the text here.\n",
    );
    let out = teikit()
        .args(["--format", "json", "convert"])
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<?xml"));
    let err = stderr(&out);
    let first = err
        .lines()
        .find(|l| l.contains("CNV010"))
        .expect("boilerplate note");
    let v: serde_json::Value = serde_json::from_str(first).unwrap();
    assert_eq!(v["severity"], "note");
}

#[test]
fn sidecar_errors_are_located() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    write(d.path(), "letter.toml", b"title = \"T\"\ndamagd = true\n");
    let out = teikit().arg("convert").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("letter.toml:2:1"), "{}", stderr(&out));
}

#[test]
fn sidecar_overrides_the_header() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    write(
        d.path(),
        "letter.toml",
        "id = \"trotsky-1938\"\ntitle = \"Letter to Shachtman\"\nlicence = \"CC BY-SA 4.0\"\nlicence_url = \"https://creativecommons.org/licenses/by-sa/4.0/\"\npublisher = \"Example\"\n".as_bytes(),
    );
    let out = teikit().arg("convert").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("<title type=\"main\">Letter to Shachtman</title>"));
    assert!(xml.contains("xml:id=\"trotsky-1938\""));
    assert!(xml.contains(
        "<licence target=\"https://creativecommons.org/licenses/by-sa/4.0/\">CC BY-SA 4.0</licence>"
    ));
}

#[test]
fn registry_discovery_is_reported() {
    let d = TempDir::new().unwrap();
    let srcs = d.path().join("sources");
    std::fs::create_dir(&srcs).unwrap();
    let src = write(&srcs, "letter.txt", LETTER.as_bytes());
    let out = teikit().arg("convert").arg(&src).output().unwrap();
    assert!(
        stderr(&out).contains("no registry found"),
        "{}",
        stderr(&out)
    );
    write(d.path(), "registry.toml", b"");
    let out = teikit().arg("convert").arg(&src).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("using the registry"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("registry.toml"), "{}", stderr(&out));
}

#[test]
fn text_prints_the_reading_text() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    let dst = d.path().join("letter.xml");
    let ok = teikit()
        .arg("convert")
        .arg(&src)
        .arg("-o")
        .arg(&dst)
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let out = teikit().arg("text").arg(&dst).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(
        t.starts_with("Trotsky to Max Shachtman\n\nCoyoacan, 20 August 1938\n\nDear Max,"),
        "{t}"
    );
    assert!(
        t.contains("We received your letter and the articles."),
        "{t}"
    );
    assert!(!t.contains("Of 12 August"));
    let out = teikit()
        .args(["text", "--notes"])
        .arg(&dst)
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.contains("your letter[1] and"), "{t}");
    assert!(t.contains("[1] Of 12 August."), "{t}");
    let bad = write(d.path(), "bad.xml", b"<TEI><p></TEI>");
    let out = teikit().arg("text").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_is_checked_against_a_schema_before_writing() {
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    // A schema that accepts no TEI: the edition must be refused, and not written.
    let rng = write(
        d.path(),
        "other.rng",
        br#"<element name="other" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>"#,
    );
    let dst = d.path().join("out.xml");
    let out = teikit()
        .arg("convert")
        .arg(&src)
        .arg("--schema")
        .arg(&rng)
        .arg("-o")
        .arg(&dst)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("CNV080"), "{}", stderr(&out));
    assert!(!dst.exists());
}

#[test]
fn output_is_valid_against_tei_all() {
    let Some(shared) = common::shared("output_is_valid_against_tei_all") else {
        return;
    };
    let d = TempDir::new().unwrap();
    let src = write(d.path(), "letter.txt", LETTER.as_bytes());
    let out = teikit()
        .arg("convert")
        .arg(&src)
        .arg("--schema")
        .arg(shared.join("schemas/tei-p5-4.12.0/tei_all.rng"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn quiet_prints_warnings_but_no_notes() {
    let d = TempDir::new().unwrap();
    // Site navigation (a note when removed) and a marker without a note (a warning).
    let text = format!(
        "Main Page | Index\n\n{}\nAnother paragraph with a marker [7].\n",
        LETTER
    );
    let src = write(d.path(), "letter.txt", text.as_bytes());
    let out_dir = d.path().join("out");
    let loud = teikit()
        .args(["convert", "--no-registry", "-o"])
        .arg(&out_dir)
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(loud.status.code(), Some(0), "{}", stderr(&loud));
    let loud = stderr(&loud);
    assert!(
        loud.contains("note[") && loud.contains("warning[CNV020]"),
        "{loud}"
    );
    assert!(loud.contains("converted "), "{loud}");
    let quiet = teikit()
        .args(["convert", "-q", "--no-registry", "--force", "-o"])
        .arg(&out_dir)
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    let quiet = stderr(&quiet);
    assert!(
        !quiet.contains("note[") && !quiet.contains("converted "),
        "{quiet}"
    );
    assert!(quiet.contains("warning[CNV020]"), "{quiet}");
}
