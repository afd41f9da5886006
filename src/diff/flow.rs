//! Word-level comparison of two matched flows, and the classification of what changed in
//! them: words, lacunae, names, notes, inline elements and their attributes.
//!
//! The words are aligned with `similar` (Myers, under a deadline). Consecutive non-equal
//! operations form a *hunk*. Marks (inline elements) are carried over the alignment: a
//! mark whose both ends map to the same place on the other side, with the same name, is the
//! same mark (attributes compared); with another name it was renamed. A mark left over that
//! touches a hunk is part of that hunk (a `gap` removed where words were inserted is a lacuna
//! filled; a `supplied` around them is part of it); other left-over marks are changes of
//! their own (name tagged, note added, element inserted …).

use std::collections::HashMap;
use std::time::Instant;

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use super::align::{Engine, Limit, Raw, attr_diff, item_text, short};
use super::change::{Class, Context};
use super::tree::{FlowData, ItemId, NONE, Pos};

const CONTEXT_WORDS: usize = 6;

struct Hunk {
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
}

/// Diffs two matched flows and records the changes.
pub(crate) fn diff_flows(e: &mut Engine<'_, '_>, a: ItemId, b: ItemId, parent: u32) {
    let fa = e.v[0].flow_data(a, e.names);
    let fb = e.v[1].flow_data(b, e.names);
    let ha: Vec<u64> = fa.words.iter().map(|w| w.hash).collect();
    let hb: Vec<u64> = fb.words.iter().map(|w| w.hash).collect();
    let dl = e.call_deadline();
    let ops = if ha == hb {
        vec![similar::DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: ha.len(),
        }]
    } else {
        capture_diff_slices_deadline(Algorithm::Myers, &ha, &hb, Some(dl))
    };
    if ha != hb && Instant::now() >= dl {
        let span = e.v[0].span(a);
        e.limits.push(Limit {
            code: &super::codes::DEADLINE,
            message: format!(
                "comparing {} and {} words of one text block took longer than the time budget; \
                 its changes may be reported as larger replacements than necessary",
                ha.len(),
                hb.len()
            ),
            at: Some((0, span.start..span.start)),
        });
    }
    // Hunks and the position maps.
    let (na, nb) = (ha.len(), hb.len());
    let mut hunks: Vec<Hunk> = Vec::new();
    for op in &ops {
        let (tag, ro, rn) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match hunks.last_mut() {
            Some(h) if h.o.end == ro.start && h.n.end == rn.start => {
                h.o.end = ro.end;
                h.n.end = rn.end;
            }
            _ => hunks.push(Hunk { o: ro, n: rn }),
        }
    }
    // A pure insertion (deletion) over repeated words can sit in several places; put it
    // where a lacuna marker is on the other side, so that "lacuna filled" is seen as one.
    slide_to_gaps(e, &fa, &fb, &mut hunks);
    let mut omap = vec![NONE; na];
    let mut nmap = vec![NONE; nb];
    {
        let (mut i, mut j) = (0usize, 0usize);
        for h in hunks.iter().chain(std::iter::once(&Hunk {
            o: na..na,
            n: nb..nb,
        })) {
            while i < h.o.start && j < h.n.start {
                omap[i] = j as u32;
                nmap[j] = i as u32;
                i += 1;
                j += 1;
            }
            i = h.o.end;
            j = h.n.end;
        }
    }
    let mut start_at: HashMap<usize, usize> = HashMap::new();
    let mut end_at: HashMap<usize, usize> = HashMap::new();
    for (k, h) in hunks.iter().enumerate() {
        start_at.insert(h.o.start, k);
        end_at.insert(h.o.end, k);
    }
    let map_start = |p: Pos| -> Option<Pos> {
        let w = p.w as usize;
        if p.off > 0 {
            return (w < na && omap[w] != NONE).then(|| Pos {
                w: omap[w],
                off: p.off,
            });
        }
        if w < na && omap[w] != NONE {
            return Some(Pos { w: omap[w], off: 0 });
        }
        if let Some(&k) = start_at.get(&w) {
            return Some(Pos {
                w: hunks[k].n.start as u32,
                off: 0,
            });
        }
        (w >= na).then_some(Pos {
            w: nb as u32,
            off: 0,
        })
    };
    let map_end = |p: Pos| -> Option<Pos> {
        let w = p.w as usize;
        if p.off > 0 {
            return (w < na && omap[w] != NONE).then(|| Pos {
                w: omap[w],
                off: p.off,
            });
        }
        if w == 0 {
            return Some(Pos { w: 0, off: 0 });
        }
        if w <= na && omap[w - 1] != NONE {
            return Some(Pos {
                w: omap[w - 1] + 1,
                off: 0,
            });
        }
        end_at.get(&w).map(|&k| Pos {
            w: hunks[k].n.end as u32,
            off: 0,
        })
    };

    // Carry marks over.
    // Candidate lists with a cursor past the matched ones (many equal keys stay linear).
    let mut index: HashMap<(u32, Pos, Pos), (Vec<usize>, usize)> = HashMap::new();
    for (j, m) in fb.marks.iter().enumerate() {
        index.entry((m.name, m.start, m.end)).or_default().0.push(j);
    }
    let mut ma = vec![NONE; fa.marks.len()];
    let mut mb = vec![NONE; fb.marks.len()];
    let mut mapped: Vec<Vec<(Pos, Pos)>> = Vec::with_capacity(fa.marks.len());
    for m in &fa.marks {
        let mut c = Vec::new();
        if m.start == m.end {
            for p in [map_start(m.start), map_end(m.start)].into_iter().flatten() {
                if !c.contains(&(p, p)) {
                    c.push((p, p));
                }
            }
        } else if let (Some(s), Some(t)) = (map_start(m.start), map_end(m.end)) {
            c.push((s, t));
        }
        mapped.push(c);
    }
    for (i, m) in fa.marks.iter().enumerate() {
        'cands: for &(s, t) in &mapped[i] {
            if let Some((l, cur)) = index.get_mut(&(m.name, s, t)) {
                while *cur < l.len() && mb[l[*cur]] != NONE {
                    *cur += 1;
                }
                if let Some(&j) = l.get(*cur) {
                    ma[i] = j as u32;
                    mb[j] = i as u32;
                    *cur += 1;
                    break 'cands;
                }
            }
        }
    }
    // Renames: same place, other name.
    let mut by_place: HashMap<(Pos, Pos, bool), (Vec<usize>, usize)> = HashMap::new();
    for (j, m) in fb.marks.iter().enumerate() {
        if mb[j] == NONE {
            by_place
                .entry((m.start, m.end, m.anchor))
                .or_default()
                .0
                .push(j);
        }
    }
    for (i, m) in fa.marks.iter().enumerate() {
        if ma[i] != NONE {
            continue;
        }
        'c2: for &(s, t) in &mapped[i] {
            if let Some((l, cur)) = by_place.get_mut(&(s, t, m.anchor)) {
                while *cur < l.len() && mb[l[*cur]] != NONE {
                    *cur += 1;
                }
                if let Some(&j) = l.get(*cur) {
                    ma[i] = j as u32;
                    mb[j] = i as u32;
                    *cur += 1;
                    break 'c2;
                }
            }
        }
    }

    let ctx_item = [a, b];
    let flows = [&fa, &fb];
    let path_nodes = [
        super::align::path_node(e.v[0], a),
        super::align::path_node(e.v[1], b),
    ];

    // Matched marks with differences.
    for (i, m) in fa.marks.iter().enumerate() {
        if ma[i] == NONE {
            continue;
        }
        let j = ma[i] as usize;
        let n = &fb.marks[j];
        let (xa, xb) = (e.v[0].doc.node(m.node), e.v[1].doc.node(n.node));
        let info_b = e.names.info(n.name);
        let is_note = info_b.local == "note" && e.names.info(m.name).local == "note";
        let content_differs = m.item != NONE && n.item != NONE && {
            e.v[0].items[m.item as usize].hash != e.v[1].items[n.item as usize].hash
        } || ((m.item == NONE) != (n.item == NONE));
        if m.name == n.name && m.attrs == n.attrs && !content_differs {
            continue;
        }
        let attrs = attr_diff(xa, xb);
        let class = if m.name != n.name {
            Class::ElementRenamed
        } else if is_note {
            Class::NoteChanged
        } else if !attrs.is_empty() {
            if info_b.is_name && attrs.iter().all(|c| c.name == "ref" || c.name == "key") {
                Class::NameReidentified
            } else {
                Class::AttributeChanged
            }
        } else {
            // Content of an atomic element (figure …): its own changes only.
            if m.item != NONE && n.item != NONE {
                e.push(m.item, n.item, parent);
            }
            continue;
        };
        let mut r = Raw::new(class, parent);
        r.change.element = Some(if m.name != n.name {
            format!("{} → {}", e.names.info(m.name).display(), info_b.display())
        } else {
            info_b.display()
        });
        r.change.attributes = attrs;
        r.loc = [Some((m.node, xa.range())), Some((n.node, xb.range()))];
        r.item = ctx_item;
        r.field = [Some(m.node), Some(n.node)];
        let covered = |f: &FlowData, s: Pos, t: Pos| {
            let end = if t.off > 0 {
                t.w as usize + 1
            } else {
                t.w as usize
            };
            f.words_text(s.w as usize..end.min(f.words.len()))
        };
        if !m.anchor {
            r.change.old_text = Some(short(&covered(&fa, m.start, m.end)));
            r.change.new_text = Some(short(&covered(&fb, n.start, n.end)));
        } else if is_note {
            r.change.old_text = (m.item != NONE).then(|| short(&item_text(e.v[0], m.item)));
            r.change.new_text = (n.item != NONE).then(|| short(&item_text(e.v[1], n.item)));
            r.change.changes_text = r.change.old_text != r.change.new_text;
        }
        r.change.context = Some(context(&fb, n.start.w as usize, n.end.w as usize));
        let idx = e.raws.len() as u32;
        e.raws.push(r);
        if content_differs && m.item != NONE && n.item != NONE {
            e.push(m.item, n.item, if is_note { idx } else { parent });
        }
    }

    // Hunks with the marks that touch them.
    let inside = |p: Pos, r: &std::ops::Range<usize>| {
        let w = p.w as usize;
        (w > r.start || (w == r.start && p.off > 0)) && w < r.end
    };
    let edge = |p: Pos, r: &std::ops::Range<usize>| {
        p.off == 0 && (p.w as usize == r.start || p.w as usize == r.end)
    };
    let mut used = [vec![false; fa.marks.len()], vec![false; fb.marks.len()]];
    // Unmatched marks, each offered to the few hunks near its ends (hunks are sorted and
    // disjoint), so the cost stays linear in marks + hunks.
    let mut attach: Vec<Vec<(usize, usize)>> = vec![Vec::new(); hunks.len()];
    for side in 0..2 {
        let f = flows[side];
        let matched = if side == 0 { &ma } else { &mb };
        let range = |h: &Hunk| if side == 0 { h.o.clone() } else { h.n.clone() };
        for (k, m) in f.marks.iter().enumerate() {
            if matched[k] != NONE {
                continue;
            }
            let local = e.names.info(m.name).local.as_str();
            let mut cand: Vec<usize> = Vec::new();
            for p in [m.start, m.end] {
                let i = hunks.partition_point(|h| range(h).end < p.w as usize);
                for c in [i.wrapping_sub(1), i, i + 1] {
                    if c < hunks.len() && !cand.contains(&c) {
                        cand.push(c);
                    }
                }
            }
            cand.sort_unstable();
            for c in cand {
                let h = &hunks[c];
                let r = range(h);
                let touches = if m.anchor {
                    inside(m.start, &r)
                        || (local == "gap"
                            && (edge(m.start, &r) || slides_to(flows[1 - side], h, side, m.start)))
                } else {
                    inside(m.start, &r)
                        || inside(m.end, &r)
                        || (edge(m.start, &r) && edge(m.end, &r))
                };
                if touches {
                    used[side][k] = true;
                    attach[c].push((side, k));
                    break;
                }
            }
        }
    }
    for (hi, h) in hunks.iter().enumerate() {
        let mut gap_removed = false;
        let mut gap_inserted = false;
        let mut supplied = false;
        for &(side, k) in &attach[hi] {
            let local = e.names.info(flows[side].marks[k].name).local.as_str();
            if local == "gap" {
                if side == 0 {
                    gap_removed = true;
                } else {
                    gap_inserted = true;
                }
            }
            if local == "supplied" {
                supplied = true;
            }
        }
        let (o_empty, n_empty) = (h.o.is_empty(), h.n.is_empty());
        let class = if gap_removed && !n_empty && !gap_inserted {
            Class::LacunaFilled
        } else if gap_inserted && !o_empty && !gap_removed {
            Class::LacunaIntroduced
        } else if o_empty {
            Class::WordsInserted
        } else if n_empty {
            Class::WordsDeleted
        } else {
            Class::WordsReplaced
        };
        let mut r = Raw::new(class, parent);
        r.change.changes_text = true;
        let mut ot = fa.words_text(h.o.clone());
        let mut nt = fb.words_text(h.n.clone());
        if matches!(class, Class::LacunaFilled | Class::LacunaIntroduced) {
            // Punctuation stays attached to words ("by <gap/>." → "by equal."): report only
            // what fills (or opens) the lacuna, without the characters both sides share.
            let (o, n) = strip_common(&ot, &nt);
            if o.trim().is_empty() || n.trim().is_empty() {
                (ot, nt) = (o.trim().to_string(), n.trim().to_string());
            }
        }
        if class == Class::LacunaFilled {
            ot = if ot.is_empty() {
                "[gap]".into()
            } else {
                format!("[gap] {ot}")
            };
            if supplied {
                r.change.element = Some("supplied".into());
            }
        }
        let mut nt2 = nt.clone();

        if class == Class::LacunaIntroduced {
            nt2 = if nt.is_empty() {
                "[gap]".into()
            } else {
                format!("[gap] {nt}")
            };
        }
        r.change.old_text = (!ot.is_empty()).then(|| short(&ot));
        r.change.new_text = (!nt2.is_empty()).then(|| short(&nt2));
        r.change.context = Some(context(&fb, h.n.start, h.n.end));
        r.loc = [
            Some((path_nodes[0], words_span(e, 0, &fa, a, &h.o))),
            Some((path_nodes[1], words_span(e, 1, &fb, b, &h.n))),
        ];
        r.item = ctx_item;
        r.field = [
            word_node(&fa, &h.o).or(Some(path_nodes[0])),
            word_node(&fb, &h.n).or(Some(path_nodes[1])),
        ];
        e.raws.push(r);
    }

    // Marks on one side only.
    for side in 0..2 {
        let f = flows[side];
        let matched = if side == 0 { &ma } else { &mb };
        let ins = side == 1;
        for (k, m) in f.marks.iter().enumerate() {
            if matched[k] != NONE || used[side][k] {
                continue;
            }
            let info = e.names.info(m.name);
            let local = info.local.as_str();
            let class = match (m.anchor, local, ins) {
                (true, "note", true) => Class::NoteAdded,
                (true, "note", false) => Class::NoteRemoved,
                (true, "gap", true) => Class::LacunaIntroduced,
                (false, _, true) if info.is_name => Class::NameTagged,
                (false, _, false) if info.is_name => Class::NameUntagged,
                (_, _, true) => Class::ElementInserted,
                (_, _, false) => Class::ElementRemoved,
            };
            let mut r = Raw::new(class, parent);
            r.change.element = Some(info.display());
            let node = e.v[side].doc.node(m.node);
            let text = if m.anchor {
                (m.item != NONE).then(|| short(&item_text(e.v[side], m.item)))
            } else {
                let end = if m.end.off > 0 {
                    m.end.w as usize + 1
                } else {
                    m.end.w as usize
                };
                Some(short(
                    &f.words_text(m.start.w as usize..end.min(f.words.len())),
                ))
            };
            r.change.changes_text = m.anchor && local == "note";
            let attrs = super::tree::sorted_attrs(node);
            r.change.attributes = attrs
                .into_iter()
                .map(|(name, v)| super::change::AttributeChange {
                    name,
                    old: (!ins).then(|| v.clone()),
                    new: ins.then_some(v),
                })
                .collect();
            if ins {
                r.change.new_text = text;
            } else {
                r.change.old_text = text;
            }
            r.change.context = Some(context(f, m.start.w as usize, m.end.w as usize));
            // The other side: the same words, through the alignment.
            let other = 1 - side;
            let map = if side == 0 { &omap } else { &nmap };
            let fo = flows[other];
            let s = map.get(m.start.w as usize).copied().unwrap_or(NONE);
            let span_o = if s != NONE {
                let w = &fo.words[s as usize];
                w.src.0 as usize..w.src.0 as usize
            } else {
                let sp = e.v[other].span(ctx_item[other]);
                sp.start..sp.start
            };
            r.loc[side] = Some((m.node, node.range()));
            r.loc[other] = Some((path_nodes[other], span_o));
            r.item = ctx_item;
            r.field[side] = Some(m.node);
            r.field[other] = Some(path_nodes[other]);
            e.raws.push(r);
        }
    }
}

/// Slides pure insertions and deletions over repeated words to a `gap` marker of the side
/// where they are a point, when one is within reach.
fn slide_to_gaps(e: &Engine<'_, '_>, fa: &FlowData, fb: &FlowData, hunks: &mut [Hunk]) {
    for k in 0..hunks.len() {
        let (point_side, h) = match (&hunks[k], hunks[k].o.is_empty(), hunks[k].n.is_empty()) {
            (h, true, false) => (0, h),
            (h, false, true) => (1, h),
            _ => continue,
        };
        let (pf, wf) = if point_side == 0 { (fa, fb) } else { (fb, fa) };
        let (point, words) = if point_side == 0 {
            (h.o.start, h.n.clone())
        } else {
            (h.n.start, h.o.clone())
        };
        let gaps: Vec<usize> = pf
            .marks
            .iter()
            .filter(|m| m.anchor && m.start.off == 0 && e.names.info(m.name).local == "gap")
            .map(|m| m.start.w as usize)
            .filter(|&g| g != point && g.abs_diff(point) <= words.len())
            .collect();
        if gaps.is_empty()
            || pf.marks.iter().any(|m| {
                m.anchor
                    && m.start.off == 0
                    && m.start.w as usize == point
                    && e.names.info(m.name).local == "gap"
            })
        {
            continue;
        }
        let w = |i: usize| wf.words[i].hash;
        // Neighbouring hunks bound the slide.
        let lo = if k > 0 {
            if point_side == 0 {
                hunks[k - 1].o.end
            } else {
                hunks[k - 1].n.end
            }
        } else {
            0
        };
        let hi = if k + 1 < hunks.len() {
            if point_side == 0 {
                hunks[k + 1].o.start
            } else {
                hunks[k + 1].n.start
            }
        } else {
            usize::MAX
        };
        for g in gaps {
            let (mut s, mut t, mut at) = (words.start, words.end, point);
            while at > g && at > lo && s > 0 && w(s - 1) == w(t - 1) {
                s -= 1;
                t -= 1;
                at -= 1;
            }
            while at < g && at < hi && t < wf.words.len() && w(s) == w(t) {
                s += 1;
                t += 1;
                at += 1;
            }
            if at == g {
                let h = &mut hunks[k];
                if point_side == 0 {
                    h.o = at..at;
                    h.n = s..t;
                } else {
                    h.n = at..at;
                    h.o = s..t;
                }
                break;
            }
        }
    }
}

/// Whether a hunk that is a point on `side` (words inserted where a `gap` was, or deleted
/// where one now is) could slide over repeated words of the other side to position `p`.
fn slides_to(other: &FlowData, h: &Hunk, side: usize, p: Pos) -> bool {
    if p.off != 0 {
        return false;
    }
    let (point, words) = if side == 0 {
        (&h.o, &h.n)
    } else {
        (&h.n, &h.o)
    };
    if !point.is_empty() || words.is_empty() {
        return false;
    }
    let w = |i: usize| other.words[i].hash;
    let target = p.w as usize;
    let (mut s, mut e, mut at) = (words.start, words.end, point.start);
    while at > target && s > 0 && w(s - 1) == w(e - 1) {
        s -= 1;
        e -= 1;
        at -= 1;
    }
    while at < target && e < other.words.len() && w(s) == w(e) {
        s += 1;
        e += 1;
        at += 1;
    }
    at == target
}

fn words_span(
    e: &Engine<'_, '_>,
    side: usize,
    f: &FlowData,
    item: ItemId,
    r: &std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    if !r.is_empty() {
        let a = f.words[r.start].src.0 as usize;
        let b = f.words[r.end - 1].src.1 as usize;
        return a..b.max(a);
    }
    if r.start < f.words.len() {
        let p = f.words[r.start].src.0 as usize;
        return p..p;
    }
    if let Some(w) = f.words.last() {
        return w.src.1 as usize..w.src.1 as usize;
    }
    let sp = e.v[side].span(item);
    sp.start..sp.start
}

fn word_node(f: &FlowData, r: &std::ops::Range<usize>) -> Option<crate::xml::NodeId> {
    f.words
        .get(r.start)
        .or_else(|| r.start.checked_sub(1).and_then(|i| f.words.get(i)))
        .map(|w| w.node)
}

fn context(f: &FlowData, start: usize, end: usize) -> Context {
    let n = f.words.len();
    let (s, t) = (start.min(n), end.min(n).max(start.min(n)));
    Context {
        before: f.words_text(s.saturating_sub(CONTEXT_WORDS)..s),
        after: f.words_text(t..(t + CONTEXT_WORDS).min(n)),
    }
}

/// The parts of `a` and `b` that differ, without their common prefix and suffix (on character
/// boundaries).
fn strip_common<'t>(a: &'t str, b: &'t str) -> (&'t str, &'t str) {
    let pre: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a2, b2) = (&a[pre..], &b[pre..]);
    let suf: usize = a2
        .chars()
        .rev()
        .zip(b2.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    (&a2[..a2.len() - suf], &b2[..b2.len() - suf])
}
