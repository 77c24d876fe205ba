//! Progress records on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::{PgStore, history};
use crate::policy::{HISTORY_COALESCE_MS, check_text, check_texts};
use crate::{
    Millis, Plan, Progress, ProgressStore, ResetScope, Result, Status, UserId, status_from_db,
};

/// A row of `roadmap, topic, status, note, updated_at`, in that order (every statement here
/// selects or returns those columns so), read by position.
fn progress(row: &PgRow) -> Result<Progress> {
    let status: &str = row.try_get(2)?;
    Ok(Progress {
        roadmap: row.try_get(0)?,
        topic: row.try_get(1)?,
        status: status_from_db(status)?,
        note: row.try_get(3)?,
        updated_at: row.try_get(4)?,
    })
}

/// The history function, as the first part of a `WITH`: `$1` user, `$2` roadmap, `$3` topic,
/// `$4` status, `$6` now, `$7` the history's coalescing window. It runs first (it locks the
/// record and reads the status being left).
macro_rules! changed {
    () => {
        "WITH changed AS (SELECT leadmap_record_change($1, $2, $3, $4, $6, $7))"
    };
}

/// The upsert after [`changed!`]: with no note (`$5` null) a stored note is kept (a new record
/// gets ''); returns the record's columns in [`progress`]'s order.
macro_rules! upsert {
    () => {
        "INSERT INTO progress (user_id, roadmap, topic, status, note, updated_at)
         SELECT $1, $2, $3, $4, COALESCE($5::text, ''), $6 FROM changed
         ON CONFLICT (user_id, roadmap, topic) DO UPDATE
           SET status = excluded.status, note = COALESCE($5::text, progress.note),
               updated_at = excluded.updated_at
         RETURNING roadmap, topic, status, note, updated_at"
    };
}

/// `sql` (a statement made of [`changed!`] and [`upsert!`]) with the record's values bound.
fn bound<'q>(
    sql: &'static str,
    user: UserId,
    p: &'q Progress,
    note: Option<&'q str>,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    sqlx::query(sql)
        .bind(user.0)
        .bind(&p.roadmap)
        .bind(&p.topic)
        .bind(p.status.as_str())
        .bind(note)
        .bind(p.updated_at)
        .bind(HISTORY_COALESCE_MS)
}

/// Records the change in the history, then inserts or updates the record. One statement, so
/// one round trip and, outside a transaction, its own.
async fn write_record<'e>(
    db: impl sqlx::PgExecutor<'e>,
    user: UserId,
    p: &Progress,
    note: Option<&str>,
) -> Result<PgRow> {
    Ok(bound(concat!(changed!(), " ", upsert!()), user, p, note)
        .fetch_one(db)
        .await?)
}

/// [`crate::Store::set_progress_with_plan`] in one statement: [`write_record`]'s, with the
/// topic's plan joined to the written row (its target day on every row, one row per evidence
/// link, in their order; one row with nulls when it has none). The plan is read from the
/// statement's snapshot, which is the plan as it stood when the write began: this statement
/// does not change it.
pub(super) async fn set_progress_with_plan(
    store: &PgStore,
    user: UserId,
    roadmap: &str,
    topic: &str,
    status: Status,
    note: Option<&str>,
    now: Millis,
) -> Result<(Progress, Plan)> {
    check_texts([roadmap, topic, note.unwrap_or_default()])?;
    let p = Progress {
        roadmap: roadmap.to_owned(),
        topic: topic.to_owned(),
        status,
        note: String::new(),
        updated_at: now,
    };
    let sql = concat!(
        changed!(),
        ", written AS (",
        upsert!(),
        ")
         SELECT w.roadmap, w.topic, w.status, w.note, w.updated_at, d.due_day, e.url, e.label
         FROM written w
         LEFT JOIN topic_due d ON d.user_id = $1 AND d.roadmap = $2 AND d.topic = $3
         LEFT JOIN evidence e ON e.user_id = $1 AND e.roadmap = $2 AND e.topic = $3
         ORDER BY e.position"
    );
    let rows = bound(sql, user, &p, note).fetch_all(&store.write).await?;
    let first = rows.first().ok_or(sqlx::Error::RowNotFound)?;
    let record = progress(first)?;
    let plan = rows
        .iter()
        .map(|r| Ok((r.try_get(5)?, r.try_get(6)?, r.try_get(7)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok((record, crate::one_plan(roadmap, topic, plan)))
}

#[async_trait]
impl ProgressStore for PgStore {
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
        let p = Progress {
            roadmap: roadmap.to_owned(),
            topic: topic.to_owned(),
            status,
            note: String::new(),
            updated_at: now,
        };
        let row = write_record(&self.write, user, &p, note).await?;
        progress(&row)
    }

    async fn import_progress(&self, user: UserId, records: &[Progress]) -> Result<u64> {
        check_texts(
            records
                .iter()
                .flat_map(|p| [p.roadmap.as_str(), p.topic.as_str(), p.note.as_str()]),
        )?;
        let mut tx = self.write.begin().await?;
        for p in records {
            write_record(&mut *tx, user, p, Some(&p.note)).await?;
        }
        tx.commit().await?;
        Ok(records.len() as u64)
    }

    async fn progress(&self, user: UserId, roadmap: &str) -> Result<Vec<Progress>> {
        check_text(roadmap)?;
        let rows = sqlx::query(
            "SELECT roadmap, topic, status, note, updated_at FROM progress
             WHERE user_id = $1 AND roadmap = $2 ORDER BY topic",
        )
        .bind(user.0)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(progress).collect()
    }

    async fn all_progress(&self, user: UserId) -> Result<Vec<Progress>> {
        let rows = sqlx::query(
            "SELECT roadmap, topic, status, note, updated_at FROM progress
             WHERE user_id = $1 ORDER BY roadmap, topic",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(progress).collect()
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
        let mut tx = self.write.begin().await?;
        let topics = match scope {
            ResetScope::Roadmap => None,
            ResetScope::Topics(t) => Some(t),
        };
        history::reset(&mut tx, user, roadmap, topics, now).await?;
        let mut n = 0;
        match scope {
            ResetScope::Roadmap => {
                n = sqlx::query("DELETE FROM progress WHERE user_id = $1 AND roadmap = $2")
                    .bind(user.0)
                    .bind(roadmap)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            ResetScope::Topics(topics) => {
                for t in topics {
                    n += sqlx::query(
                        "DELETE FROM progress WHERE user_id = $1 AND roadmap = $2 AND topic = $3",
                    )
                    .bind(user.0)
                    .bind(roadmap)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
            }
        }
        tx.commit().await?;
        Ok(n)
    }
}
