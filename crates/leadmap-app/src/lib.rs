//! Leadmap's use cases, one path for each: the web pages, the JSON API and the command line
//! call these functions, so they check the same limits and say the same words.
//!
//! - [`catalog`]: the roadmaps served, prepared once (layout, SVG template, list rows), and
//!   progress summaries.
//! - [`progress`]: statuses and notes as accepted, marking a topic, the progress files
//!   (JSON, CSV) written and read back, and the typed JSON shapes of the API.
//! - [`secrets`]: the password policy, password hashing, tokens and their hashes.
//! - [`backup`]: scheduled backups of a SQLite database, and how many are kept.
//! - [`activity`]: the history over time: the calendar heatmap, percent done over time, the
//!   filters of the list of changes.
//! - [`publish`]: roadmaps published on the server (versions, the check, the diff, orphans,
//!   the id map) and the library that serves each current version, prepared once.
//! - [`migrate`]: moving a SQLite database into PostgreSQL, verified table by table.
//! - [`time`]: time on the wire and on the page.
//!
//! Invariants (see `ARCHITECTURE.md`): no HTTP, no terminal, no SQL here; the store is passed
//! in, the clock is read by the caller (`now` arguments) except in [`time::now_ms`].

pub mod account;
pub mod activity;
pub mod agent;
pub mod assess;
pub mod backup;
pub mod catalog;
pub mod migrate;
pub mod progress;
pub mod publish;
pub mod secrets;
pub mod shares;
pub mod teams;
pub mod time;

pub use catalog::{Catalog, Entry, Summary};
pub use leadmap_store::StoreError;

/// A use case that could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no roadmap {0:?} (see `leadmap list`)")]
    UnknownRoadmap(String),
    #[error("{roadmap:?} has no topic {topic:?} (see `leadmap show {roadmap}`)")]
    UnknownTopic { roadmap: String, topic: String },
    #[error(transparent)]
    Invalid(#[from] progress::Invalid),
    #[error(transparent)]
    Password(#[from] secrets::PasswordError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
