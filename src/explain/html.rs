//! `ikz explain FILE --html OUT.html`: the same report as the terminal
//! view, as one static page that a rule author opens in any browser.
//!
//! The page is self-contained — inline CSS, no scripts, nothing loaded
//! from elsewhere — so it can be mailed, attached to an issue or opened
//! offline. Mentions are highlighted by label (`<mark class="m ORG">`) and
//! carry their entity id, method and rule id (`data-*` attributes and a
//! hover title); references are underlined and name the entity they
//! resolve to; each sentence lists its relations beside it with an arrow
//! from subject to object; dropped lines are greyed out with the rule that
//! dropped them; candidate misses are marked. Tests read the page back
//! from headless Chromium and count its marks and relations against the
//! tables, so the markup's class names are part of its contract.

use std::fmt::Write;

use super::{CandidateMiss, CharIndex, Explanation, of_sentence};
use crate::boilerplate::LineKind;
use crate::markup::escape;
use crate::model::{Document, Relation, Span};
use crate::pipeline::Rules;
use crate::relations::MAX_SENTENCE_BYTES;

/// The first line of every page ikz writes, so that a later run knows the
/// file is its own and may replace it.
pub const MARKER: &str = "<!DOCTYPE html>\n<!-- written by ikz explain -->";

/// The whole page for one or more documents (a JSON Lines file gives one
/// section per document).
pub fn render_html(explanations: &[Explanation], rules: &Rules) -> String {
    let title = match explanations {
        [one] => format!("ikz explain: {}", one.doc.doc_id),
        many => format!("ikz explain: {} documents", many.len()),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "{MARKER}\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    out.push_str(LEGEND);
    for explanation in explanations {
        render_document(&mut out, explanation, rules);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn render_document(out: &mut String, explanation: &Explanation, rules: &Rules) {
    let doc = &explanation.doc;
    let chars = CharIndex::new(&doc.body);
    let _ = write!(
        out,
        "<article class=\"document\" data-doc-id=\"{}\">\n<h1>{}</h1>\n<p class=\"source\">{} · {}</p>\n",
        escape(&doc.doc_id),
        escape(&doc.doc_id),
        escape(&doc.source),
        escape(&doc.encoding)
    );
    render_meta(out, doc);
    render_lines(out, &doc.text, &explanation.lines, rules);
    let _ = writeln!(out, "<h2>Sentences ({})</h2>", doc.sentences.len());
    for idx in 0..doc.sentences.len() {
        render_sentence(out, explanation, idx, &chars);
    }
    let _ = writeln!(
        out,
        "<p class=\"summary\">{}</p>\n</article>",
        escape(&explanation.summary())
    );
}

fn render_meta(out: &mut String, doc: &Document) {
    let meta = &doc.meta;
    let published = meta.published.map(|d| d.to_string());
    let _ = write!(
        out,
        "<dl class=\"meta\"><dt>title</dt><dd>{}</dd><dt>published</dt><dd>{}</dd>",
        escape(meta.title.as_deref().unwrap_or("-")),
        escape(published.as_deref().unwrap_or("-"))
    );
    if !meta.keywords.is_empty() {
        let _ = write!(
            out,
            "<dt>keywords</dt><dd>{}</dd>",
            escape(&meta.keywords.join(", "))
        );
    }
    out.push_str("</dl>\n");
}

/// Every line of the page: kept, or greyed out with the rule that dropped it.
fn render_lines(out: &mut String, text: &str, kinds: &[LineKind], rules: &Rules) {
    out.push_str("<h2>Lines</h2>\n<ol class=\"lines\">\n");
    for (line, kind) in text.split('\n').zip(kinds) {
        match kind.dropped_by(&rules.boilerplate) {
            None => {
                let _ = writeln!(out, "<li class=\"line kept\">{}</li>", escape(line));
            }
            Some(rule) => {
                let _ = writeln!(
                    out,
                    "<li class=\"line dropped\" data-rule=\"{0}\" title=\"dropped by {0}\">\
                     <span class=\"rule\">{0}</span> {1}</li>",
                    escape(&rule),
                    escape(line)
                );
            }
        }
    }
    out.push_str("</ol>\n");
}

/// One sentence with its marks, and beside it what the later stages found.
fn render_sentence(out: &mut String, explanation: &Explanation, idx: usize, chars: &CharIndex) {
    let doc = &explanation.doc;
    let Some(sentence) = doc.sentences.get(idx) else {
        return;
    };
    let _ = write!(
        out,
        "<section class=\"sentence\" id=\"s{idx}\" data-sentence-idx=\"{idx}\">\n\
         <p class=\"text\"><span class=\"sid\">s{idx} {}</span> ",
        chars.span(sentence.span)
    );
    let unmarked = marked_text(out, doc, idx, sentence.span);
    out.push_str("</p>\n<div class=\"found\">\n");
    for m in unmarked.iter().filter_map(|&i| doc.mentions.get(i)) {
        let _ = writeln!(
            out,
            "<p class=\"note unmarked\">mention {} {} „{}“ (rule {}) overlaps another and is not marked</p>",
            m.entity.label.as_str(),
            escape(&m.entity.id),
            escape(doc.slice(m.span)),
            escape(&m.rule_id)
        );
    }
    if sentence.span.len() > MAX_SENTENCE_BYTES {
        let _ = writeln!(
            out,
            "<p class=\"note\">over {MAX_SENTENCE_BYTES} bytes: the relation stage skips this sentence</p>"
        );
    }
    let relations = of_sentence(&doc.relations, idx, |r| r.sentence_idx);
    let misses = of_sentence(&explanation.misses, idx, |m| m.sentence_idx);
    if !relations.is_empty() || !misses.is_empty() {
        out.push_str("<ul class=\"relations\">\n");
        for r in relations {
            relation_item(out, doc, r);
        }
        for miss in misses {
            miss_item(out, miss);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// The sentence's text with its mentions as `<mark>` and its references
/// underlined. Where a reference overlaps a mention, the mention is shown;
/// a mention that overlaps another or reaches past the sentence cannot be
/// marked and is returned, to be listed beside the sentence.
fn marked_text(out: &mut String, doc: &Document, idx: usize, sentence: Span) -> Vec<usize> {
    let mut pieces: Vec<(Span, String, Option<usize>)> = Vec::new();
    let first = doc.mentions.partition_point(|m| m.sentence_idx < idx);
    for (i, m) in of_sentence(&doc.mentions, idx, |m| m.sentence_idx)
        .iter()
        .enumerate()
    {
        let tag = format!(
            "<mark class=\"m {label}\" data-entity-id=\"{id}\" data-rule-id=\"{rule}\" \
             data-method=\"{method}\" title=\"{label} · {id} · {method} · rule {rule}\">",
            label = m.entity.label.as_str(),
            id = escape(&m.entity.id),
            rule = escape(&m.rule_id),
            method = m.method.as_str(),
        );
        pieces.push((m.span, tag, Some(first + i)));
    }
    let mut seen_refs: Vec<Span> = Vec::new();
    for r in of_sentence(&doc.references, idx, |r| r.sentence_idx) {
        let overlaps = |s: &Span| s.start < r.span.end && r.span.start < s.end;
        if seen_refs.contains(&r.span) || pieces.iter().any(|(s, _, _)| overlaps(s)) {
            continue; // a plural description is one reference per entity
        }
        seen_refs.push(r.span);
        let targets: Vec<String> = of_sentence(&doc.references, idx, |x| x.sentence_idx)
            .iter()
            .filter(|x| x.span == r.span)
            .filter_map(|x| doc.mentions.get(x.antecedent))
            .map(|m| format!("{} „{}“", m.entity.id, doc.slice(m.span)))
            .collect();
        let tag = format!(
            "<span class=\"ref\" title=\"refers to {}\">",
            escape(&targets.join(", "))
        );
        pieces.push((r.span, tag, None));
    }
    pieces.sort_by_key(|(span, _, _)| span.start);
    let mut at = sentence.start;
    let mut unmarked = Vec::new();
    for (span, tag, mention) in pieces {
        if span.start < at || span.end > sentence.end {
            unmarked.extend(mention); // a reference is in its mark's title
            continue;
        }
        out.push_str(&escape(slice(doc, at, span.start)));
        out.push_str(&tag);
        out.push_str(&escape(slice(doc, span.start, span.end)));
        out.push_str(if tag.starts_with("<mark") {
            "</mark>"
        } else {
            "</span>"
        });
        at = span.end;
    }
    out.push_str(&escape(slice(doc, at, sentence.end)));
    unmarked
}

fn slice(doc: &Document, start: usize, end: usize) -> &str {
    doc.body.get(start..end).unwrap_or("")
}

/// `subject → object` with the type, role, trigger and rule.
fn relation_item(out: &mut String, doc: &Document, r: &Relation) {
    let argument = |i: usize, via: Option<Span>, side: &str| {
        let Some(m) = doc.mentions.get(i) else {
            return format!("<span class=\"arg {side}\">?</span>");
        };
        let via = via.map_or(String::new(), |v| {
            format!(" <span class=\"via\">via „{}“</span>", escape(doc.slice(v)))
        });
        format!(
            "<span class=\"arg {side} {}\" title=\"{}\">{}</span>{via}",
            m.entity.label.as_str(),
            escape(&m.entity.id),
            escape(doc.slice(m.span))
        )
    };
    let role = r
        .role
        .and_then(|i| doc.mentions.get(i))
        .map_or(String::new(), |m| {
            format!(
                " <span class=\"role\">als {}</span>",
                escape(doc.slice(m.span))
            )
        });
    let _ = writeln!(
        out,
        "<li class=\"relation\" data-type=\"{kind}\" data-rule-id=\"{rule}\">\
         <span class=\"type\">{kind}</span> {} <span class=\"arrow\">→</span> {}{role} \
         <span class=\"how\">trigger „{}“ · rule {rule}</span></li>",
        argument(r.subject, r.subject_ref, "subject"),
        argument(r.object, r.object_ref, "object"),
        escape(&r.trigger),
        kind = r.kind.as_str(),
        rule = escape(&r.rule_id),
    );
}

fn miss_item(out: &mut String, miss: &CandidateMiss) {
    let _ = writeln!(
        out,
        "<li class=\"miss\" data-type=\"{kind}\"><span class=\"type\">MISS? {kind}</span> \
         word {} with parties {}: no {kind} relation</li>",
        escape(&miss.words.join(", ")),
        escape(&miss.parties.join(", ")),
        kind = miss.kind.as_str(),
    );
}

const LEGEND: &str = "<p class=\"legend\">Mentions: <mark class=\"m ORG\">ORG</mark> \
<mark class=\"m GPE\">GPE</mark> <mark class=\"m LOC\">LOC</mark> <mark class=\"m PER\">PER</mark> \
<mark class=\"m ROLE\">ROLE</mark> · <span class=\"ref\">reference</span> · hover for entity and \
rule ids · dropped lines are grey</p>\n";

const STYLE: &str = "
body { font: 15px/1.5 system-ui, sans-serif; margin: 1.5em auto; max-width: 80em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: 0; } h2 { font-size: 1.1em; margin-top: 1.5em; }
.source, .summary, .legend { color: #666; }
.meta dt { float: left; clear: left; width: 6em; color: #666; } .meta dd { margin-left: 6.5em; }
.lines { font-size: 0.85em; padding-left: 3em; }
.line.dropped { color: #aaa; } .line .rule { background: #eee; color: #777; padding: 0 .3em; }
.sentence { display: grid; grid-template-columns: 3fr 2fr; gap: 1em; border-top: 1px solid #eee; padding: .4em 0; }
.sentence .text { margin: 0; } .sid { color: #999; font-size: .8em; margin-right: .3em; }
.found ul { margin: 0; padding-left: 1em; font-size: .9em; }
mark.m { border-radius: 3px; padding: 0 2px; }
mark.ORG { background: #cfe3ff; } mark.GPE { background: #d4f5d0; } mark.LOC { background: #e6f7c2; }
mark.PER { background: #ffe0c2; } mark.ROLE { background: #f0d6ff; }
.ref { text-decoration: underline dotted #a33; text-underline-offset: 3px; }
.relation .type { font-weight: 600; font-size: .8em; } .arrow { color: #a33; font-weight: 700; }
.arg { border-bottom: 2px solid #9bc; } .via, .role, .how { color: #666; } .how { font-size: .8em; }
.miss { color: #b35900; } .note { color: #b35900; font-size: .9em; }
";
