//! TEMPORARY STUB (replaced by the real tables module).
use std::path::Path;
use anyhow::Result;
use crate::model::{Diagnostic, Document};
pub struct Formats { pub parquet: bool, pub csv: bool }
pub struct TableWriter { docs: csv::Writer<std::fs::File>, sents: csv::Writer<std::fs::File>, ments: csv::Writer<std::fs::File>, rels: csv::Writer<std::fs::File> }
impl TableWriter {
    pub fn create(dir: &Path, _f: Formats) -> Result<TableWriter> {
        let mut docs = csv::Writer::from_path(dir.join("documents.csv"))?;
        docs.write_record(["doc_id","title","published","keywords","body"])?;
        let mut sents = csv::Writer::from_path(dir.join("sentences.csv"))?;
        sents.write_record(["doc_id","text"])?;
        let mut ments = csv::Writer::from_path(dir.join("mentions.csv"))?;
        ments.write_record(["doc_id","text","label","entity_id","rule_id"])?;
        let mut rels = csv::Writer::from_path(dir.join("relations.csv"))?;
        rels.write_record(["doc_id","type","subject_text","object_text","role","rule_id","evidence"])?;
        Ok(TableWriter { docs, sents, ments, rels })
    }
    pub fn write_document(&mut self, d: &Document) -> Result<()> {
        let date = d.meta.published.map(|p| p.to_string()).unwrap_or_default();
        self.docs.write_record([d.doc_id.as_str(), d.meta.title.as_deref().unwrap_or(""), &date, &d.meta.keywords.join("|"), &d.body])?;
        for s in &d.sentences { self.sents.write_record([d.doc_id.as_str(), d.slice(s.span)])?; }
        for m in &d.mentions { self.ments.write_record([d.doc_id.as_str(), d.slice(m.span), m.entity.label.as_str(), &m.entity.id, &m.rule_id])?; }
        for r in &d.relations {
            let role = r.role.map(|i| d.slice(d.mentions[i].span)).unwrap_or("");
            self.rels.write_record([d.doc_id.as_str(), r.kind.as_str(), d.slice(d.mentions[r.subject].span), d.slice(d.mentions[r.object].span), role, &r.rule_id, d.slice(d.sentences[r.sentence_idx].span)])?;
        }
        Ok(())
    }
    pub fn write_diagnostic(&mut self, _d: &Diagnostic) -> Result<()> { Ok(()) }
    pub fn finish(mut self) -> Result<()> { self.docs.flush()?; self.sents.flush()?; self.ments.flush()?; self.rels.flush()?; Ok(()) }
}
