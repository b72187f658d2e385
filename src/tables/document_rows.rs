//! The rows one document gives each table, built from its layers.
//!
//! Each function hands a table's rows to a `push` (one per format, see
//! [`TableSink::push_rows`](super::table::TableSink::push_rows)), so the
//! same code feeds CSV and Parquet and the formats can be written in
//! parallel. Rows borrow their text from the document; character offsets
//! come from the document's [`CharOffsets`], prepared once by [`prepare`].

use anyhow::{Context, Result};

use super::entities::EntityRegistry;
use super::offsets::CharOffsets;
use super::row::Cell;
use super::validate;
use crate::model::Document;

/// Where a table's rows go: one format's sink.
pub(crate) type Push<'p> = dyn FnMut(&[Cell<'_>]) -> Result<()> + 'p;

/// The rows of one document for one table.
pub(crate) type Rows = fn(&Document, &CharOffsets, &mut Push<'_>) -> Result<()>;

/// Checks a document and prepares the conversion of its spans to character
/// offsets; the error names the document.
pub(crate) fn prepare(doc: &Document) -> Result<CharOffsets> {
    let prepared = || -> Result<CharOffsets> {
        validate::validate(doc)?;
        let body = doc.body.as_str();
        let spans = doc
            .sentences
            .iter()
            .map(|s| s.span)
            .chain(doc.mentions.iter().map(|m| m.span));
        let mut offsets = CharOffsets::default();
        offsets.rebuild(
            body,
            spans
                .flat_map(|s| [s.start, s.end])
                .chain(std::iter::once(body.len())),
        )?;
        Ok(offsets)
    };
    prepared().with_context(|| naming(doc))
}

/// Hands the rows of every document, in order, to `push`.
pub(crate) fn each(
    docs: &[(&Document, &CharOffsets)],
    push: &mut Push<'_>,
    rows: Rows,
) -> Result<()> {
    for &(doc, offsets) in docs {
        rows(doc, offsets, push).with_context(|| naming(doc))?;
    }
    Ok(())
}

fn naming(doc: &Document) -> String {
    format!("cannot write document `{}` ({})", doc.doc_id, doc.source)
}

/// The document's row of the documents table.
pub(crate) fn document_row(
    doc: &Document,
    offsets: &CharOffsets,
    push: &mut Push<'_>,
) -> Result<()> {
    let meta = &doc.meta;
    push(&[
        Cell::Str(&doc.doc_id),
        Cell::Str(&doc.source),
        Cell::OptStr(meta.title.as_deref()),
        Cell::Date(meta.published),
        Cell::List(&meta.keywords),
        Cell::OptStr(meta.image_credit.as_deref()),
        Cell::OptStr(meta.author.as_deref()),
        Cell::Str(&doc.encoding),
        Cell::I64(int64(doc.text.chars().count())?),
        Cell::I64(int64(offsets.char_at(doc.body.len())?)?),
        Cell::I32(int32(doc.sentences.len())?),
        Cell::I32(int32(doc.mentions.len())?),
        Cell::I32(int32(doc.relations.len())?),
        Cell::Str(&doc.body),
    ])
}

/// The document's rows of the sentences table.
pub(crate) fn sentence_rows(
    doc: &Document,
    offsets: &CharOffsets,
    push: &mut Push<'_>,
) -> Result<()> {
    for (i, s) in doc.sentences.iter().enumerate() {
        push(&[
            Cell::Str(&doc.doc_id),
            Cell::I32(int32(i)?),
            Cell::I32(int32(offsets.char_at(s.span.start)?)?),
            Cell::I32(int32(offsets.char_at(s.span.end)?)?),
            Cell::Str(doc.slice(s.span)),
        ])?;
    }
    Ok(())
}

/// The document's rows of the mentions table.
pub(crate) fn mention_rows(
    doc: &Document,
    offsets: &CharOffsets,
    push: &mut Push<'_>,
) -> Result<()> {
    for (i, m) in doc.mentions.iter().enumerate() {
        let entity = &m.entity;
        push(&[
            Cell::Str(&doc.doc_id),
            Cell::I32(int32(i)?),
            Cell::I32(int32(m.sentence_idx)?),
            Cell::I32(int32(offsets.char_at(m.span.start)?)?),
            Cell::I32(int32(offsets.char_at(m.span.end)?)?),
            Cell::Str(doc.slice(m.span)),
            Cell::Str(entity.label.as_str()),
            Cell::Str(&entity.id),
            Cell::Str(&entity.canonical),
            Cell::Str(m.method.as_str()),
            Cell::Str(&m.rule_id),
        ])?;
    }
    Ok(())
}

/// The document's rows of the relations table.
pub(crate) fn relation_rows(
    doc: &Document,
    _offsets: &CharOffsets,
    push: &mut Push<'_>,
) -> Result<()> {
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
        push(&[
            Cell::Str(&doc.doc_id),
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
            Cell::Date(doc.meta.published),
            Cell::Str(&r.rule_id),
            Cell::Str(evidence),
            Cell::OptStr(r.subject_ref.map(|s| doc.slice(s))),
            Cell::OptStr(r.object_ref.map(|s| doc.slice(s))),
            Cell::OptStr(role.map(|m| m.entity.id.as_str())),
        ])?;
    }
    Ok(())
}

/// Adds every document's mentions, in order, to the run's entity counts.
pub(crate) fn record_entities(registry: &mut EntityRegistry, docs: &[(&Document, &CharOffsets)]) {
    for (doc, _) in docs {
        registry.start_document();
        for m in &doc.mentions {
            registry.record(&m.entity, doc.slice(m.span));
        }
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
