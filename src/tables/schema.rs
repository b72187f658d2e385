//! The six output tables as DESIGN.md ("Output tables") fixes them: names,
//! column order, types and nullability.
//!
//! This is the one place that knows the contract; the CSV and Parquet sinks
//! are driven by it, so both formats always carry the same columns in the
//! same order.

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// The logical type of a column, independent of the file format.
///
/// Exists so that one table definition yields both the Arrow schema used for
/// Parquet and the way a cell is spelled in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (Arrow `Utf8`).
    Utf8,
    /// 32-bit signed integer (Arrow `Int32`).
    Int32,
    /// 64-bit signed integer (Arrow `Int64`).
    Int64,
    /// A calendar date (Arrow `Date32`; `YYYY-MM-DD` in CSV).
    Date32,
    /// A list of texts (Arrow `List(Utf8)` with non-null items; joined by `|` in CSV).
    ListUtf8,
}

impl ColumnType {
    /// The Arrow data type this column is written with in Parquet.
    pub fn arrow_type(self) -> DataType {
        match self {
            ColumnType::Utf8 => DataType::Utf8,
            ColumnType::Int32 => DataType::Int32,
            ColumnType::Int64 => DataType::Int64,
            ColumnType::Date32 => DataType::Date32,
            ColumnType::ListUtf8 => {
                DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, false)))
            }
        }
    }
}

/// One column of an output table.
///
/// Exists so that the contract is data, not code spread over two writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column name, as in the CSV header and the Parquet schema.
    pub name: &'static str,
    /// The column's type.
    pub ty: ColumnType,
    /// Whether the column may hold nulls (an empty field in CSV).
    pub nullable: bool,
}

/// One output table: its file stem and its columns in order.
///
/// Exists so that sinks, tests and readers (such as `ikz eval`) share one
/// definition of every table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    /// The file stem: `documents` gives `documents.parquet` and `documents.csv`.
    pub name: &'static str,
    /// The columns, in output order.
    pub columns: &'static [Column],
    /// The columns that identify a row (empty: none do).
    pub primary_key: &'static [&'static str],
    /// Columns that hold the key of another table's row.
    pub foreign_keys: &'static [ForeignKey],
}

/// Columns of one table that point to the primary key of another.
///
/// Exists so that `datapackage.json` can tell a reader how the tables join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKey {
    /// The columns of this table.
    pub fields: &'static [&'static str],
    /// The table they point into.
    pub table: &'static str,
    /// Its columns, in the same order.
    pub reference: &'static [&'static str],
}

const fn key(
    fields: &'static [&'static str],
    table: &'static str,
    reference: &'static [&'static str],
) -> ForeignKey {
    ForeignKey {
        fields,
        table,
        reference,
    }
}

/// Every document-level table points to its document.
const TO_DOCUMENT: ForeignKey = key(&["doc_id"], "documents", &["doc_id"]);
/// Mentions and relations point to their sentence.
const TO_SENTENCE: ForeignKey = key(
    &["doc_id", "sentence_idx"],
    "sentences",
    &["doc_id", "sentence_idx"],
);

impl TableSpec {
    /// The Arrow schema the table's Parquet file is written with.
    pub fn arrow_schema(&self) -> SchemaRef {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| Field::new(c.name, c.ty.arrow_type(), c.nullable))
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// The column names, in order: the CSV header.
    pub fn header(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }
}

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: false,
    }
}

const fn null(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        nullable: true,
    }
}

use ColumnType::{Date32, Int32, Int64, ListUtf8, Utf8};

/// `documents`: one row per input document.
pub const DOCUMENTS: TableSpec = TableSpec {
    name: "documents",
    columns: &[
        col("doc_id", Utf8),
        col("source", Utf8),
        null("title", Utf8),
        null("published", Date32),
        col("keywords", ListUtf8),
        null("image_credit", Utf8),
        null("author", Utf8),
        col("encoding", Utf8),
        col("chars_source", Int64),
        col("chars_body", Int64),
        col("n_sentences", Int32),
        col("n_mentions", Int32),
        col("n_relations", Int32),
        col("body", Utf8),
    ],
    primary_key: &["doc_id"],
    foreign_keys: &[],
};

/// `sentences`: one row per sentence, offsets in characters of `body`.
pub const SENTENCES: TableSpec = TableSpec {
    name: "sentences",
    columns: &[
        col("doc_id", Utf8),
        col("sentence_idx", Int32),
        col("start", Int32),
        col("end", Int32),
        col("text", Utf8),
    ],
    primary_key: &["doc_id", "sentence_idx"],
    foreign_keys: &[TO_DOCUMENT],
};

/// `mentions`: one row per entity mention, offsets in characters of `body`.
pub const MENTIONS: TableSpec = TableSpec {
    name: "mentions",
    columns: &[
        col("doc_id", Utf8),
        col("mention_idx", Int32),
        col("sentence_idx", Int32),
        col("start", Int32),
        col("end", Int32),
        col("text", Utf8),
        col("label", Utf8),
        col("entity_id", Utf8),
        col("canonical", Utf8),
        col("method", Utf8),
        col("rule_id", Utf8),
    ],
    primary_key: &["doc_id", "mention_idx"],
    foreign_keys: &[
        TO_DOCUMENT,
        TO_SENTENCE,
        key(&["entity_id"], "entities", &["entity_id"]),
    ],
};

/// `entities`: one row per distinct entity id over the whole run.
pub const ENTITIES: TableSpec = TableSpec {
    name: "entities",
    columns: &[
        col("entity_id", Utf8),
        col("label", Utf8),
        col("canonical", Utf8),
        null("kind", Utf8),
        null("external_id", Utf8),
        col("n_mentions", Int64),
        col("n_docs", Int64),
        col("surfaces", ListUtf8),
    ],
    primary_key: &["entity_id"],
    foreign_keys: &[],
};

/// `relations`: one row per relation, with its evidence sentence.
pub const RELATIONS: TableSpec = TableSpec {
    name: "relations",
    columns: &[
        col("doc_id", Utf8),
        col("relation_idx", Int32),
        col("sentence_idx", Int32),
        col("type", Utf8),
        col("subject_id", Utf8),
        col("subject_text", Utf8),
        col("subject_label", Utf8),
        col("object_id", Utf8),
        col("object_text", Utf8),
        col("object_label", Utf8),
        null("role", Utf8),
        col("trigger", Utf8),
        null("published", Date32),
        col("rule_id", Utf8),
        col("evidence", Utf8),
        null("subject_ref", Utf8),
        null("object_ref", Utf8),
        null("role_id", Utf8),
    ],
    primary_key: &["doc_id", "relation_idx"],
    foreign_keys: &[
        TO_DOCUMENT,
        TO_SENTENCE,
        key(&["subject_id"], "entities", &["entity_id"]),
        key(&["object_id"], "entities", &["entity_id"]),
        key(&["role_id"], "entities", &["entity_id"]),
    ],
};

/// `diagnostics`: what a user should know about the inputs.
pub const DIAGNOSTICS: TableSpec = TableSpec {
    name: "diagnostics",
    columns: &[
        col("source", Utf8),
        null("doc_id", Utf8),
        col("severity", Utf8),
        col("stage", Utf8),
        col("message", Utf8),
    ],
    primary_key: &[],
    foreign_keys: &[],
};

/// Every table, in the order DESIGN.md lists them.
pub const ALL_TABLES: [&TableSpec; 6] = [
    &DOCUMENTS,
    &SENTENCES,
    &MENTIONS,
    &ENTITIES,
    &RELATIONS,
    &DIAGNOSTICS,
];
