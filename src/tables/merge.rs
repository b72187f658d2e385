//! `ikz merge DIR…`: the entities table of a sharded dataset, merged.
//!
//! Each part of a sharded run (`--shard K/N`) counts the entities of its
//! own documents. Merging adds the counts by entity id (the parts hold
//! disjoint documents, so `n_docs` adds up too), keeps the label, name,
//! kind and key of the first part that has the entity, and joins the
//! surfaces in part order without repeats. Rows come in order of first
//! appearance over the parts 1 to N; a single run orders them by input
//! order, so the two agree as sets of rows, not row by row.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::Int64Type;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::row::Cell;
use super::schema::ENTITIES;
use super::table::TableSink;
use super::{Formats, TableCounts};

/// One entity as the merge gathers it.
struct Merged {
    entity_id: String,
    label: String,
    canonical: String,
    kind: Option<String>,
    external_id: Option<String>,
    n_mentions: i64,
    n_docs: i64,
    surfaces: Vec<String>,
}

/// Reads the entities parts `parts` (Parquet files, in part order) and
/// writes the merged table as `entities.*` into `dir` in `formats`.
/// Returns the number of rows.
pub fn merge_entities(parts: &[PathBuf], dir: &Path, formats: Formats) -> Result<TableCounts> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<Merged> = Vec::new();
    for part in parts {
        for batch in read_batches(part)? {
            add_batch(&batch, &mut index, &mut merged)
                .with_context(|| format!("{}: not an ikz entities table", part.display()))?;
        }
    }
    let mut sink = TableSink::create(dir, &ENTITIES, formats)?;
    for e in &merged {
        sink.push(&[
            Cell::Str(&e.entity_id),
            Cell::Str(&e.label),
            Cell::Str(&e.canonical),
            Cell::OptStr(e.kind.as_deref()),
            Cell::OptStr(e.external_id.as_deref()),
            Cell::I64(e.n_mentions),
            Cell::I64(e.n_docs),
            Cell::List(&e.surfaces),
        ])?;
    }
    let rows = sink.rows();
    sink.finish()?;
    Ok(TableCounts::from([("entities".to_string(), rows)]))
}

fn read_batches(part: &Path) -> Result<Vec<RecordBatch>> {
    let file =
        std::fs::File::open(part).with_context(|| format!("cannot open {}", part.display()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .with_context(|| format!("{}: cannot read it as Parquet", part.display()))?;
    reader
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{}: cannot read it as Parquet", part.display()))
}

fn add_batch(
    batch: &RecordBatch,
    index: &mut HashMap<String, usize>,
    merged: &mut Vec<Merged>,
) -> Result<()> {
    let text = |name: &str| -> Result<_> {
        let column = batch
            .column_by_name(name)
            .with_context(|| format!("no column {name}"))?;
        column
            .as_string_opt::<i32>()
            .with_context(|| format!("{name} is not text"))
    };
    let count = |name: &str| -> Result<_> {
        let column = batch
            .column_by_name(name)
            .with_context(|| format!("no column {name}"))?;
        column
            .as_primitive_opt::<Int64Type>()
            .with_context(|| format!("{name} is not int64"))
    };
    let (ids, labels, names) = (text("entity_id")?, text("label")?, text("canonical")?);
    let (kinds, keys) = (text("kind")?, text("external_id")?);
    let (mentions, docs) = (count("n_mentions")?, count("n_docs")?);
    let surfaces = batch
        .column_by_name("surfaces")
        .and_then(|c| c.as_list_opt::<i32>())
        .context("surfaces is not a list")?;
    let optional = |column: &arrow::array::StringArray, row: usize| {
        (!column.is_null(row)).then(|| column.value(row).to_string())
    };
    for required in [ids, labels, names] {
        anyhow::ensure!(required.null_count() == 0, "a required column holds nulls");
    }
    for row in 0..batch.num_rows() {
        let id = ids.value(row);
        let i = *index.entry(id.to_string()).or_insert_with(|| {
            merged.push(Merged {
                entity_id: id.to_string(),
                label: labels.value(row).to_string(),
                canonical: names.value(row).to_string(),
                kind: optional(kinds, row),
                external_id: optional(keys, row),
                n_mentions: 0,
                n_docs: 0,
                surfaces: Vec::new(),
            });
            merged.len() - 1
        });
        let entity = &mut merged[i];
        let add = |total: i64, more: i64| {
            total
                .checked_add(more)
                .with_context(|| format!("the counts of {id} overflow"))
        };
        entity.n_mentions = add(entity.n_mentions, mentions.value(row))?;
        entity.n_docs = add(entity.n_docs, docs.value(row))?;
        let list = surfaces.value(row);
        let list = list
            .as_string_opt::<i32>()
            .context("surfaces are not text")?;
        for surface in list.iter().flatten() {
            if !entity.surfaces.iter().any(|s| s == surface) {
                entity.surfaces.push(surface.to_string());
            }
        }
    }
    Ok(())
}

/// Fails unless `parts` holds every part 1 to N of the dataset.
pub fn check_complete(found: &[u32], n: u32) -> Result<()> {
    let missing: Vec<String> = (1..=n)
        .filter(|k| !found.contains(k))
        .map(|k| format!("part-{k}-of-{n}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the dataset lacks {}: run those shards (or copy their table=entities files in) \
             before merging",
            missing.join(", ")
        );
    }
    Ok(())
}
