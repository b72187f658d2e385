//! Runs the stages over all inputs: documents in parallel (rayon), written
//! in input order in batches, so memory stays bounded and the output is the
//! same for any number of threads.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::input::{self, InputItem, RawDocument};
use crate::model::{Diagnostic, Document, Severity};
use crate::rules::Rules;
use crate::tables::{Formats, TableWriter};
use crate::{boilerplate, entities, relations, sentences};

/// Inputs read and processed together before their rows are written.
const BATCH: usize = 256;

/// What one `ikz extract` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents written.
    pub documents: usize,
    /// Inputs (files or JSONL lines) that could not be used.
    pub errors: usize,
    /// Warnings about inputs that were used.
    pub warnings: usize,
}

/// Runs every stage on one document.
pub fn process(raw: RawDocument, rules: &Rules) -> Document {
    let cleaned = boilerplate::clean(&raw.text, &rules.boilerplate);
    let sentences = sentences::split(&cleaned.body, &cleaned.non_sentence, &rules.sentences);
    let mentions = entities::recognise(&cleaned.body, &sentences, &rules.entities);
    let relations = relations::extract(&cleaned.body, &sentences, &mentions, &rules.relations);
    Document {
        doc_id: raw.doc_id,
        source: raw.source,
        encoding: raw.encoding,
        text: raw.text,
        body: cleaned.body,
        non_sentence: cleaned.non_sentence,
        meta: cleaned.meta,
        sentences,
        mentions,
        relations,
    }
}

/// Reads, processes and writes all inputs into `out`. The tables are
/// written into a temporary folder beside `out` and moved into place only
/// when everything succeeded, so a failed run leaves the old output alone.
pub fn run(inputs: &[PathBuf], out: &Path, formats: Formats, rules: &Rules) -> Result<Summary> {
    let started = Instant::now();
    let staging = staging_dir(out)?;
    let result = write_all(inputs, &staging, formats, rules);
    match result {
        Ok(summary) => {
            replace_dir(&staging, out)?;
            eprintln!(
                "ikz: {} documents, {} inputs skipped, {} warnings in {:.1}s -> {}",
                summary.documents,
                summary.errors,
                summary.warnings,
                started.elapsed().as_secs_f64(),
                out.display()
            );
            Ok(summary)
        }
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(err)
        }
    }
}

/// One batch's results, in input order, on their way to the writer.
struct Batch {
    /// Per input: its diagnostics and how many documents it gave.
    inputs: Vec<(Vec<Diagnostic>, usize)>,
    /// The documents (or why one was skipped), in input order.
    processed: Vec<Result<Document, Diagnostic>>,
}

/// Processes batch after batch while a second thread writes the previous
/// one, so the stages and the table encoding overlap.
fn write_all(inputs: &[PathBuf], dir: &Path, formats: Formats, rules: &Rules) -> Result<Summary> {
    let mut diagnostics = Vec::new();
    let items = input::collect(inputs, &mut diagnostics);
    let writer = TableWriter::create(dir, formats)?;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(1);
    std::thread::scope(|scope| {
        let writing = scope.spawn(move || write_batches(writer, receiver));
        let first = Batch {
            inputs: vec![(diagnostics, 0)],
            processed: Vec::new(),
        };
        let mut open = sender.send(first).is_ok();
        for (n, batch) in items.chunks(BATCH).enumerate() {
            if !open {
                break; // the writer failed; its error is returned below
            }
            open = sender.send(process_batch(batch, rules)).is_ok();
            if (n + 1) % 40 == 0 {
                let done = ((n + 1) * BATCH).min(items.len());
                eprintln!("ikz: {done} of {} inputs read", items.len());
            }
        }
        drop(sender);
        writing
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the table writer stopped unexpectedly")))
    })
}

/// Reads and processes one batch of inputs; all its documents run in
/// parallel (a JSONL file holds many).
fn process_batch(batch: &[InputItem], rules: &Rules) -> Batch {
    let read: Vec<(Vec<RawDocument>, Vec<Diagnostic>)> = batch.par_iter().map(read_item).collect();
    let (raws, diagnostics): (Vec<_>, Vec<_>) = read.into_iter().unzip();
    let inputs = diagnostics
        .into_iter()
        .zip(raws.iter().map(Vec::len))
        .collect();
    let processed = raws
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|raw| process_guarded(raw, rules))
        .collect();
    Batch { inputs, processed }
}

/// The writer thread: writes every batch in order, then the entities table.
fn write_batches(
    mut writer: TableWriter,
    batches: std::sync::mpsc::Receiver<Batch>,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut seen_ids = std::collections::HashSet::new();
    for batch in batches {
        let mut processed = batch.processed.into_iter();
        for (diagnostics, count) in batch.inputs {
            record(&mut writer, &mut summary, &diagnostics)?;
            for result in processed.by_ref().take(count) {
                match result.and_then(checked) {
                    Ok(doc) => {
                        if !seen_ids.insert(doc.doc_id.clone()) {
                            record(&mut writer, &mut summary, &[repeated_id(&doc)])?;
                        }
                        writer.write_document(&doc)?;
                        summary.documents += 1;
                    }
                    Err(d) => record(&mut writer, &mut summary, &[d])?,
                }
            }
        }
    }
    writer.finish()?;
    Ok(summary)
}

/// The warning for a doc_id that an earlier input already had.
fn repeated_id(doc: &Document) -> Diagnostic {
    Diagnostic {
        source: doc.source.clone(),
        doc_id: Some(doc.doc_id.clone()),
        severity: Severity::Warning,
        stage: "input".to_string(),
        message: format!(
            "doc_id `{}` is also the id of an earlier input; both are kept, so join on doc_id and source",
            doc.doc_id
        ),
    }
}

fn read_item(item: &InputItem) -> (Vec<RawDocument>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let raws = input::read(item, &mut diagnostics);
    (raws, diagnostics)
}

/// Runs the stages; a panic (a bug) costs this document only.
fn process_guarded(raw: RawDocument, rules: &Rules) -> Result<Document, Diagnostic> {
    let (source, doc_id) = (raw.source.clone(), raw.doc_id.clone());
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(raw, rules))).map_err(|_| {
        Diagnostic {
            source,
            doc_id: Some(doc_id),
            severity: Severity::Error,
            stage: "pipeline".to_string(),
            message: "internal error while processing this document; it was skipped, the others are kept (please report this file as a bug)".to_string(),
        }
    })
}

/// A document whose layers the tables accept, or the diagnostic saying why not.
fn checked(doc: Document) -> Result<Document, Diagnostic> {
    match crate::tables::check_document(&doc) {
        Ok(()) => Ok(doc),
        Err(err) => Err(Diagnostic {
            source: doc.source.clone(),
            doc_id: Some(doc.doc_id.clone()),
            severity: Severity::Error,
            stage: "tables".to_string(),
            message: format!("{err:#}; the document was skipped (please report this as a bug)"),
        }),
    }
}

fn record(
    writer: &mut TableWriter,
    summary: &mut Summary,
    diagnostics: &[Diagnostic],
) -> Result<()> {
    for d in diagnostics {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
        eprintln!("ikz: {}: {}: {}", d.severity.as_str(), d.source, d.message);
        writer.write_diagnostic(d)?;
    }
    Ok(())
}

/// A fresh, empty folder beside `out`.
fn staging_dir(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}; check the --out path", parent.display()))?;
    remove_stale_staging(parent, &name);
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir(&staging).with_context(|| {
        format!(
            "cannot create {}; is the folder writable?",
            staging.display()
        )
    })?;
    Ok(staging)
}

/// Removes staging folders of earlier runs into the same output that were
/// killed before they could clean up (their process no longer exists).
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    if !Path::new("/proc/self").exists() {
        return; // no way to tell live runs from dead ones here
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = pid.trim_end_matches(".old");
        let alive = Path::new("/proc").join(pid).exists();
        if pid.bytes().all(|b| b.is_ascii_digit()) && !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Moves `staging` to `out`, replacing what was there.
fn replace_dir(staging: &Path, out: &Path) -> Result<()> {
    if out.exists() {
        let mut old_name = staging.as_os_str().to_owned();
        old_name.push(".old");
        let old = PathBuf::from(old_name);
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move the old {} aside", out.display()))?;
        if let Err(err) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&old, out); // put the previous output back
            return Err(err)
                .with_context(|| format!("cannot move the new tables to {}", out.display()));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(staging, out)
            .with_context(|| format!("cannot move the new tables to {}", out.display()))?;
    }
    Ok(())
}
