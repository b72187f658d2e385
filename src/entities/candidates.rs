//! Candidate mentions before overlaps are resolved: exact gazetteer hits,
//! gazetteer hits extended by the words around them (`Stadt Münster`,
//! `Zweckverband kommunit`, `Erster Landrat`), and matches of the patterns
//! of `rules/entities.toml`. Person candidates are in `persons.rs`.

use std::sync::Arc;

use super::patterns::Pattern;
use super::words::{boundary_after, boundary_before};
use super::{EntityRules, ids, rule_ids};
use crate::model::{EntityInfo, Label, Method, Span};

/// A possible mention before overlaps are resolved. Every source of
/// mentions makes these, so one overlap resolution serves them all.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// Byte range in the body.
    pub(super) span: Span,
    /// The entity it would mention.
    pub(super) entity: Arc<EntityInfo>,
    /// The `source` column.
    pub(super) method: Method,
    /// The `rule_id` column.
    pub(super) rule_id: String,
    /// Decides between candidates of the same length.
    pub(super) priority: Priority,
    /// An ambiguous one-word place: kept only with a cue word.
    pub(super) needs_cue: bool,
}

/// How specific a candidate's source is. Among overlapping candidates of
/// the same length the higher wins, so an acronym the text defines beats a
/// list entry, and a list entry beats a pattern. Declared lowest first: the
/// order of the variants is the order of the priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Priority {
    /// A later reference to an entity found earlier: an alias, the use of
    /// an acronym or short form.
    Reference,
    /// A pattern match, or a person named next to a role title.
    Pattern,
    /// A list entry extended by its neighbours, or a listed first name
    /// with a surname.
    Extended,
    /// An exact list entry.
    Gazetteer,
    /// An acronym or its long form, as the text defines them.
    Acronym,
}

/// Every gazetteer hit, and the longer form its neighbours make, if any.
pub(super) fn gazetteer_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    for hit in rules.gazetteer.find(body) {
        let entry = rules.gazetteer.entry(hit.entry);
        let base = Candidate {
            span: Span::new(hit.start, hit.end),
            entity: entry.entity.clone(),
            method: Method::Gazetteer,
            rule_id: entry.list.to_string(),
            priority: Priority::Gazetteer,
            needs_cue: entry.needs_cue,
        };
        out.extend(extend_hit(body, &base, rules));
        out.push(base);
    }
    out
}

/// Longer forms of a gazetteer hit made by the words next to it: a place
/// prefix (`Stadt`), an organisation prefix or legal form, a role
/// modifier or what the role leads.
fn extend_hit(body: &str, hit: &Candidate, rules: &EntityRules) -> Option<Candidate> {
    let before = &body[..hit.span.start];
    let after = &body[hit.span.end..];
    let (prefix, suffix, rule_id) = match hit.entity.label {
        Label::Gpe => (
            prefix_len(before, &rules.place_prefixes)?,
            0,
            rule_ids::PLACE_PREFIX,
        ),
        Label::Org => (
            prefix_len(before, &rules.org_prefixes).unwrap_or(0),
            legal_form_len(after, rules),
            rule_ids::ORG_AFFIX,
        ),
        Label::Role => (
            prefix_len(before, &rules.role_prefixes).unwrap_or(0),
            rules.role_suffix.find(after).map_or(0, |m| m.end()),
            rule_ids::ROLE_AFFIX,
        ),
        _ => return None,
    };
    if prefix + suffix == 0 {
        return None;
    }
    let span = Span::new(hit.span.start - prefix, hit.span.end + suffix);
    let entity = match hit.entity.label {
        Label::Role => ids::affixed_role(&hit.entity, &body[span.start..span.end]),
        _ => hit.entity.clone(),
    };
    Some(Candidate {
        span,
        entity,
        method: Method::Pattern,
        rule_id: rule_id.to_string(),
        priority: Priority::Extended,
        needs_cue: false,
    })
}

/// Bytes taken by the longest of `words` (and one space) that ends `before`
/// as a whole word.
fn prefix_len(before: &str, words: &[String]) -> Option<usize> {
    words
        .iter()
        .filter(|w| {
            before
                .strip_suffix(' ')
                .is_some_and(|b| b.ends_with(w.as_str()))
        })
        .map(|w| w.len() + 1)
        .max()
        .filter(|&n| boundary_before(before, before.len() - n))
}

/// Bytes taken by one space and the longest legal form (`GmbH`) that
/// starts `after` as a whole word; 0 if none does.
fn legal_form_len(after: &str, rules: &EntityRules) -> usize {
    rules
        .legal_forms
        .iter()
        .filter(|f| {
            after
                .strip_prefix(' ')
                .is_some_and(|a| a.starts_with(f.as_str()))
                && boundary_after(after, f.len() + 1)
        })
        .map(|f| f.len() + 1)
        .max()
        .unwrap_or(0)
}

/// Whether `end` is the end of a long line without final punctuation: a
/// page cut off mid-word (`… der KDO Olde`), where a pattern would make a
/// name of the fragment.
fn at_cut_line_end(body: &str, end: usize) -> bool {
    let rest_of_line_blank = body[end..]
        .chars()
        .take_while(|&c| c != '\n')
        .all(char::is_whitespace);
    let mut from = end.saturating_sub(80);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    rest_of_line_blank && end >= 80 && !body[from..end].contains('\n')
}

/// A pattern match whose last word is a short unknown fragment at the end
/// of a long unpunctuated line.
fn looks_cut_off(body: &str, start: usize, end: usize, rules: &EntityRules) -> bool {
    let last = body[start..end]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    last.chars().count() <= 4
        && rules.gazetteer.lookup(last).is_none()
        && at_cut_line_end(body, end)
}

/// Every match of every pattern that stands alone as a name.
///
/// A pattern with literals (every match holds one: `Zweckverband`,
/// `GmbH`, …) is tried anchored at each word start from which a match can
/// reach one of them (within the pattern's most bytes before its literal,
/// on the literal's line): a match must start at a word boundary and may
/// not span lines, so no match that counts is lost, and an anchored
/// search builds only the automaton states of the pattern itself, not
/// those of "a match may start anywhere" (which made most of each thread's
/// warm-up). A pattern without literals searches the whole body.
///
/// One difference from a search over the whole body, on purpose: a match
/// that is refused (it runs over a line end, or starts inside a word) does
/// not hide the matches it overlaps, so `Zweckverband KDO⏎Zweckverband
/// Ostholstein` gives `Zweckverband Ostholstein`. On every real page of the
/// repository both searches give the same candidates (tested).
pub(super) fn pattern_candidates(body: &str, rules: &EntityRules) -> Vec<Candidate> {
    let mut out = Vec::new();
    let literal_starts = rules.pattern_gate.literal_starts(body);
    let patterns = rules.patterns.iter().zip(&rules.pattern_leads);
    for ((pattern, &lead), starts) in patterns.zip(literal_starts) {
        let mut take = |found: PatternMatch| {
            let candidate = candidate_of(body, pattern, &found, rules);
            let taken = candidate.is_some();
            out.extend(candidate);
            taken
        };
        match starts {
            None => {
                for caps in pattern.regex.captures_iter(body) {
                    if let Some(found) = PatternMatch::of(&caps) {
                        take(found);
                    }
                }
            }
            Some(starts) => search_near_literals(body, pattern, lead, &starts, &mut take),
        }
    }
    out
}

/// One pattern match: the whole match and its named groups, as byte spans.
struct PatternMatch {
    whole: Span,
    /// Group `mention`, else the whole match.
    mention: Span,
    /// Group `name` (`{NAME}`, `{WORD}`).
    name: Option<Span>,
    /// Group `head` (the noun that `inflections` normalise).
    head: Option<Span>,
}

impl PatternMatch {
    fn of(caps: &regex_automata::util::captures::Captures) -> Option<PatternMatch> {
        let span = |s: regex_automata::Span| Span::new(s.start, s.end);
        let whole = caps.get_match().map(|m| Span::new(m.start(), m.end()))?;
        let group = |name: &str| caps.get_group_by_name(name).map(span);
        Some(PatternMatch {
            whole,
            mention: group("mention").unwrap_or(whole),
            name: group("name"),
            head: group("head"),
        })
    }
}

/// Runs `pattern` anchored at every word start from which a match can
/// reach one of its literals (`starts`, sorted): at most `lead` bytes
/// before a literal, and never before its line's start; hands each match
/// to `take`. After a match `take` keeps, the search goes on after it.
fn search_near_literals(
    body: &str,
    pattern: &Pattern,
    lead: Option<usize>,
    starts: &[usize],
    take: &mut impl FnMut(PatternMatch) -> bool,
) {
    let mut caps = pattern.regex.create_captures();
    // Positions before `tried` have been tried; before `resume` they are
    // inside a match already taken.
    let (mut tried, mut resume) = (0, 0);
    let mut line = (0, 0); // the current literal's line: start, end
    for &hit in starts {
        if hit >= line.1 || hit < line.0 {
            let start = body[..hit].rfind('\n').map_or(0, |i| i + 1);
            let end = body[hit..].find('\n').map_or(body.len(), |i| hit + i);
            line = (start, end);
        }
        let window = lead.map_or(line.0, |lead| hit.saturating_sub(lead).max(line.0));
        let mut from = window.max(tried).max(resume);
        while from < hit && !body.is_char_boundary(from) {
            from += 1;
        }
        if from > hit {
            continue;
        }
        for (offset, _) in body[from..].char_indices() {
            let at = from + offset;
            if at > hit {
                break;
            }
            tried = at + 1;
            if at < resume || !boundary_before(body, at) {
                continue;
            }
            let input = regex_automata::Input::new(body)
                .span(at..body.len())
                .anchored(regex_automata::Anchored::Yes);
            // The match may run past the line (and is then refused, as a
            // name broken by a line end is no name of its own).
            pattern.regex.search_captures(&input, &mut caps);
            if let Some(found) = PatternMatch::of(&caps) {
                let end = found.whole.end;
                if take(found) {
                    resume = end;
                    tried = tried.max(end);
                }
            }
        }
    }
}

/// The candidate a pattern match makes, if it stands alone as a name and
/// its first word is none of the pattern's `not_names`.
fn candidate_of(
    body: &str,
    pattern: &Pattern,
    found: &PatternMatch,
    rules: &EntityRules,
) -> Option<Candidate> {
    if !stands_alone(body, found.whole, rules) {
        return None;
    }
    let mention = found.mention;
    let first_word = body[mention.start..mention.end]
        .split_whitespace()
        .next()
        .unwrap_or("");
    if pattern.not_names.iter().any(|w| w == first_word) {
        return None;
    }
    let end = trim_name_end(body, found.name, mention.end, rules);
    let span = Span::new(mention.start, end);
    Some(Candidate {
        span,
        entity: pattern_match_entity(body, pattern, found, span, rules),
        method: Method::Pattern,
        rule_id: pattern.id.clone(),
        priority: Priority::Pattern,
        needs_cue: false,
    })
}

/// Whether a pattern match can be a name: at word boundaries, on one line,
/// and not a fragment cut off at the end of a page's line.
fn stands_alone(body: &str, whole: Span, rules: &EntityRules) -> bool {
    boundary_before(body, whole.start)
        && boundary_after(body, whole.end)
        && !body[whole.start..whole.end].contains('\n')
        && !looks_cut_off(body, whole.start, whole.end, rules)
}

/// The entity a pattern match at `span` names: the listed entity when the
/// name after the head is already known with the pattern's label
/// (`Zweckverband kommunit`), else a new entity of its canonical name.
fn pattern_match_entity(
    body: &str,
    pattern: &Pattern,
    found: &PatternMatch,
    span: Span,
    rules: &EntityRules,
) -> Arc<EntityInfo> {
    let tail = found.name.map(|m| &body[m.start..span.end.max(m.start)]);
    let known = tail
        .and_then(|t| rules.gazetteer.lookup(t))
        .filter(|e| e.entity.label == pattern.label);
    if let Some(entry) = known {
        return entry.entity.clone();
    }
    let head = found.head.map(|h| &body[h.start..h.end]);
    let canonical = ids::canonical_name(&body[span.start..span.end], head, rules);
    ids::pattern_entity(pattern.label, &pattern.kind, canonical)
}

/// Where a pattern's `{NAME}` really ends: at a connector (`in`, `im`,
/// `für`) not followed by a known place (`Zweckverband KDO im Jahr 1995` is
/// `Zweckverband KDO`; `Elektronische Verwaltung im Saarland` stays whole),
/// and before trailing bare numbers.
fn trim_name_end(body: &str, name: Option<Span>, end: usize, rules: &EntityRules) -> usize {
    let Some(name) = name else { return end };
    let text = &body[name.start..end];
    let mut cut = text.len();
    for connector in &rules.name_connectors {
        for (at, _) in text.match_indices(connector) {
            let next = text[at + connector.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            let place = rules
                .gazetteer
                .lookup(next.trim_end_matches(|c: char| !c.is_alphanumeric()))
                .is_some_and(|e| matches!(e.entity.label, Label::Gpe | Label::Loc));
            if !place {
                cut = cut.min(at);
            }
        }
    }
    let mut kept = text[..cut].trim_end();
    while let Some((head, last)) = kept.rsplit_once(char::is_whitespace) {
        if !last.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        kept = head.trim_end();
    }
    name.start + kept.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Rules;

    fn rules() -> Rules {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Rules::load(Some(&root.join("rules")), Some(&root.join("data"))).expect("rules")
    }

    /// What each pattern finds searching the whole body, unanchored.
    fn whole_body(body: &str, rules: &EntityRules) -> Vec<(Span, String, String)> {
        let mut out = Vec::new();
        for pattern in &rules.patterns {
            for caps in pattern.regex.captures_iter(body) {
                let found = PatternMatch::of(&caps).expect("a match");
                out.extend(candidate_of(body, pattern, &found, rules));
            }
        }
        out.into_iter()
            .map(|c| (c.span, c.rule_id, c.entity.id.clone()))
            .collect()
    }

    fn near_literals(body: &str, rules: &EntityRules) -> Vec<(Span, String, String)> {
        pattern_candidates(body, rules)
            .into_iter()
            .map(|c| (c.span, c.rule_id, c.entity.id.clone()))
            .collect()
    }

    /// On every real page of the repository and `../shared`, the anchored
    /// search near the literals finds exactly the candidates of a search
    /// over the whole body.
    #[test]
    fn searching_near_the_literals_finds_what_a_whole_body_search_finds() {
        let rules = rules();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let folders = [
            root.join("seeds"),
            root.join("../shared/dev/docs"),
            root.join("../shared/dev2/docs"),
        ];
        let mut pages = 0;
        let mut candidates = 0;
        for folder in folders.iter().filter(|f| f.is_dir()) {
            for entry in std::fs::read_dir(folder).expect("folder") {
                let path = entry.expect("entry").path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let body =
                    crate::boilerplate::clean(&text, &rules.boilerplate, &rules.sentences).body;
                for body in [text.as_str(), body.as_str()] {
                    let near = near_literals(body, &rules.entities);
                    assert_eq!(
                        near,
                        whole_body(body, &rules.entities),
                        "{}",
                        path.display()
                    );
                    candidates += near.len();
                }
                pages += 1;
            }
        }
        assert!(pages >= 5, "{pages} pages");
        assert!(candidates > 50, "{candidates} candidates");
    }

    #[test]
    fn a_match_may_start_before_its_literal_and_a_broken_name_is_refused() {
        let rules = rules();
        let body = "Über „IT-Zweckverband Grünland“ tagte man.\nDer Zweckverband Kommunale\nDatenverarbeitung tagte, der Zweckverband Ostwald auch.";
        let found = near_literals(body, &rules.entities);
        let texts: Vec<&str> = found
            .iter()
            .map(|(s, _, _)| &body[s.start..s.end])
            .collect();
        // Found from a word start six bytes before the literal, after a
        // quotation mark of three bytes.
        assert!(texts.contains(&"IT-Zweckverband Grünland"), "{texts:?}");
        // The name broken by the line end is no mention of its own; the
        // next one on the line after it is.
        assert!(
            !texts
                .iter()
                .any(|t| t.starts_with("Zweckverband Kommunale")),
            "{texts:?}"
        );
        assert!(texts.contains(&"Zweckverband Ostwald"), "{texts:?}");
        assert_eq!(found, whole_body(body, &rules.entities));
    }

    #[test]
    fn a_refused_match_hides_no_other() {
        let rules = rules();
        // Over the whole body, `Zweckverband KDO⏎Zweckverband Ostholstein`
        // is one match, refused for its line end, and nothing is found.
        let body = "Zweckverband KDO\nZweckverband Ostholstein tagte.";
        let found = near_literals(body, &rules.entities);
        let texts: Vec<&str> = found
            .iter()
            .map(|(s, _, _)| &body[s.start..s.end])
            .collect();
        assert!(texts.contains(&"Zweckverband Ostholstein"), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("KDO")), "{texts:?}");
        let zweckverband = |found: &[(Span, String, String)]| {
            found
                .iter()
                .filter(|(_, rule, _)| rule == "org-zweckverband")
                .count()
        };
        assert_eq!(zweckverband(&found), 1);
        assert_eq!(zweckverband(&whole_body(body, &rules.entities)), 0);
    }

    #[test]
    fn required_literals_know_how_far_into_a_match_they_start() {
        let lead = |p: &str| crate::prefilter::required(p).map(|r| r.lead);
        assert_eq!(lead("Zweckverband"), Some(Some(0)));
        assert_eq!(
            lead(r"(?:IT-|Gesamt)?Zweckverband(?:es|s)?\s+\w"),
            Some(Some(6))
        );
        assert_eq!(
            lead(r"(?:Bundes|Landes)?[Mm]inisterium\s+für"),
            Some(Some(7))
        );
        assert_eq!(lead(r"[\p{Lu}][\p{Ll}]+ministerium"), Some(None));
        assert_eq!(lead(r"(?P<head>KDO|KRZ)\s+\w"), Some(Some(0)));
        assert_eq!(lead(r"\w+"), None);
    }
}
