//! Stage 4: entity mentions, each linked to one entity id.
//!
//! Candidates come from four sources: the gazetteer (one Aho-Corasick pass),
//! extensions of gazetteer hits by the words around them (`Stadt Münster`,
//! `Zweckverband kommunit`, `Erster Landrat`), the regex patterns of
//! `rules/entities.toml`, and person names (first name from `data/` plus a
//! capitalised surname, or role title plus surname). The longest candidate
//! wins, ties go to the more specific source. Then acronyms defined as
//! `Long Name (ABBR)` and later bare surnames become further mentions of the
//! same entities.

mod gazetteer;
mod patterns;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use crate::model::{EntityInfo, Label, Mention, MentionSource, Sentence, Span};
use crate::rules::Source;
use crate::rules::compile;

pub use gazetteer::Gazetteer;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntitiesFile {
    pattern: Vec<patterns::PatternFile>,
    places: PlacesFile,
    organisations: OrganisationsFile,
    inflections: HashMap<String, String>,
    roles: RolesFile,
    persons: PersonsFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    prefixes: Vec<String>,
    cues: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    prefixes: Vec<String>,
    legal_forms: Vec<String>,
    acronym_heads: Vec<String>,
    name_joiners: Vec<String>,
    concept_endings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    prefixes: Vec<String>,
    suffix: String,
    need_person_in_sentence: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonsFile {
    not_first_names: Vec<String>,
    not_surname_endings: Vec<String>,
    not_surnames: Vec<String>,
}

/// Everything the entity stage knows, compiled once.
pub struct EntityRules {
    gazetteer: Gazetteer,
    patterns: Vec<patterns::Pattern>,
    place_prefixes: Vec<String>,
    place_cues: HashSet<String>,
    org_prefixes: Vec<String>,
    legal_forms: Vec<String>,
    acronym_heads: Vec<String>,
    name_joiners: Vec<String>,
    concept_endings: Vec<String>,
    inflections: HashMap<String, String>,
    role_prefixes: Vec<String>,
    role_suffix: Regex,
    need_person_in_sentence: bool,
    first_names: HashSet<String>,
    not_surname_endings: Vec<String>,
    not_surnames: HashSet<String>,
    capitalised_word: Regex,
    acronym_in_parens: Regex,
}

impl EntityRules {
    /// Loads `entities.toml`, the gazetteers and the first names.
    pub fn load(rules: &Source, data: &Source) -> Result<EntityRules> {
        let file = rules.open("entities.toml")?;
        let raw: EntitiesFile = file.parse_toml()?;
        let ambiguous: Vec<String> = data
            .open("ambiguous_place_names.txt")?
            .word_lines()
            .into_iter()
            .map(|(_, w)| w.to_string())
            .collect();
        let gazetteer = Gazetteer::load(rules, data, &ambiguous)?;
        let patterns = patterns::compile_patterns(&file, &raw.pattern, &gazetteer.land_names)?;
        let not_first: HashSet<String> = raw.persons.not_first_names.into_iter().collect();
        let first_names = load_first_names(data, &not_first)?;
        Ok(EntityRules {
            patterns,
            place_prefixes: raw.places.prefixes,
            place_cues: raw.places.cues.into_iter().collect(),
            org_prefixes: raw.organisations.prefixes,
            legal_forms: raw.organisations.legal_forms,
            acronym_heads: raw.organisations.acronym_heads,
            name_joiners: raw.organisations.name_joiners,
            concept_endings: raw.organisations.concept_endings,
            inflections: raw.inflections,
            role_prefixes: raw.roles.prefixes,
            role_suffix: compile(&file, &raw.roles.suffix)?,
            need_person_in_sentence: raw.roles.need_person_in_sentence,
            first_names,
            not_surname_endings: raw.persons.not_surname_endings,
            not_surnames: raw.persons.not_surnames.into_iter().collect(),
            capitalised_word: compile(
                &file,
                r"[\p{Lu}](?:[\p{Ll}ß]+|-[\p{Lu}][\p{Ll}ß]+)(?:-[\p{Lu}][\p{Ll}ß]+)*",
            )?,
            acronym_in_parens: compile(
                &file,
                r"^\s?\((?P<abbr>[\p{Lu}][\p{L}\d.-]{0,11}[\p{Lu}\d])\)",
            )?,
            gazetteer,
        })
    }
}

fn load_first_names(data: &Source, not_first: &HashSet<String>) -> Result<HashSet<String>> {
    let file = data.open("vornamen.tsv")?;
    let (header, rows) = file.tsv_rows()?;
    let name = file.column(&header, "name")?;
    Ok(rows
        .into_iter()
        .map(|(_, row)| row[name].to_string())
        .filter(|n| n.chars().count() >= 2 && !not_first.contains(n))
        .collect())
}

/// A readable id part: lower case, umlauts spelled out, other signs as `-`.
///
/// ```
/// assert_eq!(ikz::entities::slug("Petra Kranz"), "petra-kranz");
/// assert_eq!(ikz::entities::slug("KDZ Westfalen-Süd"), "kdz-westfalen-sued");
/// ```
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A possible mention before overlaps are resolved.
#[derive(Debug, Clone)]
struct Candidate {
    span: Span,
    entity: Arc<EntityInfo>,
    source: MentionSource,
    rule_id: String,
    /// Higher wins among candidates of the same length: an acronym defined
    /// in the text (4) over an exact list entry (3) over a list entry
    /// extended by its neighbours or a person name (2) over a pattern (1)
    /// over a later reference (0).
    priority: u8,
    needs_cue: bool,
}

/// Finds the mentions of a body whose sentences are known.
pub fn recognise(body: &str, sentences: &[Sentence], rules: &EntityRules) -> Vec<Mention> {
    let words = capitalised_words(body, rules);
    let mut candidates = gazetteer_candidates(body, rules);
    candidates.extend(pattern_candidates(body, rules));
    candidates.extend(person_candidates(body, &words, rules));
    let mut chosen = select_longest(body.len(), candidates);
    drop_uncued_places(body, &mut chosen, rules);
    add_acronyms(body, &words, &mut chosen, rules);
    add_role_surnames(body, &words, &mut chosen, rules);
    add_names_before_roles(body, &words, &mut chosen, rules);
    add_surname_aliases(body, &words, &mut chosen);
    chosen.sort_by_key(|c| c.span);
    into_mentions(chosen, sentences, rules)
}

fn gazetteer_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for hit in rules.gazetteer.find(body) {
        let entry = rules.gazetteer.entry(hit.entry);
        let base = Candidate {
            span: Span::new(hit.start, hit.end),
            entity: entry.entity.clone(),
            source: MentionSource::Gazetteer,
            rule_id: entry.list.to_string(),
            priority: 3,
            needs_cue: entry.needs_cue,
        };
        out.extend(extend_hit(body, &base, rules));
        out.push(base);
    }
    out
}

/// Longer forms of a gazetteer hit made by the words next to it.
fn extend_hit(body: &str, hit: &Candidate, rules: &EntityRules) -> Option<Candidate> {
    let before = &body[..hit.span.start];
    let after = &body[hit.span.end..];
    let word_before = |words: &[String]| {
        words
            .iter()
            .filter(|w| {
                before
                    .strip_suffix(' ')
                    .is_some_and(|b| b.ends_with(w.as_str()))
            })
            .map(|w| w.len() + 1)
            .max()
            .filter(|&n| {
                before[..before.len() - n]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
    };
    let (start, end, rule) = match hit.entity.label {
        Label::Gpe => (
            hit.span.start - word_before(&rules.place_prefixes)?,
            hit.span.end,
            "place-prefix",
        ),
        Label::Org => {
            let prefix = word_before(&rules.org_prefixes).unwrap_or(0);
            let suffix = rules
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
                .unwrap_or(0);
            if prefix + suffix == 0 {
                return None;
            }
            (hit.span.start - prefix, hit.span.end + suffix, "org-affix")
        }
        Label::Role => {
            let prefix = word_before(&rules.role_prefixes).unwrap_or(0);
            let suffix = rules.role_suffix.find(after).map_or(0, |m| m.end());
            if prefix + suffix == 0 {
                return None;
            }
            let span = Span::new(hit.span.start - prefix, hit.span.end + suffix);
            let text = &body[span.start..span.end];
            let entity = Arc::new(EntityInfo {
                id: format!("role:{}", slug(text)),
                canonical: text.to_string(),
                ..(*hit.entity).clone()
            });
            return Some(Candidate {
                span,
                entity,
                rule_id: "role-affix".to_string(),
                priority: 2,
                needs_cue: false,
                source: MentionSource::Pattern,
            });
        }
        _ => return None,
    };
    Some(Candidate {
        span: Span::new(start, end),
        rule_id: rule.to_string(),
        priority: 2,
        needs_cue: false,
        source: MentionSource::Pattern,
        ..hit.clone()
    })
}

fn boundary_after(text: &str, at: usize) -> bool {
    let mut rest = text[at..].chars();
    match rest.next() {
        None => true,
        // `Netz- und Rechnerkapazitäten`: the word is half of a compound.
        Some('-') => rest.next().is_some_and(|c| !c.is_whitespace()),
        Some(c) => !c.is_alphanumeric(),
    }
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

fn pattern_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for pattern in &rules.patterns {
        for found in pattern.regex.captures_iter(body) {
            let Some(whole) = found.get(0) else { continue };
            let bounded = body[..whole.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && boundary_after(body, whole.end());
            if !bounded
                || whole.as_str().contains('\n')
                || looks_cut_off(body, whole.start(), whole.end(), rules)
            {
                continue;
            }
            let end = trim_name_end(body, found.name("name"), whole.end(), rules);
            let whole_text = &body[whole.start()..end];
            let tail = found
                .name("name")
                .map(|m| &body[m.start()..end.max(m.start())]);
            let known = tail
                .and_then(|t| rules.gazetteer.lookup(t))
                .filter(|e| e.entity.label == pattern.label);
            let entity = match known {
                Some(entry) => entry.entity.clone(),
                None => {
                    let canonical =
                        canonical_name(whole_text, found.name("head").map(|h| h.as_str()), rules);
                    Arc::new(EntityInfo {
                        id: format!(
                            "{}:{}",
                            pattern.label.as_str().to_lowercase(),
                            slug(&canonical)
                        ),
                        label: pattern.label,
                        canonical,
                        kind: Some(pattern.kind.clone()),
                        external_id: None,
                    })
                }
            };
            out.push(Candidate {
                span: Span::new(whole.start(), end),
                entity,
                source: MentionSource::Pattern,
                rule_id: pattern.id.clone(),
                priority: 1,
                needs_cue: false,
            });
        }
    }
    out
}

/// Where a pattern's `{NAME}` really ends: at a connector (`in`, `im`,
/// `für`) not followed by a known place (`Zweckverband KDO im Jahr 1995` is
/// `Zweckverband KDO`; `Elektronische Verwaltung im Saarland` stays whole),
/// and before trailing bare numbers.
fn trim_name_end(body: &str, name: Option<regex::Match>, end: usize, rules: &EntityRules) -> usize {
    let Some(name) = name else { return end };
    let text = &body[name.start()..end];
    let mut cut = text.len();
    for connector in [" in ", " im ", " für "] {
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

/// The canonical form of a pattern match: the inflected head replaced.
fn canonical_name(text: &str, head: Option<&str>, rules: &EntityRules) -> String {
    let text = text
        .trim_start_matches(['"', '„'])
        .trim_end_matches(['"', '“']);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match head.and_then(|h| rules.inflections.get(h).map(|base| (h, base))) {
        Some((h, base)) => collapsed.replacen(h, base, 1),
        None => collapsed,
    }
}

/// Capitalised words with their byte ranges.
fn capitalised_words<'t>(body: &'t str, rules: &EntityRules) -> Vec<(Span, &'t str)> {
    rules
        .capitalised_word
        .find_iter(body)
        .filter(|m| {
            body[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .filter(|m| {
            body[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|m| (Span::new(m.start(), m.end()), m.as_str()))
        .collect()
}

fn could_be_surname(word: &str, rules: &EntityRules) -> bool {
    !rules.not_surnames.contains(word)
        && !rules.gazetteer.role_forms.contains_key(word)
        && !rules
            .not_surname_endings
            .iter()
            .any(|e| word.ends_with(e.as_str()))
}

/// Whether only one space or tab separates two spans.
fn adjacent(body: &str, left: Span, right: Span) -> bool {
    let gap = &body[left.end..right.start];
    !gap.is_empty() && gap.len() <= 2 && gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
}

/// A person mention found by the pattern `rule_id`.
fn person_candidate(body: &str, span: Span, rule_id: &str) -> Candidate {
    Candidate {
        span,
        entity: person_entity(&body[span.start..span.end]),
        source: MentionSource::Pattern,
        rule_id: rule_id.to_string(),
        priority: 1,
        needs_cue: false,
    }
}

fn person_entity(name: &str) -> Arc<EntityInfo> {
    let canonical = name.split_whitespace().collect::<Vec<_>>().join(" ");
    Arc::new(EntityInfo {
        id: format!("per:{}", slug(&canonical)),
        label: Label::Per,
        canonical,
        kind: None,
        external_id: None,
    })
}

fn person_candidates(body: &str, words: &[(Span, &str)], rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for i in 0..words.len() {
        let (first_span, first) = words[i];
        if !rules.first_names.contains(first) {
            continue;
        }
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
        if let Some(last) = last {
            let span = Span::new(first_span.start, last.end);
            out.push(Candidate {
                span,
                entity: person_entity(&body[span.start..span.end]),
                source: MentionSource::Pattern,
                rule_id: "person-first-name".to_string(),
                priority: 2,
                needs_cue: false,
            });
        }
    }
    out
}

/// Keeps the longest candidates that do not overlap; ties go to priority,
/// then to the earlier start.
fn select_longest(len: usize, mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(b.priority.cmp(&a.priority))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut taken = vec![false; len];
    let mut chosen = Vec::new();
    for c in candidates {
        if c.span.is_empty() || taken[c.span.start..c.span.end].iter().any(|t| *t) {
            continue;
        }
        taken[c.span.start..c.span.end]
            .iter_mut()
            .for_each(|t| *t = true);
        chosen.push(c);
    }
    chosen.sort_by_key(|c| c.span);
    chosen
}

/// Drops ambiguous one-word places that have no cue word before them and
/// no other place next to them in a list.
fn drop_uncued_places(body: &str, chosen: &mut Vec<Candidate>, rules: &EntityRules) {
    let is_place = |c: &Candidate| c.entity.label == Label::Gpe;
    let joined = |a: &Candidate, b: &Candidate| {
        let gap = body[a.span.end..b.span.start].trim();
        matches!(
            gap,
            "," | "und" | "sowie" | "oder" | "bzw." | ", und" | ", sowie"
        )
    };
    let keep: Vec<bool> = (0..chosen.len())
        .map(|i| {
            let c = &chosen[i];
            if !c.needs_cue {
                return true;
            }
            let word_before = last_word(body, c.span.start);
            let prev = i.checked_sub(1).map(|p| &chosen[p]);
            let next = chosen.get(i + 1);
            rules.place_cues.contains(word_before)
                || prev.is_some_and(|p| is_place(p) && !p.needs_cue && joined(p, c))
                || next.is_some_and(|n| is_place(n) && !n.needs_cue && joined(c, n))
        })
        .collect();
    let mut flags = keep.into_iter();
    chosen.retain(|_| flags.next().unwrap_or(true));
}

/// The word before byte `at`, looking back at most 40 bytes.
fn last_word(body: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(40);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    body[from..at].split_whitespace().next_back().unwrap_or("")
}

/// `Long Name (ABBR)`: the acronym is a mention of the same entity, and so
/// is every later bare use of it.
fn add_acronyms(
    body: &str,
    words: &[(Span, &str)],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut defined: Vec<(String, Arc<EntityInfo>)> = Vec::new();
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
            Some(e) if c.source == MentionSource::Gazetteer && e.entity.id != c.entity.id => {
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
            source: MentionSource::Acronym,
            rule_id: "acronym-definition".to_string(),
            priority: 4,
            needs_cue: false,
        });
    }
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
        .filter(|c| c.rule_id == RULE_ACRONYM_SPELLED_OUT)
        .map(|c| c.span)
        .collect();
    chosen.retain(|c| {
        !(matches!(c.entity.label, Label::Gpe | Label::Loc)
            && spelled.iter().any(|s| s.contains(&c.span)))
    });
    relink_or_add(chosen, added, true);
    defined.sort_by(|a, b| a.0.cmp(&b.0));
    defined.dedup_by(|a, b| a.0 == b.0);
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(defined.iter().map(|(abbr, _)| abbr.as_str()))
    else {
        return;
    };
    let mut uses = Vec::new();
    for m in automaton.find_iter(body) {
        let span = Span::new(m.start(), m.end());
        let bounded = body[..span.start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
            && boundary_after(body, span.end);
        if bounded {
            let (name, entity) = &defined[m.pattern().as_usize()];
            let rule_id = if stems.contains(name) {
                "short-form-use"
            } else {
                "acronym-use"
            };
            uses.push(Candidate {
                span,
                entity: entity.clone(),
                source: MentionSource::Alias,
                rule_id: rule_id.to_string(),
                priority: 0,
                needs_cue: false,
            });
        }
    }
    relink_or_add(chosen, uses, true);
}

/// Academic titles written before a name (`Dr.`, `Prof.`), outside its span.
const ACADEMIC_TITLES: [&str; 3] = ["Dr", "Prof", "Dipl"];

/// Articles and pronouns that start a sentence and never a name.
const ARTICLES: [&str; 12] = [
    "Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einer", "Einem", "Diese", "Dieser",
];

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
/// ending in an organisation head word, defined with an acronym.
fn named_acronyms(
    body: &str,
    words: &[(Span, &str)],
    chosen: &[Candidate],
    rules: &EntityRules,
    defined: &mut Vec<(String, Arc<EntityInfo>)>,
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
                out.push(Candidate {
                    span: long,
                    entity: known.entity.clone(),
                    source: MentionSource::Acronym,
                    rule_id: RULE_ACRONYM_SPELLED_OUT.to_string(),
                    priority: 4,
                    needs_cue: false,
                });
            }
            continue;
        }
        let lower = word.to_lowercase();
        let has_head = rules
            .acronym_heads
            .iter()
            .any(|h| lower.ends_with(h.as_str()));
        let rule_id = if has_head {
            RULE_ACRONYM_NAMED
        } else {
            RULE_ACRONYM_SPELLED_OUT
        };
        let long = if has_head {
            let at = chosen.partition_point(|c| c.span.end <= span.start);
            if chosen.get(at).is_some_and(|c| c.span.overlaps(span)) {
                continue;
            }
            let mut start = *span;
            for k in (0..i).rev() {
                let (prev, prev_word) = words[k];
                if !adjacent(body, prev, start) || ARTICLES.contains(&prev_word) {
                    break;
                }
                start = prev;
            }
            if !is_acronym_of(abbr.as_str(), &body[start.start..span.end]) {
                continue;
            }
            Span::new(start.start, span.end)
        } else {
            match spelled_out(body, words, i, abbr.as_str(), chosen, rules) {
                Some(long) => long,
                None => continue,
            }
        };
        let entity = Arc::new(EntityInfo {
            id: format!("org:{}", slug(abbr.as_str())),
            label: Label::Org,
            canonical: body[long.start..long.end].to_string(),
            kind: None,
            external_id: None,
        });
        let abbr_span = Span::new(span.end + abbr.start(), span.end + abbr.end());
        defined.push((abbr.as_str().to_string(), entity.clone()));
        for s in [long, abbr_span] {
            out.push(Candidate {
                span: s,
                entity: entity.clone(),
                source: MentionSource::Acronym,
                rule_id: rule_id.to_string(),
                priority: 4,
                needs_cue: false,
            });
        }
    }
    out
}

/// Short forms of organisation names that later mentions use:
/// - `vote iT GmbH` found by a pattern is also named `vote iT`: the name
///   without its legal form;
/// - `KDVZ Rhein-Erft-Rur` is also named `KDVZ`: an all-capitals first word
///   of a longer name, when no other organisation of the document starts
///   with it.
fn short_forms(
    body: &str,
    chosen: &[Candidate],
    rules: &EntityRules,
) -> Vec<(String, Arc<EntityInfo>)> {
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
            .filter(|_| c.source == MentionSource::Pattern);
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

/// Rule id of an acronym defined after a name that ends in a head word.
const RULE_ACRONYM_NAMED: &str = "acronym-named";
/// Rule id of an acronym defined after the name whose initials it spells.
const RULE_ACRONYM_SPELLED_OUT: &str = "acronym-spelled-out";

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
    words: &[(Span, &str)],
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
        if !joined || ARTICLES.contains(&prev_word) {
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

/// Adds candidates that overlap nothing; a candidate with exactly the span
/// of an existing mention gives that mention its entity. `chosen` stays
/// sorted and free of overlaps, so each lookup is a binary search.
fn relink_or_add(chosen: &mut Vec<Candidate>, extra: Vec<Candidate>, relink: bool) {
    chosen.sort_by_key(|c| c.span);
    let mut added = Vec::new();
    for c in extra {
        let i = chosen.partition_point(|m| m.span.end <= c.span.start);
        match chosen.get_mut(i) {
            Some(m) if m.span == c.span => {
                if relink && m.source != MentionSource::Acronym && m.entity.label == c.entity.label
                {
                    m.entity = c.entity.clone();
                }
            }
            Some(m) if m.span.start < c.span.end => {}
            _ => added.push(c),
        }
    }
    added.sort_by_key(|c| c.span);
    let mut last_end = 0;
    for c in added {
        if c.span.start >= last_end {
            last_end = c.span.end;
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.span);
}

/// `KDO-Verbandsgeschäftsführer Kruse begrüßte …`: a capitalised word right
/// after a role title, followed by a lower-case word or punctuation, is a
/// person's surname.
fn add_role_surnames(
    body: &str,
    words: &[(Span, &str)],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut added = Vec::new();
    for anchor in chosen
        .iter()
        .filter(|c| matches!(c.entity.label, Label::Role | Label::Per))
    {
        let mut pos = words.partition_point(|(s, _)| s.start <= anchor.span.end);
        // `Geschäftsführer Dr. Petra Kranz`: an academic title is no name.
        while words
            .get(pos)
            .is_some_and(|(s, w)| ACADEMIC_TITLES.contains(w) && body[s.end..].starts_with('.'))
        {
            pos += 1;
        }
        let Some(&(first, word)) = words.get(pos) else {
            continue;
        };
        let joined = if anchor.entity.label == Label::Role {
            let gap = &body[anchor.span.end..first.start];
            gap.len() <= 14
                && gap.starts_with(' ')
                && gap.split_whitespace().all(|t| {
                    ACADEMIC_TITLES
                        .iter()
                        .any(|a| t.strip_suffix('.') == Some(a))
                })
        } else {
            body[anchor.span.end..first.start] == *" und "
        };
        if !joined || !could_be_surname(word, rules) || rules.first_names.contains(word) {
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
            "person-after-role",
        ));
    }
    relink_or_add(chosen, added, false);
}

/// `Ottokar Brenninger, Vorsitzender des …`: two capitalised words set off
/// by a comma before a role title are a person's name, even when the first
/// name is not in the list.
fn add_names_before_roles(
    body: &str,
    words: &[(Span, &str)],
    chosen: &mut Vec<Candidate>,
    rules: &EntityRules,
) {
    let mut added = Vec::new();
    for (i, role) in chosen
        .iter()
        .enumerate()
        .filter(|(_, c)| c.entity.label == Label::Role)
    {
        let before = &body[..role.span.start];
        // `Name, Rolle …`, `Name (Rolle …)` or `Name (KDO-Rolle)`.
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
        let Some(comma) = before
            .strip_suffix(", ")
            .or_else(|| before.strip_suffix(" ("))
            .map(str::len)
        else {
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
        let previous = body[..first.start].trim_end();
        let starts_clause = previous
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, ':' | ';' | ',' | '.' | '(' | '\n'))
            || last_word(body, first.start).starts_with(char::is_lowercase);
        if !adjacent(body, first, last)
            || !starts_clause
            || !could_be_surname(surname, rules)
            || rules.not_surnames.contains(given)
            || rules.gazetteer.lookup(given).is_some()
        {
            continue;
        }
        added.push(person_candidate(
            body,
            Span::new(first.start, last.end),
            "person-before-role",
        ));
    }
    relink_or_add(chosen, added, false);
}

/// A bare surname of a person named in full elsewhere in the document.
fn add_surname_aliases(body: &str, words: &[(Span, &str)], chosen: &mut Vec<Candidate>) {
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
    let mut added: Vec<Candidate> = Vec::new();
    full_names.sort_by(|a, b| a.canonical.cmp(&b.canonical));
    full_names.dedup_by(|a, b| a.canonical == b.canonical);
    if let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(full_names.iter().map(|e| e.canonical.as_str()))
    {
        for m in automaton.find_iter(body) {
            let span = Span::new(m.start(), m.end());
            if boundary_after(body, span.end)
                && body[..span.start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            {
                added.push(Candidate {
                    span,
                    entity: full_names[m.pattern().as_usize()].clone(),
                    source: MentionSource::Alias,
                    rule_id: "person-full-name".to_string(),
                    priority: 0,
                    needs_cue: false,
                });
            }
        }
    }
    added.extend(words.iter().filter_map(|&(span, word)| {
        by_surname.get(word).map(|entity| Candidate {
            span,
            entity: entity.clone(),
            source: MentionSource::Alias,
            rule_id: "person-surname".to_string(),
            priority: 0,
            needs_cue: false,
        })
    }));
    relink_or_add(chosen, added, false);
}

fn into_mentions(
    chosen: Vec<Candidate>,
    sentences: &[Sentence],
    rules: &EntityRules,
) -> Vec<Mention> {
    let sentence_of = |span: Span| {
        let i = sentences.partition_point(|s| s.span.end <= span.start);
        sentences
            .get(i)
            .filter(|s| s.span.contains(&span))
            .map(|_| i)
    };
    let mut with_person = HashSet::new();
    let placed: Vec<(usize, Candidate)> = chosen
        .into_iter()
        .filter_map(|c| sentence_of(c.span).map(|i| (i, c)))
        .inspect(|(i, c)| {
            if c.entity.label == Label::Per {
                with_person.insert(*i);
            }
        })
        .collect();
    placed
        .into_iter()
        .filter(|(i, c)| {
            !(rules.need_person_in_sentence
                && c.entity.label == Label::Role
                && !with_person.contains(i))
        })
        .map(|(sentence_idx, c)| Mention {
            span: c.span,
            sentence_idx,
            entity: c.entity,
            source: c.source,
            rule_id: c.rule_id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Rules;

    fn mentions(text: &str) -> Vec<(String, &'static str, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = Rules::load(Some(&root.join("rules")), Some(&root.join("data"))).unwrap();
        let sentences = crate::sentences::split(text, &[], &rules.sentences);
        recognise(text, &sentences, &rules.entities)
            .into_iter()
            .map(|m| {
                (
                    text[m.span.start..m.span.end].to_string(),
                    m.entity.label.as_str(),
                    m.entity.id.clone(),
                )
            })
            .collect()
    }

    fn has(found: &[(String, &str, String)], text: &str, label: &str) -> bool {
        found.iter().any(|(t, l, _)| t == text && *l == label)
    }

    #[test]
    fn places_take_their_prefix_and_official_key() {
        let found =
            mentions("Die Stadt Münster und der Kreis Steinfurt planen mit Thüringens Kommunen.");
        assert!(
            found.contains(&("Stadt Münster".into(), "GPE", "ags:05515000".into())),
            "{found:?}"
        );
        assert!(has(&found, "Kreis Steinfurt", "GPE"), "{found:?}");
        assert!(has(&found, "Thüringens", "GPE"), "{found:?}");
        assert!(!has(&found, "Münster", "GPE"));
    }

    #[test]
    fn ambiguous_place_names_need_a_cue() {
        let found = mentions("Das Wissen der Verwaltung wächst, sagt man in Wissen.");
        let wissen: Vec<_> = found.iter().filter(|(t, _, _)| t == "Wissen").collect();
        assert_eq!(wissen.len(), 1, "{found:?}");
    }

    #[test]
    fn organisations_from_lists_patterns_and_acronyms() {
        let found = mentions(
            "Der Zweckverband Kommunale Informationsverarbeitung Beispieltal und die Muster GmbH arbeiten mit dem Nationalen E-Government Kompetenzzentrum (NEGZ) und der ekom21 GmbH. Das NEGZ lädt ein.",
        );
        assert!(
            has(
                &found,
                "Zweckverband Kommunale Informationsverarbeitung Beispieltal",
                "ORG"
            ),
            "{found:?}"
        );
        assert!(has(&found, "Muster GmbH", "ORG"), "{found:?}");
        assert!(has(&found, "ekom21 GmbH", "ORG"), "{found:?}");
        let negz: Vec<_> = found.iter().filter(|(t, _, _)| t == "NEGZ").collect();
        assert_eq!(negz.len(), 2, "{found:?}");
        assert!(
            negz.iter()
                .all(|(_, l, id)| *l == "ORG" && id == &negz[0].2)
        );
    }

    #[test]
    fn persons_and_roles_with_modifiers() {
        let found = mentions(
            "Erste Beigeordnete Petra Schulz und Landrat Hans-Peter Meier (Verbandsvorsteher der KDVZ Citkomm) kamen; Schulz sprach.",
        );
        assert!(has(&found, "Erste Beigeordnete", "ROLE"), "{found:?}");
        assert!(has(&found, "Petra Schulz", "PER"), "{found:?}");
        assert!(has(&found, "Hans-Peter Meier", "PER"), "{found:?}");
        assert!(has(&found, "Verbandsvorsteher", "ROLE"), "{found:?}");
        assert!(has(&found, "KDVZ Citkomm", "ORG"), "{found:?}");
        let schulz: Vec<_> = found
            .iter()
            .filter(|(t, _, _)| t.contains("Schulz"))
            .map(|(_, _, id)| id)
            .collect();
        assert_eq!(schulz, ["per:petra-schulz", "per:petra-schulz"]);
    }

    #[test]
    fn roles_without_a_person_in_the_sentence_are_no_mentions() {
        let found =
            mentions("Landräte und Bürgermeister beraten. Bürgermeister Klaus Weber eröffnet.");
        let roles: Vec<_> = found
            .iter()
            .filter(|(_, l, _)| *l == "ROLE")
            .map(|(t, _, _)| t.as_str())
            .collect();
        assert_eq!(roles, ["Bürgermeister"]);
    }
}
