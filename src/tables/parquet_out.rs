//! The Parquet sink of one table: rows are buffered in Arrow builders and
//! written as record batches through an `ArrowWriter` with zstd compression.
//!
//! Memory stays bounded: a batch is written every [`BATCH_ROWS`] rows or
//! [`BATCH_TEXT_BYTES`] bytes of text, and the writer closes a row group at
//! [`ROW_GROUP_ROWS`] rows or about [`ROW_GROUP_BYTES`] encoded bytes.

use super::write_error;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{
    ArrayRef, Date32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow::datatypes::{DataType, Field, SchemaRef};
use arrow::record_batch::RecordBatch;
use chrono::{Datelike, NaiveDate};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{DEFAULT_CREATED_BY, WriterProperties};

use super::row::Cell;
use super::schema::{ColumnType, TableSpec};

/// Rows buffered per table before a record batch is written.
pub(crate) const BATCH_ROWS: usize = 8192;
/// Bytes of text buffered per table before a record batch is written early
/// (documents carry whole bodies, so rows alone are no bound).
pub(crate) const BATCH_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// Most rows in one Parquet row group.
const ROW_GROUP_ROWS: usize = 64 * 1024;
/// Roughly the most encoded bytes in one Parquet row group; the writer keeps
/// the open row group in memory, so this bounds memory per table.
const ROW_GROUP_BYTES: usize = 16 * 1024 * 1024;
/// zstd level: the library's own default, a good size/speed balance.
const ZSTD_LEVEL: i32 = 3;
/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// One Arrow builder per column, matching the column's type.
enum ColumnBuilder {
    Utf8(StringBuilder),
    Int32(Int32Builder),
    Int64(Int64Builder),
    Date32(Date32Builder),
    ListUtf8(ListBuilder<StringBuilder>),
}

impl ColumnBuilder {
    fn new(ty: ColumnType) -> ColumnBuilder {
        match ty {
            ColumnType::Utf8 => ColumnBuilder::Utf8(StringBuilder::new()),
            ColumnType::Int32 => ColumnBuilder::Int32(Int32Builder::new()),
            ColumnType::Int64 => ColumnBuilder::Int64(Int64Builder::new()),
            ColumnType::Date32 => ColumnBuilder::Date32(Date32Builder::new()),
            ColumnType::ListUtf8 => ColumnBuilder::ListUtf8(
                ListBuilder::new(StringBuilder::new())
                    .with_field(Arc::new(Field::new_list_field(DataType::Utf8, false))),
            ),
        }
    }

    /// Appends one cell; the row has been checked, so a mismatch is a bug.
    fn append(&mut self, cell: &Cell<'_>) -> Result<()> {
        match (self, cell) {
            (ColumnBuilder::Utf8(b), Cell::Str(s)) => b.append_value(s),
            (ColumnBuilder::Utf8(b), Cell::OptStr(s)) => b.append_option(*s),
            (ColumnBuilder::Int32(b), Cell::I32(v)) => b.append_value(*v),
            (ColumnBuilder::Int64(b), Cell::I64(v)) => b.append_value(*v),
            (ColumnBuilder::Date32(b), Cell::Date(d)) => b.append_option(d.map(days_since_epoch)),
            (ColumnBuilder::ListUtf8(b), Cell::List(items)) => {
                for item in items.iter() {
                    b.values().append_value(item);
                }
                b.append(true);
            }
            (_, cell) => bail!(
                "internal error: cell {cell:?} does not fit its Parquet column; \
                 this is a bug in ikz, please report it"
            ),
        }
        Ok(())
    }

    /// Takes the buffered values out as an array, leaving the builder empty.
    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Utf8(b) => Arc::new(b.finish()),
            ColumnBuilder::Int32(b) => Arc::new(b.finish()),
            ColumnBuilder::Int64(b) => Arc::new(b.finish()),
            ColumnBuilder::Date32(b) => Arc::new(b.finish()),
            ColumnBuilder::ListUtf8(b) => Arc::new(b.finish()),
        }
    }
}

/// Arrow's `Date32`: days since 1970-01-01.
fn days_since_epoch(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

/// The writer properties every table uses.
///
/// `created_by` is set explicitly to parquet-rs's default,
/// `parquet-rs version <crate version>`: a constant of the build, so files
/// are byte-identical between runs on the same input. No other metadata
/// (timestamps, paths, host names) is written.
fn writer_properties() -> Result<WriterProperties> {
    let level = ZstdLevel::try_new(ZSTD_LEVEL)
        .context("internal error: invalid zstd level; this is a bug in ikz")?;
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_created_by(DEFAULT_CREATED_BY.to_string())
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
        .build())
}

/// Writes one table's rows to one Parquet file.
pub(crate) struct ParquetSink {
    /// Where the bytes go (the not yet renamed `.partial` file), for error messages.
    path: PathBuf,
    schema: SchemaRef,
    writer: ArrowWriter<File>,
    builders: Vec<ColumnBuilder>,
    rows: usize,
    text_bytes: usize,
}

impl ParquetSink {
    /// Creates the file at `path` for a table of `spec`'s schema.
    pub(crate) fn create(path: &Path, spec: &TableSpec) -> Result<ParquetSink> {
        let file = File::create(path).with_context(|| {
            format!(
                "cannot create {}: check that the output folder is writable",
                path.display()
            )
        })?;
        let schema = spec.arrow_schema();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(writer_properties()?))
            .with_context(|| write_error(path))?;
        let builders = spec
            .columns
            .iter()
            .map(|c| ColumnBuilder::new(c.ty))
            .collect();
        Ok(ParquetSink {
            path: path.to_path_buf(),
            schema,
            writer,
            builders,
            rows: 0,
            text_bytes: 0,
        })
    }

    /// Buffers one row (checked against the table's columns) and writes a
    /// batch once enough rows or text have gathered.
    pub(crate) fn push(&mut self, row: &[Cell<'_>]) -> Result<()> {
        for (builder, cell) in self.builders.iter_mut().zip(row) {
            builder.append(cell)?;
            self.text_bytes += cell.text_bytes();
        }
        self.rows += 1;
        if self.rows >= BATCH_ROWS || self.text_bytes >= BATCH_TEXT_BYTES {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one record batch.
    fn write_batch(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self
            .builders
            .iter_mut()
            .map(ColumnBuilder::finish)
            .collect();
        self.rows = 0;
        self.text_bytes = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), columns).with_context(|| {
            format!(
                "internal error: cannot build a record batch for {}; this is a bug in ikz, \
                 please report it",
                self.path.display()
            )
        })?;
        self.writer
            .write(&batch)
            .with_context(|| write_error(&self.path))
    }

    /// Writes the last batch and the footer, and closes the file.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.write_batch()?;
        // `into_inner` writes the footer and flushes; calling `finish` first
        // would write the footer twice.
        let file = self
            .writer
            .into_inner()
            .with_context(|| write_error(&self.path))?;
        file.sync_all().with_context(|| write_error(&self.path))
    }
}
