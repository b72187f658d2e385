//! The DuckDB and pandas snippets of README.md run on the seeds' output.

mod common;

use std::path::PathBuf;
use std::process::Command;

use ikz::tables::{CsvCompression, Formats};

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
    assert!(blocks.iter().any(|b| b.contains(".csv.gz")));

    let rules = common::repo_rules();
    let dir = tempfile::tempdir().expect("temp dir");
    let formats = Formats {
        graphml: true,
        ..Formats::ALL
    };
    let mut extract = ikz::pipeline::Extract::new(vec![root.join("seeds")], dir.path().join("out"));
    extract.formats = formats;
    extract.run(&rules).expect("extract");
    let mut gzipped =
        ikz::pipeline::Extract::new(vec![root.join("seeds")], dir.path().join("out-gz"));
    gzipped.formats = Formats {
        parquet: false,
        csv: true,
        csv_compression: CsvCompression::Gzip,
        ..Formats::ALL
    };
    gzipped.run(&rules).expect("extract with gzip");
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

/// `.ci/run` runs exactly the README's test command (the second line of
/// its first shell block), and that command makes its own virtual
/// environment, so it works where system-wide `pip` is refused.
#[test]
fn ci_runs_the_readme_test_command() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let block: Vec<&str> = readme
        .lines()
        .skip_while(|l| l.trim() != "```sh")
        .skip(1)
        .take_while(|l| l.trim() != "```")
        .collect();
    assert_eq!(block.len(), 2, "the README starts with two commands");
    assert!(block[0].contains("extract seeds"));
    let test_command = block[1];
    assert!(test_command.contains("-m venv"), "{test_command}");
    assert!(test_command.contains("cargo test --release"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    let last = ci
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .expect("a command");
    assert_eq!(last.trim(), test_command.trim());
}
