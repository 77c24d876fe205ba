//! The account page: password, sessions, personal access tokens, export and deletion.

mod actions;
mod export;
mod notice;
mod page;

use crate::access::{Access, Routes};

pub fn routes() -> Routes {
    use Access::Session;
    Routes::new()
        .get("/account", Session, page::account)
        .post("/account/password", Session, actions::change_password)
        .post("/account/name", Session, actions::set_display_name)
        .post(
            "/account/sessions/{id}/revoke",
            Session,
            actions::revoke_session,
        )
        .post(
            "/account/sessions/revoke-others",
            Session,
            actions::revoke_other_sessions,
        )
        .post("/account/tokens", Session, actions::create_token)
        .post(
            "/account/tokens/{id}/revoke",
            Session,
            actions::revoke_token,
        )
        .get("/account/export", Session, export::export)
        .post("/account/delete", Session, actions::delete_account)
}
