//! Teams, members, invites, focus topics and 1:1 dates on PostgreSQL.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::PgStore;
use crate::policy::{check_text, check_texts};
use crate::{
    Focus, Invite, Member, Millis, NewFocus, NewInvite, NewTeam, Redeemed, Redeemer, Result,
    StoreError, Team, TeamChange, TeamRecord, TeamRole, TeamStore, User, UserId,
    is_unique_violation, status_from_db,
};

const TEAM_COLUMNS: &str = "id, slug, name, parent_id, show_names, created_at";
const INVITE_COLUMNS: &str =
    "id, team_id, role, max_uses, uses, expires_at, revoked_at, created_by, created_at";
const FOCUS_COLUMNS: &str =
    "id, team_id, user_id, roadmap, topic, due_day, reason, created_by, created_at";
const USER_COLUMNS: &str = "u.id, u.name, u.display_name, u.is_admin, u.created_at";

fn team(r: &PgRow) -> Result<Team> {
    Ok(Team {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        name: r.try_get(2)?,
        parent: r.try_get(3)?,
        show_names: r.try_get(4)?,
        created_at: r.try_get(5)?,
    })
}

fn role(r: &PgRow, i: usize) -> Result<TeamRole> {
    let word: String = r.try_get(i)?;
    TeamRole::parse(&word).ok_or_else(|| StoreError::Corrupt(format!("team role {word:?}")))
}

fn invite(r: &PgRow) -> Result<Invite> {
    Ok(Invite {
        id: r.try_get(0)?,
        team: r.try_get(1)?,
        role: role(r, 2)?,
        max_uses: r.try_get(3)?,
        uses: r.try_get(4)?,
        expires_at: r.try_get(5)?,
        revoked_at: r.try_get(6)?,
        created_by: r.try_get::<Option<i64>, _>(7)?.map(UserId),
        created_at: r.try_get(8)?,
        used_by: Vec::new(),
    })
}

fn focus(r: &PgRow) -> Result<Focus> {
    Ok(Focus {
        id: r.try_get(0)?,
        team: r.try_get(1)?,
        user: r.try_get::<Option<i64>, _>(2)?.map(UserId),
        roadmap: r.try_get(3)?,
        topic: r.try_get(4)?,
        due_day: r.try_get(5)?,
        reason: r.try_get(6)?,
        created_by: r.try_get::<Option<i64>, _>(7)?.map(UserId),
        created_at: r.try_get(8)?,
    })
}

/// A user from the first five columns.
fn user_at(r: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(r.try_get(0)?),
        name: r.try_get(1)?,
        display_name: r.try_get(2)?,
        is_admin: r.try_get(3)?,
        created_at: r.try_get(4)?,
    })
}

fn conflict(e: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict(what())
    } else {
        e.into()
    }
}

async fn team_by_id(c: &mut PgConnection, id: i64) -> Result<Option<Team>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(team)
    .transpose()
}

async fn user_by_id(c: &mut PgConnection, id: i64) -> Result<User> {
    let row = sqlx::query(
        "SELECT id, name, display_name, is_admin, created_at FROM users u WHERE id = $1",
    )
    .bind(id)
    .fetch_one(c)
    .await?;
    user_at(&row)
}

#[async_trait]
impl TeamStore for PgStore {
    async fn create_team(&self, new: &NewTeam<'_>, now: Millis) -> Result<Team> {
        check_texts([new.slug, new.name])?;
        let mut tx = self.write.begin().await?;
        if let Some(p) = new.parent
            && team_by_id(&mut tx, p).await?.is_none()
        {
            return Err(StoreError::Invalid(format!("no parent team with id {p}")));
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO teams (slug, name, name_key, parent_id, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING {TEAM_COLUMNS}"
        )))
        .bind(new.slug)
        .bind(new.name)
        .bind(new.name.to_lowercase())
        .bind(new.parent)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            conflict(e, || {
                format!("a team named {} or with the address {}", new.name, new.slug)
            })
        })?;
        let t = team(&row)?;
        tx.commit().await?;
        Ok(t)
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TEAM_COLUMNS} FROM teams ORDER BY name_key"
        )))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(team)
        .collect()
    }

    async fn team(&self, slug: &str) -> Result<Option<Team>> {
        check_text(slug)?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE slug = $1"
        )))
        .bind(slug)
        .fetch_optional(&self.read)
        .await?
        .as_ref()
        .map(team)
        .transpose()
    }

    async fn change_team(&self, id: i64, change: &TeamChange<'_>) -> Result<Option<Team>> {
        check_texts([change.name.unwrap_or_default()])?;
        let mut tx = self.write.begin().await?;
        // One change of the tree at a time, on every server: two moves that would each be fine
        // alone cannot make a cycle together.
        sqlx::query("SELECT pg_advisory_xact_lock(7160001)")
            .execute(&mut *tx)
            .await?;
        if team_by_id(&mut tx, id).await?.is_none() {
            return Ok(None);
        }
        if let Some(name) = change.name {
            sqlx::query("UPDATE teams SET name = $2, name_key = $3 WHERE id = $1")
                .bind(id)
                .bind(name)
                .bind(name.to_lowercase())
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict(e, || format!("a team named {name}")))?;
        }
        if let Some(parent) = change.parent {
            if let Some(p) = parent {
                if team_by_id(&mut tx, p).await?.is_none() {
                    return Err(StoreError::Invalid(format!("no parent team with id {p}")));
                }
                let cycle: bool = sqlx::query_scalar(
                    "WITH RECURSIVE up(id) AS (
                         SELECT $2::BIGINT
                         UNION SELECT t.parent_id FROM teams t JOIN up ON t.id = up.id
                               WHERE t.parent_id IS NOT NULL)
                     SELECT EXISTS (SELECT 1 FROM up WHERE id = $1)",
                )
                .bind(id)
                .bind(p)
                .fetch_one(&mut *tx)
                .await?;
                if cycle {
                    return Err(StoreError::Refused(
                        "a team cannot sit under itself or under a team beneath it".into(),
                    ));
                }
            }
            sqlx::query("UPDATE teams SET parent_id = $2 WHERE id = $1")
                .bind(id)
                .bind(parent)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(show) = change.show_names {
            sqlx::query("UPDATE teams SET show_names = $2 WHERE id = $1")
                .bind(id)
                .bind(show)
                .execute(&mut *tx)
                .await?;
        }
        let t = team_by_id(&mut tx, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn delete_team(&self, id: i64) -> Result<bool> {
        Ok(sqlx::query("DELETE FROM teams WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?
            .rows_affected()
            > 0)
    }

    async fn set_member(&self, team: i64, user: UserId, role: TeamRole, now: Millis) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO team_members (team_id, user_id, role, added_at)
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM teams WHERE id = $1)
             ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(team)
        .bind(user.0)
        .bind(role.as_str())
        .bind(now)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(format!("no team with id {team}")));
        }
        Ok(())
    }

    async fn remove_member(&self, team: i64, user: UserId) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
                .bind(team)
                .bind(user.0)
                .execute(&self.write)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn members(&self, teams: &[i64]) -> Result<Vec<Member>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, m.team_id, m.role, m.added_at
             FROM team_members m JOIN users u ON u.id = m.user_id
             WHERE m.team_id = ANY($1)
             ORDER BY m.team_id, lower(COALESCE(u.display_name, u.name)), u.id"
        )))
        .bind(teams)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(Member {
                user: user_at(r)?,
                team: r.try_get(5)?,
                role: role(r, 6)?,
                added_at: r.try_get(7)?,
            })
        })
        .collect()
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<(Team, TeamRole)>> {
        sqlx::query(
            "SELECT t.id, t.slug, t.name, t.parent_id, t.show_names, t.created_at, m.role
             FROM team_members m JOIN teams t ON t.id = m.team_id
             WHERE m.user_id = $1 ORDER BY t.name_key",
        )
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((team(r)?, role(r, 6)?)))
        .collect()
    }

    async fn create_invite(&self, new: &NewInvite<'_>, now: Millis) -> Result<Invite> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO team_invites (team_id, token_hash, role, max_uses, expires_at,
                                       created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {INVITE_COLUMNS}"
        )))
        .bind(new.team)
        .bind(new.token_hash)
        .bind(new.role.as_str())
        .bind(new.max_uses)
        .bind(new.expires_at)
        .bind(new.created_by.map(|u| u.0))
        .bind(now)
        .fetch_one(&self.write)
        .await?;
        invite(&row)
    }

    async fn invites(&self, team: i64) -> Result<Vec<Invite>> {
        let mut invites = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INVITE_COLUMNS} FROM team_invites WHERE team_id = $1 ORDER BY id DESC"
        )))
        .bind(team)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(invite)
        .collect::<Result<Vec<_>>>()?;
        let uses = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, x.at, x.invite_id
             FROM team_invite_uses x JOIN team_invites i ON i.id = x.invite_id
                  JOIN users u ON u.id = x.user_id
             WHERE i.team_id = $1 ORDER BY x.at, u.id"
        )))
        .bind(team)
        .fetch_all(&self.read)
        .await?;
        for r in &uses {
            let id: i64 = r.try_get(6)?;
            if let Some(inv) = invites.iter_mut().find(|i| i.id == id) {
                inv.used_by.push((user_at(r)?, r.try_get(5)?));
            }
        }
        Ok(invites)
    }

    async fn revoke_invite(&self, team: i64, id: i64, now: Millis) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE team_invites SET revoked_at = $3
             WHERE team_id = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(team)
        .bind(id)
        .bind(now)
        .execute(&self.write)
        .await?
        .rows_affected()
            > 0)
    }

    async fn invite_by_token(
        &self,
        token_hash: &[u8],
        now: Millis,
    ) -> Result<Option<(Invite, Team)>> {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INVITE_COLUMNS} FROM team_invites
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses < max_uses"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await?
        else {
            return Ok(None);
        };
        let inv = invite(&row)?;
        let mut c = self.read.acquire().await?;
        Ok(team_by_id(&mut c, inv.team).await?.map(|t| (inv, t)))
    }

    async fn redeem_invite(
        &self,
        token_hash: &[u8],
        who: &Redeemer<'_>,
        now: Millis,
    ) -> Result<Redeemed> {
        if let Redeemer::New {
            name,
            password_hash,
        } = who
        {
            check_texts([name.as_str(), password_hash])?;
        }
        let mut tx = self.write.begin().await?;
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INVITE_COLUMNS} FROM team_invites
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses < max_uses"
        )))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Redeemed::Gone);
        };
        let inv = invite(&row)?;
        let Some(t) = team_by_id(&mut tx, inv.team).await? else {
            return Ok(Redeemed::Gone);
        };
        let user_id = match who {
            Redeemer::Existing(u) => {
                let held: Option<String> = sqlx::query_scalar(
                    "SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2",
                )
                .bind(t.id)
                .bind(u.0)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(held) = held.as_deref().and_then(TeamRole::parse)
                    && held <= inv.role
                {
                    let user = user_by_id(&mut tx, u.0).await?;
                    return Ok(Redeemed::AlreadyMember {
                        user,
                        team: t,
                        role: held,
                    });
                }
                *u
            }
            Redeemer::New {
                name,
                password_hash,
            } => UserId(
                sqlx::query_scalar(
                    "INSERT INTO users (name, name_key, password_hash, is_admin, created_at)
                     VALUES ($1, $2, $3, FALSE, $4) RETURNING id",
                )
                .bind(name.as_str())
                .bind(name.key())
                .bind(*password_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| conflict(e, || format!("a user named {name}")))?,
            ),
        };
        // The use is taken by a conditional update: of two redemptions of the last use, the
        // second waits for the first's row lock, then finds no use left.
        let taken = sqlx::query(
            "UPDATE team_invites SET uses = uses + 1
             WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 AND uses < max_uses",
        )
        .bind(inv.id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Ok(Redeemed::Gone);
        }
        sqlx::query(
            "INSERT INTO team_invite_uses (invite_id, user_id, at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(inv.id)
        .bind(user_id.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(t.id)
        .bind(user_id.0)
        .bind(inv.role.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let user = user_by_id(&mut tx, user_id.0).await?;
        tx.commit().await?;
        Ok(Redeemed::Joined {
            user,
            team: t,
            role: inv.role,
        })
    }

    async fn team_records(&self, users: &[UserId], roadmap: &str) -> Result<Vec<TeamRecord>> {
        check_text(roadmap)?;
        let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        // Two reads, each answered from an index alone where it can be: the records (an
        // index-only scan of `progress_team_read`), then the few notes their owners share.
        let mut records = sqlx::query(
            "SELECT user_id, topic, status, updated_at FROM progress
             WHERE roadmap = $2 AND user_id = ANY($1) AND status <> 'pending'",
        )
        .bind(&ids)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(TeamRecord {
                user: UserId(r.try_get(0)?),
                topic: r.try_get(1)?,
                status: status_from_db(r.try_get(2)?)?,
                updated_at: r.try_get(3)?,
                shared_note: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let notes = sqlx::query(
            "SELECT user_id, topic, note FROM progress
             WHERE roadmap = $2 AND user_id = ANY($1) AND note_shared AND status <> 'pending'
               AND note <> ''",
        )
        .bind(&ids)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?;
        if !notes.is_empty() {
            let mut shared: std::collections::HashMap<
                i64,
                std::collections::HashMap<String, String>,
            > = std::collections::HashMap::new();
            for r in &notes {
                shared
                    .entry(r.try_get(0)?)
                    .or_default()
                    .insert(r.try_get(1)?, r.try_get(2)?);
            }
            for rec in &mut records {
                rec.shared_note = shared
                    .get_mut(&rec.user.0)
                    .and_then(|m| m.remove(&rec.topic));
            }
        }
        Ok(records)
    }

    async fn progress_clocks(&self, users: &[UserId], roadmap: &str) -> Result<Vec<(UserId, i64)>> {
        check_text(roadmap)?;
        let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        // A person's count is spread over slots (migration 0010): added up here.
        sqlx::query(
            "SELECT user_id, SUM(changes)::BIGINT FROM progress_clock
             WHERE roadmap = $2 AND user_id = ANY($1)
             GROUP BY user_id",
        )
        .bind(&ids)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((UserId(r.try_get(0)?), r.try_get(1)?)))
        .collect()
    }

    async fn done_moves(
        &self,
        users: &[UserId],
        roadmap: &str,
    ) -> Result<Vec<(UserId, Millis, i64)>> {
        check_text(roadmap)?;
        let ids: Vec<i64> = users.iter().map(|u| u.0).collect();
        sqlx::query(
            "SELECT user_id, at, CASE WHEN to_status = 'done' THEN 1::BIGINT ELSE -1::BIGINT END
             FROM progress_history
             WHERE user_id = ANY($1) AND roadmap = $2
               AND (to_status = 'done') <> (COALESCE(from_status, '') = 'done')
             ORDER BY at, id",
        )
        .bind(&ids)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((UserId(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?)))
        .collect()
    }

    async fn set_note_shared(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        shared: bool,
    ) -> Result<bool> {
        check_texts([roadmap, topic])?;
        Ok(sqlx::query(
            "UPDATE progress SET note_shared = $4 WHERE user_id = $1 AND roadmap = $2 AND topic = $3",
        )
        .bind(user.0)
        .bind(roadmap)
        .bind(topic)
        .bind(shared)
        .execute(&self.write)
        .await?
        .rows_affected()
            > 0)
    }

    async fn shared_note_topics(&self, user: UserId, roadmap: &str) -> Result<Vec<String>> {
        check_text(roadmap)?;
        Ok(sqlx::query_scalar(
            "SELECT topic FROM progress
             WHERE user_id = $1 AND roadmap = $2 AND note_shared ORDER BY topic",
        )
        .bind(user.0)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?)
    }

    async fn add_focus(&self, new: &NewFocus<'_>, now: Millis) -> Result<Focus> {
        check_texts([new.roadmap, new.topic, new.reason])?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO focus_topics (team_id, user_id, roadmap, topic, due_day, reason,
                                       created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {FOCUS_COLUMNS}"
        )))
        .bind(new.team)
        .bind(new.user.map(|u| u.0))
        .bind(new.roadmap)
        .bind(new.topic)
        .bind(new.due_day)
        .bind(new.reason)
        .bind(new.created_by.map(|u| u.0))
        .bind(now)
        .fetch_one(&self.write)
        .await?;
        focus(&row)
    }

    async fn delete_focus(&self, team: i64, id: i64) -> Result<bool> {
        Ok(
            sqlx::query("DELETE FROM focus_topics WHERE team_id = $1 AND id = $2")
                .bind(team)
                .bind(id)
                .execute(&self.write)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn team_focus(&self, team: i64) -> Result<Vec<Focus>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FOCUS_COLUMNS} FROM focus_topics WHERE team_id = $1
             ORDER BY due_day IS NULL, due_day, created_at, id"
        )))
        .bind(team)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(focus)
        .collect()
    }

    async fn focus_for(&self, user: UserId) -> Result<Vec<Focus>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FOCUS_COLUMNS} FROM focus_topics
             WHERE team_id IN (SELECT team_id FROM team_members WHERE user_id = $1)
               AND (user_id = $1 OR user_id IS NULL)
             ORDER BY due_day IS NULL, due_day, created_at, id"
        )))
        .bind(user.0)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(focus)
        .collect()
    }

    async fn record_one_on_one(
        &self,
        team: i64,
        member: UserId,
        manager: Option<UserId>,
        at: Millis,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO one_on_ones (team_id, member_id, manager_id, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(team)
        .bind(member.0)
        .bind(manager.map(|u| u.0))
        .bind(at)
        .execute(&self.write)
        .await?;
        Ok(())
    }

    async fn last_one_on_one(&self, team: i64, member: UserId) -> Result<Option<Millis>> {
        Ok(sqlx::query_scalar(
            "SELECT MAX(at) FROM one_on_ones WHERE team_id = $1 AND member_id = $2",
        )
        .bind(team)
        .bind(member.0)
        .fetch_one(&self.read)
        .await?)
    }
}
