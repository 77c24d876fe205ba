//! Leadmap's pure core: the roadmap model, the Markdown format (parser and printer), the
//! checker, the importers and the JSON shape.
//!
//! Invariants (see `ARCHITECTURE.md`): this crate does no I/O (no files, no network, no
//! clock, no environment), spawns nothing and never panics on any input; parsers return a
//! value and diagnostics, never `Err` for bad input.

pub mod assessment;
mod blocks;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod emoji;
pub mod import;
pub mod inline;
pub mod json;
pub mod markdown;
pub mod model;
pub mod printer;
pub mod progress;
pub mod synthetic;

pub use diagnostic::{Diagnostic, LineCol, LineIndex, Severity};
pub use markdown::{Parsed, parse};
pub use model::{
    Content, Kind, Meta, Node, NodeId, Related, Resource, ResourceKind, Roadmap, Title,
};
pub use printer::print;
