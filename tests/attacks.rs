//! The attack corpus (`../shared/attacks/`) through the XML reader.
//!
//! Every case of `MANIFEST.md` is run: the stored files as they are, the **gen** files made
//! in memory by [`generate`] (the same documents `gen.sh` writes), and for `*.rng` cases
//! both the schema file (as XML) and its `*.instance.xml`. The outcome must be the one the
//! manifest names:
//!
//! * `reject` → an error with a position inside the input, of the kind the case's class
//!   calls for (encoding → `Encoding`, entity attacks → `Unsupported`, …);
//! * `accept` → parsed, and the tree equals roxmltree's on the same (independently
//!   decoded) text, plus content checks for the encoding and line-end cases;
//! * `either` → parsed or refused (our choice is pinned in [`POLICY`]), never an external
//!   read: no `/etc/passwd` content, no connection to the canary;
//! * `accept|limit` → parsed, or a `Limit` error, in bounded time.
//!
//! The canary: URLs in the cases point at `127.0.0.1:8765`; the test rewrites them to a
//! `TcpListener` it opened on a free loopback port and asserts that no connection arrived.
//! File access: the reader takes bytes, never a path, and `reader_has_no_io` checks that
//! `src/xml/` names no file, network or process API at all.
//!
//! Sizes: full size in release builds (`cargo test --release --test attacks`); debug builds
//! generate the big cases at 1/10 of their size (deep nesting and width cases keep their
//! full count, since they test limits and hashing) so that `cargo test` stays quick. Set
//! `TEIKIT_ATTACKS_FULL=1` to force full size in a debug build.

mod attack_support;
mod common;
mod xml_support;

use attack_support::{full_size, generate, manifest};

use std::collections::BTreeMap;
use std::io::ErrorKind as IoErrorKind;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use teikit::xml::{Document, ErrorKind, ParseOptions};

/// Our documented choice for the `either` cases, and the expected error kind where the
/// manifest's class does not determine it.
const POLICY: &[(&str, Outcome)] = &[
    (
        "xml11_decl_nel.xml",
        Outcome::Refused(ErrorKind::Unsupported),
    ),
    (
        "bom_utf8_decl_latin1.xml",
        Outcome::Refused(ErrorKind::Encoding),
    ),
    (
        "quadratic_blowup.xml",
        Outcome::Refused(ErrorKind::Unsupported),
    ),
    (
        "quadratic_blowup_attr.xml",
        Outcome::Refused(ErrorKind::Unsupported),
    ),
    ("undefined_entity.xml", Outcome::Refused(ErrorKind::Syntax)),
    ("xinclude_file.xml", Outcome::Parsed),
    ("xinclude_http.xml", Outcome::Parsed),
    ("xinclude_self_loop.xml", Outcome::Parsed),
    ("external_dtd_http.xml", Outcome::Parsed),
    ("external_dtd_missing_file.xml", Outcome::Parsed),
    ("xxe_file.xml", Outcome::Refused(ErrorKind::Unsupported)),
    (
        "xxe_file_attr_default.xml",
        Outcome::Refused(ErrorKind::Unsupported),
    ),
    ("xxe_http.xml", Outcome::Refused(ErrorKind::Unsupported)),
    (
        "xxe_parameter_oob.xml",
        Outcome::Refused(ErrorKind::Unsupported),
    ),
    ("rng_xxe_http.rng", Outcome::Refused(ErrorKind::Unsupported)),
    ("deep_nesting_1M.xml", Outcome::Refused(ErrorKind::Limit)),
];

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Parsed,
    Refused(ErrorKind),
}

/// Decodes independently of teikit (std only) for the oracle comparison.
fn independent_decode(bytes: &[u8]) -> Option<String> {
    if let Some(b) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(b.to_vec()).ok();
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        return String::from_utf16(&units).ok();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        // ISO-8859-1 (the only other accepted case): one byte, one code point.
        Err(_) => Some(bytes.iter().map(|&b| b as char).collect()),
    }
}

struct Run {
    outcome: Outcome,
    detail: String,
    elapsed: Duration,
    cpu: Duration,
}

/// CPU time of this thread (Linux; zero elsewhere): wall time is meaningless on a machine
/// shared by many builds.
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// Parses with the default options; returns the result, wall time and CPU time.
fn run(bytes: &[u8]) -> (Result<Document, teikit::xml::Error>, Duration, Duration) {
    run_with(bytes, &ParseOptions::default())
}

fn run_with(
    bytes: &[u8],
    opts: &ParseOptions,
) -> (Result<Document, teikit::xml::Error>, Duration, Duration) {
    let (t, c) = (Instant::now(), cpu_time());
    let r = Document::parse_bytes(bytes, opts);
    (r, t.elapsed(), cpu_time().saturating_sub(c))
}

#[test]
fn attack_corpus() {
    let Some(shared) = common::shared("attack_corpus") else {
        return;
    };
    let dir = shared.join("attacks");
    let cases = manifest(&dir);
    assert!(cases.len() >= 90, "MANIFEST.md lists {} cases", cases.len());
    let policy: BTreeMap<&str, Outcome> = POLICY.iter().cloned().collect();

    let canary = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = canary.local_addr().expect("an address").port();
    let mut failures = Vec::new();
    let mut table = Vec::new();
    for case in &cases {
        // (file name, input bytes, expected outcome per the manifest)
        let mut inputs: Vec<(String, Vec<u8>, String)> = Vec::new();
        let load = |name: &str| -> Vec<u8> {
            if case.generated && name == case.file {
                generate(name).unwrap_or_else(|| panic!("no generator for {name}"))
            } else {
                std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
            }
        };
        if let Some(stem) = case.file.strip_suffix(".rng") {
            // The schema as XML: entity bombs must be refused, the rest is well-formed.
            let xml_expect = if case.file == "rng_billion_laughs.rng" {
                "reject"
            } else if case.file == "rng_xxe_http.rng" {
                "either"
            } else {
                "accept"
            };
            inputs.push((case.file.clone(), load(&case.file), xml_expect.into()));
            let inst = format!("{stem}.instance.xml");
            inputs.push((inst.clone(), load(&inst), "accept".into()));
        } else {
            inputs.push((case.file.clone(), load(&case.file), case.expected.clone()));
        }
        for (name, bytes, expected) in inputs {
            let bytes = attack_support::rewrite_canary(&bytes, port);
            let (result, elapsed, cpu) = run(&bytes);
            let r = check(&name, &case.class, &expected, &bytes, result, &policy);
            let r = match r {
                Ok(mut r) => {
                    r.elapsed = elapsed;
                    r.cpu = cpu;
                    r
                }
                Err(msg) => {
                    failures.push(format!("{name}: {msg}"));
                    continue;
                }
            };
            // Linear cases take well under a second of CPU in release (CPU, not wall time:
            // the machine may be shared); anything quadratic would take minutes.
            let bound = Duration::from_secs(if full_size() && cfg!(debug_assertions) {
                60
            } else {
                20
            });
            if r.cpu > bound {
                failures.push(format!("{name}: took {:?} of CPU", r.cpu));
            }
            table.push(format!(
                "| `{name}` | {expected} | {} | {:.1} ms | {:.1} ms | {} |",
                match &r.outcome {
                    Outcome::Parsed => "parsed".to_string(),
                    Outcome::Refused(k) => format!("refused ({k:?})"),
                },
                r.elapsed.as_secs_f64() * 1000.0,
                r.cpu.as_secs_f64() * 1000.0,
                r.detail
            ));
        }
    }
    eprintln!("| input | manifest | outcome | wall | CPU | detail |\n|---|---|---|---|---|---|");
    for row in &table {
        eprintln!("{row}");
    }

    canary.set_nonblocking(true).expect("non-blocking");
    match canary.accept() {
        Err(e) if e.kind() == IoErrorKind::WouldBlock => {}
        Ok((_, from)) => failures.push(format!("the canary received a connection from {from}")),
        Err(e) => failures.push(format!("canary: {e}")),
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Checks one input against its manifest outcome and our policy.
fn check(
    name: &str,
    class: &str,
    expected: &str,
    bytes: &[u8],
    result: Result<Document, teikit::xml::Error>,
    policy: &BTreeMap<&str, Outcome>,
) -> Result<Run, String> {
    let outcome = match &result {
        Ok(_) => Outcome::Parsed,
        Err(e) => Outcome::Refused(e.kind),
    };
    if let Some(want) = policy.get(name)
        && *want != outcome
    {
        return Err(format!(
            "expected {want:?} (our policy), got {outcome:?}: {result:?}"
        ));
    }
    let mut detail = String::new();
    match &result {
        Err(e) => {
            // Located: within the input (decoded text is never longer than 3 bytes per
            // input byte), and a message that is not an echo of huge input.
            if e.pos > bytes.len() * 3 {
                return Err(format!("error position {} is outside the input", e.pos));
            }
            if e.message.len() > 600 {
                return Err(format!("message of {} bytes", e.message.len()));
            }
            if e.message.contains("root:") {
                return Err("the message shows /etc/passwd content".into());
            }
            detail = e
                .message
                .chars()
                .take(110)
                .collect::<String>()
                .replace('|', "\\|");
        }
        Ok(doc) => {
            for n in doc.descendants() {
                let t = n.text().unwrap_or("");
                if t.contains("root:") || n.attributes().any(|a| a.value().contains("root:")) {
                    return Err("the tree holds /etc/passwd content".into());
                }
            }
        }
    }
    match expected {
        "reject" => {
            let Err(e) = &result else {
                return Err("accepted a document the manifest says to reject".into());
            };
            let want = match class {
                "encoding" => ErrorKind::Encoding,
                "entity-expansion" | "rng-include" if name != "undefined_entity.xml" => {
                    ErrorKind::Unsupported
                }
                _ => ErrorKind::Syntax,
            };
            if e.kind != want {
                return Err(format!("expected a {want:?} error, got {e:?}"));
            }
        }
        "accept" => {
            let doc = result.map_err(|e| format!("refused a document to accept: {e}"))?;
            let text = independent_decode(bytes).ok_or("undecodable")?;
            xml_support::same_as_roxmltree(&text, &doc)?;
            content_checks(name, &doc)?;
            detail = format!("{} nodes", doc.len());
        }
        "either" => {
            if let Err(e) = &result
                && e.kind == ErrorKind::Limit
            {
                return Err(format!("a limit error for a small case: {e}"));
            }
        }
        "accept|limit" => match &result {
            Ok(doc) => detail = format!("{} nodes", doc.len()),
            Err(e) if e.kind == ErrorKind::Limit => {}
            Err(e) => return Err(format!("expected parsed or a Limit error, got {e}")),
        },
        other => return Err(format!("unknown manifest outcome {other}")),
    }
    Ok(Run {
        outcome,
        detail,
        elapsed: Duration::ZERO,
        cpu: Duration::ZERO,
    })
}

/// What the accepted encoding and line-end cases must contain.
fn content_checks(name: &str, doc: &Document) -> Result<(), String> {
    let root = doc.root_element();
    let text = root.text_content();
    let want = |cond: bool, what: &str| {
        if cond {
            Ok(())
        } else {
            Err(format!("{what}: {text:?}"))
        }
    };
    match name {
        "latin1_declared.xml" => want(
            text.contains("café crème"),
            "é and è decoded from ISO-8859-1",
        ),
        "utf8_bom.xml" => want(
            text.starts_with("café ") && !doc.text().starts_with('\u{FEFF}'),
            "BOM dropped",
        ),
        "utf16_bom.xml" | "utf16be_bom.xml" => want(text.starts_with("café "), "UTF-16 decoded"),
        "crlf_mixed.xml" => {
            let cr = doc.descendants().any(|n| {
                n.text().is_some_and(|t| t.contains('\r'))
                    || n.attributes().any(|a| a.value().contains('\r'))
            });
            want(!cr, "no CR left in text or attribute values")?;
            let n = root.attribute(None, "n").unwrap_or("");
            if n != "a b c d e" {
                return Err(format!("attribute not normalised: {n:?}"));
            }
            want(
                text.contains("line1\nline2\nline3\nline4\n\n\n"),
                "CRLF and CR normalised",
            )
        }
        _ => Ok(()),
    }
}

/// The reader has no way to touch the outside world: no file, network, process or
/// environment API appears in `src/xml/`.
#[test]
fn reader_has_no_io() {
    let dir = common::root().join("src/xml");
    let forbidden = [
        "std::fs",
        "fs::",
        "File::",
        "std::net",
        "TcpStream",
        "UdpSocket",
        "std::process",
        "Command::",
        "std::env",
        "env::var",
        "include_str!",
        "include_bytes!",
    ];
    for entry in std::fs::read_dir(&dir).expect("src/xml") {
        let path = entry.expect("entry").path();
        let text = common::read(&path);
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses {word}: the XML reader must take bytes only",
                path.display()
            );
        }
    }
}

/// One generated case, timed, with the process's peak RSS: for measurements in release.
/// `TEIKIT_CASE=many_elements_5M.xml cargo test --release --test attacks -- --ignored --nocapture`
/// (`TEIKIT_MAX_DEPTH=2000000` raises the depth limit, to parse `deep_nesting_1M.xml`).
#[test]
#[ignore = "a measurement"]
fn measure_generated_case() {
    let name = std::env::var("TEIKIT_CASE").unwrap_or_else(|_| "many_elements_5M.xml".into());
    let mut opts = ParseOptions::default();
    if let Some(d) = std::env::var("TEIKIT_MAX_DEPTH")
        .ok()
        .and_then(|d| d.parse().ok())
    {
        opts.max_depth = d;
    }
    let bytes = generate(&name).expect("a generated case");
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let before = rss();
    let (result, elapsed, cpu) = run_with(&bytes, &opts);
    eprintln!(
        "{name}: {} bytes, {:?}, wall {:.1} ms, CPU {:.1} ms, peak RSS before parsing {before}, after {}",
        bytes.len(),
        result
            .as_ref()
            .map(|d| d.len())
            .map_err(|e| e.message.clone()),
        elapsed.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0,
        rss()
    );
}
