//! `manifest.json`: what made an output folder, and the mark that it is
//! ikz's own.
//!
//! Every output folder carries one. It says which ikz and which command
//! line wrote the tables, when and for how long, which rules and data ran
//! (a folder or `built-in`, with a SHA-256 of every file read), how many
//! rows each table has and how many diagnostics of each severity the run
//! gave, and which files it wrote. ikz replaces an existing folder only if
//! its manifest says ikz wrote it and it holds nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::rules::SourceRecord;

/// The manifest's file name inside an output folder.
pub const FILE_NAME: &str = "manifest.json";

/// The value of `tool` in every ikz manifest.
const TOOL: &str = "ikz";

/// Rows per table, by table name.
pub type TableCounts = BTreeMap<String, u64>;

/// One file of the output folder, with its size and modification time, so
/// that a later run can tell whether someone changed it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// File name inside the output folder.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Last modification, nanoseconds since 1970 (0 where unknown).
    pub modified_ns: u64,
}

impl FileEntry {
    /// The entry for the file at `path`, named `name`.
    pub fn of(name: &str, path: &Path) -> Result<FileEntry> {
        let meta = std::fs::metadata(path)
            .with_context(|| format!("cannot look at {}", path.display()))?;
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Ok(FileEntry {
            name: name.to_string(),
            bytes: meta.len(),
            modified_ns,
        })
    }
}

/// The provenance of one output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `ikz`: marks the folder as ikz's own.
    pub tool: String,
    /// The ikz version that wrote it.
    pub version: String,
    /// The command line, one argument per item.
    pub command_line: Vec<String>,
    /// The folder the command ran in (relative paths start there).
    pub working_directory: String,
    /// Start of the run, RFC 3339 in UTC.
    pub started: String,
    /// Wall-clock seconds the run took.
    pub duration_seconds: f64,
    /// The inputs as given on the command line.
    pub inputs: Vec<String>,
    /// The formats written (`parquet`, `csv`).
    pub formats: Vec<String>,
    /// The rule files used.
    pub rules: SourceRecord,
    /// The reference data used.
    pub data: SourceRecord,
    /// Rows per table.
    pub tables: TableCounts,
    /// Diagnostics by severity (`error`, `warning`).
    pub diagnostics: BTreeMap<String, u64>,
    /// Every file ikz wrote into the folder, besides this manifest.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// A manifest of this ikz version; the caller fills in the rest.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        command_line: Vec<String>,
        started: chrono::DateTime<chrono::Utc>,
        duration_seconds: f64,
        inputs: Vec<String>,
        formats: Vec<String>,
        rules: SourceRecord,
        data: SourceRecord,
        tables: TableCounts,
        diagnostics: BTreeMap<String, u64>,
    ) -> Manifest {
        Manifest {
            tool: TOOL.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            command_line,
            working_directory: std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            duration_seconds,
            inputs,
            formats,
            rules,
            data,
            tables,
            diagnostics,
            files: Vec::new(),
        }
    }

    /// Reads `dir/manifest.json`: `None` if there is none, an error if it
    /// is not an ikz manifest.
    pub fn read(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        };
        let manifest: Manifest = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a manifest written by ikz (it does not parse as one)",
                path.display()
            )
        })?;
        if manifest.tool != TOOL {
            bail!(
                "{} names `{}`, not ikz, as the tool that wrote the folder",
                path.display(),
                manifest.tool
            );
        }
        Ok(Some(manifest))
    }

    /// Lists the files in `dir`, then writes the manifest there.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut manifest = self.clone();
        manifest.files = list_files(dir)?;
        let mut text = serde_json::to_string_pretty(&manifest)?;
        text.push('\n');
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).with_context(|| {
            format!(
                "cannot write {}: check that the disk is not full",
                path.display()
            )
        })
    }
}

/// The files in `dir` (not the manifest), by name.
fn list_files(dir: &Path) -> Result<Vec<FileEntry>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == FILE_NAME || name.starts_with(".ikz-") {
            continue; // the manifest itself, and the staging marker
        }
        files.push(FileEntry::of(&name, &entry.path())?);
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}
