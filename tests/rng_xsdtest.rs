//! The XSD datatype suite (`xsdtest-suite.xml`, 240 cases, 1283 checks), run natively with
//! ID checking off, as jing's own driver runs it (case 236 uses `xsd:ID` outside an
//! attribute: correct RELAX NG, but not DTD-compatible).
//!
//! The score is a ratchet that can only go up. Target: 1283. The two checks still missing
//! (cases 237 and 238, `ENTITY`/`ENTITIES`) need unparsed-entity declarations
//! (`<!ENTITY foo SYSTEM 'x' NDATA jpeg>`) in the instance's DTD, which the safe XML reader
//! refuses like every entity declaration.

mod common;
mod rng_support;

use teikit::rng::LoadOptions;

/// Checks that must pass (the target is all 1283). Raise it, never lower it.
const MIN_PASSED: usize = 1281;

#[test]
fn xsdtest() {
    let Some(shared) = common::shared("rng_xsdtest") else {
        return;
    };
    let cases = rng_support::read_suite(
        &shared.join("conformance/relaxng/xsdtest-suite.xml"),
        rng_support::Form::Plain,
    );
    assert_eq!(cases.len(), 240, "xsdtest-suite.xml has 240 test cases");
    let score = rng_support::run(
        &cases,
        &LoadOptions {
            dtd_compatibility: false,
        },
    );
    let report = score.report("xsdtest-suite.xml");
    println!("{report}");
    assert_eq!(score.checks, 1283, "xsdtest-suite.xml counts 1283 checks");
    assert!(
        score.passed >= MIN_PASSED,
        "xsdtest score fell below the ratchet {MIN_PASSED}:\n{report}"
    );
}
