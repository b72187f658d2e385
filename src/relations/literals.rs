//! One pass per sentence that tells which pattern rules may fire.
//!
//! Every pattern rule with trigger words needs one of them in the sentence,
//! and each trigger word (a small regular expression such as
//! `kooperier\w*` or `[Üü]bernahme`) holds a run of letters that every match
//! contains (`kooperier`, `bernahme`). One Aho-Corasick automaton over all
//! those runs finds, in one pass, which are in a sentence; a rule none of
//! whose runs is there is skipped without running any of its expressions.
//! A rule the gate lets through still runs its exact trigger check, so the
//! gate changes only the speed, never the result.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// The letter runs of every rule's trigger words, and which rules need which.
pub struct TriggerGate {
    /// All letter runs, matched ignoring ASCII case.
    automaton: Option<AhoCorasick>,
    /// Per rule: the runs (indices into the automaton's patterns) of which
    /// one must be in the sentence, or `None` when the rule always runs (it
    /// has no trigger words, or one without a run of letters).
    needs: Vec<Option<Vec<usize>>>,
    /// How many runs there are.
    runs: usize,
}

impl TriggerGate {
    /// The gate for rules with these trigger words (one list per rule).
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a [String]>) -> TriggerGate {
        let mut runs: Vec<String> = Vec::new();
        let mut needs = Vec::new();
        for triggers in rules {
            let letters: Option<Vec<String>> = if triggers.is_empty() {
                None
            } else {
                triggers.iter().map(|t| required_letters(t)).collect()
            };
            needs.push(letters.map(|letters| {
                letters
                    .into_iter()
                    .map(|run| {
                        let run = run.to_ascii_lowercase();
                        match runs.iter().position(|r| *r == run) {
                            Some(i) => i,
                            None => {
                                runs.push(run);
                                runs.len() - 1
                            }
                        }
                    })
                    .collect()
            }));
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&runs)
            .ok();
        TriggerGate {
            automaton,
            runs: runs.len(),
            needs,
        }
    }

    /// Which rules may fire on `text`, by rule index.
    pub fn open_rules(&self, text: &str) -> Vec<bool> {
        let mut present = vec![false; self.runs];
        match &self.automaton {
            // Under Unicode case folding `k` also matches the Kelvin sign and
            // `s` the long s, which an ASCII-case automaton does not see.
            Some(automaton) if !text.contains(['\u{212A}', '\u{17F}']) => {
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
                    .is_none_or(|runs| runs.iter().any(|&r| present[r]))
            })
            .collect()
    }
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
        let gate = TriggerGate::new(rules.iter().map(Vec::as_slice));
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
