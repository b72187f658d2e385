//! `relations.graphml` (`ikz extract --graph`): the cooperation network as
//! a GraphML file that networkx, Gephi, Cytoscape and yEd open.
//!
//! Nodes are the entities of the entities table (id = `entity_id`), edges
//! the rows of the relations table, one edge per row, directed from
//! subject to object (for the symmetric types that is the smaller id to
//! the larger, as in the table). Edges are written as documents arrive, so
//! memory stays flat; the nodes follow at the end, when the run's entity
//! counts are known (GraphML lets nodes and edges come in any order).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::entities::EntityStats;
use super::write_error;
use crate::markup::escape_into;
use crate::model::Document;

/// The file name in the output folder.
pub(crate) const FILE_NAME: &str = "relations.graphml";

/// The attributes declared in the header: (id, for, type). The id is also
/// the attribute's name, so a reader shows the table's column names.
const KEYS: &[(&str, &str, &str)] = &[
    ("label", "node", "string"),
    ("canonical", "node", "string"),
    ("kind", "node", "string"),
    ("external_id", "node", "string"),
    ("n_mentions", "node", "long"),
    ("n_docs", "node", "long"),
    ("type", "edge", "string"),
    ("role", "edge", "string"),
    ("role_id", "edge", "string"),
    ("published", "edge", "string"),
    ("doc_id", "edge", "string"),
    ("sentence_idx", "edge", "int"),
    ("rule_id", "edge", "string"),
    ("trigger", "edge", "string"),
    ("evidence", "edge", "string"),
];

/// Streams edges into the GraphML file and adds the nodes at the end.
pub(crate) struct GraphSink {
    path: PathBuf,
    out: BufWriter<File>,
    edges: u64,
}

impl GraphSink {
    /// Creates the file at `path` (the not yet renamed `.partial` name) and
    /// writes the header.
    pub(crate) fn create(path: &Path) -> Result<GraphSink> {
        let file = File::create(path).with_context(|| {
            format!(
                "cannot create {}: check that the output folder is writable",
                path.display()
            )
        })?;
        let mut out = BufWriter::with_capacity(256 * 1024, file);
        let mut header = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
        );
        for (id, target, kind) in KEYS {
            header.push_str(&format!(
                "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{id}\" attr.type=\"{kind}\"/>\n"
            ));
        }
        header.push_str("  <graph id=\"relations\" edgedefault=\"directed\">\n");
        out.write_all(header.as_bytes())
            .with_context(|| write_error(path))?;
        Ok(GraphSink {
            path: path.to_path_buf(),
            out,
            edges: 0,
        })
    }

    /// Writes one edge per relation of `docs`, in their order.
    pub(crate) fn push_documents(&mut self, docs: &[&Document]) -> Result<()> {
        let mut text = String::new();
        for doc in docs {
            for relation in &doc.relations {
                let (Some(subject), Some(object)) = (
                    doc.mentions.get(relation.subject),
                    doc.mentions.get(relation.object),
                ) else {
                    continue; // refused by the relations table before this
                };
                let role = relation.role.and_then(|i| doc.mentions.get(i));
                let evidence = doc
                    .sentences
                    .get(relation.sentence_idx)
                    .map_or("", |s| doc.slice(s.span));
                text.clear();
                text.push_str("    <edge id=\"e");
                text.push_str(&self.edges.to_string());
                text.push_str("\" source=\"");
                escape_into(&mut text, &subject.entity.id);
                text.push_str("\" target=\"");
                escape_into(&mut text, &object.entity.id);
                text.push_str("\">");
                data(&mut text, "type", Some(relation.kind.as_str()));
                data(&mut text, "role", role.map(|m| doc.slice(m.span)));
                data(&mut text, "role_id", role.map(|m| m.entity.id.as_str()));
                let published = doc.meta.published.map(|d| d.format("%Y-%m-%d").to_string());
                data(&mut text, "published", published.as_deref());
                data(&mut text, "doc_id", Some(&doc.doc_id));
                data(
                    &mut text,
                    "sentence_idx",
                    Some(&relation.sentence_idx.to_string()),
                );
                data(&mut text, "rule_id", Some(&relation.rule_id));
                data(&mut text, "trigger", Some(&relation.trigger));
                data(&mut text, "evidence", Some(evidence));
                text.push_str("</edge>\n");
                self.out
                    .write_all(text.as_bytes())
                    .with_context(|| write_error(&self.path))?;
                self.edges += 1;
            }
        }
        Ok(())
    }

    /// Writes the nodes and the footer, and closes the file.
    pub(crate) fn finish<'a>(
        mut self,
        entities: impl Iterator<Item = &'a EntityStats>,
    ) -> Result<()> {
        let mut text = String::new();
        for stats in entities {
            let info = &stats.info;
            text.clear();
            text.push_str("    <node id=\"");
            escape_into(&mut text, &info.id);
            text.push_str("\">");
            data(&mut text, "label", Some(info.label.as_str()));
            data(&mut text, "canonical", Some(&info.canonical));
            data(&mut text, "kind", info.kind.as_deref());
            data(&mut text, "external_id", info.external_id.as_deref());
            data(&mut text, "n_mentions", Some(&stats.n_mentions.to_string()));
            data(&mut text, "n_docs", Some(&stats.n_docs.to_string()));
            text.push_str("</node>\n");
            self.out
                .write_all(text.as_bytes())
                .with_context(|| write_error(&self.path))?;
        }
        self.out
            .write_all(b"  </graph>\n</graphml>\n")
            .and_then(|()| self.out.flush())
            .with_context(|| write_error(&self.path))?;
        let file = self
            .out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))
            .with_context(|| write_error(&self.path))?;
        file.sync_all().with_context(|| write_error(&self.path))
    }
}

/// One `<data>` element; a null value is left out, as GraphML reads a
/// missing value as unset.
fn data(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push_str("<data key=\"");
        out.push_str(key);
        out.push_str("\">");
        escape_into(out, value);
        out.push_str("</data>");
    }
}
