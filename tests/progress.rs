//! What `ikz extract` says on standard error: the closing summary line,
//! whose counts are those of the tables, and nothing but problems with
//! `--quiet`.

mod common;

use common::{ikz, read_csv};

#[test]
fn the_summary_line_counts_what_the_tables_hold() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8 path");
    let run = ikz(&[
        "extract",
        "seeds",
        "../shared/dev/docs",
        "--out",
        out_arg,
        "--format",
        "csv",
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let last = stderr.lines().last().expect("a summary line");
    let rows = |table: &str| read_csv(&out.join(format!("{table}.csv"))).len();
    let expected = format!(
        "ikz: {} documents, {} mentions, {} relations, 0 errors (inputs skipped), 0 warnings in ",
        rows("documents"),
        rows("mentions"),
        rows("relations")
    );
    assert!(last.starts_with(&expected), "{last}\nexpected: {expected}");
    assert!(last.contains(" MB/s) -> "), "{last}");
    // Not a terminal: no bar and no escape codes.
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

#[test]
fn quiet_prints_problems_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8 path");
    let quiet = ikz(&["extract", "seeds", "--out", out_arg, "--quiet"]);
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    // Away from the repository the built-in rules run: not a word of it.
    let seeds = common::root().join("seeds");
    let elsewhere = std::process::Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args([
            "extract",
            seeds.to_str().expect("utf-8"),
            "--out",
            "out2",
            "-q",
        ])
        .current_dir(dir.path())
        .output()
        .expect("ikz runs");
    assert!(elsewhere.status.success());
    assert_eq!(String::from_utf8_lossy(&elsewhere.stderr), "");
    assert!(dir.path().join("out2/relations.parquet").is_file());
    assert!(out.join("relations.parquet").is_file());
    // A broken input is still reported, and the summary stays silent.
    let broken = dir.path().join("broken.txt");
    std::fs::write(&broken, [0xff, 0xfe, 0x00, 0xd8, 0x00]).expect("write");
    let again = ikz(&[
        "extract",
        broken.to_str().expect("utf-8"),
        "--out",
        out_arg,
        "-q",
    ]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("broken.txt"), "{stderr}");
    assert!(!stderr.contains(" documents, "), "{stderr}");
}
