//! Teams as one person reaches them. [`MyTeams`] (from [`Me::teams`] or [`ApiMe::teams`])
//! lists the teams a person may see and opens one as a [`TeamView`], whose relation to the
//! person was read from the store in this request (no right outlives a request): an admin or a
//! manager of the team or of a team above it gets [`Managed`] (members' statuses, shared notes,
//! invites, focus topics, 1:1s); a member gets the team's aggregate (names only when the team
//! shows them; never a note). A team the person has no relation to is not found, exactly like
//! one that does not exist.

use std::collections::{HashMap, HashSet};

use leadmap_app::Entry;
use leadmap_app::secrets;
use leadmap_app::teams::TeamRecords;
use leadmap_app::time::now_ms;
use leadmap_store::{
    Change, Focus, HistoryFilter, Invite, Member, NewFocus, Redeemed, Redeemer, StoreError, Team,
    TeamChange, TeamRecord, TeamRole, User, UserId, UserName,
};

use super::capability::{ApiMe, Me};
use super::state::AppState;
use crate::web::error::AppError;

/// How a person stands to a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    /// The server's admins: every team, as its managers.
    Admin,
    /// A manager of the team, or of a team above it.
    Manager,
    /// A member of the team (and no manager above it).
    Member,
}

impl Relation {
    pub fn manages(self) -> bool {
        matches!(self, Relation::Admin | Relation::Manager)
    }

    pub fn word(self) -> &'static str {
        match self {
            Relation::Admin => "admin",
            Relation::Manager => "manager",
            Relation::Member => "member",
        }
    }
}

/// How `user` stands to every team they may see: admins to all; a manager to their teams and
/// every team beneath; a member to their own teams.
pub(super) fn relations(
    user: &User,
    teams: &[Team],
    memberships: &[(Team, TeamRole)],
) -> HashMap<i64, Relation> {
    let mut out = HashMap::new();
    if user.is_admin {
        for t in teams {
            out.insert(t.id, Relation::Admin);
        }
        return out;
    }
    for (t, role) in memberships {
        match role {
            TeamRole::Manager => {
                out.insert(t.id, Relation::Manager);
                for d in leadmap_app::teams::descendants(teams, t.id) {
                    out.insert(d, Relation::Manager);
                }
            }
            TeamRole::Member => {
                out.entry(t.id).or_insert(Relation::Member);
            }
        }
    }
    out
}

/// The teams as one person reaches them.
#[derive(Debug)]
pub struct MyTeams<'a> {
    state: &'a AppState,
    user: &'a User,
}

impl Me {
    pub fn teams(&self) -> MyTeams<'_> {
        MyTeams {
            state: self.state(),
            user: &self.user,
        }
    }
}

impl ApiMe {
    pub fn teams(&self) -> MyTeams<'_> {
        MyTeams {
            state: self.state(),
            user: &self.user,
        }
    }
}

impl<'a> MyTeams<'a> {
    /// Every team this person may see, by name, with how they stand to it.
    pub async fn list(&self) -> Result<Vec<(Team, Relation)>, AppError> {
        let store = self.state.store();
        let teams = store.teams().await?;
        let mine = store.memberships(self.user.id).await?;
        let rel = relations(self.user, &teams, &mine);
        Ok(teams
            .into_iter()
            .filter_map(|t| rel.get(&t.id).copied().map(|r| (t, r)))
            .collect())
    }

    /// The teams the person belongs to themselves, with their role.
    pub async fn memberships(&self) -> Result<Vec<(Team, TeamRole)>, AppError> {
        Ok(self.state.store().memberships(self.user.id).await?)
    }

    /// One team, when this person may see it (else not found).
    pub async fn open(&self, slug: &str) -> Result<TeamView<'a>, AppError> {
        let store = self.state.store();
        let teams = store.teams().await?;
        let Some(team) = teams.iter().find(|t| t.slug == slug).cloned() else {
            return Err(AppError::NotFound);
        };
        let mine = store.memberships(self.user.id).await?;
        let rel = relations(self.user, &teams, &mine);
        let relation = *rel.get(&team.id).ok_or(AppError::NotFound)?;
        Ok(TeamView {
            state: self.state,
            user: self.user,
            team,
            relation,
            teams,
        })
    }

    /// Whether this person may create teams (the admins).
    pub fn may_create(&self) -> bool {
        self.user.is_admin
    }

    /// Creates a team (admins only; anyone else: not found).
    pub async fn create(
        &self,
        name: &str,
        slug: Option<&str>,
        parent: Option<&str>,
    ) -> Result<Team, AppError> {
        if !self.user.is_admin {
            return Err(AppError::NotFound);
        }
        Ok(leadmap_app::teams::manage::create_team(
            self.state.store(),
            name,
            slug,
            parent,
            now_ms(),
        )
        .await?)
    }

    /// Joins the team of an invite with this account.
    pub async fn join(&self, token: &str) -> Result<Redeemed, AppError> {
        Ok(self
            .state
            .store()
            .redeem_invite(
                &secrets::secret_hash(token),
                &Redeemer::Existing(self.user.id),
                now_ms(),
            )
            .await?)
    }

    /// The focus topics suggested to this person (directly or to a team of theirs).
    pub async fn focus(&self) -> Result<Vec<Focus>, AppError> {
        Ok(self.state.store().focus_for(self.user.id).await?)
    }

    /// Shares the person's note on a topic with their managers, or makes it private again.
    pub async fn share_note(
        &self,
        roadmap: &str,
        topic: &str,
        shared: bool,
    ) -> Result<bool, AppError> {
        Ok(self
            .state
            .store()
            .set_note_shared(self.user.id, roadmap, topic, shared)
            .await?)
    }

    /// The topics of a roadmap whose notes this person shares.
    pub async fn shared_notes(&self, roadmap: &str) -> Result<HashSet<String>, AppError> {
        Ok(self
            .state
            .store()
            .shared_note_topics(self.user.id, roadmap)
            .await?
            .into_iter()
            .collect())
    }
}

/// An invite's team, as whoever holds the link sees it (before joining).
pub async fn invite_team(
    state: &AppState,
    token: &str,
) -> Result<Option<(Invite, Team)>, AppError> {
    if token.len() > 128 {
        return Ok(None);
    }
    Ok(state
        .store()
        .invite_by_token(&secrets::secret_hash(token), now_ms())
        .await?)
}

/// A new person joins through an invite: the password is hashed only while the link still
/// works, the account is created only if the invite still has a use (and then the use is
/// theirs), and their session starts. Returns what the redemption did and, when they joined,
/// the session cookie's secret.
pub async fn join_as_new(
    state: &AppState,
    token: &str,
    name: &UserName,
    display_name: Option<&str>,
    password: secrets::Password,
    user_agent: &str,
) -> Result<(Redeemed, Option<String>), AppError> {
    if invite_team(state, token).await?.is_none() {
        return Ok((Redeemed::Gone, None));
    }
    let hash = state
        .hashing(move || secrets::hash_password(&password))
        .await?
        .map_err(|e| AppError::internal("hashing a new password", e))?;
    let store = state.store();
    let redeemed = store
        .redeem_invite(
            &secrets::secret_hash(token),
            &Redeemer::New {
                name,
                password_hash: &hash,
            },
            now_ms(),
        )
        .await?;
    let session = match &redeemed {
        Redeemed::Joined { user, .. } => {
            if display_name.is_some() {
                store.set_display_name(user.id, display_name).await?;
            }
            Some(super::signin::start_session(state, user.id, user_agent).await?)
        }
        _ => None,
    };
    Ok((redeemed, session))
}

/// Open sign-up (`serve --open-signup`): anyone creates an account, in no team.
pub async fn sign_up(
    state: &AppState,
    name: &UserName,
    display_name: Option<&str>,
    password: secrets::Password,
    user_agent: &str,
) -> Result<String, AppError> {
    if !state.config().open_signup {
        return Err(AppError::NotFound);
    }
    let hash = state
        .hashing(move || secrets::hash_password(&password))
        .await?
        .map_err(|e| AppError::internal("hashing a new password", e))?;
    let store = state.store();
    let user = store.create_user(name, &hash, false, now_ms()).await?;
    if display_name.is_some() {
        store.set_display_name(user.id, display_name).await?;
    }
    super::signin::start_session(state, user.id, user_agent).await
}

/// A team as one person may see it.
#[derive(Debug)]
pub struct TeamView<'a> {
    state: &'a AppState,
    user: &'a User,
    pub team: Team,
    pub relation: Relation,
    teams: Vec<Team>,
}

/// What a member (not a manager) sees of the team's progress: statuses without names unless
/// the team shows names, and never a note.
#[derive(Debug)]
pub struct TeamProgress {
    /// The people counted (names blank unless shown).
    pub people: Vec<leadmap_app::teams::dashboard::Person>,
    pub records: Vec<TeamRecord>,
}

impl<'a> TeamView<'a> {
    /// The team's parent, if any.
    pub fn parent(&self) -> Option<&Team> {
        let p = self.team.parent?;
        self.teams.iter().find(|t| t.id == p)
    }

    /// The teams directly beneath this one.
    pub fn children(&self) -> Vec<&Team> {
        self.teams
            .iter()
            .filter(|t| t.parent == Some(self.team.id))
            .collect()
    }

    /// Every team (for a parent picker), only for those who manage this one.
    pub fn all_teams(&self) -> &[Team] {
        if self.relation.manages() {
            &self.teams
        } else {
            &[]
        }
    }

    /// This team and every team beneath it.
    pub fn subtree(&self) -> Vec<i64> {
        let mut ids = vec![self.team.id];
        ids.extend(leadmap_app::teams::descendants(&self.teams, self.team.id));
        ids
    }

    /// The people of this team and of every team beneath it, each once (their role in the
    /// highest team they are in), by shown name.
    pub async fn people(&self) -> Result<Vec<Member>, AppError> {
        let members = self.state.store().members(&self.subtree()).await?;
        let mut seen = HashSet::new();
        let mut out: Vec<Member> = Vec::with_capacity(members.len());
        // Members of this team first, so their role here wins.
        let (here, below): (Vec<Member>, Vec<Member>) =
            members.into_iter().partition(|m| m.team == self.team.id);
        for m in here.into_iter().chain(below) {
            if seen.insert(m.user.id) {
                out.push(m);
            }
        }
        out.sort_by(|a, b| {
            a.user
                .shown_name()
                .to_lowercase()
                .cmp(&b.user.shown_name().to_lowercase())
                .then(a.user.id.cmp(&b.user.id))
        });
        Ok(out)
    }

    /// The members of this team itself (not of the teams beneath).
    pub async fn own_members(&self) -> Result<Vec<Member>, AppError> {
        Ok(self.state.store().members(&[self.team.id]).await?)
    }

    /// A roadmap this person may read, prepared.
    pub async fn roadmap(&self, id: &str) -> Result<std::sync::Arc<Entry>, AppError> {
        Ok(self.state.roadmap(Some(self.user), id).await?.entry)
    }

    /// The roadmaps this person may read (id, title), for the team's roadmap picker.
    pub async fn roadmaps(&self) -> Result<Vec<(String, String)>, AppError> {
        Ok(self
            .state
            .roadmaps(Some(self.user))
            .await?
            .iter()
            .map(|c| (c.entry.id.clone(), c.entry.title()))
            .collect())
    }

    /// What a member may see of the team's progress on a roadmap: statuses, no notes; names
    /// only when the team shows them (otherwise "Member 1", "Member 2" … in a fixed order).
    pub async fn aggregate(&self, roadmap: &str) -> Result<TeamProgress, AppError> {
        let people = self.people().await?;
        let ids: Vec<UserId> = people.iter().map(|m| m.user.id).collect();
        // A member sees statuses, never notes: the kept records are copied without them.
        let records = self
            .state
            .team_records(&ids, roadmap)
            .await?
            .iter()
            .map(|r| TeamRecord {
                user: r.user,
                topic: r.topic.clone(),
                status: r.status,
                updated_at: r.updated_at,
                shared_note: None,
            })
            .collect();
        let named = self.team.show_names || self.relation.manages();
        let people = people
            .iter()
            .enumerate()
            .map(|(i, m)| leadmap_app::teams::dashboard::Person {
                id: m.user.id,
                name: if named {
                    m.user.shown_name().to_owned()
                } else {
                    format!("Member {}", i + 1)
                },
            })
            .collect();
        Ok(TeamProgress { people, records })
    }

    /// The manager's capability, for admins and managers of this team or above (else not
    /// found).
    pub fn managed(&self) -> Result<Managed<'_>, AppError> {
        if self.relation.manages() {
            Ok(Managed { view: self })
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// What an admin or a manager may do with a team.
#[derive(Debug)]
pub struct Managed<'v> {
    view: &'v TeamView<'v>,
}

impl Managed<'_> {
    fn store(&self) -> &dyn leadmap_store::Store {
        self.view.state.store()
    }

    fn team(&self) -> &Team {
        &self.view.team
    }

    /// The manager themselves.
    pub fn me(&self) -> &User {
        self.view.user
    }

    /// Members' records of a roadmap, with the notes they shared.
    pub async fn records(&self, people: &[Member], roadmap: &str) -> Result<TeamRecords, AppError> {
        let ids: Vec<UserId> = people.iter().map(|m| m.user.id).collect();
        self.view.state.team_records(&ids, roadmap).await
    }

    /// The moves to and from done of these people on a roadmap (the trend).
    pub async fn done_moves(
        &self,
        people: &[Member],
        roadmap: &str,
    ) -> Result<Vec<(UserId, i64, i64)>, AppError> {
        let ids: Vec<UserId> = people.iter().map(|m| m.user.id).collect();
        Ok(self.store().done_moves(&ids, roadmap).await?)
    }

    /// A person of this team or beneath it, by user name (else not found).
    pub async fn person(&self, name: &str) -> Result<Member, AppError> {
        let key = name.trim().to_lowercase();
        self.view
            .people()
            .await?
            .into_iter()
            .find(|m| m.user.name.to_lowercase() == key)
            .ok_or(AppError::NotFound)
    }

    /// A person's changes of a roadmap since a moment (their statuses, never notes).
    pub async fn changes_since(
        &self,
        person: &Member,
        roadmap: &str,
        since: Option<i64>,
    ) -> Result<Vec<Change>, AppError> {
        let filter = HistoryFilter {
            roadmap: Some(roadmap.to_owned()),
            since,
            limit: 200,
            ..HistoryFilter::default()
        };
        Ok(self.store().history(person.user.id, &filter).await?)
    }

    /// Adds a person with an account to this team, or changes their role.
    pub async fn set_member(&self, name: &str, role: TeamRole) -> Result<User, AppError> {
        let user = self
            .store()
            .credentials(name.trim())
            .await?
            .map(|c| c.user)
            .ok_or_else(|| {
                AppError::Unprocessable(format!("no account named {:?}", name.trim()))
            })?;
        self.store()
            .set_member(self.team().id, user.id, role, now_ms())
            .await?;
        Ok(user)
    }

    /// Removes a person from this team (their progress stays theirs).
    pub async fn remove_member(&self, name: &str) -> Result<bool, AppError> {
        let Some(c) = self.store().credentials(name.trim()).await? else {
            return Ok(false);
        };
        Ok(self
            .store()
            .remove_member(self.team().id, c.user.id)
            .await?)
    }

    /// Renames, moves or changes whether members see names.
    pub async fn change(
        &self,
        name: Option<&str>,
        parent: Option<Option<&str>>,
        show_names: Option<bool>,
    ) -> Result<Team, AppError> {
        let name = name.map(leadmap_app::teams::TeamName::parse).transpose()?;
        let parent = match parent {
            None => None,
            Some(None) => Some(None),
            Some(Some(slug)) => Some(Some(
                self.view
                    .teams
                    .iter()
                    .find(|t| t.slug == slug)
                    .map(|t| t.id)
                    .ok_or_else(|| AppError::Unprocessable(format!("no team {slug:?}")))?,
            )),
        };
        // Only an admin may move a team to the top, or under a team the manager does not
        // manage: a manager would otherwise take a team out of their own manager's sight.
        if !self.view.user.is_admin
            && let Some(p) = parent
        {
            let managed: HashSet<i64> = {
                let mine = self.store().memberships(self.view.user.id).await?;
                relations(self.view.user, &self.view.teams, &mine)
                    .into_iter()
                    .filter(|(_, r)| r.manages())
                    .map(|(id, _)| id)
                    .collect()
            };
            if !p.is_some_and(|p| managed.contains(&p)) {
                return Err(AppError::Unprocessable(
                    "only an admin can move a team to the top or under a team you do not manage"
                        .into(),
                ));
            }
        }
        let change = TeamChange {
            name: name.as_ref().map(|n| n.as_str()),
            parent,
            show_names,
        };
        match self.store().change_team(self.team().id, &change).await {
            Ok(Some(t)) => Ok(t),
            Ok(None) => Err(AppError::NotFound),
            Err(StoreError::Refused(m)) => Err(AppError::Unprocessable(m)),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the team (admins only): memberships, invites, focus topics go; progress stays.
    pub async fn delete(&self) -> Result<(), AppError> {
        if !self.view.user.is_admin {
            return Err(AppError::NotFound);
        }
        self.store().delete_team(self.team().id).await?;
        Ok(())
    }

    pub async fn invites(&self) -> Result<Vec<Invite>, AppError> {
        Ok(self.store().invites(self.team().id).await?)
    }

    /// A new invite link; the token is shown once (only its hash is kept).
    pub async fn invite(
        &self,
        role: TeamRole,
        uses: Option<&str>,
        days: Option<&str>,
    ) -> Result<(Invite, String), AppError> {
        let terms = leadmap_app::teams::InviteTerms::parse(uses, days)?;
        Ok(leadmap_app::teams::manage::invite(
            self.store(),
            self.team(),
            role,
            terms,
            Some(self.view.user),
            now_ms(),
        )
        .await?)
    }

    pub async fn revoke_invite(&self, id: i64) -> Result<bool, AppError> {
        Ok(self
            .store()
            .revoke_invite(self.team().id, id, now_ms())
            .await?)
    }

    /// Suggests a topic to a person of the team (by name) or to the whole team.
    pub async fn suggest(
        &self,
        entry: &Entry,
        topic: &str,
        person: Option<&str>,
        due_day: Option<i64>,
        reason: &str,
    ) -> Result<Focus, AppError> {
        if !entry.has_topic(topic) {
            return Err(AppError::Unprocessable(format!(
                "{:?} has no topic {topic:?}",
                entry.id
            )));
        }
        let reason = leadmap_app::teams::FocusReason::parse(reason)?;
        let user = match person.map(str::trim).filter(|p| !p.is_empty()) {
            Some(name) => Some(self.person(name).await?.user.id),
            None => None,
        };
        Ok(self
            .store()
            .add_focus(
                &NewFocus {
                    team: self.team().id,
                    user,
                    roadmap: &entry.id,
                    topic,
                    due_day,
                    reason: reason.as_str(),
                    created_by: Some(self.view.user.id),
                },
                now_ms(),
            )
            .await?)
    }

    pub async fn focus(&self) -> Result<Vec<Focus>, AppError> {
        Ok(self.store().team_focus(self.team().id).await?)
    }

    /// The focus topics suggested to a person by this team or a team beneath it (not those
    /// of other teams, which this manager may not see).
    pub async fn person_focus(&self, person: &Member) -> Result<Vec<Focus>, AppError> {
        let subtree = self.view.subtree();
        Ok(self
            .store()
            .focus_for(person.user.id)
            .await?
            .into_iter()
            .filter(|f| subtree.contains(&f.team))
            .collect())
    }

    pub async fn remove_focus(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.store().delete_focus(self.team().id, id).await?)
    }

    /// Records a 1:1 with a person of the team, now.
    pub async fn record_one_on_one(&self, person: &Member) -> Result<(), AppError> {
        Ok(self
            .store()
            .record_one_on_one(
                self.team().id,
                person.user.id,
                Some(self.view.user.id),
                now_ms(),
            )
            .await?)
    }

    pub async fn last_one_on_one(&self, person: &Member) -> Result<Option<i64>, AppError> {
        Ok(self
            .store()
            .last_one_on_one(self.team().id, person.user.id)
            .await?)
    }
}
