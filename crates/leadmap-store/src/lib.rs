//! Leadmap's storage: one [`Store`] trait, with a SQLite backend ([`sqlite::SqliteStore`], the
//! default: one file, WAL, a busy timeout, foreign keys on, `synchronous=FULL`) and a PostgreSQL
//! backend ([`postgres::PgStore`]). Each backend has its own SQL and its own append-only
//! migrations (`migrations/sqlite`, `migrations/postgres`), run when the store opens.
//!
//! Invariants (see `ARCHITECTURE.md`): this crate knows nothing of HTTP, HTML, passwords in
//! clear or the roadmap format; it stores what it is given, keyed by (user, roadmap id, topic id),
//! and never deletes progress except when the person asks (`reset_progress`, `delete_user`).
//! Both backends pass the same conformance suite (`tests/conformance.rs`).

use std::fmt;

use async_trait::async_trait;
pub use leadmap_core::progress::Status;

pub mod postgres;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

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
    /// The commit that carried this write failed: the write was not stored.
    #[error("the database could not commit: {0}")]
    Commit(String),
    /// The SQLite writer thread has stopped (the program is shutting down).
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value this version cannot read (a status word it does not know, say).
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

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

/// A user name: 1–64 characters of letters, digits, `.`, `_` and `-`. Names compare without
/// regard to case (`Ana` and `ana` are one user).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserName(String);

impl UserName {
    pub const MAX: usize = 64;

    pub fn parse(s: &str) -> Result<UserName, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("a user name is needed".into());
        }
        if s.chars().count() > Self::MAX {
            return Err(format!("a user name has at most {} characters", Self::MAX));
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "a user name is letters, digits, '.', '_' and '-'; {c:?} is not allowed"
            ));
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
    pub is_admin: bool,
    pub created_at: Millis,
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

/// Everything Leadmap keeps. Each method is one transaction: when it returns `Ok`, the change
/// is durably stored.
#[async_trait]
pub trait Store: Send + Sync + fmt::Debug {
    /// Which backend this is ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    // Users.
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
    /// Deletes the user with their sessions, tokens and progress.
    async fn delete_user(&self, id: UserId) -> Result<bool>;

    // Sessions.
    async fn create_session(
        &self,
        user: UserId,
        token_hash: &[u8],
        csrf: &str,
        user_agent: &str,
        now: Millis,
    ) -> Result<Session>;
    /// The session (as it was: `last_seen` is when it was last used before this call) and its
    /// user; the stored `last_seen` is moved to `now` when it is older than a minute.
    async fn session(&self, token_hash: &[u8], now: Millis) -> Result<Option<(Session, User)>>;
    async fn sessions(&self, user: UserId) -> Result<Vec<Session>>;
    /// Deletes one of the user's sessions; false when the user has no such session.
    async fn delete_session(&self, user: UserId, id: i64) -> Result<bool>;
    /// Deletes every session of the user but `keep`; returns how many went.
    async fn delete_sessions(&self, user: UserId, keep: Option<i64>) -> Result<u64>;

    // Personal access tokens.
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        now: Millis,
    ) -> Result<Token>;
    async fn token_user(&self, token_hash: &[u8], now: Millis) -> Result<Option<User>>;
    async fn tokens(&self, user: UserId) -> Result<Vec<Token>>;
    async fn delete_token(&self, user: UserId, id: i64) -> Result<bool>;

    // Progress.
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
    async fn reset_progress(
        &self,
        user: UserId,
        roadmap: &str,
        scope: ResetScope<'_>,
    ) -> Result<u64>;

    // Sign-in throttling, kept in the database so that several servers share it.
    async fn record_login_failure(&self, key: &str, now: Millis) -> Result<()>;
    async fn login_failures_since(&self, key: &str, since: Millis) -> Result<i64>;
    async fn clear_login_failures(&self, key: &str) -> Result<()>;

    /// Runs the backend's own consistency check (SQLite `PRAGMA integrity_check`); returns the
    /// problems found, none when the database is sound.
    async fn integrity_check(&self) -> Result<Vec<String>>;
}

/// Opens the store a URL names: `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite://PATH`,
/// `sqlite:PATH` or a plain path for SQLite (the file and its directory are made when missing).
pub async fn open(url: &str) -> Result<Box<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::PgStore::open(url).await?))
    } else if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Ok(Box::new(sqlite::SqliteStore::open(path.as_ref()).await?))
    } else if url.contains("://") || url.is_empty() {
        Err(StoreError::BadUrl(url.to_owned()))
    } else {
        Ok(Box::new(sqlite::SqliteStore::open(url.as_ref()).await?))
    }
}

pub(crate) fn status_from_db(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown status {s:?}")))
}

/// Whether a database error is a unique-constraint violation (the same on both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
