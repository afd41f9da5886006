//! Alignment: which item of the old document is which item of the new one, and the raw
//! changes that follow.
//!
//! 1. Top-down from the two roots (always matched, even with different names): a matched
//!    pair with equal hashes is identical and not looked into. Otherwise its children are
//!    aligned by key (identity attribute or content hash) with `similar`'s Myers diff under
//!    a deadline; equal keys are matched pairs (a work list, never recursion), the rest form
//!    *gaps* of deleted and inserted siblings.
//! 2. Gaps are resolved in rounds until nothing changes: identical blocks deleted in one gap
//!    and inserted in another are **moves**; inside a gap, deleted and inserted siblings are
//!    paired by word similarity (order-preserving), or as the only two of a name; blocks left
//!    over are paired across gaps by similarity as **edited moves**. Pairs go back to the
//!    work list, so edits inside moved blocks are found too (and nested under the move).
//! 3. What is still unmatched is inserted or removed.
//!
//! Matched flows are diffed by words ([`super::flow`]).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use similar::{Algorithm, capture_diff_slices_deadline};

use super::change::{AttributeChange, Change, Class};
use super::tree::{ItemId, ItemKind, NONE, Names, View, sorted_attrs};
use crate::xml::NodeId;

/// Fewest words a block needs to be reported as moved (smaller blocks, such as an empty
/// `pb`, are too common to tell a move from a deletion plus an unrelated insertion).
pub(crate) const MOVE_MIN_WORDS: u32 = 3;
/// Similarity (Dice coefficient of the word multisets) for pairing edited blocks.
const PAIR_SIM: f64 = 0.5;
/// Similarity needed to pair blocks of different names (a rename).
const RENAME_SIM: f64 = 0.8;
/// Largest gap (deleted × inserted siblings) paired exhaustively.
const GAP_CELLS: usize = 10_000;
/// Largest candidate set (deleted × inserted blocks) searched for edited moves.
const MOVE_CELLS: usize = 250_000;
/// Time for one sequence alignment.
const CALL_BUDGET: Duration = Duration::from_secs(2);

/// A change before context, paths and merging are worked out.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    /// The change, without locations, group and summary.
    pub change: Change,
    /// Per side: the element the change is on (for its path) and the byte range.
    pub loc: [Option<(NodeId, std::ops::Range<usize>)>; 2],
    /// Per side: the item whose context (header, division, translation pair) applies.
    pub item: [ItemId; 2],
    /// Per side: the node from which the header field is looked up.
    pub field: [Option<NodeId>; 2],
    /// The change this one is part of (an index into the raw list), or `NONE`.
    pub parent: u32,
    /// For an inserted or removed `correspDesc`: the letter it describes.
    pub letter_ref: Option<String>,
    /// For a letter added or removed: its `xml:id`.
    pub letter_id: Option<String>,
}

impl Raw {
    pub(crate) fn new(class: Class, parent: u32) -> Raw {
        Raw {
            change: Change::new(class),
            loc: [None, None],
            item: [NONE, NONE],
            field: [None, None],
            parent,
            letter_ref: None,
            letter_id: None,
        }
    }
}

/// A degradation: a limit was hit (code, message, where).
#[derive(Debug, Clone)]
pub(crate) struct Limit {
    pub code: &'static crate::diag::Code,
    pub message: String,
    pub at: Option<(usize, std::ops::Range<usize>)>,
}

struct Gap {
    dels: Vec<ItemId>,
    inss: Vec<ItemId>,
    parent: u32,
    /// Per side: the element holding the gap and a byte position for insertion points.
    at: [(NodeId, usize); 2],
    /// Per side: the item holding the gap.
    pitem: [ItemId; 2],
    /// In-place pairing was done (once only: leftovers are moves or insertions/removals).
    paired: bool,
}

/// The alignment state.
pub(crate) struct Engine<'a, 'd> {
    pub names: &'a Names,
    pub v: [&'a View<'d>; 2],
    /// Per side: item → matched item on the other side.
    pub m: [Vec<u32>; 2],
    work: Vec<(ItemId, ItemId, u32)>,
    gaps: Vec<Gap>,
    /// Raw changes.
    pub raws: Vec<Raw>,
    /// Limits hit.
    pub limits: Vec<Limit>,
    deadline: Instant,
    sigs: [HashMap<ItemId, Vec<u64>>; 2],
    moves: bool,
    /// Gaps scanned for exact moves.
    scanned: usize,
    /// Gaps paired in place.
    paired_upto: usize,
    /// Per side: unmatched blocks waiting for an exact move, by hash and by identity key.
    #[allow(clippy::type_complexity)]
    waiting: [(
        HashMap<u64, VecDeque<(ItemId, u32)>>,
        HashMap<u64, VecDeque<(ItemId, u32)>>,
    ); 2],
}

impl<'a, 'd> Engine<'a, 'd> {
    pub fn new(names: &'a Names, v: [&'a View<'d>; 2], deadline: Instant, moves: bool) -> Self {
        Engine {
            names,
            v,
            m: [vec![NONE; v[0].items.len()], vec![NONE; v[1].items.len()]],
            work: Vec::new(),
            gaps: Vec::new(),
            raws: Vec::new(),
            limits: Vec::new(),
            deadline,
            sigs: [HashMap::new(), HashMap::new()],
            moves,
            scanned: 0,
            paired_upto: 0,
            waiting: Default::default(),
        }
    }

    /// Runs the whole alignment.
    pub fn run(&mut self) {
        self.work.push((0, 0, NONE));
        loop {
            self.drain();
            if self.moves && self.exact_moves() {
                continue;
            }
            if self.pair_in_gaps() {
                continue;
            }
            if self.moves && self.similar_moves() {
                continue;
            }
            break;
        }
        self.leftovers();
    }

    /// A deadline for one alignment call.
    pub fn call_deadline(&self) -> Instant {
        let d = Instant::now() + CALL_BUDGET;
        d.min(self.deadline)
    }

    /// Pushes a matched pair for processing.
    pub fn push(&mut self, a: ItemId, b: ItemId, parent: u32) {
        self.work.push((a, b, parent));
    }

    fn drain(&mut self) {
        while let Some((a, b, parent)) = self.work.pop() {
            self.process(a, b, parent);
        }
    }

    fn process(&mut self, a: ItemId, b: ItemId, parent: u32) {
        self.m[0][a as usize] = b;
        self.m[1][b as usize] = a;
        let (ia, ib) = (&self.v[0].items[a as usize], &self.v[1].items[b as usize]);
        if ia.hash == ib.hash {
            return;
        }
        match ia.kind {
            ItemKind::Flow => super::flow::diff_flows(self, a, b, parent),
            ItemKind::Element => {
                if ia.base != ib.base {
                    self.element_change(a, b, parent);
                }
                self.align_children(a, b, parent);
            }
        }
    }

    /// Name or attribute change of a matched element pair.
    fn element_change(&mut self, a: ItemId, b: ItemId, parent: u32) {
        let (na, nb) = (self.v[0].node(a), self.v[1].node(b));
        let attrs = attr_diff(na, nb);
        let (xa, xb) = (
            self.v[0].items[a as usize].name,
            self.v[1].items[b as usize].name,
        );
        let class = if xa != xb {
            Class::ElementRenamed
        } else if attrs.is_empty() {
            return;
        } else if self.names.info(xa).is_name
            && attrs.iter().all(|c| c.name == "ref" || c.name == "key")
        {
            Class::NameReidentified
        } else {
            Class::AttributeChanged
        };
        let mut r = Raw::new(class, parent);
        r.change.element = Some(if xa != xb {
            format!(
                "{} → {}",
                self.names.info(xa).display(),
                self.names.info(xb).display()
            )
        } else {
            self.names.info(xb).display()
        });
        r.change.attributes = attrs;
        r.loc = [
            Some((na.id(), na.start_tag_range())),
            Some((nb.id(), nb.start_tag_range())),
        ];
        r.item = [a, b];
        r.field = [Some(na.id()), Some(nb.id())];
        if class != Class::AttributeChanged {
            let t = self.v[1].items[b as usize].words;
            if t > 0 {
                r.change.new_text = Some(short(&item_text(self.v[1], b)));
            }
        }
        self.raws.push(r);
    }

    fn align_children(&mut self, a: ItemId, b: ItemId, parent: u32) {
        let ca: Vec<ItemId> = self.v[0].items[a as usize].children.clone().collect();
        let cb: Vec<ItemId> = self.v[1].items[b as usize].children.clone().collect();
        if ca.is_empty() && cb.is_empty() {
            return;
        }
        let ka: Vec<u64> = ca
            .iter()
            .map(|&c| self.v[0].items[c as usize].key)
            .collect();
        let mut kb: Vec<u64> = cb
            .iter()
            .map(|&c| self.v[1].items[c as usize].key)
            .collect();
        // Siblings whose key has an equal on the other side before pre-pairing (identical
        // blocks, same identity) weigh double in the alignment: when an identical block and
        // an edited one compete (a swap), the identical one stays and the edited one is the
        // one that moved, with its edits inside the move.
        let strong_a: Vec<bool> = {
            let sb: std::collections::HashSet<u64> = kb.iter().copied().collect();
            ka.iter().map(|k| sb.contains(k)).collect()
        };
        let strong_b: Vec<bool> = {
            let sa: std::collections::HashSet<u64> = ka.iter().copied().collect();
            kb.iter().map(|k| sa.contains(k)).collect()
        };
        self.prepair(&ca, &cb, &ka, &mut kb);
        let expand = |keys: &[u64], strong: &[bool]| {
            let mut e = Vec::with_capacity(keys.len() * 2);
            let mut idx = Vec::with_capacity(keys.len() * 2);
            for (i, (&k, &st)) in keys.iter().zip(strong).enumerate() {
                e.push(k);
                idx.push(i);
                if st {
                    e.push(k);
                    idx.push(i);
                }
            }
            (e, idx)
        };
        let (ea, ia) = expand(&ka, &strong_a);
        let (eb, ib) = expand(&kb, &strong_b);
        let dl = self.call_deadline();
        let ops = capture_diff_slices_deadline(Algorithm::Myers, &ea, &eb, Some(dl));
        if Instant::now() >= dl && ka.len() + kb.len() > 64 {
            let n = self.v[0].node(a);
            self.limits.push(Limit {
                code: &super::codes::DEADLINE,
                message: format!(
                    "aligning the {} + {} children of <{}> took longer than the time budget; \
                     some unchanged blocks there may be reported as removed and inserted",
                    ka.len(),
                    kb.len(),
                    self.names.info(self.v[0].items[a as usize].name).display()
                ),
                at: Some((0, n.start_tag_range())),
            });
        }
        // Children matched by an equal run (a strong child may straddle runs: matched wins).
        let mut pa = vec![usize::MAX; ca.len()];
        let mut pb = vec![usize::MAX; cb.len()];
        for op in &ops {
            let (tag, ro, rn) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                for (x, y) in ro.zip(rn) {
                    let (i, j) = (ia[x], ib[y]);
                    if pa[i] == usize::MAX && pb[j] == usize::MAX {
                        pa[i] = j;
                        pb[j] = i;
                    }
                }
            }
        }
        let (na, nb) = (self.v[0].node(a), self.v[1].node(b));
        let mut pos = [na.start_tag_range().end, nb.start_tag_range().end];
        let mut cur: Option<Gap> = None;
        let (mut last_i, mut last_j) = (usize::MAX, usize::MAX);
        for op in ops {
            let (tag, ro, rn) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                let mut any = false;
                for (x, y) in ro.zip(rn) {
                    let (i, j) = (ia[x], ib[y]);
                    if pa[i] == j && (i, j) != (last_i, last_j) {
                        if let Some(g) = cur.take() {
                            self.gaps.push(g);
                        }
                        self.work.push((ca[i], cb[j], parent));
                        pos = [self.v[0].span(ca[i]).end, self.v[1].span(cb[j]).end];
                        (last_i, last_j) = (i, j);
                        any = true;
                    }
                }
                let _ = any;
                continue;
            }
            let g = cur.get_or_insert_with(|| Gap {
                dels: Vec::new(),
                inss: Vec::new(),
                parent,
                at: [(na.id(), pos[0]), (nb.id(), pos[1])],
                pitem: [a, b],
                paired: false,
            });
            for x in ro {
                let i = ia[x];
                if pa[i] == usize::MAX && g.dels.last() != Some(&ca[i]) {
                    g.dels.push(ca[i]);
                }
            }
            for y in rn {
                let j = ib[y];
                if pb[j] == usize::MAX && g.inss.last() != Some(&cb[j]) {
                    g.inss.push(cb[j]);
                }
            }
        }
        if let Some(g) = cur.take() {
            self.gaps.push(g);
        }
    }

    /// Gives edited siblings the key of their old version before the sequence alignment, so
    /// that it sees them as equal: otherwise an identical block that moved can win the
    /// alignment over a run of edited ones, and they would all look moved. Pairs are mutual
    /// best matches of one name by word similarity, among siblings whose keys found no
    /// equal (bounded).
    fn prepair(&mut self, ca: &[ItemId], cb: &[ItemId], ka: &[u64], kb: &mut [u64]) {
        let sa: std::collections::HashSet<u64> = ka.iter().copied().collect();
        let sb: std::collections::HashSet<u64> = kb.iter().copied().collect();
        let ua: Vec<usize> = (0..ca.len()).filter(|&i| !sb.contains(&ka[i])).collect();
        let ub: Vec<usize> = (0..cb.len()).filter(|&j| !sa.contains(&kb[j])).collect();
        if ua.is_empty() || ub.is_empty() || ua.len() * ub.len() > GAP_CELLS {
            return;
        }
        let (n, m) = (ua.len(), ub.len());
        // (kind, name) of a sibling; a name with one candidate on each side needs no
        // similarity (that is the common case, and it spares signatures of big blocks).
        let class_of = |v: &View<'_>, id: ItemId| {
            let it = &v.items[id as usize];
            (it.kind == ItemKind::Flow, it.name)
        };
        let mut count: HashMap<(bool, u32), (usize, usize)> = HashMap::new();
        for &i in &ua {
            count.entry(class_of(self.v[0], ca[i])).or_default().0 += 1;
        }
        for &j in &ub {
            count.entry(class_of(self.v[1], cb[j])).or_default().1 += 1;
        }
        let mut s = vec![0.0f64; n * m];
        for (x, &i) in ua.iter().enumerate() {
            for (y, &j) in ub.iter().enumerate() {
                let (a, b) = (
                    &self.v[0].items[ca[i] as usize],
                    &self.v[1].items[cb[j] as usize],
                );
                if a.kind != b.kind
                    || a.name != b.name
                    || a.words == 0
                    || b.words == 0
                    || distinct_identities(a, b)
                {
                    continue;
                }
                s[x * m + y] = if count.get(&class_of(self.v[0], ca[i])) == Some(&(1, 1)) {
                    1.0
                } else {
                    self.sim(ca[i], cb[j])
                };
            }
        }
        for y in 0..m {
            let best_x = (0..n)
                .filter(|&x| s[x * m + y] > 0.0)
                .max_by(|&p, &q| s[p * m + y].total_cmp(&s[q * m + y]).then(q.cmp(&p)));
            let Some(x) = best_x else { continue };
            let best_y = (0..m)
                .filter(|&z| s[x * m + z] > 0.0)
                .max_by(|&p, &q| s[x * m + p].total_cmp(&s[x * m + q]).then(q.cmp(&p)));
            if best_y == Some(y) {
                kb[ub[y]] = ka[ua[x]];
            }
        }
    }

    fn sig(&mut self, side: usize, id: ItemId) -> &Vec<u64> {
        let v = self.v[side];
        self.sigs[side].entry(id).or_insert_with(|| v.signature(id))
    }

    /// Similarity of a deleted and an inserted item (0 when they may not be paired).
    fn sim(&mut self, d: ItemId, i: ItemId) -> f64 {
        let (x, y) = (&self.v[0].items[d as usize], &self.v[1].items[i as usize]);
        if x.kind != y.kind {
            return 0.0;
        }
        let renamed = x.kind == ItemKind::Element && x.name != y.name;
        if x.hash == y.hash {
            return 1.0;
        }
        let (wx, wy) = (x.words, y.words);
        let dice = if wx == 0 && wy == 0 {
            if renamed { 0.0 } else { 0.75 }
        } else if wx == 0 || wy == 0 {
            0.0
        } else {
            let a = self.sig(0, d).clone();
            let b = self.sig(1, i);
            dice(&a, b)
        };
        let need = if renamed { RENAME_SIM } else { PAIR_SIM };
        if dice >= need { dice } else { 0.0 }
    }

    /// Pairs of same-name items that are each other's most similar (raw Dice ≥ 0.25),
    /// order-preserving.
    fn mutual_best(&mut self, dels: &[ItemId], inss: &[ItemId]) -> Vec<(usize, usize)> {
        let (n, m) = (dels.len(), inss.len());
        let mut s = vec![0.0f64; n * m];
        for x in 0..n {
            for y in 0..m {
                let (a, b) = (
                    &self.v[0].items[dels[x] as usize],
                    &self.v[1].items[inss[y] as usize],
                );
                if a.kind != b.kind
                    || a.name != b.name
                    || a.words == 0
                    || b.words == 0
                    || distinct_identities(a, b)
                {
                    continue;
                }
                let sa = self.sig(0, dels[x]).clone();
                let d = dice(&sa, self.sig(1, inss[y]));
                if d >= 0.25 {
                    s[x * m + y] = d;
                }
            }
        }
        let mut out = Vec::new();
        let mut last_y: Option<usize> = None;
        for x in 0..n {
            let best_y = (0..m)
                .filter(|&y| s[x * m + y] > 0.0)
                .max_by(|&p, &q| s[x * m + p].total_cmp(&s[x * m + q]).then(q.cmp(&p)));
            let Some(y) = best_y else { continue };
            let best_x = (0..n)
                .filter(|&z| s[z * m + y] > 0.0)
                .max_by(|&p, &q| s[p * m + y].total_cmp(&s[q * m + y]).then(q.cmp(&p)));
            if best_x == Some(x) && last_y.is_none_or(|l| y > l) {
                out.push((x, y));
                last_y = Some(y);
            }
        }
        out
    }

    /// Identical blocks, or blocks with the same `xml:id`, deleted in one place and inserted
    /// in another. Incremental: each gap is scanned once, its unmatched blocks are matched
    /// against the blocks of earlier gaps still waiting, or wait themselves.
    fn exact_moves(&mut self) -> bool {
        let mut progress = false;
        let new_gaps = self.scanned..self.gaps.len();
        self.scanned = self.gaps.len();
        for gi in new_gaps {
            let parent = self.gaps[gi].parent;
            for side in 0..2 {
                let list = if side == 0 {
                    self.gaps[gi].dels.clone()
                } else {
                    self.gaps[gi].inss.clone()
                };
                for id in list {
                    if self.m[side][id as usize] != NONE {
                        continue;
                    }
                    let it = &self.v[side].items[id as usize];
                    let (hash, key, words, kind, name) =
                        (it.hash, it.key, it.words, it.kind, it.name);
                    let other = 1 - side;
                    let mut found = None;
                    if words >= MOVE_MIN_WORDS
                        && let Some(l) = self.waiting[other].0.get_mut(&hash)
                    {
                        while let Some((o, op)) = l.pop_front() {
                            if self.m[other][o as usize] == NONE {
                                found = Some((o, op));
                                break;
                            }
                        }
                    }
                    if found.is_none()
                        && key != hash
                        && let Some(l) = self.waiting[other].1.get_mut(&key)
                    {
                        while let Some((o, op)) = l.pop_front() {
                            let oi = &self.v[other].items[o as usize];
                            if self.m[other][o as usize] == NONE
                                && oi.kind == kind
                                && oi.name == name
                            {
                                found = Some((o, op));
                                break;
                            }
                        }
                    }
                    match found {
                        Some((o, op)) => {
                            let (d, i) = if side == 0 { (id, o) } else { (o, id) };
                            self.m[0][d as usize] = i;
                            self.m[1][i as usize] = d;
                            self.make_move(d, i, if op == parent { parent } else { NONE });
                            progress = true;
                        }
                        None => {
                            if words >= MOVE_MIN_WORDS {
                                self.waiting[side]
                                    .0
                                    .entry(hash)
                                    .or_default()
                                    .push_back((id, parent));
                            }
                            if key != hash {
                                self.waiting[side]
                                    .1
                                    .entry(key)
                                    .or_default()
                                    .push_back((id, parent));
                            }
                        }
                    }
                }
            }
        }
        progress
    }

    fn make_move(&mut self, d: ItemId, i: ItemId, parent: u32) {
        let mut r = Raw::new(Class::BlockMoved, parent);
        let (va, vb) = (self.v[0], self.v[1]);
        r.change.old_text = Some(short(&item_text(va, d)));
        let (ia, ib) = (&va.items[d as usize], &vb.items[i as usize]);
        r.change.element = Some(match ib.kind {
            ItemKind::Element => self.names.info(ib.name).display(),
            ItemKind::Flow => "text".to_string(),
        });
        r.loc = [
            Some((path_node(va, d), va.span(d))),
            Some((path_node(vb, i), vb.span(i))),
        ];
        r.item = [d, i];
        r.field = [Some(ia.node), Some(ib.node)];
        r.change.changes_text = true;
        r.change.new_text = Some(short(&item_text(vb, i)));
        let idx = self.raws.len() as u32;
        self.raws.push(r);
        if ia.hash == ib.hash {
            self.m[0][d as usize] = i;
            self.m[1][i as usize] = d;
        } else {
            self.work.push((d, i, idx));
        }
    }

    /// Pairs deleted and inserted siblings inside each gap.
    fn pair_in_gaps(&mut self) -> bool {
        let mut progress = false;
        let from = self.paired_upto;
        self.paired_upto = self.gaps.len();
        for gi in from..self.gaps.len() {
            if self.gaps[gi].paired {
                continue;
            }
            self.gaps[gi].paired = true;
            let dels: Vec<ItemId> = self.gaps[gi]
                .dels
                .iter()
                .copied()
                .filter(|&d| self.m[0][d as usize] == NONE)
                .collect();
            let inss: Vec<ItemId> = self.gaps[gi]
                .inss
                .iter()
                .copied()
                .filter(|&i| self.m[1][i as usize] == NONE)
                .collect();
            if dels.is_empty() || inss.is_empty() {
                continue;
            }
            let parent = self.gaps[gi].parent;
            let (n, m) = (dels.len(), inss.len());
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            if n == 1 && m == 1 {
                // One block edited in place (the common case): no similarity needed; the
                // rule for lone pairs below decides.
            } else if n * m <= GAP_CELLS {
                let mut s = vec![0.0f64; n * m];
                for x in 0..n {
                    for y in 0..m {
                        s[x * m + y] = self.sim(dels[x], inss[y]);
                    }
                }
                let mut dp = vec![0.0f64; (n + 1) * (m + 1)];
                let w = m + 1;
                for x in 0..n {
                    for y in 0..m {
                        let diag = if s[x * m + y] > 0.0 {
                            dp[x * w + y] + s[x * m + y]
                        } else {
                            0.0
                        };
                        dp[(x + 1) * w + y + 1] =
                            dp[x * w + y + 1].max(dp[(x + 1) * w + y]).max(diag);
                    }
                }
                let (mut x, mut y) = (n, m);
                while x > 0 && y > 0 {
                    let cur = dp[x * w + y];
                    if cur == dp[(x - 1) * w + y] {
                        x -= 1;
                    } else if cur == dp[x * w + y - 1] {
                        y -= 1;
                    } else {
                        pairs.push((x - 1, y - 1));
                        x -= 1;
                        y -= 1;
                    }
                }
                pairs.reverse();
            } else {
                let mut y0 = 0;
                for (x, &d) in dels.iter().enumerate() {
                    for (y, &i) in inss.iter().enumerate().take(m.min(y0 + 20)).skip(y0) {
                        if self.sim(d, i) > 0.0 {
                            pairs.push((x, y));
                            y0 = y + 1;
                            break;
                        }
                    }
                }
                let at = self.gaps[gi].at[0];
                self.limits.push(Limit {
                    code: &super::codes::LARGE_GAP,
                    message: format!(
                        "{n} removed and {m} inserted blocks in one place: paired by a bounded \
                         search only; some edited blocks may be reported as removed and inserted"
                    ),
                    at: Some((0, at.1..at.1)),
                });
            }
            // Between paired anchors: the only two blocks of one name are one block edited;
            // otherwise blocks of one name that are each other's best match (by a lower
            // similarity bound) are one block edited.
            let mut extra = Vec::new();
            let mut prev = (0usize, 0usize);
            for k in 0..=pairs.len() {
                let (xe, ye) = if k < pairs.len() { pairs[k] } else { (n, m) };
                let (xs, ys) = prev;
                if xe > xs && ye > ys {
                    if xe - xs == 1 && ye - ys == 1 {
                        let (d, i) = (dels[xs], inss[ys]);
                        let (a, b) = (&self.v[0].items[d as usize], &self.v[1].items[i as usize]);
                        if a.kind == b.kind
                            && (a.kind == ItemKind::Flow || a.name == b.name)
                            && !distinct_identities(a, b)
                        {
                            extra.push((xs, ys));
                        } else if a.kind == b.kind && a.name != b.name && self.sim(d, i) > 0.0 {
                            // Renamed, content (nearly) kept.
                            extra.push((xs, ys));
                        }
                    } else if (xe - xs) * (ye - ys) <= GAP_CELLS {
                        extra.extend(
                            self.mutual_best(&dels[xs..xe], &inss[ys..ye])
                                .into_iter()
                                .map(|(x, y)| (xs + x, ys + y)),
                        );
                    }
                }
                if k < pairs.len() {
                    prev = (pairs[k].0 + 1, pairs[k].1 + 1);
                }
            }
            pairs.extend(extra);
            for (x, y) in pairs {
                self.m[0][dels[x] as usize] = inss[y];
                self.m[1][inss[y] as usize] = dels[x];
                self.work.push((dels[x], inss[y], parent));
                progress = true;
            }
        }
        progress
    }

    /// Pairs blocks left over in different gaps by similarity: edited moves.
    fn similar_moves(&mut self) -> bool {
        let mut dels = Vec::new();
        let mut inss = Vec::new();
        for g in &self.gaps {
            for &d in &g.dels {
                if self.m[0][d as usize] == NONE
                    && self.v[0].items[d as usize].words >= MOVE_MIN_WORDS
                {
                    dels.push((d, g.parent));
                }
            }
            for &i in &g.inss {
                if self.m[1][i as usize] == NONE
                    && self.v[1].items[i as usize].words >= MOVE_MIN_WORDS
                {
                    inss.push((i, g.parent));
                }
            }
        }
        if dels.is_empty() || inss.is_empty() {
            return false;
        }
        if dels.len() * inss.len() > MOVE_CELLS {
            self.limits.push(Limit {
                code: &super::codes::MOVES_SKIPPED,
                message: format!(
                    "{} removed and {} inserted blocks: too many to look for edited moves; \
                     edited blocks that moved are reported as removed and inserted",
                    dels.len(),
                    inss.len()
                ),
                at: None,
            });
            self.moves = false;
            return false;
        }
        let mut cands: Vec<(f64, usize, usize)> = Vec::new();
        for (x, &(d, _)) in dels.iter().enumerate() {
            for (y, &(i, _)) in inss.iter().enumerate() {
                let (a, b) = (&self.v[0].items[d as usize], &self.v[1].items[i as usize]);
                if a.kind != b.kind || a.name != b.name {
                    continue;
                }
                let s = self.sim(d, i);
                if s > 0.0 {
                    cands.push((s, x, y));
                }
            }
        }
        cands.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
        let mut progress = false;
        for (_, x, y) in cands {
            let (d, dp) = dels[x];
            let (i, ip) = inss[y];
            if self.m[0][d as usize] != NONE || self.m[1][i as usize] != NONE {
                continue;
            }
            self.m[0][d as usize] = i;
            self.m[1][i as usize] = d;
            self.make_move(d, i, if dp == ip { dp } else { NONE });
            progress = true;
        }
        progress
    }

    /// Whatever is still unmatched: inserted or removed.
    fn leftovers(&mut self) {
        let gaps = std::mem::take(&mut self.gaps);
        for g in &gaps {
            for &d in &g.dels {
                if self.m[0][d as usize] == NONE {
                    self.lone(0, d, g);
                }
            }
            for &i in &g.inss {
                if self.m[1][i as usize] == NONE {
                    self.lone(1, i, g);
                }
            }
        }
        self.gaps = gaps;
    }

    /// A block present on one side only.
    fn lone(&mut self, side: usize, id: ItemId, g: &Gap) {
        let v = self.v[side];
        let it = &v.items[id as usize];
        let ins = side == 1;
        let mut r;
        match it.kind {
            ItemKind::Element => {
                let n = v.node(id);
                let info = self.names.info(it.name);
                let local = info.local.as_str();
                let class =
                    if local.starts_with("div") && n.attribute(None, "type") == Some("letter") {
                        if ins {
                            Class::LetterAdded
                        } else {
                            Class::LetterRemoved
                        }
                    } else if local == "note" {
                        if ins {
                            Class::NoteAdded
                        } else {
                            Class::NoteRemoved
                        }
                    } else if local == "gap" && ins {
                        Class::LacunaIntroduced
                    } else if ins {
                        Class::ElementInserted
                    } else {
                        Class::ElementRemoved
                    };
                r = Raw::new(class, g.parent);
                r.change.element = Some(info.display());
                if matches!(class, Class::LetterAdded | Class::LetterRemoved) {
                    r.letter_id = n
                        .attribute(Some(crate::xml::XML_NS), "id")
                        .map(str::to_string);
                }
                if local == "correspDesc" {
                    r.letter_ref = n
                        .attribute(None, "ref")
                        .or(n.attribute(None, "corresp"))
                        .map(|s| s.trim().trim_start_matches('#').to_string());
                }
                r.change.changes_text = it.words > 0;
            }
            ItemKind::Flow => {
                let fd = v.flow_data(id, self.names);
                if fd.words.is_empty() && fd.marks.len() == 1 {
                    let mk = &fd.marks[0];
                    let info = self.names.info(mk.name);
                    let class = match (info.local.as_str(), ins) {
                        ("note", true) => Class::NoteAdded,
                        ("note", false) => Class::NoteRemoved,
                        ("gap", true) => Class::LacunaIntroduced,
                        (_, true) => Class::ElementInserted,
                        (_, false) => Class::ElementRemoved,
                    };
                    r = Raw::new(class, g.parent);
                    r.change.element = Some(info.display());
                    r.change.changes_text = it.words > 0;
                } else if fd.words.is_empty() {
                    r = Raw::new(
                        if ins {
                            Class::ElementInserted
                        } else {
                            Class::ElementRemoved
                        },
                        g.parent,
                    );
                    r.change.element = fd.marks.first().map(|m| self.names.info(m.name).display());
                    r.change.changes_text = it.words > 0;
                } else {
                    r = Raw::new(
                        if ins {
                            Class::WordsInserted
                        } else {
                            Class::WordsDeleted
                        },
                        g.parent,
                    );
                    r.change.changes_text = true;
                }
            }
        }
        let text = if it.words > 0 {
            Some(short(&item_text(v, id)))
        } else {
            None
        };
        if ins {
            r.change.new_text = text;
        } else {
            r.change.old_text = text;
        }
        let other = 1 - side;
        r.loc[side] = Some((path_node(v, id), v.span(id)));
        // The insertion point on the other side: after the counterpart of the nearest matched
        // sibling before, else before the one after, else where the gap is.
        let mut point = g.at[other].1;
        let sibs = v.items[g.pitem[side] as usize].children.clone();
        let mut found = false;
        for sib in (sibs.start..id).rev() {
            let o = self.m[side][sib as usize];
            if o != NONE {
                point = self.v[other].span(o).end;
                found = true;
                break;
            }
        }
        if !found {
            for sib in id + 1..sibs.end {
                let o = self.m[side][sib as usize];
                if o != NONE {
                    point = self.v[other].span(o).start;
                    break;
                }
            }
        }
        r.loc[other] = Some((g.at[other].0, point..point));
        r.item[side] = id;
        r.item[other] = g.pitem[other];
        r.field[side] = Some(it.node);
        r.field[other] = Some(g.at[other].0);
        self.raws.push(r);
    }
}

/// Both items carry an identity (`xml:id`, `@n`) and the identities differ: two different
/// things, unless their content says otherwise.
fn distinct_identities(a: &super::tree::Item, b: &super::tree::Item) -> bool {
    a.key != a.hash && b.key != b.hash && a.key != b.key
}

/// The node a path is given for: the element itself, or the element holding a flow.
pub(crate) fn path_node(v: &View<'_>, id: ItemId) -> NodeId {
    let it = &v.items[id as usize];
    match it.kind {
        ItemKind::Element => it.node,
        ItemKind::Flow => v
            .doc
            .node(it.node)
            .parent()
            .map(|p| p.id())
            .unwrap_or(it.node),
    }
}

/// The whole text of an item, words joined by single spaces.
pub(crate) fn item_text(v: &View<'_>, id: ItemId) -> String {
    let it = &v.items[id as usize];
    let mut out = String::new();
    let mut sib = Some(v.doc.node(it.node));
    while let Some(s) = sib {
        for n in s.descendants() {
            if n.is_text() {
                for w in n.text().unwrap_or("").split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(w);
                }
                if out.len() > 4000 {
                    return out;
                }
            }
        }
        if s.id() >= it.last {
            break;
        }
        sib = s.next_sibling();
    }
    out
}

/// Cuts long text for display (keeps the start and the end).
pub(crate) fn short(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let head: String = s.chars().take(100).collect();
    let tail: String = {
        let v: Vec<char> = s.chars().collect();
        v[v.len() - 40..].iter().collect()
    };
    format!("{head} … {tail}")
}

/// Dice coefficient of two sorted multisets.
fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Attribute differences between two elements (sorted by name).
pub(crate) fn attr_diff(a: crate::xml::Node<'_>, b: crate::xml::Node<'_>) -> Vec<AttributeChange> {
    let (x, y) = (sorted_attrs(a), sorted_attrs(b));
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        let ord = match (x.get(i), y.get(j)) {
            (Some(p), Some(q)) => p.0.cmp(&q.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                out.push(AttributeChange {
                    name: x[i].0.clone(),
                    old: Some(x[i].1.clone()),
                    new: None,
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(AttributeChange {
                    name: y[j].0.clone(),
                    old: None,
                    new: Some(y[j].1.clone()),
                });
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                if x[i].1 != y[j].1 {
                    out.push(AttributeChange {
                        name: x[i].0.clone(),
                        old: Some(x[i].1.clone()),
                        new: Some(y[j].1.clone()),
                    });
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}
