//! What a handler gets: a capability scoped to what its caller proved. [`Me`] (a signed-in
//! browser) and [`ApiMe`] (a token) reach the person's own progress ([`MyProgress`]) and
//! account ([`MyAccount`]); every query they make is scoped by the caller's user id, because
//! they hold nothing else. There is no way from a handler to another person's records.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use leadmap_app::Entry;
use leadmap_app::progress::{self, Note};
use leadmap_app::secrets::{self, Password, PasswordError};
use leadmap_app::time::now_ms;
use leadmap_core::progress::Status;
use leadmap_store::{
    Change, HistoryDay, HistoryFilter, Progress, ResetScope, Session, Token, User, UserId,
};

use super::caller::{Caller, Role};
use super::client::ClientAddr;
use super::signin::{SignInError, check_password};
use super::state::AppState;
use crate::web::error::AppError;

/// A signed-in person (by session cookie), as a page handler gets them.
#[derive(Debug, Clone)]
pub struct Me {
    pub user: User,
    pub session: Session,
    state: AppState,
}

/// The owner of a personal access token, as an API handler gets them.
#[derive(Debug, Clone)]
pub struct ApiMe {
    pub user: User,
    state: AppState,
}

/// Whoever is viewing a public page: signed in or not.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<Me>);

/// The caller the guard resolved, taken out of the request (a handler takes one capability).
fn caller(parts: &mut Parts) -> Caller {
    parts
        .extensions
        .remove::<Caller>()
        .unwrap_or(Caller::Anonymous)
}

impl FromRequestParts<AppState> for Me {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match caller(parts) {
            Caller::Session { user, session } => Ok(Me {
                user,
                session,
                state: state.clone(),
            }),
            // The guard sends anonymous callers of a session route to sign in first; this is
            // the same answer for a handler mounted without one.
            _ => Err(AppError::SignIn(
                parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for ApiMe {
    type Rejection = crate::web::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, crate::web::ApiError> {
        match caller(parts) {
            Caller::Token(user) => Ok(ApiMe {
                user,
                state: state.clone(),
            }),
            _ => Err(AppError::Unauthorized.into()),
        }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Routes behind the guard have their caller resolved; the fallback (an unknown path)
        // resolves it here, so that its page still shows who is signed in.
        let c = match parts.extensions.remove::<Caller>() {
            Some(c) => c,
            None => Caller::from_cookie(state, &parts.headers).await?,
        };
        Ok(Viewer(match c {
            Caller::Session { user, session } => Some(Me {
                user,
                session,
                state: state.clone(),
            }),
            _ => None,
        }))
    }
}

impl Viewer {
    /// The viewer of the roadmap page `roadmap` and, when signed in, what the page reads of
    /// them there ([`leadmap_store::PageReads`]: their records, target days on or before
    /// `due_until_day`, focus topics), read together with the session.
    pub async fn with_page(
        state: &AppState,
        headers: &axum::http::HeaderMap,
        roadmap: &str,
        due_until_day: i64,
    ) -> Result<Option<(Me, leadmap_store::PageReads)>, AppError> {
        Ok(
            Caller::from_cookie_with_page(state, headers, roadmap, due_until_day)
                .await?
                .map(|(user, session, reads)| {
                    (
                        Me {
                            user,
                            session,
                            state: state.clone(),
                        },
                        reads,
                    )
                }),
        )
    }
}

impl Me {
    pub(super) fn state(&self) -> &AppState {
        &self.state
    }

    pub fn role(&self) -> Role {
        Role::of(&self.user)
    }

    /// The name and CSRF token the page frame shows.
    pub fn frame(&self) -> (&str, &str) {
        (self.user.shown_name(), &self.session.csrf)
    }

    /// The name the person is shown by (their display name, else their user name).
    pub fn shown_name(&self) -> &str {
        self.user.shown_name()
    }

    pub fn progress(&self) -> MyProgress<'_> {
        MyProgress {
            state: &self.state,
            user: self.user.id,
        }
    }

    pub fn history(&self) -> MyHistory<'_> {
        MyHistory {
            state: &self.state,
            user: self.user.id,
        }
    }

    pub fn shares(&self) -> MyShares<'_> {
        MyShares {
            state: &self.state,
            user: &self.user,
        }
    }

    pub fn account(&self) -> MyAccount<'_> {
        MyAccount {
            state: &self.state,
            user: &self.user,
            session: self.session.id,
        }
    }
}

impl ApiMe {
    pub(super) fn state(&self) -> &AppState {
        &self.state
    }

    pub fn progress(&self) -> MyProgress<'_> {
        MyProgress {
            state: &self.state,
            user: self.user.id,
        }
    }

    pub fn history(&self) -> MyHistory<'_> {
        MyHistory {
            state: &self.state,
            user: self.user.id,
        }
    }

    pub fn shares(&self) -> MyShares<'_> {
        MyShares {
            state: &self.state,
            user: &self.user,
        }
    }
}

/// The caller's own share links.
#[derive(Debug)]
pub struct MyShares<'a> {
    state: &'a AppState,
    user: &'a User,
}

impl MyShares<'_> {
    pub async fn list(&self) -> Result<Vec<leadmap_store::Share>, AppError> {
        Ok(self.state.store().shares(self.user.id).await?)
    }

    /// A new link (its token shown once); see [`leadmap_app::shares::create`].
    pub async fn create(
        &self,
        entry: &Entry,
        label: &str,
        shown_name: &str,
        days: Option<u32>,
        show_notes: bool,
    ) -> Result<leadmap_app::shares::Created, AppError> {
        Ok(leadmap_app::shares::create(
            self.state.store(),
            self.user,
            entry,
            label,
            shown_name,
            days,
            show_notes,
            now_ms(),
        )
        .await?)
    }

    /// Revokes one of the person's links; false when they have no such link.
    pub async fn revoke(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.state.store().delete_share(self.user.id, id).await?)
    }
}

/// What a share link shows: its owner's records of its roadmap, the notes only when the link
/// allows them. Looked up in the database on every request (no cache of the grant).
#[derive(Debug)]
pub struct SharedView {
    pub share: leadmap_store::Share,
    state: AppState,
}

impl SharedView {
    /// The link a token names; `None` for a guessed, revoked or expired one.
    pub async fn find(state: &AppState, token: &str) -> Result<Option<SharedView>, AppError> {
        Ok(leadmap_app::shares::find(state.store(), token, now_ms())
            .await?
            .map(|share| SharedView {
                share,
                state: state.clone(),
            }))
    }

    /// The owner's records of the link's roadmap; notes emptied unless the link shows them.
    pub async fn records(&self) -> Result<Vec<Progress>, AppError> {
        let mut records = self
            .state
            .store()
            .progress(self.share.user_id, &self.share.roadmap)
            .await?;
        if !self.share.show_notes {
            for r in &mut records {
                r.note.clear();
            }
        }
        Ok(records)
    }
}

/// The caller's own history of status changes.
#[derive(Debug)]
pub struct MyHistory<'a> {
    state: &'a AppState,
    user: UserId,
}

impl MyHistory<'_> {
    /// The changes that pass `filter`, newest first.
    pub async fn changes(&self, filter: &HistoryFilter) -> Result<Vec<Change>, AppError> {
        Ok(self.state.store().history(self.user, filter).await?)
    }

    /// Every change, newest first, read a page at a time (the export).
    pub async fn all(&self) -> Result<Vec<Change>, AppError> {
        let mut all = Vec::new();
        let mut before = None;
        loop {
            let f = HistoryFilter {
                before,
                limit: leadmap_store::policy::HISTORY_PAGE_MAX,
                ..HistoryFilter::default()
            };
            let page = self.state.store().history(self.user, &f).await?;
            let Some(last) = page.last() else { break };
            before = Some((last.at, last.id));
            let full = page.len() as u32 == f.limit;
            all.extend(page);
            if !full {
                break;
            }
        }
        Ok(all)
    }

    /// The days of the history (see [`leadmap_store::HistoryStore::history_days`]).
    pub async fn days(&self, since_day: Option<i64>) -> Result<Vec<HistoryDay>, AppError> {
        Ok(self
            .state
            .store()
            .history_days(self.user, since_day)
            .await?)
    }
}

/// The caller's own progress.
#[derive(Debug)]
pub struct MyProgress<'a> {
    state: &'a AppState,
    user: UserId,
}

impl MyProgress<'_> {
    /// Every record of one roadmap (topics it no longer has included).
    pub async fn of(&self, roadmap: &str) -> Result<Vec<Progress>, AppError> {
        Ok(self.state.store().progress(self.user, roadmap).await?)
    }

    /// Every record, every roadmap.
    pub async fn all(&self) -> Result<Vec<Progress>, AppError> {
        Ok(self.state.store().all_progress(self.user).await?)
    }

    /// Marks a topic (see [`leadmap_app::progress::mark`]).
    pub async fn mark(
        &self,
        entry: &Entry,
        topic: &str,
        status: Option<Status>,
        note: Option<&Note>,
    ) -> Result<Progress, AppError> {
        Ok(progress::mark(
            self.state.store(),
            self.user,
            entry,
            topic,
            status,
            note,
            now_ms(),
        )
        .await?)
    }

    /// Marks a topic and answers it with its plan, changing the plan first when given (see
    /// [`leadmap_app::progress::mark_with_plan`]).
    pub async fn mark_with_plan(
        &self,
        entry: &Entry,
        topic: &str,
        status: Status,
        note: Option<&Note>,
        due: Option<Option<i64>>,
        links: Option<&[leadmap_store::Evidence]>,
    ) -> Result<(Progress, leadmap_store::Plan), AppError> {
        Ok(progress::mark_with_plan(
            self.state.store(),
            self.user,
            entry,
            topic,
            status,
            note,
            due,
            links,
            now_ms(),
        )
        .await?)
    }

    /// Sets a topic's plan (see [`leadmap_app::progress::plan::set_plan`]).
    pub async fn set_plan(
        &self,
        entry: &Entry,
        topic: &str,
        due: Option<Option<i64>>,
        links: Option<&[leadmap_store::Evidence]>,
    ) -> Result<leadmap_store::Plan, AppError> {
        Ok(
            progress::plan::set_plan(self.state.store(), self.user, entry, topic, due, links)
                .await?,
        )
    }

    /// The plans of one roadmap's topics, or of every roadmap.
    pub async fn plans(&self, roadmap: Option<&str>) -> Result<Vec<leadmap_store::Plan>, AppError> {
        Ok(self.state.store().plans(self.user, roadmap).await?)
    }

    /// Target days on or before `until_day`: (roadmap, topic, day), earliest first.
    pub async fn due_until(&self, until_day: i64) -> Result<Vec<(String, String, i64)>, AppError> {
        Ok(self.state.store().due_until(self.user, until_day).await?)
    }

    pub async fn reset(&self, roadmap: &str, scope: ResetScope<'_>) -> Result<u64, AppError> {
        Ok(self
            .state
            .store()
            .reset_progress(self.user, roadmap, scope, now_ms())
            .await?)
    }
}

/// Why an account change that asks for the current password did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PasswordCheck {
    /// The current password is not right.
    #[error("the password is not right")]
    Wrong,
    #[error("too many wrong passwords; wait {} minutes, then try again", retry_after.div_ceil(60))]
    Throttled { retry_after: u64 },
    #[error(transparent)]
    Weak(#[from] PasswordError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<SignInError> for PasswordCheck {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Mismatch => PasswordCheck::Wrong,
            SignInError::Throttled { retry_after } => PasswordCheck::Throttled { retry_after },
            SignInError::App(a) => PasswordCheck::App(a),
        }
    }
}

/// The caller's own account: sessions, tokens, password, deletion.
#[derive(Debug)]
pub struct MyAccount<'a> {
    state: &'a AppState,
    user: &'a User,
    session: i64,
}

impl MyAccount<'_> {
    pub async fn sessions(&self) -> Result<Vec<Session>, AppError> {
        Ok(self.state.store().sessions(self.user.id).await?)
    }

    /// Revokes one of the person's sessions; false when they have no such session.
    pub async fn revoke_session(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.state.store().delete_session(self.user.id, id).await?)
    }

    pub async fn revoke_other_sessions(&self) -> Result<u64, AppError> {
        Ok(self
            .state
            .store()
            .delete_sessions(self.user.id, Some(self.session))
            .await?)
    }

    pub async fn tokens(&self) -> Result<Vec<Token>, AppError> {
        Ok(self.state.store().tokens(self.user.id).await?)
    }

    /// Sets the name the person is shown by; blank goes back to the user name.
    pub async fn set_display_name(&self, typed: &str) -> Result<(), AppError> {
        Ok(leadmap_app::account::set_display_name(self.state.store(), self.user.id, typed).await?)
    }

    /// Creates a personal access token named `name`, valid for `days` days (`None`: until
    /// revoked); returns the token (shown once).
    pub async fn create_token(&self, name: &str, days: Option<u32>) -> Result<String, AppError> {
        Ok(leadmap_app::account::create_token(
            self.state.store(),
            self.user.id,
            name,
            days,
            now_ms(),
        )
        .await?)
    }

    pub async fn revoke_token(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.state.store().delete_token(self.user.id, id).await?)
    }

    /// The current password, checked under the sign-in throttle (a stolen session gives no
    /// unlimited guessing).
    async fn check_current(&self, password: &str, addr: ClientAddr) -> Result<(), PasswordCheck> {
        check_password(self.state, &self.user.name, password, addr).await?;
        Ok(())
    }

    /// Changes the password; signs out every other session, and revokes the personal access
    /// tokens unless `keep_tokens`.
    pub async fn change_password(
        &self,
        current: &str,
        new: &str,
        keep_tokens: bool,
        addr: ClientAddr,
    ) -> Result<(), PasswordCheck> {
        self.check_current(current, addr).await?;
        let new = Password::parse(new, &[&self.user.name])?;
        let hash = self
            .state
            .hashing(move || secrets::hash_password(&new))
            .await?
            .map_err(|e| AppError::internal("hashing a new password", e))?;
        let store = self.state.store();
        store
            .set_password(self.user.id, &hash)
            .await
            .map_err(AppError::from)?;
        store
            .delete_sessions(self.user.id, Some(self.session))
            .await
            .map_err(AppError::from)?;
        if !keep_tokens {
            for t in store.tokens(self.user.id).await.map_err(AppError::from)? {
                store
                    .delete_token(self.user.id, t.id)
                    .await
                    .map_err(AppError::from)?;
            }
        }
        Ok(())
    }

    /// Deletes the account with its sessions, tokens and progress.
    pub async fn delete(&self, password: &str, addr: ClientAddr) -> Result<(), PasswordCheck> {
        self.check_current(password, addr).await?;
        self.state
            .store()
            .delete_user(self.user.id)
            .await
            .map_err(AppError::from)?;
        Ok(())
    }
}
