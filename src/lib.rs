//! ikz turns German news pages about inter-municipal cooperation into
//! tables of organisations, places, people, roles and the relations between
//! them.
//!
//! The modules follow the pipeline of DESIGN.md: [`input`] and [`decode`]
//! read bytes into text, [`boilerplate`] keeps the article, [`sentences`]
//! splits it, [`entities`] finds mentions, [`references`] links descriptions to
//! the entities they mean, [`relations`] connects them, and
//! [`tables`] writes Parquet and CSV. [`model`] is the one data model that
//! flows through them, [`rules`] reads the rule files that drive them,
//! [`pipeline`] runs them, [`output`] guards the output folder and writes
//! its manifest, [`progress`] reports on a long run, and [`eval`] scores
//! an output folder against gold.

pub mod boilerplate;
pub mod decode;
pub mod entities;
pub mod eval;
pub mod explain;
pub mod input;
pub mod markup;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod prefilter;
pub mod profile;
pub mod progress;
pub mod references;
pub mod relations;
pub mod rule_tests;
pub mod rules;
pub mod sentences;
pub mod split;
pub mod tables;
