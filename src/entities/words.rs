//! Word helpers every candidate source shares: word boundaries, the
//! capitalised words of a body, the gap between two words. All look at a
//! few bytes around a position, so the stage stays linear in the document.

use super::EntityRules;
use crate::model::Span;

/// A capitalised word of the body and its byte range.
pub(super) type Word<'t> = (Span, &'t str);

/// Whether a word may start at byte `at`: nothing alphanumeric right
/// before it. Keeps `Münster` out of `Westmünster`.
pub(super) fn boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether a word may end at byte `at`: nothing alphanumeric right after
/// it, and no hyphen that makes it the first half of a compound.
pub(super) fn boundary_after(text: &str, at: usize) -> bool {
    let mut rest = text[at..].chars();
    match rest.next() {
        None => true,
        // `Netz- und Rechnerkapazitäten`: the word is half of a compound.
        Some('-') => rest.next().is_some_and(|c| !c.is_whitespace()),
        Some(c) => !c.is_alphanumeric(),
    }
}

/// Whether only one space or tab separates two spans: the words of one
/// name stand this close (`Petra Kranz`, not `Petra,\nKranz`).
pub(super) fn adjacent(body: &str, left: Span, right: Span) -> bool {
    let gap = &body[left.end..right.start];
    !gap.is_empty() && gap.len() <= 2 && gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
}

/// Every occurrence of any of `needles` in `haystack` that a
/// leftmost-longest search reports: the match that starts first, of those
/// the longest, then the next one after its end. Returns each span with the
/// needle's index. A document defines a handful of acronyms and names, so
/// one fast substring search per needle beats building an automaton per
/// document.
pub(super) fn find_leftmost_longest(haystack: &str, needles: &[&str]) -> Vec<(Span, usize)> {
    let bytes = haystack.as_bytes();
    // (start, length, needle) of every occurrence, overlapping ones included.
    let mut all: Vec<(usize, usize, usize)> = Vec::new();
    for (i, needle) in needles.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut from = 0;
        while let Some(at) = finder.find(&bytes[from..]) {
            all.push((from + at, needle.len(), i));
            from += at + 1;
        }
    }
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut found = Vec::new();
    let mut free_from = 0;
    for (start, len, i) in all {
        if start >= free_from {
            found.push((Span::new(start, start + len), i));
            free_from = start + len;
        }
    }
    found
}

/// The word before byte `at`, looking back at most 40 bytes: the cue word
/// of a place (`in Wissen`), or what starts a clause before a name.
pub(super) fn last_word(body: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(40);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    body[from..at].split_whitespace().next_back().unwrap_or("")
}

/// Capitalised words with their byte ranges, found once per document:
/// persons, acronyms and aliases are all built from them.
pub(super) fn capitalised_words<'t>(body: &'t str, rules: &EntityRules) -> Vec<Word<'t>> {
    // What `find_iter` of the expression would give, but tried only where
    // an upper-case letter stands, anchored, so no reverse scan is needed
    // to find where each word starts.
    let mut words = Vec::new();
    let mut at = 0;
    while let Some(offset) = body[at..].find(char::is_uppercase) {
        let start = at + offset;
        let Some(found) = rules.capitalised_word_here.find(&body[start..]) else {
            at = start + body[start..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let end = start + found.end();
        let ends_word = body[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if boundary_before(body, start) && ends_word {
            words.push((Span::new(start, end), &body[start..end]));
        }
        at = end;
    }
    words
}
