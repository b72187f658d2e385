//! The `ikz` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use ikz::input::InputFormat;
use ikz::pipeline::{Extract, Rules};
use ikz::tables::{CsvCompression, Formats};

/// Exit status when some inputs were skipped (see README).
const EXIT_SKIPPED: u8 = 1;
/// Exit status for unusable arguments or rules.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "ikz",
    version,
    about = "German IKZ news pages to Parquet and CSV tables"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract documents, sentences, mentions, entities and relations.
    Extract {
        /// Folders (walked for *.txt and *.jsonl), files, or - for standard input [default: seeds]
        inputs: Vec<PathBuf>,
        /// Output folder
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Rules folder [default: ./rules, else the built-in rules]
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Reference data folder [default: ./data, else the built-in data]
        #[arg(long)]
        data: Option<PathBuf>,
        /// Comma-separated output formats
        #[arg(long, default_value = "parquet,csv")]
        format: String,
        /// Compression of the CSV files: `none` (NAME.csv) or `gzip`
        /// (NAME.csv.gz, read directly by pandas, polars and DuckDB)
        #[arg(long, value_enum, ignore_case = true, default_value = "none")]
        csv_compression: CsvCompressionArg,
        /// Also write the network as relations.graphml (entities as nodes,
        /// one edge per relation row), for networkx, Gephi and Cytoscape
        #[arg(long)]
        graph: bool,
        /// Threads that do the work (reading, every stage, encoding the
        /// tables); 0 means one per core
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// How `-` (standard input) is split: `jsonl` (one JSON document per
        /// line) or `text` (one document) [default: detected from the first line]
        #[arg(long, value_enum, ignore_case = true)]
        stdin: Option<StdinFormat>,
        /// Print, at the end, the time spent loading the rules and in each
        /// stage (read, decode, boilerplate, sentences, entities,
        /// references, relations, write)
        #[arg(long)]
        profile: bool,
        /// No progress and no closing summary on standard error (warnings
        /// and errors are still printed)
        #[arg(long, short)]
        quiet: bool,
        /// Process only the K-th of N deterministic slices of the documents
        /// (by doc_id hash) and write it as part K of a dataset of N parts
        /// in --out (DIR/table=NAME/part-K-of-N.parquet); `ikz merge`
        /// then writes the merged entities
        #[arg(long, value_name = "K/N", value_parser = ikz::output::shards::Shard::parse)]
        shard: Option<ikz::output::shards::Shard>,
    },
    /// Merge the entities parts of a sharded dataset (written by
    /// `ikz extract --shard K/N`) into one entities table, DIR/entities.*.
    Merge {
        /// The dataset's folder(s); together they must hold every part
        dirs: Vec<PathBuf>,
        /// Where to write entities.parquet / entities.csv [default: the first DIR]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Comma-separated output formats
        #[arg(long, default_value = "parquet,csv")]
        format: String,
    },
    /// Score an output folder against a gold folder (same figures as score.py).
    Eval {
        /// Gold folder with content.tsv, sentences.tsv, entities.tsv, relations.tsv, documents.tsv
        #[arg(long)]
        gold: PathBuf,
        /// Output folder of `ikz extract`
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Print JSON instead of the table
        #[arg(long)]
        json: bool,
    },
    /// Show how one page went through the pipeline: kept and dropped lines
    /// (with the rule), sentences, mentions, references, relations and
    /// candidate misses. Writes nothing but the --html page. A JSON Lines
    /// file shows every document, one after the other, unless --doc picks one.
    Explain {
        /// A text or JSON Lines file, or - for standard input
        file: PathBuf,
        /// Only the document with this doc_id (for JSON Lines files)
        #[arg(long)]
        doc: Option<String>,
        /// Also write the report as one self-contained HTML page (mentions
        /// highlighted, relations beside their sentence); a file of that
        /// name is replaced only if ikz wrote it
        #[arg(long, value_name = "OUT.html")]
        html: Option<PathBuf>,
        /// Rules folder [default: ./rules, else the built-in rules]
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Reference data folder [default: ./data, else the built-in data]
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Split plain text into sentences: one paragraph per line in, one
    /// `para<TAB>start<TAB>end` row (character offsets) per sentence out,
    /// as ../shared/bench/sentences/score.py reads them.
    Split {
        /// A UTF-8 text file, or - for standard input [default: -]
        #[arg(default_value = "-")]
        file: PathBuf,
        /// Rules folder [default: ./rules, else the built-in rules]
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Print on standard error how many characters per second the
        /// splitter itself took (reading and writing excluded)
        #[arg(long)]
        speed: bool,
    },
    /// Validate rule files without extracting anything.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

/// The values of `--stdin`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum StdinFormat {
    /// One JSON object per line with `text` and optional `id`.
    Jsonl,
    /// The whole input is one document.
    Text,
}

/// The values of `--csv-compression`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum CsvCompressionArg {
    /// Plain CSV files.
    None,
    /// gzip-compressed CSV files (`.csv.gz`).
    Gzip,
}

#[derive(Subcommand)]
enum RulesAction {
    /// Load, validate and compile every rule and data file, then run every
    /// rule's examples (as `ikz rules test`).
    Check {
        /// Rules folder [default: ./rules, else the built-in rules]
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Reference data folder [default: ./data, else the built-in data]
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Run the examples and counter-examples of every relation,
    /// entity-pattern and boilerplate rule; print each failure as
    /// `file:line: rule: expected … got …` and exit with 1 if any fails.
    Test {
        /// Rules folder [default: ./rules, else the built-in rules]
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Reference data folder [default: ./data, else the built-in data]
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

fn parse_formats(text: &str) -> Result<Formats, String> {
    let mut formats = Formats {
        parquet: false,
        csv: false,
        ..Formats::ALL
    };
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.to_ascii_lowercase().as_str() {
            "parquet" => formats.parquet = true,
            "csv" => formats.csv = true,
            other => {
                return Err(format!(
                    "unknown format `{other}`; use parquet, csv or parquet,csv"
                ));
            }
        }
    }
    if !formats.parquet && !formats.csv {
        return Err("no output format given; use --format parquet,csv".to_string());
    }
    Ok(formats)
}

/// Loads the rules, saying once on standard error when the built-in
/// copies are used because the working directory has none.
fn load_rules(rules: Option<&Path>, data: Option<&Path>) -> anyhow::Result<Rules> {
    load_rules_saying(rules, data, true)
}

/// [`load_rules`], saying the built-in note only if `say` (not under
/// `ikz extract --quiet`).
fn load_rules_saying(
    rules: Option<&Path>,
    data: Option<&Path>,
    say: bool,
) -> anyhow::Result<Rules> {
    let rules = Rules::load(rules, data)?;
    if let Some(note) = rules.provenance.built_in_note().filter(|_| say) {
        eprintln!("{note}");
    }
    Ok(rules)
}

/// Writes to standard output; a closed pipe (`ikz eval | head`) is no error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Keeps glibc's malloc from growing the heap with the corpus. By default,
/// after a large block (a Parquet row group being compressed, a batch of
/// document texts) is freed, glibc raises the size above which it maps
/// blocks from the system, so later large blocks come from the heap, where
/// they fragment it: peak RSS then rose with every 100 MB of input. A fixed
/// threshold of 1 MB keeps large blocks mapped and returned when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_blocks_mapped() {
    // SAFETY: mallopt only sets a tuning parameter of the allocator; it is
    // called once, before any thread is started.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_mapped() {}

fn main() -> ExitCode {
    keep_large_blocks_mapped();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("ikz: error: {err:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract {
            inputs,
            out,
            rules,
            data,
            format,
            csv_compression,
            graph,
            threads,
            stdin,
            profile,
            quiet,
            shard,
        } => {
            let inputs = if inputs.is_empty() {
                if !Path::new("seeds").exists() {
                    anyhow::bail!(
                        "no INPUT given and no seeds/ folder here (the default input); \
                         name folders, files or `-` for standard input"
                    );
                }
                vec![PathBuf::from("seeds")]
            } else {
                inputs
            };
            // Ctrl-C or SIGTERM: remove the half-written staging folder, then stop.
            let _ = ctrlc::set_handler(|| {
                ikz::output::remove_live_staging();
                eprintln!("ikz: interrupted; nothing was moved into --out");
                std::process::exit(130);
            });
            let mut extract = Extract::new(inputs, out);
            extract.formats = parse_formats(&format).map_err(anyhow::Error::msg)?;
            extract.formats.csv_compression = match csv_compression {
                CsvCompressionArg::None => CsvCompression::None,
                CsvCompressionArg::Gzip => CsvCompression::Gzip,
            };
            extract.formats.graphml = graph;
            extract.shard = shard;
            if !extract.formats.csv && extract.formats.csv_compression != CsvCompression::None {
                eprintln!(
                    "ikz: warning: --csv-compression applies to CSV, which --format leaves out"
                );
            }
            extract.stdin = match stdin {
                None => InputFormat::Detect,
                Some(StdinFormat::Jsonl) => InputFormat::JsonLines,
                Some(StdinFormat::Text) => InputFormat::Text,
            };
            extract.check()?; // before any work: inputs exist, --out is ours to write
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build_global()?;
            let loading = std::time::Instant::now();
            let rules = load_rules_saying(rules.as_deref(), data.as_deref(), !quiet)?;
            if profile {
                eprintln!(
                    "ikz profile: rules and data loaded and compiled in {:.3} s",
                    loading.elapsed().as_secs_f64()
                );
            }
            extract.profile = profile;
            if quiet {
                extract.progress = ikz::progress::ProgressMode::Quiet;
            }
            let summary = extract.run(&rules)?;
            keep_until_exit(rules);
            Ok(if summary.errors > 0 {
                ExitCode::from(EXIT_SKIPPED)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Merge { dirs, out, format } => {
            let Some(first) = dirs.first() else {
                anyhow::bail!("name the folder(s) of a sharded dataset: ikz merge DIR...");
            };
            let formats = parse_formats(&format).map_err(anyhow::Error::msg)?;
            let (n, parts) = ikz::output::shards::entity_parts(&dirs)?;
            let out = out.unwrap_or_else(|| first.clone());
            if std::fs::symlink_metadata(&out).is_ok() {
                ikz::output::shards::check_dataset(&out, n)?;
            }
            let counts = ikz::output::shards::merge_into(&out, &parts, formats)?;
            eprintln!(
                "ikz: {} entities from {n} parts -> {}",
                counts.get("entities").copied().unwrap_or(0),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, out, json } => {
            let report = ikz::eval::score(&out, &gold)?;
            if report.documents > 0 && report.missing_documents.len() == report.documents {
                let made_from = match ikz::output::Manifest::read(&out) {
                    Ok(Some(manifest)) => format!(" (made from {})", manifest.inputs.join(", ")),
                    _ => String::new(),
                };
                eprintln!(
                    "ikz: warning: none of the {} gold documents is in {}{made_from}, so every \
                     score is 0; extract the pages the gold describes into it first",
                    report.documents,
                    out.display()
                );
            }
            let text = if json {
                format!("{}\n", report.to_json())
            } else {
                report.to_string()
            };
            write_stdout(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain {
            file,
            doc,
            html,
            rules,
            data,
        } => {
            if let Some(page) = &html {
                check_html_target(page)?; // before any work
            }
            let rules = load_rules(rules.as_deref(), data.as_deref())?;
            let explanations = explain_file(&file, doc.as_deref(), &rules)?;
            let reports: Vec<String> = explanations
                .iter()
                .map(|e| ikz::explain::render_text(e, &rules))
                .collect();
            if let Some(page) = &html {
                write_html(
                    page,
                    &ikz::explain::html::render_html(&explanations, &rules),
                )?;
            }
            write_stdout(&reports.join("\n"))?;
            keep_until_exit(rules);
            Ok(ExitCode::SUCCESS)
        }
        Command::Split { file, rules, speed } => {
            split_file(&file, rules.as_deref(), speed)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            action: RulesAction::Check { rules, data } | RulesAction::Test { rules, data },
        } => test_rules(rules.as_deref(), data.as_deref()),
    }
}

/// `ikz rules check` and `ikz rules test`: loads every rule file (a
/// broken one is an error at its position), then runs every example.
fn test_rules(rules: Option<&Path>, data: Option<&Path>) -> anyhow::Result<ExitCode> {
    let loaded = load_rules(rules, data)?;
    let report = ikz::rule_tests::run(&loaded, &ikz::rules::Source::rules(rules))?;
    keep_until_exit(loaded);
    let mut text = String::new();
    for failure in &report.failures {
        text.push_str(&format!("{failure}\n"));
    }
    text.push_str(&if report.failures.is_empty() {
        format!(
            "ikz: rules are valid; all {} examples pass\n",
            report.examples
        )
    } else {
        format!(
            "ikz: rules are valid; {} of {} examples failed\n",
            report.failures.len(),
            report.examples
        )
    });
    write_stdout(&text)?;
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

/// Leaves the loaded rules to the end of the process instead of freeing
/// them one allocation at a time: with a million-name gazetteer that takes
/// a quarter of a second, which the operating system does for free at exit.
fn keep_until_exit(rules: Rules) {
    std::mem::forget(rules);
}

/// `ikz split`: loads the sentence rules only, so that it starts at once.
fn split_file(file: &Path, rules: Option<&Path>, speed: bool) -> anyhow::Result<()> {
    ikz::rules::check_folder("--rules", rules)?;
    let source = ikz::rules::Source::rules(rules);
    let sentence_rules = ikz::sentences::SentenceRules::load(&source)?;
    let stdout = std::io::stdout().lock();
    let output = std::io::BufWriter::new(stdout);
    let stats = if file.as_os_str() == "-" {
        ikz::split::split_lines(
            std::io::stdin().lock(),
            output,
            &sentence_rules,
            "standard input",
        )
    } else {
        if file.is_dir() {
            anyhow::bail!(
                "{} is a folder; `ikz split` reads one text file",
                file.display()
            );
        }
        let opened = std::fs::File::open(file)
            .map_err(|e| anyhow::anyhow!("{}: cannot open: {e}; check the path", file.display()))?;
        let name = file.display().to_string();
        ikz::split::split_lines(
            std::io::BufReader::new(opened),
            output,
            &sentence_rules,
            &name,
        )
    };
    let stats = match stats {
        Err(e) if is_broken_pipe(&e) => return Ok(()),
        other => other?,
    };
    if speed {
        let seconds = stats.splitting.as_secs_f64();
        eprintln!(
            "ikz split: {} paragraphs, {} sentences, {} characters in {:.4} s = {:.1} M characters/s",
            stats.paragraphs,
            stats.sentences,
            stats.chars,
            seconds,
            stats.chars as f64 / seconds.max(1e-9) / 1e6
        );
    }
    Ok(())
}

/// Whether an error is a closed pipe (`ikz split file | head`), which is no error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// The `ikz explain` report of every document in `file` (or only `doc`).
/// Refuses an `--html` path that is a folder, a link, a device or pipe, or
/// a file ikz did not write (one that does not start with ikz's marker).
fn check_html_target(page: &Path) -> anyhow::Result<()> {
    let shown = page.display();
    let Ok(meta) = std::fs::symlink_metadata(page) else {
        return Ok(()); // nothing there yet
    };
    if meta.is_dir() {
        anyhow::bail!("--html {shown}: is a folder; name the page to write, such as explain.html");
    }
    if !meta.is_file() {
        anyhow::bail!(
            "--html {shown}: is a link or a special file; ikz writes only plain files of \
             its own: choose another name"
        );
    }
    let marker = ikz::explain::html::MARKER.as_bytes();
    let mut start = Vec::with_capacity(marker.len());
    let read = std::fs::File::open(page).and_then(|f| {
        std::io::Read::read_to_end(&mut std::io::Read::take(f, marker.len() as u64), &mut start)
    });
    if read.is_err() || start != marker {
        anyhow::bail!(
            "--html {shown}: the file exists and was not written by ikz explain; ikz \
             replaces only its own pages: choose another name or move the file"
        );
    }
    Ok(())
}

/// Writes the page under a new name of its own beside the target (created
/// fresh, so no file of the user's is touched), then renames it into
/// place: a failed write leaves no half page, and an earlier page whole.
fn write_html(page: &Path, html: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let name = page
        .file_name()
        .map_or("page".into(), |n| n.to_string_lossy());
    let partial = page.with_file_name(format!(".{name}.ikz-{}.partial", std::process::id()));
    let failed = |e: std::io::Error| {
        anyhow::anyhow!(
            "--html {}: cannot write: {e}; check that its folder exists and is writable",
            page.display()
        )
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .map_err(failed)?;
    let written = file
        .write_all(html.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&partial, page));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial); // ours: created above
        return Err(failed(e));
    }
    Ok(())
}

fn explain_file(
    file: &Path,
    doc: Option<&str>,
    rules: &Rules,
) -> anyhow::Result<Vec<ikz::explain::Explanation>> {
    if file.is_dir() {
        anyhow::bail!(
            "{} is a folder; `ikz explain` shows one page: name a file in it",
            file.display()
        );
    }
    if file.as_os_str() != "-" && !file.exists() {
        anyhow::bail!("{}: no such file; check the path", file.display());
    }
    let mut diagnostics = Vec::new();
    let items = ikz::input::collect(&[file.to_path_buf()], InputFormat::Detect, &mut diagnostics);
    let mut raws = Vec::new();
    for item in &items {
        raws.extend(ikz::input::read(item, &mut diagnostics));
    }
    for d in &diagnostics {
        eprintln!("ikz: {}: {}: {}", d.severity.as_str(), d.source, d.message);
    }
    let available: Vec<String> = raws.iter().map(|r| r.doc_id.clone()).collect();
    if let Some(wanted) = doc {
        raws.retain(|r| r.doc_id == wanted);
        if raws.is_empty() {
            anyhow::bail!(
                "{} holds no document with doc_id `{wanted}`; it holds {}",
                file.display(),
                list_ids(&available)
            );
        }
    }
    if raws.is_empty() {
        anyhow::bail!("{} gave no document to explain", file.display());
    }
    Ok(raws
        .into_iter()
        .map(|raw| ikz::explain::explain(raw, rules))
        .collect())
}

/// The first few doc ids, for an error message.
fn list_ids(ids: &[String]) -> String {
    if ids.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    let more = ids.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
