//! One output table in every selected format.
//!
//! A [`TableSink`] checks each row against the table's columns once and
//! hands it to the CSV and Parquet sinks. Files are written under a
//! `.partial` name and renamed to `NAME.parquet` / `NAME.csv` only when the
//! table is finished, so a run that fails or is killed never leaves a
//! truncated file under the final name.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Formats;
use super::csv_out::CsvSink;
use super::parquet_out::ParquetSink;
use super::row::{Cell, check_row};
use super::schema::TableSpec;

/// A file being written under a temporary name, and the name it gets when done.
struct PendingFile {
    partial: PathBuf,
    target: PathBuf,
}

impl PendingFile {
    fn new(dir: &Path, spec: &TableSpec, extension: &str) -> PendingFile {
        let target = dir.join(format!("{}.{extension}", spec.name));
        let partial = dir.join(format!("{}.{extension}.partial", spec.name));
        PendingFile { partial, target }
    }

    /// Gives the finished file its final name.
    fn commit(&self) -> Result<()> {
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
            let file = PendingFile::new(dir, spec, "csv");
            Some((CsvSink::create(&file.partial, spec)?, file))
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

    /// The table's name.
    pub(crate) fn name(&self) -> &'static str {
        self.spec.name
    }

    /// Rows pushed so far.
    pub(crate) fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and closes every file and gives it its final name.
    pub(crate) fn finish(self) -> Result<()> {
        if let Some((sink, file)) = self.csv {
            sink.finish()?;
            file.commit()?;
        }
        if let Some((sink, file)) = self.parquet {
            sink.finish()?;
            file.commit()?;
        }
        Ok(())
    }
}
