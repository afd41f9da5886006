//! A seeded generator of revision pairs with a ground-truth edit list, for the diff's
//! accuracy tests and benchmark.
//!
//! From one base document it makes an *old* and a *new* version: every edit is a set of
//! splices of the base text, each with the old and the new replacement, so both versions
//! share everything else byte for byte. Edits never overlap (each claims the text nodes and
//! elements it touches). Every edit belongs to one editorial class and should be reported
//! as exactly one change of that class; the regions it touched in both versions are known,
//! so a reported change can be checked for place as well as class.
//!
//! [`noise`] rewrites a document without changing its content (attribute order,
//! indentation, line ends, character references, namespace prefixes): a diff must report
//! nothing for it.
#![allow(dead_code)]

use std::ops::Range;

use teikit::xml::{Document, Node, NodeKind, TEI_NS, XML_NS};

/// Every class the generator makes.
pub const CLASSES: &[&str] = &[
    "words_inserted",
    "words_deleted",
    "words_replaced",
    "lacuna_filled",
    "lacuna_introduced",
    "name_tagged",
    "name_untagged",
    "name_reidentified",
    "note_added",
    "note_removed",
    "note_changed",
    "attribute_changed",
    "element_inserted",
    "element_removed",
    "element_renamed",
    "block_moved",
    "header_changed",
    "letter_added",
    "letter_removed",
    "translation_changed",
];

/// A small deterministic PRNG (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// One splice of the base text.
#[derive(Debug, Clone)]
pub struct Splice {
    pub at: Range<usize>,
    pub old: String,
    pub new: String,
}

/// One editorial edit.
#[derive(Debug, Clone)]
pub struct Edit {
    pub class: &'static str,
    pub what: String,
    pub splices: Vec<Splice>,
    /// Byte ranges the edit occupies in the old and the new text (filled by [`apply`]).
    pub regions: [Vec<Range<usize>>; 2],
}

/// A revision pair.
#[derive(Debug, Clone)]
pub struct Pair {
    pub old: String,
    pub new: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone)]
struct TextCand {
    /// Absolute byte ranges of the words.
    words: Vec<Range<usize>>,
    node: Range<usize>,
}

fn is_tei(n: Node<'_>, local: &str) -> bool {
    n.has_tag_name(Some(TEI_NS), local)
}

fn ancestors_any(n: Node<'_>, names: &[&str]) -> bool {
    n.ancestors().any(|a| {
        a.is_element()
            && a.tag_name().namespace == Some(TEI_NS)
            && names.contains(&a.tag_name().local)
    })
}

fn in_body(n: Node<'_>) -> bool {
    ancestors_any(n, &["body"])
}

/// Excluded places for plain word edits: metadata, apparatus-like and atomic elements,
/// translation pairs.
fn plain_context(n: Node<'_>) -> bool {
    in_body(n)
        && !ancestors_any(
            n,
            &[
                "note", "gap", "figure", "choice", "app", "sic", "supplied", "del", "add", "fw",
                "head", "closer", "opener",
            ],
        )
        && !n
            .ancestors()
            .any(|a| a.attribute(None, "corresp").is_some())
        && n.attribute(None, "corresp").is_none()
}

fn words_of(text: &str, base: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(base + s..base + i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(base + s..base + text.len());
    }
    out
}

/// Whether a word is plain enough to edit (letters only, so no punctuation joins).
fn plain_word(s: &str) -> bool {
    s.chars().all(|c| c.is_alphabetic()) && s.chars().count() >= 2
}

struct Gen<'a> {
    src: &'a str,
    doc: Document,
    rng: Rng,
    claimed: Vec<Range<usize>>,
    counter: usize,
}

impl<'a> Gen<'a> {
    fn fresh_word(&mut self) -> String {
        self.counter += 1;
        const SYL: &[&str] = &["zo", "ra", "ki", "mu", "te", "lo", "vy", "qa"];
        let mut w = String::from("x");
        let mut k = self.counter * 7 + self.rng.below(5);
        for _ in 0..3 {
            w.push_str(SYL[k % SYL.len()]);
            k /= SYL.len();
        }
        w.push_str(&self.counter.to_string());
        w.retain(|c| c.is_alphabetic());
        // Keep it alphabetic but unique: spell the counter in letters.
        let mut n = self.counter;
        loop {
            w.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
            if n == 0 {
                break;
            }
        }
        w
    }

    fn free(&self, r: &Range<usize>) -> bool {
        self.claimed
            .iter()
            .all(|c| r.end < c.start || r.start > c.end)
    }

    fn claim(&mut self, r: Range<usize>) {
        self.claimed.push(r);
    }

    fn texts(&self, min_words: usize, filter: impl Fn(Node<'_>) -> bool) -> Vec<TextCand> {
        let mut out = Vec::new();
        for n in self.doc.descendants() {
            if n.kind() != NodeKind::Text {
                continue;
            }
            let r = n.range();
            let t = n.text().unwrap_or("");
            if &self.src[r.clone()] != t || !filter(n) {
                continue;
            }
            let words = words_of(t, r.start);
            if words.len() >= min_words {
                out.push(TextCand { words, node: r });
            }
        }
        out
    }

    fn elements(&self, filter: impl Fn(Node<'_>) -> bool) -> Vec<Range<usize>> {
        self.doc
            .descendants()
            .filter(|n| n.is_element() && filter(*n))
            .map(|n| n.range())
            .collect()
    }

    /// A random unclaimed text with a plain word run of `k` words inside it (not at either
    /// end of the text node). Returns the text candidate and the first word index.
    fn pick_words(&mut self, cands: &[TextCand], k: usize) -> Option<(TextCand, usize)> {
        for _ in 0..200 {
            if cands.is_empty() {
                return None;
            }
            let c = &cands[self.rng.below(cands.len())];
            if !self.free(&c.node) || c.words.len() < k + 4 {
                continue;
            }
            let i = 2 + self.rng.below(c.words.len() - k - 3);
            if (i..i + k).all(|j| plain_word(&self.src[c.words[j].clone()])) {
                return Some((c.clone(), i));
            }
        }
        None
    }

    fn pick_el(&mut self, cands: &[Range<usize>]) -> Option<Range<usize>> {
        for _ in 0..100 {
            if cands.is_empty() {
                return None;
            }
            let r = cands[self.rng.below(cands.len())].clone();
            if self.free(&r) {
                return Some(r);
            }
        }
        None
    }

    fn node_at(&self, r: &Range<usize>) -> Option<Node<'_>> {
        self.doc
            .descendants()
            .find(|n| n.is_element() && n.range() == *r)
    }

    fn splice(&self, r: Range<usize>, old: impl Into<String>, new: impl Into<String>) -> Splice {
        Splice {
            at: r,
            old: old.into(),
            new: new.into(),
        }
    }

    /// A point in running text between two plain words (after word i).
    fn text_point(&mut self) -> Option<(TextCand, usize)> {
        let cands = self.texts(6, plain_context);
        self.pick_words(&cands, 2)
    }

    fn make(&mut self, class: &'static str) -> Option<Edit> {
        let src = self.src;
        let mut claims: Vec<Range<usize>> = Vec::new();
        let (what, splices) = match class {
            "words_replaced" | "words_inserted" | "words_deleted" | "lacuna_filled"
            | "lacuna_introduced" | "name_tagged" => {
                let k = if class == "words_replaced" || class == "name_tagged" {
                    2
                } else {
                    1
                };
                let (c, i) = {
                    let cands = self.texts(6, plain_context);
                    self.pick_words(&cands, k)?
                };
                claims.push(c.node.clone());
                let r = c.words[i].start..c.words[i + k - 1].end;
                let orig = src[r.clone()].to_string();
                match class {
                    "words_replaced" => {
                        let n = format!("{} {}", self.fresh_word(), self.fresh_word());
                        (format!("{orig} → {n}"), vec![self.splice(r, orig, n)])
                    }
                    "words_inserted" => {
                        let n = format!("{} {} {}", orig, self.fresh_word(), self.fresh_word());
                        (n.clone(), vec![self.splice(r, orig, n)])
                    }
                    "words_deleted" => {
                        // Delete the word and the space after it.
                        let r2 = r.start..c.words[i + 1].start;
                        let o = src[r2.clone()].to_string();
                        (orig, vec![self.splice(r2, o, "")])
                    }
                    "lacuna_filled" => {
                        let supplied = self.rng.below(2) == 0;
                        let n = if supplied {
                            format!("<supplied reason=\"damage\">{orig}</supplied>")
                        } else {
                            orig.clone()
                        };
                        (orig, vec![self.splice(r, "<gap reason=\"damage\"/>", n)])
                    }
                    "lacuna_introduced" => (
                        orig.clone(),
                        vec![self.splice(r, orig, "<gap reason=\"damage\"/>")],
                    ),
                    _ => {
                        let id = format!("#gen-p{}", self.counter);
                        self.counter += 1;
                        (
                            orig.clone(),
                            vec![self.splice(
                                r,
                                orig.clone(),
                                format!("<persName ref=\"{id}\">{orig}</persName>"),
                            )],
                        )
                    }
                }
            }
            "name_untagged" | "name_reidentified" => {
                // An existing name with a @ref and text only, else a synthetic one.
                let names = self.elements(|n| {
                    ["persName", "placeName", "orgName", "rs"]
                        .iter()
                        .any(|l| is_tei(n, l))
                        && n.attribute(None, "ref").is_some()
                        && n.children().all(|c| c.is_text())
                        && plain_context(n)
                        && !n.text_content().trim().is_empty()
                });
                let existing = self.pick_el(&names);
                if let Some(r) = existing {
                    let node = self.node_at(&r)?;
                    let inner =
                        src[node.start_tag_range().end..node.end_tag_range().start].to_string();
                    let orig = src[r.clone()].to_string();
                    claims.push(r.clone());
                    if class == "name_untagged" {
                        (inner.clone(), vec![self.splice(r, orig, inner)])
                    } else {
                        let v = node.attribute(None, "ref").unwrap_or("");
                        let vr = node.attribute_node(None, "ref")?.value_range();
                        let _ = v;
                        (
                            "ref changed".into(),
                            vec![self.splice(
                                vr.clone(),
                                src[vr].to_string(),
                                format!("#gen-re{}", self.counter),
                            )],
                        )
                    }
                } else {
                    let (c, i) = self.text_point()?;
                    claims.push(c.node.clone());
                    let r = c.words[i].start..c.words[i + 1].end;
                    let orig = src[r.clone()].to_string();
                    if class == "name_untagged" {
                        (
                            orig.clone(),
                            vec![self.splice(
                                r,
                                format!("<persName ref=\"#gen-u\">{orig}</persName>"),
                                orig,
                            )],
                        )
                    } else {
                        (
                            orig.clone(),
                            vec![self.splice(
                                r,
                                format!("<persName ref=\"#gen-a\">{orig}</persName>"),
                                format!("<persName ref=\"#gen-b\">{orig}</persName>"),
                            )],
                        )
                    }
                }
            }
            "note_added" | "note_removed" | "note_changed" => {
                let notes = self.elements(|n| {
                    is_tei(n, "note")
                        && in_body(n)
                        && !n.ancestors().skip(1).any(|a| is_tei(a, "note"))
                        && n.text_content().split_whitespace().count() >= 4
                });
                let existing = if class == "note_added" {
                    None
                } else {
                    self.pick_el(&notes)
                };
                if let Some(r) = existing {
                    claims.push(r.clone());
                    let orig = src[r.clone()].to_string();
                    if class == "note_removed" {
                        (orig.clone(), vec![self.splice(r, orig, "")])
                    } else {
                        // Change one plain word inside the note.
                        let node = self.node_at(&r)?;
                        let t = node
                            .descendants()
                            .filter(|d| d.is_text())
                            .filter(|d| &src[d.range()] == d.text().unwrap_or(""))
                            .flat_map(|d| words_of(d.text().unwrap_or(""), d.range().start))
                            .find(|w| plain_word(&src[w.clone()]))?;
                        let nw = self.fresh_word();
                        (
                            format!("note word → {nw}"),
                            vec![self.splice(t.clone(), src[t].to_string(), nw)],
                        )
                    }
                } else {
                    let (c, i) = self.text_point()?;
                    claims.push(c.node.clone());
                    let at = c.words[i].end..c.words[i].end;
                    let body = format!(
                        "<note place=\"end\">{} {} {} note.</note>",
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word()
                    );
                    match class {
                        "note_added" => (body.clone(), vec![self.splice(at, "", body)]),
                        "note_removed" => (body.clone(), vec![self.splice(at, body, "")]),
                        _ => {
                            let body2 =
                                body.replacen("note.", &format!("{} note.", self.fresh_word()), 1);
                            (body2.clone(), vec![self.splice(at, body, body2)])
                        }
                    }
                }
            }
            "attribute_changed" => {
                let ps = self.elements(|n| {
                    (is_tei(n, "p") || is_tei(n, "hi"))
                        && plain_context(n)
                        && n.attribute(Some(XML_NS), "id").is_none()
                        && n.attribute(None, "n").is_none()
                });
                let r = self.pick_el(&ps)?;
                let node = self.node_at(&r)?;
                claims.push(r.clone());
                let st = node.start_tag_range();
                let tag = &src[st.clone()];
                let new_tag = match node.attribute_node(None, "rend") {
                    Some(a) => {
                        let vr = a.value_range();
                        let mut t = src[st.start..vr.start].to_string();
                        t.push_str("gen-changed");
                        t.push_str(&src[vr.end..st.end]);
                        t
                    }
                    None => {
                        let name_end = node.name_range().end;
                        format!(
                            "{} rend=\"gen-added\"{}",
                            &src[st.start..name_end],
                            &src[name_end..st.end]
                        )
                    }
                };
                (
                    format!("{tag} → {new_tag}"),
                    vec![self.splice(st, tag.to_string(), new_tag)],
                )
            }
            "element_inserted" => {
                let (c, i) = self.text_point()?;
                claims.push(c.node.clone());
                if self.rng.below(2) == 0 {
                    let r = c.words[i].start..c.words[i + 1].end;
                    let orig = src[r.clone()].to_string();
                    (
                        format!("hi around {orig}"),
                        vec![self.splice(
                            r,
                            orig.clone(),
                            format!("<hi rend=\"italic\">{orig}</hi>"),
                        )],
                    )
                } else {
                    let at = c.words[i].end..c.words[i].end;
                    (
                        "milestone".into(),
                        vec![self.splice(at, "", "<milestone unit=\"gen\"/>")],
                    )
                }
            }
            "element_removed" | "element_renamed" => {
                let his = self.elements(|n| {
                    is_tei(n, "hi") && n.children().all(|c| c.is_text()) && plain_context(n) && {
                        let t = n.text_content();
                        t.split_whitespace().count() >= 1 && t.chars().any(|c| c.is_alphabetic())
                    }
                });
                if let Some(r) = self.pick_el(&his) {
                    let node = self.node_at(&r)?;
                    claims.push(r.clone());
                    let orig = src[r.clone()].to_string();
                    let inner =
                        src[node.start_tag_range().end..node.end_tag_range().start].to_string();
                    if class == "element_removed" {
                        (orig.clone(), vec![self.splice(r, orig, inner)])
                    } else {
                        let st = &src[node.start_tag_range()];
                        let new_st = st.replacen("<hi", "<emph", 1);
                        (
                            orig.clone(),
                            vec![self.splice(r, orig.clone(), format!("{new_st}{inner}</emph>"))],
                        )
                    }
                } else {
                    let (c, i) = self.text_point()?;
                    claims.push(c.node.clone());
                    let r = c.words[i].start..c.words[i + 1].end;
                    let orig = src[r.clone()].to_string();
                    if class == "element_removed" {
                        (
                            orig.clone(),
                            vec![self.splice(r, format!("<hi rend=\"bold\">{orig}</hi>"), orig)],
                        )
                    } else {
                        (
                            orig.clone(),
                            vec![self.splice(
                                r,
                                format!("<hi>{orig}</hi>"),
                                format!("<emph>{orig}</emph>"),
                            )],
                        )
                    }
                }
            }
            "block_moved" => {
                let ps = self.elements(|n| {
                    is_tei(n, "p")
                        && plain_context(n)
                        && n.parent_element()
                            .is_some_and(|p| ["div", "body"].iter().any(|l| is_tei(p, l)))
                        && n.text_content().split_whitespace().count() >= 6
                });
                let from = self.pick_el(&ps)?;
                let to = self.pick_el(&ps)?;
                // A real move, not a swap of neighbours (which reads both ways): at least two
                // paragraphs between the old and the new place.
                let between = if to.start >= from.end {
                    &src[from.end..to.start]
                } else {
                    &src[to.start..from.start]
                };
                if from == to || between.matches("<p>").count() + between.matches("<p ").count() < 2
                {
                    return None;
                }
                // Not identical to another paragraph (then the move would be ambiguous).
                let t = &src[from.clone()];
                if ps.iter().filter(|r| &src[(*r).clone()] == t).count() > 1 {
                    return None;
                }
                claims.push(from.clone());
                claims.push(to.clone());
                let orig = src[from.clone()].to_string();
                let mut moved = orig.clone();
                let mut what = "moved".to_string();
                if self.rng.below(2) == 0 {
                    // Edited on the way: one word replaced.
                    let node = self.node_at(&from)?;
                    let w = node
                        .descendants()
                        .filter(|d| d.is_text() && d.parent_element() == Some(node))
                        .filter(|d| &src[d.range()] == d.text().unwrap_or(""))
                        .flat_map(|d| words_of(d.text().unwrap_or(""), d.range().start))
                        .filter(|w| plain_word(&src[w.clone()]))
                        .nth(3)?;
                    let nw = self.fresh_word();
                    moved = format!(
                        "{}{}{}",
                        &src[from.start..w.start],
                        nw,
                        &src[w.end..from.end]
                    );
                    what = "moved and edited".into();
                }
                // Remove the paragraph with the whitespace after it.
                let mut end = from.end;
                while src
                    .as_bytes()
                    .get(end)
                    .is_some_and(|b| b.is_ascii_whitespace())
                {
                    end += 1;
                }
                let removed = src[from.start..end].to_string();
                (
                    what,
                    vec![
                        self.splice(from.start..end, removed, ""),
                        self.splice(to.start..to.start, "", format!("{moved}\n")),
                    ],
                )
            }
            "header_changed" => {
                let fields = self.elements(|n| {
                    ancestors_any(n, &["teiHeader"])
                        && ((is_tei(n, "title") && ancestors_any(n, &["titleStmt"]))
                            || (is_tei(n, "date") && n.attribute(None, "when").is_some())
                            || (is_tei(n, "licence") && n.attribute(None, "target").is_some()))
                });
                let r = self.pick_el(&fields)?;
                let node = self.node_at(&r)?;
                claims.push(r.clone());
                if let Some(a) = node
                    .attribute_node(None, "when")
                    .or(node.attribute_node(None, "target"))
                {
                    let vr = a.value_range();
                    let nv = if is_tei(node, "date") {
                        "1999-12-31".to_string()
                    } else {
                        "https://example.org/gen".into()
                    };
                    (
                        format!("@ {nv}"),
                        vec![self.splice(vr.clone(), src[vr].to_string(), nv)],
                    )
                } else {
                    let t = node
                        .descendants()
                        .filter(|d| d.is_text() && &src[d.range()] == d.text().unwrap_or(""))
                        .flat_map(|d| words_of(d.text().unwrap_or(""), d.range().start))
                        .find(|w| plain_word(&src[w.clone()]))?;
                    let nw = self.fresh_word();
                    (
                        format!("title word → {nw}"),
                        vec![self.splice(t.clone(), src[t].to_string(), nw)],
                    )
                }
            }
            "letter_added" | "letter_removed" => {
                let letters = self
                    .elements(|n| is_tei(n, "div") && n.attribute(None, "type") == Some("letter"));
                let existing = if class == "letter_removed" && letters.len() >= 2 {
                    self.pick_el(&letters)
                } else {
                    None
                };
                if let Some(r) = existing {
                    let node = self.node_at(&r)?;
                    claims.push(r.clone());
                    let mut sp = vec![self.splice(r.clone(), src[r.clone()].to_string(), "")];
                    if let Some(id) = node.attribute(Some(XML_NS), "id") {
                        let refv = format!("#{id}");
                        let cds = self.elements(|n| {
                            is_tei(n, "correspDesc")
                                && n.attribute(None, "ref") == Some(refv.as_str())
                        });
                        if let Some(cr) = cds.first()
                            && self.free(cr)
                        {
                            claims.push(cr.clone());
                            sp.push(self.splice(cr.clone(), src[cr.clone()].to_string(), ""));
                        }
                    }
                    ("letter".into(), sp)
                } else {
                    // A synthetic letter, before a top-level division of the body (or at its end).
                    let mut points: Vec<usize> = self
                        .doc
                        .descendants()
                        .filter(|n| {
                            is_tei(*n, "div")
                                && n.parent_element().is_some_and(|p| is_tei(p, "body"))
                        })
                        .map(|n| n.range().start)
                        .collect();
                    if let Some(b) = self.doc.descendants().find(|n| is_tei(*n, "body")) {
                        points.push(b.end_tag_range().start);
                    }
                    let free: Vec<usize> =
                        points.into_iter().filter(|&p| self.free(&(p..p))).collect();
                    if free.is_empty() {
                        return None;
                    }
                    let at = free[self.rng.below(free.len())];
                    let id = format!("gen-L{}", self.counter);
                    let letter = format!(
                        "<div type=\"letter\" xml:id=\"{id}\"><head>Letter {} {}</head><p>{} {} {} {} {}.</p></div>\n",
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word(),
                        self.fresh_word()
                    );
                    let at = at..at;
                    claims.push(at.clone());
                    if class == "letter_added" {
                        (id, vec![self.splice(at, "", letter)])
                    } else {
                        (id, vec![self.splice(at, letter, "")])
                    }
                }
            }
            "translation_changed" => {
                let pairs = self.elements(|n| {
                    is_tei(n, "p")
                        && n.attribute(None, "corresp").is_some()
                        && n.attribute(Some(XML_NS), "lang").is_some()
                });
                if let Some(r) = self.pick_el(&pairs) {
                    let node = self.node_at(&r)?;
                    claims.push(r.clone());
                    let t = node
                        .descendants()
                        .filter(|d| d.is_text() && &src[d.range()] == d.text().unwrap_or(""))
                        .flat_map(|d| words_of(d.text().unwrap_or(""), d.range().start))
                        .filter(|w| plain_word(&src[w.clone()]))
                        .nth(2)?;
                    let nw = self.fresh_word();
                    (
                        format!("pair word → {nw}"),
                        vec![self.splice(t.clone(), src[t].to_string(), nw)],
                    )
                } else {
                    // A synthetic pair in both versions, its English side revised.
                    let ps = self.elements(|n| {
                        is_tei(n, "p")
                            && plain_context(n)
                            && n.parent_element()
                                .is_some_and(|p| ["div", "body"].iter().any(|l| is_tei(p, l)))
                    });
                    let before = self.pick_el(&ps)?;
                    claims.push(before.clone());
                    let k = self.counter;
                    self.counter += 1;
                    let fr = format!(
                        "<p xml:lang=\"fr\" xml:id=\"gen-t{k}-fr\" corresp=\"#gen-t{k}-en\">Le {} a écrit cette lettre.</p>\n",
                        self.fresh_word()
                    );
                    let en1 = format!(
                        "<p xml:lang=\"en\" xml:id=\"gen-t{k}-en\" corresp=\"#gen-t{k}-fr\">The {} wrote this letter.</p>\n",
                        self.fresh_word()
                    );
                    let en2 = en1.replace("wrote", "has written");
                    let at = before.start..before.start;
                    (
                        "pair revised".into(),
                        vec![self.splice(at, format!("{fr}{en1}"), format!("{fr}{en2}"))],
                    )
                }
            }
            _ => return None,
        };
        for s in &splices {
            if !self.free(&s.at) {
                return None;
            }
        }
        for s in &splices {
            self.claim(s.at.clone());
        }
        for c in claims {
            self.claim(c);
        }
        Some(Edit {
            class,
            what,
            splices,
            regions: [Vec::new(), Vec::new()],
        })
    }
}

/// Makes a revision pair of `base` with `rounds` edits of each class in `classes` (classes
/// that find no place in the document are skipped; see the returned edit list).
pub fn generate(base: &str, seed: u64, classes: &[&'static str], rounds: usize) -> Pair {
    let doc = Document::parse(base).expect("base document parses");
    let mut g = Gen {
        src: base,
        doc,
        rng: Rng::new(seed),
        claimed: Vec::new(),
        counter: 0,
    };
    let mut edits = Vec::new();
    // Rotate the class order with the seed, so that small documents get every class in turn.
    let k = if classes.is_empty() {
        0
    } else {
        (seed as usize) % classes.len()
    };
    let order: Vec<&'static str> = classes[k..].iter().chain(&classes[..k]).copied().collect();
    for _ in 0..rounds {
        for &c in &order {
            for _ in 0..5 {
                if let Some(e) = g.make(c) {
                    edits.push(e);
                    break;
                }
            }
        }
    }
    apply(base, edits)
}

/// Applies the edits to the base, recording the regions each occupies in both versions.
pub fn apply(base: &str, mut edits: Vec<Edit>) -> Pair {
    let mut all: Vec<(usize, usize)> = Vec::new();
    for (e, ed) in edits.iter().enumerate() {
        for s in 0..ed.splices.len() {
            all.push((e, s));
        }
    }
    all.sort_by_key(|&(e, s)| (edits[e].splices[s].at.start, edits[e].splices[s].at.end));
    let mut out = [
        String::with_capacity(base.len() + 1024),
        String::with_capacity(base.len() + 1024),
    ];
    let mut pos = 0;
    for (e, s) in all {
        let sp = edits[e].splices[s].clone();
        for (side, o) in out.iter_mut().enumerate() {
            o.push_str(&base[pos..sp.at.start]);
            let start = o.len();
            o.push_str(if side == 0 { &sp.old } else { &sp.new });
            let end = o.len();
            edits[e].regions[side].push(start..end);
        }
        pos = sp.at.end;
    }
    for o in &mut out {
        o.push_str(&base[pos..]);
    }
    let [old, new] = out;
    Pair { old, new, edits }
}

/// Serialization noise: rewrites `text` without changing its content. Which rewrites:
/// attribute order reversed, whitespace between blocks re-indented, CRLF line ends, some
/// letters written as character references, the TEI namespace given the prefix `tei:`.
pub fn noise(text: &str) -> String {
    let doc = Document::parse(text).expect("parses");
    let mut splices: Vec<(Range<usize>, String)> = Vec::new();
    let mut prefixed = false;
    let root = doc.root_element();
    let tei_default = root
        .namespace_declarations()
        .any(|(p, u)| p.is_none() && u == TEI_NS);
    let mut refs = 0;
    for n in doc.descendants() {
        match n.kind() {
            NodeKind::Element => {
                let st = n.start_tag_range();
                let attrs: Vec<Range<usize>> = n.attributes().map(|a| a.range()).collect();
                let name = n.name_range();
                let in_tei =
                    n.tag_name().namespace == Some(TEI_NS) && n.prefix().is_none() && tei_default;
                // Start tag: prefix, reversed attributes.
                let mut t = String::from("<");
                if in_tei {
                    t.push_str("tei:");
                }
                t.push_str(&text[name.clone()]);
                let mut rest_start = name.end;
                let mut attr_text: Vec<String> = Vec::new();
                if let (Some(f), Some(l)) = (attrs.first(), attrs.last()) {
                    // Keep namespace declarations and anything else between name and first attr.
                    t.push_str(&text[name.end..f.start]);
                    attr_text = attrs.iter().map(|a| text[a.clone()].to_string()).collect();
                    attr_text.reverse();
                    rest_start = l.end;
                }
                t.push_str(&attr_text.join(" "));
                let mut tail = text[rest_start..st.end].to_string();
                if n == root && tei_default {
                    let (a, b) = (
                        format!("xmlns=\"{TEI_NS}\""),
                        format!("xmlns:tei=\"{TEI_NS}\""),
                    );
                    tail = tail.replacen(&a, &b, 1);
                    t = t.replacen(&a, &b, 1);
                    prefixed = true;
                }
                t.push_str(&tail);
                splices.push((st.clone(), t));
                let et = n.end_tag_range();
                if et != st && in_tei {
                    splices.push((et.start..et.start + 2, "</tei:".to_string()));
                }
            }
            NodeKind::Text => {
                let r = n.range();
                let t = n.text().unwrap_or("");
                if &text[r.clone()] != t {
                    continue;
                }
                let parent_block = n.parent_element().is_some_and(|p| {
                    [
                        "div",
                        "body",
                        "text",
                        "back",
                        "front",
                        "listPerson",
                        "standOff",
                    ]
                    .iter()
                    .any(|l| p.has_tag_name(Some(TEI_NS), l))
                });
                if t.trim().is_empty() && parent_block {
                    splices.push((r, "\n\t  \n      ".to_string()));
                } else if !t.trim().is_empty() && refs < 200 && t.contains('e') {
                    refs += 1;
                    let i = t.find('e').unwrap_or(0);
                    splices.push((r.start + i..r.start + i + 1, "&#101;".to_string()));
                }
            }
            _ => {}
        }
    }
    let _ = prefixed;
    splices.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut pos = 0;
    for (r, s) in splices {
        if r.start < pos {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&s);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Joins TEI documents into one `teiCorpus` (their prologs dropped).
pub fn join_corpus(docs: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">\n<teiHeader><fileDesc><titleStmt><title>Joined corpus</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>ELTeC.</p></sourceDesc></fileDesc></teiHeader>\n",
    );
    for d in docs {
        let i = d.find("<TEI").unwrap_or(0);
        out.push_str(d[i..].trim_end());
        out.push('\n');
    }
    out.push_str("</teiCorpus>\n");
    out
}

/// A reported change as the scorer sees it: class, old span, new span, summary.
pub type Reported = (String, Option<Range<usize>>, Option<Range<usize>>, String);

/// The outcome of checking a diff against the ground truth.
#[derive(Debug, Default)]
pub struct Score {
    pub expected: usize,
    pub found: usize,
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
}

/// Matches reported top-level changes (`class`, old span, new span) to the edits: a change
/// matches an edit of the same class whose region, on either side, it touches (within
/// `slack` bytes).
pub fn score(edits: &[Edit], changes: &[Reported]) -> Score {
    let slack = 64;
    let near =
        |a: &Range<usize>, b: &Range<usize>| a.start <= b.end + slack && b.start <= a.end + slack;
    let mut used = vec![false; changes.len()];
    let mut s = Score {
        expected: edits.len(),
        ..Score::default()
    };
    for e in edits {
        let hit = changes
            .iter()
            .enumerate()
            .position(|(k, (class, o, n, _))| {
                !used[k]
                    && class == e.class
                    && (o
                        .as_ref()
                        .is_some_and(|o| e.regions[0].iter().any(|r| near(o, r)))
                        || n.as_ref()
                            .is_some_and(|n| e.regions[1].iter().any(|r| near(n, r))))
            });
        match hit {
            Some(k) => {
                used[k] = true;
                s.found += 1;
            }
            None => s.missed.push(format!("{}: {}", e.class, e.what)),
        }
    }
    for (k, (class, _, _, summary)) in changes.iter().enumerate() {
        if !used[k] {
            s.spurious.push(format!("{class}: {summary}"));
        }
    }
    s
}
