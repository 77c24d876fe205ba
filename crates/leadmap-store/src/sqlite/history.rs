//! The history of status changes on SQLite: [`record`] is called by the progress writes, in
//! their savepoint, before the progress row changes; the reads serve the activity page.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::{SqliteStore, collect};
use crate::policy::{DAY_MS, HISTORY_COALESCE_MS, HISTORY_PAGE_MAX, check_text, finished};
use crate::{
    Change, HistoryDay, HistoryFilter, HistoryStore, Millis, Result, Status, UserId, status_from_db,
};

/// Records that the person's topic is about to change to `to` at `at`: reads the status it
/// leaves, then appends a row (or folds into the topic's row of the last
/// [`HISTORY_COALESCE_MS`]) and moves the day's counts. Nothing when the status stays.
pub(super) fn record(
    c: &Connection,
    user: UserId,
    roadmap: &str,
    topic: &str,
    to: Status,
    at: Millis,
) -> Result<()> {
    let from: Option<String> = c
        .prepare_cached(
            "SELECT status FROM progress WHERE user_id = ?1 AND roadmap = ?2 AND topic = ?3",
        )?
        .query_row(params![user.0, roadmap, topic], |r| r.get(0))
        .optional()?;
    let from = from.as_deref().map(status_from_db).transpose()?;
    if from.unwrap_or_default() == to {
        return Ok(());
    }
    let delta = i64::from(finished(Some(to))) - i64::from(finished(from));
    let recent: Option<(i64, Option<String>, Millis)> = c
        .prepare_cached(
            "SELECT id, from_status, at FROM progress_history
             WHERE user_id = ?1 AND at >= ?2 AND at <= ?3 AND roadmap = ?4 AND topic = ?5
             ORDER BY at DESC, id DESC LIMIT 1",
        )?
        .query_row(
            params![user.0, at - HISTORY_COALESCE_MS, at, roadmap, topic],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let day_change = |day: i64, changes: i64, done: i64| -> Result<()> {
        c.prepare_cached(
            "INSERT INTO history_days (user_id, roadmap, day, changes, done_delta)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (user_id, roadmap, day) DO UPDATE
             SET changes = changes + excluded.changes,
                 done_delta = done_delta + excluded.done_delta",
        )?
        .execute(params![user.0, roadmap, day, changes, done])?;
        Ok(())
    };
    match recent {
        Some((id, start, row_at)) => {
            let start = start.as_deref().map(status_from_db).transpose()?;
            if start.unwrap_or_default() == to {
                c.prepare_cached("DELETE FROM progress_history WHERE id = ?1")?
                    .execute([id])?;
                day_change(row_at.div_euclid(DAY_MS), -1, 0)?;
            } else {
                c.prepare_cached("UPDATE progress_history SET to_status = ?2 WHERE id = ?1")?
                    .execute(params![id, to.as_str()])?;
            }
            if delta != 0 {
                day_change(at.div_euclid(DAY_MS), 0, delta)?;
            }
        }
        None => {
            c.prepare_cached(
                "INSERT INTO progress_history (user_id, roadmap, topic, from_status, to_status, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                user.0,
                roadmap,
                topic,
                from.map(Status::as_str),
                to.as_str(),
                at
            ])?;
            day_change(at.div_euclid(DAY_MS), 1, delta)?;
        }
    }
    Ok(())
}

type RawChange = (i64, String, String, Option<String>, String, Millis);

fn change((id, roadmap, topic, from, to, at): RawChange) -> Result<Change> {
    Ok(Change {
        id,
        roadmap,
        topic,
        from: from.as_deref().map(status_from_db).transpose()?,
        to: status_from_db(&to)?,
        at,
    })
}

#[async_trait]
impl HistoryStore for SqliteStore {
    async fn history(&self, user: UserId, f: &HistoryFilter) -> Result<Vec<Change>> {
        if let Some(r) = &f.roadmap {
            check_text(r)?;
        }
        let limit = f.limit.min(HISTORY_PAGE_MAX);
        let (before_at, before_id) = f.before.unwrap_or((Millis::MAX, i64::MAX));
        let rows = self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT id, roadmap, topic, from_status, to_status, at FROM progress_history
                     WHERE user_id = ?1
                       AND (?2 IS NULL OR roadmap = ?2)
                       AND (?3 IS NULL OR to_status = ?3)
                       AND at >= ?4 AND at < ?5
                       AND (at < ?6 OR (at = ?6 AND id < ?7))
                     ORDER BY at DESC, id DESC LIMIT ?8",
                )?
                .query_map(
                    params![
                        user.0,
                        f.roadmap,
                        f.to.map(Status::as_str),
                        f.since.unwrap_or(Millis::MIN),
                        f.until.unwrap_or(Millis::MAX),
                        before_at,
                        before_id,
                        limit
                    ],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )?,
            )
        })?;
        rows.into_iter().map(change).collect()
    }

    async fn history_days(&self, user: UserId, since_day: Option<i64>) -> Result<Vec<HistoryDay>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT roadmap, day, changes, done_delta FROM history_days
                     WHERE user_id = ?1 AND day >= ?2 AND (changes <> 0 OR done_delta <> 0)
                     ORDER BY roadmap, day",
                )?
                .query_map(
                    params![user.0, since_day.unwrap_or(i64::MIN)],
                    |r| {
                        Ok(HistoryDay {
                            roadmap: r.get(0)?,
                            day: r.get(1)?,
                            changes: r.get(2)?,
                            done_delta: r.get(3)?,
                        })
                    },
                )?,
            )
        })
    }

    async fn history_len(&self, user: UserId) -> Result<i64> {
        self.read(|c| {
            c.prepare_cached("SELECT COUNT(*) FROM progress_history WHERE user_id = ?1")?
                .query_row([user.0], |r| r.get(0))
        })
    }
}

/// Records the changes to pending that a reset of `topics` (`None`: the whole roadmap) makes.
pub(super) fn reset(
    c: &Connection,
    user: UserId,
    roadmap: &str,
    topics: Option<&[String]>,
    at: Millis,
) -> Result<()> {
    let topics: Vec<String> = match topics {
        Some(t) => t.to_vec(),
        None => collect(
            c.prepare_cached(
                "SELECT topic FROM progress
                 WHERE user_id = ?1 AND roadmap = ?2 AND status <> 'pending'",
            )?
            .query_map(params![user.0, roadmap], |r| r.get(0))?,
        )?,
    };
    for t in &topics {
        record(c, user, roadmap, t, Status::Pending, at)?;
    }
    Ok(())
}
