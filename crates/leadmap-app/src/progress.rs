//! A person's progress: statuses and notes as the app accepts them, marking a topic, and the
//! progress files it writes and reads back (JSON and CSV). The web page, the API and the CLI
//! all go through these functions, so they check the same limits and say the same words.

use std::collections::BTreeMap;

use leadmap_core::progress::Status;
use leadmap_store::{Progress, Store, UserId};
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::catalog::{Catalog, Entry, Summary, by_topic, status_in};
use crate::time::{parse_rfc3339, rfc3339};

/// Input the app refuses, with the words every interface uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("unknown status {0:?}: use pending, learning, done or skipped")]
    Status(String),
    #[error("a note has at most {max} characters (this one has {len})")]
    NoteTooLong { max: usize, len: usize },
    #[error("{0} must not contain a NUL character (U+0000)")]
    Nul(&'static str),
    #[error("{what} has at most {max} characters")]
    TooLong { what: &'static str, max: usize },
}

/// A status word as the API documents it: `pending`, `learning`, `done` or `skipped`, exactly.
pub fn parse_status(s: &str) -> Result<Status, Invalid> {
    Status::ALL
        .into_iter()
        .find(|st| st.as_str() == s)
        .ok_or_else(|| Invalid::Status(s.to_owned()))
}

/// A note: at most [`Note::MAX`] characters, no NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// The longest note kept, in characters.
    pub const MAX: usize = 10_000;

    pub fn parse(s: &str) -> Result<Note, Invalid> {
        let len = s.chars().count();
        if len > Self::MAX {
            return Err(Invalid::NoteTooLong {
                max: Self::MAX,
                len,
            });
        }
        if s.contains('\0') {
            return Err(Invalid::Nul("a note"));
        }
        Ok(Note(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short piece of text a person names something with (a token's name, say): trimmed,
/// 1 to `max` characters, no control characters.
pub fn short_text(s: &str, what: &'static str, max: usize) -> Result<String, Invalid> {
    let s = s.trim();
    if s.chars().count() > max || s.is_empty() {
        return Err(Invalid::TooLong { what, max });
    }
    if s.contains('\0') {
        return Err(Invalid::Nul(what));
    }
    Ok(s.chars().filter(|c| !c.is_control()).collect())
}

/// Sets a person's status on a topic of `entry`. With no `status`, the stored one is kept (a
/// form that saves only the note); with no `note`, the stored note is kept.
pub async fn mark(
    store: &dyn Store,
    user: UserId,
    entry: &Entry,
    topic: &str,
    status: Option<Status>,
    note: Option<&Note>,
    now: i64,
) -> Result<Progress, Error> {
    if !entry.has_topic(topic) {
        return Err(Error::UnknownTopic {
            roadmap: entry.id.clone(),
            topic: topic.to_owned(),
        });
    }
    let status = match status {
        Some(s) => s,
        None => store
            .progress(user, &entry.id)
            .await?
            .into_iter()
            .find(|p| p.topic == topic)
            .map(|p| p.status)
            .unwrap_or_default(),
    };
    Ok(store
        .set_progress(user, &entry.id, topic, status, note.map(Note::as_str), now)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Wire shapes (documented in the server's openapi.json; a test checks them against it)

/// One topic's record: `{"status", "note", "updated_at"}` (`updated_at` null when never marked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub status: Status,
    pub note: String,
    pub updated_at: Option<String>,
}

impl Record {
    /// The record of a topic never marked.
    pub fn pending() -> Record {
        Record {
            status: Status::Pending,
            note: String::new(),
            updated_at: None,
        }
    }
}

impl From<&Progress> for Record {
    fn from(p: &Progress) -> Record {
        Record {
            status: p.status,
            note: p.note.clone(),
            updated_at: Some(rfc3339(p.updated_at)),
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
}

impl From<&Progress> for StoredRecord {
    fn from(p: &Progress) -> StoredRecord {
        StoredRecord {
            roadmap: p.roadmap.clone(),
            topic: p.topic.clone(),
            status: p.status,
            note: p.note.clone(),
            updated_at: rfc3339(p.updated_at),
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
            topics: records.iter().map(|(t, p)| (t.clone(), p.into())).collect(),
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

/// What a progress file holds: one roadmap's records (`export-progress`, and each roadmap of
/// the account export). `render --progress` and `import-progress` read it.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressFile {
    pub roadmap: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub topics: BTreeMap<String, Record>,
}

impl ProgressFile {
    pub fn new(roadmap: &str, user: Option<&str>, records: &[Progress]) -> ProgressFile {
        ProgressFile {
            roadmap: roadmap.to_owned(),
            user: user.map(str::to_owned),
            topics: records
                .iter()
                .filter(|p| p.roadmap == roadmap)
                .map(|p| (p.topic.clone(), p.into()))
                .collect(),
        }
    }

    /// One file per roadmap of `records` (ordered by roadmap).
    pub fn per_roadmap(records: &[Progress]) -> Vec<ProgressFile> {
        let mut ids: Vec<&str> = records.iter().map(|p| p.roadmap.as_str()).collect();
        ids.dedup();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|r| ProgressFile::new(r, None, records))
            .collect()
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The CSV columns of a progress file.
pub const CSV_HEADER: [&str; 5] = ["roadmap", "topic", "status", "note", "updated_at"];

/// Records as CSV, with [`CSV_HEADER`].
pub fn to_csv(records: &[Progress]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for p in records {
        w.write_record([
            p.roadmap.as_str(),
            p.topic.as_str(),
            p.status.as_str(),
            p.note.as_str(),
            rfc3339(p.updated_at).as_str(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

// ---------------------------------------------------------------------------------------------
// Reading progress files back

/// The formats a progress file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// JSON when the file starts with `{`, else CSV.
    pub fn sniff(bytes: &[u8]) -> Format {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// A progress file that cannot be read at all (each message starts with where).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(String);

/// One record read from a file, not yet checked, with where it was (for messages).
#[derive(Debug, Clone)]
pub struct Incoming {
    pub at: String,
    pub roadmap: String,
    pub topic: String,
    pub status: String,
    pub note: String,
    pub updated_at: Option<String>,
}

/// Reads a progress file: the JSON `export-progress` writes (or a flat `{"topic": "done"}`
/// with `roadmap` given), the account page's export (every roadmap in it), or CSV with at
/// least the columns `topic` and `status`.
pub fn read(
    file: &str,
    bytes: &[u8],
    format: Format,
    roadmap: Option<&str>,
) -> Result<Vec<Incoming>, ReadError> {
    match format {
        Format::Json => read_json(file, bytes, roadmap),
        Format::Csv => read_csv(file, bytes, roadmap),
    }
}

fn read_json(file: &str, bytes: &[u8], roadmap: Option<&str>) -> Result<Vec<Incoming>, ReadError> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ReadError(format!(
            "{file}:{}:{}: not valid JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    // The account export: `{"format": "leadmap-export/1", "progress": [{roadmap, topics}…]}`.
    if let Some(list) = v.get("progress").and_then(|p| p.as_array()) {
        let mut out = Vec::new();
        for one in list {
            out.extend(read_one(file, one, None)?);
        }
        return Ok(out);
    }
    read_one(file, &v, roadmap)
}

fn read_one(
    file: &str,
    v: &serde_json::Value,
    roadmap: Option<&str>,
) -> Result<Vec<Incoming>, ReadError> {
    let rm = v
        .get("roadmap")
        .and_then(|r| r.as_str())
        .or(roadmap)
        .ok_or_else(|| {
            ReadError(format!(
                "{file}: the file names no roadmap: pass --roadmap ID"
            ))
        })?
        .to_owned();
    let topics = v.get("topics").unwrap_or(v);
    let obj = topics.as_object().ok_or_else(|| {
        ReadError(format!(
            "{file}: expected {{\"topics\": {{\"<topic id>\": {{\"status\": …}}}}}}"
        ))
    })?;
    let mut out = Vec::new();
    for (topic, rec) in obj {
        if topic == "roadmap" || topic == "user" {
            continue;
        }
        let field = |m: &serde_json::Map<String, serde_json::Value>, k: &str| {
            m.get(k).and_then(|s| s.as_str()).map(str::to_owned)
        };
        let (status, note, updated_at) = match rec {
            serde_json::Value::String(s) => (s.clone(), String::new(), None),
            serde_json::Value::Object(m) => (
                field(m, "status").unwrap_or_default(),
                field(m, "note").unwrap_or_default(),
                field(m, "updated_at"),
            ),
            _ => (String::new(), String::new(), None),
        };
        out.push(Incoming {
            at: format!("{file}: topic {topic:?}"),
            roadmap: rm.clone(),
            topic: topic.clone(),
            status,
            note,
            updated_at,
        });
    }
    Ok(out)
}

fn read_csv(file: &str, bytes: &[u8], roadmap: Option<&str>) -> Result<Vec<Incoming>, ReadError> {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r
        .headers()
        .map_err(|e| ReadError(format!("{file}:1: not valid CSV: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(topic), Some(status)) = (col("topic"), col("status")) else {
        return Err(ReadError(format!(
            "{file}:1: the header needs at least the columns topic and status"
        )));
    };
    let (rm_col, note, updated) = (col("roadmap"), col("note"), col("updated_at"));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| ReadError(format!("{file}:{}: not valid CSV: {e}", i + 2)))?;
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_owned();
        let rm = match get(rm_col) {
            s if !s.is_empty() => s,
            _ => roadmap
                .ok_or_else(|| {
                    ReadError(format!(
                        "{file}:{}: no roadmap column: pass --roadmap ID",
                        i + 2
                    ))
                })?
                .to_owned(),
        };
        out.push(Incoming {
            at: format!(
                "{file}:{}",
                rec.position().map(|p| p.line()).unwrap_or(i as u64 + 2)
            ),
            roadmap: rm,
            topic: get(Some(topic)),
            status: get(Some(status)),
            note: get(note),
            updated_at: Some(get(updated)),
        });
    }
    Ok(out)
}

/// Checks every record read against the catalog (the roadmap and topic exist, the status is a
/// status, the note a note, the time a time): the records to store, or every problem found.
/// A file with any problem imports nothing.
pub fn check(
    incoming: Vec<Incoming>,
    catalog: &Catalog,
    now: i64,
) -> Result<Vec<Progress>, Vec<String>> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for r in incoming {
        let Some(e) = catalog.get(&r.roadmap) else {
            errors.push(format!("{}: {}", r.at, Error::UnknownRoadmap(r.roadmap)));
            continue;
        };
        if !e.has_topic(&r.topic) {
            let err = Error::UnknownTopic {
                roadmap: r.roadmap,
                topic: r.topic,
            };
            errors.push(format!("{}: {err}", r.at));
            continue;
        }
        let status = match parse_status(&r.status) {
            Ok(s) => s,
            Err(err) => {
                errors.push(format!("{}: {err}", r.at));
                continue;
            }
        };
        let note = match Note::parse(&r.note) {
            Ok(n) => n,
            Err(err) => {
                errors.push(format!("{}: {err}", r.at));
                continue;
            }
        };
        let updated_at = match r.updated_at.as_deref().filter(|s| !s.is_empty()) {
            None => now,
            Some(s) => match parse_rfc3339(s) {
                Ok(t) => t,
                Err(err) => {
                    errors.push(format!(
                        "{}: updated_at {s:?} is not a date-time: {err}",
                        r.at
                    ));
                    continue;
                }
            },
        };
        records.push(Progress {
            roadmap: r.roadmap,
            topic: r.topic,
            status,
            note: note.0,
            updated_at,
        });
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_the_documented_words_exactly() {
        assert_eq!(parse_status("done"), Ok(Status::Done));
        for bad in [" DONE ", "Done", "finished", ""] {
            assert_eq!(
                parse_status(bad).unwrap_err().to_string(),
                format!("unknown status {bad:?}: use pending, learning, done or skipped")
            );
        }
    }

    #[test]
    fn notes_are_bounded_and_refuse_nul() {
        assert!(Note::parse(&"x".repeat(Note::MAX)).is_ok());
        assert_eq!(
            Note::parse(&"x".repeat(Note::MAX + 1))
                .unwrap_err()
                .to_string(),
            "a note has at most 10000 characters (this one has 10001)"
        );
        assert_eq!(Note::parse("a\0b").unwrap_err(), Invalid::Nul("a note"));
    }

    #[test]
    fn what_is_exported_reads_back() {
        let recs = vec![Progress {
            roadmap: "engineering-leadership".into(),
            topic: "define-core-values".into(),
            status: Status::Done,
            note: "values \"workshop\", held".into(),
            updated_at: 1_796_401_090_000,
        }];
        let catalog = Catalog::bundled();
        let json = ProgressFile::new("engineering-leadership", Some("ana"), &recs).to_json();
        let back = read("me.json", json.as_bytes(), Format::Json, None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
        let csv = to_csv(&recs).unwrap();
        let back = read("me.csv", &csv, Format::sniff(&csv), None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
        // The account page's export, every roadmap of it.
        let account = serde_json::json!({
            "format": "leadmap-export/1",
            "progress": ProgressFile::per_roadmap(&recs),
        });
        let bytes = account.to_string();
        let back = read("all.json", bytes.as_bytes(), Format::Json, None).unwrap();
        assert_eq!(check(back, &catalog, 0).unwrap(), recs);
    }

    #[test]
    fn a_bad_file_names_every_problem() {
        let csv = "topic,status,note\ndefine-core-values,finished,\nno-such-topic,done,\n";
        let back = read(
            "x.csv",
            csv.as_bytes(),
            Format::Csv,
            Some("engineering-leadership"),
        );
        let errors = check(back.unwrap(), &Catalog::bundled(), 0).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("x.csv:2: unknown status \"finished\""));
        assert!(errors[1].contains("has no topic \"no-such-topic\""));
        assert_eq!(
            read("y.json", b"{\"topics\": {}}", Format::Json, None)
                .unwrap_err()
                .to_string(),
            "y.json: the file names no roadmap: pass --roadmap ID"
        );
    }
}
