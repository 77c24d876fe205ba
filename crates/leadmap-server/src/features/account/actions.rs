//! The account page's forms. Each redirects to the account page (post/redirect/get), with a
//! message, an error or a new token for the page to show once (see `notice`).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::notice;
use super::page::Notice;
use crate::access::{AppState, ClientAddr, Me, PasswordCheck};
use crate::web::cookies;
use crate::web::{AppError, PageResult};

/// Back to the account page, which says why a change that needed the password did not happen.
fn refused(state: &AppState, e: PasswordCheck, wrong: &str) -> PageResult {
    let message = match e {
        PasswordCheck::Wrong => wrong.to_owned(),
        PasswordCheck::Throttled { .. } => {
            let mut m = e.to_string();
            if let Some(first) = m.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{m}.")
        }
        PasswordCheck::Weak(w) => w.to_string(),
        PasswordCheck::App(AppError::Store(leadmap_store::StoreError::Invalid(m)))
            if m == leadmap_store::LAST_ADMIN =>
        {
            "Your account is kept: you are the last admin, and the other accounts would be left \
             without one. Make another account an admin first (leadmap user promote NAME)."
                .to_owned()
        }
        PasswordCheck::App(a) => return Err(a),
    };
    Ok(notice::redirect(
        &Notice::error(message),
        state.config().secure_cookies,
    ))
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    current: String,
    new: String,
    #[serde(default)]
    keep_tokens: Option<String>,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    me: Me,
    addr: ClientAddr,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let keep = f.keep_tokens.is_some();
    match me
        .account()
        .change_password(&f.current, &f.new, keep, addr)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=password").into_response()),
        Err(e) => refused(&state, e, "The current password is not right."),
    }
}

pub(super) async fn revoke_session(me: Me, Path(id): Path<i64>) -> PageResult {
    if !me.account().revoke_session(id).await? {
        return Err(AppError::NotFound);
    }
    if id == me.session.id {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(Redirect::to("/account?done=session").into_response())
}

pub(super) async fn revoke_other_sessions(me: Me) -> PageResult {
    me.account().revoke_other_sessions().await?;
    Ok(Redirect::to("/account?done=sessions").into_response())
}

#[derive(Deserialize)]
pub(super) struct NameForm {
    #[serde(default)]
    display_name: String,
}

pub(super) async fn set_display_name(
    State(state): State<AppState>,
    me: Me,
    Form(f): Form<NameForm>,
) -> PageResult {
    match me.account().set_display_name(&f.display_name).await {
        Ok(()) => Ok(Redirect::to("/account?done=name").into_response()),
        Err(AppError::Unprocessable(_)) => Ok(notice::redirect(
            &Notice::error(format!(
                "A display name has at most {} characters.",
                leadmap_app::account::DISPLAY_NAME_MAX
            )),
            state.config().secure_cookies,
        )),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    name: String,
    /// Days the token lasts; empty or "never": until revoked.
    #[serde(default)]
    expires: String,
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    me: Me,
    Form(f): Form<TokenForm>,
) -> PageResult {
    let secure = state.config().secure_cookies;
    let days = match f.expires.trim() {
        "" | "never" => None,
        d => match d.parse::<u32>() {
            Ok(d) => Some(d),
            Err(_) => {
                let e = "The token's lifetime is a number of days, or never.";
                return Ok(notice::redirect(&Notice::error(e), secure));
            }
        },
    };
    let notice = match me.account().create_token(&f.name, days).await {
        Ok(token) => Notice {
            new_token: token,
            ..Notice::default()
        },
        Err(AppError::Unprocessable(e)) if e.contains("lifetime") => Notice::error(e),
        Err(AppError::Unprocessable(_)) => Notice::error(
            "Give the token a name of 1 to 100 characters (where you will use it, say).",
        ),
        Err(e) => return Err(e),
    };
    Ok(notice::redirect(&notice, secure))
}

pub(super) async fn revoke_token(me: Me, Path(id): Path<i64>) -> PageResult {
    if !me.account().revoke_token(id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account?done=token").into_response())
}

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    password: String,
}

pub(super) async fn delete_account(
    State(state): State<AppState>,
    me: Me,
    addr: ClientAddr,
    Form(f): Form<DeleteForm>,
) -> PageResult {
    match me.account().delete(&f.password, addr).await {
        Ok(()) => {
            let mut res = Redirect::to("/login?deleted=1").into_response();
            cookies::clear_session(&mut res, state.config().secure_cookies);
            Ok(res)
        }
        Err(e) => refused(&state, e, "The password is not right; the account is kept."),
    }
}
