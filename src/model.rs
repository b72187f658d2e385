//! The one data model that flows through the pipeline.
//!
//! A [`Document`] starts as decoded text and collects stand-off layers as it
//! passes the stages: the boilerplate stage fills `body` and [`Metadata`], the
//! sentence stage adds [`Sentence`] spans, the entity stage [`Mention`]s and
//! the relation stage [`Relation`]s. Spans are **byte** offsets into `body`
//! (cheap to slice in Rust); the tables convert them to character offsets,
//! which is what the output contract promises. No stage rewrites `body` once
//! a later stage has pointed into it.

use std::sync::Arc;

use chrono::NaiveDate;

/// A half-open byte range `start..end` into a document's `body`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// Builds a span; `start` must not exceed `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies completely inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Entity labels of ANNOTATION.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// Organisations: Zweckverbände, IT providers, ministries, associations.
    Org,
    /// Geo-political entities: Länder, Kreise, cities, municipalities.
    Gpe,
    /// Named places and regions that are not administrative units.
    Loc,
    /// Named persons.
    Per,
    /// Positions and titles held by persons.
    Role,
}

impl Label {
    /// The label as written in tables and rule files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Label::Org => "ORG",
            Label::Gpe => "GPE",
            Label::Loc => "LOC",
            Label::Per => "PER",
            Label::Role => "ROLE",
        }
    }

    /// Parses a label as written in rule files (`ORG`, `GPE`, …).
    pub fn parse(text: &str) -> Option<Label> {
        match text {
            "ORG" => Some(Label::Org),
            "GPE" => Some(Label::Gpe),
            "LOC" => Some(Label::Loc),
            "PER" => Some(Label::Per),
            "ROLE" => Some(Label::Role),
            _ => None,
        }
    }
}

/// Relation types of ANNOTATION.md §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationType {
    /// Two parties agree on or carry out a cooperation (symmetric).
    Cooperation,
    /// Two parties merge with each other (symmetric).
    Merger,
    /// A party is merged or integrated into another.
    MergedInto,
    /// A party is a member of an association or Zweckverband.
    MemberOf,
    /// A person holds a position at an organisation or body.
    Role,
    /// An IT service provider serves a body.
    ItProviderOf,
    /// One party funds, accompanies or supports another.
    Supports,
}

impl RelationType {
    /// Every relation type, in the order of ANNOTATION.md §4.
    pub const ALL: [RelationType; 7] = [
        RelationType::Cooperation,
        RelationType::Merger,
        RelationType::MergedInto,
        RelationType::MemberOf,
        RelationType::Role,
        RelationType::ItProviderOf,
        RelationType::Supports,
    ];

    /// The type as written in tables and rule files.
    pub fn as_str(&self) -> &'static str {
        match self {
            RelationType::Cooperation => "COOPERATION",
            RelationType::Merger => "MERGER",
            RelationType::MergedInto => "MERGED_INTO",
            RelationType::MemberOf => "MEMBER_OF",
            RelationType::Role => "ROLE",
            RelationType::ItProviderOf => "IT_PROVIDER_OF",
            RelationType::Supports => "SUPPORTS",
        }
    }

    /// Parses a type as written in rule files.
    pub fn parse(text: &str) -> Option<RelationType> {
        RelationType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Symmetric types do not distinguish subject and object.
    pub fn is_symmetric(&self) -> bool {
        matches!(self, RelationType::Cooperation | RelationType::Merger)
    }
}

/// How a mention was found; the `method` column of the mentions table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A list entry from `rules/` or `data/`.
    Gazetteer,
    /// A pattern rule (head noun, first name + surname, role + name).
    Pattern,
    /// An acronym defined in the text as `Long Name (ABBR)`.
    Acronym,
    /// A later, shorter reference to an entity found earlier in the document.
    Alias,
    /// A description that refers to an entity named earlier (`der
    /// Zweckverband`); only the relation stage sees these, never a table.
    Reference,
}

impl Method {
    /// The method as written in the mentions table.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Gazetteer => "gazetteer",
            Method::Pattern => "pattern",
            Method::Acronym => "acronym",
            Method::Alias => "alias",
            Method::Reference => "reference",
        }
    }
}

/// What is known about the entity a mention refers to. Shared between
/// mentions through `Arc`, since the gazetteer hands out the same entity to
/// every document that mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityInfo {
    /// Stable readable id: `ags:05515000`, `org:citkomm`, `per:petra-kranz`.
    pub id: String,
    /// The entity's label.
    pub label: Label,
    /// The preferred name.
    pub canonical: String,
    /// A finer type such as `Zweckverband`, `Stadt`, `Landkreis`, `Land`.
    pub kind: Option<String>,
    /// The official key (AGS/ARS) where there is one.
    pub external_id: Option<String>,
}

/// One entity mention in a document's body.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Where the mention stands in `body`.
    pub span: Span,
    /// Index of the sentence that contains it.
    pub sentence_idx: usize,
    /// The entity it refers to.
    pub entity: Arc<EntityInfo>,
    /// How it was found.
    pub method: Method,
    /// The id of the rule or list that produced it.
    pub rule_id: String,
}

/// One sentence of a document's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Where the sentence stands in `body`.
    pub span: Span,
}

/// One relation between two mentions of the same document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The relation type.
    pub kind: RelationType,
    /// Sentence the evidence comes from.
    pub sentence_idx: usize,
    /// Index into the document's mentions: the subject.
    pub subject: usize,
    /// Index into the document's mentions: the object.
    pub object: usize,
    /// Where the sentence refers to the subject by a description (`der
    /// Zweckverband`); `subject` is then the mention it was resolved to.
    pub subject_ref: Option<Span>,
    /// The same for the object.
    pub object_ref: Option<Span>,
    /// For `ROLE`: index of the ROLE mention naming the position.
    pub role: Option<usize>,
    /// The word that fired the rule.
    pub trigger: String,
    /// The id of the rule that fired.
    pub rule_id: String,
}

/// Metadata taken from the page's boilerplate (ANNOTATION.md §1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The article headline.
    pub title: Option<String>,
    /// The article's own date.
    pub published: Option<NaiveDate>,
    /// The `Stichwörter`.
    pub keywords: Vec<String>,
    /// From `Bildquelle`, `Foto:` or `©` credits.
    pub image_credit: Option<String>,
    /// Author initials such as `bs`.
    pub author: Option<String>,
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input was used, but something about it needs attention.
    Warning,
    /// The input (or part of it) could not be used.
    Error,
}

impl Severity {
    /// The severity as written in the diagnostics table.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Something a user should know about an input: the diagnostics table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The input path (with `:line` for JSONL lines).
    pub source: String,
    /// The document concerned, if one was made.
    pub doc_id: Option<String>,
    /// Warning or error.
    pub severity: Severity,
    /// The pipeline stage that noticed (`input`, `decode`, `boilerplate`, …).
    pub stage: String,
    /// What happened and what to do.
    pub message: String,
}

/// One document with all its stand-off layers.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// File path relative to the input folder without extension, or the JSONL id.
    pub doc_id: String,
    /// The input path.
    pub source: String,
    /// How the bytes were decoded (`UTF-8`, `UTF-8 (BOM)`, `windows-1252`, …).
    pub encoding: String,
    /// The decoded text before boilerplate removal (CRLF normalised).
    pub text: String,
    /// The main content: kept lines joined by `\n`.
    pub body: String,
    /// Spans of `body` that belong to no sentence: author initials `(bs)`,
    /// inline photo credits, image file names glued to a line.
    pub non_sentence: Vec<Span>,
    /// Metadata from boilerplate.
    pub meta: Metadata,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Mentions in order of position.
    pub mentions: Vec<Mention>,
    /// Descriptions that refer to an entity named earlier, in order of
    /// position.
    pub references: Vec<crate::references::Reference>,
    /// Relations in order of sentence.
    pub relations: Vec<Relation>,
}

impl Document {
    /// The text a span covers in `body`.
    pub fn slice(&self, span: Span) -> &str {
        self.body.get(span.start..span.end).unwrap_or("")
    }
}
