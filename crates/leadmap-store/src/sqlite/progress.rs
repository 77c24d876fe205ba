//! Progress records on SQLite.

use async_trait::async_trait;
use rusqlite::{Row, params};

use super::{SqliteStore, collect, history, plans};
use crate::policy::{check_text, check_texts};
use crate::{
    Millis, Plan, Progress, ProgressStore, ResetScope, Result, Status, UserId, one_plan,
    status_from_db,
};

/// A progress row with its status still a word: checked by [`checked`] outside rusqlite.
pub(super) type RawProgress = (Progress, String);

/// A row of `roadmap, topic, status, note, updated_at`, in that order (every statement here
/// selects or returns those columns so): read by position, not by name, which is a string
/// comparison per column per row (a quarter of the roadmap page's time with a full roadmap).
fn progress(row: &Row) -> rusqlite::Result<RawProgress> {
    Ok((
        Progress {
            roadmap: row.get(0)?,
            topic: row.get(1)?,
            status: Status::Pending,
            note: row.get(3)?,
            updated_at: row.get(4)?,
        },
        row.get(2)?,
    ))
}

fn checked((mut p, status): RawProgress) -> Result<Progress> {
    p.status = status_from_db(&status)?;
    Ok(p)
}

pub(super) fn all_checked(rows: Vec<RawProgress>) -> Result<Vec<Progress>> {
    rows.into_iter().map(checked).collect()
}

/// A person's records of one roadmap, by topic (statuses checked by [`all_checked`]).
pub(super) fn of_roadmap(
    c: &rusqlite::Connection,
    user: UserId,
    roadmap: &str,
) -> rusqlite::Result<Vec<RawProgress>> {
    collect(
        c.prepare_cached(
            "SELECT roadmap, topic, status, note, updated_at FROM progress
             WHERE user_id = ?1 AND roadmap = ?2 ORDER BY topic",
        )?
        .query_map(params![user.0, roadmap], progress)?,
    )
}

const UPSERT: &str = "INSERT INTO progress (user_id, roadmap, topic, status, note, updated_at)
     VALUES (?1, ?2, ?3, ?4, COALESCE(?5, ''), ?6)
     ON CONFLICT (user_id, roadmap, topic) DO UPDATE
       SET status = excluded.status, note = COALESCE(?5, progress.note),
           updated_at = excluded.updated_at
     RETURNING roadmap, topic, status, note, updated_at";

/// [`crate::Store::set_progress_with_plan`] in one job of the writer: the write as
/// `set_progress` makes it, then the topic's plan read on the same connection (no read
/// connection taken, no read transaction of its own).
pub(super) async fn set_progress_with_plan(
    store: &SqliteStore,
    user: UserId,
    roadmap: &str,
    topic: &str,
    status: Status,
    note: Option<&str>,
    now: Millis,
) -> Result<(Progress, Plan)> {
    check_texts([roadmap, topic, note.unwrap_or_default()])?;
    let (roadmap, topic, note) = (
        roadmap.to_owned(),
        topic.to_owned(),
        note.map(str::to_owned),
    );
    store
        .write(move |c| {
            let record = write_record(c, user, &roadmap, &topic, status, note.as_deref(), now)?;
            let plan = plans::plan_rows(c, user, &roadmap, &topic)?;
            Ok((record, one_plan(&roadmap, &topic, plan)))
        })
        .await
}

/// `set_progress`'s write on the writer's connection: the history first (it reads the status
/// being left), then the upsert.
fn write_record(
    c: &rusqlite::Connection,
    user: UserId,
    roadmap: &str,
    topic: &str,
    status: Status,
    note: Option<&str>,
    now: Millis,
) -> Result<Progress> {
    history::record(c, user, roadmap, topic, status, now)?;
    let raw = c.prepare_cached(UPSERT)?.query_row(
        params![user.0, roadmap, topic, status.as_str(), note, now],
        progress,
    )?;
    checked(raw)
}

#[async_trait]
impl ProgressStore for SqliteStore {
    async fn set_progress(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        status: Status,
        note: Option<&str>,
        now: Millis,
    ) -> Result<Progress> {
        check_texts([roadmap, topic, note.unwrap_or_default()])?;
        let (roadmap, topic, note) = (
            roadmap.to_owned(),
            topic.to_owned(),
            note.map(str::to_owned),
        );
        self.write(move |c| write_record(c, user, &roadmap, &topic, status, note.as_deref(), now))
            .await
    }

    async fn import_progress(&self, user: UserId, records: &[Progress]) -> Result<u64> {
        check_texts(
            records
                .iter()
                .flat_map(|p| [p.roadmap.as_str(), p.topic.as_str(), p.note.as_str()]),
        )?;
        let records = records.to_vec();
        self.write(move |c| {
            let mut stmt = c.prepare_cached(UPSERT)?;
            for p in &records {
                history::record(c, user, &p.roadmap, &p.topic, p.status, p.updated_at)?;
                stmt.query_row(
                    params![
                        user.0,
                        p.roadmap,
                        p.topic,
                        p.status.as_str(),
                        p.note,
                        p.updated_at
                    ],
                    |_| Ok(()),
                )?;
            }
            Ok(records.len() as u64)
        })
        .await
    }

    async fn progress(&self, user: UserId, roadmap: &str) -> Result<Vec<Progress>> {
        check_text(roadmap)?;
        all_checked(self.read(|c| of_roadmap(c, user, roadmap))?)
    }

    async fn all_progress(&self, user: UserId) -> Result<Vec<Progress>> {
        all_checked(self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT roadmap, topic, status, note, updated_at FROM progress
                     WHERE user_id = ?1 ORDER BY roadmap, topic",
                )?
                .query_map([user.0], progress)?,
            )
        })?)
    }

    async fn reset_progress(
        &self,
        user: UserId,
        roadmap: &str,
        scope: ResetScope<'_>,
        now: Millis,
    ) -> Result<u64> {
        check_text(roadmap)?;
        if let ResetScope::Topics(topics) = scope {
            check_texts(topics.iter().map(String::as_str))?;
        }
        let roadmap = roadmap.to_owned();
        let topics: Option<Vec<String>> = match scope {
            ResetScope::Roadmap => None,
            ResetScope::Topics(t) => Some(t.to_vec()),
        };
        self.write(move |c| {
            history::reset(c, user, &roadmap, topics.as_deref(), now)?;
            let n = match topics {
                None => c.execute(
                    "DELETE FROM progress WHERE user_id = ?1 AND roadmap = ?2",
                    params![user.0, roadmap],
                )?,
                Some(topics) => {
                    let mut stmt = c.prepare_cached(
                        "DELETE FROM progress WHERE user_id = ?1 AND roadmap = ?2 AND topic = ?3",
                    )?;
                    let mut n = 0;
                    for t in &topics {
                        n += stmt.execute(params![user.0, roadmap, t])?;
                    }
                    n
                }
            };
            Ok(n as u64)
        })
        .await
    }
}
