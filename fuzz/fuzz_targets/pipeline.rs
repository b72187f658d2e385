//! Fuzzes the whole per-document pipeline: decode, boilerplate, sentences,
//! entities, relations, and the tables' own consistency check, on arbitrary
//! bytes. Any panic, hang or runaway allocation is a bug.
#![no_main]

use std::sync::OnceLock;

use ikz::input::RawDocument;
use ikz::pipeline::Rules;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    // The rules and data built into the binary, so a fuzzer binary always
    // runs with the rules it was compiled with.
    RULES.get_or_init(|| Rules::load(None, None).expect("built-in rules load"))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(decoded) = ikz::decode::decode(bytes) else { return };
    let raw = RawDocument {
        doc_id: "fuzz".to_string(),
        source: "fuzz".to_string(),
        text: decoded.text,
        encoding: decoded.encoding,
    };
    let doc = ikz::pipeline::process(raw, rules());
    ikz::tables::check_document(&doc).expect("stages produce consistent layers");
});
