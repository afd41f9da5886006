//! Unit tests of the RELAX NG module on small inline schemas.

use super::*;

const RNG: &str = "xmlns=\"http://relaxng.org/ns/structure/1.0\"";

fn load(schema: &str) -> Result<Schema, Vec<Diagnostic>> {
    let mut l = MemLoader::new();
    l.add("s.rng", schema);
    let files = Files::new();
    Schema::load("s.rng", &mut l, &files)
}

fn errors(schema: &Schema, doc: &str) -> Vec<String> {
    let files = Files::new();
    let f = files.add("d.xml", doc);
    let d = xml::Document::parse(doc).unwrap();
    schema
        .validate(&d, f, &Options::default())
        .into_iter()
        .map(|d| d.message)
        .collect()
}

#[test]
fn schema_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Schema>();
}

#[test]
fn simple_element() {
    let s = load(&format!(
        "<element name=\"a\" {RNG}><zeroOrMore><element name=\"b\"><text/></element></zeroOrMore></element>"
    ))
    .unwrap();
    assert!(errors(&s, "<a><b>x</b><b/></a>").is_empty());
    let e = errors(&s, "<a><c/></a>");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("\"c\" not allowed anywhere"), "{e:?}");
}

#[test]
fn includes_resolve_relative_to_the_including_file() {
    let mut l = MemLoader::new();
    l.add(
        "main.rng",
        format!("<grammar {RNG}><include href=\"lib/a.rng\"><define name=\"x\"><element name=\"x\"><empty/></element></define></include><start><ref name=\"top\"/></start></grammar>"),
    );
    l.add(
        "lib/a.rng",
        format!("<grammar {RNG}><include href=\"b.rng\"/><define name=\"x\"><element name=\"old\"><empty/></element></define></grammar>"),
    );
    l.add(
        "lib/b.rng",
        format!("<grammar {RNG}><define name=\"top\"><element name=\"top\"><ref name=\"x\"/></element></define></grammar>"),
    );
    let files = Files::new();
    let s = Schema::load("main.rng", &mut l, &files).unwrap();
    assert!(errors(&s, "<top><x/></top>").is_empty());
    let e = errors(&s, "<top><old/></top>");
    assert!(e[0].contains("\"old\" not allowed anywhere"), "{e:?}");
}

#[test]
fn include_override_must_replace_something() {
    let mut l = MemLoader::new();
    l.add(
        "main.rng",
        format!("<grammar {RNG}><include href=\"a.rng\"><define name=\"nope\"><empty/></define></include></grammar>"),
    );
    l.add(
        "a.rng",
        format!("<grammar {RNG}><start><element name=\"a\"><empty/></element></start></grammar>"),
    );
    let files = Files::new();
    let e = Schema::load("main.rng", &mut l, &files).unwrap_err();
    assert_eq!(e[0].code.id, "RNG010", "{e:?}");
    assert!(e[0].message.contains("\"nope\""), "{e:?}");
}

#[test]
fn refs_outside_the_schema_folder_are_refused_before_any_io() {
    struct Panicky;
    impl Loader for Panicky {
        fn locate(&mut self, _: &str) -> Result<String, LoadError> {
            Ok("file:///schemas/s.rng".into())
        }
        fn load(&mut self, uri: &str) -> Result<Resource, LoadError> {
            if uri == "file:///schemas/s.rng" {
                return Ok(Resource {
                    bytes: format!(
                        "<grammar {RNG}><include href=\"../secret.rng\"/><include href=\"http://example.com/x.rng\"/><include href=\"sub/%2e%2e/%2E%2E/secret.rng\"/><start><element name=\"a\"><empty/></element></start></grammar>"
                    )
                    .into_bytes(),
                    display_name: "s.rng".into(),
                });
            }
            panic!("the library asked for {uri}");
        }
    }
    let files = Files::new();
    let e = Schema::load("s.rng", &mut Panicky, &files).unwrap_err();
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e.iter().all(|d| d.code.id == "RNG003"), "{e:?}");
}

#[test]
fn fs_loader_confines_reads_to_the_root() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("schemas");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(t.path().join("secret.rng"), "root:x:0:0").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path().join("secret.rng"), root.join("link.rng")).unwrap();
    let mut l = FsLoader::with_root(&root).unwrap();
    let secret = format!("file://{}", t.path().join("secret.rng").display());
    let e = l.load(&secret).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::Refused);
    assert!(!e.message.contains("root:x"));
    #[cfg(unix)]
    {
        let link = format!("file://{}", root.join("link.rng").display());
        assert_eq!(l.load(&link).unwrap_err().kind, LoadErrorKind::Refused);
    }
    assert_eq!(
        l.load("http://example.com/a.rng").unwrap_err().kind,
        LoadErrorKind::Refused
    );
    let encoded = format!("file://{}/%2E%2E/secret.rng", root.display());
    assert_eq!(l.load(&encoded).unwrap_err().kind, LoadErrorKind::Refused);
}

#[test]
fn ids_are_checked_unless_turned_off() {
    let schema = format!(
        "<element name=\"a\" {RNG} datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\"><zeroOrMore><element name=\"b\"><attribute name=\"id\"><data type=\"ID\"/></attribute><optional><attribute name=\"ref\"><data type=\"IDREF\"/></attribute></optional></element></zeroOrMore></element>"
    );
    let s = load(&schema).unwrap();
    assert!(s.checks_ids());
    assert!(errors(&s, "<a><b id='x'/><b id='y' ref='x'/></a>").is_empty());
    let e = errors(&s, "<a><b id='x'/><b id='x' ref='z'/></a>");
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].contains("ID \"x\" has already been defined"));
    assert!(e[1].contains("IDREF \"z\" without matching ID"));
    // An ID outside an attribute: not DTD-compatible, fine without the checks.
    let bad = format!(
        "<element name=\"a\" {RNG} datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\"><data type=\"ID\"/></element>"
    );
    assert_eq!(load(&bad).unwrap_err()[0].code.id, "RNG025");
    let mut l = MemLoader::new();
    l.add("s.rng", bad.as_str());
    let files = Files::new();
    let opts = LoadOptions {
        dtd_compatibility: false,
    };
    let s = Schema::load_with("s.rng", &mut l, &files, &opts).unwrap();
    assert!(!s.checks_ids());
}

#[test]
fn one_validator_many_documents_and_threads_agree() {
    let s = load(&format!(
        "<grammar {RNG}><start><ref name=\"d\"/></start><define name=\"d\"><element name=\"d\"><interleave><zeroOrMore><element name=\"x\"><text/></element></zeroOrMore><optional><element name=\"y\"><empty/></element></optional></interleave></element></define></grammar>"
    ))
    .unwrap();
    let docs = [
        "<d><x/><y/><x>t</x></d>",
        "<d><y/><y/></d>",
        "<d><z/></d>",
        "<d>text</d>",
        "<d/>",
    ];
    let files = Files::new();
    let run = |v: &mut Validator<'_>| -> Vec<Vec<String>> {
        docs.iter()
            .map(|t| {
                let f = files.add("d.xml", *t);
                let doc = xml::Document::parse(t).unwrap();
                v.validate(&doc, f, &Options::default())
                    .into_iter()
                    .map(|d| d.message)
                    .collect()
            })
            .collect()
    };
    let mut v = s.validator();
    let first = run(&mut v);
    assert_eq!(
        run(&mut v),
        first,
        "a reused validator gives the same results"
    );
    let from_threads: Vec<Vec<Vec<String>>> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..4)
            .map(|_| sc.spawn(|| run(&mut s.validator())))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in from_threads {
        assert_eq!(r, first);
    }
    assert!(first[0].is_empty() && first[4].is_empty(), "{first:?}");
    assert_eq!(first[1].len(), 1, "{first:?}");
    assert_eq!(first[2].len(), 1, "{first:?}");
    assert_eq!(first[3].len(), 1, "{first:?}");
}

#[test]
fn max_errors_stops_early() {
    let s = load(&format!("<element name=\"a\" {RNG}><empty/></element>")).unwrap();
    let files = Files::new();
    let text = "<a><b/><c/><d/><e/></a>";
    let f = files.add("d.xml", text);
    let doc = xml::Document::parse(text).unwrap();
    let all = s.validate(&doc, f, &Options::default());
    assert_eq!(all.len(), 4);
    let two = s.validate(&doc, f, &Options { max_errors: 2 });
    assert_eq!(two.len(), 2);
}

#[test]
fn long_value_lists_are_cut() {
    let values: String = (0..1000).map(|i| format!("<value>v{i}</value>")).collect();
    let s = load(&format!(
        "<element name=\"a\" {RNG}><choice>{values}</choice></element>"
    ))
    .unwrap();
    let e = errors(&s, "<a>nope</a>");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].contains("or one of 500 others"),
        "{}",
        &e[0][e[0].len() - 80..]
    );
}
