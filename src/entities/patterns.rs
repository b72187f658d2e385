//! Entity patterns from `rules/entities.toml`: regular expressions with
//! macros for what no list can hold (head nouns, legal forms, ministries).

use anyhow::Result;
use regex_automata::meta::Regex;
use serde::Deserialize;

use crate::model::Label;
use crate::rules::RuleFile;
use crate::rules::compile_meta_at;

/// One pattern as written in the rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    /// Appears in the `rule_id` column.
    pub id: String,
    /// `ORG`, `GPE`, `LOC`, `PER` or `ROLE`.
    pub label: String,
    /// The entity kind of what it finds.
    pub kind: String,
    /// The regular expression, with macros.
    pub regex: String,
    /// Words that, as the first word of the mention, cancel the match.
    #[serde(default)]
    pub not_names: Vec<String>,
    /// Texts in which the pattern must find the mentions listed
    /// (`ikz rules test` runs them).
    pub examples: Vec<MentionExample>,
    /// Texts in which the pattern must find nothing.
    pub counter_examples: Vec<String>,
}

/// An example text of an entity pattern and the mention texts the pattern
/// must find in it.
#[derive(serde::Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct MentionExample {
    /// The text, run through the whole pipeline.
    pub text: String,
    /// Mention texts (as written) that must carry the pattern's rule id.
    pub expect: Vec<String>,
}

/// A compiled pattern.
pub struct Pattern {
    /// The rule id.
    pub id: String,
    /// The label of what it finds.
    pub label: Label,
    /// The entity kind of what it finds.
    pub kind: String,
    /// The compiled expression. Where it names a group `mention`, only
    /// that group is the mention; the words before it are context (`der
    /// IT-Dienstleister Kommunix` → `Kommunix`). A meta regex, for the
    /// anchored searches of `candidates.rs`.
    pub regex: Regex,
    /// The expression with its macros expanded (for the literal gate).
    pub expanded: String,
    /// Words that, as the mention's first word, cancel the match (`der
    /// IT-Dienstleister Anfang 2020` names nobody).
    pub not_names: Vec<String>,
    /// The examples of the rule file (for `ikz rules test`).
    pub examples: Vec<MentionExample>,
    /// The counter-examples of the rule file.
    pub counter_examples: Vec<String>,
}

/// One capitalised word: letters, digits, inner dots (`LWL.IT`) and inner
/// hyphens (`Rhein-Erft-Rur`, not the `Netz-` of `Netz- und Rechnerkapazitäten`).
pub const WORD: &str = r"(?:\p{Lu}|\d+\p{L})(?:[\p{L}\d&/]|[-.][\p{L}\d])*";

/// Expands the macros of a pattern.
pub fn expand(regex: &str, land_names: &[String], connectors: &[String]) -> String {
    let connectors: Vec<String> = connectors.iter().map(|c| regex::escape(c)).collect();
    let connectors = connectors.join("|");
    let name = format!(r"{WORD}(?:(?:\s+|\s+(?:{connectors})\s+){WORD}){{0,5}}");
    let mut lands: Vec<String> = land_names.iter().map(|n| regex::escape(n)).collect();
    lands.sort_by_key(|n| std::cmp::Reverse(n.len()));
    regex
        .replace("{NAME}", &format!("(?P<name>{name})"))
        .replace("{WORD}", &format!("(?P<name>{WORD})"))
        .replace("{LAND}", &format!("(?:{})", lands.join("|")))
}

/// Compiles the patterns, checking labels.
pub fn compile_patterns(
    file: &RuleFile,
    raw: &[PatternFile],
    land_names: &[String],
    connectors: &[String],
) -> Result<Vec<Pattern>> {
    let mut seen = std::collections::HashSet::new();
    for p in raw {
        if !seen.insert(p.id.clone()) {
            let at = file.text.find(&format!("\"{}\"", p.id)).unwrap_or(0);
            return Err(file.error_at(at, &format!("duplicate pattern id `{}`", p.id)));
        }
    }
    crate::rules::compile_in_parallel(raw, |p| {
        let at = file.text.find(&format!("\"{}\"", p.id)).unwrap_or(0);
        let label = Label::parse(&p.label).ok_or_else(|| {
            file.error_at(
                at,
                &format!(
                    "unknown label `{}`; use ORG, GPE, LOC, PER or ROLE",
                    p.label
                ),
            )
        })?;
        if let Some(empty) = p.examples.iter().find(|e| e.expect.is_empty()) {
            return Err(file.error_at(
                at,
                &format!(
                    "pattern `{}`: the example `{}` lists no mention; an example says what \
                     the pattern finds (write texts where it finds nothing as counter_examples)",
                    p.id, empty.text
                ),
            ));
        }
        if p.examples.is_empty() || p.counter_examples.is_empty() {
            return Err(file.error_at(
                at,
                &format!(
                    "pattern `{}` needs at least one example and one counter-example",
                    p.id
                ),
            ));
        }
        let expanded = expand(&p.regex, land_names, connectors);
        Ok(Pattern {
            id: p.id.clone(),
            label,
            kind: p.kind.clone(),
            regex: compile_meta_at(file, &p.regex, &expanded)?,
            expanded,
            not_names: p.not_names.clone(),
            examples: p.examples.clone(),
            counter_examples: p.counter_examples.clone(),
        })
    })
}
