//! The list of teams, creating one, and a team's page: members and roles, sub-teams, the
//! roadmaps to open the dashboard of, invites, settings.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use leadmap_app::teams::manage::invite_path;
use leadmap_app::time::display;
use leadmap_store::TeamRole;
use serde::Deserialize;

use crate::access::{AppState, Me, Relation, TeamView};
use crate::web::chrome::html_status;
use crate::web::{AppError, Chrome, PageResult, html};

pub(super) struct TeamRow {
    pub slug: String,
    pub name: String,
    pub relation: &'static str,
    pub parent: String,
}

#[derive(Template)]
#[template(path = "teams/list.html")]
struct ListPage {
    chrome: Chrome,
    teams: Vec<TeamRow>,
    may_create: bool,
    error: String,
    name: String,
    slug: String,
}

async fn list_page(
    me: &Me,
    headers: &HeaderMap,
    error: String,
    name: String,
    slug: String,
) -> PageResult {
    let teams = me.teams().list().await?;
    let name_of = |id: Option<i64>| {
        id.and_then(|id| teams.iter().find(|(t, _)| t.id == id))
            .map(|(t, _)| t.name.clone())
            .unwrap_or_default()
    };
    let rows = teams
        .iter()
        .map(|(t, r)| TeamRow {
            slug: t.slug.clone(),
            name: t.name.clone(),
            relation: r.word(),
            parent: name_of(t.parent),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new(Some(me.frame()), headers, "/teams"),
        teams: rows,
        may_create: me.teams().may_create(),
        error,
        name,
        slug,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

pub(super) async fn list(me: Me, headers: HeaderMap) -> PageResult {
    list_page(&me, &headers, String::new(), String::new(), String::new()).await
}

#[derive(Deserialize)]
pub(super) struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    parent: String,
}

pub(super) async fn create(me: Me, headers: HeaderMap, Form(f): Form<CreateForm>) -> PageResult {
    let parent = Some(f.parent.as_str()).filter(|p| !p.is_empty());
    match me.teams().create(&f.name, Some(&f.slug), parent).await {
        Ok(t) => Ok(Redirect::to(&format!("/teams/{}?created=1", t.slug)).into_response()),
        Err(e) => match user_error(e) {
            Ok(message) => list_page(&me, &headers, message, f.name, f.slug).await,
            Err(e) => Err(e),
        },
    }
}

/// An error a person can fix (its words, for the form), or one that stays an error.
pub(super) fn user_error(e: AppError) -> Result<String, AppError> {
    match e {
        AppError::Unprocessable(m) => Ok(m),
        AppError::Store(leadmap_store::StoreError::Conflict(m)) => {
            Ok(format!("{m}: choose another"))
        }
        other => Err(other),
    }
}

pub(super) struct MemberRow {
    pub name: String,
    pub user: String,
    pub role: &'static str,
    /// The member is in a team beneath, not in this one.
    pub below: bool,
    pub added: String,
}

pub(super) struct InviteRow {
    pub id: i64,
    pub role: &'static str,
    pub uses: i64,
    pub max_uses: i64,
    pub expires: String,
    pub state: &'static str,
    pub used_by: String,
}

#[derive(Template)]
#[template(path = "teams/team.html")]
struct TeamPage {
    chrome: Chrome,
    slug: String,
    name: String,
    relation: Relation,
    manages: bool,
    admin: bool,
    show_names: bool,
    parent: Option<(String, String)>,
    children: Vec<(String, String)>,
    /// Teams it may be moved under (slug, name), for managers.
    parents: Vec<(String, String)>,
    roadmaps: Vec<(String, String)>,
    members: Vec<MemberRow>,
    invites: Vec<InviteRow>,
    notice: String,
    error: String,
    new_link: String,
}

#[derive(Default)]
pub(super) struct Said {
    notice: String,
    error: String,
    new_link: String,
}

async fn team_page(me: &Me, headers: &HeaderMap, view: &TeamView<'_>, said: Said) -> PageResult {
    let manages = view.relation.manages();
    let people = view.people().await?;
    // Members see who is in their team only when the team shows names.
    let show_people = manages || view.team.show_names;
    let members = if show_people {
        people
            .iter()
            .map(|m| MemberRow {
                name: m.user.shown_name().to_owned(),
                user: m.user.name.clone(),
                role: m.role.as_str(),
                below: m.team != view.team.id,
                added: display(m.added_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let invites = match view.managed() {
        Ok(m) => {
            let now = leadmap_app::time::now_ms();
            m.invites()
                .await?
                .into_iter()
                .map(|i| InviteRow {
                    id: i.id,
                    role: i.role.as_str(),
                    uses: i.uses,
                    max_uses: i.max_uses,
                    expires: display(i.expires_at),
                    state: if i.revoked_at.is_some() {
                        "revoked"
                    } else if i.expires_at <= now {
                        "expired"
                    } else if i.uses >= i.max_uses {
                        "used up"
                    } else {
                        "open"
                    },
                    used_by: i
                        .used_by
                        .iter()
                        .map(|(u, at)| format!("{} ({})", u.shown_name(), display(*at)))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect()
        }
        Err(_) => Vec::new(),
    };
    let subtree = view.subtree();
    let page = TeamPage {
        chrome: Chrome::new(
            Some(me.frame()),
            headers,
            &format!("/teams/{}", view.team.slug),
        ),
        slug: view.team.slug.clone(),
        name: view.team.name.clone(),
        relation: view.relation,
        manages,
        admin: me.user.is_admin,
        show_names: view.team.show_names,
        parent: view.parent().map(|p| (p.slug.clone(), p.name.clone())),
        children: view
            .children()
            .iter()
            .map(|t| (t.slug.clone(), t.name.clone()))
            .collect(),
        parents: view
            .all_teams()
            .iter()
            .filter(|t| !subtree.contains(&t.id))
            .map(|t| (t.slug.clone(), t.name.clone()))
            .collect(),
        roadmaps: view.roadmaps().await?,
        members,
        invites,
        notice: said.notice,
        error: said.error,
        new_link: said.new_link,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

#[derive(Deserialize, Default)]
pub(super) struct TeamQuery {
    #[serde(default)]
    created: Option<u8>,
    #[serde(default)]
    saved: Option<u8>,
}

pub(super) async fn team(
    me: Me,
    headers: HeaderMap,
    Path(slug): Path<String>,
    axum::extract::Query(q): axum::extract::Query<TeamQuery>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let notice = match (q.created, q.saved) {
        (Some(_), _) => "The team is created. Add people or make an invite link below.".into(),
        (_, Some(_)) => "Saved.".into(),
        _ => String::new(),
    };
    team_page(
        &me,
        &headers,
        &view,
        Said {
            notice,
            ..Said::default()
        },
    )
    .await
}

/// Runs a manager's change and shows the team page again: with the error when it failed in
/// a way the person can fix, else back to the page (post/redirect/get).
async fn after(
    me: &Me,
    headers: &HeaderMap,
    view: &TeamView<'_>,
    result: Result<(), AppError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/teams/{}?saved=1", view.team.slug)).into_response()),
        Err(e) => {
            let error = user_error(e)?;
            team_page(
                me,
                headers,
                view,
                Said {
                    error,
                    ..Said::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    show_names: Option<String>,
}

pub(super) async fn settings(
    me: Me,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<SettingsForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let parent = f
        .parent
        .as_deref()
        .map(|p| if p.is_empty() { None } else { Some(p) });
    // Leave the parent alone when it does not change (a manager may rename a team without
    // being allowed to move it).
    let current_parent = view.parent().map(|p| p.slug.as_str());
    let parent = parent.filter(|p| *p != current_parent);
    let result = managed
        .change(Some(&f.name), parent, Some(f.show_names.is_some()))
        .await
        .map(|_| ());
    after(&me, &headers, &view, result).await
}

pub(super) async fn delete(me: Me, Path(slug): Path<String>) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    view.managed()?.delete().await?;
    Ok(Redirect::to("/teams").into_response())
}

#[derive(Deserialize)]
pub(super) struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

pub(super) fn role(word: &str) -> Result<TeamRole, AppError> {
    match word {
        "" => Ok(TeamRole::Member),
        w => TeamRole::parse(w).ok_or_else(|| {
            AppError::Unprocessable(format!("unknown role {w:?}: use manager or member"))
        }),
    }
}

pub(super) async fn add_member(
    me: Me,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<MemberForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let result = match role(&f.role) {
        Ok(r) => managed.set_member(&f.name, r).await.map(|_| ()),
        Err(e) => Err(e),
    };
    after(&me, &headers, &view, result).await
}

pub(super) async fn remove_member(
    me: Me,
    Path((slug, name)): Path<(String, String)>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    if !view.managed()?.remove_member(&name).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/teams/{}?saved=1", view.team.slug)).into_response())
}

#[derive(Deserialize)]
pub(super) struct InviteForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    uses: String,
    #[serde(default)]
    days: String,
}

pub(super) async fn invite(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(f): Form<InviteForm>,
) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let made = match role(&f.role) {
        Ok(r) => {
            managed
                .invite(r, Some(f.uses.as_str()), Some(f.days.as_str()))
                .await
        }
        Err(e) => Err(e),
    };
    let said = match made {
        Ok((_, token)) => Said {
            new_link: format!("{}{}", state.link_origin(&headers), invite_path(&token)),
            ..Said::default()
        },
        Err(e) => Said {
            error: user_error(e)?,
            ..Said::default()
        },
    };
    team_page(&me, &headers, &view, said).await
}

pub(super) async fn revoke_invite(me: Me, Path((slug, id)): Path<(String, i64)>) -> PageResult {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    if !view.managed()?.revoke_invite(id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/teams/{}?saved=1", view.team.slug)).into_response())
}
