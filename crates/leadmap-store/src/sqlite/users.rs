//! Accounts on SQLite.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, collect, is_unique_violation};
use crate::policy::check_texts;
use crate::{Credentials, Millis, Result, StoreError, User, UserId, UserName, UserStore};

pub(super) fn user(row: &Row) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get("id")?),
        name: row.get("name")?,
        display_name: row.get("display_name")?,
        is_admin: row.get("is_admin")?,
        created_at: row.get("created_at")?,
    })
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn user_count(&self) -> Result<i64> {
        self.read(|c| c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0)))
    }

    async fn create_user(
        &self,
        name: &UserName,
        password_hash: &str,
        is_admin: bool,
        now: Millis,
    ) -> Result<User> {
        check_texts([name.as_str(), password_hash])?;
        let (n, key, hash) = (
            name.as_str().to_owned(),
            name.key(),
            password_hash.to_owned(),
        );
        let shown = name.to_string();
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO users (name, name_key, password_hash, is_admin, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id, name, display_name, is_admin, created_at",
            )?
            .query_row(params![n, key, hash, is_admin, now], user)
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Conflict(format!("a user named {shown}"))
                } else {
                    e.into()
                }
            })
        })
        .await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT id, name, display_name, is_admin, created_at FROM users WHERE id = ?1",
            )?
            .query_row([id.0], user)
            .optional()
        })
    }

    async fn credentials(&self, name: &str) -> Result<Option<Credentials>> {
        check_texts([name])?;
        let key = name.trim().to_lowercase();
        self.read(|c| {
            c.prepare_cached(
                "SELECT id, name, display_name, is_admin, created_at, password_hash FROM users
                 WHERE name_key = ?1",
            )?
            .query_row([key], |r| {
                Ok(Credentials {
                    user: user(r)?,
                    password_hash: r.get("password_hash")?,
                })
            })
            .optional()
        })
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT id, name, display_name, is_admin, created_at FROM users ORDER BY id",
                )?
                .query_map([], user)?,
            )
        })
    }

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<()> {
        check_texts([password_hash])?;
        let hash = password_hash.to_owned();
        self.write(move |c| {
            c.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![hash, id.0],
            )?;
            Ok(())
        })
        .await
    }

    async fn set_display_name(&self, id: UserId, display_name: Option<&str>) -> Result<bool> {
        check_texts(display_name)?;
        let shown = display_name.map(str::to_owned);
        self.write(move |c| {
            Ok(c.execute(
                "UPDATE users SET display_name = ?1 WHERE id = ?2",
                params![shown, id.0],
            )? == 1)
        })
        .await
    }

    async fn set_admin(&self, id: UserId, admin: bool) -> Result<bool> {
        // One write: the check and the change cannot be split by another writer.
        self.write(move |c| {
            if !admin && last_admin(c, id)? {
                return Err(StoreError::Invalid(crate::LAST_ADMIN.into()));
            }
            Ok(c.execute(
                "UPDATE users SET is_admin = ?1 WHERE id = ?2",
                params![admin, id.0],
            )? > 0)
        })
        .await
    }

    async fn delete_user(&self, id: UserId) -> Result<bool> {
        self.write(move |c| {
            let others: i64 =
                c.query_row("SELECT COUNT(*) FROM users WHERE id <> ?1", [id.0], |r| {
                    r.get(0)
                })?;
            if others > 0 && last_admin(c, id)? {
                return Err(StoreError::Invalid(crate::LAST_ADMIN.into()));
            }
            Ok(c.execute("DELETE FROM users WHERE id = ?1", [id.0])? > 0)
        })
        .await
    }
}

/// Whether `id` is an admin and no other account is.
fn last_admin(c: &rusqlite::Connection, id: UserId) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND is_admin)
            AND NOT EXISTS (SELECT 1 FROM users WHERE id <> ?1 AND is_admin)",
        [id.0],
        |r| r.get(0),
    )?)
}
