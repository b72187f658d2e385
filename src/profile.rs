//! Where a run's time goes, stage by stage, for `ikz extract --profile`.
//!
//! Every stage is timed on every document (two clock reads per stage, a few
//! dozen nanoseconds against the microseconds a stage takes), and the times
//! are summed over all threads. The report gives each stage's CPU seconds
//! and its share, so that an optimisation goes where the time is. The
//! writer runs on a thread of its own beside the stages; its share counts
//! the same way.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The parts of a run that the profile tells apart, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the input bytes from disk or standard input.
    Read,
    /// Decoding bytes to text (and splitting JSON Lines).
    Decode,
    /// Dropping site chrome, teasers and metadata lines.
    Boilerplate,
    /// Sentence splitting.
    Sentences,
    /// Gazetteers, entity patterns, persons, acronyms.
    Entities,
    /// Descriptions that refer back to a named entity.
    References,
    /// Pattern rules, trigger frames and roles.
    Relations,
    /// Encoding and writing the Parquet and CSV tables.
    Write,
}

impl Stage {
    /// Every stage, in the order the report lists them.
    pub const ALL: [Stage; 8] = [
        Stage::Read,
        Stage::Decode,
        Stage::Boilerplate,
        Stage::Sentences,
        Stage::Entities,
        Stage::References,
        Stage::Relations,
        Stage::Write,
    ];

    /// The stage's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Decode => "decode",
            Stage::Boilerplate => "boilerplate",
            Stage::Sentences => "sentences",
            Stage::Entities => "entities",
            Stage::References => "references",
            Stage::Relations => "relations",
            Stage::Write => "write",
        }
    }
}

/// Nanoseconds per stage, summed over threads; shared by all of them.
#[derive(Debug, Default)]
pub struct Profile {
    nanos: [AtomicU64; 8],
    /// Input bytes read.
    bytes: AtomicU64,
}

impl Profile {
    /// Runs `work`, adding its time to `stage`.
    pub fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = work();
        self.add(stage, start.elapsed().as_nanos() as u64);
        out
    }

    /// A timer that adds the time until it is dropped to `stage` (for
    /// work that ends at several `return`s).
    pub fn timer(&self, stage: Stage) -> Timer<'_> {
        Timer {
            profile: self,
            stage,
            start: Instant::now(),
        }
    }

    /// Adds `nanos` to `stage` (for work timed elsewhere).
    pub fn add(&self, stage: Stage, nanos: u64) {
        self.nanos[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }

    /// Counts `bytes` of input read.
    pub fn add_bytes(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// The input bytes read so far (for progress and the summary line).
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// The seconds spent in `stage` so far, summed over threads.
    pub fn seconds(&self, stage: Stage) -> f64 {
        self.nanos[stage as usize].load(Ordering::Relaxed) as f64 / 1e9
    }

    /// The report: one line per stage with its CPU seconds and share of
    /// the stages' total, then the wall time of the run.
    pub fn report(&self, wall_seconds: f64) -> String {
        let total: f64 = Stage::ALL.iter().map(|&s| self.seconds(s)).sum();
        let mut out =
            String::from("ikz profile: seconds summed over threads, share of their total\n");
        for stage in Stage::ALL {
            let seconds = self.seconds(stage);
            let share = if total > 0.0 {
                100.0 * seconds / total
            } else {
                0.0
            };
            out.push_str(&format!(
                "  {:<12} {seconds:8.3} s {share:5.1} %\n",
                stage.name()
            ));
        }
        out.push_str(&format!("  {:<12} {total:8.3} s\n", "all stages"));
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        let speed = if wall_seconds > 0.0 {
            mb / wall_seconds
        } else {
            0.0
        };
        out.push_str(&format!(
            "  wall time    {wall_seconds:8.3} s for {mb:.1} MB of input = {speed:.1} MB/s\n"
        ));
        out
    }
}

/// Adds the time from its creation to its drop to one stage of a profile.
pub struct Timer<'a> {
    profile: &'a Profile,
    stage: Stage,
    start: Instant,
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        self.profile
            .add(self.stage, self.start.elapsed().as_nanos() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_add_up_per_stage_and_the_report_names_every_stage() {
        let profile = Profile::default();
        profile.add(Stage::Entities, 3_000_000_000);
        profile.add(Stage::Entities, 1_000_000_000);
        profile.add(Stage::Write, 4_000_000_000);
        // A timed stage counts at least its time (in a profile of its own,
        // so that the shares below stay exact).
        let timed = Profile::default();
        let slept = timed.time(Stage::Read, || {
            std::thread::sleep(std::time::Duration::from_millis(5));
            7
        });
        assert_eq!(slept, 7);
        assert!(timed.seconds(Stage::Read) >= 0.005);
        assert_eq!(profile.seconds(Stage::Entities), 4.0);
        profile.add_bytes(4_000_000);
        profile.add_bytes(6_000_000);
        let report = profile.report(2.0);
        for stage in Stage::ALL {
            assert!(report.contains(stage.name()), "{report}");
        }
        assert!(report.contains("= 5.0 MB/s"), "{report}");
        let entities = report.lines().find(|l| l.contains("entities")).unwrap();
        assert!(
            entities.contains("4.000 s") && entities.contains("50.0 %"),
            "{entities}"
        );
    }
}
