//! Splits one paragraph per input line into sentences and prints
//! `para<TAB>start<TAB>end` in characters: the system-output format of the
//! sentence benchmark in `../shared/bench/sentences` (UD German-GSD).
//!
//! ```sh
//! cargo run --release --example split_sentences < ../shared/bench/sentences/test.txt > /tmp/ikz.tsv
//! python3 ../shared/bench/sentences/score.py ../shared/bench/sentences/test.gold.tsv /tmp/ikz.tsv --text ../shared/bench/sentences/test.txt
//! ```

use std::io::{BufRead, Write};

fn main() -> anyhow::Result<()> {
    let rules = ikz::pipeline::Rules::load(None, None)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(out, "para\tstart\tend")?;
    for (para, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line?;
        for s in ikz::sentences::split(&line, &[], &rules.sentences) {
            let start = line[..s.span.start].chars().count();
            let end = start + line[s.span.start..s.span.end].chars().count();
            writeln!(out, "{para}\t{start}\t{end}")?;
        }
    }
    Ok(())
}
