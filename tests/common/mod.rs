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
