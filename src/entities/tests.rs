//! End-to-end checks of the entity stage on short texts, through the real
//! rules and data.

use super::*;
use crate::pipeline::Rules;

fn mentions(text: &str) -> Vec<(String, &'static str, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rules = Rules::load(Some(&root.join("rules")), Some(&root.join("data"))).unwrap();
    let sentences = crate::sentences::split(text, &[], &rules.sentences);
    recognise(text, &sentences, &rules.entities)
        .into_iter()
        .map(|m| {
            (
                text[m.span.start..m.span.end].to_string(),
                m.entity.label.as_str(),
                m.entity.id.clone(),
            )
        })
        .collect()
}

fn has(found: &[(String, &str, String)], text: &str, label: &str) -> bool {
    found.iter().any(|(t, l, _)| t == text && *l == label)
}

#[test]
fn places_take_their_prefix_and_official_key() {
    let found =
        mentions("Die Stadt Münster und der Kreis Steinfurt planen mit Thüringens Kommunen.");
    assert!(
        found.contains(&("Stadt Münster".into(), "GPE", "ags:05515000".into())),
        "{found:?}"
    );
    assert!(has(&found, "Kreis Steinfurt", "GPE"), "{found:?}");
    assert!(has(&found, "Thüringens", "GPE"), "{found:?}");
    assert!(!has(&found, "Münster", "GPE"));
}

#[test]
fn ambiguous_place_names_need_a_cue() {
    let found = mentions("Das Wissen der Verwaltung wächst, sagt man in Wissen.");
    let wissen: Vec<_> = found.iter().filter(|(t, _, _)| t == "Wissen").collect();
    assert_eq!(wissen.len(), 1, "{found:?}");
}

#[test]
fn organisations_from_lists_patterns_and_acronyms() {
    let found = mentions(
        "Der Zweckverband Kommunale Informationsverarbeitung Beispieltal und die Muster GmbH arbeiten mit dem Nationalen E-Government Kompetenzzentrum (NEGZ) und der ekom21 GmbH. Das NEGZ lädt ein.",
    );
    assert!(
        has(
            &found,
            "Zweckverband Kommunale Informationsverarbeitung Beispieltal",
            "ORG"
        ),
        "{found:?}"
    );
    assert!(has(&found, "Muster GmbH", "ORG"), "{found:?}");
    assert!(has(&found, "ekom21 GmbH", "ORG"), "{found:?}");
    let negz: Vec<_> = found.iter().filter(|(t, _, _)| t == "NEGZ").collect();
    assert_eq!(negz.len(), 2, "{found:?}");
    assert!(
        negz.iter()
            .all(|(_, l, id)| *l == "ORG" && id == &negz[0].2)
    );
}

#[test]
fn persons_and_roles_with_modifiers() {
    let found = mentions(
        "Erste Beigeordnete Petra Schulz und Landrat Hans-Peter Meier (Verbandsvorsteher der KDVZ Citkomm) kamen; Schulz sprach.",
    );
    assert!(has(&found, "Erste Beigeordnete", "ROLE"), "{found:?}");
    assert!(has(&found, "Petra Schulz", "PER"), "{found:?}");
    assert!(has(&found, "Hans-Peter Meier", "PER"), "{found:?}");
    assert!(has(&found, "Verbandsvorsteher", "ROLE"), "{found:?}");
    assert!(has(&found, "KDVZ Citkomm", "ORG"), "{found:?}");
    let schulz: Vec<_> = found
        .iter()
        .filter(|(t, _, _)| t.contains("Schulz"))
        .map(|(_, _, id)| id)
        .collect();
    assert_eq!(schulz, ["per:petra-schulz", "per:petra-schulz"]);
}

#[test]
fn roles_without_a_person_in_the_sentence_are_no_mentions() {
    let found = mentions("Landräte und Bürgermeister beraten. Bürgermeister Klaus Weber eröffnet.");
    let roles: Vec<_> = found
        .iter()
        .filter(|(_, l, _)| *l == "ROLE")
        .map(|(t, _, _)| t.as_str())
        .collect();
    assert_eq!(roles, ["Bürgermeister"]);
}

#[test]
fn leftmost_longest_search_takes_the_longer_name_and_skips_overlaps() {
    use super::words::find_leftmost_longest;
    let text = "Der KDO-Verbund und KDO; dann KDOV, zuletzt KKDO.";
    let found = find_leftmost_longest(text, &["KDO", "KDOV", "KKDO", "DOV"]);
    let as_text: Vec<(&str, usize)> = found
        .iter()
        .map(|(span, i)| (&text[span.start..span.end], *i))
        .collect();
    // `KDOV` wins over `KDO` at the same start, and `DOV` inside it is not
    // reported; `KKDO` wins over the `KDO` that starts one byte later.
    assert_eq!(as_text, [("KDO", 0), ("KDO", 0), ("KDOV", 1), ("KKDO", 2)]);
    assert!(find_leftmost_longest(text, &[]).is_empty());
    assert!(find_leftmost_longest(text, &[""]).is_empty());
}

#[test]
fn a_defined_acronym_and_a_full_name_are_found_again_later() {
    let found = mentions(
        "Die Kommunale Datenverarbeitung Oldenburg (KDO) betreut die Stadt Vechta. \
         Petra Schulz leitet die KDO seit 2020. Die KDO-Zentrale liegt in Oldenburg, \
         sagte Petra Schulz.",
    );
    let kdo = found
        .iter()
        .filter(|(t, l, _)| t == "KDO" && *l == "ORG")
        .count();
    assert!(kdo >= 2, "{found:?}");
    let petra = found
        .iter()
        .filter(|(t, l, _)| t == "Petra Schulz" && *l == "PER")
        .count();
    assert_eq!(petra, 2, "{found:?}");
}
