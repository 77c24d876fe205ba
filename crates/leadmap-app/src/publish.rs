//! Roadmaps published on the server: the [`Library`] that serves each roadmap's current
//! version, prepared once per (roadmap, version), and [`publish`], the one path a version
//! takes from the API, the CLI and a watched folder into the store.
//!
//! A published version is the roadmap as `leadmap fmt` prints it (topic content inlined): it
//! passed `check` with no error, its id is the roadmap's, and publishing it never deletes
//! progress. Records of topics the version no longer has are reported as orphaned and count
//! again when the topic comes back; an id map moves them in the publish's transaction.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use leadmap_core::diff::{Diff, Suggestion};
use leadmap_core::{Diagnostic, LineIndex, Roadmap};
use leadmap_store::{
    NewVersion, Publish, RoadmapRecord, Store, StoreError, User, Version, Visibility,
};
use serde::Serialize;

use crate::catalog::{Catalog, Entry};

/// How large a roadmap this server takes (`serve --max-roadmap-bytes`, `--max-roadmap-topics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_topics: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_topics: 20_000,
        }
    }
}

/// The roadmaps served: the bundled ones (in memory, from the binary) and the published ones,
/// each prepared once per version. Which version is current is read from the store on every
/// request, so a publish on any server is served everywhere from the next request on.
#[derive(Debug)]
pub struct Library {
    bundled: Catalog,
    prepared: Mutex<HashMap<String, (i64, Arc<Entry>)>>,
}

/// A roadmap as one request sees it.
#[derive(Debug, Clone)]
pub struct Current {
    pub entry: Arc<Entry>,
    /// `None` for a bundled roadmap (public, read-only, served from the binary).
    pub record: Option<RoadmapRecord>,
}

impl Current {
    pub fn is_bundled(&self) -> bool {
        self.record.is_none()
    }

    /// Who may read it: the bundled ones everyone the server lets in; a published one by its
    /// visibility (a private one its author and the admins).
    pub fn visible_to(&self, user: Option<&User>) -> bool {
        self.record.as_ref().is_none_or(|r| readable(r, user))
    }

    /// Who may publish a new version: its author and the admins; nobody for a bundled one.
    pub fn editable_by(&self, user: &User) -> bool {
        match &self.record {
            None => false,
            Some(r) => user.is_admin || r.author == Some(user.id),
        }
    }
}

/// Whether `user` (`None`: a visitor without an account) may read a published roadmap.
pub fn readable(r: &RoadmapRecord, user: Option<&User>) -> bool {
    match (r.visibility, user) {
        (Visibility::Public, _) => true,
        (_, None) => false,
        (Visibility::SignedIn, Some(_)) => true,
        (Visibility::Private, Some(u)) => u.is_admin || r.author == Some(u.id),
    }
}

impl Library {
    pub fn new(bundled: Catalog) -> Library {
        Library {
            bundled,
            prepared: Mutex::new(HashMap::new()),
        }
    }

    pub fn bundled(&self) -> &Catalog {
        &self.bundled
    }

    /// The roadmap `id` as of now, whoever asks (callers check [`Current::visible_to`]).
    pub async fn current(
        &self,
        store: &dyn Store,
        id: &str,
    ) -> Result<Option<Current>, StoreError> {
        if let Some(e) = self.bundled.shared(id) {
            return Ok(Some(Current {
                entry: e.clone(),
                record: None,
            }));
        }
        self.current_published(store, id).await
    }

    async fn prepared_entry(
        &self,
        store: &dyn Store,
        id: &str,
        version: i64,
    ) -> Result<Option<Arc<Entry>>, StoreError> {
        if let Some(e) = self.cached(id, version) {
            return Ok(Some(e));
        }
        let Some((_, markdown)) = store.version_source(id, version).await? else {
            return Ok(None);
        };
        let entry = Arc::new(Entry::new(
            leadmap_core::parse(markdown.as_bytes(), id).roadmap,
        ));
        self.remember(id, version, entry.clone());
        Ok(Some(entry))
    }

    fn cached(&self, id: &str, version: i64) -> Option<Arc<Entry>> {
        let map = self.prepared.lock().ok()?;
        map.get(id)
            .filter(|(v, _)| *v == version)
            .map(|(_, e)| e.clone())
    }

    /// Keeps the newest prepared version of each roadmap (an older one is dropped).
    fn remember(&self, id: &str, version: i64, entry: Arc<Entry>) {
        if let Ok(mut map) = self.prepared.lock() {
            let newer = map.get(id).is_some_and(|(v, _)| *v > version);
            if !newer {
                map.insert(id.to_owned(), (version, entry));
            }
        }
    }

    /// Every roadmap `user` may read: the bundled ones first, then the published ones by id.
    pub async fn visible(
        &self,
        store: &dyn Store,
        user: Option<&User>,
    ) -> Result<Vec<Current>, StoreError> {
        let mut out: Vec<Current> = self
            .bundled
            .roadmaps
            .iter()
            .map(|e| Current {
                entry: e.clone(),
                record: None,
            })
            .collect();
        for record in store.roadmap_records().await? {
            if self.bundled.get(&record.id).is_some() || !readable(&record, user) {
                continue;
            }
            if let Some(entry) = self
                .prepared_entry(store, &record.id, record.version)
                .await?
            {
                out.push(Current {
                    entry,
                    record: Some(record),
                });
            }
        }
        Ok(out)
    }
}

/// A diagnostic with its place as line and column, for the API and the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Problem {
    fn of(index: &LineIndex, d: &Diagnostic) -> Problem {
        let lc = d.is_located().then(|| index.line_col(d.range.start));
        Problem {
            severity: d.severity.to_string(),
            line: lc.map(|l| l.line),
            col: lc.map(|l| l.col),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }

    /// `file:line:col: severity: message`, as the CLI prints a diagnostic.
    pub fn render(&self, file: &str) -> String {
        let place = match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            _ => file.to_owned(),
        };
        let mut s = format!("{place}: {}: {}", self.severity, self.message);
        if let Some(h) = &self.hint {
            s.push_str(&format!("\n  = hint: {h}"));
        }
        s
    }
}

/// Why a version was not published. Nothing was written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(
        "the roadmap is {size} bytes; this server takes at most {max} (serve --max-roadmap-bytes)"
    )]
    TooLarge { size: usize, max: usize },
    #[error(
        "the roadmap has {topics} topics; this server takes at most {max} (serve --max-roadmap-topics)"
    )]
    TooManyTopics { topics: usize, max: usize },
    #[error("the roadmap does not pass `leadmap check`: {}", count_errors(.0))]
    Invalid(Vec<Problem>),
    #[error(
        "the file says its id is {found:?}, but it is published as {expected:?}: change the id in its front matter or publish it under {found:?}"
    )]
    WrongId { found: String, expected: String },
    #[error("{0}")]
    BadId(String),
    #[error("the id map is not usable: {0}")]
    BadMap(String),
    #[error("{}", conflict_message(*.current, *.base))]
    Conflict {
        current: Option<i64>,
        base: Option<i64>,
    },
    #[error("{0:?} is bundled with leadmap and read-only: publish your own copy under another id")]
    ReadOnly(String),
    /// Not a roadmap this person may publish to (the same answer as one that does not exist).
    #[error("no such roadmap")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn count_errors(p: &[Problem]) -> String {
    let n = p.iter().filter(|p| p.severity == "error").count();
    format!("{n} error{}", if n == 1 { "" } else { "s" })
}

fn conflict_message(current: Option<i64>, base: Option<i64>) -> String {
    match (current, base) {
        (Some(c), Some(0)) => format!(
            "a roadmap with this id exists already (version {c}): choose another id, or edit that one"
        ),
        (Some(c), Some(b)) => format!(
            "version {c} is the current one, not {b}: another publish came first; rebase your change on version {c} and publish again"
        ),
        (Some(c), None) => format!(
            "the roadmap already exists at version {c}: say which version your change is based on (If-Match: \"{c}\")"
        ),
        (None, _) => "the roadmap does not exist yet: publish it without a base version".into(),
    }
}

/// A version to publish, as the API, the CLI and a watched folder give it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The id it is published as; `None`: the file's own.
    pub id: Option<&'a str>,
    pub source: &'a [u8],
    pub message: &'a str,
    /// `old-id -> new-id` pairs that move everyone's progress in the same transaction.
    pub map: &'a [(String, String)],
    /// The version the change was made from (`If-Match`); `None`: the current one; `Some(0)`:
    /// none, the roadmap must not exist yet.
    pub base: Option<i64>,
    pub dry_run: bool,
    /// The visibility of a roadmap this publish creates.
    pub visibility: Visibility,
}

/// Who publishes: a person (checked against the roadmap's author) or the server itself (its
/// bundled roadmaps, a folder it was told to watch).
#[derive(Debug, Clone, Copy)]
pub enum Publisher<'a> {
    Person(&'a User),
    Server,
}

/// Progress records of topics a version does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Orphan {
    pub topic: String,
    /// The title it had in the previous version, when it had it.
    pub title: Option<String>,
    /// How many people have a record of it.
    pub people: i64,
}

/// What a publish did (or, on a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub roadmap: String,
    pub title: String,
    /// The version published; on a dry run the one it would be.
    pub version: i64,
    /// The version it replaced.
    pub previous: Option<i64>,
    pub dry_run: bool,
    /// The roadmap is the current version already: nothing was published.
    pub unchanged: bool,
    pub diff: Diff,
    pub orphans: Vec<Orphan>,
    pub suggested_map: Vec<Suggestion>,
    /// Progress records the id map moved.
    pub moved: u64,
    /// Warnings of `check` (a version with errors is refused).
    pub warnings: Vec<Problem>,
    #[serde(skip)]
    pub entry: Option<Arc<Entry>>,
}

impl Report {
    /// People with orphaned records, counted once per topic (a person may count twice).
    pub fn orphaned_records(&self) -> i64 {
        self.orphans.iter().map(|o| o.people).sum()
    }
}

/// The ids the bundled roadmaps and every published one may link to (for `check`).
struct Known<'a>(&'a Catalog);

impl leadmap_core::check::Resolver for Known<'_> {
    fn has_node(&self, roadmap: &str, id: &str) -> Option<bool> {
        self.0
            .get(roadmap)
            .map(|e| e.roadmap.nodes().any(|n| n.id.as_str() == id))
    }
}

/// Checks and publishes a version; see the module's documentation.
pub async fn publish(
    store: &dyn Store,
    library: &Library,
    limits: Limits,
    by: Publisher<'_>,
    req: &Request<'_>,
    now: i64,
) -> Result<Report, PublishError> {
    if req.source.len() > limits.max_bytes {
        return Err(PublishError::TooLarge {
            size: req.source.len(),
            max: limits.max_bytes,
        });
    }
    if let Some(id) = req.id {
        if library.bundled().get(id).is_some() {
            return Err(PublishError::ReadOnly(id.to_owned()));
        }
        if let Err(e) = leadmap_core::NodeId::new(id) {
            return Err(PublishError::BadId(format!(
                "{id:?} cannot be a roadmap id: {e}"
            )));
        }
    }
    let fallback = req.id.unwrap_or("roadmap");
    let parsed = leadmap_core::parse(req.source, fallback);
    let mut diagnostics = leadmap_core::check::check(&parsed, &Known(library.bundled()));
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    let index = LineIndex::new(req.source);
    let problems: Vec<Problem> = diagnostics.iter().map(|d| Problem::of(&index, d)).collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(PublishError::Invalid(problems));
    }
    let roadmap = parsed.roadmap;
    let id = roadmap.id.to_string();
    if let Some(expected) = req.id
        && expected != id
    {
        return Err(PublishError::WrongId {
            found: id,
            expected: expected.to_owned(),
        });
    }
    let topics: Vec<String> = roadmap
        .nodes()
        .filter(|n| n.kind.is_learnable())
        .map(|n| n.id.to_string())
        .collect();
    if topics.len() > limits.max_topics {
        return Err(PublishError::TooManyTopics {
            topics: topics.len(),
            max: limits.max_topics,
        });
    }
    if library.bundled().get(&id).is_some() {
        return Err(PublishError::ReadOnly(id));
    }
    let current = library.current_published(store, &id).await?;
    if let Some(c) = &current {
        if let Publisher::Person(user) = by
            && !(c.visible_to(Some(user)) && c.editable_by(user))
        {
            return Err(PublishError::NotFound);
        }
        if c.record.as_ref().is_some_and(|r| r.bundled) {
            return Err(PublishError::ReadOnly(id));
        }
    }
    let previous = current
        .as_ref()
        .and_then(|c| c.record.as_ref())
        .map(|r| r.version);
    // Base 0: create only (the browser's "New roadmap" must not add to an existing one).
    if let Some(base) = req.base
        && Some(base) != previous
        && !(base == 0 && previous.is_none())
    {
        return Err(PublishError::Conflict {
            current: previous,
            base: Some(base),
        });
    }
    let new_topics: HashSet<&str> = topics.iter().map(String::as_str).collect();
    check_map(req.map, &new_topics)?;
    let old = current.as_ref().map(|c| &c.entry.roadmap);
    let empty = Roadmap {
        id: roadmap.id.clone(),
        title: roadmap.title.clone(),
        description: String::new(),
        meta: Default::default(),
        children: Vec::new(),
    };
    let diff = leadmap_core::diff::diff(old.unwrap_or(&empty), &roadmap);
    let suggested_map = if old.is_some() {
        leadmap_core::diff::suggest_map(&diff)
    } else {
        Vec::new()
    };
    let title = roadmap.title.plain();
    let markdown = leadmap_core::print(&roadmap);
    // The same roadmap again (a folder rescanned, a script that publishes on every push):
    // no new version, unless it carries an id map to apply (a version records the move).
    let unchanged = req.map.is_empty()
        && current
            .as_ref()
            .is_some_and(|c| leadmap_core::print(&c.entry.roadmap) == markdown);
    let entry = Arc::new(Entry::new(roadmap));
    let mut moved = 0;
    let version = if unchanged {
        previous.unwrap_or(0)
    } else if req.dry_run {
        previous.unwrap_or(0) + 1
    } else {
        let author = match by {
            Publisher::Person(u) => Some(u.id),
            Publisher::Server => None,
        };
        let new = NewVersion {
            roadmap: &id,
            title: &title,
            markdown: &markdown,
            message: req.message,
            topics: topics.len() as i64,
            base: previous,
            by: author,
            visibility: req.visibility,
            bundled: false,
            id_map: req.map,
        };
        match store.publish(&new, now).await? {
            Publish::Published { version, moved: m } => {
                moved = m;
                library.remember(&id, version.version, entry.clone());
                version.version
            }
            Publish::Conflict { current } => {
                return Err(PublishError::Conflict {
                    current,
                    base: previous,
                });
            }
        }
    };
    // Orphans: records of topics this version does not have (on a dry run, the map's moves
    // counted as done).
    let moving: HashSet<&str> = if req.dry_run {
        req.map.iter().map(|(a, _)| a.as_str()).collect()
    } else {
        HashSet::new()
    };
    let old_titles: HashMap<&str, String> = old
        .map(|r| {
            r.nodes()
                .map(|n| (n.id.as_str(), n.title.plain()))
                .collect()
        })
        .unwrap_or_default();
    let orphans = store
        .topic_holders(&id)
        .await?
        .into_iter()
        .filter(|(t, _)| !new_topics.contains(t.as_str()) && !moving.contains(t.as_str()))
        .map(|(topic, people)| Orphan {
            title: old_titles.get(topic.as_str()).cloned(),
            topic,
            people,
        })
        .collect();
    Ok(Report {
        roadmap: id,
        title,
        version,
        previous,
        dry_run: req.dry_run,
        unchanged,
        diff,
        orphans,
        suggested_map,
        moved,
        warnings: problems,
        entry: Some(entry),
    })
}

/// An id map's pairs: distinct sources, each target a topic of the new version, no id both
/// a source and a target (a map is applied once, not chained).
fn check_map(map: &[(String, String)], new_topics: &HashSet<&str>) -> Result<(), PublishError> {
    let mut from = HashSet::new();
    for (a, b) in map {
        if a == b {
            return Err(PublishError::BadMap(format!(
                "{a} -> {b} moves a topic onto itself"
            )));
        }
        if !from.insert(a.as_str()) {
            return Err(PublishError::BadMap(format!("{a} is moved twice")));
        }
        if !new_topics.contains(b.as_str()) {
            return Err(PublishError::BadMap(format!(
                "{a} -> {b}: the new version has no topic {b}"
            )));
        }
    }
    if let Some((a, _)) = map.iter().find(|(_, b)| from.contains(b.as_str())) {
        return Err(PublishError::BadMap(format!(
            "{a} is both moved and a target: a map is applied once, publish a chain in two steps"
        )));
    }
    Ok(())
}

/// A bundled roadmap that got a new version at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub roadmap: String,
    pub version: i64,
    /// Records of topics this release's content no longer has (kept, counted again if the
    /// topic comes back).
    pub orphans: Vec<Orphan>,
}

/// Parses `old -> new` (or `old=new`) lines of an id map; blank lines and `#` comments skipped.
pub fn parse_map(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (a, b) = line
            .split_once("->")
            .or_else(|| line.split_once('='))
            .ok_or_else(|| format!("line {}: write old-id -> new-id", i + 1))?;
        let (a, b) = (a.trim(), b.trim());
        for id in [a, b] {
            leadmap_core::NodeId::new(id).map_err(|e| format!("line {}: {id:?}: {e}", i + 1))?;
        }
        out.push((a.to_owned(), b.to_owned()));
    }
    Ok(out)
}

impl Library {
    /// A published roadmap (not a bundled one) as of its current version.
    pub async fn current_published(
        &self,
        store: &dyn Store,
        id: &str,
    ) -> Result<Option<Current>, StoreError> {
        let Some(record) = store.roadmap_record(id).await? else {
            return Ok(None);
        };
        let entry = self.prepared_entry(store, id, record.version).await?;
        Ok(entry.map(|entry| Current {
            entry,
            record: Some(record),
        }))
    }

    /// One version's Markdown, when `user` may read the roadmap.
    pub async fn version_source(
        &self,
        store: &dyn Store,
        user: Option<&User>,
        id: &str,
        version: i64,
    ) -> Result<Option<(Version, String)>, StoreError> {
        match self.current(store, id).await? {
            Some(c) if c.visible_to(user) => store.version_source(id, version).await,
            _ => Ok(None),
        }
    }

    /// Stores the bundled roadmaps as versions of read-only roadmaps: version 1 on a new
    /// database, a new version when this binary's content differs from the stored one (by the
    /// rules of every publish: nothing is deleted; the records of topics the new content does
    /// not have are reported as orphaned). Returns what got a new version.
    pub async fn sync_bundled(
        &self,
        store: &dyn Store,
        release: &str,
        now: i64,
    ) -> Result<Vec<Synced>, StoreError> {
        let mut published = Vec::new();
        for e in &self.bundled.roadmaps {
            let markdown = leadmap_core::print(&e.roadmap);
            let record = store.roadmap_record(&e.id).await?;
            if let Some(r) = &record {
                let stored = store.version_source(&e.id, r.version).await?;
                if stored.is_some_and(|(_, md)| md == markdown) {
                    continue;
                }
            }
            let new = NewVersion {
                roadmap: &e.id,
                title: &e.title(),
                markdown: &markdown,
                message: &format!("bundled with leadmap {release}"),
                topics: e.topics.len() as i64,
                base: record.as_ref().map(|r| r.version),
                by: None,
                visibility: Visibility::Public,
                bundled: true,
                id_map: &[],
            };
            // Another server starting at the same time may have stored it first: fine.
            if let Publish::Published { version, .. } = store.publish(&new, now).await? {
                let orphans = store
                    .topic_holders(&e.id)
                    .await?
                    .into_iter()
                    .filter(|(t, _)| !e.has_topic(t))
                    .map(|(topic, people)| Orphan {
                        topic,
                        title: None,
                        people,
                    })
                    .collect();
                published.push(Synced {
                    roadmap: e.id.clone(),
                    version: version.version,
                    orphans,
                });
            }
        }
        Ok(published)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(md: &str) -> Library {
        let entry = Entry::new(leadmap_core::parse(md.as_bytes(), "kit").roadmap);
        Library::new(Catalog {
            roadmaps: vec![Arc::new(entry)],
        })
    }

    const KIT: &str = "---\nid: kit\n---\n# Kit\n\n## A\n\n- One {#one}\n";

    #[tokio::test]
    async fn bundled_roadmaps_are_stored_once_per_release_content_and_stay_read_only() {
        let db = leadmap_store::testing::sqlite().await;
        let s = db.store();
        let ana = s
            .create_user(
                &leadmap_store::UserName::parse("ana").unwrap(),
                "h",
                true,
                0,
            )
            .await
            .unwrap();
        // Version 1 on a new database; the same content again stores nothing.
        let first = library(KIT).sync_bundled(s, "1.0.0", 1).await.unwrap();
        assert_eq!((first[0].roadmap.as_str(), first[0].version), ("kit", 1));
        let again = library(KIT).sync_bundled(s, "1.0.0", 2).await.unwrap();
        assert!(again.is_empty());
        s.set_progress(ana.id, "kit", "one", leadmap_store::Status::Done, None, 2)
            .await
            .unwrap();
        // A release whose content changed stores version 2, by the server; a topic it dropped
        // keeps its records, reported as orphaned.
        let newer = library(&KIT.replace("- One {#one}", "- Two {#two}"));
        let synced = newer.sync_bundled(s, "1.1.0", 3).await.unwrap();
        assert_eq!(synced[0].version, 2);
        assert_eq!(
            synced[0].orphans,
            [Orphan {
                topic: "one".into(),
                title: None,
                people: 1
            }]
        );
        assert_eq!(s.progress(ana.id, "kit").await.unwrap().len(), 1);
        let versions = s.versions("kit").await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].message, "bundled with leadmap 1.1.0");
        assert_eq!(versions[0].published_by, None);
        let record = s.roadmap_record("kit").await.unwrap().unwrap();
        assert!(record.bundled);
        assert_eq!(record.visibility, Visibility::Public);
        // Nobody publishes over it, not even an admin, and not a watched folder either.
        let req = Request {
            id: None,
            source: KIT.as_bytes(),
            message: "",
            map: &[],
            base: None,
            dry_run: false,
            visibility: Visibility::Public,
        };
        for by in [Publisher::Person(&ana), Publisher::Server] {
            let e = publish(s, &newer, Limits::default(), by, &req, 4)
                .await
                .unwrap_err();
            assert!(matches!(e, PublishError::ReadOnly(_)), "{e:?}");
        }
        // Nor through a library that does not bundle it (an older binary): the record says so.
        let other = Library::new(Catalog { roadmaps: vec![] });
        let e = publish(
            s,
            &other,
            Limits::default(),
            Publisher::Person(&ana),
            &req,
            5,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, PublishError::ReadOnly(_)), "{e:?}");
        assert_eq!(s.versions("kit").await.unwrap().len(), 2);
    }

    #[test]
    fn id_maps_are_read_from_lines_and_checked_for_their_shape() {
        assert_eq!(
            parse_map("# moves\nold -> new\n\nb=c\n").unwrap(),
            [("old".into(), "new".into()), ("b".into(), "c".into())]
        );
        assert!(parse_map("old new").unwrap_err().contains("line 1"));
        assert!(parse_map("a -> B C").is_err(), "not an id");
        let topics: HashSet<&str> = ["new", "c"].into();
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert!(check_map(&pairs(&[("old", "new")]), &topics).is_ok());
        for bad in [
            &[("old", "gone")][..],
            &[("old", "new"), ("old", "c")],
            &[("new", "c"), ("old", "new")],
            &[("c", "c")],
        ] {
            assert!(
                matches!(
                    check_map(&pairs(bad), &topics),
                    Err(PublishError::BadMap(_))
                ),
                "{bad:?}"
            );
        }
    }
}
