//! The tagger: golden cases (each `.txt` in tests/data/registry/tag has a `.tags` golden),
//! invariants on the seeds with the shipped registry, and a property test on arbitrary text.

mod common;

use proptest::prelude::*;
use teikit::registry::{Cert, Mention, Registry};

fn load(path: &std::path::Path) -> Registry {
    let text = common::read(path);
    let (reg, diags) = Registry::from_toml(&text, teikit::diag::FileId(0));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    reg
}

fn render(reg: &Registry, text: &str, ms: &[Mention]) -> String {
    let mut out = String::new();
    for m in ms {
        let cert = match m.cert {
            Cert::High => String::new(),
            c => format!(" cert={}", c.as_str()),
        };
        out.push_str(&format!(
            "{}..{} {:?} #{} <{}> via {:?}{cert}\n",
            m.range.start,
            m.range.end,
            &text[m.range.clone()],
            reg.entities[m.entity].id,
            reg.element_for(m),
            reg.entities[m.entity].names[m.name].text,
        ));
    }
    out
}

/// Structural invariants every result must keep.
fn check_invariants(text: &str, ms: &[Mention], reg: &Registry) {
    let mut last = 0;
    for m in ms {
        assert!(
            m.range.start >= last,
            "overlap or disorder at {:?}",
            m.range
        );
        assert!(m.range.start < m.range.end);
        assert!(text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end));
        assert!(m.entity < reg.entities.len());
        assert!(m.name < reg.entities[m.entity].names.len());
        last = m.range.end;
    }
}

#[test]
fn golden_cases() {
    let dir = common::root().join("tests/data/registry/tag");
    let reg = load(&dir.join("registry.toml"));
    let tagger = reg.tagger();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = common::read(&p);
        let ms = tagger.find(&text);
        check_invariants(&text, &ms, &reg);
        let actual = render(&reg, &text, &ms);
        let golden = p.with_extension("tags");
        if common::update_golden() {
            std::fs::write(&golden, &actual).unwrap();
        } else {
            let expected = std::fs::read_to_string(&golden).unwrap_or_default();
            assert_eq!(
                expected,
                actual,
                "{} is stale (UPDATE_GOLDEN=1 to rewrite)",
                golden.display()
            );
        }
        n += 1;
    }
    assert!(n >= 3);
}

#[test]
fn rules_hold_on_written_text() {
    let reg = load(&common::root().join("tests/data/registry/tag/registry.toml"));
    let t = reg.tagger();
    let ids = |text: &str| -> Vec<(String, String, Cert)> {
        t.find(text)
            .into_iter()
            .map(|m| {
                (
                    text[m.range.clone()].to_string(),
                    reg.entities[m.entity].id.clone(),
                    m.cert,
                )
            })
            .collect()
    };
    // Possessive: the ’s is outside.
    assert_eq!(ids("Trotsky’s")[0].0, "Trotsky");
    // Whole words only.
    assert!(ids("Trotskyism and Stalinist").is_empty());
    // Case: capitals match, lower case does not.
    assert_eq!(ids("STALIN and stalin").len(), 1);
    // Line breaks inside a name.
    assert_eq!(ids("Natalie\n  Sedova")[0].0, "Natalie\n  Sedova");
    // Segments share context.
    let segs = t.find_in_segments(&["Natalia Sedova to David Korner", "Dear comrade Mathieu,"]);
    assert_eq!(reg.entities[segs[1][0].entity].id, "p-barta");
    // Ambiguity without any context: low certainty.
    let alone = ids("comrade Mathieu");
    assert_eq!(alone[0].2, Cert::Low);
}

#[test]
fn seeds_with_the_shipped_registry() {
    let Some(shared) = common::shared("seeds_with_the_shipped_registry") else {
        return;
    };
    let reg = load(&common::root().join("tei/registry.toml"));
    let t = reg.tagger();
    for (seed, must) in [
        (
            "reiss-1937-letter-of-rupture.txt",
            &[
                "p-reiss",
                "p-stalin",
                "p-yezhov",
                "p-kamenev",
                "pl-lubyanka",
                "o-cc-cpsu",
                "o-fi",
            ][..],
        ),
        (
            "serge-1959-a-reaffirmation.txt",
            &[
                "p-serge",
                "p-trotsky",
                "p-sedova",
                "pl-brussels",
                "o-left-opposition",
                "t-fi-magazine",
            ][..],
        ),
        (
            "barta-sedova-letters-1946-1949.txt",
            &[
                "p-barta",
                "p-sedova",
                "p-munis",
                "o-uc",
                "o-pci",
                "t-lutte-de-classes",
                "pl-coyoacan",
                "p-ramboz",
            ][..],
        ),
    ] {
        let text = common::read(&shared.join("seeds").join(seed));
        let ms = t.find(&text);
        check_invariants(&text, &ms, &reg);
        let found: std::collections::BTreeSet<&str> = ms
            .iter()
            .map(|m| reg.entities[m.entity].id.as_str())
            .collect();
        for id in must {
            assert!(
                found.contains(id),
                "{seed}: {id} not found; found {found:?}"
            );
        }
        // Every mention reads as one of its entity's forms (up to case, accents, spacing,
        // a plural s).
        for m in &ms {
            let got = text[m.range.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let form = &reg.entities[m.entity].names[m.name].text;
            let g = teikit::registry::normalize_name(&got).to_lowercase();
            let f = teikit::registry::normalize_name(form).to_lowercase();
            assert!(
                g == f || g == f.clone() + "s",
                "{seed}: {got:?} tagged via {form:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn never_panics_and_keeps_invariants(s in "\\PC{0,200}", pick in 0usize..6) {
        let reg = load(&common::root().join("tests/data/registry/tag/registry.toml"));
        // Mix registered names into arbitrary text.
        let names = ["Trotsky’s", "A. Mathieu", "PS-PC-CGT", "comrade M.", "Coyoacán", "these Kamenevs"];
        let text = format!("{s} {} {s}", names[pick]);
        let ms = reg.tagger().find(&text);
        check_invariants(&text, &ms, &reg);
        let _ = teikit::registry::suggest(&text, Some(&reg), &Default::default());
    }
}
