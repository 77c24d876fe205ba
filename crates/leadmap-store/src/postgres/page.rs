//! The signed-in roadmap page's reads in one round trip: the session with its user, and that
//! user's records, target days and focus topics on the roadmap (see
//! [`crate::Store::session_page`]). One statement, a `UNION ALL` of four kinds of row in one
//! shape, so that a page view costs one query instead of four.

use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use crate::policy::bumps_last_seen;
use crate::{Focus, Millis, PageReads, Progress, Result, Session, User, UserId, status_from_db};

/// Columns: kind, four texts (a–d), six numbers (n1–n6), a flag. What each kind puts where is
/// written beside its `SELECT`; [`row`] reads them back by the same positions.
const SQL: &str = "
WITH s AS (
    SELECT s.id, s.user_id, s.csrf, s.user_agent, s.created_at, s.last_seen,
           u.name, u.display_name, u.is_admin, u.created_at AS user_created_at
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1
)
-- 0, the session: csrf, user agent, name, display name; id, user, created, last seen,
-- the user's creation; admin.
SELECT 0::int4 AS kind, csrf, user_agent, name, display_name,
       id, user_id, created_at, last_seen, user_created_at, NULL::int8, is_admin
FROM s
UNION ALL
-- 1, a record: topic, status, note; updated.
SELECT 1, p.topic, p.status, p.note, NULL, p.updated_at, NULL, NULL, NULL, NULL, NULL, NULL
FROM progress p JOIN s ON p.user_id = s.user_id
WHERE p.roadmap = $2
UNION ALL
-- 2, a target day: topic; day.
SELECT 2, d.topic, NULL, NULL, NULL, d.due_day, NULL, NULL, NULL, NULL, NULL, NULL
FROM topic_due d JOIN s ON d.user_id = s.user_id
WHERE d.roadmap = $2 AND d.due_day <= $3
UNION ALL
-- 3, a focus topic: topic, reason; id, team, user, day, suggested by, suggested at.
SELECT 3, f.topic, f.reason, NULL, NULL,
       f.id, f.team_id, f.user_id, f.due_day, f.created_by, f.created_at, NULL
FROM focus_topics f JOIN s ON f.user_id = s.user_id OR f.user_id IS NULL
WHERE f.roadmap = $2
  AND f.team_id IN (SELECT m.team_id FROM team_members m WHERE m.user_id = s.user_id)
";

pub(super) async fn session_page(
    store: &PgStore,
    token_hash: &[u8],
    now: Millis,
    roadmap: &str,
    due_until_day: i64,
) -> Result<Option<(Session, User, PageReads)>> {
    let rows = sqlx::query(SQL)
        .bind(token_hash)
        .bind(roadmap)
        .bind(due_until_day)
        .fetch_all(&store.read)
        .await?;
    let mut found = None;
    let mut reads = PageReads::default();
    for r in &rows {
        match r.try_get::<i32, _>(0)? {
            0 => {
                let session = Session {
                    id: r.try_get(5)?,
                    user_id: UserId(r.try_get(6)?),
                    csrf: r.try_get(1)?,
                    user_agent: r.try_get(2)?,
                    created_at: r.try_get(7)?,
                    last_seen: r.try_get(8)?,
                };
                let user = User {
                    id: session.user_id,
                    name: r.try_get(3)?,
                    display_name: r.try_get(4)?,
                    is_admin: r.try_get(11)?,
                    created_at: r.try_get(9)?,
                };
                found = Some((session, user));
            }
            1 => reads.records.push(record(r, roadmap)?),
            2 => reads.due.push((r.try_get(1)?, r.try_get(5)?)),
            _ => reads.focus.push(focus(r, roadmap)?),
        }
    }
    let Some((session, user)) = found else {
        return Ok(None);
    };
    reads.records.sort_by(|a, b| a.topic.cmp(&b.topic));
    reads.due.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    // `focus_for`'s order: by due day (none last), then when suggested.
    reads
        .focus
        .sort_by_key(|f| (f.due_day.is_none(), f.due_day, f.created_at, f.id));
    if bumps_last_seen(Some(session.last_seen), now) {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE id = $2")
            .bind(now)
            .bind(session.id)
            .execute(&store.write)
            .await?;
    }
    Ok(Some((session, user, reads)))
}

fn record(r: &PgRow, roadmap: &str) -> Result<Progress> {
    let status: &str = r.try_get(2)?;
    Ok(Progress {
        roadmap: roadmap.to_owned(),
        topic: r.try_get(1)?,
        status: status_from_db(status)?,
        note: r.try_get(3)?,
        updated_at: r.try_get(5)?,
    })
}

fn focus(r: &PgRow, roadmap: &str) -> Result<Focus> {
    Ok(Focus {
        id: r.try_get(5)?,
        team: r.try_get(6)?,
        user: r.try_get::<Option<i64>, _>(7)?.map(UserId),
        roadmap: roadmap.to_owned(),
        topic: r.try_get(1)?,
        due_day: r.try_get(8)?,
        reason: r.try_get(2)?,
        created_by: r.try_get::<Option<i64>, _>(9)?.map(UserId),
        created_at: r.try_get(10)?,
    })
}
