//! Pattern rules: regular expressions over a whole abstracted sentence.
//!
//! Rules live in `rules/relations.toml`. Each rule's pattern is a regular
//! expression over an *abstracted* sentence, in which every mention is
//! replaced by a placeholder such as `⟨ORG:3⟩` (label and mention index) and
//! white space is collapsed. Named groups pick the arguments: `subj` and
//! `obj` (every mention inside one group pairs with every mention inside the
//! other; `pairing = "respective"` pairs them in order instead), or
//! `parties` (every pair among the mentions inside), and `role` for the
//! ROLE mention of a `ROLE` relation. Macros keep patterns short; see the
//! head of `rules/relations.toml`.

use std::collections::HashSet;

use anyhow::Result;
use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;

use super::{Found, MAX_GROUP_MENTIONS};
use crate::model::{Label, Mention, Relation, RelationType, Sentence};
use crate::prefilter::Gate;
use crate::rules::compile_at;
use crate::rules::{RuleFile, Source};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationsFile {
    macros: MacroWords,
    rule: Vec<RuleEntry>,
}

/// The `[macros]` table of `relations.toml`: the German words behind
/// `{ART}` and `{PARTIES}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MacroWords {
    /// Articles `{ART}` may start with (`die`, `dem` …).
    articles: Vec<String>,
    /// Plural head nouns `{ART}` may hold after the article (`Städte`).
    plural_heads: Vec<String>,
    /// What stands between two parties of `{PARTIES}` (`,`, `und`, `, sowie`).
    list_joiners: Vec<String>,
}

/// The regular expressions the word-list macros stand for.
pub struct Macros {
    /// `{ART}`: an optional article, then an optional plural head noun.
    article: String,
    /// The joiners of `{PARTIES}`, each with its spaces, as one group.
    joiner: String,
}

impl Macros {
    fn build(file: &RuleFile, words: &MacroWords) -> Result<Macros> {
        let at = |key: &str| {
            let table = file.text.find("[macros]").unwrap_or(0);
            file.text[table..]
                .find(&format!("\n{key}"))
                .map_or(table, |i| table + i + 1)
        };
        let check = |key: &str, list: &[String]| -> Result<()> {
            if list.is_empty() {
                return Err(file.error_at(at(key), &format!("`{key}` needs at least one entry")));
            }
            if let Some(bad) = list
                .iter()
                .find(|w| w.trim().is_empty() || w.trim() != w.as_str())
            {
                return Err(file.error_at(
                    at(key),
                    &format!(
                        "`{key}`: `{bad}` is empty or starts or ends with a space; write the words only"
                    ),
                ));
            }
            Ok(())
        };
        check("articles", &words.articles)?;
        check("plural_heads", &words.plural_heads)?;
        check("list_joiners", &words.list_joiners)?;
        let alternatives = |list: &[String]| {
            list.iter()
                .map(|w| words_regex(w))
                .collect::<Vec<_>>()
                .join("|")
        };
        let article = format!(
            r"(?:(?:{})\s)?(?:(?:{})\s)?",
            alternatives(&words.articles),
            alternatives(&words.plural_heads)
        );
        let joiners: Vec<String> = words.list_joiners.iter().map(|j| joiner(j)).collect();
        Ok(Macros {
            article,
            joiner: format!("(?:{})", joiners.join("|")),
        })
    }
}

/// The regular expression for an entry of several words (`die beiden`):
/// each word as written, single spaces between them.
fn words_regex(written: &str) -> String {
    written
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s")
}

/// The regular expression for one list joiner as the rule file writes it:
/// a word (`und`) stands between spaces, a punctuation mark (`,`) right
/// after the party and before a space; `, und` is both.
fn joiner(written: &str) -> String {
    let mut out = String::new();
    for (i, token) in written.split_whitespace().enumerate() {
        let word = token.starts_with(char::is_alphanumeric);
        if i > 0 || word {
            out.push_str(r"\s");
        }
        out.push_str(&regex::escape(token));
    }
    out.push_str(r"\s");
    out
}

/// A rule as written in `relations.toml`.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    /// Appears in the `rule_id` column.
    pub id: String,
    /// One of the seven relation types.
    #[serde(rename = "type")]
    pub kind: String,
    /// Labels the subject may have.
    pub subject: Vec<String>,
    /// Labels the object may have.
    pub object: Vec<String>,
    /// Trigger words (regular expressions), for the `{TRIGGER}` macro.
    #[serde(default)]
    pub triggers: Vec<String>,
    /// `cross` (default) or `respective`.
    #[serde(default)]
    pub pairing: Option<String>,
    /// The pattern over the abstracted sentence.
    pub pattern: String,
    /// A pattern that, found in the matched text, cancels the match.
    #[serde(default)]
    pub unless: Option<String>,
    /// A pattern that, matching the text just before the match, cancels it
    /// (write it anchored with `$`: `\bmit\s$`).
    #[serde(default)]
    pub unless_before: Option<String>,
    /// Sentences with the relations the rule must produce, `subject | object`
    /// (plus `| role` for ROLE).
    pub examples: Vec<Example>,
    /// Sentences where the rule must not fire.
    pub counter_examples: Vec<String>,
}

/// One example sentence of a rule.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// The relations it must yield: `subject | object` or `subject | object | role`.
    pub expect: Vec<String>,
}

/// A compiled relation rule.
pub struct RelationRule {
    /// The rule as written (kept for the example tests).
    pub entry: RuleEntry,
    kind: RelationType,
    subject: Vec<Label>,
    object: Vec<Label>,
    respective: bool,
    regex: Regex,
    unless: Option<Regex>,
    unless_before: Option<Regex>,
    /// Placeholder prefixes (`⟨PER:`) the sentence must contain.
    needed_labels: Vec<String>,
}

/// All pattern rules of `relations.toml`, compiled.
pub struct PatternRules {
    /// The rules in file order.
    pub rules: Vec<RelationRule>,
    /// The word-list macros of `[macros]`, built.
    pub macros: Macros,
    /// Which rules' trigger words a sentence may hold, in one pass.
    gate: Gate,
}

impl PatternRules {
    /// Loads and validates `relations.toml`.
    pub fn load(rules: &Source) -> Result<PatternRules> {
        let file = rules.open("relations.toml")?;
        let raw: RelationsFile = file.parse_toml()?;
        let macros = Macros::build(&file, &raw.macros)?;
        let mut seen = HashSet::new();
        let headers: Vec<usize> = file
            .text
            .match_indices("[[rule]]")
            .map(|(i, _)| i)
            .collect();
        for (i, entry) in raw.rule.iter().enumerate() {
            if !seen.insert(entry.id.clone()) {
                let at = headers.get(i).copied().unwrap_or(0);
                return Err(file.error_at(at, &format!("duplicate rule id `{}`", entry.id)));
            }
        }
        let rules = crate::rules::compile_in_parallel(
            raw.rule.into_par_iter().enumerate(),
            |(i, entry)| {
                let at = headers.get(i).copied().unwrap_or(0);
                compile_rule(&file, at, entry, &macros)
            },
        )?;
        let gate = Gate::for_trigger_words(rules.iter().map(|r| r.entry.triggers.as_slice()));
        Ok(PatternRules {
            rules,
            macros,
            gate,
        })
    }
}

fn labels(file: &RuleFile, at: usize, names: &[String]) -> Result<Vec<Label>> {
    names
        .iter()
        .map(|n| {
            Label::parse(n).ok_or_else(|| {
                file.error_at(
                    at,
                    &format!("unknown label `{n}`; use ORG, GPE, LOC, PER or ROLE"),
                )
            })
        })
        .collect()
}

fn compile_rule(
    file: &RuleFile,
    at: usize,
    entry: RuleEntry,
    macros: &Macros,
) -> Result<RelationRule> {
    let kind = RelationType::parse(&entry.kind).ok_or_else(|| {
        let known: Vec<&str> = RelationType::ALL.iter().map(|t| t.as_str()).collect();
        file.error_at(
            at,
            &format!(
                "unknown relation type `{}`; use one of {}",
                entry.kind,
                known.join(", ")
            ),
        )
    })?;
    let respective = match entry.pairing.as_deref() {
        None | Some("cross") => false,
        Some("respective") => true,
        Some(other) => {
            return Err(file.error_at(
                at,
                &format!("unknown pairing `{other}`; use cross or respective"),
            ));
        }
    };
    if let Some(empty) = entry.examples.iter().find(|e| e.expect.is_empty()) {
        return Err(file.error_at(
            at,
            &format!(
                "rule `{}`: the example `{}` lists no relation; an example says what the \
                 rule finds (write sentences where it finds nothing as counter_examples)",
                entry.id, empty.text
            ),
        ));
    }
    if entry.examples.is_empty() || entry.counter_examples.is_empty() {
        return Err(file.error_at(
            at,
            &format!(
                "rule `{}` needs at least one example and one counter-example",
                entry.id
            ),
        ));
    }
    let has = |g: &str| entry.pattern.contains(&format!("(?P<{g}>"));
    if !(has("parties") || (has("subj") && has("obj"))) {
        return Err(file.error_at(
            at,
            &format!(
                "rule `{}`: the pattern needs groups `subj` and `obj`, or `parties`",
                entry.id
            ),
        ));
    }
    if kind == RelationType::Role && !has("role") {
        return Err(file.error_at(
            at,
            &format!("rule `{}`: a ROLE rule needs a `role` group", entry.id),
        ));
    }
    if let Some(unknown) = unknown_macro(&entry.pattern) {
        let written = file.text[at..].find(unknown).map_or(at, |i| at + i);
        return Err(file.error_at(
            written,
            &format!(
                "rule `{}`: unknown macro `{unknown}`; the macros are {}",
                entry.id,
                MACROS.join(", ")
            ),
        ));
    }
    let regex = compile_at(
        file,
        &entry.pattern,
        &expand(&entry.pattern, &entry.triggers, macros),
    )?;
    let optional = |p: &Option<String>| p.as_ref().map(|p| compile_at(file, p, p)).transpose();
    let unless = optional(&entry.unless)?;
    let unless_before = optional(&entry.unless_before)?;
    let mut needed_labels = Vec::new();
    if kind == RelationType::Role {
        needed_labels.extend(["⟨PER:".to_string(), "⟨ROLE:".to_string()]);
    }
    Ok(RelationRule {
        unless_before,
        needed_labels,
        unless,
        kind,
        subject: labels(file, at, &entry.subject)?,
        object: labels(file, at, &entry.object)?,
        respective,
        regex,
        entry,
    })
}

/// The macros [`expand`] knows.
const MACROS: [&str; 11] = [
    "{TRIGGER}",
    "{PARTIES}",
    "{PARTY}",
    "{ORG}",
    "{GPE}",
    "{PER}",
    "{ROLE}",
    "{LOC}",
    "{ART}",
    "{ANYM}",
    "{ANY}",
];

/// The first `{NAME}` (two or more capitals) of a pattern that is no
/// macro, such as a typo `{PARTYS}`: without this check it would reach the
/// regex compiler as a repetition and give a puzzling error.
fn unknown_macro(pattern: &str) -> Option<&str> {
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let close = after.find('}')?;
        let name = &after[..=close];
        let inner = &name[1..name.len() - 1];
        let is_class = rest[..open].ends_with(['p', 'P']); // `\p{Lu}`
        if inner.len() >= 2
            && inner.chars().all(|c| c.is_ascii_uppercase())
            && !is_class
            && !MACROS.contains(&name)
        {
            return Some(name);
        }
        rest = &after[1..];
    }
    None
}

/// Expands the macros of a relation pattern.
pub fn expand(pattern: &str, triggers: &[String], macros: &Macros) -> String {
    let party = "⟨(?:ORG|GPE):\\d+⟩";
    let article = macros.article.as_str();
    let sep = format!("{}{article}", macros.joiner);
    let one = format!(r"{party}(?:\s\({party}\))?");
    let triggers: Vec<String> = triggers.iter().map(|t| ascii_boundaries(t)).collect();
    let words = if triggers.is_empty() {
        String::new()
    } else {
        format!("(?i:{})", triggers.join("|"))
    };
    let at_word_start = trigger_at_word_start(&triggers);
    // `\b` is written Unicode-aware, but a Unicode word boundary keeps a
    // regex off the fast automaton on German text (which is never ASCII):
    // `\b{TRIGGER}` becomes a word start per trigger word, and every other
    // `\b` an ASCII boundary, which differs only next to a non-ASCII
    // letter or digit.
    let mut numbered = String::new();
    for (n, piece) in pattern.split("{TRIGGER}").enumerate() {
        if n > 0 {
            let suffix = if n == 1 { String::new() } else { n.to_string() };
            // `\b{TRIGGER}`: the boundary goes into each trigger word.
            let group = match numbered.strip_suffix(r"(?-u:\b)") {
                Some(rest) => {
                    numbered = rest.to_string();
                    &at_word_start
                }
                None => &words,
            };
            numbered.push_str(&format!("(?P<trigger{suffix}>{group})"));
        }
        numbered.push_str(&ascii_boundaries(piece));
    }
    numbered
        .replace("{PARTIES}", &format!("{one}(?:{sep}{one})*"))
        .replace("{PARTY}", party)
        .replace("{ORG}", "⟨ORG:\\d+⟩")
        .replace("{GPE}", "⟨GPE:\\d+⟩")
        .replace("{PER}", "⟨PER:\\d+⟩")
        .replace("{ROLE}", "⟨ROLE:\\d+⟩")
        .replace("{LOC}", "⟨LOC:\\d+⟩")
        .replace("{ART}", article)
        .replace("{ANYM}", ".*?")
        .replace("{ANY}", "[^⟨⟩]*?")
}

/// `pattern` with each `\b` an ASCII word boundary; an escaped backslash
/// (`\\b`) and the `\b{start}`, `\b{end}`, `\b{start-half}` and
/// `\b{end-half}` boundaries are left as written. A macro right after the
/// boundary (`\b{ANY}`) is no such boundary: that `\b` becomes ASCII too.
fn ascii_boundaries(pattern: &str) -> String {
    const SPECIAL: [&str; 4] = ["{start}", "{end}", "{start-half}", "{end-half}"];
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((at, 'b')) if !SPECIAL.iter().any(|s| pattern[at + 1..].starts_with(s)) => {
                out.push_str(r"(?-u:\b)")
            }
            Some((_, next)) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

/// The trigger words, each where a word starts: an ASCII boundary before
/// each, but none before one that starts with `\w` (it runs back to the
/// word's start by itself) or whose first letter is not ASCII (`übergehen`,
/// `[Üü]bernahme`, where an ASCII boundary never holds).
fn trigger_at_word_start(triggers: &[String]) -> String {
    let alternatives: Vec<String> = triggers
        .iter()
        .map(|t| {
            // The first letter decides (`[Üü]bernahme`, `(?:ver)?einbart`).
            let first_letter = t.trim_start_matches(['(', '?', ':', '[']).chars().next();
            let ascii_start = !t.starts_with(r"\w") && first_letter.is_some_and(|c| c.is_ascii());
            if ascii_start {
                format!(r"(?-u:\b)(?:{t})")
            } else {
                format!("(?:{t})")
            }
        })
        .collect();
    format!("(?i:{})", alternatives.join("|"))
}

/// A sentence with its mentions replaced by placeholders.
struct Abstracted {
    text: String,
}

/// Builds the abstracted form of one sentence. A parenthesis that only
/// repeats the mention before it (`Landschaftsverband Westfalen-Lippe (LWL)`,
/// `KDO Oldenburg (im Folgenden KDO)`) is left out.
fn abstract_sentence(
    body: &str,
    sentence: &Sentence,
    mentions: &[(usize, &Mention)],
) -> Abstracted {
    let mut text = String::new();
    let mut at = sentence.span.start;
    let mut i = 0;
    while i < mentions.len() {
        let (_, m) = mentions[i];
        push_collapsed(&mut text, &body[at..m.span.start]);
        text.push_str(&format!("⟨{}:{i}⟩", m.entity.label.as_str()));
        at = m.span.end;
        if let Some(skip) =
            repeating_parenthesis(body, at, sentence.span.end, m, &mentions[i + 1..])
        {
            at = skip.0;
            i += skip.1;
        }
        i += 1;
    }
    push_collapsed(&mut text, &body[at..sentence.span.end]);
    Abstracted { text }
}

/// If `( … )` right after `m` holds only mentions of m's entity, returns the
/// byte after `)` and how many mentions it holds.
fn repeating_parenthesis(
    body: &str,
    at: usize,
    end: usize,
    m: &Mention,
    rest: &[(usize, &Mention)],
) -> Option<(usize, usize)> {
    let after = &body[at..end.max(at)];
    let open = after.len() - after.trim_start().len();
    if !after[open..].starts_with('(') {
        return None;
    }
    let close = at + open + after[open..].find(')')?;
    let inside: Vec<_> = rest
        .iter()
        .take_while(|(_, n)| n.span.end <= close)
        .collect();
    let only_same = !inside.is_empty() && inside.iter().all(|(_, n)| n.entity.id == m.entity.id);
    only_same.then_some((close + 1, inside.len()))
}

fn push_collapsed(out: &mut String, piece: &str) {
    let mut last_space = out.ends_with(' ');
    for c in piece.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            // Placeholder brackets in the text itself must not pose as mentions.
            out.push(match c {
                '⟨' => '〈',
                '⟩' => '〉',
                c => c,
            });
            last_space = false;
        }
    }
}

/// The positions in the sentence's mentions named by placeholders in a
/// piece of abstracted text.
fn placeholders(text: &str) -> Vec<usize> {
    text.split('⟨')
        .skip(1)
        .filter_map(|p| p.split('⟩').next()?.split(':').nth(1)?.parse().ok())
        .collect()
}

/// Applies every pattern rule to one sentence.
pub(super) fn apply(
    rules: &PatternRules,
    body: &str,
    sentence: &Sentence,
    in_sentence: &[(usize, &Mention)],
    sentence_idx: usize,
    mentions: &[Mention],
    found: &mut Found,
) {
    let abstracted = abstract_sentence(body, sentence, in_sentence);
    let open = rules.gate.open_rules(&abstracted.text);
    for (rule, _) in rules.rules.iter().zip(open).filter(|(_, open)| *open) {
        apply_rule(
            rule,
            &abstracted.text,
            in_sentence,
            sentence_idx,
            mentions,
            found,
        );
    }
}

fn apply_rule(
    rule: &RelationRule,
    text: &str,
    in_sentence: &[(usize, &Mention)],
    sentence_idx: usize,
    mentions: &[Mention],
    out: &mut Found,
) {
    // A rule's subject and object need a mention of their labels.
    let has = |labels: &[Label]| {
        labels.is_empty()
            || in_sentence
                .iter()
                .any(|(_, m)| labels.contains(&m.entity.label))
    };
    if !has(&rule.subject)
        || !has(&rule.object)
        || rule
            .needed_labels
            .iter()
            .any(|l| !text.contains(l.as_str()))
    {
        return;
    }
    for found in rule.regex.captures_iter(text) {
        let Some(whole) = found.get(0) else { continue };
        let before = &text[..whole.start()];
        if rule
            .unless
            .as_ref()
            .is_some_and(|u| u.is_match(whole.as_str()))
            || rule
                .unless_before
                .as_ref()
                .is_some_and(|u| u.is_match(before))
        {
            continue;
        }
        let group = |name: &str| {
            let mut found_ids = Vec::new();
            for name in [name.to_string(), format!("{name}2")] {
                if let Some(m) = found.name(&name) {
                    found_ids.extend(placeholders(m.as_str()));
                }
            }
            found_ids
        };
        let (subjects, objects, parties) = (group("subj"), group("obj"), group("parties"));
        if [&subjects, &objects, &parties]
            .iter()
            .any(|g| g.len() > MAX_GROUP_MENTIONS)
        {
            continue;
        }
        let role = group("role").first().map(|&r| in_sentence[r].0);
        let trigger = ["trigger", "trigger2", "trigger3"]
            .iter()
            .find_map(|g| found.name(g))
            .map(|m| m.as_str().to_string())
            .filter(|t| !t.is_empty());
        let trigger = trigger
            .or_else(|| role.map(|r| mentions[r].entity.canonical.clone()))
            .unwrap_or_default();
        let pairs = if found.name("parties").is_some() {
            let mut pairs = Vec::new();
            for (i, &a) in parties.iter().enumerate() {
                pairs.extend(parties[i + 1..].iter().map(|&b| (a, b)));
            }
            pairs
        } else if rule.respective {
            subjects.into_iter().zip(objects).collect()
        } else {
            subjects
                .into_iter()
                .flat_map(|s| objects.iter().map(move |&o| (s, o)))
                .collect()
        };
        for (s, o) in pairs {
            let (subject_ref, object_ref) = (
                super::reference_span(in_sentence[s].1),
                super::reference_span(in_sentence[o].1),
            );
            let (s, o) = (in_sentence[s].0, in_sentence[o].0);
            let (subject, object) = (&mentions[s], &mentions[o]);
            if !rule.subject.contains(&subject.entity.label)
                || !rule.object.contains(&object.entity.label)
                || subject.entity.id == object.entity.id
            {
                continue;
            }
            out.push(
                mentions,
                Relation {
                    kind: rule.kind,
                    sentence_idx,
                    subject: s,
                    object: o,
                    subject_ref,
                    object_ref,
                    role,
                    trigger: trigger.clone(),
                    rule_id: rule.entry.id.clone(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `[macros]` word lists that ship build the very expressions the
    /// macros stood for when they were written in Rust.
    #[test]
    fn shipped_macro_words_build_the_former_expressions() {
        let rules = PatternRules::load(&Source::folder(std::path::Path::new("rules"))).unwrap();
        assert_eq!(
            rules.macros.article,
            r"(?:(?:die|der|das|den|dem|des)\s)?(?:(?:Städte|Städten|Gemeinden|Kommunen|Kreise|Kreisen|Landkreise|Landkreisen|Länder|Ländern|Zweckverbände|Zweckverbänden)\s)?"
        );
        let joiner = Regex::new(&format!("^{}$", rules.macros.joiner)).unwrap();
        let former =
            Regex::new(r"^(?:,\s|\s(?:und|sowie|oder|bzw\.)\s|,\s(?:und|sowie)\s)$").unwrap();
        for text in [
            ", ", " und ", " sowie ", " oder ", " bzw. ", ", und ", ", sowie ", " bzw ", ",und ",
            " und", "und ",
        ] {
            assert_eq!(joiner.is_match(text), former.is_match(text), "{text:?}");
        }
        assert_eq!(
            rules.macros.joiner,
            r"(?:,\s|\sund\s|\ssowie\s|\soder\s|\sbzw\.\s|,\sund\s|,\ssowie\s)"
        );
    }

    #[test]
    fn joiners_and_several_words() {
        assert_eq!(joiner(","), r",\s");
        assert_eq!(joiner("und"), r"\sund\s");
        assert_eq!(joiner(", sowie"), r",\ssowie\s");
        assert_eq!(words_regex("die beiden"), r"die\sbeiden");
    }
}

#[cfg(test)]
mod boundary_tests {
    use super::ascii_boundaries;

    #[test]
    fn only_real_word_boundaries_become_ascii_ones() {
        assert_eq!(ascii_boundaries(r"\bmit\s"), r"(?-u:\b)mit\s");
        assert_eq!(ascii_boundaries(r"a\\b"), r"a\\b");
        assert_eq!(ascii_boundaries(r"\b{start}x"), r"\b{start}x");
        assert_eq!(ascii_boundaries(r"\b{end-half}"), r"\b{end-half}");
        // A macro after the boundary is no `\b{start}`-style boundary.
        assert_eq!(
            ascii_boundaries(r"x\b{ANY}\b{ART}"),
            r"x(?-u:\b){ANY}(?-u:\b){ART}"
        );
        assert_eq!(ascii_boundaries(r"\B\d"), r"\B\d");
    }
}
