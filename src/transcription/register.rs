//! Register entries the converter makes itself.
//!
//! The house schema wants every name of the text and of `correspDesc` to point into the
//! edition's register (ENCODING A5), whatever the registry knows. So when the converter has
//! to write a name the registry does not know — a correspondent in a letter head ("X to
//! Y"), the place of a dateline, a signature or a salutation standing for a correspondent —
//! it makes a **provisional entry**: the id follows the registry's conventions
//! ([`registry::slug_id`]: `p-jacques-ramboz`, `pl-prinkipo`, `o-international-secretariat`),
//! made unique against the registry and the other entries; the entry is marked
//! `@resp="#r-conv"` and says in a note that it is not in the registry; every mention of it
//! carries `@cert="low"` and `@resp="#r-conv"` (ENCODING A9). The entries are made in a
//! first, cheap pass over the letters' heads, openers and closers, so that the tagger then
//! finds the same surface form everywhere in the text and points it to the same entry.
//!
//! **Periodicals as correspondents.** A letter may be addressed to (or sent by) a periodical
//! — "Natalia Sedova to La Lutte de Classes". The register keeps the periodical as a title
//! (`listBibl/bibl`, ENCODING A5: periodicals are titles), but a title cannot send or
//! receive a letter: what does is the editorial body behind it, as in ENCODING's example 3
//! (`<orgName ref="#o-ldc">` with an `org` entry noted as the periodical used as addressee).
//! So in a correspondent's position (the letter head, a "to …" line, a signature,
//! `correspAction`) such a name is written `orgName` pointing to an `org` **counterpart** of
//! the title: the registry's own organisation of the same name if it has one, else an entry
//! made here (`t-lutte-de-classes` → `o-lutte-de-classes`, with the title's name forms and a
//! note pointing to the title). Elsewhere in the text the periodical stays a `title`.

use std::collections::{HashMap, HashSet};

use crate::model::MadeWhy;
use crate::registry::{self, Cert, Entity, EntityKind, Registry};

/// The entries made for one conversion. Indices are *global*: the registry's entities come
/// first (`0..base`), then the made ones (`base + i`), as in the combined registry the
/// tagger uses.
#[derive(Debug, Default)]
pub(crate) struct Made {
    /// Number of entities in the registry.
    pub base: usize,
    /// The made entities, in the order they were made.
    pub entities: Vec<Entity>,
    /// Why each was made (parallel to `entities`).
    pub why: Vec<MadeWhy>,
    /// Provisional entries by kind and normalised name.
    by_name: HashMap<(EntityKind, String), usize>,
    /// Counterparts by title id: global index of the organisation.
    by_title: HashMap<String, usize>,
    /// The registry's organisations by normalised name (built on first use).
    orgs: Option<HashMap<String, usize>>,
    /// Ids in use.
    taken: HashSet<String>,
    /// The entry for unnamed correspondents, once made.
    unnamed: Option<usize>,
}

/// The key two names share when they are the same name: normalised, lower-case.
fn key(name: &str) -> String {
    registry::normalize_name(name).to_lowercase()
}

impl Made {
    /// An empty set of made entries for a conversion with `registry` (if any); `reserved`
    /// are further ids the document uses.
    pub fn new(registry: Option<&Registry>, reserved: &[&str]) -> Made {
        let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
        if let Some(r) = registry {
            taken.extend(r.entities.iter().map(|e| e.id.clone()));
        }
        Made {
            base: registry.map_or(0, |r| r.entities.len()),
            taken,
            ..Made::default()
        }
    }

    /// The made entity with this global index.
    pub fn get(&self, global: usize) -> Option<&Entity> {
        global
            .checked_sub(self.base)
            .and_then(|i| self.entities.get(i))
    }

    /// A fresh id for a name of `kind`.
    fn fresh_id(&mut self, kind: EntityKind, name: &str) -> String {
        let base = registry::slug_id(kind, name);
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.contains(&id) || !registry::is_valid_id(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.taken.insert(id.clone());
        id
    }

    /// The provisional entry for `name` (made now if there is none yet): its global index.
    /// `found` says where the name was first found, for the entry's note.
    pub fn provisional(&mut self, kind: EntityKind, name: &str, found: &str) -> usize {
        let k = (kind, key(name));
        if let Some(&i) = self.by_name.get(&k) {
            return self.base + i;
        }
        let id = self.fresh_id(kind, name);
        let mut e = Entity::new(id, kind, name.trim());
        e.names[0].cert = Some(Cert::Low);
        e.note = Some(format!(
            "Provisional entry made by teikit convert: the registry does not know this name; first found {found}. Check it and add it to the registry."
        ));
        self.push(e, MadeWhy::Provisional);
        self.by_name.insert(k, self.entities.len() - 1);
        self.base + self.entities.len() - 1
    }

    /// The entry standing for a correspondent the source does not name (one per kind): its
    /// global index. Never tagged in the text.
    pub fn unnamed(&mut self) -> usize {
        if let Some(i) = self.unnamed {
            return self.base + i;
        }
        let id = self.fresh_id(EntityKind::Person, "unknown");
        let mut e = Entity::new(id, EntityKind::Person, "Unknown");
        e.note = Some(
            "Stands for a correspondent the source does not name (entry made by teikit convert)."
                .into(),
        );
        self.push(e, MadeWhy::Unnamed);
        self.unnamed = Some(self.entities.len() - 1);
        self.base + self.entities.len() - 1
    }

    /// The id of the entry for unnamed correspondents, if it was made.
    pub fn unnamed_id(&self) -> Option<&str> {
        self.unnamed
            .and_then(|i| self.entities.get(i))
            .map(|e| e.id.as_str())
    }

    /// The provisional entry for `name`, if one was made: its global index.
    pub fn find(&self, kind: EntityKind, name: &str) -> Option<usize> {
        self.by_name.get(&(kind, key(name))).map(|&i| self.base + i)
    }

    /// Adds an entry made elsewhere (`registry::provisional`) unless one of the same kind and
    /// name exists; its id is kept when free. Returns its global index.
    pub fn adopt(&mut self, mut e: Entity) -> usize {
        let k = (e.kind, key(e.preferred()));
        if let Some(&i) = self.by_name.get(&k) {
            return self.base + i;
        }
        e.note = Some(
            "Provisional entry made by teikit convert: the registry does not know this name, which recurs in the text (option --provisional-names). Check it and add it to the registry."
                .into(),
        );
        if self.taken.contains(&e.id) || !registry::is_valid_id(&e.id) {
            e.id = self.fresh_id(e.kind, e.preferred());
        } else {
            self.taken.insert(e.id.clone());
        }
        self.push(e, MadeWhy::Provisional);
        self.by_name.insert(k, self.entities.len() - 1);
        self.base + self.entities.len() - 1
    }

    fn push(&mut self, e: Entity, why: MadeWhy) {
        self.entities.push(e);
        self.why.push(why);
    }

    /// The organisation standing for the periodical `title` as a correspondent: the registry's organisation of the same name, else a counterpart made
    /// now. Returns its global index.
    pub fn counterpart(&mut self, registry: Option<&Registry>, title: &Entity) -> usize {
        if let Some(&g) = self.by_title.get(&title.id) {
            return g;
        }
        let orgs = self.orgs.get_or_insert_with(|| {
            let mut m = HashMap::new();
            for (i, e) in registry.iter().flat_map(|r| r.entities.iter()).enumerate() {
                if e.kind == EntityKind::Org {
                    for n in &e.names {
                        m.entry(key(&n.text)).or_insert(i);
                    }
                }
            }
            m
        });
        let g = match orgs.get(&key(title.preferred())) {
            Some(&i) => i,
            None => {
                let stem = title.id.strip_prefix("t-").unwrap_or(&title.id);
                let want = format!("o-{stem}");
                let id = if self.taken.contains(&want) || !registry::is_valid_id(&want) {
                    self.fresh_id(EntityKind::Org, title.preferred())
                } else {
                    self.taken.insert(want.clone());
                    want
                };
                // The organisation is known by the periodical's name; the title's other forms
                // (short forms, translations) stay with the title.
                let e = Entity::new(id, EntityKind::Org, title.preferred());
                self.push(
                    e,
                    MadeWhy::EditorialBody {
                        title: title.id.clone(),
                    },
                );
                self.base + self.entities.len() - 1
            }
        };
        self.by_title.insert(title.id.clone(), g);
        g
    }

    /// Whether `id` is a counterpart made for a periodical.
    pub fn is_editorial_body(&self, id: &str) -> bool {
        self.entities
            .iter()
            .zip(&self.why)
            .any(|(e, w)| e.id == id && matches!(w, MadeWhy::EditorialBody { .. }))
    }

    /// The provisional entries (not counterparts) with their global indices, for the tagger.
    pub fn provisional_entities(&self) -> Vec<(usize, &Entity)> {
        self.entities
            .iter()
            .zip(&self.why)
            .enumerate()
            .filter(|(_, (_, w))| matches!(w, MadeWhy::Provisional))
            .map(|(i, (e, _))| (self.base + i, e))
            .collect()
    }
}

/// The registry's tagger and a tagger over the provisional entries, as one finder: the
/// registry's mentions win; a provisional mention counts where it overlaps none of them.
pub(crate) struct Combined<'a> {
    /// The registry's finder, if there is a registry.
    pub main: Option<&'a dyn super::NameFinder>,
    /// The tagger over the provisional entries.
    pub extra: registry::Tagger,
    /// Global index of each of `extra`'s entities.
    pub map: Vec<usize>,
}

impl super::NameFinder for Combined<'_> {
    fn find(&self, text: &str) -> Vec<registry::Mention> {
        self.find_with(text, &registry::FindContext::default(), None)
    }

    fn context(&self, doc: &str) -> registry::FindContext {
        self.main.map(|f| f.context(doc)).unwrap_or_default()
    }

    fn find_with(
        &self,
        text: &str,
        ctx: &registry::FindContext,
        at: Option<usize>,
    ) -> Vec<registry::Mention> {
        let main = self
            .main
            .map(|f| f.find_with(text, ctx, at))
            .unwrap_or_default();
        let extra = self.extra.find(text);
        if extra.is_empty() {
            return main;
        }
        let mut added = Vec::new();
        let mut j = 0;
        for mut m in extra {
            // `main` is sorted by start; skip its mentions that end before `m`.
            while j < main.len() && main[j].range.end <= m.range.start {
                j += 1;
            }
            let clash = main[j..]
                .iter()
                .take_while(|o| o.range.start < m.range.end)
                .any(|o| o.range.end > m.range.start);
            if let (false, Some(&g)) = (clash, self.map.get(m.entity)) {
                m.entity = g;
                added.push(m);
            }
        }
        if added.is_empty() {
            return main;
        }
        let mut out = main;
        out.extend(added);
        out.sort_by_key(|m| (m.range.start, m.range.end));
        out
    }
}
