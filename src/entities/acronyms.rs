//! Acronyms and short forms: `Long Name (ABBR)` makes the acronym a
//! mention of the long name's entity (or defines a new organisation), and
//! every later bare use of the acronym, or of a short form such as `vote iT`
//! for `vote iT GmbH`, becomes a further mention of it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::candidates::{Candidate, Priority};
use super::overlaps::relink_or_add;
use super::words::{Word, adjacent, boundary_after, boundary_before, find_leftmost_longest};
use super::{EntityRules, ids, rule_ids};
use crate::model::{EntityInfo, Label, Method, Span};

/// An acronym or short form and the entity it names.
type Definition = (String, Arc<EntityInfo>);

/// `Long Name (ABBR)`: the acronym is a mention of the same entity, and so
/// is every later bare use of it.
pub(super) fn add_acronyms(
    body: &str,
    words: &[Word],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut defined: Vec<Definition> = Vec::new();
    let mut added = define_after_mentions(body, chosen, rules, &mut defined);
    added.extend(named_acronyms(body, words, chosen, rules, &mut defined));
    let first_stem = defined.len();
    defined.extend(short_forms(body, chosen, rules));
    let stems: HashSet<String> = defined[first_stem..]
        .iter()
        .map(|(s, _)| s.clone())
        .collect();
    // A place inside a spelled-out name is part of it (`… Region Stuttgart (KDRS)`).
    let spelled: Vec<Span> = added
        .iter()
        .filter(|c| c.rule_id == rule_ids::ACRONYM_SPELLED_OUT)
        .map(|c| c.span)
        .collect();
    chosen.retain(|c| {
        !(matches!(c.entity.label, Label::Gpe | Label::Loc)
            && spelled.iter().any(|s| s.contains(&c.span)))
    });
    relink_or_add(chosen, added, true);
    let uses = later_uses(body, defined, &stems);
    relink_or_add(chosen, uses, true);
}

/// Acronyms in parentheses right after an organisation or place already
/// chosen (`Stadt Münster (SM)` aside): each becomes a mention of that
/// entity, or of the listed entity it names, and is remembered in `defined`.
fn define_after_mentions(
    body: &str,
    chosen: &mut [Candidate],
    rules: &EntityRules,
    defined: &mut Vec<Definition>,
) -> Vec<Candidate> {
    let mut added = Vec::new();
    for c in chosen.iter_mut() {
        if !matches!(c.entity.label, Label::Org | Label::Gpe) {
            continue;
        }
        let Some(found) = rules.acronym_in_parens.captures(&body[c.span.end..]) else {
            continue;
        };
        let Some(abbr) = found.name("abbr") else {
            continue;
        };
        let known = rules
            .gazetteer
            .lookup(abbr.as_str())
            .filter(|e| e.entity.label == c.entity.label);
        match known {
            // `Stadt Münster (CDU)`: two listed entities side by side.
            Some(e) if c.method == Method::Gazetteer && e.entity.id != c.entity.id => {
                continue;
            }
            // A long form found by a pattern is the listed entity its acronym names.
            Some(e) => c.entity = e.entity.clone(),
            None if !is_acronym_of(abbr.as_str(), &body[c.span.start..c.span.end]) => continue,
            None => {}
        }
        let span = Span::new(c.span.end + abbr.start(), c.span.end + abbr.end());
        defined.push((abbr.as_str().to_string(), c.entity.clone()));
        added.push(Candidate {
            span,
            entity: c.entity.clone(),
            method: Method::Acronym,
            rule_id: rule_ids::ACRONYM_DEFINITION.to_string(),
            priority: Priority::Acronym,
            needs_cue: false,
        });
    }
    added
}

/// Every bare use of a defined acronym or short form (`stems`) in the
/// body, found by a leftmost-longest search for the document's definitions.
fn later_uses(body: &str, mut defined: Vec<Definition>, stems: &HashSet<String>) -> Vec<Candidate> {
    defined.sort_by(|a, b| a.0.cmp(&b.0));
    defined.dedup_by(|a, b| a.0 == b.0);
    let needles: Vec<&str> = defined.iter().map(|(abbr, _)| abbr.as_str()).collect();
    let mut uses = Vec::new();
    for (span, i) in find_leftmost_longest(body, &needles) {
        if boundary_before(body, span.start) && boundary_after(body, span.end) {
            let (name, entity) = &defined[i];
            let rule_id = if stems.contains(name) {
                rule_ids::SHORT_FORM_USE
            } else {
                rule_ids::ACRONYM_USE
            };
            uses.push(Candidate {
                span,
                entity: entity.clone(),
                method: Method::Alias,
                rule_id: rule_id.to_string(),
                priority: Priority::Reference,
                needs_cue: false,
            });
        }
    }
    uses
}

/// Whether `abbr` can abbreviate `long`: at least two capitals, and its
/// first letter starts a word (or word part) of `long`.
fn is_acronym_of(abbr: &str, long: &str) -> bool {
    let capitals = abbr.chars().filter(|c| c.is_uppercase()).count();
    let Some(first) = abbr.chars().next() else {
        return false;
    };
    let starts = long
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .any(|c| c.to_lowercase().eq(first.to_lowercase()));
    capitals >= 2 && starts
}

/// `Nationalen Zentrum für Digitalisierung (NZD)`-style: a capitalised name
/// ending in an organisation head word, or spelled out by its acronym,
/// defines a new organisation; the long form of a listed acronym becomes a
/// mention of the listed organisation.
fn named_acronyms(
    body: &str,
    words: &[Word],
    chosen: &[Candidate],
    rules: &EntityRules,
    defined: &mut Vec<Definition>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, (span, word)) in words.iter().enumerate() {
        if !body[span.end..].trim_start().starts_with('(') {
            continue; // the cheap test first: most words have no `(` after them
        }
        let Some(found) = rules.acronym_in_parens.captures(&body[span.end..]) else {
            continue;
        };
        let Some(abbr) = found.name("abbr") else {
            continue;
        };
        if let Some(known) = rules.gazetteer.lookup(abbr.as_str()) {
            // `Informationsverarbeitung Baden-Franken (KIVBF)`: the long form
            // of a listed acronym names the listed body; `Kreistag (CDU)`
            // spells nothing and defines nothing.
            let listed_org = known.entity.label == Label::Org;
            if let Some(long) =
                spelled_out(body, words, i, abbr.as_str(), chosen, rules).filter(|_| listed_org)
            {
                out.push(acronym_candidate(
                    long,
                    &known.entity,
                    rule_ids::ACRONYM_SPELLED_OUT,
                ));
            }
            continue;
        }
        let lower = word.to_lowercase();
        let has_head = rules
            .acronym_heads
            .iter()
            .any(|h| lower.ends_with(h.as_str()));
        let (long, rule_id) = if has_head {
            let long = named_long_form(body, words, i, abbr.as_str(), chosen, rules);
            (long, rule_ids::ACRONYM_NAMED)
        } else {
            let long = spelled_out(body, words, i, abbr.as_str(), chosen, rules);
            (long, rule_ids::ACRONYM_SPELLED_OUT)
        };
        let Some(long) = long else {
            continue;
        };
        let entity = ids::acronym_org(abbr.as_str(), &body[long.start..long.end]);
        let abbr_span = Span::new(span.end + abbr.start(), span.end + abbr.end());
        defined.push((abbr.as_str().to_string(), entity.clone()));
        for s in [long, abbr_span] {
            out.push(acronym_candidate(s, &entity, rule_id));
        }
    }
    out
}

/// A long form or acronym the text defines, as a mention of `entity`.
fn acronym_candidate(span: Span, entity: &Arc<EntityInfo>, rule_id: &str) -> Candidate {
    Candidate {
        span,
        entity: entity.clone(),
        method: Method::Acronym,
        rule_id: rule_id.to_string(),
        priority: Priority::Acronym,
        needs_cue: false,
    }
}

/// The name ending in the head word `words[i]` that `abbr` abbreviates:
/// the run of adjacent capitalised words before it, up to an article
/// (`Die Kommunalen Beratungszentrums (KBZ)` starts after `Die`). None when
/// a mention already covers the head word.
fn named_long_form(
    body: &str,
    words: &[Word],
    i: usize,
    abbr: &str,
    chosen: &[Candidate],
    rules: &EntityRules,
) -> Option<Span> {
    let span = words[i].0;
    let at = chosen.partition_point(|c| c.span.end <= span.start);
    if chosen.get(at).is_some_and(|c| c.span.overlaps(&span)) {
        return None;
    }
    let mut start = span;
    for k in (0..i).rev() {
        let (prev, prev_word) = words[k];
        if !adjacent(body, prev, start) || is_article(prev_word, rules) {
            break;
        }
        start = prev;
    }
    is_acronym_of(abbr, &body[start.start..span.end]).then(|| Span::new(start.start, span.end))
}

/// Whether `word` is an article or pronoun that starts a sentence and never
/// a name (`[language] articles`).
fn is_article(word: &str, rules: &EntityRules) -> bool {
    rules.articles.iter().any(|a| a == word)
}
/// Short forms of organisation names that later mentions use:
/// - `vote iT GmbH` found by a pattern is also named `vote iT`: the name
///   without its legal form;
/// - `KDVZ Rhein-Erft-Rur` is also named `KDVZ`: an all-capitals first word
///   of a longer name, when no other organisation of the document starts
///   with it.
fn short_forms(body: &str, chosen: &[Candidate], rules: &EntityRules) -> Vec<Definition> {
    let orgs: Vec<(&str, &Candidate)> = chosen
        .iter()
        .filter(|c| c.entity.label == Label::Org)
        .map(|c| (&body[c.span.start..c.span.end], c))
        .collect();
    // Which entities' names start with each first word (one pass, so the
    // check stays linear in the document).
    let mut first_words: HashMap<&str, HashSet<&str>> = HashMap::new();
    for &(text, c) in &orgs {
        let first = text.split(' ').next().unwrap_or(text);
        first_words
            .entry(first)
            .or_default()
            .insert(c.entity.id.as_str());
    }
    let mut forms = Vec::new();
    for &(text, c) in &orgs {
        let stem = rules
            .legal_forms
            .iter()
            .find_map(|form| text.strip_suffix(form.as_str()))
            .map(str::trim_end)
            .filter(|_| c.method == Method::Pattern);
        let head = text
            .split_once(' ')
            .map(|(first, _)| first)
            .filter(|w| w.chars().count() >= 2 && w.chars().all(|ch| ch.is_uppercase()))
            .filter(|w| first_words.get(w).is_some_and(|ids| ids.len() == 1));
        for form in [stem, head].into_iter().flatten() {
            let taken = rules
                .gazetteer
                .lookup(form)
                .is_some_and(|e| e.entity.id != c.entity.id);
            if form.chars().count() >= 2 && !taken {
                forms.push((form.to_string(), c.entity.clone()));
            }
        }
    }
    forms
}

/// The name that `abbr` spells out, ending with word `i`:
/// `Kommunale Datenverarbeitung Region Stuttgart (KDRS)`, `IT-Verbund
/// Schleswig-Holstein (ITVSH)`, `Kommunalem Forum für Informationstechnik
/// (KomFIT)`, `einheitlichem Ansprechpartner Schleswig-Holstein (EA-SH)`.
/// The initials of the name's words and word parts must be letters of the
/// acronym in order, for at least three fifths of them; joiners such as
/// `für` may stand between the words, and one lower-case adjective may
/// start the name when the acronym starts with its letter. A name that is
/// only a known place (`Stadt Münster (SM)`) defines nothing.
fn spelled_out(
    body: &str,
    words: &[Word],
    i: usize,
    abbr: &str,
    chosen: &[Candidate],
    rules: &EntityRules,
) -> Option<Span> {
    let last = words[i].1.to_lowercase();
    if rules
        .concept_endings
        .iter()
        .any(|e| last.ends_with(e.as_str()))
        || rules
            .place_prefixes
            .iter()
            .any(|p| p.to_lowercase() == last)
    {
        return None; // `Interkommunale Zusammenarbeit (IKZ)` is no body; `… Kreis (RBK)` a place
    }
    let letters: Vec<char> = abbr
        .chars()
        .filter(|c| c.is_uppercase())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.len() < 2 {
        return None;
    }
    let mut first = i;
    while first > 0 && first + 6 > i {
        let (prev, prev_word) = words[first - 1];
        let gap = &body[prev.end..words[first].0.start];
        let joined = adjacent(body, prev, words[first].0)
            || rules.name_joiners.iter().any(|j| gap.trim() == j.as_str());
        if !joined || is_article(prev_word, rules) {
            break;
        }
        first -= 1;
    }
    // The longest name that spells the acronym well enough.
    let needed = (letters.len() * 3).div_ceil(5).max(2);
    for start_word in first..=i {
        let mut span = Span::new(words[start_word].0.start, words[i].0.end);
        let mut initials = initials_of(&body[span.start..span.end], rules);
        if initials.first() != letters.first()
            && let Some(start) = adjective_before(body, span.start, letters[0])
        {
            span.start = start;
            initials.insert(0, letters[0]);
        }
        if initials.len() < needed || !is_subsequence(&initials, &letters) {
            continue;
        }
        let overlapping: Vec<&Candidate> =
            chosen.iter().filter(|c| c.span.overlaps(&span)).collect();
        let is_place = |c: &&Candidate| matches!(c.entity.label, Label::Gpe | Label::Loc);
        if !overlapping.iter().all(is_place) {
            return None; // an organisation or person is already there
        }
        let run = &words[start_word..=i];
        let all_place = run
            .iter()
            .all(|(w, _)| overlapping.iter().any(|c| c.span.overlaps(w)));
        if all_place {
            return None; // `Stadt Münster (SM)`
        }
        return Some(span);
    }
    None
}

/// The start of a lower-case adjective right before `at` that begins with
/// `letter` (`einheitlichem` in `einheitlichem Ansprechpartner (EA)`).
fn adjective_before(body: &str, at: usize, letter: char) -> Option<usize> {
    let before = body[..at].trim_end_matches([' ', '\t']);
    let word = before.rsplit(char::is_whitespace).next()?;
    let mut chars = word.chars();
    let first = chars.next()?;
    let lower = word.chars().all(|c| c.is_lowercase());
    (lower && word.chars().count() > 3 && first == letter).then(|| before.len() - word.len())
}

/// The lower-cased initials of a name's words and hyphenated word parts,
/// joiners (`für`, `in`) left out.
fn initials_of(name: &str, rules: &EntityRules) -> Vec<char> {
    name.split_whitespace()
        .filter(|w| !rules.name_joiners.iter().any(|j| j == w))
        .flat_map(|w| w.split('-'))
        .filter_map(|part| part.chars().next())
        .filter(|c| c.is_uppercase())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `part` appears in `whole` in order (not necessarily together).
fn is_subsequence(part: &[char], whole: &[char]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|c| rest.any(|w| w == c))
}
