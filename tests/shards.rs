//! `ikz extract --shard K/N` and `ikz merge` (#13 item 2): three shards of
//! the seeds, dev and dev2 write one hive-style dataset whose tables, read
//! whole by DuckDB, hold exactly the rows of a single run, and whose merged
//! entities are the single run's entities; a part replaces only its own
//! files, and a folder that is not such a dataset is refused.

mod common;

use std::path::Path;

use common::ikz;

const INPUTS: [&str; 3] = ["seeds", "../shared/dev/docs", "../shared/dev2/docs"];

fn extract(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["extract", "--out", out.to_str().expect("utf-8"), "-q"];
    args.extend(extra);
    args.extend(INPUTS);
    ikz(&args)
}

/// Compares every table of the dataset with the single run, after sorting
/// the rows (and the surfaces of an entity), with DuckDB.
const SAME: &str = r#"
import sys
import duckdb
shards, single = sys.argv[1], sys.argv[2]
for t in ["documents", "sentences", "mentions", "relations", "diagnostics"]:
    parts = duckdb.sql(f"""SELECT * EXCLUDE ("table") FROM read_parquet(
        '{shards}/table={t}/*.parquet', hive_partitioning = true) ORDER BY ALL""").fetchall()
    whole = duckdb.sql(f"SELECT * FROM '{single}/{t}.parquet' ORDER BY ALL").fetchall()
    assert parts == whole, (t, len(parts), len(whole))
    assert t == "diagnostics" or parts, t
def entities(path):
    rows = duckdb.sql(f"SELECT * FROM '{path}'").fetchall()
    return sorted(r[:7] + (tuple(sorted(r[7])),) for r in rows)
assert entities(f"{shards}/entities.parquet") == entities(f"{single}/entities.parquet")
print("same")
"#;

/// Runs [`SAME`] on the dataset and the single run's folder.
fn same_as_single_run(shards: &Path, single: &Path) {
    let args = [
        shards.to_str().expect("utf-8"),
        single.to_str().expect("utf-8"),
    ];
    common::python_check("the comparison with a single run", SAME, &args);
}

#[test]
fn three_shards_merged_are_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (shards, single) = (dir.path().join("shards"), dir.path().join("single"));
    assert!(extract(&single, &[]).status.success());
    for k in 1..=3 {
        let part = format!("{k}/3");
        let run = extract(&shards, &["--shard", &part]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    for table in ["documents", "relations", "entities"] {
        for k in 1..=3 {
            for ext in ["parquet", "csv"] {
                let file = shards.join(format!("table={table}/part-{k}-of-3.{ext}"));
                assert!(file.is_file(), "{}", file.display());
            }
        }
    }
    // Each shard holds some documents, none holds them all.
    let docs =
        |k: u32| common::read_csv(&shards.join(format!("table=documents/part-{k}-of-3.csv"))).len();
    assert!((1..=3).all(|k| docs(k) > 0 && docs(k) < 30));
    let merge = ikz(&["merge", shards.to_str().expect("utf-8")]);
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    same_as_single_run(&shards, &single);

    // A part run again, Parquet only, replaces its own files and no other's.
    let before = std::fs::read(shards.join("table=documents/part-1-of-3.parquet")).expect("p1");
    let run = extract(&shards, &["--shard", "2/3", "--format", "parquet"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!shards.join("table=documents/part-2-of-3.csv").exists());
    assert!(shards.join("table=documents/part-2-of-3.parquet").is_file());
    assert!(shards.join("table=documents/part-1-of-3.csv").is_file());
    let after = std::fs::read(shards.join("table=documents/part-1-of-3.parquet")).expect("p1");
    assert_eq!(before, after);
}

#[test]
fn a_folder_that_is_no_dataset_of_those_parts_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shards = dir.path().join("shards");
    assert!(extract(&shards, &["--shard", "1/2"]).status.success());
    // Parts of another N, a file of the user's: refused, nothing written.
    let other_n = extract(&shards, &["--shard", "1/3"]);
    assert_eq!(other_n.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other_n.stderr).contains("no ikz dataset of 3 parts"));
    std::fs::write(shards.join("notes.txt"), "mine").expect("write");
    let foreign = extract(&shards, &["--shard", "2/2"]);
    assert_eq!(foreign.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&foreign.stderr).contains("notes.txt"));
    assert!(!shards.join("table=documents/part-2-of-2.parquet").exists());
    assert_eq!(
        std::fs::read_to_string(shards.join("notes.txt")).expect("notes"),
        "mine"
    );
    // A normal output folder is no dataset either.
    let plain = dir.path().join("plain");
    assert!(extract(&plain, &[]).status.success());
    assert_eq!(extract(&plain, &["--shard", "1/2"]).status.code(), Some(2));
    // Merging a dataset with a part missing says which.
    std::fs::remove_file(shards.join("notes.txt")).expect("rm");
    let merge = ikz(&["merge", shards.to_str().expect("utf-8")]);
    assert!(!merge.status.success());
    assert!(String::from_utf8_lossy(&merge.stderr).contains("part-2-of-2"));
    // A user's backup beside a part looks like a part, but is not one.
    let merged = ikz(&["merge", shards.to_str().expect("utf-8")]);
    assert!(!merged.status.success(), "part 2 of 2 is still missing");
    assert!(extract(&shards, &["--shard", "2/2"]).status.success());
    let backup = shards.join("table=documents/part-1-of-2.csv.orig");
    std::fs::write(&backup, "mine").expect("write");
    let rerun = extract(&shards, &["--shard", "1/2"]);
    assert_eq!(rerun.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&rerun.stderr).contains("part-1-of-2.csv.orig"));
    assert_eq!(
        std::fs::read_to_string(&backup).expect("backup kept"),
        "mine"
    );
    std::fs::remove_file(&backup).expect("rm");
    // Merging into a folder of the user's that has an entities.parquet of
    // its own is refused; into the dataset itself it works, twice.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).expect("mkdir");
    std::fs::write(mine.join("entities.parquet"), "MINE").expect("write");
    let into_mine = ikz(&[
        "merge",
        shards.to_str().expect("utf-8"),
        "--out",
        mine.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        into_mine.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&into_mine.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("entities.parquet")).expect("kept"),
        "MINE"
    );
    for _ in 0..2 {
        let merge = ikz(&["merge", shards.to_str().expect("utf-8")]);
        assert!(
            merge.status.success(),
            "{}",
            String::from_utf8_lossy(&merge.stderr)
        );
    }
    assert!(shards.join("entities.parquet").is_file());
    assert!(
        extract(&shards, &["--shard", "1/2"]).status.success(),
        "a part reruns after a merge"
    );
    for bad in ["0/2", "3/2", "2"] {
        let run = extract(&dir.path().join("x"), &["--shard", bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn parts_of_different_runs_do_not_merge() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mix = dir.path().join("mix");
    let mix_arg = mix.to_str().expect("utf-8");
    let one = ikz(&["extract", "seeds", "--out", mix_arg, "--shard", "1/2", "-q"]);
    assert!(one.status.success());
    let two = ikz(&[
        "extract",
        "../shared/dev/docs",
        "--out",
        mix_arg,
        "--shard",
        "2/2",
        "-q",
    ]);
    assert!(two.status.success());
    let merge = ikz(&["merge", mix_arg]);
    let stderr = String::from_utf8_lossy(&merge.stderr);
    assert!(!merge.status.success(), "{stderr}");
    assert!(
        stderr.contains("comes from another run") && stderr.contains("inputs"),
        "{stderr}"
    );
    assert!(!mix.join("entities.parquet").exists());
}

/// Repeated doc_ids are renamed as in a single run even when the
/// documents, or a document whose own id is such a name (`a~2`), fall into
/// different shards; each renaming warning is given once.
#[test]
fn repeated_ids_are_renamed_as_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("mkdir");
    let lines: Vec<String> = [("a", "Celle"), ("a~2", "Stade"), ("a", "Verden"), ("b", "Celle"), ("b", "Stade")]
        .iter()
        .map(|(id, town)| {
            format!("{{\"id\":\"{id}\",\"text\":\"Die Stadt {town} arbeitet mit dem Kreis Stade zusammen.\"}}")
        })
        .collect();
    std::fs::write(pages.join("pages.jsonl"), lines.join("\n") + "\n").expect("write");
    let (shards, single) = (dir.path().join("shards"), dir.path().join("single"));
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "extract",
            pages.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
            "-q",
        ];
        args.extend(extra);
        assert!(ikz(&args).status.success());
    };
    run(&single, &[]);
    for k in 1..=3 {
        run(&shards, &["--shard", &format!("{k}/3")]);
    }
    assert!(
        ikz(&["merge", shards.to_str().expect("utf-8")])
            .status
            .success()
    );
    same_as_single_run(&shards, &single);
    let warnings = common::read_csv(&single.join("diagnostics.csv"));
    assert_eq!(warnings.len(), 2, "a~3 and b~2");
}
