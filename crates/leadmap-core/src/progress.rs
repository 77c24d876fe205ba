//! Progress statuses, and the map of them a diagram is drawn with. Progress files are read and
//! written once, by `leadmap-app` (`progress::read`, `progress::statuses_for`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a person stands on a topic.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Pending,
    Learning,
    Done,
    Skipped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Learning,
        Status::Done,
        Status::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Learning => "learning",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }

    /// Reads a status word (case-insensitive).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().to_ascii_lowercase();
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Topic id → status, as read from a progress file.
pub type ProgressMap = BTreeMap<String, Status>;
