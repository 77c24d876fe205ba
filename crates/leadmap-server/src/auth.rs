//! Passwords, tokens, sessions and the guards every route goes through: who is signed in, is
//! this state change same-origin and carrying the session's CSRF token, is sign-in throttled.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, header, request::Parts};
use leadmap_store::{Session, User};
use sha2::{Digest, Sha256};

use crate::{AppState, error::AppError, now_ms};

/// The session cookie's name.
pub const COOKIE: &str = "leadmap_session";

/// A session not used for this long (30 days) is signed out; the cookie lives as long.
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3_600_000;

/// A password that meets the policy: 12–128 characters, not a common or trivially guessable
/// one. No composition rules (ASVS 2.1).
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub const MIN: usize = 12;
    pub const MAX: usize = 128;

    /// Checks a new password; `user_inputs` (the user's name, say) count against it.
    pub fn parse(s: &str, user_inputs: &[&str]) -> Result<Password, String> {
        let n = s.chars().count();
        if n < Self::MIN {
            return Err(format!(
                "a password needs at least {} characters (this one has {n})",
                Self::MIN
            ));
        }
        if n > Self::MAX {
            return Err(format!(
                "a password has at most {} characters (this one has {n})",
                Self::MAX
            ));
        }
        // zxcvbn matches against lists of common passwords, names, keyboard walks, repeats
        // and dates; a score under 2 means one of those guesses it quickly.
        let estimate = zxcvbn::zxcvbn(s, user_inputs);
        if (estimate.score() as u8) < 2 {
            let why = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            return Err(format!(
                "this password is too easy to guess{why}; a few unrelated words make a strong one"
            ));
        }
        Ok(Password(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP / ASVS: argon2id, 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (blocking: about 30 ms; call from `spawn_blocking` on a server).
pub fn hash_password(p: &Password) -> Result<String, AppError> {
    argon2()
        .hash_password(p.as_str().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `hash`; false for a malformed hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    argon2().verify_password(password.as_bytes(), hash).is_ok()
}

/// A random secret of `n` bytes, as hex.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // The OS random source failing leaves nothing sensible to do.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut buf).expect("the operating system's random source");
    hex::encode(buf)
}

/// What the store keeps of a secret: its SHA-256.
pub fn secret_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// A new personal access token (`lm_` and 64 hex digits).
pub fn new_access_token() -> String {
    format!("lm_{}", random_hex(32))
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signed-in person of a page request, when there is one.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<SignedIn>);

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = cookie(&parts.headers, COOKIE) else {
            return Ok(Viewer(None));
        };
        let now = now_ms();
        let found = state.store().session(&secret_hash(&token), now).await?;
        // A session unused for longer than the idle limit is over; it is deleted on sight.
        if let Some((s, _)) = &found
            && now - s.last_seen > SESSION_IDLE_MS
        {
            state.store().delete_session(s.user_id, s.id).await?;
            return Ok(Viewer(None));
        }
        Ok(Viewer(
            found.map(|(session, user)| SignedIn { user, session }),
        ))
    }
}

/// A page that needs a signed-in person; others are sent to the sign-in page.
#[derive(Debug, Clone)]
pub struct Required(pub SignedIn);

impl FromRequestParts<AppState> for Required {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match Viewer::from_request_parts(parts, state).await? {
            Viewer(Some(s)) => Ok(Required(s)),
            Viewer(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(AppError::SignIn(next.to_owned()))
            }
        }
    }
}

/// An API caller, by `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        let user = state
            .store()
            .token_user(&secret_hash(token), now_ms())
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(ApiUser(user))
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A state-changing request must come from our own pages: a cross-site `Sec-Fetch-Site` or an
/// `Origin` that is not this host is refused.
pub fn same_origin(headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(AppError::Forbidden("cross-site request refused".into()));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        if origin == "null" || origin_host != host {
            return Err(AppError::Forbidden("cross-origin request refused".into()));
        }
    }
    Ok(())
}

/// A form post from a signed-in page: same origin and the session's CSRF token.
pub fn check_csrf(headers: &HeaderMap, signed_in: &SignedIn, token: &str) -> Result<(), AppError> {
    same_origin(headers)?;
    let token = if token.is_empty() {
        headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    } else {
        token
    };
    if same(token, &signed_in.session.csrf) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "the form was out of date; reload the page and try again".into(),
        ))
    }
}

/// Sign-in throttling: failures counted per account and per address over a window.
pub mod throttle {
    pub const WINDOW_MS: i64 = 15 * 60 * 1000;
    pub const PER_ACCOUNT: i64 = 10;
    pub const PER_ADDRESS: i64 = 50;
}
