//! Accounts on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use crate::policy::check_texts;
use crate::{
    Credentials, Millis, Result, StoreError, User, UserId, UserName, UserStore, is_unique_violation,
};

pub(super) fn user(row: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        is_admin: row.try_get("is_admin")?,
        created_at: row.try_get("created_at")?,
    })
}

#[async_trait]
impl UserStore for PgStore {
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
        check_texts([name.as_str(), password_hash])?;
        let row = sqlx::query(
            "INSERT INTO users (name, name_key, password_hash, is_admin, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id, name, display_name, is_admin, created_at",
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
        let row = sqlx::query(
            "SELECT id, name, display_name, is_admin, created_at FROM users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(user).transpose()
    }

    async fn credentials(&self, name: &str) -> Result<Option<Credentials>> {
        check_texts([name])?;
        let row = sqlx::query(
            "SELECT id, name, display_name, is_admin, created_at, password_hash FROM users WHERE name_key = $1",
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
        let rows = sqlx::query(
            "SELECT id, name, display_name, is_admin, created_at FROM users ORDER BY id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(user).collect()
    }

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<()> {
        check_texts([password_hash])?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    async fn set_display_name(&self, id: UserId, display_name: Option<&str>) -> Result<bool> {
        check_texts(display_name)?;
        let r = sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(display_name)
            .bind(id.0)
            .execute(&self.write)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn set_admin(&self, id: UserId, admin: bool) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        // The admins' rows locked: two demotions at once cannot both pass the check.
        if !admin && last_admin(&mut tx, id).await? {
            return Err(StoreError::Invalid(crate::LAST_ADMIN.into()));
        }
        let r = sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
            .bind(admin)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(r.rows_affected() > 0)
    }

    async fn delete_user(&self, id: UserId) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id <> $1")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
        if others > 0 && last_admin(&mut tx, id).await? {
            return Err(StoreError::Invalid(crate::LAST_ADMIN.into()));
        }
        let r = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(r.rows_affected() > 0)
    }
}

/// Whether `id` is an admin and no other account is, with the admins' rows locked until the
/// transaction ends.
async fn last_admin(tx: &mut sqlx::PgConnection, id: UserId) -> Result<bool> {
    let admins: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE is_admin FOR UPDATE")
        .fetch_all(&mut *tx)
        .await?;
    Ok(admins == [id.0])
}
