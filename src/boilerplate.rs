//! Stage 2: keep the article, drop the site around it, read the metadata.
//!
//! Works line by line on the decoded text, driven by `rules/boilerplate.toml`
//! (ANNOTATION.md §1): chrome lines are dropped wherever they stand, a teaser
//! marker ends the article, dated teaser items and everything between them
//! are dropped, an exact repetition of a kept line (a caption shown twice)
//! counts once. Metadata lines (keywords, credits) leave the body and fill
//! [`Metadata`]. The body is the kept lines, right-trimmed, joined by `\n`.

use std::borrow::Cow;
use std::collections::HashSet;

use anyhow::Result;
use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;

use crate::model::{Metadata, Span};
use crate::rules::{Source, compile};
use crate::sentences::{SentenceRules, continues_previous_line};

/// What the stage produces for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The kept lines joined by `\n`.
    pub body: String,
    /// Spans of `body` that belong to no sentence.
    pub non_sentence: Vec<Span>,
    /// Metadata read from the page.
    pub meta: Metadata,
    /// What became of each line of the text (split at `\n`), in order:
    /// `ikz explain` shows the dropped lines and why.
    pub lines: Vec<LineKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoilerplateFile {
    drop: Vec<LineRuleFile>,
    teaser_marker: Vec<LineRuleFile>,
    teaser: TeaserFile,
    chrome: ChromeFile,
    metadata: MetadataFile,
    labels: LabelsFile,
    title: TitleFile,
    shape: ShapeFile,
    dates: DatesFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineRuleFile {
    id: String,
    pattern: String,
    #[serde(default)]
    chrome_above: bool,
    examples: Vec<String>,
    counter_examples: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeaserFile {
    #[serde(rename = "id")]
    _id: String,
    item: String,
    line: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChromeFile {
    breadcrumb: String,
    nav_words: Vec<String>,
    min_nav_words: usize,
    max_nav_line_words: usize,
    top_lines: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataFile {
    keywords: String,
    image_credit: Vec<String>,
    inline_credit: String,
    dateline: String,
    date_line: String,
    place_dateline: String,
    credit_date: String,
    author: String,
    glued_image_name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsFile {
    title: Vec<String>,
    drop_with_value: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleFile {
    max_chars: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeFile {
    paragraph_chars: usize,
    header_min_lines: usize,
    header_keep: usize,
    tail_max_words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesFile {
    months: Vec<String>,
}

/// A compiled `[[drop]]` rule.
struct DropRule {
    /// The rule's id, shown by `ikz explain`.
    id: String,
    /// Near the top of the page, the lines above a match are chrome too.
    chrome_above: bool,
}

/// The examples of one `[[drop]]` or `[[teaser_marker]]` rule: lines it
/// must match and lines it must not (`ikz rules test` runs them).
#[derive(Debug, Clone)]
pub struct LineRuleExamples {
    /// `drop:ID` or `teaser_marker:ID`, as `ikz explain` names the rule.
    pub rule: String,
    /// The id as written in the file.
    pub id: String,
    /// Lines the rule must match.
    pub examples: Vec<String>,
    /// Lines it must not match.
    pub counter_examples: Vec<String>,
}

/// Compiled boilerplate rules.
pub struct BoilerplateRules {
    /// The examples of every `[[drop]]` and `[[teaser_marker]]` rule.
    pub line_examples: Vec<LineRuleExamples>,
    drop: Vec<DropRule>,
    /// All drop patterns in one set: one pass over a line finds them all.
    drop_set: regex::RegexSet,
    teaser_markers: Vec<Regex>,
    teaser_marker_ids: Vec<String>,
    teaser_item: Regex,
    teaser_line: Regex,
    breadcrumb: Regex,
    /// The navigation words, lower case, in one automaton: one pass over
    /// a line finds them all.
    nav_words: aho_corasick::AhoCorasick,
    min_nav_words: usize,
    max_nav_line_words: usize,
    top_lines: usize,
    keywords: Regex,
    image_credit: Vec<Regex>,
    inline_credit: Regex,
    dateline: Regex,
    date_line: Regex,
    place_dateline: Regex,
    credit_date: Regex,
    author: Regex,
    glued_image_name: Regex,
    title_labels: HashSet<String>,
    drop_labels: HashSet<String>,
    title_max_chars: usize,
    shape: ShapeFile,
    /// Lower-case month names, January first.
    months: Vec<String>,
}

impl BoilerplateRules {
    /// Loads `boilerplate.toml`.
    pub fn load(rules: &Source) -> Result<BoilerplateRules> {
        let file = rules.open("boilerplate.toml")?;
        let raw: BoilerplateFile = file.parse_toml()?;
        let mut ids = HashSet::new();
        for rule in raw.drop.iter().chain(&raw.teaser_marker) {
            if !ids.insert(rule.id.as_str()) {
                let at = file.text.rfind(&format!("\"{}\"", rule.id)).unwrap_or(0);
                return Err(file.error_at(at, &format!("duplicate rule id `{}`", rule.id)));
            }
            if rule.examples.is_empty() || rule.counter_examples.is_empty() {
                let at = file.text.find(&format!("\"{}\"", rule.id)).unwrap_or(0);
                return Err(file.error_at(
                    at,
                    &format!(
                        "rule `{}` needs at least one example and one counter-example",
                        rule.id
                    ),
                ));
            }
        }
        let examples = |kind: &str, rules: &[LineRuleFile]| -> Vec<LineRuleExamples> {
            rules
                .iter()
                .map(|r| LineRuleExamples {
                    rule: format!("{kind}:{}", r.id),
                    id: r.id.clone(),
                    examples: r.examples.clone(),
                    counter_examples: r.counter_examples.clone(),
                })
                .collect()
        };
        let line_examples = [
            examples("drop", &raw.drop),
            examples("teaser_marker", &raw.teaser_marker),
        ]
        .concat();
        let c = |p: &str| compile(&file, p);
        Ok(BoilerplateRules {
            drop: raw
                .drop
                .iter()
                .map(|r| {
                    c(&r.pattern)?; // reports a bad pattern at its own line
                    Ok(DropRule {
                        id: r.id.clone(),
                        chrome_above: r.chrome_above,
                    })
                })
                .collect::<Result<_>>()?,
            drop_set: regex::RegexSetBuilder::new(raw.drop.iter().map(|r| r.pattern.as_str()))
                .size_limit(16 << 20)
                .dfa_size_limit(16 << 20)
                .build()
                .map_err(|e| {
                    file.error_at(
                        0,
                        &format!("the drop patterns do not compile together: {e}"),
                    )
                })?,
            teaser_markers: raw
                .teaser_marker
                .iter()
                .map(|r| c(&r.pattern))
                .collect::<Result<_>>()?,
            teaser_marker_ids: raw.teaser_marker.iter().map(|r| r.id.clone()).collect(),
            teaser_item: c(&raw.teaser.item)?,
            teaser_line: c(&raw.teaser.line)?,
            breadcrumb: c(&raw.chrome.breadcrumb)?,
            nav_words: aho_corasick::AhoCorasick::new(
                raw.chrome.nav_words.iter().map(|w| w.to_lowercase()),
            )
            .map_err(|err| anyhow::anyhow!("{}: [chrome] nav_words: {err}", file.path))?,
            min_nav_words: raw.chrome.min_nav_words,
            max_nav_line_words: raw.chrome.max_nav_line_words,
            top_lines: raw.chrome.top_lines,
            keywords: c(&raw.metadata.keywords)?,
            image_credit: raw
                .metadata
                .image_credit
                .iter()
                .map(|p| c(p))
                .collect::<Result<_>>()?,
            inline_credit: c(&raw.metadata.inline_credit)?,
            dateline: c(&raw.metadata.dateline)?,
            date_line: c(&raw.metadata.date_line)?,
            place_dateline: c(&raw.metadata.place_dateline)?,
            credit_date: c(&raw.metadata.credit_date)?,
            author: c(&raw.metadata.author)?,
            glued_image_name: c(&raw.metadata.glued_image_name)?,
            title_labels: raw.labels.title.into_iter().collect(),
            drop_labels: raw.labels.drop_with_value.into_iter().collect(),
            title_max_chars: raw.title.max_chars,
            shape: raw.shape,
            months: raw.dates.months.iter().map(|m| m.to_lowercase()).collect(),
            line_examples,
        })
    }
}

impl BoilerplateRules {
    /// The `[[teaser_marker]]` or `[[drop]]` rule that takes `line`, named
    /// as `ikz explain` names it (`drop:navigation`); teaser markers are
    /// tried first, as [`clean`] tries them. For `ikz rules test`.
    pub fn line_rule(&self, line: &str) -> Option<String> {
        let line = line.trim();
        if let Some(marker) = self.teaser_markers.iter().position(|m| m.is_match(line)) {
            return Some(Why::TeaserMarker(marker).rule(self));
        }
        let rule = self.drop_set.matches(line).iter().next()?;
        Some(Why::DropRule(rule).rule(self))
    }
}

/// What a line of the page turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Part of the body.
    Content,
    /// Left out, for the reason given.
    Dropped(Why),
    /// A teaser item of another article (left out with its neighbours).
    Teaser,
}

/// Why a line left the body. `ikz explain` names it with [`Why::rule`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The line holds only white space.
    Blank,
    /// A breadcrumb trail (`[chrome] breadcrumb`).
    Breadcrumb,
    /// A menu or share bar (`[chrome] nav_words`).
    Navigation,
    /// Above a breadcrumb, menu or `chrome_above` rule near the page top.
    AboveChrome,
    /// A line that only dates the article (`[metadata] date_line`).
    DateLine,
    /// A field label of a council system (`[labels]`).
    Label,
    /// The value after a `drop_with_value` label.
    LabelValue,
    /// The teaser marker with this index (`[[teaser_marker]]`).
    TeaserMarker(usize),
    /// Below a teaser marker: the rest of the page is other articles.
    AfterTeaserMarker,
    /// The keywords line (`[metadata] keywords`).
    Keywords,
    /// An image credit (`[metadata] image_credit`).
    ImageCredit,
    /// The `[[drop]]` rule with this index.
    DropRule(usize),
    /// A teaser without date (`[teaser] line`).
    TeaserLine,
    /// Between the first teaser's title and the last teaser item.
    TeaserRegion,
    /// An exact repetition of a kept line.
    Repeated,
    /// One of many short lines above the first paragraph (`[shape]`).
    Header,
    /// A short line with no paragraph after it at the page end (`[shape]`).
    Tail,
}

impl LineKind {
    /// The rule that left the line out, as `ikz explain` names it
    /// (`teaser` for a teaser of another article); `None` for a kept line.
    pub fn dropped_by(&self, rules: &BoilerplateRules) -> Option<String> {
        match self {
            LineKind::Content => None,
            LineKind::Teaser => Some("teaser".to_string()),
            LineKind::Dropped(why) => Some(why.rule(rules)),
        }
    }
}

impl Why {
    /// The rule that dropped the line, as the rule file names it.
    pub fn rule(&self, rules: &BoilerplateRules) -> String {
        let named = |kind: &str, ids: &[String], i: usize| {
            format!("{kind}:{}", ids.get(i).map_or("?", String::as_str))
        };
        match self {
            Why::Blank => "blank".into(),
            Why::Breadcrumb => "chrome.breadcrumb".into(),
            Why::Navigation => "chrome.nav_words".into(),
            Why::AboveChrome => "chrome.above".into(),
            Why::DateLine => "metadata.date_line".into(),
            Why::Label => "labels".into(),
            Why::LabelValue => "labels.drop_with_value".into(),
            Why::TeaserMarker(i) => named("teaser_marker", &rules.teaser_marker_ids, *i),
            Why::AfterTeaserMarker => "teaser_marker.below".into(),
            Why::Keywords => "metadata.keywords".into(),
            Why::ImageCredit => "metadata.image_credit".into(),
            Why::DropRule(i) => {
                let ids: Vec<String> = rules.drop.iter().map(|r| r.id.clone()).collect();
                named("drop", &ids, *i)
            }
            Why::TeaserLine => "teaser.line".into(),
            Why::TeaserRegion => "teaser.item".into(),
            Why::Repeated => "repeated".into(),
            Why::Header => "shape.header".into(),
            Why::Tail => "shape.tail".into(),
        }
    }
}

/// Runs the stage on one document's text. The sentence rules tell whether
/// the line below a headline candidate carries on its sentence.
pub fn clean(text: &str, rules: &BoilerplateRules, sentences: &SentenceRules) -> Cleaned {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let mut meta = Metadata::default();
    let mut kinds = vec![LineKind::Dropped(Why::AfterTeaserMarker); lines.len()];
    let mut title_line = None;
    let mut credit_published = None;
    let mut line_published = None;
    let mut skip_next_value = false;
    let mut seen_lines = 0;
    let mut chrome_end = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        let dropped = |why| LineKind::Dropped(why);
        if trimmed.is_empty() {
            kinds[i] = dropped(Why::Blank);
            continue;
        }
        seen_lines += 1;
        let chrome = if rules.breadcrumb.is_match(trimmed) {
            Some(Why::Breadcrumb)
        } else {
            is_nav_line(trimmed, rules).then_some(Why::Navigation)
        };
        if let Some(why) = chrome {
            kinds[i] = dropped(why);
            if seen_lines <= rules.top_lines {
                chrome_end = Some(i);
            }
            continue;
        }
        if rules.date_line.is_match(trimmed) {
            line_published = line_published.or_else(|| find_date(&rules.date_line, trimmed, rules));
            kinds[i] = dropped(Why::DateLine);
            continue;
        }
        if std::mem::take(&mut skip_next_value) {
            kinds[i] = dropped(Why::LabelValue);
            continue;
        }
        if rules.title_labels.contains(trimmed) {
            title_line = Some(i + 1 + next_non_empty(&lines[i + 1..]).unwrap_or(0));
            kinds[i] = dropped(Why::Label);
            continue;
        }
        if rules.drop_labels.contains(trimmed) {
            skip_next_value = true;
            kinds[i] = dropped(Why::Label);
            continue;
        }
        if let Some(marker) = rules
            .teaser_markers
            .iter()
            .position(|m| m.is_match(trimmed))
        {
            kinds[i] = dropped(Why::TeaserMarker(marker));
            break;
        }
        if let Some(found) = rules.keywords.captures(trimmed) {
            meta.keywords = split_keywords(found.name("value").map_or("", |m| m.as_str()));
            kinds[i] = dropped(Why::Keywords);
            continue;
        }
        if let Some(value) = rules
            .image_credit
            .iter()
            .find_map(|r| r.captures(trimmed)?.name("value"))
        {
            let value = value.as_str().trim();
            if credit_published.is_none() {
                credit_published = find_date(&rules.credit_date, value, rules);
            }
            meta.image_credit.get_or_insert_with(|| value.to_string());
            kinds[i] = dropped(Why::ImageCredit);
            continue;
        }
        if let Some(rule) = rules.drop_set.matches(trimmed).iter().next() {
            if rules.drop[rule].chrome_above && seen_lines <= rules.top_lines {
                chrome_end = Some(i);
            }
            kinds[i] = dropped(Why::DropRule(rule));
            continue;
        }
        kinds[i] = if rules.teaser_item.is_match(trimmed) {
            LineKind::Teaser
        } else if rules.teaser_line.is_match(trimmed) {
            dropped(Why::TeaserLine)
        } else {
            LineKind::Content
        };
    }
    if let Some(end) = chrome_end {
        for kind in &mut kinds[..end] {
            if *kind == LineKind::Content || *kind == LineKind::Teaser {
                *kind = LineKind::Dropped(Why::AboveChrome);
            }
        }
    }
    mark_teaser_region(&mut kinds);
    drop_repeated_lines(&lines, &mut kinds);
    drop_header_run(&lines, &mut kinds, &rules.shape);
    drop_tail(&lines, &mut kinds, &rules.shape);
    assemble(
        &lines,
        kinds,
        title_line,
        line_published.or(credit_published),
        meta,
        rules,
        sentences,
    )
}

/// A menu or share bar: a short line without a full stop holding several
/// navigation words (`Startseite Kontakt Impressum`, `Teilen: Facebook X`).
fn is_nav_line(line: &str, rules: &BoilerplateRules) -> bool {
    if line.contains(['.', '!', '?']) || line.split_whitespace().count() > rules.max_nav_line_words
    {
        return false;
    }
    let lower = line.to_lowercase();
    let whole_word = |at: usize, len: usize| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + len..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    };
    let mut seen = vec![false; rules.nav_words.patterns_len()];
    for m in rules.nav_words.find_overlapping_iter(&lower) {
        if whole_word(m.start(), m.len()) {
            seen[m.pattern().as_usize()] = true;
        }
    }
    let found = seen.iter().filter(|&&s| s).count();
    found >= rules.min_nav_words
}

fn next_non_empty(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| !l.trim().is_empty())
}

fn split_keywords(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

fn find_date(pattern: &Regex, text: &str, rules: &BoilerplateRules) -> Option<NaiveDate> {
    let found = pattern.captures(text)?;
    let number = |name: &str| {
        let text = found.name(name)?.as_str().trim().trim_end_matches('.');
        text.parse::<u32>()
            .ok()
            .or_else(|| month_number(text, &rules.months))
    };
    let year = i32::try_from(number("year")?).ok()?;
    NaiveDate::from_ymd_opt(year, number("month")?, number("day")?)
}

/// `März` → 3, from the month names of `[dates]` and their short forms
/// (`Sept.`, `Okt`: at least three letters of the name).
fn month_number(name: &str, months: &[String]) -> Option<u32> {
    let lower = name.to_lowercase();
    let short = |m: &str| lower.len() >= 3 && m.starts_with(lower.as_str());
    months
        .iter()
        .position(|m| *m == lower || short(m))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Drops everything from the title of the first teaser item to the last
/// teaser item: teaser titles, leads, image alt texts and captions.
fn mark_teaser_region(kinds: &mut [LineKind]) {
    let Some(first) = kinds.iter().position(|k| *k == LineKind::Teaser) else {
        return;
    };
    let last = kinds
        .iter()
        .rposition(|k| *k == LineKind::Teaser)
        .unwrap_or(first);
    let start = kinds[..first]
        .iter()
        .rposition(|k| *k == LineKind::Content)
        .unwrap_or(first);
    for kind in &mut kinds[start..=last] {
        if *kind == LineKind::Content {
            *kind = LineKind::Dropped(Why::TeaserRegion);
        }
    }
}

/// Keeps the first of several identical content lines.
fn drop_repeated_lines(lines: &[&str], kinds: &mut [LineKind]) {
    let mut seen: HashSet<Cow<str>> = HashSet::new();
    for (line, kind) in lines.iter().zip(kinds.iter_mut()) {
        if *kind == LineKind::Content && !seen.insert(spaces_collapsed(line)) {
            *kind = LineKind::Dropped(Why::Repeated);
        }
    }
}

/// `line` with its words joined by single spaces; borrowed when it is
/// written so already, as most lines are.
fn spaces_collapsed(line: &str) -> Cow<'_, str> {
    // Collapsed: no white space but single spaces between words.
    let mut previous_space = true;
    let collapsed = line.chars().all(|c| {
        let ok = match c {
            ' ' => !previous_space,
            c => !c.is_whitespace(),
        };
        previous_space = c == ' ';
        ok
    }) && !previous_space;
    if collapsed {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(line.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// A page whose first paragraph comes after a long run of short kept lines
/// (form fields of a council system, a site's menus and widgets that no
/// rule named) keeps only the last `header_keep` of them: the headline and
/// a subheading stand right above the first paragraph.
fn drop_header_run(lines: &[&str], kinds: &mut [LineKind], shape: &ShapeFile) {
    let kept: Vec<usize> = (0..lines.len())
        .filter(|&i| kinds[i] == LineKind::Content)
        .collect();
    let Some(paragraph) = kept
        .iter()
        .position(|&i| lines[i].trim().chars().count() >= shape.paragraph_chars)
    else {
        return;
    };
    if paragraph < shape.header_min_lines {
        return;
    }
    for &i in &kept[..paragraph - shape.header_keep.min(paragraph)] {
        kinds[i] = LineKind::Dropped(Why::Header);
    }
}

/// Drops the page's last kept lines while they are short labels with no
/// text after them (`Downloadbereich`, `Ihre Ansprechpartner`) or a lead-in
/// ending in `:` that introduces nothing. A single short last line without
/// a colon stays: a page cut off mid-sentence ends like that too.
fn drop_tail(lines: &[&str], kinds: &mut [LineKind], shape: &ShapeFile) {
    let kept: Vec<usize> = (0..lines.len())
        .filter(|&i| kinds[i] == LineKind::Content)
        .collect();
    let is_label = |line: &str| {
        let line = line.trim();
        let words = line.split_whitespace().count();
        let plain = !line.contains([',', '.', '!', '?', '"', '“', '”', ')'])
            && !line.starts_with(['-', '•', '*', '–']);
        plain && words <= shape.tail_max_words
    };
    let lead_in = |line: &str| line.trim().ends_with(':');
    let run = kept
        .iter()
        .rev()
        .take_while(|&&i| is_label(lines[i]) || lead_in(lines[i]))
        .count();
    let last_is_lead_in = kept.last().is_some_and(|&i| lead_in(lines[i]));
    if run >= 2 || (run == 1 && last_is_lead_in) {
        for &i in &kept[kept.len() - run..] {
            kinds[i] = LineKind::Dropped(Why::Tail);
        }
    }
}

fn assemble(
    lines: &[&str],
    kinds: Vec<LineKind>,
    title_line: Option<usize>,
    credit_published: Option<NaiveDate>,
    mut meta: Metadata,
    rules: &BoilerplateRules,
    sentences: &SentenceRules,
) -> Cleaned {
    let kept: Vec<&str> = lines
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| **k == LineKind::Content)
        .map(|(l, _)| *l)
        .collect();
    let body = kept.join("\n");
    let mut non_sentence = Vec::new();
    let mut offset = 0;
    for (n, line) in kept.iter().enumerate() {
        if let Some(found) = rules.author.captures(line) {
            let value = found.name("value").map_or("", |m| m.as_str());
            meta.author.get_or_insert_with(|| value.to_string());
            if let Some(whole) = found.get(0) {
                non_sentence.push(Span::new(offset + whole.start(), offset + whole.end()));
            }
        }
        for found in rules.inline_credit.captures_iter(line) {
            if let (Some(whole), Some(value)) = (found.get(0), found.name("value")) {
                non_sentence.push(Span::new(offset + whole.start(), offset + whole.end()));
                meta.image_credit
                    .get_or_insert_with(|| value.as_str().trim().to_string());
            }
        }
        let glued = (n == 0)
            .then(|| rules.glued_image_name.captures(line))
            .flatten()
            .and_then(|c| c.name("value"));
        if let Some(value) = glued {
            non_sentence.push(Span::new(offset + value.start(), offset + value.end()));
        }
        if meta.published.is_none() {
            meta.published = find_date(&rules.dateline, line.trim_start(), rules)
                .or_else(|| find_date(&rules.place_dateline, line.trim(), rules));
        }
        offset += line.len() + 1;
    }
    non_sentence.sort();
    meta.published = meta.published.or(credit_published);
    meta.title = match title_line {
        Some(i) => lines
            .get(i)
            .map(|l| l.trim().to_string())
            .filter(|t| !t.is_empty()),
        None => {
            let skip = kept
                .iter()
                .take_while(|l| rules.place_dateline.is_match(l.trim()))
                .count();
            headline(&kept[skip..], rules.title_max_chars, sentences)
        }
    };
    Cleaned {
        body,
        non_sentence,
        meta,
        lines: kinds,
    }
}

/// The headline if the first kept lines look like one.
fn headline(kept: &[&str], max_chars: usize, sentences: &SentenceRules) -> Option<String> {
    let first = kept.first()?.trim();
    let next = kept.get(1).map(|l| l.trim());
    let title = if first.ends_with(':') {
        format!("{first} {}", next?)
    } else {
        first.to_string()
    };
    let continued = next.is_some_and(|l| continues_previous_line(l, sentences));
    let shaped = !title.ends_with('.') && title.chars().count() <= max_chars;
    (shaped && (first.ends_with(':') || !continued)).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> BoilerplateRules {
        BoilerplateRules::load(&Source::folder(std::path::Path::new("rules"))).unwrap()
    }

    fn clean(text: &str, rules: &BoilerplateRules) -> Cleaned {
        let sentences =
            SentenceRules::load(&Source::folder(std::path::Path::new("rules"))).unwrap();
        super::clean(text, rules, &sentences)
    }

    #[test]
    fn teasers_chrome_and_metadata_leave_the_body() {
        let page = "Kassel/Fulda:\nE-Akte gemeinsam eingeführt\n\n[02.03.2019] Die Stadt Kassel und der Kreis Fulda arbeiten zusammen. (ab)\n\
            http://www.kassel.de\nStichwörter: Politik, ekom21, Kassel\nBildquelle: Stadt Kassel\nDruckversion   PDF   Link mailen\n\
            Celle: Neues Portal\n[01.02.2024] Die Stadt Celle startet ein Bürgerportal. mehr...\nSuchen...\nAnzeige";
        let cleaned = clean(page, &rules());
        assert_eq!(
            cleaned.body,
            "Kassel/Fulda:\nE-Akte gemeinsam eingeführt\n[02.03.2019] Die Stadt Kassel und der Kreis Fulda arbeiten zusammen. (ab)"
        );
        let meta = &cleaned.meta;
        assert_eq!(
            meta.title.as_deref(),
            Some("Kassel/Fulda: E-Akte gemeinsam eingeführt")
        );
        assert_eq!(meta.published, NaiveDate::from_ymd_opt(2019, 3, 2));
        assert_eq!(meta.keywords, ["Politik", "ekom21", "Kassel"]);
        assert_eq!(meta.image_credit.as_deref(), Some("Stadt Kassel"));
        assert_eq!(meta.author.as_deref(), Some("ab"));
        let span = cleaned.non_sentence[0];
        assert_eq!(&cleaned.body[span.start..span.end], " (ab)");
    }

    #[test]
    fn repeated_caption_counts_once_and_caption_is_no_title() {
        let page = "ITEBO-Vorstand Meyer eröffnete die Ausstellung\nim neuen Rechenzentrum.\nFoto: Kle\n\
            ITEBO-Vorstand Meyer eröffnete die Ausstellung\n© Lokalzeitung, 03.05.2009";
        let cleaned = clean(page, &rules());
        assert_eq!(
            cleaned.body,
            "ITEBO-Vorstand Meyer eröffnete die Ausstellung\nim neuen Rechenzentrum."
        );
        assert_eq!(cleaned.meta.title, None);
        assert_eq!(cleaned.meta.published, NaiveDate::from_ymd_opt(2009, 5, 3));
    }

    #[test]
    fn council_labels_give_the_title() {
        let page = "Betreff\nBeitritt zur Kommunalen IT\nVorlage\nFB/0448/2018\nArt\nSitzungsvorlage\n\nSachverhalt:\nDie Stadt tritt bei.";
        let cleaned = clean(page, &rules());
        assert_eq!(
            cleaned.meta.title.as_deref(),
            Some("Beitritt zur Kommunalen IT")
        );
        assert_eq!(
            cleaned.body,
            "Beitritt zur Kommunalen IT\nSachverhalt:\nDie Stadt tritt bei."
        );
    }

    #[test]
    fn a_long_run_of_short_lines_above_the_first_paragraph_is_a_header() {
        let page = "Dokument\nGemeinde Musterdorf\nGröße\n88 kB\nöffentlich\nDer Bürgermeister\nAz.: 12/3\n\
            Bemerkungen\nBreitband im Landkreis\nSachstand:\n\
            Die Gemeinde Musterdorf ist seit dem Jahr 2019 Mitglied im Zweckverband Breitband und zahlt eine Umlage.";
        let cleaned = clean(page, &rules());
        assert_eq!(
            cleaned.body,
            "Breitband im Landkreis\nSachstand:\nDie Gemeinde Musterdorf ist seit dem Jahr 2019 Mitglied im Zweckverband Breitband und zahlt eine Umlage."
        );
        assert_eq!(cleaned.lines[1], LineKind::Dropped(Why::Header));
        assert_eq!(cleaned.lines.len(), page.split('\n').count());
    }

    #[test]
    fn labels_with_nothing_after_them_end_no_page_but_a_cut_sentence_does() {
        let tail = "Die Stadt tritt dem Verband bei.\nKontakt\nIhre Ansprechpartner\nHier finden Sie unsere Berichte:";
        let cleaned = clean(tail, &rules());
        assert_eq!(cleaned.body, "Die Stadt tritt dem Verband bei.");
        assert_eq!(cleaned.lines[3], LineKind::Dropped(Why::Tail));
        let cut = "Die Stadt tritt dem Verband bei.\nDie Städte Fürth, Erlangen und";
        assert_eq!(clean(cut, &rules()).body, cut);
        let single = "Die Stadt tritt dem Verband bei.\nAusblick";
        assert_eq!(clean(single, &rules()).body, single);
    }

    #[test]
    fn every_dropped_line_names_its_rule() {
        let page = "Startseite Kontakt Impressum Suche\nNeues Portal\n[02.03.2019] Die Stadt Kassel startet ein Portal.\nStichwörter: Politik";
        let rules = rules();
        let cleaned = clean(page, &rules);
        let named: Vec<String> = cleaned
            .lines
            .iter()
            .map(|k| match k {
                LineKind::Dropped(why) => why.rule(&rules),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            named,
            [
                "chrome.nav_words",
                "Content",
                "Content",
                "metadata.keywords"
            ]
        );
    }
}
