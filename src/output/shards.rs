//! Sharded runs (`ikz extract --shard K/N`): N machines or CI jobs each
//! process a deterministic slice of the same inputs and together write one
//! dataset that DuckDB, Spark or pandas read as a whole.
//!
//! A document belongs to shard `1 + h mod N`, where `h` is the first eight
//! bytes of the SHA-256 of its doc_id (as the input gives it, before a
//! repeated id is made unique), so every shard agrees without talking to
//! the others, and two documents with one id land in the same shard and
//! are renamed there as in a single run. Each shard writes its tables in
//! hive style, one folder per table:
//!
//! ```text
//! DIR/table=documents/part-1-of-3.parquet   (and .csv, .csv.gz)
//! DIR/table=relations/part-1-of-3.parquet
//! DIR/_manifests/part-1-of-3.json           (the part's manifest)
//! ```
//!
//! so `read_parquet('DIR/table=relations/*.parquet')` reads all parts.
//! The entities table of a part counts that part only; `ikz merge DIR…`
//! writes the merged `DIR/entities.parquet` (and `.csv`). A part replaces
//! only its own files, and only in a folder that holds nothing but such a
//! dataset of the same N.

use std::path::Path;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use super::{Manifest, Staging};

/// Where the parts' manifests go.
pub const MANIFESTS: &str = "_manifests";

/// One slice of a sharded run: the `k`-th (1-based) of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1 to `n`.
    pub k: u32,
    /// How many slices.
    pub n: u32,
}

impl Shard {
    /// Reads `K/N` as `--shard` takes it.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let wrong = || format!("--shard {text}: write K/N with 1 <= K <= N, such as 2/3");
        let (k, n) = text.split_once('/').ok_or_else(wrong)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| wrong())?,
            n.trim().parse().map_err(|_| wrong())?,
        );
        if k == 0 || k > n {
            return Err(wrong());
        }
        Ok(Shard { k, n })
    }

    /// Whether the document with this (input) doc_id is this shard's.
    pub fn takes(&self, doc_id: &str) -> bool {
        let digest = Sha256::digest(doc_id.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.n) == u64::from(self.k - 1)
    }

    /// `part-K-of-N`, the stem of this shard's files.
    pub fn part(&self) -> String {
        format!("part-{}-of-{}", self.k, self.n)
    }
}

/// The `K` of a file stem `part-K-of-N` of an `n`-part dataset.
fn part_of(stem: &str, n: u32) -> Option<u32> {
    let rest = stem.strip_prefix("part-")?;
    let (k, of) = rest.split_once("-of-")?;
    let k: u32 = k.parse().ok()?;
    (of.parse::<u32>().ok()? == n && (1..=n).contains(&k)).then_some(k)
}

/// The stem of a file name: all before the first dot.
fn stem(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// The table folders a part writes into.
const TABLE_FOLDERS: [&str; 6] = [
    "table=documents",
    "table=sentences",
    "table=mentions",
    "table=entities",
    "table=relations",
    "table=diagnostics",
];

/// The endings of the files a part writes (`graphml` only into
/// `table=relations`, with `--graph`).
const PART_ENDINGS: [&str; 4] = ["parquet", "csv", "csv.gz", "graphml"];

/// The record `ikz merge` leaves, so that a later merge may replace the
/// merged `entities.*` it wrote (and no file of the user's by that name).
pub const MERGED: &str = "merged.json";

/// Whether `name` is exactly a file a part of an `n`-part dataset writes
/// into `folder`: `part-K-of-N.ENDING`, or `part-K-of-N.json` in
/// `_manifests` (and the merge record there).
fn is_part_file(folder: &str, name: &str, n: u32) -> bool {
    let Some((stem, ending)) = name.split_once('.') else {
        return false;
    };
    if part_of(stem, n).is_none() {
        return folder == MANIFESTS && name == MERGED;
    }
    match folder {
        MANIFESTS => ending == "json",
        "table=relations" => PART_ENDINGS.contains(&ending),
        _ => PART_ENDINGS[..3].contains(&ending),
    }
}

/// Checks that the existing folder `out` holds only an ikz dataset of `n`
/// parts: exactly the files parts write (`table=NAME/part-K-of-N.EXT`,
/// `_manifests/part-K-of-N.json`) and, after a merge that left its record,
/// the merged `entities.*`; anything else, or parts of another N, stop the
/// run before any work.
pub fn check_dataset(out: &Path, n: u32) -> Result<()> {
    let shown = out.display();
    let refuse = |what: String| -> Result<()> {
        bail!(
            "--out {shown} holds {what}, so it is no ikz dataset of {n} parts; ikz replaces \
             only its own files: choose a new --out (each shard of one run names the same one)"
        )
    };
    if std::fs::symlink_metadata(out).is_ok_and(|m| !m.is_dir()) {
        bail!("--out {shown} is a file or a link, not a dataset folder: choose a new --out");
    }
    let merged = out.join(MANIFESTS).join(MERGED).is_file();
    for entry in read_dir(out)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().ok();
        let is_dir = kind.is_some_and(|t| t.is_dir());
        if is_dir && (TABLE_FOLDERS.contains(&name.as_str()) || name == MANIFESTS) {
            for file in read_dir(&entry.path())? {
                let file_name = file.file_name().to_string_lossy().into_owned();
                let is_file = file.file_type().is_ok_and(|t| t.is_file());
                if !is_file || !is_part_file(&name, &file_name, n) {
                    return refuse(format!("{name}/{file_name}"));
                }
            }
        } else if !(merged
            && kind.is_some_and(|t| t.is_file())
            && ["entities.parquet", "entities.csv", "entities.csv.gz"].contains(&name.as_str()))
        {
            return refuse(name);
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    std::fs::read_dir(dir)
        .and_then(|entries| entries.collect::<std::io::Result<Vec<_>>>())
        .with_context(|| format!("cannot list {}; check its permissions", dir.display()))
}

/// Moves the finished tables of `staging` into the dataset `out` as this
/// shard's part, replacing the part's earlier files (of every format), and
/// writes the part's manifest. `datapackage.json` stays behind: the data
/// package describes single folders.
pub fn commit_part(
    mut staging: Staging,
    out: &Path,
    shard: Shard,
    manifest: &Manifest,
) -> Result<()> {
    manifest.write(staging.path())?;
    let part = shard.part();
    let move_error = |what: &Path| format!("cannot move {} into {}", what.display(), out.display());
    std::fs::create_dir_all(out.join(MANIFESTS))
        .with_context(|| format!("cannot create {}: check that it is writable", out.display()))?;
    // This part's earlier files go first (all formats: a part written as
    // Parquet and CSV before may be Parquet only now); no other part's.
    for entry in read_dir(out)? {
        if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            remove_part(&entry.path(), shard)?;
        }
    }
    for entry in read_dir(staging.path())? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let (table, extension) = match name.split_once('.') {
            Some(("manifest", "json")) => (MANIFESTS.to_string(), "json".to_string()),
            Some(("datapackage", _)) | None => continue,
            Some((table, extension)) => (format!("table={table}"), extension.to_string()),
        };
        if name.starts_with('.') {
            continue; // the staging marker
        }
        let folder = out.join(&table);
        std::fs::create_dir_all(&folder).with_context(|| move_error(&entry.path()))?;
        std::fs::rename(entry.path(), folder.join(format!("{part}.{extension}")))
            .with_context(|| move_error(&entry.path()))?;
    }
    staging.keep_parents();
    Ok(())
}

/// Removes this part's files from a folder of the dataset (only names a
/// part writes, as [`check_dataset`] accepted them).
fn remove_part(folder: &Path, shard: Shard) -> Result<()> {
    let folder_name = folder
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into());
    let part = shard.part();
    for entry in read_dir(folder)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.split_once('.').is_some_and(|(stem, _)| stem == part)
            && is_part_file(&folder_name, &name, shard.n)
        {
            match std::fs::remove_file(entry.path()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| {
                        format!(
                            "cannot replace {}: is another run of this part writing it?",
                            entry.path().display()
                        )
                    });
                }
                _ => {} // gone already: another run of the part removed it
            }
        }
    }
    Ok(())
}

/// Writes the merged entities of `parts` into `out` (created if need be)
/// in `formats`, replacing the `entities.*` of an earlier merge, and leaves
/// the merge record `_manifests/merged.json`.
pub fn merge_into(
    out: &Path,
    parts: &[std::path::PathBuf],
    formats: crate::tables::Formats,
) -> Result<super::TableCounts> {
    std::fs::create_dir_all(out.join(MANIFESTS))
        .with_context(|| format!("cannot create {}: check that it is writable", out.display()))?;
    let counts = crate::tables::merge::merge_entities(parts, out, formats)?;
    // An earlier merge's other formats are stale now.
    for name in ["entities.parquet", "entities.csv", "entities.csv.gz"] {
        let path = out.join(name);
        let written = match name {
            "entities.parquet" => formats.parquet,
            "entities.csv" => formats.csv && formats.csv_compression.extension() == "csv",
            _ => formats.csv && formats.csv_compression.extension() == "csv.gz",
        };
        if !written && path.is_file() {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove the stale {}", path.display()))?;
        }
    }
    let record = serde_json::json!({
        "tool": "ikz merge",
        "parts": parts.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "tables": counts,
    });
    let path = out.join(MANIFESTS).join(MERGED);
    std::fs::write(&path, format!("{record:#}\n"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(counts)
}

/// The entities parts (`table=entities/part-K-of-N.parquet`) of one or
/// more folders of the same dataset, in part order, and N. Every part must
/// be there once.
pub fn entity_parts(dirs: &[std::path::PathBuf]) -> Result<(u32, Vec<std::path::PathBuf>)> {
    let mut found: Vec<(u32, u32, std::path::PathBuf)> = Vec::new();
    for dir in dirs {
        let folder = dir.join("table=entities");
        if !folder.is_dir() {
            bail!(
                "{}: no table=entities folder; name folders written by ikz extract --shard K/N",
                dir.display()
            );
        }
        for entry in read_dir(&folder)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(parts) = name
                .strip_suffix(".parquet")
                .and_then(|stem| stem.rsplit_once("-of-"))
                .and_then(|(_, n)| n.parse::<u32>().ok())
            else {
                continue; // CSV parts: the Parquet ones are read
            };
            if let Some(k) = part_of(stem(&name), parts) {
                found.push((parts, k, entry.path()));
            }
        }
    }
    let Some(&(n, _, _)) = found.first() else {
        bail!(
            "no Parquet entities parts in {}: merging reads them, so run the shards with parquet among --format",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    if let Some((other, _, path)) = found.iter().find(|(m, _, _)| *m != n) {
        bail!(
            "{} is a part of {other}, the others of {n}: merge one dataset at a time",
            path.display()
        );
    }
    found.sort_by_key(|(_, k, _)| *k);
    if let Some(pair) = found.windows(2).find(|w| w[0].1 == w[1].1) {
        bail!(
            "part {} of {n} is there twice: {} and {}",
            pair[0].1,
            pair[0].2.display(),
            pair[1].2.display()
        );
    }
    let ks: Vec<u32> = found.iter().map(|(_, k, _)| *k).collect();
    crate::tables::merge::check_complete(&ks, n)?;
    let parts: Vec<std::path::PathBuf> = found.into_iter().map(|(_, _, p)| p).collect();
    check_same_run(&parts)?;
    Ok((n, parts))
}

/// The manifest of the part whose entities file is `part`
/// (`DIR/table=entities/part-K-of-N.parquet` → `DIR/_manifests/part-K-of-N.json`).
fn manifest_of(part: &Path) -> Result<Manifest> {
    let name = part
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dataset = part
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let path = dataset
        .join(MANIFESTS)
        .join(format!("{}.json", stem(&name)));
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {}, the manifest of {}",
            path.display(),
            part.display()
        )
    })?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is no manifest written by ikz", path.display()))
}

/// Fails unless every part was made by the same ikz version from the same
/// inputs (as given) and the same rule and data files (by SHA-256): parts
/// of different runs would merge into a dataset that matches neither.
fn check_same_run(parts: &[std::path::PathBuf]) -> Result<()> {
    let key = |m: &Manifest| {
        (
            m.version.clone(),
            m.inputs.clone(),
            m.rules.files.clone(),
            m.data.files.clone(),
        )
    };
    let Some(first) = parts.first() else {
        return Ok(());
    };
    let expected = key(&manifest_of(first)?);
    for part in &parts[1..] {
        let got = key(&manifest_of(part)?);
        if got != expected {
            let what = if got.1 != expected.1 {
                format!("inputs {:?}, not {:?}", got.1, expected.1)
            } else if got.0 != expected.0 {
                format!("ikz {}, not {}", got.0, expected.0)
            } else {
                "other rule or data files".to_string()
            };
            bail!(
                "{} comes from another run than {} ({what}): run every shard with the same \
                 inputs, rules and data",
                part.display(),
                first.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_arguments_are_checked() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { k: 2, n: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_document_has_exactly_one_shard_and_the_shards_share_the_work() {
        let ids: Vec<String> = (0..3000).map(|i| format!("corpus/doc{i:07}")).collect();
        let mut sizes = [0usize; 3];
        for id in &ids {
            let owners: Vec<u32> = (1..=3).filter(|&k| Shard { k, n: 3 }.takes(id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0] as usize - 1] += 1;
        }
        assert!(sizes.iter().all(|&s| (900..1100).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn part_names_belong_to_their_dataset() {
        assert_eq!(part_of("part-2-of-3", 3), Some(2));
        assert_eq!(part_of("part-2-of-4", 3), None);
        assert_eq!(part_of("part-4-of-3", 3), None);
        assert_eq!(part_of("notes", 3), None);
    }
}
