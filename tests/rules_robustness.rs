//! The integrity rules on hostile input: deep nesting stays linear, arbitrary attribute values
//! never panic.

use proptest::prelude::*;
use teikit::diag::FileId;
use teikit::rules::{self, RuleOptions};
use teikit::xml::Document;

/// `depth` nested divisions, each with a note, a language, a translation pair pointing to the
/// innermost level, and a link per level in a translation linkGrp.
fn deep(depth: usize) -> String {
    let mut s = String::from("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body>");
    for i in 0..depth {
        s.push_str(&format!(
            "<div xml:lang='l{}' xml:id='d{i}' corresp='#d{}'><note n='1'/><note n='1'/>",
            i % 3,
            depth - 1 - i
        ));
    }
    for _ in 0..depth {
        s.push_str("</div>");
    }
    s.push_str("</body></text><standOff><linkGrp type='translation'>");
    for i in 0..depth {
        s.push_str(&format!("<link target='#d{i} #d{}'/>", depth - 1 - i));
    }
    s.push_str("</linkGrp></standOff></TEI>");
    s
}

#[test]
fn deep_nesting_is_checked_in_linear_time() {
    let depth = 5_000;
    let text = deep(depth);
    let doc = Document::parse(&text).expect("the reader accepts this depth");
    let start = std::time::Instant::now();
    let d = rules::check(&doc, FileId(0), &RuleOptions::default());
    let took = start.elapsed();
    // One duplicate note number per level.
    assert_eq!(d.iter().filter(|d| d.code.id == "RUL011").count(), depth);
    // Quadratic walks up the ancestors would take minutes here; linear ones take milliseconds.
    assert!(took.as_secs() < 20, "rules took {took:?} on {depth} levels");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn arbitrary_values_never_panic(
        when in ".{0,24}",
        ptr in "[#a-z0-9: /.\\-]{0,24}",
        n in ".{0,4}",
        idno in ".{0,40}",
        ty in "(wikidata|VIAF|GND|geonames|gnd|x)",
    ) {
        let text = format!(
            "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader><encodingDesc><listPrefixDef>\
             <prefixDef ident='p' matchPattern='{p}' replacementPattern='#$1'/></listPrefixDef></encodingDesc>\
             <profileDesc><correspDesc ref='{ptr}'/></profileDesc></teiHeader><text><body>\
             <div type='letter' xml:id='L1'><p xml:lang='fr' xml:id='a' corresp='{ptr}'>\
             <date when='{w}' notBefore='{w}' notAfter='1947' from='{w}' to='{w}'/>\
             <note n='{n}'/><note n='{n}'/><persName ref='{ptr} #a'/></p></div></body></text>\
             <standOff><listPerson><person xml:id='x'><idno type='{ty}'>{i}</idno></person></listPerson>\
             <linkGrp type='translation'><link target='{ptr} #a'/></linkGrp></standOff></TEI>",
            p = escape(&ptr), ptr = escape(&ptr), w = escape(&when), n = escape(&n),
            i = escape(&idno).replace('>', "&gt;"), ty = ty,
        );
        if let Ok(doc) = Document::parse(&text) {
            let d = rules::check(&doc, FileId(0), &RuleOptions::default());
            for x in &d {
                let span = x.primary.as_ref().map(|l| l.span.clone()).unwrap_or(0..0);
                prop_assert!(span.end <= text.len() && span.start <= span.end);
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
    }
}
