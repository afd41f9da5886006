//! Boilerplate removal and the header zone.
//!
//! Web pages copied as text carry site furniture (navigation bars, breadcrumbs, "Top of
//! page", comment-form footers) and header statements (title, author, "From …" citation,
//! "Transcribed … by …", "Written:", a damage statement, "Last updated on …", a forum post
//! line). This stage marks every such line: furniture is *removed* and the page's wrapper
//! (forum post title and line, the journal-issue running head, "Last updated on …") is
//! *moved* to the TEI header, each with a note-level diagnostic, so nothing is dropped
//! silently. The source edition's own statements ("From …", "Transcribed … by …",
//! "Written:", a damage statement) and the title, author and date-range lines stay in the
//! text (as `ab type="source"`, `head`, `byline`) and are also read into the header.
//!
//! The header zone is the top of the file up to the first line of prose, letter head,
//! dateline or salutation.

use std::ops::Range;

use crate::diag::{Diagnostic, FileId};
use crate::model::{
    Agent, AgentKind, DateValue, DigitalSource, ForumPost, Pages, PrintSource, Resp,
};

use super::codes;
use super::dates::{self, DateCtx};
use super::lines::{Line, word_count, word_count_max};
use super::shapes::{self, FieldKind};

/// What happened to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Part of the text.
    Text,
    /// Removed as boilerplate.
    Removed,
    /// Moved to the TEI header.
    Moved,
}

/// A header-zone line that stays in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kept {
    /// The title (`head`).
    Title,
    /// A further title line (`head type="sub"`).
    Subtitle,
    /// The author (`byline`).
    Author,
    /// A statement of the source edition ("From …", "Transcribed by …", "Written: …", a
    /// damage statement): kept in the text as `ab type="source"` and also read into the
    /// header.
    Statement,
}

/// What the header zone says.
#[derive(Debug, Default)]
pub(crate) struct HeaderScan {
    /// Title, subtitle, author and statement lines, in source order: (line index, role).
    pub kept: Vec<(usize, Kept)>,
    /// First line of the body.
    pub body_start: usize,
    /// Source-edition responsibilities.
    pub resp: Vec<Resp>,
    /// The printed witness.
    pub print: Option<PrintSource>,
    /// The web page.
    pub digital: DigitalSource,
    /// "Written: …".
    pub written: Option<DateValue>,
    /// Date range line or "Written:" range, for two-digit years.
    pub range: Option<(i32, i32)>,
    /// Damage statement.
    pub condition: Option<String>,
    /// Other header statements, verbatim.
    pub notes: Vec<String>,
}

fn label(text: &str, r: &Range<usize>) -> String {
    let s = &text[r.clone()];
    let mut out: String = s.chars().take(70).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Removed furniture that still says something about the source.
#[derive(Debug, Default)]
pub(crate) struct Furniture {
    /// Navigation bars (line indices).
    pub nav: Vec<usize>,
    /// The first breadcrumb trail (line index).
    pub breadcrumb: Option<usize>,
}

/// Marks boilerplate lines anywhere in the file.
pub(crate) fn mark_boilerplate(
    text: &str,
    lines: &[Line],
    fate: &mut [Fate],
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> Furniture {
    let mut furniture = Furniture::default();
    let n = lines.len();
    // A footer: from a trigger line in the last part of the file to the end, when
    // everything after the trigger is short.
    let tail_from = n.saturating_sub(40);
    let mut footer: Option<usize> = None;
    for i in tail_from..n {
        let s = &text[lines[i].range.clone()];
        if lines[i].is_blank() || !shapes::is_footer_trigger(s) {
            continue;
        }
        let rest_short = lines[i + 1..].iter().filter(|l| !l.is_blank()).all(|l| {
            let t = &text[l.range.clone()];
            word_count_max(t, 25) <= 25 || shapes::is_footer_trigger(t)
        });
        let rest_count = lines[i + 1..].iter().filter(|l| !l.is_blank()).count();
        if rest_short && rest_count <= 20 {
            footer = Some(i);
            break;
        }
    }
    for i in 0..n {
        if lines[i].is_blank() || fate[i] != Fate::Text {
            continue;
        }
        let s = &text[lines[i].range.clone()];
        let what = if footer.is_some_and(|f| i >= f) {
            None
        } else if shapes::is_nav_bar(s) {
            furniture.nav.push(i);
            Some("site navigation")
        } else if shapes::is_breadcrumb(s) {
            furniture.breadcrumb.get_or_insert(i);
            Some("breadcrumb trail")
        } else if shapes::is_nav_phrase(s) {
            Some("navigation link")
        } else {
            continue;
        };
        if let Some(what) = what {
            fate[i] = Fate::Removed;
            diags.push(
                Diagnostic::note(
                    &codes::BOILERPLATE,
                    format!("removed {what}: “{}”", label(text, &lines[i].range)),
                )
                .at(file, lines[i].range.clone()),
            );
        }
    }
    if let Some(f) = footer {
        let last = (f..n).rev().find(|&i| !lines[i].is_blank()).unwrap_or(f);
        let count = (f..n).filter(|&i| !lines[i].is_blank()).count();
        for x in fate.iter_mut().take(n).skip(f) {
            *x = Fate::Removed;
        }
        diags.push(
            Diagnostic::note(
                &codes::BOILERPLATE,
                format!(
                    "removed a comment-form footer ({count} line{}) starting “{}”",
                    if count == 1 { "" } else { "s" },
                    label(text, &lines[f].range)
                ),
            )
            .at(file, lines[f].range.start..lines[last].range.end),
        );
    }
    furniture
}

fn moved(diags: &mut Vec<Diagnostic>, file: FileId, text: &str, r: &Range<usize>, as_what: &str) {
    diags.push(
        Diagnostic::note(
            &codes::MOVED_TO_HEADER,
            format!("moved to the TEI header as {as_what}: “{}”", label(text, r)),
        )
        .at(file, r.clone()),
    );
}

/// Site names from the removed navigation bars ("Encyclopedia of Trotskyism | Marxists’
/// Internet Archive"): a segment naming an archive or library is the site's publisher,
/// one naming an encyclopedia, project or on-line collection its title. The breadcrumb
/// trail is kept verbatim.
fn site_names(text: &str, lines: &[Line], f: &Furniture, d: &mut DigitalSource) {
    for &i in &f.nav {
        for seg in text[lines[i].range.clone()].split('|').map(str::trim) {
            let l = seg.to_lowercase();
            if l.contains("index") || seg.is_empty() {
                continue;
            }
            if (l.contains("archive") || l.contains("library")) && d.publisher.is_none() {
                d.publisher = Some(seg.to_string());
            } else if (l.contains("encyclop")
                || l.contains("on-line")
                || l.contains("online")
                || l.contains("project"))
                && d.title.is_none()
            {
                d.title = Some(seg.to_string());
            }
        }
    }
    if let Some(b) = f.breadcrumb {
        d.breadcrumb = Some(text[lines[b].range.clone()].to_string());
    }
}

/// Splits a credit's names: "David Walters and Phil from the French MIA team".
pub(crate) fn split_names(s: &str) -> Vec<Agent> {
    let s = s.trim().trim_end_matches('.');
    // "X for ETOL": the part after "for" is the project, not a person.
    let s = match s.find(" for ") {
        Some(i) if i > 0 => &s[..i],
        _ => s,
    };
    let mut out = Vec::new();
    for part in s.split([',', ';', '&']).flat_map(|p| p.split(" and ")) {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        out.push(Agent {
            name: p.to_string(),
            kind: if shapes::is_person_like(p) || word_count(p) == 1 {
                AgentKind::Person
            } else {
                AgentKind::Unknown
            },
            ref_id: None,
            cert: None,
        });
    }
    out
}

/// Parses a citation: "Fourth International, No. 7, Autumn 1959, pp. 25–26."
pub(crate) fn parse_citation(cit: &str, whole: &str, ctx: &DateCtx) -> PrintSource {
    use regex::Regex;
    use std::sync::LazyLock;
    static VOL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:vol(?:ume)?\.?|bd\.|t\.|tome)\s*(?P<v>[0-9IVXLC]+)").unwrap()
    });
    static NO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:\bno\.?|\bnos\.?|\bnr\.?|\bnumber|\bissue|#)\s*(?P<n>\d+(?:[-–/]\d+)?)")
            .unwrap()
    });
    static PAGES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:pp?\.|pages?|s\.)\s*(?P<a>\d+)(?:\s*[-–—]\s*(?P<b>\d+))?").unwrap()
    });
    let mut p = PrintSource {
        citation: whole.to_string(),
        level: "m".into(),
        ..Default::default()
    };
    let body = cit.trim().trim_end_matches('.');
    for part in body.split(", ") {
        let part = part.trim();
        let mut used = false;
        if let Some(c) = VOL.captures(part) {
            p.volume = Some(c["v"].to_string());
            used = true;
        }
        if let Some(c) = NO.captures(part) {
            p.issue = Some(c["n"].to_string());
            used = true;
        }
        if let Some(c) = PAGES.captures(part) {
            let a = c["a"].to_string();
            let b = c.name("b").map(|m| m.as_str().to_string());
            let (Some(am), Some(all)) = (c.name("a"), c.get(0)) else {
                continue;
            };
            let text = part[am.start()..all.end()].to_string();
            p.pages = Some(Pages {
                text,
                to: b.unwrap_or_else(|| a.clone()),
                from: a,
            });
            used = true;
        }
        if !used && p.date.is_none() {
            if let Some(f) = dates::parse_exact(part, ctx) {
                p.date = Some(f.value);
                used = true;
            }
        }
        if !used && p.journal.is_none() && p.issue.is_none() && p.date.is_none() {
            p.journal = Some(part.to_string());
        }
    }
    if p.issue.is_some() || p.volume.is_some() {
        p.level = "j".into();
    }
    p
}

/// Scans the header zone and the closing lines; marks moved lines and records what they
/// say.
pub(crate) fn scan(
    text: &str,
    lines: &[Line],
    fate: &mut [Fate],
    furniture: &Furniture,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> HeaderScan {
    let mut h = HeaderScan::default();
    site_names(text, lines, furniture, &mut h.digital);
    let ctx = DateCtx::default();
    // Candidate title/author lines: (line, text).
    let mut cands: Vec<usize> = Vec::new();
    let mut nonblank = 0;
    let mut i = 0;
    h.body_start = lines.len();
    while i < lines.len() {
        if lines[i].is_blank() || fate[i] != Fate::Text {
            i += 1;
            continue;
        }
        nonblank += 1;
        if nonblank > 30 {
            h.body_start = i;
            break;
        }
        let r = lines[i].range.clone();
        let s = &text[r.clone()];
        if let Some((kind, lab, value)) = shapes::header_field(s) {
            match kind {
                FieldKind::Resp(key) => {
                    h.resp.push(Resp {
                        id: String::new(),
                        role: lab.to_string(),
                        role_key: key.to_string(),
                        names: split_names(value),
                        text: s.to_string(),
                    });
                }
                FieldKind::Written => {
                    let v = dates::parse_exact(value, &ctx)
                        .map(|f| f.value)
                        .unwrap_or_else(|| DateValue {
                            text: value.to_string(),
                            ..Default::default()
                        });
                    if let Some(rg) = dates::year_range(&v) {
                        h.range = Some(rg);
                    }
                    h.written = Some(v);
                }
                FieldKind::Source => {
                    h.print = Some(parse_citation(value, s, &ctx));
                }
                FieldKind::Rights | FieldKind::Online => {
                    h.notes.push(s.to_string());
                }
            }
            h.kept.push((i, Kept::Statement));
        } else if let Some(cit) = shapes::citation(s) {
            h.print = Some(parse_citation(cit, s, &ctx));
            h.kept.push((i, Kept::Statement));
        } else if shapes::is_damage_statement(s) {
            h.condition = Some(s.to_string());
            h.kept.push((i, Kept::Statement));
        } else if let Some((role, names)) = shapes::credit(s) {
            // "… by X for ETOL": the project the work was done for names the site.
            if h.digital.title.is_none()
                && let Some(i) = names.find(" for ")
            {
                let site = names[i + 5..].trim().trim_end_matches('.');
                if !site.is_empty() && word_count_max(site, 8) <= 8 {
                    h.digital.title = Some(site.to_string());
                }
            }
            h.resp.push(Resp {
                id: String::new(),
                role: role.to_string(),
                role_key: shapes::resp_key(role).to_string(),
                names: split_names(names),
                text: s.to_string(),
            });
            h.kept.push((i, Kept::Statement));
        } else if let Some((d, by)) =
            shapes::post_line(s).filter(|(d, _)| dates::parse_exact(d, &ctx).is_some())
        {
            let date = dates::parse_exact(d, &ctx).map(|f| f.value);
            // The short line before the post line is the post's title.
            let title = cands.pop().map(|c| {
                fate[c] = Fate::Moved;
                moved(
                    diags,
                    file,
                    text,
                    &lines[c].range,
                    "the title of the forum post",
                );
                text[lines[c].range.clone()].to_string()
            });
            h.digital.post = Some(ForumPost {
                title,
                date,
                by: Some(by.trim().to_string()),
                by_ref: None,
                text: s.to_string(),
            });
            fate[i] = Fate::Moved;
            moved(diags, file, text, &r, "the forum post line");
        } else if let Some(d) = shapes::last_updated(s)
            && let Some(f) = dates::parse_exact(d, &ctx)
        {
            let mut v = f.value;
            v.text = s.to_string();
            h.digital.last_updated = Some(v);
            fate[i] = Fate::Moved;
            moved(diags, file, text, &r, "the date of the last update");
        } else if starts_body(text, lines, fate, i)
            || h.kept.iter().any(|(_, k)| *k == Kept::Statement)
        {
            // After the source's statements, a short line is the text's own first heading:
            // the body starts there.
            h.body_start = i;
            break;
        } else if let Some(f) = dates::parse_exact(s, &ctx).filter(|f| f.value.from.is_some()) {
            // "1946 - 1949": a date-range line stays in the text as a subtitle.
            h.range = dates::year_range(&f.value).or(h.range);
            cands.push(i);
        } else {
            cands.push(i);
        }
        i += 1;
    }
    // The closing lines: "Last updated on …" after the text.
    for j in (h.body_start..lines.len()).rev().take(15) {
        if fate[j] != Fate::Text || lines[j].is_blank() {
            continue;
        }
        let s = &text[lines[j].range.clone()];
        if let Some(d) = shapes::last_updated(s)
            && let Some(f) = dates::parse_exact(d, &ctx)
        {
            let mut v = f.value;
            v.text = s.to_string();
            h.digital.last_updated = Some(v);
            fate[j] = Fate::Moved;
            moved(
                diags,
                file,
                text,
                &lines[j].range,
                "the date of the last update",
            );
        }
    }
    assign_candidates(text, lines, fate, file, diags, &mut h, cands);
    h
}

/// Whether the line at `i` starts the body: prose, a letter head, a dateline, a salutation,
/// a note marker.
fn starts_body(text: &str, lines: &[Line], fate: &[Fate], i: usize) -> bool {
    let s = &text[lines[i].range.clone()];
    if shapes::is_prose(s) || shapes::is_salute(s) || shapes::note_body(s).is_some() {
        return true;
    }
    // A hard-wrapped paragraph: the line's block of long lines is prose as a whole.
    let mut a = i;
    while a > 0 && !lines[a - 1].is_blank() && fate[a - 1] == Fate::Text {
        a -= 1;
    }
    let mut b = i + 1;
    while b < lines.len() && !lines[b].is_blank() && fate[b] == Fate::Text {
        b += 1;
    }
    if b - a >= 2 {
        let block: Vec<&str> = (a..b).map(|k| &text[lines[k].range.clone()]).collect();
        let long = block[..block.len() - 1]
            .iter()
            .all(|l| l.chars().count() >= 40);
        if long && shapes::is_prose(&block.join(" ")) {
            return true;
        }
    }
    let ctx = DateCtx::default();
    let next = (i + 1..lines.len())
        .find(|&j| !lines[j].is_blank() && fate[j] == Fate::Text)
        .map(|j| &text[lines[j].range.clone()]);
    if super::body::is_dateline(s, &ctx).is_some() {
        // A dateline opens a letter: a salutation or text follows. A dateline-shaped line
        // followed by further short lines is a running head ("Labor Action, 19 January
        // 1948") above the author and title.
        return next.is_none_or(|t| {
            shapes::is_salute(t)
                || shapes::is_to_line(t)
                || shapes::is_prose(t)
                || shapes::note_body(t).is_some()
        });
    }
    if super::body::is_letter_head_shape(s) {
        // Confirmed by a following dateline or salutation.
        if let Some(j) =
            (i + 1..lines.len()).find(|&j| !lines[j].is_blank() && fate[j] == Fate::Text)
        {
            let t = &text[lines[j].range.clone()];
            return super::body::is_dateline(t, &ctx).is_some()
                || shapes::is_salute(t)
                || shapes::is_to_line(t);
        }
    }
    false
}

fn assign_candidates(
    text: &str,
    lines: &[Line],
    fate: &mut [Fate],
    file: FileId,
    diags: &mut Vec<Diagnostic>,
    h: &mut HeaderScan,
    mut cands: Vec<usize>,
) {
    // An issue line naming the printed journal ("Fourth International, Autumn 1959").
    if let Some(j) = h.print.as_ref().and_then(|p| p.journal.clone()) {
        let jl = j.to_lowercase();
        cands.retain(|&c| {
            let s = &text[lines[c].range.clone()];
            let is_issue = s.to_lowercase().starts_with(&jl)
                && s.bytes().any(|b| b.is_ascii_digit())
                && word_count(s) <= word_count(&j) + 6;
            if is_issue {
                fate[c] = Fate::Moved;
                moved(
                    diags,
                    file,
                    text,
                    &lines[c].range,
                    "the issue of the print source",
                );
            }
            !is_issue
        });
    }
    let ctx = DateCtx::default();
    let is_range = |c: usize| dates::parse_exact(&text[lines[c].range.clone()], &ctx).is_some();
    let author = cands
        .iter()
        .copied()
        .find(|&c| !is_range(c) && shapes::is_person_like(&text[lines[c].range.clone()]))
        .filter(|_| cands.iter().filter(|&&c| !is_range(c)).count() >= 2);
    let mut have_title = false;
    for c in cands {
        let role = if Some(c) == author {
            Kept::Author
        } else if !have_title && !is_range(c) {
            have_title = true;
            Kept::Title
        } else {
            Kept::Subtitle
        };
        h.kept.push((c, role));
    }
    h.kept.sort_by_key(|(l, _)| *l);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_parts() {
        let p = parse_citation(
            "Fourth International, No. 7, Autumn 1959, pp.\u{a0}25–26.",
            "From …",
            &DateCtx::default(),
        );
        assert_eq!(p.journal.as_deref(), Some("Fourth International"));
        assert_eq!(p.issue.as_deref(), Some("7"));
        assert_eq!(p.level, "j");
        assert_eq!(p.date.unwrap().when.as_deref(), Some("1959"));
        let pages = p.pages.unwrap();
        assert_eq!((pages.from.as_str(), pages.to.as_str()), ("25", "26"));
        let p = parse_citation(
            "New International, Vol. 4 No. 9, September 1938, p. 270",
            "",
            &DateCtx::default(),
        );
        assert_eq!(p.volume.as_deref(), Some("4"));
        assert_eq!(p.issue.as_deref(), Some("9"));
        assert_eq!(p.date.unwrap().when.as_deref(), Some("1938-09"));
        assert_eq!(p.pages.unwrap().from, "270");
    }

    #[test]
    fn names_in_credits() {
        let n = split_names("David Walters and Phil from the French MIA team");
        assert_eq!(n.len(), 2);
        assert_eq!(n[0].name, "David Walters");
        assert_eq!(n[0].kind, AgentKind::Person);
        assert_eq!(n[1].kind, AgentKind::Unknown);
        let n = split_names("Einde O’Callaghan for ETOL");
        assert_eq!(n[0].name, "Einde O’Callaghan");
        assert_eq!(n.len(), 1);
    }
}
