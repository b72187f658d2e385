//! Choosing among overlapping candidates: the longest wins, then the more
//! specific source ([`Priority`](super::candidates::Priority)); ambiguous
//! places without a cue go; mentions found later (acronyms, persons,
//! aliases) only fill gaps or relink an existing mention.

use super::EntityRules;
use super::candidates::Candidate;
use super::words::last_word;
use crate::model::{Label, Method};

/// Keeps the longest candidates that do not overlap; ties go to priority,
/// then to the earlier start. `len` is the body's length in bytes.
pub(super) fn select_longest(len: usize, mut candidates: Vec<Candidate>) -> Vec<Candidate> {
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
/// no other place next to them in a list (`Wissen und Betzdorf`); the
/// words that join a list are `[language] list_joiners`.
pub(super) fn drop_uncued_places(body: &str, chosen: &mut Vec<Candidate>, rules: &EntityRules) {
    let is_place = |c: &Candidate| c.entity.label == Label::Gpe;
    let joined = |a: &Candidate, b: &Candidate| {
        let gap = body[a.span.end..b.span.start].trim();
        rules.list_joiners.iter().any(|j| j == gap)
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

/// Adds candidates that overlap nothing; a candidate with exactly the span
/// of an existing mention gives that mention its entity. `chosen` stays
/// sorted and free of overlaps, so each lookup is a binary search. With
/// `relink`, acronyms and their uses correct the entity of a mention a
/// list or pattern found; persons only fill gaps.
pub(super) fn relink_or_add(chosen: &mut Vec<Candidate>, extra: Vec<Candidate>, relink: bool) {
    chosen.sort_by_key(|c| c.span);
    let mut added = Vec::new();
    for c in extra {
        let i = chosen.partition_point(|m| m.span.end <= c.span.start);
        match chosen.get_mut(i) {
            Some(m) if m.span == c.span => {
                if relink && m.method != Method::Acronym && m.entity.label == c.entity.label {
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
