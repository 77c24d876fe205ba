//! Personal access tokens on SQLite.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::users::user;
use super::{SqliteStore, collect};
use crate::policy::{bumps_last_seen, check_text};
use crate::{Millis, Result, Token, TokenStore, User, UserId};

fn token(row: &Row) -> rusqlite::Result<Token> {
    Ok(Token {
        id: row.get("id")?,
        user_id: UserId(row.get("user_id")?),
        name: row.get("name")?,
        created_at: row.get("created_at")?,
        last_used: row.get("last_used")?,
        expires_at: row.get("expires_at")?,
    })
}

#[async_trait]
impl TokenStore for SqliteStore {
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        now: Millis,
        expires_at: Option<Millis>,
    ) -> Result<Token> {
        check_text(name)?;
        let (hash, name) = (token_hash.to_vec(), name.to_owned());
        self.write(move |c| {
            Ok(c.prepare_cached(
                "INSERT INTO tokens (token_hash, user_id, name, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     RETURNING id, user_id, name, created_at, last_used, expires_at",
            )?
            .query_row(params![hash, user.0, name, now, expires_at], token)?)
        })
        .await
    }

    async fn token_user(&self, token_hash: &[u8], now: Millis) -> Result<Option<User>> {
        let found = self.read(|c| {
            c.prepare_cached(
                "SELECT t.id AS token_id, t.last_used, u.id, u.name, u.display_name, u.is_admin, u.created_at
                 FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = ?1 AND (t.expires_at IS NULL OR t.expires_at > ?2)",
            )?
            .query_row(params![token_hash, now], |r| {
                Ok((
                    r.get::<_, i64>("token_id")?,
                    r.get::<_, Option<Millis>>("last_used")?,
                    user(r)?,
                ))
            })
            .optional()
        })?;
        let Some((id, last_used, u)) = found else {
            return Ok(None);
        };
        if bumps_last_seen(last_used, now) {
            self.write(move |c| {
                c.execute(
                    "UPDATE tokens SET last_used = ?1 WHERE id = ?2",
                    params![now, id],
                )?;
                Ok(())
            })
            .await?;
        }
        Ok(Some(u))
    }

    async fn tokens(&self, user: UserId) -> Result<Vec<Token>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT id, user_id, name, created_at, last_used, expires_at FROM tokens
                     WHERE user_id = ?1 ORDER BY id",
                )?
                .query_map([user.0], token)?,
            )
        })
    }

    async fn delete_token(&self, user: UserId, id: i64) -> Result<bool> {
        self.write(move |c| {
            Ok(c.execute(
                "DELETE FROM tokens WHERE id = ?1 AND user_id = ?2",
                params![id, user.0],
            )? > 0)
        })
        .await
    }
}
