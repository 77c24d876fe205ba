//! Teams, members, invites, focus topics and 1:1 dates on SQLite.
//!
//! Lists of ids go into a statement as one JSON array (`IN (SELECT value FROM json_each(?1))`),
//! so that every statement is prepared once whatever the number of ids.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::users::user;
use super::{SqliteStore, collect, is_unique_violation};
use crate::policy::{check_text, check_texts};
use crate::{
    Focus, Invite, Member, Millis, NewFocus, NewInvite, NewTeam, Redeemed, Redeemer, Result,
    StoreError, Team, TeamChange, TeamRecord, TeamRole, TeamStore, UserId, status_from_db,
};

const TEAM_COLUMNS: &str = "id, slug, name, parent_id, show_names, created_at";
const INVITE_COLUMNS: &str =
    "id, team_id, role, max_uses, uses, expires_at, revoked_at, created_by, created_at";
pub(super) const FOCUS_COLUMNS: &str =
    "id, team_id, user_id, roadmap, topic, due_day, reason, created_by, created_at";
const USER_COLUMNS: &str = "u.id, u.name, u.display_name, u.is_admin, u.created_at";

fn team(r: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        parent: r.get(3)?,
        show_names: r.get(4)?,
        created_at: r.get(5)?,
    })
}

fn role(r: &Row, i: usize) -> rusqlite::Result<TeamRole> {
    let word: String = r.get(i)?;
    TeamRole::parse(&word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown team role {word:?}").into(),
        )
    })
}

fn invite(r: &Row) -> rusqlite::Result<Invite> {
    Ok(Invite {
        id: r.get(0)?,
        team: r.get(1)?,
        role: role(r, 2)?,
        max_uses: r.get(3)?,
        uses: r.get(4)?,
        expires_at: r.get(5)?,
        revoked_at: r.get(6)?,
        created_by: r.get::<_, Option<i64>>(7)?.map(UserId),
        created_at: r.get(8)?,
        used_by: Vec::new(),
    })
}

pub(super) fn focus(r: &Row) -> rusqlite::Result<Focus> {
    Ok(Focus {
        id: r.get(0)?,
        team: r.get(1)?,
        user: r.get::<_, Option<i64>>(2)?.map(UserId),
        roadmap: r.get(3)?,
        topic: r.get(4)?,
        due_day: r.get(5)?,
        reason: r.get(6)?,
        created_by: r.get::<_, Option<i64>>(7)?.map(UserId),
        created_at: r.get(8)?,
    })
}

/// Ids as the JSON array `json_each` reads.
pub(super) fn id_list(ids: impl Iterator<Item = i64>) -> String {
    let mut s = String::from("[");
    for (i, id) in ids.enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s.push(']');
    s
}

fn conflict(e: rusqlite::Error, what: impl FnOnce() -> String) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict(what())
    } else {
        e.into()
    }
}

/// Whether `ancestor` is `team` or above it.
fn is_at_or_above(c: &Connection, ancestor: i64, team: i64) -> Result<bool> {
    Ok(c.prepare_cached(
        "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT t.parent_id FROM teams t JOIN up ON t.id = up.id
                                   WHERE t.parent_id IS NOT NULL)
         SELECT EXISTS (SELECT 1 FROM up WHERE id = ?1)",
    )?
    .query_row(params![ancestor, team], |r| r.get(0))?)
}

fn team_by_id(c: &Connection, id: i64) -> Result<Option<Team>> {
    Ok(
        c.prepare_cached(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = ?1"))?
            .query_row([id], team)
            .optional()?,
    )
}

fn user_by_id(c: &Connection, id: i64) -> Result<crate::User> {
    Ok(c.prepare_cached(
        "SELECT id, name, display_name, is_admin, created_at FROM users WHERE id = ?1",
    )?
    .query_row([id], user)?)
}

#[derive(Debug)]
enum OwnedRedeemer {
    Existing(UserId),
    New {
        name: String,
        key: String,
        hash: String,
    },
}

fn redeem(c: &Connection, hash: &[u8], who: &OwnedRedeemer, now: Millis) -> Result<Redeemed> {
    let found = c
        .prepare_cached(&format!(
            "SELECT {INVITE_COLUMNS} FROM team_invites
             WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2 AND uses < max_uses"
        ))?
        .query_row(params![hash, now], invite)
        .optional()?;
    let Some(inv) = found else {
        return Ok(Redeemed::Gone);
    };
    let Some(t) = team_by_id(c, inv.team)? else {
        return Ok(Redeemed::Gone);
    };
    let user_id = match who {
        OwnedRedeemer::Existing(u) => *u,
        OwnedRedeemer::New { name, key, hash } => c
            .prepare_cached(
                "INSERT INTO users (name, name_key, password_hash, is_admin, created_at)
                 VALUES (?1, ?2, ?3, 0, ?4) RETURNING id",
            )?
            .query_row(params![name, key, hash, now], |r| r.get(0).map(UserId))
            .map_err(|e| conflict(e, || format!("a user named {name}")))?,
    };
    let u = user_by_id(c, user_id.0)?;
    let held: Option<TeamRole> = c
        .prepare_cached("SELECT role FROM team_members WHERE team_id = ?1 AND user_id = ?2")?
        .query_row(params![t.id, user_id.0], |r| role(r, 0))
        .optional()?;
    if let Some(held) = held
        && held <= inv.role
    {
        return Ok(Redeemed::AlreadyMember {
            user: u,
            team: t,
            role: held,
        });
    }
    c.prepare_cached("UPDATE team_invites SET uses = uses + 1 WHERE id = ?1")?
        .execute([inv.id])?;
    c.prepare_cached(
        "INSERT INTO team_invite_uses (invite_id, user_id, at) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![inv.id, user_id.0, now])?;
    c.prepare_cached(
        "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
    )?
    .execute(params![t.id, user_id.0, inv.role.as_str(), now])?;
    Ok(Redeemed::Joined {
        user: u,
        team: t,
        role: inv.role,
    })
}

#[async_trait]
impl TeamStore for SqliteStore {
    async fn create_team(&self, new: &NewTeam<'_>, now: Millis) -> Result<Team> {
        check_texts([new.slug, new.name])?;
        let (slug, name, key, parent) = (
            new.slug.to_owned(),
            new.name.to_owned(),
            new.name.to_lowercase(),
            new.parent,
        );
        self.write(move |c| {
            if let Some(p) = parent
                && team_by_id(c, p)?.is_none()
            {
                return Err(StoreError::Invalid(format!("no parent team with id {p}")));
            }
            c.prepare_cached(&format!(
                "INSERT INTO teams (slug, name, name_key, parent_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {TEAM_COLUMNS}"
            ))?
            .query_row(params![slug, name, key, parent, now], team)
            .map_err(|e| {
                conflict(e, || {
                    format!("a team named {name} or with the address {slug}")
                })
            })
        })
        .await
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {TEAM_COLUMNS} FROM teams ORDER BY name_key"
                ))?
                .query_map([], team)?,
            )
        })
    }

    async fn team(&self, slug: &str) -> Result<Option<Team>> {
        check_text(slug)?;
        self.read(|c| {
            c.prepare_cached(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE slug = ?1"))?
                .query_row([slug], team)
                .optional()
        })
    }

    async fn change_team(&self, id: i64, change: &TeamChange<'_>) -> Result<Option<Team>> {
        check_texts([change.name.unwrap_or_default()])?;
        let name = change.name.map(str::to_owned);
        let (parent, show) = (change.parent, change.show_names);
        self.write(move |c| {
            if team_by_id(c, id)?.is_none() {
                return Ok(None);
            }
            if let Some(name) = &name {
                c.prepare_cached("UPDATE teams SET name = ?2, name_key = ?3 WHERE id = ?1")?
                    .execute(params![id, name, name.to_lowercase()])
                    .map_err(|e| conflict(e, || format!("a team named {name}")))?;
            }
            if let Some(parent) = parent {
                if let Some(p) = parent {
                    if team_by_id(c, p)?.is_none() {
                        return Err(StoreError::Invalid(format!("no parent team with id {p}")));
                    }
                    if is_at_or_above(c, id, p)? {
                        return Err(StoreError::Refused(
                            "a team cannot sit under itself or under a team beneath it".into(),
                        ));
                    }
                }
                c.prepare_cached("UPDATE teams SET parent_id = ?2 WHERE id = ?1")?
                    .execute(params![id, parent])?;
            }
            if let Some(show) = show {
                c.prepare_cached("UPDATE teams SET show_names = ?2 WHERE id = ?1")?
                    .execute(params![id, show])?;
            }
            team_by_id(c, id)
        })
        .await
    }

    async fn delete_team(&self, id: i64) -> Result<bool> {
        self.write(move |c| {
            Ok(c.prepare_cached("DELETE FROM teams WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }

    async fn set_member(&self, team: i64, user: UserId, role: TeamRole, now: Millis) -> Result<()> {
        self.write(move |c| {
            if team_by_id(c, team)?.is_none() {
                return Err(StoreError::Invalid(format!("no team with id {team}")));
            }
            c.prepare_cached(
                "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
            )?
            .execute(params![team, user.0, role.as_str(), now])?;
            Ok(())
        })
        .await
    }

    async fn remove_member(&self, team: i64, user: UserId) -> Result<bool> {
        self.write(move |c| {
            Ok(
                c.prepare_cached("DELETE FROM team_members WHERE team_id = ?1 AND user_id = ?2")?
                    .execute(params![team, user.0])?
                    > 0,
            )
        })
        .await
    }

    async fn members(&self, teams: &[i64]) -> Result<Vec<Member>> {
        let ids = id_list(teams.iter().copied());
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {USER_COLUMNS}, m.team_id, m.role, m.added_at
                     FROM team_members m JOIN users u ON u.id = m.user_id
                     WHERE m.team_id IN (SELECT value FROM json_each(?1))
                     ORDER BY m.team_id, lower(COALESCE(u.display_name, u.name)), u.id"
                ))?
                .query_map([ids], |r| {
                    Ok(Member {
                        user: user_at(r)?,
                        team: r.get(5)?,
                        role: role(r, 6)?,
                        added_at: r.get(7)?,
                    })
                })?,
            )
        })
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<(Team, TeamRole)>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT t.id, t.slug, t.name, t.parent_id, t.show_names, t.created_at, m.role
                     FROM team_members m JOIN teams t ON t.id = m.team_id
                     WHERE m.user_id = ?1 ORDER BY t.name_key",
                )?
                .query_map([user.0], |r| Ok((team(r)?, role(r, 6)?)))?,
            )
        })
    }

    async fn create_invite(&self, new: &NewInvite<'_>, now: Millis) -> Result<Invite> {
        let (team, hash, role, uses, expires, by) = (
            new.team,
            new.token_hash.to_vec(),
            new.role,
            new.max_uses,
            new.expires_at,
            new.created_by,
        );
        self.write(move |c| {
            Ok(c.prepare_cached(&format!(
                "INSERT INTO team_invites (team_id, token_hash, role, max_uses, expires_at,
                                           created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING {INVITE_COLUMNS}"
            ))?
            .query_row(
                params![
                    team,
                    hash,
                    role.as_str(),
                    uses,
                    expires,
                    by.map(|u| u.0),
                    now
                ],
                invite,
            )?)
        })
        .await
    }

    async fn invites(&self, team: i64) -> Result<Vec<Invite>> {
        self.read(|c| {
            let mut invites = collect(
                c.prepare_cached(&format!(
                    "SELECT {INVITE_COLUMNS} FROM team_invites WHERE team_id = ?1 ORDER BY id DESC"
                ))?
                .query_map([team], invite)?,
            )?;
            let mut uses = c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS}, x.at FROM team_invite_uses x JOIN users u ON u.id = x.user_id
                 WHERE x.invite_id = ?1 ORDER BY x.at, u.id"
            ))?;
            for inv in &mut invites {
                inv.used_by = collect(
                    uses.query_map([inv.id], |r| Ok((user_at(r)?, r.get(5)?)))?,
                )?;
            }
            Ok(invites)
        })
    }

    async fn revoke_invite(&self, team: i64, id: i64, now: Millis) -> Result<bool> {
        self.write(move |c| {
            Ok(c.prepare_cached(
                "UPDATE team_invites SET revoked_at = ?3
                     WHERE team_id = ?1 AND id = ?2 AND revoked_at IS NULL",
            )?
            .execute(params![team, id, now])?
                > 0)
        })
        .await
    }

    async fn invite_by_token(
        &self,
        token_hash: &[u8],
        now: Millis,
    ) -> Result<Option<(Invite, Team)>> {
        self.read(|c| {
            let Some(inv) = c
                .prepare_cached(&format!(
                    "SELECT {INVITE_COLUMNS} FROM team_invites
                     WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2
                       AND uses < max_uses"
                ))?
                .query_row(params![token_hash, now], invite)
                .optional()?
            else {
                return Ok(None);
            };
            let t = c
                .prepare_cached(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = ?1"))?
                .query_row([inv.team], team)
                .optional()?;
            Ok(t.map(|t| (inv, t)))
        })
    }

    async fn redeem_invite(
        &self,
        token_hash: &[u8],
        who: &Redeemer<'_>,
        now: Millis,
    ) -> Result<Redeemed> {
        let who = match who {
            Redeemer::Existing(u) => OwnedRedeemer::Existing(*u),
            Redeemer::New {
                name,
                password_hash,
            } => {
                check_texts([name.as_str(), password_hash])?;
                OwnedRedeemer::New {
                    name: name.as_str().to_owned(),
                    key: name.key(),
                    hash: (*password_hash).to_owned(),
                }
            }
        };
        let hash = token_hash.to_vec();
        self.write(move |c| redeem(c, &hash, &who, now)).await
    }

    async fn team_records(&self, users: &[UserId], roadmap: &str) -> Result<Vec<TeamRecord>> {
        check_text(roadmap)?;
        let ids = id_list(users.iter().map(|u| u.0));
        let raw = self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT user_id, topic, status, updated_at,
                            CASE WHEN note_shared AND note <> '' THEN note END
                     FROM progress
                     WHERE user_id IN (SELECT value FROM json_each(?1)) AND roadmap = ?2
                       AND status <> 'pending'",
                )?
                .query_map(params![ids, roadmap], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })?,
            )
        })?;
        raw.into_iter()
            .map(|(u, topic, status, at, note)| {
                Ok(TeamRecord {
                    user: UserId(u),
                    topic,
                    status: status_from_db(&status)?,
                    updated_at: at,
                    shared_note: note,
                })
            })
            .collect()
    }

    async fn progress_clocks(&self, users: &[UserId], roadmap: &str) -> Result<Vec<(UserId, i64)>> {
        check_text(roadmap)?;
        let ids = id_list(users.iter().map(|u| u.0));
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT user_id, SUM(changes) FROM progress_clock
                     WHERE roadmap = ?2 AND user_id IN (SELECT value FROM json_each(?1))
                     GROUP BY user_id",
                )?
                .query_map(params![ids, roadmap], |r| {
                    Ok((UserId(r.get(0)?), r.get(1)?))
                })?,
            )
        })
    }

    async fn done_moves(
        &self,
        users: &[UserId],
        roadmap: &str,
    ) -> Result<Vec<(UserId, Millis, i64)>> {
        check_text(roadmap)?;
        let ids = id_list(users.iter().map(|u| u.0));
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT user_id, at, CASE WHEN to_status = 'done' THEN 1 ELSE -1 END
                     FROM progress_history
                     WHERE user_id IN (SELECT value FROM json_each(?1)) AND roadmap = ?2
                       AND (to_status = 'done') <> (COALESCE(from_status, '') = 'done')
                     ORDER BY at, id",
                )?
                .query_map(params![ids, roadmap], |r| {
                    Ok((UserId(r.get(0)?), r.get(1)?, r.get(2)?))
                })?,
            )
        })
    }

    async fn set_note_shared(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        shared: bool,
    ) -> Result<bool> {
        check_texts([roadmap, topic])?;
        let (roadmap, topic) = (roadmap.to_owned(), topic.to_owned());
        self.write(move |c| {
            Ok(c.prepare_cached(
                "UPDATE progress SET note_shared = ?4
                     WHERE user_id = ?1 AND roadmap = ?2 AND topic = ?3",
            )?
            .execute(params![user.0, roadmap, topic, shared])?
                > 0)
        })
        .await
    }

    async fn shared_note_topics(&self, user: UserId, roadmap: &str) -> Result<Vec<String>> {
        check_text(roadmap)?;
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT topic FROM progress
                     WHERE user_id = ?1 AND roadmap = ?2 AND note_shared ORDER BY topic",
                )?
                .query_map(params![user.0, roadmap], |r| r.get(0))?,
            )
        })
    }

    async fn add_focus(&self, new: &NewFocus<'_>, now: Millis) -> Result<Focus> {
        check_texts([new.roadmap, new.topic, new.reason])?;
        let (team, user, roadmap, topic, due, reason, by) = (
            new.team,
            new.user.map(|u| u.0),
            new.roadmap.to_owned(),
            new.topic.to_owned(),
            new.due_day,
            new.reason.to_owned(),
            new.created_by.map(|u| u.0),
        );
        self.write(move |c| {
            Ok(c.prepare_cached(&format!(
                "INSERT INTO focus_topics (team_id, user_id, roadmap, topic, due_day, reason,
                                           created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING {FOCUS_COLUMNS}"
            ))?
            .query_row(
                params![team, user, roadmap, topic, due, reason, by, now],
                focus,
            )?)
        })
        .await
    }

    async fn delete_focus(&self, team: i64, id: i64) -> Result<bool> {
        self.write(move |c| {
            Ok(
                c.prepare_cached("DELETE FROM focus_topics WHERE team_id = ?1 AND id = ?2")?
                    .execute(params![team, id])?
                    > 0,
            )
        })
        .await
    }

    async fn team_focus(&self, team: i64) -> Result<Vec<Focus>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {FOCUS_COLUMNS} FROM focus_topics WHERE team_id = ?1
                     ORDER BY due_day IS NULL, due_day, created_at, id"
                ))?
                .query_map([team], focus)?,
            )
        })
    }

    async fn focus_for(&self, user: UserId) -> Result<Vec<Focus>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {FOCUS_COLUMNS} FROM focus_topics
                     WHERE team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1)
               AND (user_id = ?1 OR user_id IS NULL)
                     ORDER BY due_day IS NULL, due_day, created_at, id"
                ))?
                .query_map([user.0], focus)?,
            )
        })
    }

    async fn record_one_on_one(
        &self,
        team: i64,
        member: UserId,
        manager: Option<UserId>,
        at: Millis,
    ) -> Result<()> {
        self.write(move |c| {
            c.prepare_cached(
                "INSERT INTO one_on_ones (team_id, member_id, manager_id, at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![team, member.0, manager.map(|u| u.0), at])?;
            Ok(())
        })
        .await
    }

    async fn last_one_on_one(&self, team: i64, member: UserId) -> Result<Option<Millis>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT MAX(at) FROM one_on_ones WHERE team_id = ?1 AND member_id = ?2",
            )?
            .query_row(params![team, member.0], |r| r.get(0))
        })
    }
}

fn user_at(r: &Row) -> rusqlite::Result<crate::User> {
    Ok(crate::User {
        id: UserId(r.get(0)?),
        name: r.get(1)?,
        display_name: r.get(2)?,
        is_admin: r.get(3)?,
        created_at: r.get(4)?,
    })
}
