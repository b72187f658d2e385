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

use std::collections::HashSet;
use std::sync::Arc;

use anyhow::Result;

use crate::model::{Label, Mention, Method, Relation, RelationType, Sentence, Span};
use crate::references::{Reference, page_body};
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

/// For each reference, a mention at the reference's place that carries the
/// entity it was resolved to: what the rules see. It starts after the
/// article, so that the rules see `des` in the gap as they do before a name.
fn stand_ins(body: &str, mentions: &[Mention], references: &[Reference]) -> Vec<Mention> {
    references
        .iter()
        .map(|r| Mention {
            span: without_article(body, r.span),
            sentence_idx: r.sentence_idx,
            entity: Arc::clone(&mentions[r.antecedent].entity),
            method: Method::Reference,
            rule_id: String::new(),
        })
        .collect()
}

/// `span` without its first word.
fn without_article(body: &str, span: Span) -> Span {
    let words = body.get(span.start..span.end).unwrap_or("");
    match words.find(char::is_whitespace) {
        Some(space) => {
            let rest = &words[space..];
            Span::new(
                span.start + space + (rest.len() - rest.trim_start().len()),
                span.end,
            )
        }
        None => span,
    }
}

/// The reference whose stand-in covers `span`, as its whole words
/// (references are in order of position and do not overlap, except the
/// references of one plural description, which share one span).
fn whole_reference(references: &[Reference], span: Option<Span>) -> Option<Span> {
    let span = span?;
    let at = references.partition_point(|r| r.span.start <= span.start);
    references[..at]
        .last()
        .filter(|r| r.span.contains(&span))
        .map(|r| r.span)
}

/// Where `mention` is a reference's stand-in, the words of the reference
/// (without its article; [`extract`] widens it to the whole reference).
pub fn reference_span(mention: &Mention) -> Option<Span> {
    (mention.method == Method::Reference).then_some(mention.span)
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
    /// A symmetric relation (`COOPERATION`, `MERGER`) is stored with the
    /// smaller entity id as its subject (DESIGN.md), so that one pair has
    /// one direction however the sentence put it.
    pub fn push(&mut self, mentions: &[Mention], mut relation: Relation) {
        let (subject, object) = (&mentions[relation.subject], &mentions[relation.object]);
        if subject.entity.id == object.entity.id {
            return;
        }
        if relation.kind.is_symmetric() && object.entity.id < subject.entity.id {
            std::mem::swap(&mut relation.subject, &mut relation.object);
            std::mem::swap(&mut relation.subject_ref, &mut relation.object_ref);
        }
        let role = relation
            .role
            .map(|r| mentions[r].entity.canonical.clone())
            .unwrap_or_default();
        let a = mentions[relation.subject].entity.id.clone();
        let b = mentions[relation.object].entity.id.clone();
        if self
            .seen
            .insert((relation.kind, a, b, role, relation.sentence_idx))
        {
            self.relations.push(relation);
        }
    }
}

/// Finds the relations of one document. Each reference takes part as a
/// party standing for the entity it was resolved to.
pub fn extract(
    body: &str,
    sentences: &[Sentence],
    mentions: &[Mention],
    references: &[Reference],
    rules: &RelationRules,
) -> Vec<Relation> {
    let mut found = Found::default();
    let page_body = page_body(body, mentions);
    let stand_ins = stand_ins(body, mentions, references);
    let (mut first, mut first_ref) = (0, 0);
    for (s_idx, sentence) in sentences.iter().enumerate() {
        let count = mentions[first..]
            .iter()
            .take_while(|m| m.sentence_idx == s_idx)
            .count();
        let ref_count = references[first_ref..]
            .iter()
            .take_while(|r| r.sentence_idx == s_idx)
            .count();
        let mut in_sentence: Vec<(usize, &Mention)> =
            (first..first + count).map(|i| (i, &mentions[i])).collect();
        in_sentence.extend(
            (first_ref..first_ref + ref_count).map(|i| (references[i].antecedent, &stand_ins[i])),
        );
        in_sentence.sort_by_key(|(_, m)| m.span.start);
        first += count;
        first_ref += ref_count;
        if in_sentence.len() < 2 || sentence.span.len() > MAX_SENTENCE_BYTES {
            continue;
        }
        let view = SentenceView {
            body,
            sentence,
            mentions: in_sentence,
        };
        roles::apply(&rules.roles, &view, s_idx, mentions, page_body, &mut found);
        // Whole-sentence patterns were written for names only: they see no
        // references.
        let named: Vec<(usize, &Mention)> = view
            .mentions
            .iter()
            .copied()
            .filter(|(_, m)| reference_span(m).is_none())
            .collect();
        if named.len() >= 2 {
            patterns::apply(
                &rules.patterns,
                body,
                sentence,
                &named,
                s_idx,
                mentions,
                &mut found,
            );
        }
        frames::apply(&rules.frames, &view, s_idx, mentions, &mut found);
    }
    let mut out = found.relations;
    for r in &mut out {
        r.subject_ref = whole_reference(references, r.subject_ref);
        r.object_ref = whole_reference(references, r.object_ref);
    }
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
