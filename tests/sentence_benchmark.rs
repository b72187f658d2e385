//! The sentence stage on the German sentence benchmark of
//! `../shared/bench/sentences` (UD German-GSD), scored by its own
//! `score.py`: boundary F1 must stay ahead of spaCy's sentencizer on both
//! splits (0.902 test, 0.978 dev in that benchmark's README).

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use ikz::pipeline::Rules;

fn boundary_f1(split: &str, rules: &Rules) -> f64 {
    let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/sentences");
    let text = std::fs::read_to_string(bench.join(format!("{split}.txt"))).expect("benchmark text");
    let dir = tempfile::tempdir().expect("temp dir");
    let system = dir.path().join("system.tsv");
    let mut out = std::fs::File::create(&system).expect("create");
    writeln!(out, "para\tstart\tend").expect("write");
    for (para, line) in text.split('\n').enumerate() {
        for s in ikz::sentences::split(line, &[], &rules.sentences) {
            let start = line[..s.span.start].chars().count();
            let end = start + line[s.span.start..s.span.end].chars().count();
            writeln!(out, "{para}\t{start}\t{end}").expect("write");
        }
    }
    drop(out);
    let run = Command::new("python3")
        .arg(bench.join("score.py"))
        .arg(bench.join(format!("{split}.gold.tsv")))
        .arg(&system)
        .arg("--text")
        .arg(bench.join(format!("{split}.txt")))
        .arg("--json")
        .output()
        .expect("python3 runs score.py");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("json");
    json["boundary"]["f1"].as_f64().expect("boundary f1")
}

#[test]
fn sentence_splitter_beats_spacy_on_ud_german_gsd() {
    let rules = common::repo_rules();
    let test = boundary_f1("test", &rules);
    let dev = boundary_f1("dev", &rules);
    println!("boundary F1: test {test:.3}, dev {dev:.3}");
    assert!(test > 0.902, "test boundary F1 {test}");
    assert!(dev > 0.978, "dev boundary F1 {dev}");
}
