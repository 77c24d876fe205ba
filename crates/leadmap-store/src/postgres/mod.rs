//! The PostgreSQL backend: several `leadmap serve` processes can share one database, since
//! sessions, tokens and sign-in throttling all live in it. Commits are durable with
//! PostgreSQL's default `synchronous_commit = on`.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

use crate::{Result, Store, StoreError};

mod assessments;
mod history;
mod page;
mod plans;
mod progress;
mod roadmaps;
mod sessions;
mod shares;
mod teams;
mod throttle;
mod tokens;
mod users;

/// How long the first connection may take before `open` gives up.
const FIRST_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A pooled connection idle for at least this long is pinged before it is handed out (and
/// replaced if the ping fails); one in steady use is not. sqlx's default pings on *every*
/// acquire: a round trip of its own before each statement, which doubled the round trips of a
/// page view or a progress write under load (bench/pg-floor.sh: the database's connections
/// sat idle 86 % of the time, waiting for the server, at 2,900 PUTs/s). A connection that died
/// within this window fails the one statement that finds it so, as it could between a ping
/// and its statement anyway.
const PING_IDLE_AFTER: Duration = Duration::from_secs(1);

/// The schema, one append-only step per file: (version, description, SQL). Listed by hand
/// rather than by `sqlx::migrate!`, which needs sqlx's `macros` feature and with it a second
/// build of the PostgreSQL driver for the compiler (a minute of the release build); the test
/// `the_migration_list_is_the_folder` holds the list to the files. The version and the
/// description are what `sqlx::migrate!` derived from the file name (`0003_token_expiry.sql`:
/// 3, "token expiry"), so databases it migrated go on as they were.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "attempts",
        include_str!("../../migrations/postgres/0002_attempts.sql"),
    ),
    (
        3,
        "token expiry",
        include_str!("../../migrations/postgres/0003_token_expiry.sql"),
    ),
    (
        4,
        "display name",
        include_str!("../../migrations/postgres/0004_display_name.sql"),
    ),
    (
        5,
        "history shares",
        include_str!("../../migrations/postgres/0005_history_shares.sql"),
    ),
    (
        6,
        "roadmaps",
        include_str!("../../migrations/postgres/0006_roadmaps.sql"),
    ),
    (
        7,
        "teams",
        include_str!("../../migrations/postgres/0007_teams.sql"),
    ),
    (
        8,
        "assessments",
        include_str!("../../migrations/postgres/0008_assessments.sql"),
    ),
    (
        9,
        "history day slots",
        include_str!("../../migrations/postgres/0009_history_day_slots.sql"),
    ),
    (
        10,
        "progress clock",
        include_str!("../../migrations/postgres/0010_progress_clock.sql"),
    ),
];

static MIGRATOR: std::sync::LazyLock<sqlx::migrate::Migrator> = std::sync::LazyLock::new(|| {
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    Migrator {
        migrations: std::borrow::Cow::Owned(
            MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        std::borrow::Cow::Borrowed(description),
                        MigrationType::Simple,
                        sqlx::SqlStr::from_static(sql),
                        sql.starts_with("-- no-transaction"),
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
});

#[derive(Debug, Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
}

impl PgStore {
    /// Connects and brings the schema up to date (migrations take an advisory lock, so several
    /// servers starting at once do not race).
    ///
    /// One connection is made first, alone and at once: a server that refuses it (nothing
    /// listening on the port) is reported as such straight away, not after the pool's acquire
    /// timeout (which retries a refused connection until it runs out).
    pub async fn open(url: &str) -> Result<PgStore> {
        let options: PgConnectOptions = url.parse()?;
        let connect_error = |source| StoreError::Connect {
            addr: format!("{}:{}", options.get_host(), options.get_port()),
            source,
        };
        match tokio::time::timeout(FIRST_CONNECT_TIMEOUT, PgConnection::connect_with(&options))
            .await
        {
            Ok(Ok(first)) => {
                // Nothing was sent on it; a failed goodbye changes nothing.
                let _ = first.close().await;
            }
            Ok(Err(e)) => return Err(connect_error(e)),
            Err(_) => {
                return Err(connect_error(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "no answer within {} seconds",
                        FIRST_CONNECT_TIMEOUT.as_secs()
                    ),
                ))));
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_IDLE_AFTER {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options.clone())
            .await?;
        // A database that a newer leadmap migrated is left as it is: nothing runs on it.
        let found = stored_version(&mut *pool.acquire().await?).await?;
        if let Some(version) = found
            && version > crate::SCHEMA_VERSION
        {
            pool.close().await;
            return Err(StoreError::Refused(format!(
                "the database's schema is version {version}, newer than this leadmap knows \
                 ({}); use a newer leadmap",
                crate::SCHEMA_VERSION
            )));
        }
        MIGRATOR.run(&pool).await?;
        Ok(PgStore {
            read: pool.clone(),
            write: pool,
        })
    }
}

/// The last migration the database records, `None` for a database Leadmap never migrated.
async fn stored_version(db: &mut PgConnection) -> Result<Option<i64>> {
    let has_table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut *db)
        .await?;
    if !has_table {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(db)
            .await?,
    )
}

/// What a look at a PostgreSQL database found, without migrating it.
#[derive(Debug, Clone)]
pub struct PgInfo {
    /// `host:port`.
    pub addr: String,
    pub database: String,
    /// `server_version` as the server reports it ("17.2 (Debian 17.2-1)").
    pub server_version: String,
    /// The last migration applied; `None` when Leadmap never ran on it.
    pub schema_version: Option<i64>,
}

/// Connects to the database `url` names and reports its server version and schema version;
/// changes nothing (no migration runs).
pub async fn probe(url: &str) -> Result<PgInfo> {
    let options: PgConnectOptions = url.parse()?;
    let addr = format!("{}:{}", options.get_host(), options.get_port());
    let mut conn =
        match tokio::time::timeout(FIRST_CONNECT_TIMEOUT, PgConnection::connect_with(&options))
            .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(source)) => return Err(StoreError::Connect { addr, source }),
            Err(_) => {
                return Err(StoreError::Connect {
                    addr,
                    source: sqlx::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "no answer in time",
                    )),
                });
            }
        };
    let server_version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut conn)
        .await?;
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await?;
    let schema_version = stored_version(&mut conn).await?;
    let _ = conn.close().await;
    Ok(PgInfo {
        addr,
        database,
        server_version,
        schema_version,
    })
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn integrity_check(&self) -> Result<Vec<String>> {
        // PostgreSQL keeps its own invariants; check ours: no progress row with a status this
        // version does not know (the CHECK constraint makes that impossible unless edited away).
        let bad: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM progress
             WHERE status NOT IN ('pending', 'learning', 'done', 'skipped')",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(if bad > 0 {
            vec![format!("{bad} progress rows hold an unknown status")]
        } else {
            Vec::new()
        })
    }

    async fn schema_version(&self) -> Result<i64> {
        Ok(stored_version(&mut *self.read.acquire().await?)
            .await?
            .unwrap_or(0))
    }

    async fn server_version(&self) -> Result<String> {
        let v: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&self.read)
            .await?;
        Ok(format!("PostgreSQL {v}"))
    }

    async fn backup(&self, _dest: &std::path::Path) -> Result<()> {
        Err(StoreError::Unsupported(
            "leadmap does not copy a PostgreSQL database itself: use pg_dump".into(),
        ))
    }

    async fn session_page(
        &self,
        token_hash: &[u8],
        now: crate::Millis,
        roadmap: &str,
        due_until_day: i64,
    ) -> Result<Option<(crate::Session, crate::User, crate::PageReads)>> {
        crate::policy::check_text(roadmap)?;
        page::session_page(self, token_hash, now, roadmap, due_until_day).await
    }

    async fn set_progress_with_plan(
        &self,
        user: crate::UserId,
        roadmap: &str,
        topic: &str,
        status: crate::Status,
        note: Option<&str>,
        now: crate::Millis,
    ) -> Result<(crate::Progress, crate::Plan)> {
        progress::set_progress_with_plan(self, user, roadmap, topic, status, note, now).await
    }
}

#[cfg(test)]
mod tests {
    /// Every file of `migrations/postgres` is in `MIGRATIONS`, with the version and the
    /// description its name gives, and nothing else is.
    #[test]
    fn the_migration_list_is_the_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
        let mut files: Vec<(i64, String, String)> = std::fs::read_dir(dir)
            .expect("the migrations folder")
            .filter_map(|e| {
                let e = e.ok()?;
                let name = e.file_name().into_string().ok()?;
                let stem = name.strip_suffix(".sql")?;
                let (v, d) = stem.split_once('_')?;
                let sql = std::fs::read_to_string(e.path()).ok()?;
                Some((v.parse().ok()?, d.replace('_', " "), sql))
            })
            .collect();
        files.sort();
        let listed: Vec<(i64, String, String)> = super::MIGRATIONS
            .iter()
            .map(|&(v, d, sql)| (v, d.to_owned(), sql.to_owned()))
            .collect();
        assert_eq!(
            listed.iter().map(|m| (m.0, &m.1)).collect::<Vec<_>>(),
            files.iter().map(|m| (m.0, &m.1)).collect::<Vec<_>>(),
            "add each new file of migrations/postgres to MIGRATIONS"
        );
        assert_eq!(listed, files);
    }

    #[test]
    fn the_schema_version_counts_the_migrations() {
        assert_eq!(super::MIGRATOR.iter().count() as i64, crate::SCHEMA_VERSION);
    }
}
