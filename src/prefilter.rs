//! Cheap necessary tests that let a stage skip expressions that cannot
//! match: one Aho-Corasick pass over a text finds which of many rules may
//! fire, because every match of each rule contains one of its literals.
//!
//! - Relation pattern rules need one of their trigger words, and each
//!   trigger word (`kooperier\w*`, `[Üü]bernahme`) holds a run of letters
//!   every match contains ([`required_letters`]: `kooperier`, `bernahme`),
//!   matched ignoring case.
//! - Entity patterns hold literals every match contains
//!   ([`required_literals`]: `Zweckverband`, `inisterium`, one of `KDO`,
//!   `KRZ`, …), matched as written.
//!
//! A rule the gate lets through still runs its full expression, so a gate
//! changes only the speed, never the result. (Entity patterns also use
//! where the literals are, to search from there: see
//! `entities::candidates::pattern_candidates`.)

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_syntax::hir::{Hir, HirKind};

/// The literals of many rules in one automaton, and which rules need which.
pub struct Gate {
    automaton: Option<AhoCorasick>,
    /// Per rule: the literals (indices into the automaton's patterns) of
    /// which one must be in the text, or `None` when the rule always runs.
    needs: Vec<Option<Vec<usize>>>,
    /// How many distinct literals there are.
    literals: usize,
    /// Whether literals match ignoring (ASCII and Unicode) case.
    ignore_case: bool,
}

impl Gate {
    /// A gate for rules that need one of their literals each (`None`: the
    /// rule always runs). With `ignore_case` the literals must be ASCII.
    pub fn new(rules: Vec<Option<Vec<String>>>, ignore_case: bool) -> Gate {
        let mut literals: Vec<String> = Vec::new();
        let needs = rules
            .into_iter()
            .map(|need| {
                need.map(|words| {
                    words
                        .into_iter()
                        .map(|word| {
                            let word = if ignore_case {
                                word.to_ascii_lowercase()
                            } else {
                                word
                            };
                            literals.iter().position(|l| *l == word).unwrap_or_else(|| {
                                literals.push(word);
                                literals.len() - 1
                            })
                        })
                        .collect()
                })
            })
            .collect();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(ignore_case)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .ok();
        Gate {
            automaton,
            literals: literals.len(),
            needs,
            ignore_case,
        }
    }

    /// The gate for relation rules with these trigger words (one list per
    /// rule), which match ignoring case.
    pub fn for_trigger_words<'a>(rules: impl IntoIterator<Item = &'a [String]>) -> Gate {
        let needs = rules
            .into_iter()
            .map(|triggers| {
                if triggers.is_empty() {
                    return None;
                }
                triggers.iter().map(|t| required_letters(t)).collect()
            })
            .collect();
        Gate::new(needs, true)
    }

    /// Which rules may fire on `text`, by rule index.
    pub fn open_rules(&self, text: &str) -> Vec<bool> {
        let mut present = vec![false; self.literals];
        // Under Unicode case folding `k` also matches the Kelvin sign and
        // `s` the long s, which an ASCII-case automaton does not see.
        let folds = self.ignore_case && text.contains(['\u{212A}', '\u{17F}']);
        match &self.automaton {
            Some(automaton) if !folds => {
                for found in automaton.find_overlapping_iter(text) {
                    present[found.pattern().as_usize()] = true;
                }
            }
            _ => present.iter_mut().for_each(|p| *p = true),
        }
        self.needs
            .iter()
            .map(|need| {
                need.as_ref()
                    .is_none_or(|ids| ids.iter().any(|&i| present[i]))
            })
            .collect()
    }
}

/// Where each rule's literals start in a text, by rule index: `None` for
/// a rule that always runs (it has no literals, or the text holds a letter
/// the case-blind automaton cannot fold), else the sorted byte offsets at
/// which one of its literals starts (empty: the rule cannot match). A
/// stage that knows where its matches must start can search from there
/// instead of across the whole text.
pub type LiteralStarts = Vec<Option<Vec<usize>>>;

impl Gate {
    /// Where each rule's literals start in `text` (see [`LiteralStarts`]).
    pub fn literal_starts(&self, text: &str) -> LiteralStarts {
        let folds = self.ignore_case && text.contains(['\u{212A}', '\u{17F}']);
        let automaton = match &self.automaton {
            Some(automaton) if !folds => automaton,
            _ => return vec![None; self.needs.len()],
        };
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); self.literals];
        for found in automaton.find_overlapping_iter(text) {
            at[found.pattern().as_usize()].push(found.start());
        }
        self.needs
            .iter()
            .map(|need| {
                need.as_ref().map(|ids| {
                    let mut starts: Vec<usize> =
                        ids.iter().flat_map(|&i| at[i].iter().copied()).collect();
                    starts.sort_unstable();
                    starts.dedup();
                    starts
                })
            })
            .collect()
    }
}

/// Literals of which every match of `pattern` contains one, as written,
/// if there are such of at least two bytes each: `Zweckverband` for
/// `Zweckverband(?:es)?\s+\w+`, `inisterium` for `[Mm]inisterium`, `KDO`
/// and `KRZ` for `(?:KDO|KRZ)\s`. `None` when the pattern holds none, or
/// does not parse.
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    required(pattern).map(|r| r.literals)
}

/// What every match of a pattern holds: one of `literals` (as
/// [`required_literals`] gives them), starting at most `lead` bytes after
/// the match's start (`None`: no bound, `[\p{L}]+verein`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// The literals, one of which is in every match.
    pub literals: Vec<String>,
    /// The most bytes of a match before its literal: 6 for
    /// `(?:IT-|Gesamt)?Zweckverband`, 0 for `Zweckverband`.
    pub lead: Option<usize>,
}

/// The literals every match of `pattern` holds and how far into the match
/// they may start; `None` as for [`required_literals`].
pub fn required(pattern: &str) -> Option<Required> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let found = literals_of(&hir)?;
    let usable =
        found.literals.iter().all(|l| l.len() >= 2) && found.literals.len() <= MAX_ALTERNATIVES;
    usable.then(|| Required {
        literals: found
            .literals
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect(),
        lead: found.lead,
    })
}

/// More alternatives than this make a gate that opens on almost anything.
const MAX_ALTERNATIVES: usize = 64;

/// Byte strings one of which is in every match, and the most bytes before it.
struct Found {
    literals: Vec<Vec<u8>>,
    lead: Option<usize>,
}

/// One of these byte strings is in every match of `hir`.
fn literals_of(hir: &Hir) -> Option<Found> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(Found {
            literals: vec![literal.0.to_vec()],
            lead: Some(0),
        }),
        HirKind::Capture(capture) => literals_of(&capture.sub),
        // The first repetition holds one, as far in as in the sub-pattern.
        HirKind::Repetition(repetition) if repetition.min >= 1 => literals_of(&repetition.sub),
        HirKind::Alternation(branches) => {
            let mut literals = Vec::new();
            let mut lead = Some(0);
            for branch in branches {
                let found = literals_of(branch)?;
                literals.extend(found.literals);
                lead = lead.zip(found.lead).map(|(a, b)| a.max(b));
            }
            literals.sort();
            literals.dedup();
            Some(Found { literals, lead })
        }
        HirKind::Concat(items) => {
            let mut best: Option<Found> = None;
            let mut run: Vec<u8> = Vec::new();
            // The most bytes the items before the current one can take.
            let mut before = Some(0usize);
            let mut run_before = Some(0usize);
            let mut consider = |candidate: Option<Found>, before: Option<usize>| {
                if let Some(mut candidate) = candidate.filter(|c| !c.literals.is_empty())
                    && best
                        .as_ref()
                        .is_none_or(|b| better(&candidate.literals, &b.literals))
                {
                    candidate.lead = before
                        .zip(candidate.lead)
                        .and_then(|(a, b)| a.checked_add(b));
                    best = Some(candidate);
                }
            };
            for item in items {
                if let HirKind::Literal(literal) = item.kind() {
                    if run.is_empty() {
                        run_before = before;
                    }
                    run.extend_from_slice(&literal.0);
                } else {
                    if !run.is_empty() {
                        let literals = vec![std::mem::take(&mut run)];
                        consider(
                            Some(Found {
                                literals,
                                lead: Some(0),
                            }),
                            run_before,
                        );
                    }
                    consider(literals_of(item), before);
                }
                before = before
                    .zip(item.properties().maximum_len())
                    .and_then(|(a, b)| a.checked_add(b));
            }
            if !run.is_empty() {
                consider(
                    Some(Found {
                        literals: vec![run],
                        lead: Some(0),
                    }),
                    run_before,
                );
            }
            best
        }
        _ => None,
    }
}

/// Whether literal set `a` makes the sharper test: its shortest literal is
/// longer, or as long with fewer alternatives.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let shortest = |s: &[Vec<u8>]| s.iter().map(Vec::len).min().unwrap_or(0);
    (shortest(a), std::cmp::Reverse(a.len())) > (shortest(b), std::cmp::Reverse(b.len()))
}

/// The longest run of ASCII letters that every match of `pattern` contains,
/// if it has one of at least two letters: letters outside any group, class
/// or escape, and not under a quantifier that lets them be absent. A
/// pattern with `|` outside groups has none (either side may match).
pub fn required_letters(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let (mut best, mut run) = (String::new(), String::new());
    let mut depth = 0usize;
    let mut i = 0;
    let keep = |run: &mut String, best: &mut String| {
        if run.len() > best.len() {
            *best = std::mem::take(run);
        }
        run.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                keep(&mut run, &mut best);
                i = skip_escape(&chars, i);
                continue;
            }
            '[' => {
                keep(&mut run, &mut best);
                i = skip_class(&chars, i);
                continue;
            }
            '(' => {
                keep(&mut run, &mut best);
                depth += 1;
            }
            ')' => {
                keep(&mut run, &mut best);
                depth = depth.checked_sub(1)?;
            }
            '|' if depth == 0 => return None,
            c if depth == 0 && c.is_ascii_alphabetic() => {
                let next = chars.get(i + 1);
                if matches!(next, Some('?' | '*' | '{')) {
                    keep(&mut run, &mut best);
                } else {
                    run.push(c);
                    if next == Some(&'+') {
                        keep(&mut run, &mut best);
                    }
                }
            }
            _ => keep(&mut run, &mut best),
        }
        i += 1;
    }
    keep(&mut run, &mut best);
    (best.len() >= 2).then_some(best)
}

/// The index after the escape at `i` (`\w`, `\.`, `\p{L}`, `\pL`, `\x{41}`).
fn skip_escape(chars: &[char], i: usize) -> usize {
    match chars.get(i + 1) {
        Some('p' | 'P' | 'x' | 'u' | 'U') if chars.get(i + 2) == Some(&'{') => chars[i + 2..]
            .iter()
            .position(|&c| c == '}')
            .map_or(chars.len(), |close| i + 2 + close + 1),
        Some('p' | 'P') => i + 3,
        _ => i + 2,
    }
}

/// The index after the character class that opens at `i`.
fn skip_class(chars: &[char], i: usize) -> usize {
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        j += 1;
    }
    if chars.get(j) == Some(&']') {
        j += 1; // a `]` first in the class is a literal
    }
    let mut depth = 1;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_runs_are_what_every_match_holds() {
        assert_eq!(
            required_letters(r"kooperier\w*").as_deref(),
            Some("kooperier")
        );
        assert_eq!(
            required_letters(r"\w*kooperation\w*").as_deref(),
            Some("kooperation")
        );
        assert_eq!(
            required_letters("[Üü]bernahme").as_deref(),
            Some("bernahme")
        );
        assert_eq!(
            required_letters(r"aus(?:zu)?treten").as_deref(),
            Some("treten")
        );
        assert_eq!(
            required_letters("Mitglied(?:er)?").as_deref(),
            Some("Mitglied")
        );
        assert_eq!(
            required_letters(r"ins\sLeben\sgerufen").as_deref(),
            Some("gerufen")
        );
        assert_eq!(
            required_letters("IT-Dienstleister").as_deref(),
            Some("Dienstleister")
        );
        assert_eq!(required_letters(r"zusammen\b").as_deref(), Some("zusammen"));
        // An optional or repeated letter is not required.
        assert_eq!(required_letters("Trägers?").as_deref(), Some("ger"));
        assert_eq!(required_letters("ab+c").as_deref(), Some("ab"));
        // No letters to rely on.
        assert_eq!(required_letters(r"\p{Lu}\w+"), None);
        assert_eq!(required_letters("a|b"), None);
        assert_eq!(required_letters("Fusion|Zusammenschluss"), None);
        assert_eq!(required_letters("[a-z]{3}"), None);
        assert_eq!(required_letters("(?:an|bei)"), None);
    }

    #[test]
    fn literals_every_match_holds_as_written() {
        let got = |p: &str| required_literals(p);
        assert_eq!(
            got(r"Zweckverband(?:es|s)?\s+\w+"),
            Some(vec!["Zweckverband".into()])
        );
        assert_eq!(
            got(r"[\p{Lu}][\p{Ll}]+ministerium"),
            Some(vec!["ministerium".into()])
        );
        assert_eq!(
            got(r"(?:Bundes|Landes)?[Mm]inisterium\s+für"),
            Some(vec!["inisterium".into()])
        );
        assert_eq!(
            got(r"(?:KDO|KRZ)\s+\w"),
            Some(vec!["KDO".into(), "KRZ".into()])
        );
        assert_eq!(got(r"(?P<head>IT-)?Verbund"), Some(vec!["Verbund".into()]));
        // Nothing every match must hold.
        assert_eq!(got(r"\p{Lu}\w+"), None);
        assert_eq!(got(r"(?:Verbund)?\s\w+"), None);
        assert_eq!(got(r"KDO|\w+"), None);
        assert_eq!(got(r"(?i:verbund)"), None);
        assert_eq!(got("(unclosed"), None);
    }

    #[test]
    fn the_gate_opens_for_rules_whose_letters_are_there_and_for_rules_without_any() {
        let rules = [
            vec![
                r"kooperier\w*".to_string(),
                r"\w*zusammenarbeit".to_string(),
            ],
            vec!["Fusion".to_string()],
            vec![],
            vec![r"\p{Lu}+".to_string()],
        ];
        let gate = Gate::for_trigger_words(rules.iter().map(Vec::as_slice));
        // Invented sentences.
        assert_eq!(
            gate.open_rules("Die Städte KOOPERIEREN seit 2020."),
            [true, false, true, true]
        );
        assert_eq!(
            gate.open_rules("Die Verwaltungszusammenarbeit und die Fusion"),
            [true, true, true, true]
        );
        assert_eq!(gate.open_rules("Nichts davon."), [false, false, true, true]);
        // Under Unicode case folding `k` matches the Kelvin sign: let all in.
        assert_eq!(
            gate.open_rules("\u{212A}ooperieren"),
            [true, true, true, true]
        );
    }
}
