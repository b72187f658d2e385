//! End-to-end quality: `ikz extract` on the seed and dev sets, scored with
//! the port of the reference scorer (checked against `score.py` in
//! `eval_matches_score_py.rs`), must reach the thresholds of issue #5 and
//! stay ahead of the quality peer of `../shared/bench/quality`.

mod common;
use common::root;

use std::path::{Path, PathBuf};

use ikz::eval::{Report, score};
use ikz::tables::Formats;

fn shared() -> PathBuf {
    root().join("../shared")
}

/// Extracts `input` into a fresh folder and scores it against `gold`.
fn extract_and_score(input: &Path, gold: &Path) -> Report {
    let rules = common::repo_rules();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let formats = Formats {
        parquet: false,
        csv: true,
        ..Formats::ALL
    };
    let mut extract = ikz::pipeline::Extract::new(vec![input.to_path_buf()], out.clone());
    extract.formats = formats;
    extract.run(&rules).expect("extract runs");
    score(&out, gold).expect("scores")
}

/// The peer's F1 figures for one set: content, sentences, entities strict,
/// entities lenient, relations (the table of bench/quality/README.md).
fn peer(set: &str) -> [f64; 5] {
    let readme =
        std::fs::read_to_string(shared().join("bench/quality/README.md")).expect("peer README");
    let row = readme
        .lines()
        .find(|l| l.starts_with(&format!("| {set} ")))
        .unwrap_or_else(|| panic!("no `{set}` row in the peer table"));
    let cells: Vec<f64> = row
        .split('|')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    assert_eq!(cells.len(), 5, "peer row `{row}`");
    [cells[0], cells[1], cells[2], cells[3], cells[4]]
}

fn assert_ahead_of_peer(report: &Report, set: &str) {
    let p = peer(set);
    let ours = [
        report.content.f1,
        report.sentences.f1,
        report.entities_strict.f1,
        report.entities_lenient.f1,
        report.relations.f1,
    ];
    for (name, (o, p)) in [
        "content",
        "sentences",
        "entities strict",
        "entities lenient",
        "relations",
    ]
    .iter()
    .zip(ours.iter().zip(p))
    {
        assert!(
            *o > p,
            "{set} {name}: ikz {o} is not ahead of the peer's {p}"
        );
    }
}

#[test]
fn seeds_reach_the_thresholds_and_beat_the_peer() {
    let r = extract_and_score(&root().join("seeds"), &shared().join("gold"));
    print!("{r}");
    assert_eq!(r.missing_documents, Vec::<String>::new());
    assert!(r.content.f1 >= 0.97, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 0.95, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.90,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.85, "relation F1 {}", r.relations.f1);
    assert_eq!(r.title_accuracy, 1.0);
    assert_eq!(r.published_accuracy, 1.0);
    assert_ahead_of_peer(&r, "seeds");
}

#[test]
fn dev_reaches_the_thresholds_and_beats_the_peer() {
    let r = extract_and_score(&shared().join("dev/docs"), &shared().join("dev/gold"));
    print!("{r}");
    assert_eq!(r.missing_documents, Vec::<String>::new());
    assert!(r.content.f1 >= 0.95, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 0.90, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.82,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.55, "relation F1 {}", r.relations.f1);
    assert_ahead_of_peer(&r, "dev");
}

/// The pages of `tests/heldout` were written for ikz after ANNOTATION.md by
/// someone who had not seen the rules. Their errors have since been read to
/// find missing general constructions (see tests/heldout/README.md), so they
/// are a regression guard now, not an unseen test set.
#[test]
fn heldout_pages_stay_above_their_floors() {
    let r = extract_and_score(
        &root().join("tests/heldout/docs"),
        &root().join("tests/heldout/gold"),
    );
    print!("{r}");
    assert!(r.content.f1 >= 0.95, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 0.90, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.85,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.75, "relation F1 {}", r.relations.f1);
    assert!(
        r.title_accuracy >= 0.8,
        "title accuracy {}",
        r.title_accuracy
    );
    assert!(
        r.published_accuracy >= 0.9,
        "published accuracy {}",
        r.published_accuracy
    );
}

/// Issue #10: the seeds no lower than before its work (content 1.000,
/// sentences 1.000, entities 0.987, relations 0.993).
#[test]
fn seeds_stay_where_issue_10_found_them() {
    let r = extract_and_score(&root().join("seeds"), &shared().join("gold"));
    assert!(r.content.f1 >= 1.0, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 1.0, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.987,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.992, "relation F1 {}", r.relations.f1);
}

/// Issue #10's floors on `../shared/dev`: already met, so they run in CI.
#[test]
fn dev_reaches_the_floors_of_issue_10() {
    let r = extract_and_score(&shared().join("dev/docs"), &shared().join("dev/gold"));
    assert!(r.content.f1 >= 0.98, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 0.97, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.96,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.80, "relation F1 {}", r.relations.f1);
}

/// Issue #10's floors on `../shared/dev2`, thirteen pages from sites the
/// rules were not written for: content 0.95, sentences 0.92, entities 0.90,
/// relations 0.65 with precision 0.85, every type with at least five gold
/// relations 0.50, and ahead of the peer on every measure.
#[test]
fn dev2_reaches_the_floors_of_issue_10() {
    let r = extract_and_score(&shared().join("dev2/docs"), &shared().join("dev2/gold"));
    print!("{r}");
    assert_eq!(r.missing_documents, Vec::<String>::new());
    assert!(r.content.f1 >= 0.95, "content F1 {}", r.content.f1);
    assert!(r.sentences.f1 >= 0.92, "sentence F1 {}", r.sentences.f1);
    assert!(
        r.entities_strict.f1 >= 0.90,
        "entity F1 {}",
        r.entities_strict.f1
    );
    assert!(r.relations.f1 >= 0.65, "relation F1 {}", r.relations.f1);
    assert!(r.relations.p >= 0.85, "relation P {}", r.relations.p);
    for (kind, score) in &r.relations_by_type {
        if score.gold >= 5 {
            assert!(score.f1 >= 0.50, "{kind} F1 {}", score.f1);
        }
    }
    assert_ahead_of_peer(&r, "dev2");
}
