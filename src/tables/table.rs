//! One output table in every selected format.
//!
//! A [`TableSink`] checks each row against the table's columns once and
//! hands it to the CSV and Parquet sinks. Files are written under a
//! `.partial` name and renamed to `NAME.parquet` / `NAME.csv` (`NAME.csv.gz`) only when the
//! table is finished, so a run that fails or is killed never leaves a
//! truncated file under the final name.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Formats;
use super::csv_out::CsvSink;
use super::document_rows::Push;
use super::parquet_out::ParquetSink;
use super::row::{Cell, check_row};
use super::schema::TableSpec;
use crate::profile::{Profile, Stage};

/// A file being written under a temporary name, and the name it gets when done.
pub(crate) struct PendingFile {
    /// Where the bytes are written until the file is complete.
    pub(crate) partial: PathBuf,
    target: PathBuf,
}

impl PendingFile {
    fn new(dir: &Path, spec: &TableSpec, extension: &str) -> PendingFile {
        PendingFile::named(dir, &format!("{}.{extension}", spec.name))
    }

    /// The file `name` in `dir`, written as `name.partial` until done.
    pub(crate) fn named(dir: &Path, name: &str) -> PendingFile {
        let target = dir.join(name);
        let partial = dir.join(format!("{name}.partial"));
        PendingFile { partial, target }
    }

    /// Gives the finished file its final name.
    pub(crate) fn commit(&self) -> Result<()> {
        fs::rename(&self.partial, &self.target).with_context(|| {
            format!(
                "cannot rename {} to {}: check that the output folder is writable",
                self.partial.display(),
                self.target.display()
            )
        })
    }
}

/// One table's files, fed one row at a time.
pub(crate) struct TableSink {
    spec: &'static TableSpec,
    csv: Option<(CsvSink, PendingFile)>,
    parquet: Option<(ParquetSink, PendingFile)>,
    rows: u64,
}

impl TableSink {
    /// Creates the table's files in `dir` for the selected formats.
    pub(crate) fn create(
        dir: &Path,
        spec: &'static TableSpec,
        formats: Formats,
    ) -> Result<TableSink> {
        let csv = if formats.csv {
            let compression = formats.csv_compression;
            let file = PendingFile::new(dir, spec, compression.extension());
            Some((CsvSink::create(&file.partial, spec, compression)?, file))
        } else {
            None
        };
        let parquet = if formats.parquet {
            let file = PendingFile::new(dir, spec, "parquet");
            Some((ParquetSink::create(&file.partial, spec)?, file))
        } else {
            None
        };
        Ok(TableSink {
            spec,
            csv,
            parquet,
            rows: 0,
        })
    }

    /// Appends one row to every format.
    pub(crate) fn push(&mut self, row: &[Cell<'_>]) -> Result<()> {
        check_row(self.spec, row)?;
        if let Some((sink, _)) = &mut self.csv {
            sink.push(row)?;
        }
        if let Some((sink, _)) = &mut self.parquet {
            sink.push(row)?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Appends the rows that `rows` hands to its `push`, to every format;
    /// the formats are written in parallel, `rows` once for each. The time
    /// spent goes to `profile`'s write stage.
    pub(crate) fn push_rows<F>(&mut self, profile: &Profile, rows: F) -> Result<()>
    where
        F: Fn(&mut Push<'_>) -> Result<()> + Sync,
    {
        let spec = self.spec;
        let csv = self.csv.as_mut().map(|(sink, _)| sink);
        let parquet = self.parquet.as_mut().map(|(sink, _)| sink);
        let counted = |push: &mut dyn FnMut(&[Cell<'_>]) -> Result<()>| {
            profile.time(Stage::Write, || {
                let mut count = 0;
                rows(&mut |row| {
                    check_row(spec, row)?;
                    count += 1;
                    push(row)
                })?;
                Ok::<u64, anyhow::Error>(count)
            })
        };
        let (in_csv, in_parquet) = rayon::join(
            || csv.map(|sink| counted(&mut |row| sink.push(row))),
            || parquet.map(|sink| counted(&mut |row| sink.push(row))),
        );
        let written = match (in_csv.transpose()?, in_parquet.transpose()?) {
            (Some(n), _) | (None, Some(n)) => n,
            (None, None) => 0,
        };
        self.rows += written;
        Ok(())
    }

    /// The table's name.
    pub(crate) fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Rows pushed so far.
    pub(crate) fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and closes every file and gives it its final name; the
    /// formats are closed at once.
    pub(crate) fn finish(self) -> Result<()> {
        let csv = || {
            self.csv.map_or(Ok(()), |(sink, file)| {
                sink.finish()?;
                file.commit()
            })
        };
        let parquet = || {
            self.parquet.map_or(Ok(()), |(sink, file)| {
                sink.finish()?;
                file.commit()
            })
        };
        let (csv, parquet) = rayon::join(csv, parquet);
        csv.and(parquet)
    }
}
