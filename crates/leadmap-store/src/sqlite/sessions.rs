//! Browser sessions on SQLite.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, collect};
use crate::policy::{bumps_last_seen, check_texts};
use crate::{Millis, Result, Session, SessionStore, User, UserId};

fn session(row: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        id: row.get("id")?,
        user_id: UserId(row.get("user_id")?),
        csrf: row.get("csrf")?,
        user_agent: row.get("user_agent")?,
        created_at: row.get("created_at")?,
        last_seen: row.get("last_seen")?,
    })
}

/// The session `token_hash` names, with its user (read on `c`, which may be inside a
/// transaction of the caller's).
pub(super) fn session_with_user(
    c: &Connection,
    token_hash: &[u8],
) -> rusqlite::Result<Option<(Session, User)>> {
    c.prepare_cached(
        "SELECT s.id, s.user_id, s.csrf, s.user_agent, s.created_at, s.last_seen,
                u.name, u.display_name, u.is_admin, u.created_at AS user_created_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
    )?
    .query_row([token_hash], |r| {
        let s = session(r)?;
        let u = User {
            id: s.user_id,
            name: r.get("name")?,
            display_name: r.get("display_name")?,
            is_admin: r.get("is_admin")?,
            created_at: r.get("user_created_at")?,
        };
        Ok((s, u))
    })
    .optional()
}

/// Moves a session's `last_seen` to `now` when [`bumps_last_seen`] says it is time.
pub(super) async fn bump_last_seen(store: &SqliteStore, s: &Session, now: Millis) -> Result<()> {
    if bumps_last_seen(Some(s.last_seen), now) {
        let id = s.id;
        store
            .write(move |c| {
                c.execute(
                    "UPDATE sessions SET last_seen = ?1 WHERE id = ?2",
                    params![now, id],
                )?;
                Ok(())
            })
            .await?;
    }
    Ok(())
}

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(
        &self,
        user: UserId,
        token_hash: &[u8],
        csrf: &str,
        user_agent: &str,
        now: Millis,
    ) -> Result<Session> {
        check_texts([csrf, user_agent])?;
        let (hash, csrf, agent) = (token_hash.to_vec(), csrf.to_owned(), user_agent.to_owned());
        self.write(move |c| {
            Ok(c.prepare_cached(
                "INSERT INTO sessions
                       (token_hash, user_id, csrf, user_agent, created_at, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                     RETURNING id, user_id, csrf, user_agent, created_at, last_seen",
            )?
            .query_row(params![hash, user.0, csrf, agent, now], session)?)
        })
        .await
    }

    async fn session(&self, token_hash: &[u8], now: Millis) -> Result<Option<(Session, User)>> {
        let found = self.read(|c| session_with_user(c, token_hash))?;
        if let Some((s, _)) = &found {
            bump_last_seen(self, s, now).await?;
        }
        Ok(found)
    }

    async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT id, user_id, csrf, user_agent, created_at, last_seen FROM sessions
                     WHERE user_id = ?1 ORDER BY last_seen DESC, id DESC",
                )?
                .query_map([user.0], session)?,
            )
        })
    }

    async fn delete_session(&self, user: UserId, id: i64) -> Result<bool> {
        self.write(move |c| {
            Ok(c.execute(
                "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2",
                params![id, user.0],
            )? > 0)
        })
        .await
    }

    async fn delete_sessions(&self, user: UserId, keep: Option<i64>) -> Result<u64> {
        self.write(move |c| {
            Ok(c.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2",
                params![user.0, keep],
            )? as u64)
        })
        .await
    }
}
