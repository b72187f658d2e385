//! The output folder: which paths `--out` may name, the staging folder a
//! run writes into, and the final move into place.
//!
//! ikz only ever replaces its own output. A folder is ikz's when it holds a
//! [`Manifest`] (`manifest.json`) and nothing that the manifest does not
//! list; any other existing path — a file, a symbolic link, a folder of the
//! user's, `.`, an input or a folder around or inside an input — is refused
//! by [`OutputTarget::check`] before any work is done. The tables are
//! written into a hidden staging folder beside `--out` ([`Staging`]), which
//! is removed on every failure (and on Ctrl-C or SIGTERM, see
//! [`remove_live_staging`]) and renamed into place only when the run
//! succeeded.

mod manifest;
pub mod shards;

pub use manifest::{FileEntry, Manifest, TableCounts};

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};

/// The file inside a staging folder that marks it as ikz's own, so that a
/// later run may clean it up if the run that made it was killed.
const STAGING_MARKER: &str = ".ikz-staging";

/// Staging folders of this process that still exist, for the signal handler.
static LIVE_STAGING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every staging folder this process still has. The binary calls
/// it from its Ctrl-C / SIGTERM handler, so an interrupted run leaves no
/// temporary folder behind.
pub fn remove_live_staging() {
    let folders = match LIVE_STAGING.lock() {
        Ok(mut live) => std::mem::take(&mut *live),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };
    for folder in folders {
        let _ = std::fs::remove_dir_all(folder);
    }
}

/// A checked `--out` path: either free, or an ikz output folder that may be
/// replaced.
#[derive(Debug)]
pub struct OutputTarget {
    /// The path as the user gave it, without a trailing `/` or `/.`.
    path: PathBuf,
}

impl OutputTarget {
    /// Decides whether `out` may receive this run's tables, given the
    /// run's inputs; the error says why not and what to do.
    pub fn check(out: &Path, inputs: &[PathBuf]) -> Result<OutputTarget> {
        OutputTarget::check_for(out, inputs, None)
    }

    /// [`OutputTarget::check`] for a run that writes one part of a sharded
    /// dataset (`--shard K/N`, `shard` = `Some(N)`): an existing `out` must
    /// then be a dataset of N parts that ikz wrote ([`shards`]).
    pub fn check_for(out: &Path, inputs: &[PathBuf], shard: Option<u32>) -> Result<OutputTarget> {
        let shown = out.display();
        if out.as_os_str().is_empty() || out.file_name().is_none() {
            bail!(
                "--out {shown}: name a folder of its own for the tables (such as `out`); \
                 ikz does not write into `.`, `..` or `/`"
            );
        }
        // `out/`, `out/.` and `./out` are `out`: the name itself is what is
        // checked, created and renamed.
        let normalised: PathBuf = out.components().collect();
        let out = normalised.as_path();
        if out.file_name().is_none() {
            bail!(
                "--out {shown}: name a folder of its own for the tables (such as `out`); \
                 ikz does not write into `.`, `..` or `/`"
            );
        }
        let resolved_out = resolved(out);
        if let Ok(cwd) = std::env::current_dir().map(|d| resolved(&d))
            && cwd.starts_with(&resolved_out)
        {
            bail!(
                "--out {shown} is the current folder or contains it; name a new folder \
                 for the tables (such as `out`)"
            );
        }
        for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
            check_apart_from_input(out, &resolved_out, input)?;
        }
        match std::fs::symlink_metadata(out) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => bail!("--out {shown}: cannot look at it: {err}; choose another path"),
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "--out {shown} is a symbolic link; ikz replaces only folders it wrote \
                 itself: name the folder the link points to, or a new path"
            ),
            Ok(meta) if !meta.is_dir() => bail!(
                "--out {shown} is a file, not an ikz output folder; ikz never replaces \
                 a file it did not write: choose a new path for the tables"
            ),
            Ok(_) => match shard {
                None => check_own_folder(out)?,
                Some(parts) => shards::check_dataset(out, parts)?,
            },
        }
        Ok(OutputTarget {
            path: out.to_path_buf(),
        })
    }

    /// The folder the tables end up in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the empty staging folder beside the output, after cleaning
    /// up staging folders of earlier runs that were killed.
    pub fn stage(&self) -> Result<Staging> {
        let parent = parent_of(&self.path);
        let created = missing_ancestors(&parent);
        std::fs::create_dir_all(&parent).with_context(|| {
            format!(
                "cannot create {}; check the --out path and that the folder is writable",
                parent.display()
            )
        })?;
        let name = file_name(&self.path);
        remove_stale_staging(&parent, &name);
        let mut staging = Staging {
            dir: parent.join(format!(".{name}.ikz-tmp-{}", std::process::id())),
            created,
        };
        if let Err(err) = std::fs::create_dir(&staging.dir) {
            let message = format!(
                "cannot create the staging folder {}: {err}; is {} writable?",
                staging.dir.display(),
                parent.display()
            );
            staging.dir = PathBuf::new(); // not ours: nothing to remove but the parents
            bail!(message);
        }
        if let Ok(mut live) = LIVE_STAGING.lock() {
            live.push(staging.dir.clone());
        }
        std::fs::write(staging.dir.join(STAGING_MARKER), b"ikz staging folder\n")
            .with_context(|| format!("cannot write into {}", staging.dir.display()))?;
        Ok(staging)
    }
}

/// The ancestors of `dir` that do not exist yet, deepest first: the
/// folders a run creates for its output and removes again if it fails.
fn missing_ancestors(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect()
}

/// Refuses an output that is an input, contains one or lies inside one.
fn check_apart_from_input(out: &Path, resolved_out: &Path, input: &Path) -> Result<()> {
    let resolved_input = resolved(input);
    let (o, i) = (out.display(), input.display());
    if resolved_input == resolved_out {
        bail!("--out {o} is also an input; name a new folder for the tables");
    }
    if resolved_input.starts_with(resolved_out) {
        bail!("--out {o} contains the input {i}; name a folder outside the inputs");
    }
    if resolved_out.starts_with(&resolved_input) {
        bail!(
            "--out {o} lies inside the input {i}; name a folder outside it, so the \
             tables never mix with the documents"
        );
    }
    Ok(())
}

/// Refuses an existing folder that is not wholly ikz's output.
fn check_own_folder(out: &Path) -> Result<()> {
    let shown = out.display();
    let manifest = match Manifest::read(out) {
        Ok(Some(manifest)) => manifest,
        Ok(None) => bail!(
            "--out {shown} exists and is not an ikz output folder (it has no manifest.json); \
             ikz replaces only its own output: choose a new path for the tables, or remove \
             {shown} yourself if it holds nothing you need (an output of ikz before 0.2 \
             has no manifest either)"
        ),
        Err(err) => {
            return Err(err.context(format!(
                "--out {shown} is not an ikz output folder that can be replaced; choose a new path"
            )));
        }
    };
    let (foreign, changed) = foreign_entries(out, &manifest)?;
    if !foreign.is_empty() {
        bail!(
            "--out {shown} is an ikz output folder, but it also holds {}, which ikz did not \
             write; move what you need elsewhere or choose a new path for the tables",
            some_names(&foreign)
        );
    }
    if !changed.is_empty() {
        bail!(
            "--out {shown} is an ikz output folder, but {} changed after ikz wrote it \
             (size or time differ from manifest.json); move what you need elsewhere or \
             choose a new path for the tables",
            some_names(&changed)
        );
    }
    Ok(())
}

/// Names in `dir` that its manifest does not list (nor is the manifest),
/// and files it lists that were changed since ikz wrote them.
fn foreign_entries(dir: &Path, manifest: &Manifest) -> Result<(Vec<String>, Vec<String>)> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}; check its permissions", dir.display()))?;
    let (mut foreign, mut changed) = (Vec::new(), Vec::new());
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        if name == manifest::FILE_NAME && is_file {
            continue;
        }
        match manifest.files.iter().find(|f| f.name == name) {
            Some(listed) if is_file => {
                let now = FileEntry::of(&name, &entry.path())?;
                if now != *listed {
                    changed.push(name);
                }
            }
            _ => foreign.push(name),
        }
    }
    foreign.sort();
    changed.sort();
    Ok((foreign, changed))
}

/// Up to five names in backticks, and how many more there are.
fn some_names(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match names.len() {
        n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
        _ => shown.join(", "),
    }
}

/// A hidden folder beside the output that the tables are written into.
/// Dropping it without [`Staging::commit`] removes it, and the parent
/// folders the run created for the output.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Parent folders this run created, deepest first.
    created: Vec<PathBuf>,
}

impl Staging {
    /// Marks the staging folder as emptied by the caller (its files moved
    /// elsewhere): it is then removed, with its marker, on drop, and the
    /// parent folders the run created are kept.
    pub(crate) fn keep_parents(&mut self) {
        self.created.clear();
    }

    /// The folder to write the tables into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes the manifest and moves the folder into place, replacing the
    /// previous ikz output (checked again: files a user added to it during
    /// the run stop the move).
    pub fn commit(mut self, target: &OutputTarget, manifest: &Manifest) -> Result<()> {
        manifest.write(&self.dir)?;
        std::fs::remove_file(self.dir.join(STAGING_MARKER))
            .with_context(|| format!("cannot tidy {}", self.dir.display()))?;
        let out = target.path();
        let replacing = std::fs::symlink_metadata(out).is_ok();
        if replacing {
            check_own_folder(out)?;
        }
        // Held across the renames, so Ctrl-C cannot remove the new tables
        // between them; the signal handler waits for it.
        let mut live = LIVE_STAGING.lock().unwrap_or_else(|p| p.into_inner());
        let old = sibling(&self.dir, ".old");
        if replacing {
            std::fs::rename(out, &old)
                .with_context(|| format!("cannot move the old {} aside", out.display()))?;
        }
        if let Err(err) = std::fs::rename(&self.dir, out) {
            if replacing {
                let _ = std::fs::rename(&old, out); // put the previous output back
            }
            return Err(err)
                .with_context(|| format!("cannot move the new tables to {}", out.display()));
        }
        live.retain(|d| d != &self.dir);
        drop(live);
        if replacing {
            let _ = std::fs::remove_dir_all(&old);
        }
        self.dir = PathBuf::new();
        self.created.clear();
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
            if let Ok(mut live) = LIVE_STAGING.lock() {
                live.retain(|d| d != &self.dir);
            }
        }
        for dir in &self.created {
            let _ = std::fs::remove_dir(dir); // only if still empty
        }
    }
}

/// `path` with `suffix` appended to its last component.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into())
}

/// Removes staging folders of earlier runs into the same output that were
/// killed before they could clean up: only folders with ikz's staging name,
/// whose process no longer exists, and that hold ikz's staging marker or
/// (for a previous output moved aside) ikz's manifest. A previous output
/// that was moved aside when the run was killed is put back if `--out` is
/// missing.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.ikz-tmp-");
    if !Path::new("/proc/self").exists() {
        return; // no way to tell live runs from dead ones here
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = pid.trim_end_matches(".old");
        if !pid.bytes().all(|b| b.is_ascii_digit()) || Path::new("/proc").join(pid).exists() {
            continue;
        }
        let path = entry.path();
        let out = parent.join(name);
        let has_manifest = matches!(Manifest::read(&path), Ok(Some(_)));
        if has_manifest && file_name.ends_with(".old") && std::fs::symlink_metadata(&out).is_err() {
            // Killed between moving the old output aside and the new one in.
            let _ = std::fs::rename(&path, &out);
        } else if has_manifest || path.join(STAGING_MARKER).is_file() {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// The absolute path with symbolic links resolved as far as the path
/// exists, and `.` / `..` applied, so two spellings of one place compare
/// equal.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut current = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                current.pop();
            }
            other => {
                current.push(other);
                if let Ok(real) = current.canonicalize() {
                    current = real;
                }
            }
        }
    }
    current
}
