//! The editions in `tei/editions/` are what `teikit convert tei/sources -o tei/editions`
//! produces today: this test regenerates each one and fails on drift (`UPDATE_GOLDEN=1`, or
//! `cargo xtask bless`, rewrites them; CI never does). It also checks that nothing of a
//! source is lost, and the figures the project promised for the three sample sources.

mod common;
#[path = "support/words.rs"]
mod words;

use std::path::{Path, PathBuf};

use teikit::diag::{Diagnostic, Files};
use teikit::registry::{Registry, Tagger};
use teikit::transcription::{self, Options, Sidecar, Tagging};
use teikit::xml::{Document, Node};

fn sources() -> Vec<PathBuf> {
    let dir = common::root().join("tei/sources");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no sources in {}", dir.display());
    v
}

/// The registry `teikit convert` would discover for `tei/sources/*.txt`.
fn registry(files: &Files) -> Option<(Registry, Tagger)> {
    let root = common::root();
    let p = [
        root.join("tei/sources/registry.toml"),
        root.join("tei/registry.toml"),
    ]
    .into_iter()
    .find(|p| p.is_file())?;
    let text = common::read(&p);
    let fid = files.add(p.display().to_string(), text.as_str());
    let (reg, diags) = Registry::from_toml(&text, fid);
    assert!(
        !diags.iter().any(Diagnostic::is_error),
        "registry errors: {diags:?}"
    );
    let t = reg.tagger();
    Some((reg, t))
}

struct Converted {
    name: String,
    source: String,
    xml: String,
    diags: Vec<Diagnostic>,
}

fn convert(path: &Path, files: &Files, reg: Option<&(Registry, Tagger)>) -> Converted {
    let source = common::read(path);
    let fid = files.add(path.display().to_string(), source.as_str());
    let sidecar_path = path.with_extension("toml");
    let sidecar = sidecar_path.is_file().then(|| {
        let t = common::read(&sidecar_path);
        let sid = files.add(sidecar_path.display().to_string(), t.as_str());
        let (s, d) = Sidecar::parse(&t, sid);
        assert!(d.is_empty(), "{d:?}");
        s.unwrap()
    });
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let opts = Options {
        file_name: &name,
        tagging: reg.map(|(r, t)| Tagging {
            registry: r,
            finder: t,
        }),
        sidecar: sidecar.as_ref(),
        provisional_names: false,
    };
    let (ed, diags) = transcription::convert(&source, fid, &opts);
    let xml = teikit::tei::write(&ed);
    Converted {
        name,
        source,
        xml,
        diags,
    }
}

fn all() -> Vec<Converted> {
    let files = Files::new();
    let reg = registry(&files);
    sources()
        .iter()
        .map(|p| convert(p, &files, reg.as_ref()))
        .collect()
}

#[test]
fn editions_are_up_to_date() {
    let dir = common::root().join("tei/editions");
    let mut stale = Vec::new();
    for c in all() {
        assert!(
            !c.diags.iter().any(Diagnostic::is_error),
            "{}: {:?}",
            c.name,
            c.diags
        );
        let path = dir.join(c.name.replace(".txt", ".xml"));
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != c.xml {
            if common::update_golden() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &c.xml).unwrap();
            } else {
                let diff = similar::TextDiff::from_lines(&old, &c.xml)
                    .unified_diff()
                    .header("committed", "regenerated")
                    .to_string();
                stale.push(format!("{}:\n{}", path.display(), diff));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "editions are stale (run `UPDATE_GOLDEN=1 cargo test --test editions` or `cargo xtask bless`):\n{}",
        stale.join("\n")
    );
}

#[test]
fn editions_are_well_formed() {
    for c in all() {
        let doc = Document::parse(&c.xml).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        assert_eq!(doc.root_element().tag_name().local, "TEI");
    }
}

/// Every edition (as regenerated now) is valid against TEI P5 `tei_all`, by teikit's own
/// RELAX NG validator.
#[test]
fn editions_are_valid_against_tei_all() {
    let Some(shared) = common::shared("editions_are_valid_against_tei_all") else {
        return;
    };
    let files = Files::new();
    let rng = shared.join("schemas/tei-p5-4.12.0/tei_all.rng");
    let schema = teikit::rng::Schema::load(
        &rng.to_string_lossy(),
        &mut teikit::rng::FsLoader::new(),
        &files,
    )
    .unwrap_or_else(|d| panic!("tei_all: {d:?}"));
    let mut v = schema.validator();
    // The check can fail: a stray element in the body is reported.
    let first = all().remove(0);
    let broken = first.xml.replacen("<body>", "<body><stray/>", 1);
    let doc = Document::parse(&broken).unwrap();
    let fid = files.add("broken".to_string(), broken.as_str());
    assert!(
        v.validate(&doc, fid, &Default::default())
            .iter()
            .any(|d| d.is_error()),
        "the validator accepted a stray element"
    );
    for c in all() {
        let doc = Document::parse(&c.xml).unwrap();
        let fid = files.add(c.name.clone(), c.xml.as_str());
        let diags = v.validate(&doc, fid, &Default::default());
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let at = d
                    .primary
                    .as_ref()
                    .map(|l| teikit::diag::render::position(&files, l.file, &l.span))
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .unwrap_or_default();
                format!("{at} {}", d.message)
            })
            .collect();
        assert!(
            errors.is_empty(),
            "{} is not valid:\n{}",
            c.name,
            errors.join("\n")
        );
    }
}

/// Words of the source, minus reported removals and bracket/marker syntax, equal the
/// words of the edition's reading text, in order; note bodies equal the notes, in order.
#[test]
fn nothing_lost() {
    for c in all() {
        let removed: Vec<_> = c
            .diags
            .iter()
            .filter(|d| matches!(d.code.id, "CNV010" | "CNV011" | "CNV012"))
            .filter_map(|d| d.primary.as_ref().map(|l| l.span.clone()))
            .collect();
        let (main, bodies) = words::split(&c.source, &removed);
        let doc = Document::parse(&c.xml).unwrap();
        let reading = teikit::tei::text::reading_text(&doc, false);
        let a = words::words(&main);
        let b = words::words(&reading);
        if a != b {
            let (ar, br): (Vec<&str>, Vec<&str>) = (
                a.iter().map(String::as_str).collect(),
                b.iter().map(String::as_str).collect(),
            );
            let diff = similar::TextDiff::from_slices(&ar, &br)
                .unified_diff()
                .header("source", "edition")
                .to_string();
            panic!("{}: words differ\n{diff}", c.name);
        }
        let notes: Vec<Vec<String>> = text_notes(&doc)
            .into_iter()
            .map(|n| words::words(&n.text_content()))
            .collect();
        let bodies: Vec<Vec<String>> = bodies.iter().map(|b| words::words(b)).collect();
        assert_eq!(
            bodies, notes,
            "{}: note bodies differ from the notes",
            c.name
        );
    }
}

fn descendants<'a>(doc: &'a Document, local: &str) -> Vec<Node<'a>> {
    doc.root_element()
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().local == local)
        .collect()
}

/// Notes in `text` (not the header's).
fn text_notes(doc: &Document) -> Vec<Node<'_>> {
    descendants(doc, "note")
        .into_iter()
        .filter(|n| n.ancestors().any(|a| a.tag_name().local == "text"))
        .collect()
}

fn attr<'a>(n: &Node<'a>, local: &str) -> Option<&'a str> {
    n.attribute(None, local)
}

fn xml_attr<'a>(n: &Node<'a>, local: &str) -> Option<&'a str> {
    n.attribute(Some(teikit::xml::XML_NS), local)
}

fn find(all: &[Converted], stem: &str) -> Option<Document> {
    all.iter()
        .find(|c| c.name.starts_with(stem))
        .map(|c| Document::parse(&c.xml).unwrap())
}

#[test]
fn serge_gaps_supplied_and_print_source() {
    let all = all();
    let Some(doc) = find(&all, "serge-1959") else {
        return;
    };
    let gaps = descendants(&doc, "gap");
    assert_eq!(gaps.len(), 7);
    assert!(gaps.iter().all(|g| attr(g, "reason") == Some("damage")));
    let sup = descendants(&doc, "supplied");
    assert_eq!(sup.len(), 1);
    assert_eq!(attr(&sup[0], "reason"), Some("damage"));
    assert_eq!(sup[0].text_content(), "was another man who");
    let print = descendants(&doc, "bibl")
        .into_iter()
        .find(|b| attr(b, "type") == Some("print"))
        .expect("print bibl");
    let journal = print
        .descendants()
        .find(|n| n.tag_name().local == "title" && attr(n, "level") == Some("j"))
        .unwrap();
    assert_eq!(journal.text_content(), "Fourth International");
    let scope = |unit: &str| {
        print
            .descendants()
            .find(|n| n.tag_name().local == "biblScope" && attr(n, "unit") == Some(unit))
            .unwrap()
    };
    assert_eq!(scope("issue").text_content(), "7");
    let pages = scope("page");
    assert_eq!(
        (attr(&pages, "from"), attr(&pages, "to")),
        (Some("25"), Some("26"))
    );
    let date = print
        .descendants()
        .find(|n| n.tag_name().local == "date")
        .unwrap();
    assert_eq!(date.text_content(), "Autumn 1959");
    assert_eq!(attr(&date, "when"), Some("1959"));
    let transcriber = descendants(&doc, "respStmt").into_iter().any(|r| {
        r.text_content().contains("Einde O’Callaghan") && r.text_content().contains("Transcribed")
    });
    assert!(transcriber, "transcriber credited");
}

#[test]
fn reiss_letter_notes_and_forum_wrapper() {
    let all = all();
    let Some(doc) = find(&all, "reiss-1937") else {
        return;
    };
    let letters: Vec<_> = descendants(&doc, "div")
        .into_iter()
        .filter(|d| attr(d, "type") == Some("letter"))
        .collect();
    assert_eq!(letters.len(), 1);
    let l = letters[0];
    let signed = l
        .descendants()
        .find(|n| n.tag_name().local == "signed")
        .expect("signed");
    assert_eq!(signed.parent_element().unwrap().tag_name().local, "closer");
    let ps = l
        .descendants()
        .find(|n| n.tag_name().local == "postscript")
        .expect("postscript");
    assert!(
        ps.descendants()
            .any(|n| n.tag_name().local == "date" && attr(&n, "when").is_some()),
        "dated postscript"
    );
    let notes = text_notes(&doc);
    let ns: Vec<&str> = notes.iter().filter_map(|n| attr(n, "n")).collect();
    assert_eq!(ns, vec!["1", "2", "3"]);
    assert!(
        notes
            .iter()
            .all(|n| n.parent_element().unwrap().tag_name().local == "p"),
        "notes inline in paragraphs"
    );
    let text = teikit::tei::text::reading_text(&doc, true);
    for forum in [
        "Any message or comments?",
        "Who are you?",
        "Forum 53183",
        "by Reiss",
    ] {
        assert!(!text.contains(forum), "forum wrapper in the text: {forum}");
    }
    let cd = descendants(&doc, "correspDesc");
    assert_eq!(cd.len(), 1);
}

#[test]
fn barta_letters_notes_translation() {
    let all = all();
    let Some(doc) = find(&all, "barta-sedova") else {
        return;
    };
    let letters: Vec<_> = descendants(&doc, "div")
        .into_iter()
        .filter(|d| attr(d, "type") == Some("letter"))
        .collect();
    assert_eq!(letters.len(), 11);
    let cds = descendants(&doc, "correspDesc");
    assert_eq!(cds.len(), 11);
    let iso = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    for (l, cd) in letters.iter().zip(&cds) {
        let id = xml_attr(l, "id").unwrap();
        assert_eq!(attr(cd, "ref"), Some(format!("#{id}").as_str()));
        let sent = cd
            .children()
            .find(|a| a.is_element() && attr(a, "type") == Some("sent"))
            .unwrap();
        let date = sent
            .children()
            .find(|n| n.is_element() && n.tag_name().local == "date")
            .unwrap_or_else(|| panic!("{id}: no date"));
        assert!(iso.is_match(attr(&date, "when").unwrap()), "{id}");
        assert!(
            cd.children()
                .any(|a| a.is_element() && attr(&a, "type") == Some("received")),
            "{id}: no addressee"
        );
    }
    let notes = text_notes(&doc);
    let ns: Vec<&str> = notes.iter().filter_map(|n| attr(n, "n")).collect();
    assert_eq!(ns, vec!["*", "**"]);
    assert!(
        notes
            .iter()
            .all(|n| n.parent_element().unwrap().tag_name().local == "p")
    );
    let links = descendants(&doc, "link");
    assert_eq!(links.len(), 1);
    let targets = attr(&links[0], "target").unwrap();
    let ids: Vec<&str> = targets.split(' ').map(|t| &t[1..]).collect();
    let ps: Vec<_> = descendants(&doc, "p")
        .into_iter()
        .filter(|p| xml_attr(p, "id").is_some_and(|i| ids.contains(&i)))
        .collect();
    assert_eq!(ps.len(), 2);
    let langs: Vec<&str> = ps.iter().filter_map(|p| xml_attr(p, "lang")).collect();
    assert_eq!(langs, vec!["fr", "en"]);
    assert_eq!(
        attr(&ps[0], "corresp"),
        Some(format!("#{}", ids[1]).as_str())
    );
    assert_eq!(
        attr(&ps[1], "corresp"),
        Some(format!("#{}", ids[0]).as_str())
    );
    let translator = descendants(&doc, "respStmt").into_iter().any(|r| {
        r.parent_element().unwrap().tag_name().local == "titleStmt"
            && r.text_content().contains("Translation")
            && r.text_content().contains("Ted Crawford")
    });
    assert!(translator, "translator credited");
}
