//! Editions → one CMIF file.

use std::collections::{BTreeSet, HashMap};

use super::codes;
use super::write::Writer;
use crate::diag::{Diagnostic, FileId};
use crate::rules::{Authority, parse_w3c};
use crate::xml::{Document, Node, TEI_NS, XML_NS};

/// The licence of the CMIF file (CMIF allows these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub enum Licence {
    /// Creative Commons Attribution 4.0.
    #[default]
    #[serde(rename = "CC-BY-4.0", alias = "cc-by", alias = "CC-BY")]
    CcBy4,
    /// Creative Commons Zero 1.0 (public domain dedication).
    #[serde(rename = "CC0-1.0", alias = "cc0", alias = "CC0")]
    Cc0,
}

impl Licence {
    /// The licence URL for `licence/@target`.
    pub fn url(self) -> &'static str {
        match self {
            Licence::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Licence::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    }

    /// The licence statement.
    pub fn statement(self) -> &'static str {
        match self {
            Licence::CcBy4 => {
                "This file is licensed under the terms of the Creative Commons License CC-BY 4.0"
            }
            Licence::Cc0 => {
                "This file is dedicated to the public domain under the Creative Commons CC0 1.0 Universal Public Domain Dedication"
            }
        }
    }
}

/// What goes into the CMIF header, and how letter URLs are built.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CmifOptions {
    /// `titleStmt/title`; default: "Letters of " followed by the editions' titles.
    #[serde(default)]
    pub title: Option<String>,
    /// `titleStmt/editor`: the contact person.
    pub editor: String,
    /// `titleStmt/editor/email`.
    #[serde(default)]
    pub editor_email: Option<String>,
    /// `publicationStmt/publisher`.
    pub publisher: String,
    /// A URL for the publisher (`publisher/ref/@target`).
    #[serde(default)]
    pub publisher_url: Option<String>,
    /// The URL where the CMIF file itself is published (`publicationStmt/idno type="url"`).
    /// Also the namespace of the editions' bibl UUIDs.
    pub file_url: String,
    /// The licence.
    #[serde(default)]
    pub licence: Licence,
    /// `publicationStmt/date/@when` (a W3C date or date-time). Default: the editions' latest
    /// `revisionDesc/change/@when` or `publicationStmt/date/@when`.
    #[serde(default)]
    pub date: Option<String>,
    /// The URL of a letter, as a template: `{edition}` is replaced by the edition's name and
    /// `{id}` by the letter's `xml:id`; without `{id}` the id is appended
    /// (`https://example.org/letters.html#` + `L01`).
    pub letter_url: String,
}

/// One edition to export.
#[derive(Debug, Clone, Copy)]
pub struct Edition<'a> {
    /// The parsed edition.
    pub doc: &'a Document,
    /// The id of its text in the caller's [`crate::diag::Files`].
    pub file: FileId,
    /// Its name: the file stem (`barta-sedova-letters-1946-1949`); used in letter URLs and in
    /// the bibl UUID.
    pub name: &'a str,
}

/// The result of [`export`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The CMIF document.
    pub xml: String,
    /// Number of letters (`correspDesc`) written.
    pub letters: usize,
}

/// The UUID of an edition's `bibl`: the first of the version 5 UUIDs in the URL namespace of
/// `"{file_url}#{edition}"`, `"{file_url}#{edition}#1"`, `"{file_url}#{edition}#2"` … that
/// starts with a letter — an `xml:id` cannot start with a digit.
pub fn bibl_uuid(file_url: &str, edition: &str) -> String {
    let name = format!("{file_url}#{edition}");
    (0u32..)
        .map(|i| {
            let n = if i == 0 {
                name.clone()
            } else {
                format!("{name}#{i}")
            };
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, n.as_bytes())
                .hyphenated()
                .to_string()
        })
        .find(|u| u.starts_with(|c: char| c.is_ascii_alphabetic()))
        .expect("some UUID starts with a letter")
}

/// A register entry of an edition: its preferred name and authority URIs.
struct Entry {
    name: String,
    uris: Vec<(Authority, String)>,
}

/// The elements of an edition the export reads, gathered once.
struct Source<'a> {
    ed: Edition<'a>,
    register: HashMap<&'a str, Entry>,
}

fn tei(n: &Node<'_>, local: &str) -> bool {
    n.has_tag_name(Some(TEI_NS), local)
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl<'a> Source<'a> {
    fn new(ed: Edition<'a>) -> Self {
        let mut register = HashMap::new();
        for n in ed.doc.descendants() {
            let kind = n.tag_name().local;
            if !(tei(&n, "person") || tei(&n, "org") || tei(&n, "place") || tei(&n, "personGrp")) {
                continue;
            }
            let Some(id) = n.attribute(Some(XML_NS), "id") else {
                continue;
            };
            let name_el = match kind {
                "place" => "placeName",
                "org" => "orgName",
                _ => "persName",
            };
            let names: Vec<Node<'_>> = n.element_children().filter(|c| tei(c, name_el)).collect();
            let preferred = names
                .iter()
                .find(|c| c.attribute(None, "type") == Some("preferred"))
                .or(names.first())
                .map(|c| normalize_space(&c.text_content()))
                .unwrap_or_default();
            let mut uris = Vec::new();
            for idno in n.element_children().filter(|c| tei(c, "idno")) {
                let Some(auth) = idno.attribute(None, "type").and_then(Authority::from_type) else {
                    continue;
                };
                let value = idno.text_content();
                match auth.check(&value) {
                    Ok(()) => uris.push((auth, value.trim().to_string())),
                    Err(Some(uri)) => uris.push((auth, uri)),
                    Err(None) => {}
                }
            }
            register.insert(
                id.trim(),
                Entry {
                    name: preferred,
                    uris,
                },
            );
        }
        Source { ed, register }
    }

    fn title(&self) -> String {
        self.ed
            .doc
            .descendants()
            .find(|n| tei(n, "title") && n.parent_element().is_some_and(|p| tei(&p, "titleStmt")))
            .map(|t| normalize_space(&t.text_content()))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| self.ed.name.to_string())
    }

    fn publisher(&self) -> Option<String> {
        self.ed
            .doc
            .descendants()
            .find(|n| {
                tei(n, "publisher")
                    && n.parent_element()
                        .is_some_and(|p| tei(&p, "publicationStmt"))
            })
            .map(|t| normalize_space(&t.text_content()))
            .filter(|t| !t.is_empty())
    }

    /// The latest date of the edition's revision history or publication statement.
    fn latest_date(&self) -> Option<(String, String)> {
        self.ed
            .doc
            .descendants()
            .filter(|n| {
                tei(n, "change")
                    || (tei(n, "date")
                        && n.parent_element()
                            .is_some_and(|p| tei(&p, "publicationStmt")))
            })
            .filter_map(|n| n.attribute(None, "when"))
            .filter_map(|w| {
                let v = parse_w3c(w).ok()?;
                let key = format!("{}{}", v.date_part()?, w.trim().get(10..).unwrap_or(""));
                Some((key, w.trim().to_string()))
            })
            .max()
    }

    /// The entity a pointer attribute names, if it is a local pointer into the register.
    fn entry(&self, el: &Node<'_>) -> Option<&Entry> {
        let r = el.attribute(None, "ref")?;
        r.split_whitespace()
            .filter_map(|t| t.strip_prefix('#'))
            .find_map(|id| self.register.get(id))
    }
}

struct Ctx<'o> {
    options: &'o CmifOptions,
    diags: Vec<Diagnostic>,
    /// (file, id) of entities already reported as lacking an authority URI.
    reported: BTreeSet<(u32, String)>,
}

/// Writes the CMIF file for these editions.
///
/// Diagnostics point into the editions (located on the elements that caused them); the export
/// goes on after each, so the result holds every letter that could be written.
pub fn export(editions: &[Edition<'_>], options: &CmifOptions) -> (Export, Vec<Diagnostic>) {
    let sources: Vec<Source<'_>> = editions.iter().map(|&e| Source::new(e)).collect();
    let mut cx = Ctx {
        options,
        diags: Vec::new(),
        reported: BTreeSet::new(),
    };
    let title = options.title.clone().unwrap_or_else(|| {
        let titles: Vec<String> = sources.iter().map(Source::title).collect();
        format!("Letters of {}", titles.join("; "))
    });
    let date = options.date.clone().or_else(|| {
        sources
            .iter()
            .filter_map(Source::latest_date)
            .max()
            .map(|(_, w)| w)
    });

    let mut w = Writer::new();
    w.open("TEI", &[("xmlns", TEI_NS)]);
    w.open("teiHeader", &[]);
    w.open("fileDesc", &[]);
    w.open("titleStmt", &[]);
    w.leaf("title", &[], &title);
    match &options.editor_email {
        Some(email) => w.leaf_with_child(
            "editor",
            &[],
            &format!("{} ", options.editor.trim()),
            ("email", &[], email.trim()),
        ),
        None => w.leaf("editor", &[], options.editor.trim()),
    }
    w.close("titleStmt");
    w.open("publicationStmt", &[]);
    match &options.publisher_url {
        Some(url) => {
            w.open("publisher", &[]);
            w.leaf("ref", &[("target", url.trim())], options.publisher.trim());
            w.close("publisher");
        }
        None => w.leaf("publisher", &[], options.publisher.trim()),
    }
    w.leaf("idno", &[("type", "url")], options.file_url.trim());
    match &date {
        Some(d) => w.leaf("date", &[("when", d.trim())], ""),
        None => {
            cx.diags.push(Diagnostic::new(
                &codes::NO_PUBLICATION_DATE,
                "no date for publicationStmt/date/@when: the editions have no revisionDesc/change/@when; expected a date option",
            ).with_help("pass --date YYYY-MM-DD (or --date now for the current time)"));
            w.leaf("date", &[], "");
        }
    }
    w.open("availability", &[]);
    w.leaf(
        "licence",
        &[("target", options.licence.url())],
        options.licence.statement(),
    );
    w.close("availability");
    w.close("publicationStmt");
    w.open("sourceDesc", &[]);
    let uuids: Vec<String> = sources
        .iter()
        .map(|s| bibl_uuid(options.file_url.trim(), s.ed.name))
        .collect();
    for (s, uuid) in sources.iter().zip(&uuids) {
        let mut desc = s.title();
        if let Some(p) = s.publisher() {
            desc = format!("{desc}. {p}");
        }
        w.leaf("bibl", &[("type", "online"), ("xml:id", uuid)], &desc);
    }
    w.close("sourceDesc");
    w.close("fileDesc");
    w.open("profileDesc", &[]);
    let mut letters = 0;
    for (s, uuid) in sources.iter().zip(&uuids) {
        let descs: Vec<Node<'_>> = s
            .ed
            .doc
            .descendants()
            .filter(|n| {
                tei(n, "correspDesc") && n.parent_element().is_some_and(|p| tei(&p, "profileDesc"))
            })
            .collect();
        if descs.is_empty() {
            cx.diags.push(
                Diagnostic::new(
                    &codes::NO_LETTERS,
                    format!(
                        "edition \"{}\" has no profileDesc/correspDesc; expected one per letter",
                        s.ed.name
                    ),
                )
                .at(s.ed.file, s.ed.doc.root_element().name_range()),
            );
        }
        for cd in descs {
            write_corresp_desc(&mut w, &mut cx, s, &cd, uuid);
            letters += 1;
        }
    }
    w.close("profileDesc");
    w.close("teiHeader");
    w.open("text", &[]);
    w.open("body", &[]);
    w.leaf("p", &[], "");
    w.close("body");
    w.close("text");
    w.close("TEI");
    let _ = cx.options;
    (
        Export {
            xml: w.finish(),
            letters,
        },
        cx.diags,
    )
}

fn letter_url(template: &str, edition: &str, id: &str) -> String {
    let t = template.trim().replace("{edition}", edition);
    if t.contains("{id}") {
        t.replace("{id}", id)
    } else {
        format!("{t}{id}")
    }
}

fn write_corresp_desc(w: &mut Writer, cx: &mut Ctx<'_>, s: &Source<'_>, cd: &Node<'_>, uuid: &str) {
    let file = s.ed.file;
    let letter = cd
        .attribute(None, "ref")
        .and_then(|r| r.split_whitespace().find_map(|t| t.strip_prefix('#')))
        .filter(|id| !id.is_empty());
    let mut attrs: Vec<(&str, String)> = Vec::new();
    match letter {
        Some(id) => attrs.push(("ref", letter_url(&cx.options.letter_url, s.ed.name, id))),
        None => cx.diags.push(
            Diagnostic::new(
                &codes::NO_LETTER_REF,
                "this correspDesc has no @ref=\"#…\" to its letter; expected a pointer to the letter's div, to build the letter's URL",
            )
            .at(file, cd.start_tag_range()),
        ),
    }
    attrs.push(("source", format!("#{uuid}")));
    let attr_refs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    w.open("correspDesc", &attr_refs);
    for kind in ["sent", "received"] {
        let actions: Vec<Node<'_>> = cd
            .element_children()
            .filter(|a| tei(a, "correspAction") && a.attribute(None, "type") == Some(kind))
            .collect();
        w.open("correspAction", &[("type", kind)]);
        let mut agents = 0;
        for a in &actions {
            agents += write_action_content(w, cx, s, a);
        }
        if agents == 0 {
            let at = actions
                .first()
                .map(|a| a.start_tag_range())
                .unwrap_or_else(|| cd.start_tag_range());
            cx.diags.push(
                Diagnostic::new(
                    &codes::UNKNOWN_CORRESPONDENT,
                    format!(
                        "this letter names no {}; expected a persName or orgName in correspAction type=\"{kind}\"; written as \"Unknown\"",
                        if kind == "sent" { "sender" } else { "addressee" }
                    ),
                )
                .at(file, at),
            );
            w.leaf("persName", &[], "Unknown");
        }
        w.close("correspAction");
    }
    for a in cd.element_children().filter(|a| tei(a, "correspAction")) {
        let t = a.attribute(None, "type").unwrap_or("");
        if t != "sent" && t != "received" {
            cx.diags.push(
                Diagnostic::new(
                    &codes::ACTION_DROPPED,
                    format!(
                        "correspAction type=\"{t}\" has no place in CMIF 1.1 (only sent and received); left out"
                    ),
                )
                .at(file, a.start_tag_range()),
            );
        }
    }
    w.close("correspDesc");
}

/// Writes the names, place and date of one correspAction; returns the number of persons and
/// organisations written.
fn write_action_content(w: &mut Writer, cx: &mut Ctx<'_>, s: &Source<'_>, a: &Node<'_>) -> usize {
    let file = s.ed.file;
    let mut agents = 0;
    for c in a.element_children() {
        let local = c.tag_name().local;
        if c.tag_name().namespace != Some(TEI_NS) {
            continue;
        }
        match local {
            "persName" | "orgName" | "placeName" => {
                let entry = s.entry(&c);
                let text = normalize_space(&c.text_content());
                let name = entry
                    .map(|e| e.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or(text);
                let name = if name.is_empty() {
                    "Unknown".to_string()
                } else {
                    name
                };
                let wanted: &[Authority] = if local == "placeName" {
                    &[Authority::GeoNames]
                } else {
                    &[Authority::Gnd, Authority::Viaf, Authority::Wikidata]
                };
                let uri = entry.and_then(|e| {
                    wanted
                        .iter()
                        .find_map(|w| e.uris.iter().find(|(a, _)| a == w).map(|(_, u)| u.clone()))
                });
                let mut attrs: Vec<(&str, &str)> = Vec::new();
                if let Some(u) = &uri {
                    attrs.push(("ref", u));
                } else {
                    let key = c
                        .attribute(None, "ref")
                        .map(str::trim)
                        .unwrap_or(name.as_str())
                        .to_string();
                    if cx.reported.insert((file.0, key)) {
                        cx.diags.push(
                            Diagnostic::new(
                                &codes::NO_AUTHORITY,
                                format!(
                                    "\"{name}\" has no {} URI in the register; its CMIF entry has no @ref",
                                    if local == "placeName" { "GeoNames" } else { "GND, VIAF or Wikidata" }
                                ),
                            )
                            .at(file, c.start_tag_range()),
                        );
                    }
                }
                if let Some("low" | "medium" | "unknown") = c.attribute(None, "cert").map(str::trim)
                {
                    attrs.push(("cert", "low"));
                }
                if c.attribute(None, "evidence")
                    .is_some_and(|e| e.split_whitespace().any(|t| t == "conjecture"))
                {
                    attrs.push(("evidence", "conjecture"));
                }
                w.leaf(local, &attrs, &name);
                if local != "placeName" {
                    agents += 1;
                }
            }
            "date" => {
                let mut attrs: Vec<(&'static str, String)> = Vec::new();
                for name in ["when", "notBefore", "notAfter", "from", "to"] {
                    let Some(attr) = c.attribute_node(None, name) else {
                        continue;
                    };
                    match parse_w3c(attr.value()).ok().and_then(|v| v.date_part()) {
                        Some(d) => attrs.push((name, d)),
                        None => cx.diags.push(
                            Diagnostic::new(
                                &codes::BAD_DATE,
                                format!(
                                    "@{name}=\"{}\" is not a W3C date with a year; left out of the CMIF date",
                                    attr.value()
                                ),
                            )
                            .at(file, attr.value_range()),
                        ),
                    }
                }
                if !attrs.is_empty() {
                    let r: Vec<(&str, &str)> =
                        attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    w.leaf("date", &r, "");
                }
            }
            _ => {}
        }
    }
    agents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibl_uuid_is_rfc_version_5() {
        // Python: next(u for i in range(99) if (u := str(uuid.uuid5(uuid.NAMESPACE_URL,
        //   "https://example.org/cmif.xml#letters" + (f"#{i}" if i else ""))))[0].isalpha())
        let u = bibl_uuid("https://example.org/cmif.xml", "letters");
        assert_eq!(u, "e992ba00-28b8-5abd-994d-80550034d239");
        assert_eq!(u, bibl_uuid("https://example.org/cmif.xml", "letters"));
        assert_ne!(u, bibl_uuid("https://example.org/cmif.xml", "other"));
    }

    #[test]
    fn letter_urls_follow_the_template() {
        assert_eq!(
            letter_url("https://x.org/e.html#", "e", "L01"),
            "https://x.org/e.html#L01"
        );
        assert_eq!(
            letter_url("https://x.org/{edition}/{id}.html", "bs", "L01"),
            "https://x.org/bs/L01.html"
        );
    }
}
