//! ROLE relations from the structure around each role title.
//!
//! A role title (a ROLE mention) is attached to its person and to the unit
//! it is held at by *links*: each link names which neighbour it looks at
//! (the mention right before or right after the title) and a regular
//! expression that the whole text between the two must match
//! (`rules/role_links.toml`). So `Landrat Klaus Brenner` is a title with its
//! person after it, `Klaus Brenner, Geschäftsführer der KDO` a person before
//! it and a unit after it, `KDO-Geschäftsführer` a unit before it. No
//! sentence pattern is involved, so a link holds in any sentence that has
//! the same few words around the title.
//!
//! Beyond the direct links, titles share what their neighbours have:
//! - stacked titles before one name share its person and unit
//!   (`Erster Landrat und Kämmerer des LWL`, `Oberbürgermeister a.D. und
//!   früherer Direktor des KGRZ`);
//! - a second title after a person's first one and its unit belongs to the
//!   same person (`Klaus Brenner, Verbandsvorsteher der KDO und
//!   Bürgermeister der Stadt Celle`);
//! - a unit is followed by the other parties coordinated with it
//!   (`Geschäftsführerin der ITEBO und KDO`).

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use super::{Example, Found, SentenceView};
use crate::model::{Label, Mention, Relation, RelationType};
use crate::rules::{RuleFile, Source, compile_whole};

/// The rule file of this module.
const FILE: &str = "role_links.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinksFile {
    person: Vec<LinkEntry>,
    unit: Vec<LinkEntry>,
    shared: SharedEntry,
    example: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkEntry {
    id: String,
    side: String,
    gap: String,
    #[serde(default)]
    unit_genitive: bool,
    #[serde(default)]
    needs_person_after: bool,
    #[serde(default)]
    glued: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedEntry {
    never_unit_kinds: Vec<String>,
    body_titles: String,
    coordination: String,
    stack: String,
    list_separator: String,
    genitive_endings: Vec<String>,
}

/// Which neighbour of the title a link looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The mention right before the title.
    Before,
    /// The mention right after the title.
    After,
    /// The mention right after the title's unit (for persons only).
    AfterUnit,
}

/// One way a title attaches to a neighbour.
struct Link {
    id: String,
    side: Side,
    gap: Regex,
    /// The unit must be written in the genitive (`Kölns`, `Bayerns`).
    unit_genitive: bool,
    /// Only when the title also has its person right after it
    /// (`Celles Oberbürgermeisterin Petra Kranz`).
    needs_person_after: bool,
    /// The title must be glued to the unit (`KDO-Geschäftsführer`, not
    /// `Stadt Celle - Geschäftsführer`).
    glued: bool,
}

/// The compiled links of `role_links.toml`.
pub struct RoleLinks {
    person: Vec<Link>,
    unit: Vec<Link>,
    /// Entity kinds that are never the unit of a title (`Partei`: a party
    /// after a name is the person's party, not where the title is held).
    never_unit_kinds: Vec<String>,
    /// Titles held inside an organisation (`Geschäftsführer`,
    /// `Verbandsvorsitzender`): with no unit stated, they are held at the
    /// body the page is about.
    body_titles: Regex,
    /// Between two titles, or a unit and the next title, of one person.
    coordination: Regex,
    /// Between stacked titles that share one unit.
    stack: Regex,
    /// Between the parties of one coordinated unit list.
    list_separator: Regex,
    /// How a unit written in the genitive ends (`Kölns`), for
    /// `unit_genitive` links.
    genitive_endings: Vec<String>,
    /// The examples and counter-examples of the file (for `cargo test`).
    pub examples: Vec<Example>,
}

impl RoleLinks {
    /// Loads and compiles `role_links.toml`.
    pub fn load(rules: &Source) -> Result<RoleLinks> {
        let file = rules.open(FILE)?;
        let raw: LinksFile = file.parse_toml()?;
        if raw
            .shared
            .genitive_endings
            .iter()
            .any(|e| e.trim().is_empty())
        {
            let at = file.text.find("genitive_endings").unwrap_or(0);
            return Err(file.error_at(at, "`genitive_endings` holds an empty ending"));
        }
        let links = |entries: &[LinkEntry]| -> Result<Vec<Link>> {
            entries.iter().map(|e| compile_link(&file, e)).collect()
        };
        Ok(RoleLinks {
            person: links(&raw.person)?,
            unit: links(&raw.unit)?,
            never_unit_kinds: raw.shared.never_unit_kinds,
            body_titles: compile_whole(&file, &raw.shared.body_titles)?,
            coordination: compile_whole(&file, &raw.shared.coordination)?,
            stack: compile_whole(&file, &raw.shared.stack)?,
            list_separator: compile_whole(&file, &raw.shared.list_separator)?,
            genitive_endings: raw.shared.genitive_endings,
            examples: raw.example,
        })
    }
}

fn compile_link(file: &RuleFile, entry: &LinkEntry) -> Result<Link> {
    let at = file.text.find(&format!("\"{}\"", entry.id)).unwrap_or(0);
    let side = match entry.side.as_str() {
        "before" => Side::Before,
        "after" => Side::After,
        "after-unit" => Side::AfterUnit,
        other => {
            return Err(file.error_at(
                at,
                &format!(
                    "link `{}`: unknown side `{other}`; use before, after or after-unit",
                    entry.id
                ),
            ));
        }
    };
    Ok(Link {
        id: entry.id.clone(),
        side,
        gap: compile_whole(file, &entry.gap)?,
        unit_genitive: entry.unit_genitive,
        needs_person_after: entry.needs_person_after,
        glued: entry.glued,
    })
}

/// What one title was attached to: positions in the sentence view.
#[derive(Default, Clone)]
struct Attachment {
    person: Option<(usize, String)>,
    units: Vec<usize>,
    unit_link: Option<String>,
}

/// Finds the ROLE relations of one sentence. `page_body` is a mention of
/// the organisation the page is about, if it has one.
pub(super) fn apply(
    links: &RoleLinks,
    view: &SentenceView,
    sentence_idx: usize,
    mentions: &[Mention],
    page_body: Option<usize>,
    found: &mut Found,
) {
    let n = view.mentions.len();
    if !(0..n).any(|i| view.label(i) == Label::Role) {
        return; // most sentences hold no title: skip the gap work
    }
    let gaps: Vec<String> = (0..n).map(|i| view.gap_after(i)).collect();
    let mut attached = vec![Attachment::default(); n];
    for k in (0..n).filter(|&k| view.label(k) == Label::Role) {
        attached[k].person = direct_person(links, view, &gaps, k);
    }
    for k in (0..n).filter(|&k| view.label(k) == Label::Role) {
        if let Some((units, link)) = direct_units(links, view, &gaps, k, &attached) {
            attached[k].units = units;
            attached[k].unit_link = Some(link);
        }
    }
    person_before_unit(links, view, &gaps, &mut attached);
    share_with_second_titles(links, view, &gaps, &mut attached);
    share_along_stacks(links, view, &gaps, &mut attached);
    held_at_page_body(links, view, mentions, page_body, &mut attached);
    for (k, a) in attached.iter().enumerate() {
        let Some((person, person_link)) = &a.person else {
            continue;
        };
        if person_link.contains("paren") && !closes_after(view, a.units.last().copied()) {
            continue; // `Petra Kranz (Leiterin der KDO Wes` cut off: no relation
        }
        for &unit in &a.units {
            let rule_id = match &a.unit_link {
                Some(unit_link) => format!("role:{person_link}+{unit_link}"),
                None => format!("role:{person_link}"),
            };
            let (object, object_ref) = match unit {
                PAGE_BODY => (page_body.unwrap_or(view.mentions[*person].0), None),
                unit => (
                    view.mentions[unit].0,
                    super::reference_span(view.mentions[unit].1),
                ),
            };
            found.push(
                mentions,
                Relation {
                    kind: RelationType::Role,
                    sentence_idx,
                    subject: view.mentions[*person].0,
                    object,
                    subject_ref: None,
                    object_ref,
                    role: Some(view.mentions[k].0),
                    trigger: view.mentions[k].1.entity.canonical.clone(),
                    rule_id,
                },
            );
        }
    }
}

/// The unit position that stands for the body the page is about.
const PAGE_BODY: usize = usize::MAX;

/// A body title with a person but no unit, in a sentence that names no
/// other party, is held at the body the page is about:
/// `Verbandsversammlung – Vorsitzender: Klaus Brenner` on the page of a
/// Zweckverband.
fn held_at_page_body(
    links: &RoleLinks,
    view: &SentenceView,
    mentions: &[Mention],
    page_body: Option<usize>,
    attached: &mut [Attachment],
) {
    let Some(body_mention) = page_body else {
        return;
    };
    let body_id = &mentions[body_mention].entity.id;
    let used: Vec<usize> = attached.iter().flat_map(|a| a.units.clone()).collect();
    let other_party = (0..view.mentions.len()).any(|i| {
        is_party(view.label(i)) && !used.contains(&i) && view.mentions[i].1.entity.id != *body_id
    });
    if other_party {
        return;
    }
    for (k, a) in attached.iter_mut().enumerate() {
        // The title must be followed by its person or close its phrase: in
        // `Geschäftsführer vote iT)` a unit stands there that no list knows.
        let person_next = a.person.as_ref().is_some_and(|(p, _)| *p == k + 1);
        let closed = view.gap_after(k).starts_with([')', ',', '.', ';']);
        let compound = view.after_hyphen(k);
        if a.person.is_some()
            && a.units.is_empty()
            && (person_next || closed)
            && !compound
            && links.body_titles.is_match(view.text(k))
        {
            a.units = vec![PAGE_BODY];
            a.unit_link = Some("page-body".to_string());
        }
    }
}

/// Whether the parenthesis that a title stands in closes after its last
/// unit, within the sentence.
fn closes_after(view: &SentenceView, last_unit: Option<usize>) -> bool {
    let Some(unit) = last_unit.filter(|&u| u != PAGE_BODY) else {
        return true;
    };
    (unit..view.mentions.len()).any(|i| view.gap_after(i).contains(')'))
}

/// Whether the gap text matches a link that looks at `side`.
fn matching<'l>(links: &'l [Link], side: Side, gap: &str) -> Vec<&'l Link> {
    links
        .iter()
        .filter(|l| l.side == side && l.gap.is_match(gap))
        .collect()
}

/// The person right after or right before the title, by a person link.
fn direct_person(
    links: &RoleLinks,
    view: &SentenceView,
    gaps: &[String],
    k: usize,
) -> Option<(usize, String)> {
    let n = view.mentions.len();
    if k + 1 < n
        && view.label(k + 1) == Label::Per
        && let Some(link) = matching(&links.person, Side::After, &gaps[k]).first()
    {
        return Some((k + 1, link.id.clone()));
    }
    if k > 0
        && view.label(k - 1) == Label::Per
        && let Some(link) = matching(&links.person, Side::Before, &gaps[k - 1]).first()
    {
        return Some((k - 1, link.id.clone()));
    }
    // Past the title's unit: `Erster Beigeordneter der Stadt Celle, Uwe
    // Sandmann`, `Zum Vorsitzenden des ZKIT wurde Petra Kranz gewählt`.
    if k + 2 < n
        && can_be_unit(links, view, k + 1)
        && view.label(k + 2) == Label::Per
        && matching(&links.unit, Side::After, &gaps[k])
            .iter()
            .any(|l| !l.id.starts_with("name-"))
        && let Some(link) = matching(&links.person, Side::AfterUnit, &gaps[k + 1]).first()
    {
        return Some((k + 2, link.id.clone()));
    }
    None
}

fn is_party(label: Label) -> bool {
    matches!(label, Label::Org | Label::Gpe)
}

/// Whether mention `i` can be where a title is held: an ORG or GPE whose
/// kind is not one of `never_unit_kinds`.
fn can_be_unit(links: &RoleLinks, view: &SentenceView, i: usize) -> bool {
    let kind = view.mentions[i].1.entity.kind.as_deref();
    is_party(view.label(i)) && !kind.is_some_and(|k| links.never_unit_kinds.iter().any(|n| n == k))
}

/// The unit after the title (with the parties coordinated with it), or
/// the unit right before it.
fn direct_units(
    links: &RoleLinks,
    view: &SentenceView,
    gaps: &[String],
    k: usize,
    attached: &[Attachment],
) -> Option<(Vec<usize>, String)> {
    let n = view.mentions.len();
    let person_after = attached[k]
        .person
        .as_ref()
        .is_some_and(|(p, _)| *p == k + 1);
    // After the title; when the name comes right after it, after the name.
    let next = if person_after { k + 2 } else { k + 1 };
    if next < n && can_be_unit(links, view, next) {
        let gap = &gaps[next - 1];
        let link = if person_after {
            matching(&links.unit, Side::After, gap)
                .into_iter()
                .find(|l| l.id.starts_with("name-"))
        } else {
            matching(&links.unit, Side::After, gap)
                .into_iter()
                .find(|l| !l.id.starts_with("name-"))
        };
        if let Some(link) = link {
            let mut units = vec![next];
            let mut last = next;
            while last + 1 < n
                && can_be_unit(links, view, last + 1)
                && links.list_separator.is_match(&gaps[last])
            {
                last += 1;
                units.push(last);
            }
            return Some((units, link.id.clone()));
        }
    }
    if k > 0 && can_be_unit(links, view, k - 1) {
        let unit_text = view.text(k - 1);
        let link = matching(&links.unit, Side::Before, &gaps[k - 1])
            .into_iter()
            .find(|l| {
                (!l.unit_genitive
                    || links
                        .genitive_endings
                        .iter()
                        .any(|e| unit_text.ends_with(e.as_str())))
                    && (!l.needs_person_after || person_after)
                    && (!l.glued || view.after_hyphen(k))
            });
        if let Some(link) = link {
            return Some((vec![k - 1], link.id.clone()));
        }
    }
    None
}

/// A title whose unit stands right before it looks for its person before
/// that unit: `Petra Kranz (KDO-Geschäftsführerin)`.
fn person_before_unit(
    links: &RoleLinks,
    view: &SentenceView,
    gaps: &[String],
    attached: &mut [Attachment],
) {
    for k in 2..view.mentions.len() {
        let unit_before = attached[k].units == [k - 1];
        if view.label(k) != Label::Role
            || attached[k].person.is_some()
            || !unit_before
            || view.label(k - 2) != Label::Per
        {
            continue;
        }
        if let Some(link) = matching(&links.person, Side::Before, &gaps[k - 2]).first() {
            attached[k].person = Some((k - 2, link.id.clone()));
        }
    }
}

/// Stacked titles before one name or one unit share them:
/// `Erster Landrat und Kämmerer des LWL`, `Landrat und Verbandsvorsteher
/// Klaus Brenner`.
fn share_along_stacks(
    links: &RoleLinks,
    view: &SentenceView,
    gaps: &[String],
    attached: &mut [Attachment],
) {
    for k in (0..view.mentions.len().saturating_sub(1)).rev() {
        if view.label(k) != Label::Role
            || view.label(k + 1) != Label::Role
            || !links.coordination.is_match(&gaps[k])
        {
            continue;
        }
        let next = attached[k + 1].clone();
        let a = &mut attached[k];
        if a.person.is_none() {
            a.person = next.person.clone();
        }
        let same_person = |x: &Attachment| x.person.as_ref().map(|(p, _)| *p);
        if a.units.is_empty()
            && same_person(a) == same_person(&next)
            && links.stack.is_match(&gaps[k])
        {
            a.units = next.units.clone();
            a.unit_link = next.unit_link.clone();
        }
    }
}

/// A title after another title of a person (or after its unit) is that
/// person's too: `Klaus Brenner, Verbandsvorsteher der KDO und
/// Bürgermeister der Stadt Celle`.
fn share_with_second_titles(
    links: &RoleLinks,
    view: &SentenceView,
    gaps: &[String],
    attached: &mut [Attachment],
) {
    for k in 1..view.mentions.len() {
        if view.label(k) != Label::Role
            || attached[k].person.is_some()
            || !links.coordination.is_match(&gaps[k - 1])
        {
            continue;
        }
        let previous_title = (0..k).rev().find(|&j| {
            view.label(j) == Label::Role
                && (j == k - 1 || attached[j].units.last() == Some(&(k - 1)))
        });
        if let Some(j) = previous_title
            && let Some((person, _)) = attached[j].person.clone()
        {
            attached[k].person = Some((person, "second-title".to_string()));
        }
    }
}
