//! Round trip of the output tables: a hand-built German document with
//! umlauts and multi-byte quotes is written in both formats, then the
//! Parquet files are read back and checked against the exact schema of
//! DESIGN.md ("Output tables"), the character offsets against the body, and
//! the CSV files for their headers and a few values.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Date32Type, Field, Int32Type, Int64Type};
use chrono::NaiveDate;
use ikz::model::*;
use ikz::tables::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

mod common;

const BODY: &str = "„Die Stadt Münster und der Landschaftsverband Westfalen-Lippe (LWL) kooperieren.“ \
Oberbürgermeister Markus Lewe lobt das. (bs)";

type Error = Box<dyn std::error::Error>;
type Res = Result<(), Error>;
/// A table's expected columns: name, Arrow type, nullable.
type Columns = Vec<(&'static str, DataType, bool)>;
/// A CSV file: header and records.
type CsvTable = (Vec<String>, Vec<Vec<String>>);

fn entity(
    id: &str,
    label: Label,
    canonical: &str,
    kind: Option<&str>,
    ext: Option<&str>,
) -> Arc<EntityInfo> {
    Arc::new(EntityInfo {
        id: id.to_owned(),
        label,
        canonical: canonical.to_owned(),
        kind: kind.map(str::to_owned),
        external_id: ext.map(str::to_owned),
    })
}

/// The byte span of the `nth` occurrence of `needle` in `body`.
fn span_of(body: &str, needle: &str, nth: usize) -> Span {
    let (start, _) = body.match_indices(needle).nth(nth).expect("needle in body");
    Span::new(start, start + needle.len())
}

fn mention(
    body: &str,
    text: &str,
    sentence_idx: usize,
    entity: &Arc<EntityInfo>,
    method: Method,
    rule: &str,
) -> Mention {
    Mention {
        span: span_of(body, text, 0),
        sentence_idx,
        entity: Arc::clone(entity),
        method,
        rule_id: rule.to_owned(),
    }
}

fn documents() -> Vec<Document> {
    let muenster = entity(
        "ags:05515000",
        Label::Gpe,
        "Münster",
        Some("Stadt"),
        Some("05515000"),
    );
    let lwl = entity(
        "org:lwl",
        Label::Org,
        "Landschaftsverband Westfalen-Lippe",
        Some("Verband"),
        None,
    );
    let ob = entity(
        "role:oberbuergermeister",
        Label::Role,
        "Oberbürgermeister",
        None,
        None,
    );
    let lewe = entity("per:markus-lewe", Label::Per, "Markus Lewe", None, None);

    let s0_end = BODY.find('“').expect("closing quote") + '“'.len_utf8();
    let s1_start = BODY.find("Oberbürgermeister").expect("role");
    let s1_end = BODY.find("das.").expect("das") + "das.".len();
    let first = Document {
        doc_id: "2016/lwl-muenster".to_owned(),
        source: "seeds/2016/lwl-muenster.txt".to_owned(),
        encoding: "UTF-8".to_owned(),
        text: format!(
            "Startseite\nMünster und LWL kooperieren\n[13.12.2016]\n{BODY}\nStichwörter: Kooperation, Münster, LWL\n"
        ),
        body: BODY.to_owned(),
        non_sentence: vec![span_of(BODY, "(bs)", 0)],
        meta: Metadata {
            title: Some("Münster und LWL kooperieren".to_owned()),
            published: NaiveDate::from_ymd_opt(2016, 12, 13),
            keywords: vec!["Kooperation".into(), "Münster".into(), "LWL".into()],
            image_credit: Some("Stadt Münster".to_owned()),
            author: Some("bs".to_owned()),
        },
        sentences: vec![
            Sentence {
                span: Span::new(0, s0_end),
            },
            Sentence {
                span: Span::new(s1_start, s1_end),
            },
        ],
        mentions: vec![
            mention(
                BODY,
                "Stadt Münster",
                0,
                &muenster,
                Method::Gazetteer,
                "gaz:gemeinden",
            ),
            mention(
                BODY,
                "Landschaftsverband Westfalen-Lippe",
                0,
                &lwl,
                Method::Gazetteer,
                "gaz:org",
            ),
            mention(BODY, "LWL", 0, &lwl, Method::Acronym, "acronym"),
            mention(
                BODY,
                "Oberbürgermeister",
                1,
                &ob,
                Method::Gazetteer,
                "gaz:roles",
            ),
            mention(
                BODY,
                "Markus Lewe",
                1,
                &lewe,
                Method::Pattern,
                "pat:role-name",
            ),
        ],
        relations: vec![
            Relation {
                kind: RelationType::Cooperation,
                sentence_idx: 0,
                subject: 0,
                object: 1,
                subject_ref: None,
                object_ref: None,
                role: None,
                trigger: "kooperieren".to_owned(),
                rule_id: "rel:coop-verb".to_owned(),
            },
            Relation {
                kind: RelationType::Role,
                sentence_idx: 1,
                subject: 4,
                object: 0,
                subject_ref: None,
                // As if `das` were a description resolved to Stadt Münster.
                object_ref: Some(span_of(BODY, "das.", 0)),
                role: Some(3),
                trigger: "Oberbürgermeister".to_owned(),
                rule_id: "rel:role-title".to_owned(),
            },
        ],
        references: Vec::new(),
    };

    // An all-ASCII body with no metadata: nulls, an empty list, the ASCII path.
    let body2 = "Der LWL hilft. Auch Muenster hilft.";
    let second = Document {
        doc_id: "2017/hilfe".to_owned(),
        source: "seeds/2017/hilfe.txt".to_owned(),
        encoding: "windows-1252".to_owned(),
        text: body2.to_owned(),
        body: body2.to_owned(),
        sentences: vec![
            Sentence {
                span: Span::new(0, 14),
            },
            Sentence {
                span: Span::new(15, body2.len()),
            },
        ],
        mentions: vec![
            mention(body2, "LWL", 0, &lwl, Method::Alias, "alias"),
            mention(
                body2,
                "Muenster",
                1,
                &muenster,
                Method::Gazetteer,
                "gaz:gemeinden",
            ),
        ],
        ..Document::default()
    };
    vec![first, second]
}

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        Diagnostic {
            source: "seeds/kaputt.bin".to_owned(),
            doc_id: None,
            severity: Severity::Error,
            stage: "decode".to_owned(),
            message: "not text; skipped".to_owned(),
        },
        Diagnostic {
            source: "seeds/2017/hilfe.txt".to_owned(),
            doc_id: Some("2017/hilfe".to_owned()),
            severity: Severity::Warning,
            stage: "decode".to_owned(),
            message: "decoded as windows-1252, \"Ü\" guessed".to_owned(),
        },
    ]
}

fn write_all(dir: &Path) -> Res {
    let mut writer = TableWriter::create(
        dir,
        Formats {
            parquet: true,
            csv: true,
            ..Formats::ALL
        },
    )?;
    let docs = documents();
    writer.write_document(&docs[0])?;

    // A document with a span inside a character is refused whole; the run goes on.
    let mut broken = docs[0].clone();
    broken.doc_id = "broken".to_owned();
    broken.sentences[1].span.start = BODY.find('ü').expect("ü") + 1;
    let err = writer
        .write_document(&broken)
        .expect_err("bad span refused");
    assert!(format!("{err:#}").contains("broken"), "{err:#}");

    writer.write_document(&docs[1])?;
    for d in diagnostics() {
        writer.write_diagnostic(&d)?;
    }
    writer.finish()?;
    Ok(())
}

fn list_utf8() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, false)))
}

/// The schema DESIGN.md fixes, written out independently of the crate.
fn expected_schemas() -> Vec<(&'static str, Columns)> {
    use DataType::{Date32, Int32, Int64, Utf8};
    vec![
        (
            "documents",
            vec![
                ("doc_id", Utf8, false),
                ("source", Utf8, false),
                ("title", Utf8, true),
                ("published", Date32, true),
                ("keywords", list_utf8(), false),
                ("image_credit", Utf8, true),
                ("author", Utf8, true),
                ("encoding", Utf8, false),
                ("chars_source", Int64, false),
                ("chars_body", Int64, false),
                ("n_sentences", Int32, false),
                ("n_mentions", Int32, false),
                ("n_relations", Int32, false),
                ("body", Utf8, false),
            ],
        ),
        (
            "sentences",
            vec![
                ("doc_id", Utf8, false),
                ("sentence_idx", Int32, false),
                ("start", Int32, false),
                ("end", Int32, false),
                ("text", Utf8, false),
            ],
        ),
        (
            "mentions",
            vec![
                ("doc_id", Utf8, false),
                ("mention_idx", Int32, false),
                ("sentence_idx", Int32, false),
                ("start", Int32, false),
                ("end", Int32, false),
                ("text", Utf8, false),
                ("label", Utf8, false),
                ("entity_id", Utf8, false),
                ("canonical", Utf8, false),
                ("method", Utf8, false),
                ("rule_id", Utf8, false),
            ],
        ),
        (
            "entities",
            vec![
                ("entity_id", Utf8, false),
                ("label", Utf8, false),
                ("canonical", Utf8, false),
                ("kind", Utf8, true),
                ("external_id", Utf8, true),
                ("n_mentions", Int64, false),
                ("n_docs", Int64, false),
                ("surfaces", list_utf8(), false),
            ],
        ),
        (
            "relations",
            vec![
                ("doc_id", Utf8, false),
                ("relation_idx", Int32, false),
                ("sentence_idx", Int32, false),
                ("type", Utf8, false),
                ("subject_id", Utf8, false),
                ("subject_text", Utf8, false),
                ("subject_label", Utf8, false),
                ("object_id", Utf8, false),
                ("object_text", Utf8, false),
                ("object_label", Utf8, false),
                ("role", Utf8, true),
                ("trigger", Utf8, false),
                ("published", Date32, true),
                ("rule_id", Utf8, false),
                ("evidence", Utf8, false),
                ("subject_ref", Utf8, true),
                ("object_ref", Utf8, true),
                ("role_id", Utf8, true),
            ],
        ),
        (
            "diagnostics",
            vec![
                ("source", Utf8, false),
                ("doc_id", Utf8, true),
                ("severity", Utf8, false),
                ("stage", Utf8, false),
                ("message", Utf8, false),
            ],
        ),
    ]
}

/// Reads a Parquet file back as one batch.
fn read_parquet(path: &Path) -> Result<RecordBatch, Error> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path)?)?;
    let schema = builder.schema().clone();
    let reader = builder.build()?;
    let batches = reader.collect::<Result<Vec<_>, _>>()?;
    Ok(arrow::compute::concat_batches(&schema, &batches)?)
}

fn strings(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let col = batch
        .column_by_name(name)
        .expect("column")
        .as_string::<i32>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i).to_owned()))
        .collect()
}

fn texts(batch: &RecordBatch, name: &str) -> Vec<String> {
    strings(batch, name)
        .into_iter()
        .map(|s| s.expect("non-null"))
        .collect()
}

fn ints(batch: &RecordBatch, name: &str) -> Vec<i64> {
    let col = batch.column_by_name(name).expect("column");
    match col.data_type() {
        DataType::Int32 => col
            .as_primitive::<Int32Type>()
            .values()
            .iter()
            .map(|&v| i64::from(v))
            .collect(),
        DataType::Int64 => col.as_primitive::<Int64Type>().values().to_vec(),
        other => panic!("{name} is {other:?}"),
    }
}

fn dates(batch: &RecordBatch, name: &str) -> Vec<Option<i32>> {
    let col = batch
        .column_by_name(name)
        .expect("column")
        .as_primitive::<Date32Type>();
    (0..col.len())
        .map(|i| col.is_valid(i).then(|| col.value(i)))
        .collect()
}

fn lists(batch: &RecordBatch, name: &str) -> Vec<Vec<String>> {
    let col = batch.column_by_name(name).expect("column").as_list::<i32>();
    (0..col.len())
        .map(|i| {
            let items = col.value(i);
            let items = items.as_string::<i32>();
            (0..items.len())
                .map(|j| items.value(j).to_owned())
                .collect()
        })
        .collect()
}

/// `body[start:end]` as Python computes it.
fn char_slice(body: &str, start: i64, end: i64) -> String {
    let (start, end) = (start as usize, end as usize);
    body.chars().skip(start).take(end - start).collect()
}

#[test]
fn parquet_schema_offsets_and_values() -> Res {
    let tmp = tempfile::tempdir()?;
    write_all(tmp.path())?;

    let mut names: Vec<String> = fs::read_dir(tmp.path())?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    let mut want: Vec<String> = expected_schemas()
        .iter()
        .flat_map(|(t, _)| [format!("{t}.csv"), format!("{t}.parquet")])
        .chain(["datapackage.json".to_string()])
        .collect();
    want.sort();
    assert_eq!(
        names, want,
        "exactly the twelve files and the data package, no leftovers"
    );

    let mut tables = HashMap::new();
    for (table, columns) in expected_schemas() {
        let batch = read_parquet(&tmp.path().join(format!("{table}.parquet")))?;
        let got: Vec<(String, DataType, bool)> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
            .collect();
        let want: Vec<(String, DataType, bool)> = columns
            .into_iter()
            .map(|(n, t, null)| (n.to_owned(), t, null))
            .collect();
        assert_eq!(got, want, "schema of {table}");
        tables.insert(table, batch);
    }

    // documents
    let docs = &tables["documents"];
    assert_eq!(docs.num_rows(), 2);
    assert_eq!(texts(docs, "doc_id"), ["2016/lwl-muenster", "2017/hilfe"]);
    assert_eq!(
        strings(docs, "title"),
        [Some("Münster und LWL kooperieren".into()), None]
    );
    assert_eq!(dates(docs, "published"), [Some(17148), None]); // 2016-12-13
    assert_eq!(
        lists(docs, "keywords")[0],
        ["Kooperation", "Münster", "LWL"]
    );
    assert!(lists(docs, "keywords")[1].is_empty());
    assert_eq!(strings(docs, "author"), [Some("bs".into()), None]);
    assert_eq!(ints(docs, "chars_body"), [BODY.chars().count() as i64, 35]);
    let source_chars = documents()[0].text.chars().count() as i64;
    assert_eq!(ints(docs, "chars_source"), [source_chars, 35]);
    assert_eq!(ints(docs, "n_sentences"), [2, 2]);
    assert_eq!(ints(docs, "n_mentions"), [5, 2]);
    assert_eq!(ints(docs, "n_relations"), [2, 0]);
    let bodies: HashMap<String, String> = texts(docs, "doc_id")
        .into_iter()
        .zip(texts(docs, "body"))
        .collect();
    assert_eq!(bodies["2016/lwl-muenster"], BODY);

    // character offsets: body[start:end] == text for every sentence and mention
    for table in ["sentences", "mentions"] {
        let t = &tables[table];
        let rows = texts(t, "doc_id")
            .into_iter()
            .zip(ints(t, "start"))
            .zip(ints(t, "end"))
            .zip(texts(t, "text"));
        for (((doc_id, start), end), text) in rows {
            assert_eq!(
                char_slice(&bodies[&doc_id], start, end),
                text,
                "{table} {doc_id}"
            );
        }
    }
    let sentences = &tables["sentences"];
    assert_eq!(ints(sentences, "sentence_idx"), [0, 1, 0, 1]);
    assert_eq!(ints(sentences, "start"), [0, 82, 0, 15]);
    assert_eq!(ints(sentences, "end"), [81, 121, 14, 35]);

    let mentions = &tables["mentions"];
    assert_eq!(texts(mentions, "text")[0], "Stadt Münster");
    assert_eq!(ints(mentions, "start")[..3], [5, 27, 63]);
    assert_eq!(ints(mentions, "end")[..3], [18, 61, 66]);
    assert_eq!(ints(mentions, "mention_idx"), [0, 1, 2, 3, 4, 0, 1]);
    assert_eq!(ints(mentions, "sentence_idx"), [0, 0, 0, 1, 1, 0, 1]);
    assert_eq!(
        texts(mentions, "label"),
        ["GPE", "ORG", "ORG", "ROLE", "PER", "ORG", "GPE"]
    );
    assert_eq!(texts(mentions, "canonical")[6], "Münster");
    assert_eq!(
        texts(mentions, "method"),
        [
            "gazetteer",
            "gazetteer",
            "acronym",
            "gazetteer",
            "pattern",
            "alias",
            "gazetteer"
        ]
    );

    // relations
    let rel = &tables["relations"];
    assert_eq!(texts(rel, "type"), ["COOPERATION", "ROLE"]);
    assert_eq!(
        texts(rel, "subject_id"),
        ["ags:05515000", "per:markus-lewe"]
    );
    assert_eq!(texts(rel, "subject_text"), ["Stadt Münster", "Markus Lewe"]);
    assert_eq!(texts(rel, "object_label"), ["ORG", "GPE"]);
    assert_eq!(
        strings(rel, "role"),
        [None, Some("Oberbürgermeister".into())]
    );
    assert_eq!(dates(rel, "published"), [Some(17148), Some(17148)]);
    assert_eq!(strings(rel, "subject_ref"), [None, None]);
    assert_eq!(strings(rel, "object_ref"), [None, Some("das.".into())]);
    assert_eq!(
        strings(rel, "role_id"),
        [None, Some("role:oberbuergermeister".into())]
    );
    assert_eq!(texts(rel, "evidence")[0], texts(sentences, "text")[0]);
    assert_eq!(
        texts(rel, "evidence")[1],
        "Oberbürgermeister Markus Lewe lobt das."
    );

    // entities: first appearance order, run-wide counts, distinct surfaces
    let ent = &tables["entities"];
    assert_eq!(
        texts(ent, "entity_id"),
        [
            "ags:05515000",
            "org:lwl",
            "role:oberbuergermeister",
            "per:markus-lewe"
        ]
    );
    assert_eq!(ints(ent, "n_mentions"), [2, 3, 1, 1]);
    assert_eq!(ints(ent, "n_docs"), [2, 2, 1, 1]);
    assert_eq!(lists(ent, "surfaces")[0], ["Stadt Münster", "Muenster"]);
    assert_eq!(
        lists(ent, "surfaces")[1],
        ["Landschaftsverband Westfalen-Lippe", "LWL"]
    );
    assert_eq!(
        strings(ent, "kind"),
        [Some("Stadt".into()), Some("Verband".into()), None, None]
    );
    assert_eq!(
        strings(ent, "external_id")[..2],
        [Some("05515000".into()), None]
    );

    // diagnostics
    let diag = &tables["diagnostics"];
    assert_eq!(strings(diag, "doc_id"), [None, Some("2017/hilfe".into())]);
    assert_eq!(texts(diag, "severity"), ["error", "warning"]);
    Ok(())
}

fn read_csv(path: &Path) -> Result<CsvTable, Error> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().map(str::to_owned).collect());
    }
    Ok((headers, rows))
}

#[test]
fn csv_headers_and_values() -> Res {
    let tmp = tempfile::tempdir()?;
    write_all(tmp.path())?;
    let mut tables = HashMap::new();
    for (table, columns) in expected_schemas() {
        let path = tmp.path().join(format!("{table}.csv"));
        let raw = fs::read(&path)?;
        let header: Vec<&str> = columns.iter().map(|(n, _, _)| *n).collect();
        assert!(
            raw.starts_with(format!("{}\r\n", header.join(",")).as_bytes()),
            "{table}.csv starts with its header and CRLF"
        );
        let (got, rows) = read_csv(&path)?;
        assert_eq!(got, header, "header of {table}.csv");
        assert!(rows.iter().all(|r| r.len() == header.len()));
        tables.insert(table, rows);
    }

    let docs = &tables["documents"];
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0][0], "2016/lwl-muenster");
    assert_eq!(docs[0][3], "2016-12-13");
    assert_eq!(docs[0][4], "Kooperation|Münster|LWL");
    assert_eq!(docs[0][13], BODY);
    assert_eq!(docs[1][2], "", "null title is an empty field");
    assert_eq!(docs[1][4], "", "empty keyword list is an empty field");
    assert_eq!(docs[1][7], "windows-1252");

    let mentions = &tables["mentions"];
    assert_eq!(&mentions[0][3..6], ["5", "18", "Stadt Münster"]);

    let rel = &tables["relations"];
    assert_eq!(rel[0][10], "");
    assert_eq!(rel[1][10], "Oberbürgermeister");
    assert_eq!(rel[1][12], "2016-12-13");

    let ent = &tables["entities"];
    assert_eq!(ent[0][7], "Stadt Münster|Muenster");
    assert_eq!(ent[0][4], "05515000");
    assert_eq!(ent[2][3], "", "null kind");

    let diag = &tables["diagnostics"];
    assert_eq!(diag[1][4], "decoded as windows-1252, \"Ü\" guessed");
    Ok(())
}

#[test]
fn output_is_deterministic() -> Res {
    let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
    write_all(a.path())?;
    write_all(b.path())?;
    for (table, _) in expected_schemas() {
        for ext in ["parquet", "csv"] {
            let name = format!("{table}.{ext}");
            assert_eq!(
                fs::read(a.path().join(&name))?,
                fs::read(b.path().join(&name))?,
                "{name}"
            );
        }
    }
    Ok(())
}

#[test]
fn one_format_only_and_empty_run() -> Res {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join("nested/out");
    TableWriter::create(
        &dir,
        Formats {
            parquet: false,
            csv: true,
            ..Formats::ALL
        },
    )?
    .finish()?;
    let mut names: Vec<String> = fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    assert_eq!(
        names,
        [
            "datapackage.json",
            "diagnostics.csv",
            "documents.csv",
            "entities.csv",
            "mentions.csv",
            "relations.csv",
            "sentences.csv"
        ]
    );
    assert!(
        TableWriter::create(
            tmp.path(),
            Formats {
                parquet: false,
                csv: false,
                ..Formats::ALL
            }
        )
        .is_err()
    );

    let pq = tmp.path().join("pq");
    TableWriter::create(
        &pq,
        Formats {
            parquet: true,
            csv: false,
            ..Formats::ALL
        },
    )?
    .finish()?;
    let batch = read_parquet(&pq.join("entities.parquet"))?;
    assert_eq!(batch.num_rows(), 0);
    assert_eq!(batch.num_columns(), 8);
    Ok(())
}

/// `--csv-compression gzip` writes `NAME.csv.gz` files that decompress to
/// exactly the plain CSV files of the same input, and no plain CSV.
#[test]
fn gzip_csv_holds_the_plain_csv_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = vec![
        common::root().join("seeds"),
        common::root().join("../shared/dev/docs"),
    ];
    let rules = common::repo_rules();
    let run = |name: &str, csv_compression| {
        let mut extract = ikz::pipeline::Extract::new(inputs.clone(), dir.path().join(name));
        extract.formats = Formats {
            parquet: false,
            csv: true,
            csv_compression,
            ..Formats::ALL
        };
        extract.run(&rules).expect("extract");
        dir.path().join(name)
    };
    let plain = run("plain", CsvCompression::None);
    let gzipped = run("gzipped", CsvCompression::Gzip);
    for table in [
        "documents",
        "sentences",
        "mentions",
        "entities",
        "relations",
        "diagnostics",
    ] {
        let expected = std::fs::read(plain.join(format!("{table}.csv"))).expect("plain csv");
        let packed = std::fs::read(gzipped.join(format!("{table}.csv.gz"))).expect("csv.gz");
        assert!(!gzipped.join(format!("{table}.csv")).exists());
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&packed[..]),
            &mut unpacked,
        )
        .expect("valid gzip");
        assert_eq!(unpacked, expected, "{table}");
        if table == "documents" {
            assert!(packed.len() * 2 < expected.len(), "gzip saves little");
        }
    }
}
