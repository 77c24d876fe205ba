//! The first run: the one-time link the console prints creates the owner account.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use leadmap_app::account;
use leadmap_app::secrets::Password;
use leadmap_store::UserName;
use serde::Deserialize;

use crate::access::{Access, AppState, Routes};
use crate::web::chrome::html_status;
use crate::web::cookies;
use crate::web::{AppError, Chrome, PageResult, html};

pub fn routes() -> Routes {
    Routes::new()
        .get("/setup", Access::Public, setup_form)
        .post("/setup", Access::PublicForm, setup)
}

#[derive(Template)]
#[template(path = "setup/setup.html")]
struct SetupPage {
    chrome: Chrome,
    token: String,
    name: String,
    display_name: String,
    /// Every problem with the form, one sentence each.
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct SetupQuery {
    #[serde(default)]
    token: String,
}

fn invalid_link() -> AppError {
    AppError::Forbidden(
        "This set-up link is not valid: the owner account exists already, or the link is \
         from an earlier start. Sign in instead, or use the link the console printed."
            .into(),
    )
}

async fn setup_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SetupQuery>,
) -> PageResult {
    if state.setup(&q.token).is_none() {
        return Err(invalid_link());
    }
    html(&SetupPage {
        chrome: Chrome::new(None, &headers, "/setup"),
        token: q.token,
        name: String::new(),
        display_name: String::new(),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
struct SetupForm {
    token: String,
    name: String,
    #[serde(default)]
    display_name: String,
    password: String,
}

async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> PageResult {
    let Some(setup) = state.setup(&f.token) else {
        return Err(AppError::Forbidden(
            "This set-up link is no longer valid: the owner account exists. Sign in instead."
                .into(),
        ));
    };
    let again = |errors: Vec<String>| {
        html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage {
                chrome: Chrome::new(None, &headers, "/setup"),
                token: f.token.clone(),
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
    // Every problem at once: the name and the password are checked alike.
    let name = UserName::parse(&f.name);
    let shown = account::display_name(&f.display_name);
    let password = Password::parse(&f.password, &[f.name.as_str(), f.display_name.as_str()]);
    let (name, shown, password) = match (name, shown, password) {
        (Ok(n), Ok(d), Ok(p)) => (n, d, p),
        (n, d, p) => {
            let errors: Vec<String> = [
                n.err().map(|e| sentence(&e.to_string())),
                d.err().map(|e| sentence(&e.to_string())),
                p.err().map(|e| sentence(&e.to_string())),
            ]
            .into_iter()
            .flatten()
            .collect();
            return again(errors);
        }
    };
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = setup
        .create_owner(&name, shown.as_deref(), password, agent)
        .await?;
    let mut res = Redirect::to("/").into_response();
    cookies::set_session(&mut res, &token, state.config().secure_cookies);
    Ok(res)
}

/// A message as a sentence: a capital first letter and a full stop.
fn sentence(m: &str) -> String {
    let mut s = m.trim_end_matches('.').to_owned();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}
