//! Progress files: written (`export-progress`, the account export) and read back
//! (`import-progress`), as JSON or CSV, every problem of a bad file reported at once.

use std::collections::BTreeMap;

use leadmap_store::Progress;
use serde::Serialize;

use super::wire::Record;
use super::{Note, parse_status};
use crate::Error;
use crate::catalog::Catalog;
use crate::time::{parse_rfc3339, rfc3339};

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

/// The statuses a progress file gives the topics of `roadmap` (what `render --progress`
/// colours the diagram with), and a warning for each record it cannot use. Any file
/// [`read`] takes will do; a flat `{"<topic id>": "done"}` is taken as `roadmap`'s.
pub fn statuses_for(
    file: &str,
    bytes: &[u8],
    roadmap: &str,
) -> Result<(leadmap_core::progress::ProgressMap, Vec<String>), ReadError> {
    let mut map = leadmap_core::progress::ProgressMap::new();
    let mut warnings = Vec::new();
    for r in read(file, bytes, Format::sniff(bytes), Some(roadmap))? {
        if r.roadmap != roadmap {
            warnings.push(format!(
                "{}: a record of {:?}, not of {roadmap:?}: left out",
                r.at, r.roadmap
            ));
            continue;
        }
        match parse_status(&r.status) {
            Ok(s) => {
                map.insert(r.topic, s);
            }
            Err(e) => warnings.push(format!("{}: {e}", r.at)),
        }
    }
    Ok((map, warnings))
}
