//! Signing in and out.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use crate::access::{Access, AppState, ClientAddr, Me, Routes, SignInError, Viewer};
use crate::web::chrome::html_status;
use crate::web::cookies;
use crate::web::redirect::local;
use crate::web::{Chrome, PageResult, html};

pub fn routes() -> Routes {
    Routes::new()
        .get("/login", Access::Public, login_form)
        .post("/login", Access::PublicForm, login)
        .post("/logout", Access::Session, logout)
}

#[derive(Template)]
#[template(path = "session/login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    name: String,
    error: String,
    setup: bool,
    /// The account was just deleted: say so.
    deleted: bool,
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
    /// Set by the redirect after an account is deleted.
    #[serde(default)]
    deleted: String,
}

async fn login_form(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> PageResult {
    if viewer.is_some() {
        return Ok(Redirect::to(&local(&q.next)).into_response());
    }
    html(&LoginPage {
        chrome: Chrome::new(None, &headers, "/login"),
        next: q.next,
        name: String::new(),
        error: String::new(),
        setup: !state.has_accounts().await?,
        deleted: !q.deleted.is_empty(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The longest name shown again on the sign-in page after a failure.
const ECHO_MAX: usize = 64;

async fn login(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let next = local(&f.next);
    let sign_in = state.sign_in();
    let error = match sign_in.attempt(&f.name, &f.password, addr).await {
        Ok(user) => {
            let agent = headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let token = sign_in.start_session(user.id, agent).await?;
            let mut res = Redirect::to(&next).into_response();
            cookies::set_session(&mut res, &token, state.config().secure_cookies);
            return Ok(res);
        }
        Err(SignInError::App(e)) => return Err(e),
        Err(e) => e,
    };
    let status = match error {
        SignInError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNAUTHORIZED,
    };
    let mut res = html_status(
        status,
        &LoginPage {
            chrome: Chrome::new(None, &headers, "/login"),
            next,
            name: f.name.chars().take(ECHO_MAX).collect(),
            error: error.to_string(),
            setup: false,
            deleted: false,
        },
    )?;
    if let SignInError::Throttled { retry_after } = error
        && let Ok(v) = retry_after.to_string().parse()
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(res)
}

async fn logout(State(state): State<AppState>, me: Me) -> PageResult {
    me.account().revoke_session(me.session.id).await?;
    let mut res = Redirect::to("/login").into_response();
    cookies::clear_session(&mut res, state.config().secure_cookies);
    Ok(res)
}
