//! The entities table, gathered over the whole run.
//!
//! Every mention written adds to its entity's counts and surfaces; the table
//! is written at the end, in order of each entity's first appearance. Memory
//! grows with the number of distinct entities (and their distinct surface
//! texts), not with the corpus. The hash map is only looked up, never
//! iterated, so the output order is deterministic.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::EntityInfo;

/// What the run has seen of one entity.
#[derive(Debug)]
pub(crate) struct EntityStats {
    /// The entity as first seen; later mentions with the same id are assumed
    /// to describe the same entity.
    pub(crate) info: Arc<EntityInfo>,
    /// Mentions of it over the whole run.
    pub(crate) n_mentions: i64,
    /// Documents that mention it.
    pub(crate) n_docs: i64,
    /// Distinct surface texts, in order of first appearance.
    pub(crate) surfaces: Vec<String>,
    /// The same texts, for the distinctness check.
    seen: HashSet<String>,
    /// Number of the last document that mentioned it, to count documents
    /// without a set per document.
    last_doc: u64,
}

/// The per-entity statistics of a run, in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct EntityRegistry {
    index: HashMap<String, usize>,
    entities: Vec<EntityStats>,
    /// Number of the current document (starts at 1 with the first document).
    doc_seq: u64,
}

impl EntityRegistry {
    /// Starts a new document: later [`EntityRegistry::record`]s count toward it.
    pub(crate) fn start_document(&mut self) {
        self.doc_seq += 1;
    }

    /// Records one mention of `entity` with text `surface` in the current document.
    pub(crate) fn record(&mut self, entity: &Arc<EntityInfo>, surface: &str) {
        let i = match self.index.get(entity.id.as_str()) {
            Some(&i) => i,
            None => {
                let i = self.entities.len();
                self.index.insert(entity.id.clone(), i);
                self.entities.push(EntityStats {
                    info: Arc::clone(entity),
                    n_mentions: 0,
                    n_docs: 0,
                    surfaces: Vec::new(),
                    seen: HashSet::new(),
                    last_doc: 0,
                });
                i
            }
        };
        let Some(stats) = self.entities.get_mut(i) else {
            return;
        };
        stats.n_mentions += 1;
        if stats.last_doc != self.doc_seq {
            stats.last_doc = self.doc_seq;
            stats.n_docs += 1;
        }
        if !stats.seen.contains(surface) {
            stats.seen.insert(surface.to_owned());
            stats.surfaces.push(surface.to_owned());
        }
    }

    /// The entities in order of first appearance.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &EntityStats> {
        self.entities.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Label;

    fn entity(id: &str) -> Arc<EntityInfo> {
        Arc::new(EntityInfo {
            id: id.to_owned(),
            label: Label::Gpe,
            canonical: id.to_owned(),
            kind: None,
            external_id: None,
        })
    }

    #[test]
    fn counts_mentions_docs_and_surfaces_in_first_order() {
        let (a, b) = (entity("b:first"), entity("a:second"));
        let mut reg = EntityRegistry::default();
        reg.start_document();
        reg.record(&a, "X");
        reg.record(&b, "Y");
        reg.record(&a, "X");
        reg.start_document();
        reg.record(&a, "Xe");
        let rows: Vec<_> = reg
            .iter()
            .map(|s| {
                (
                    s.info.id.as_str(),
                    s.n_mentions,
                    s.n_docs,
                    s.surfaces.clone(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("b:first", 3, 2, vec!["X".to_owned(), "Xe".to_owned()]),
                ("a:second", 1, 1, vec!["Y".to_owned()]),
            ]
        );
    }
}
