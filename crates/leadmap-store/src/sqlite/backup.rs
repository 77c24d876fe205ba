//! Backups of a SQLite database, safe while a server writes to it, and their restore.
//!
//! A backup is `VACUUM INTO` a temporary file beside the destination, run in one read
//! transaction of its own connection: a consistent snapshot of every commit made before that
//! transaction began (in WAL mode it never waits for the writer, nor the writer for it). The
//! file is then flushed to disk and renamed into place, so a backup file is either whole or
//! absent. A file copy of a live WAL database is never taken: it can miss commits that are
//! still in the WAL, or tear a page being checkpointed.
//!
//! A restore checks the backup first (`PRAGMA integrity_check`, the foreign keys, a schema
//! version this build knows) and then copies it page by page into the target with SQLite's
//! online backup API, which takes the target's locks like any writer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, MIGRATIONS, collect, stored_version};
use crate::{Result, StoreError};

/// What a backup or a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The schema version of the copy (`PRAGMA user_version`).
    pub schema_version: i64,
    /// The size of the copy in bytes.
    pub bytes: u64,
    /// The accounts in the copy.
    pub users: i64,
    /// The progress records in the copy.
    pub records: i64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Opens an existing database file without creating it.
fn open_existing(path: &Path, flags: OpenFlags) -> Result<Connection> {
    if !path.is_file() {
        return Err(StoreError::Refused(format!(
            "{}: no database file there",
            path.display()
        )));
    }
    let c = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    Ok(c)
}

/// Backs up the database file `src` (which a server may be writing to) into the new file
/// `dest`. Refuses to write over an existing file. Nothing is migrated: the copy has the
/// schema the source has.
pub fn backup_file(src: &Path, dest: &Path) -> Result<BackupInfo> {
    let conn = open_existing(src, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    vacuum_into(&conn, dest)?;
    inspect(dest)
}

/// `VACUUM INTO` a temporary file beside `dest`, flushed, then renamed to `dest`.
pub(super) fn vacuum_into(conn: &Connection, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(StoreError::Refused(format!(
            "{} exists already; a backup never writes over a file",
            dest.display()
        )));
    }
    let dir = match dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_owned(),
        None => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let partial = dir.join(format!(".{name}.partial-{}", std::process::id()));
    // A partial file of an earlier run of this process id that died: never a backup.
    let _ = std::fs::remove_file(&partial);
    let written = conn
        .execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(StoreError::from)
        .and_then(|_| {
            // SQLite does not flush the file VACUUM INTO writes; a backup must be on disk
            // before it is called one.
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(io(&partial))
        })
        .and_then(|()| publish(&partial, dest));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    // The rename itself is durable once the directory is flushed.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Gives the finished `partial` file the name `dest`, unless a file took that name meanwhile:
/// a hard link fails when `dest` exists (a rename would replace it). Where the file system
/// has no hard links, a rename.
fn publish(partial: &Path, dest: &Path) -> Result<()> {
    match std::fs::hard_link(partial, dest) {
        Ok(()) => std::fs::remove_file(partial).map_err(io(partial)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(partial);
            Err(StoreError::Refused(format!(
                "{} exists already; a backup never writes over a file",
                dest.display()
            )))
        }
        Err(_) => std::fs::rename(partial, dest).map_err(io(dest)),
    }
}

/// Checks a backup file: SQLite's integrity check and foreign-key check pass, and its
/// schema is one this build knows (a Leadmap database, not newer than this build).
pub fn check_backup(path: &Path) -> Result<BackupInfo> {
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let problems = problems(&conn)?;
    if !problems.is_empty() {
        return Err(StoreError::Refused(format!(
            "{} fails SQLite's integrity check: {}",
            path.display(),
            problems.join("; ")
        )));
    }
    let version = stored_version(&conn)?;
    let known = MIGRATIONS.len() as i64;
    if version < 1 {
        return Err(StoreError::Refused(format!(
            "{} is not a Leadmap database (it has no Leadmap schema)",
            path.display()
        )));
    }
    if version > known {
        return Err(StoreError::Refused(format!(
            "{} has schema version {version}, newer than this leadmap knows ({known}); use a \
             newer leadmap",
            path.display()
        )));
    }
    drop(conn);
    inspect(path)
}

/// Restores the backup `backup` into the database file `target`: refuses a target that holds
/// anything unless `force`, checks the backup ([`check_backup`]) before touching the target,
/// then copies it with SQLite's online backup API and checks the result.
pub fn restore_file(backup: &Path, target: &Path, force: bool) -> Result<BackupInfo> {
    check_backup(backup)?;
    if !force && let Some(what) = holds_data(target) {
        return Err(StoreError::Refused(format!(
            "{} is not empty ({what}); restore into a new path, or pass --force to replace it \
             (stop the server first)",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let src = open_existing(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut dst = Connection::open(target)?;
    dst.busy_timeout(BUSY_TIMEOUT)?;
    {
        let copy = rusqlite::backup::Backup::new(&src, &mut dst)?;
        let mut busy = 0;
        loop {
            match copy.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ if busy < 50 => {
                    busy += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => {
                    return Err(StoreError::Refused(format!(
                        "{} stayed locked ({other:?}); stop the server using it",
                        target.display()
                    )));
                }
            }
        }
    }
    let problems = problems(&dst)?;
    if !problems.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "the restored {} fails SQLite's integrity check: {}",
            target.display(),
            problems.join("; ")
        )));
    }
    drop(dst);
    inspect(target)
}

/// What a database file holds, when it holds anything: `None` for a path with no file, an
/// empty file, or a database without tables.
fn holds_data(path: &Path) -> Option<String> {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Some("a write-ahead log beside it".into());
    }
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        return Some("a directory".into());
    }
    if meta.len() == 0 {
        return None;
    }
    let tables: Option<i64> = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0)))
        .ok();
    match tables {
        Some(0) => None,
        Some(n) => Some(format!("{n} tables and indexes")),
        None => Some(format!(
            "{} bytes that are not a SQLite database",
            meta.len()
        )),
    }
}

/// The problems `PRAGMA integrity_check` and `PRAGMA foreign_key_check` report.
pub(super) fn problems(c: &Connection) -> Result<Vec<String>> {
    let mut problems: Vec<String> = collect(
        c.prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get::<_, String>(0))?,
    )?
    .into_iter()
    .filter(|r| r != "ok")
    .collect();
    let broken = collect(
        c.prepare("PRAGMA foreign_key_check")?
            .query_map([], |_| Ok(()))?,
    )?
    .len();
    if broken > 0 {
        problems.push(format!("{broken} rows break a foreign key"));
    }
    Ok(problems)
}

/// The schema version, size and counts of a database file.
fn inspect(path: &Path) -> Result<BackupInfo> {
    let conn = open_existing(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let count = |table: &str| -> Result<i64> {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(0);
        }
        Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupInfo {
        schema_version: stored_version(&conn)?,
        bytes: std::fs::metadata(path).map_err(io(path))?.len(),
        users: count("users")?,
        records: count("progress")?,
    })
}
