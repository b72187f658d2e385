//! Stage 4b: references resolved within the document (`rules/references.toml`).
//!
//! A page names a body once and then refers to it by a description: `Der
//! Zweckverband hat 37 Mitglieder`, `Mitglied des Verbands`, `die Stadt`.
//! This stage finds such descriptions and links each to the entity named
//! earlier that it means (`dessen`, `die beiden Dienstleister` too; `zu
//! einem IT-Dienstleister` in a merger to the body named right after), so
//! that the relation stage can give a relation stated through it its real
//! argument. References are not mentions (a
//! description is no name, ANNOTATION.md §3): they are a layer of their
//! own, which the relation stage reads beside the mentions and the
//! `relations` table reports in `subject_ref` / `object_ref`.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use anyhow::Result;
use regex::Regex;
use serde::Deserialize;

use crate::model::{Label, Mention, Sentence, Span};
use crate::rules::{RuleFile, Source};

/// The rule file of this stage.
const FILE: &str = "references.toml";

/// A description in the body and the mention that names what it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Where the description stands in `body` (article included).
    pub span: Span,
    /// The sentence it stands in.
    pub sentence_idx: usize,
    /// Index into the document's mentions: a mention of the entity the
    /// description refers to — written before it, except for a forward
    /// description (`zu einem IT-Dienstleister`), whose entity is named
    /// after it. A plural description (`die beiden Dienstleister`) is one
    /// reference per entity, all with the same span.
    pub antecedent: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferencesFile {
    max_modifiers: usize,
    owner_words: Vec<String>,
    plural_words: Vec<String>,
    forms: FormsEntry,
    forward: ForwardEntry,
    plural: PluralEntry,
    possessive: PossessiveEntry,
    head: Vec<HeadEntry>,
    example: Vec<ReferenceExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormsEntry {
    masculine: Vec<String>,
    feminine: Vec<String>,
    neuter: Vec<String>,
}

/// Indefinite descriptions that point forward (`zu einem IT-Dienstleister`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForwardEntry {
    within_sentences: usize,
    before: String,
    creation_words: String,
    forms: FormsEntry,
}

/// Possessive relatives (`dessen Mitglieder`, `deren Geschäftsführer`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PossessiveEntry {
    words: Vec<String>,
    within_sentences: usize,
}

/// Plural descriptions with a number (`die beiden Dienstleister`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PluralEntry {
    within_sentences: usize,
    articles: Vec<String>,
    numbers: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadEntry {
    label: String,
    #[serde(default)]
    masculine: Vec<String>,
    #[serde(default)]
    feminine: Vec<String>,
    #[serde(default)]
    neuter: Vec<String>,
    kinds: Vec<String>,
    page_body: bool,
    #[serde(default)]
    plural: Vec<String>,
}

/// An invented text of `references.toml` and the references it must give,
/// written `description = antecedent` (`expect = []`: none). `cargo test`
/// runs them.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ReferenceExample {
    /// The text.
    pub text: String,
    /// The references it must give, exactly.
    pub expect: Vec<String>,
}

/// One list of head nouns and what they may refer to.
struct Head {
    label: Label,
    kinds: Vec<String>,
    page_body: bool,
}

/// The compiled `references.toml`.
pub struct ReferenceRules {
    /// Every singular form of every head noun with its article.
    description: Regex,
    /// The same with an indefinite article: what a merger or a founding
    /// creates (`zu einem IT-Dienstleister`), named after it.
    forward: Regex,
    /// What must stand right before a forward description (`zu`, `in`).
    forward_before: Regex,
    /// How many sentences after its own a forward description looks.
    forward_within: usize,
    /// A number word and a plural head noun: `die beiden Dienstleister`.
    plural: Regex,
    /// A plural head noun to its [`Head`].
    plural_heads: HashMap<String, usize>,
    /// A number word to how many entities it means.
    plural_numbers: HashMap<String, usize>,
    /// How many sentences before its own a plural description looks.
    plural_within: usize,
    /// Possessive relatives and demonstratives (`dessen`, `deren`).
    possessive: Regex,
    /// How many sentences before its own a possessive looks.
    possessive_within: usize,
    /// Words of a merger or founding, one of which must stand before a
    /// forward description in its sentence.
    creation_words: Regex,
    /// The last word of a description, as written, to the head noun (its
    /// base form, lower-cased) and the index of its [`Head`].
    inflected: HashMap<String, (String, usize)>,
    heads: Vec<Head>,
    owner_words: Vec<String>,
    /// Modifiers that make a description mean many (`die beiden`).
    plural_words: Vec<String>,
    /// Every head noun as written, singular ones first: one pass over a
    /// sentence tells whether any description can be in it (each needs
    /// its noun), so most sentences run none of the expressions above.
    nouns: AhoCorasick,
    /// The index of the first plural noun in `nouns`.
    first_plural: usize,
    /// The examples of the file (for `cargo test`).
    pub examples: Vec<ReferenceExample>,
}

impl ReferenceRules {
    /// Whether `text` holds a singular head noun and whether it holds a
    /// plural one (anywhere, even inside a word: a cheap necessary test).
    fn nouns_in(&self, text: &str) -> (bool, bool) {
        let (mut singular, mut plural) = (false, false);
        for found in self.nouns.find_overlapping_iter(text) {
            if found.pattern().as_usize() < self.first_plural {
                singular = true;
            } else {
                plural = true;
            }
            if singular && plural {
                break;
            }
        }
        (singular, plural)
    }

    /// Loads and compiles `references.toml`.
    pub fn load(rules: &Source) -> Result<ReferenceRules> {
        let file = rules.open(FILE)?;
        let raw: ReferencesFile = file.parse_toml()?;
        let modifiers = format!(r"(?:\p{{Ll}}[\p{{L}}-]*\s+){{0,{}}}", raw.max_modifiers);
        let mut inflected = HashMap::new();
        let heads = raw
            .head
            .iter()
            .map(|entry| compile_head(&file, entry))
            .collect::<Result<Vec<_>>>()?;
        let definite = forms_pattern(&file, &raw, &raw.forms, &modifiers, &mut inflected, true)?;
        let description = crate::rules::compile_at(&file, "[forms]", &definite)?;
        let indefinite = forms_pattern(
            &file,
            &raw,
            &raw.forward.forms,
            &modifiers,
            &mut inflected,
            true,
        )?;
        let forward = crate::rules::compile_at(&file, "[forward]", &indefinite)?;
        let before = &raw.forward.before;
        let forward_before =
            crate::rules::compile_at(&file, before, &format!(r"(?:^|\s)(?:{before})\s+$"))?;
        let (plural, plural_heads) = plural_pattern(&file, &raw)?;
        let singular: Vec<&String> = raw
            .head
            .iter()
            .flat_map(|h| h.masculine.iter().chain(&h.feminine).chain(&h.neuter))
            .collect();
        let first_plural = singular.len();
        let nouns = AhoCorasick::new(singular.into_iter().chain(plural_heads.keys()))
            .map_err(|err| anyhow::anyhow!("{}: head nouns: {err}", file.path))?;
        Ok(ReferenceRules {
            nouns,
            first_plural,
            description,
            forward,
            plural,
            plural_heads,
            plural_numbers: raw.plural.numbers.clone(),
            plural_within: raw.plural.within_sentences,
            possessive: crate::rules::compile_at(
                &file,
                "[possessive]",
                &format!(
                    "(?:{})",
                    raw.possessive
                        .words
                        .iter()
                        .map(|w| capitalisable(w))
                        .collect::<Vec<_>>()
                        .join("|")
                ),
            )?,
            possessive_within: raw.possessive.within_sentences,
            forward_before,
            forward_within: raw.forward.within_sentences,
            creation_words: crate::rules::compile_at(
                &file,
                &raw.forward.creation_words,
                &format!(
                    "{}(?:{})",
                    crate::rules::WORD_EDGE_BEFORE,
                    raw.forward.creation_words
                ),
            )?,
            inflected,
            heads,
            owner_words: raw.owner_words,
            plural_words: raw.plural_words,
            examples: raw.example,
        })
    }
}

/// The expression of plural descriptions: an optional article, a number
/// word, lower-case modifiers and a plural head noun; and each plural noun's
/// head.
fn plural_pattern(
    file: &RuleFile,
    raw: &ReferencesFile,
) -> Result<(Regex, HashMap<String, usize>)> {
    let mut heads = HashMap::new();
    for (h, entry) in raw.head.iter().enumerate() {
        for noun in &entry.plural {
            heads.insert(noun.clone(), h);
        }
    }
    let escaped = |words: Vec<&String>| {
        let mut words: Vec<String> = words.into_iter().map(|w| regex::escape(w)).collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        words.join("|")
    };
    let articles: Vec<String> = raw
        .plural
        .articles
        .iter()
        .map(|a| capitalisable(a))
        .collect();
    // `Beide Partner` may open a sentence.
    let mut numbers: Vec<String> = raw
        .plural
        .numbers
        .keys()
        .map(|n| capitalisable(n))
        .collect();
    numbers.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let pattern = format!(
        r"(?:(?:{})\s+)?(?:{})\s+(?:\p{{Ll}}[\p{{L}}-]*\s+){{0,{}}}(?:{})",
        articles.join("|"),
        numbers.join("|"),
        raw.max_modifiers,
        escaped(heads.keys().collect())
    );
    let regex = crate::rules::compile_at(file, "[plural]", &pattern)?;
    Ok((regex, heads))
}

/// One expression for every head noun in every form of `forms` by its
/// gender; records each inflected noun's head in `inflected`.
///
/// The alternatives that share an article share its modifiers too
/// (`der\s+MODIFIERS(?:(?:Zweckverband|…)|(?:Kreis|…))`): the modifiers
/// are written once per article instead of once per head and form, which
/// makes the expression several times cheaper to compile. It matches what
/// the alternatives one by one match, because at most one article fits
/// at a place (articles are single words followed by white space; `der`
/// and `Der` are one) and, as long as every noun starts with an
/// upper-case letter, the modifiers (lower-case words) end where the noun
/// starts whichever alternative is tried; with another noun, or an article
/// of several words, the alternatives stay apart, as they do without
/// `share_modifiers`.
fn forms_pattern(
    file: &RuleFile,
    raw: &ReferencesFile,
    forms: &FormsEntry,
    modifiers: &str,
    inflected: &mut HashMap<String, (String, usize)>,
    share_modifiers: bool,
) -> Result<String> {
    // (the article as matched, `[dD]er`; what follows its modifiers)
    let mut alternatives: Vec<(String, String)> = Vec::new();
    let mut keep_apart = !share_modifiers;
    for (h, entry) in raw.head.iter().enumerate() {
        let by_gender = [
            (&entry.masculine, &forms.masculine),
            (&entry.feminine, &forms.feminine),
            (&entry.neuter, &forms.neuter),
        ];
        for (nouns, forms) in by_gender {
            if nouns.is_empty() {
                continue;
            }
            let list: Vec<String> = nouns.iter().map(|n| regex::escape(n)).collect();
            for form in forms {
                let (article, ending) = split_form(file, form)?;
                keep_apart |= article.contains(char::is_whitespace);
                alternatives.push((
                    capitalisable(article),
                    format!("(?:{}){}", list.join("|"), regex::escape(ending)),
                ));
                for noun in nouns {
                    keep_apart |= !noun.chars().next().is_some_and(char::is_uppercase);
                    inflected.insert(format!("{noun}{ending}"), (noun.to_lowercase(), h));
                }
            }
        }
    }
    if !keep_apart {
        // One alternative per article, its rests joined in their order.
        let mut shared: Vec<(String, String)> = Vec::new();
        for (article, rest) in alternatives {
            match shared.iter_mut().find(|(a, _)| *a == article) {
                Some((_, rests)) => *rests = format!("{rests}|{rest}"),
                None => shared.push((article, rest)),
            }
        }
        alternatives = shared;
    }
    let joined: Vec<String> = alternatives
        .iter()
        .map(|(article, rest)| format!(r"{article}\s+{modifiers}(?:{rest})"))
        .collect();
    Ok(format!("(?:{})", joined.join("|")))
}

/// `des {N}s` as (`des`, `s`).
fn split_form<'a>(file: &RuleFile, form: &'a str) -> Result<(&'a str, &'a str)> {
    form.split_once(" {N}").ok_or_else(|| {
        let at = file.text.find(form).unwrap_or(0);
        file.error_at(
            at,
            &format!("form `{form}`: write it as `ARTICLE {{N}}ENDING`"),
        )
    })
}

/// `der` as `[Dd]er`: an article may open the sentence.
fn capitalisable(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => format!(
            "[{}{}]{}",
            first.to_lowercase(),
            first.to_uppercase(),
            regex::escape(chars.as_str())
        ),
        None => String::new(),
    }
}

fn compile_head(file: &RuleFile, entry: &HeadEntry) -> Result<Head> {
    let at = file.text.find("[[head]]").unwrap_or(0);
    let label = Label::parse(&entry.label)
        .filter(|l| matches!(l, Label::Org | Label::Gpe))
        .ok_or_else(|| {
            file.error_at(at, &format!("head label `{}`: use ORG or GPE", entry.label))
        })?;
    if entry.masculine.is_empty() && entry.feminine.is_empty() && entry.neuter.is_empty() {
        return Err(file.error_at(at, "a [[head]] needs at least one noun"));
    }
    Ok(Head {
        label,
        kinds: entry.kinds.clone(),
        page_body: entry.page_body,
    })
}

/// How far back (in mentions) an antecedent is looked for; keeps the work
/// per description bounded.
const MAX_LOOKBACK: usize = 200;

/// Finds the descriptions of one document and resolves each to the entity
/// it refers to; descriptions without an antecedent are left out.
pub fn resolve(
    body: &str,
    sentences: &[Sentence],
    mentions: &[Mention],
    rules: &ReferenceRules,
) -> Vec<Reference> {
    let page_body = page_body(body, mentions);
    let mut references = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let Some(text) = body.get(sentence.span.start..sentence.span.end) else {
            continue;
        };
        let (singular, plural) = rules.nouns_in(text);
        let descriptions = singular
            .then(|| rules.description.find_iter(text))
            .into_iter()
            .flatten();
        for found in descriptions {
            let span = Span::new(
                sentence.span.start + found.start(),
                sentence.span.start + found.end(),
            );
            let last_word = found
                .as_str()
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("");
            let Some((noun, h)) = rules.inflected.get(last_word) else {
                continue;
            };
            if !is_description(rules, body, mentions, span) {
                continue;
            }
            let head = &rules.heads[*h];
            let before = mentions.partition_point(|m| m.span.end <= span.start);
            let antecedent = antecedent(body, &mentions[..before], head, noun).or_else(|| {
                page_body.filter(|&b| {
                    head.page_body
                        && mentions[..before]
                            .iter()
                            .any(|m| m.entity.id == mentions[b].entity.id)
                })
            });
            if let Some(antecedent) = antecedent {
                references.push(Reference {
                    span,
                    sentence_idx,
                    antecedent,
                });
            }
        }
        references.extend(possessive_references(
            body,
            sentence_idx,
            sentence.span,
            mentions,
            rules,
        ));
        if plural {
            references.extend(plural_references(
                body,
                sentence_idx,
                sentence.span,
                mentions,
                rules,
            ));
        }
        if singular {
            references.extend(forward_references(
                body,
                sentence_idx,
                sentence.span,
                mentions,
                rules,
            ));
        }
    }
    references.sort_by_key(|r| r.span.start);
    references
}

/// The possessives of one sentence (`Zu dessen Mitgliedern gehören …`,
/// `der KDO, deren Geschäftsführer …`), each resolved to the nearest
/// organisation or place before it, in its sentence or within
/// `possessive_within` sentences before.
fn possessive_references(
    body: &str,
    sentence_idx: usize,
    sentence: Span,
    mentions: &[Mention],
    rules: &ReferenceRules,
) -> Vec<Reference> {
    let text = body.get(sentence.start..sentence.end).unwrap_or("");
    let whole_word = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let first_sentence = sentence_idx.saturating_sub(rules.possessive_within);
    let mut found = Vec::new();
    for m in rules.possessive.find_iter(text) {
        if !whole_word(text[..m.start()].chars().next_back())
            || !whole_word(text[m.end()..].chars().next())
        {
            continue;
        }
        let span = Span::new(sentence.start + m.start(), sentence.start + m.end());
        let before = mentions.partition_point(|m| m.span.end <= span.start);
        // The nearest name of any kind: `von Klaus Brenner geführt, dessen
        // Stellvertreter` means the person, which is no party.
        let nearest = before
            .checked_sub(1)
            .filter(|&i| mentions[i].sentence_idx >= first_sentence)
            .filter(|&i| matches!(mentions[i].entity.label, Label::Org | Label::Gpe));
        if let Some(antecedent) = nearest {
            found.push(Reference {
                span,
                sentence_idx,
                antecedent,
            });
        }
    }
    found
}

/// The plural descriptions of one sentence with a number (`die beiden
/// Dienstleister`), each resolved to as many entities: the last that many
/// different entities named before it, within `plural_within` sentences,
/// that fit its head and that one sentence names together (`Die KDO und die
/// ITEBO …`). One reference per entity, all with the description's span.
fn plural_references(
    body: &str,
    sentence_idx: usize,
    sentence: Span,
    mentions: &[Mention],
    rules: &ReferenceRules,
) -> Vec<Reference> {
    let text = body.get(sentence.start..sentence.end).unwrap_or("");
    let mut found = Vec::new();
    for m in rules.plural.find_iter(text) {
        let span = Span::new(sentence.start + m.start(), sentence.start + m.end());
        let words: Vec<&str> = m.as_str().split_whitespace().collect();
        let number = words
            .iter()
            .find_map(|w| rules.plural_numbers.get(&w.to_lowercase()));
        let head = words.last().and_then(|w| rules.plural_heads.get(*w));
        let (Some(&number), Some(&h)) = (number, head) else {
            continue;
        };
        if !stands_as_plural_description(body, mentions, span) {
            continue;
        }
        let before = mentions.partition_point(|m| m.span.end <= span.start);
        let first_sentence = sentence_idx.saturating_sub(rules.plural_within);
        let Some(named) =
            named_together(&mentions[..before], &rules.heads[h], number, first_sentence)
        else {
            continue;
        };
        found.extend(named.into_iter().map(|antecedent| Reference {
            span,
            sentence_idx,
            antecedent,
        }));
    }
    found
}

/// Whether a plural description at `span` stands as whole words, overlaps
/// no mention and is not followed by the names it stands for (`die beiden
/// Städte Celle und Stade`).
fn stands_as_plural_description(body: &str, mentions: &[Mention], span: Span) -> bool {
    let after = body.get(span.end..).unwrap_or("");
    let quoted = after
        .trim_start_matches([' ', '\u{a0}'])
        .starts_with(['„', '"', '»', '(']);
    stands_free(body, mentions, span) && !quoted
}

/// Whether the words at `span` stand as whole words, no mention overlaps
/// them and no name follows them directly (`des IT-Dienstleisters regio
/// iT`, `die beiden Städte Celle und Stade`: those are names, whatever
/// their case). What every kind of description needs.
fn stands_free(body: &str, mentions: &[Mention], span: Span) -> bool {
    let whole_word = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
    let before = body.get(..span.start).unwrap_or("");
    let after = body.get(span.end..).unwrap_or("");
    if !whole_word(before.chars().next_back()) || !whole_word(after.chars().next()) {
        return false;
    }
    let first_after = mentions.partition_point(|m| m.span.start < span.end);
    let overlaps = first_after
        .checked_sub(1)
        .is_some_and(|i| mentions[i].span.end > span.start);
    let name_follows = mentions.get(first_after).is_some_and(|m| {
        body.get(span.end..m.span.start)
            .is_some_and(|gap| gap.chars().all(char::is_whitespace))
    });
    !(overlaps || name_follows)
}

/// The last `number` different entities of `earlier` (from sentence
/// `first_sentence` on) that fit `head` (places by kind, organisations by
/// label), if one sentence names them all; their mentions' indices in the
/// order the text names them.
fn named_together(
    earlier: &[Mention],
    head: &Head,
    number: usize,
    first_sentence: usize,
) -> Option<Vec<usize>> {
    let mut ids: Vec<&str> = Vec::new();
    let mut picked = Vec::new();
    for (i, m) in earlier.iter().enumerate().rev() {
        if m.sentence_idx < first_sentence || picked.len() == number {
            break;
        }
        // Places have reliable kinds (`die beiden Städte` are no Kreise);
        // organisations of any kind may be `Dienstleister` or `Partner`.
        let fits_head = match head.label {
            Label::Gpe => kind_fits(m, head),
            _ => m.entity.label == head.label,
        };
        if fits_head && !ids.contains(&m.entity.id.as_str()) {
            ids.push(&m.entity.id);
            picked.push(i);
        }
    }
    if picked.len() < number {
        return None;
    }
    let window = &earlier[earlier.partition_point(|m| m.sentence_idx < first_sentence)..];
    let together = (first_sentence..=earlier.last()?.sentence_idx).any(|s| {
        let from = window.partition_point(|m| m.sentence_idx < s);
        let to = window.partition_point(|m| m.sentence_idx <= s);
        let in_s = &window[from..to.max(from)];
        ids.iter().all(|id| in_s.iter().any(|m| m.entity.id == *id))
    });
    if !together {
        return None;
    }
    picked.reverse();
    Some(picked)
}

/// The indefinite descriptions of one sentence that a merger or founding
/// creates (`fusionierten … zu einem IT-Dienstleister`), each resolved to
/// the first organisation named after it, within `forward_within`
/// sentences, that fits its head and that the page has not named before:
/// the new body gets its name in the next sentence.
fn forward_references(
    body: &str,
    sentence_idx: usize,
    sentence: Span,
    mentions: &[Mention],
    rules: &ReferenceRules,
) -> Vec<Reference> {
    let text = body.get(sentence.start..sentence.end).unwrap_or("");
    let Some(creation) = rules.creation_words.find(text).map(|c| c.start()) else {
        return Vec::new(); // nothing is merged or founded here
    };
    let mut found = Vec::new();
    for m in rules.forward.find_iter(text) {
        let span = Span::new(sentence.start + m.start(), sentence.start + m.end());
        // Only the last few words matter for `zu`/`in` right before.
        let mut tail = m.start().saturating_sub(12);
        while !text.is_char_boundary(tail) {
            tail -= 1;
        }
        if creation >= m.start() || !rules.forward_before.is_match(&text[tail..m.start()]) {
            continue;
        }
        let last_word = m.as_str().rsplit(char::is_whitespace).next().unwrap_or("");
        let Some((noun, h)) = rules.inflected.get(last_word) else {
            continue;
        };
        if !is_description(rules, body, mentions, span) {
            continue;
        }
        let head = &rules.heads[*h];
        let after = mentions.partition_point(|m| m.span.start < span.end);
        let last_sentence = sentence_idx + rules.forward_within;
        let named: std::collections::HashSet<&str> = mentions[..after]
            .iter()
            .filter(|m| m.span.end <= span.start)
            .map(|m| m.entity.id.as_str())
            .collect();
        let named_before = |id: &str| named.contains(id);
        let target = (after..mentions.len())
            .take_while(|&i| mentions[i].sentence_idx <= last_sentence)
            .find(|&i| {
                fits(body, &mentions[i], head, noun) && !named_before(&mentions[i].entity.id)
            });
        if let Some(antecedent) = target {
            found.push(Reference {
                span,
                sentence_idx,
                antecedent,
            });
        }
    }
    found
}

/// Whether the words at `span` are a description and not part of a name:
/// they stand as whole words, no mention overlaps them, and no name, quote
/// or owner of its own follows them.
fn is_description(rules: &ReferenceRules, body: &str, mentions: &[Mention], span: Span) -> bool {
    let after = body.get(span.end..).unwrap_or("");
    let words = body.get(span.start..span.end).unwrap_or("");
    let many = words
        .split_whitespace()
        .any(|w| rules.plural_words.iter().any(|p| p == w));
    if many || !stands_free(body, mentions, span) {
        return false;
    }
    let rest = after.trim_start_matches([' ', '\u{a0}']);
    let next_word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    let named = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '„' | '"' | '»' | '(' | '-'));
    let owned = rules.owner_words.contains(&next_word);
    !(named || owned)
}

/// The nearest of `earlier` (the mentions before a description) whose
/// entity fits `head`: its kind is one of the head's, or its name contains
/// the head noun.
fn antecedent(body: &str, earlier: &[Mention], head: &Head, noun: &str) -> Option<usize> {
    let from = earlier.len().saturating_sub(MAX_LOOKBACK);
    (from..earlier.len())
        .rev()
        .find(|&i| fits(body, &earlier[i], head, noun))
}

/// Whether mention `m` can be what a description with `head` and `noun`
/// means: its label is the head's, and its kind is one of the head's or
/// its name contains the noun.
fn fits(body: &str, m: &Mention, head: &Head, noun: &str) -> bool {
    if m.entity.label != head.label {
        return false;
    }
    let written = body.get(m.span.start..m.span.end).unwrap_or("");
    kind_fits(m, head)
        || written.to_lowercase().contains(noun)
        || m.entity.canonical.to_lowercase().contains(noun)
}

/// Whether mention `m` has the head's label and one of its kinds.
fn kind_fits(m: &Mention, head: &Head) -> bool {
    m.entity.label == head.label
        && m.entity
            .kind
            .as_ref()
            .is_some_and(|k| head.kinds.iter().any(|h| h == k))
}

/// The organisation a page is about: the ORG named most often, at least
/// three times and more often than any other. Returns its mention written
/// the way the page writes it most often.
pub fn page_body(body: &str, mentions: &[Mention]) -> Option<usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in mentions.iter().filter(|m| m.entity.label == Label::Org) {
        *counts.entry(m.entity.id.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let (id, n) = *ranked.first()?;
    if n < 3 || ranked.get(1).is_some_and(|r| r.1 == n) {
        return None;
    }
    let text = |m: &Mention| body.get(m.span.start..m.span.end).unwrap_or("");
    let of_body: Vec<usize> = (0..mentions.len())
        .filter(|&i| mentions[i].entity.id == id)
        .collect();
    let usual = |i: &usize| {
        let written = text(&mentions[*i]);
        of_body
            .iter()
            .filter(|&&j| text(&mentions[j]) == written)
            .count()
    };
    // The most frequent spelling; among equals, the first.
    of_body
        .iter()
        .copied()
        .max_by(|a, b| usual(a).cmp(&usual(b)).then(b.cmp(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expression with shared modifiers finds exactly what the one
    /// with every alternative apart finds, on every combination of the
    /// rule file's articles, modifiers, head nouns and endings.
    #[test]
    fn sharing_the_modifiers_of_an_article_changes_no_match() {
        let source = crate::rules::Source::rules(Some(std::path::Path::new("rules")));
        let file = source.open(FILE).expect("references.toml");
        let raw: ReferencesFile = file.parse_toml().expect("parses");
        let modifiers = format!(r"(?:\p{{Ll}}[\p{{L}}-]*\s+){{0,{}}}", raw.max_modifiers);
        let mut texts = Vec::new();
        let nouns: Vec<&String> = raw
            .head
            .iter()
            .flat_map(|h| h.masculine.iter().chain(&h.feminine).chain(&h.neuter))
            .collect();
        let words = [
            "der",
            "Der",
            "dem",
            "den",
            "des",
            "die",
            "das",
            "einem",
            "einen",
            "einer",
            "eine",
            "ein",
            "zu",
            "neue",
            "große",
            "neuen",
            "kommunale",
            "drei",
            "IT",
        ];
        for noun in &nouns {
            for ending in ["", "s", "es", "n"] {
                for a in words {
                    for b in ["", "neue ", "neue große ", "neue große alte ", "Neue "] {
                        texts.push(format!(
                            "Also {a} {b}{noun}{ending} und {a} {noun}{ending}."
                        ));
                    }
                }
            }
        }
        let text = texts.join(" ");
        for forms in [&raw.forms, &raw.forward.forms] {
            let pattern = |share| {
                let p = forms_pattern(&file, &raw, forms, &modifiers, &mut HashMap::new(), share)
                    .expect("pattern");
                regex::Regex::new(&p).expect("compiles")
            };
            let (shared, apart) = (pattern(true), pattern(false));
            assert_ne!(shared.as_str(), apart.as_str(), "nothing was shared");
            let found =
                |r: &regex::Regex| r.find_iter(&text).map(|m| m.range()).collect::<Vec<_>>();
            let matches = found(&apart);
            assert!(matches.len() > 1000, "{} matches", matches.len());
            assert_eq!(found(&shared), matches);
        }
    }
}
