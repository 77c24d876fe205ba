//! An assessment as a file: CSV (a spreadsheet someone keeps) and JSON, written and read back.
//!
//! CSV columns, in any order, names without regard to case: `practice` (a topic id, or its
//! title as the roadmap writes it; also `topic` or `id`), `level` (also `rating`; a level's
//! word, label or number, or n/a), and optionally `area` and `title` (written, not read),
//! `rationale`, `evidence` (links separated by spaces), `owner` (a user name), `next step`
//! (also `next_step`), `due` (`YYYY-MM-DD`). A column with any other name is refused, with
//! the names it may have. Every row is checked before anything is written: one bad row
//! refuses the file, with its line number, and nothing is stored.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{People, RatingInput, compute::Ratings, date};
use crate::catalog::Entry;
use crate::progress::Invalid;
use leadmap_store::{Assessment, RatingChange};

/// The most rows (practices) one file may carry.
pub const ROWS_MAX: usize = 5_000;

const COLUMNS: &[(&str, &[&str])] = &[
    ("practice", &["practice", "topic", "id"]),
    ("level", &["level", "rating"]),
    ("area", &["area"]),
    ("title", &["title", "name"]),
    ("rationale", &["rationale", "why"]),
    ("evidence", &["evidence", "links"]),
    ("owner", &["owner"]),
    ("next step", &["next step", "next_step", "next-step"]),
    ("due", &["due", "due date", "due_date"]),
];

fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase();
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// The ratings as CSV, in the roadmap's order, one row per practice (unrated ones too, with
/// an empty level, so the file is the whole sheet to fill in).
pub fn to_csv(entry: &Entry, ratings: &Ratings, people: &People) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "practice",
        "area",
        "title",
        "level",
        "rationale",
        "evidence",
        "owner",
        "next step",
        "due",
    ]);
    for area in &entry.areas {
        for t in &area.topics {
            let r = ratings.get(&t.id);
            let _ = w.write_record([
                t.id.as_str(),
                area.title.as_str(),
                t.title.as_str(),
                r.map_or("", |r| r.rating.as_str()),
                r.map_or("", |r| r.rationale.as_str()),
                &r.map(|r| r.evidence.join(" ")).unwrap_or_default(),
                r.and_then(|r| people.name(r.owner)).unwrap_or(""),
                r.map_or("", |r| r.next_step.as_str()),
                &r.and_then(|r| r.due_day).map(date).unwrap_or_default(),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// What a file asks to change: each practice with its checked change.
pub type Rows = Vec<(String, RatingChange)>;

/// Why a file was refused: every problem found, each with its line when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors(pub Vec<String>);

impl std::fmt::Display for FileErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.0.iter().take(20);
        for (i, e) in shown.enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(e)?;
        }
        if self.0.len() > 20 {
            write!(f, "\n… and {} more", self.0.len() - 20)?;
        }
        Ok(())
    }
}

impl From<FileErrors> for Invalid {
    fn from(e: FileErrors) -> Invalid {
        Invalid::Other(e.to_string())
    }
}

/// Finds the practice a cell names: its id, or its title (without regard to case).
fn practice_of(entry: &Entry, titles: &HashMap<String, String>, cell: &str) -> Option<String> {
    let cell = cell.trim();
    if entry.has_topic(cell) {
        return Some(cell.to_owned());
    }
    titles.get(&cell.to_lowercase()).cloned()
}

fn titles(entry: &Entry) -> HashMap<String, String> {
    entry
        .areas
        .iter()
        .flat_map(|a| &a.topics)
        .map(|t| (t.title.to_lowercase(), t.id.clone()))
        .collect()
}

/// Reads a CSV file into checked changes; a row with an empty level is skipped (a sheet
/// with practices not rated yet), unless it carries other fields for a practice.
pub fn from_csv(entry: &Entry, people: &People, bytes: &[u8]) -> Result<Rows, FileErrors> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = r
        .headers()
        .map_err(|e| FileErrors(vec![format!("line 1: not CSV: {e}")]))?
        .clone();
    let mut cols: HashMap<&'static str, usize> = HashMap::new();
    let mut errors = Vec::new();
    for (i, h) in header.iter().enumerate() {
        match column_of(h) {
            Some(c) => {
                if cols.insert(c, i).is_some() {
                    errors.push(format!("line 1: the column {c:?} is there twice"));
                }
            }
            None => {
                let shown: String = h.chars().take(40).collect();
                errors.push(format!(
                    "line 1: unknown column {shown:?}: the columns are practice, level, area, title, rationale, evidence, owner, next step, due"
                ));
            }
        }
    }
    for needed in ["practice", "level"] {
        if !cols.contains_key(needed) {
            errors.push(format!("line 1: the file needs a {needed:?} column"));
        }
    }
    if !errors.is_empty() {
        return Err(FileErrors(errors));
    }
    let titles = titles(entry);
    let mut out = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (n, record) in r.records().enumerate() {
        if n >= ROWS_MAX {
            return Err(FileErrors(vec![format!(
                "a file has at most {ROWS_MAX} rows; this one has more (the roadmap has {} practices)",
                entry.topics.len()
            )]));
        }
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(n as u64 + 2, |p| p.line());
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell = |c: &str| cols.get(c).and_then(|&i| record.get(i)).map(str::trim);
        let practice = cell("practice").unwrap_or("");
        if practice.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(topic) = practice_of(entry, &titles, practice) else {
            let shown: String = practice.chars().take(60).collect();
            errors.push(format!(
                "line {line}: {shown:?} is not a practice of {} (use a topic id or its title)",
                entry.id
            ));
            continue;
        };
        if let Some(first) = seen.insert(topic.clone(), line) {
            errors.push(format!(
                "line {line}: {topic} is rated twice (first on line {first})"
            ));
            continue;
        }
        let level = cell("level").unwrap_or("");
        let input = RatingInput {
            rating: (!level.is_empty()).then(|| level.to_owned()),
            rationale: cell("rationale").map(str::to_owned),
            evidence: cell("evidence").map(|e| e.split_whitespace().map(str::to_owned).collect()),
            owner: cell("owner").map(str::to_owned),
            next_step: cell("next step").map(str::to_owned),
            due: cell("due").map(str::to_owned),
        };
        if input.rating.is_none() {
            continue;
        }
        match input.check(people) {
            Ok(change) => out.push((topic, change)),
            Err(e) => errors.push(format!("line {line}: {topic}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(FileErrors(errors))
    }
}

/// An assessment as JSON (`leadmap assess show ID --json`, the API, the export).
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentJson {
    pub id: i64,
    pub title: String,
    /// `organisation`, or the team's address.
    pub of: String,
    pub roadmap: String,
    pub roadmap_version: i64,
    pub assessed_on: String,
    pub state: &'static str,
    pub based_on: Option<i64>,
    pub index: Option<f64>,
    pub practices: Vec<PracticeJson>,
}

/// One practice's rating as JSON; the file read back takes the same fields (`title` and
/// `area` are not read).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PracticeJson {
    pub practice: String,
    /// Written for people; read back and ignored.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub area: String,
    pub level: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub due: Option<String>,
}

/// The JSON of an assessment: the rated practices in the roadmap's order, then those the
/// roadmap no longer has.
pub fn to_json(
    a: &Assessment,
    of: &str,
    entry: &Entry,
    ratings: &Ratings,
    people: &People,
) -> AssessmentJson {
    let mut practices = Vec::new();
    let mut push = |topic: &str, title: &str, area: &str| {
        if let Some(r) = ratings.get(topic) {
            practices.push(PracticeJson {
                practice: topic.to_owned(),
                title: title.to_owned(),
                area: area.to_owned(),
                level: r.rating.as_str().to_owned(),
                rationale: r.rationale.clone(),
                evidence: r.evidence.clone(),
                owner: people.name(r.owner).map(str::to_owned),
                next_step: r.next_step.clone(),
                due: r.due_day.map(date),
            });
        }
    };
    for area in &entry.areas {
        for t in &area.topics {
            push(&t.id, &t.title, &area.title);
        }
    }
    for r in super::compute::orphans(entry, ratings) {
        push(&r.topic, &r.topic, "");
    }
    AssessmentJson {
        id: a.id,
        title: a.title.clone(),
        of: of.to_owned(),
        roadmap: a.roadmap.clone(),
        roadmap_version: a.roadmap_version,
        assessed_on: date(a.assessed_on),
        state: a.state.as_str(),
        based_on: a.based_on,
        index: super::compute::assessment_index(entry, ratings),
        practices,
    }
}

#[derive(Deserialize)]
struct JsonFile {
    practices: Vec<serde_json::Value>,
}

/// Reads a JSON file (an export, or `{"practices": [...]}`) into checked changes.
pub fn from_json(entry: &Entry, people: &People, bytes: &[u8]) -> Result<Rows, FileErrors> {
    let file: JsonFile = serde_json::from_slice(bytes).map_err(|e| {
        FileErrors(vec![format!(
            "line {}, column {}: not an assessment file: {e} (it needs {{\"practices\": [{{\"practice\": \"…\", \"level\": \"defined\"}}]}})",
            e.line(),
            e.column()
        )])
    })?;
    if file.practices.len() > ROWS_MAX {
        return Err(FileErrors(vec![format!(
            "a file has at most {ROWS_MAX} practices ({} given)",
            file.practices.len()
        )]));
    }
    let titles = titles(entry);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, v) in file.practices.into_iter().enumerate() {
        let at = format!("practices[{i}]");
        let p: PracticeJson = match serde_json::from_value(v) {
            Ok(p) => p,
            Err(e) => {
                errors.push(format!("{at}: {e}"));
                continue;
            }
        };
        let Some(topic) = practice_of(entry, &titles, &p.practice) else {
            let shown: String = p.practice.chars().take(60).collect();
            errors.push(format!("{at}: {shown:?} is not a practice of {}", entry.id));
            continue;
        };
        if !seen.insert(topic.clone()) {
            errors.push(format!("{at}: {topic} is rated twice"));
            continue;
        }
        let input = RatingInput {
            rating: Some(p.level),
            rationale: Some(p.rationale),
            evidence: Some(p.evidence),
            owner: Some(p.owner.unwrap_or_default()),
            next_step: Some(p.next_step),
            due: Some(p.due.unwrap_or_default()),
        };
        match input.check(people) {
            Ok(c) => out.push((topic, c)),
            Err(e) => errors.push(format!("{at}: {topic}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(FileErrors(errors))
    }
}
