//! Persons: a listed first name with a surname (`Petra Kranz`), a surname
//! after a role title (`Verbandsgeschäftsführer Kruse`), a name set off
//! before a role title (`Ottokar Brenninger, Vorsitzender …`), and later
//! uses of a person's full name or bare surname.

use std::collections::HashMap;
use std::sync::Arc;

use super::candidates::{Candidate, Priority};
use super::overlaps::relink_or_add;
use super::words::{
    Word, adjacent, boundary_after, boundary_before, find_leftmost_longest, last_word,
};
use super::{EntityRules, ids, rule_ids};
use crate::model::{EntityInfo, Label, Method, Span};

/// Whether a capitalised word may be a surname: not a listed non-surname,
/// not a role title, not ending like a common noun (`-ung`).
fn could_be_surname(word: &str, rules: &EntityRules) -> bool {
    !rules.not_surnames.contains(word)
        && !rules.gazetteer.role_forms.contains_key(word)
        && !rules
            .not_surname_endings
            .iter()
            .any(|e| word.ends_with(e.as_str()))
}

/// A person mention found by the rule `rule_id` next to a role title.
fn person_candidate(body: &str, span: Span, rule_id: &str) -> Candidate {
    Candidate {
        span,
        entity: ids::person_entity(&body[span.start..span.end]),
        method: Method::Pattern,
        rule_id: rule_id.to_string(),
        priority: Priority::Pattern,
        needs_cue: false,
    }
}

/// A listed first name followed by one or two surnames, or by a second
/// first name and a surname (`Hans Peter Meier`), before overlaps are resolved.
pub(super) fn person_candidates(body: &str, words: &[Word], rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        let (first_span, first) = words[i];
        if !rules.first_names.contains(first) {
            continue;
        }
        if let Some(last) = name_end(body, words, i, rules) {
            let span = Span::new(first_span.start, last.end);
            out.push(Candidate {
                span,
                entity: ids::person_entity(&body[span.start..span.end]),
                method: Method::Pattern,
                rule_id: rule_ids::PERSON_FIRST_NAME.to_string(),
                priority: Priority::Extended,
                needs_cue: false,
            });
        }
    }
    out
}

/// The last word of a name that starts with the first name `words[i]`:
/// up to two more words, as long as each could be a surname; a word that is
/// no first name ends the name.
fn name_end(body: &str, words: &[Word], i: usize, rules: &EntityRules) -> Option<Span> {
    let mut last = None;
    for j in (i + 1)..words.len().min(i + 3) {
        let (span, word) = words[j];
        if !adjacent(body, words[j - 1].0, span) || !could_be_surname(word, rules) {
            break;
        }
        last = Some(span);
        if !rules.first_names.contains(word) {
            break;
        }
    }
    last
}

/// `KDO-Verbandsgeschäftsführer Kruse begrüßte …`: a capitalised word right
/// after a role title, followed by a lower-case word or punctuation, is a
/// person's surname. After a person (`Petra Kranz und Müller`), it takes two.
pub(super) fn add_role_surnames(
    body: &str,
    words: &[Word],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut added = Vec::new();
    for anchor in chosen
        .iter()
        .filter(|c| matches!(c.entity.label, Label::Role | Label::Per))
    {
        let pos = skip_academic_titles(body, words, anchor.span.end, rules);
        let Some(&(first, word)) = words.get(pos) else {
            continue;
        };
        if !joined_to_anchor(body, anchor, first, rules)
            || !could_be_surname(word, rules)
            || rules.first_names.contains(word)
        {
            continue;
        }
        let mut last = first;
        if let Some(&(second, next_word)) = words.get(pos + 1)
            && adjacent(body, first, second)
            && could_be_surname(next_word, rules)
        {
            last = second;
        }
        let single = last == first;
        if anchor.entity.label == Label::Per && single {
            continue;
        }
        let next = body[last.end..].trim_start().chars().next();
        if next.is_some_and(|c| c.is_uppercase()) {
            continue;
        }
        added.push(person_candidate(
            body,
            Span::new(first.start, last.end),
            rule_ids::PERSON_AFTER_ROLE,
        ));
    }
    relink_or_add(chosen, added, false);
}

/// The index of the first word after byte `end` that is no academic title
/// (`Geschäftsführer Dr. Petra Kranz`: `Dr.` is no name).
fn skip_academic_titles(body: &str, words: &[Word], end: usize, rules: &EntityRules) -> usize {
    let mut pos = words.partition_point(|(s, _)| s.start <= end);
    while words.get(pos).is_some_and(|(s, w)| {
        rules.academic_titles.iter().any(|a| a == w) && body[s.end..].starts_with('.')
    }) {
        pos += 1;
    }
    pos
}

/// Whether the word at `first` belongs to the role or person `anchor`:
/// after a role, only a space and academic titles between them; after a
/// person, ` und `.
fn joined_to_anchor(body: &str, anchor: &Candidate, first: Span, rules: &EntityRules) -> bool {
    let gap = &body[anchor.span.end..first.start];
    if anchor.entity.label != Label::Role {
        return rules.person_joiners.iter().any(|j| j == gap);
    }
    gap.len() <= 14
        && gap.starts_with(' ')
        && gap.split_whitespace().all(|t| {
            rules
                .academic_titles
                .iter()
                .any(|a| t.strip_suffix('.') == Some(a.as_str()))
        })
}

/// `Ottokar Brenninger, Vorsitzender des …`: two capitalised words set off
/// by a comma before a role title are a person's name, even when the first
/// name is not in the list.
pub(super) fn add_names_before_roles(
    body: &str,
    words: &[Word],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut added = Vec::new();
    for (i, role) in chosen
        .iter()
        .enumerate()
        .filter(|(_, c)| c.entity.label == Label::Role)
    {
        let Some(comma) = set_off_before(body, chosen, i, role) else {
            continue;
        };
        let pos = words.partition_point(|(s, _)| s.end <= comma);
        let Some(last_pos) = pos.checked_sub(1) else {
            continue;
        };
        let (last, surname) = words[last_pos];
        if last.end != comma || last_pos == 0 {
            continue;
        }
        let (first, given) = words[last_pos - 1];
        if !adjacent(body, first, last)
            || !starts_clause(body, first.start)
            || !could_be_surname(surname, rules)
            || rules.not_surnames.contains(given)
            || rules.gazetteer.lookup(given).is_some()
        {
            continue;
        }
        added.push(person_candidate(
            body,
            Span::new(first.start, last.end),
            rule_ids::PERSON_BEFORE_ROLE,
        ));
    }
    relink_or_add(chosen, added, false);
}

/// Where a name before the role `chosen[i]` would end: before the `, ` or
/// ` (` that sets the role off — `Name, Rolle …`, `Name (Rolle …)` or
/// `Name (KDO-Rolle)`, where an organisation is glued to the role.
fn set_off_before(body: &str, chosen: &[Candidate], i: usize, role: &Candidate) -> Option<usize> {
    let before = &body[..role.span.start];
    let org_prefix = i
        .checked_sub(1)
        .map(|p| &chosen[p])
        .filter(|o| {
            o.entity.label == Label::Org
                && o.span.end + 1 == role.span.start
                && before.ends_with('-')
        })
        .map(|o| o.span.start);
    let before = org_prefix.map_or(before, |start| &body[..start]);
    before
        .strip_suffix(", ")
        .or_else(|| before.strip_suffix(" ("))
        .map(str::len)
}

/// Whether a name starting at byte `start` starts a clause: after
/// punctuation, a line break, or a lower-case word (`sagte Ottokar …`).
fn starts_clause(body: &str, start: usize) -> bool {
    let previous = body[..start].trim_end();
    previous
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, ':' | ';' | ',' | '.' | '(' | '\n'))
        || last_word(body, start).starts_with(char::is_lowercase)
}

/// Later mentions of persons named in full elsewhere in the document: the
/// full name again, and the bare surname (`Schulz` for `Petra Schulz`).
pub(super) fn add_surname_aliases(body: &str, words: &[Word], chosen: &mut Vec<Candidate>) {
    let mut by_surname: HashMap<String, Arc<EntityInfo>> = HashMap::new();
    let mut full_names = Vec::new();
    for c in chosen.iter().filter(|c| c.entity.label == Label::Per) {
        if c.entity.canonical.contains(' ') {
            full_names.push(c.entity.clone());
        }
        if let Some(last) = c.entity.canonical.split_whitespace().next_back()
            && last != c.entity.canonical
        {
            by_surname
                .entry(last.to_string())
                .or_insert_with(|| c.entity.clone());
        }
    }
    if by_surname.is_empty() {
        return;
    }
    let mut added = full_name_uses(body, full_names);
    added.extend(words.iter().filter_map(|&(span, word)| {
        by_surname.get(word).map(|entity| Candidate {
            span,
            entity: entity.clone(),
            method: Method::Alias,
            rule_id: rule_ids::PERSON_SURNAME.to_string(),
            priority: Priority::Reference,
            needs_cue: false,
        })
    }));
    relink_or_add(chosen, added, false);
}

/// Every use of a person's full name in the body, found by a
/// leftmost-longest search for the names the document defines.
fn full_name_uses(body: &str, mut full_names: Vec<Arc<EntityInfo>>) -> Vec<Candidate> {
    let mut added = Vec::new();
    full_names.sort_by(|a, b| a.canonical.cmp(&b.canonical));
    full_names.dedup_by(|a, b| a.canonical == b.canonical);
    let needles: Vec<&str> = full_names.iter().map(|e| e.canonical.as_str()).collect();
    for (span, i) in find_leftmost_longest(body, &needles) {
        if boundary_after(body, span.end) && boundary_before(body, span.start) {
            added.push(Candidate {
                span,
                entity: full_names[i].clone(),
                method: Method::Alias,
                rule_id: rule_ids::PERSON_FULL_NAME.to_string(),
                priority: Priority::Reference,
                needs_cue: false,
            });
        }
    }
    added
}
