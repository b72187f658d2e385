//! `datapackage.json` types the CSV tables: the `frictionless` package
//! validates a run's output against it (types, required values, primary
//! and foreign keys), DuckDB reads every CSV with the declared types and
//! gets the Parquet tables' values, and list items holding `|` or `\`
//! come back whole.

mod common;

use std::path::Path;

use common::ikz;

/// Validates the package with frictionless, then reads every resource
/// with DuckDB's `read_csv` and the declared types and compares it with
/// the Parquet file of the same table, value by value.
const CHECK: &str = r#"
import json, sys
import duckdb
import frictionless

out = sys.argv[1]
report = frictionless.validate(f"{out}/datapackage.json")
assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]

DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "date": "DATE", "list": "VARCHAR"}

def split_list(field, escape):
    """A list field as the package declares it: `|`-joined, `\`-escaped."""
    if field is None or field == "":
        return []
    items, item, chars = [], [], iter(field)
    for c in chars:
        if c == escape:
            item.append(next(chars))
        elif c == "|":
            items.append("".join(item)); item = []
        else:
            item.append(c)
    items.append("".join(item))
    return items

package = json.load(open(f"{out}/datapackage.json"))
checked = 0
for resource in package["resources"]:
    fields = resource["schema"]["fields"]
    types = {f["name"]: DUCKDB[f["type"]] for f in fields}
    path = f"{out}/{resource['path']}"
    rel = duckdb.read_csv(path, header=True, dtype=types)
    assert rel.columns == [f["name"] for f in fields], (rel.columns, path)
    csv_rows = rel.fetchall()
    parquet_rows = duckdb.sql(
        f"SELECT * FROM read_parquet('{out}/{resource['name']}.parquet')").fetchall()
    assert len(csv_rows) == len(parquet_rows), (path, len(csv_rows), len(parquet_rows))
    for csv_row, parquet_row in zip(csv_rows, parquet_rows):
        for f, got, want in zip(fields, csv_row, parquet_row):
            if f["type"] == "list":
                got = split_list(got, f["ikz:escapeChar"])
                want = list(want)
            elif f["type"] == "string":
                got, want = got or "", want or ""
            assert got == want, (resource["name"], f["name"], got, want)
            checked += 1
assert checked >= int(sys.argv[2]), checked
print(checked)
"#;

/// Runs [`CHECK`] on `out`, which must hold at least `values` values.
fn check(out: &Path, values: usize) {
    let what = format!("data package check on {}", out.display());
    let values = values.to_string();
    common::python_check(&what, CHECK, &[out.to_str().expect("utf-8 path"), &values]);
}

fn extract(inputs: &[&str], out: &Path, extra: &[&str]) {
    let mut args = vec!["extract", "--out", out.to_str().expect("utf-8"), "-q"];
    args.extend(extra);
    args.extend(inputs);
    let run = ikz(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn frictionless_and_duckdb_read_the_real_pages_tables_as_declared() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    extract(
        &["seeds", "../shared/dev/docs", "../shared/dev2/docs"],
        &out,
        &[],
    );
    check(&out, 10_000);
    // AGS keys keep their leading zero when read with the declared types.
    let entities = std::fs::read_to_string(out.join("entities.csv")).expect("entities.csv");
    assert!(
        entities.contains(",05515000,"),
        "Münster's AGS is written whole"
    );
}

#[test]
fn gzip_csv_is_described_and_read_as_well() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    extract(&["seeds"], &out, &["--csv-compression", "gzip"]);
    assert!(out.join("documents.csv.gz").is_file());
    check(&out, 1_000);
}

#[test]
fn list_items_with_the_separator_or_the_escape_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("mkdir");
    std::fs::write(
        pages.join("page.txt"),
        "Kreis Steinfurt und Stadt Münster bündeln ihre IT\n\n\
         [13.12.2016] Die Stadt Münster und der Kreis Steinfurt wollen bei der E-Akte \
         zusammenarbeiten.\n\n\
         Stichwörter: Bund|Länder, C:\\Daten\\, IT-Kooperation\n",
    )
    .expect("write page");
    let out = dir.path().join("out");
    extract(&[pages.to_str().expect("utf-8")], &out, &[]);
    let documents = std::fs::read_to_string(out.join("documents.csv")).expect("documents.csv");
    assert!(
        documents.contains(",Bund\\|Länder|C:\\\\Daten\\\\|IT-Kooperation,"),
        "{documents}"
    );
    check(&out, 100);
}

#[test]
fn parquet_only_writes_no_data_package() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    extract(&["seeds"], &out, &["--format", "parquet"]);
    assert!(out.join("documents.parquet").is_file());
    assert!(!out.join("datapackage.json").exists());
}
