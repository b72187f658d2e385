//! `ikz split`: the sentence stage alone, on plain text with one paragraph
//! per line, printing `para<TAB>start<TAB>end` per sentence in character
//! (code point) offsets, the format of `../shared/bench/sentences/score.py`.
//! It lets the splitter be scored and timed beside other German splitters.

use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::sentences::{self, SentenceRules};

/// What a split run did: paragraphs, sentences, characters and the time
/// spent splitting (reading and writing excluded).
#[derive(Debug, Default, Clone, Copy)]
pub struct SplitStats {
    /// Lines read.
    pub paragraphs: usize,
    /// Sentences written.
    pub sentences: usize,
    /// Characters (code points) split.
    pub chars: usize,
    /// Time spent in the splitter.
    pub splitting: Duration,
}

/// Splits every line of `input` into sentences and writes a header and
/// one `para<TAB>start<TAB>end` row per sentence to `output`. `name`
/// (the file, or `standard input`) goes into error messages.
pub fn split_lines(
    input: impl BufRead,
    mut output: impl Write,
    rules: &SentenceRules,
    name: &str,
) -> Result<SplitStats> {
    let mut stats = SplitStats::default();
    writeln!(output, "para\tstart\tend")?;
    for (para, line) in input.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("{name}: cannot read line {}", para + 1))?;
        let line = String::from_utf8(line).map_err(|_| {
            anyhow::anyhow!(
                "{name}:{}: not UTF-8; `ikz split` reads UTF-8 text, one paragraph per line",
                para + 1
            )
        })?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        let started = Instant::now();
        let found = sentences::split(line, &[], rules);
        stats.splitting += started.elapsed();
        stats.paragraphs += 1;
        // Byte offsets to character offsets, walking the line once.
        let (mut byte, mut chars) = (0, 0);
        let mut to_chars = |to: usize| {
            chars += line[byte..to].chars().count();
            byte = to;
            chars
        };
        for sentence in found {
            let start = to_chars(sentence.span.start);
            let end = to_chars(sentence.span.end);
            writeln!(output, "{para}\t{start}\t{end}")?;
            stats.sentences += 1;
        }
        stats.chars += to_chars(line.len());
    }
    output.flush()?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Source;

    #[test]
    fn rows_give_character_offsets_per_paragraph() {
        let rules = SentenceRules::load(&Source::folder(std::path::Path::new("rules"))).unwrap();
        // Invented paragraphs; umlauts make characters and bytes differ.
        let text = "Die Städte prüfen das. Dr. Müller kommt am 5. März.\nÜber alles.\n";
        let mut out = Vec::new();
        let stats = split_lines(text.as_bytes(), &mut out, &rules, "test").unwrap();
        let out = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = out.lines().collect();
        assert_eq!(rows[0], "para\tstart\tend");
        let lines: Vec<&str> = text.split('\n').collect();
        let sentences: Vec<String> = rows[1..]
            .iter()
            .map(|row| {
                let f: Vec<usize> = row.split('\t').map(|x| x.parse().unwrap()).collect();
                lines[f[0]].chars().skip(f[1]).take(f[2] - f[1]).collect()
            })
            .collect();
        assert_eq!(
            sentences,
            [
                "Die Städte prüfen das.",
                "Dr. Müller kommt am 5. März.",
                "Über alles."
            ]
        );
        assert_eq!(stats.sentences, 3);
        assert_eq!(stats.paragraphs, 2); // a final newline ends a line, it opens none
    }
}
