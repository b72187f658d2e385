//! `ikz eval` must give the same figures and print the same text as the
//! reference scorer `shared/tools/score.py`.
//!
//! Each case builds a system-output folder from a gold folder, perturbed on
//! purpose (rows dropped, wrong rows added, labels and types changed, white
//! space varied, fields that need CSV quoting), then scores it with both the
//! Rust port and `python3 score.py`, with and without `--json`.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ikz::eval::{Report, score};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// A small deterministic generator, so every run builds the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// True with probability `p` (never for seed 0: the unperturbed case).
    fn chance(&mut self, p: f64) -> bool {
        self.0 != 0 && (self.next() % 10_000) as f64 / 10_000.0 < p
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize].clone()
    }
}

type Row = HashMap<String, String>;

fn read_tsv(path: &Path) -> Vec<Row> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Varies white space the way `ws()` undoes it (so the string still matches).
fn respace(rng: &mut Rng, s: &str) -> String {
    const SPACES: [&str; 7] = ["  ", "\u{a0}", "\t", " \n ", "\u{2009}", "\u{1c}", "\r\n"];
    let mut out = String::from(rng.pick(&[" ", "", "\u{3000}"]));
    for (i, part) in s.split(' ').enumerate() {
        if i > 0 {
            out.push_str(if rng.chance(0.5) {
                rng.pick(&SPACES)
            } else {
                " "
            });
        }
        out.push_str(part);
    }
    out.push_str(rng.pick(&[" ", "", "\t\n"]));
    out
}

const NASTY: [&str; 6] = [
    "Werbung: \"Jetzt\" kaufen, sofort!",
    "Zeile mit, Komma",
    "zwei\nZeilen",
    "\"ganz in Anführungszeichen\"",
    "Semikolon; Tab\tund \"\"doppelt\"\"",
    "Kreis Steinfurt",
];

struct Gold {
    docs: Vec<Row>,
    content: Vec<Row>,
    sentences: Vec<Row>,
    entities: Vec<Row>,
    relations: Vec<Row>,
}

impl Gold {
    fn read(dir: &Path) -> Gold {
        Gold {
            docs: read_tsv(&dir.join("documents.tsv")),
            content: read_tsv(&dir.join("content.tsv")),
            sentences: read_tsv(&dir.join("sentences.tsv")),
            entities: read_tsv(&dir.join("entities.tsv")),
            relations: read_tsv(&dir.join("relations.tsv")),
        }
    }
    fn of<'a>(rows: &'a [Row], doc: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
        rows.iter().filter(move |r| r["doc_id"] == doc)
    }
    fn surfaces(&self, doc: &str, key: &str) -> Vec<String> {
        Self::of(&self.entities, doc)
            .filter(|e| e["key"] == key)
            .flat_map(|e| e["surfaces"].split('|').map(str::to_string))
            .collect()
    }
}

fn write_csv(path: &Path, rng: &mut Rng, header: &[&str], rows: &[Vec<String>]) {
    let mut b = csv::WriterBuilder::new();
    if rng.chance(0.3) {
        b.quote_style(csv::QuoteStyle::Always);
    }
    if rng.chance(0.3) {
        b.terminator(csv::Terminator::CRLF);
    }
    let mut w = b.from_writer(Vec::new());
    w.write_record(header).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    let mut bytes = w.into_inner().expect("flush");
    if rng.chance(0.3) {
        // A blank line after the header: both readers skip it.
        let at = bytes.iter().position(|&b| b == b'\n').expect("header line") + 1;
        bytes.splice(at..at, *b"\n");
    }
    fs::write(path, bytes).expect("write csv");
}

/// Writes a perturbed system output for `gold` into `out`.
fn build_output(gold: &Gold, out: &Path, seed: u64) {
    let rng = &mut Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let labels = ["ORG", "GPE", "LOC", "PER", "ROLE"];
    let types = [
        "COOPERATION",
        "ROLE",
        "MEMBER_OF",
        "IT_PROVIDER_OF",
        "SUPPORTS",
        "MERGED_INTO",
        "MERGER",
    ];
    let (mut docs, mut sents, mut ments, mut rels) = (vec![], vec![], vec![], vec![]);
    let mut doc_ids: Vec<String> = gold.docs.iter().map(|d| d["doc_id"].clone()).collect();
    doc_ids.push("not_in_gold".into());
    for (n, doc) in doc_ids.iter().enumerate() {
        let g = gold.docs.iter().find(|d| &d["doc_id"] == doc);
        let empty = Row::new();
        let g = g.unwrap_or(&empty);
        let get = |k: &str| g.get(k).cloned().unwrap_or_default();
        if rng.chance(0.1) {
            continue; // a missing document
        }
        // documents.csv
        let mut title = get("title");
        if rng.chance(0.15) {
            title.push_str(", \"Sonder\"ausgabe");
        } else if rng.chance(0.2) {
            title = respace(rng, &title);
        }
        let gp = get("published");
        let published = if gp.is_empty() {
            if rng.chance(0.2) {
                "2020-02-02".into()
            } else {
                String::new()
            }
        } else if rng.chance(0.2) {
            format!("{gp}T12:00:00")
        } else if rng.chance(0.1) {
            "2001-01-01".into()
        } else if rng.chance(0.05) {
            String::new()
        } else {
            gp
        };
        let mut kws: Vec<String> = vec![];
        for k in get("keywords").split('|') {
            if k.is_empty() || rng.chance(0.2) {
                continue;
            }
            kws.push(if rng.chance(0.2) {
                respace(rng, k)
            } else {
                k.to_string()
            });
        }
        if rng.chance(0.3) {
            kws.push("Falsch, \"Wort\"".into());
        }
        if rng.chance(0.2) {
            kws.push(" ".into());
        }
        let mut body = vec![];
        for line in Gold::of(&gold.content, doc) {
            let line = &line["line"];
            if rng.chance(0.15) {
                continue;
            }
            body.push(if rng.chance(0.2) {
                respace(rng, line).replace('\n', " ")
            } else {
                line.clone()
            });
            if rng.chance(0.1) {
                body.push(line.clone());
            }
            if rng.chance(0.1) {
                body.push(String::new());
            }
            if rng.chance(0.1) {
                body.push(rng.pick(&NASTY).replace('\n', "\r\n"));
            }
        }
        let row = vec![
            doc.clone(),
            format!("in/{doc}.txt"),
            title,
            published,
            kws.join("|"),
            n.to_string(),
            body.join("\n"),
        ];
        if rng.chance(0.1) {
            // An earlier row for the same document: the last one wins.
            docs.push(vec![
                doc.clone(),
                "x".into(),
                "Falsch".into(),
                "".into(),
                "".into(),
                "0".into(),
                "Falsch".into(),
            ]);
        }
        docs.push(row);

        // sentences.csv
        for (i, s) in Gold::of(&gold.sentences, doc).enumerate() {
            let s = &s["sentence"];
            if rng.chance(0.15) {
                continue;
            }
            let text = if rng.chance(0.1) {
                s.chars().take(s.chars().count() / 2).collect()
            } else if rng.chance(0.2) {
                respace(rng, s)
            } else {
                s.clone()
            };
            let repeat = if rng.chance(0.1) { 2 } else { 1 };
            for _ in 0..repeat {
                sents.push(vec![
                    doc.clone(),
                    i.to_string(),
                    "0".into(),
                    "1".into(),
                    text.clone(),
                ]);
            }
            if rng.chance(0.08) {
                sents.push(vec![
                    doc.clone(),
                    i.to_string(),
                    "0".into(),
                    "1".into(),
                    rng.pick(&NASTY).to_string(),
                ]);
            }
        }
        if rng.chance(0.2) {
            sents.push(vec![
                doc.clone(),
                "99".into(),
                "0".into(),
                "0".into(),
                String::new(),
            ]);
        }

        // mentions.csv
        let mut mention = |text: String, label: &str| {
            let i = ments.len();
            ments.push(vec![
                doc.clone(),
                i.to_string(),
                "0".into(),
                "0".into(),
                "1".into(),
                text.clone(),
                label.to_string(),
                format!("x:{i}"),
                format!("{text}, kanonisch"),
                "pattern".into(),
                "r1".into(),
            ]);
        };
        for e in Gold::of(&gold.entities, doc) {
            for surf in e["surfaces"].split('|') {
                if rng.chance(0.2) {
                    continue;
                }
                let label = if rng.chance(0.1) {
                    rng.pick(&labels).to_string()
                } else {
                    e["label"].clone()
                };
                let words: Vec<&str> = surf.split(' ').collect();
                let text = if rng.chance(0.1) && words.len() > 1 {
                    words[0].to_string() // lenient hit only
                } else if rng.chance(0.1) {
                    format!("die {surf} GmbH") // lenient hit only
                } else if rng.chance(0.05) {
                    format!("{surf}er") // no hit: not at a word boundary
                } else if rng.chance(0.1) {
                    respace(rng, surf)
                } else {
                    surf.to_string()
                };
                mention(text, &label);
                if rng.chance(0.1) {
                    mention(surf.to_string(), &label); // a duplicate
                }
            }
        }
        for _ in 0..(rng.next() % 4) {
            let text = rng.pick(&NASTY).to_string();
            let label = rng.pick(&labels).to_string();
            mention(text, &label);
        }
        if rng.chance(0.1) {
            mention("Münster".into(), "NEWLABEL");
        }

        // relations.csv
        let mut relation = |t: &str, s: String, o: String, role: String| {
            let i = rels.len();
            rels.push(vec![
                doc.clone(),
                i.to_string(),
                "0".into(),
                t.to_string(),
                "s:1".into(),
                s.clone(),
                "ORG".into(),
                "o:1".into(),
                o.clone(),
                "ORG".into(),
                role,
                "und".into(),
                "2016-12-13".into(),
                "rel1".into(),
                format!("\"{s}\" und {o},\nzusammen"),
            ]);
        };
        for r in Gold::of(&gold.relations, doc) {
            if rng.chance(0.15) {
                continue;
            }
            let surface = |rng: &mut Rng, key: &str| {
                let s = gold.surfaces(doc, key);
                if s.is_empty() {
                    key.to_string()
                } else {
                    rng.pick(&s).clone()
                }
            };
            let mut s = surface(rng, &r["subject"]);
            let mut o = surface(rng, &r["object"]);
            if rng.chance(0.1) {
                s = format!("der {s}");
            }
            if rng.chance(0.15) {
                std::mem::swap(&mut s, &mut o);
            }
            if rng.chance(0.1) {
                o = respace(rng, &o);
            }
            let t = if rng.chance(0.1) {
                rng.pick(&types).to_string()
            } else {
                r["type"].clone()
            };
            let gold_role = r.get("role").cloned().unwrap_or_default();
            let role = if rng.chance(0.1) {
                gold_role.split(' ').next().unwrap_or("").to_string()
            } else if rng.chance(0.1) {
                "Pressesprecher, \"kommissarisch\"".into()
            } else if t != "ROLE" && rng.chance(0.1) {
                "unnötig".into()
            } else {
                gold_role
            };
            let repeat = if rng.chance(0.1) { 2 } else { 1 };
            for _ in 0..repeat {
                relation(&t, s.clone(), o.clone(), role.clone());
            }
        }
        for _ in 0..(rng.next() % 3) {
            let t = rng.pick(&types).to_string();
            relation(
                &t,
                rng.pick(&NASTY).to_string(),
                rng.pick(&NASTY).to_string(),
                String::new(),
            );
        }
    }
    write_csv(
        &out.join("documents.csv"),
        rng,
        &[
            "doc_id",
            "source",
            "title",
            "published",
            "keywords",
            "n_sentences",
            "body",
        ],
        &docs,
    );
    write_csv(
        &out.join("sentences.csv"),
        rng,
        &["doc_id", "sentence_idx", "start", "end", "text"],
        &sents,
    );
    write_csv(
        &out.join("mentions.csv"),
        rng,
        &[
            "doc_id",
            "mention_idx",
            "sentence_idx",
            "start",
            "end",
            "text",
            "label",
            "entity_id",
            "canonical",
            "method",
            "rule_id",
        ],
        &ments,
    );
    write_csv(
        &out.join("relations.csv"),
        rng,
        &[
            "doc_id",
            "relation_idx",
            "sentence_idx",
            "type",
            "subject_id",
            "subject_text",
            "subject_label",
            "object_id",
            "object_text",
            "object_label",
            "role",
            "trigger",
            "published",
            "rule_id",
            "evidence",
        ],
        &rels,
    );
}

fn python(out: &Path, gold: &Path, json: bool) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(shared().join("tools/score.py"))
        .arg("--out")
        .arg(out)
        .arg("--gold")
        .arg(gold);
    if json {
        cmd.arg("--json");
    }
    let res = cmd
        .output()
        .expect("python3 must be installed to run the reference scorer");
    assert!(
        res.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    String::from_utf8(res.stdout).expect("score.py prints UTF-8")
}

/// Scores `out` both ways and asserts that every figure and the text agree.
fn assert_same(out: &Path, gold: &Path) -> Report {
    let report = score(out, gold).expect("the Rust scorer");
    let py_json = python(out, gold, true);
    let py: serde_json::Value = serde_json::from_str(&py_json).expect("score.py --json");
    let rs = serde_json::to_value(&report).expect("serialise report");
    assert_eq!(rs, py, "figures differ for {}", out.display());
    assert_eq!(
        format!("{}\n", report.to_json()),
        py_json,
        "JSON text differs"
    );
    assert_eq!(
        report.to_string(),
        python(out, gold, false),
        "table differs"
    );
    report
}

#[test]
fn perturbed_outputs_score_like_score_py() {
    let mut ratios = vec![];
    for gold_dir in ["gold", "dev/gold"] {
        let gold_dir = shared().join(gold_dir);
        let gold = Gold::read(&gold_dir);
        for seed in 0..12 {
            let tmp = tempfile::tempdir().expect("temp dir");
            build_output(&gold, tmp.path(), seed);
            let report = assert_same(tmp.path(), &gold_dir);
            if seed == 0 {
                // The unperturbed copy of the gold is found in full.
                assert_eq!(report.missing_documents, Vec::<String>::new());
                assert_eq!(report.content.r, 1.0);
                assert_eq!(report.entities_strict.r, 1.0);
                assert_eq!(report.relations.r, 1.0);
            } else {
                ratios.push(report.entities_strict.p);
                ratios.push(report.relations.r);
            }
        }
    }
    // The perturbations must make the scorer work, not give 1 or 0 everywhere.
    assert!(ratios.iter().any(|&x| x > 0.0 && x < 1.0));
}

#[test]
fn empty_output_scores_like_score_py() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let heads = [
        ("documents.csv", "doc_id,title,published,keywords,body\n"),
        ("sentences.csv", "doc_id,text\n"),
        ("mentions.csv", "doc_id,text,label\n"),
        ("relations.csv", "doc_id,type,subject_text,object_text\n"),
    ];
    for (name, head) in heads {
        fs::write(tmp.path().join(name), head).expect("write");
    }
    let gold = shared().join("gold");
    let report = assert_same(tmp.path(), &gold);
    assert_eq!(report.missing_documents.len(), report.documents);
}

#[test]
fn missing_file_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let err = score(tmp.path(), &shared().join("gold")).expect_err("no output tables");
    assert!(err.to_string().contains("documents.csv"), "{err}");
    let err = score(tmp.path(), tmp.path()).expect_err("no gold tables");
    assert!(err.to_string().contains("content.tsv"), "{err}");
}

/// Scoring a folder that holds other pages than the gold's says so (the
/// scores themselves stay those of score.py: all 0).
#[test]
fn scoring_the_output_of_other_pages_warns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("utf-8");
    let run = common::ikz(&["extract", "../shared/dev/docs", "--out", out_arg, "-q"]);
    assert!(run.status.success());
    let eval = common::ikz(&["eval", "--out", out_arg, "--gold", "../shared/gold"]);
    assert!(eval.status.success());
    let stderr = String::from_utf8_lossy(&eval.stderr);
    assert!(
        stderr.contains("none of the 5 gold documents is in"),
        "{stderr}"
    );
    assert!(stderr.contains("made from ../shared/dev/docs"), "{stderr}");
    let fine = common::ikz(&["eval", "--out", out_arg, "--gold", "../shared/dev/gold"]);
    assert!(!String::from_utf8_lossy(&fine.stderr).contains("warning"));
}
