//! Stage 5: relations between the mentions of one sentence.
//!
//! Three kinds of rules find them, each in its own module and rule file:
//!
//! - [`roles`] attaches every role title (a ROLE mention) to its person and
//!   to the unit it is held at, from the few words between the mentions
//!   around it (`rules/role_links.toml`): `Landrat Klaus Brenner`,
//!   `Klaus Brenner, Geschäftsführer der KDO`, `KDO-Geschäftsführer …`.
//! - [`patterns`] are regular expressions over a whole abstracted sentence
//!   (`rules/relations.toml`), for constructions no frame covers.
//! - [`frames`] reads the other types from trigger words and the argument
//!   frames they take (`rules/triggers.toml`): `A und B kooperieren`, `die
//!   Fusion von A und B`, `A ist Gesellschafterin der B`.
//!
//! All three see one sentence at a time as a [`SentenceView`]: its mentions in
//! order and the text between them. They run in that order, and [`Found`]
//! keeps one row per relation and sentence, so the first rule that finds a
//! relation is the one named in `rule_id`.

pub mod frames;
pub mod patterns;
pub mod roles;

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use crate::model::{Label, Mention, Relation, RelationType, Sentence};
use crate::rules::Source;

pub use frames::TriggerFrames;
pub use patterns::{PatternRules, RelationRule, RuleEntry};
pub use roles::RoleLinks;

/// An invented sentence of `role_links.toml` or `triggers.toml` with the
/// relations it must give (mention texts, in the file's own format);
/// `expect = []` is a counter-example. `cargo test` runs them all.
#[derive(serde::Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// The relations it must give.
    pub expect: Vec<String>,
}

/// Sentences longer than this (in bytes) get no relations: no real sentence
/// is that long, and it keeps the work per sentence bounded.
pub const MAX_SENTENCE_BYTES: usize = 4_000;

/// A group with more mentions than this is no real list of parties; such a
/// match is skipped, so no sentence can ask for millions of pairs.
pub const MAX_GROUP_MENTIONS: usize = 40;

/// Every relation rule, compiled.
pub struct RelationRules {
    /// How role titles attach to persons and units.
    pub roles: RoleLinks,
    /// The pattern rules of `relations.toml`, in file order.
    pub patterns: PatternRules,
    /// Trigger words and the argument frames they take.
    pub frames: TriggerFrames,
}

impl RelationRules {
    /// Loads and validates `role_links.toml`, `relations.toml` and
    /// `triggers.toml`.
    pub fn load(rules: &Source) -> Result<RelationRules> {
        Ok(RelationRules {
            roles: RoleLinks::load(rules)?,
            patterns: PatternRules::load(rules)?,
            frames: TriggerFrames::load(rules)?,
        })
    }
}

/// One sentence as the relation rules see it: its mentions in order, and
/// the text between neighbours with white space collapsed.
pub struct SentenceView<'a> {
    body: &'a str,
    sentence: &'a Sentence,
    /// The sentence's mentions: (index into the document's mentions, mention).
    pub mentions: Vec<(usize, &'a Mention)>,
}

impl<'a> SentenceView<'a> {
    /// The label of the `i`-th mention of the sentence.
    pub fn label(&self, i: usize) -> Label {
        self.mentions[i].1.entity.label
    }

    /// The text of the `i`-th mention as written.
    pub fn text(&self, i: usize) -> &'a str {
        let span = self.mentions[i].1.span;
        &self.body[span.start..span.end]
    }

    /// The text between mention `i` and mention `i + 1`, white space
    /// collapsed to single spaces and trimmed.
    pub fn gap_after(&self, i: usize) -> String {
        let start = self.mentions[i].1.span.end;
        let end = self
            .mentions
            .get(i + 1)
            .map(|(_, m)| m.span.start)
            .unwrap_or(self.sentence.span.end);
        collapse(self.body.get(start..end.max(start)).unwrap_or(""))
    }

    /// The sentence's text.
    pub fn text_of_sentence(&self) -> &'a str {
        self.body
            .get(self.sentence.span.start..self.sentence.span.end)
            .unwrap_or("")
    }

    /// Where the sentence starts in the body (bytes).
    pub fn sentence_start(&self) -> usize {
        self.sentence.span.start
    }

    /// Whether the body byte `at` lies inside one of the sentence's mentions.
    pub fn inside_mention(&self, at: usize) -> bool {
        self.mentions
            .iter()
            .any(|(_, m)| m.span.start <= at && at < m.span.end)
    }

    /// The body text between two byte offsets, white space collapsed and
    /// trimmed (empty if they are out of order).
    pub fn between(&self, start: usize, end: usize) -> String {
        collapse(self.body.get(start..end).unwrap_or(""))
    }

    /// Whether mention `i` is glued to a hyphen before it (`KDO-Geschäftsführer`,
    /// `vote iT-Geschäftsführer`), whatever stands before the hyphen.
    pub fn after_hyphen(&self, i: usize) -> bool {
        let start = self.mentions[i].1.span.start;
        self.body
            .get(..start)
            .is_some_and(|before| before.ends_with('-'))
    }

    /// The text between mention `i - 1` (or the sentence start) and mention `i`.
    pub fn gap_before(&self, i: usize) -> String {
        match i {
            0 => {
                let end = self.mentions[0].1.span.start;
                collapse(self.body.get(self.sentence.span.start..end).unwrap_or(""))
            }
            _ => self.gap_after(i - 1),
        }
    }
}

/// `text` with every run of white space made one space, and trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The relations found so far in a document, one per (type, pair, role)
/// and sentence.
#[derive(Default)]
pub struct Found {
    seen: HashSet<(RelationType, String, String, String, usize)>,
    relations: Vec<Relation>,
}

impl Found {
    /// Adds `relation` unless an earlier rule found the same one in the
    /// same sentence, or its arguments are one entity.
    pub fn push(&mut self, mentions: &[Mention], relation: Relation) {
        let (subject, object) = (&mentions[relation.subject], &mentions[relation.object]);
        if subject.entity.id == object.entity.id {
            return;
        }
        let role = relation
            .role
            .map(|r| mentions[r].entity.canonical.clone())
            .unwrap_or_default();
        let (a, b) = (subject.entity.id.clone(), object.entity.id.clone());
        let (a, b) = if relation.kind.is_symmetric() && b < a {
            (b, a)
        } else {
            (a, b)
        };
        if self
            .seen
            .insert((relation.kind, a, b, role, relation.sentence_idx))
        {
            self.relations.push(relation);
        }
    }
}

/// The organisation a page is about: the ORG named most often, at least
/// three times and more often than any other. Returns its mention written
/// the way the page writes it most often.
fn page_body(body: &str, mentions: &[Mention]) -> Option<usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in mentions.iter().filter(|m| m.entity.label == Label::Org) {
        *counts.entry(m.entity.id.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (id, n) = *ranked.first()?;
    if n < 3 || ranked.get(1).is_some_and(|r| r.1 == n) {
        return None;
    }
    let text = |m: &Mention| body.get(m.span.start..m.span.end).unwrap_or("");
    let of_body: Vec<usize> = (0..mentions.len())
        .filter(|&i| mentions[i].entity.id == id)
        .collect();
    let usual = |i: &usize| {
        let written = text(&mentions[*i]);
        of_body
            .iter()
            .filter(|&&j| text(&mentions[j]) == written)
            .count()
    };
    // The most frequent spelling; among equals, the first.
    of_body
        .iter()
        .copied()
        .max_by(|a, b| usual(a).cmp(&usual(b)).then(b.cmp(a)))
}

/// Finds the relations of one document.
pub fn extract(
    body: &str,
    sentences: &[Sentence],
    mentions: &[Mention],
    rules: &RelationRules,
) -> Vec<Relation> {
    let mut found = Found::default();
    let page_body = page_body(body, mentions);
    let mut first = 0;
    for (s_idx, sentence) in sentences.iter().enumerate() {
        let count = mentions[first..]
            .iter()
            .take_while(|m| m.sentence_idx == s_idx)
            .count();
        let in_sentence: Vec<(usize, &Mention)> =
            (first..first + count).map(|i| (i, &mentions[i])).collect();
        first += count;
        if in_sentence.len() < 2 || sentence.span.len() > MAX_SENTENCE_BYTES {
            continue;
        }
        let view = SentenceView {
            body,
            sentence,
            mentions: in_sentence,
        };
        roles::apply(&rules.roles, &view, s_idx, mentions, page_body, &mut found);
        patterns::apply(
            &rules.patterns,
            body,
            sentence,
            &view.mentions,
            s_idx,
            mentions,
            &mut found,
        );
        frames::apply(&rules.frames, &view, s_idx, mentions, &mut found);
    }
    let mut out = found.relations;
    // Rows in order of position: sentence, then where the pair stands.
    out.sort_by_key(|r| {
        let (a, b) = (
            mentions[r.subject].span.start,
            mentions[r.object].span.start,
        );
        (r.sentence_idx, a.min(b), a.max(b))
    });
    out
}
