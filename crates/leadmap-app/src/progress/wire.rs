//! The typed JSON shapes of the API (documented in the server's `openapi.json`; schemathesis
//! checks the answers against it in CI).

use std::collections::BTreeMap;

use leadmap_core::progress::Status;
use leadmap_store::Progress;
use serde::{Deserialize, Serialize};

use crate::catalog::{Entry, Summary, by_topic, status_in};
use crate::time::rfc3339;

/// One topic's record: `{"status", "note", "updated_at"}` (`updated_at` null when never marked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub status: Status,
    pub note: String,
    pub updated_at: Option<String>,
    /// The topic is not in the roadmap's current version (a publish removed it): the record
    /// is kept, and counts again when a version brings the topic back.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub orphaned: bool,
}

impl Record {
    /// The record of a topic never marked.
    pub fn pending() -> Record {
        Record {
            status: Status::Pending,
            note: String::new(),
            updated_at: None,
            orphaned: false,
        }
    }
}

impl From<&Progress> for Record {
    fn from(p: &Progress) -> Record {
        Record {
            status: p.status,
            note: p.note.clone(),
            updated_at: Some(rfc3339(p.updated_at)),
            orphaned: false,
        }
    }
}

/// A stored record with where it belongs (the answer to a mark through the API).
#[derive(Debug, Clone, Serialize)]
pub struct StoredRecord {
    pub roadmap: String,
    pub topic: String,
    pub status: Status,
    pub note: String,
    pub updated_at: String,
    /// The target date (`YYYY-MM-DD`), when there is one.
    pub due: Option<String>,
    pub evidence: Vec<super::plan::EvidenceItem>,
}

impl StoredRecord {
    /// The record with the topic's plan.
    pub fn with_plan(mut self, plan: &leadmap_store::Plan) -> StoredRecord {
        self.due = super::plan::due_text(plan.due_day);
        self.evidence = plan.evidence.iter().map(Into::into).collect();
        self
    }
}

impl From<&Progress> for StoredRecord {
    fn from(p: &Progress) -> StoredRecord {
        StoredRecord {
            roadmap: p.roadmap.clone(),
            topic: p.topic.clone(),
            status: p.status,
            note: p.note.clone(),
            updated_at: rfc3339(p.updated_at),
            due: None,
            evidence: Vec::new(),
        }
    }
}

/// A person's progress on one roadmap: counts, and the record of every topic they marked
/// (topics the roadmap no longer has included: progress is never dropped).
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapProgress {
    pub roadmap: String,
    pub summary: Summary,
    pub topics: BTreeMap<String, Record>,
}

impl RoadmapProgress {
    pub fn new(entry: &Entry, records: Vec<Progress>) -> RoadmapProgress {
        let records = by_topic(records);
        let summary = Summary::of(entry.topics.iter(), |t| status_in(&records, t));
        RoadmapProgress {
            roadmap: entry.id.clone(),
            summary,
            topics: records
                .iter()
                .map(|(t, p)| {
                    let mut r = Record::from(p);
                    r.orphaned = !entry.has_topic(t);
                    (t.clone(), r)
                })
                .collect(),
        }
    }
}

/// A roadmap in the list the API gives.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapListItem {
    pub id: String,
    pub title: String,
    pub topics: usize,
}

impl From<&Entry> for RoadmapListItem {
    fn from(e: &Entry) -> RoadmapListItem {
        RoadmapListItem {
            id: e.id.clone(),
            title: e.title(),
            topics: e.topics.len(),
        }
    }
}
