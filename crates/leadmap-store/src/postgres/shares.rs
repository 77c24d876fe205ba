//! Share links on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use crate::policy::check_texts;
use crate::{Millis, NewShare, Result, Share, ShareStore, UserId};

const COLUMNS: &str = "id, user_id, roadmap, label, shown_name, show_notes, created_at, expires_at";

fn share(r: &PgRow) -> Result<Share> {
    Ok(Share {
        id: r.try_get(0)?,
        user_id: UserId(r.try_get(1)?),
        roadmap: r.try_get(2)?,
        label: r.try_get(3)?,
        shown_name: r.try_get(4)?,
        show_notes: r.try_get(5)?,
        created_at: r.try_get(6)?,
        expires_at: r.try_get(7)?,
    })
}

#[async_trait]
impl ShareStore for PgStore {
    async fn create_share(&self, user: UserId, new: &NewShare<'_>, now: Millis) -> Result<Share> {
        check_texts([new.roadmap, new.label, new.shown_name])?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO shares (user_id, roadmap, token_hash, label, shown_name, show_notes,
                                 created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
        )))
        .bind(user.0)
        .bind(new.roadmap)
        .bind(new.token_hash)
        .bind(new.label)
        .bind(new.shown_name)
        .bind(new.show_notes)
        .bind(now)
        .bind(new.expires_at)
        .fetch_one(&self.write)
        .await?;
        share(&row)
    }

    async fn shares(&self, user: UserId) -> Result<Vec<Share>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM shares WHERE user_id = $1 ORDER BY id DESC"
        )))
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(share)
        .collect()
    }

    async fn delete_share(&self, user: UserId, id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM shares WHERE user_id = $1 AND id = $2")
                .bind(user.0)
                .bind(id)
                .execute(&self.write)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn share_by_token(&self, token_hash: &[u8], now: Millis) -> Result<Option<Share>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM shares
             WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await?
        .as_ref()
        .map(share)
        .transpose()
    }
}
