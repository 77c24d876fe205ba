//! Browser sessions on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use crate::policy::{bumps_last_seen, check_texts};
use crate::{Millis, Result, Session, SessionStore, User, UserId};

fn session(row: &PgRow) -> Result<Session> {
    Ok(Session {
        id: row.try_get("id")?,
        user_id: UserId(row.try_get("user_id")?),
        csrf: row.try_get("csrf")?,
        user_agent: row.try_get("user_agent")?,
        created_at: row.try_get("created_at")?,
        last_seen: row.try_get("last_seen")?,
    })
}

#[async_trait]
impl SessionStore for PgStore {
    async fn create_session(
        &self,
        user: UserId,
        token_hash: &[u8],
        csrf: &str,
        user_agent: &str,
        now: Millis,
    ) -> Result<Session> {
        check_texts([csrf, user_agent])?;
        let row = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, user_agent, created_at, last_seen)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id, user_id, csrf, user_agent, created_at, last_seen",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf)
        .bind(user_agent)
        .bind(now)
        .bind(now)
        .fetch_one(&self.write)
        .await?;
        session(&row)
    }

    async fn session(&self, token_hash: &[u8], now: Millis) -> Result<Option<(Session, User)>> {
        let row = sqlx::query(
            "SELECT s.id, s.user_id, s.csrf, s.user_agent, s.created_at, s.last_seen,
                    u.name, u.display_name, u.is_admin, u.created_at AS user_created_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let s = session(&row)?;
        let u = User {
            id: s.user_id,
            name: row.try_get("name")?,
            display_name: row.try_get("display_name")?,
            is_admin: row.try_get("is_admin")?,
            created_at: row.try_get("user_created_at")?,
        };
        if bumps_last_seen(Some(s.last_seen), now) {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id = $2")
                .bind(now)
                .bind(s.id)
                .execute(&self.write)
                .await?;
        }
        Ok(Some((s, u)))
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        let rows = sqlx::query(
            "SELECT id, user_id, csrf, user_agent, created_at, last_seen FROM sessions
             WHERE user_id = $1 ORDER BY last_seen DESC, id DESC",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(session).collect()
    }

    async fn delete_session(&self, user: UserId, id: i64) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn delete_sessions(&self, user: UserId, keep: Option<i64>) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2")
            .bind(user.0)
            .bind(keep)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected())
    }
}
