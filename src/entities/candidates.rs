//! Candidate mentions before overlaps are resolved: exact gazetteer hits,
//! gazetteer hits extended by the words around them (`Stadt Münster`,
//! `Zweckverband kommunit`, `Erster Landrat`), and matches of the patterns
//! of `rules/entities.toml`. Person candidates are in `persons.rs`.

use std::sync::Arc;

use super::patterns::Pattern;
use super::words::{boundary_after, boundary_before};
use super::{EntityRules, ids, rule_ids};
use crate::model::{EntityInfo, Label, MentionSource, Span};

/// A possible mention before overlaps are resolved. Every source of
/// mentions makes these, so one overlap resolution serves them all.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// Byte range in the body.
    pub(super) span: Span,
    /// The entity it would mention.
    pub(super) entity: Arc<EntityInfo>,
    /// The `source` column.
    pub(super) source: MentionSource,
    /// The `rule_id` column.
    pub(super) rule_id: String,
    /// Decides between candidates of the same length.
    pub(super) priority: Priority,
    /// An ambiguous one-word place: kept only with a cue word.
    pub(super) needs_cue: bool,
}

/// How specific a candidate's source is. Among overlapping candidates of
/// the same length the higher wins, so an acronym the text defines beats a
/// list entry, and a list entry beats a pattern. Declared lowest first: the
/// order of the variants is the order of the priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Priority {
    /// A later reference to an entity found earlier: an alias, the use of
    /// an acronym or short form.
    Reference,
    /// A pattern match, or a person named next to a role title.
    Pattern,
    /// A list entry extended by its neighbours, or a listed first name
    /// with a surname.
    Extended,
    /// An exact list entry.
    Gazetteer,
    /// An acronym or its long form, as the text defines them.
    Acronym,
}

/// Every gazetteer hit, and the longer form its neighbours make, if any.
pub(super) fn gazetteer_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for hit in rules.gazetteer.find(body) {
        let entry = rules.gazetteer.entry(hit.entry);
        let base = Candidate {
            span: Span::new(hit.start, hit.end),
            entity: entry.entity.clone(),
            source: MentionSource::Gazetteer,
            rule_id: entry.list.to_string(),
            priority: Priority::Gazetteer,
            needs_cue: entry.needs_cue,
        };
        out.extend(extend_hit(body, &base, rules));
        out.push(base);
    }
    out
}

/// Longer forms of a gazetteer hit made by the words next to it: a place
/// prefix (`Stadt`), an organisation prefix or legal form, a role
/// modifier or what the role leads.
fn extend_hit(body: &str, hit: &Candidate, rules: &EntityRules) -> Option<Candidate> {
    let before = &body[..hit.span.start];
    let after = &body[hit.span.end..];
    let (prefix, suffix, rule_id) = match hit.entity.label {
        Label::Gpe => (
            prefix_len(before, &rules.place_prefixes)?,
            0,
            rule_ids::PLACE_PREFIX,
        ),
        Label::Org => (
            prefix_len(before, &rules.org_prefixes).unwrap_or(0),
            legal_form_len(after, rules),
            rule_ids::ORG_AFFIX,
        ),
        Label::Role => (
            prefix_len(before, &rules.role_prefixes).unwrap_or(0),
            rules.role_suffix.find(after).map_or(0, |m| m.end()),
            rule_ids::ROLE_AFFIX,
        ),
        _ => return None,
    };
    if prefix + suffix == 0 {
        return None;
    }
    let span = Span::new(hit.span.start - prefix, hit.span.end + suffix);
    let entity = match hit.entity.label {
        Label::Role => ids::affixed_role(&hit.entity, &body[span.start..span.end]),
        _ => hit.entity.clone(),
    };
    Some(Candidate {
        span,
        entity,
        source: MentionSource::Pattern,
        rule_id: rule_id.to_string(),
        priority: Priority::Extended,
        needs_cue: false,
    })
}

/// Bytes taken by the longest of `words` (and one space) that ends `before`
/// as a whole word.
fn prefix_len(before: &str, words: &[String]) -> Option<usize> {
    words
        .iter()
        .filter(|w| {
            before
                .strip_suffix(' ')
                .is_some_and(|b| b.ends_with(w.as_str()))
        })
        .map(|w| w.len() + 1)
        .max()
        .filter(|&n| boundary_before(before, before.len() - n))
}

/// Bytes taken by one space and the longest legal form (`GmbH`) that
/// starts `after` as a whole word; 0 if none does.
fn legal_form_len(after: &str, rules: &EntityRules) -> usize {
    rules
        .legal_forms
        .iter()
        .filter(|f| {
            after
                .strip_prefix(' ')
                .is_some_and(|a| a.starts_with(f.as_str()))
                && boundary_after(after, f.len() + 1)
        })
        .map(|f| f.len() + 1)
        .max()
        .unwrap_or(0)
}

/// Whether `end` is the end of a long line without final punctuation: a
/// page cut off mid-word (`… der KDO Olde`), where a pattern would make a
/// name of the fragment.
fn at_cut_line_end(body: &str, end: usize) -> bool {
    let rest_of_line_blank = body[end..]
        .chars()
        .take_while(|&c| c != '\n')
        .all(char::is_whitespace);
    let mut from = end.saturating_sub(80);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    rest_of_line_blank && end >= 80 && !body[from..end].contains('\n')
}

/// A pattern match whose last word is a short unknown fragment at the end
/// of a long unpunctuated line.
fn looks_cut_off(body: &str, start: usize, end: usize, rules: &EntityRules) -> bool {
    let last = body[start..end]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    last.chars().count() <= 4
        && rules.gazetteer.lookup(last).is_none()
        && at_cut_line_end(body, end)
}

/// Every match of every pattern that stands alone as a name.
pub(super) fn pattern_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    // Patterns whose literals are not in the body cannot match it.
    let open = rules.pattern_gate.open_rules(body);
    for (pattern, _) in rules.patterns.iter().zip(open).filter(|(_, open)| *open) {
        for found in pattern.regex.captures_iter(body) {
            let Some(whole) = found.get(0) else { continue };
            if !stands_alone(body, whole, rules) {
                continue;
            }
            let mention = found.name("mention").unwrap_or(whole);
            let first_word = mention.as_str().split_whitespace().next().unwrap_or("");
            if pattern.not_names.iter().any(|w| w == first_word) {
                continue;
            }
            let end = trim_name_end(body, found.name("name"), mention.end(), rules);
            let span = Span::new(mention.start(), end);
            out.push(Candidate {
                span,
                entity: pattern_match_entity(body, pattern, &found, span, rules),
                source: MentionSource::Pattern,
                rule_id: pattern.id.clone(),
                priority: Priority::Pattern,
                needs_cue: false,
            });
        }
    }
    out
}

/// Whether a pattern match can be a name: at word boundaries, on one line,
/// and not a fragment cut off at the end of a page's line.
fn stands_alone(body: &str, whole: regex::Match, rules: &EntityRules) -> bool {
    boundary_before(body, whole.start())
        && boundary_after(body, whole.end())
        && !whole.as_str().contains('\n')
        && !looks_cut_off(body, whole.start(), whole.end(), rules)
}

/// The entity a pattern match at `span` names: the listed entity when the
/// name after the head is already known with the pattern's label
/// (`Zweckverband kommunit`), else a new entity of its canonical name.
fn pattern_match_entity(
    body: &str,
    pattern: &Pattern,
    found: &regex::Captures,
    span: Span,
    rules: &EntityRules,
) -> Arc<EntityInfo> {
    let tail = found
        .name("name")
        .map(|m| &body[m.start()..span.end.max(m.start())]);
    let known = tail
        .and_then(|t| rules.gazetteer.lookup(t))
        .filter(|e| e.entity.label == pattern.label);
    if let Some(entry) = known {
        return entry.entity.clone();
    }
    let head = found.name("head").map(|h| h.as_str());
    let canonical = ids::canonical_name(&body[span.start..span.end], head, rules);
    ids::pattern_entity(pattern.label, &pattern.kind, canonical)
}

/// Where a pattern's `{NAME}` really ends: at a connector (`in`, `im`,
/// `für`) not followed by a known place (`Zweckverband KDO im Jahr 1995` is
/// `Zweckverband KDO`; `Elektronische Verwaltung im Saarland` stays whole),
/// and before trailing bare numbers.
fn trim_name_end(body: &str, name: Option<regex::Match>, end: usize, rules: &EntityRules) -> usize {
    let Some(name) = name else { return end };
    let text = &body[name.start()..end];
    let mut cut = text.len();
    for connector in &rules.name_connectors {
        for (at, _) in text.match_indices(connector) {
            let next = text[at + connector.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            let place = rules
                .gazetteer
                .lookup(next.trim_end_matches(|c: char| !c.is_alphanumeric()))
                .is_some_and(|e| matches!(e.entity.label, Label::Gpe | Label::Loc));
            if !place {
                cut = cut.min(at);
            }
        }
    }
    let mut kept = text[..cut].trim_end();
    while let Some((head, last)) = kept.rsplit_once(char::is_whitespace) {
        if !last.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        kept = head.trim_end();
    }
    name.start() + kept.len()
}
