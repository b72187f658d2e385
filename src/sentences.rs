//! Stage 3: German sentence splitting (ANNOTATION.md §2).
//!
//! A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets)
//! followed by white space and a word that does not start in lower case,
//! unless the dot belongs to an abbreviation (`rules/abbreviations.txt`), an
//! initial (`M.`, `v. l.`), an ordinal or date (`10. Kommunaler`), a
//! dateline (`Lemgo. Mehrere …`), or stands inside parentheses. A line break
//! ends a sentence too (headlines, captions, subheadings have no final
//! punctuation) unless the line ends in `:` or the next line starts in lower
//! case or with `(` (but opens no photo caption such as `v.l.:`,
//! `rules/sentences.toml`), or the document keeps a layout's hard line breaks
//! (several long lines without final punctuation, as in a PDF's text) and
//! the line is one of them. Spans the boilerplate stage marked as belonging to no
//! sentence (`(bs)`, inline photo credits) cut sentences and are left out.
//!
//! Every check looks at a bounded window around the candidate, so the stage
//! is linear in the length of the body whatever the input.

use std::collections::HashSet;

use anyhow::Result;
use serde::Deserialize;

use crate::model::{Sentence, Span};
use crate::rules::Source;

/// Compiled sentence-splitting knowledge.
pub struct SentenceRules {
    abbreviations: HashSet<String>,
    /// Openers of a photo caption (`v.l.`): such a line continues nothing.
    caption_openers: Vec<String>,
}

/// `sentences.toml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentencesFile {
    line_breaks: LineBreaks,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineBreaks {
    caption_openers: Vec<String>,
}

impl SentenceRules {
    /// Loads `abbreviations.txt` and `sentences.toml`.
    pub fn load(rules: &Source) -> Result<SentenceRules> {
        let file = rules.open("abbreviations.txt")?;
        let mut abbreviations = HashSet::new();
        for (line, word) in file.word_lines() {
            if !word.ends_with('.') {
                return Err(file.error_on_line(
                    line,
                    &format!(
                        "`{word}` does not end with a dot; write abbreviations with their final dot"
                    ),
                ));
            }
            abbreviations.insert(word.to_string());
        }
        let file = rules.open("sentences.toml")?;
        let raw: SentencesFile = file.parse_toml()?;
        let caption_openers = raw.line_breaks.caption_openers;
        if let Some(bad) = caption_openers
            .iter()
            .find(|o| o.trim().is_empty() || o.trim() != o.as_str())
        {
            let at = file.text.find("caption_openers").unwrap_or(0);
            return Err(file.error_at(
                at,
                &format!(
                    "caption opener `{bad}` is empty or starts or ends with a space; write it as in the text"
                ),
            ));
        }
        Ok(SentenceRules {
            abbreviations,
            caption_openers,
        })
    }
}

/// How far an open parenthesis keeps a dot from ending a sentence.
const MAX_PARENTHESIS_BYTES: usize = 400;

/// The longest token looked at when deciding whether a dot ends a sentence.
const MAX_TOKEN_BYTES: usize = 40;

/// Splits a body into sentences, skipping the `non_sentence` spans.
pub fn split(body: &str, non_sentence: &[Span], rules: &SentenceRules) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut segment_start = 0;
    let wrapped = is_hard_wrapped(body);
    for span in non_sentence {
        if span.start >= segment_start {
            split_segment(
                body,
                segment_start,
                span.start,
                rules,
                wrapped,
                &mut sentences,
            );
            segment_start = span.end;
        }
    }
    split_segment(
        body,
        segment_start,
        body.len(),
        rules,
        wrapped,
        &mut sentences,
    );
    sentences
}

/// A line at least this long (in characters) that ends without sentence
/// punctuation was wrapped by the layout, not ended by its author.
const WRAPPED_LINE_CHARS: usize = 60;

/// How many wrapped lines make a document hard-wrapped (a PDF's text).
const WRAPPED_LINES_NEEDED: usize = 3;

/// Whether `line` looks cut by the layout: long, no final punctuation.
fn looks_wrapped(line: &str) -> bool {
    let line = line.trim_end();
    line.chars().count() >= WRAPPED_LINE_CHARS
        && !line.ends_with(['.', '!', '?', ':', ';', '"', '“', '”', ')'])
        && !is_list_item(line)
}

/// Whether a line is an item of a bulleted list (`- Vorsitzender: …`).
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    ["- ", "– ", "• ", "* ", "· "]
        .iter()
        .any(|b| line.starts_with(b))
}

/// Whether the body keeps a layout's hard line breaks: several long lines
/// end without punctuation. Web articles put a paragraph on one line and
/// keep headlines short, so they never qualify.
fn is_hard_wrapped(body: &str) -> bool {
    body.lines()
        .filter(|l| looks_wrapped(l))
        .take(WRAPPED_LINES_NEEDED)
        .count()
        >= WRAPPED_LINES_NEEDED
}

fn split_segment(
    body: &str,
    from: usize,
    to: usize,
    rules: &SentenceRules,
    wrapped: bool,
    out: &mut Vec<Sentence>,
) {
    let text = &body[from..to];
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut depth = 0usize;
    let mut opened_at = 0;
    let mut i = 0;
    while i < bytes.len() {
        if depth > 0 && i - opened_at > MAX_PARENTHESIS_BYTES {
            depth = 0; // an unclosed `(` holds back splitting only so far
        }
        match bytes[i] {
            b'(' => {
                if depth == 0 {
                    opened_at = i;
                }
                depth += 1;
            }
            b')' => depth = depth.saturating_sub(1),
            b'\n' => {
                if line_break_ends_sentence(text, i, wrapped, rules) {
                    push(body, from + start, from + i, out);
                    start = i + 1;
                }
                depth = 0;
            }
            // Inside brackets a stop ends nothing; the `)` after it must
            // still close the bracket (`(mit Personal!) und …`).
            b'.' | b'!' | b'?' if depth > 0 => {}
            b'.' | b'!' | b'?' => {
                let end = closing_end(text, i + 1);
                if stop_ends_sentence(text, start, i, end, rules) {
                    push(body, from + start, from + end, out);
                    start = end;
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push(body, from + start, from + bytes.len(), out);
}

/// Adds the trimmed span if it holds a word character.
fn push(body: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let piece = &body[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    if s < e && body[s..e].chars().any(char::is_alphanumeric) {
        out.push(Sentence {
            span: Span::new(s, e),
        });
    }
}

/// The byte after the stop and any further stops, closing quotes or brackets.
fn closing_end(text: &str, mut at: usize) -> usize {
    for c in text[at..].chars() {
        if matches!(
            c,
            '.' | '!' | '?' | '"' | '“' | '”' | '»' | '«' | '’' | '\'' | ')' | ']'
        ) {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

/// Whether a line break at `nl` ends the sentence.
fn line_break_ends_sentence(text: &str, nl: usize, wrapped: bool, rules: &SentenceRules) -> bool {
    let line_start = text[..nl].rfind('\n').map_or(0, |p| p + 1);
    let line = &text[line_start..nl];
    let next_is_item = text[nl + 1..].lines().next().is_some_and(is_list_item);
    if line.trim_end().ends_with(':') || (wrapped && looks_wrapped(line) && !next_is_item) {
        return false;
    }
    !continues_previous_line(&text[nl + 1..], rules)
}

/// Whether a line carries on the sentence of the line before: it starts in
/// lower case or with `(` — unless it opens a photo caption (`v.l.: …`,
/// `[line_breaks] caption_openers` in `sentences.toml`).
pub fn continues_previous_line(line: &str, rules: &SentenceRules) -> bool {
    let line = line.trim_start();
    if rules
        .caption_openers
        .iter()
        .any(|o| line.starts_with(o.as_str()))
    {
        return false;
    }
    line.starts_with(|c: char| c.is_lowercase() || c == '(')
}

/// Whether the stop at `stop` (closing material up to `end`) ends a sentence.
fn stop_ends_sentence(
    text: &str,
    start: usize,
    stop: usize,
    end: usize,
    rules: &SentenceRules,
) -> bool {
    let rest = &text[end..];
    let next_word = rest.trim_start();
    if next_word.len() == rest.len() && !rest.is_empty() {
        return false; // no white space after the stop: `14.07.2016`, `LWL.IT`
    }
    let Some(next) = next_word.chars().next() else {
        return true;
    };
    if rest[..rest.len() - next_word.len()].contains('\n') {
        return true;
    }
    if next.is_lowercase() || matches!(next, ',' | ';' | ':' | '-' | '–' | ')') {
        return false;
    }
    if text.as_bytes()[stop] != b'.' {
        return true;
    }
    let token = token_before(text, stop);
    !(is_abbreviation(token, rules) || is_ordinal(token) || is_dateline(text, start, stop))
}

/// The word ending with the dot at `stop`, at most [`MAX_TOKEN_BYTES`] long.
fn token_before(text: &str, stop: usize) -> &str {
    let mut from = stop.saturating_sub(MAX_TOKEN_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..=stop];
    let token = match window.rfind(char::is_whitespace) {
        Some(p) => &window[p..],
        None => window,
    };
    token
        .trim_start()
        .trim_start_matches(['(', '[', '„', '"', '“', '»', '‚', '\''])
}

fn is_abbreviation(token: &str, rules: &SentenceRules) -> bool {
    if rules.abbreviations.contains(token) {
        return true;
    }
    let letters: Vec<char> = token.chars().collect();
    let single_letter = letters.len() == 2 && letters[0].is_alphabetic();
    let dotted = letters.len() >= 4
        && letters
            .chunks(2)
            .all(|pair| pair.len() == 2 && pair[0].is_alphabetic() && pair[1] == '.');
    single_letter || dotted
}

/// `10.`, `1.` — one to three digits and a dot read as an ordinal or a day.
fn is_ordinal(token: &str) -> bool {
    let digits = &token[..token.len() - 1];
    (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `Lemgo. Mehrere Kommunen …`: a single capitalised word opening a line.
fn is_dateline(text: &str, start: usize, stop: usize) -> bool {
    if stop - start > 2 * MAX_TOKEN_BYTES {
        return false;
    }
    let so_far = text[start..stop].trim_start();
    let before = text[..start].trim_end_matches([' ', '\t']);
    let opens_line = before.is_empty() || before.ends_with('\n');
    opens_line
        && !so_far.is_empty()
        && !so_far.contains(char::is_whitespace)
        && so_far.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str, non_sentence: &[Span]) -> Vec<String> {
        let rules = SentenceRules::load(&Source::folder(std::path::Path::new("rules"))).unwrap();
        split(body, non_sentence, &rules)
            .iter()
            .map(|s| {
                body[s.span.start..s.span.end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn abbreviations_ordinals_initials_do_not_split() {
        let body = "Zum stv. Vorsitzenden wurde Karl Ostendorf am 03. März 2021 gewählt. Personen v. l. Ina Brückner, Dr. Timo Vasel u.a. sind da. Thomas M. Müller kam zum 10. Kommunalen IT-Sicherheitskongress.";
        assert_eq!(
            texts(body, &[]),
            [
                "Zum stv. Vorsitzenden wurde Karl Ostendorf am 03. März 2021 gewählt.",
                "Personen v. l. Ina Brückner, Dr. Timo Vasel u.a. sind da.",
                "Thomas M. Müller kam zum 10. Kommunalen IT-Sicherheitskongress."
            ]
        );
    }

    #[test]
    fn a_stop_inside_brackets_ends_nothing_and_the_bracket_still_closes() {
        // Invented sentences.
        let body = "Der Bereich (mit Personal!) ist gut. Auch das Essen. Es war gut (wirklich!). Dann (vgl. S. 5) ging er.";
        assert_eq!(
            texts(body, &[]),
            [
                "Der Bereich (mit Personal!) ist gut.",
                "Auch das Essen.",
                "Es war gut (wirklich!).",
                "Dann (vgl. S. 5) ging er."
            ]
        );
    }

    #[test]
    fn quotes_lines_and_colons() {
        let body = "Kassel/Fulda:\nE-Akte gemeinsam eingeführt\n„Die IT steht vor Veränderungen“, erklärte er. „Wir sind froh.“ „Gemeinsam geht es.“\nStärkung der Zusammenarbeit\nITEBO-Vorstand Meyer eröffnete die Ausstellung\nim neuen Rechenzentrum.";
        assert_eq!(
            texts(body, &[]),
            [
                "Kassel/Fulda: E-Akte gemeinsam eingeführt",
                "„Die IT steht vor Veränderungen“, erklärte er.",
                "„Wir sind froh.“",
                "„Gemeinsam geht es.“",
                "Stärkung der Zusammenarbeit",
                "ITEBO-Vorstand Meyer eröffnete die Ausstellung im neuen Rechenzentrum."
            ]
        );
    }

    #[test]
    fn datelines_stay_and_non_sentence_spans_are_cut_out() {
        let body =
            "Lemgo. Mehrere Kommunen wollen beitreten. Das geschah 2010. Dann kam mehr. (bs)";
        let bs = body.find(" (bs)").unwrap();
        assert_eq!(
            texts(body, &[Span::new(bs, body.len())]),
            [
                "Lemgo. Mehrere Kommunen wollen beitreten.",
                "Das geschah 2010.",
                "Dann kam mehr."
            ]
        );
    }

    #[test]
    fn a_caption_opener_starts_a_new_sentence_in_lower_case() {
        let body =
            "Die Landräte unterzeichneten\nv.l.: Petra Kranz, Klaus Brenner\nund weitere Gäste.";
        assert_eq!(
            texts(body, &[]),
            [
                "Die Landräte unterzeichneten",
                "v.l.: Petra Kranz, Klaus Brenner und weitere Gäste."
            ]
        );
    }

    #[test]
    fn long_runs_of_dots_are_linear_and_safe() {
        let body = format!("A{}B", ".".repeat(500_000));
        let n = texts(&body, &[]).len();
        assert!(n <= 2);
    }
}
