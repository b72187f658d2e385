//! Finding and reading inputs: folders (walked recursively for `*.txt` and
//! `*.jsonl`), single files, JSON Lines files and `-` for standard input.
//!
//! Reading never fails a run: whatever cannot be read becomes a
//! [`Diagnostic`] and the walk goes on.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::decode;
use crate::model::{Diagnostic, Severity};
use crate::profile::{Profile, Stage};

/// Where one input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// How an input's text is split into documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// The whole input is one document.
    Text,
    /// One JSON object per line, each a document.
    JsonLines,
    /// Decided from the text: JSON Lines when its first non-blank line is
    /// a JSON object, else text. What `-` gets without `--stdin`.
    #[default]
    Detect,
}

/// One input to read, in the order the output will list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputItem {
    /// Where to read from.
    pub origin: Origin,
    /// The doc_id for a text input: path relative to the input folder without
    /// extension; for JSONL the prefix used when a line has no `id`.
    pub doc_id: String,
    /// How to split it into documents.
    pub format: InputFormat,
}

impl InputItem {
    /// The path as written in the `source` columns.
    pub fn source(&self) -> String {
        match &self.origin {
            Origin::File(path) => path.display().to_string(),
            Origin::Stdin => "-".to_string(),
        }
    }
}

/// One document's text before the pipeline runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// The document id.
    pub doc_id: String,
    /// The input path (with `:line` for JSONL).
    pub source: String,
    /// Decoded text, line ends normalised.
    pub text: String,
    /// How it was decoded.
    pub encoding: String,
}

/// Checks the inputs named on the command line before anything is read:
/// each must exist (`-`, standard input, at most once). A run that cannot
/// read what it was asked to read stops here and writes nothing.
pub fn check_named(inputs: &[PathBuf]) -> anyhow::Result<()> {
    if inputs.iter().filter(|i| i.as_os_str() == "-").count() > 1 {
        anyhow::bail!("`-` (standard input) is named more than once; name it once");
    }
    if inputs.is_empty() {
        anyhow::bail!("no input given; name folders, files or `-` for standard input");
    }
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        if !input.exists() {
            anyhow::bail!(
                "input {}: no such file or folder; check the path (nothing was read or \
                 written, the previous output is untouched)",
                input.display()
            );
        }
    }
    Ok(())
}

/// Expands the command-line inputs into the ordered list of items to read.
/// Folders are walked recursively in file-name order; problems become
/// diagnostics. `stdin` says how `-` is split into documents.
pub fn collect(
    inputs: &[PathBuf],
    stdin: InputFormat,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<InputItem> {
    let mut items = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            items.push(InputItem {
                origin: Origin::Stdin,
                doc_id: "stdin".to_string(),
                format: stdin,
            });
        } else if input.is_dir() {
            let before = items.len();
            walk_folder(input, &mut items, diagnostics);
            if items.len() == before {
                diagnostics.push(Diagnostic {
                    source: input.display().to_string(),
                    doc_id: None,
                    severity: Severity::Warning,
                    stage: "input".to_string(),
                    message: "the folder holds no *.txt or *.jsonl files; nothing was read from it"
                        .to_string(),
                });
            }
        } else if input.exists() {
            // A file, or a pipe such as `<(zcat pages.txt.gz)`: read as a file.
            let doc_id = without_extension(Path::new(input.file_name().unwrap_or_default()));
            items.push(file_item(input.clone(), doc_id));
        } else {
            diagnostics.push(input_error(
                &input.display().to_string(),
                "no such file or folder; check the path",
            ));
        }
    }
    items
}

fn walk_folder(root: &Path, items: &mut Vec<InputItem>, diagnostics: &mut Vec<Diagnostic>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| p.display().to_string());
                let source = path.unwrap_or_else(|| root.display().to_string());
                diagnostics.push(input_error(
                    &source,
                    &format!("cannot read: {err}; skipped"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || !is_input_file(path) {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(path);
        items.push(file_item(path.to_path_buf(), without_extension(relative)));
    }
}

fn is_input_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("txt") | Some("jsonl")
    )
}

fn file_item(path: PathBuf, doc_id: String) -> InputItem {
    let jsonl = path.extension().and_then(|e| e.to_str()) == Some("jsonl");
    InputItem {
        origin: Origin::File(path),
        doc_id,
        format: if jsonl {
            InputFormat::JsonLines
        } else {
            InputFormat::Text
        },
    }
}

/// `a/b/001.txt` → `a/b/001`, with `/` as separator on every platform.
fn without_extension(relative: &Path) -> String {
    let stem = relative.with_extension("");
    let parts: Vec<String> = stem
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn input_error(source: &str, message: &str) -> Diagnostic {
    Diagnostic {
        source: source.to_string(),
        doc_id: None,
        severity: Severity::Error,
        stage: "input".to_string(),
        message: message.to_string(),
    }
}

/// Reads one item into zero or more documents; problems go to `diagnostics`.
pub fn read(item: &InputItem, diagnostics: &mut Vec<Diagnostic>) -> Vec<RawDocument> {
    read_timed(item, diagnostics, &Profile::default())
}

/// [`read`], adding the time spent reading and decoding to `profile`.
pub fn read_timed(
    item: &InputItem,
    diagnostics: &mut Vec<Diagnostic>,
    profile: &Profile,
) -> Vec<RawDocument> {
    let source = item.source();
    let bytes = match profile.time(Stage::Read, || read_bytes(&item.origin)) {
        Ok(bytes) => bytes,
        Err(err) => {
            diagnostics.push(input_error(
                &source,
                &format!("cannot read: {err}; skipped"),
            ));
            return Vec::new();
        }
    };
    profile.add_bytes(bytes.len() as u64);
    let _decoding = profile.timer(Stage::Decode);
    let decoded = match decode::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(decode::NotText(message)) => {
            let mut d = input_error(&source, &message);
            d.stage = "decode".to_string();
            diagnostics.push(d);
            return Vec::new();
        }
    };
    let jsonl = match item.format {
        InputFormat::Text => false,
        InputFormat::JsonLines => true,
        InputFormat::Detect => looks_like_jsonl(&decoded.text),
    };
    if let Some(message) = &decoded.warning {
        diagnostics.push(Diagnostic {
            source: source.clone(),
            doc_id: (!jsonl).then(|| item.doc_id.clone()),
            severity: Severity::Warning,
            stage: "decode".to_string(),
            message: message.clone(),
        });
    }
    if jsonl {
        return read_jsonl(item, &source, &decoded, diagnostics);
    }
    if decoded.text.trim().is_empty() {
        diagnostics.push(Diagnostic {
            source: source.clone(),
            doc_id: Some(item.doc_id.clone()),
            severity: Severity::Warning,
            stage: "input".to_string(),
            message: "the file is empty or holds only white space".to_string(),
        });
    }
    vec![RawDocument {
        doc_id: item.doc_id.clone(),
        source,
        text: decoded.text,
        encoding: decoded.encoding,
    }]
}

/// Whether a text's first non-blank line is a JSON object, the sign of
/// JSON Lines (an article does not start with `{`).
fn looks_like_jsonl(text: &str) -> bool {
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let first = first.trim();
    first.starts_with('{')
        && matches!(
            serde_json::from_str::<serde_json::Value>(first),
            Ok(serde_json::Value::Object(_))
        )
}

fn read_bytes(origin: &Origin) -> std::io::Result<Vec<u8>> {
    match origin {
        Origin::File(path) => std::fs::read(path),
        Origin::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

/// One document per line with a string `text` and an optional `id`.
fn read_jsonl(
    item: &InputItem,
    source: &str,
    decoded: &decode::Decoded,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RawDocument> {
    let mut docs = Vec::new();
    for (number, line) in decoded.text.lines().enumerate() {
        let line_no = number + 1;
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{source}:{line_no}");
        match parse_jsonl_line(line) {
            Ok((id, text)) => docs.push(RawDocument {
                doc_id: id.unwrap_or_else(|| format!("{}:{line_no}", item.doc_id)),
                source: at,
                text,
                encoding: decoded.encoding.clone(),
            }),
            Err(message) => diagnostics.push(input_error(&at, &message)),
        }
    }
    docs
}

fn parse_jsonl_line(line: &str) -> Result<(Option<String>, String), String> {
    let value: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| format!("not valid JSON ({e}); line skipped, the others are kept"))?;
    let text = match value.get("text") {
        Some(serde_json::Value::String(text)) => decode::normalise_line_ends(text),
        Some(_) => return Err("`text` is not a string; line skipped".to_string()),
        None => return Err("no `text` field; line skipped".to_string()),
    };
    let id = match value.get("id") {
        Some(serde_json::Value::String(id)) => Some(id.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok((id, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_keeps_good_lines_and_reports_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("batch.jsonl");
        let lines = [
            r#"{"id": "a", "text": "Die Stadt Münster kooperiert."}"#,
            r#"{"id": "b", "text": 42}"#,
            r#"{not json"#,
            r#"{"id": 7, "text": "Lecos GmbH"}"#,
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let mut diagnostics = Vec::new();
        let items = collect(
            &[dir.path().to_path_buf()],
            InputFormat::Detect,
            &mut diagnostics,
        );
        let docs = read(&items[0], &mut diagnostics);
        let ids: Vec<&str> = docs.iter().map(|d| d.doc_id.as_str()).collect();
        assert_eq!(ids, ["a", "7"]);
        assert_eq!(diagnostics.len(), 2);
        assert!(diagnostics[0].source.ends_with("batch.jsonl:2"));
    }

    #[test]
    fn folder_walk_gives_relative_ids_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "B").unwrap();
        std::fs::write(dir.path().join("a.txt"), "A").unwrap();
        std::fs::write(dir.path().join("ignored.md"), "C").unwrap();
        let mut diagnostics = Vec::new();
        let items = collect(
            &[dir.path().to_path_buf()],
            InputFormat::Detect,
            &mut diagnostics,
        );
        let ids: Vec<&str> = items.iter().map(|i| i.doc_id.as_str()).collect();
        assert_eq!(ids, ["a", "sub/b"]);
        assert!(diagnostics.is_empty());
    }
}
