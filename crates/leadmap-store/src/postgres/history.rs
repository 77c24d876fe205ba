//! The history of status changes on PostgreSQL. Every change goes through the function
//! `leadmap_record_change` (migrations 0005 and 0009), before the progress row changes: it
//! reads the status being left, appends a row (or folds into the topic's row of the last
//! [`policy::HISTORY_COALESCE_MS`]) and moves the day's counts. A write calls it in the same
//! statement as its upsert (`progress.rs`); [`reset`] calls it for every topic a reset clears.

use async_trait::async_trait;
use sqlx::{Postgres, Row, Transaction};

use super::PgStore;
use crate::policy::{HISTORY_COALESCE_MS, HISTORY_PAGE_MAX, check_text};
use crate::{
    Change, HistoryDay, HistoryFilter, HistoryStore, Millis, Result, Status, UserId, status_from_db,
};

/// Records the changes to pending that a reset of `topics` (`None`: the whole roadmap) makes.
pub(super) async fn reset(
    tx: &mut Transaction<'_, Postgres>,
    user: UserId,
    roadmap: &str,
    topics: Option<&[String]>,
    at: Millis,
) -> Result<()> {
    sqlx::query(
        "SELECT leadmap_record_change($1, $2, topic, 'pending', $4, $5)
         FROM progress
         WHERE user_id = $1 AND roadmap = $2 AND status <> 'pending'
           AND ($3::text[] IS NULL OR topic = ANY($3))
         ORDER BY topic",
    )
    .bind(user.0)
    .bind(roadmap)
    .bind(topics)
    .bind(at)
    .bind(HISTORY_COALESCE_MS)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl HistoryStore for PgStore {
    async fn history(&self, user: UserId, f: &HistoryFilter) -> Result<Vec<Change>> {
        if let Some(r) = &f.roadmap {
            check_text(r)?;
        }
        let (before_at, before_id) = f.before.unwrap_or((Millis::MAX, i64::MAX));
        let rows = sqlx::query(
            "SELECT id, roadmap, topic, from_status, to_status, at FROM progress_history
             WHERE user_id = $1
               AND ($2::text IS NULL OR roadmap = $2)
               AND ($3::text IS NULL OR to_status = $3)
               AND at >= $4 AND at < $5
               AND (at, id) < ($6, $7)
             ORDER BY at DESC, id DESC LIMIT $8",
        )
        .bind(user.0)
        .bind(f.roadmap.as_deref())
        .bind(f.to.map(Status::as_str))
        .bind(f.since.unwrap_or(Millis::MIN))
        .bind(f.until.unwrap_or(Millis::MAX))
        .bind(before_at)
        .bind(before_id)
        .bind(i64::from(f.limit.min(HISTORY_PAGE_MAX)))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let from: Option<String> = r.try_get("from_status")?;
                let to: String = r.try_get("to_status")?;
                Ok(Change {
                    id: r.try_get("id")?,
                    roadmap: r.try_get("roadmap")?,
                    topic: r.try_get("topic")?,
                    from: from.as_deref().map(status_from_db).transpose()?,
                    to: status_from_db(&to)?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }

    async fn history_days(&self, user: UserId, since_day: Option<i64>) -> Result<Vec<HistoryDay>> {
        let rows = sqlx::query(
            // A day's counts are spread over slots (migration 0009): added up here.
            "SELECT roadmap, day, SUM(changes)::int8 AS changes, SUM(done_delta)::int8 AS done_delta
             FROM history_days
             WHERE user_id = $1 AND day >= $2
             GROUP BY roadmap, day
             HAVING SUM(changes) <> 0 OR SUM(done_delta) <> 0
             ORDER BY roadmap, day",
        )
        .bind(user.0)
        .bind(since_day.unwrap_or(i64::MIN))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryDay {
                    roadmap: r.try_get("roadmap")?,
                    day: r.try_get("day")?,
                    changes: r.try_get("changes")?,
                    done_delta: r.try_get("done_delta")?,
                })
            })
            .collect()
    }

    async fn history_len(&self, user: UserId) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM progress_history WHERE user_id = $1")
                .bind(user.0)
                .fetch_one(&self.read)
                .await?,
        )
    }
}
