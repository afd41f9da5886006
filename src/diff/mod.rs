//! Editorial diff of two TEI documents: what changed, in an editor's terms.
//!
//! ```text
//! old, new ─xml::Document→ tree::View ×2 ─align (+ flow)→ raw changes ─finish→ Report ─render::{human,json,text,tei}
//! ```
//!
//! * [`tree`] builds each document's *view*: block items with canonical xxh3 content hashes
//!   (serialization noise — attribute order, indentation, line ends, namespace prefixes,
//!   character references, comments — hashes equal) and *flows* of words with inline markup
//!   as positioned marks.
//! * `align` matches items top-down: equal hashes are identical and skipped; children are
//!   aligned by identity key (`xml:id`, `@n`) or hash with `similar` under a deadline; the
//!   remaining deleted/inserted siblings are resolved as moves (identical or edited), in-place
//!   edits (paired by word similarity) or insertions/removals.
//! * `flow` compares matched flows word by word and classifies the hunks and the inline
//!   markup (lacunae, names, notes, elements, attributes).
//! * [`finish`](self) (this module) adds paths, groups and context, reclassifies changes in
//!   the header and in translation pairs, merges the parts of one header field, translation
//!   pair or added letter, and nests the edits of a moved block or a changed note.
//!
//! **Invariants.** Every walk is a loop or uses an explicit stack (a 1M-deep document is
//! fine). Cost is near-linear: identical subtrees are skipped by hash, and every quadratic
//! step has a bound that, when hit, is reported as a [`Degradation`] (`DIF` code), never
//! silently. Output is deterministic. The library does no I/O: the CLI reads the files and
//! renders the [`Report`].
//!
//! # Change classes
//!
//! See [`Class`]: `words_inserted`, `words_deleted`, `words_replaced`, `lacuna_filled`,
//! `lacuna_introduced`, `name_tagged`, `name_untagged`, `name_reidentified`, `note_added`,
//! `note_removed`, `note_changed`, `attribute_changed`, `element_inserted`,
//! `element_removed`, `element_renamed`, `block_moved`, `header_changed`, `letter_added`,
//! `letter_removed`, `translation_changed`. Precedence when one edit could be read several
//! ways: a change inside `teiHeader` is `header_changed` (its `field` names the innermost
//! metadata element: title, author, respStmt, licence, date, idno, correspAction …; all parts
//! of one field instance are one change); a change inside a translation pair (a block with
//! `@corresp` + `@xml:lang`, or named by `linkGrp[@type='translation']/link`) or to its link is
//! `translation_changed` (one per pair); a moved block is one `block_moved` with its edits
//! in `inner`; a changed note is one `note_changed` with its edits in `inner`; a letter added
//! or removed takes its `correspDesc` with it.
//!
//! # JSON schema (`teikit diff --output-format json`), version 1
//!
//! ```json
//! {
//!   "schema": "teikit-diff/1",
//!   "old": {"file": "old.xml"}, "new": {"file": "new.xml"},
//!   "identical": false,
//!   "counts": {"words_replaced": 2, "lacuna_filled": 7},
//!   "changes": [ CHANGE … ],
//!   "degraded": [ {"code": "DIF001", "message": "…"} ]
//! }
//! ```
//!
//! `counts` has one member per class that occurs (top-level changes only), in class order.
//! A CHANGE is:
//!
//! ```json
//! {
//!   "class": "lacuna_filled",
//!   "summary": "lacuna filled: 'was another man who'",
//!   "old": {"path": "/TEI/text/body/div/p[2]", "line": 91, "span": [5120, 5120]},
//!   "new": {"path": "/TEI/text/body/div/p[2]", "line": 91, "span": [5120, 5139]},
//!   "old_text": "[gap]", "new_text": "was another man who",
//!   "context": {"before": "alluded to his “will”", "after": "wanted power"},
//!   "element": "supplied", "field": null,
//!   "attributes": [{"name": "ref", "old": "#a", "new": "#b"}],
//!   "group": "article", "changes_text": true,
//!   "inner": [ CHANGE … ]
//! }
//! ```
//!
//! `old` / `new` are absent only when a side has no location at all; a block present on one
//! side only has an empty `span` (the insertion point) on the other. `path` is XPath-like,
//! starting from the nearest ancestor with an `xml:id` (`//div[@xml:id='L01']/p[3]`) where
//! there is one. `line` is 1-based; `span` is a byte range of the file as read. Absent
//! values are `null`; `attributes` and `inner` may be empty. Members are never removed from
//! this schema without a version change; new members may be added.

pub mod codes;

mod align;
mod change;
mod flow;
pub mod render;
mod tree;

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub use change::{AttributeChange, Change, Class, Context, Degradation, Location, Report, Side};

use crate::diag::{Diagnostic, FileId};
use crate::xml::{Document, Node, NodeId, ParseOptions, XML_NS};
use align::{Engine, Raw};
use tree::{HEADER_FIELDS, ItemId, NONE, Names, View};

/// What to compare and report.
#[derive(Debug, Clone)]
pub struct Options {
    /// Classes left out of the report.
    pub ignore: Vec<Class>,
    /// Only changes of the reading text.
    pub text_only: bool,
    /// Only changes of the markup (the reading text unchanged).
    pub markup_only: bool,
    /// Look for moved blocks (default true).
    pub moves: bool,
    /// Time budget for the whole comparison; alignment steps that run past it return a
    /// coarser result and report it (`DIF001`).
    pub time_budget: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            ignore: Vec::new(),
            text_only: false,
            markup_only: false,
            moves: true,
            time_budget: Duration::from_secs(20),
        }
    }
}

/// Reading options for diff inputs: the safe defaults, but no nesting limit below the input
/// size (every walk of the diff is iterative, so deep documents are compared, not refused).
pub fn parse_options() -> ParseOptions {
    let d = ParseOptions::default();
    ParseOptions {
        max_depth: d.max_input_bytes,
        ..d
    }
}

/// Turns a reading error into a located diagnostic (the XML reader's own codes: `XML001`
/// not well-formed, `XML002` encoding, `XML003` refused, `LIM001` a limit).
pub fn read_error(e: &crate::xml::Error, file: FileId) -> Diagnostic {
    e.to_diagnostic(file)
        .with_note("nothing was compared: both documents must be readable")
}

/// Compares two documents.
pub fn diff(old: &Document, new: &Document, options: &Options) -> Report {
    let start = Instant::now();
    let mut names = Names::new([old, new]);
    let va = View::build(old, 0, &mut names);
    let vb = View::build(new, 1, &mut names);
    let mut engine = Engine::new(
        &names,
        [&va, &vb],
        start + options.time_budget,
        options.moves,
    );
    engine.run();
    let limits = std::mem::take(&mut engine.limits);
    let raws = std::mem::take(&mut engine.raws);
    let changes = finish(raws, [&va, &vb], &names);
    let changes = changes
        .into_iter()
        .filter(|c| {
            !options.ignore.contains(&c.class)
                && (!options.text_only || c.changes_text)
                && (!options.markup_only || !c.changes_text)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let degraded = limits
        .into_iter()
        .filter(|l| seen.insert((l.code.id, l.message.clone())))
        .map(|l| Degradation {
            code: l.code.id,
            message: l.message,
            at: l
                .at
                .map(|(side, span)| (if side == 0 { Side::Old } else { Side::New }, span)),
        })
        .collect();
    Report { changes, degraded }
}

impl Report {
    /// The degradations as diagnostics, located in the given files.
    pub fn diagnostics(&self, old: FileId, new: FileId) -> Vec<Diagnostic> {
        self.degraded
            .iter()
            .map(|d| {
                let code = codes::ALL
                    .iter()
                    .find(|c| c.id == d.code)
                    .copied()
                    .unwrap_or(&codes::DEADLINE);
                let mut diag = Diagnostic::new(code, d.message.clone());
                if let Some((side, span)) = &d.at {
                    diag = diag.at(if *side == Side::Old { old } else { new }, span.clone());
                }
                diag
            })
            .collect()
    }
}

/// Adds locations, groups and summaries; reclassifies by context; merges and nests.
fn finish(mut raws: Vec<Raw>, v: [&View<'_>; 2], names: &Names) -> Vec<Change> {
    let n = raws.len();
    let mut keys: Vec<Option<String>> = vec![None; n];
    // Letters take their correspDesc.
    let letters: HashMap<(String, bool), usize> = raws
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let id = r.letter_id.clone()?;
            Some(((id, r.change.class == Class::LetterAdded), i))
        })
        .collect();
    for i in 0..n {
        if raws[i].parent != NONE {
            continue;
        }
        if let Some(l) = &raws[i].letter_ref {
            let added = raws[i].change.class == Class::ElementInserted;
            if let Some(&li) = letters.get(&(l.clone(), added)) {
                raws[i].parent = li as u32;
                continue;
            }
        }
        // Context: header, translation pair.
        let r = &raws[i];
        let in_header =
            (0..2).any(|s| r.item[s] != NONE && v[s].items[r.item[s] as usize].ctx.header);
        if in_header {
            let side = if r.item[1] != NONE && v[1].items[r.item[1] as usize].ctx.header {
                1
            } else {
                0
            };
            if let Some(f) = r.field[side] {
                let (name, node) = header_field(v[side].doc.node(f));
                keys[i] = Some(format!("h{side}:{}", node.0));
                let r = &mut raws[i];
                let original = r.change.class;
                r.change.field = Some(name);
                if original != Class::HeaderChanged {
                    r.change.element = Some(match &r.change.element {
                        Some(e) => format!("{e} ({})", original.label()),
                        None => original.label().to_string(),
                    });
                }
                r.change.class = Class::HeaderChanged;
            }
            continue;
        }
        let pair = (0..2)
            .filter(|&s| r.item[s] != NONE)
            .map(|s| v[s].items[r.item[s] as usize].ctx.pair)
            .zip(0..2)
            .find(|(p, _)| *p != NONE);
        if let Some((p, s)) = pair.filter(|_| r.change.class != Class::BlockMoved) {
            let side = if r.item[1] != NONE && v[1].items[r.item[1] as usize].ctx.pair != NONE {
                1
            } else {
                s
            };
            let p = if side == s {
                p
            } else {
                v[side].items[r.item[side] as usize].ctx.pair
            };
            let key = v[side].pairs[p as usize].clone();
            keys[i] = Some(format!("t:{key}"));
            let r = &mut raws[i];
            let original = r.change.class;
            r.change.field = Some(key);
            if original != Class::TranslationChanged {
                r.change.element = Some(match &r.change.element {
                    Some(e) => format!("{e} ({})", original.label()),
                    None => original.label().to_string(),
                });
            }
            r.change.class = Class::TranslationChanged;
        }
    }
    // Merge the parts of one field / pair.
    let mut first: HashMap<String, usize> = HashMap::new();
    for i in 0..n {
        if let Some(k) = &keys[i] {
            match first.get(k) {
                Some(&f) => raws[i].parent = f as u32,
                None => {
                    first.insert(k.clone(), i);
                }
            }
        }
    }
    // Locations, groups, summaries.
    let mut out: Vec<Option<Change>> = Vec::with_capacity(n);
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(n);
    for r in &raws {
        let mut c = r.change.clone();
        for (s, view) in v.iter().enumerate() {
            if let Some((node, span)) = &r.loc[s] {
                let loc = Location {
                    path: path(view.doc.node(*node)),
                    span: span.clone(),
                };
                if s == 0 {
                    c.old = Some(loc);
                } else {
                    c.new = Some(loc);
                }
            }
        }
        let gs = if r.item[1] != NONE { 1 } else { 0 };
        if r.item[gs] != NONE {
            let it = &v[gs].items[r.item[gs] as usize];
            c.group = Some(if it.ctx.header {
                "header".to_string()
            } else {
                group_label(v[gs], r.item[gs], names)
            });
        }
        let pos = c
            .new
            .as_ref()
            .or(c.old.as_ref())
            .map_or(0, |l| l.span.start);
        let pos0 = c.old.as_ref().map_or(0, |l| l.span.start);
        order.push((pos, pos0));
        out.push(Some(c));
    }
    // Nest, deepest first.
    let mut depth = vec![0usize; n];
    for i in 0..n {
        let (mut d, mut p, mut steps) = (0, raws[i].parent, 0);
        while p != NONE && steps < n {
            d += 1;
            p = raws[p as usize].parent;
            steps += 1;
        }
        depth[i] = d;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| (std::cmp::Reverse(depth[i]), i));
    let mut kids: Vec<Vec<(usize, Change)>> = vec![Vec::new(); n];
    let mut top: Vec<(usize, Change)> = Vec::new();
    for i in idx {
        let Some(mut c) = out[i].take() else { continue };
        let mut k = std::mem::take(&mut kids[i]);
        k.sort_by_key(|(j, _)| order[*j]);
        if !k.is_empty() && matches!(c.class, Class::HeaderChanged | Class::TranslationChanged) {
            c.changes_text |= k.iter().any(|(_, x)| x.changes_text);
        }
        c.inner = k.into_iter().map(|(_, x)| x).collect();
        c.summary = summary(&c);
        let p = raws[i].parent;
        if p != NONE && (p as usize) < n && p as usize != i {
            kids[p as usize].push((i, c));
        } else {
            top.push((i, c));
        }
    }
    top.sort_by_key(|(j, _)| (order[*j], *j));
    top.into_iter().map(|(_, c)| c).collect()
}

/// The header field a node belongs to: the innermost element named in [`HEADER_FIELDS`].
fn header_field(n: Node<'_>) -> (String, NodeId) {
    let mut cur = Some(n);
    let mut last_el = n;
    let mut steps = 0;
    while let Some(x) = cur {
        if x.is_element() {
            let l = x.tag_name().local;
            if l == "teiHeader" {
                break;
            }
            if HEADER_FIELDS.contains(&l) {
                return (l.to_string(), x.id());
            }
            last_el = x;
        }
        steps += 1;
        if steps > 10_000 {
            break;
        }
        cur = x.parent();
    }
    (last_el.tag_name().local.to_string(), last_el.id())
}

/// XPath-like path of a node's element, from the nearest `xml:id` or the root.
fn path(n: Node<'_>) -> String {
    let mut segs: Vec<String> = Vec::new();
    let mut cur = Some(n);
    let mut absolute = true;
    while let Some(x) = cur {
        if !x.is_element() {
            cur = x.parent();
            continue;
        }
        let name = x.tag_name().local;
        if let Some(id) = x.attribute(Some(XML_NS), "id") {
            segs.push(format!("{name}[@xml:id='{id}']"));
            absolute = false;
            break;
        }
        let Some(p) = x.parent_element() else {
            segs.push(name.to_string());
            break;
        };
        if segs.len() >= 48 {
            segs.push("…".to_string());
            segs.push(x.document().root_element().tag_name().local.to_string());
            break;
        }
        let tn = x.tag_name();
        let mut k = 1;
        let mut total = 1;
        let mut s = x.prev_sibling();
        while let Some(y) = s {
            if y.is_element() && y.tag_name() == tn {
                k += 1;
            }
            s = y.prev_sibling();
        }
        let mut s = x.next_sibling();
        while let Some(y) = s {
            if y.is_element() && y.tag_name() == tn {
                total += 1;
                break;
            }
            s = y.next_sibling();
        }
        if k > 1 || total > 1 {
            segs.push(format!("{name}[{k}]"));
        } else {
            segs.push(name.to_string());
        }
        cur = Some(p);
    }
    segs.reverse();
    let body = segs.join("/");
    if absolute {
        format!("/{body}")
    } else {
        format!("//{body}")
    }
}

/// A label for the division an item is in: `letter L01`, `chapter CHAPTER I.`, with the
/// enclosing document's id in a corpus.
fn group_label(v: &View<'_>, item: ItemId, names: &Names) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut g = v.items[item as usize].ctx.group;
    let mut steps = 0;
    while g != NONE && steps < 3 {
        parts.push(div_label(
            v.node(g),
            names.info(v.items[g as usize].name).local.as_str(),
        ));
        let p = v.items[g as usize].parent;
        let p = if p == NONE {
            v.items[g as usize].flow_parent
        } else {
            p
        };
        g = if p == NONE {
            NONE
        } else {
            v.items[p as usize].ctx.group
        };
        steps += 1;
    }
    if parts.is_empty() {
        return "text".to_string();
    }
    parts.reverse();
    parts.join(" › ")
}

fn div_label(n: Node<'_>, local: &str) -> String {
    let kind = n.attribute(None, "type").unwrap_or(local);
    let id = n
        .attribute(Some(XML_NS), "id")
        .or(n.attribute(None, "n"))
        .map(str::to_string);
    let head = || {
        n.element_children()
            .find(|c| c.tag_name().local == "head")
            .map(|h| {
                let t = tree::norm_ws(&h.text_content());
                let t: String = t.chars().take(40).collect();
                t
            })
            .filter(|t| !t.is_empty())
    };
    match id.or_else(head) {
        Some(x) => format!("{kind} {x}"),
        None => kind.to_string(),
    }
}

fn quote(s: &Option<String>) -> String {
    match s {
        Some(t) => format!("'{t}'"),
        None => "''".to_string(),
    }
}

/// The one-line summary of a change.
fn summary(c: &Change) -> String {
    let el = c.element.clone().unwrap_or_default();
    let attrs = c
        .attributes
        .iter()
        .map(|a| match (&a.old, &a.new) {
            (Some(o), Some(n)) => format!("@{} '{o}' → '{n}'", a.name),
            (None, Some(n)) => format!("@{} added '{n}'", a.name),
            (Some(o), None) => format!("@{} removed '{o}'", a.name),
            (None, None) => format!("@{}", a.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let detail = match c.class {
        Class::WordsReplaced => format!("{} → {}", quote(&c.old_text), quote(&c.new_text)),
        Class::WordsInserted | Class::LacunaFilled | Class::NoteAdded | Class::LetterAdded => {
            let t = quote(&c.new_text);
            if matches!(c.class, Class::LetterAdded) {
                format!("{el} {t}")
            } else {
                t
            }
        }
        Class::WordsDeleted
        | Class::LacunaIntroduced
        | Class::NoteRemoved
        | Class::LetterRemoved => quote(&c.old_text),
        Class::NameTagged | Class::ElementInserted => {
            format!("<{el}> {} {attrs}", quote(&c.new_text))
                .trim_end()
                .to_string()
        }
        Class::NameUntagged | Class::ElementRemoved => {
            format!("<{el}> {} {attrs}", quote(&c.old_text))
                .trim_end()
                .to_string()
        }
        Class::NameReidentified | Class::AttributeChanged => {
            format!("<{el}> {attrs}").trim_end().to_string()
        }
        Class::NoteChanged => {
            if c.inner.is_empty() {
                format!("{} → {} {attrs}", quote(&c.old_text), quote(&c.new_text))
                    .trim_end()
                    .to_string()
            } else {
                format!(
                    "{} ({} edit{})",
                    quote(&c.new_text),
                    c.inner.len(),
                    plural(c.inner.len())
                )
            }
        }
        Class::ElementRenamed => format!("{el} {attrs}").trim_end().to_string(),
        Class::BlockMoved => {
            let e = if c.inner.is_empty() {
                String::new()
            } else {
                format!(" with {} edit{}", c.inner.len(), plural(c.inner.len()))
            };
            format!("<{el}> {}{e}", quote(&c.new_text))
        }
        Class::HeaderChanged | Class::TranslationChanged => {
            let f = c.field.clone().unwrap_or_default();
            let what = match (&c.old_text, &c.new_text) {
                (Some(_), Some(_)) => format!("{} → {}", quote(&c.old_text), quote(&c.new_text)),
                (None, Some(_)) => quote(&c.new_text),
                (Some(_), None) => quote(&c.old_text),
                (None, None) => attrs.clone(),
            };
            let more = if c.inner.is_empty() {
                String::new()
            } else {
                format!(" (+{} more)", c.inner.len())
            };
            format!("{f}: {el}: {what}{more}")
        }
    };
    format!("{}: {}", c.class.label(), detail)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>";
    const TAIL: &str = "</body></text></TEI>";

    fn doc(body: &str) -> Document {
        Document::parse_with(&format!("{HEAD}{body}{TAIL}"), &parse_options()).unwrap()
    }

    fn classes(a: &str, b: &str) -> Vec<Class> {
        diff(&doc(a), &doc(b), &Options::default())
            .changes
            .iter()
            .map(|c| c.class)
            .collect()
    }

    #[test]
    fn serialization_noise_is_not_a_change() {
        let a = "<div><p rend=\"a\" n=\"1\">Caf&#233; au lait,\n  <hi>very</hi> hot.</p>\n\n<p>Two</p></div>";
        let b = "<div>\r\n  <p n='1' rend='a'>Café au   lait, <hi>very</hi>\r\n hot.</p><!-- x --><p>Two</p></div>";
        assert_eq!(classes(a, b), vec![]);
        let prefixed = "<tei:TEI xmlns:tei=\"http://www.tei-c.org/ns/1.0\"><tei:text><tei:body><tei:div><tei:p>x y</tei:p></tei:div></tei:body></tei:text></tei:TEI>";
        let plain = doc("<div><p>x y</p></div>");
        let p = Document::parse(prefixed).unwrap();
        assert!(diff(&plain, &p, &Options::default()).is_identical());
    }

    #[test]
    fn markup_inside_a_word_does_not_split_it() {
        // "Natalia" with an expansion inside is still one word: tagging it as a name is one
        // change, and no word changed.
        assert_eq!(
            classes(
                "<p>Dear N<ex>atalia</ex> Sedova,</p>",
                "<p>Dear <persName ref=\"#s\">N<ex>atalia</ex> Sedova</persName>,</p>"
            ),
            vec![Class::NameTagged]
        );
        assert_eq!(
            classes("<p>a wor<hi>ld</hi> b</p>", "<p>a world b</p>"),
            vec![Class::ElementRemoved]
        );
    }

    #[test]
    fn each_inline_edit_is_one_change_of_its_class() {
        let base = "<p>one two <persName ref=\"#a\">Anna Berg</persName> three four five six</p>";
        let cases = [
            (
                "<p>one two <persName ref=\"#b\">Anna Berg</persName> three four five six</p>",
                Class::NameReidentified,
            ),
            (
                "<p>one two Anna Berg three four five six</p>",
                Class::NameUntagged,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three <hi>four</hi> five six</p>",
                Class::ElementInserted,
            ),
            (
                "<p>one two <rs ref=\"#a\">Anna Berg</rs> three four five six</p>",
                Class::ElementRenamed,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three<note>A note.</note> four five six</p>",
                Class::NoteAdded,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three <gap/> five six</p>",
                Class::LacunaIntroduced,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three four 4 five six</p>",
                Class::WordsInserted,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three five six</p>",
                Class::WordsDeleted,
            ),
            (
                "<p>one two <persName ref=\"#a\">Anna Berg</persName> three FOUR five six</p>",
                Class::WordsReplaced,
            ),
            (
                "<p rend=\"x\">one two <persName ref=\"#a\">Anna Berg</persName> three four five six</p>",
                Class::AttributeChanged,
            ),
            (
                "<ab>one two <persName ref=\"#a\">Anna Berg</persName> three four five six</ab>",
                Class::ElementRenamed,
            ),
        ];
        for (b, want) in cases {
            assert_eq!(classes(base, b), vec![want], "{b}");
        }
    }

    #[test]
    fn lacuna_filled_with_or_without_supplied() {
        let a = "<p>the the <gap reason=\"damage\"/> the end</p>";
        assert_eq!(
            classes(a, "<p>the the the the end</p>"),
            vec![Class::LacunaFilled]
        );
        assert_eq!(
            classes(a, "<p>the the <supplied>the</supplied> the end</p>"),
            vec![Class::LacunaFilled]
        );
    }

    #[test]
    fn moves_identical_and_edited_are_one_change() {
        let a = "<div><p>alpha beta gamma delta</p><p>one two three</p><p>four five six</p></div>";
        let b = "<div><p>one two three</p><p>four five six</p><p>alpha beta gamma delta</p></div>";
        assert_eq!(classes(a, b), vec![Class::BlockMoved]);
        let b2 = "<div><p>one two three</p><p>four five six</p><p>alpha beta GAMMA delta</p></div>";
        let r = diff(&doc(a), &doc(b2), &Options::default());
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].class, Class::BlockMoved);
        assert_eq!(r.changes[0].inner[0].class, Class::WordsReplaced);
    }

    #[test]
    fn letters_and_header() {
        let a = "<div type=\"letter\" xml:id=\"L1\"><p>Dear A, hello there.</p></div>";
        let b = format!("{a}<div type=\"letter\" xml:id=\"L2\"><p>Dear B, hello again.</p></div>");
        assert_eq!(classes(a, &b), vec![Class::LetterAdded]);
        assert_eq!(classes(&b, a), vec![Class::LetterRemoved]);
        let h = |t: &str| {
            Document::parse(&format!(
                "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>{t}</title></titleStmt></fileDesc></teiHeader><text><body><p>x</p></body></text></TEI>"
            ))
            .unwrap()
        };
        let r = diff(&h("Old title"), &h("New title"), &Options::default());
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].class, Class::HeaderChanged);
        assert_eq!(r.changes[0].field.as_deref(), Some("title"));
    }

    #[test]
    fn filters() {
        let a = doc("<p>one two <persName ref=\"#a\">A</persName> three</p>");
        let b = doc("<p>one 2 <persName ref=\"#b\">A</persName> three</p>");
        let all = diff(&a, &b, &Options::default());
        assert_eq!(all.changes.len(), 2);
        let text = diff(
            &a,
            &b,
            &Options {
                text_only: true,
                ..Options::default()
            },
        );
        assert_eq!(
            text.changes.iter().map(|c| c.class).collect::<Vec<_>>(),
            [Class::WordsReplaced]
        );
        let markup = diff(
            &a,
            &b,
            &Options {
                markup_only: true,
                ..Options::default()
            },
        );
        assert_eq!(
            markup.changes.iter().map(|c| c.class).collect::<Vec<_>>(),
            [Class::NameReidentified]
        );
        let ign = diff(
            &a,
            &b,
            &Options {
                ignore: Class::parse_many("names").unwrap(),
                ..Options::default()
            },
        );
        assert_eq!(ign.changes.len(), 1);
    }
}
