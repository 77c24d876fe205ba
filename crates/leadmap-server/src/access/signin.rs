//! Signing in, the first-run set-up, and the sign-in throttle.
//!
//! The throttle (ASVS 2.2.1) reserves an attempt before the password is checked, atomically
//! in the database, so concurrent guesses cannot slip past the count; a caller already at a
//! limit is refused before any hashing, and such refusals are not counted (the lock never
//! extends itself). It counts failures on three keys, each stored as a SHA-256:
//! - the account *and* the client address: [`throttle::PER_ACCOUNT_AND_ADDRESS`] failures in
//!   the window refuse that address for that account (others, the owner among them, are not
//!   locked out by it);
//! - the client address: [`throttle::PER_ADDRESS`] failures refuse the address;
//! - the account from anywhere: never refused, but past [`throttle::DELAY_AFTER`] failures
//!   each attempt waits a growing delay (at most [`throttle::MAX_DELAY_MS`]), which slows an
//!   attacker spread over many addresses without locking the owner out.

use leadmap_app::secrets::{self, Password, key_hash};
use leadmap_app::time::now_ms;
use leadmap_store::{Attempt, AttemptKey, User, UserId, UserName};

use super::client::ClientAddr;
use super::state::AppState;
use crate::web::error::AppError;

/// The throttle's numbers.
pub mod throttle {
    /// The window failures are counted over.
    pub const WINDOW_MS: i64 = 15 * 60 * 1000;
    pub const PER_ACCOUNT_AND_ADDRESS: i64 = 10;
    pub const PER_ADDRESS: i64 = 50;
    /// Failures of an account (from anywhere) after which attempts are slowed down.
    pub const DELAY_AFTER: i64 = 10;
    pub const DELAY_STEP_MS: u64 = 250;
    pub const MAX_DELAY_MS: u64 = 5_000;
}

/// The longest sign-in name and password looked at; longer ones cannot match an account.
const NAME_MAX_BYTES: usize = 4 * UserName::MAX;
const PASSWORD_MAX_BYTES: usize = 4 * Password::MAX;

/// Why a sign-in did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("That name and password do not match an account.")]
    Mismatch,
    #[error("Too many failed attempts. Wait {} minutes, then try again.", retry_after.div_ceil(60))]
    Throttled { retry_after: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<leadmap_store::StoreError> for SignInError {
    fn from(e: leadmap_store::StoreError) -> Self {
        SignInError::App(e.into())
    }
}

/// The sign-in capability: anyone may try.
#[derive(Debug)]
pub struct SignIn<'a> {
    state: &'a AppState,
}

impl AppState {
    pub fn sign_in(&self) -> SignIn<'_> {
        SignIn { state: self }
    }

    /// The first-run capability, for the holder of the set-up link while no account exists.
    pub fn setup(&self, token: &str) -> Option<Setup<'_>> {
        self.setup_token()
            .filter(|t| secrets::same(t, token))
            .map(|_| Setup { state: self })
    }
}

fn keys(name: &str, addr: ClientAddr) -> [AttemptKey; 3] {
    let name = name.trim().to_lowercase();
    let ip = addr.0.to_string();
    [
        AttemptKey {
            key: key_hash(&["account+address", &name, &ip]),
            limit: Some(throttle::PER_ACCOUNT_AND_ADDRESS),
        },
        AttemptKey {
            key: key_hash(&["address", &ip]),
            limit: Some(throttle::PER_ADDRESS),
        },
        AttemptKey {
            key: key_hash(&["account", &name]),
            limit: None,
        },
    ]
}

/// Checks `password` against the account `name` under the throttle: reserves the attempt,
/// verifies (against a dummy hash when there is no such account, so that the answer takes as
/// long), and takes the reservation back on success.
pub(super) async fn check_password(
    state: &AppState,
    name: &str,
    password: &str,
    addr: ClientAddr,
) -> Result<User, SignInError> {
    let store = state.store();
    let now = now_ms();
    let keys = keys(name, addr);
    let (ids, counts) = match store
        .reserve_attempt(&keys, now - throttle::WINDOW_MS, now)
        .await?
    {
        Attempt::Reserved { ids, counts } => (ids, counts),
        Attempt::Throttled { retry_at } => {
            let retry_after = u64::try_from((retry_at - now).max(1_000) / 1_000).unwrap_or(1);
            return Err(SignInError::Throttled { retry_after });
        }
    };
    let account_failures = counts.get(2).copied().unwrap_or(0);
    if account_failures >= throttle::DELAY_AFTER {
        let steps = u64::try_from(account_failures - throttle::DELAY_AFTER + 1).unwrap_or(0);
        let delay = (steps * throttle::DELAY_STEP_MS).min(throttle::MAX_DELAY_MS);
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    let creds = if name.len() <= NAME_MAX_BYTES && !name.contains('\0') {
        store.credentials(name.trim()).await?
    } else {
        None
    };
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash().to_owned());
    let password: String = password.chars().take(PASSWORD_MAX_BYTES).collect();
    let ok = state
        .hashing(move || secrets::verify_password(&password, &hash))
        .await?;
    match creds {
        Some(c) if ok => {
            let clear: Vec<[u8; 32]> = keys.iter().map(|k| k.key).collect();
            store.release_attempt(&ids, &clear).await?;
            Ok(c.user)
        }
        _ => Err(SignInError::Mismatch),
    }
}

impl SignIn<'_> {
    /// Signs in: the account when `password` is its password.
    pub async fn attempt(
        &self,
        name: &str,
        password: &str,
        addr: ClientAddr,
    ) -> Result<User, SignInError> {
        check_password(self.state, name, password, addr).await
    }

    /// Starts a session for `user`; returns the cookie's secret.
    pub async fn start_session(&self, user: UserId, user_agent: &str) -> Result<String, AppError> {
        start_session(self.state, user, user_agent).await
    }
}

pub(super) async fn start_session(
    state: &AppState,
    user: UserId,
    user_agent: &str,
) -> Result<String, AppError> {
    let token = secrets::random_hex(16);
    let csrf = secrets::random_hex(16);
    let agent: String = user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    state
        .store()
        .create_session(user, &secrets::secret_hash(&token), &csrf, &agent, now_ms())
        .await?;
    Ok(token)
}

/// Creating the owner account through the first-run link.
#[derive(Debug)]
pub struct Setup<'a> {
    state: &'a AppState,
}

impl Setup<'_> {
    /// Creates the owner (an admin) and starts their session; returns the cookie's secret.
    /// Refused once any account exists.
    pub async fn create_owner(
        self,
        name: &UserName,
        display_name: Option<&str>,
        password: Password,
        user_agent: &str,
    ) -> Result<String, AppError> {
        let store = self.state.store();
        if store.user_count().await? > 0 {
            return Err(AppError::Forbidden(
                "This set-up link is no longer valid: the owner account exists. Sign in instead."
                    .into(),
            ));
        }
        let hash = self
            .state
            .hashing(move || secrets::hash_password(&password))
            .await?
            .map_err(|e| AppError::internal("hashing a new password", e))?;
        let user = store.create_user(name, &hash, true, now_ms()).await?;
        if display_name.is_some() {
            store.set_display_name(user.id, display_name).await?;
        }
        self.state.clear_setup_token();
        start_session(self.state, user.id, user_agent).await
    }
}
