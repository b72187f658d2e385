//! Stage 4: entity mentions, each linked to one entity id.
//!
//! [`recognise`] runs these steps in order, one file each:
//!
//! 1. `words.rs` — the capitalised words of the body, found once, and the
//!    word-boundary checks every later step shares.
//! 2. `candidates.rs` — candidate mentions from the gazetteer
//!    (`gazetteer.rs`, one automaton over every list), the same hits
//!    extended by the words around them (`Stadt Münster`, `Zweckverband
//!    kommunit`, `Erster Landrat`), and the regex patterns of
//!    `rules/entities.toml` (`patterns.rs` compiles them).
//! 3. `persons.rs` — person candidates: a first name from `data/` plus a
//!    capitalised surname.
//! 4. `overlaps.rs` — the longest candidate wins, ties go to the more
//!    specific source (`candidates::Priority`); ambiguous one-word places
//!    without a cue are dropped.
//! 5. `acronyms.rs` — acronyms defined as `Long Name (ABBR)`, short forms,
//!    and their later bare uses become further mentions of the same
//!    entities.
//! 6. `persons.rs` again — surnames after role titles, names before role
//!    titles, and later bare surnames of persons named in full.
//! 7. Back here: each mention is placed in its sentence; roles in a
//!    sentence without a person are dropped.
//!
//! `ids.rs` makes the ids and canonical names of entities no list holds;
//! `rule_ids.rs` holds every `rule_id` the stage writes besides the pattern
//! ids. The rules themselves are loaded here ([`EntityRules::load`]), from
//! `rules/entities.toml`, including the German words of its `[language]`
//! table, the gazetteers of `rules/` and `data/`, and the first names.

mod acronyms;
mod candidates;
mod gazetteer;
mod ids;
mod overlaps;
mod patterns;
mod persons;
mod rule_ids;
#[cfg(test)]
mod tests;
mod words;

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use crate::model::{Label, Mention, Sentence, Span};
use crate::rules::Source;
use crate::rules::compile;
use candidates::Candidate;

pub use gazetteer::Gazetteer;
// `slug` was `entities::slug` before the split; callers and its doc test use that path.
pub use ids::slug;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntitiesFile {
    pattern: Vec<patterns::PatternFile>,
    places: PlacesFile,
    organisations: OrganisationsFile,
    inflections: HashMap<String, String>,
    roles: RolesFile,
    persons: PersonsFile,
    language: LanguageFile,
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

/// `[language]`: German words the rules of several steps need.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    academic_titles: Vec<String>,
    articles: Vec<String>,
    list_joiners: Vec<String>,
    no_genitive_s: Vec<String>,
    name_connectors: Vec<String>,
    person_joiners: Vec<String>,
    kreis_heads: Vec<String>,
}

/// Everything the entity stage knows, compiled once.
pub struct EntityRules {
    gazetteer: Gazetteer,
    patterns: Vec<patterns::Pattern>,
    /// Which patterns can match a body, by the literals each needs.
    pattern_gate: crate::prefilter::Gate,
    /// Per pattern: the most bytes of a match before its literal (`None`:
    /// no bound, or no literal).
    pattern_leads: Vec<Option<usize>>,
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
    /// `[language] academic_titles`: `Dr.` before a name is no part of it.
    academic_titles: Vec<String>,
    /// `[language] articles`: words that start a sentence, never a name.
    articles: Vec<String>,
    /// `[language] list_joiners`: what joins the places of a list.
    list_joiners: Vec<String>,
    /// `[language] name_connectors`, each with a space on both sides:
    /// small words inside a long name (` in `, ` für `).
    name_connectors: Vec<String>,
    /// `[language] person_joiners`, each with a space on both sides: what
    /// joins two persons sharing a role (` und `).
    person_joiners: Vec<String>,
    /// A capitalised word (`Münster`, `Rhein-Sieg`) anchored at the start
    /// of the text it is tried on: persons and aliases are built from them.
    capitalised_word_here: Regex,
    acronym_in_parens: Regex,
}

/// One entity pattern's examples, for `ikz rules test`.
pub struct PatternExamples<'a> {
    /// The pattern's id (the `rule_id` of what it finds).
    pub id: &'a str,
    /// Texts and the mention texts the pattern must find in them.
    pub examples: &'a [MentionExample],
    /// Texts in which it must find nothing.
    pub counter_examples: &'a [String],
}

pub use patterns::MentionExample;

impl EntityRules {
    /// The examples and counter-examples of every entity pattern, in file
    /// order.
    pub fn pattern_examples(&self) -> impl Iterator<Item = PatternExamples<'_>> {
        self.patterns.iter().map(|p| PatternExamples {
            id: &p.id,
            examples: &p.examples,
            counter_examples: &p.counter_examples,
        })
    }

    /// Loads `entities.toml`, the gazetteers and the first names. A missing
    /// table or key of `entities.toml` is an error at its position.
    pub fn load(rules: &Source, data: &Source) -> Result<EntityRules> {
        let file = rules.open("entities.toml")?;
        let raw: EntitiesFile = file.parse_toml()?;
        let ambiguous: Vec<String> = data
            .open("ambiguous_place_names.txt")?
            .word_lines()
            .into_iter()
            .map(|(_, w)| w.to_string())
            .collect();
        let language = &raw.language;
        // The gazetteer and the first names load while the patterns
        // compile; errors are reported in the order of a one-by-one load.
        let not_first: HashSet<String> = raw.persons.not_first_names.iter().cloned().collect();
        let ((gazetteer, first_names), patterns) = rayon::join(
            || {
                let gazetteer = Gazetteer::load(
                    rules,
                    data,
                    &ambiguous,
                    &language.no_genitive_s,
                    &language.kreis_heads,
                );
                (gazetteer, load_first_names(data, &not_first))
            },
            || {
                patterns::compile_patterns(
                    &file,
                    &raw.pattern,
                    &gazetteer::land_names(data)?,
                    &language.name_connectors,
                )
            },
        );
        let (gazetteer, patterns) = (gazetteer?, patterns?);
        let spaced = |words: &[String]| words.iter().map(|w| format!(" {w} ")).collect();
        let name_connectors = spaced(&language.name_connectors);
        let person_joiners = spaced(&language.person_joiners);
        let first_names = first_names?;
        let required: Vec<_> = patterns
            .iter()
            .map(|p| crate::prefilter::required(&p.expanded))
            .collect();
        let pattern_leads = required.iter().map(|r| r.as_ref()?.lead).collect();
        let pattern_gate = crate::prefilter::Gate::new(
            required.into_iter().map(|r| Some(r?.literals)).collect(),
            false,
        );
        Ok(EntityRules {
            pattern_gate,
            pattern_leads,
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
            academic_titles: raw.language.academic_titles,
            articles: raw.language.articles,
            list_joiners: raw.language.list_joiners,
            name_connectors,
            person_joiners,
            capitalised_word_here: compile(
                &file,
                r"^[\p{Lu}](?:[\p{Ll}ß]+|-[\p{Lu}][\p{Ll}ß]+)(?:-[\p{Lu}][\p{Ll}ß]+)*",
            )?,
            acronym_in_parens: compile(
                &file,
                r"^\s?\((?P<abbr>[\p{Lu}][\p{L}\d.-]{0,11}[\p{Lu}\d])\)",
            )?,
            gazetteer,
        })
    }
}

/// The first names of `data/vornamen.tsv` that may start a person's name:
/// at least two letters, and not in `[persons] not_first_names`.
fn load_first_names(data: &Source, not_first: &HashSet<String>) -> Result<HashSet<String>> {
    let file = data.open("vornamen.tsv")?;
    let (header, rows) = file.tsv_rows()?;
    let name = file.column(&header, "name")?;
    let mut names = HashSet::new();
    for row in rows {
        let (_, row) = row?;
        let n = row[name];
        if n.chars().count() >= 2 && !not_first.contains(n) {
            names.insert(n.to_string());
        }
    }
    Ok(names)
}

/// Finds the mentions of a body whose sentences are known.
pub fn recognise(body: &str, sentences: &[Sentence], rules: &EntityRules) -> Vec<Mention> {
    let words = words::capitalised_words(body, rules);
    let mut found = candidates::gazetteer_candidates(body, rules);
    found.extend(candidates::pattern_candidates(body, rules));
    found.extend(persons::person_candidates(body, &words, rules));
    let mut chosen = overlaps::select_longest(body.len(), found);
    overlaps::drop_uncued_places(body, &mut chosen, rules);
    acronyms::add_acronyms(body, &words, &mut chosen, rules);
    persons::add_role_surnames(body, &words, &mut chosen, rules);
    persons::add_names_before_roles(body, &words, &mut chosen, rules);
    persons::add_surname_aliases(body, &words, &mut chosen);
    chosen.sort_by_key(|c| c.span);
    into_mentions(chosen, sentences, rules)
}

/// The chosen candidates as mentions, each with the index of the sentence
/// that holds it; a candidate across a sentence boundary is none, and with
/// `[roles] need_person_in_sentence` a role needs a person beside it.
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
            method: c.method,
            rule_id: c.rule_id,
        })
        .collect()
}
