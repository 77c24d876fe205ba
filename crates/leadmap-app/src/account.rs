//! Accounts: personal access tokens, made the same way from the account page and the CLI.

use leadmap_store::{Store, UserId};

use crate::Error;
use crate::progress::short_text;
use crate::secrets;

/// The longest name of a personal access token.
pub const TOKEN_NAME_MAX: usize = 100;

/// Creates a personal access token named `name` for `user`; returns the token, which is
/// shown once (the store keeps its hash only).
pub async fn create_token(
    store: &dyn Store,
    user: UserId,
    name: &str,
    now: i64,
) -> Result<String, Error> {
    let name = short_text(name, "a token's name", TOKEN_NAME_MAX)?;
    let token = secrets::new_access_token();
    store
        .create_token(user, &name, &secrets::secret_hash(&token), now)
        .await?;
    Ok(token)
}
