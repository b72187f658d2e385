//! File access for the rule and data files that drive every stage.
//!
//! Rules are plain files a domain expert edits: TOML for rules, TSV for
//! lists, one word per line for word lists. They are read from `--rules DIR`
//! and `--data DIR` (default: `rules/` and `data/` in the working directory),
//! falling back to the copies built into the binary, so `ikz` also works from
//! any folder. This module only finds and reads the files ([`Source`]),
//! remembers which files were read with their SHA-256 (for the manifest),
//! and turns problems into `path:line:column: what is wrong` errors
//! ([`RuleFile`]). Each stage parses and compiles its own rules; the
//! pipeline gathers them into one immutable value that all threads share.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use regex::Regex;
use sha2::{Digest, Sha256};

/// One data row of a TSV file: its 1-based line number and its fields.
pub type TsvRow<'a> = (usize, Vec<&'a str>);

/// The data rows of a TSV file, from [`RuleFile::tsv_rows`]: blank and `#`
/// lines are skipped, a row with the wrong number of fields is an error
/// that names its line.
pub struct TsvRows<'a> {
    file: &'a RuleFile,
    header: Vec<&'a str>,
    lines: std::iter::Enumerate<std::str::Lines<'a>>,
    /// Lines of the file before the first of `lines`.
    lines_before: usize,
}

impl<'a> Iterator for TsvRows<'a> {
    type Item = Result<TsvRow<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let (index, line) = self
            .lines
            .by_ref()
            .find(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))?;
        let number = self.lines_before + index + 1;
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != self.header.len() {
            return Some(Err(self.file.error_on_line(
                number,
                &format!(
                    "{} fields where the header has {} ({}); separate fields with one tab",
                    fields.len(),
                    self.header.len(),
                    self.header.join(", ")
                ),
            )));
        }
        Some(Ok((number, fields)))
    }
}

/// One rule or data file's text and the path to name in messages.
pub struct RuleFile {
    /// Path as shown to the user (`rules/relations.toml`, or `<built-in>/…`).
    pub path: String,
    /// The file's contents.
    pub text: String,
}

impl RuleFile {
    /// An error at a byte offset of this file, as `path:line:column: message`.
    pub fn error_at(&self, offset: usize, message: &str) -> anyhow::Error {
        let (line, column) = line_column(&self.text, offset);
        anyhow!("{}:{line}:{column}: {message}", self.path)
    }

    /// An error on a 1-based line of this file.
    pub fn error_on_line(&self, line: usize, message: &str) -> anyhow::Error {
        anyhow!("{}:{line}:1: {message}", self.path)
    }

    /// Parses the file as TOML into `T`, reporting syntax errors, unknown
    /// keys and wrong types with their position.
    pub fn parse_toml<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        toml::from_str(&self.text).map_err(|err| {
            let offset = err.span().map(|s| s.start).unwrap_or(0);
            self.error_at(offset, err.message())
        })
    }

    /// The header of a TSV file and its data rows, read one at a time (a
    /// list may hold a million names; its rows are not collected first).
    /// Rows must have as many fields as the header.
    pub fn tsv_rows(&self) -> Result<(Vec<&str>, TsvRows<'_>)> {
        let (header, mut parts) = self.tsv_parts(1)?;
        let rows = parts.pop().unwrap_or_else(|| self.rows_of(&header, "", 1));
        Ok((header, rows))
    }

    /// The header of a TSV file and its data rows in up to `parts`
    /// consecutive parts of about equal size, split at line ends, for
    /// reading a long list on several threads. Line numbers stay those of
    /// the whole file.
    pub fn tsv_parts(&self, parts: usize) -> Result<(Vec<&str>, Vec<TsvRows<'_>>)> {
        let (first, body) = self.text.split_once('\n').unwrap_or((&self.text, ""));
        if self.text.is_empty() {
            return Err(self.error_on_line(1, "empty file: a header row is needed"));
        }
        let header: Vec<&str> = first
            .strip_suffix('\r')
            .unwrap_or(first)
            .split('\t')
            .collect();
        let target = body.len() / parts.max(1) + 1;
        let mut result = Vec::new();
        let (mut rest, mut lines_before) = (body, 1);
        while !rest.is_empty() {
            let end = match rest.as_bytes().get(target..) {
                Some(after) => memchr::memchr(b'\n', after).map_or(rest.len(), |i| target + i + 1),
                None => rest.len(),
            };
            let (part, next) = rest.split_at(end);
            result.push(self.rows_of(&header, part, lines_before));
            lines_before += memchr::memchr_iter(b'\n', part.as_bytes()).count();
            rest = next;
        }
        Ok((header, result))
    }

    fn rows_of<'a>(
        &'a self,
        header: &[&'a str],
        part: &'a str,
        lines_before: usize,
    ) -> TsvRows<'a> {
        TsvRows {
            file: self,
            header: header.to_vec(),
            lines: part.lines().enumerate(),
            lines_before,
        }
    }

    /// The column index of `name` in a TSV header.
    pub fn column(&self, header: &[&str], name: &str) -> Result<usize> {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| self.error_on_line(1, &format!("the header lacks a `{name}` column")))
    }

    /// Non-empty, non-comment lines of a word list: `(line number, text)`.
    pub fn word_lines(&self) -> Vec<(usize, &str)> {
        self.text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }
}

/// Compiles a rule pattern with size limits, so no rule can exhaust memory;
/// errors point at the pattern's line in the rule file.
pub fn compile(file: &RuleFile, pattern: &str) -> Result<Regex> {
    compile_at(file, pattern, pattern)
}

/// Compiles `expanded` (a pattern after macro expansion); errors point at
/// where `written` stands in the rule file.
pub fn compile_at(file: &RuleFile, written: &str, expanded: &str) -> Result<Regex> {
    regex::RegexBuilder::new(expanded)
        .size_limit(8 << 20)
        .dfa_size_limit(8 << 20)
        .build()
        .map_err(|err| {
            let offset = file.text.find(written).unwrap_or(0);
            file.error_at(offset, &format!("bad regular expression: {err}"))
        })
}

/// Compiles a rule's regular expression as [`compile_at`] does, as a
/// `regex-automata` meta regex: the same engines and limits, plus anchored
/// searches from a given position, which the `regex` crate does not offer
/// (entity patterns search from the word starts near their literals).
pub fn compile_meta_at(
    file: &RuleFile,
    written: &str,
    expanded: &str,
) -> Result<regex_automata::meta::Regex> {
    // What `regex::RegexBuilder` sets, with compile_at's limits.
    let config = regex_automata::meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(8 << 20))
        .hybrid_cache_capacity(8 << 20);
    regex_automata::meta::Builder::new()
        .configure(config)
        .syntax(regex_automata::util::syntax::Config::new().utf8(true))
        .build(expanded)
        .map_err(|err| {
            let offset = file.text.find(written).unwrap_or(0);
            file.error_at(offset, &format!("bad regular expression: {err}"))
        })
}

/// Checks that a folder named with `flag` (`--rules`, `--data`) exists,
/// before anything is read from it.
pub fn check_folder(flag: &str, dir: Option<&Path>) -> Result<()> {
    match dir.filter(|d| !d.is_dir()) {
        Some(dir) => Err(anyhow!(
            "{flag} {}: no such folder; name a folder that holds the files",
            dir.display()
        )),
        None => Ok(()),
    }
}

/// Compiles rule entries side by side (start-up is mostly regex
/// compilation) and returns them in order, or the first error in file
/// order, as a one-by-one compilation would.
pub fn compile_in_parallel<I, T>(
    entries: I,
    compile: impl Fn(I::Item) -> Result<T> + Sync + Send,
) -> Result<Vec<T>>
where
    I: rayon::iter::IntoParallelIterator,
    I::Iter: rayon::iter::IndexedParallelIterator,
    T: Send,
{
    use rayon::iter::ParallelIterator;
    let compiled: Vec<Result<T>> = entries.into_par_iter().map(compile).collect();
    compiled.into_iter().collect()
}

/// What may stand right before a whole word in a rule's word list: the
/// text's start or a character that is no letter, digit or `_`. Used
/// instead of `\b` in expressions that are only tested (never used for
/// their match): a Unicode `\b` keeps a regex off the fast automaton on
/// German text, and an ASCII one never holds beside an umlaut (`über`).
pub const WORD_EDGE_BEFORE: &str = r"(?:^|[^\p{L}\p{N}_])";

/// The same right after a whole word: the text's end or a non-letter.
pub const WORD_EDGE_AFTER: &str = r"(?:$|[^\p{L}\p{N}_])";

/// Compiles a pattern that must match a whole piece of text (a gap between
/// two mentions, a found word); errors point at the pattern in the file.
pub fn compile_whole(file: &RuleFile, pattern: &str) -> Result<Regex> {
    compile_at(file, pattern, &format!("^(?:{pattern})$"))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Where rule or data files come from: a folder, or the built-in copies.
///
/// Every file read through a `Source` is recorded with its SHA-256, so the
/// run's manifest can say exactly which rules and data produced the tables.
pub struct Source {
    dir: Option<PathBuf>,
    name: &'static str,
    embedded: &'static [(&'static str, &'static str)],
    opened: std::sync::Mutex<Vec<FileDigest>>,
}

/// One rule or data file that was read, and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileDigest {
    /// The file name inside its folder (`relations.toml`).
    pub file: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Which rules or data a run used: a folder (absolute path) or the copies
/// built into the binary, and every file read with its hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceRecord {
    /// The folder, or `built-in`.
    pub location: String,
    /// The files read, in the order they were read.
    pub files: Vec<FileDigest>,
}

/// What `location` says when the built-in copies were used.
pub const BUILT_IN: &str = "built-in";

impl Source {
    /// The rules source: `explicit` if given, else `rules/` in the working
    /// directory if it exists, else the built-in rules.
    pub fn rules(explicit: Option<&Path>) -> Source {
        Source::new(explicit, "rules", EMBEDDED_RULES)
    }

    /// The data source: `explicit` if given, else `data/` in the working
    /// directory if it exists, else the built-in data.
    pub fn data(explicit: Option<&Path>) -> Source {
        Source::new(explicit, "data", EMBEDDED_DATA)
    }

    fn new(
        explicit: Option<&Path>,
        default: &'static str,
        embedded: &'static [(&'static str, &'static str)],
    ) -> Source {
        let dir = match explicit {
            Some(dir) => Some(dir.to_path_buf()),
            None => Some(PathBuf::from(default)).filter(|d| d.is_dir()),
        };
        Source {
            dir,
            name: default,
            embedded,
            opened: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A source that reads only from `dir` (used by tests).
    pub fn folder(dir: &Path) -> Source {
        Source {
            dir: Some(dir.to_path_buf()),
            name: "rules",
            embedded: &[],
            opened: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Whether the built-in copies are used (no folder was given or found).
    pub fn is_built_in(&self) -> bool {
        self.dir.is_none()
    }

    /// Where the files came from and which were read, with their hashes.
    pub fn record(&self) -> SourceRecord {
        let location = match &self.dir {
            Some(dir) => std::path::absolute(dir)
                .unwrap_or_else(|_| dir.clone())
                .display()
                .to_string(),
            None => BUILT_IN.to_string(),
        };
        // The stages load side by side: the files are listed by name.
        let mut files = self
            .opened
            .lock()
            .map(|opened| opened.clone())
            .unwrap_or_default();
        files.sort_by(|a, b| a.file.cmp(&b.file));
        files.dedup();
        SourceRecord { location, files }
    }

    /// Reads one file by name.
    pub fn open(&self, file: &str) -> Result<RuleFile> {
        let rule_file = self.read(file)?;
        let digest = FileDigest {
            file: file.to_string(),
            sha256: sha256_hex(rule_file.text.as_bytes()),
        };
        if let Ok(mut opened) = self.opened.lock() {
            opened.push(digest);
        }
        Ok(rule_file)
    }

    fn read(&self, file: &str) -> Result<RuleFile> {
        if let Some(dir) = &self.dir {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|err| {
                anyhow!(
                    "{}: cannot read: {err}; every {} folder needs this file (copy it from the ikz repository)",
                    path.display(),
                    self.name
                )
            })?;
            return Ok(RuleFile {
                path: path.display().to_string(),
                text,
            });
        }
        let text = self
            .embedded
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| anyhow!("<built-in>/{}/{file}: no such built-in file", self.name))?;
        Ok(RuleFile {
            path: format!("<built-in>/{}/{file}", self.name),
            text,
        })
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

macro_rules! embed {
    ($dir:literal, [$($file:literal),* $(,)?]) => {
        &[$(($file, include_str!(concat!("../", $dir, "/", $file)))),*]
    };
}

/// The rule files built into the binary.
const EMBEDDED_RULES: &[(&str, &str)] = embed!(
    "rules",
    [
        "boilerplate.toml",
        "abbreviations.txt",
        "sentences.toml",
        "organisations.tsv",
        "places.tsv",
        "roles.tsv",
        "entities.toml",
        "relations.toml",
        "role_links.toml",
        "triggers.toml",
        "references.toml",
    ]
);

/// The reference data built into the binary.
const EMBEDDED_DATA: &[(&str, &str)] = embed!(
    "data",
    [
        "gemeinden.tsv",
        "kreise.tsv",
        "laender.tsv",
        "vornamen.tsv",
        "it_dienstleister.tsv",
        "ambiguous_place_names.txt",
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> RuleFile {
        RuleFile {
            path: "rules/list.tsv".to_string(),
            text: text.to_string(),
        }
    }

    /// Every row as `(line, fields)`, read in `parts` parts.
    fn rows_in_parts(file: &RuleFile, parts: usize) -> Vec<TsvRow<'_>> {
        let (_, parts) = file.tsv_parts(parts).unwrap();
        parts.into_iter().flatten().map(Result::unwrap).collect()
    }

    #[test]
    fn a_list_read_in_parts_gives_the_rows_and_line_numbers_of_one_pass() {
        let mut text = String::from("id\tname\r\n# a comment\n\n");
        for i in 0..500 {
            text.push_str(&format!("org:{i}\tName {i}\n"));
            if i % 7 == 0 {
                text.push_str("# between\n\n");
            }
            if i % 11 == 0 {
                text.push_str(&format!("org:{i}b\tmit CRLF\r\n"));
            }
        }
        let file = list(&text);
        let (header, rows) = file.tsv_rows().unwrap();
        assert_eq!(header, ["id", "name"]);
        let whole: Vec<TsvRow> = rows.map(Result::unwrap).collect();
        assert_eq!(whole.len(), 500 + 46);
        assert_eq!(whole[0], (4, vec!["org:0", "Name 0"]));
        for parts in [1, 2, 3, 8, 64, 5000] {
            assert_eq!(rows_in_parts(&file, parts), whole, "{parts} parts");
        }
        // Each line number points at its row in the text.
        let lines: Vec<&str> = text.lines().collect();
        for (line, fields) in &whole {
            assert_eq!(lines[line - 1], fields.join("\t"));
        }
    }

    #[test]
    fn a_row_with_the_wrong_number_of_fields_is_named_by_its_line_in_any_part() {
        let mut text = String::from("id\tname\n");
        for i in 0..300 {
            text.push_str(&format!("org:{i}\tName {i}\n"));
        }
        text.push_str("org:bad\tzwei\tdrei\n");
        let file = list(&text);
        for parts in [1, 4, 16] {
            let (_, parts) = file.tsv_parts(parts).unwrap();
            let error = parts
                .into_iter()
                .flatten()
                .find_map(Result::err)
                .expect("an error");
            assert!(
                error
                    .to_string()
                    .starts_with("rules/list.tsv:302:1: 3 fields"),
                "{error}"
            );
        }
        assert!(list("").tsv_rows().is_err());
        // A header alone, and a last row without a line end.
        let header_only = list("id\tname");
        let (header, rows) = header_only.tsv_rows().unwrap();
        assert_eq!((header, rows.count()), (vec!["id", "name"], 0));
        let file = list("id\tname\na\tb\n# c\nd\te");
        for parts in [1, 2, 3] {
            assert_eq!(
                rows_in_parts(&file, parts),
                [(2, vec!["a", "b"]), (4, vec!["d", "e"])],
                "{parts} parts"
            );
        }
    }
}
