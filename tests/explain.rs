//! `ikz explain FILE` (issue #10, item 6): the report agrees with the tables
//! `ikz extract` writes for the same page — every kept line is a body line,
//! every mention and relation row appears with its offsets, ids and rule —
//! dropped lines name a rule of the rule files, candidate misses are marked
//! where a trigger word and two parties gave nothing, and bad arguments get
//! clear errors.

mod common;
use common::{ikz, read_csv, root};
use std::path::Path;
use std::process::Output;

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "ikz failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 report")
}

/// The report and the tables of one real page from another site.
fn explain_and_extract(page: &Path) -> (String, tempfile::TempDir) {
    let page = page.to_str().expect("utf-8 path");
    let report = stdout(&ikz(&["explain", page]));
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out = out.to_str().expect("utf-8 path");
    stdout(&ikz(&["extract", page, "--out", out, "--format", "csv"]));
    (report, dir)
}

fn lines_starting<'a>(report: &'a str, prefix: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter(|l| l.trim_start().starts_with(prefix))
        .collect()
}

#[test]
fn report_agrees_with_the_tables_on_a_real_page() {
    let page = root().join("../shared/dev/docs/dev03.txt");
    let (report, dir) = explain_and_extract(&page);
    let out = dir.path().join("out");

    // Kept lines are the body's lines, in order.
    let documents = read_csv(&out.join("documents.csv"));
    let body = &documents[0]["body"];
    let kept: Vec<&str> = report
        .lines()
        .filter(|l| l.get(5..7) == Some("+ "))
        .map(|l| l.split_once(" | ").map_or("", |(_, text)| text))
        .collect();
    assert_eq!(kept, body.split('\n').collect::<Vec<_>>());

    // Every dropped line names its rule, and `drop:` rules exist in the file.
    let boilerplate =
        std::fs::read_to_string(root().join("rules/boilerplate.toml")).expect("rules");
    let dropped: Vec<&str> = report
        .lines()
        .filter(|l| l.get(5..7) == Some("- "))
        .collect();
    assert!(!dropped.is_empty(), "a real page has chrome to drop");
    for line in &dropped {
        let rule = line[7..].split_whitespace().next().unwrap_or("");
        assert!(!rule.is_empty() && rule != "|", "no rule named: {line}");
        if let Some(id) = rule.strip_prefix("drop:") {
            assert!(
                boilerplate.contains(&format!("id = \"{id}\"")),
                "{id} is no rule"
            );
        }
    }

    // Sentences, mentions and relations: as many as the tables hold, and
    // each row is in the report with its offsets, entity id and rule.
    let sentences = read_csv(&out.join("sentences.csv"));
    assert_eq!(lines_starting(&report, "[s").len(), sentences.len());
    let mentions = read_csv(&out.join("mentions.csv"));
    let mention_lines = lines_starting(&report, "mention ");
    assert_eq!(mention_lines.len(), mentions.len());
    for m in &mentions {
        let span = format!("{}..{}", m["start"], m["end"]);
        let found = mention_lines.iter().any(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.get(1) == Some(&m["label"].as_str())
                && words.get(2) == Some(&m["entity_id"].as_str())
                && words.get(3) == Some(&span.as_str())
                && words.get(4) == Some(&m["method"].as_str())
                && words.get(6) == Some(&m["rule_id"].as_str())
        });
        assert!(found, "mention row {m:?} is not in the report");
    }
    let relations = read_csv(&out.join("relations.csv"));
    let relation_lines = lines_starting(&report, "relation ");
    assert!(!relations.is_empty(), "the page has relations");
    assert_eq!(relation_lines.len(), relations.len());
    for r in &relations {
        let found = relation_lines.iter().any(|l| {
            l.contains(&format!(" {} ", r["type"]))
                && l.contains(&format!("{} „", r["subject_id"]))
                && l.contains(&format!("-> {} „", r["object_id"]))
                && l.ends_with(&format!("rule {}", r["rule_id"]))
        });
        assert!(found, "relation row {r:?} is not in the report");
    }
}

#[test]
fn a_trigger_word_with_two_parties_and_no_relation_is_a_candidate_miss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.txt");
    std::fs::write(
        &page,
        "Gespräche im Kreis\n\n\
         Die Stadt Lemgo und die Stadt Detmold wollen künftig kooperieren.\n\n\
         Über eine Fusion wurde lange gesprochen, in Lemgo wie in Detmold, doch ein Beschluss steht aus.\n",
    )
    .expect("write");
    let report = stdout(&ikz(&["explain", page.to_str().expect("utf-8")]));
    let relations = lines_starting(&report, "relation ");
    assert_eq!(relations.len(), 1, "{report}");
    assert!(relations[0].contains("COOPERATION"), "{report}");
    let misses = lines_starting(&report, "MISS?");
    assert_eq!(misses.len(), 1, "{report}");
    assert!(misses[0].contains("MERGER word „Fusion“"), "{report}");
    assert!(misses[0].contains("ags:05766044") && misses[0].contains("ags:05766020"));
    // The sentence with a relation of the trigger's type is no miss.
    let coop = report.find("kooperieren.").expect("sentence shown");
    let fusion = report.find("Über eine Fusion").expect("sentence shown");
    let miss_at = report.find("MISS?").expect("miss shown");
    assert!(coop < fusion && fusion < miss_at);
}

#[test]
fn explain_picks_one_document_of_a_json_lines_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pages.jsonl");
    std::fs::write(
        &file,
        "{\"id\": \"a\", \"text\": \"Die Stadt Lemgo und die Stadt Detmold kooperieren.\"}\n\
         {\"id\": \"b\", \"text\": \"Der Kreis Soest und die Stadt Lippstadt kooperieren.\"}\n",
    )
    .expect("write");
    let file = file.to_str().expect("utf-8");
    let both = stdout(&ikz(&["explain", file]));
    assert!(both.contains("# a (") && both.contains("# b ("));
    let one = stdout(&ikz(&["explain", file, "--doc", "b"]));
    assert!(!one.contains("# a (") && one.contains("# b (") && one.contains("Lippstadt"));

    let missing = ikz(&["explain", file, "--doc", "c"]);
    assert_eq!(missing.status.code(), Some(2));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("no document with doc_id `c`") && message.contains("a, b"),
        "{message}"
    );
}

#[test]
fn explain_says_what_to_do_with_a_folder_or_a_missing_file() {
    let folder = ikz(&["explain", "seeds"]);
    assert_eq!(folder.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&folder.stderr).contains("is a folder"));
    let missing = ikz(&["explain", "no/such/page.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(
        message.contains("no/such/page.txt") && message.contains("no such file"),
        "{message}"
    );
}

#[test]
fn the_readme_example_is_what_explain_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("$ ikz explain ")
        .expect("README shows an explain example");
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("block ends")];
    let mut lines = block.lines();
    let command = lines.next().expect("command line");
    let file = command.trim_start_matches("$ ikz explain ").trim();
    let report = stdout(&ikz(&["explain", file]));
    let printed: Vec<&str> = report.lines().map(str::trim_end).collect();
    for line in lines.filter(|l| l.trim() != "…" && !l.trim().is_empty()) {
        assert!(
            printed.contains(&line.trim_end()),
            "README line not printed by `ikz explain {file}`:\n{line}"
        );
    }
}

#[test]
fn a_trigger_word_inside_a_description_is_no_candidate_miss() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.txt");
    std::fs::write(
        &page,
        "Fusion\n\nIm Jahr 2020 fusionierten die KDO und die ITEBO zu einem IT-Dienstleister. \
         Er heißt seither Komm24 und sitzt in Celle.\n",
    )
    .expect("write");
    let report = stdout(&ikz(&["explain", page.to_str().expect("utf-8")]));
    assert!(
        report.contains("reference") && report.contains("„einem IT-Dienstleister“ -> org:komm24"),
        "{report}"
    );
    assert!(!report.contains("MISS?     IT_PROVIDER_OF"), "{report}");
    assert!(report.contains("MERGED_INTO"), "{report}");
}
