//! The attack corpus (`../shared/attacks/`, `MANIFEST.md`) through every entry point of the
//! binary that reads it: `teikit validate` (each `*.rng` case with its own schema, every XML
//! case with the corpus' permissive `anything.rng`), `teikit diff` (each readable file
//! against itself → exit 0, against a one-word change → exit 1 with one change; unreadable
//! → exit 2 located, limits → exit 3) and `teikit convert` (every file read as a plain-text
//! transcription: never a panic, binary or undecodable input refused with a located error
//! and exit 2, and whatever is written is well-formed XML).
//!
//! Throughout:
//! - **the canary**: URLs in the cases point at `127.0.0.1:8765`; the copies in the temp
//!   folder point at a `TcpListener` this test opened, which must receive no connection;
//! - **files opened**: when `strace` is installed, every run is traced
//!   (`open`/`openat`/`openat2`/`creat`/`connect`) and may open only the files named on its
//!   command line, `.rng` files beside the schema it was given (its includes), the output
//!   folder of `convert`, and the binary's runtime files (shared libraries, `/proc/self`,
//!   cgroup CPU quotas); it may not call `connect` at all. Without strace the check is
//!   skipped loudly (strace is a system tool a CI image may lack; the canary and outcome
//!   checks still run);
//! - no run panics, aborts, overflows its stack or exceeds its time bound.
//!
//! The generated (**gen**) cases are written by the tests' Rust equivalent of `gen.sh`
//! (`attack_support`), at 1/10 of the text sizes in debug builds (full size in release or
//! with `TEIKIT_ATTACKS_FULL=1`).

mod attack_support;
mod common;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::ErrorKind as IoErrorKind;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use attack_support::{generate, manifest, rewrite_canary};
use teikit::xml::{Document, ParseOptions};

/// What one run of the binary did.
struct Run {
    code: i32,
    out: String,
    stdout: String,
    /// Paths the process tried to open (strace), and how many `connect` calls it made.
    opened: Vec<String>,
    connects: usize,
    elapsed: Duration,
}

struct Harness {
    bin: PathBuf,
    strace: bool,
    logs: tempfile::TempDir,
    n: usize,
}

impl Harness {
    fn new() -> Self {
        let strace = std::process::Command::new("strace")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !strace {
            // strace is a system tool a fresh machine (or CI image) may lack: the canary
            // server and the outcome checks still run; only the syscall trace is skipped,
            // loudly (written past the harness's capture of print macros).
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr().lock(),
                "\n*** SKIPPED (part): strace is not installed; the check that no file outside \
                 the named inputs is opened does not run (apt-get install -y strace) ***\n"
            );
        }
        Harness {
            bin: assert_cmd::cargo::cargo_bin("teikit"),
            strace,
            logs: tempfile::tempdir().expect("temp dir"),
            n: 0,
        }
    }

    fn run(&mut self, args: &[OsString], cwd: &Path) -> Run {
        self.n += 1;
        let log = self.logs.path().join(format!("{}.log", self.n));
        let mut cmd = if self.strace {
            let mut c = assert_cmd::Command::new("strace");
            c.args([
                "-f",
                "-qq",
                "-e",
                "trace=open,openat,openat2,creat,connect",
                "-o",
            ])
            .arg(&log)
            .arg(&self.bin);
            c
        } else {
            assert_cmd::Command::new(&self.bin)
        };
        let t = Instant::now();
        let o = cmd
            .args(args)
            .current_dir(cwd)
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(if cfg!(debug_assertions) {
                120
            } else {
                30
            }))
            .output()
            .expect("run teikit");
        let elapsed = t.elapsed();
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let out = format!("{stdout}{}", String::from_utf8_lossy(&o.stderr));
        let (mut opened, mut connects) = (Vec::new(), 0);
        if self.strace {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            for line in text.lines() {
                if line.contains("connect(") {
                    connects += 1;
                } else if let Some(p) = line.split('"').nth(1)
                    && ["open(", "openat(", "openat2(", "creat("]
                        .iter()
                        .any(|c| line.contains(c))
                {
                    opened.push(p.to_string());
                }
            }
        }
        Run {
            code: o.status.code().unwrap_or(-1),
            out,
            stdout,
            opened,
            connects,
            elapsed,
        }
    }
}

/// Files every run may open: the dynamic loader's, its own process information, cgroup CPU
/// quotas (rayon's thread count), the null device, shared libraries.
fn runtime_file(p: &str) -> bool {
    [
        "/etc/ld.so.cache",
        "/lib/",
        "/lib64/",
        "/usr/lib/",
        "/usr/lib64/",
        "/proc/self/",
        "/proc/sys/",
        "/sys/fs/cgroup/",
        "/sys/devices/system/cpu/",
        "/dev/null",
    ]
    .iter()
    .any(|pre| p.starts_with(pre))
        || p.starts_with("/proc/") && p.contains("/cgroup")
        // The loader searching LD_LIBRARY_PATH (cargo sets it) for shared libraries.
        || Path::new(p)
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains(".so"))
}

/// What a run may open besides runtime files: `named` exactly, and files below `below`.
struct Allowed<'a> {
    named: Vec<PathBuf>,
    below: Vec<(&'a Path, &'a str)>,
}

impl Allowed<'_> {
    fn check(&self, run: &Run, cwd: &Path) -> Result<(), String> {
        if run.connects > 0 {
            return Err(format!("{} connect() calls", run.connects));
        }
        for p in &run.opened {
            if runtime_file(p) {
                continue;
            }
            let abs = cwd.join(p);
            let ok = self.named.contains(&abs)
                || self.below.iter().any(|(dir, ext)| {
                    abs.starts_with(dir)
                        && !abs
                            .strip_prefix(dir)
                            .is_ok_and(|r| r.components().any(|c| c.as_os_str() == ".."))
                        && abs.to_string_lossy().ends_with(ext)
                });
            if !ok {
                return Err(format!("opened {p}, which no argument names"));
            }
        }
        Ok(())
    }
}

/// The common failures of any run: a panic, a crash (signal, abort), secrets in the output.
fn sane(run: &Run) -> Result<(), String> {
    if run.code < 0 || run.code == 101 || run.code > 3 {
        return Err(format!("exit {} (crash or panic)", run.code));
    }
    for bad in ["panicked", "stack overflow", "root:x:0:0"] {
        if run.out.contains(bad) {
            return Err(format!("output contains {bad:?}"));
        }
    }
    Ok(())
}

/// `path:line:col:` of a located diagnostic for `name` appears in the output.
fn located(run: &Run, name: &str) -> bool {
    run.out.lines().any(|l| {
        l.find(name).is_some_and(|i| {
            let rest = &l[i + name.len()..];
            let mut parts = rest.splitn(4, ':');
            parts.next() == Some("")
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
        })
    })
}

struct Corpus {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    attacks: PathBuf,
    schema: PathBuf,
    canary: TcpListener,
    cases: Vec<attack_support::Case>,
}

/// Copies the stored cases (canary URLs rewritten) and writes the generated ones into a
/// temp folder: `attacks/` (cases, `_support/`), `schema/anything.rng`, `out/`.
fn corpus(shared: &Path) -> Corpus {
    let src = shared.join("attacks");
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().canonicalize().expect("temp path");
    let attacks = root.join("attacks");
    let canary = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = canary.local_addr().expect("address").port();
    for sub in ["", "_support"] {
        std::fs::create_dir_all(attacks.join(sub)).expect("mkdir");
        for e in std::fs::read_dir(src.join(sub)).expect("attacks folder") {
            let p = e.expect("entry").path();
            if p.is_file() {
                let bytes = std::fs::read(&p).expect("read case");
                let name = p.file_name().expect("name");
                std::fs::write(attacks.join(sub).join(name), rewrite_canary(&bytes, port))
                    .expect("write case");
            }
        }
    }
    let cases = manifest(&src);
    for c in cases.iter().filter(|c| c.generated) {
        let names = match c.file.strip_suffix(".rng") {
            Some(stem) => vec![c.file.clone(), format!("{stem}.instance.xml")],
            None => vec![c.file.clone()],
        };
        for n in names {
            if !attacks.join(&n).exists() {
                let bytes = generate(&n).unwrap_or_else(|| panic!("no generator for {n}"));
                std::fs::write(attacks.join(&n), bytes).expect("write generated case");
            }
        }
    }
    std::fs::create_dir_all(root.join("schema")).expect("mkdir");
    std::fs::create_dir_all(root.join("out")).expect("mkdir");
    let schema = root.join("schema/anything.rng");
    std::fs::copy(src.join("anything.rng"), &schema).expect("copy anything.rng");
    Corpus {
        _tmp: tmp,
        root,
        attacks,
        schema,
        canary,
        cases,
    }
}

fn no_connection(canary: &TcpListener) -> Result<(), String> {
    canary.set_nonblocking(true).expect("non-blocking");
    match canary.accept() {
        Err(e) if e.kind() == IoErrorKind::WouldBlock => Ok(()),
        Ok((_, from)) => Err(format!("the canary received a connection from {from}")),
        Err(e) => Err(format!("canary: {e}")),
    }
}

/// The inputs of a case and the manifest outcome each must have as an XML document.
fn xml_inputs(case: &attack_support::Case) -> Vec<(String, String)> {
    match case.file.strip_suffix(".rng") {
        Some(stem) => {
            let as_xml = match case.file.as_str() {
                "rng_billion_laughs.rng" => "reject",
                "rng_xxe_http.rng" => "either",
                _ => "accept",
            };
            vec![
                (case.file.clone(), as_xml.to_string()),
                (format!("{stem}.instance.xml"), "accept".to_string()),
            ]
        }
        None => vec![(case.file.clone(), case.expected.clone())],
    }
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

#[test]
fn attack_corpus_through_validate() {
    let Some(shared) = common::shared("hostile_cli::validate") else {
        return;
    };
    let c = corpus(&shared);
    let mut h = Harness::new();
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &c.cases {
        // Every XML input with the permissive schema: only reading is tested.
        for (name, expected) in xml_inputs(case) {
            let path = c.attacks.join(&name);
            let mut args = os(&["validate", "--no-rules", "--schema"]);
            args.push(c.schema.clone().into());
            args.push(path.clone().into());
            let r = h.run(&args, &c.root);
            runs += 1;
            let allowed = Allowed {
                named: vec![c.schema.clone(), path.clone()],
                below: vec![],
            };
            let verdict = sane(&r)
                .and_then(|_| allowed.check(&r, &c.root))
                .and_then(|_| {
                    let ok = match expected.as_str() {
                        "reject" => matches!(r.code, 1 | 3) && located(&r, &name),
                        "accept" => r.code == 0,
                        "accept|limit" => r.code == 0 || r.code == 3 && located(&r, &name),
                        _ => matches!(r.code, 0 | 1 | 3),
                    };
                    if ok {
                        Ok(())
                    } else {
                        Err(format!("exit {} for a `{expected}` case", r.code))
                    }
                });
            if let Err(e) = verdict {
                failures.push(format!("validate {name}: {e}\n{}", clip(&r.out)));
            }
        }
        // RELAX NG cases with their own schema.
        if let Some(stem) = case.file.strip_suffix(".rng") {
            let schema = c.attacks.join(&case.file);
            let inst = c.attacks.join(format!("{stem}.instance.xml"));
            let mut args = os(&["validate", "--no-rules", "--schema"]);
            args.push(schema.clone().into());
            args.push(inst.clone().into());
            let r = h.run(&args, &c.root);
            runs += 1;
            let support = c.attacks.join("_support");
            let allowed = Allowed {
                named: vec![schema.clone(), inst.clone()],
                below: vec![(&c.attacks, ".rng"), (&support, ".rng")],
            };
            let verdict = sane(&r)
                .and_then(|_| allowed.check(&r, &c.root))
                .and_then(|_| {
                    let ok = match case.expected.as_str() {
                        // A refused schema (2), an invalid instance (1) or a limit (3), located.
                        "reject" => matches!(r.code, 1..=3) && located_anywhere(&r),
                        "accept" => r.code == 0,
                        "accept|limit" => r.code == 0 || r.code == 3,
                        _ => matches!(r.code, 0..=3),
                    };
                    if r.elapsed > Duration::from_secs(60) {
                        return Err(format!("took {:?}", r.elapsed));
                    }
                    if ok {
                        Ok(())
                    } else {
                        Err(format!("exit {} for a `{}` case", r.code, case.expected))
                    }
                });
            if let Err(e) = verdict {
                failures.push(format!("validate -s {}: {e}\n{}", case.file, clip(&r.out)));
            }
        }
    }
    if let Err(e) = no_connection(&c.canary) {
        failures.push(e);
    }
    assert!(runs >= 100, "only {runs} runs");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Some diagnostic is located (`…:line:col: error[`), in whichever file.
fn located_anywhere(run: &Run) -> bool {
    run.out.lines().any(|l| {
        l.split_once(": error[").is_some_and(|(head, _)| {
            let mut parts = head.rsplitn(3, ':');
            parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
                && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
        })
    })
}

fn clip(s: &str) -> String {
    s.chars().take(1500).collect()
}

/// The document with one word of its first text changed, as UTF-8; `None` when the file is
/// not UTF-8 or has no word to change.
fn one_word_changed(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let doc = Document::parse_bytes(bytes, &ParseOptions::default()).ok()?;
    let offset = text.len() - doc.text().len(); // a UTF-8 BOM
    for n in doc.descendants().filter(|n| n.is_text()) {
        let raw = &doc.text()[n.range()];
        if raw.starts_with("<![CDATA[") {
            continue;
        }
        let value = n.text().unwrap_or("");
        let Some(word) = value
            .split(|c: char| !c.is_ascii_alphabetic())
            .find(|w| w.len() >= 2)
        else {
            continue;
        };
        let Some(at) = raw.find(word) else { continue };
        let start = offset + n.range().start + at;
        let mut out = bytes[..start].to_vec();
        out.extend_from_slice(b"Zebra");
        out.extend_from_slice(&bytes[start + word.len()..]);
        return Some(out);
    }
    None
}

#[test]
fn attack_corpus_through_diff() {
    let Some(shared) = common::shared("hostile_cli::diff") else {
        return;
    };
    let c = corpus(&shared);
    let mut h = Harness::new();
    let mut failures = Vec::new();
    let mut changed_pairs = 0;
    for case in &c.cases {
        for (name, expected) in xml_inputs(case) {
            let path = c.attacks.join(&name);
            let bytes = std::fs::read(&path).expect("case");
            // diff reads any depth, with the other limits at their defaults.
            let opts = ParseOptions {
                max_depth: usize::MAX,
                ..ParseOptions::default()
            };
            let parsed = Document::parse_bytes(&bytes, &opts);
            let mut args = os(&["diff", "-f", "json"]);
            args.push(path.clone().into());
            args.push(path.clone().into());
            let r = h.run(&args, &c.root);
            let allowed = Allowed {
                named: vec![path.clone()],
                below: vec![],
            };
            let verdict = sane(&r)
                .and_then(|_| allowed.check(&r, &c.root))
                .and_then(|_| {
                    let want = match &parsed {
                        Ok(_) => 0,
                        Err(e) if e.kind == teikit::xml::ErrorKind::Limit => 3,
                        Err(_) => 2,
                    };
                    if r.code != want {
                        return Err(format!("exit {}, expected {want} (itself)", r.code));
                    }
                    if want != 0 && !located(&r, &name) {
                        return Err("the error is not located".into());
                    }
                    match expected.as_str() {
                        "reject" if want == 0 => Err("a `reject` case was compared".into()),
                        "accept" if want != 0 => Err("an `accept` case was refused".into()),
                        "accept|limit" if want == 2 => Err("not read, and not a limit".into()),
                        _ => Ok(()),
                    }
                });
            if let Err(e) = verdict {
                failures.push(format!("diff {name} {name}: {e}\n{}", clip(&r.out)));
                continue;
            }
            // Against a one-word change: exit 1 and exactly one change.
            let Some(changed) = parsed.ok().and_then(|_| one_word_changed(&bytes)) else {
                continue;
            };
            let other = c.root.join("out").join(format!("changed-{name}"));
            std::fs::write(&other, changed).expect("write changed copy");
            let mut args = os(&["diff", "-f", "json"]);
            args.push(path.clone().into());
            args.push(other.clone().into());
            let r = h.run(&args, &c.root);
            changed_pairs += 1;
            let allowed = Allowed {
                named: vec![path.clone(), other.clone()],
                below: vec![],
            };
            let verdict = sane(&r)
                .and_then(|_| allowed.check(&r, &c.root))
                .and_then(|_| {
                    if r.code != 1 {
                        return Err(format!("exit {}, expected 1", r.code));
                    }
                    let v: serde_json::Value =
                        serde_json::from_str(&r.stdout).map_err(|e| format!("JSON: {e}"))?;
                    let n = v["changes"].as_array().map_or(0, Vec::len);
                    if n != 1 {
                        return Err(format!("{n} changes, expected 1"));
                    }
                    Ok(())
                });
            if let Err(e) = verdict {
                failures.push(format!("diff {name} (one word): {e}\n{}", clip(&r.out)));
            }
            let _ = std::fs::remove_file(&other);
        }
    }
    if let Err(e) = no_connection(&c.canary) {
        failures.push(e);
    }
    assert!(changed_pairs >= 6, "only {changed_pairs} one-word pairs");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether `convert` must refuse these bytes as not being a text (NUL, invalid UTF-8, or a
/// UTF-16 BOM with invalid UTF-16).
fn not_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| match (c, le) {
                ([a, b], true) => u16::from_le_bytes([*a, *b]),
                ([a, b], false) => u16::from_be_bytes([*a, *b]),
                _ => 0xD800,
            })
            .collect();
        return String::from_utf16(&units).map_or(true, |s| s.contains('\0'));
    }
    std::str::from_utf8(bytes).map_or(true, |s| s.contains('\0'))
}

#[test]
fn attack_corpus_through_convert() {
    let Some(shared) = common::shared("hostile_cli::convert") else {
        return;
    };
    let c = corpus(&shared);
    let mut h = Harness::new();
    let mut failures = Vec::new();
    let inputs = c.root.join("txt");
    let out = c.root.join("out");
    std::fs::create_dir_all(&inputs).expect("mkdir");
    let mut seen = BTreeSet::new();
    for case in &c.cases {
        for (name, _) in xml_inputs(case) {
            if !seen.insert(name.clone()) {
                continue;
            }
            let xml = c.attacks.join(&name);
            let bytes = std::fs::read(&xml).expect("case");
            // Large generated cases: the size limit path is tested below; keep runs short.
            if bytes.len() > 4 << 20 {
                continue;
            }
            // One dot only: convert names its output after the stem.
            let stem = name
                .trim_end_matches(".xml")
                .trim_end_matches(".rng")
                .replace('.', "_");
            let txt = inputs.join(format!("{stem}.txt"));
            std::fs::write(&txt, &bytes).expect("write input");
            let mut args = os(&["convert", "--no-registry", "--force", "-o"]);
            args.push(out.clone().into_os_string());
            args.push(txt.clone().into());
            let r = h.run(&args, &c.root);
            let produced = out.join(format!("{stem}.xml"));
            let allowed = Allowed {
                named: vec![txt.clone()],
                below: vec![(&out, "")],
            };
            let txt_name = format!("{stem}.txt");
            let verdict = sane(&r)
                .and_then(|_| allowed.check(&r, &c.root))
                .and_then(|_| {
                    if not_text(&bytes) {
                        if r.code != 2 || !located(&r, &txt_name) {
                            return Err(format!(
                                "exit {}: binary or undecodable input must be refused (2) with a \
                             located error",
                                r.code
                            ));
                        }
                        if produced.exists() {
                            return Err("wrote an edition for a refused input".into());
                        }
                        return Ok(());
                    }
                    match r.code {
                        0 => {
                            let tei =
                                std::fs::read(&produced).map_err(|e| format!("output: {e}"))?;
                            Document::parse_bytes(&tei, &ParseOptions::default())
                                .map(|_| ())
                                .map_err(|e| format!("ill-formed output: {e}"))
                        }
                        2 if r.out.contains("error[") => Ok(()),
                        code => Err(format!("exit {code}")),
                    }
                });
            if let Err(e) = verdict {
                failures.push(format!("convert {txt_name}: {e}\n{}", clip(&r.out)));
            }
            let _ = std::fs::remove_file(&produced);
        }
    }
    // The size limit: the flag named, and exit 3 (convert still exits 2 for it; see the
    // hostile-input report: `Status::Limit` when a LIM001 diagnostic was emitted).
    let big = inputs.join("big.txt");
    std::fs::write(&big, "word ".repeat(1000)).expect("write");
    let mut args = os(&["convert", "--no-registry", "--max-size", "1K", "-o"]);
    args.push(out.clone().into_os_string());
    args.push(big.into());
    let r = h.run(&args, &c.root);
    if !matches!(r.code, 2 | 3) || !r.out.contains("LIM001") || !r.out.contains("--max-size") {
        failures.push(format!(
            "convert over --max-size: exit {}\n{}",
            r.code, r.out
        ));
    }
    if let Err(e) = no_connection(&c.canary) {
        failures.push(e);
    }
    assert!(seen.len() >= 90, "only {} inputs", seen.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The file check can fail: a run that opens a file its allowed set does not name is caught
/// (here the schema, left out on purpose), and so is one that connects.
#[test]
fn the_file_check_catches_an_unnamed_file() {
    let mut h = Harness::new();
    if !h.strace {
        return;
    }
    let t = tempfile::tempdir().expect("temp dir");
    let root = t.path().canonicalize().expect("path");
    let schema = root.join("s.rnc");
    let doc = root.join("d.xml");
    std::fs::write(&schema, "element a { empty }").expect("write");
    std::fs::write(&doc, "<a/>").expect("write");
    let mut args = os(&["validate", "--schema"]);
    args.push(schema.clone().into());
    args.push(doc.clone().into());
    let r = h.run(&args, &root);
    assert_eq!(r.code, 0, "{}", r.out);
    let only_doc = Allowed {
        named: vec![doc.clone()],
        below: vec![],
    };
    let e = only_doc
        .check(&r, &root)
        .expect_err("the schema was opened");
    assert!(e.contains("s.rnc"), "{e}");
    let both = Allowed {
        named: vec![doc, schema],
        below: vec![],
    };
    both.check(&r, &root).expect("both named");
    let connected = Run { connects: 1, ..r };
    assert!(both.check(&connected, &root).is_err());
}
