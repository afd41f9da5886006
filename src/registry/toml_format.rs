//! Reading the TOML registry format (documented in the module above) with spans, so every
//! problem points at the key or value that causes it.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::{Cert, Entity, EntityKind, Idno, Name, NameSpans, codes};
use crate::diag::{Diagnostic, FileId, Label};

type Spanned<T> = toml::Spanned<T>;

/// An entry as read: (start offset, entity, name spans, id span).
type Found = (usize, Entity, Vec<Range<usize>>, Range<usize>);

/// Keys an entry may have.
const ENTRY_KEYS: &[&str] = &[
    "id",
    "name",
    "variants",
    "aliases",
    "pseudonyms",
    "birth",
    "abbreviations",
    "translations",
    "descriptive",
    "names",
    "level",
    "wikidata",
    "viaf",
    "gnd",
    "geonames",
    "note",
];

/// Name-list keys and the `@type` their forms get.
const NAME_LISTS: &[(&str, &str)] = &[
    ("variants", "variant"),
    ("aliases", "alias"),
    ("pseudonyms", "pseudonym"),
    ("birth", "birth"),
    ("abbreviations", "abbreviation"),
    ("translations", "translation"),
    ("descriptive", "descriptive"),
    ("names", "variant"),
];

const AUTHORITIES: &[&str] = &["wikidata", "viaf", "gnd", "geonames"];
const NAME_ITEM_KEYS: &[&str] = &["text", "type", "lang", "cert", "after"];
const LEVELS: &[&str] = &["a", "m", "j", "s", "u"];

struct Ctx<'a> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Loads entities, the span of each name (parallel to `names`), and diagnostics.
pub(super) fn load(text: &str, file: FileId) -> (Vec<Entity>, NameSpans, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let (root, errors) = DeTable::parse_recoverable(text);
    for e in errors {
        let mut d = Diagnostic::new(
            &codes::TOML_SYNTAX,
            format!("invalid TOML: {}", e.message().trim()),
        );
        if let Some(s) = e.span() {
            d = d.at(file, s);
        }
        diags.push(d);
    }
    let mut cx = Ctx {
        file,
        diags: &mut diags,
    };
    // (start offset, entity, name spans, id span)
    let mut found: Vec<Found> = Vec::new();
    for (key, value) in root.get_ref().iter() {
        let k: &str = key.get_ref();
        let Some(kind) = EntityKind::ALL.iter().copied().find(|x| x.key() == k) else {
            let mut d = Diagnostic::new(
                &codes::UNKNOWN_KEY,
                format!("unknown table `{k}`; expected `person`, `place`, `org` or `title`"),
            )
            .at(file, key.span());
            if let Some(s) = closest(k, &["person", "place", "org", "title"]) {
                d = d.with_help(format!("did you mean `[[{s}]]`?"));
            }
            cx.push(d);
            continue;
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(t) => {
                            if let Some(x) = entry(kind, t, item.span(), &mut cx) {
                                found.push(x);
                            }
                        }
                        other => cx.push(wrong_type(
                            file,
                            item.span(),
                            &format!("a `{k}` entry"),
                            "a table",
                            other,
                        )),
                    }
                }
            }
            other => cx.push(
                wrong_type(
                    file,
                    value.span(),
                    &format!("`{k}`"),
                    "an array of tables",
                    other,
                )
                .with_help(format!("write each entry as `[[{k}]]`, not `[{k}]`")),
            ),
        }
    }
    found.sort_by_key(|x| x.0);
    // Duplicate ids: keep the first.
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    let mut entities = Vec::new();
    let mut spans = Vec::new();
    for (_, e, s, id_span) in found {
        if let Some(first) = seen.get(&e.id) {
            diags.push(
                Diagnostic::new(
                    &codes::DUPLICATE_ID,
                    format!("duplicate id `{}`; this entry is dropped", e.id),
                )
                .at(file, id_span)
                .also(Label::new(file, first.clone()).with_message("first defined here"))
                .with_help("give the entry a different id, or merge the two entries"),
            );
            continue;
        }
        seen.insert(e.id.clone(), id_span);
        entities.push(e);
        spans.push(s);
    }
    (entities, spans, diags)
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn wrong_type(
    file: FileId,
    span: Range<usize>,
    what: &str,
    expected: &str,
    found: &DeValue<'_>,
) -> Diagnostic {
    Diagnostic::new(
        &codes::WRONG_TYPE,
        format!(
            "{what} is {}; expected {expected}; the value is ignored",
            type_name(found)
        ),
    )
    .at(file, span)
}

/// Reads one entry table.
fn entry(kind: EntityKind, t: &DeTable<'_>, span: Range<usize>, cx: &mut Ctx<'_>) -> Option<Found> {
    let file = cx.file;
    let start = t
        .iter()
        .map(|(k, _)| k.span().start)
        .min()
        .unwrap_or(span.start);
    let head = span.start..span.start.max(start).min(span.end.max(span.start));
    let entry_span = if head.is_empty() { span.clone() } else { head };
    for (k, _) in t.iter() {
        let key: &str = k.get_ref();
        if !ENTRY_KEYS.contains(&key) {
            let mut d = Diagnostic::new(
                &codes::UNKNOWN_KEY,
                format!(
                    "unknown key `{key}` in a `{}` entry; it is ignored",
                    kind.key()
                ),
            )
            .at(file, k.span());
            if let Some(s) = closest(key, ENTRY_KEYS) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            cx.push(d);
        }
    }
    let get = |k: &str| t.get(k);
    let string = |cx: &mut Ctx<'_>, k: &str| -> Option<(String, Range<usize>)> {
        let v = get(k)?;
        match v.get_ref() {
            DeValue::String(s) => Some((s.trim().to_string(), v.span())),
            other => {
                cx.push(wrong_type(
                    file,
                    v.span(),
                    &format!("`{k}`"),
                    "a string",
                    other,
                ));
                None
            }
        }
    };

    // Names: the preferred one first, then the lists in the order they are written.
    let mut names: Vec<(Name, Range<usize>)> = Vec::new();
    // `name` is a string, or a table `{ text, after, cert, lang }` for a conditional form.
    let pref = get("name").map(|v| v.span());
    if let Some(v) = get("name") {
        match v.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => cx.push(
                Diagnostic::new(&codes::MISSING_FIELD, "the `name` is empty").at(file, v.span()),
            ),
            DeValue::String(_) | DeValue::Table(_) => {
                if let Some((mut n, sp)) = name_item(v, "preferred", "name", cx) {
                    n.kind = Some("preferred".into());
                    names.push((n, sp));
                }
            }
            other => cx.push(wrong_type(file, v.span(), "`name`", "a string", other)),
        }
    }
    let mut lists: Vec<(&str, &str, &Spanned<DeValue<'_>>)> = NAME_LISTS
        .iter()
        .filter_map(|(k, ty)| get(k).map(|v| (*k, *ty, v)))
        .collect();
    lists.sort_by_key(|x| x.2.span().start);
    for (k, ty, v) in lists {
        let items: Vec<&Spanned<DeValue<'_>>> = match v.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            _ => vec![v],
        };
        for item in items {
            if let Some(n) = name_item(item, ty, k, cx) {
                names.push(n);
            }
        }
    }
    if names
        .first()
        .is_none_or(|n| n.0.kind.as_deref() != Some("preferred"))
    {
        match names.first_mut() {
            Some(first) => {
                cx.push(
                    Diagnostic::new(
                        &codes::MISSING_FIELD,
                        format!(
                            "this `{}` entry has no `name`; its first listed form \"{}\" is used as the preferred name",
                            kind.key(),
                            first.0.text
                        ),
                    )
                    .at(file, entry_span.clone())
                    .with_help("add `name = \"…\"` with the form the register should show"),
                );
                first.0.kind = Some("preferred".into());
            }
            None => {
                if pref.is_none() {
                    cx.push(
                        Diagnostic::new(
                            &codes::MISSING_FIELD,
                            format!("this `{}` entry has no name; it is dropped", kind.key()),
                        )
                        .at(file, entry_span.clone())
                        .with_help("add `name = \"…\"`"),
                    );
                }
                return None;
            }
        }
    }
    // Drop repeated forms.
    let mut uniq: Vec<(Name, Range<usize>)> = Vec::new();
    let mut keys: HashMap<String, Range<usize>> = HashMap::new();
    for (n, sp) in names {
        let key = super::tagger::normalize_form(&n.text);
        if let Some(first) = keys.get(&key) {
            cx.push(
                Diagnostic::new(
                    &codes::DUPLICATE_NAME,
                    format!("the form \"{}\" is listed twice for this entry", n.text),
                )
                .at(file, sp)
                .also(Label::new(file, first.clone()).with_message("first listed here")),
            );
            continue;
        }
        keys.insert(key, sp.clone());
        uniq.push((n, sp));
    }

    // Id.
    let (id, id_span) = match string(cx, "id") {
        Some((id, sp)) if super::is_valid_id(&id) => (id, sp),
        Some((id, sp)) => {
            let fixed = super::slug_id(kind, &id);
            cx.push(
                Diagnostic::new(
                    &codes::BAD_ID,
                    format!("the id `{id}` is not a valid xml:id; `{fixed}` is used instead"),
                )
                .at(file, sp.clone())
                .with_help(
                    "ids start with a letter and contain only letters, digits, `-`, `_` and `.`",
                ),
            );
            (fixed, sp)
        }
        None => {
            let fixed = super::slug_id(kind, &uniq[0].0.text);
            cx.push(
                Diagnostic::new(
                    &codes::MISSING_FIELD,
                    format!(
                        "the `{}` entry \"{}\" has no `id`; `{fixed}` is used",
                        kind.key(),
                        uniq[0].0.text
                    ),
                )
                .at(file, entry_span.clone())
                .with_help(format!("add `id = \"{fixed}\"`")),
            );
            (fixed, entry_span.clone())
        }
    };

    // Authorities, in a fixed order.
    let mut idnos = Vec::new();
    for a in AUTHORITIES {
        let Some((v, sp)) = string(cx, a) else {
            continue;
        };
        match super::canonical_authority(a, &v) {
            Some((kind, uri)) => idnos.push(Idno { kind, uri }),
            None => cx.push(
                Diagnostic::new(
                    &codes::BAD_AUTHORITY,
                    format!("`{a} = \"{v}\"` is not a {a} id; it is dropped"),
                )
                .at(file, sp)
                .with_help(match *a {
                    "wikidata" => "expected `Q` and digits, or https://www.wikidata.org/entity/Q…",
                    "viaf" => "expected digits, or https://viaf.org/viaf/…",
                    "gnd" => "expected a GND number such as 118623869 or 4021477-1, or https://d-nb.info/gnd/…",
                    _ => "expected digits, or https://www.geonames.org/…",
                }),
            ),
        }
    }

    let mut level = None;
    if let Some((v, sp)) = string(cx, "level") {
        if LEVELS.contains(&v.as_str()) {
            if kind != EntityKind::Title {
                cx.push(
                    Diagnostic::new(
                        &codes::BAD_VALUE,
                        format!(
                            "`level` applies to titles, not to a `{}`; it is ignored",
                            kind.key()
                        ),
                    )
                    .at(file, sp),
                );
            } else {
                level = Some(v);
            }
        } else {
            cx.push(
                Diagnostic::new(
                    &codes::BAD_VALUE,
                    format!("`level = \"{v}\"` is not a title level; it is ignored"),
                )
                .at(file, sp)
                .with_help(
                    "expected j (periodical), m (book), a (article), s (series) or u (unpublished)",
                ),
            );
        }
    }
    let note = string(cx, "note").map(|x| x.0).filter(|s| !s.is_empty());

    let (names, spans): (Vec<Name>, Vec<Range<usize>>) = uniq.into_iter().unzip();
    Some((
        span.start.min(start),
        Entity {
            id,
            kind,
            names,
            idnos,
            level,
            note,
        },
        spans,
        id_span,
    ))
}

/// One item of a name list: a string or `{ text, type, lang, cert, after }`.
fn name_item(
    item: &Spanned<DeValue<'_>>,
    ty: &str,
    list: &str,
    cx: &mut Ctx<'_>,
) -> Option<(Name, Range<usize>)> {
    let file = cx.file;
    match item.get_ref() {
        DeValue::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                cx.push(
                    Diagnostic::new(&codes::MISSING_FIELD, format!("an empty name in `{list}`"))
                        .at(file, item.span()),
                );
                return None;
            }
            Some((Name::typed(s, ty), item.span()))
        }
        DeValue::Table(t) => {
            for (k, _) in t.iter() {
                let key: &str = k.get_ref();
                if !NAME_ITEM_KEYS.contains(&key) {
                    let mut d = Diagnostic::new(
                        &codes::UNKNOWN_KEY,
                        format!("unknown key `{key}` in a name; it is ignored"),
                    )
                    .at(file, k.span());
                    if let Some(s) = closest(key, NAME_ITEM_KEYS) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    cx.push(d);
                }
            }
            let s = |k: &str, cx: &mut Ctx<'_>| -> Option<(String, Range<usize>)> {
                let v = t.get(k)?;
                match v.get_ref() {
                    DeValue::String(s) => Some((s.trim().to_string(), v.span())),
                    other => {
                        cx.push(wrong_type(
                            file,
                            v.span(),
                            &format!("`{k}`"),
                            "a string",
                            other,
                        ));
                        None
                    }
                }
            };
            let text = match s("text", cx) {
                Some((t, _)) if !t.is_empty() => t,
                _ => {
                    cx.push(
                        Diagnostic::new(
                            &codes::MISSING_FIELD,
                            format!("a name in `{list}` has no `text`; it is ignored"),
                        )
                        .at(file, item.span())
                        .with_help("write `{ text = \"…\" }`"),
                    );
                    return None;
                }
            };
            let mut n = Name::typed(text, ty);
            if let Some((t, _)) = s("type", cx).filter(|x| !x.0.is_empty()) {
                n.kind = Some(t);
            }
            n.lang = s("lang", cx).map(|x| x.0).filter(|x| !x.is_empty());
            if let Some((c, sp)) = s("cert", cx) {
                n.cert = match c.as_str() {
                    "high" => Some(Cert::High),
                    "medium" => Some(Cert::Medium),
                    "low" => Some(Cert::Low),
                    _ => {
                        cx.push(
                            Diagnostic::new(
                                &codes::BAD_VALUE,
                                format!("`cert = \"{c}\"` is not a certainty; it is ignored"),
                            )
                            .at(file, sp)
                            .with_help("expected high, medium or low"),
                        );
                        None
                    }
                };
            }
            if let Some(v) = t.get("after") {
                let items: Vec<&Spanned<DeValue<'_>>> = match v.get_ref() {
                    DeValue::Array(a) => a.iter().collect(),
                    _ => vec![v],
                };
                for w in items {
                    match w.get_ref() {
                        DeValue::String(x) if !x.trim().is_empty() => {
                            n.after.push(x.trim().to_string())
                        }
                        other => cx.push(wrong_type(
                            file,
                            w.span(),
                            "an `after` word",
                            "a non-empty string",
                            other,
                        )),
                    }
                }
            }
            Some((n, item.span()))
        }
        other => {
            cx.push(wrong_type(
                file,
                item.span(),
                &format!("an item of `{list}`"),
                "a string or a table `{ text = \"…\" }`",
                other,
            ));
            None
        }
    }
}

/// The known word closest to `word` (edit distance ≤ 2, or a shared prefix of 4+ letters).
pub(crate) fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let w = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(&w, k);
        let prefix = w.len() >= 4 && (k.starts_with(&w[..4.min(w.len())]));
        let score = if d <= 2 {
            d
        } else if prefix {
            3
        } else {
            continue;
        };
        if best.is_none_or(|b| score < b.0) {
            best = Some((score, k));
        }
    }
    best.map(|b| b.1)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean() {
        assert_eq!(closest("varients", ENTRY_KEYS), Some("variants"));
        assert_eq!(closest("wikidat", ENTRY_KEYS), Some("wikidata"));
        assert_eq!(closest("persons", &["person", "place"]), Some("person"));
        assert_eq!(closest("zzzzzzzz", ENTRY_KEYS), None);
    }
}
