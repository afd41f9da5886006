//! The diff's view of a document: block items with canonical content hashes, and flows of
//! words with inline markup as positioned marks.
//!
//! A [`View`] turns an [`xml::Document`](crate::xml::Document) into a tree of *items*:
//!
//! * an **element item** for every block-level element (`div`, `p`, `head`, `teiHeader` …)
//!   and for every *atomic* inline element (`note`, `figure`, `gap`, empty elements such as
//!   `pb`), whose own content is again a tree of items;
//! * a **flow item** for every maximal run of inline content (text and inline elements such
//!   as `hi` or `persName`) between block children. A flow is compared word by word: its
//!   [`FlowData`] holds the words (whitespace-separated, markup inside a word does not split
//!   it) and the inline markup as *marks* positioned between or inside words.
//!
//! Every item carries a canonical 64-bit xxh3 hash of its content, built so that
//! serialization noise hashes equal: attributes are sorted, attribute values and text are
//! whitespace-normalised, names are namespace URI + local name (never prefixes), character
//! references and line ends were resolved by the XML reader, comments and processing
//! instructions are ignored, whitespace between block elements is insignificant.
//!
//! Which elements are inline is decided per expanded name over *both* documents of a diff
//! (see [`Names`]): a short list of TEI block and inline names, and otherwise "the name occurs
//! as a child of an element that has text of its own". So a `persName` is inline in both
//! versions even where one of them happens to hold only the name.
//!
//! Every walk is a loop over the flat node vector (`Node::subtree_end`) or an explicit stack.

use std::collections::HashMap;

use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

use crate::xml::{Document, Node, NodeId, NodeKind, TEI_NS, XML_NS};

/// Index of an item in its [`View`].
pub(crate) type ItemId = u32;
/// "No item".
pub(crate) const NONE: u32 = u32::MAX;

/// Elements that are always blocks (structure, never part of a running text).
const BLOCK: &[&str] = &[
    "TEI",
    "teiCorpus",
    "teiHeader",
    "fileDesc",
    "titleStmt",
    "publicationStmt",
    "sourceDesc",
    "encodingDesc",
    "profileDesc",
    "revisionDesc",
    "standOff",
    "text",
    "front",
    "body",
    "back",
    "group",
    "div",
    "div1",
    "div2",
    "div3",
    "div4",
    "div5",
    "div6",
    "div7",
    "p",
    "ab",
    "head",
    "lg",
    "l",
    "list",
    "item",
    "table",
    "row",
    "cell",
    "opener",
    "closer",
    "postscript",
    "listPerson",
    "listPlace",
    "listOrg",
    "listBibl",
    "listEvent",
    "person",
    "place",
    "org",
    "linkGrp",
    "link",
    "correspDesc",
    "correspAction",
    "correspContext",
    "respStmt",
    "availability",
    "msDesc",
    "msIdentifier",
    "physDesc",
    "langUsage",
    "textClass",
    "textDesc",
    "keywords",
    "change",
    "listChange",
    "titlePage",
    "sp",
    "castList",
    "epigraph",
    "argument",
    "editionStmt",
    "seriesStmt",
    "notesStmt",
    "projectDesc",
    "editorialDecl",
    "appInfo",
    "listWit",
    "listApp",
];

/// Elements that are always inline (phrase level).
const INLINE: &[&str] = &[
    "hi",
    "emph",
    "foreign",
    "term",
    "q",
    "said",
    "mentioned",
    "soCalled",
    "persName",
    "placeName",
    "orgName",
    "geogName",
    "rs",
    "name",
    "roleName",
    "forename",
    "surname",
    "addName",
    "date",
    "time",
    "num",
    "measure",
    "supplied",
    "unclear",
    "damage",
    "sic",
    "corr",
    "choice",
    "abbr",
    "expan",
    "ex",
    "orig",
    "reg",
    "add",
    "del",
    "subst",
    "seg",
    "w",
    "c",
    "pc",
    "ref",
    "title",
];

/// Inline elements that are compared as one unit (a token in the running text whose own
/// content is diffed separately), never as a stretch of words.
const ATOMIC: &[&str] = &["note", "figure", "gap", "app", "witDetail", "index"];

/// Names whose tagging is an editorial identification ("name tagged / untagged").
pub(crate) const NAME_ELEMENTS: &[&str] = &[
    "persName",
    "placeName",
    "orgName",
    "geogName",
    "rs",
    "name",
    "objectName",
    "eventName",
];

/// Header elements that name a metadata field, innermost first wins.
pub(crate) const HEADER_FIELDS: &[&str] = &[
    "title",
    "author",
    "editor",
    "respStmt",
    "principal",
    "funder",
    "sponsor",
    "edition",
    "extent",
    "publisher",
    "distributor",
    "authority",
    "pubPlace",
    "idno",
    "licence",
    "availability",
    "date",
    "bibl",
    "biblStruct",
    "msIdentifier",
    "correspAction",
    "correspDesc",
    "correspContext",
    "change",
    "language",
    "term",
    "projectDesc",
    "editorialDecl",
    "samplingDecl",
    "application",
    "classDecl",
    "creation",
    "abstract",
    "seriesStmt",
    "notesStmt",
    "note",
    "textClass",
];

/// Per-name facts shared by both documents of a diff.
#[derive(Debug, Clone)]
pub(crate) struct NameInfo {
    /// Namespace URI.
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
    /// Some element of this name has non-whitespace text of its own.
    pub mixed: bool,
    /// Inline: part of a running text.
    pub inline: bool,
    /// Known block (structure) element.
    pub block: bool,
    /// Atomic inline element (compared as a unit).
    pub atomic: bool,
    /// An element whose tagging identifies a name.
    pub is_name: bool,
}

impl NameInfo {
    /// The name shown to people: the local name, prefixed by `{ns}` outside TEI.
    pub fn display(&self) -> String {
        match &self.ns {
            Some(ns) if ns != TEI_NS => format!("{{{ns}}}{}", self.local),
            _ => self.local.clone(),
        }
    }

    fn tei(&self) -> bool {
        self.ns.as_deref().is_none_or(|n| n == TEI_NS)
    }
}

/// The expanded-name table of a diff: ids shared by the two documents.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Facts per name id.
    pub info: Vec<NameInfo>,
    index: HashMap<(Option<String>, String), u32>,
    /// Per document: document name index → name id.
    maps: [Vec<u32>; 2],
}

impl Names {
    /// Builds the table from the two documents (`docs[0]` old, `docs[1]` new).
    pub fn new(docs: [&Document; 2]) -> Names {
        let mut names = Names::default();
        for (side, doc) in docs.iter().enumerate() {
            names.maps[side] = vec![NONE; doc.name_count()];
            for n in doc.descendants() {
                if n.is_element() {
                    let id = names.id_of(side, n);
                    if !names.info[id as usize].mixed && has_own_text(n) {
                        names.info[id as usize].mixed = true;
                    }
                }
            }
        }
        // Inline by use: a child of an element of a mixed name.
        let mut inline_by_use = vec![false; names.info.len()];
        for (side, doc) in docs.iter().enumerate() {
            for n in doc.descendants() {
                if n.is_element()
                    && let Some(p) = n.parent_element()
                {
                    let pid = names.id_of(side, p);
                    if names.info[pid as usize].mixed {
                        inline_by_use[names.id_of(side, n) as usize] = true;
                    }
                }
            }
        }
        for (i, info) in names.info.iter_mut().enumerate() {
            let tei = info.tei();
            let l = info.local.as_str();
            info.block = tei && BLOCK.contains(&l);
            info.atomic = tei && ATOMIC.contains(&l);
            info.is_name = tei && NAME_ELEMENTS.contains(&l);
            info.inline =
                !info.block && (info.atomic || (tei && INLINE.contains(&l)) || inline_by_use[i]);
        }
        names
    }

    /// The name id of an element of document `side`.
    pub fn id_of(&mut self, side: usize, n: Node<'_>) -> u32 {
        let di = n.name_index().unwrap_or(0) as usize;
        if let Some(&id) = self.maps[side].get(di)
            && id != NONE
        {
            return id;
        }
        let tn = n.tag_name();
        let key = (tn.namespace.map(str::to_string), tn.local.to_string());
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.info.len() as u32;
                self.info.push(NameInfo {
                    ns: key.0.clone(),
                    local: key.1.clone(),
                    mixed: false,
                    inline: false,
                    block: false,
                    atomic: false,
                    is_name: false,
                });
                self.index.insert(key, id);
                id
            }
        };
        if di >= self.maps[side].len() {
            self.maps[side].resize(di + 1, NONE);
        }
        self.maps[side][di] = id;
        id
    }

    /// The name id of an element already seen by [`Names::new`].
    pub fn get(&self, side: usize, n: Node<'_>) -> u32 {
        let di = n.name_index().unwrap_or(0) as usize;
        self.maps[side].get(di).copied().unwrap_or(0)
    }

    /// Facts about a name id.
    pub fn info(&self, id: u32) -> &NameInfo {
        &self.info[id as usize]
    }
}

/// Whether an element has non-whitespace text as a direct child.
fn has_own_text(n: Node<'_>) -> bool {
    n.children()
        .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()))
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    /// A block element, or an atomic inline element.
    Element,
    /// A run of inline content.
    Flow,
}

/// Inherited context of an item: where it sits editorially.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemCtx {
    /// Inside `teiHeader`.
    pub header: bool,
    /// The nearest enclosing division item (`div`, a letter, a `TEI` inside a corpus).
    pub group: ItemId,
    /// The translation pair this item belongs to (index into [`View::pairs`]).
    pub pair: u32,
}

/// One item of the diff tree.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// Element or flow.
    pub kind: ItemKind,
    /// The element node; for a flow, the first node of the run.
    pub node: NodeId,
    /// For a flow, the last node of the run (inclusive); for an element, `node`.
    pub last: NodeId,
    /// The parent item (`NONE` for the root and for atomic elements, whose parent flow is
    /// in `flow_parent`).
    pub parent: ItemId,
    /// For atomic elements: the flow they sit in.
    pub flow_parent: ItemId,
    /// Children: element children and flows; for a flow, its atomic elements in order.
    pub children: std::ops::Range<u32>,
    /// Expanded-name id (elements) or `NONE` (flows).
    pub name: u32,
    /// Hash of own content only (name + attributes, or words + marks).
    pub base: u64,
    /// Canonical hash of the whole content.
    pub hash: u64,
    /// Alignment key among siblings (identity attribute or `hash`).
    pub key: u64,
    /// Number of words in the subtree.
    pub words: u32,
    /// Whether the element's parent allows text (whitespace between the run's siblings is
    /// significant).
    pub mixed: bool,
    /// Editorial context.
    pub ctx: ItemCtx,
}

/// A word of a flow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    /// xxh3 of the word's text.
    pub hash: u64,
    /// Range of the text in [`FlowData::text`].
    pub t: (u32, u32),
    /// Byte range in the source document.
    pub src: (u32, u32),
    /// The text node holding the first character.
    pub node: NodeId,
}

/// A position in a flow: before word `w`, or inside it at byte offset `off`. The end of a
/// word is always written as the start of the next one, so positions are canonical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pos {
    /// Word index.
    pub w: u32,
    /// Byte offset inside the word (0 = before it).
    pub off: u32,
}

/// Inline markup of a flow.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// The element.
    pub node: NodeId,
    /// Expanded-name id.
    pub name: u32,
    /// Hash of the sorted, normalised attributes.
    pub attrs: u64,
    /// Start position.
    pub start: Pos,
    /// End position (equal to `start` for atomic elements).
    pub end: Pos,
    /// For atomic elements with content: their item.
    pub item: ItemId,
    /// Atomic or empty: a point in the text, not a stretch of words.
    pub anchor: bool,
}

/// The words and marks of a flow item, built on demand.
#[derive(Debug, Default, Clone)]
pub(crate) struct FlowData {
    /// The words' text, concatenated.
    pub text: String,
    /// Words in order.
    pub words: Vec<Word>,
    /// Marks in document order of their start tags.
    pub marks: Vec<Mark>,
    /// Atomic element nodes in order (become the flow's child items).
    pub atomics: Vec<NodeId>,
}

impl FlowData {
    /// The text of word `i`.
    pub fn word(&self, i: usize) -> &str {
        let w = &self.words[i];
        &self.text[w.t.0 as usize..w.t.1 as usize]
    }

    /// Words `r` joined by single spaces.
    pub fn words_text(&self, r: std::ops::Range<usize>) -> String {
        let mut s = String::new();
        for i in r {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(self.word(i));
        }
        s
    }
}

/// A document seen by the diff.
pub(crate) struct View<'d> {
    /// The document.
    pub doc: &'d Document,
    /// 0 = old, 1 = new.
    pub side: usize,
    /// Items; `0` is the root element.
    pub items: Vec<Item>,
    /// Translation pair keys.
    pub pairs: Vec<String>,
    /// Atomic element node → its item.
    pub atomic_items: HashMap<u32, ItemId>,
}

enum Work {
    Expand(ItemId),
    Flow(ItemId),
}

impl<'d> View<'d> {
    /// Builds the view of document `side`.
    pub fn build(doc: &'d Document, side: usize, names: &mut Names) -> View<'d> {
        let translation_ids = translation_ids(doc);
        let mut v = View {
            doc,
            side,
            items: Vec::new(),
            pairs: Vec::new(),
            atomic_items: HashMap::new(),
        };
        let root = doc.root_element();
        let rid = names.id_of(side, root);
        let ctx = ItemCtx {
            header: false,
            group: NONE,
            pair: NONE,
        };
        v.push_element(root, rid, NONE, false, ctx, names, &translation_ids);
        let mut stack = vec![Work::Expand(0)];
        while let Some(w) = stack.pop() {
            match w {
                Work::Expand(id) => {
                    let first = v.items.len() as u32;
                    v.expand(id, names, &translation_ids);
                    let last = v.items.len() as u32;
                    v.items[id as usize].children = first..last;
                    for c in (first..last).rev() {
                        stack.push(match v.items[c as usize].kind {
                            ItemKind::Element => Work::Expand(c),
                            ItemKind::Flow => Work::Flow(c),
                        });
                    }
                }
                Work::Flow(id) => {
                    let data = v.flow_data(id, names);
                    let base = flow_base_hash(&data, names);
                    let words = data.words.len() as u32;
                    let first = v.items.len() as u32;
                    let ctx = v.items[id as usize].ctx;
                    for &a in &data.atomics {
                        let n = doc.node(a);
                        let nid = names.get(side, n);
                        let aid = v.push_element(n, nid, NONE, false, ctx, names, &translation_ids);
                        v.items[aid as usize].flow_parent = id;
                        v.atomic_items.insert(a.0, aid);
                    }
                    let last = v.items.len() as u32;
                    let it = &mut v.items[id as usize];
                    it.children = first..last;
                    it.base = base;
                    it.words = words;
                    for c in (first..last).rev() {
                        stack.push(Work::Expand(c));
                    }
                }
            }
        }
        // Bottom-up hashes: children always have larger ids than their parents.
        for i in (0..v.items.len()).rev() {
            let it = &v.items[i];
            let mut h = Xxh3Default::new();
            h.update(&it.base.to_le_bytes());
            let mut words = if it.kind == ItemKind::Flow {
                it.words
            } else {
                0
            };
            for c in it.children.clone() {
                let ci = &v.items[c as usize];
                h.update(&ci.hash.to_le_bytes());
                words = words.saturating_add(ci.words);
            }
            let hash = h.digest();
            let it = &mut v.items[i];
            it.hash = hash;
            it.words = words;
            if it.key == 0 {
                it.key = hash;
            }
        }
        v
    }

    #[allow(clippy::too_many_arguments)]
    fn push_element(
        &mut self,
        n: Node<'d>,
        name: u32,
        parent: ItemId,
        mixed: bool,
        pctx: ItemCtx,
        names: &Names,
        translation_ids: &[(String, String)],
    ) -> ItemId {
        let id = self.items.len() as u32;
        let info = names.info(name);
        let local = info.local.as_str();
        let tei = info.tei();
        let mut ctx = pctx;
        if tei && local == "teiHeader" {
            ctx.header = true;
        }
        let is_group = tei
            && (local.starts_with("div") && local.len() <= 4
                || (local == "TEI" && n.parent_element().is_some()));
        if is_group {
            ctx.group = id;
        }
        if let Some(key) = pair_key(n, translation_ids) {
            let idx = match self.pairs.iter().position(|p| *p == key) {
                Some(i) => i,
                None => {
                    self.pairs.push(key);
                    self.pairs.len() - 1
                }
            };
            ctx.pair = idx as u32;
        }
        let mut h = Xxh3Default::new();
        h.update(b"E");
        h.update(info.ns.as_deref().unwrap_or("").as_bytes());
        h.update(b"\0");
        h.update(local.as_bytes());
        h.update(b"\0");
        h.update(&attrs_hash(n).to_le_bytes());
        let base = h.digest();
        let key = identity_key(n, local);
        self.items.push(Item {
            kind: ItemKind::Element,
            node: n.id(),
            last: n.id(),
            parent,
            flow_parent: NONE,
            children: 0..0,
            name,
            base,
            hash: 0,
            key,
            words: 0,
            mixed,
            ctx,
        });
        id
    }

    /// Creates the child items of element item `id` (not their content).
    fn expand(&mut self, id: ItemId, names: &mut Names, translation_ids: &[(String, String)]) {
        let node = self.doc.node(self.items[id as usize].node);
        let pname = self.items[id as usize].name;
        let mixed = names.info(pname).mixed;
        let ctx = self.items[id as usize].ctx;
        let mut run: Option<(NodeId, NodeId)> = None;
        let side = self.side;
        for c in node.children() {
            let is_block = match c.kind() {
                NodeKind::Element => {
                    let nid = names.id_of(side, c);
                    !names.info(nid).inline
                }
                NodeKind::Text => {
                    if !mixed && c.text().is_some_and(|t| t.trim().is_empty()) {
                        continue;
                    }
                    false
                }
                _ => continue,
            };
            if is_block {
                if let Some((a, b)) = run.take() {
                    self.push_flow(a, b, id, mixed, ctx);
                }
                let nid = names.get(side, c);
                self.push_element(c, nid, id, mixed, ctx, names, translation_ids);
            } else {
                run = Some(match run {
                    Some((a, _)) => (a, c.id()),
                    None => (c.id(), c.id()),
                });
            }
        }
        if let Some((a, b)) = run.take() {
            self.push_flow(a, b, id, mixed, ctx);
        }
    }

    fn push_flow(
        &mut self,
        first: NodeId,
        last: NodeId,
        parent: ItemId,
        mixed: bool,
        ctx: ItemCtx,
    ) {
        // A run of whitespace only (in mixed content) carries nothing.
        if first == last {
            let n = self.doc.node(first);
            if n.is_text() && n.text().is_some_and(|t| t.trim().is_empty()) {
                return;
            }
        }
        self.items.push(Item {
            kind: ItemKind::Flow,
            node: first,
            last,
            parent,
            flow_parent: NONE,
            children: 0..0,
            name: NONE,
            base: 0,
            hash: 0,
            key: 0,
            words: 0,
            mixed,
            ctx,
        });
    }

    /// Builds the words and marks of flow item `id`.
    pub fn flow_data(&self, id: ItemId, names: &Names) -> FlowData {
        let it = &self.items[id as usize];
        let mut b = FlowBuilder {
            text: String::new(),
            words: Vec::new(),
            marks: Vec::new(),
            atomics: Vec::new(),
            cur_start: 0,
            cur_src: (0, 0),
            cur_node: it.node,
            in_word: false,
        };
        let doc = self.doc;
        let mut sib = Some(doc.node(it.node));
        // Open spans: (mark index, subtree end).
        let mut open: Vec<(usize, u32)> = Vec::new();
        while let Some(s) = sib {
            if !it.mixed {
                b.brk();
            }
            let end = s.subtree_end().0;
            let mut i = s.id().0;
            while i < end {
                let n = doc.node(NodeId(i));
                while let Some(&(m, e)) = open.last() {
                    if e <= i {
                        b.close(m);
                        open.pop();
                    } else {
                        break;
                    }
                }
                match n.kind() {
                    NodeKind::Text => {
                        b.text(n);
                        i += 1;
                    }
                    NodeKind::Element => {
                        let nid = names.get(self.side, n);
                        let info = names.info(nid);
                        if info.atomic || !n.has_children() {
                            let pos = b.pos();
                            b.marks.push(Mark {
                                node: n.id(),
                                name: nid,
                                attrs: attrs_hash(n),
                                start: pos,
                                end: pos,
                                item: self.atomic_items.get(&n.id().0).copied().unwrap_or(NONE),
                                anchor: true,
                            });
                            if info.atomic && n.has_children() {
                                b.atomics.push(n.id());
                            }
                            i = n.subtree_end().0;
                        } else {
                            if info.block {
                                b.brk();
                            }
                            let pos = b.pos();
                            b.marks.push(Mark {
                                node: n.id(),
                                name: nid,
                                attrs: attrs_hash(n),
                                start: pos,
                                end: pos,
                                item: NONE,
                                anchor: false,
                            });
                            open.push((b.marks.len() - 1, n.subtree_end().0));
                            i += 1;
                        }
                    }
                    _ => i += 1,
                }
            }
            while let Some((m, _)) = open.pop() {
                b.close(m);
            }
            if s.id() == it.last {
                break;
            }
            sib = s.next_sibling();
        }
        b.finish()
    }

    /// The item's element node.
    pub fn node(&self, id: ItemId) -> Node<'d> {
        self.doc.node(self.items[id as usize].node)
    }

    /// Byte range of an item in the source.
    pub fn span(&self, id: ItemId) -> std::ops::Range<usize> {
        let it = &self.items[id as usize];
        let a = self.doc.node(it.node).range();
        let b = self.doc.node(it.last).range();
        a.start..b.end
    }

    /// Sorted word hashes of an item's whole text (for similarity).
    pub fn signature(&self, id: ItemId) -> Vec<u64> {
        let it = &self.items[id as usize];
        let mut out = Vec::new();
        let mut sib = Some(self.doc.node(it.node));
        while let Some(s) = sib {
            for n in s.descendants() {
                if n.is_text() {
                    for w in n.text().unwrap_or("").split_whitespace() {
                        out.push(xxh3_64(w.as_bytes()));
                    }
                }
            }
            if s.id() >= it.last {
                break;
            }
            sib = s.next_sibling();
        }
        out.sort_unstable();
        out
    }
}

struct FlowBuilder {
    text: String,
    words: Vec<Word>,
    marks: Vec<Mark>,
    atomics: Vec<NodeId>,
    cur_start: usize,
    cur_src: (u32, u32),
    cur_node: NodeId,
    in_word: bool,
}

impl FlowBuilder {
    fn brk(&mut self) {
        if self.in_word {
            let t = (self.cur_start as u32, self.text.len() as u32);
            self.words.push(Word {
                hash: xxh3_64(&self.text.as_bytes()[self.cur_start..]),
                t,
                src: self.cur_src,
                node: self.cur_node,
            });
            self.in_word = false;
        }
    }

    fn pos(&self) -> Pos {
        if self.in_word {
            Pos {
                w: self.words.len() as u32,
                off: (self.text.len() - self.cur_start) as u32,
            }
        } else {
            Pos {
                w: self.words.len() as u32,
                off: 0,
            }
        }
    }

    fn close(&mut self, m: usize) {
        self.marks[m].end = self.pos();
    }

    fn text(&mut self, n: Node<'_>) {
        let t = n.text().unwrap_or("");
        let r = n.range();
        // Source offsets are exact when the text was written without references or CDATA.
        let exact = r.len() == t.len();
        for (i, ch) in t.char_indices() {
            if ch.is_whitespace() {
                self.brk();
                continue;
            }
            let src = if exact {
                (r.start + i) as u32
            } else {
                r.start as u32
            };
            let src_end = if exact {
                (r.start + i + ch.len_utf8()) as u32
            } else {
                r.end as u32
            };
            if !self.in_word {
                self.in_word = true;
                self.cur_start = self.text.len();
                self.cur_src = (src, src_end);
                self.cur_node = n.id();
            }
            self.cur_src.1 = src_end;
            self.text.push(ch);
        }
    }

    fn finish(mut self) -> FlowData {
        self.brk();
        // Canonical positions: the end of word i is the start of word i + 1.
        let lens: Vec<u32> = self.words.iter().map(|w| w.t.1 - w.t.0).collect();
        let norm = |p: Pos| -> Pos {
            if p.off > 0 && lens.get(p.w as usize).is_some_and(|&l| p.off >= l) {
                Pos { w: p.w + 1, off: 0 }
            } else {
                p
            }
        };
        for m in &mut self.marks {
            m.start = norm(m.start);
            m.end = norm(m.end);
        }
        FlowData {
            text: self.text,
            words: self.words,
            marks: self.marks,
            atomics: self.atomics,
        }
    }
}

fn flow_base_hash(d: &FlowData, names: &Names) -> u64 {
    let mut h = Xxh3Default::new();
    h.update(b"F");
    for w in &d.words {
        h.update(&w.hash.to_le_bytes());
    }
    h.update(b"M");
    for m in &d.marks {
        let info = names.info(m.name);
        h.update(info.ns.as_deref().unwrap_or("").as_bytes());
        h.update(b"\0");
        h.update(info.local.as_bytes());
        h.update(b"\0");
        h.update(&m.attrs.to_le_bytes());
        for v in [m.start.w, m.start.off, m.end.w, m.end.off] {
            h.update(&v.to_le_bytes());
        }
    }
    h.digest()
}

/// Attribute value with whitespace runs collapsed and trimmed.
pub(crate) fn norm_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Sorted `(name, normalised value)` attributes of an element.
pub(crate) fn sorted_attrs(n: Node<'_>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = n
        .attributes()
        .map(|a| {
            let name = a.name();
            let key = match name.namespace {
                Some(ns) if ns == XML_NS => format!("xml:{}", name.local),
                Some(ns) => format!("{{{ns}}}{}", name.local),
                None => name.local.to_string(),
            };
            (key, norm_ws(a.value()))
        })
        .collect();
    v.sort();
    v
}

fn attrs_hash(n: Node<'_>) -> u64 {
    if n.attributes().len() == 0 {
        return 0;
    }
    let mut h = Xxh3Default::new();
    for (k, v) in sorted_attrs(n) {
        h.update(k.as_bytes());
        h.update(b"=");
        h.update(v.as_bytes());
        h.update(b"\0");
    }
    h.digest()
}

/// Sibling identity: `xml:id`, else the name with `@n`; 0 = none (the hash is used).
fn identity_key(n: Node<'_>, local: &str) -> u64 {
    if let Some(id) = n.attribute(Some(XML_NS), "id") {
        return xxh3_64(format!("id\0{}", id.trim()).as_bytes()) | 1;
    }
    if let Some(v) = n.attribute(None, "n") {
        return xxh3_64(format!("n\0{local}\0{}", v.trim()).as_bytes()) | 1;
    }
    0
}

/// Targets of `linkGrp[@type='translation']/link/@target`: pairs of ids.
fn translation_ids(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in doc.descendants() {
        if n.has_tag_name(Some(TEI_NS), "link")
            && n.parent_element().is_some_and(|p| {
                p.has_tag_name(Some(TEI_NS), "linkGrp")
                    && p.attribute(None, "type") == Some("translation")
            })
            && let Some(t) = n.attribute(None, "target")
        {
            let ids: Vec<&str> = t
                .split_whitespace()
                .map(|s| s.trim_start_matches('#'))
                .collect();
            if ids.len() >= 2 {
                let mut a = ids[0].to_string();
                let mut b = ids[1].to_string();
                if a > b {
                    std::mem::swap(&mut a, &mut b);
                }
                out.push((a, b));
            }
        }
    }
    out
}

/// The translation pair an element belongs to (its key: the two ids, sorted), if any.
fn pair_key(n: Node<'_>, translation_ids: &[(String, String)]) -> Option<String> {
    if n.has_tag_name(Some(TEI_NS), "linkGrp") && n.attribute(None, "type") == Some("translation") {
        return None;
    }
    if n.has_tag_name(Some(TEI_NS), "link")
        && n.parent_element().is_some_and(|p| {
            p.has_tag_name(Some(TEI_NS), "linkGrp")
                && p.attribute(None, "type") == Some("translation")
        })
    {
        let t = n.attribute(None, "target")?;
        let mut ids: Vec<&str> = t
            .split_whitespace()
            .map(|s| s.trim_start_matches('#'))
            .collect();
        ids.sort_unstable();
        return Some(ids.join(" "));
    }
    let id = n.attribute(Some(XML_NS), "id");
    if let Some(id) = id
        && let Some((a, b)) = translation_ids.iter().find(|(a, b)| a == id || b == id)
    {
        return Some(format!("{a} {b}"));
    }
    let corresp = n.attribute(None, "corresp")?;
    n.attribute(Some(XML_NS), "lang")?;
    let other = corresp.split_whitespace().next()?.trim_start_matches('#');
    let mut v = [id.unwrap_or(""), other];
    v.sort_unstable();
    Some(v.join(" ").trim().to_string())
}
