//! Shared by the attack-corpus tests (`attacks.rs`, `hostile_cli.rs`): the manifest's rows,
//! the generated cases (a Rust equivalent of `gen.sh`), and the canary URL rewrite.
#![allow(dead_code)]

use std::path::Path;

/// One row of `MANIFEST.md`.
pub struct Case {
    pub file: String,
    pub class: String,
    pub expected: String,
    pub generated: bool,
}

/// The rows of MANIFEST.md's table.
pub fn manifest(dir: &Path) -> Vec<Case> {
    let path = dir.join("MANIFEST.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        if cols.len() < 6 || !cols[1].starts_with('`') {
            continue;
        }
        let file = cols[1].split('`').nth(1).expect("a file name").to_string();
        // `accept|limit` splits into two cells of the Markdown table.
        let expected = if cols[4] == "limit" {
            format!("{}|limit", cols[3])
        } else {
            cols[3].to_string()
        };
        cases.push(Case {
            file,
            class: cols[2].to_string(),
            expected,
            generated: cols[1].contains("**gen**"),
        });
    }
    cases
}

pub fn full_size() -> bool {
    !cfg!(debug_assertions) || std::env::var("TEIKIT_ATTACKS_FULL").as_deref() == Ok("1")
}

/// The generated cases, as `gen.sh` writes them (text sizes scaled down in debug builds).
pub fn generate(name: &str) -> Option<Vec<u8>> {
    const XD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    const RNG: &str = "xmlns=\"http://relaxng.org/ns/structure/1.0\"";
    let big = |n: usize| if full_size() { n } else { n / 10 };
    let mut s = String::new();
    match name {
        "quadratic_blowup.xml" => {
            let ent = "a".repeat(100_000);
            s += &format!("{XD}\n<!DOCTYPE TEI [\n <!ENTITY a \"{ent}\">\n]>\n<TEI><p>");
            s += &"&a;".repeat(100_000);
            s += "</p></TEI>\n";
        }
        "quadratic_blowup_attr.xml" => {
            let ent = "a".repeat(100_000);
            s += &format!("{XD}\n<!DOCTYPE TEI [\n <!ENTITY a \"{ent}\">\n]>\n<TEI n=\"");
            s += &"&a;".repeat(30_000);
            s += "\"/>\n";
        }
        "entity_chain_depth_100k.xml" => {
            s += &format!("{XD}\n<!DOCTYPE TEI [\n <!ENTITY e0 \"x\">\n");
            for i in 1..=100_000 {
                s += &format!(" <!ENTITY e{i} \"&e{};\">\n", i - 1);
            }
            s += "]>\n<TEI>&e100000;</TEI>\n";
        }
        "deep_nesting_100k.xml" | "deep_nesting_1M.xml" => {
            let n = if name.contains("1M") {
                1_000_000
            } else {
                100_000
            };
            s += &format!("{XD}\n{}{}\n", "<a>".repeat(n), "</a>".repeat(n));
        }
        "huge_attr_50MB.xml" => {
            s += &format!("{XD}\n<TEI n=\"{}\"/>\n", "x".repeat(big(50 * 1024 * 1024)));
        }
        "huge_text_50MB.xml" => {
            let n = big(50 * 1024 * 1024) / 12;
            s += &format!("{XD}\n<TEI><p>{}</p></TEI>\n", "lorem ipsum ".repeat(n));
        }
        "huge_name_10MB.xml" => {
            s += &format!("{XD}\n<{}/>\n", "a".repeat(big(10 * 1024 * 1024)));
        }
        "many_attrs_100k.xml" => {
            let attrs: Vec<String> = (0..100_000).map(|i| format!("a{i}=\"v\"")).collect();
            s += &format!("{XD}\n<TEI {}/>\n", attrs.join(" "));
        }
        "many_ns_attrs_50k.xml" => {
            let decls: Vec<String> = (0..50_000)
                .map(|i| format!("xmlns:p{i}=\"urn:n{i}\""))
                .collect();
            let attrs: Vec<String> = (0..50_000).map(|i| format!("p{i}:a=\"v\"")).collect();
            s += &format!("{XD}\n<TEI {} {}/>\n", decls.join(" "), attrs.join(" "));
        }
        "many_elements_5M.xml" => {
            s += &format!("{XD}\n<TEI>{}</TEI>\n", "<a/>".repeat(big(5_000_000)));
        }
        "huge_choice.rng" => {
            s += &format!("{XD}\n<grammar {RNG}>\n  <start><element name=\"TEI\"><choice>\n");
            for i in 0..100_000 {
                s += &format!("    <value>v{i}</value>\n");
            }
            s += "  </choice></element></start>\n</grammar>\n";
        }
        "deep_nesting_schema.rng" => {
            let n = 50_000;
            s += &format!(
                "{XD}\n<grammar {RNG}>\n  <start><element name=\"TEI\">{}<empty/>{}</element></start>\n</grammar>\n",
                "<group>".repeat(n),
                "</group>".repeat(n)
            );
        }
        "ref_chain_20k.rng" => {
            let n = 20_000;
            s += &format!(
                "{XD}\n<grammar {RNG}>\n  <start><element name=\"TEI\"><ref name=\"d0\"/></element></start>\n"
            );
            for i in 0..n {
                s += &format!(
                    "  <define name=\"d{i}\"><ref name=\"d{}\"/></define>\n",
                    i + 1
                );
            }
            s += &format!("  <define name=\"d{n}\"><empty/></define>\n</grammar>\n");
        }
        _ => return None,
    }
    Some(s.into_bytes())
}

/// `bytes` with the canary address of the corpus (`127.0.0.1:8765`) replaced by
/// `127.0.0.1:PORT`, where the test listens.
pub fn rewrite_canary(bytes: &[u8], port: u16) -> Vec<u8> {
    let (from, to) = ("127.0.0.1:8765".as_bytes(), format!("127.0.0.1:{port}"));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to.as_bytes());
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
