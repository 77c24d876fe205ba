//! Accounts: personal access tokens, made the same way from the account page and the CLI.

use leadmap_store::{Store, UserId};

use crate::Error;
use crate::progress::{Invalid, short_text};
use crate::secrets;

/// The longest name of a personal access token.
pub const TOKEN_NAME_MAX: usize = 100;

/// The longest a token may be made to last, in days (about ten years).
pub const TOKEN_DAYS_MAX: u32 = 3_650;

/// Creates a personal access token named `name` for `user`, valid for `days` days (or until
/// revoked, with `None`); returns the token, which is shown once (the store keeps its hash).
pub async fn create_token(
    store: &dyn Store,
    user: UserId,
    name: &str,
    days: Option<u32>,
    now: i64,
) -> Result<String, Error> {
    let name = short_text(name, "a token's name", TOKEN_NAME_MAX)?;
    let expires_at = match days {
        None => None,
        Some(d) if (1..=TOKEN_DAYS_MAX).contains(&d) => Some(now + i64::from(d) * 86_400_000),
        Some(_) => {
            return Err(Invalid::TooLong {
                what: "a token's lifetime in days (at least 1)",
                max: TOKEN_DAYS_MAX as usize,
            }
            .into());
        }
    };
    let token = secrets::new_access_token();
    store
        .create_token(user, &name, &secrets::secret_hash(&token), now, expires_at)
        .await?;
    Ok(token)
}

/// The longest display name, in characters.
pub const DISPLAY_NAME_MAX: usize = 80;

/// Reads a display name as a person typed it: trimmed, at most [`DISPLAY_NAME_MAX`]
/// characters, control characters dropped; an empty one means "show my user name".
pub fn display_name(typed: &str) -> Result<Option<String>, Invalid> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    short_text(typed, "a display name", DISPLAY_NAME_MAX).map(Some)
}

/// Sets the name `user` is shown by (or, when `typed` is blank, goes back to the user name).
pub async fn set_display_name(store: &dyn Store, user: UserId, typed: &str) -> Result<(), Error> {
    let shown = display_name(typed)?;
    store.set_display_name(user, shown.as_deref()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_keep_their_spaces_and_blank_means_the_user_name() {
        assert_eq!(
            display_name("  Maria Manager ").unwrap().as_deref(),
            Some("Maria Manager")
        );
        assert_eq!(display_name("   ").unwrap(), None);
        assert!(display_name(&"m".repeat(DISPLAY_NAME_MAX + 1)).is_err());
        assert_eq!(display_name("Ana\u{7}").unwrap().as_deref(), Some("Ana"));
        assert!(display_name("a\0b").is_err());
    }
}
