//! The RELAX NG rows of the attack corpus (`../shared/attacks/MANIFEST.md`: classes
//! `rng-include`, `rng-pattern`, `rng-regex`): every `*.rng` case with its instance, plus
//! the large generated cases (written by a Rust equivalent of `gen.sh` into a temp dir).
//!
//! Besides the outcome, every test checks what the library asked its loader for: only
//! local files below the case's folder, never a URL, and never the content of a refused
//! file in a message.

mod common;

use std::cell::RefCell;
use std::path::Path;
use std::time::{Duration, Instant};

use teikit::diag::{Diagnostic, Files};
use teikit::rng::{FsLoader, LoadError, Loader, Options, Resource, Schema};
use teikit::xml::Document;

/// Records every URI the library asks for.
struct Recording {
    inner: FsLoader,
    asked: RefCell<Vec<String>>,
}

impl Loader for Recording {
    fn locate(&mut self, name: &str) -> Result<String, LoadError> {
        self.inner.locate(name)
    }

    fn load(&mut self, uri: &str) -> Result<Resource, LoadError> {
        self.asked.borrow_mut().push(uri.to_string());
        self.inner.load(uri)
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    /// The schema was rejected.
    SchemaRejected(Vec<String>),
    /// The schema loaded; the instance had these errors.
    Validated(Vec<String>),
}

struct Run {
    outcome: Outcome,
    elapsed: Duration,
    asked: Vec<String>,
    messages: String,
}

fn run(dir: &Path, case: &str) -> Run {
    let schema = dir.join(format!("{case}.rng"));
    let instance = dir.join(format!("{case}.instance.xml"));
    let files = Files::new();
    let mut loader = Recording {
        inner: FsLoader::new(),
        asked: RefCell::new(Vec::new()),
    };
    let t = Instant::now();
    let codes = |d: &[Diagnostic]| d.iter().map(|d| d.code.id.to_string()).collect::<Vec<_>>();
    let text_of = |d: &[Diagnostic]| {
        d.iter()
            .map(|d| format!("{} {:?}", d.message, d.help))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (outcome, messages) = match Schema::load(&schema.to_string_lossy(), &mut loader, &files) {
        Err(d) => (Outcome::SchemaRejected(codes(&d)), text_of(&d)),
        Ok(s) => {
            let text = std::fs::read_to_string(&instance).expect("instance");
            let f = files.add(instance.display().to_string(), text.as_str());
            let doc = Document::parse(&text).expect("instance is well-formed");
            let d = s.validate(&doc, f, &Options::default());
            (Outcome::Validated(codes(&d)), text_of(&d))
        }
    };
    let elapsed = t.elapsed();
    let asked = loader.asked.into_inner();
    // Nothing but local files below the case folder is ever requested.
    let root = std::fs::canonicalize(dir).expect("dir");
    for uri in &asked {
        assert!(uri.starts_with("file:///"), "{case}: asked for {uri}");
        let path = teikit_path(uri);
        assert!(
            path.starts_with(&root),
            "{case}: asked for {uri}, outside {}",
            root.display()
        );
    }
    Run {
        outcome,
        elapsed,
        asked,
        messages,
    }
}

fn teikit_path(uri: &str) -> std::path::PathBuf {
    let p = uri.trim_start_matches("file://");
    let mut out = String::new();
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            if let Ok(v) = u8::from_str_radix(&p[i + 1..i + 3], 16) {
                out.push(v as char);
                i += 3;
                continue;
            }
        }
        out.push(b[i] as char);
        i += 1;
    }
    std::path::PathBuf::from(out)
}

fn rejected_with(r: &Run, code: &str) -> bool {
    matches!(&r.outcome, Outcome::SchemaRejected(c) if c.iter().any(|x| x == code))
}

/// Generous time bounds: the debug build is much slower than release.
fn quick() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(5)
    } else {
        Duration::from_millis(500)
    }
}

#[test]
fn include_and_external_ref_attacks_are_refused() {
    let Some(shared) = common::shared("rng_attacks") else {
        return;
    };
    let dir = shared.join("attacks");
    for (case, code) in [
        ("externalref_http", "RNG003"),
        ("include_dotdot_traversal", "RNG003"),
        ("include_etc_passwd", "RNG003"),
        ("include_etc_passwd_fileurl", "RNG003"),
        ("recursive_externalref", "RNG004"),
        ("recursive_include", "RNG004"),
        ("recursive_include_mutual", "RNG004"),
    ] {
        let r = run(&dir, case);
        assert!(rejected_with(&r, code), "{case}: {:?}", r.outcome);
        assert!(r.elapsed < quick(), "{case}: took {:?}", r.elapsed);
        // Never the content of a system file.
        assert!(!r.messages.contains("root:"), "{case}: {}", r.messages);
        assert!(r.asked.len() <= 3, "{case}: asked for {:?}", r.asked);
    }
}

#[test]
fn schema_files_get_the_safe_xml_reader() {
    let Some(shared) = common::shared("rng_attacks") else {
        return;
    };
    let dir = shared.join("attacks");
    // Entity bombs in the schema: rejected as not well-formed / refused, quickly.
    let r = run(&dir, "rng_billion_laughs");
    assert!(rejected_with(&r, "RNG001"), "{:?}", r.outcome);
    assert!(r.elapsed < quick(), "took {:?}", r.elapsed);
    // External entity over HTTP: "either", but nothing may be fetched (the recording
    // loader and the absence of any network code in the reader see to it).
    let r = run(&dir, "rng_xxe_http");
    assert_eq!(r.asked.len(), 1, "only the schema itself: {:?}", r.asked);
    assert!(r.asked[0].ends_with("/rng_xxe_http.rng"), "{:?}", r.asked);
}

#[test]
fn pattern_attacks() {
    let Some(shared) = common::shared("rng_attacks") else {
        return;
    };
    let dir = shared.join("attacks");
    let r = run(&dir, "undefined_ref");
    assert!(rejected_with(&r, "RNG013"), "{:?}", r.outcome);
    let r = run(&dir, "overlapping_interleave");
    assert!(rejected_with(&r, "RNG021"), "{:?}", r.outcome);
    // The 1000-element interleave: valid, in linear time.
    let r = run(&dir, "exponential_interleave");
    assert_eq!(r.outcome, Outcome::Validated(vec![]));
    let bound = if cfg!(debug_assertions) {
        Duration::from_secs(2)
    } else {
        Duration::from_millis(100)
    };
    assert!(
        r.elapsed < bound,
        "exponential_interleave took {:?}",
        r.elapsed
    );
}

/// Writes the generated RELAX NG cases of gen.sh.
fn generate(dir: &Path) {
    let xd = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let rng = "xmlns=\"http://relaxng.org/ns/structure/1.0\"";
    let mut s = format!("{xd}\n<grammar {rng}>\n  <start><element name=\"TEI\"><choice>\n");
    for i in 0..100_000 {
        s.push_str(&format!("    <value>v{i}</value>\n"));
    }
    s.push_str("  </choice></element></start>\n</grammar>\n");
    std::fs::write(dir.join("huge_choice.rng"), s).unwrap();
    std::fs::write(
        dir.join("huge_choice.instance.xml"),
        format!("{xd}\n<TEI>no-such-value</TEI>\n"),
    )
    .unwrap();
    let n = 50_000;
    let s = format!(
        "{xd}\n<grammar {rng}>\n  <start><element name=\"TEI\">{}<empty/>{}</element></start>\n</grammar>\n",
        "<group>".repeat(n),
        "</group>".repeat(n)
    );
    std::fs::write(dir.join("deep_nesting_schema.rng"), s).unwrap();
    std::fs::write(
        dir.join("deep_nesting_schema.instance.xml"),
        format!("{xd}\n<TEI/>\n"),
    )
    .unwrap();
    let n = 20_000;
    let mut s = format!(
        "{xd}\n<grammar {rng}>\n  <start><element name=\"TEI\"><ref name=\"d0\"/></element></start>\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "  <define name=\"d{i}\"><ref name=\"d{}\"/></define>\n",
            i + 1
        ));
    }
    s.push_str(&format!(
        "  <define name=\"d{n}\"><empty/></define>\n</grammar>\n"
    ));
    std::fs::write(dir.join("ref_chain_20k.rng"), s).unwrap();
    std::fs::write(
        dir.join("ref_chain_20k.instance.xml"),
        format!("{xd}\n<TEI/>\n"),
    )
    .unwrap();
}

#[test]
fn generated_wide_and_deep_schemas() {
    if common::shared("rng_attacks").is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    generate(tmp.path());
    let slow = if cfg!(debug_assertions) {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(3)
    };
    // 100k-way value choice: compiles, the instance is rejected.
    let r = run(tmp.path(), "huge_choice");
    match &r.outcome {
        Outcome::Validated(codes) => assert_eq!(codes, &vec!["VAL007".to_string()]),
        o => panic!("huge_choice: {o:?}"),
    }
    assert!(r.elapsed < slow, "huge_choice took {:?}", r.elapsed);
    // 50k nested groups and a 20k reference chain: compile (or hit a limit), no overflow.
    for case in ["deep_nesting_schema", "ref_chain_20k"] {
        let r = run(tmp.path(), case);
        match &r.outcome {
            Outcome::Validated(codes) => assert!(codes.is_empty(), "{case}: {codes:?}"),
            Outcome::SchemaRejected(codes) => {
                assert!(codes.iter().all(|c| c == "RNG023"), "{case}: {codes:?}")
            }
        }
        assert!(r.elapsed < slow, "{case} took {:?}", r.elapsed);
    }
}

/// The `rng-regex` rows: a malformed `pattern` facet is a schema error; pathological ones
/// compile in bounded memory and reject their instance in linear time.
#[test]
fn regex_attacks() {
    let Some(shared) = common::shared("rng_attacks") else {
        return;
    };
    let dir = shared.join("attacks");
    let r = run(&dir, "invalid_regex_pattern");
    assert!(rejected_with(&r, "RNG009"), "{:?}", r.outcome);
    for case in [
        "regex_counted_blowup",
        "regex_dos_alternation",
        "regex_dos_pattern",
    ] {
        let r = run(&dir, case);
        match &r.outcome {
            Outcome::Validated(codes) => assert!(!codes.is_empty(), "{case}: accepted"),
            Outcome::SchemaRejected(codes) => panic!("{case}: schema rejected {codes:?}"),
        }
        assert!(r.elapsed < quick(), "{case} took {:?}", r.elapsed);
    }
}
