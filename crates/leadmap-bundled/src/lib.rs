//! The roadmaps shipped inside the binary, as Markdown embedded at compile time.

use leadmap_core::{Parsed, parse};

/// One bundled roadmap: its id and its Markdown source.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub id: &'static str,
    pub file: &'static str,
    pub source: &'static str,
}

pub const ROADMAPS: &[Bundled] = &[
    Bundled {
        id: "engineering-leadership",
        file: "roadmaps/engineering-leadership.md",
        source: include_str!("../../../roadmaps/engineering-leadership.md"),
    },
    Bundled {
        id: "engineering-manager",
        file: "roadmaps/engineering-manager.md",
        source: include_str!("../../../roadmaps/engineering-manager.md"),
    },
];

/// Finds a bundled roadmap by id.
pub fn get(id: &str) -> Option<&'static Bundled> {
    ROADMAPS.iter().find(|b| b.id == id)
}

impl Bundled {
    pub fn parse(&self) -> Parsed {
        parse(self.source.as_bytes(), self.id)
    }
}
