//! The DuckDB and pandas snippets of README.md run on the seeds' output.

mod common;

use std::path::PathBuf;
use std::process::Command;

use ikz::tables::Formats;

fn python_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```python") => current = Some(String::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn readme_python_snippets_run_on_the_seed_tables() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let blocks = python_blocks(&readme);
    assert!(
        blocks.len() >= 2,
        "README lost its DuckDB and pandas snippets"
    );
    assert!(blocks.iter().any(|b| b.contains("import duckdb")));
    assert!(blocks.iter().any(|b| b.contains("import pandas")));

    let rules = common::repo_rules();
    let dir = tempfile::tempdir().expect("temp dir");
    let formats = Formats {
        parquet: true,
        csv: true,
    };
    ikz::pipeline::run(
        &[root.join("seeds")],
        &dir.path().join("out"),
        formats,
        &rules,
    )
    .expect("extract");
    for block in blocks {
        let output = Command::new("python3")
            .arg("-c")
            .arg(&block)
            .current_dir(dir.path())
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "snippet failed:\n{block}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
