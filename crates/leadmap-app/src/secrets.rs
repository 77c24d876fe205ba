//! Passwords and secrets: the password policy, argon2id hashing, random session and API
//! tokens, and what the store keeps of a secret (its SHA-256). The web app and the CLI use
//! these, so both refuse the same passwords with the same words.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {min} characters (this one has {len})")]
    TooShort { min: usize, len: usize },
    #[error("a password has at most {max} characters (this one has {len})")]
    TooLong { max: usize, len: usize },
    #[error("this password is too easy to guess{why}; a few unrelated words make a strong one")]
    Guessable { why: String },
}

/// A password that meets the policy: 12–128 characters, not one that a guesser with lists of
/// common and breached passwords, names, keyboard walks, dates, the product's name and the
/// person's own name finds quickly. No composition rules (ASVS 2.1, NIST 800-63B 5.1.1.2).
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Words that count against every password: the product's own name and what it is about.
const CONTEXT_WORDS: &[&str] = &["leadmap", "roadmap", "engineering", "leadership", "manager"];

impl Password {
    pub const MIN: usize = 12;
    pub const MAX: usize = 128;
    /// The least zxcvbn score accepted: 4, at least 10^10 guesses. (Score 3 let through
    /// `Summer2024!!`, which zxcvbn puts at 10^8: a season, a year and punctuation.)
    pub const MIN_SCORE: u8 = 4;

    /// Checks a new password; `user_inputs` (the user's name, say) count against it, with the
    /// product's own words.
    pub fn parse(s: &str, user_inputs: &[&str]) -> Result<Password, PasswordError> {
        let len = s.chars().count();
        if len < Self::MIN {
            return Err(PasswordError::TooShort {
                min: Self::MIN,
                len,
            });
        }
        if len > Self::MAX {
            return Err(PasswordError::TooLong {
                max: Self::MAX,
                len,
            });
        }
        let mut inputs: Vec<&str> = CONTEXT_WORDS.to_vec();
        inputs.extend_from_slice(user_inputs);
        // zxcvbn matches against lists of common passwords, names, keyboard walks, repeats,
        // dates and the inputs given; the score says how quickly one of those guesses it.
        let estimate = zxcvbn::zxcvbn(s, &inputs);
        if (estimate.score() as u8) < Self::MIN_SCORE {
            let why = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            return Err(PasswordError::Guessable { why });
        }
        Ok(Password(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password hashing failure (the parameters or the output buffer: never the input).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

fn argon2() -> Argon2<'static> {
    // OWASP / ASVS: argon2id, 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (blocking: about 30 ms and 19 MiB; call from `spawn_blocking` on a
/// server, behind its bound on concurrent hashes).
pub fn hash_password(p: &Password) -> Result<String, HashError> {
    argon2()
        .hash_password(p.as_str().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
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

/// A SHA-256 as a fixed-size key (sign-in throttling keys: never the raw name or address).
pub fn key_hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessable_passwords_from_the_security_review_are_refused() {
        for (p, user) in [
            ("Summer2024!!", "maria"),
            ("Passw0rd2026!", "maria"),
            ("leadmapleadmap", "maria"),
            ("aliceAlice123", "alice"),
            ("password1234", "maria"),
        ] {
            let e = Password::parse(p, &[user]).expect_err(p);
            assert!(matches!(e, PasswordError::Guessable { .. }), "{p}: {e}");
        }
        assert!(Password::parse("correct horse battery staple", &["maria"]).is_ok());
        assert!(Password::parse("plum-orbit-canvas-87", &["maria"]).is_ok());
        assert!(Password::parse("mountain-river-7", &["maria"]).is_ok());
    }

    #[test]
    fn length_limits_say_the_numbers() {
        assert_eq!(
            Password::parse("short", &[]).unwrap_err().to_string(),
            "a password needs at least 12 characters (this one has 5)"
        );
        let long = "x".repeat(129);
        assert!(matches!(
            Password::parse(&long, &[]),
            Err(PasswordError::TooLong { .. })
        ));
    }

    #[test]
    fn hashes_verify_and_keys_are_fixed_size() {
        let p = Password::parse("correct horse battery staple", &[]).unwrap();
        let h = hash_password(&p).unwrap();
        assert!(verify_password(p.as_str(), &h));
        assert!(!verify_password("wrong", &h));
        assert_ne!(key_hash(&["user", "ab"]), key_hash(&["user", "a", "b"]));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }
}
