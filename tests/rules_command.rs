//! `ikz rules test` and `ikz rules check` run every rule's examples: on the
//! repository's rules all pass; a broken example is printed as
//! `file:line: rule: expected … got …` with exit status 1, and a rule
//! without examples does not load.

mod common;

use std::path::Path;

use common::{ikz, root};

/// A copy of `rules/` with `edit` applied to one file.
fn rules_with(dir: &Path, file: &str, edit: impl Fn(String) -> String) -> String {
    let copy = dir.join("rules");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for entry in std::fs::read_dir(root().join("rules")).expect("rules") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        std::fs::copy(&path, copy.join(&name)).expect("copy");
    }
    let path = copy.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&path, edited).expect("write");
    copy.to_str().expect("utf-8").to_string()
}

/// The 1-based line of the first occurrence of `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("read");
    let at = text.find(needle).expect("needle in file");
    text[..at].matches('\n').count() + 1
}

#[test]
fn the_repository_rules_pass_all_their_examples() {
    for action in ["test", "check"] {
        let run = ikz(&["rules", action]);
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{action}: {stdout}");
        let last = stdout.lines().last().unwrap_or_default();
        assert!(last.starts_with("ikz: rules are valid; "), "{last}");
        assert!(last.ends_with(" examples pass"), "{last}");
    }
}

#[test]
fn broken_examples_are_named_by_file_line_and_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A relation example that expects a party the sentence does not name,
    // an entity pattern that must find a name it cannot, a drop rule whose
    // example line it does not drop.
    let relations = rules_with(dir.path(), "relations.toml", |t| {
        t.replacen("\"KDO | ITEBO\"", "\"KDO | KIV\"", 1)
    });
    let entities = rules_with(&dir.path().join("e"), "entities.toml", |t| {
        t.replacen(
            "expect = [\"Datawerk GmbH\"]",
            "expect = [\"Datawerk AG\"]",
            1,
        )
    });
    let boilerplate = rules_with(&dir.path().join("b"), "boilerplate.toml", |t| {
        t.replacen("\"Zum Inhalt springen\"", "\"Zum Inhalt des Vertrags\"", 1)
    });
    let cases = [
        (
            &relations,
            "relations.toml",
            "\"KDO | KIV\"",
            "expected [\"KDO | KIV\"] got [\"ITEBO | KDO\"]",
        ),
        (
            &entities,
            "entities.toml",
            "Datawerk AG",
            "org-rechtsform: `Die Datawerk GmbH betreut 40 Gemeinden.`: expected [\"Datawerk AG\"] got [\"Datawerk GmbH\"]",
        ),
        (
            &boilerplate,
            "boilerplate.toml",
            "Zum Inhalt des Vertrags",
            "navigation: `Zum Inhalt des Vertrags`: expected drop:navigation got no rule (kept)",
        ),
    ];
    for (folder, file, needle, message) in cases {
        let line = line_of(&Path::new(folder).join(file), needle);
        for action in ["test", "check"] {
            let run = ikz(&["rules", action, "--rules", folder]);
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert_eq!(run.status.code(), Some(1), "{action} {file}: {stdout}");
            let failures: Vec<&str> = stdout
                .lines()
                .filter(|l| l.contains(": expected "))
                .collect();
            assert_eq!(failures.len(), 1, "{stdout}");
            let prefix = format!("{folder}/{file}:{line}: ");
            assert!(
                failures[0].starts_with(&prefix),
                "{} does not start with {prefix}",
                failures[0]
            );
            assert!(
                failures[0].contains(message),
                "{}\nwanted: {message}",
                failures[0]
            );
            assert!(
                stdout.contains("; 1 of ") && stdout.contains(" examples failed"),
                "{stdout}"
            );
        }
    }
}

#[test]
fn a_rule_without_examples_does_not_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = rules_with(dir.path(), "boilerplate.toml", |t| {
        t.replacen("examples = [\"Anzeige\"]\n", "", 1)
    });
    let run = ikz(&["rules", "test", "--rules", &folder]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("boilerplate.toml:"), "{stderr}");
    assert!(stderr.contains("examples"), "{stderr}");
}

#[test]
fn an_example_that_expects_nothing_does_not_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = rules_with(dir.path(), "entities.toml", |t| {
        t.replacen("expect = [\"Datawerk GmbH\"]", "expect = []", 1)
    });
    let run = ikz(&["rules", "test", "--rules", &folder]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("org-rechtsform") && stderr.contains("lists no mention"),
        "{stderr}"
    );
}

#[test]
fn a_mistyped_frame_is_named_at_its_own_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = rules_with(dir.path(), "triggers.toml", |t| {
        t + "\n[[trigger]]\ntype = \"COOPERATION\"\nframes = [\"parties-befor\"]\nwords = ['teilen sich']\n"
    });
    let file = Path::new(&folder).join("triggers.toml");
    let line = line_of(&file, "\"parties-befor\"");
    let run = ikz(&["rules", "check", "--rules", &folder]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    let at = format!("triggers.toml:{line}:");
    assert!(
        stderr.contains(&at) && stderr.contains("the frames are parties-before"),
        "{stderr}"
    );
}

#[test]
fn an_organisation_may_not_take_the_id_of_an_it_provider() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = rules_with(dir.path(), "organisations.tsv", |t| {
        t + "org:kdo\tDatenwerk Nord\tDWN\tIT-Dienstleister\tORG\n"
    });
    let file = Path::new(&folder).join("organisations.tsv");
    let line = line_of(&file, "org:kdo\tDatenwerk Nord");
    let run = ikz(&["rules", "check", "--rules", &folder]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "organisations.tsv:{line}:1: duplicate id `org:kdo` (also in "
        )) && stderr.contains("it_dienstleister.tsv)"),
        "{stderr}"
    );
}

#[test]
fn a_mistyped_macro_is_named_as_such() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = rules_with(dir.path(), "relations.toml", |t| {
        let at = t.find("\npattern = ").expect("a pattern");
        let (head, tail) = t.split_at(at);
        format!("{head}{}", tail.replacen("{PARTY}", "{PARTYS}", 1))
    });
    let run = ikz(&["rules", "check", "--rules", &folder]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown macro `{PARTYS}`; the macros are {TRIGGER}"),
        "{stderr}"
    );
    let line = line_of(&Path::new(&folder).join("relations.toml"), "{PARTYS}");
    assert!(
        stderr.contains(&format!("relations.toml:{line}:")),
        "{stderr}"
    );
}
