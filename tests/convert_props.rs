//! Property tests: the converter never panics, always writes well-formed TEI, and keeps
//! every word that it does not report as removed.

mod common;
#[path = "support/house.rs"]
mod house;
#[path = "support/words.rs"]
mod words;

use proptest::prelude::*;

use teikit::diag::{Diagnostic, FileId};
use teikit::transcription::{self, Options};
use teikit::xml::Document;

fn convert(text: &str) -> (String, Vec<Diagnostic>) {
    let opts = Options {
        file_name: "prop.txt",
        ..Default::default()
    };
    let (ed, diags) = transcription::convert(text, FileId(0), &opts);
    (teikit::tei::write(&ed), diags)
}

/// Lines in the shapes transcriptions use, mixed with arbitrary text.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(String::new()),
        "[A-Z][a-z]{2,8}( [a-z]{1,8}){3,25}[.!?]",
        "[A-Z][a-z]{2,8}( [a-z]{1,8}){2,10} \\[(\\.\\.\\.|…)\\]( [a-z]{1,8}){1,6}\\.",
        "[A-Z][a-z]{2,8} [a-z]{2,8} \\[[A-Za-z ]{1,20}\\] [a-z]{2,8}\\.",
        "[A-Z]\\[[a-z]{2,6}\\] [A-Z][a-z]{3,8} said\\.",
        "[A-Z][a-z]{2,8}( [a-z]{1,8}){2,8} ?\\[(1|2|3|\\*|\\*\\*|1\\*)\\]( [a-z]{1,8}){1,6}\\.",
        "\\[(1|2|3|\\*|\\*\\*|1\\*)\\] [A-Z][a-z]{2,8}( [a-z]{1,8}){1,8}\\.",
        "(Dear|My dear|Chers) [a-z]{3,8}( [A-Z][a-z]{2,8})?,",
        "(P\\.S\\.|PS\\.1\\.|N\\.B\\.|Address :) [A-Z][a-z]{2,8}( [a-z]{1,8}){1,8}\\.",
        "[A-Z][a-z]{3,8}, [1-2]?[0-9](th|st)? (January|March|July|December) 19[0-9]{2}",
        "[A-Z][a-z]{3,8}, [1-2]?[0-9]\\.[1-9]\\.[0-9]{2}",
        "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8} to (the )?[A-Z][a-z]{3,8}( [A-Z][a-z]{3,8})?",
        "(fraternal greetings|Yours fraternally,|With communist greetings,)",
        "[A-Z]\\. [A-Z][a-z]{3,8}",
        "[A-Z][a-z]{2,8} (Index|Archive) \\| [A-Z][a-z]{2,8} Index",
        "(Top of page|Any message or comments\\?|Last updated on 3 May 2004)",
        "(Written|Translation|Transcription): [A-Z][a-z]{2,8} [A-Z][a-z]{2,8}",
        "From [A-Z][a-z]{3,8} [A-Z][a-z]{3,8}, No\\. [0-9], (Spring|Autumn) 19[0-9]{2}, pp\\. [0-9]{2}–[0-9]{2}\\.",
        "Dear Comrade [A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?[,:]",
        "(for|For) the [A-Z][a-z]{3,8}( [A-Z][a-z]{3,8})?",
        "to (the )?[A-Z][a-z]{3,8}( [A-Z][a-z]{3,8})?",
        "[A-Z][a-z]{3,8}( \\[[A-Z][a-z]{3,8}\\])?, (Sunday )?[1-2]?[0-9] May 19[0-9]{2}",
        "\\[[A-Z][a-z]{3,8},\\] [1-2]?[0-9] May 19[0-9]{2}",
        "(Sunday|Lundi), [1-2]?[0-9] May 19[0-9]{2}",
        "[A-Z]\\.[A-Z]\\.",
        "[A-Z][a-z]{3,8} [A-Z][a-z]{3,8} to [A-Z][a-z]{3,8} [A-Z][a-z]{3,8} and [A-Z][a-z]{3,8} [A-Z][a-z]{3,8}",
        "[A-Z][a-z]{3,8} [A-Z]\\[[a-z]{2,6}\\] to [A-Z][a-z]{3,8}",
        "[A-Z][a-z]{2,8}( [a-z]{1,8}){2,8} (the )?[A-Z][a-z]{3,8}( [A-Z][a-z]{3,8})?( [a-z]{1,8}){1,6}\\.",
        "[^\\[\\]\\p{C}]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Arbitrary input (control characters, brackets, anything): no panic, and what is
    /// written is well-formed XML.
    #[test]
    fn any_input_gives_well_formed_tei(s in any::<String>()) {
        let (xml, _) = convert(&s);
        prop_assert!(Document::parse(&xml).is_ok(), "not well-formed:\n{xml}");
    }

    /// Transcription-shaped input: every word not reported as removed is in the reading
    /// text (notes included).
    #[test]
    fn words_are_kept(lines in prop::collection::vec(line(), 1..40), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let (xml, diags) = convert(&text);
        let doc = Document::parse(&xml);
        prop_assert!(doc.is_ok(), "not well-formed:\n{xml}");
        if diags.iter().any(Diagnostic::is_error) {
            return Ok(());
        }
        let removed: Vec<_> = diags
            .iter()
            .filter(|d| matches!(d.code.id, "CNV010" | "CNV011" | "CNV012"))
            .filter_map(|d| d.primary.as_ref().map(|l| l.span.clone()))
            .collect();
        let mut a = words::words(&words::without(&text, removed));
        let mut b = words::words(&teikit::tei::text::reading_text(&doc.unwrap(), true));
        a.sort();
        b.sort();
        prop_assert_eq!(a, b, "source:\n{}\n\nTEI:\n{}", text, xml);
    }
}

thread_local! {
    static HOUSE: house::House = house::House::load("convert output valid (property)", true);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Whatever a transcription-shaped input holds, an edition converted without errors is
    /// valid against the house schema and tei_all and passes the integrity rules: every
    /// name has its register entry, every letter its correspDesc, ids are unique.
    #[test]
    fn output_is_valid_for_any_source(lines in prop::collection::vec(line(), 1..40)) {
        let text = lines.join("\n");
        let (xml, diags) = convert(&text);
        if diags.iter().any(Diagnostic::is_error) {
            return Ok(());
        }
        let problems = HOUSE.with(|h| h.problems("prop.xml", &xml));
        prop_assert!(problems.is_empty(), "{}\n\nsource:\n{}\n\nTEI:\n{}", problems.join("\n"), text, xml);
    }
}

#[test]
fn regressions() {
    for s in [
        "",
        "[",
        "]",
        "[[[]]]",
        "\u{0}",
        "\r",
        "\r\r\n\n",
        "[1]",
        "[1] x",
        "x [1]\n\n[1]",
        "Dear X,",
        "A to B\n\nParis, 1 May 1947\n\nDear X,\n\nText.\n\nL. T.\n\nP.S.",
        "Home | Index\n\nTop of page",
        "P.S.: \n\nAddress :",
        "\u{FFFE}\u{FFFF}\u{1b}[0m",
        "Written: 1946 through 1949\n\n28.1.47\n\n20/XII.",
        "31 February 1947\n\nParis, 31 February 1947\n\nDear X,",
    ] {
        let (xml, _) = convert(s);
        assert!(Document::parse(&xml).is_ok(), "{s:?}:\n{xml}");
    }
}
