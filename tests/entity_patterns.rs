//! Entities that no list names (issue #10, item 4): names in quotes after a
//! head noun, names after a generic descriptor, a Land's parliament, and
//! first names that are German words. Invented sentences through the whole
//! pipeline with the rules of this checkout.

mod common;

use ikz::input::RawDocument;
use ikz::pipeline::process;

/// `LABEL text` of every mention of `text`.
fn mentions(text: &str) -> Vec<String> {
    let raw = RawDocument {
        doc_id: "example".to_string(),
        source: "example.txt".to_string(),
        text: text.to_string(),
        encoding: "UTF-8".to_string(),
    };
    let doc = process(raw, &common::repo_rules());
    doc.mentions
        .iter()
        .map(|m| format!("{} {}", m.entity.label.as_str(), doc.slice(m.span)))
        .collect()
}

#[test]
fn a_quoted_name_after_a_head_noun_is_an_organisation() {
    let found = mentions("Der Zweckverband „IT-Verbund Beispielland“ wurde 2004 gegründet.");
    assert!(
        found.contains(&"ORG IT-Verbund Beispielland".to_string()),
        "{found:?}"
    );
    let found = mentions("Die Genossenschaft \"Kommunal Digital Nord\" hat 40 Mitglieder.");
    assert!(
        found.contains(&"ORG Kommunal Digital Nord".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_name_after_a_generic_descriptor_is_the_mention_without_it() {
    let found = mentions("Der IT-Dienstleister Kommunix betreut 40 Gemeinden.");
    assert_eq!(found, vec!["ORG Kommunix".to_string()]);
    let found = mentions("Seit 2019 gehört der Softwarehersteller Datenwerk Nord zum Verbund.");
    assert!(
        found.contains(&"ORG Datenwerk Nord".to_string()),
        "{found:?}"
    );
}

#[test]
fn words_after_a_descriptor_that_name_nobody_are_no_mention() {
    let found =
        mentions("Der IT-Dienstleister Anfang 2020 stellte der IT-Dienstleister Software bereit.");
    assert!(found.iter().all(|m| !m.starts_with("ORG")), "{found:?}");
}

#[test]
fn a_lands_parliament_is_an_organisation() {
    let found = mentions("Der Landtag Schleswig-Holstein hat das Gesetz beschlossen.");
    assert!(
        found.contains(&"ORG Landtag Schleswig-Holstein".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_first_name_that_is_a_german_word_starts_no_person() {
    let found = mentions("Per Gesetz wurde der Verbund gegründet, sagte Per Olsen.");
    assert!(!found.iter().any(|m| m == "PER Per Gesetz"), "{found:?}");
}
