//! The CSV sink of one table: RFC 4180, UTF-8, a header row, CRLF line ends.
//!
//! Rows are written as they arrive (through the csv writer's buffer), so the
//! CSV side holds no more than one buffer of output in memory. Lists are
//! joined with `|` (a `|` or `\` inside an item is preceded by `\`), nulls
//! are empty fields and dates are `YYYY-MM-DD`.

use super::{CsvCompression, write_error};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;

use anyhow::{Context, Result};

use super::row::Cell;
use super::schema::TableSpec;

/// Size of the csv writer's output buffer.
const BUFFER_BYTES: usize = 256 * 1024;

/// Separator of list items in a CSV field.
pub(crate) const LIST_SEPARATOR: char = '|';
/// Written before a `|` or `\` that belongs to a list item, so that no
/// item is split or merged on the way through CSV (`datapackage.json`
/// declares it).
pub(crate) const LIST_ESCAPE: char = '\\';

/// Appends one list item, its separators and escapes escaped. An item
/// without either is written as it is, so most fields read the same with
/// a plain split on `|`.
fn push_list_item(out: &mut String, item: &str) {
    if !item.contains([LIST_SEPARATOR, LIST_ESCAPE]) {
        out.push_str(item);
        return;
    }
    for c in item.chars() {
        if c == LIST_SEPARATOR || c == LIST_ESCAPE {
            out.push(LIST_ESCAPE);
        }
        out.push(c);
    }
}

/// Writes one table's rows to one CSV file.
pub(crate) struct CsvSink {
    /// Where the bytes go (the not yet renamed `.partial` file), for error messages.
    path: PathBuf,
    writer: csv::Writer<CsvFile>,
    /// Reused for numbers, dates and joined lists, so a row allocates nothing.
    scratch: String,
}

impl CsvSink {
    /// Creates the file at `path` and writes the header of `spec`.
    pub(crate) fn create(
        path: &Path,
        spec: &TableSpec,
        compression: CsvCompression,
    ) -> Result<CsvSink> {
        let file = File::create(path).with_context(|| {
            format!(
                "cannot create {}: check that the output folder is writable",
                path.display()
            )
        })?;
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .buffer_capacity(BUFFER_BYTES)
            .from_writer(CsvFile::new(file, compression));
        writer
            .write_record(spec.header())
            .with_context(|| write_error(path))?;
        Ok(CsvSink {
            path: path.to_path_buf(),
            writer,
            scratch: String::new(),
        })
    }

    /// Writes one row; the row has been checked against the table's columns.
    pub(crate) fn push(&mut self, row: &[Cell<'_>]) -> Result<()> {
        for cell in row {
            self.scratch.clear();
            let field: &str = match cell {
                Cell::Str(s) | Cell::OptStr(Some(s)) => s,
                Cell::OptStr(None) | Cell::Date(None) => "",
                Cell::I32(v) => {
                    let _ = write!(self.scratch, "{v}");
                    &self.scratch
                }
                Cell::I64(v) => {
                    let _ = write!(self.scratch, "{v}");
                    &self.scratch
                }
                Cell::Date(Some(d)) => {
                    let _ = write!(self.scratch, "{}", d.format("%Y-%m-%d"));
                    &self.scratch
                }
                Cell::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.scratch.push(LIST_SEPARATOR);
                        }
                        push_list_item(&mut self.scratch, item);
                    }
                    &self.scratch
                }
            };
            self.writer
                .write_field(field)
                .with_context(|| write_error(&self.path))?;
        }
        self.writer
            .write_record(None::<&[u8]>)
            .with_context(|| write_error(&self.path))
    }

    /// Flushes everything to disk and closes the file.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.writer
            .flush()
            .with_context(|| write_error(&self.path))?;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))
            .with_context(|| write_error(&self.path))?
            .finish()
            .with_context(|| write_error(&self.path))?;
        file.sync_all().with_context(|| write_error(&self.path))
    }
}

/// The file under a CSV writer: plain, or through a gzip encoder.
enum CsvFile {
    Plain(File),
    Gzip(GzEncoder<File>),
}

impl CsvFile {
    fn new(file: File, compression: CsvCompression) -> CsvFile {
        match compression {
            CsvCompression::None => CsvFile::Plain(file),
            // The fastest level: about a third of the plain size on ikz's
            // tables, at a small share of the run's time.
            CsvCompression::Gzip => {
                CsvFile::Gzip(GzEncoder::new(file, flate2::Compression::fast()))
            }
        }
    }

    /// Writes the gzip trailer, if any, and gives back the file.
    fn finish(self) -> io::Result<File> {
        match self {
            CsvFile::Plain(file) => Ok(file),
            CsvFile::Gzip(encoder) => encoder.finish(),
        }
    }
}

impl Write for CsvFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            CsvFile::Plain(file) => file.write(bytes),
            CsvFile::Gzip(encoder) => encoder.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            CsvFile::Plain(file) => file.flush(),
            CsvFile::Gzip(encoder) => encoder.flush(),
        }
    }
}
