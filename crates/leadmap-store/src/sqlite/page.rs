//! The signed-in roadmap page's reads on SQLite (see [`crate::Store::session_page`]): the
//! session with its user, the records, the target days and the focus topics, read on one
//! read connection in one read transaction. The trait's default made four reads, each taking
//! a connection from the pool and its own read transaction (with its WAL read lock: file
//! locks, so system calls); this takes one of each, and the four reads see one snapshot.

use rusqlite::params;

use super::teams::{FOCUS_COLUMNS, focus};
use super::{SqliteStore, collect, progress, sessions};
use crate::{Millis, PageReads, Result, Session, User};

pub(super) async fn session_page(
    store: &SqliteStore,
    token_hash: &[u8],
    now: Millis,
    roadmap: &str,
    due_until_day: i64,
) -> Result<Option<(Session, User, PageReads)>> {
    let found = store.read(|c| {
        let tx = c.unchecked_transaction()?;
        let Some((session, user)) = sessions::session_with_user(&tx, token_hash)? else {
            return Ok(None);
        };
        let records = progress::of_roadmap(&tx, user.id, roadmap)?;
        // The order of `due_until` and of `focus_for`, on one roadmap.
        let due = collect(
            tx.prepare_cached(
                "SELECT topic, due_day FROM topic_due
                 WHERE user_id = ?1 AND roadmap = ?2 AND due_day <= ?3 ORDER BY due_day, topic",
            )?
            .query_map(params![user.id.0, roadmap, due_until_day], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?,
        )?;
        let focus = collect(
            tx.prepare_cached(&format!(
                "SELECT {FOCUS_COLUMNS} FROM focus_topics
                 WHERE team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1)
                   AND (user_id = ?1 OR user_id IS NULL) AND roadmap = ?2
                 ORDER BY due_day IS NULL, due_day, created_at, id"
            ))?
            .query_map(params![user.id.0, roadmap], focus)?,
        )?;
        tx.commit()?;
        Ok(Some((session, user, records, due, focus)))
    })?;
    let Some((session, user, records, due, focus)) = found else {
        return Ok(None);
    };
    let records = progress::all_checked(records)?;
    sessions::bump_last_seen(store, &session, now).await?;
    Ok(Some((
        session,
        user,
        PageReads {
            records,
            due,
            focus,
        },
    )))
}
