//! The PostgreSQL backend: several `leadmap serve` processes can share one database, since
//! sessions, tokens and sign-in throttling all live in it. Commits are durable with
//! PostgreSQL's default `synchronous_commit = on`.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};

use crate::{
    Credentials, Millis, Progress, ResetScope, Result, Session, Status, Store, StoreError, Token,
    User, UserId, UserName, is_unique_violation, status_from_db,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone)]
pub struct PgStore {
    read: PgPool,
    write: PgPool,
}

impl PgStore {
    /// Connects and brings the schema up to date (migrations take an advisory lock, so several
    /// servers starting at once do not race).
    pub async fn open(url: &str) -> Result<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore {
            read: pool.clone(),
            write: pool,
        })
    }
}

fn user(row: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        is_admin: row.try_get("is_admin")?,
        created_at: row.try_get("created_at")?,
    })
}

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

fn token(row: &PgRow) -> Result<Token> {
    Ok(Token {
        id: row.try_get("id")?,
        user_id: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        last_used: row.try_get("last_used")?,
    })
}

fn progress(row: &PgRow) -> Result<Progress> {
    let status: String = row.try_get("status")?;
    Ok(Progress {
        roadmap: row.try_get("roadmap")?,
        topic: row.try_get("topic")?,
        status: status_from_db(&status)?,
        note: row.try_get("note")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Inserts or updates a record; with no `note` a stored note is kept (a new record gets '').
async fn upsert(
    tx: &mut Transaction<'_, Postgres>,
    user: UserId,
    p: &Progress,
    note: Option<&str>,
) -> Result<PgRow> {
    Ok(sqlx::query(
        "INSERT INTO progress (user_id, roadmap, topic, status, note, updated_at)
         VALUES ($1, $2, $3, $4, COALESCE($5::text, ''), $6)
         ON CONFLICT (user_id, roadmap, topic) DO UPDATE
           SET status = excluded.status, note = COALESCE($5::text, progress.note),
               updated_at = excluded.updated_at
         RETURNING roadmap, topic, status, note, updated_at",
    )
    .bind(user.0)
    .bind(&p.roadmap)
    .bind(&p.topic)
    .bind(p.status.as_str())
    .bind(note)
    .bind(p.updated_at)
    .fetch_one(&mut **tx)
    .await?)
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.read)
            .await?)
    }

    async fn create_user(
        &self,
        name: &UserName,
        password_hash: &str,
        is_admin: bool,
        now: Millis,
    ) -> Result<User> {
        let row = sqlx::query(
            "INSERT INTO users (name, name_key, password_hash, is_admin, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id, name, is_admin, created_at",
        )
        .bind(name.as_str())
        .bind(name.key())
        .bind(password_hash)
        .bind(is_admin)
        .bind(now)
        .fetch_one(&self.write)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Conflict(format!("a user named {name}"))
            } else {
                e.into()
            }
        })?;
        user(&row)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row = sqlx::query("SELECT id, name, is_admin, created_at FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(user).transpose()
    }

    async fn credentials(&self, name: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query(
            "SELECT id, name, is_admin, created_at, password_hash FROM users WHERE name_key = $1",
        )
        .bind(name.trim().to_lowercase())
        .fetch_optional(&self.read)
        .await?;
        match row {
            None => Ok(None),
            Some(row) => Ok(Some(Credentials {
                user: user(&row)?,
                password_hash: row.try_get("password_hash")?,
            })),
        }
    }

    async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT id, name, is_admin, created_at FROM users ORDER BY id")
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(user).collect()
    }

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn delete_user(&self, id: UserId) -> Result<bool> {
        let r = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id.0)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn create_session(
        &self,
        user: UserId,
        token_hash: &[u8],
        csrf: &str,
        user_agent: &str,
        now: Millis,
    ) -> Result<Session> {
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
                    u.name, u.is_admin, u.created_at AS user_created_at
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
            is_admin: row.try_get("is_admin")?,
            created_at: row.try_get("user_created_at")?,
        };
        if now - s.last_seen > 60_000 {
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

    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &[u8],
        now: Millis,
    ) -> Result<Token> {
        let row = sqlx::query(
            "INSERT INTO tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id, user_id, name, created_at, last_used",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(name)
        .bind(now)
        .fetch_one(&self.write)
        .await?;
        token(&row)
    }

    async fn token_user(&self, token_hash: &[u8], now: Millis) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.last_used, u.id, u.name, u.is_admin, u.created_at
             FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let last_used: Option<Millis> = row.try_get("last_used")?;
        if last_used.is_none_or(|t| now - t > 60_000) {
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
            "SELECT id, user_id, name, created_at, last_used FROM tokens
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

    async fn set_progress(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        status: Status,
        note: Option<&str>,
        now: Millis,
    ) -> Result<Progress> {
        let p = Progress {
            roadmap: roadmap.to_owned(),
            topic: topic.to_owned(),
            status,
            note: String::new(),
            updated_at: now,
        };
        let mut tx = self.write.begin().await?;
        let row = upsert(&mut tx, user, &p, note).await?;
        tx.commit().await?;
        progress(&row)
    }

    async fn import_progress(&self, user: UserId, records: &[Progress]) -> Result<u64> {
        let mut tx = self.write.begin().await?;
        for p in records {
            upsert(&mut tx, user, p, Some(&p.note)).await?;
        }
        tx.commit().await?;
        Ok(records.len() as u64)
    }

    async fn progress(&self, user: UserId, roadmap: &str) -> Result<Vec<Progress>> {
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
    ) -> Result<u64> {
        let mut tx = self.write.begin().await?;
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

    async fn record_login_failure(&self, key: &str, now: Millis) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&self.write)
            .await?;
        // Old failures count for nothing; keep the table small.
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now - 24 * 3_600_000)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn login_failures_since(&self, key: &str, since: Millis) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(&self.read)
                .await?,
        )
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn integrity_check(&self) -> Result<Vec<String>> {
        // PostgreSQL keeps its own invariants; check ours: no progress row with a status this
        // version does not know (the CHECK constraint makes that impossible unless edited away).
        let bad: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM progress
             WHERE status NOT IN ('pending', 'learning', 'done', 'skipped')",
        )
        .fetch_one(&self.read)
        .await?;
        Ok(if bad > 0 {
            vec![format!("{bad} progress rows hold an unknown status")]
        } else {
            Vec::new()
        })
    }
}
