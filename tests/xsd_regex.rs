//! XSD regular expressions against jing's suites `regextest.xml` and `hardtest.xml`: every
//! `<correct>` regex compiles (as the `pattern` of `xsd:string`) and accepts its `<valid>`
//! strings and rejects its `<invalid>` ones; every `<incorrect>` regex is refused as a
//! schema error. Also the ReDoS and counted-blowup cases of `../shared/attacks`.

mod common;

use std::time::Instant;

use teikit::xsd::{Datatype, DatatypeError, NoContext, XSD_LIBRARY};

fn pattern_type(re: &str) -> Result<Datatype, DatatypeError> {
    Datatype::new(XSD_LIBRARY, "string", &[("pattern", re)])
}

fn run_suite(file: &str) -> (usize, Vec<String>) {
    let Some(shared) = common::shared(file) else {
        return (0, Vec::new());
    };
    let src = common::read(&shared.join("conformance/relaxng").join(file));
    let doc = roxmltree::Document::parse(&src).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut checks = 0;
    let mut failures = Vec::new();
    let text = |n: roxmltree::Node| -> String {
        n.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    };
    for case in doc.descendants().filter(|n| n.has_tag_name("testCase")) {
        if let Some(bad) = case.children().find(|n| n.has_tag_name("incorrect")) {
            let re = text(bad);
            checks += 1;
            match pattern_type(&re) {
                Err(DatatypeError::BadParam { name, message })
                    if name == "pattern" && !message.is_empty() => {}
                other => failures.push(format!(
                    "{re:?} should be rejected as a pattern, got {other:?}"
                )),
            }
            continue;
        }
        let Some(good) = case.children().find(|n| n.has_tag_name("correct")) else {
            continue;
        };
        let re = text(good);
        checks += 1;
        let dt = match pattern_type(&re) {
            Ok(dt) => dt,
            Err(e) => {
                failures.push(format!("{re:?} should compile: {e}"));
                continue;
            }
        };
        for (tag, expect) in [("valid", true), ("invalid", false)] {
            for s in case.children().filter(|n| n.has_tag_name(tag)) {
                let s = text(s);
                checks += 1;
                let got = dt.check(&s, &NoContext);
                if got.is_ok() != expect {
                    failures.push(format!("{re:?} on {s:?}: expected {tag}, got {got:?}"));
                }
            }
        }
    }
    (checks, failures)
}

#[test]
fn regextest_xml() {
    let (checks, failures) = run_suite("regextest.xml");
    eprintln!(
        "regextest.xml: {}/{checks} checks passed",
        checks - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hardtest_xml() {
    let (checks, failures) = run_suite("hardtest.xml");
    eprintln!(
        "hardtest.xml: {}/{checks} checks passed",
        checks - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The regex attack files of `../shared/attacks` (rows rng-regex of MANIFEST.md), with the
/// instances the corpus pairs them with.
#[test]
fn attack_patterns() {
    let Some(shared) = common::shared("attack_patterns") else {
        return;
    };
    let attacks = shared.join("attacks");
    let pattern_of = |file: &str| -> String {
        let src = common::read(&attacks.join(file));
        let doc = roxmltree::Document::parse(&src).unwrap_or_else(|e| panic!("{file}: {e}"));
        let param = doc
            .descendants()
            .find(|n| n.has_tag_name("param"))
            .unwrap_or_else(|| panic!("{file}: no param"));
        param.text().unwrap_or("").to_string()
    };
    let instance_of = |file: &str| -> String {
        let src = common::read(&attacks.join(file));
        let doc = roxmltree::Document::parse(&src).unwrap_or_else(|e| panic!("{file}: {e}"));
        doc.root_element().text().unwrap_or("").to_string()
    };
    // Malformed: a schema error, not a panic.
    let bad = pattern_of("invalid_regex_pattern.rng");
    assert!(
        matches!(pattern_type(&bad), Err(DatatypeError::BadParam { .. })),
        "{bad:?}"
    );
    // The others compile and reject their instance quickly.
    for case in [
        "regex_counted_blowup",
        "regex_dos_alternation",
        "regex_dos_pattern",
    ] {
        let re = pattern_of(&format!("{case}.rng"));
        let text = instance_of(&format!("{case}.instance.xml"));
        let start = Instant::now();
        let dt = pattern_type(&re).unwrap_or_else(|e| panic!("{case}: {e}"));
        let verdict = dt.check(&text, &NoContext);
        let took = start.elapsed();
        eprintln!(
            "{case}: {re} on {} chars: {verdict:?} in {took:?}",
            text.chars().count()
        );
        assert!(verdict.is_err(), "{case}: the instance must be invalid");
        // Generous even for an unoptimized build on a loaded machine; see the benchmark
        // figures in the report for the real cost.
        assert!(took.as_secs() < 5, "{case} took {took:?}");
    }
}

/// Issue 6: `(a+)+b`-style patterns stay linear on long inputs.
#[test]
fn redos_is_linear() {
    let dt = pattern_type("(a+)+b").unwrap();
    let mut s = "a".repeat(10_000);
    assert!(!dt.allows(&s, &NoContext));
    s.push('b');
    assert!(dt.allows(&s, &NoContext));
    let dt = pattern_type("(a|aa)*c").unwrap();
    assert!(!dt.allows(&"a".repeat(10_000), &NoContext));
}

#[test]
fn messages_name_the_problem() {
    let msg = |re: &str| match pattern_type(re) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("{re:?} compiled"),
    };
    assert!(msg("([a-").contains("pattern"), "{}", msg("([a-"));
    assert!(msg("\\p{IsFooBar}").contains("FooBar"));
    assert!(msg("x{2,1}").contains("greater"));
    let deep = "(".repeat(10_000) + &")".repeat(10_000);
    assert!(msg(&deep).contains("nested"));
}

/// A counted repetition that cannot be compiled small even for the value's length is an
/// explicit "too complex" verdict, not a hang or an out-of-memory.
#[test]
fn counted_repetition_limit_is_explicit() {
    let dt = pattern_type("(ab|cd|ef|gh|ij|kl|mn|op|qr|st){50000,}").unwrap();
    let short = "ab".repeat(10);
    assert!(
        !dt.allows(&short, &NoContext),
        "fewer than 50000 pairs cannot match"
    );
    let long = "ab".repeat(50_000);
    let start = Instant::now();
    let verdict = dt.check(&long, &NoContext);
    eprintln!("{verdict:?} in {:?}", start.elapsed());
    let err = verdict.expect_err("too complex to check");
    assert!(err.contains("too large"), "{err}");
}
