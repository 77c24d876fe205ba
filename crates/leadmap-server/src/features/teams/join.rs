//! Joining a team by an invite link (`/join/{token}`): a signed-in person joins with their
//! account; anyone else chooses a name and a password, and the account is created only if the
//! link still has a use. An expired, revoked, used-up or unknown link is not found. Also open
//! sign-up (`/signup`), which answers only when the server runs with `--open-signup`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use leadmap_app::account;
use leadmap_app::secrets::Password;
use leadmap_store::{Redeemed, UserName};
use serde::Deserialize;

use crate::access::{AppState, Viewer, invite_team, join_as_new, sign_up};
use crate::web::chrome::html_status;
use crate::web::cookies;
use crate::web::{AppError, Chrome, PageResult, html};

#[derive(Template)]
#[template(path = "teams/join.html")]
struct JoinPage {
    chrome: Chrome,
    /// The form's address (`/join/{token}` or `/signup`).
    action: String,
    /// The team and the role the link gives; empty on the sign-up page.
    team: String,
    role: String,
    signed_in: bool,
    name: String,
    display_name: String,
    errors: Vec<String>,
}

fn gone() -> AppError {
    AppError::NotFound
}

pub(super) async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    let Some((invite, team)) = invite_team(&state, &token).await? else {
        return Err(gone());
    };
    let mut r = html(&JoinPage {
        chrome: Chrome::new(
            viewer.0.as_ref().map(|m| m.frame()),
            &headers,
            &format!("/join/{token}"),
        ),
        action: format!("/join/{token}"),
        team: team.name,
        role: invite.role.as_str().to_owned(),
        signed_in: viewer.0.is_some(),
        name: String::new(),
        display_name: String::new(),
        errors: Vec::new(),
    })?;
    // The link is a secret: keep it out of other sites' Referer headers and of caches.
    no_referrer(&mut r);
    Ok(r)
}

fn no_referrer(r: &mut axum::response::Response) {
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
}

#[derive(Deserialize)]
pub(super) struct JoinForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// The account fields checked together (every problem at once), as on the first-run page.
fn account_fields(f: &JoinForm) -> Result<(UserName, Option<String>, Password), Vec<String>> {
    let name = UserName::parse(&f.name);
    let shown = account::display_name(&f.display_name);
    let password = Password::parse(&f.password, &[f.name.as_str(), f.display_name.as_str()]);
    match (name, shown, password) {
        (Ok(n), Ok(d), Ok(p)) => Ok((n, d, p)),
        (n, d, p) => Err([
            n.err().map(|e| e.to_string()),
            d.err().map(|e| e.to_string()),
            p.err().map(|e| e.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect()),
    }
}

fn agent(headers: &HeaderMap) -> &str {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

pub(super) async fn post(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<JoinForm>,
) -> PageResult {
    let Some((invite, team)) = invite_team(&state, &token).await? else {
        return Err(gone());
    };
    if let Some(me) = viewer.0 {
        return match me.teams().join(&token).await? {
            Redeemed::Joined { team, .. } | Redeemed::AlreadyMember { team, .. } => {
                Ok(Redirect::to(&format!("/teams/{}", team.slug)).into_response())
            }
            Redeemed::Gone => Err(gone()),
        };
    }
    let again = |errors: Vec<String>| {
        html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &JoinPage {
                chrome: Chrome::new(None, &headers, &format!("/join/{token}")),
                action: format!("/join/{token}"),
                team: team.name.clone(),
                role: invite.role.as_str().to_owned(),
                signed_in: false,
                name: f.name.chars().take(UserName::MAX).collect(),
                display_name: f
                    .display_name
                    .chars()
                    .take(account::DISPLAY_NAME_MAX)
                    .collect(),
                errors,
            },
        )
    };
    let (name, shown, password) = match account_fields(&f) {
        Ok(v) => v,
        Err(errors) => return again(errors),
    };
    match join_as_new(
        &state,
        &token,
        &name,
        shown.as_deref(),
        password,
        agent(&headers),
    )
    .await
    {
        Ok((Redeemed::Joined { team, .. }, Some(session))) => {
            let mut res = Redirect::to(&format!("/teams/{}", team.slug)).into_response();
            cookies::set_session(&mut res, &session, state.config().secure_cookies);
            Ok(res)
        }
        Ok(_) => Err(gone()),
        Err(AppError::Store(leadmap_store::StoreError::Conflict(_))) => again(vec![format!(
            "The user name {name} is taken: choose another, or sign in first if it is yours."
        )]),
        Err(e) => Err(e),
    }
}

pub(super) async fn signup_page(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    if !state.config().open_signup {
        return Err(AppError::NotFound);
    }
    html(&JoinPage {
        chrome: Chrome::new(None, &headers, "/signup"),
        action: "/signup".into(),
        team: String::new(),
        role: String::new(),
        signed_in: false,
        name: String::new(),
        display_name: String::new(),
        errors: Vec::new(),
    })
}

pub(super) async fn signup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<JoinForm>,
) -> PageResult {
    if !state.config().open_signup {
        return Err(AppError::NotFound);
    }
    let again = |errors: Vec<String>| {
        html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &JoinPage {
                chrome: Chrome::new(None, &headers, "/signup"),
                action: "/signup".into(),
                team: String::new(),
                role: String::new(),
                signed_in: false,
                name: f.name.chars().take(UserName::MAX).collect(),
                display_name: f
                    .display_name
                    .chars()
                    .take(account::DISPLAY_NAME_MAX)
                    .collect(),
                errors,
            },
        )
    };
    let (name, shown, password) = match account_fields(&f) {
        Ok(v) => v,
        Err(errors) => return again(errors),
    };
    match sign_up(&state, &name, shown.as_deref(), password, agent(&headers)).await {
        Ok(session) => {
            let mut res = Redirect::to("/").into_response();
            cookies::set_session(&mut res, &session, state.config().secure_cookies);
            Ok(res)
        }
        Err(AppError::Store(leadmap_store::StoreError::Conflict(_))) => again(vec![format!(
            "The user name {name} is taken: choose another."
        )]),
        Err(e) => Err(e),
    }
}
