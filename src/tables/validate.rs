//! Checks that a document's stand-off layers point where they may, before
//! any of its rows is written.
//!
//! The tables join on these indices and slice with these spans, so a span
//! outside the body or an index past the end is a bug in an earlier stage.
//! Catching it here, up front, means the writer reports it with the
//! document's name and writes none of that document's rows, instead of
//! writing half a document or panicking.

use anyhow::{Result, bail, ensure};

use crate::model::{Document, Span};

/// Checks every span and index of `doc` and that its counts fit the tables' types.
pub(crate) fn validate(doc: &Document) -> Result<()> {
    let n_sentences = doc.sentences.len();
    let n_mentions = doc.mentions.len();
    for (what, n) in [
        ("sentences", n_sentences),
        ("mentions", n_mentions),
        ("relations", doc.relations.len()),
    ] {
        ensure!(
            i32::try_from(n).is_ok(),
            "the document has {n} {what}, more than the tables' int32 columns hold; \
             split the input into smaller documents"
        );
    }
    ensure!(
        i32::try_from(doc.body.len()).is_ok(),
        "the body has {} bytes, more than the tables' int32 offsets hold; \
         split the input into smaller documents",
        doc.body.len()
    );
    for (i, s) in doc.sentences.iter().enumerate() {
        check_span(doc, s.span, || format!("sentence {i}"), "sentences")?;
    }
    for (i, m) in doc.mentions.iter().enumerate() {
        check_span(doc, m.span, || format!("mention {i}"), "entities")?;
        check_index(m.sentence_idx, n_sentences, || {
            format!("mention {i} points to sentence {}", m.sentence_idx)
        })?;
    }
    for (i, r) in doc.relations.iter().enumerate() {
        check_index(r.sentence_idx, n_sentences, || {
            format!("relation {i} points to sentence {}", r.sentence_idx)
        })?;
        check_index(r.subject, n_mentions, || {
            format!("relation {i} has subject mention {}", r.subject)
        })?;
        check_index(r.object, n_mentions, || {
            format!("relation {i} has object mention {}", r.object)
        })?;
        if let Some(role) = r.role {
            check_index(role, n_mentions, || {
                format!("relation {i} has role mention {role}")
            })?;
        }
    }
    Ok(())
}

/// A span must lie inside the body and start and end on character boundaries.
fn check_span(doc: &Document, span: Span, what: impl Fn() -> String, stage: &str) -> Result<()> {
    if span.start > span.end || doc.body.get(span.start..span.end).is_none() {
        bail!(
            "{} has byte span {}..{}, which is not a stretch of whole characters of the \
             body ({} bytes); this is a bug in the {stage} stage, please report it with \
             this input",
            what(),
            span.start,
            span.end,
            doc.body.len()
        );
    }
    Ok(())
}

/// An index into a layer must be smaller than the layer's length.
fn check_index(index: usize, len: usize, what: impl Fn() -> String) -> Result<()> {
    if index >= len {
        bail!(
            "{}, but the document has only {len}; this is a bug in the stage that made it, \
             please report it with this input",
            what()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sentence;

    #[test]
    fn rejects_spans_inside_a_character() {
        let doc = Document {
            body: "Münster".to_owned(),
            sentences: vec![Sentence {
                span: Span::new(0, 2),
            }],
            ..Document::default()
        };
        assert!(validate(&doc).is_err());
    }
}
