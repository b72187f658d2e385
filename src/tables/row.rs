//! One row of an output table as borrowed cells, and the check that a row
//! fits its table's columns.
//!
//! Rows are handed to the sinks as slices of [`Cell`]s borrowed from the
//! document, so building a row copies no text; each sink copies only what it
//! buffers.

use anyhow::{Result, bail};
use chrono::NaiveDate;

use super::schema::{ColumnType, TableSpec};

/// One value of a row, borrowed from the data it describes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// A text that is never null.
    Str(&'a str),
    /// A text that may be null.
    OptStr(Option<&'a str>),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A date that may be null.
    Date(Option<NaiveDate>),
    /// A list of texts (never null; may be empty).
    List(&'a [String]),
}

impl Cell<'_> {
    /// Whether this cell is a null value.
    fn is_null(&self) -> bool {
        matches!(self, Cell::OptStr(None) | Cell::Date(None))
    }

    /// Whether this cell can be stored in a column of type `ty`.
    fn fits(&self, ty: ColumnType) -> bool {
        matches!(
            (self, ty),
            (Cell::Str(_) | Cell::OptStr(_), ColumnType::Utf8)
                | (Cell::I32(_), ColumnType::Int32)
                | (Cell::I64(_), ColumnType::Int64)
                | (Cell::Date(_), ColumnType::Date32)
                | (Cell::List(_), ColumnType::ListUtf8)
        )
    }

    /// Bytes of text this cell adds to a buffered batch (for the batch size limit).
    pub(crate) fn text_bytes(&self) -> usize {
        match self {
            Cell::Str(s) | Cell::OptStr(Some(s)) => s.len(),
            Cell::List(items) => items.iter().map(String::len).sum(),
            _ => 0,
        }
    }
}

/// Checks that `row` has one cell per column of `spec`, each of the right
/// type and null only where the column allows it.
///
/// Done once before any sink sees the row, so that a bad row never leaves one
/// format (or one column) a row ahead of the other.
pub(crate) fn check_row(spec: &TableSpec, row: &[Cell<'_>]) -> Result<()> {
    if row.len() != spec.columns.len() {
        bail!(
            "internal error: a row for table `{}` has {} values but the table has {} columns; \
             this is a bug in ikz, please report it",
            spec.name,
            row.len(),
            spec.columns.len()
        );
    }
    for (cell, column) in row.iter().zip(spec.columns) {
        if !cell.fits(column.ty) {
            bail!(
                "internal error: column `{}.{}` is {:?} but got {:?}; this is a bug in ikz, \
                 please report it",
                spec.name,
                column.name,
                column.ty,
                cell
            );
        }
        if cell.is_null() && !column.nullable {
            bail!(
                "internal error: column `{}.{}` may not be null; this is a bug in ikz, \
                 please report it",
                spec.name,
                column.name
            );
        }
    }
    Ok(())
}
