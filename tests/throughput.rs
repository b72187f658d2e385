//! The speed floors of issue 11, measured as `bench/throughput.sh` does:
//! whole runs of the release binary on corpora made by
//! `../shared/bench/throughput/make_corpus.py` from the seeds, dev and dev2
//! pages. Machines here are shared and noisy, so a floor that compares two
//! commands takes the median of per-pair ratios of runs made in turn, and a
//! floor in absolute terms the median of several runs. The tests of this
//! file take turns, so that none times another's work. Floors not reached
//! yet are `#[ignore]`d with today's figure; `cargo test --release --test
//! throughput -- --ignored` measures them.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use common::root;

/// Held by each test while it measures.
static TAKING_TURNS: Mutex<()> = Mutex::new(());

fn shared() -> PathBuf {
    root().join("../shared")
}

/// A corpus of about `mb` megabytes of `.txt` pages in `dir`.
fn make_corpus(mb: usize, dir: &Path) -> u64 {
    let script = shared().join("bench/throughput/make_corpus.py");
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(mb.to_string())
        .arg(dir)
        .arg(root().join("seeds"))
        .arg(shared().join("dev/docs"))
        .arg(shared().join("dev2/docs"))
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs make_corpus.py");
    assert!(status.success(), "make_corpus.py failed");
    std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum()
}

/// `extract INPUT --out OUT` followed by `more`: the arguments of the runs
/// timed here.
fn extract_args<'a>(input: &'a Path, out: &'a Path, more: &[&'a str]) -> Vec<&'a str> {
    let path = |p: &'a Path| p.to_str().expect("UTF-8 temp path");
    let mut args = vec!["extract", path(input), "--out", path(out)];
    args.extend_from_slice(more);
    args
}

/// Seconds of one run of `ikz ARGS`, which must succeed.
fn timed(args: &[&str]) -> f64 {
    let start = Instant::now();
    let run = common::ikz(args);
    let seconds = start.elapsed().as_secs_f64();
    assert!(run.status.success(), "ikz {args:?}: {run:?}");
    seconds
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The median over `pairs` runs in turn of `seconds(a) / seconds(b)`.
fn paired_ratio(pairs: usize, a: &[&str], b: &[&str]) -> f64 {
    timed(b); // warm-up: the corpus into the page cache, the binary loaded
    median((0..pairs).map(|_| timed(a) / timed(b)).collect())
}

/// A copy of `rules/` whose `organisations.tsv` also holds the made-up
/// organisation names of `make_gazetteer.py` padded to `names` names.
fn rules_with_made_up_names(names: usize, dir: &Path) -> PathBuf {
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("rules copy");
    for entry in std::fs::read_dir(root().join("rules")).expect("rules/") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), rules.join(entry.file_name())).expect("copy a rule file");
    }
    let gazetteer = dir.join("gazetteer.tsv");
    let status = std::process::Command::new("python3")
        .arg(shared().join("bench/throughput/make_gazetteer.py"))
        .arg(&gazetteer)
        .arg(names.to_string())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs make_gazetteer.py");
    assert!(status.success(), "make_gazetteer.py failed");
    let made_up = std::fs::read_to_string(&gazetteer).expect("gazetteer");
    let mut organisations =
        std::fs::read_to_string(rules.join("organisations.tsv")).expect("organisations.tsv");
    let prefixes = ["Zweckverband ", "Stadtwerke ", "Kommunale Dienste "];
    let mut added = 0;
    for name in made_up.lines().filter_map(|l| l.strip_prefix("ORG\t")) {
        if prefixes.iter().any(|p| name.starts_with(p)) {
            added += 1;
            organisations.push_str(&format!("org:made-up-{added}\t{name}\t\tmade up\tORG\n"));
        }
    }
    assert!(added > names * 9 / 10, "only {added} made-up names");
    std::fs::write(rules.join("organisations.tsv"), organisations).expect("write organisations");
    rules
}

#[test]
fn a_million_gazetteer_names_keep_half_the_throughput() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    make_corpus(20, &corpus);
    let rules = rules_with_made_up_names(1_000_000, dir.path());
    let rules = rules.to_str().expect("UTF-8 temp path");
    let (out_big, out_today) = (dir.path().join("out-big"), dir.path().join("out-today"));
    let big = extract_args(&corpus, &out_big, &["--rules", rules]);
    let today = extract_args(&corpus, &out_today, &[]);
    // Throughput with the big lists over today's = time today / time big.
    let throughput = 1.0 / paired_ratio(5, &big, &today);
    println!("throughput with 1,000,000 names / with today's lists: {throughput:.3}");
    assert!(throughput >= 0.5, "{throughput}");
    // The names are matched, not only loaded: a page naming two of them
    // gets their ids.
    let page = dir.path().join("page.txt");
    let list = std::fs::read_to_string(Path::new(rules).join("organisations.tsv")).expect("list");
    let made_up: Vec<(&str, &str)> = list
        .lines()
        .filter(|l| l.starts_with("org:made-up-"))
        .filter_map(|l| l.split('\t').next().zip(l.split('\t').nth(1)))
        // Made up, not a real name that the padded list also holds: the
        // prefix and one invented word (`Stadtwerke Bachried`).
        .filter(|(_, name)| {
            let words: Vec<&str> = name.split(' ').collect();
            let stem = words[words.len() - 1];
            words.len() <= 3 && stem.chars().skip(1).all(char::is_lowercase)
        })
        .collect();
    let (first, last) = (made_up[0], made_up[made_up.len() - 1]);
    std::fs::write(
        &page,
        format!("Der {} und der {} arbeiten zusammen.\n", first.1, last.1),
    )
    .expect("write page");
    let out_page = dir.path().join("out-page");
    let run = common::ikz(&extract_args(
        &page,
        &out_page,
        &["--rules", rules, "--format", "csv"],
    ));
    assert!(run.status.success(), "{run:?}");
    let mentions = std::fs::read_to_string(out_page.join("mentions.csv")).expect("mentions");
    for (id, name) in [first, last] {
        assert!(mentions.contains(id), "{name} ({id}) not found: {mentions}");
    }
}

/// The seconds `--profile` reports for loading and compiling the rules.
fn start_up_seconds() -> f64 {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let page = Path::new("seeds/001_547774f3407cf024.txt");
    let run = common::ikz(&extract_args(page, &out, &["--profile"]));
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    stderr
        .lines()
        .find_map(|l| l.split("loaded and compiled in ").nth(1))
        .and_then(|rest| rest.trim_end_matches(" s").parse().ok())
        .unwrap_or_else(|| panic!("no start-up time in {stderr}"))
}

#[test]
#[ignore = "start-up is 0.105 to 0.15 s with two threads (2026-12-04, by the hour); three quarters of it is compiling 179 regexes"]
fn start_up_takes_at_most_a_tenth_of_a_second() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let seconds = median((0..5).map(|_| start_up_seconds()).collect());
    println!("start-up {seconds:.3} s");
    assert!(seconds <= 0.1, "{seconds} s");
}

#[test]
#[ignore = "10 MB/s and 0.05 of the read floor on 2 cores (2026-12-04); the floor is 50 MB/s and 0.4"]
fn fifty_mb_per_second_on_two_threads_and_four_tenths_of_the_read_floor() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    let bytes = make_corpus(20, &corpus) as f64;
    let out = dir.path().join("out");
    let args = extract_args(&corpus, &out, &["--threads", "2"]);
    timed(&args);
    let seconds = median((0..3).map(|_| timed(&args)).collect());
    let read = median(
        (0..3)
            .map(|_| {
                let start = Instant::now();
                for entry in std::fs::read_dir(&corpus).expect("corpus") {
                    std::fs::read(entry.expect("entry").path()).expect("read");
                }
                start.elapsed().as_secs_f64()
            })
            .collect(),
    );
    let mb_per_s = bytes / 1e6 / seconds;
    println!(
        "{mb_per_s:.1} MB/s, {:.3} of the read floor",
        read / seconds
    );
    assert!(mb_per_s >= 50.0, "{mb_per_s} MB/s");
    assert!(
        read / seconds >= 0.4,
        "{} of the read floor",
        read / seconds
    );
}

#[test]
#[ignore = "--threads 2 is 1.86 times --threads 1 (2026-12-04, median of 9 pairs; single pairs 1.5 to 2.2 on this noisy VM): too close to the floor to hold on every CI machine"]
fn two_threads_are_at_least_1_8_times_one() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    make_corpus(20, &corpus);
    let out = dir.path().join("out");
    let one = extract_args(&corpus, &out, &["--threads", "1"]);
    let two = extract_args(&corpus, &out, &["--threads", "2"]);
    let speed_up = paired_ratio(5, &one, &two);
    println!("--threads 2 / --threads 1: {speed_up:.2}");
    assert!(speed_up >= 1.8, "{speed_up}");
}

/// Runs `ikz ARGS`, which must succeed, and returns its peak resident
/// size in MiB (as GNU time's kilobytes / 1024, the benchmark's unit): the
/// child's own, read when it is reaped, not that of every child so far.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(clippy::zombie_processes)] // reaped by wait4, which the lint does not see
fn peak_rss_mib(args: &[&str]) -> f64 {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ikz starts");
    let pid = i32::try_from(child.id()).expect("pid");
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 reaps our own child and fills the status and the
    // rusage it is given; the Child handle is not waited on again.
    let usage = unsafe {
        assert_eq!(libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()), pid);
        usage.assume_init()
    };
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "ikz {args:?} failed: status {status}"
    );
    usage.ru_maxrss as f64 / 1024.0 // kilobytes on Linux
}

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[ignore = "met (248 MiB on 2026-12-04) but not run in CI: it needs about 3 GB of disk and 5 minutes"]
fn peak_memory_stays_within_256_mb_on_the_1_gb_corpus() {
    let _turn = TAKING_TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    make_corpus(1000, &corpus);
    let out = dir.path().join("out");
    let peak = peak_rss_mib(&extract_args(&corpus, &out, &["--threads", "2"]));
    println!("peak RSS {peak:.0} MiB on the 1 GB corpus");
    assert!(peak <= 256.0, "{peak} MB");
}
