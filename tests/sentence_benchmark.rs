//! The sentence stage on the German sentence benchmark of
//! `../shared/bench/sentences` (UD German-GSD), scored by its own
//! `score.py`: boundary F1 must stay ahead of spaCy's sentencizer on both
//! splits (0.902 test, 0.978 dev in that benchmark's README).

mod common;

use ikz::pipeline::Rules;

fn boundary_f1(split: &str, rules: &Rules) -> f64 {
    let text =
        std::fs::read(common::gsd_bench().join(format!("{split}.txt"))).expect("benchmark text");
    let dir = tempfile::tempdir().expect("temp dir");
    let system = dir.path().join("system.tsv");
    let out = std::fs::File::create(&system).expect("create");
    ikz::split::split_lines(text.as_slice(), out, &rules.sentences, split).expect("split");
    common::gsd_boundary_f1(split, &system)
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
