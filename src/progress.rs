//! What a long `ikz extract` run says while it works, and the line it ends
//! with.
//!
//! On a terminal the run shows a progress bar (indicatif) with the bytes
//! read, the rate and the time left, once it has run for longer than
//! [`QUIET_START`]; where standard error is a file or a CI log, it prints
//! a plain line every [`LINE_EVERY`] instead, so logs stay readable. The
//! total for the time left comes from a walk of the inputs on a thread of
//! its own that only reads file sizes, so the run never waits for it; until
//! it is known (or when reading standard input) the bar shows the rate
//! only. `--quiet` silences all of this and the closing summary.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::input::{self, InputFormat, Origin};

/// A run shorter than this shows no progress at all.
const QUIET_START: Duration = Duration::from_secs(1);
/// How often a plain progress line is printed when standard error is no
/// terminal.
const LINE_EVERY: Duration = Duration::from_secs(10);

/// How the run reports its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar on a terminal, plain lines otherwise, and the summary line.
    #[default]
    Auto,
    /// Nothing on standard error but warnings and errors (`--quiet`).
    Quiet,
}

/// The progress of one run, updated by the writer after every batch.
pub struct Progress {
    mode: ProgressMode,
    started: Instant,
    total: Arc<InputTotal>,
    /// The bar, once the run has lasted [`QUIET_START`] on a terminal.
    bar: Option<ProgressBar>,
    terminal: bool,
    last_line: Instant,
}

/// The size of all inputs, summed by the walk on its own thread.
#[derive(Default)]
struct InputTotal {
    bytes: AtomicU64,
    /// Set once every input has been counted (never for standard input).
    known: AtomicBool,
    /// Set when the run is over, so the walk stops early.
    stop: AtomicBool,
}

impl Progress {
    /// Starts reporting on a run over `inputs`; the sizes are summed on a
    /// thread of their own.
    pub fn start(mode: ProgressMode, inputs: &[PathBuf], stdin: InputFormat) -> Progress {
        let total = Arc::new(InputTotal::default());
        if mode == ProgressMode::Auto {
            let (inputs, total) = (inputs.to_vec(), Arc::clone(&total));
            // Detached: if the walk outlasts the run, `stop` ends it.
            let _ = std::thread::Builder::new()
                .name("ikz-input-sizes".into())
                .spawn(move || sum_sizes(&inputs, stdin, &total));
        }
        let now = Instant::now();
        Progress {
            mode,
            started: now,
            total,
            bar: None,
            terminal: std::io::stderr().is_terminal(),
            last_line: now,
        }
    }

    /// Reports that `documents` documents have been written from `bytes`
    /// bytes of input read so far.
    pub fn update(&mut self, documents: usize, bytes: u64) {
        if self.mode == ProgressMode::Quiet || self.started.elapsed() < QUIET_START {
            return;
        }
        let total = self.known_total();
        if self.terminal {
            let started = self.started;
            let bar = self
                .bar
                .get_or_insert_with(|| new_bar(bytes, started.elapsed()))
                .clone();
            if let Some(total) = total
                && bar.length() != Some(total)
            {
                bar.set_style(bar_style(true));
                bar.set_length(total);
            }
            bar.set_position(bytes);
            bar.set_message(self.rate_and_time_left(documents, bytes, total));
        } else if self.last_line.elapsed() >= LINE_EVERY {
            self.last_line = Instant::now();
            eprintln!("{}", self.line(documents, bytes, total));
        }
    }

    /// Prints a warning or error line on standard error, above the bar if
    /// there is one (printed whatever the mode: `--quiet` keeps these).
    pub fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// One plain progress line: documents, bytes, rate and time left.
    fn line(&self, documents: usize, bytes: u64, total: Option<u64>) -> String {
        let mut line = format!(
            "ikz: {documents} documents written, {:.1} MB read",
            bytes as f64 / 1e6
        );
        if let Some(total) = total.filter(|&t| t > 0) {
            line.push_str(&format!(
                " of {:.1} MB ({:.0} %)",
                total as f64 / 1e6,
                100.0 * bytes.min(total) as f64 / total as f64
            ));
        }
        line.push_str(", ");
        line.push_str(&self.rate_and_time_left(documents, bytes, total));
        line
    }

    /// The rate over the whole run so far and, with a total, the time left
    /// at that rate (the bar's message ends with the documents).
    fn rate_and_time_left(&self, documents: usize, bytes: u64, total: Option<u64>) -> String {
        let seconds = self.started.elapsed().as_secs_f64();
        let rate = bytes as f64 / 1e6 / seconds.max(1e-9);
        let mut text = format!("{rate:.1} MB/s");
        if let Some(total) = total.filter(|&t| t > 0) {
            let left = total.saturating_sub(bytes) as f64 / 1e6 / rate.max(1e-9);
            text.push_str(&format!(", about {left:.0} s left"));
        }
        if self.bar.is_some() {
            text.push_str(&format!(", {documents} documents"));
        }
        text
    }

    fn known_total(&self) -> Option<u64> {
        self.total
            .known
            .load(Ordering::Acquire)
            .then(|| self.total.bytes.load(Ordering::Relaxed))
    }

    /// Ends the bar (it is cleared, the summary line follows) and the walk.
    pub fn finish(&mut self) {
        self.total.stop.store(true, Ordering::Relaxed);
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }

    /// Whether the closing summary line is printed.
    pub fn prints_summary(&self) -> bool {
        self.mode == ProgressMode::Auto
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A bar that appears after `elapsed` with `bytes` already read.
fn new_bar(bytes: u64, elapsed: Duration) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4))
        .with_position(bytes)
        .with_elapsed(elapsed);
    bar.set_style(bar_style(false));
    bar
}

/// The bar's look: with a length, the share done and the time left;
/// without, the bytes and the rate.
fn bar_style(with_total: bool) -> ProgressStyle {
    let template = if with_total {
        "{elapsed:>4} [{wide_bar}] {decimal_bytes}/{decimal_total_bytes}, {msg}"
    } else {
        "{elapsed:>4} {spinner} {decimal_bytes} read, {msg}"
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Sums the sizes of the files a run over `inputs` reads, walking them as
/// the run does; gives up on standard input, whose size is unknown.
fn sum_sizes(inputs: &[PathBuf], stdin: InputFormat, total: &InputTotal) {
    for found in input::Inputs::new(inputs, stdin) {
        if total.stop.load(Ordering::Relaxed) {
            return;
        }
        let input::Found::Item(item) = found else {
            continue;
        };
        match &item.origin {
            Origin::Stdin => return,
            Origin::File(path) => {
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                total.bytes.fetch_add(size, Ordering::Relaxed);
            }
        }
    }
    total.known.store(true, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_gives_the_share_and_the_time_left_once_the_total_is_known() {
        let mut progress = Progress::start(ProgressMode::Quiet, &[], InputFormat::Detect);
        progress.started = Instant::now() - Duration::from_secs(10);
        let line = progress.line(500, 50_000_000, Some(200_000_000));
        assert!(line.starts_with("ikz: 500 documents written, 50.0 MB read of 200.0 MB (25 %)"));
        assert!(line.contains("about 30 s left"), "{line}");
        let line = progress.line(500, 50_000_000, None);
        assert!(line.ends_with("MB read, 5.0 MB/s"), "{line}");
    }

    #[test]
    fn on_a_terminal_a_bar_appears_after_a_moment_with_the_total_once_known() {
        let mut progress = Progress::start(ProgressMode::Quiet, &[], InputFormat::Detect);
        progress.mode = ProgressMode::Auto;
        progress.terminal = true;
        progress.update(10, 1_000);
        assert!(progress.bar.is_none(), "no bar in the first second");
        progress.started = Instant::now() - Duration::from_secs(4);
        progress.update(100, 10_000_000);
        let bar = progress.bar.clone().expect("a bar after a moment");
        assert_eq!(bar.length(), None, "no total known yet");
        assert!(bar.message().starts_with("2.5 MB/s"), "{}", bar.message());
        progress.total.bytes.store(40_000_000, Ordering::Relaxed);
        progress.total.known.store(true, Ordering::Release);
        progress.update(200, 20_000_000);
        assert_eq!(
            (bar.length(), bar.position()),
            (Some(40_000_000), 20_000_000)
        );
        assert!(
            bar.message().contains("s left, 200 documents"),
            "{}",
            bar.message()
        );
        progress.finish();
        assert!(progress.bar.is_none() && bar.is_finished());
    }

    #[test]
    fn the_sizes_of_a_folder_are_summed_as_the_run_walks_it() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let total = InputTotal::default();
        sum_sizes(&[root.join("seeds")], InputFormat::Detect, &total);
        let expected: u64 = walkdir::WalkDir::new(root.join("seeds"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
            .map(|e| e.metadata().map_or(0, |m| m.len()))
            .sum();
        assert!(total.known.load(Ordering::Acquire));
        assert_eq!(total.bytes.load(Ordering::Relaxed), expected);
        assert!(expected > 5_000);
    }
}
