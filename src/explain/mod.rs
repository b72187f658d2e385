//! `ikz explain`: one document as the pipeline saw it, for the people who
//! write rules.
//!
//! The report walks the stages in order. First every line of the page,
//! kept (`+`) or dropped (`-`) with the rule that dropped it; then each
//! sentence of the body with its mentions (label, entity id, method, rule
//! id), the descriptions the reference stage linked to an entity, the
//! relations (type, arguments, reference, trigger, rule id) and the
//! *candidate misses*: a trigger word of some relation type and two or more
//! parties in the sentence, yet no relation of that type — the first place
//! to look when a rule did not fire. Offsets are character offsets into the
//! body, as in the tables, so a line of the report finds its row there.
//! [`html`] gives the same report as a static page (`--html OUT.html`).

pub mod html;

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::boilerplate::LineKind;
use crate::input::RawDocument;
use crate::model::{Document, Label, Mention, RelationType, Span};
use crate::pipeline::{Rules, process_explained};
use crate::profile::Profile;
use crate::relations::MAX_SENTENCE_BYTES;

/// One document with what each stage decided, ready to print.
pub struct Explanation {
    /// The document as `ikz extract` writes it.
    pub doc: Document,
    /// What became of each line of the page, in order.
    pub lines: Vec<LineKind>,
    /// Sentences that look like a relation the rules did not find.
    pub misses: Vec<CandidateMiss>,
}

/// A sentence with a trigger word of a relation type and two or more
/// parties, but no relation of that type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateMiss {
    /// The sentence.
    pub sentence_idx: usize,
    /// The relation type the trigger words announce.
    pub kind: RelationType,
    /// The trigger words as written (for ROLE: the role titles).
    pub words: Vec<String>,
    /// The parties in the sentence: entity ids, in order of first mention.
    pub parties: Vec<String>,
}

/// Runs the pipeline on one document and records what each stage decided.
pub fn explain(raw: RawDocument, rules: &Rules) -> Explanation {
    let (doc, lines) = process_explained(raw, rules, &Profile::default());
    let misses = candidate_misses(&doc, rules);
    Explanation { doc, lines, misses }
}

/// Every candidate miss of the document, sentence by sentence. Sentences
/// the relation stage does not read (too long) have none.
pub fn candidate_misses(doc: &Document, rules: &Rules) -> Vec<CandidateMiss> {
    let used_roles: BTreeSet<usize> = doc.relations.iter().filter_map(|r| r.role).collect();
    let mut misses = Vec::new();
    for (idx, sentence) in doc.sentences.iter().enumerate() {
        if sentence.span.len() > MAX_SENTENCE_BYTES {
            continue;
        }
        misses.extend(trigger_misses(doc, rules, idx, sentence.span));
        misses.extend(role_miss(doc, idx, &used_roles));
    }
    misses
}

/// Trigger words of a type that has no relation in the sentence, where the
/// sentence holds two or more organisations or places (named, or through a
/// description the reference stage linked).
fn trigger_misses(doc: &Document, rules: &Rules, idx: usize, span: Span) -> Vec<CandidateMiss> {
    let parties = parties_of(doc, idx);
    if parties.len() < 2 {
        return Vec::new();
    }
    let text = doc.slice(span);
    let mut by_kind: Vec<(RelationType, Vec<String>)> = Vec::new();
    for (word, kind) in rules.relations.frames.trigger_words(text) {
        let at = span.start + word.start;
        // As the relation stage: a word inside a name or a description is
        // no trigger (`zu einem IT-Dienstleister`).
        let inside = |s: &Span| s.start <= at && at < s.end;
        let inside_mention = of_sentence(&doc.mentions, idx, |m| m.sentence_idx)
            .iter()
            .any(|m| inside(&m.span))
            || of_sentence(&doc.references, idx, |r| r.sentence_idx)
                .iter()
                .any(|r| inside(&r.span));
        let found = of_sentence(&doc.relations, idx, |r| r.sentence_idx)
            .iter()
            .any(|r| r.kind == kind);
        if inside_mention || found {
            continue;
        }
        let written = text[word.start..word.end].to_string();
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, words)) if !words.contains(&written) => words.push(written),
            Some(_) => {}
            None => by_kind.push((kind, vec![written])),
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, words)| CandidateMiss {
            sentence_idx: idx,
            kind,
            words,
            parties: parties.clone(),
        })
        .collect()
}

/// A role title and a person in the sentence, but no ROLE relation that
/// uses the title.
fn role_miss(doc: &Document, idx: usize, used: &BTreeSet<usize>) -> Option<CandidateMiss> {
    let first = doc.mentions.partition_point(|m| m.sentence_idx < idx);
    let mentions = of_sentence(&doc.mentions, idx, |m| m.sentence_idx);
    let persons: Vec<String> = mentions
        .iter()
        .filter(|m| m.entity.label == Label::Per)
        .map(|m| m.entity.id.clone())
        .collect();
    let unused: Vec<String> = mentions
        .iter()
        .enumerate()
        .filter(|(i, m)| m.entity.label == Label::Role && !used.contains(&(first + i)))
        .map(|(_, m)| doc.slice(m.span).to_string())
        .collect();
    if persons.is_empty() || unused.is_empty() {
        return None;
    }
    Some(CandidateMiss {
        sentence_idx: idx,
        kind: RelationType::Role,
        words: unused,
        parties: dedup(persons),
    })
}

/// The organisations and places of a sentence, named or referred to, as
/// distinct entity ids in order.
fn parties_of(doc: &Document, idx: usize) -> Vec<String> {
    let is_party = |m: &Mention| matches!(m.entity.label, Label::Org | Label::Gpe);
    let named = of_sentence(&doc.mentions, idx, |m| m.sentence_idx)
        .iter()
        .filter(|m| is_party(m));
    let referred = of_sentence(&doc.references, idx, |r| r.sentence_idx)
        .iter()
        .filter_map(|r| doc.mentions.get(r.antecedent))
        .filter(|m| is_party(m));
    dedup(named.chain(referred).map(|m| m.entity.id.clone()).collect())
}

/// The items of sentence `idx` in `items`, which are in sentence order.
fn of_sentence<T>(items: &[T], idx: usize, sentence_of: impl Fn(&T) -> usize) -> &[T] {
    let from = items.partition_point(|t| sentence_of(t) < idx);
    let to = items.partition_point(|t| sentence_of(t) <= idx);
    &items[from..to.max(from)]
}

/// `items` without repeats, first occurrence kept.
fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

/// The report as plain text, the way `ikz explain` prints it.
pub fn render_text(explanation: &Explanation, rules: &Rules) -> String {
    let mut out = String::new();
    let doc = &explanation.doc;
    let chars = CharIndex::new(&doc.body);
    let _ = writeln!(out, "# {} ({}, {})", doc.doc_id, doc.source, doc.encoding);
    render_meta(&mut out, doc);
    render_lines(&mut out, &doc.text, &explanation.lines, rules);
    let _ = writeln!(out, "\n## Sentences ({})", doc.sentences.len());
    for idx in 0..doc.sentences.len() {
        render_sentence(&mut out, explanation, idx, &chars);
    }
    let _ = writeln!(out, "\n## Summary\n{}", explanation.summary());
    out
}

impl Explanation {
    /// What each stage kept or found, in one line: the summary of both
    /// the terminal report and the HTML page.
    pub fn summary(&self) -> String {
        let doc = &self.doc;
        format!(
            "{} lines kept of {}, {} sentences, {} mentions, {} references, {} relations, \
             {} candidate misses",
            self.lines
                .iter()
                .filter(|l| **l == LineKind::Content)
                .count(),
            self.lines.len(),
            doc.sentences.len(),
            doc.mentions.len(),
            doc.references.len(),
            doc.relations.len(),
            self.misses.len()
        )
    }
}

/// Title, date and keywords as the boilerplate stage read them.
fn render_meta(out: &mut String, doc: &Document) {
    let meta = &doc.meta;
    let published = meta.published.map(|d| d.to_string());
    let _ = writeln!(out, "title: {}", meta.title.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "published: {}", published.as_deref().unwrap_or("-"));
    if !meta.keywords.is_empty() {
        let _ = writeln!(out, "keywords: {}", meta.keywords.join(", "));
    }
}

/// Every line of the page: `+` kept, `-` dropped with its rule (`teaser`
/// for a teaser of another article).
fn render_lines(out: &mut String, text: &str, kinds: &[LineKind], rules: &Rules) {
    let _ = writeln!(out, "\n## Lines (+ kept, - dropped by the rule named)");
    for (n, (line, kind)) in text.split('\n').zip(kinds).enumerate() {
        let (mark, rule) = match kind.dropped_by(&rules.boilerplate) {
            None => ("+", String::new()),
            Some(rule) => ("-", rule),
        };
        let _ = writeln!(out, "{:>4} {mark} {rule:<24} | {line}", n + 1);
    }
}

/// One sentence and everything the later stages found in it.
fn render_sentence(out: &mut String, explanation: &Explanation, idx: usize, chars: &CharIndex) {
    let doc = &explanation.doc;
    let Some(sentence) = doc.sentences.get(idx) else {
        return;
    };
    let _ = writeln!(
        out,
        "\n[s{idx}] {} {}",
        chars.span(sentence.span),
        doc.slice(sentence.span).replace('\n', " ")
    );
    if sentence.span.len() > MAX_SENTENCE_BYTES {
        let _ = writeln!(
            out,
            "  (over {MAX_SENTENCE_BYTES} bytes: the relation stage skips this sentence)"
        );
    }
    for m in of_sentence(&doc.mentions, idx, |m| m.sentence_idx) {
        let _ = writeln!(
            out,
            "  mention   {:<4} {:<28} {:<10} {:<9} rule {:<18} {}",
            m.entity.label.as_str(),
            m.entity.id,
            chars.span(m.span),
            m.method.as_str(),
            m.rule_id,
            quoted(doc.slice(m.span))
        );
    }
    for r in of_sentence(&doc.references, idx, |r| r.sentence_idx) {
        let target = doc.mentions.get(r.antecedent).map_or("?".to_string(), |m| {
            format!("{} {}", m.entity.id, quoted(doc.slice(m.span)))
        });
        let _ = writeln!(
            out,
            "  reference {} {} -> {target}",
            chars.span(r.span),
            quoted(doc.slice(r.span))
        );
    }
    for r in of_sentence(&doc.relations, idx, |r| r.sentence_idx) {
        let _ = writeln!(out, "  relation  {}", relation_line(doc, r));
    }
    for miss in of_sentence(&explanation.misses, idx, |m| m.sentence_idx) {
        let _ = writeln!(
            out,
            "  MISS?     {} word {} with parties {}: no {} relation",
            miss.kind.as_str(),
            miss.words
                .iter()
                .map(|w| quoted(w))
                .collect::<Vec<_>>()
                .join(", "),
            miss.parties.join(", "),
            miss.kind.as_str()
        );
    }
}

/// `TYPE subject -> object (role …) trigger … rule …`.
fn relation_line(doc: &Document, r: &crate::model::Relation) -> String {
    let argument = |i: usize, via: Option<Span>| {
        let Some(m) = doc.mentions.get(i) else {
            return "?".to_string();
        };
        let mut text = format!("{} {}", m.entity.id, quoted(doc.slice(m.span)));
        if let Some(via) = via {
            let _ = write!(text, " via {}", quoted(doc.slice(via)));
        }
        text
    };
    let mut line = format!(
        "{:<14} {} -> {}",
        r.kind.as_str(),
        argument(r.subject, r.subject_ref),
        argument(r.object, r.object_ref)
    );
    if let Some(role) = r.role.and_then(|i| doc.mentions.get(i)) {
        let _ = write!(line, " as {}", quoted(doc.slice(role.span)));
    }
    let _ = write!(line, "  trigger {}  rule {}", quoted(&r.trigger), r.rule_id);
    line
}

/// Text in German quotation marks, on one line.
fn quoted(text: &str) -> String {
    format!("„{}“", text.replace('\n', " "))
}

/// Byte to character offsets of a body, built once per document.
struct CharIndex {
    /// For each byte offset (and one past the end), the character offset.
    chars_before: Vec<usize>,
}

impl CharIndex {
    fn new(body: &str) -> CharIndex {
        let mut chars_before = vec![0; body.len() + 1];
        let mut count = 0;
        for (byte, c) in body.char_indices() {
            for slot in chars_before.iter_mut().skip(byte).take(c.len_utf8()) {
                *slot = count;
            }
            count += 1;
        }
        if let Some(last) = chars_before.last_mut() {
            *last = count;
        }
        CharIndex { chars_before }
    }

    /// `start..end` in characters.
    fn span(&self, span: Span) -> String {
        let at = |b: usize| self.chars_before.get(b).copied().unwrap_or(0);
        format!("{}..{}", at(span.start), at(span.end))
    }
}
