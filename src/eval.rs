//! `ikz eval`: scores an output folder against a gold folder.
//!
//! This is a port of the reference scorer `shared/tools/score.py` (see
//! `shared/ANNOTATION.md` §5), so that the figures can be computed without
//! Python and checked in tests. It prints the same table, figure for figure,
//! and [`Report::to_json`] prints the same text as `score.py --json`.
//!
//! Points where the port follows Python on purpose:
//! - `ws` collapses runs of Python's `\s` (Unicode white space, which also
//!   holds U+001C..U+001F) to one space and strips the ends.
//! - Lenient matching looks for the shorter string inside the longer one at
//!   word boundaries, where a word character is Python's `\w`; every
//!   occurrence is tried, overlapping ones included.
//! - Figures are rounded to 4 decimals (round half to even on the binary
//!   value, as Python's `round`) and printed with 3.
//! - Sets count duplicates once; the gold entity list and the gold documents
//!   rows do not (as in `score.py`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

/// Relation types whose arguments may be given in either order.
const SYMMETRIC: [&str; 2] = ["COOPERATION", "MERGER"];

/// Precision, recall and F1 of one measure, with the sizes they came from.
///
/// Exists so that every row of the table (and every object of the JSON) has
/// one type; the ratios are already rounded to 4 decimals as in `score.py`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision: share of the system items that are correct.
    pub p: f64,
    /// Recall: share of the gold items that were found.
    pub r: f64,
    /// Harmonic mean of the unrounded precision and recall.
    pub f1: f64,
    /// How many system items were scored.
    pub system: usize,
    /// How many gold items were scored.
    pub gold: usize,
}

/// The figures of one run.
///
/// Exists so that callers (the CLI, tests, benchmarks) get the scores as
/// data; `Display` prints the same table as `score.py`, final newline
/// included (so print it with `print!`), and serialising it gives the same
/// JSON keys, in the same order, as `score.py --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Number of distinct documents in the gold `documents.tsv`.
    pub documents: usize,
    /// Gold documents with no row in the output `documents.csv`, sorted.
    pub missing_documents: Vec<String>,
    /// Main-content lines: output `body` lines against gold `content.tsv`.
    pub content: Prf,
    /// Sentences: output `sentences.csv` against gold `sentences.tsv`.
    pub sentences: Prf,
    /// Share of gold document rows whose title equals the output title.
    pub title_accuracy: f64,
    /// Share of gold document rows whose date equals the output date.
    pub published_accuracy: f64,
    /// Keywords (`Stichwörter`), per document, as sets.
    pub keywords: Prf,
    /// Entity mentions matched by exact surface.
    pub entities_strict: Prf,
    /// Entity mentions matched by surface containment at word boundaries.
    pub entities_lenient: Prf,
    /// The strict entity figures per label, sorted by label.
    pub entities_by_label: BTreeMap<String, Prf>,
    /// Relations, with arguments mapped to gold entity keys.
    pub relations: Prf,
    /// The relation figures per type, sorted by type.
    pub relations_by_type: BTreeMap<String, Prf>,
}

impl Report {
    /// The report as `score.py --json` prints it (one-space indent, non-ASCII
    /// kept, no final newline: print it with `println!`), so that tools that
    /// read that JSON can read this one too.
    pub fn to_json(&self) -> String {
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
        match self.serialize(&mut ser) {
            // serde_json writes valid UTF-8 and a Vec never fails to grow.
            Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
            Err(e) => format!("{{\"error\": \"{e}\"}}"),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents scored: {}  missing from output: {}",
            self.documents,
            self.missing_documents.len()
        )?;
        writeln!(
            f,
            "{:<28} {:>6} {:>6} {:>6} {:>7} {:>6}",
            "measure", "P", "R", "F1", "system", "gold"
        )?;
        let mut rows: Vec<(String, &Prf)> = vec![
            ("content lines".into(), &self.content),
            ("sentences".into(), &self.sentences),
            ("keywords".into(), &self.keywords),
            ("entities (strict)".into(), &self.entities_strict),
            ("entities (lenient)".into(), &self.entities_lenient),
        ];
        rows.extend(
            self.entities_by_label
                .iter()
                .map(|(l, v)| (format!("  {l}"), v)),
        );
        rows.push(("relations".into(), &self.relations));
        rows.extend(
            self.relations_by_type
                .iter()
                .map(|(t, v)| (format!("  {t}"), v)),
        );
        for (name, v) in rows {
            writeln!(
                f,
                "{:<28} {:6.3} {:6.3} {:6.3} {:7} {:6}",
                name, v.p, v.r, v.f1, v.system, v.gold
            )?;
        }
        writeln!(
            f,
            "title accuracy {:.3}  published accuracy {:.3}",
            self.title_accuracy, self.published_accuracy
        )
    }
}

/// Scores the CSV tables in `out` against the gold TSVs in `gold`.
///
/// `out` must hold `documents.csv`, `sentences.csv`, `mentions.csv` and
/// `relations.csv`; `gold` must hold `content.tsv`, `sentences.tsv`,
/// `entities.tsv`, `relations.tsv` and `documents.tsv`. Only documents listed
/// in the gold `documents.tsv` are scored.
pub fn score(out: &Path, gold: &Path) -> Result<Report> {
    let g_content = Table::read(&gold.join("content.tsv"), Kind::Gold)?;
    let g_sent = Table::read(&gold.join("sentences.tsv"), Kind::Gold)?;
    let g_ent = Table::read(&gold.join("entities.tsv"), Kind::Gold)?;
    let g_rel = Table::read(&gold.join("relations.tsv"), Kind::Gold)?;
    let g_doc = Table::read(&gold.join("documents.tsv"), Kind::Gold)?;
    let s_doc = Table::read(&out.join("documents.csv"), Kind::Output)?;
    let s_sent = Table::read(&out.join("sentences.csv"), Kind::Output)?;
    let s_ment = Table::read(&out.join("mentions.csv"), Kind::Output)?;
    let s_rel = Table::read(&out.join("relations.csv"), Kind::Output)?;

    let gd_id = g_doc.required("doc_id")?;
    let docs: Vec<String> = g_doc
        .rows
        .iter()
        .map(|r| field(r, gd_id).to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let doc_set: HashSet<&str> = docs.iter().map(String::as_str).collect();

    // The last output row of a document wins, as in a Python dict.
    let sd_id = s_doc.required("doc_id")?;
    let mut s_doc_by_id: HashMap<&str, &csv::StringRecord> = HashMap::new();
    for r in &s_doc.rows {
        s_doc_by_id.insert(field(r, sd_id), r);
    }
    let missing_documents = docs
        .iter()
        .filter(|d| !s_doc_by_id.contains_key(d.as_str()))
        .cloned()
        .collect();

    // Content lines and sentences.
    let (gc_id, gc_line) = (g_content.required("doc_id")?, g_content.required("line")?);
    let mut gold_lines: StrSets = HashMap::new();
    for r in &g_content.rows {
        gold_lines
            .entry(field(r, gc_id).to_string())
            .or_default()
            .insert(ws(field(r, gc_line)));
    }
    let sd_body = s_doc.optional("body");
    let mut sys_lines: StrSets = HashMap::new();
    for (d, r) in &s_doc_by_id {
        let lines = field(r, sd_body)
            .split('\n')
            .map(ws)
            .filter(|x| !x.is_empty())
            .collect();
        sys_lines.insert(d.to_string(), lines);
    }
    let content = set_score(&sys_lines, &gold_lines, &docs);

    let (gs_id, gs_sent) = (g_sent.required("doc_id")?, g_sent.required("sentence")?);
    let mut gold_s: StrSets = HashMap::new();
    for r in &g_sent.rows {
        gold_s
            .entry(field(r, gs_id).to_string())
            .or_default()
            .insert(ws(field(r, gs_sent)));
    }
    let (ss_id, ss_text) = (s_sent.required("doc_id")?, s_sent.required("text")?);
    let mut sys_s: StrSets = HashMap::new();
    for r in &s_sent.rows {
        sys_s
            .entry(field(r, ss_id).to_string())
            .or_default()
            .insert(ws(field(r, ss_text)));
    }
    let sentences = set_score(&sys_s, &gold_s, &docs);

    // Metadata: one check per gold documents row.
    let (gd_title, gd_pub, gd_kw) = (
        g_doc.required("title")?,
        g_doc.required("published")?,
        g_doc.required("keywords")?,
    );
    let (sd_title, sd_pub, sd_kw) = (
        s_doc.optional("title"),
        s_doc.optional("published"),
        s_doc.optional("keywords"),
    );
    let (mut ok_title, mut ok_date) = (0usize, 0usize);
    let (mut kw_tp, mut kw_p, mut kw_r) = (0usize, 0usize, 0usize);
    for g in &g_doc.rows {
        let s = s_doc_by_id.get(field(g, gd_id)).copied();
        let sget = |col: Option<usize>| s.map_or("", |r| field(r, col));
        ok_title += usize::from(ws(sget(sd_title)) == ws(field(g, gd_title)));
        let sys_date: String = sget(sd_pub).chars().take(10).collect();
        ok_date += usize::from(sys_date == field(g, gd_pub));
        let gk = bar_set(field(g, gd_kw));
        let sk = bar_set(sget(sd_kw));
        kw_tp += gk.intersection(&sk).count();
        kw_p += sk.len();
        kw_r += gk.len();
    }
    let n = g_doc.rows.len().max(1) as f64;
    let title_accuracy = round4(ok_title as f64 / n);
    let published_accuracy = round4(ok_date as f64 / n);
    let keywords = prf(kw_tp, kw_p, kw_tp, kw_r);

    // Entities.
    let (ge_id, ge_label, ge_key, ge_surf) = (
        g_ent.required("doc_id")?,
        g_ent.required("label")?,
        g_ent.required("key")?,
        g_ent.required("surfaces")?,
    );
    let mut gold_ents: HashMap<String, Vec<GoldEntity>> = HashMap::new();
    for r in &g_ent.rows {
        gold_ents
            .entry(field(r, ge_id).to_string())
            .or_default()
            .push(GoldEntity {
                label: field(r, ge_label).to_string(),
                key: field(r, ge_key).to_string(),
                surfaces: field(r, ge_surf)
                    .split('|')
                    .map(ws)
                    .filter(|x| !x.is_empty())
                    .collect(),
            });
    }
    let (sm_id, sm_text, sm_label) = (
        s_ment.required("doc_id")?,
        s_ment.required("text")?,
        s_ment.required("label")?,
    );
    let mut sys_items: HashMap<&str, HashSet<(String, String)>> = HashMap::new();
    for r in &s_ment.rows {
        let d = field(r, sm_id);
        if doc_set.contains(d) {
            sys_items
                .entry(d)
                .or_default()
                .insert((field(r, sm_label).to_string(), ws(field(r, sm_text))));
        }
    }
    let no_ents: Vec<GoldEntity> = Vec::new();
    let no_items: HashSet<(String, String)> = HashSet::new();
    let mut per_label: BTreeMap<String, Counts> = BTreeMap::new();
    let mut entity_scores = Vec::with_capacity(2);
    for strict in [true, false] {
        let matches = |x: &str, y: &str| if strict { x == y } else { lenient(x, y) };
        let mut c = Counts::default();
        for d in &docs {
            let ents = gold_ents.get(d).unwrap_or(&no_ents);
            let items = sys_items.get(d.as_str()).unwrap_or(&no_items);
            for (label, surf) in items {
                let hit = ents
                    .iter()
                    .any(|e| &e.label == label && e.surfaces.iter().any(|g| matches(surf, g)));
                c.add_system(hit);
                if strict {
                    per_label.entry(label.clone()).or_default().add_system(hit);
                }
            }
            for e in ents {
                let found = items
                    .iter()
                    .any(|(l, s)| l == &e.label && e.surfaces.iter().any(|g| matches(s, g)));
                c.add_gold(found);
                if strict {
                    per_label
                        .entry(e.label.clone())
                        .or_default()
                        .add_gold(found);
                }
            }
        }
        entity_scores.push(c.prf());
    }
    let entities_strict = entity_scores[0];
    let entities_lenient = entity_scores[1];
    let entities_by_label = per_label.into_iter().map(|(l, c)| (l, c.prf())).collect();

    // Relations.
    let keys_for = |d: &str, surface: &str| -> HashSet<&str> {
        let ents = gold_ents.get(d).unwrap_or(&no_ents);
        let exact: HashSet<&str> = ents
            .iter()
            .filter(|e| e.surfaces.iter().any(|g| g == surface))
            .map(|e| e.key.as_str())
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        ents.iter()
            .filter(|e| e.surfaces.iter().any(|g| lenient(surface, g)))
            .map(|e| e.key.as_str())
            .collect()
    };
    let (gr_id, gr_type, gr_subj, gr_obj, gr_role) = (
        g_rel.required("doc_id")?,
        g_rel.required("type")?,
        g_rel.required("subject")?,
        g_rel.required("object")?,
        g_rel.optional("role"),
    );
    let mut gold_rel: HashMap<String, HashSet<Rel>> = HashMap::new();
    for r in &g_rel.rows {
        gold_rel
            .entry(field(r, gr_id).to_string())
            .or_default()
            .insert(norm(
                field(r, gr_type),
                field(r, gr_subj),
                field(r, gr_obj),
                &ws(field(r, gr_role)),
            ));
    }
    let (sr_id, sr_type, sr_subj, sr_obj, sr_role) = (
        s_rel.required("doc_id")?,
        s_rel.required("type")?,
        s_rel.required("subject_text")?,
        s_rel.required("object_text")?,
        s_rel.optional("role"),
    );
    // The system tuple keeps the role for every type, as `score.py` does.
    let mut sys_rel: HashMap<&str, HashSet<Rel>> = HashMap::new();
    for r in &s_rel.rows {
        let d = field(r, sr_id);
        if doc_set.contains(d) {
            sys_rel.entry(d).or_default().insert(Rel(
                field(r, sr_type).to_string(),
                ws(field(r, sr_subj)),
                ws(field(r, sr_obj)),
                ws(field(r, sr_role)),
            ));
        }
    }
    let no_rels: HashSet<Rel> = HashSet::new();
    let mut rel_counts = Counts::default();
    let mut per_type: BTreeMap<String, Counts> = BTreeMap::new();
    for d in &docs {
        let golds = gold_rel.get(d).unwrap_or(&no_rels);
        let mut found: HashSet<&Rel> = HashSet::new();
        for Rel(t, s, o, role) in sys_rel.get(d.as_str()).unwrap_or(&no_rels) {
            let mut hit = false;
            for ks in keys_for(d, s) {
                for ko in keys_for(d, o) {
                    let base = norm(t, ks, ko, "");
                    for g in golds {
                        if g.0 == base.0
                            && g.1 == base.1
                            && g.2 == base.2
                            && (t != "ROLE" || lenient(role, &g.3))
                        {
                            hit = true;
                            found.insert(g);
                        }
                    }
                }
            }
            rel_counts.add_system(hit);
            per_type.entry(t.clone()).or_default().add_system(hit);
        }
        for g in golds {
            let hit = found.contains(g);
            rel_counts.add_gold(hit);
            per_type.entry(g.0.clone()).or_default().add_gold(hit);
        }
    }
    let relations = rel_counts.prf();
    let relations_by_type = per_type.into_iter().map(|(t, c)| (t, c.prf())).collect();

    Ok(Report {
        documents: docs.len(),
        missing_documents,
        content,
        sentences,
        title_accuracy,
        published_accuracy,
        keywords,
        entities_strict,
        entities_lenient,
        entities_by_label,
        relations,
        relations_by_type,
    })
}

/// doc_id -> set of strings.
type StrSets = HashMap<String, HashSet<String>>;

/// One row of the gold `entities.tsv`.
struct GoldEntity {
    label: String,
    key: String,
    surfaces: Vec<String>,
}

/// A relation as (type, subject, object, role).
#[derive(PartialEq, Eq, Hash)]
struct Rel(String, String, String, String);

/// `score.py`'s `norm`: symmetric types sort their arguments and only `ROLE`
/// keeps its role.
fn norm(t: &str, s: &str, o: &str, role: &str) -> Rel {
    if SYMMETRIC.contains(&t) {
        let (a, b) = if s <= o { (s, o) } else { (o, s) };
        return Rel(t.into(), a.into(), b.into(), String::new());
    }
    let role = if t == "ROLE" { role } else { "" };
    Rel(t.into(), s.into(), o.into(), role.into())
}

/// True-positive and total counts on the system and the gold side.
#[derive(Default)]
struct Counts {
    tp_p: usize,
    n_p: usize,
    tp_r: usize,
    n_r: usize,
}

impl Counts {
    fn add_system(&mut self, hit: bool) {
        self.tp_p += usize::from(hit);
        self.n_p += 1;
    }
    fn add_gold(&mut self, found: bool) {
        self.tp_r += usize::from(found);
        self.n_r += 1;
    }
    fn prf(&self) -> Prf {
        prf(self.tp_p, self.n_p, self.tp_r, self.n_r)
    }
}

fn prf(tp_p: usize, n_p: usize, tp_r: usize, n_r: usize) -> Prf {
    let p = if n_p > 0 {
        tp_p as f64 / n_p as f64
    } else {
        0.0
    };
    let r = if n_r > 0 {
        tp_r as f64 / n_r as f64
    } else {
        0.0
    };
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Prf {
        p: round4(p),
        r: round4(r),
        f1: round4(f1),
        system: n_p,
        gold: n_r,
    }
}

fn set_score(system: &StrSets, gold: &StrSets, docs: &[String]) -> Prf {
    let (mut tp, mut n_p, mut n_r) = (0, 0, 0);
    for d in docs {
        let s = system.get(d);
        let g = gold.get(d);
        if let (Some(s), Some(g)) = (s, g) {
            tp += s.intersection(g).count();
        }
        n_p += s.map_or(0, HashSet::len);
        n_r += g.map_or(0, HashSet::len);
    }
    prf(tp, n_p, tp, n_r)
}

/// Python's `round(x, 4)`: the decimal nearest to the binary value, ties to
/// even, read back as the nearest `f64`. Rust's exact float formatting does
/// the same rounding.
fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

/// Python's `str.isspace` / `re` `\s`: Unicode white space plus the four
/// information separators U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `score.py`'s `ws`: collapse white-space runs to one space and strip.
fn ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_py_space(c) {
            pending = true;
        } else {
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push(c);
        }
    }
    out
}

/// `|`-joined list to a set of white-space-collapsed, non-empty items.
fn bar_set(s: &str) -> HashSet<String> {
    s.split('|').map(ws).filter(|x| !x.is_empty()).collect()
}

/// Python's `\w` for `str` patterns: letters, digits, numerics and `_`.
///
/// Rust's `is_alphanumeric` also takes the `Other_Alphabetic` marks and
/// symbols; those used with Latin script are left out here. Combining marks
/// of other scripts and characters assigned after Python's Unicode version
/// may still differ.
fn is_py_word(c: char) -> bool {
    if c == '_' {
        return true;
    }
    if !c.is_alphanumeric() {
        return false;
    }
    !matches!(c,
        '\u{345}' | '\u{363}'..='\u{36f}' | '\u{24b6}'..='\u{24e9}'
        | '\u{1f130}'..='\u{1f149}' | '\u{1f150}'..='\u{1f169}' | '\u{1f170}'..='\u{1f189}')
}

/// `score.py`'s `contains_at_word`: `small` occurs in `big` with no word
/// character right before or right after it.
fn contains_at_word(big: &str, small: &str) -> bool {
    if small.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(i) = big[from..].find(small) {
        let start = from + i;
        let end = start + small.len();
        let before = big[..start].chars().next_back();
        let after = big[end..].chars().next();
        if !before.is_some_and(is_py_word) && !after.is_some_and(is_py_word) {
            return true;
        }
        // Try the next (possibly overlapping) occurrence, one character on.
        from = start + big[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// `score.py`'s `lenient`: equal, or one contains the other at word
/// boundaries.
fn lenient(a: &str, b: &str) -> bool {
    a == b || contains_at_word(a, b) || contains_at_word(b, a)
}

/// Which kind of file a table is, for parsing and for error hints.
#[derive(Clone, Copy)]
enum Kind {
    /// Gold TSV: tab-separated, no quoting.
    Gold,
    /// Extractor output: RFC 4180 CSV.
    Output,
}

/// A table read like Python's `csv.DictReader`: header names to positions
/// (the last of duplicate names wins), short rows allowed.
struct Table {
    path: PathBuf,
    columns: HashMap<String, usize>,
    rows: Vec<csv::StringRecord>,
}

/// A column position; `None` reads as an empty field.
type Col = Option<usize>;

fn field(row: &csv::StringRecord, col: Col) -> &str {
    col.and_then(|i| row.get(i)).unwrap_or("")
}

impl Table {
    fn read(path: &Path, kind: Kind) -> Result<Table> {
        let hint = match kind {
            Kind::Gold => {
                "the gold folder must hold content.tsv, sentences.tsv, entities.tsv, \
                 relations.tsv and documents.tsv (see shared/gold/README.md)"
            }
            Kind::Output => {
                "the output folder must hold documents.csv, sentences.csv, mentions.csv \
                 and relations.csv (or .csv.gz): run the extractor with CSV output into it first"
            }
        };
        // An output written with `--csv-compression gzip` has NAME.csv.gz.
        let gzipped = path.with_extension("csv.gz");
        let (path, gzip) = match kind {
            Kind::Output if !path.is_file() && gzipped.is_file() => (gzipped.as_path(), true),
            _ => (path, false),
        };
        if !path.is_file() {
            bail!("missing {}: {hint}", path.display());
        }
        let mut builder = csv::ReaderBuilder::new();
        builder.flexible(true).has_headers(true);
        if let Kind::Gold = kind {
            builder.delimiter(b'\t').quoting(false);
        }
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot open {}: {hint}", path.display()))?;
        let bytes: Box<dyn std::io::Read> = if gzip {
            Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
                file,
            )))
        } else {
            Box::new(file)
        };
        let mut reader = builder.from_reader(bytes);
        let what = "check that it is UTF-8 and well-formed";
        let mut columns = HashMap::new();
        let headers = reader
            .headers()
            .with_context(|| format!("cannot read the header of {}: {what}", path.display()))?;
        for (i, name) in headers.iter().enumerate() {
            columns.insert(name.to_string(), i);
        }
        let mut rows = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.with_context(|| {
                format!("cannot read record {} of {}: {what}", i + 1, path.display())
            })?;
            rows.push(rec);
        }
        Ok(Table {
            path: path.to_path_buf(),
            columns,
            rows,
        })
    }

    /// A column that may be absent (`score.py` reads it with `.get`).
    fn optional(&self, name: &str) -> Col {
        self.columns.get(name).copied()
    }

    /// A column `score.py` indexes directly: an error if it is absent and
    /// the table has rows (an empty table never looks it up).
    fn required(&self, name: &str) -> Result<Col> {
        match self.columns.get(name) {
            Some(&i) => Ok(Some(i)),
            None if self.rows.is_empty() => Ok(None),
            None => bail!(
                "{} has no column `{name}`: add it to the header row",
                self.path.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_collapses_python_whitespace() {
        assert_eq!(ws("  a \u{a0}\u{1c} b\t\n"), "a b");
        assert_eq!(ws(""), "");
        assert_eq!(ws(" \u{2009} "), "");
    }

    #[test]
    fn word_boundaries() {
        assert!(contains_at_word("Stadt Münster", "Münster"));
        assert!(!contains_at_word("Münsterland", "Münster"));
        assert!(!contains_at_word("a_b", "b"));
        assert!(contains_at_word("xab ab", "ab"));
        assert!(contains_at_word("aaa aa", "aa"));
        assert!(!contains_at_word("x", ""));
        assert!(lenient("", ""));
    }

    #[test]
    fn rounding_is_half_even_on_binary() {
        assert_eq!(round4(1.0 / 32.0), 0.0312);
        assert_eq!(round4(2.0 / 3.0), 0.6667);
        assert_eq!(format!("{:.3}", round4(0.0625)), "0.062");
    }
}
