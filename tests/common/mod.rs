//! Helpers shared by the integration tests. Each test file uses only some
//! of them, hence the `allow`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ikz::pipeline::Rules;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `ikz` binary in the repository root and waits for it.
pub fn ikz(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("ikz runs")
}

/// The rules and data of this checkout (not the built-in copies).
pub fn repo_rules() -> Rules {
    Rules::load(Some(&root().join("rules")), Some(&root().join("data"))).expect("rules load")
}

/// Reads an output CSV table into one map per row, column name to value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("csv opens");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The folder of the German sentence benchmark (UD German-GSD).
pub fn gsd_bench() -> PathBuf {
    root().join("../shared/bench/sentences")
}

/// Boundary F1 of a `para<TAB>start<TAB>end` file on one split (`dev`,
/// `test`) of the GSD benchmark, by that benchmark's own `score.py`.
pub fn gsd_boundary_f1(split: &str, system: &Path) -> f64 {
    let bench = gsd_bench();
    let run = std::process::Command::new("python3")
        .arg(bench.join("score.py"))
        .arg(bench.join(format!("{split}.gold.tsv")))
        .arg(system)
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

/// Runs a Python check (`python3 -c SCRIPT ARGS…`, the venv's Python first
/// on the PATH) and fails the test with its standard error, prefixed by
/// `what`, unless it succeeds.
#[allow(dead_code)] // not every test file runs Python
pub fn python_check(what: &str, script: &str, args: &[&str]) {
    let run = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
