//! Runs every example and counter-example of `rules/relations.toml` and
//! `rules/role_links.toml` through the whole pipeline: each example of a
//! pattern rule must yield the relations it lists from its own rule, each
//! counter-example none from that rule; each role-link example must give
//! exactly the ROLE relations it lists.

mod common;

use ikz::input::RawDocument;
use ikz::model::Document;
use ikz::pipeline::Rules;
use ikz::pipeline::process;

fn rules() -> Rules {
    common::repo_rules()
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

/// `subject | object` or `subject | object | role` of one rule's relations.
fn produced(doc: &Document, rule_id: &str) -> Vec<String> {
    doc.relations
        .iter()
        .filter(|r| r.rule_id == rule_id)
        .map(|r| {
            let mut parts = vec![
                doc.slice(doc.mentions[r.subject].span).to_string(),
                doc.slice(doc.mentions[r.object].span).to_string(),
            ];
            if let Some(role) = r.role {
                parts.push(doc.slice(doc.mentions[role].span).to_string());
            }
            parts.join(" | ")
        })
        .collect()
}

#[test]
fn every_rule_example_yields_its_relations() {
    let rules = rules();
    let mut failures = Vec::new();
    for rule in &rules.relations.patterns.rules {
        for example in &rule.entry.examples {
            let doc = run(&example.text, &rules);
            let got = produced(&doc, &rule.entry.id);
            // A symmetric pair is written with the smaller entity id first,
            // whichever order the example gives.
            let symmetric = matches!(rule.entry.kind.as_str(), "COOPERATION" | "MERGER");
            for expected in &example.expect {
                let mut parts: Vec<&str> = expected.split(" | ").collect();
                parts.reverse();
                let reversed = parts.join(" | ");
                if !(got.contains(expected) || symmetric && got.contains(&reversed)) {
                    failures.push(format!(
                        "{}: `{}` did not give `{expected}` (gave {got:?})",
                        rule.entry.id, example.text
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_rule_fires_on_its_counter_examples() {
    let rules = rules();
    let mut failures = Vec::new();
    for rule in &rules.relations.patterns.rules {
        for text in &rule.entry.counter_examples {
            let got = produced(&run(text, &rules), &rule.entry.id);
            if !got.is_empty() {
                failures.push(format!("{}: `{text}` gave {got:?}", rule.entry.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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

/// The ROLE relations of a document from the role links, as
/// `person | unit | role`.
fn role_links_produced(doc: &Document) -> Vec<String> {
    doc.relations
        .iter()
        .filter(|r| r.rule_id.starts_with("role:"))
        .map(|r| {
            let role = r
                .role
                .map(|m| doc.slice(doc.mentions[m].span))
                .unwrap_or("");
            format!(
                "{} | {} | {role}",
                doc.slice(doc.mentions[r.subject].span),
                doc.slice(doc.mentions[r.object].span)
            )
        })
        .collect()
}

#[test]
fn role_link_examples_give_exactly_their_relations() {
    let rules = rules();
    let mut failures = Vec::new();
    for example in &rules.relations.roles.examples {
        let mut got = role_links_produced(&run(&example.text, &rules));
        got.sort();
        got.dedup();
        let mut expected = example.expect.clone();
        expected.sort();
        if got != expected {
            failures.push(format!(
                "`{}`: expected {expected:?}, got {got:?}",
                example.text
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every relation of a document, as `TYPE subject | object`.
fn relations_as_text(doc: &Document) -> Vec<String> {
    doc.relations
        .iter()
        .map(|r| {
            format!(
                "{} {} | {}",
                r.kind.as_str(),
                doc.slice(doc.mentions[r.subject].span),
                doc.slice(doc.mentions[r.object].span)
            )
        })
        .collect()
}

#[test]
fn trigger_frame_examples_give_exactly_their_relations() {
    let rules = rules();
    let mut failures = Vec::new();
    for example in &rules.relations.frames.examples {
        let doc = run(&example.text, &rules);
        // Pattern rules may find a relation first; any rule counts here.
        let mut got = relations_as_text(&doc);
        got.sort();
        got.dedup();
        let mut expected = example.expect.clone();
        expected.sort();
        let symmetric_same = |a: &String, b: &String| {
            a == b || {
                let flip = |s: &str| -> String {
                    let (t, rest) = s.split_once(' ').unwrap_or((s, ""));
                    let (x, y) = rest.split_once(" | ").unwrap_or((rest, ""));
                    format!("{t} {y} | {x}")
                };
                (a.starts_with("COOPERATION") || a.starts_with("MERGER")) && flip(a) == *b
            }
        };
        let all_found = expected
            .iter()
            .all(|e| got.iter().any(|g| symmetric_same(g, e)));
        let nothing_else = got
            .iter()
            .all(|g| expected.iter().any(|e| symmetric_same(g, e)));
        if !(all_found && nothing_else) {
            failures.push(format!(
                "`{}`: expected {expected:?}, got {got:?}",
                example.text
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `description = antecedent` for every reference of a document.
fn references_as_text(doc: &Document) -> Vec<String> {
    doc.references
        .iter()
        .map(|r| {
            format!(
                "{} = {}",
                doc.slice(r.span),
                doc.slice(doc.mentions[r.antecedent].span)
            )
        })
        .collect()
}

#[test]
fn reference_examples_give_exactly_their_references() {
    let rules = rules();
    assert!(!rules.references.examples.is_empty());
    let mut failures = Vec::new();
    for example in &rules.references.examples {
        let got = references_as_text(&run(&example.text, &rules));
        if got != example.expect {
            failures.push(format!(
                "`{}`: expected {:?}, got {got:?}",
                example.text, example.expect
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
    assert_eq!(member.len(), 1, "{:?}", relations_as_text(&doc));
    let r = member[0];
    assert_eq!(doc.slice(doc.mentions[r.subject].span), "Stadt Celle");
    assert_eq!(doc.slice(doc.mentions[r.object].span), "KDO");
    assert_eq!(r.subject_ref, None);
    assert_eq!(
        r.object_ref.map(|s| doc.slice(s)),
        Some("des Zweckverbands")
    );
}
