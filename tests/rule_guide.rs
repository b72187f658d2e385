//! The worked examples of the README's rule author's guide run as written:
//! each edit (a ```` ```tsv append=FILE ```` or ```` ```toml append=FILE ````
//! block) is appended to a copy of `rules/`, and `ikz explain` of its page
//! (```` ```text page ````) prints every line of its ```` ```text expect ````
//! block — words in order, `…` for columns left out — after the edit and
//! not before; `ikz rules test` passes on the edited copy.

mod common;

use std::path::Path;

use common::{ikz, root};

/// One worked example: the appends, the page and the expected lines.
#[derive(Default)]
struct Worked {
    appends: Vec<(String, String)>,
    page: String,
    expect: Vec<String>,
}

/// The worked examples of the README, in order.
fn worked_examples(readme: &str) -> Vec<Worked> {
    let mut examples = Vec::new();
    let mut current = Worked::default();
    let mut block: Option<(String, String)> = None;
    for line in readme.lines() {
        match &mut block {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    block = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((info, text)) if line == "```" => {
                let (info, text) = (info.clone(), text.clone());
                block = None;
                if let Some(file) = info.split_once("append=").map(|(_, f)| f.to_string()) {
                    current.appends.push((file, text));
                } else if info == "text page" {
                    current.page = text;
                } else if info == "text expect" {
                    current.expect = text.lines().map(str::to_string).collect();
                    examples.push(std::mem::take(&mut current));
                }
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    examples
}

/// Whether some line of `output` holds the words of `expected` in order
/// (`…` matches any run of words).
fn printed(output: &str, expected: &str) -> bool {
    let wanted: Vec<&str> = expected.split_whitespace().filter(|w| *w != "…").collect();
    output.lines().any(|line| {
        let mut words = line.split_whitespace();
        wanted.iter().all(|w| words.any(|x| x == *w))
    })
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

fn explain(page: &Path, rules: &Path) -> String {
    let run = ikz(&[
        "explain",
        page.to_str().expect("utf-8"),
        "--rules",
        rules.to_str().expect("utf-8"),
        "--data",
        root().join("data").to_str().expect("utf-8"),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn every_worked_example_of_the_guide_does_what_it_says() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let examples = worked_examples(&readme);
    assert_eq!(examples.len(), 5, "the guide has five worked examples");
    for (n, example) in examples.iter().enumerate() {
        let dir = tempfile::tempdir().expect("temp dir");
        let page = dir.path().join("page.txt");
        std::fs::write(&page, &example.page).expect("page");
        assert!(!example.appends.is_empty() && !example.expect.is_empty());

        let before = explain(&page, &root().join("rules"));
        for line in &example.expect {
            assert!(
                !printed(&before, line),
                "example {}: `{line}` is printed without the edit:\n{before}",
                n + 1
            );
        }

        let rules = dir.path().join("my-rules");
        copy_folder(&root().join("rules"), &rules);
        for (file, text) in &example.appends {
            let name = file
                .strip_prefix("my-rules/")
                .expect("the guide edits the copy my-rules/ only");
            let path = rules.join(name);
            let mut content = std::fs::read_to_string(&path).expect("rule file");
            if !content.ends_with('\n') {
                content.push('\n');
            }
            content.push('\n');
            content.push_str(text);
            std::fs::write(&path, content).expect("write");
        }
        let after = explain(&page, &rules);
        for line in &example.expect {
            assert!(
                printed(&after, line),
                "example {}: no line `{line}` in:\n{after}",
                n + 1
            );
        }
        let test = ikz(&["rules", "test", "--rules", rules.to_str().expect("utf-8")]);
        assert!(
            test.status.success(),
            "example {}: rules test fails:\n{}",
            n + 1,
            String::from_utf8_lossy(&test.stdout)
        );
    }
}

/// The README block that starts with the line `$ COMMAND`: the command and
/// the lines it shows (a line `…` stands for lines left out).
fn sample(readme: &str, command: &str) -> Vec<String> {
    let start = format!("$ {command}");
    let lines: Vec<&str> = readme.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == start)
        .unwrap_or_else(|| panic!("README has no `{start}` sample"));
    lines[at + 1..]
        .iter()
        .take_while(|l| l.trim() != "```")
        .map(|l| l.to_string())
        .collect()
}

/// Every shown line of a sample, words as printed, is a line of `output`,
/// in order.
fn shown_in_order(shown: &[String], output: &str) {
    let words = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let printed: Vec<Vec<String>> = output.lines().map(words).collect();
    let mut from = 0;
    for line in shown.iter().filter(|l| l.trim() != "…") {
        let wanted = words(line);
        let found = printed[from..].iter().position(|p| *p == wanted);
        let found = found
            .unwrap_or_else(|| panic!("README shows `{line}`, not printed (in order):\n{output}"));
        from += found + 1;
    }
}

#[test]
fn the_readme_samples_of_explain_and_rules_test_are_what_ikz_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let page = "seeds/000_2c791de00880aa42.txt";
    let shown = sample(&readme, &format!("ikz explain {page}"));
    assert!(shown.len() > 15);
    let run = ikz(&["explain", page]);
    assert!(run.status.success());
    shown_in_order(&shown, &String::from_utf8_lossy(&run.stdout));

    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("my-rules");
    copy_folder(&root().join("rules"), &rules);
    let entities = rules.join("entities.toml");
    let text = std::fs::read_to_string(&entities).expect("entities.toml");
    let edited = text.replacen(
        "expect = [\"Datawerk GmbH\"]",
        "expect = [\"Datawerk AG\"]",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&entities, edited).expect("write");
    let shown = sample(&readme, "ikz rules test --rules my-rules");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(["rules", "test", "--rules", "my-rules", "--data"])
        .arg(root().join("data"))
        .current_dir(dir.path())
        .output()
        .expect("ikz runs");
    assert_eq!(run.status.code(), Some(1));
    shown_in_order(&shown, &String::from_utf8_lossy(&run.stdout));
}
