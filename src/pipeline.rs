//! Runs the stages over all inputs: documents in parallel (rayon), written
//! in input order in batches, so memory stays bounded and the output is the
//! same for any number of threads.
//!
//! All the work runs on the one rayon pool of `--threads` threads: reading
//! and the stages of a batch, and the encoding of the previous batch's
//! tables, which the writer thread hands to the pool table by table
//! ([`TableWriter::write_documents`]). The writer thread itself keeps the
//! order, makes doc ids unique, writes the diagnostics and, at the end, the
//! entities table, and otherwise waits; the main thread walks the inputs
//! (and reads JSON Lines lines). So `--threads 1` uses about one core and
//! each further thread adds one.
//!
//! [`Rules`] gathers every stage's compiled rules; [`Extract`] is one
//! `ikz extract` run: it checks its inputs and `--out` before any work
//! ([`Extract::check`]), writes the tables into a staging folder and moves
//! them into place with a manifest only when everything succeeded.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use crate::boilerplate::LineKind;
use crate::input::{self, InputFormat, InputItem, RawDocument};
use crate::model::{Diagnostic, Document, Severity};
use crate::output::shards::{self, Shard};
use crate::output::{Manifest, OutputTarget, TableCounts};
use crate::profile::{Profile, Stage};
use crate::progress::{Progress, ProgressMode};
use crate::rules::{Source, SourceRecord};
use crate::tables::{Formats, TableWriter};
use crate::{boilerplate, entities, references, relations, sentences};

/// Inputs read and processed together before their rows are written.
const BATCH: usize = 256;

/// Every stage's compiled rules, loaded once and shared by all threads.
pub struct Rules {
    /// Line shapes of site chrome, teasers and metadata.
    pub boilerplate: boilerplate::BoilerplateRules,
    /// Abbreviations and other sentence-splitting knowledge.
    pub sentences: sentences::SentenceRules,
    /// Gazetteers and entity patterns.
    pub entities: entities::EntityRules,
    /// Head nouns of descriptions that refer back to a named entity.
    pub references: references::ReferenceRules,
    /// Relation rules.
    pub relations: relations::RelationRules,
    /// Which rule and data files were read, for the manifest.
    pub provenance: Provenance,
}

/// Where a run's rules and data came from, with a hash of every file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The rule files.
    pub rules: SourceRecord,
    /// The reference data.
    pub data: SourceRecord,
}

impl Provenance {
    /// The one line to print when the built-in copies are used because the
    /// working directory has no `rules/` (or `data/`) folder.
    pub fn built_in_note(&self) -> Option<String> {
        let built_in = |r: &SourceRecord| r.location == crate::rules::BUILT_IN;
        match (built_in(&self.rules), built_in(&self.data)) {
            (false, false) => None,
            (true, false) => Some(
                "ikz: no rules/ folder here, so the rules built into ikz are used; \
                 pick others with --rules DIR"
                    .to_string(),
            ),
            (false, true) => Some(
                "ikz: no data/ folder here, so the data built into ikz is used; \
                 pick other data with --data DIR"
                    .to_string(),
            ),
            (true, true) => Some(
                "ikz: no rules/ or data/ folder here, so the rules and data built into ikz \
                 are used; pick others with --rules DIR and --data DIR"
                    .to_string(),
            ),
        }
    }
}

impl Rules {
    /// Loads and compiles all rule and data files: from the folders given,
    /// else `rules/` and `data/` in the working directory, else the copies
    /// built into the binary.
    pub fn load(rules_dir: Option<&Path>, data_dir: Option<&Path>) -> Result<Rules> {
        crate::rules::check_folder("--rules", rules_dir)?;
        crate::rules::check_folder("--data", data_dir)?;
        let rules = Source::rules(rules_dir);
        let data = Source::data(data_dir);
        // The stages compile their rules side by side (start-up is mostly
        // regex compilation); the first error in stage order is reported.
        let ((entities, relations), (boilerplate, (sentences, references))) = rayon::join(
            || {
                rayon::join(
                    || entities::EntityRules::load(&rules, &data),
                    || relations::RelationRules::load(&rules),
                )
            },
            || {
                rayon::join(
                    || boilerplate::BoilerplateRules::load(&rules),
                    || {
                        rayon::join(
                            || sentences::SentenceRules::load(&rules),
                            || references::ReferenceRules::load(&rules),
                        )
                    },
                )
            },
        );
        Ok(Rules {
            boilerplate: boilerplate?,
            sentences: sentences?,
            entities: entities?,
            references: references?,
            relations: relations?,
            provenance: Provenance {
                rules: rules.record(),
                data: data.record(),
            },
        })
    }
}

/// What one `ikz extract` run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents written.
    pub documents: usize,
    /// Inputs (files or JSONL lines) that could not be used.
    pub errors: usize,
    /// Warnings about inputs that were used.
    pub warnings: usize,
    /// Rows per table.
    pub tables: TableCounts,
}

/// One `ikz extract` run: what to read, where to write, in which formats.
#[derive(Debug, Clone)]
pub struct Extract {
    /// Folders, files, or `-` for standard input.
    pub inputs: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    /// The formats to write.
    pub formats: Formats,
    /// How standard input is split into documents.
    pub stdin: InputFormat,
    /// The command line recorded in the manifest.
    pub command_line: Vec<String>,
    /// Print where the time went, stage by stage, at the end (`--profile`).
    pub profile: bool,
    /// Progress on standard error, and the closing summary line, or
    /// neither (`--quiet`).
    pub progress: ProgressMode,
    /// Only this slice of the documents, written as one part of a sharded
    /// dataset (`--shard K/N`, see [`shards`]).
    pub shard: Option<Shard>,
    /// When the run started (for the manifest): when `new` was called, so
    /// that loading the rules counts too.
    started: (chrono::DateTime<chrono::Utc>, Instant),
}

impl Extract {
    /// A run of `inputs` into `out` in both formats, recording this
    /// process's command line.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> Extract {
        Extract {
            inputs,
            out,
            formats: Formats::ALL,
            stdin: InputFormat::Detect,
            command_line: std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            profile: false,
            progress: ProgressMode::Auto,
            shard: None,
            started: (chrono::Utc::now(), Instant::now()),
        }
    }

    /// Checks, before any work, that every named input exists and that
    /// `--out` may receive the tables; the error says what to do.
    pub fn check(&self) -> Result<OutputTarget> {
        input::check_named(&self.inputs)?;
        if self.stdin != InputFormat::Detect && !self.inputs.iter().any(|i| i.as_os_str() == "-") {
            anyhow::bail!("--stdin applies to standard input only; name `-` as an input");
        }
        OutputTarget::check_for(&self.out, &self.inputs, self.shard.map(|s| s.n))
    }

    /// Reads, processes and writes all inputs. The tables are written into
    /// a staging folder beside `out` and moved into place, with their
    /// manifest, only when everything succeeded, so a failed run leaves the
    /// old output alone and no temporary folder behind.
    pub fn run(&self, rules: &Rules) -> Result<Summary> {
        let (started_at, started) = self.started;
        let target = self.check()?;
        let inputs = input::Inputs::new(&self.inputs, self.stdin);
        let staging = target.stage()?;
        let profile = Profile::default();
        // With --shard every input is still read (a document's shard is
        // known once it is), so bytes read and the total stay comparable.
        let mut progress = Progress::start(self.progress, &self.inputs, self.stdin);
        let summary = write_all(
            inputs,
            staging.path(),
            self.formats,
            rules,
            &profile,
            &mut progress,
            self.shard,
        )?;
        let manifest = Manifest::new(
            self.command_line.clone(),
            started_at,
            started.elapsed().as_secs_f64(),
            self.inputs
                .iter()
                .map(|i| i.display().to_string())
                .collect(),
            self.format_names(),
            rules.provenance.rules.clone(),
            rules.provenance.data.clone(),
            summary.tables.clone(),
            BTreeMap::from([
                ("error".to_string(), summary.errors as u64),
                ("warning".to_string(), summary.warnings as u64),
            ]),
        );
        match self.shard {
            None => staging.commit(&target, &manifest)?,
            Some(shard) => shards::commit_part(staging, target.path(), shard, &manifest)?,
        }
        progress.finish();
        if progress.prints_summary() {
            eprintln!(
                "{}",
                self.summary_line(&summary, profile.bytes(), started.elapsed())
            );
        }
        if self.profile {
            eprint!("{}", profile.report(started.elapsed().as_secs_f64()));
        }
        Ok(summary)
    }

    /// The line a run ends with: what it wrote, what went wrong, how fast.
    fn summary_line(&self, summary: &Summary, bytes: u64, elapsed: std::time::Duration) -> String {
        let rows = |table: &str| summary.tables.get(table).copied().unwrap_or(0);
        let seconds = elapsed.as_secs_f64();
        format!(
            "ikz: {} documents, {} mentions, {} relations, {} errors (inputs skipped), \
             {} warnings in {seconds:.1} s ({:.1} MB/s) -> {}",
            summary.documents,
            rows("mentions"),
            rows("relations"),
            summary.errors,
            summary.warnings,
            bytes as f64 / 1e6 / seconds.max(1e-9),
            self.out.display()
        )
    }

    fn format_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.formats.parquet {
            names.push("parquet".to_string());
        }
        if self.formats.csv {
            names.push(self.formats.csv_compression.extension().to_string());
        }
        if self.formats.graphml {
            names.push("graphml".to_string());
        }
        names
    }
}

/// Runs every stage on one document.
pub fn process(raw: RawDocument, rules: &Rules) -> Document {
    process_explained(raw, rules, &Profile::default()).0
}

/// Runs every stage on one document, adding each stage's time to
/// `profile`, and also returns what became of each line of its text
/// (`ikz explain` shows the dropped lines and why).
pub fn process_explained(
    raw: RawDocument,
    rules: &Rules,
    profile: &Profile,
) -> (Document, Vec<LineKind>) {
    let cleaned = profile.time(Stage::Boilerplate, || {
        boilerplate::clean(&raw.text, &rules.boilerplate, &rules.sentences)
    });
    let sentences = profile.time(Stage::Sentences, || {
        sentences::split(&cleaned.body, &cleaned.non_sentence, &rules.sentences)
    });
    let mentions = profile.time(Stage::Entities, || {
        entities::recognise(&cleaned.body, &sentences, &rules.entities)
    });
    let references = profile.time(Stage::References, || {
        references::resolve(&cleaned.body, &sentences, &mentions, &rules.references)
    });
    let relations = profile.time(Stage::Relations, || {
        relations::extract(
            &cleaned.body,
            &sentences,
            &mentions,
            &references,
            &rules.relations,
        )
    });
    let document = Document {
        doc_id: raw.doc_id,
        source: raw.source,
        encoding: raw.encoding,
        text: raw.text,
        body: cleaned.body,
        non_sentence: cleaned.non_sentence,
        meta: cleaned.meta,
        sentences,
        mentions,
        references,
        relations,
    };
    (document, cleaned.lines)
}

/// One batch's results, in input order, on their way to the writer.
struct Batch {
    /// Per input: its diagnostics and how many documents it gave.
    inputs: Vec<(Vec<Diagnostic>, usize)>,
    /// The documents (or why one was skipped), in input order.
    processed: Vec<Result<Document, Diagnostic>>,
    /// Input bytes read by the end of this batch (for the progress shown
    /// once the batch is written).
    bytes_read: u64,
}

/// Processes batch after batch while a second thread writes the previous
/// one, so the stages and the table encoding overlap on the pool.
fn write_all(
    inputs: input::Inputs,
    dir: &Path,
    formats: Formats,
    rules: &Rules,
    profile: &Profile,
    progress: &mut Progress,
    shard: Option<Shard>,
) -> Result<Summary> {
    let writer = TableWriter::create(dir, formats)?;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(1);
    std::thread::scope(|scope| {
        let writing = scope.spawn(move || write_batches(writer, receiver, profile, progress));
        let mut slice = shard.map(ShardSlice::new);
        produce_batches(inputs, rules, profile, &mut slice, &sender);
        drop(sender);
        writing
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the table writer stopped unexpectedly")))
    })
}

/// Sends the batches of all inputs to the writer, in input order, until it
/// stops taking them. The inputs are walked as the run goes, so no list of
/// every path is held. Text files go in batches of [`BATCH`]; a JSON Lines
/// file is streamed, a chunk of its documents per batch. A problem found on
/// the walk goes with the next batch.
fn produce_batches(
    inputs: input::Inputs,
    rules: &Rules,
    profile: &Profile,
    slice: &mut Option<ShardSlice>,
    sender: &std::sync::mpsc::SyncSender<Batch>,
) {
    let shard = slice.as_ref().map(|s| s.shard);
    let mut pending: Vec<InputItem> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    // Sends the pending text files (and problems); false once the writer failed.
    let flush = |pending: &mut Vec<InputItem>,
                 problems: &mut Vec<Diagnostic>,
                 slice: &mut Option<ShardSlice>| {
        if pending.is_empty() && problems.is_empty() {
            return true;
        }
        let mut batch = process_batch(pending, rules, profile, slice);
        let mut problems = std::mem::take(problems);
        problems.retain(|d| ours(shard, d));
        batch.inputs.insert(0, (problems, 0));
        pending.clear();
        sender.send(batch).is_ok()
    };
    for found in inputs {
        let item = match found {
            input::Found::Problem(d) => {
                problems.push(d);
                continue;
            }
            input::Found::Item(item) => item,
        };
        if item.format == InputFormat::JsonLines {
            if !flush(&mut pending, &mut problems, slice)
                || !stream_jsonl(&item, rules, profile, slice, sender)
            {
                return; // the writer failed; its error is returned by write_all
            }
            continue;
        }
        pending.push(item);
        if pending.len() == BATCH && !flush(&mut pending, &mut problems, slice) {
            return;
        }
    }
    flush(&mut pending, &mut problems, slice);
}

/// Streams one JSON Lines input to the writer, chunk by chunk; returns
/// whether the writer still takes batches.
fn stream_jsonl(
    item: &InputItem,
    rules: &Rules,
    profile: &Profile,
    slice: &mut Option<ShardSlice>,
    sender: &std::sync::mpsc::SyncSender<Batch>,
) -> bool {
    let mut diagnostics = Vec::new();
    let Some(mut stream) = input::JsonlStream::open(item, &mut diagnostics) else {
        let batch = Batch {
            inputs: vec![(diagnostics, 0)],
            processed: Vec::new(),
            bytes_read: profile.bytes(),
        };
        return sender.send(batch).is_ok();
    };
    while let Some((mut raws, mut diagnostics)) = stream.next_chunk(profile) {
        if let Some(slice) = slice.as_mut() {
            slice.take(&mut raws, &mut diagnostics, false);
        }
        let count = raws.len();
        let processed = raws
            .into_par_iter()
            .map(|raw| process_guarded(raw, rules, profile))
            .collect();
        let batch = Batch {
            inputs: vec![(diagnostics, count)],
            processed,
            bytes_read: profile.bytes(),
        };
        if sender.send(batch).is_err() {
            return false;
        }
    }
    true
}

/// Reads and processes one batch of inputs; all its documents run in
/// parallel (a JSONL file holds many).
fn process_batch(
    batch: &[InputItem],
    rules: &Rules,
    profile: &Profile,
    slice: &mut Option<ShardSlice>,
) -> Batch {
    let mut read: Vec<(Vec<RawDocument>, Vec<Diagnostic>)> = batch
        .par_iter()
        .map(|item| read_item(item, profile))
        .collect();
    if let Some(slice) = slice.as_mut() {
        for (raws, diagnostics) in &mut read {
            let one_document = raws.len() == 1;
            slice.take(raws, diagnostics, one_document);
        }
    }
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
        .map(|raw| process_guarded(raw, rules, profile))
        .collect();
    Batch {
        inputs,
        processed,
        bytes_read: profile.bytes(),
    }
}

/// The writer thread: writes every batch in order (the encoding runs on the
/// pool), then the entities table.
fn write_batches(
    mut writer: TableWriter,
    batches: std::sync::mpsc::Receiver<Batch>,
    profile: &Profile,
    progress: &mut Progress,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut ids = UniqueIds::default();
    for batch in batches {
        let bytes_read = batch.bytes_read;
        let mut processed = batch.processed.into_iter();
        let mut documents = Vec::with_capacity(processed.len());
        for (mut diagnostics, count) in batch.inputs {
            for result in processed.by_ref().take(count) {
                match result.and_then(checked) {
                    Ok(mut doc) => {
                        let original = doc.doc_id.clone();
                        if let Some(warning) = ids.make_unique(&mut doc.doc_id, &doc.source) {
                            if count == 1 {
                                rename_in(&mut diagnostics, &original, &doc.doc_id);
                            }
                            diagnostics.push(warning);
                        }
                        documents.push(doc);
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
            record(&mut writer, &mut summary, &diagnostics, progress)?;
        }
        // The diagnostics table is apart from the others, so writing the
        // batch's documents after all its diagnostics changes no file.
        writer.write_documents(&documents, profile)?;
        summary.documents += documents.len();
        progress.update(summary.documents, bytes_read);
    }
    summary.tables = profile.time(Stage::Write, || writer.finish())?;
    Ok(summary)
}

/// Keeps `doc_id` unique within a run, so every table joins on it alone.
///
/// It remembers every id of the run, so its memory grows with the number
/// of documents; it keeps that small: a 128-bit hash per id (two different
/// ids share one with odds of about 1 in 10^38) and the document's source
/// in a front-coded list, for the warning that names both documents.
#[derive(Default)]
struct UniqueIds {
    /// Hash of every id given so far, with its document's index in
    /// `sources`. Two 64-bit halves rather than a `u128`, whose 16-byte
    /// alignment would pad every entry to 32 bytes instead of 24.
    seen: HashMap<[u64; 2], usize>,
    /// The sources of those documents.
    sources: SourceList,
}

impl UniqueIds {
    /// Gives `doc` a `~2`, `~3`, … suffix when an earlier document has its
    /// id, and returns the warning that names both sources.
    fn make_unique(&mut self, doc_id: &mut String, source: &str) -> Option<Diagnostic> {
        let Some(&earlier) = self.seen.get(&id_hash(doc_id)) else {
            self.remember(doc_id, source);
            return None;
        };
        let earlier = self.sources.get(earlier);
        let original = doc_id.clone();
        let unique = (2..)
            .map(|n| format!("{original}~{n}"))
            .find(|id| !self.seen.contains_key(&id_hash(id)))
            .unwrap_or_default();
        self.remember(&unique, source);
        *doc_id = unique.clone();
        Some(Diagnostic {
            source: source.to_string(),
            doc_id: Some(unique.clone()),
            severity: Severity::Warning,
            stage: "input".to_string(),
            message: format!(
                "doc_id `{original}` of {} is taken by {earlier}; this document is written \
                 as `{unique}`, so doc_id alone joins the tables",
                source
            ),
        })
    }

    fn remember(&mut self, id: &str, source: &str) {
        let index = self.sources.push(source);
        self.seen.insert(id_hash(id), index);
    }
}

/// The sources of a run's documents, front-coded: each is kept as the
/// length of the start it shares with the one before and the rest, since
/// the sources of a folder walk share most of their path
/// (`corpus/doc0000001.txt`, `corpus/doc0000002.txt`). Every
/// [`SOURCE_RESTART`]-th is kept whole, so reading one back decodes at most
/// that many. On the 1 GB benchmark corpus (410,613 files) this holds
/// about 2.5 MB where the paths one after another take 15 MB.
#[derive(Default)]
struct SourceList {
    /// Per source: shared length and rest length (LEB128), then the rest.
    bytes: Vec<u8>,
    /// Where every [`SOURCE_RESTART`]-th source starts in `bytes`.
    restarts: Vec<usize>,
    /// The source added last.
    last: Vec<u8>,
    /// How many sources there are.
    len: usize,
}

/// Every this many sources, one is kept whole.
const SOURCE_RESTART: usize = 32;

impl SourceList {
    /// Adds `source`; returns its index.
    fn push(&mut self, source: &str) -> usize {
        let index = self.len;
        let source = source.as_bytes();
        let shared = if index.is_multiple_of(SOURCE_RESTART) {
            self.restarts.push(self.bytes.len());
            0
        } else {
            self.last
                .iter()
                .zip(source)
                .take_while(|(a, b)| a == b)
                .count()
        };
        let rest = &source[shared..];
        push_leb128(&mut self.bytes, shared);
        push_leb128(&mut self.bytes, rest.len());
        self.bytes.extend_from_slice(rest);
        self.last.clear();
        self.last.extend_from_slice(source);
        self.len += 1;
        index
    }

    /// The source at `index` (empty for an index never given out).
    fn get(&self, index: usize) -> String {
        let mut at = self
            .restarts
            .get(index / SOURCE_RESTART)
            .copied()
            .unwrap_or(self.bytes.len());
        let mut source: Vec<u8> = Vec::new();
        for _ in 0..=index % SOURCE_RESTART {
            let (Some(shared), Some(len)) = (
                read_leb128(&self.bytes, &mut at),
                read_leb128(&self.bytes, &mut at),
            ) else {
                return String::new();
            };
            let Some(rest) = self.bytes.get(at..at + len) else {
                return String::new();
            };
            source.truncate(shared);
            source.extend_from_slice(rest);
            at += len;
        }
        String::from_utf8_lossy(&source).into_owned()
    }
}

/// Appends `value` as unsigned LEB128: seven bits a byte, low bits first.
fn push_leb128(bytes: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        bytes.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

/// Reads an unsigned LEB128 number at `*at` and moves past it.
fn read_leb128(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let mut value = 0usize;
    for shift in (0..usize::BITS).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// A 128-bit hash of a doc_id: two SipHash passes with different first
/// words, with fixed keys, so a run is the same every time.
fn id_hash(id: &str) -> [u64; 2] {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |salt: u64| {
        let mut hasher = DefaultHasher::new();
        salt.hash(&mut hasher);
        id.hash(&mut hasher);
        hasher.finish()
    };
    [half(0), half(1)]
}

/// Points the diagnostics of a renamed document's input (a text file,
/// which gives one document) at its new id.
fn rename_in(diagnostics: &mut [Diagnostic], old_id: &str, new_id: &str) {
    for d in diagnostics.iter_mut() {
        if d.doc_id.as_deref() == Some(old_id) {
            d.doc_id = Some(new_id.to_string());
        }
    }
}

fn read_item(item: &InputItem, profile: &Profile) -> (Vec<RawDocument>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let raws = input::read_timed(item, &mut diagnostics, profile);
    (raws, diagnostics)
}

/// The slice of a sharded run: which documents are this shard's, and the
/// doc_ids of every document of the run, so that a repeated id is renamed
/// (`~2`) as a single run renames it, whichever shards its documents fall
/// into. Every input is read in every shard, so all ids pass through here
/// in input order.
struct ShardSlice {
    shard: Shard,
    ids: UniqueIds,
}

impl ShardSlice {
    fn new(shard: Shard) -> ShardSlice {
        ShardSlice {
            shard,
            ids: UniqueIds::default(),
        }
    }

    /// Keeps this shard's documents of one input (and their diagnostics),
    /// after giving every document of it its run-wide unique id. For an
    /// input of one document, its diagnostics follow a renaming (as the
    /// writer does in a single run).
    fn take(
        &mut self,
        raws: &mut Vec<RawDocument>,
        diagnostics: &mut Vec<Diagnostic>,
        one_document: bool,
    ) {
        let shard = Some(self.shard);
        diagnostics.retain(|d| ours(shard, d));
        let mut kept = Vec::with_capacity(raws.len());
        for mut raw in raws.drain(..) {
            let original = raw.doc_id.clone();
            let warning = self.ids.make_unique(&mut raw.doc_id, &raw.source);
            if !self.shard.takes(&original) {
                continue;
            }
            if let Some(warning) = warning {
                if one_document {
                    rename_in(diagnostics, &original, &raw.doc_id);
                }
                diagnostics.push(warning);
            }
            kept.push(raw);
        }
        *raws = kept;
    }
}

/// Whether a diagnostic belongs to this shard's part: by its document, or,
/// for an input that gave none, by its source, so that every problem is
/// reported by exactly one shard.
fn ours(shard: Option<Shard>, d: &Diagnostic) -> bool {
    shard.is_none_or(|s| s.takes(d.doc_id.as_deref().unwrap_or(&d.source)))
}

/// Runs the stages; a panic (a bug) costs this document only.
fn process_guarded(
    raw: RawDocument,
    rules: &Rules,
    profile: &Profile,
) -> Result<Document, Diagnostic> {
    let (source, doc_id) = (raw.source.clone(), raw.doc_id.clone());
    let run = || process_explained(raw, rules, profile).0;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).map_err(|_| {
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
    progress: &Progress,
) -> Result<()> {
    for d in diagnostics {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
        }
        progress.print(&format!(
            "ikz: {}: {}: {}",
            d.severity.as_str(),
            d.source,
            d.message
        ));
        writer.write_diagnostic(d)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_list_gives_back_every_source_as_added() {
        let mut sources = Vec::new();
        for i in 0..1_000 {
            sources.push(match i % 5 {
                0 => format!("corpus/doc{i:07}.txt"),
                1 => format!("corpus/sub/Überblick {i}.txt"),
                2 => format!("news.jsonl:{i}"),
                3 => format!("/{}/{i}.txt", "lang".repeat(60)),
                _ => String::new(),
            });
        }
        sources.push("corpus/doc0000999.txt".to_string()); // a repeat
        let mut list = SourceList::default();
        let indices: Vec<usize> = sources.iter().map(|s| list.push(s)).collect();
        assert_eq!(indices, (0..sources.len()).collect::<Vec<_>>());
        for (i, source) in sources.iter().enumerate() {
            assert_eq!(&list.get(i), source, "source {i}");
        }
        assert_eq!(list.get(sources.len() + 40), "");
        // A folder walk's paths share their start: far smaller than the paths.
        let mut walk = SourceList::default();
        let mut plain = 0;
        for i in 0..10_000 {
            let path = format!("/tmp/benchc/corpus1000/doc{i:07}.txt");
            plain += path.len();
            walk.push(&path);
        }
        assert!(
            walk.bytes.len() * 4 < plain,
            "{} of {plain}",
            walk.bytes.len()
        );
    }

    #[test]
    fn leb128_round_trips_small_and_large_numbers() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, usize::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            push_leb128(&mut bytes, v);
        }
        let mut at = 0;
        for &v in &values {
            assert_eq!(read_leb128(&bytes, &mut at), Some(v));
        }
        assert_eq!(read_leb128(&bytes, &mut at), None);
        assert_eq!(read_leb128(&[0x80, 0x80], &mut 0), None);
    }
}
