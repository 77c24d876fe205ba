//! The account page itself.

use askama::Template;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse};
use leadmap_app::time::{ago, display};
use serde::Deserialize;

use super::notice;
use crate::access::Me;
use crate::web::{Chrome, PageResult};

struct SessionRow {
    id: i64,
    /// "Chrome on Linux"; the header itself goes in a tooltip.
    agent: String,
    full_agent: String,
    created: String,
    created_full: String,
    /// "5 minutes ago"; the time itself goes in a tooltip.
    last_seen: String,
    last_seen_full: String,
    current: bool,
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
    last_used: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    chrome: Chrome,
    name: String,
    display_name: String,
    is_admin: bool,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    new_token: String,
    message: String,
    error: String,
}

/// What the account page says at its top.
#[derive(Debug, Default)]
pub(super) struct Notice {
    pub new_token: String,
    pub message: String,
    pub error: String,
}

impl Notice {
    pub fn error(e: impl ToString) -> Notice {
        Notice {
            error: e.to_string(),
            ..Notice::default()
        }
    }
}

async fn account_page(me: &Me, headers: &HeaderMap, notice: Notice) -> PageResult {
    let account = me.account();
    let now = leadmap_app::time::now_ms();
    let sessions = account
        .sessions()
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            agent: leadmap_app::agent::describe(&s.user_agent),
            full_agent: s.user_agent,
            created: ago(s.created_at, now),
            created_full: display(s.created_at),
            last_seen: ago(s.last_seen, now),
            last_seen_full: display(s.last_seen),
            current: s.id == me.session.id,
        })
        .collect();
    let tokens = account
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: display(t.created_at),
            last_used: t
                .last_used
                .map(|at| ago(at, now))
                .unwrap_or_else(|| "never".into()),
            expires: match t.expires_at {
                None => "never".into(),
                Some(at) if at <= now => format!("expired {}", display(at)),
                Some(at) => display(at),
            },
        })
        .collect();
    let page = AccountPage {
        chrome: Chrome::new(Some(me.frame()), headers, "/account"),
        name: me.user.name.clone(),
        display_name: me.user.display_name.clone().unwrap_or_default(),
        is_admin: me.role() == crate::access::Role::Admin,
        sessions,
        tokens,
        new_token: notice.new_token,
        message: notice.message,
        error: notice.error,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize, Default)]
pub(super) struct MessageQuery {
    #[serde(default)]
    done: String,
}

pub(super) async fn account(
    me: Me,
    headers: HeaderMap,
    Query(q): Query<MessageQuery>,
) -> PageResult {
    let message = match q.done.as_str() {
        "password" => "Your password is changed; your other sessions are signed out.",
        "session" => "The session is revoked.",
        "sessions" => "Every other session is signed out.",
        "token" => "The token is revoked.",
        "name" => "Your display name is saved.",
        _ => "",
    };
    // What a form's redirect carried (shown once: the cookie is cleared with this page).
    let carried = notice::take(&headers);
    let shown = carried.is_some();
    let notice = carried.unwrap_or(Notice {
        message: message.into(),
        ..Notice::default()
    });
    let mut res = account_page(&me, &headers, notice).await?;
    if shown {
        notice::clear(&mut res);
    }
    Ok(res)
}
