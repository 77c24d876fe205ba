//! The SQLite backend: one file in WAL mode, `synchronous=FULL` (a commit is on disk when it
//! returns), foreign keys on, a busy timeout for other processes (a `leadmap mark` beside a
//! running server).
//!
//! Reads and writes take different roads, both chosen by measurement (`bench/http.sh`):
//!
//! - **Reads** run on the calling thread, on a connection taken from a small idle list. In WAL
//!   mode a reader never waits for the writer, and the indexed reads this store makes take
//!   microseconds: handing them to another thread and back (as an async driver must) cost more
//!   than the query itself.
//! - **Writes** go to one writer thread, which owns the only write connection. It takes every
//!   write waiting in its queue, runs each in a savepoint of one shared transaction, commits once
//!   and only then answers each caller (group commit): under load, many acknowledged writes share
//!   one fsync, and writers queue in the program instead of meeting "database is locked". A write
//!   that fails rolls back its own savepoint only; a failed commit fails every write of the batch.
//! - **Checkpoints** (copying the WAL back into the database file) run on a third thread, as
//!   passive checkpoints that never block the writer: done by the writer itself, as SQLite
//!   does by default, one every thousand pages stalled every write for tens of milliseconds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{mpsc, oneshot};

use crate::{Result, Store, StoreError};

pub use backup::{BackupInfo, backup_file, check_backup, restore_file};

mod assessments;
mod backup;
mod history;
mod page;
mod plans;
mod progress;
pub(crate) mod roadmaps;
mod sessions;
mod shares;
mod teams;
mod throttle;
mod tokens;
mod users;

/// The schema, one append-only step per file. `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_attempts.sql"),
    include_str!("../../migrations/sqlite/0003_token_expiry.sql"),
    include_str!("../../migrations/sqlite/0004_display_name.sql"),
    include_str!("../../migrations/sqlite/0005_history_shares.sql"),
    include_str!("../../migrations/sqlite/0006_roadmaps.sql"),
    include_str!("../../migrations/sqlite/0007_teams.sql"),
    include_str!("../../migrations/sqlite/0008_assessments.sql"),
    include_str!("../../migrations/sqlite/0009_history_day_slots.sql"),
    include_str!("../../migrations/sqlite/0010_progress_clock.sql"),
];

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The most writes one commit carries.
const MAX_BATCH: usize = 512;
/// The least time between two checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// WAL pages after which a commit checkpoints by itself (SQLite's default is 1,000): only
/// reached when the checkpoint thread falls behind.
const FALLBACK_CHECKPOINT_PAGES: i64 = 20_000;
/// Idle read connections kept open.
const MAX_IDLE_READERS: usize = 8;

/// A job for the writer thread: it runs against the open transaction and returns what to do
/// once the commit's outcome is known.
type Job = Box<dyn FnOnce(&mut Connection) -> Reply + Send>;
type Reply = Box<dyn FnOnce(std::result::Result<(), Arc<rusqlite::Error>>) + Send>;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    jobs: mpsc::Sender<Job>,
}

impl SqliteStore {
    /// Opens (creating when missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.to_owned(),
                source: e,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // First the schema: a database this build does not know is left as it was.
        migrate(&mut conn)?;
        // WAL is a property of the file; the rest are per connection.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt(format!(
                "{} cannot use write-ahead logging (journal mode {mode})",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        // Checkpoints (copying the WAL back into the database file, with an fsync of its own)
        // run on a thread of their own, so that the writer never stops for one; SQLite's
        // automatic checkpoint is the fallback should that thread fall far behind.
        conn.pragma_update(None, "wal_autocheckpoint", FALLBACK_CHECKPOINT_PAGES)?;
        // A WAL that grew under a burst of writes is cut back when it next starts over.
        conn.query_row("PRAGMA journal_size_limit = 33554432", [], |_| Ok(()))?;
        let checkpoints = Connection::open(path)?;
        checkpoints.busy_timeout(BUSY_TIMEOUT)?;

        let (jobs, queue) = mpsc::channel::<Job>(4 * MAX_BATCH);
        let (poke, pokes) = std::sync::mpsc::sync_channel::<()>(1);
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(f)
                .map(drop)
                .map_err(|e| StoreError::Io {
                    path: path.to_owned(),
                    source: e,
                })
        };
        spawn(
            "leadmap-sqlite-checkpoint",
            Box::new(move || checkpointer(checkpoints, pokes)),
        )?;
        spawn(
            "leadmap-sqlite-writer",
            Box::new(move || writer(conn, queue, poke)),
        )?;
        let store = SqliteStore {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                readers: Mutex::new(Vec::new()),
                jobs,
            }),
        };
        // Fail now, not at the first page, when the file cannot be read.
        store.read(|c| c.query_row("SELECT 1", [], |_| Ok(())))?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on an idle read connection (opening one when none is idle).
    fn read<R>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<R>) -> Result<R> {
        let conn = self.reader()?;
        let r = f(&conn);
        self.give_back(conn);
        Ok(r?)
    }

    /// An idle read connection, or a new one.
    fn reader(&self) -> Result<Connection> {
        let idle = self
            .inner
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        Ok(match idle {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.inner.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(BUSY_TIMEOUT)?;
                c
            }
        })
    }

    /// Keeps a read connection for the next read (up to [`MAX_IDLE_READERS`]).
    fn give_back(&self, conn: Connection) {
        let mut idle = self
            .inner
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
    }

    /// Runs `f` in the writer thread's next transaction; answers once it is committed.
    async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        let (tx, rx) = oneshot::channel::<Result<R>>();
        let job: Job = Box::new(move |conn: &mut Connection| {
            let result = savepoint(conn, f);
            Box::new(
                move |commit: std::result::Result<(), Arc<rusqlite::Error>>| {
                    let answer = match (result, commit) {
                        (Ok(r), Ok(())) => Ok(r),
                        (Err(e), _) => Err(e),
                        (Ok(_), Err(e)) => Err(StoreError::Commit(e)),
                    };
                    // The caller may have gone (a dropped request); the write stands anyway.
                    let _ = tx.send(answer);
                },
            )
        });
        self.inner
            .jobs
            .send(job)
            .await
            .map_err(|_| StoreError::WriterGone)?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }
}

/// Runs `f` inside a savepoint: kept when it succeeds, undone alone when it fails.
fn savepoint<R>(conn: &mut Connection, f: impl FnOnce(&Connection) -> Result<R>) -> Result<R> {
    let sp = conn.savepoint()?;
    let r = f(&sp)?;
    sp.commit()?;
    Ok(r)
}

/// The writer thread: a batch per wake-up, one commit per batch; after each commit it asks
/// the checkpoint thread for a checkpoint.
fn writer(
    mut conn: Connection,
    mut queue: mpsc::Receiver<Job>,
    checkpoint: std::sync::mpsc::SyncSender<()>,
) {
    while let Some(first) = queue.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // Should BEGIN fail (another process holding the lock past the busy timeout), each
        // job's savepoint runs as a transaction of its own and reports its own error.
        let began = conn.execute_batch("BEGIN IMMEDIATE").is_ok();
        let replies: Vec<Reply> = batch.into_iter().map(|job| job(&mut conn)).collect();
        let commit = if began {
            conn.execute_batch("COMMIT").map_err(|e| {
                let _ = conn.execute_batch("ROLLBACK");
                Arc::new(e)
            })
        } else {
            Ok(())
        };
        for reply in replies {
            reply(commit.clone());
        }
        // A request is pending already when the channel is full: nothing to add.
        let _ = checkpoint.try_send(());
    }
}

/// The checkpoint thread: a passive checkpoint (it never blocks the writer or a reader) after
/// writes, at most one per [`CHECKPOINT_EVERY`], until the writer stops.
fn checkpointer(conn: Connection, pokes: std::sync::mpsc::Receiver<()>) {
    while pokes.recv().is_ok() {
        // A failed checkpoint loses nothing: the frames stay in the WAL for the next one.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        std::thread::sleep(CHECKPOINT_EVERY);
    }
    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
}

/// The schema version a database file records: `PRAGMA user_version`, or for a database made
/// by an earlier build (which used sqlx's migrator), the last step in sqlx's table.
pub(super) fn stored_version(conn: &Connection) -> Result<i64> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != 0 {
        return Ok(version);
    }
    let sqlx_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')",
        [],
        |r| r.get(0),
    )?;
    if !sqlx_table {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
        [],
        |r| r.get(0),
    )?)
}

/// Brings the schema up to date, each step in its own transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let version = stored_version(conn)?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(StoreError::Corrupt(format!(
            "the database's schema is version {version}, newer than this leadmap knows \
             ({known}); use a newer leadmap"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

pub(crate) fn collect<T>(
    rows: impl Iterator<Item = rusqlite::Result<T>>,
) -> rusqlite::Result<Vec<T>> {
    rows.collect()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.reader()?;
        let r = backup::problems(&conn);
        self.give_back(conn);
        r
    }

    async fn schema_version(&self) -> Result<i64> {
        self.read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
    }

    async fn server_version(&self) -> Result<String> {
        self.read(|c| c.query_row("SELECT sqlite_version()", [], |r| r.get(0)))
            .map(|v: String| format!("SQLite {v}"))
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

    async fn backup(&self, dest: &Path) -> Result<()> {
        let (src, dest) = (self.inner.path.clone(), dest.to_owned());
        tokio::task::spawn_blocking(move || backup_file(&src, &dest).map(drop))
            .await
            .map_err(|e| StoreError::Io {
                path: self.inner.path.clone(),
                source: std::io::Error::other(e),
            })?
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::prelude::*;
    use crate::{Millis, Status, UserName};

    const T0: Millis = 1_700_000_000_000;

    #[test]
    fn the_schema_version_counts_the_migrations() {
        assert_eq!(MIGRATIONS.len() as i64, crate::SCHEMA_VERSION);
    }

    #[tokio::test]
    async fn a_database_made_by_an_earlier_build_opens_without_rerunning_its_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(MIGRATIONS[0]).unwrap();
            // The bookkeeping table sqlx's migrator kept.
            c.execute_batch(
                "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT,
                   installed_on TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB,
                   execution_time BIGINT);
                 INSERT INTO _sqlx_migrations VALUES (1, 'initial', 0, TRUE, x'00', 0);
                 INSERT INTO users (name, name_key, password_hash, created_at)
                   VALUES ('Ana', 'ana', 'h', 0);",
            )
            .unwrap();
        }
        let s = SqliteStore::open(&path).await.unwrap();
        assert_eq!(s.user_count().await.unwrap(), 1);
        let bob = UserName::parse("bob").unwrap();
        s.create_user(&bob, "h", false, T0).await.unwrap();
        assert_eq!(s.user_count().await.unwrap(), 2);
    }

    /// The checkpoint thread copies committed writes from the WAL into the database file
    /// while the store stays open (a copy of the file alone, without its WAL, holds them).
    #[tokio::test]
    async fn committed_writes_reach_the_database_file_while_the_store_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.db");
        let s = SqliteStore::open(&path).await.unwrap();
        let ana = s
            .create_user(&UserName::parse("ana").unwrap(), "h", false, T0)
            .await
            .unwrap();
        for i in 0..300 {
            s.set_progress(ana.id, "el", &format!("t{i}"), Status::Done, None, T0)
                .await
                .unwrap();
        }
        let copy = dir.path().join("copy.db");
        let mut in_file = 0;
        for _ in 0..100 {
            std::fs::copy(&path, &copy).unwrap();
            in_file = Connection::open(&copy)
                .unwrap()
                .query_row("SELECT COUNT(*) FROM progress", [], |r| r.get(0))
                .unwrap_or(0);
            if in_file == 300 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            in_file, 300,
            "the database file alone holds {in_file} of 300 records"
        );
    }

    #[tokio::test]
    async fn a_database_from_a_newer_leadmap_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA user_version = 99; CREATE TABLE future (x);")
            .unwrap();
        let err = SqliteStore::open(&path).await.unwrap_err().to_string();
        assert!(
            err.contains("version 99, newer than this leadmap knows"),
            "{err}"
        );
        let mode: String = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete", "the file's journal mode was changed");
        let tables: i64 = Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 1);
    }
}
