//! Inputs the fuzzer (`fuzz/`) once crashed on, kept so the bugs stay fixed:
//! each goes through the whole per-document pipeline without a panic and
//! with consistent stand-off layers.

mod common;

use ikz::input::RawDocument;

#[test]
fn fuzzer_crashes_stay_fixed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = common::repo_rules();
    let mut n = 0;
    for entry in std::fs::read_dir(root.join("tests/fuzz_regressions")).expect("folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        let Ok(decoded) = ikz::decode::decode(&bytes) else {
            continue;
        };
        let raw = RawDocument {
            doc_id: "fuzz".to_string(),
            source: path.display().to_string(),
            text: decoded.text,
            encoding: decoded.encoding,
        };
        let doc = ikz::pipeline::process(raw, &rules);
        ikz::tables::check_document(&doc).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
        n += 1;
    }
    assert!(n >= 1, "no regression inputs found");
}
