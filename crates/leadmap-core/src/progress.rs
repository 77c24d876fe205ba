//! Progress statuses and the progress JSON that `leadmap render --progress` reads (and that
//! the progress export writes): `{"roadmap": "…", "topics": {"<topic id>": {"status": "done",
//! "note": "…", "updated_at": "…"}}}`. A flat `{"<topic id>": "done"}` is read too.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};

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

#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Word(String),
    Record { status: String },
}

/// Reads a progress file. Unknown statuses are reported and skipped.
pub fn parse_progress(input: &[u8]) -> (ProgressMap, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let value: serde_json::Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::unlocated(
                Severity::Error,
                format!("not valid JSON: {e}"),
            ));
            return (ProgressMap::new(), diags);
        }
    };
    let topics = value.get("topics").cloned().unwrap_or(value);
    let map: BTreeMap<String, Entry> = match serde_json::from_value(topics) {
        Ok(m) => m,
        Err(e) => {
            diags.push(
                Diagnostic::unlocated(Severity::Error, format!("not a progress file: {e}"))
                    .with_hint("expected {\"topics\": {\"<topic id>\": {\"status\": \"done\"}}}"),
            );
            return (ProgressMap::new(), diags);
        }
    };
    let mut out = ProgressMap::new();
    for (id, e) in map {
        let word = match e {
            Entry::Word(w) => w,
            Entry::Record { status } => status,
        };
        match Status::parse(&word) {
            Some(s) => {
                out.insert(id, s);
            }
            None => diags.push(Diagnostic::unlocated(
                Severity::Warning,
                format!(
                    "unknown status {word:?} for `{id}`; use pending, learning, done or skipped"
                ),
            )),
        }
    }
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes() {
        let (m, d) = parse_progress(br#"{"roadmap":"x","topics":{"a":{"status":"done","note":"n"},"b":{"status":"Learning"}}}"#);
        assert!(d.is_empty());
        assert_eq!(m.get("a"), Some(&Status::Done));
        assert_eq!(m.get("b"), Some(&Status::Learning));
        let (m, d) = parse_progress(br#"{"a":"skipped","b":"nope"}"#);
        assert_eq!(m.get("a"), Some(&Status::Skipped));
        assert_eq!(d.len(), 1);
    }
}
