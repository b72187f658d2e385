//! ikz never destroys a user's files and says which rules ran (issue #9).
//!
//! Every case runs the real binary on real folders in a temporary
//! directory and asserts on the exit status, the message and the bytes
//! left on disk: the user's files and the inputs are still there, a
//! previous output is byte-identical, no temporary folder is left over, and
//! the manifest's hashes and counts match the files.

mod common;
use common::{read_csv, root};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn ikz_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("ikz runs")
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// A work folder with a copy of the seeds in `work/seeds`.
fn work() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir(&seeds).expect("dir");
    for entry in std::fs::read_dir(root().join("seeds")).expect("seeds") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), seeds.join(entry.file_name())).expect("copy");
    }
    tmp
}

/// Every file under `dir` (recursively) with its bytes, sorted by path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walk(dir) {
        if entry.is_file() {
            let bytes = std::fs::read(&entry).expect("read");
            files.insert(
                entry.strip_prefix(dir).expect("prefix").to_path_buf(),
                bytes,
            );
        } else {
            files.insert(
                entry.strip_prefix(dir).expect("prefix").join(""),
                Vec::new(),
            );
        }
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() && !path.is_symlink() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

/// Names in `dir` that look like ikz's temporary folders.
fn leftovers(dir: &Path) -> Vec<String> {
    walk(dir)
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| n.contains(".ikz-tmp") || n.contains(".tmp-") || n.ends_with(".partial"))
        .collect()
}

/// Runs `args` in `cwd`, expecting exit status 2, a message containing
/// `says`, and not one byte changed under `cwd`.
fn assert_refused(cwd: &Path, args: &[&str], says: &str) {
    let before = snapshot(cwd);
    let run = ikz_in(cwd, args);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {}", stderr(&run));
    let message = stderr(&run);
    assert!(
        message.contains(says),
        "{args:?}: the message should say `{says}`: {message}"
    );
    assert_eq!(snapshot(cwd), before, "{args:?} changed files");
    assert!(
        leftovers(cwd).is_empty(),
        "{args:?} left {:?}",
        leftovers(cwd)
    );
}

#[test]
fn an_existing_folder_of_the_users_is_refused() {
    let tmp = work();
    let mine = tmp.path().join("analysis");
    std::fs::create_dir_all(mine.join("figs")).expect("dir");
    std::fs::write(mine.join("notebook.ipynb"), b"{\"cells\": []}").expect("write");
    std::fs::write(mine.join("figs/network.png"), b"\x89PNG").expect("write");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "analysis"],
        "not an ikz output folder",
    );
    // An empty folder holds nothing of ikz's either.
    std::fs::create_dir(tmp.path().join("empty")).expect("dir");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "empty"],
        "no manifest.json",
    );
}

#[test]
fn an_output_around_or_inside_an_input_is_refused() {
    let tmp = work();
    // The reproduction: `ikz extract work/seeds --out work` deleted the inputs.
    let parent = tmp.path().parent().expect("parent");
    let work_name = tmp
        .path()
        .file_name()
        .expect("name")
        .to_str()
        .expect("utf-8");
    let seeds = format!("{work_name}/seeds");
    let before = snapshot(tmp.path());
    let run = ikz_in(parent, &["extract", &seeds, "--out", work_name]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("contains the input"),
        "{}",
        stderr(&run)
    );
    assert_eq!(snapshot(tmp.path()), before);

    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "seeds"],
        "is also an input",
    );
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "seeds/out"],
        "lies inside the input",
    );
    assert_refused(
        tmp.path(),
        &[
            "extract",
            "./seeds/../seeds/",
            "--out",
            "seeds/../seeds/tables",
        ],
        "lies inside the input",
    );
    let one = "seeds/kommune21_muenster_lwl.txt";
    if tmp.path().join(one).exists() {
        assert_refused(
            tmp.path(),
            &["extract", one, "--out", one],
            "is also an input",
        );
    }
}

#[test]
fn a_file_a_link_and_the_current_folder_are_refused() {
    let tmp = work();
    std::fs::write(tmp.path().join("results.txt"), b"precious").expect("write");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "results.txt"],
        "is a file",
    );
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "."],
        "does not write into `.`",
    );
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", ".."],
        "does not write into `.`",
    );
    let inside = tmp.path().join("seeds");
    let run = ikz_in(&inside, &["extract", ".", "--out", "../"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    // The folder the user stands in, named by its path.
    let here = tmp.path().to_str().expect("utf-8");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", here],
        "is the current folder",
    );
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "tables"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    std::os::unix::fs::symlink("tables", tmp.path().join("link")).expect("symlink");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "link"],
        "symbolic link",
    );
}

#[test]
fn an_ikz_output_is_replaced_but_not_with_foreign_files_in_it() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run = ikz_in(
        tmp.path(),
        &["extract", "seeds", "--out", "out", "--format", "csv"],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "its own output is replaced: {}",
        stderr(&run)
    );
    assert!(!tmp.path().join("out/documents.parquet").exists());
    assert!(tmp.path().join("out/documents.csv").exists());
    assert!(leftovers(tmp.path()).is_empty());

    std::fs::write(tmp.path().join("out/notes.md"), b"my notes").expect("write");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "out"],
        "`notes.md`, which ikz did not write",
    );
    std::fs::remove_file(tmp.path().join("out/notes.md")).expect("rm");
    std::fs::write(
        tmp.path().join("out/manifest.json"),
        b"{\"tool\": \"other\"}",
    )
    .expect("w");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "out"],
        "not an ikz output folder",
    );
}

#[test]
fn a_missing_input_writes_nothing() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_refused(
        tmp.path(),
        &["extract", "seedz", "--out", "out"],
        "input seedz: no such file or folder",
    );
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "missing.txt", "--out", "out"],
        "input missing.txt: no such file or folder",
    );
    assert_refused(
        tmp.path(),
        &["extract", "seedz", "--out", "new"],
        "no such file or folder",
    );
    assert!(!tmp.path().join("new").exists());
}

#[test]
fn files_that_fail_inside_a_folder_are_diagnostics() {
    let tmp = work();
    std::fs::write(
        tmp.path().join("seeds/broken.txt"),
        b"\x89PNG\r\n\x1a\n\0\0",
    )
    .expect("w");
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let diagnostics = read_csv(&tmp.path().join("out/diagnostics.csv"));
    assert!(
        diagnostics
            .iter()
            .any(|d| d["source"].ends_with("broken.txt"))
    );
}

/// SHA-256 of a file by `sha256sum`, independent of ikz's own hashing.
fn sha256sum(path: &Path) -> String {
    let run = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs");
    String::from_utf8_lossy(&run.stdout)
        .split_whitespace()
        .next()
        .expect("a hash")
        .to_string()
}

fn manifest(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json");
    serde_json::from_str(&text).expect("manifest parses")
}

#[test]
fn the_manifest_says_what_made_the_tables() {
    let tmp = work();
    let rules = root().join("rules");
    let data = root().join("data");
    std::fs::write(tmp.path().join("seeds/empty.txt"), b"").expect("write");
    let run = ikz_in(
        tmp.path(),
        &[
            "extract",
            "seeds",
            "--out",
            "out",
            "--rules",
            rules.to_str().expect("utf-8"),
            "--data",
            data.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stderr(&run).contains("built into ikz"), "{}", stderr(&run));
    let out = tmp.path().join("out");
    let m = manifest(&out);
    assert_eq!(m["tool"], "ikz");
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    let args: Vec<&str> = m["command_line"]
        .as_array()
        .expect("command line")
        .iter()
        .map(|a| a.as_str().expect("string"))
        .collect();
    assert_eq!(&args[1..5], ["extract", "seeds", "--out", "out"]);
    assert!(m["started"].as_str().expect("started").ends_with('Z'));
    assert!(m["duration_seconds"].as_f64().expect("duration") > 0.0);

    for (key, folder) in [("rules", &rules), ("data", &data)] {
        assert_eq!(m[key]["location"], folder.display().to_string());
        let files = m[key]["files"].as_array().expect("files");
        let on_disk = std::fs::read_dir(folder)
            .expect("dir")
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file()))
            .count();
        assert!(
            files.len() >= 5 && files.len() <= on_disk,
            "{key}: {files:?}"
        );
        for f in files {
            let name = f["file"].as_str().expect("file");
            assert_eq!(
                f["sha256"].as_str().expect("sha256"),
                sha256sum(&folder.join(name)),
                "{key}/{name}"
            );
        }
    }

    for table in [
        "documents",
        "sentences",
        "mentions",
        "entities",
        "relations",
        "diagnostics",
    ] {
        let rows = read_csv(&out.join(format!("{table}.csv"))).len() as u64;
        assert_eq!(m["tables"][table].as_u64(), Some(rows), "{table}");
    }
    assert_eq!(m["tables"]["documents"].as_u64(), Some(6));
    let diagnostics = read_csv(&out.join("diagnostics.csv"));
    for severity in ["error", "warning"] {
        let n = diagnostics
            .iter()
            .filter(|d| d["severity"] == severity)
            .count() as u64;
        assert_eq!(m["diagnostics"][severity].as_u64(), Some(n), "{severity}");
    }
    assert_eq!(
        m["diagnostics"]["warning"].as_u64(),
        Some(1),
        "the empty file"
    );
    let mut listed: Vec<&str> = m["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    listed.push("manifest.json");
    listed.sort();
    let mut present: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(listed, present);
    assert_eq!(
        present.len(),
        14,
        "six tables in two formats, datapackage.json, manifest"
    );
}

#[test]
fn built_in_rules_are_announced_once_and_recorded() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let notes = stderr(&run).matches("built into ikz").count();
    assert_eq!(notes, 1, "{}", stderr(&run));
    assert!(stderr(&run).contains("--rules DIR"));
    let m = manifest(&tmp.path().join("out"));
    assert_eq!(m["rules"]["location"], "built-in");
    assert_eq!(m["data"]["location"], "built-in");

    // With a rules/ folder of its own in the working directory, that one runs.
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).expect("dir");
    for entry in std::fs::read_dir(root().join("rules")).expect("rules") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), rules.join(entry.file_name())).expect("copy");
    }
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("no data/ folder here"),
        "{}",
        stderr(&run)
    );
    let m = manifest(&tmp.path().join("out"));
    let location = m["rules"]["location"].as_str().expect("location");
    assert!(location.ends_with("/rules"), "{location}");
    assert_eq!(m["data"]["location"], "built-in");
}

fn ikz_stdin(cwd: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("ikz runs")
}

fn doc_ids(out: &Path) -> Vec<String> {
    read_csv(&out.join("documents.csv"))
        .into_iter()
        .map(|d| d["doc_id"].clone())
        .collect()
}

#[test]
fn standard_input_takes_json_lines_and_text() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let jsonl = "{\"id\": \"a\", \"text\": \"Die Stadt Hamm kooperiert.\"}\n\
                 {\"id\": \"b\", \"text\": \"Der Kreis Soest tritt bei.\"}\n";
    let run = ikz_stdin(
        tmp.path(),
        &["extract", "-", "--out", "o1"],
        jsonl.as_bytes(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(doc_ids(&tmp.path().join("o1")), ["a", "b"]);

    let run = ikz_stdin(
        tmp.path(),
        &["extract", "-", "--out", "o2", "--stdin", "text"],
        jsonl.as_bytes(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(doc_ids(&tmp.path().join("o2")), ["stdin"]);

    let text = "Die Stadt Hamm und der Kreis Soest arbeiten zusammen.\n";
    let run = ikz_stdin(
        tmp.path(),
        &["extract", "-", "--out", "o3"],
        text.as_bytes(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(doc_ids(&tmp.path().join("o3")), ["stdin"]);

    let run = ikz_stdin(
        tmp.path(),
        &["extract", "-", "--out", "o4", "--stdin", "JSONL"],
        jsonl.as_bytes(),
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(doc_ids(&tmp.path().join("o4")), ["a", "b"]);

    let run = ikz_in(tmp.path(), &["extract", "-", "-", "--out", "o5"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
}

#[test]
fn format_is_case_insensitive_and_threads_zero_means_all_cores() {
    let tmp = work();
    let run = ikz_in(
        tmp.path(),
        &[
            "extract",
            "seeds",
            "--out",
            "out",
            "--format",
            "CSV,Parquet",
            "--threads",
            "0",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(tmp.path().join("out/documents.csv").exists());
    assert!(tmp.path().join("out/documents.parquet").exists());
    let help = ikz_in(tmp.path(), &["extract", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("0 means one per core"), "{text}");
}

#[test]
fn doc_ids_are_unique_within_a_run() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for dir in ["a", "b"] {
        std::fs::create_dir(tmp.path().join(dir)).expect("dir");
        std::fs::write(
            tmp.path().join(dir).join("bericht.txt"),
            "Die Stadt Hamm kooperiert mit dem Kreis Soest.\n\nZweiter Satz hier.\n",
        )
        .expect("write");
    }
    std::fs::write(
        tmp.path().join("c.jsonl"),
        "{\"id\": \"bericht\", \"text\": \"Die Stadt Unna plant.\"}\n\
         {\"id\": \"bericht~2\", \"text\": \"Die Stadt Werl plant.\"}\n",
    )
    .expect("write");
    let run = ikz_in(
        tmp.path(),
        &["extract", "a", "b", "c.jsonl", "--out", "out"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let out = tmp.path().join("out");
    let ids = doc_ids(&out);
    assert_eq!(ids, ["bericht", "bericht~2", "bericht~3", "bericht~2~2"]);
    let diagnostics = read_csv(&out.join("diagnostics.csv"));
    let warning = diagnostics
        .iter()
        .find(|d| d["doc_id"] == "bericht~2")
        .expect("a warning for the renamed document");
    assert!(warning["message"].contains("a/bericht.txt"), "{warning:?}");
    assert!(warning["message"].contains("b/bericht.txt"), "{warning:?}");
    let mut keys = std::collections::HashSet::new();
    for s in read_csv(&out.join("sentences.csv")) {
        assert!(
            keys.insert((s["doc_id"].clone(), s["sentence_idx"].clone())),
            "{s:?}"
        );
    }
    assert!(keys.len() >= 4);
}

#[test]
fn an_interrupted_run_leaves_the_old_output_and_no_temporary_folder() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let before = snapshot(&tmp.path().join("out"));
    let big = tmp.path().join("big");
    std::fs::create_dir(&big).expect("dir");
    let page = std::fs::read_to_string(root().join("../shared/dev/docs/dev01.txt"))
        .unwrap_or_else(|_| "Die Stadt Hamm kooperiert mit dem Kreis Soest. ".repeat(40));
    for i in 0..3000 {
        std::fs::write(big.join(format!("p{i:05}.txt")), format!("{page}\n({i})\n")).expect("w");
    }
    for signal in ["TERM", "INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ikz"))
            .args(["extract", "big", "--out", "out"])
            .current_dir(tmp.path())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let deadline = Instant::now() + Duration::from_secs(20);
        while leftovers(tmp.path()).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(
            !leftovers(tmp.path()).is_empty(),
            "the run should have started staging"
        );
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill");
        assert!(killed.success());
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(130), "SIG{signal}");
        assert!(
            leftovers(tmp.path()).is_empty(),
            "SIG{signal}: {:?}",
            leftovers(tmp.path())
        );
        assert_eq!(snapshot(&tmp.path().join("out")), before, "SIG{signal}");
    }
}

#[test]
fn spellings_of_a_path_are_checked_as_the_path_itself() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "tables"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    std::os::unix::fs::symlink("tables", tmp.path().join("link")).expect("symlink");
    std::os::unix::fs::symlink("nowhere", tmp.path().join("dangling")).expect("symlink");
    for out in ["link/", "link/.", "dangling/", "dangling/."] {
        assert_refused(
            tmp.path(),
            &["extract", "seeds", "--out", out],
            "symbolic link",
        );
    }
    std::fs::write(tmp.path().join("file.txt"), b"mine").expect("write");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "file.txt/."],
        "is a file",
    );
    // An ikz output named with a trailing `/` or `/.` is replaced as itself.
    for out in ["tables/", "tables/.", "./tables"] {
        let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", out]);
        assert_eq!(run.status.code(), Some(0), "{out}: {}", stderr(&run));
        assert!(tmp.path().join("tables/manifest.json").exists());
    }
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "deep/a/b/."]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(tmp.path().join("deep/a/b/manifest.json").exists());
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn a_file_changed_after_ikz_wrote_it_is_not_replaced() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    std::fs::write(tmp.path().join("out/documents.csv"), b"my edits\n").expect("write");
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "out"],
        "`documents.csv` changed after ikz wrote it",
    );
}

#[test]
fn a_named_pipe_is_read_as_a_file() {
    let tmp = work();
    let fifo = tmp.path().join("pages.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::fs::write(
            &writer_path,
            "Die Stadt Hamm kooperiert mit dem Kreis Soest.\n",
        )
    });
    let run = ikz_in(tmp.path(), &["extract", "pages.fifo", "--out", "out"]);
    writer.join().expect("writer").expect("write to fifo");
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(doc_ids(&tmp.path().join("out")), ["pages"]);
}

#[test]
fn stdin_option_without_stdin_and_missing_rules_folder_are_refused() {
    let tmp = work();
    assert_refused(
        tmp.path(),
        &["extract", "seeds", "--out", "out", "--stdin", "jsonl"],
        "name `-` as an input",
    );
    assert_refused(
        tmp.path(),
        &[
            "extract",
            "seeds",
            "--out",
            "out",
            "--rules",
            "no-such-rules",
        ],
        "--rules no-such-rules: no such folder",
    );
}

#[test]
fn an_old_output_moved_aside_by_a_killed_run_is_put_back() {
    let tmp = work();
    let run = ikz_in(tmp.path(), &["extract", "seeds", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let before = snapshot(&tmp.path().join("out"));
    // As a run killed (SIGKILL) between its two renames leaves it: the old
    // output moved aside under a dead process id, no `out`.
    let aside = tmp.path().join(".out.ikz-tmp-999999999.old");
    std::fs::rename(tmp.path().join("out"), &aside).expect("rename");
    let run = ikz_in(tmp.path(), &["extract", "seedz", "--out", "out"]);
    assert_eq!(run.status.code(), Some(2), "a refused run touches nothing");
    assert!(aside.exists());
    let run = ikz_in(
        tmp.path(),
        &["extract", "seeds", "--out", "out", "--format", "csv"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!aside.exists());
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    let after = snapshot(&tmp.path().join("out"));
    assert!(
        after
            .keys()
            .all(|k| !k.to_string_lossy().ends_with(".parquet"))
    );
    assert_ne!(after, before, "the new run replaced the restored output");
}
