//! Every example and counter-example of the rule files passes (the runner
//! of `ikz rules test`, `src/rule_tests.rs`), and a few relation shapes
//! that no single example shows.

mod common;

use ikz::input::RawDocument;
use ikz::model::Document;
use ikz::pipeline::Rules;
use ikz::pipeline::process;

fn rules() -> Rules {
    common::repo_rules()
}

#[test]
fn every_example_of_every_rule_file_passes() {
    let rules = rules();
    let source = ikz::rules::Source::rules(Some(&common::root().join("rules")));
    let report = ikz::rule_tests::run(&rules, &source).expect("rule files read");
    // relations.toml alone holds over 60 examples and counter-examples.
    assert!(report.examples > 200, "only {} examples", report.examples);
    let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run(text: &str, rules: &Rules) -> Document {
    let raw = RawDocument {
        doc_id: "example".to_string(),
        source: "relations.toml".to_string(),
        text: text.to_string(),
        encoding: "UTF-8".to_string(),
    };
    process(raw, rules)
}

#[test]
fn a_list_with_one_trigger_gives_one_relation_per_pair() {
    let rules = rules();
    let doc = run(
        "Eine Verwaltungskooperation haben die Städte Kiel, Lübeck und Flensburg vereinbart.",
        &rules,
    );
    let mut pairs: Vec<String> = doc
        .relations
        .iter()
        .filter(|r| r.kind == ikz::model::RelationType::Cooperation)
        .map(|r| {
            let mut p = [
                doc.slice(doc.mentions[r.subject].span),
                doc.slice(doc.mentions[r.object].span),
            ];
            p.sort();
            p.join("-")
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs, ["Flensburg-Kiel", "Flensburg-Lübeck", "Kiel-Lübeck"]);
}

#[test]
fn a_relation_through_a_description_names_the_entity_and_keeps_the_words() {
    let rules = rules();
    let doc = run(
        "Die KDO ist ein kommunaler Zweckverband in Oldenburg. Die Stadt Celle ist seit 2019 Mitglied des Zweckverbands.",
        &rules,
    );
    let member: Vec<_> = doc
        .relations
        .iter()
        .filter(|r| r.kind == ikz::model::RelationType::MemberOf)
        .collect();
    assert_eq!(member.len(), 1, "{:?}", doc.relations);
    let r = member[0];
    assert_eq!(doc.slice(doc.mentions[r.subject].span), "Stadt Celle");
    assert_eq!(doc.slice(doc.mentions[r.object].span), "KDO");
    assert_eq!(r.subject_ref, None);
    assert_eq!(
        r.object_ref.map(|s| doc.slice(s)),
        Some("des Zweckverbands")
    );
}
