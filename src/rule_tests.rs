//! `ikz rules test`: runs the examples and counter-examples that the rule
//! files carry, through the whole pipeline, and says which ones fail.
//!
//! Exists so that a rule author — a domain expert, not a Rust programmer —
//! learns within a second of an edit whether every rule still does what
//! its examples say, the way LanguageTool's rule examples work. Each
//! failure names the file and line of the example, the rule and what was
//! expected and found, as `file:line: rule: expected … got …`. The same
//! runner is what `cargo test` and `ikz rules check` use, so there is one
//! meaning of "the examples pass".
//!
//! What each kind of example checks:
//! - `relations.toml` pattern rules: every relation an example lists comes
//!   from that rule (`subject | object [| role]`, mention texts; either
//!   order for the symmetric types); a counter-example gives none from it.
//! - `triggers.toml`, `role_links.toml`, `references.toml` `[[example]]`s:
//!   exactly the relations (any rule), ROLE links or references listed.
//! - `entities.toml` patterns: every listed text is a mention found by the
//!   pattern; a counter-example gives no mention by it.
//! - `boilerplate.toml` `[[drop]]` and `[[teaser_marker]]` rules: an example
//!   line is taken by that rule, a counter-example line is not.

use std::fmt;

use anyhow::Result;

use crate::input::RawDocument;
use crate::model::{Document, RelationType};
use crate::pipeline::{Rules, process};
use crate::rules::{RuleFile, Source};

/// One example that did not give what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The rule file as shown to the user (`rules/relations.toml`).
    pub file: String,
    /// The example's line in it (the rule's line if the text is not found
    /// as written, such as one with escapes).
    pub line: usize,
    /// The rule's id (`example` for the `[[example]]`s of a whole file).
    pub rule: String,
    /// The example text.
    pub text: String,
    /// What it should give.
    pub expected: String,
    /// What it gave.
    pub got: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: `{}`: expected {} got {}",
            self.file, self.line, self.rule, self.text, self.expected, self.got
        )
    }
}

/// The outcome of running every example.
#[derive(Debug, Default)]
pub struct Report {
    /// Examples and counter-examples run.
    pub examples: usize,
    /// Those that failed, in file order.
    pub failures: Vec<Failure>,
}

/// Where examples of one rule file are found, to give them a line.
struct Lines {
    file: RuleFile,
}

impl Lines {
    fn open(rules: &Source, name: &str) -> Result<Lines> {
        Ok(Lines {
            file: rules.open(name)?,
        })
    }

    /// The line of `text` (as written, in quotes) after the line that gives
    /// `rule` its id; the rule's own line if the text is written with
    /// escapes; line 1 if neither is found.
    fn line_of(&self, rule: Option<&str>, text: &str) -> usize {
        let body = &self.file.text;
        let start = rule
            .and_then(|id| body.find(&format!("\"{id}\"")))
            .unwrap_or(0);
        let at = body[start..].find(text).map(|i| start + i).unwrap_or(start);
        body[..at].matches('\n').count() + 1
    }

    fn failure(&self, rule: Option<&str>, text: &str, expected: String, got: String) -> Failure {
        Failure {
            file: self.file.path.clone(),
            line: self.line_of(rule, text),
            rule: rule.unwrap_or("example").to_string(),
            text: text.to_string(),
            expected,
            got,
        }
    }
}

/// Runs every example of the rule files in `rules` (the folder the rules
/// were loaded from) against the loaded `compiled` rules.
pub fn run(compiled: &Rules, rules: &Source) -> Result<Report> {
    let mut report = Report::default();
    relation_patterns(
        compiled,
        &Lines::open(rules, "relations.toml")?,
        &mut report,
    );
    trigger_frames(compiled, &Lines::open(rules, "triggers.toml")?, &mut report);
    role_links(
        compiled,
        &Lines::open(rules, "role_links.toml")?,
        &mut report,
    );
    references(
        compiled,
        &Lines::open(rules, "references.toml")?,
        &mut report,
    );
    entity_patterns(compiled, &Lines::open(rules, "entities.toml")?, &mut report);
    line_rules(
        compiled,
        &Lines::open(rules, "boilerplate.toml")?,
        &mut report,
    );
    Ok(report)
}

/// Runs `text` through every stage as a document of its own.
fn document(text: &str, rules: &Rules) -> Document {
    let raw = RawDocument {
        doc_id: "example".to_string(),
        source: "example".to_string(),
        text: text.to_string(),
        encoding: "UTF-8".to_string(),
    };
    process(raw, rules)
}

/// The mention texts of a relation: `subject | object`, `| role` for ROLE.
fn relation_text(doc: &Document, r: &crate::model::Relation) -> String {
    let pair = pair_text(doc, r);
    match r.role.and_then(|i| doc.mentions.get(i)) {
        Some(role) => format!("{pair} | {}", doc.slice(role.span)),
        None => pair,
    }
}

/// `subject | object` of a relation, as mention texts.
fn pair_text(doc: &Document, r: &crate::model::Relation) -> String {
    let text = |i: usize| doc.mentions.get(i).map_or("?", |m| doc.slice(m.span));
    format!("{} | {}", text(r.subject), text(r.object))
}

/// `A | B` as `B | A`, for the symmetric types.
fn flipped(pair: &str) -> String {
    let mut parts: Vec<&str> = pair.split(" | ").collect();
    if parts.len() >= 2 {
        parts.swap(0, 1);
    }
    parts.join(" | ")
}

fn listed(items: &[String]) -> String {
    format!("{items:?}")
}

fn relation_patterns(rules: &Rules, lines: &Lines, report: &mut Report) {
    for rule in &rules.relations.patterns.rules {
        let id = rule.entry.id.as_str();
        let symmetric = RelationType::parse(&rule.entry.kind).is_some_and(|k| k.is_symmetric());
        let produced = |text: &str| -> Vec<String> {
            let doc = document(text, rules);
            doc.relations
                .iter()
                .filter(|r| r.rule_id == id)
                .map(|r| relation_text(&doc, r))
                .collect()
        };
        let examples = rule
            .entry
            .examples
            .iter()
            .map(|e| (e.text.as_str(), e.expect.as_slice()));
        let found =
            |got: &[String], e: &String| got.contains(e) || symmetric && got.contains(&flipped(e));
        let counter_examples = &rule.entry.counter_examples;
        one_rule(
            lines,
            report,
            id,
            examples,
            counter_examples,
            produced,
            found,
        );
    }
}

/// Runs one rule's examples and counter-examples: every item an example
/// expects must be `found` among what the rule `produced` from its text,
/// and a counter-example must produce nothing.
fn one_rule<'a>(
    lines: &Lines,
    report: &mut Report,
    id: &str,
    examples: impl Iterator<Item = (&'a str, &'a [String])>,
    counter_examples: &[String],
    produced: impl Fn(&str) -> Vec<String>,
    found: impl Fn(&[String], &String) -> bool,
) {
    for (text, expect) in examples {
        report.examples += 1;
        let got = produced(text);
        let missing: Vec<String> = expect.iter().filter(|e| !found(&got, e)).cloned().collect();
        if !missing.is_empty() {
            let failure = lines.failure(Some(id), text, listed(&missing), listed(&got));
            report.failures.push(failure);
        }
    }
    for text in counter_examples {
        report.examples += 1;
        let got = produced(text);
        if !got.is_empty() {
            let failure = lines.failure(Some(id), text, "nothing".into(), listed(&got));
            report.failures.push(failure);
        }
    }
}

/// Sorted and without repeats, so lists compare as sets.
fn set(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

fn trigger_frames(rules: &Rules, lines: &Lines, report: &mut Report) {
    for example in &rules.relations.frames.examples {
        report.examples += 1;
        let doc = document(&example.text, rules);
        // Any rule counts: a pattern rule may find the relation first.
        let got: Vec<(RelationType, String)> = doc
            .relations
            .iter()
            .map(|r| (r.kind, pair_text(&doc, r)))
            .collect();
        let matches = |written: &str, (kind, pair): &(RelationType, String)| {
            let (ty, rest) = written.split_once(' ').unwrap_or((written, ""));
            ty == kind.as_str() && (rest == pair || kind.is_symmetric() && flipped(rest) == *pair)
        };
        let all_found = example
            .expect
            .iter()
            .all(|e| got.iter().any(|g| matches(e, g)));
        let nothing_else = got
            .iter()
            .all(|g| example.expect.iter().any(|e| matches(e, g)));
        if !(all_found && nothing_else) {
            let got = got
                .iter()
                .map(|(k, p)| format!("{} {p}", k.as_str()))
                .collect();
            report.failures.push(lines.failure(
                None,
                &example.text,
                listed(&set(example.expect.clone())),
                listed(&set(got)),
            ));
        }
    }
}

fn role_links(rules: &Rules, lines: &Lines, report: &mut Report) {
    for example in &rules.relations.roles.examples {
        report.examples += 1;
        let doc = document(&example.text, rules);
        let got: Vec<String> = doc
            .relations
            .iter()
            .filter(|r| r.rule_id.starts_with("role:"))
            .map(|r| {
                let text = relation_text(&doc, r);
                if r.role.is_some() {
                    text
                } else {
                    format!("{text} | ")
                }
            })
            .collect();
        let (got, expected) = (set(got), set(example.expect.clone()));
        if got != expected {
            let failure = lines.failure(None, &example.text, listed(&expected), listed(&got));
            report.failures.push(failure);
        }
    }
}

fn references(rules: &Rules, lines: &Lines, report: &mut Report) {
    for example in &rules.references.examples {
        report.examples += 1;
        let doc = document(&example.text, rules);
        let got: Vec<String> = doc
            .references
            .iter()
            .map(|r| {
                let antecedent = doc
                    .mentions
                    .get(r.antecedent)
                    .map_or("?", |m| doc.slice(m.span));
                format!("{} = {antecedent}", doc.slice(r.span))
            })
            .collect();
        if got != example.expect {
            let failure = lines.failure(None, &example.text, listed(&example.expect), listed(&got));
            report.failures.push(failure);
        }
    }
}

fn entity_patterns(rules: &Rules, lines: &Lines, report: &mut Report) {
    for pattern in rules.entities.pattern_examples() {
        let produced = |text: &str| -> Vec<String> {
            let doc = document(text, rules);
            doc.mentions
                .iter()
                .filter(|m| m.rule_id == pattern.id)
                .map(|m| doc.slice(m.span).to_string())
                .collect()
        };
        let examples = pattern
            .examples
            .iter()
            .map(|e| (e.text.as_str(), e.expect.as_slice()));
        let found = |got: &[String], e: &String| got.contains(e);
        let counter_examples = pattern.counter_examples;
        one_rule(
            lines,
            report,
            pattern.id,
            examples,
            counter_examples,
            produced,
            found,
        );
    }
}

fn line_rules(rules: &Rules, lines: &Lines, report: &mut Report) {
    let boilerplate = &rules.boilerplate;
    for rule in &boilerplate.line_examples {
        let taken_by = |line: &str| boilerplate.line_rule(line);
        for line in &rule.examples {
            report.examples += 1;
            let got = taken_by(line);
            if got.as_deref() != Some(rule.rule.as_str()) {
                let got = got.unwrap_or_else(|| "no rule (kept)".into());
                let failure = lines.failure(Some(&rule.id), line, rule.rule.clone(), got);
                report.failures.push(failure);
            }
        }
        for line in &rule.counter_examples {
            report.examples += 1;
            if taken_by(line).as_deref() == Some(rule.rule.as_str()) {
                let failure = lines.failure(
                    Some(&rule.id),
                    line,
                    "not this rule".into(),
                    rule.rule.clone(),
                );
                report.failures.push(failure);
            }
        }
    }
}
