//! `ikz split` on the German sentence benchmark of `../shared/bench/sentences`
//! (UD German-GSD), scored by that benchmark's own `score.py`.

mod common;
use common::ikz;

/// Runs `ikz split --speed` on one split; returns boundary F1 and the
/// splitter's characters per second.
fn split_and_score(split: &str) -> (f64, f64) {
    let text = common::gsd_bench().join(format!("{split}.txt"));
    let run = ikz(&["split", text.to_str().unwrap(), "--speed"]);
    assert!(run.status.success(), "{run:?}");
    let dir = tempfile::tempdir().unwrap();
    let system = dir.path().join("system.tsv");
    std::fs::write(&system, &run.stdout).unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    let speed: f64 = stderr
        .split(" = ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no speed in {stderr:?}"));
    (common::gsd_boundary_f1(split, &system), speed * 1e6)
}

#[test]
fn split_keeps_its_gsd_figures_and_speed() {
    // 0.923 on test was the figure when `ikz split` was asked for (issue 11);
    // NLTK Punkt, the best peer, has 0.927 and 0.977 on dev.
    let (test, test_speed) = split_and_score("test");
    let (dev, _) = split_and_score("dev");
    println!(
        "boundary F1 test {test:.4} dev {dev:.4}; {:.0} M chars/s",
        test_speed / 1e6
    );
    assert!(test >= 0.923, "test boundary F1 {test}");
    assert!(dev >= 0.977, "dev boundary F1 {dev}");
    assert!(test_speed >= 20e6, "{test_speed} characters/s");
}

/// The floor of issue 11. Not reachable under ANNOTATION.md: 96 of GSD
/// test's 781 boundaries follow a sentence without final punctuation
/// (headlines, bylines, TIGER's splits at `:` and `;`), so a splitter that
/// never ends a sentence at a colon tops out near 0.934 on test.
#[test]
#[ignore = "GSD test boundary F1 0.94 needs splits at colons, which ANNOTATION.md forbids"]
fn split_reaches_094_on_gsd_test() {
    let (test, _) = split_and_score("test");
    assert!(test >= 0.94, "test boundary F1 {test}");
}

#[test]
fn split_reads_standard_input_and_says_what_is_wrong_with_a_path() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ikz"))
        .args(["split"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all("Die Städte prüfen das. Dann entscheiden sie.\n".as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "para\tstart\tend\n0\t0\t22\n0\t23\t44\n"
    );
    let missing = ikz(&["split", "no/such/file.txt"]);
    assert!(!missing.status.success());
    let message = String::from_utf8(missing.stderr).unwrap();
    assert!(
        message.contains("no/such/file.txt") && message.contains("check the path"),
        "{message}"
    );
    let folder = ikz(&["split", "seeds"]);
    assert!(
        String::from_utf8(folder.stderr)
            .unwrap()
            .contains("is a folder")
    );
}
