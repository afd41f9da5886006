//! The XSD datatype library against James Clark's datatype suites, run directly on
//! `teikit::xsd` (no RELAX NG validator involved):
//!
//! - `xsdtest.xml`, the compact source: per `<datatype>`, `<valid>`/`<invalid>` strings,
//!   `<equiv>` classes of equal values, `<length>` cases and `<lessThan>`/`<incomparable>`
//!   pairs (expanded exactly as `xsdtest.xsl` expands them);
//! - `xsdtest-suite.xml`, the same cases expanded into RELAX NG test cases: every `data` or
//!   `value` pattern must build (one check per schema), and every `<valid>`/`<invalid>`
//!   document's text must be accepted or rejected (1283 checks in all, jing's score).

mod common;

use std::collections::HashMap;

use teikit::xsd::{Context, Datatype, XSD_LIBRARY};

/// Namespace bindings of an element, plus the unparsed entities of a document's DTD.
struct Cx {
    prefixes: HashMap<String, String>,
    default_ns: Option<String>,
    entities: Vec<String>,
}

impl Cx {
    /// The in-scope namespaces of `node`. `use_default` is false for RELAX NG `<value>`
    /// elements, whose default namespace comes from the `ns` attribute (here always "").
    fn of(node: roxmltree::Node, use_default: bool) -> Cx {
        let mut prefixes = HashMap::new();
        let mut default_ns = None;
        for ns in node.namespaces() {
            match ns.name() {
                Some(p) => {
                    prefixes.insert(p.to_string(), ns.uri().to_string());
                }
                None if use_default => default_ns = Some(ns.uri().to_string()),
                None => {}
            }
        }
        Cx {
            prefixes,
            default_ns,
            entities: Vec::new(),
        }
    }

    /// Adds the names of `<!ENTITY name … NDATA …>` declarations found in `dtd`.
    fn with_dtd(mut self, dtd: Option<&str>) -> Cx {
        for decl in dtd.unwrap_or("").split("<!ENTITY").skip(1) {
            let decl = decl.split('>').next().unwrap_or("");
            if decl.contains("NDATA")
                && let Some(name) = decl.split_whitespace().next()
            {
                self.entities.push(name.to_string());
            }
        }
        self
    }
}

impl Context for Cx {
    fn resolve_prefix(&self, prefix: Option<&str>) -> Option<String> {
        match prefix {
            Some("xml") => Some("http://www.w3.org/XML/1998/namespace".into()),
            Some(p) => self.prefixes.get(p).cloned(),
            None => self.default_ns.clone(),
        }
    }

    fn is_unparsed_entity(&self, name: &str) -> bool {
        self.entities.iter().any(|e| e == name)
    }
}

/// Counts checks and collects failures.
#[derive(Default)]
struct Score {
    passed: usize,
    failures: Vec<String>,
}

impl Score {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }

    fn total(&self) -> usize {
        self.passed + self.failures.len()
    }

    fn assert_all(&self, suite: &str) {
        eprintln!("{suite}: {}/{} checks passed", self.passed, self.total());
        assert!(
            self.failures.is_empty(),
            "{suite}: {} of {} checks failed:\n{}",
            self.failures.len(),
            self.total(),
            self.failures.join("\n")
        );
    }
}

fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn elements<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(move |n| n.has_tag_name(name))
}

fn build(name: &str, params: &[(&str, &str)]) -> Result<Datatype, String> {
    Datatype::new(XSD_LIBRARY, name, params).map_err(|e| e.to_string())
}

/// Whether `text` (in context `cx`) matches `<data type=dt>` (with params).
fn data_allows(dt: &Datatype, text: &str, cx: &Cx) -> bool {
    dt.allows(text, cx)
}

/// Whether `text` matches `<value type=dt>literal</value>`.
fn value_matches(dt: &Datatype, literal: &str, literal_cx: &Cx, text: &str, cx: &Cx) -> bool {
    match (dt.value(literal, literal_cx), dt.value(text, cx)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[test]
fn xsdtest_xml() {
    let Some(shared) = common::shared("xsdtest_xml") else {
        return;
    };
    let src = common::read(&shared.join("conformance/relaxng/xsdtest.xml"));
    let doc = roxmltree::Document::parse(&src).expect("xsdtest.xml parses");
    let mut score = Score::default();
    for datatype in elements(doc.root_element(), "datatype") {
        let name = datatype.attribute("name").unwrap_or("");
        let params: Vec<(&str, String)> = elements(datatype, "param")
            .map(|p| (p.attribute("name").unwrap_or(""), text_of(p)))
            .collect();
        let params: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let dt = build(name, &params);
        score.check(dt.is_ok(), || {
            format!("{name}: datatype does not build: {:?}", dt.as_ref().err())
        });
        let Ok(dt) = dt else { continue };
        for (tag, expect) in [("valid", true), ("invalid", false)] {
            for case in elements(datatype, tag) {
                let text = text_of(case);
                let cx = Cx::of(case, true).with_dtd(case.attribute("internalSubset"));
                let got = dt.check(&text, &cx);
                score.check(got.is_ok() == expect, || {
                    format!("{name}: {tag} {text:?} gave {got:?}")
                });
            }
        }
        for equiv in elements(datatype, "equiv") {
            let classes: Vec<Vec<roxmltree::Node>> = elements(equiv, "class")
                .map(|c| elements(c, "value").collect())
                .collect();
            for (i, class) in classes.iter().enumerate() {
                let Some(first) = class.first() else { continue };
                let literal = text_of(*first);
                let lcx = Cx::of(*first, false).with_dtd(first.attribute("internalSubset"));
                score.check(dt.value(&literal, &lcx).is_some(), || {
                    format!("{name}: <value>{literal:?}</value> has no value")
                });
                for other in &class[1..] {
                    let text = text_of(*other);
                    let cx = Cx::of(*other, true);
                    score.check(value_matches(&dt, &literal, &lcx, &text, &cx), || {
                        format!("{name}: {text:?} should equal {literal:?}")
                    });
                }
                for (j, other_class) in classes.iter().enumerate() {
                    if i == j {
                        continue;
                    }
                    for other in other_class {
                        let text = text_of(*other);
                        let cx = Cx::of(*other, true);
                        score.check(!value_matches(&dt, &literal, &lcx, &text, &cx), || {
                            format!("{name}: {text:?} should differ from {literal:?}")
                        });
                    }
                }
            }
        }
        for length in elements(datatype, "length") {
            let n: i64 = length
                .attribute("value")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let text = text_of(length);
            let cx = Cx::of(length, true);
            let mut cases = vec![(n, true), (n + 1, false)];
            if n != 0 {
                cases.push((n - 1, false));
            }
            for (len, expect) in cases {
                let len_s = len.to_string();
                match build(name, &[("length", &len_s)]) {
                    Ok(d) => score.check(data_allows(&d, &text, &cx) == expect, || {
                        format!(
                            "{name} length={len}: {text:?} should be {}",
                            if expect { "valid" } else { "invalid" }
                        )
                    }),
                    Err(e) => score.check(false, || {
                        format!("{name} length={len}: does not build: {e}")
                    }),
                }
            }
        }
        for (tag, less) in [("lessThan", true), ("incomparable", false)] {
            for pair in elements(datatype, tag) {
                let values: Vec<String> = elements(pair, "value").map(text_of).collect();
                let [v1, v2] = &values[..] else { continue };
                let cx = Cx::of(pair, true);
                // minExclusive = v1: v2 valid iff v1 < v2; v1 never.
                // minExclusive = v2: neither.
                for (limit, text, expect) in [
                    (v1, v2, less),
                    (v1, v1, false),
                    (v2, v1, false),
                    (v2, v2, false),
                ] {
                    match build(name, &[("minExclusive", limit)]) {
                        Ok(d) => score.check(data_allows(&d, text, &cx) == expect, || {
                            format!(
                                "{name} minExclusive={limit}: {text:?} should be {}",
                                if expect { "valid" } else { "invalid" }
                            )
                        }),
                        Err(e) => score.check(false, || {
                            format!("{name} minExclusive={limit}: does not build: {e}")
                        }),
                    }
                }
            }
        }
    }
    score.assert_all("xsdtest.xml");
}

#[test]
fn xsdtest_suite_xml() {
    let Some(shared) = common::shared("xsdtest_suite_xml") else {
        return;
    };
    let src = common::read(&shared.join("conformance/relaxng/xsdtest-suite.xml"));
    let doc = roxmltree::Document::parse(&src).expect("xsdtest-suite.xml parses");
    let mut score = Score::default();
    let mut cases = 0;
    for case in doc.descendants().filter(|n| n.has_tag_name("testCase")) {
        cases += 1;
        let Some(correct) = elements(case, "correct").next() else {
            continue;
        };
        let Some(element) = correct.children().find(|n| n.is_element()) else {
            continue;
        };
        let Some(pattern) = element.children().find(|n| n.is_element()) else {
            continue;
        };
        let library = element.attribute("datatypeLibrary").unwrap_or("");
        let type_name = pattern.attribute("type").unwrap_or("");
        let schema_dtd = correct.attribute("dtd");
        // (a) the schema's pattern builds.
        enum Pat {
            Data(Datatype),
            Value(Datatype, String, Cx),
        }
        let built = match pattern.tag_name().name() {
            "data" => {
                let params: Vec<(&str, String)> = elements(pattern, "param")
                    .map(|p| (p.attribute("name").unwrap_or(""), text_of(p)))
                    .collect();
                let params: Vec<(&str, &str)> =
                    params.iter().map(|(n, v)| (*n, v.as_str())).collect();
                Datatype::new(library, type_name, &params).map(Pat::Data)
            }
            _ => Datatype::new(library, type_name, &[]).map(|dt| {
                Pat::Value(
                    dt,
                    text_of(pattern),
                    Cx::of(pattern, false).with_dtd(schema_dtd),
                )
            }),
        };
        score.check(built.is_ok(), || {
            format!(
                "case {cases}: {type_name} does not build: {:?}",
                built.as_ref().err()
            )
        });
        let Ok(built) = built else {
            // Instances of a schema that failed count as failed.
            for inst in case
                .children()
                .filter(|n| n.has_tag_name("valid") || n.has_tag_name("invalid"))
            {
                score.check(false, || {
                    format!(
                        "case {cases}: instance of a failed schema: {:?}",
                        text_of(inst)
                    )
                });
            }
            continue;
        };
        // (c)/(d) instances.
        for (tag, expect) in [("valid", true), ("invalid", false)] {
            for inst in elements(case, tag) {
                let Some(doc_el) = inst.children().find(|n| n.is_element()) else {
                    continue;
                };
                let text = text_of(doc_el);
                let cx = Cx::of(doc_el, true).with_dtd(inst.attribute("dtd"));
                let got = match &built {
                    Pat::Data(dt) => dt.allows(&text, &cx),
                    Pat::Value(dt, literal, lcx) => value_matches(dt, literal, lcx, &text, &cx),
                };
                score.check(got == expect, || {
                    format!(
                        "case {cases} ({type_name}): {tag} {text:?} was {}",
                        if got { "accepted" } else { "rejected" }
                    )
                });
            }
        }
    }
    assert_eq!(cases, 240, "xsdtest-suite.xml should hold 240 test cases");
    score.assert_all("xsdtest-suite.xml");
    assert_eq!(score.total(), 1283, "xsdtest-suite.xml has 1283 checks");
}
