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
mod datapackage;
mod document_rows;
mod entities;
mod graphml;
pub mod merge;
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

use rayon::prelude::*;

use crate::model::{Diagnostic, Document};
use crate::output::TableCounts;
use crate::profile::{Profile, Stage};
use document_rows::{
    document_row, each, mention_rows, prepare, record_entities, relation_rows, sentence_rows,
};
use entities::EntityRegistry;
use graphml::GraphSink;
use offsets::CharOffsets;
use row::Cell;
use table::{PendingFile, TableSink};

/// Which formats to write.
///
/// Exists because `--format` lets a user choose Parquet, CSV or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Write `NAME.parquet` files.
    pub parquet: bool,
    /// Write `NAME.csv` files.
    pub csv: bool,
    /// How the CSV files are compressed (`NAME.csv` or `NAME.csv.gz`).
    pub csv_compression: CsvCompression,
    /// Also write the network as `relations.graphml` (`--graph`).
    pub graphml: bool,
}

impl Formats {
    /// Both formats, CSV uncompressed, no GraphML: what `ikz extract`
    /// writes when none of `--format`, `--csv-compression` and `--graph`
    /// is given.
    pub const ALL: Formats = Formats {
        parquet: true,
        csv: true,
        csv_compression: CsvCompression::None,
        graphml: false,
    };
}

/// How CSV files are compressed.
///
/// Exists because CSV is several times the size of the zstd-compressed
/// Parquet files (2.6 times on the real pages, 85 on the repetitive
/// benchmark corpus); gzip (`NAME.csv.gz`) is what pandas, polars, DuckDB and
/// `zcat` read directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvCompression {
    /// Plain `NAME.csv`.
    #[default]
    None,
    /// `NAME.csv.gz`, gzip at its fastest level.
    Gzip,
}

impl CsvCompression {
    /// The file name ending of a CSV table compressed this way.
    pub fn extension(self) -> &'static str {
        match self {
            CsvCompression::None => "csv",
            CsvCompression::Gzip => "csv.gz",
        }
    }
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
    formats: Formats,
    documents: TableSink,
    sentences: TableSink,
    mentions: TableSink,
    entities: TableSink,
    relations: TableSink,
    diagnostics: TableSink,
    registry: EntityRegistry,
    /// `relations.graphml`, with `--graph`.
    graph: Option<(GraphSink, PendingFile)>,
}

/// Writes `datapackage.json`, which types the CSV tables.
fn write_datapackage(dir: &Path, compression: CsvCompression) -> Result<()> {
    let path = dir.join(datapackage::FILE_NAME);
    let mut text = serde_json::to_string_pretty(&datapackage::describe(compression))?;
    text.push('\n');
    fs::write(&path, text).with_context(|| write_error(&path))
}

/// Writes the batch's relations as GraphML edges, when `--graph` asked.
fn push_edges(
    graph: &mut Option<(GraphSink, PendingFile)>,
    docs: &[(&Document, &CharOffsets)],
    profile: &Profile,
) -> Result<()> {
    let Some((sink, _)) = graph else {
        return Ok(());
    };
    let docs: Vec<&Document> = docs.iter().map(|(doc, _)| *doc).collect();
    profile.time(Stage::Write, || sink.push_documents(&docs))
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
        let graph = if formats.graphml {
            let file = PendingFile::named(dir, graphml::FILE_NAME);
            Some((GraphSink::create(&file.partial)?, file))
        } else {
            None
        };
        Ok(TableWriter {
            dir: dir.to_path_buf(),
            formats,
            documents: open(&schema::DOCUMENTS)?,
            sentences: open(&schema::SENTENCES)?,
            mentions: open(&schema::MENTIONS)?,
            entities: open(&schema::ENTITIES)?,
            relations: open(&schema::RELATIONS)?,
            diagnostics: open(&schema::DIAGNOSTICS)?,
            registry: EntityRegistry::default(),
            graph,
        })
    }

    /// Appends one document's rows (documents, sentences, mentions,
    /// relations) and records its entities.
    ///
    /// A document whose spans or indices are inconsistent is rejected with
    /// an error naming it, before any of its rows is written; the writer
    /// stays usable for the next document.
    pub fn write_document(&mut self, doc: &Document) -> Result<()> {
        self.write_documents(std::slice::from_ref(doc), &Profile::default())
    }

    /// Appends the rows of several documents, in their order, and records
    /// their entities; the time spent goes to `profile`'s write stage.
    ///
    /// The work is spread over the thread pool: the documents' character
    /// offsets are found in parallel, then each table and format is one
    /// task that writes every document's rows in order, so the output is
    /// the same as writing the documents one by one. A document whose spans
    /// or indices are inconsistent is refused before any row of the batch
    /// is written, and the error names the first such document; a later
    /// error (a write that fails, a count beyond int32) may leave the
    /// tables partly written, and the run then fails.
    pub fn write_documents(&mut self, docs: &[Document], profile: &Profile) -> Result<()> {
        let prepared: Vec<Result<CharOffsets>> = docs
            .par_iter()
            .map(|doc| profile.time(Stage::Write, || prepare(doc)))
            .collect();
        // In document order, so the first inconsistent document is named.
        let offsets = prepared.into_iter().collect::<Result<Vec<_>>>()?;
        let docs: Vec<(&Document, &CharOffsets)> = docs.iter().zip(&offsets).collect();
        let docs = docs.as_slice();
        let TableWriter {
            documents,
            sentences,
            mentions,
            relations,
            registry,
            graph,
            ..
        } = self;
        let ((a, (b, e)), ((c, d), ())) = rayon::join(
            || {
                rayon::join(
                    || documents.push_rows(profile, |push| each(docs, push, document_row)),
                    || {
                        rayon::join(
                            || sentences.push_rows(profile, |push| each(docs, push, sentence_rows)),
                            || push_edges(graph, docs, profile),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || mentions.push_rows(profile, |push| each(docs, push, mention_rows)),
                            || relations.push_rows(profile, |push| each(docs, push, relation_rows)),
                        )
                    },
                    || profile.time(Stage::Write, || record_entities(registry, docs)),
                )
            },
        );
        a.and(b).and(c).and(d).and(e)
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
            formats,
            documents,
            sentences,
            mentions,
            mut entities,
            relations,
            diagnostics,
            registry,
            graph,
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
        let sinks = [
            documents,
            sentences,
            mentions,
            entities,
            relations,
            diagnostics,
        ];
        let counts = sinks
            .iter()
            .map(|sink| (sink.name().to_string(), sink.rows()))
            .collect();
        if formats.csv {
            write_datapackage(&dir, formats.csv_compression)?;
        }
        if let Some((sink, file)) = graph {
            sink.finish(registry.iter())
                .and_then(|()| file.commit())
                .with_context(|| format!("cannot finish the graph in {}", dir.display()))?;
        }
        // Each file's last batch, footer and sync are its own; closing them
        // at once keeps the end of a run short. The first error, in table
        // order, is reported.
        let finished: Vec<Result<()>> = sinks.into_par_iter().map(TableSink::finish).collect();
        finished
            .into_iter()
            .collect::<Result<Vec<()>>>()
            .with_context(|| format!("cannot finish the tables in {}", dir.display()))?;
        Ok(counts)
    }
}
