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

/// Checks that the existing folder `out` holds only an ikz dataset of `n`
/// parts: `table=NAME/part-K-of-N.*` files, `_manifests/part-K-of-N.json`
/// and the merged `entities.*`; anything else, or parts of another N, stop
/// the run before any work.
pub fn check_dataset(out: &Path, n: u32) -> Result<()> {
    let shown = out.display();
    let refuse = |what: String| -> Result<()> {
        bail!(
            "--out {shown} holds {what}, so it is no ikz dataset of {n} parts; ikz replaces \
             only its own files: choose a new --out (each shard of one run names the same one)"
        )
    };
    for entry in read_dir(out)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && (name.starts_with("table=") || name == MANIFESTS) {
            for file in read_dir(&path)? {
                let file_name = file.file_name().to_string_lossy().into_owned();
                let is_file = file.file_type().map(|t| t.is_file()).unwrap_or(false);
                if !is_file || part_of(stem(&file_name), n).is_none() {
                    return refuse(format!("{name}/{file_name}"));
                }
            }
        } else if !(entry.file_type().map(|t| t.is_file()).unwrap_or(false)
            && stem(&name) == "entities")
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
            remove_part(&entry.path(), &part)?;
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

/// Removes this part's files from a folder of the dataset.
fn remove_part(folder: &Path, part: &str) -> Result<()> {
    for entry in read_dir(folder)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if stem(&name) == part {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("cannot replace {}", entry.path().display()))?;
        }
    }
    Ok(())
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
            "no Parquet entities parts in {}: merging reads them, so run the shards with              parquet among --format",
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
    Ok((n, found.into_iter().map(|(_, _, p)| p).collect()))
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
