//! Finding and reading inputs: folders (walked recursively for `*.txt` and
//! `*.jsonl`), single files, JSON Lines files and `-` for standard input.
//!
//! Reading never fails a run: whatever cannot be read becomes a
//! [`Diagnostic`] and the walk goes on.

use std::io::{BufRead, BufReader, Read};
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
    for found in Inputs::new(inputs, stdin) {
        match found {
            Found::Item(item) => items.push(item),
            Found::Problem(d) => diagnostics.push(d),
        }
    }
    items
}

/// What the walk over the inputs gives, one at a time.
pub enum Found {
    /// An input to read.
    Item(InputItem),
    /// A path that could not be read, or a folder with nothing to read.
    Problem(Diagnostic),
}

/// The command-line inputs expanded one item at a time, in the order of
/// [`collect`]: a run over a folder of a million pages holds one folder
/// walk, not a list of a million paths.
pub struct Inputs<'a> {
    inputs: std::slice::Iter<'a, PathBuf>,
    stdin: InputFormat,
    /// The folder being walked, its root, and whether it gave an item yet.
    walking: Option<(walkdir::IntoIter, PathBuf, bool)>,
}

impl<'a> Inputs<'a> {
    /// A walk over `inputs`; `stdin` says how `-` is split into documents.
    pub fn new(inputs: &'a [PathBuf], stdin: InputFormat) -> Inputs<'a> {
        Inputs {
            inputs: inputs.iter(),
            stdin,
            walking: None,
        }
    }

    /// The next item or problem of the folder being walked; `None` when the
    /// folder is done (after its warning, if it held nothing to read).
    fn next_in_folder(&mut self) -> Option<Found> {
        let (walker, root, gave_any) = self.walking.as_mut()?;
        for entry in walker.by_ref() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().map(|p| p.display().to_string());
                    let source = path.unwrap_or_else(|| root.display().to_string());
                    return Some(Found::Problem(input_error(
                        &source,
                        &format!("cannot read: {err}; skipped"),
                    )));
                }
            };
            let path = entry.path();
            if !entry.file_type().is_file() || !is_input_file(path) {
                continue;
            }
            *gave_any = true;
            let relative = path.strip_prefix(&*root).unwrap_or(path);
            return Some(Found::Item(file_item(
                path.to_path_buf(),
                without_extension(relative),
            )));
        }
        let (_, root, gave_any) = self.walking.take()?;
        (!gave_any).then(|| {
            Found::Problem(Diagnostic {
                source: root.display().to_string(),
                doc_id: None,
                severity: Severity::Warning,
                stage: "input".to_string(),
                message: "the folder holds no *.txt or *.jsonl files; nothing was read from it"
                    .to_string(),
            })
        })
    }
}

impl Iterator for Inputs<'_> {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            if self.walking.is_some() {
                match self.next_in_folder() {
                    Some(found) => return Some(found),
                    None => continue,
                }
            }
            let input = self.inputs.next()?;
            if input.as_os_str() == "-" {
                return Some(Found::Item(InputItem {
                    origin: Origin::Stdin,
                    doc_id: "stdin".to_string(),
                    format: self.stdin,
                }));
            } else if input.is_dir() {
                let walker = walkdir::WalkDir::new(input)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter();
                self.walking = Some((walker, input.clone(), false));
            } else if input.exists() {
                // A file, or a pipe such as `<(zcat pages.txt.gz)`: read as a file.
                let doc_id = without_extension(Path::new(input.file_name().unwrap_or_default()));
                return Some(Found::Item(file_item(input.clone(), doc_id)));
            } else {
                return Some(Found::Problem(input_error(
                    &input.display().to_string(),
                    "no such file or folder; check the path",
                )));
            }
        }
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

/// The decode stage's warning that a text needed replacement characters.
fn decode_warning(source: &str, doc_id: Option<String>, message: &str) -> Diagnostic {
    Diagnostic {
        source: source.to_string(),
        doc_id,
        severity: Severity::Warning,
        stage: "decode".to_string(),
        message: message.to_string(),
    }
}

/// A diagnostic of the decode stage: an input that is not text.
fn decode_error(source: &str, message: &str) -> Diagnostic {
    Diagnostic {
        stage: "decode".to_string(),
        ..input_error(source, message)
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
            diagnostics.push(decode_error(&source, &message));
            return Vec::new();
        }
    };
    let jsonl = match item.format {
        InputFormat::Text => false,
        InputFormat::JsonLines => true,
        InputFormat::Detect => looks_like_jsonl(&decoded.text),
    };
    documents_of(item, source, decoded, jsonl, diagnostics)
}

/// The documents of one decoded input: one per line of JSON Lines, else
/// the whole text; with the decoding warning, if any.
fn documents_of(
    item: &InputItem,
    source: String,
    decoded: decode::Decoded,
    jsonl: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RawDocument> {
    if let Some(message) = &decoded.warning {
        let doc_id = (!jsonl).then(|| item.doc_id.clone());
        diagnostics.push(decode_warning(&source, doc_id, message));
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
        let at = JsonlLine {
            item,
            source,
            line_no: number + 1,
        };
        docs.extend(at.document(line, &decoded.encoding, diagnostics));
    }
    docs
}

/// Where a line of a JSON Lines input stands: what its document's id and
/// source are made of.
struct JsonlLine<'a> {
    item: &'a InputItem,
    source: &'a str,
    line_no: usize,
}

impl JsonlLine<'_> {
    /// The document of this line, or its diagnostic; `None` for a blank line.
    fn document(
        &self,
        line: &str,
        encoding: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<RawDocument> {
        if line.trim().is_empty() {
            return None;
        }
        let at = format!("{}:{}", self.source, self.line_no);
        match parse_jsonl_line(line) {
            Ok((id, text)) => Some(RawDocument {
                doc_id: id.unwrap_or_else(|| format!("{}:{}", self.item.doc_id, self.line_no)),
                source: at,
                text,
                encoding: encoding.to_string(),
            }),
            Err(message) => {
                diagnostics.push(input_error(&at, &message));
                None
            }
        }
    }
}

/// A JSON Lines input read a chunk of documents at a time, so memory stays
/// bounded however long the file is. JSON text is UTF-8 (RFC 8259): each
/// line is decoded on its own; a line that is not UTF-8 goes through the
/// same detection as a whole file. A file with a UTF-16 byte-order mark is
/// read whole, as before.
pub struct JsonlStream {
    reader: Box<dyn BufRead + Send>,
    item: InputItem,
    source: String,
    /// Lines read so far, counted as a normalised text counts them (CRLF is
    /// one line end, a lone CR one too).
    line_no: usize,
    /// Set once the replacement-character warning has been given.
    warned: bool,
    done: bool,
}

/// Documents per chunk of a streamed JSON Lines file.
const JSONL_CHUNK_DOCS: usize = 256;
/// Bytes of text per chunk of a streamed JSON Lines file.
const JSONL_CHUNK_BYTES: usize = 16 * 1024 * 1024;

impl JsonlStream {
    /// Opens `item` (a JSON Lines file or standard input); `None`, with a
    /// diagnostic, when it cannot be read.
    pub fn open(item: &InputItem, diagnostics: &mut Vec<Diagnostic>) -> Option<JsonlStream> {
        let reader: Box<dyn BufRead + Send> = match &item.origin {
            Origin::File(path) => match std::fs::File::open(path) {
                Ok(file) => Box::new(BufReader::with_capacity(1 << 16, file)),
                Err(err) => {
                    diagnostics.push(input_error(
                        &item.source(),
                        &format!("cannot read: {err}; skipped"),
                    ));
                    return None;
                }
            },
            Origin::Stdin => Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
        };
        Some(JsonlStream {
            reader,
            item: item.clone(),
            source: item.source(),
            line_no: 0,
            warned: false,
            done: false,
        })
    }

    /// The next documents of the file, with the diagnostics of their lines;
    /// `None` once the file is read to its end.
    pub fn next_chunk(&mut self, profile: &Profile) -> Option<(Vec<RawDocument>, Vec<Diagnostic>)> {
        if self.done {
            return None;
        }
        let mut docs = Vec::new();
        let mut diagnostics = Vec::new();
        if self.line_no == 0 && !self.start(&mut docs, &mut diagnostics, profile) {
            self.done = true;
            return Some((docs, diagnostics));
        }
        let mut bytes = 0;
        let mut line = Vec::new();
        while docs.len() < JSONL_CHUNK_DOCS && bytes < JSONL_CHUNK_BYTES {
            line.clear();
            let read = profile.time(Stage::Read, || self.reader.read_until(b'\n', &mut line));
            match read {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => profile.add_bytes(n as u64),
                Err(err) => {
                    diagnostics.push(input_error(
                        &self.source,
                        &format!(
                            "cannot read after line {}: {err}; the rest is skipped",
                            self.line_no
                        ),
                    ));
                    self.done = true;
                    break;
                }
            }
            let _decoding = profile.timer(Stage::Decode);
            let Some((text, encoding)) = self.decode_line(&line, &mut diagnostics) else {
                self.line_no += 1;
                continue;
            };
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            // A lone CR ends a line too, as in a normalised text.
            for piece in text.split('\r') {
                self.line_no += 1;
                let at = JsonlLine {
                    item: &self.item,
                    source: &self.source,
                    line_no: self.line_no,
                };
                if let Some(doc) = at.document(piece, &encoding, &mut diagnostics) {
                    bytes += doc.text.len();
                    docs.push(doc);
                }
            }
        }
        Some((docs, diagnostics))
    }

    /// Handles the byte-order mark before the first line: skips a UTF-8
    /// one; a UTF-16 file is read and split whole. Returns whether lines
    /// are to be streamed.
    fn start(
        &mut self,
        docs: &mut Vec<RawDocument>,
        diagnostics: &mut Vec<Diagnostic>,
        profile: &Profile,
    ) -> bool {
        let head = match self.reader.fill_buf() {
            Ok(head) => head,
            Err(err) => {
                diagnostics.push(input_error(
                    &self.source,
                    &format!("cannot read: {err}; skipped"),
                ));
                return false;
            }
        };
        let binary = decode::binary_kind(head);
        match encoding_rs::Encoding::for_bom(head) {
            Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => {
                self.reader.consume(bom);
                true
            }
            Some(_) => {
                let mut bytes = Vec::new();
                if let Err(err) = self.reader.read_to_end(&mut bytes) {
                    diagnostics.push(input_error(
                        &self.source,
                        &format!("cannot read: {err}; skipped"),
                    ));
                    return false;
                }
                profile.add_bytes(bytes.len() as u64);
                match decode::decode(&bytes) {
                    Ok(decoded) => docs.extend(documents_of(
                        &self.item,
                        self.source.clone(),
                        decoded,
                        true,
                        diagnostics,
                    )),
                    Err(decode::NotText(message)) => {
                        diagnostics.push(decode_error(&self.source, &message))
                    }
                }
                false
            }
            None => match binary {
                Some(kind) => {
                    diagnostics.push(decode_error(&self.source, &decode::not_text(kind).0));
                    false
                }
                None => true,
            },
        }
    }

    /// One line's text and encoding; the first line that needs replacement
    /// characters adds the file's warning.
    fn decode_line(
        &mut self,
        line: &[u8],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(String, String)> {
        if let Ok(text) = std::str::from_utf8(line) {
            return Some((text.to_string(), "UTF-8".to_string()));
        }
        let decoded = match decode::decode(line) {
            Ok(decoded) => decoded,
            Err(decode::NotText(message)) => {
                let at = format!("{}:{}", self.source, self.line_no + 1);
                diagnostics.push(input_error(&at, &format!("line is not text: {message}")));
                return None;
            }
        };
        let (text, encoding, warning) = (decoded.text, decoded.encoding, decoded.warning);
        if let Some(message) = warning.filter(|_| !self.warned) {
            self.warned = true;
            diagnostics.push(decode_warning(&self.source, None, &message));
        }
        Some((text, encoding))
    }
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

    /// Every document and diagnostic of a streamed JSON Lines file.
    fn streamed(item: &InputItem) -> (Vec<RawDocument>, Vec<Diagnostic>) {
        let (mut docs, mut diagnostics) = (Vec::new(), Vec::new());
        let mut stream = JsonlStream::open(item, &mut diagnostics).unwrap();
        let mut chunks = 0;
        while let Some((d, g)) = stream.next_chunk(&Profile::default()) {
            docs.extend(d);
            diagnostics.extend(g);
            chunks += 1;
        }
        assert!(chunks >= 3, "700 documents come in several chunks");
        (docs, diagnostics)
    }

    #[test]
    fn streamed_jsonl_gives_what_the_whole_file_reader_gives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.jsonl");
        let mut bytes = Vec::new();
        for i in 0..1000 {
            let line = match i % 7 {
                0 => format!(
                    "{{\"id\": \"n{i}\", \"text\": \"Die Stadt Hamm kooperiert.\\r\\nMit Unna.\"}}\r\n"
                ),
                1 => "\n   \n".to_string(),
                2 => format!("{{\"text\": \"Kreis Soest {i}\"}}\r"),
                3 => "{not json\n".to_string(),
                _ => format!("{{\"id\": {i}, \"text\": \"Lecos GmbH {i}\"}}\n"),
            };
            bytes.extend(line.as_bytes());
        }
        // One line that is not UTF-8 (Windows-1252 `ü`) and one last line
        // without a line end.
        bytes.extend(
            b"{\"id\": \"w\", \"text\": \"M\xFCnster\"}\n{\"id\": \"end\", \"text\": \"Ende\"}",
        );
        std::fs::write(&path, &bytes).unwrap();
        let item = file_item(path, "many".to_string());
        assert_eq!(item.format, InputFormat::JsonLines);
        let mut whole_diagnostics = Vec::new();
        let whole = read(&item, &mut whole_diagnostics);
        let (docs, diagnostics) = streamed(&item);
        let key = |d: &RawDocument| (d.doc_id.clone(), d.source.clone(), d.text.clone());
        let whole_keys: Vec<_> = whole.iter().filter(|d| d.doc_id != "w").map(key).collect();
        let keys: Vec<_> = docs.iter().filter(|d| d.doc_id != "w").map(key).collect();
        assert_eq!(keys, whole_keys);
        assert!(keys.len() > 400);
        // The one non-UTF-8 line is decoded on its own, as Windows-1252.
        let w = docs.iter().find(|d| d.doc_id == "w").unwrap();
        assert_eq!(
            (w.text.as_str(), w.encoding.as_str()),
            ("Münster", "windows-1252")
        );
        let sources = |ds: &[Diagnostic]| {
            let mut v: Vec<String> = ds
                .iter()
                .filter(|d| d.stage == "input")
                .map(|d| d.source.clone())
                .collect();
            v.sort();
            v
        };
        assert_eq!(sources(&diagnostics), sources(&whole_diagnostics));
        assert!(!sources(&diagnostics).is_empty());
    }

    #[test]
    fn a_binary_file_named_jsonl_gives_one_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zipped.jsonl");
        let mut bytes = b"\x1F\x8B\x08\x00".to_vec();
        bytes.extend(std::iter::repeat_n(b"\n\x01\x02", 50).flatten());
        std::fs::write(&path, bytes).unwrap();
        let item = file_item(path, "zipped".to_string());
        let mut diagnostics = Vec::new();
        let mut stream = JsonlStream::open(&item, &mut diagnostics).unwrap();
        let (docs, diagnostics) = stream.next_chunk(&Profile::default()).unwrap();
        assert!(docs.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("gzip"), "{diagnostics:?}");
        assert!(stream.next_chunk(&Profile::default()).is_none());
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
