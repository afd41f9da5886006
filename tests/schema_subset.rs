//! `schema/teikit.rng` is a restriction of TEI's `tei_all.rng`, checked statically: every
//! element teikit declares exists in TEI, and every child element and attribute teikit allows
//! on it, TEI allows on it too.
//!
//! This is a necessary condition for "every document valid against teikit is valid against
//! tei_all" (order, cardinality and datatypes are left to the fixtures and editions, which are
//! validated against both schemas), but it catches the usual mistakes of a customisation at
//! once and names them: a child TEI does not allow in that place, an attribute TEI does not
//! have on that element.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use teikit::xml::{Document, Node};

const RNG: &str = "http://relaxng.org/ns/structure/1.0";

/// Element → (child elements, attributes), as expanded names `{ns}local`; `*` = any name.
type Model = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

fn is_rng(n: &Node<'_>, local: &str) -> bool {
    n.has_tag_name(Some(RNG), local)
}

/// The expanded name of an `element` or `attribute` pattern (`*` for name classes).
fn pattern_name(p: &Node<'_>, attribute: bool) -> String {
    // The name is a `name` attribute or a `<name>` child (which may carry its own `ns`).
    let (qname, holder) = match p.attribute(None, "name") {
        Some(n) => (n.trim().to_string(), *p),
        None => match p
            .element_children()
            .find(|c| c.tag_name().namespace == Some(RNG))
        {
            Some(c) if is_rng(&c, "name") => (c.text_content().trim().to_string(), c),
            _ => return "*".into(),
        },
    };
    let (ns, local) = match qname.split_once(':') {
        Some((prefix, local)) => (
            holder
                .lookup_namespace_uri(Some(prefix))
                .unwrap_or("")
                .to_string(),
            local.to_string(),
        ),
        // An attribute's unprefixed name has no namespace unless `ns` is on the pattern or on
        // its `<name>` (RELAX NG §4.8); an element's inherits the nearest `ns`.
        None if attribute => (
            holder
                .attribute(None, "ns")
                .or_else(|| p.attribute(None, "ns"))
                .unwrap_or("")
                .to_string(),
            qname,
        ),
        None => {
            let ns = std::iter::once(holder)
                .chain(holder.ancestors())
                .find_map(|a| a.attribute(None, "ns"))
                .unwrap_or("");
            (ns.to_string(), qname)
        }
    };
    format!("{{{ns}}}{local}")
}

fn model(doc: &Document) -> Model {
    let mut defines: HashMap<&str, Vec<Node<'_>>> = HashMap::new();
    for n in doc.descendants() {
        if is_rng(&n, "define") {
            if let Some(name) = n.attribute(None, "name") {
                defines.entry(name).or_default().push(n);
            }
        }
    }
    let mut out = Model::new();
    for el in doc.descendants().filter(|n| is_rng(n, "element")) {
        let name = pattern_name(&el, false);
        let entry = out.entry(name).or_default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack: Vec<Node<'_>> = el.element_children().collect();
        while let Some(n) = stack.pop() {
            if n.tag_name().namespace != Some(RNG) {
                continue;
            }
            match n.tag_name().local {
                "element" => {
                    entry.0.insert(pattern_name(&n, false));
                }
                "attribute" => {
                    entry.1.insert(pattern_name(&n, true));
                }
                "ref" => {
                    let r = n.attribute(None, "name").unwrap_or("");
                    if seen.insert(r) {
                        for d in defines.get(r).into_iter().flatten() {
                            stack.extend(d.element_children());
                        }
                    }
                }
                "name" | "anyName" | "nsName" | "data" | "value" | "param" => {}
                _ => stack.extend(n.element_children()),
            }
        }
    }
    out
}

fn load(path: &std::path::Path) -> Model {
    let text = common::read(path);
    let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    model(&doc)
}

#[test]
fn teikit_is_a_restriction_of_tei_all() {
    let Some(shared) = common::shared("teikit_is_a_restriction_of_tei_all") else {
        return;
    };
    let teikit = load(&common::root().join("schema/teikit.rng"));
    let tei = load(&shared.join("schemas/tei-p5-4.12.0/tei_all.rng"));
    assert!(
        teikit.len() > 50,
        "the teikit model looks empty: {teikit:?}"
    );
    let mut problems = Vec::new();
    for (el, (children, attrs)) in &teikit {
        let Some((tchildren, tattrs)) = tei.get(el) else {
            problems.push(format!("<{el}> is not a TEI element"));
            continue;
        };
        for c in children {
            if !tchildren.contains(c) && !tchildren.contains("*") {
                problems.push(format!("<{el}> allows child <{c}>, TEI does not"));
            }
        }
        for a in attrs {
            if !tattrs.contains(a) && !tattrs.contains("*") {
                problems.push(format!("<{el}> allows attribute {a}, TEI does not"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_notices_a_foreign_child() {
    // The check itself: a schema that puts <p> inside <persName> is caught.
    let bad = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
      <start><element name="persName"><attribute name="ref"/><element name="p"><text/></element></element></start>
    </grammar>"#;
    let m = model(&Document::parse(bad).unwrap());
    let p = &m["{http://www.tei-c.org/ns/1.0}persName"];
    assert!(p.0.contains("{http://www.tei-c.org/ns/1.0}p"));
    assert!(p.1.contains("{}ref"));
}
