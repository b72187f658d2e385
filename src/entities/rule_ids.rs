//! Every `rule_id` the entity stage writes that is not a pattern id from
//! `rules/entities.toml`, in one place: the mentions table and `ikz explain`
//! show these strings, and evaluations group by them, so they must not
//! drift. Pattern ids come from the rule file itself.

// Gazetteer lists: a mention found by an exact list entry names its list.

/// A municipality from `data/gemeinden.tsv`.
pub(super) const LIST_GEMEINDEN: &str = "gemeinden";
/// A district from `data/kreise.tsv`.
pub(super) const LIST_KREISE: &str = "kreise";
/// A Land from `data/laender.tsv`.
pub(super) const LIST_LAENDER: &str = "laender";
/// An IT provider from `data/it_dienstleister.tsv`.
pub(super) const LIST_IT_DIENSTLEISTER: &str = "it_dienstleister";
/// An organisation from `rules/organisations.tsv`.
pub(super) const LIST_ORGANISATIONS: &str = "organisations";
/// A place from `rules/places.tsv`.
pub(super) const LIST_PLACES: &str = "places";
/// A role title from `rules/roles.tsv`.
pub(super) const LIST_ROLES: &str = "roles";

// Gazetteer hits extended by the words next to them.

/// A place with a prefix word before it (`Stadt Münster`).
pub(super) const PLACE_PREFIX: &str = "place-prefix";
/// An organisation with a prefix or legal form (`Zweckverband kommunit`,
/// `ekom21 GmbH`).
pub(super) const ORG_AFFIX: &str = "org-affix";
/// A role title with a modifier or what it leads (`Erster Landrat`,
/// `Vorsitzender der Verbandsversammlung`).
pub(super) const ROLE_AFFIX: &str = "role-affix";

// Persons.

/// A first name from `data/vornamen.tsv` followed by a surname.
pub(super) const PERSON_FIRST_NAME: &str = "person-first-name";
/// A surname right after a role title (`Verbandsgeschäftsführer Kruse`).
pub(super) const PERSON_AFTER_ROLE: &str = "person-after-role";
/// A name set off by a comma before a role title (`Ottokar Brenninger,
/// Vorsitzender …`).
pub(super) const PERSON_BEFORE_ROLE: &str = "person-before-role";
/// A later use of a person's full name.
pub(super) const PERSON_FULL_NAME: &str = "person-full-name";
/// A later bare surname of a person named in full.
pub(super) const PERSON_SURNAME: &str = "person-surname";

// Acronyms and short forms.

/// The `ABBR` of `Long Name (ABBR)` when the long name is already a mention.
pub(super) const ACRONYM_DEFINITION: &str = "acronym-definition";
/// An acronym defined after a name that ends in a head word
/// (`Kommunalen Beratungszentrums (KBZ)`), and that name.
pub(super) const ACRONYM_NAMED: &str = "acronym-named";
/// An acronym defined after the name whose initials it spells
/// (`IT-Verbund Schleswig-Holstein (ITVSH)`), and that name.
pub(super) const ACRONYM_SPELLED_OUT: &str = "acronym-spelled-out";
/// A later bare use of a defined acronym.
pub(super) const ACRONYM_USE: &str = "acronym-use";
/// A later use of an organisation's short form (`vote iT` for `vote iT GmbH`).
pub(super) const SHORT_FORM_USE: &str = "short-form-use";
