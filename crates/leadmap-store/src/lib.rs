//! Leadmap's storage: a trait per aggregate ([`UserStore`], [`SessionStore`], [`TokenStore`],
//! [`ProgressStore`], [`HistoryStore`], [`RoadmapStore`], [`ThrottleStore`]) under one [`Store`], with a SQLite backend ([`sqlite::SqliteStore`], the
//! default: one file, WAL, a busy timeout, foreign keys on, `synchronous=FULL`) and a PostgreSQL
//! backend ([`postgres::PgStore`]). Each backend has its own SQL and its own append-only
//! migrations (`migrations/sqlite`, `migrations/postgres`), run when the store opens.
//!
//! Invariants (see `ARCHITECTURE.md`): this crate knows nothing of HTTP, HTML, passwords in
//! clear or the roadmap format; it stores what it is given, keyed by (user, roadmap id, topic id),
//! and never deletes progress except when the person asks (`reset_progress`, `delete_user`).
//! Policy (how often `last_seen` moves, how long sign-in failures are kept, which text is
//! refused) is written once, in [`policy`], and both backends call it. Both backends pass the
//! same conformance suite (`tests/conformance/`).

use std::fmt;

use async_trait::async_trait;
pub use leadmap_core::assessment::{Level, Rating};
pub use leadmap_core::progress::Status;

pub mod migrate;
pub mod policy;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

/// Why the last admin is kept: the words of the refusal.
pub const LAST_ADMIN: &str =
    "this is the last admin: make another account an admin first (leadmap user promote NAME)";

/// A failure of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record would clash with one that exists (a user name taken, say).
    #[error("{0} already exists")]
    Conflict(String),
    /// The database URL is not one this program understands.
    #[error(
        "unsupported database URL {0:?}: use a path to a SQLite file, sqlite://PATH or postgres://…"
    )]
    BadUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The commit that carried this write failed: the write was not stored. (The SQLite writer
    /// answers every write of a batch with the one error, hence the `Arc`.)
    #[error("the database could not commit: {0}")]
    Commit(#[source] std::sync::Arc<rusqlite::Error>),
    /// PostgreSQL could not be reached when the store opened.
    #[error("cannot connect to PostgreSQL at {addr}: {}", connect_reason(.source))]
    Connect {
        addr: String,
        #[source]
        source: sqlx::Error,
    },
    /// A value the store refuses to keep (text with a NUL character, say); the same on every
    /// backend, checked before any SQL runs.
    #[error("{0}")]
    Invalid(String),
    /// The SQLite writer thread has stopped (the program is shutting down).
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value this version cannot read (a status word it does not know, say).
    #[error("corrupt record: {0}")]
    Corrupt(String),
    /// An operation refused before it changed anything (a backup over an existing file, a
    /// restore into a database that holds data, a database newer than this build).
    #[error("{0}")]
    Refused(String),
    /// What this backend does not do itself (a file backup of PostgreSQL: use `pg_dump`).
    #[error("{0}")]
    Unsupported(String),
}

/// The schema version this build knows: the number of migrations, the same on both backends.
/// A database with a larger version is refused untouched.
pub const SCHEMA_VERSION: i64 = 10;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch; the store never reads a clock itself.
pub type Millis = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a text is not a [`UserName`]; the messages are shown to people as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserNameError {
    #[error("a user name is needed")]
    Empty,
    #[error("a user name has at most {max} characters")]
    TooLong { max: usize },
    #[error("a user name is letters, digits, '.', '_' and '-'; {0:?} is not allowed")]
    BadChar(char),
}

/// A user name: 1–64 characters of letters, digits, `.`, `_` and `-`. Names compare without
/// regard to case (`Ana` and `ana` are one user).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserName(String);

impl UserName {
    pub const MAX: usize = 64;

    pub fn parse(s: &str) -> Result<UserName, UserNameError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(UserNameError::Empty);
        }
        if s.chars().count() > Self::MAX {
            return Err(UserNameError::TooLong { max: Self::MAX });
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(UserNameError::BadChar(c));
        }
        Ok(UserName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key names are unique by.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    /// The name the person is shown by ("Maria Manager"); `None`: their user name.
    pub display_name: Option<String>,
    pub is_admin: bool,
    pub created_at: Millis,
}

impl User {
    /// The name to show: the display name when there is one, else the user name.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

/// A user with the stored password hash, for signing in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// A session as the account page lists it. The token itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub user_id: UserId,
    pub csrf: String,
    pub user_agent: String,
    pub created_at: Millis,
    pub last_seen: Millis,
}

/// A personal access token as the account page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Millis,
    pub last_used: Option<Millis>,
    /// When the token stops working; `None`: never.
    pub expires_at: Option<Millis>,
}

/// One person's state on one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub roadmap: String,
    pub topic: String,
    pub status: Status,
    pub note: String,
    pub updated_at: Millis,
}

/// Which topics a reset clears.
#[derive(Debug, Clone, Copy)]
pub enum ResetScope<'a> {
    /// Every record of the roadmap.
    Roadmap,
    /// The records of these topics (an area's topics, say).
    Topics(&'a [String]),
}

/// A counter a sign-in attempt is charged to: a SHA-256 of what it counts (the caller hashes:
/// the store never sees the name or the address), and how many failures it may hold in the
/// window; `None` = counted but never full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptKey {
    pub key: [u8; 32],
    pub limit: Option<i64>,
}

/// The answer to [`ThrottleStore::reserve_attempt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Every limited key had room: one failure was recorded for EACH key (so a concurrent
    /// attempt sees it), `ids` to take them back, `counts[i]` = failures of `keys[i]` in the
    /// window before this one.
    Reserved { ids: Vec<i64>, counts: Vec<i64> },
    /// A limited key is full: nothing was recorded. `retry_at` = the first moment the failure
    /// that keeps the full key full (its oldest in the window, when it holds exactly its limit)
    /// is out of the window (the latest such moment when several keys are full).
    Throttled { retry_at: Millis },
}

/// Accounts: names, password hashes, the administrator flag.
#[async_trait]
pub trait UserStore {
    async fn user_count(&self) -> Result<i64>;
    /// Fails with [`StoreError::Conflict`] when the name is taken (in any case).
    async fn create_user(
        &self,
        name: &UserName,
        password_hash: &str,
        is_admin: bool,
        now: Millis,
    ) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    async fn credentials(&self, name: &str) -> Result<Option<Credentials>>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<()>;
    /// Sets (or, with `None`, clears) the name a person is shown by; false when no such user.
    async fn set_display_name(&self, id: UserId, display_name: Option<&str>) -> Result<bool>;
    /// Makes the user an admin or not; `false` when no such user. Refuses
    /// ([`StoreError::Invalid`], [`LAST_ADMIN`]) to demote the last admin.
    async fn set_admin(&self, id: UserId, admin: bool) -> Result<bool>;
    /// Deletes the user with their sessions, tokens and progress. Refuses
    /// ([`StoreError::Invalid`], [`LAST_ADMIN`]) to delete the last admin while other accounts
    /// exist (they would be left without one); the only account may go.
    async fn delete_user(&self, id: UserId) -> Result<bool>;
}

/// Browser sessions (stored by the hash of their token).
#[async_trait]
pub trait SessionStore {
    async fn create_session(
        &self,
        user: UserId,
        token_hash: &[u8],
        csrf: &str,
        user_agent: &str,
        now: Millis,
    ) -> Result<Session>;
    /// The session (as it was: `last_seen` is when it was last used before this call) and its
    /// user; the stored `last_seen` is moved to `now` when it is older than
    /// [`policy::LAST_SEEN_RESOLUTION_MS`].
    async fn session(&self, token_hash: &[u8], now: Millis) -> Result<Option<(Session, User)>>;
    async fn sessions(&self, user: UserId) -> Result<Vec<Session>>;
    /// Deletes one of the user's sessions; false when the user has no such session.
    async fn delete_session(&self, user: UserId, id: i64) -> Result<bool>;
    /// Deletes every session of the user but `keep`; returns how many went.
    async fn delete_sessions(&self, user: UserId, keep: Option<i64>) -> Result<u64>;
}

/// Personal access tokens (stored by the hash of their token).
#[async_trait]
pub trait TokenStore {
    /// A new token; `expires_at`, when given, is when it stops working.
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        now: Millis,
        expires_at: Option<Millis>,
    ) -> Result<Token>;
    /// The token's user (none once the token has expired); the token's `last_used` is moved to `now` when it is unset or older
    /// than [`policy::LAST_SEEN_RESOLUTION_MS`].
    async fn token_user(&self, token_hash: &[u8], now: Millis) -> Result<Option<User>>;
    async fn tokens(&self, user: UserId) -> Result<Vec<Token>>;
    async fn delete_token(&self, user: UserId, id: i64) -> Result<bool>;
}

/// A person's progress, keyed by (user, roadmap id, topic id).
#[async_trait]
pub trait ProgressStore {
    /// Stores a person's status on a topic. With no `note`, a stored note is kept (a new
    /// record gets an empty one); the read and the write are one atomic step.
    async fn set_progress(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        status: Status,
        note: Option<&str>,
        now: Millis,
    ) -> Result<Progress>;
    /// Several records in one transaction (an import); returns how many were written.
    async fn import_progress(&self, user: UserId, records: &[Progress]) -> Result<u64>;
    async fn progress(&self, user: UserId, roadmap: &str) -> Result<Vec<Progress>>;
    /// Every record of the user, every roadmap, ordered by roadmap and topic.
    async fn all_progress(&self, user: UserId) -> Result<Vec<Progress>>;
    /// Deletes the records of the scope; each one that was not pending leaves a change to
    /// pending at `now` in the history.
    async fn reset_progress(
        &self,
        user: UserId,
        roadmap: &str,
        scope: ResetScope<'_>,
        now: Millis,
    ) -> Result<u64>;
}

/// One status change of a person's topic, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub roadmap: String,
    pub topic: String,
    /// The status left; `None`: the topic had no record (pending).
    pub from: Option<Status>,
    pub to: Status,
    pub at: Millis,
}

/// Which changes [`HistoryStore::history`] lists: all filters are optional; the newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub roadmap: Option<String>,
    /// Changes to this status.
    pub to: Option<Status>,
    /// Changes at or after this moment.
    pub since: Option<Millis>,
    /// Changes before this moment.
    pub until: Option<Millis>,
    /// Keyset paging: changes older than this one (`(at, id)` of the last change of the
    /// previous page).
    pub before: Option<(Millis, i64)>,
    /// At most this many (capped at [`policy::HISTORY_PAGE_MAX`]).
    pub limit: u32,
}

/// A day of one roadmap's history: how many changes it holds and how the number of finished
/// (done or skipped) topics moved that day. `day` counts UTC days since 1970-01-01.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryDay {
    pub roadmap: String,
    pub day: i64,
    pub changes: i64,
    pub done_delta: i64,
}

/// The history of status changes: appended to by [`ProgressStore`]'s writes in their own
/// transaction (see `policy::HISTORY_COALESCE_MS` for the one way a recent row changes), read
/// here. Deleted only with the account.
#[async_trait]
pub trait HistoryStore {
    /// The person's changes that pass `filter`, newest first.
    async fn history(&self, user: UserId, filter: &HistoryFilter) -> Result<Vec<Change>>;
    /// Per roadmap and day (ordered by roadmap, then day), every day with a change or a move
    /// of the finished count, from day `since_day` on (`None`: all of them).
    async fn history_days(&self, user: UserId, since_day: Option<i64>) -> Result<Vec<HistoryDay>>;
    /// How many changes the person's history holds.
    async fn history_len(&self, user: UserId) -> Result<i64>;
}

/// An evidence link of a topic: what the person points to as proof (a doc, a PR, a talk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub url: String,
    pub label: String,
}

/// A person's plan for one topic: a target day and evidence links.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub roadmap: String,
    pub topic: String,
    /// The target day (UTC days since 1970-01-01); `None`: none.
    pub due_day: Option<i64>,
    pub evidence: Vec<Evidence>,
}

/// Target days and evidence links, per (user, roadmap, topic). Kept beside the progress
/// records (a topic may have a plan before any status); deleted with the account.
#[async_trait]
pub trait PlanStore {
    /// Sets (`Some`) or clears (`None`) the topic's target day.
    async fn set_due(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        due_day: Option<i64>,
    ) -> Result<()>;
    /// Replaces the topic's evidence links with `links`, in their order (one transaction).
    async fn set_evidence(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        links: &[Evidence],
    ) -> Result<()>;
    /// The plans of the person (topics with a target day or evidence), ordered by roadmap and
    /// topic; with `roadmap`, of that roadmap only.
    async fn plans(&self, user: UserId, roadmap: Option<&str>) -> Result<Vec<Plan>>;
    /// One topic's plan, empty (no day, no evidence) when it has none: one statement.
    async fn plan(&self, user: UserId, roadmap: &str, topic: &str) -> Result<Plan>;
    /// (roadmap, topic, day) of every target day on or before `until_day`, earliest first.
    async fn due_until(&self, user: UserId, until_day: i64) -> Result<Vec<(String, String, i64)>>;
}

/// A row of one topic's plan as its one-statement read gives it: (due day, url, label).
pub(crate) type PlanRow = (Option<i64>, Option<String>, Option<String>);

/// One topic's plan from the rows of its one-statement read, at least one row (the due day
/// repeats on each; url and label are null when it has no evidence).
pub(crate) fn one_plan(roadmap: &str, topic: &str, rows: Vec<PlanRow>) -> Plan {
    let due_day = rows.first().and_then(|r| r.0);
    let evidence = rows
        .into_iter()
        .filter_map(|(_, url, label)| {
            Some(Evidence {
                url: url?,
                label: label.unwrap_or_default(),
            })
        })
        .collect();
    Plan {
        roadmap: roadmap.to_owned(),
        topic: topic.to_owned(),
        due_day,
        evidence,
    }
}

/// Merges due rows and evidence rows (both ordered by roadmap, topic) into plans.
pub(crate) fn merge_plans(
    due: Vec<(String, String, i64)>,
    evidence: Vec<(String, String, Evidence)>,
) -> Vec<Plan> {
    let mut map: std::collections::BTreeMap<(String, String), Plan> = Default::default();
    for (roadmap, topic, day) in due {
        map.entry((roadmap.clone(), topic.clone()))
            .or_insert_with(|| Plan {
                roadmap,
                topic,
                ..Plan::default()
            })
            .due_day = Some(day);
    }
    for (roadmap, topic, e) in evidence {
        map.entry((roadmap.clone(), topic.clone()))
            .or_insert_with(|| Plan {
                roadmap,
                topic,
                ..Plan::default()
            })
            .evidence
            .push(e);
    }
    map.into_values().collect()
}

/// A share link as its owner lists it (never the token itself, only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub id: i64,
    pub user_id: UserId,
    pub roadmap: String,
    pub label: String,
    /// The name the page shows for the person.
    pub shown_name: String,
    pub show_notes: bool,
    pub created_at: Millis,
    /// When the link stops working; `None`: never.
    pub expires_at: Option<Millis>,
}

/// What a new share link is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShare<'a> {
    pub roadmap: &'a str,
    pub token_hash: &'a [u8],
    pub label: &'a str,
    pub shown_name: &'a str,
    pub show_notes: bool,
    pub expires_at: Option<Millis>,
}

/// Share links (stored by the hash of their token).
#[async_trait]
pub trait ShareStore {
    async fn create_share(&self, user: UserId, new: &NewShare<'_>, now: Millis) -> Result<Share>;
    /// The person's links, newest first (expired ones included, so that they can be revoked).
    async fn shares(&self, user: UserId) -> Result<Vec<Share>>;
    /// Deletes one of the person's links; false when they have no such link.
    async fn delete_share(&self, user: UserId, id: i64) -> Result<bool>;
    /// The link a token's hash names, unless it has expired at `now`. Read from the database
    /// every time: a revoked link is gone at once on every server.
    async fn share_by_token(&self, token_hash: &[u8], now: Millis) -> Result<Option<Share>>;
}

/// Sign-in throttling, kept in the database so that several servers share it.
/// Who may see a roadmap published on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Its author (and the server's admins).
    Private,
    /// Everyone with an account on this server.
    SignedIn,
    /// Anyone, without an account.
    Public,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Private,
        Visibility::SignedIn,
        Visibility::Public,
    ];

    /// The word the store, the API and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::SignedIn => "signed-in",
            Visibility::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A roadmap published on this server, as of its current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapRecord {
    pub id: String,
    /// The current version's title.
    pub title: String,
    /// Who first published it (gone when that account is deleted); none for a bundled one.
    pub author: Option<UserId>,
    pub visibility: Visibility,
    /// Shipped with the binary: published by the server itself, read-only for everyone.
    pub bundled: bool,
    /// The current version: the highest published.
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// One immutable version of a roadmap (its Markdown is read separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub roadmap: String,
    pub version: i64,
    pub title: String,
    pub message: String,
    /// The number of learnable topics, for lists.
    pub topics: i64,
    pub published_by: Option<UserId>,
    pub published_at: Millis,
}

/// A version to publish.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub roadmap: &'a str,
    pub title: &'a str,
    /// The whole roadmap, topic content inlined, as `leadmap fmt` prints it.
    pub markdown: &'a str,
    pub message: &'a str,
    pub topics: i64,
    /// The version this one was made from: the publish is refused with
    /// [`Publish::Conflict`] unless it is still the current one (`None`: the roadmap must not
    /// exist yet).
    pub base: Option<i64>,
    pub by: Option<UserId>,
    /// Used when the publish creates the roadmap; an existing roadmap keeps its own.
    pub visibility: Visibility,
    pub bundled: bool,
    /// Topic ids whose progress moves to another id, in the publish's transaction: every
    /// person's status, note, target date and evidence links move from the first id to the
    /// second, unless that person already has a record at the second (then both stay).
    pub id_map: &'a [(String, String)],
}

/// What a publish did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Publish {
    Published {
        version: Version,
        /// Progress records the id map moved.
        moved: u64,
    },
    /// Another publish came first: nothing was written; rebase on `current`.
    Conflict { current: Option<i64> },
}

/// Roadmaps published on this server and their versions.
#[async_trait]
pub trait RoadmapStore {
    /// Stores a new version as the roadmap's current one (creating the roadmap at version 1),
    /// and applies the id map, in one transaction; refused when `base` is not the current version.
    async fn publish(&self, new: &NewVersion<'_>, now: Millis) -> Result<Publish>;
    /// One roadmap as of its current version (read on every request for a published roadmap).
    async fn roadmap_record(&self, id: &str) -> Result<Option<RoadmapRecord>>;
    /// Every published roadmap, by id.
    async fn roadmap_records(&self) -> Result<Vec<RoadmapRecord>>;
    /// A roadmap's versions, newest first.
    async fn versions(&self, id: &str) -> Result<Vec<Version>>;
    /// One version and its Markdown.
    async fn version_source(&self, id: &str, version: i64) -> Result<Option<(Version, String)>>;
    async fn set_visibility(&self, id: &str, visibility: Visibility) -> Result<bool>;
    /// For each topic id of a roadmap that anyone has progress on: how many people have it.
    async fn topic_holders(&self, roadmap: &str) -> Result<Vec<(String, i64)>>;
}

/// A person's role in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TeamRole {
    /// Sees the team's (and every team beneath it) members' statuses and shared notes,
    /// invites, suggests focus topics, prepares 1:1s.
    Manager,
    /// Sees the team's aggregate, their own focus topics.
    Member,
}

impl TeamRole {
    pub const ALL: [TeamRole; 2] = [TeamRole::Manager, TeamRole::Member];

    /// The word the store, the API and the CLI use.
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Manager => "manager",
            TeamRole::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<TeamRole> {
        TeamRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for TeamRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A team of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: i64,
    /// The team's address (`/teams/{slug}`), unique.
    pub slug: String,
    /// Unique without regard to case.
    pub name: String,
    pub parent: Option<i64>,
    /// Members see their team's aggregate with names (otherwise without).
    pub show_names: bool,
    pub created_at: Millis,
}

/// A team to create; the caller has checked the slug's and the name's shape.
#[derive(Debug, Clone)]
pub struct NewTeam<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub parent: Option<i64>,
}

/// What may change about a team.
#[derive(Debug, Clone)]
pub struct TeamChange<'a> {
    pub name: Option<&'a str>,
    /// `Some(None)`: no parent any more.
    pub parent: Option<Option<i64>>,
    pub show_names: Option<bool>,
}

/// A person in a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub team: i64,
    pub user: User,
    pub role: TeamRole,
    pub added_at: Millis,
}

/// An invite link to a team (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub id: i64,
    pub team: i64,
    pub role: TeamRole,
    pub max_uses: i64,
    pub uses: i64,
    pub expires_at: Millis,
    pub revoked_at: Option<Millis>,
    pub created_by: Option<UserId>,
    pub created_at: Millis,
    /// Who used it and when, in the order they joined.
    pub used_by: Vec<(User, Millis)>,
}

/// An invite to create.
#[derive(Debug, Clone)]
pub struct NewInvite<'a> {
    pub team: i64,
    pub token_hash: &'a [u8],
    pub role: TeamRole,
    pub max_uses: i64,
    pub expires_at: Millis,
    pub created_by: Option<UserId>,
}

/// Who redeems an invite: a person with an account, or a new person (the account is created in
/// the redemption's transaction, only if the invite still has a use).
#[derive(Debug, Clone)]
pub enum Redeemer<'a> {
    Existing(UserId),
    New {
        name: &'a UserName,
        password_hash: &'a str,
    },
}

/// What redeeming an invite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeemed {
    /// The person joined the team with the invite's role (or, already a member, got the
    /// invite's role if it is higher); a use was counted.
    Joined {
        user: User,
        team: Team,
        role: TeamRole,
    },
    /// The person was already in the team with this role or a higher one: no use was counted.
    AlreadyMember {
        user: User,
        team: Team,
        role: TeamRole,
    },
    /// No such invite, or it expired, was revoked or has no use left: nothing changed.
    Gone,
}

/// A topic a manager suggests to a member (`user: Some`) or to a whole team (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub id: i64,
    pub team: i64,
    pub user: Option<UserId>,
    pub roadmap: String,
    pub topic: String,
    /// UTC days since 1970-01-01.
    pub due_day: Option<i64>,
    pub reason: String,
    pub created_by: Option<UserId>,
    pub created_at: Millis,
}

/// A focus topic to create.
#[derive(Debug, Clone)]
pub struct NewFocus<'a> {
    pub team: i64,
    pub user: Option<UserId>,
    pub roadmap: &'a str,
    pub topic: &'a str,
    pub due_day: Option<i64>,
    pub reason: &'a str,
    pub created_by: Option<UserId>,
}

/// One member's record of a topic as their managers may see it: the status and its time; the
/// note only when its owner shared it with their managers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRecord {
    pub user: UserId,
    pub topic: String,
    pub status: Status,
    pub updated_at: Millis,
    /// `None` unless the note is shared (and not empty).
    pub shared_note: Option<String>,
}

/// Teams, their members, invites, focus topics and 1:1 dates. Rights are read from here on
/// every request (no cache of them outlives a request).
#[async_trait]
pub trait TeamStore {
    /// Refused with [`StoreError::Conflict`] when the slug or the name (without regard to case)
    /// is taken, [`StoreError::Invalid`] when the parent does not exist.
    async fn create_team(&self, new: &NewTeam<'_>, now: Millis) -> Result<Team>;
    /// Every team, by name.
    async fn teams(&self) -> Result<Vec<Team>>;
    async fn team(&self, slug: &str) -> Result<Option<Team>>;
    /// Refused with [`StoreError::Refused`] when the new parent is the team or beneath it (a
    /// cycle), checked in the change's transaction; `Ok(None)`: no such team.
    async fn change_team(&self, team: i64, change: &TeamChange<'_>) -> Result<Option<Team>>;
    /// Deletes the team, its memberships, invites, focus topics and 1:1 dates (never progress);
    /// its child teams keep their members and have no parent any more.
    async fn delete_team(&self, team: i64) -> Result<bool>;
    /// Adds the person to the team with the role, or changes their role.
    async fn set_member(&self, team: i64, user: UserId, role: TeamRole, now: Millis) -> Result<()>;
    async fn remove_member(&self, team: i64, user: UserId) -> Result<bool>;
    /// The members of these teams (a person in several of them once per team), by team, then
    /// shown name.
    async fn members(&self, teams: &[i64]) -> Result<Vec<Member>>;
    /// The teams a person is in, with their role in each.
    async fn memberships(&self, user: UserId) -> Result<Vec<(Team, TeamRole)>>;
    async fn create_invite(&self, new: &NewInvite<'_>, now: Millis) -> Result<Invite>;
    /// A team's invites, newest first, with who used each.
    async fn invites(&self, team: i64) -> Result<Vec<Invite>>;
    async fn revoke_invite(&self, team: i64, id: i64, now: Millis) -> Result<bool>;
    /// The invite and its team, while it can still be used.
    async fn invite_by_token(
        &self,
        token_hash: &[u8],
        now: Millis,
    ) -> Result<Option<(Invite, Team)>>;
    /// Atomically: takes one use of the invite if it has one left (not expired, not revoked),
    /// creates the new person's account if that is who redeems, and adds them to the team.
    /// Exactly one of two concurrent redemptions of the last use wins, on every server. A new
    /// person's name that is taken is [`StoreError::Conflict`] and takes no use.
    async fn redeem_invite(
        &self,
        token_hash: &[u8],
        who: &Redeemer<'_>,
        now: Millis,
    ) -> Result<Redeemed>;
    /// The records of these people on one roadmap that are not pending (notes only where
    /// shared), in no particular order: a dashboard of 1,000 people reads 100,000 of them,
    /// and sorting them in the database cost PostgreSQL more than the rest of the page.
    async fn team_records(&self, users: &[UserId], roadmap: &str) -> Result<Vec<TeamRecord>>;
    /// How many times each of these people's records of a roadmap have been inserted, changed
    /// or deleted, as (person, count) for those with any (a person not in the answer: 0).
    /// Kept by the database itself (triggers on `progress`, migration 0010), so every write
    /// path and every server counts; a count only grows. A reader that kept a person's
    /// [`team_records`](Self::team_records) with the count it read *before* them knows them
    /// current for as long as the count stays the same.
    async fn progress_clocks(&self, users: &[UserId], roadmap: &str) -> Result<Vec<(UserId, i64)>>;
    /// The status changes of these people on one roadmap to or from `done`, oldest first, as
    /// (person, when, +1 or -1): what a team's trend is drawn from.
    async fn done_moves(
        &self,
        users: &[UserId],
        roadmap: &str,
    ) -> Result<Vec<(UserId, Millis, i64)>>;
    /// Marks the person's note on a topic shared with their managers (or private again);
    /// `false`: no record there.
    async fn set_note_shared(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        shared: bool,
    ) -> Result<bool>;
    /// The topics of a roadmap whose notes the person shares.
    async fn shared_note_topics(&self, user: UserId, roadmap: &str) -> Result<Vec<String>>;
    async fn add_focus(&self, new: &NewFocus<'_>, now: Millis) -> Result<Focus>;
    async fn delete_focus(&self, team: i64, id: i64) -> Result<bool>;
    /// A team's focus topics, by due day (none last), then when suggested.
    async fn team_focus(&self, team: i64) -> Result<Vec<Focus>>;
    /// Every focus topic suggested to the person (directly, or to the whole team) by a team
    /// they are in now.
    async fn focus_for(&self, user: UserId) -> Result<Vec<Focus>>;
    /// Records a 1:1 held at `at`.
    async fn record_one_on_one(
        &self,
        team: i64,
        member: UserId,
        manager: Option<UserId>,
        at: Millis,
    ) -> Result<()>;
    /// The latest 1:1 recorded with the member in the team.
    async fn last_one_on_one(&self, team: i64, member: UserId) -> Result<Option<Millis>>;
}

/// Whose practices an assessment rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assessed {
    /// The organisation (the whole server) as one.
    Organisation,
    /// One team (by id).
    Team(i64),
}

impl Assessed {
    pub fn team(self) -> Option<i64> {
        match self {
            Assessed::Organisation => None,
            Assessed::Team(t) => Some(t),
        }
    }
}

/// An assessment's state: a draft is rated; a published one is never changed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentState {
    Draft,
    Published,
}

impl AssessmentState {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentState::Draft => "draft",
            AssessmentState::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<AssessmentState> {
        match s {
            "draft" => Some(AssessmentState::Draft),
            "published" => Some(AssessmentState::Published),
            _ => None,
        }
    }
}

/// A practice assessment: the organisation or one team, on one roadmap version, on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub id: i64,
    pub assessed: Assessed,
    pub roadmap: String,
    /// The roadmap's version when the assessment was started (0: a bundled roadmap).
    pub roadmap_version: i64,
    pub title: String,
    /// The day it describes (UTC days since 1970-01-01).
    pub assessed_on: i64,
    pub state: AssessmentState,
    /// The assessment it started as a copy of.
    pub based_on: Option<i64>,
    pub created_by: Option<UserId>,
    pub created_at: Millis,
    pub published_at: Option<Millis>,
}

/// An assessment to start.
#[derive(Debug, Clone)]
pub struct NewAssessment<'a> {
    pub assessed: Assessed,
    pub roadmap: &'a str,
    pub roadmap_version: i64,
    pub title: &'a str,
    pub assessed_on: i64,
    pub created_by: Option<UserId>,
    /// Copy the ratings of this assessment (only of the practices in `keep`).
    pub copy_from: Option<(i64, &'a [String])>,
}

/// A practice's rating in an assessment (or one write of it, in the history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeRating {
    pub topic: String,
    pub rating: Rating,
    pub rationale: String,
    /// Links (URLs), in the order given.
    pub evidence: Vec<String>,
    pub owner: Option<UserId>,
    pub next_step: String,
    /// When the next step is due (UTC days since 1970-01-01).
    pub due_day: Option<i64>,
    pub rated_by: Option<UserId>,
    pub rated_at: Millis,
}

/// A change to a practice's rating: `None` keeps what is there. The first write of a practice
/// must carry a rating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatingChange {
    pub rating: Option<Rating>,
    pub rationale: Option<String>,
    pub evidence: Option<Vec<String>>,
    pub owner: Option<Option<UserId>>,
    pub next_step: Option<String>,
    pub due_day: Option<Option<i64>>,
}

/// Practice assessments, their ratings and every write of a rating.
#[async_trait]
pub trait AssessmentStore {
    /// Starts a draft, copying the ratings of `copy_from` (the practices in its list) in the
    /// same transaction. [`StoreError::Invalid`] when the team or the source does not exist.
    async fn create_assessment(&self, new: &NewAssessment<'_>, now: Millis) -> Result<Assessment>;
    /// Every assessment, by roadmap, then owner (the organisation first), then day, then id.
    async fn assessments(&self) -> Result<Vec<Assessment>>;
    async fn assessment(&self, id: i64) -> Result<Option<Assessment>>;
    /// The current ratings of these assessments, as (assessment, rating), by assessment and
    /// topic.
    async fn ratings(&self, assessments: &[i64]) -> Result<Vec<(i64, PracticeRating)>>;
    /// Applies the change to the practice's rating and appends the result to the history, in
    /// one transaction: [`StoreError::Refused`] when the assessment is published (checked in
    /// the transaction), [`StoreError::Invalid`] for a first write without a rating;
    /// `Ok(None)`: no such assessment.
    async fn rate(
        &self,
        assessment: i64,
        topic: &str,
        change: &RatingChange,
        by: Option<UserId>,
        now: Millis,
    ) -> Result<Option<PracticeRating>>;
    /// Removes a practice's rating from a draft (the history keeps it); `false`: none there.
    async fn unrate(&self, assessment: i64, topic: &str) -> Result<bool>;
    /// Every write of a rating in the assessment, oldest first.
    async fn rating_history(&self, assessment: i64) -> Result<Vec<PracticeRating>>;
    /// Publishes a draft; [`StoreError::Refused`] when it is published already.
    async fn publish_assessment(&self, id: i64, now: Millis) -> Result<Option<Assessment>>;
    /// Changes a draft's title and day; [`StoreError::Refused`] when it is published.
    async fn retitle_assessment(
        &self,
        id: i64,
        title: &str,
        assessed_on: i64,
    ) -> Result<Option<Assessment>>;
    /// Deletes a draft and its ratings; [`StoreError::Refused`] when it is published.
    async fn delete_assessment(&self, id: i64) -> Result<bool>;
}

#[async_trait]
pub trait ThrottleStore {
    /// Atomically (no other reserve for any of these keys interleaves, on every server sharing
    /// the database): counts failures since `since` per key; if a limited key is at its limit,
    /// records nothing and answers [`Attempt::Throttled`]; else records one failure per key at
    /// `now`. Also deletes failures older than [`policy::SIGN_IN_FAILURE_RETENTION_MS`] (so a
    /// window longer than that counts no more than it holds).
    async fn reserve_attempt(
        &self,
        keys: &[AttemptKey],
        since: Millis,
        now: Millis,
    ) -> Result<Attempt>;
    /// The attempt succeeded: deletes the reserved rows `ids` and every failure of the keys in
    /// `clear`.
    async fn release_attempt(&self, ids: &[i64], clear: &[[u8; 32]]) -> Result<()>;
}

/// Everything Leadmap keeps: one trait per aggregate, this one over them all (teams, roadmaps,
/// assessments and shares will join as traits of their own). Each method is one transaction:
/// when it returns `Ok`, the change is durably stored. Callers write
/// `use leadmap_store::prelude::*;` to call any of them on a `&dyn Store`.
#[async_trait]
pub trait Store:
    UserStore
    + SessionStore
    + TokenStore
    + ProgressStore
    + HistoryStore
    + PlanStore
    + ShareStore
    + RoadmapStore
    + TeamStore
    + AssessmentStore
    + ThrottleStore
    + Send
    + Sync
    + fmt::Debug
{
    /// Which backend this is ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    /// Runs the backend's own consistency check (SQLite `PRAGMA integrity_check`); returns the
    /// problems found, none when the database is sound.
    async fn integrity_check(&self) -> Result<Vec<String>>;

    /// The schema version the database records (at most [`SCHEMA_VERSION`] once open).
    async fn schema_version(&self) -> Result<i64>;

    /// The database software and its version ("SQLite 3.51.0", "PostgreSQL 17.2").
    async fn server_version(&self) -> Result<String>;

    /// Writes a consistent copy of the database, safe while it is being written, to the new
    /// file `dest` (SQLite); PostgreSQL answers [`StoreError::Unsupported`] (use `pg_dump`).
    async fn backup(&self, dest: &std::path::Path) -> Result<()>;

    /// Writes a record exactly as [`ProgressStore::set_progress`] and reads back the topic's
    /// plan as [`PlanStore::plan`] does: what an API progress write answers with.
    ///
    /// The default makes the two calls; PostgreSQL answers in one round trip, SQLite in one
    /// job of its writer.
    async fn set_progress_with_plan(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        status: Status,
        note: Option<&str>,
        now: Millis,
    ) -> Result<(Progress, Plan)> {
        let p = self
            .set_progress(user, roadmap, topic, status, note, now)
            .await?;
        let plan = self.plan(user, roadmap, topic).await?;
        Ok((p, plan))
    }

    /// The session `token_hash` names with its user, exactly as [`SessionStore::session`]
    /// (`last_seen` bumped the same way), and with it what the signed-in roadmap page reads of
    /// that user on `roadmap`: [`PageReads`]. `None` when no session has that hash.
    ///
    /// The default makes the separate calls; PostgreSQL answers in one round trip, SQLite in
    /// one read transaction on one connection.
    async fn session_page(
        &self,
        token_hash: &[u8],
        now: Millis,
        roadmap: &str,
        due_until_day: i64,
    ) -> Result<Option<(Session, User, PageReads)>> {
        let Some((session, user)) = self.session(token_hash, now).await? else {
            return Ok(None);
        };
        let records = self.progress(user.id, roadmap).await?;
        let due = self
            .due_until(user.id, due_until_day)
            .await?
            .into_iter()
            .filter(|(r, _, _)| r == roadmap)
            .map(|(_, topic, day)| (topic, day))
            .collect();
        let focus = self
            .focus_for(user.id)
            .await?
            .into_iter()
            .filter(|f| f.roadmap == roadmap)
            .collect();
        Ok(Some((
            session,
            user,
            PageReads {
                records,
                due,
                focus,
            },
        )))
    }
}

/// What the signed-in roadmap page reads of its viewer on one roadmap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageReads {
    /// The person's records of the roadmap, by topic.
    pub records: Vec<Progress>,
    /// (topic, day) of the roadmap's target days on or before the day asked for.
    pub due: Vec<(String, i64)>,
    /// The focus topics suggested to the person on the roadmap, in [`TeamStore::focus_for`]'s
    /// order.
    pub focus: Vec<Focus>,
}

/// The storage traits, for `use leadmap_store::prelude::*;`.
pub mod prelude {
    pub use crate::{
        AssessmentStore, HistoryStore, PlanStore, ProgressStore, RoadmapStore, SessionStore,
        ShareStore, Store, TeamStore, ThrottleStore, TokenStore, UserStore,
    };
}

/// Where a database is, as a URL names it: `postgres://…` or `postgresql://…` for PostgreSQL;
/// `sqlite://PATH`, `sqlite:PATH` or a plain path for SQLite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    pub fn parse(url: &str) -> Result<Location> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location::Postgres(url.to_owned()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Ok(Location::Sqlite(path.into()))
        } else if url.contains("://") || url.is_empty() {
            Err(StoreError::BadUrl(url.to_owned()))
        } else {
            Ok(Location::Sqlite(url.into()))
        }
    }
}

/// Opens the store a URL names (see [`Location`]; a SQLite file and its directory are made
/// when missing) and brings its schema up to date.
pub async fn open(url: &str) -> Result<Box<dyn Store>> {
    match Location::parse(url)? {
        Location::Postgres(url) => Ok(Box::new(postgres::PgStore::open(&url).await?)),
        Location::Sqlite(path) => Ok(Box::new(sqlite::SqliteStore::open(&path).await?)),
    }
}

/// Why a connection failed, in words: a refused connection said as such.
fn connect_reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("the connection was refused; is the server running and listening there? ({io})")
        }
        e => e.to_string(),
    }
}

pub(crate) fn state_from_db(s: &str) -> Result<AssessmentState> {
    AssessmentState::parse(s)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown assessment state {s:?}")))
}

/// Evidence links as one column: one per line (a link holds no line break).
pub(crate) fn evidence_to_db(links: &[String]) -> String {
    links.join("\n")
}

pub(crate) fn evidence_from_db(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The text arguments of a change, checked before any SQL.
pub(crate) fn check_change(topic: &str, change: &RatingChange) -> Result<()> {
    policy::check_texts([
        topic,
        change.rationale.as_deref().unwrap_or_default(),
        change.next_step.as_deref().unwrap_or_default(),
    ])?;
    for link in change.evidence.iter().flatten() {
        policy::check_text(link)?;
        if link.contains(['\n', '\r']) || link.is_empty() {
            return Err(StoreError::Invalid(format!(
                "an evidence link is one line, not empty: {link:?}"
            )));
        }
    }
    Ok(())
}

/// A rating with a change applied (`old`: the current one, if any); `None`: a first write
/// without a rating.
pub(crate) fn merge_rating(
    old: Option<PracticeRating>,
    topic: &str,
    change: &RatingChange,
    by: Option<UserId>,
    now: Millis,
) -> Option<PracticeRating> {
    let base = match old {
        Some(o) => o,
        None => PracticeRating {
            topic: topic.to_owned(),
            rating: change.rating?,
            rationale: String::new(),
            evidence: Vec::new(),
            owner: None,
            next_step: String::new(),
            due_day: None,
            rated_by: None,
            rated_at: now,
        },
    };
    Some(PracticeRating {
        topic: base.topic,
        rating: change.rating.unwrap_or(base.rating),
        rationale: change.rationale.clone().unwrap_or(base.rationale),
        evidence: change.evidence.clone().unwrap_or(base.evidence),
        owner: change.owner.unwrap_or(base.owner),
        next_step: change.next_step.clone().unwrap_or(base.next_step),
        due_day: change.due_day.unwrap_or(base.due_day),
        rated_by: by,
        rated_at: now,
    })
}

pub(crate) fn status_from_db(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
}

/// Whether a database error is a unique-constraint violation (the same on both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
