//! Personal access tokens on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use super::users::user;
use crate::policy::{bumps_last_seen, check_text};
use crate::{Millis, Result, Token, TokenStore, User, UserId};

fn token(row: &PgRow) -> Result<Token> {
    Ok(Token {
        id: row.try_get("id")?,
        user_id: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        last_used: row.try_get("last_used")?,
        expires_at: row.try_get("expires_at")?,
    })
}

#[async_trait]
impl TokenStore for PgStore {
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        now: Millis,
        expires_at: Option<Millis>,
    ) -> Result<Token> {
        check_text(name)?;
        let row = sqlx::query(
            "INSERT INTO tokens (token_hash, user_id, name, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING id, user_id, name, created_at, last_used, expires_at",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(name)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&self.write)
        .await?;
        token(&row)
    }

    async fn token_user(&self, token_hash: &[u8], now: Millis) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.last_used, u.id, u.name, u.display_name, u.is_admin, u.created_at
             FROM tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_used: Option<Millis> = row.try_get("last_used")?;
        if bumps_last_seen(last_used, now) {
            let id: i64 = row.try_get("token_id")?;
            sqlx::query("UPDATE tokens SET last_used = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&self.write)
                .await?;
        }
        Ok(Some(user(&row)?))
    }

    async fn tokens(&self, user: UserId) -> Result<Vec<Token>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, created_at, last_used, expires_at FROM tokens
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(token).collect()
    }

    async fn delete_token(&self, user: UserId, id: i64) -> Result<bool> {
        let r = sqlx::query("DELETE FROM tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() > 0)
    }
}
