//! Share links on SQLite.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::{SqliteStore, collect};
use crate::policy::check_texts;
use crate::{Millis, NewShare, Result, Share, ShareStore, UserId};

const COLUMNS: &str = "id, user_id, roadmap, label, shown_name, show_notes, created_at, expires_at";

fn share(r: &Row) -> rusqlite::Result<Share> {
    Ok(Share {
        id: r.get(0)?,
        user_id: UserId(r.get(1)?),
        roadmap: r.get(2)?,
        label: r.get(3)?,
        shown_name: r.get(4)?,
        show_notes: r.get(5)?,
        created_at: r.get(6)?,
        expires_at: r.get(7)?,
    })
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create_share(&self, user: UserId, new: &NewShare<'_>, now: Millis) -> Result<Share> {
        check_texts([new.roadmap, new.label, new.shown_name])?;
        let (roadmap, hash, label, shown) = (
            new.roadmap.to_owned(),
            new.token_hash.to_vec(),
            new.label.to_owned(),
            new.shown_name.to_owned(),
        );
        let (notes, expires) = (new.show_notes, new.expires_at);
        self.write(move |c| {
            Ok(c.prepare_cached(&format!(
                "INSERT INTO shares (user_id, roadmap, token_hash, label, shown_name, show_notes,
                                     created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING {COLUMNS}"
            ))?
            .query_row(
                params![user.0, roadmap, hash, label, shown, notes, now, expires],
                share,
            )?)
        })
        .await
    }

    async fn shares(&self, user: UserId) -> Result<Vec<Share>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM shares WHERE user_id = ?1 ORDER BY id DESC"
                ))?
                .query_map([user.0], share)?,
            )
        })
    }

    async fn delete_share(&self, user: UserId, id: i64) -> Result<bool> {
        self.write(move |c| {
            Ok(
                c.prepare_cached("DELETE FROM shares WHERE user_id = ?1 AND id = ?2")?
                    .execute(params![user.0, id])?
                    > 0,
            )
        })
        .await
    }

    async fn share_by_token(&self, token_hash: &[u8], now: Millis) -> Result<Option<Share>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM shares
                 WHERE token_hash = ?1 AND (expires_at IS NULL OR expires_at > ?2)"
            ))?
            .query_row(params![token_hash, now], share)
            .optional()
        })
    }
}
