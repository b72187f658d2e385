//! The output tables of DESIGN.md ("Output tables"), streamed to Parquet
//! and CSV.
//!
//! [`TableWriter`] is the pipeline's last stage: it takes finished
//! [`Document`]s in input order and [`Diagnostic`]s as they happen, turns
//! the model's byte spans into the character offsets the contract promises,
//! and writes every row in batches, so memory stays bounded however large
//! the corpus is. Only the entities table is kept until the end, since its
//! counts cover the whole run; it grows with the number of distinct
//! entities.
//!
//! - [`schema`] fixes the tables (names, columns, types, nullability).
//! - `table` feeds one table's rows to its CSV and Parquet sinks
//!   (`csv_out`, `parquet_out`).
//! - `offsets` converts byte to character offsets, `entities` gathers the
//!   entities table, and `validate` checks a document before it is written.

mod csv_out;
mod entities;
mod offsets;
mod parquet_out;
mod row;
pub mod schema;
mod table;
mod validate;

/// The error context for a failed write: which file, and what to check.
fn write_error(path: &Path) -> String {
    format!(
        "cannot write {}: check that the disk is not full and the output folder is writable",
        path.display()
    )
}

/// Checks that a document's spans and indexes are valid for the tables,
/// so the pipeline can report a broken document instead of stopping.
pub fn check_document(doc: &Document) -> anyhow::Result<()> {
    validate::validate(doc)
}

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::{Diagnostic, Document};
use crate::output::TableCounts;
use entities::EntityRegistry;
use offsets::CharOffsets;
use row::Cell;
use table::TableSink;

/// Which formats to write.
///
/// Exists because `--format` lets a user choose Parquet, CSV or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write `NAME.parquet` files.
    pub parquet: bool,
    /// Write `NAME.csv` files.
    pub csv: bool,
}

impl Formats {
    /// Both formats: what `ikz extract` writes when `--format` is not given.
    pub const ALL: Formats = Formats {
        parquet: true,
        csv: true,
    };
}

/// Streams all tables of one run into a folder.
///
/// Exists so that the pipeline hands over documents one at a time and never
/// holds the corpus: rows go out in batches as documents arrive, and
/// [`TableWriter::finish`] writes the run-wide entities table and closes
/// everything. Files carry a `.partial` suffix until `finish` succeeds, so
/// an aborted run leaves no file that looks complete.
pub struct TableWriter {
    dir: PathBuf,
    documents: TableSink,
    sentences: TableSink,
    mentions: TableSink,
    entities: TableSink,
    relations: TableSink,
    diagnostics: TableSink,
    registry: EntityRegistry,
    offsets: CharOffsets,
}

impl TableWriter {
    /// Creates `dir` if needed and opens every table's files in it.
    ///
    /// Existing files of the same names are replaced when the run finishes.
    pub fn create(dir: &Path, formats: Formats) -> Result<TableWriter> {
        anyhow::ensure!(
            formats.parquet || formats.csv,
            "no output format selected: choose `parquet`, `csv` or both"
        );
        fs::create_dir_all(dir).with_context(|| {
            format!(
                "cannot create the output folder {}: choose another with --out or check \
                 its permissions",
                dir.display()
            )
        })?;
        let open = |spec| TableSink::create(dir, spec, formats);
        Ok(TableWriter {
            dir: dir.to_path_buf(),
            documents: open(&schema::DOCUMENTS)?,
            sentences: open(&schema::SENTENCES)?,
            mentions: open(&schema::MENTIONS)?,
            entities: open(&schema::ENTITIES)?,
            relations: open(&schema::RELATIONS)?,
            diagnostics: open(&schema::DIAGNOSTICS)?,
            registry: EntityRegistry::default(),
            offsets: CharOffsets::default(),
        })
    }

    /// Appends one document's rows (documents, sentences, mentions, relations) and records its entities.
    ///
    /// A document whose spans or indices are inconsistent is rejected with
    /// an error naming it, before any of its rows is written; the writer
    /// stays usable for the next document.
    pub fn write_document(&mut self, doc: &Document) -> Result<()> {
        self.write_document_rows(doc)
            .with_context(|| format!("cannot write document `{}` ({})", doc.doc_id, doc.source))
    }

    fn write_document_rows(&mut self, doc: &Document) -> Result<()> {
        validate::validate(doc)?;
        let body = doc.body.as_str();
        let spans = doc
            .sentences
            .iter()
            .map(|s| s.span)
            .chain(doc.mentions.iter().map(|m| m.span));
        self.offsets.rebuild(
            body,
            spans
                .flat_map(|s| [s.start, s.end])
                .chain(std::iter::once(body.len())),
        )?;
        let offsets = &self.offsets;
        let char_offset = |byte: usize| -> Result<i32> { int32(offsets.char_at(byte)?) };
        let id = doc.doc_id.as_str();
        let meta = &doc.meta;

        self.documents.push(&[
            Cell::Str(id),
            Cell::Str(&doc.source),
            Cell::OptStr(meta.title.as_deref()),
            Cell::Date(meta.published),
            Cell::List(&meta.keywords),
            Cell::OptStr(meta.image_credit.as_deref()),
            Cell::OptStr(meta.author.as_deref()),
            Cell::Str(&doc.encoding),
            Cell::I64(int64(doc.text.chars().count())?),
            Cell::I64(int64(offsets.char_at(body.len())?)?),
            Cell::I32(int32(doc.sentences.len())?),
            Cell::I32(int32(doc.mentions.len())?),
            Cell::I32(int32(doc.relations.len())?),
            Cell::Str(body),
        ])?;

        for (i, s) in doc.sentences.iter().enumerate() {
            self.sentences.push(&[
                Cell::Str(id),
                Cell::I32(int32(i)?),
                Cell::I32(char_offset(s.span.start)?),
                Cell::I32(char_offset(s.span.end)?),
                Cell::Str(doc.slice(s.span)),
            ])?;
        }

        self.registry.start_document();
        for (i, m) in doc.mentions.iter().enumerate() {
            let text = doc.slice(m.span);
            let entity = &m.entity;
            self.mentions.push(&[
                Cell::Str(id),
                Cell::I32(int32(i)?),
                Cell::I32(int32(m.sentence_idx)?),
                Cell::I32(char_offset(m.span.start)?),
                Cell::I32(char_offset(m.span.end)?),
                Cell::Str(text),
                Cell::Str(entity.label.as_str()),
                Cell::Str(&entity.id),
                Cell::Str(&entity.canonical),
                Cell::Str(m.source.as_str()),
                Cell::Str(&m.rule_id),
            ])?;
            self.registry.record(entity, text);
        }

        for (i, r) in doc.relations.iter().enumerate() {
            let mention = |index: usize| {
                doc.mentions.get(index).with_context(|| {
                    format!("relation {i} points to mention {index}, which does not exist")
                })
            };
            let subject = mention(r.subject)?;
            let object = mention(r.object)?;
            let role = r.role.map(mention).transpose()?;
            let evidence = doc
                .sentences
                .get(r.sentence_idx)
                .map(|s| doc.slice(s.span))
                .with_context(|| {
                    format!(
                        "relation {i} points to sentence {}, which does not exist",
                        r.sentence_idx
                    )
                })?;
            self.relations.push(&[
                Cell::Str(id),
                Cell::I32(int32(i)?),
                Cell::I32(int32(r.sentence_idx)?),
                Cell::Str(r.kind.as_str()),
                Cell::Str(&subject.entity.id),
                Cell::Str(doc.slice(subject.span)),
                Cell::Str(subject.entity.label.as_str()),
                Cell::Str(&object.entity.id),
                Cell::Str(doc.slice(object.span)),
                Cell::Str(object.entity.label.as_str()),
                Cell::OptStr(role.map(|m| doc.slice(m.span))),
                Cell::Str(&r.trigger),
                Cell::Date(meta.published),
                Cell::Str(&r.rule_id),
                Cell::Str(evidence),
                Cell::OptStr(r.subject_ref.map(|s| doc.slice(s))),
                Cell::OptStr(r.object_ref.map(|s| doc.slice(s))),
                Cell::OptStr(role.map(|m| m.entity.id.as_str())),
            ])?;
        }
        Ok(())
    }

    /// Appends one row to the diagnostics table.
    pub fn write_diagnostic(&mut self, d: &Diagnostic) -> Result<()> {
        self.diagnostics.push(&[
            Cell::Str(&d.source),
            Cell::OptStr(d.doc_id.as_deref()),
            Cell::Str(d.severity.as_str()),
            Cell::Str(&d.stage),
            Cell::Str(&d.message),
        ])
    }

    /// Writes the entities table, flushes and closes every file, and
    /// returns the rows per table.
    pub fn finish(self) -> Result<TableCounts> {
        let TableWriter {
            dir,
            documents,
            sentences,
            mentions,
            mut entities,
            relations,
            diagnostics,
            registry,
            offsets: _,
        } = self;
        for stats in registry.iter() {
            let info = &stats.info;
            entities.push(&[
                Cell::Str(&info.id),
                Cell::Str(info.label.as_str()),
                Cell::Str(&info.canonical),
                Cell::OptStr(info.kind.as_deref()),
                Cell::OptStr(info.external_id.as_deref()),
                Cell::I64(stats.n_mentions),
                Cell::I64(stats.n_docs),
                Cell::List(&stats.surfaces),
            ])?;
        }
        let mut counts = TableCounts::new();
        for sink in [
            documents,
            sentences,
            mentions,
            entities,
            relations,
            diagnostics,
        ] {
            counts.insert(sink.name().to_string(), sink.rows());
            sink.finish()
                .with_context(|| format!("cannot finish the tables in {}", dir.display()))?;
        }
        Ok(counts)
    }
}

/// A count or offset as the tables' int32, or an error saying why not.
fn int32(value: usize) -> Result<i32> {
    i32::try_from(value).with_context(|| {
        format!(
            "{value} does not fit the tables' int32 columns; split the input into smaller documents"
        )
    })
}

/// A count as the tables' int64, or an error saying why not.
fn int64(value: usize) -> Result<i64> {
    i64::try_from(value).with_context(|| format!("{value} does not fit the tables' int64 columns"))
}
