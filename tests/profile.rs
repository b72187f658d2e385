//! `ikz extract --profile` tells where the time went, stage by stage.

mod common;
use common::{ikz, root};

#[test]
fn profile_names_every_stage_and_its_share_and_leaves_the_tables_alone() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    let profiled = dir.path().join("profiled");
    let shared = root().join("../shared/dev/docs");
    let shared = shared.to_str().unwrap();
    let run = |out: &std::path::Path, profile: bool| {
        let mut args = vec!["extract", "seeds", shared, "--out", out.to_str().unwrap()];
        if profile {
            args.push("--profile");
        }
        let output = ikz(&args);
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap()
    };
    run(&plain, false);
    let report = run(&profiled, true);
    assert!(
        report.contains("rules and data loaded and compiled in"),
        "{report}"
    );
    let mut shares = 0.0;
    for stage in [
        "read",
        "decode",
        "boilerplate",
        "sentences",
        "entities",
        "references",
        "relations",
        "write",
    ] {
        let line = report
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{stage} ")))
            .unwrap_or_else(|| panic!("no line for {stage}: {report}"));
        let share: f64 = line
            .trim_end_matches('%')
            .split_whitespace()
            .next_back()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no share in {line:?}"));
        shares += share;
    }
    assert!(
        (shares - 100.0).abs() < 0.5,
        "shares add up to {shares}: {report}"
    );
    // The five seeds and twelve dev pages, about 90 KB.
    let wall = report.lines().find(|l| l.contains("wall time")).unwrap();
    assert!(
        wall.contains("MB of input") && wall.contains("MB/s"),
        "{wall}"
    );
    for table in ["documents.csv", "mentions.csv", "relations.csv"] {
        let a = std::fs::read(plain.join(table)).unwrap();
        let b = std::fs::read(profiled.join(table)).unwrap();
        assert_eq!(a, b, "{table} differs with --profile");
    }
}
