//! Bad input never stops a run or loses a document (issue #6): every input
//! becomes a document or a diagnostics row, pathological text finishes
//! quickly, broken rule files stop the run before anything is written, the
//! output is atomic and the exit status says what happened. Every case is
//! a real file made here, run through the real binary.

use std::collections::HashMap;

mod common;
use common::{ikz, read_csv, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

const GOOD: &str =
    "Die Stadt Münster und der Landschaftsverband Westfalen-Lippe (LWL) wollen zusammenarbeiten.";

/// A folder holding every kind of bad input of issue #6 next to good ones.
fn bad_folder(dir: &Path) {
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    w("good.txt", GOOD.as_bytes());
    w("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    w("nul.txt", b"Stadt M\xc3\xbcnster\0\0\0 binary tail");
    w(
        "control.txt",
        &[0x01u8, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f].repeat(10),
    );
    w(
        "broken-utf8.txt",
        b"Die Stadt M\xc3\xbcnster kooperiert \xff\xfe mit dem LWL.",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Der Kreis Gütersloh kooperiert.\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    w("utf16.txt", &utf16);
    w("utf8-bom.txt", "\u{feff}Die Stadt Köln plant.".as_bytes());
    w(
        "cp1252.txt",
        b"Der Kreis G\xfctersloh \x96 \x84gemeinsam\x93\r\nzweite Zeile\r\n",
    );
    w(
        "latin1.txt",
        b"Die Gemeinde M\xf6hnesee und die Stadt Soest.",
    );
    w("empty.txt", b"");
    w("blank.txt", b"  \n\t\n ");
    w("name with space.txt", GOOD.as_bytes());
    let jsonl = [
        r#"{"id": "j-good", "text": "Die Stadt Hamm tritt der citeq bei."}"#,
        r#"{"id": "j-bad-json", "text": "unterminated"#,
        r#"{"id": "j-no-text"}"#,
        r#"{"id": "j-number", "text": 42}"#,
        r#"{"id": 7, "text": "Zweite gute Zeile."}"#,
    ];
    w("batch.jsonl", jsonl.join("\n").as_bytes());
    std::fs::create_dir(dir.join("folder.txt")).expect("dir");
    std::fs::write(dir.join("folder.txt/inner.txt"), GOOD).expect("write");
    std::os::unix::fs::symlink(".", dir.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("does-not-exist.txt", dir.join("dangling.txt")).expect("symlink");
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"odd-\xff-name.txt");
    std::fs::write(dir.join(odd), GOOD).expect("write odd name");
}

#[test]
fn every_input_becomes_a_document_or_a_diagnostic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).expect("dir");
    bad_folder(&input);
    let out = tmp.path().join("out");
    let run = ikz(&[
        "extract",
        path(&input),
        "--out",
        path(&out),
        "--format",
        "csv,parquet",
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "some inputs were skipped: {}",
        String::from_utf8_lossy(&run.stderr)
    );

    let docs: HashMap<String, HashMap<String, String>> = read_csv(&out.join("documents.csv"))
        .into_iter()
        .map(|d| (d["doc_id"].clone(), d))
        .collect();
    for id in [
        "good",
        "broken-utf8",
        "utf16",
        "utf8-bom",
        "cp1252",
        "latin1",
        "empty",
        "blank",
        "name with space",
        "j-good",
        "7",
        "folder.txt/inner",
    ] {
        assert!(
            docs.contains_key(id),
            "document `{id}` is missing; have {:?}",
            docs.keys()
        );
    }
    assert!(
        docs.keys()
            .any(|k| k.starts_with("odd-") && k.ends_with("-name"))
    );
    for id in [
        "image",
        "nul",
        "control",
        "j-bad-json",
        "j-no-text",
        "j-number",
    ] {
        assert!(!docs.contains_key(id), "`{id}` should have been skipped");
    }
    assert_eq!(docs["utf16"]["body"], "Der Kreis Gütersloh kooperiert.");
    assert_eq!(docs["utf16"]["encoding"], "UTF-16LE (BOM)");
    assert_eq!(docs["utf8-bom"]["body"], "Die Stadt Köln plant.");
    assert_eq!(docs["cp1252"]["encoding"], "windows-1252");
    assert!(docs["cp1252"]["body"].starts_with("Der Kreis Gütersloh – „gemeinsam“\nzweite Zeile"));
    assert!(docs["latin1"]["body"].contains("Möhnesee"));
    assert!(docs["broken-utf8"]["body"].contains('\u{FFFD}'));

    let diags = read_csv(&out.join("diagnostics.csv"));
    let find = |needle: &str, severity: &str| {
        diags
            .iter()
            .find(|d| d["source"].contains(needle) && d["severity"] == severity)
            .unwrap_or_else(|| panic!("no {severity} diagnostic for `{needle}` in {diags:?}"))
            .clone()
    };
    assert!(find("image.txt", "error")["message"].contains("PNG"));
    assert!(find("nul.txt", "error")["message"].contains("NUL"));
    find("control.txt", "error");
    assert_eq!(find("broken-utf8.txt", "warning")["stage"], "decode");
    find("empty.txt", "warning");
    find("blank.txt", "warning");
    find("batch.jsonl:2", "error");
    assert!(find("batch.jsonl:3", "error")["message"].contains("text"));
    assert!(find("batch.jsonl:4", "error")["message"].contains("not a string"));
    find("loop", "error");
    find("dangling.txt", "error");
    // `folder.txt/inner.txt` and JSONL id `7` are unique; a second `good` is not.
    assert!(diags.iter().all(|d| !d["message"].contains("is taken by")));
    let again = tmp.path().join("again");
    std::fs::create_dir(&again).expect("dir");
    std::fs::write(again.join("good.txt"), GOOD).expect("write");
    let out2 = tmp.path().join("out2");
    let run = ikz(&[
        "extract",
        path(&input),
        path(&again),
        "--out",
        path(&out2),
        "--format",
        "csv",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let diags = read_csv(&out2.join("diagnostics.csv"));
    assert!(diags.iter().any(|d| d["severity"] == "warning"
        && d["doc_id"] == "good~2"
        && d["message"].contains("`good` of")));
    let docs = read_csv(&out2.join("documents.csv"));
    assert_eq!(
        docs.iter()
            .filter(|d| d["doc_id"] == "good" || d["doc_id"] == "good~2")
            .count(),
        2,
        "no document is lost, and each keeps an id of its own"
    );
}

#[test]
fn pathological_text_finishes_without_panic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).expect("dir");
    let sentence = "Die Stadt Münster und der Kreis Steinfurt kooperieren mit der citeq, sagt Bürgermeister Thomas Müller (CDU). ";
    let cases: Vec<(&str, String)> = vec![
        ("long-line", sentence.repeat(10_000_000 / sentence.len())),
        ("dots", ".".repeat(500_000)),
        ("parens", format!("{}Stadt Münster", "(".repeat(100_000))),
        (
            "soft-hyphens",
            "Stadt Mün\u{ad}ster und Zweck\u{ad}verband KAAW. ".repeat(20_000),
        ),
        (
            "zero-width",
            "Stadt\u{200b}Münster\u{200b} und Kreis\u{200b} Borken. ".repeat(20_000),
        ),
        (
            "combining",
            "Stadt Mu\u{308}nster u\u{308}ber Gu\u{308}tersloh. ".repeat(20_000),
        ),
        (
            "one-list",
            format!(
                "{} kooperieren.",
                ["Münster", "Borken", "Ahaus", "Velen"]
                    .repeat(50_000)
                    .join(", ")
            ),
        ),
        ("many-lines", "Zweckverband\n".repeat(300_000)),
        ("paren-across-lines", "Der LWL (LWL\nNeue Zeile) und der LWL (Foto: LWL) kooperieren.\n".repeat(1_000)),
        ("placeholder-lookalikes", "⟨ORG:999⟩ und ⟨GPE:5⟩ sowie die Stadt Münster und der LWL kooperieren. ⟨PER:0⟩ (⟨ROLE:1⟩ ⟨ORG:2⟩)\n".repeat(1_000)),
    ];
    for (name, text) in &cases {
        std::fs::write(input.join(format!("{name}.txt")), text).expect("write");
    }
    let out = tmp.path().join("out");
    let started = Instant::now();
    let run = ikz(&[
        "extract",
        path(&input),
        "--out",
        path(&out),
        "--format",
        "csv",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), cases.len());
}

/// The rule files with one edit applied.
fn broken_rules(dir: &Path, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let rules = dir.join(format!(
        "rules-{}",
        dir.read_dir().map(|d| d.count()).unwrap_or(0)
    ));
    std::fs::create_dir(&rules).expect("dir");
    for entry in std::fs::read_dir(root().join("rules")).expect("rules") {
        let entry = entry.expect("entry");
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = if name == file { edit(&text) } else { text };
        std::fs::write(rules.join(&name), text).expect("write");
    }
    rules
}

#[test]
fn broken_rule_files_stop_the_run_with_a_position() {
    let tmp = tempfile::tempdir().expect("temp dir");
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "relations.toml",
            Box::new(|t| format!("{t}\n[[rule]\n")),
            "relations.toml:",
        ),
        (
            "relations.toml",
            Box::new(|t| t.replacen("triggers = [", "trigers = [", 1)),
            "unknown field `trigers`",
        ),
        (
            "relations.toml",
            Box::new(|t| t.replacen("pattern = '(?P<parties>", "pattern = '((?P<parties>", 1)),
            "bad regular expression",
        ),
        (
            "relations.toml",
            Box::new(|t| {
                t.replacen(
                    "id = \"coop-trigger-then-parties\"",
                    "id = \"coop-parties-then-trigger\"",
                    1,
                )
            }),
            "duplicate rule id",
        ),
        (
            "relations.toml",
            Box::new(|t| t.replacen("subject = [\"ORG\", \"GPE\"]", "subject = [\"ORGA\"]", 1)),
            "unknown label `ORGA`",
        ),
        (
            "relations.toml",
            Box::new(|t| t.replacen("type = \"MERGER\"", "type = \"FUSION\"", 1)),
            "unknown relation type `FUSION`",
        ),
        (
            "boilerplate.toml",
            Box::new(|t| {
                t.replacen(
                    "id = \"advert\"\npattern = '",
                    "id = \"advert\"\npattern = '\\w{1000}{1000}",
                    1,
                )
            }),
            "size limit",
        ),
        (
            "entities.toml",
            Box::new(|t| t.replacen("label = \"ORG\"", "label = \"ORGANISATION\"", 1)),
            "unknown label",
        ),
        (
            "entities.toml",
            Box::new(|t| t.replacen("no_genitive_s = ", "# no_genitive_s = ", 1)),
            "missing field `no_genitive_s`",
        ),
        (
            "roles.tsv",
            Box::new(|t| format!("{t}Amtmann\tAmtmann\textra\n")),
            "roles.tsv:",
        ),
        (
            "organisations.tsv",
            Box::new(|t| format!("{t}org:bmi\tNoch einmal\t\tMinisterium\tORG\n")),
            "duplicate id",
        ),
        (
            "abbreviations.txt",
            Box::new(|t| format!("{t}ohne Punkt\n")),
            "abbreviations.txt:",
        ),
        (
            "sentences.toml",
            Box::new(|t| {
                t.replacen(
                    "caption_openers = [\"v.l.\"",
                    "caption_openers = [\" v.l.\"",
                    1,
                )
            }),
            "caption opener ` v.l.`",
        ),
        (
            "relations.toml",
            Box::new(|t| t.replacen("list_joiners = [\",\"", "list_joiners = [\"\"", 1)),
            "`list_joiners`",
        ),
    ];
    let out = tmp.path().join("out");
    for (file, edit, expected) in cases {
        let rules = broken_rules(tmp.path(), file, edit);
        let check = ikz(&["rules", "check", "--rules", path(&rules)]);
        let message = String::from_utf8_lossy(&check.stderr).into_owned();
        assert_eq!(check.status.code(), Some(2), "{file}: {message}");
        assert!(
            message.contains(expected),
            "{file}: `{message}` lacks `{expected}`"
        );
        let position =
            regex::Regex::new(&format!(r"{}:\d+:\d+: ", regex::escape(file))).expect("regex");
        assert!(
            position.is_match(&message),
            "{file}: no path:line:column in `{message}`"
        );
        let run = ikz(&[
            "extract",
            "seeds",
            "--rules",
            path(&rules),
            "--out",
            path(&out),
        ]);
        assert_eq!(run.status.code(), Some(2));
        assert!(
            !out.exists(),
            "{file}: a broken rule file must stop the run before any output"
        );
    }
}

/// `organisations.tsv` with `rows` more organisations after its own, each
/// row passed through `edit(row number, row)`; returns the rules folder and
/// the line number in the file of made-up row 0.
fn long_organisation_list(
    dir: &Path,
    rows: usize,
    edit: impl Fn(usize, String) -> String,
) -> (PathBuf, usize) {
    let own = std::fs::read_to_string(root().join("rules/organisations.tsv")).expect("read");
    let first_line = own.lines().count() + 1;
    let rules = broken_rules(dir, "organisations.tsv", |text| {
        let mut text = text.to_string();
        for i in 0..rows {
            let row = format!("org:lang-{i}\tZweckverband Langliste {i}\t\tZweckverband\tORG");
            text.push_str(&edit(i, row));
            text.push('\n');
        }
        text
    });
    (rules, first_line)
}

#[test]
fn a_long_organisation_list_read_in_parts_reports_its_first_problem_in_file_order() {
    // 30,000 rows (about 1.7 MB) are read in several parts side by side.
    let tmp = tempfile::tempdir().expect("temp");
    // `rules check` on the list must name `what` on the line of made-up row `row`.
    let reports = |(rules, first): (PathBuf, usize), row: usize, what: &str| {
        let run = ikz(&["rules", "check", "--rules", path(&rules)]);
        let message = String::from_utf8_lossy(&run.stderr).into_owned();
        let expected = format!("organisations.tsv:{}:1: {what}", first + row);
        assert!(
            message.contains(&expected),
            "`{message}` lacks `{expected}`"
        );
    };
    let list =
        |edit: &dyn Fn(usize, String) -> String| long_organisation_list(tmp.path(), 30_000, edit);
    reports(
        list(&|i, row| match i {
            25_000 => row.replace("org:lang-25000", "org:lang-3"),
            _ => row,
        }),
        25_000,
        "duplicate id `org:lang-3`",
    );
    // A bad label before the duplicate is what is reported, and a duplicate
    // before a bad label.
    reports(
        list(&|i, row| match i {
            12_000 => row.replace("\tORG", "\tORGA"),
            18_000 => row.replace("org:lang-18000", "org:lang-5"),
            _ => row,
        }),
        12_000,
        "unknown label `ORGA`",
    );
    reports(
        list(&|i, row| match i {
            12_000 => row.replace("org:lang-12000", "org:lang-5"),
            18_000 => row.replace("\tORG", "\tORGA"),
            _ => row,
        }),
        12_000,
        "duplicate id `org:lang-5`",
    );
    // A good long list: names from its start, middle and end are found.
    let (rules, _) = list(&|_, row| row);
    let page = tmp.path().join("page.txt");
    std::fs::write(
        &page,
        "Der Zweckverband Langliste 0, der Zweckverband Langliste 15000 und der \
         Zweckverband Langliste 29999 arbeiten zusammen.\n",
    )
    .expect("write");
    let out = tmp.path().join("out");
    let run = ikz(&[
        "extract",
        path(&page),
        "--rules",
        path(&rules),
        "--out",
        path(&out),
        "--format",
        "csv",
    ]);
    assert!(run.status.success(), "{run:?}");
    let ids: Vec<String> = read_csv(&out.join("mentions.csv"))
        .into_iter()
        .map(|row| row["entity_id"].clone())
        .collect();
    for id in ["org:lang-0", "org:lang-15000", "org:lang-29999"] {
        assert!(ids.iter().any(|i| i == id), "{id} not in {ids:?}");
    }
}

#[test]
fn failed_runs_leave_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    assert!(
        ikz(&["extract", "seeds", "--out", path(&out)])
            .status
            .success()
    );
    let before: Vec<(PathBuf, Vec<u8>)> = files(&out);
    assert_eq!(
        before.len(),
        14,
        "six tables in two formats, datapackage.json and the manifest"
    );
    let rules = broken_rules(tmp.path(), "relations.toml", |t| format!("{t}\n[[rule]\n"));
    assert_eq!(
        ikz(&[
            "extract",
            "seeds",
            "--rules",
            path(&rules),
            "--out",
            path(&out)
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(files(&out), before);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args([
            "extract",
            "seeds",
            "../shared/dev/docs",
            "--out",
            path(&out),
        ])
        .current_dir(root())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(30));
    let _ = child.kill();
    let _ = child.wait();
    let after = files(&out);
    assert!(
        after == before || after.len() == 13,
        "an interrupted run left a half-written output"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".out.ikz-tmp"))
        .collect();
    assert!(leftovers.len() <= 1);
    assert!(
        ikz(&["extract", "seeds", "--out", path(&out)])
            .status
            .success()
    );
    let stale: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".out.ikz-tmp"))
        .collect();
    assert!(
        stale.is_empty(),
        "the next run cleans up after a killed one"
    );
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let e = e.expect("entry");
            (e.path(), std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = tmp.path().join(format!("out-{threads}"));
        let run = ikz(&[
            "extract",
            "seeds",
            "../shared/dev/docs",
            "--out",
            path(&out),
            "--threads",
            threads,
        ]);
        assert!(run.status.success());
        // The manifest records the run (command line, time), not the data.
        outputs.push(
            files(&out)
                .into_iter()
                .map(|(p, b)| (p.file_name().map(|n| n.to_owned()), b))
                .filter(|(name, _)| name.as_deref() != Some("manifest.json".as_ref()))
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        outputs[0].len(),
        13,
        "six tables in two formats and datapackage.json"
    );
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn exit_status_tells_success_skipped_inputs_and_bad_arguments() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    assert_eq!(
        ikz(&["extract", "seeds", "--out", path(&out)])
            .status
            .code(),
        Some(0)
    );
    let warn = tmp.path().join("warn.txt");
    std::fs::write(&warn, b"Die Stadt M\xc3\xbcnster \xff kooperiert.").expect("write");
    assert_eq!(
        ikz(&["extract", path(&warn), "--out", path(&out)])
            .status
            .code(),
        Some(0),
        "warnings are allowed"
    );
    let skipped = tmp.path().join("skipped");
    std::fs::create_dir(&skipped).expect("dir");
    std::fs::write(skipped.join("binary.txt"), b"\x89PNG\r\n\x1a\n\0\0").expect("write");
    assert_eq!(
        ikz(&["extract", path(&skipped), "seeds", "--out", path(&out)])
            .status
            .code(),
        Some(1),
        "a file inside a folder that cannot be read is skipped"
    );
    let missing = tmp.path().join("missing.txt");
    assert_eq!(
        ikz(&["extract", path(&missing), "seeds", "--out", path(&out)])
            .status
            .code(),
        Some(2),
        "a named input that does not exist is an argument error"
    );
    assert_eq!(
        ikz(&["extract", "seeds", "--out", path(&out), "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(ikz(&["extract", "--no-such-flag"]).status.code(), Some(2));
}
