//! The gazetteer: every listed name in one finite-state automaton.
//!
//! Entries come from `data/` (Gemeinden, Kreise, Länder with their AGS, IT
//! providers) and `rules/` (organisations, places, role titles). The
//! automaton is built once, case-sensitively; at every word start the
//! longest name that begins there is looked up, and matches must stand at
//! word boundaries.
//!
//! Why an `fst` map and not Aho-Corasick: names are only ever looked up
//! *anchored* at a word start, so what is needed is a prefix trie, not the
//! failure links an Aho-Corasick automaton spends its build on. The names
//! come sorted anyway (they are collected, then sorted once), which is what
//! an `fst` map is built from in one pass. With 1,000,000 organisation
//! names (bench/throughput.sh `GAZ=1000000`) building the anchored
//! Aho-Corasick automaton took about 1.3 s of a 3.8 s start-up; the map
//! builds in 0.3 s, and looking names up costs the same on today's lists.
//!
//! A long list (`organisations.tsv` grown by a user) is read in parts on
//! all threads; the parts are put together in file order, so that names,
//! ranks and the first error reported are those of one pass.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use fst::raw::Output;
use rayon::prelude::*;

use super::rule_ids;
use crate::model::{EntityInfo, Label};
use crate::rules::{RuleFile, Source, TsvRows};

/// One name the gazetteer knows.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entity the name refers to.
    pub entity: Arc<EntityInfo>,
    /// The list it came from, for the `rule_id` column.
    pub list: &'static str,
    /// A one-word place name that is also an ordinary word: needs a cue.
    pub needs_cue: bool,
    /// Lower numbers win when two lists hold the same name.
    rank: u64,
}

/// All names, compiled.
pub struct Gazetteer {
    /// Every surface, mapped to its index in `entries`.
    names: fst::Map<Vec<u8>>,
    entries: Vec<Entry>,
    /// Every base role title, by form (`Landrätin` → `Landrat`).
    pub role_forms: HashMap<String, String>,
}

/// A gazetteer hit in a text.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// Byte range of the hit.
    pub start: usize,
    /// End of the hit (exclusive).
    pub end: usize,
    /// Index into [`Gazetteer::entry`].
    pub entry: usize,
}

impl Gazetteer {
    /// Loads every list and builds the automaton.
    /// `no_genitive_s` are the endings of place names that take no `-s`
    /// in the genitive (`[language] no_genitive_s` of `entities.toml`),
    /// `kreis_heads` the words that name a Kreis before its name.
    pub fn load(
        rules: &Source,
        data: &Source,
        ambiguous: &[String],
        no_genitive_s: &[String],
        kreis_heads: &[String],
    ) -> Result<Gazetteer> {
        let mut names = NameTable {
            ambiguous: ambiguous.iter().cloned().collect(),
            no_genitive_s: no_genitive_s.to_vec(),
            kreis_heads: kreis_heads.to_vec(),
            ..NameTable::default()
        };
        load_gemeinden(&data.open("gemeinden.tsv")?, &mut names)?;
        load_kreise(&data.open("kreise.tsv")?, &mut names)?;
        load_laender(&data.open("laender.tsv")?, &mut names)?;
        // Ids are unique over both lists: a row of organisations.tsv with
        // an IT provider's id would silently rename that provider.
        let mut ids = SeenIds {
            ids: std::collections::HashMap::new(),
            remember: true,
        };
        load_organisations(
            &data.open("it_dienstleister.tsv")?,
            &mut names,
            (rule_ids::LIST_IT_DIENSTLEISTER, Some("IT-Dienstleister")),
            &mut ids,
        )?;
        ids.remember = false;
        load_organisations(
            &rules.open("organisations.tsv")?,
            &mut names,
            (rule_ids::LIST_ORGANISATIONS, None),
            &mut ids,
        )?;
        load_places(&rules.open("places.tsv")?, &mut names)?;
        let role_forms = load_roles(&rules.open("roles.tsv")?, &mut names)?;
        let surfaces = names.best_per_surface();
        let names = fst::Map::from_iter(surfaces.iter().map(|(surface, _)| surface).zip(0u64..))
            .map_err(|e| anyhow!("cannot build the gazetteer automaton: {e}"))?;
        let entries = surfaces.into_iter().map(|(_, entry)| entry).collect();
        Ok(Gazetteer {
            names,
            entries,
            role_forms,
        })
    }

    /// The entry behind a hit.
    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// All hits in `text` that stand at word boundaries.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        for hit in self.longest_at_word_starts(text) {
            let entry = &self.entries[hit.entry];
            if at_word_boundaries(text, hit.start, hit.end, entry.entity.label) {
                hits.push(hit);
            }
        }
        hits
    }

    /// Looks up an exact surface.
    pub fn lookup(&self, surface: &str) -> Option<&Entry> {
        let index = self.names.get(surface)?;
        self.entries.get(usize::try_from(index).ok()?)
    }

    /// The longest name starting at each word start. Names overlap (`KID
    /// Magdeburg` holds `Magdeburg`), and the entity stage decides between
    /// them, so every start is tried, not only the ends of earlier matches.
    fn longest_at_word_starts(&self, text: &str) -> Vec<Hit> {
        let mut found = Vec::new();
        let mut previous_alnum = false;
        for (i, c) in text.char_indices() {
            let starts_word = !previous_alnum;
            previous_alnum = c.is_alphanumeric();
            if !starts_word {
                continue;
            }
            if let Some((len, entry)) = self.longest_prefix(&text.as_bytes()[i..]) {
                found.push(Hit {
                    start: i,
                    end: i + len,
                    entry,
                });
            }
        }
        found
    }

    /// The longest name that `bytes` starts with: its length in bytes and
    /// its entry. A name ends where the automaton is in a final state, so
    /// the length always falls on a character boundary.
    fn longest_prefix(&self, bytes: &[u8]) -> Option<(usize, usize)> {
        let fst = self.names.as_fst();
        let mut node = fst.root();
        let mut output = Output::zero();
        let mut longest = None;
        for (i, &byte) in bytes.iter().enumerate() {
            let Some(t) = node.find_input(byte) else {
                break;
            };
            let transition = node.transition(t);
            output = output.cat(transition.out);
            node = fst.node(transition.addr);
            if node.is_final() {
                longest = Some((i + 1, output.cat(node.final_output()).value()));
            }
        }
        let (len, index) = longest?;
        Some((len, usize::try_from(index).ok()?))
    }
}

fn at_word_boundaries(text: &str, start: usize, end: usize, label: Label) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let left_ok = match before {
        None => true,
        Some('-') => label == Label::Role,
        Some(c) => !c.is_alphanumeric(),
    };
    let glued = text[..end]
        .chars()
        .next_back()
        .is_some_and(char::is_lowercase)
        && after.is_some_and(char::is_uppercase);
    let right_ok = match after {
        None => true,
        Some('-') => matches!(label, Label::Org),
        Some(c) => glued || !c.is_alphanumeric(),
    };
    left_ok && right_ok
}

/// Adds a name to the surfaces collected while loading, trimmed; a name
/// of fewer than two characters is left out.
fn add_surface(surfaces: &mut Vec<(String, Entry)>, surface: &str, entry: &Entry) {
    let surface = surface.trim();
    if surface.chars().count() >= 2 {
        surfaces.push((surface.to_string(), entry.clone()));
    }
}

/// Surfaces collected while loading; [`NameTable::best_per_surface`] keeps
/// the best entry of each.
#[derive(Default)]
struct NameTable {
    /// Every surface with its entry, in the order added.
    surfaces: Vec<(String, Entry)>,
    /// One-word place names that are also ordinary words.
    ambiguous: std::collections::HashSet<String>,
    /// Endings of place names whose genitive adds no `-s` (`Graz`, `Ahaus`).
    no_genitive_s: Vec<String>,
    /// Words that name a Kreis before its name (`Kreis Soest`,
    /// `Landkreises Celle`): `[language] kreis_heads`.
    kreis_heads: Vec<String>,
}

impl NameTable {
    fn add(&mut self, surface: &str, entry: &Entry) {
        add_surface(&mut self.surfaces, surface, entry);
    }

    /// The surfaces in byte order (what the automaton is built from), each
    /// once, with its best entry: the lowest rank, and of equal ranks the
    /// one added first. One sort instead of a sorted map: cheaper to build
    /// for a million names, and no tree nodes left in memory.
    fn best_per_surface(mut self) -> Vec<(String, Entry)> {
        // A stable sort keeps the order of addition among equal ranks.
        self.surfaces
            .par_sort_by(|a, b| a.0.cmp(&b.0).then(a.1.rank.cmp(&b.1.rank)));
        self.surfaces.dedup_by(|later, first| later.0 == first.0);
        self.surfaces
    }

    /// Adds the name and, for places, its genitive (`Thüringens`) and its
    /// short form without a qualifier (`Gronau (Westf.)` → `Gronau`).
    fn add_place(&mut self, surface: &str, entry: &Entry) {
        if self.ambiguous.contains(surface) && !entry.needs_cue {
            let cued = Entry {
                needs_cue: true,
                ..entry.clone()
            };
            return self.add_place(surface, &cued);
        }
        if let Some((short, _)) = surface.split_once(" (") {
            let mut short_entry = entry.clone();
            short_entry.rank += 500_000_000;
            self.add_place(short, &short_entry);
        }
        self.add(surface, entry);
        if !self
            .no_genitive_s
            .iter()
            .any(|e| surface.ends_with(e.as_str()))
        {
            let mut genitive = entry.clone();
            genitive.rank += 1;
            self.add(&format!("{surface}s"), &genitive);
        }
    }
}

fn entity(
    id: String,
    label: Label,
    canonical: &str,
    kind: &str,
    external_id: Option<String>,
) -> Arc<EntityInfo> {
    Arc::new(EntityInfo {
        id,
        label,
        canonical: canonical.to_string(),
        kind: (!kind.is_empty()).then(|| kind.to_string()),
        external_id,
    })
}

struct Columns<'a> {
    file: &'a RuleFile,
    header: Vec<&'a str>,
}

impl<'a> Columns<'a> {
    fn get<'r>(&self, row: &'r [&'a str], name: &str) -> Result<&'a str> {
        let i = self.file.column(&self.header, name)?;
        Ok(row[i])
    }
}

fn rows(file: &RuleFile) -> Result<(Columns<'_>, TsvRows<'_>)> {
    let (header, rows) = file.tsv_rows()?;
    Ok((Columns { file, header }, rows))
}

/// Places win over nothing else: a larger place wins over a smaller one
/// with the same name (rank = minus population).
fn population_rank(text: &str) -> u64 {
    1_000_000_000u64.saturating_sub(text.parse::<u64>().unwrap_or(0))
}

fn load_gemeinden(file: &RuleFile, names: &mut NameTable) -> Result<()> {
    let (cols, rows) = rows(file)?;
    for row in rows {
        let (_, row) = row?;
        let ags = cols.get(&row, "ags")?;
        let name = cols.get(&row, "name")?;
        let e = Entry {
            entity: entity(
                format!("ags:{ags}"),
                Label::Gpe,
                name,
                cols.get(&row, "kind")?,
                Some(ags.to_string()),
            ),
            list: rule_ids::LIST_GEMEINDEN,
            needs_cue: false,
            rank: 3_000_000_000 + population_rank(cols.get(&row, "population")?),
        };
        names.add_place(name, &e);
        let alt = cols.get(&row, "alt_name")?;
        if !alt.is_empty() {
            names.add_place(alt, &e);
        }
    }
    Ok(())
}

fn load_kreise(file: &RuleFile, names: &mut NameTable) -> Result<()> {
    let (cols, rows) = rows(file)?;
    for row in rows {
        let (_, row) = row?;
        let ags = cols.get(&row, "ags")?;
        let name = cols.get(&row, "name")?;
        let kind = cols.get(&row, "kind")?;
        if kind == "kreisfreie Stadt" {
            continue; // the city itself is in gemeinden.tsv, with its 8-digit AGS
        }
        let full = cols.get(&row, "full_name")?;
        let e = Entry {
            entity: entity(
                format!("ags:{ags}"),
                Label::Gpe,
                full,
                kind,
                Some(ags.to_string()),
            ),
            list: rule_ids::LIST_KREISE,
            needs_cue: false,
            rank: 4_000_000_000 + population_rank(cols.get(&row, "population")?),
        };
        names.add_place(name, &e);
        let full_entry = Entry {
            needs_cue: false,
            rank: 1_000,
            ..e.clone()
        };
        names.add(full, &full_entry);
        if kind == "Kreis" || kind == "Landkreis" {
            for head in names.kreis_heads.clone() {
                names.add(&format!("{head} {name}"), &full_entry);
            }
        }
    }
    Ok(())
}

/// The names of the Länder (`data/laender.tsv`), for the `{LAND}` macro of
/// the entity patterns; read on their own, so that the patterns compile
/// while the gazetteer loads.
pub fn land_names(data: &Source) -> Result<Vec<String>> {
    let file = data.open("laender.tsv")?;
    let (cols, rows) = rows(&file)?;
    let mut land_names = Vec::new();
    for row in rows {
        let (_, row) = row?;
        land_names.push(cols.get(&row, "name")?.to_string());
    }
    Ok(land_names)
}

fn load_laender(file: &RuleFile, names: &mut NameTable) -> Result<()> {
    let (cols, rows) = rows(file)?;
    for row in rows {
        let (_, row) = row?;
        let ags = cols.get(&row, "ags")?;
        let name = cols.get(&row, "name")?;
        let e = Entry {
            entity: entity(
                format!("ags:{ags}"),
                Label::Gpe,
                name,
                "Land",
                Some(ags.to_string()),
            ),
            list: rule_ids::LIST_LAENDER,
            needs_cue: false,
            rank: 100,
        };
        names.add_place(name, &e);
        names.add(cols.get(&row, "official_name")?, &e);
    }
    Ok(())
}

/// Reads an organisation list (`it_dienstleister.tsv`, `organisations.tsv`).
/// A long list is read in parts on all threads, then put together in file
/// order, so that the names, their ranks and the first error reported are
/// those of reading it row by row.
fn load_organisations(
    file: &RuleFile,
    names: &mut NameTable,
    (list, default_kind): (&'static str, Option<&str>),
    seen: &mut SeenIds,
) -> Result<()> {
    let parts = (file.text.len() / PART_BYTES).clamp(1, 4 * rayon::current_num_threads());
    let (header, parts) = file.tsv_parts(parts)?;
    let organisations = OrganisationList {
        has_label: header.contains(&"label"),
        cols: Columns { file, header },
        list,
        default_kind,
    };
    let read: Vec<OrganisationRows> = parts
        .into_par_iter()
        .map(|rows| organisations.read(rows))
        .collect();
    // Sized once for every id, not regrown over a long list; borrowed from
    // the file's text (a list may hold a million rows).
    let mut in_file =
        std::collections::HashSet::with_capacity(read.iter().map(|part| part.ids.len()).sum());
    for part in read {
        for (id, line) in part.ids {
            let earlier = seen.ids.get(id);
            if earlier.is_some() || !in_file.insert(id) {
                let other = earlier.map_or(String::new(), |path| format!(" (also in {path})"));
                return Err(file.error_on_line(
                    line,
                    &format!("duplicate id `{id}`{other}; give every row its own id"),
                ));
            }
        }
        if let Some(error) = part.error {
            return Err(error);
        }
        names.surfaces.extend(part.surfaces);
    }
    if seen.remember {
        seen.ids.extend(
            in_file
                .into_iter()
                .map(|id| (id.to_string(), file.path.clone())),
        );
    }
    Ok(())
}

/// The ids of the organisation lists read before, with the file that gave
/// each, so that the next list cannot reuse one.
struct SeenIds {
    ids: std::collections::HashMap<String, String>,
    /// Whether the list being read adds its ids (all but the last list,
    /// which may be long).
    remember: bool,
}

/// Bytes of an organisation list per part read on its own thread.
const PART_BYTES: usize = 256 << 10;

/// An organisation list being read, and what holds for all its rows.
struct OrganisationList<'a> {
    cols: Columns<'a>,
    /// Whether the list has a `label` column (else every row is ORG).
    has_label: bool,
    /// The list's name, for the `rule_id` column.
    list: &'static str,
    /// The kind of every row, for a list without a `kind` column.
    default_kind: Option<&'a str>,
}

/// What one part of an organisation list holds: the names with their
/// entries, each row's id and line (for the duplicate check, which needs
/// the whole list), and the first error, after which the part stops.
struct OrganisationRows<'a> {
    surfaces: Vec<(String, Entry)>,
    ids: Vec<(&'a str, usize)>,
    error: Option<anyhow::Error>,
}

impl<'a> OrganisationList<'a> {
    /// Reads one part of the list.
    fn read(&self, rows: TsvRows<'a>) -> OrganisationRows<'a> {
        let mut read = OrganisationRows {
            surfaces: Vec::new(),
            ids: Vec::new(),
            error: None,
        };
        for row in rows {
            // The id goes to the duplicate check once the row is good,
            // which is the order in which a row's problems are reported.
            let row = row.and_then(|(line, row)| {
                let id = self.add_names(line, &row, &mut read.surfaces)?;
                read.ids.push((id, line));
                Ok(())
            });
            if let Err(error) = row {
                read.error = Some(error);
                break;
            }
        }
        read
    }

    /// Adds the names of one row to `surfaces`; returns the row's id.
    fn add_names(
        &self,
        line: usize,
        row: &[&'a str],
        surfaces: &mut Vec<(String, Entry)>,
    ) -> Result<&'a str> {
        let (cols, file) = (&self.cols, self.cols.file);
        let label = if self.has_label {
            let text = cols.get(row, "label")?;
            Label::parse(text).ok_or_else(|| {
                file.error_on_line(
                    line,
                    &format!("unknown label `{text}`; use ORG, GPE, LOC, PER or ROLE"),
                )
            })?
        } else {
            Label::Org
        };
        let id = cols.get(row, "id")?;
        if id.is_empty() {
            return Err(file.error_on_line(
                line,
                "empty id; give every organisation an id such as org:name",
            ));
        }
        let name = cols.get(row, "name")?;
        let kind = self.default_kind.unwrap_or(cols.get(row, "kind")?);
        let e = Entry {
            entity: entity(id.to_string(), label, name, kind, None),
            list: self.list,
            needs_cue: false,
            rank: 10,
        };
        let aliases = cols
            .get(row, "aliases")?
            .split('|')
            .filter(|a| !a.is_empty());
        for alias in std::iter::once(name).chain(aliases) {
            add_surface(surfaces, alias, &e);
            if alias.chars().count() >= 4 && alias.chars().all(|c| c.is_uppercase()) {
                let title: String = alias
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i == 0 {
                            c
                        } else {
                            c.to_lowercase().next().unwrap_or(c)
                        }
                    })
                    .collect();
                let title_entry = Entry {
                    rank: 20,
                    ..e.clone()
                };
                add_surface(surfaces, &title, &title_entry);
            }
        }
        Ok(id)
    }
}

fn load_places(file: &RuleFile, names: &mut NameTable) -> Result<()> {
    let (cols, rows) = rows(file)?;
    for row in rows {
        let (line, row) = row?;
        let text = cols.get(&row, "label")?;
        let label = Label::parse(text)
            .filter(|l| matches!(l, Label::Gpe | Label::Loc))
            .ok_or_else(|| {
                file.error_on_line(
                    line,
                    &format!("unknown place label `{text}`; use GPE or LOC"),
                )
            })?;
        let external = cols.get(&row, "external_id")?;
        let name = cols.get(&row, "name")?;
        let e = Entry {
            entity: entity(
                cols.get(&row, "id")?.to_string(),
                label,
                name,
                cols.get(&row, "kind")?,
                (!external.is_empty()).then(|| external.to_string()),
            ),
            list: rule_ids::LIST_PLACES,
            needs_cue: false,
            rank: 50,
        };
        names.add_place(name, &e);
        for alias in cols
            .get(&row, "aliases")?
            .split('|')
            .filter(|a| !a.is_empty())
        {
            names.add(alias, &e);
        }
    }
    Ok(())
}

fn load_roles(file: &RuleFile, names: &mut NameTable) -> Result<HashMap<String, String>> {
    let (cols, rows) = rows(file)?;
    let mut forms = HashMap::new();
    for row in rows {
        let (_, row) = row?;
        let title = cols.get(&row, "title")?;
        for form in cols
            .get(&row, "forms")?
            .split('|')
            .filter(|f| !f.is_empty())
        {
            let e = Entry {
                entity: entity(
                    format!("role:{}", super::ids::slug(title)),
                    Label::Role,
                    title,
                    "",
                    None,
                ),
                list: rule_ids::LIST_ROLES,
                needs_cue: false,
                rank: 5,
            };
            names.add(form, &e);
            forms.insert(form.to_string(), title.to_string());
        }
    }
    Ok(forms)
}
