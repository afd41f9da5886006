//! Authority ids are well-formed for their type (RUL015, RUL016).
//!
//! ENCODING A5: `idno type="wikidata|VIAF|GND|geonames"` holds the full URI of the entity.
//! The type is matched case-insensitively (`viaf`, `GeoNames` occur in the wild); other types
//! are not checked.

use std::sync::OnceLock;

use regex::Regex;

use super::codes;
use super::index::Context;
use super::is_tei_element;
use crate::diag::Diagnostic;

/// An authority file teikit knows the identifier forms of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// Wikidata items: `https://www.wikidata.org/entity/Q33391`.
    Wikidata,
    /// VIAF clusters: `https://viaf.org/viaf/17225329`.
    Viaf,
    /// The GND: `https://d-nb.info/gnd/118624032`.
    Gnd,
    /// GeoNames features: `https://www.geonames.org/2988507`.
    GeoNames,
}

impl Authority {
    /// The authority an `idno/@type` names, if any (case-insensitive).
    pub fn from_type(t: &str) -> Option<Self> {
        match t.trim().to_ascii_lowercase().as_str() {
            "wikidata" => Some(Authority::Wikidata),
            "viaf" => Some(Authority::Viaf),
            "gnd" => Some(Authority::Gnd),
            "geonames" => Some(Authority::GeoNames),
            _ => None,
        }
    }

    /// The canonical URI of an identifier of this authority.
    pub fn uri(self, id: &str) -> String {
        match self {
            Authority::Wikidata => format!("https://www.wikidata.org/entity/{id}"),
            Authority::Viaf => format!("https://viaf.org/viaf/{id}"),
            Authority::Gnd => format!("https://d-nb.info/gnd/{id}"),
            Authority::GeoNames => format!("https://www.geonames.org/{id}"),
        }
    }

    /// The form of an identifier, as a regular expression (without anchors).
    fn id_pattern(self) -> &'static str {
        match self {
            Authority::Wikidata => r"Q[1-9][0-9]*",
            Authority::Viaf => r"[1-9][0-9]*",
            // GND numbers as the GND documents them (persons, corporate bodies, older records).
            Authority::Gnd => {
                r"1[012]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]|3[0-9]{7}[0-9X]"
            }
            Authority::GeoNames => r"[1-9][0-9]*",
        }
    }

    /// URI forms accepted for this authority (http or https, with the usual host variants).
    fn uri_pattern(self) -> &'static str {
        match self {
            Authority::Wikidata => r"https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/",
            Authority::Viaf => r"https?://(?:www\.)?viaf\.org/viaf/",
            Authority::Gnd => r"https?://d-nb\.info/gnd/",
            Authority::GeoNames => r"https?://(?:www\.|sws\.)?geonames\.org/",
        }
    }

    fn regexes(self) -> &'static (Regex, Regex) {
        static CELLS: [OnceLock<(Regex, Regex)>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        CELLS[self as usize].get_or_init(|| {
            let id = self.id_pattern();
            // GeoNames URIs are often cited with a trailing page name: /2988507/paris.html.
            let tail = if self == Authority::GeoNames {
                r"(?:/[^/\s]*)?"
            } else {
                "/?"
            };
            (
                Regex::new(&format!("^(?:{})(?:{id}){tail}$", self.uri_pattern()))
                    .expect("valid regex"),
                Regex::new(&format!("^(?:{id})$")).expect("valid regex"),
            )
        })
    }

    /// Checks an identifier value: `Ok(())` for a well-formed URI, `Err(Some(uri))` for a bare
    /// id whose URI is `uri`, `Err(None)` for anything else.
    pub fn check(self, value: &str) -> Result<(), Option<String>> {
        let v = value.trim();
        let (uri, bare) = self.regexes();
        if uri.is_match(v) {
            Ok(())
        } else if bare.is_match(v) {
            Err(Some(self.uri(v)))
        } else {
            Err(None)
        }
    }

    fn example(self) -> &'static str {
        match self {
            Authority::Wikidata => "https://www.wikidata.org/entity/Q33391",
            Authority::Viaf => "https://viaf.org/viaf/17225329",
            Authority::Gnd => "https://d-nb.info/gnd/118624032",
            Authority::GeoNames => "https://www.geonames.org/2988507",
        }
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for el in cx.tei_elements() {
        if !is_tei_element(&el, "idno") {
            continue;
        }
        let Some(t) = el.attribute(None, "type") else {
            continue;
        };
        let Some(auth) = Authority::from_type(t) else {
            continue;
        };
        // Only simple content: an idno with child elements is not an identifier string.
        if el.children().any(|c| c.is_element()) {
            continue;
        }
        let value = el.text_content();
        let Err(e) = auth.check(&value) else {
            continue;
        };
        let span = content_span(&el);
        let shown = value.trim();
        out.push(match e {
            Some(uri) => Diagnostic::new(
                &codes::BARE_AUTHORITY_ID,
                format!("idno type=\"{t}\" holds the bare id \"{shown}\"; expected its URI \"{uri}\""),
            )
            .at(cx.file, span),
            None => Diagnostic::new(
                &codes::MALFORMED_AUTHORITY_ID,
                format!(
                    "idno type=\"{t}\" holds \"{shown}\", which is not a {t} identifier; expected a URI like \"{}\"",
                    auth.example()
                ),
            )
            .at(cx.file, span),
        });
    }
}

/// The span of an element's content without surrounding whitespace (its start tag when empty).
fn content_span(el: &crate::xml::Node<'_>) -> std::ops::Range<usize> {
    let start = el.start_tag_range().end;
    let end = el.end_tag_range().start;
    if start >= end {
        return el.start_tag_range();
    }
    let text = &el.document().text()[start..end];
    let lead = text.len() - text.trim_start().len();
    let trail = text.len() - text.trim_end().len();
    if lead + trail >= text.len() {
        return el.start_tag_range();
    }
    start + lead..end - trail
}

#[cfg(test)]
mod tests {
    use super::Authority::*;

    #[test]
    fn authority_forms() {
        assert_eq!(
            Wikidata.check("https://www.wikidata.org/entity/Q33391"),
            Ok(())
        );
        assert_eq!(
            Wikidata.check("http://www.wikidata.org/wiki/Q33391"),
            Ok(())
        );
        assert_eq!(
            Wikidata.check("Q855"),
            Err(Some("https://www.wikidata.org/entity/Q855".into()))
        );
        assert_eq!(
            Wikidata.check("https://www.wikidata.org/entity/P31"),
            Err(None)
        );
        assert_eq!(
            Wikidata.check("https://www.wikidata.org/entity/LOOKUP-Sedova"),
            Err(None)
        );
        assert_eq!(Viaf.check("https://viaf.org/viaf/17225329/"), Ok(()));
        assert_eq!(Viaf.check("https://viaf.org/viaf/Q1"), Err(None));
        assert_eq!(Gnd.check("https://d-nb.info/gnd/118624032"), Ok(()));
        assert_eq!(Gnd.check("https://d-nb.info/gnd/4005728-8"), Ok(()));
        assert_eq!(Gnd.check("https://d-nb.info/gnd/abc"), Err(None));
        assert_eq!(GeoNames.check("https://www.geonames.org/2988507"), Ok(()));
        assert_eq!(GeoNames.check("http://sws.geonames.org/2988507/"), Ok(()));
        assert_eq!(
            GeoNames.check("https://www.geonames.org/2988507/paris.html"),
            Ok(())
        );
        assert_eq!(GeoNames.check("https://www.geonames.org/paris"), Err(None));
        assert_eq!(
            GeoNames.check(" 2988507 "),
            Err(Some("https://www.geonames.org/2988507".into()))
        );
    }
}
