//! `/api/v1/teams`: the teams a token's owner may see, creating one (admins), a team with
//! its members, adding and removing people, invite links, the dashboard's numbers by member,
//! area and topic id (gaps, single points) and the members × topics matrix; and
//! `/api/v1/me/focus`. The same capabilities as the pages: another team is 404.

use axum::Json;
use axum::extract::Path;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use leadmap_app::teams::dashboard::Dashboard;
use leadmap_app::teams::manage::invite_path;
use leadmap_app::time::rfc3339;
use leadmap_store::{Team, TeamRole};
use serde::{Deserialize, Serialize};

use super::dashboard::persons;
use crate::access::{ApiMe, AppState, Relation};
use crate::web::{ApiError, AppError};

#[derive(Serialize)]
struct TeamJson {
    slug: String,
    name: String,
    parent: Option<String>,
    /// How the caller stands to it: admin, manager or member.
    relation: &'static str,
    show_names: bool,
}

fn team_json(t: &Team, all: &[(Team, Relation)], relation: Relation) -> TeamJson {
    TeamJson {
        slug: t.slug.clone(),
        name: t.name.clone(),
        parent: t
            .parent
            .and_then(|p| all.iter().find(|(x, _)| x.id == p))
            .map(|(x, _)| x.slug.clone()),
        relation: relation.word(),
        show_names: t.show_names,
    }
}

use crate::web::error::body_shape_error as json_error;

pub(super) async fn list(me: ApiMe) -> Result<Response, ApiError> {
    let all = me.teams().list().await?;
    let out: Vec<TeamJson> = all.iter().map(|(t, r)| team_json(t, &all, *r)).collect();
    Ok(Json(out).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateBody {
    name: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    parent: Option<String>,
}

pub(super) async fn create(
    me: ApiMe,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|r| {
        json_error(
            &r,
            r#"{"name": "Platform", "slug": "platform", "parent": "engineering"}"#,
        )
    })?;
    // The page's form trims what people type; the API takes an address as written.
    if let Some(s) = b.slug.as_deref().filter(|s| s.trim() != *s) {
        return Err(AppError::Unprocessable(format!(
            "a team's address has no spaces around it: {s:?}"
        ))
        .into());
    }
    let t = me
        .teams()
        .create(&b.name, b.slug.as_deref(), b.parent.as_deref())
        .await?;
    let all = me.teams().list().await?;
    Ok((
        StatusCode::CREATED,
        Json(team_json(&t, &all, Relation::Admin)),
    )
        .into_response())
}

#[derive(Serialize)]
struct MemberJson {
    name: String,
    shown_name: String,
    role: &'static str,
    /// The team they are in: this one, or one beneath it.
    team: String,
    added_at: String,
}

#[derive(Serialize)]
struct TeamDetail {
    #[serde(flatten)]
    team: TeamJson,
    children: Vec<String>,
    /// Empty for a member when the team does not show names.
    members: Vec<MemberJson>,
}

pub(super) async fn show(me: ApiMe, Path(slug): Path<String>) -> Result<Response, ApiError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let all = teams.list().await?;
    let show_people = view.relation.manages() || view.team.show_names;
    let people = if show_people {
        view.people().await?
    } else {
        Vec::new()
    };
    let slug_of = |id: i64| {
        all.iter()
            .find(|(t, _)| t.id == id)
            .map_or_else(String::new, |(t, _)| t.slug.clone())
    };
    let detail = TeamDetail {
        team: team_json(&view.team, &all, view.relation),
        children: view.children().iter().map(|t| t.slug.clone()).collect(),
        members: people
            .iter()
            .map(|m| MemberJson {
                name: m.user.name.clone(),
                shown_name: m.user.shown_name().to_owned(),
                role: m.role.as_str(),
                team: if m.team == view.team.id {
                    view.team.slug.clone()
                } else {
                    slug_of(m.team)
                },
                added_at: rfc3339(m.added_at),
            })
            .collect(),
    };
    Ok(Json(detail).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MemberBody {
    #[serde(default)]
    role: Option<String>,
}

pub(super) async fn put_member(
    me: ApiMe,
    Path((slug, name)): Path<(String, String)>,
    body: Result<Json<MemberBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|r| json_error(&r, r#"{"role": "member"}"#))?;
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let role = super::pages::role(b.role.as_deref().unwrap_or(""))?;
    let user = managed.set_member(&name, role).await?;
    Ok(Json(serde_json::json!({
        "name": user.name,
        "shown_name": user.shown_name(),
        "role": role.as_str(),
        "team": view.team.slug,
    }))
    .into_response())
}

pub(super) async fn delete_member(
    me: ApiMe,
    Path((slug, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    if !view.managed()?.remove_member(&name).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InviteBody {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    uses: Option<serde_json::Number>,
    #[serde(default)]
    days: Option<serde_json::Number>,
}

#[derive(Serialize)]
struct InviteJson {
    id: i64,
    role: &'static str,
    max_uses: i64,
    expires_at: String,
    /// The link's path below the server's address; shown once.
    path: String,
    url: String,
}

pub(super) async fn invite(
    axum::extract::State(state): axum::extract::State<AppState>,
    me: ApiMe,
    headers: HeaderMap,
    Path(slug): Path<String>,
    body: Result<Json<InviteBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) =
        body.map_err(|r| json_error(&r, r#"{"role": "member", "uses": 1, "days": 7}"#))?;
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let role = match b.role.as_deref() {
        None => TeamRole::Member,
        Some(r) => super::pages::role(r)?,
    };
    let uses = b.uses.as_ref().map(whole);
    let days = b.days.as_ref().map(whole);
    let (inv, token) = managed
        .invite(role, uses.as_deref(), days.as_deref())
        .await?;
    let path = invite_path(&token);
    Ok((
        StatusCode::CREATED,
        Json(InviteJson {
            id: inv.id,
            role: inv.role.as_str(),
            max_uses: inv.max_uses,
            expires_at: rfc3339(inv.expires_at),
            url: format!("{}{path}", state.link_origin(&headers)),
            path,
        }),
    )
        .into_response())
}

/// A JSON number as the text the invite's terms parse: `3.0` is the whole number 3 (JSON
/// Schema counts it as an integer); anything else is passed on as written and refused there.
fn whole(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.as_i64().is_none() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{f:.0}")
        }
        _ => n.to_string(),
    }
}

pub(super) async fn dashboard(
    me: ApiMe,
    Path((slug, roadmap)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let entry = view.roadmap(&roadmap).await?;
    let Ok(managed) = view.managed() else {
        // A member: the team's numbers without names (unless the team shows them).
        let agg = view.aggregate(&entry.id).await?;
        let d = Dashboard::new(&entry, &agg.people, &agg.records);
        if view.team.show_names {
            return Ok(Json(d.json()).into_response());
        }
        return Ok(Json(d.aggregate()).into_response());
    };
    let people = view.people().await?;
    let records = managed.records(&people, &entry.id).await?;
    let ps = persons(&people);
    let d = Dashboard::new(&entry, &ps, &records);
    Ok(Json(d.json()).into_response())
}

pub(super) async fn matrix(
    me: ApiMe,
    Path((slug, roadmap)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let teams = me.teams();
    let view = teams.open(&slug).await?;
    let managed = view.managed()?;
    let entry = view.roadmap(&roadmap).await?;
    let people = view.people().await?;
    let records = managed.records(&people, &entry.id).await?;
    let ps = persons(&people);
    let d = Dashboard::new(&entry, &ps, &records);
    Ok(Json(d.matrix_json()).into_response())
}

#[derive(Serialize)]
struct FocusJson {
    team: String,
    roadmap: String,
    topic: String,
    /// `YYYY-MM-DD`.
    due: Option<String>,
    reason: String,
    /// Suggested to the whole team (else to the caller alone).
    whole_team: bool,
}

pub(super) async fn my_focus(me: ApiMe) -> Result<Response, ApiError> {
    let teams = me.teams();
    let focus = teams.focus().await?;
    let mine = teams.memberships().await?;
    let out: Vec<FocusJson> = focus
        .iter()
        .map(|f| FocusJson {
            team: mine
                .iter()
                .find(|(t, _)| t.id == f.team)
                .map_or_else(String::new, |(t, _)| t.slug.clone()),
            roadmap: f.roadmap.clone(),
            topic: f.topic.clone(),
            due: f.due_day.map(leadmap_app::activity::day_date),
            reason: f.reason.clone(),
            whole_team: f.user.is_none(),
        })
        .collect();
    Ok(Json(out).into_response())
}
