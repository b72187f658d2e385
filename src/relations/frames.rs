//! Relations from trigger words and argument frames (`rules/triggers.toml`).
//!
//! Every relation type has a list of trigger words (verbs with their
//! separable and participle forms, nouns, compounds) and names the frames
//! its triggers take. A frame says where the arguments stand around the
//! trigger: each argument is the party (ORG or GPE mention) nearest to the
//! trigger on one side, reached across a gap that the frame's expression
//! must match whole, and extended to the parties coordinated with it
//! (`A, B und C`). So `die Stadt Celle ist Gesellschafterin der KDO` and
//! `der Landkreis tritt als Gesellschafter der ITEBO bei` use the same
//! `genitive` frame, and a new trigger word is one more word in a list,
//! never a new regular expression.

use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use super::{Example, Found, MAX_GROUP_MENTIONS, SentenceView};
use crate::model::{Label, Mention, Relation, RelationType, Span};
use crate::rules::{RuleFile, Source, compile_in_parallel, compile_whole};

/// The rule file of this module.
const FILE: &str = "triggers.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggersFile {
    shared: SharedEntry,
    frame: Vec<FrameEntry>,
    trigger: Vec<TriggerEntry>,
    example: Vec<Example>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedEntry {
    list_separator: String,
    qualifier: String,
    separable_gap: String,
    clause_end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameEntry {
    id: String,
    #[serde(default)]
    subject: Option<ArgumentEntry>,
    #[serde(default)]
    object: Option<ArgumentEntry>,
    #[serde(default)]
    parties: Option<ArgumentEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArgumentEntry {
    side: String,
    gap: String,
    #[serde(default)]
    unless: Option<String>,
    #[serde(default)]
    unless_before: Option<String>,
    #[serde(default)]
    requires_before: Option<String>,
    #[serde(default)]
    then: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerEntry {
    #[serde(rename = "type")]
    kind: String,
    frames: Vec<String>,
    words: Vec<String>,
    #[serde(default)]
    all_pairs: bool,
}

/// Where an argument stands, seen from the trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
    /// The party that opens the sentence, the gap being the words before
    /// it (`Künftig soll die ITEBO …`): the subject of a main clause.
    Start,
    /// After the subject's parties (an object slot only): `fusionierten
    /// die KDO und die ITEBO zur Komm24`.
    AfterSubject,
}

/// One argument slot of a frame.
struct Argument {
    side: Side,
    gap: Regex,
    /// Words that, anywhere in the gap, cancel the slot (`nicht`, `über`).
    unless: Option<Regex>,
    /// Words that, right before the slot's parties, cancel it: `mit A, B
    /// und C kooperieren` pairs A, B and C with someone else.
    unless_before: Option<Regex>,
    /// Words that must stand right before the slot's parties (`von` in
    /// `die Aufgaben von A, B und C bündeln`).
    requires_before: Option<Regex>,
    /// After the list, one more list joined by this (`die A, die B und die
    /// C mit der D` for a merger of all four).
    then: Option<Regex>,
}

/// A frame: either a subject and an object, or a list of parties.
struct Frame {
    id: String,
    subject: Option<Argument>,
    object: Option<Argument>,
    parties: Option<Argument>,
}

/// The trigger words of one relation type and the frames they take.
struct Trigger {
    kind: RelationType,
    /// Matches a found trigger word exactly (case-insensitive).
    exact: Regex,
    /// Matches exactly the found words that are separable verbs (`arbeiten
    /// … zusammen`): their particle must close the clause, and the
    /// arguments are sought around the verb alone.
    separable: Option<Regex>,
    frames: Vec<usize>,
    /// Every pair among all arguments (a merger merges them all).
    all_pairs: bool,
}

/// The compiled `triggers.toml`.
pub struct TriggerFrames {
    frames: Vec<Frame>,
    triggers: Vec<Trigger>,
    /// The letters every trigger word holds (`kooperier` of
    /// `kooperier\w*`), in one Aho-Corasick pass: a sentence without any
    /// holds no trigger word, and the words are not sought in it. A test
    /// that lets a sentence through changes nothing but the time spent.
    any_word_gate: crate::prefilter::Gate,
    /// Every trigger word of every type, each running on to the end of its
    /// word, anchored at the start of the text it is given: tried where
    /// words start, so a match's start is known without a backward search;
    /// each match is then tested against each type's words exactly.
    any_word_here: Regex,
    list_separator: Regex,
    /// Between a party and a place that only says where it is (`die AKDB
    /// aus Bayern`): the place is stepped over in a list.
    qualifier: Regex,
    /// What must follow the particle of a separable verb: the clause ends.
    clause_end: Regex,
    /// The examples and counter-examples of the file (for `cargo test`).
    pub examples: Vec<Example>,
}

impl TriggerFrames {
    /// The trigger words in `text`: where each stands (byte offsets into
    /// `text`) and the relation type it announces. `ikz explain` marks
    /// sentences with a trigger word and no relation of its type.
    pub fn trigger_words(&self, text: &str) -> Vec<(Span, RelationType)> {
        let mut words = Vec::new();
        for found in self.starting_words(text) {
            let span = Span::new(found.word.start, found.word.end);
            if !words.contains(&(span, found.trigger.kind)) {
                words.push((span, found.trigger.kind));
            }
        }
        words
    }

    /// Every match of a trigger word that starts a word, with each trigger
    /// whose words it is; a separable verb only where its particle closes
    /// the clause.
    fn starting_words<'t>(&'t self, text: &'t str) -> impl Iterator<Item = TriggerWord<'t>> + 't {
        // One forward pass tells whether the sentence holds a trigger word
        // at all (most do not). If it does, the words are tried where words
        // start, each with the anchored expression: an unanchored search
        // would also have to run backwards from every match to find where
        // it starts, which over these many case-insensitive words is slow.
        // After a match, the search goes on after its first word, not after
        // the whole match: a separable verb (`gehören … an`) or a word
        // group (`in Kooperation mit`) must not hide the trigger words
        // inside it.
        let gate = self.any_word_gate.open_rules(text).contains(&true);
        let mut starts = word_starts(text).filter(move |_| gate);
        let mut from = 0;
        std::iter::from_fn(move || {
            loop {
                let start = starts.next()?;
                if start < from {
                    continue;
                }
                let Some(found) = self.any_word_here.find(&text[start..]) else {
                    continue;
                };
                let word = WordMatch {
                    start,
                    end: start + found.end(),
                    text: &text[start..start + found.end()],
                };
                let first_word = word
                    .text
                    .find(char::is_whitespace)
                    .unwrap_or(word.text.len());
                from = start + first_word.max(1);
                return Some(word);
            }
        })
        .flat_map(move |word| {
            self.triggers
                .iter()
                .filter(move |t| t.exact.is_match(word.text))
                .filter_map(move |trigger| self.trigger_word(text, word, trigger))
        })
    }

    /// The found word as a trigger of `trigger`, with where its arguments
    /// are sought from; `None` for a separable verb whose particle does not
    /// close the clause.
    fn trigger_word<'t>(
        &self,
        text: &str,
        word: WordMatch<'t>,
        trigger: &'t Trigger,
    ) -> Option<TriggerWord<'t>> {
        let separable = trigger
            .separable
            .as_ref()
            .is_some_and(|s| s.is_match(word.text));
        if !separable {
            return Some(TriggerWord {
                word,
                verb_end: word.end,
                trigger,
            });
        }
        if !self.clause_end.is_match(&text[word.end..]) {
            return None;
        }
        let verb_len = word
            .text
            .find(char::is_whitespace)
            .unwrap_or(word.text.len());
        Some(TriggerWord {
            word,
            verb_end: word.start + verb_len,
            trigger,
        })
    }

    /// Loads and compiles `triggers.toml`.
    pub fn load(rules: &Source) -> Result<TriggerFrames> {
        let file = rules.open(FILE)?;
        let raw: TriggersFile = file.parse_toml()?;
        let frames = compile_in_parallel(&raw.frame, |f| compile_frame(&file, f))?;
        let triggers = compile_in_parallel(&raw.trigger, |t| {
            compile_trigger(&file, t, &frames, &raw.shared.separable_gap)
        })?;
        let gap = &raw.shared.separable_gap;
        let all_words: Vec<String> = raw
            .trigger
            .iter()
            .flat_map(|t| t.words.iter().map(|w| expand_separable(w, gap)))
            .collect();
        let words = format!(r"(?i:(?:{})[\w-]*)", all_words.join("|"));
        let any_word_here = crate::rules::compile_at(&file, "[[trigger]]", &format!("^{words}"))?;
        let written: Vec<String> = raw.trigger.iter().flat_map(|t| t.words.clone()).collect();
        Ok(TriggerFrames {
            frames,
            triggers,
            any_word_gate: crate::prefilter::Gate::for_trigger_words([written.as_slice()]),
            any_word_here,
            list_separator: compile_whole(&file, &raw.shared.list_separator)?,
            qualifier: compile_whole(&file, &raw.shared.qualifier)?,
            clause_end: crate::rules::compile_at(
                &file,
                &raw.shared.clause_end,
                &format!("^(?:{})", raw.shared.clause_end),
            )?,
            examples: raw.example,
        })
    }
}

fn compile_frame(file: &RuleFile, entry: &FrameEntry) -> Result<Frame> {
    let at = file.text.find(&format!("\"{}\"", entry.id)).unwrap_or(0);
    let argument = |a: &Option<ArgumentEntry>| -> Result<Option<Argument>> {
        let Some(a) = a else { return Ok(None) };
        let side = match a.side.as_str() {
            "before" => Side::Before,
            "after" => Side::After,
            "start" => Side::Start,
            "after_subject" => Side::AfterSubject,
            other => {
                return Err(file.error_at(
                    at,
                    &format!(
                        "frame `{}`: unknown side `{other}`; use before, after, start or after_subject",
                        entry.id
                    ),
                ));
            }
        };
        let unless = a
            .unless
            .as_ref()
            .map(|u| {
                let words = whole_words(u, true);
                crate::rules::compile_at(file, u, &format!(r"(?i:{words})"))
            })
            .transpose()?;
        let before = |p: &Option<String>| {
            p.as_ref()
                .map(|u| {
                    let words = whole_words(u, false);
                    crate::rules::compile_at(file, u, &format!(r"(?i:{words}$)"))
                })
                .transpose()
        };
        let unless_before = before(&a.unless_before)?;
        let requires_before = before(&a.requires_before)?;
        let then = a
            .then
            .as_ref()
            .map(|t| compile_whole(file, t))
            .transpose()?;
        Ok(Some(Argument {
            side,
            gap: compile_whole(file, &a.gap)?,
            unless,
            unless_before,
            requires_before,
            then,
        }))
    };
    let frame = Frame {
        id: entry.id.clone(),
        subject: argument(&entry.subject)?,
        object: argument(&entry.object)?,
        parties: argument(&entry.parties)?,
    };
    let pair = frame.subject.is_some() && frame.object.is_some();
    if pair == frame.parties.is_some() {
        return Err(file.error_at(
            at,
            &format!(
                "frame `{}` needs either `subject` and `object`, or `parties`",
                entry.id
            ),
        ));
    }
    Ok(frame)
}

/// The words of `list` (`mit|über|kein\w*`) as whole words: no letter or
/// digit right before them and, with `to_end`, right after. Written with a
/// character class and the text's edges instead of `\b`, which keeps the
/// expression on the fast automaton (a Unicode `\b` does not on German
/// text) and holds beside umlauts (`über`, `überörtlich`). These
/// expressions are only tested, never used for their match, so the
/// character the class takes is never seen.
fn whole_words(list: &str, to_end: bool) -> String {
    use crate::rules::{WORD_EDGE_AFTER, WORD_EDGE_BEFORE};
    format!(
        "{WORD_EDGE_BEFORE}(?:{list}){}",
        if to_end { WORD_EDGE_AFTER } else { "" }
    )
}

/// One trigger word found in a sentence.
struct TriggerWord<'t> {
    /// The words as matched (a separable verb with its particle).
    word: WordMatch<'t>,
    /// Where the arguments are sought after: the end of the word, or of the
    /// verb alone for a separable verb (`arbeiten` in `arbeiten die Städte
    /// seit 2019 zusammen`).
    verb_end: usize,
    /// The trigger entry whose words matched.
    trigger: &'t Trigger,
}

/// Where trigger words were found in a sentence: byte offsets into it and
/// the words as written.
#[derive(Clone, Copy)]
struct WordMatch<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

/// Where words start in `text`: its start and every character after one
/// that is no letter or digit.
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut previous: Option<char> = None;
    text.char_indices().filter_map(move |(at, c)| {
        let starts = previous.is_none_or(|p| !p.is_alphanumeric());
        previous = Some(c);
        starts.then_some(at)
    })
}

/// The separator of a separable verb's verb and particle in `words`:
/// `arbeite(?:n|t) … zusammen`.
const SEPARABLE: &str = " … ";

/// A trigger word with `…` between verb and particle becomes one
/// expression: the verb, the words of the clause between (`gap`), the
/// particle as a whole word.
fn expand_separable(word: &str, gap: &str) -> String {
    match word.split_once(SEPARABLE) {
        Some((verb, particle)) => format!(r"(?:{verb})(?:{gap})(?:{particle})(?-u:\b)"),
        None => word.to_string(),
    }
}

fn compile_trigger(
    file: &RuleFile,
    entry: &TriggerEntry,
    frames: &[Frame],
    gap: &str,
) -> Result<Trigger> {
    let at = file.text.find(&format!("\"{}\"", entry.kind)).unwrap_or(0);
    let kind = RelationType::parse(&entry.kind)
        .ok_or_else(|| file.error_at(at, &format!("unknown relation type `{}`", entry.kind)))?;
    let frame_ids = entry
        .frames
        .iter()
        .map(|name| {
            frames.iter().position(|f| f.id == *name).ok_or_else(|| {
                // The name as written, after the first `[[trigger]]`: the
                // line of the typo rather than the first trigger of its type.
                let start = file.text.find("[[trigger]]").unwrap_or(0);
                let written = file.text[start..]
                    .find(&format!("\"{name}\""))
                    .map_or(at, |i| start + i);
                let known: Vec<&str> = frames.iter().map(|f| f.id.as_str()).collect();
                file.error_at(
                    written,
                    &format!(
                        "unknown frame `{name}` for {}; the frames are {}",
                        entry.kind,
                        known.join(", ")
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let words: Vec<String> = entry
        .words
        .iter()
        .map(|w| expand_separable(w, gap))
        .collect();
    let exact = format!(r"(?i:^(?:{})$)", words.join("|"));
    let separable: Vec<&String> = words
        .iter()
        .zip(&entry.words)
        .filter(|(_, written)| written.contains(SEPARABLE))
        .map(|(expanded, _)| expanded)
        .collect();
    let separable = if separable.is_empty() {
        None
    } else {
        let joined: Vec<&str> = separable.iter().map(|s| s.as_str()).collect();
        let pattern = format!(r"(?i:^(?:{})$)", joined.join("|"));
        Some(crate::rules::compile_at(file, &joined.join("|"), &pattern)?)
    };
    Ok(Trigger {
        kind,
        exact: crate::rules::compile_at(file, &entry.words.join("|"), &exact)?,
        separable,
        frames: frame_ids,
        all_pairs: entry.all_pairs,
    })
}

/// The labels each argument of a type may have.
fn allowed(kind: RelationType) -> (&'static [Label], &'static [Label]) {
    const PARTY: &[Label] = &[Label::Org, Label::Gpe];
    const ORG: &[Label] = &[Label::Org];
    match kind {
        RelationType::Merger | RelationType::MergedInto => (ORG, ORG),
        RelationType::MemberOf => (PARTY, ORG),
        RelationType::ItProviderOf => (ORG, PARTY),
        _ => (PARTY, PARTY),
    }
}

/// Finds the relations that trigger words and their frames give in one
/// sentence.
pub(super) fn apply(
    rules: &TriggerFrames,
    view: &SentenceView,
    sentence_idx: usize,
    mentions: &[Mention],
    found: &mut Found,
) {
    let parties = (0..view.mentions.len())
        .filter(|&i| is_party(view.label(i)))
        .count();
    if parties < 2 {
        return; // no pair to find
    }
    let text = view.text_of_sentence();
    let offset = view.sentence_start();
    for hit in rules.starting_words(text) {
        let (word, trigger) = (hit.word, hit.trigger);
        let (start, end) = (offset + word.start, offset + hit.verb_end);
        if view.inside_mention(start) {
            continue;
        }
        for &f in &trigger.frames {
            let frame = &rules.frames[f];
            let args = |a: &Option<Argument>| {
                a.as_ref()
                    .map(|a| argument(rules, view, a, start, end))
                    .unwrap_or_default()
            };
            let pairs = if frame.parties.is_some() {
                all_pairs(&args(&frame.parties))
            } else {
                let subjects = args(&frame.subject);
                let objects = match &frame.object {
                    Some(slot) if slot.side == Side::AfterSubject => {
                        after_subjects(rules, view, slot, &subjects)
                    }
                    _ => args(&frame.object),
                };
                if trigger.all_pairs {
                    let mut all = subjects.clone();
                    all.extend(objects.iter().copied());
                    all_pairs(&all)
                } else {
                    cross(&subjects, &objects)
                }
            };
            push_pairs(
                trigger,
                frame,
                &pairs,
                view,
                sentence_idx,
                word.text,
                mentions,
                found,
            );
        }
    }
}

/// The parties of an `after_subject` slot: sought after the last party of
/// the subject, as an `after` slot is after the trigger.
fn after_subjects(
    rules: &TriggerFrames,
    view: &SentenceView,
    slot: &Argument,
    subjects: &[usize],
) -> Vec<usize> {
    let Some(end) = subjects.iter().map(|&i| view.mentions[i].1.span.end).max() else {
        return Vec::new();
    };
    argument(rules, view, slot, end, end)
}

/// The parties of one argument slot: the party nearest the trigger on the
/// slot's side, reached across a gap the slot accepts, and the parties
/// coordinated with it.
fn argument(
    rules: &TriggerFrames,
    view: &SentenceView,
    slot: &Argument,
    start: usize,
    end: usize,
) -> Vec<usize> {
    let n = view.mentions.len();
    let nearest = match slot.side {
        Side::After | Side::AfterSubject => (0..n).find(|&i| view.mentions[i].1.span.start >= end),
        Side::Before => (0..n).rev().find(|&i| view.mentions[i].1.span.end <= start),
        Side::Start => (n > 0 && view.mentions[0].1.span.end <= start).then_some(0),
    };
    let Some(first) = nearest else {
        return Vec::new();
    };
    if !is_party(view.label(first)) {
        return Vec::new();
    }
    let gap = match slot.side {
        Side::After | Side::AfterSubject => view.between(end, view.mentions[first].1.span.start),
        Side::Before => view.between(view.mentions[first].1.span.end, start),
        Side::Start => view.gap_before(first),
    };
    if !slot.gap.is_match(&gap) || slot.unless.as_ref().is_some_and(|u| u.is_match(&gap)) {
        return Vec::new();
    }
    let forward = slot.side != Side::Before;
    let mut list = vec![first];
    let mut last = first;
    let walk = |last: &mut usize, list: &mut Vec<usize>| {
        while let Some(next) = next_in_list(rules, view, *last, forward) {
            *last = next;
            list.push(next);
        }
    };
    walk(&mut last, &mut list);
    // `then` joins one more list after the first (forward only), stepping
    // over the last party's acronym in parentheses (`… und die C (CC) mit
    // der D`).
    let tail = if last + 1 < n && same_in_parentheses(view, last, last + 1) {
        last + 1
    } else {
        last
    };
    let next = tail + 1;
    let joined = forward
        && next < n
        && is_party(view.label(next))
        && slot
            .then
            .as_ref()
            .is_some_and(|t| t.is_match(&view.gap_after(tail)));
    if joined {
        last = next;
        list.push(next);
        walk(&mut last, &mut list);
    }
    let leftmost = list.iter().copied().min().unwrap_or(first);
    let before = view.gap_before(leftmost);
    if slot
        .unless_before
        .as_ref()
        .is_some_and(|u| u.is_match(&before))
        || slot
            .requires_before
            .as_ref()
            .is_some_and(|r| !r.is_match(&before))
    {
        return Vec::new();
    }
    if slot.side == Side::Start {
        // The opening list ends before the trigger.
        list.retain(|&i| view.mentions[i].1.span.end <= start);
    }
    list.truncate(MAX_GROUP_MENTIONS);
    list
}

/// The next party of a coordinated list after (or before) mention `at`:
/// joined by a list separator, stepping over a repeated name in
/// parentheses (`Kommunales Forum (KomFIT)`) and a place that qualifies
/// a party (`die AKDB aus Bayern und die KDO`).
fn next_in_list(
    rules: &TriggerFrames,
    view: &SentenceView,
    at: usize,
    forward: bool,
) -> Option<usize> {
    let n = view.mentions.len();
    let step = |i: usize| -> Option<usize> {
        if forward {
            (i + 1 < n).then_some(i + 1)
        } else {
            i.checked_sub(1)
        }
    };
    // The gap between mention `a` and the mention after it in the text.
    let gap = |a: usize, b: usize| view.gap_after(a.min(b));
    let mut from = at;
    let mut next = step(from)?;
    // `die beiden Dienstleister`: one description stands for several
    // parties, each a stand-in at the same place.
    if view.mentions[next].1.span == view.mentions[from].1.span {
        return is_party(view.label(next)).then_some(next);
    }
    // `Name (ABBR)`: the same entity in parentheses is one party.
    if same_in_parentheses(view, from.min(next), from.max(next)) {
        from = next;
        next = step(from)?;
    }
    // `die AKDB aus Bayern`: the place only says where the party is.
    if forward && view.label(next) == Label::Gpe && rules.qualifier.is_match(&gap(from, next)) {
        from = next;
        next = step(from)?;
    }
    let separator = gap(from, next);
    let separator = separator
        .trim_start_matches(')')
        .trim_end_matches('(')
        .trim();
    (is_party(view.label(next)) && rules.list_separator.is_match(separator)).then_some(next)
}

/// Whether mentions `a` and `a + 1` name one entity, the second in
/// parentheses after the first (`Kommunales Forum (KomFIT)`).
fn same_in_parentheses(view: &SentenceView, a: usize, b: usize) -> bool {
    view.mentions[a].1.entity.id == view.mentions[b].1.entity.id
        && matches!(view.gap_after(a).as_str(), "(" | ")")
}

fn is_party(label: Label) -> bool {
    matches!(label, Label::Org | Label::Gpe)
}

fn all_pairs(list: &[usize]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, &a) in list.iter().enumerate() {
        pairs.extend(list[i + 1..].iter().map(|&b| (a, b)));
    }
    pairs
}

fn cross(subjects: &[usize], objects: &[usize]) -> Vec<(usize, usize)> {
    subjects
        .iter()
        .flat_map(|&s| objects.iter().map(move |&o| (s, o)))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn push_pairs(
    trigger: &Trigger,
    frame: &Frame,
    pairs: &[(usize, usize)],
    view: &SentenceView,
    sentence_idx: usize,
    word: &str,
    mentions: &[Mention],
    found: &mut Found,
) {
    let (subject_labels, object_labels) = allowed(trigger.kind);
    for &(s, o) in pairs {
        let (s_label, o_label) = (view.label(s), view.label(o));
        let symmetric = trigger.kind.is_symmetric();
        let fits = |a: Label, b: Label| subject_labels.contains(&a) && object_labels.contains(&b);
        if !(fits(s_label, o_label) || symmetric && fits(o_label, s_label)) {
            continue;
        }
        found.push(
            mentions,
            Relation {
                kind: trigger.kind,
                sentence_idx,
                subject: view.mentions[s].0,
                object: view.mentions[o].0,
                subject_ref: super::reference_span(view.mentions[s].1),
                object_ref: super::reference_span(view.mentions[o].1),
                role: None,
                trigger: word.to_string(),
                rule_id: format!("frame:{}", frame.id),
            },
        );
    }
}

#[cfg(test)]
mod word_bound_tests {
    use super::whole_words;
    use regex::Regex;

    #[test]
    fn unless_words_match_whole_words_with_and_without_umlauts() {
        let unless = Regex::new(&format!("(?i:{})", whole_words(r"mit|über|kein\w*", true)))
            .expect("compiles");
        for hit in ["sprach mit ihr", "über die Kosten", "keinesfalls", "Über"] {
            assert!(unless.is_match(hit), "{hit}");
        }
        for miss in [
            "damit",
            "Übersicht",
            "Kommitee",
            "Muster",
            "überörtlich",
            "nichtöffentlich",
        ] {
            assert!(!unless.is_match(miss), "{miss}");
        }
    }

    #[test]
    fn words_before_a_party_reach_into_a_leading_group() {
        let before = Regex::new(&format!(
            "(?i:{}$)",
            whole_words(r"(?:mit|von|über)(?: \S+){0,6}", false)
        ))
        .expect("compiles");
        for hit in ["ein Gespräch über die", "zusammen mit der", "Mit"] {
            assert!(before.is_match(hit), "{hit}");
        }
        for miss in ["damit die", "Davon", "gegenüber der"] {
            assert!(!before.is_match(miss), "{miss}");
        }
    }
}

#[cfg(test)]
mod trigger_word_tests {
    use super::*;
    use crate::rules::Source;

    fn found(text: &str) -> Vec<(String, RelationType)> {
        let rules = TriggerFrames::load(&Source::folder(std::path::Path::new("rules"))).unwrap();
        rules
            .trigger_words(text)
            .into_iter()
            .map(|(span, kind)| (text[span.start..span.end].to_string(), kind))
            .collect()
    }

    #[test]
    fn trigger_words_start_words_and_separable_verbs_keep_their_particle() {
        // Invented sentences.
        let words = found("Die Städte Aheim und Beheim arbeiten seit Jahren eng zusammen.");
        assert!(
            words
                .iter()
                .any(|(w, k)| w == "arbeiten seit Jahren eng zusammen"
                    && *k == RelationType::Cooperation),
            "{words:?}"
        );
        // Inside a word, a trigger word is none (`Refusionierung`), but after
        // a hyphen a new word starts.
        assert!(found("Die Refusionierung blieb aus.").is_empty());
        let words = found("Die Nord-Fusion der Kreise Aheim und Beheim kam 2020.");
        assert!(words.iter().any(|(w, _)| w == "Fusion"), "{words:?}");
        // No trigger word at all: nothing, whatever the sentence holds.
        assert!(found("Der Kreistag tagte am Montag in Aheim.").is_empty());
    }
}
