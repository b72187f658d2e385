//! `datapackage.json`: a Frictionless Data Package that describes the CSV
//! tables of a run — every field's type, which columns may be null, the
//! primary and foreign keys, and how list columns are spelled.
//!
//! Exists because a CSV file carries no types: read blindly, an AGS key
//! such as `05515000` loses its leading zero and a date stays text. With
//! the package, `frictionless validate out/datapackage.json` checks the
//! output, and pandas, DuckDB or R read each column as what it is (the
//! README shows how). Everything in it comes from [`super::schema`], so it
//! cannot drift from what the sinks write.

use serde_json::{Value, json};

use super::CsvCompression;
use super::csv_out::{LIST_ESCAPE, LIST_SEPARATOR};
use super::schema::{ALL_TABLES, Column, ColumnType, TableSpec};

/// The file name in the output folder.
pub(crate) const FILE_NAME: &str = "datapackage.json";

/// The package describing the CSV tables written with `compression`.
pub(crate) fn describe(compression: CsvCompression) -> Value {
    let resources: Vec<Value> = ALL_TABLES
        .iter()
        .map(|spec| resource(spec, compression))
        .collect();
    json!({
        "name": "ikz-output",
        "title": "ikz: inter-municipal cooperation extracted from German news",
        "profile": "tabular-data-package",
        "resources": resources,
    })
}

fn resource(spec: &TableSpec, compression: CsvCompression) -> Value {
    let mut resource = json!({
        "name": spec.name,
        "path": format!("{}.{}", spec.name, compression.extension()),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\r\n",
            "quoteChar": "\"",
            "doubleQuote": true,
            "header": true,
        },
        "schema": schema(spec),
    });
    if compression == CsvCompression::Gzip {
        resource["compression"] = json!("gz");
    }
    resource
}

fn schema(spec: &TableSpec) -> Value {
    let fields: Vec<Value> = spec.columns.iter().map(|c| field(c, spec)).collect();
    let mut schema = json!({
        "fields": fields,
        // A null is an empty field (and so is an empty text or list).
        "missingValues": [""],
    });
    if !spec.primary_key.is_empty() {
        schema["primaryKey"] = json!(spec.primary_key);
    }
    if !spec.foreign_keys.is_empty() {
        let keys: Vec<Value> = spec
            .foreign_keys
            .iter()
            .map(|k| {
                json!({
                    "fields": k.fields,
                    "reference": { "resource": k.table, "fields": k.reference },
                })
            })
            .collect();
        schema["foreignKeys"] = json!(keys);
    }
    schema
}

fn field(column: &Column, spec: &TableSpec) -> Value {
    let mut field = match column.ty {
        ColumnType::Utf8 => json!({ "type": "string" }),
        ColumnType::Int32 => json!({
            "type": "integer",
            "constraints": { "minimum": i32::MIN, "maximum": i32::MAX },
        }),
        ColumnType::Int64 => json!({ "type": "integer" }),
        ColumnType::Date32 => json!({ "type": "date", "format": "%Y-%m-%d" }),
        ColumnType::ListUtf8 => json!({
            "type": "list",
            "itemType": "string",
            "delimiter": LIST_SEPARATOR.to_string(),
            // Not part of Table Schema: ikz's own spelling of an item that
            // holds the delimiter or the escape itself.
            "ikz:escapeChar": LIST_ESCAPE.to_string(),
            "description": format!(
                "Items joined by `{LIST_SEPARATOR}`; a `{LIST_SEPARATOR}` or `{LIST_ESCAPE}` \
                 inside an item is preceded by `{LIST_ESCAPE}`. An empty field is an empty list."
            ),
        }),
    };
    field["name"] = json!(column.name);
    if required(column, spec) {
        let constraints = field
            .as_object_mut()
            .map(|f| f.entry("constraints").or_insert_with(|| json!({})));
        if let Some(constraints) = constraints {
            constraints["required"] = json!(true);
        }
    }
    field
}

/// Whether a reader may insist on a value. CSV spells an empty text, an
/// empty list and a null alike (an empty field), so a text or list column
/// is only required where it is a key; numbers and dates are required
/// wherever the table has no nulls.
fn required(column: &Column, spec: &TableSpec) -> bool {
    match column.ty {
        _ if column.nullable => false,
        ColumnType::Utf8 | ColumnType::ListUtf8 => spec.primary_key.contains(&column.name),
        ColumnType::Int32 | ColumnType::Int64 | ColumnType::Date32 => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_a_resource_with_its_columns_in_order() {
        let package = describe(CsvCompression::None);
        let resources = package["resources"].as_array().expect("resources");
        assert_eq!(resources.len(), ALL_TABLES.len());
        for (resource, spec) in resources.iter().zip(ALL_TABLES) {
            assert_eq!(resource["path"], format!("{}.csv", spec.name));
            let names: Vec<&str> = resource["schema"]["fields"]
                .as_array()
                .expect("fields")
                .iter()
                .filter_map(|f| f["name"].as_str())
                .collect();
            assert_eq!(names, spec.header().collect::<Vec<_>>());
        }
        let gz = describe(CsvCompression::Gzip);
        assert_eq!(gz["resources"][0]["path"], "documents.csv.gz");
        assert_eq!(gz["resources"][0]["compression"], "gz");
    }
}
