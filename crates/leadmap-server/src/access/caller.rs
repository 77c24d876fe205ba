//! The caller of a request, resolved once per request from its session cookie or bearer token.

use axum::http::{HeaderMap, header};
use leadmap_app::secrets::secret_hash;
use leadmap_app::time::now_ms;
use leadmap_store::{PageReads, Session, User};

use super::state::AppState;
use crate::web::chrome::ViewerInfo;
use crate::web::cookies;
use crate::web::error::AppError;

/// A session not used for this long (30 days) is over; the cookie lives as long.
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3_600_000;
/// A session is over this long (90 days) after it began, however often it is used.
pub const SESSION_ABSOLUTE_MS: i64 = 90 * 24 * 3_600_000;

/// Whether a session found by its cookie is still on: one idle for too long, or too old, is
/// over, and deleted on sight.
async fn live(state: &AppState, session: &Session, now: i64) -> Result<bool, AppError> {
    if now - session.last_seen > SESSION_IDLE_MS || now - session.created_at > SESSION_ABSOLUTE_MS {
        state
            .store()
            .delete_session(session.user_id, session.id)
            .await?;
        return Ok(false);
    }
    Ok(true)
}

/// What a person may do on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Anyone with an account: their own progress and account.
    Member,
    /// The server's owner and whom they name: also the people of the server.
    Admin,
}

impl Role {
    pub fn of(user: &User) -> Role {
        if user.is_admin {
            Role::Admin
        } else {
            Role::Member
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    /// A signed-in browser.
    Session {
        user: User,
        session: Session,
    },
    /// An API client with a personal access token.
    Token(User),
}

impl Caller {
    /// The person of the session cookie, if it names a live session.
    pub(super) async fn from_cookie(
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Caller, AppError> {
        let name = cookies::session_name(state.config().secure_cookies);
        let Some(token) = cookies::get(headers, name) else {
            return Ok(Caller::Anonymous);
        };
        let now = now_ms();
        let Some((session, user)) = state.store().session(&secret_hash(&token), now).await? else {
            return Ok(Caller::Anonymous);
        };
        Ok(if live(state, &session, now).await? {
            Caller::Session { user, session }
        } else {
            Caller::Anonymous
        })
    }

    /// [`Caller::from_cookie`] for the signed-in roadmap page, with what that page reads of the
    /// person on `roadmap` in the same store call (one round trip on PostgreSQL): the session
    /// and its own person's records only, nobody else's.
    pub(super) async fn from_cookie_with_page(
        state: &AppState,
        headers: &HeaderMap,
        roadmap: &str,
        due_until_day: i64,
    ) -> Result<Option<(User, Session, PageReads)>, AppError> {
        let name = cookies::session_name(state.config().secure_cookies);
        let Some(token) = cookies::get(headers, name) else {
            return Ok(None);
        };
        let now = now_ms();
        let Some((session, user, reads)) = state
            .store()
            .session_page(&secret_hash(&token), now, roadmap, due_until_day)
            .await?
        else {
            return Ok(None);
        };
        Ok(live(state, &session, now)
            .await?
            .then_some((user, session, reads)))
    }

    /// The owner of the bearer token (`Authorization: Bearer lm_…`, the scheme in any case).
    pub(super) async fn from_bearer(
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Caller, AppError> {
        let Some(token) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then_some(rest.trim())
            })
        else {
            return Ok(Caller::Anonymous);
        };
        Ok(state
            .store()
            .token_user(&secret_hash(token), now_ms())
            .await?
            .map_or(Caller::Anonymous, Caller::Token))
    }

    pub fn viewer_info(&self) -> Option<ViewerInfo> {
        match self {
            Caller::Session { user, session } => Some(ViewerInfo {
                name: user.name.clone(),
                csrf: session.csrf.clone(),
            }),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Caller::Anonymous => None,
            Caller::Session { user, .. } | Caller::Token(user) => Some(Role::of(user)),
        }
    }
}
