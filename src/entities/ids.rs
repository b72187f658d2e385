//! Entity ids and canonical names for entities no list holds. Listed
//! entities bring their id from the list (`ags:05515000`, `org:citkomm`);
//! everything found by a pattern, a person rule or an acronym gets a
//! readable id made here, `label:slug` of its canonical name, so the same
//! name gets the same id in every document and mentions link across them.

use std::sync::Arc;

use super::EntityRules;
use crate::model::{EntityInfo, Label};

/// A readable id part: lower case, umlauts spelled out, other signs as `-`.
///
/// ```
/// assert_eq!(ikz::entities::slug("Petra Kranz"), "petra-kranz");
/// assert_eq!(ikz::entities::slug("KDZ Westfalen-Süd"), "kdz-westfalen-sued");
/// ```
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The canonical form of a pattern match: quotes and extra spaces gone, the
/// inflected head replaced (`Zweckverbandes X` -> `Zweckverband X`), so
/// every case of a name links to one entity.
pub(super) fn canonical_name(text: &str, head: Option<&str>, rules: &EntityRules) -> String {
    let text = text
        .trim_start_matches(['"', '„'])
        .trim_end_matches(['"', '“']);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match head.and_then(|h| rules.inflections.get(h).map(|base| (h, base))) {
        Some((h, base)) => collapsed.replacen(h, base, 1),
        None => collapsed,
    }
}

/// A new entity found by a pattern of `rules/entities.toml`: its id is the
/// pattern's label and the slug of its canonical name (`org:zweckverband-kdo`).
pub(super) fn pattern_entity(label: Label, kind: &str, canonical: String) -> Arc<EntityInfo> {
    Arc::new(EntityInfo {
        id: format!("{}:{}", label.as_str().to_lowercase(), slug(&canonical)),
        label,
        canonical,
        kind: Some(kind.to_string()),
        external_id: None,
    })
}

/// A listed role title with its modifiers or what it leads (`Erster
/// Landrat`): a role of its own, named by the whole text.
pub(super) fn affixed_role(role: &EntityInfo, text: &str) -> Arc<EntityInfo> {
    Arc::new(EntityInfo {
        id: format!("role:{}", slug(text)),
        canonical: text.to_string(),
        ..role.clone()
    })
}

/// An organisation the text itself defines as `Long Name (ABBR)`: named by
/// its long form, identified by its acronym (`org:kbz`), since the long form
/// varies more between documents than the acronym does.
pub(super) fn acronym_org(abbr: &str, long_name: &str) -> Arc<EntityInfo> {
    Arc::new(EntityInfo {
        id: format!("org:{}", slug(abbr)),
        label: Label::Org,
        canonical: long_name.to_string(),
        kind: None,
        external_id: None,
    })
}

/// A person named by the text (`Petra Kranz` -> `per:petra-kranz`); inner
/// line breaks and double spaces do not change the id.
pub(super) fn person_entity(name: &str) -> Arc<EntityInfo> {
    let canonical = name.split_whitespace().collect::<Vec<_>>().join(" ");
    Arc::new(EntityInfo {
        id: format!("per:{}", slug(&canonical)),
        label: Label::Per,
        canonical,
        kind: None,
        external_id: None,
    })
}
