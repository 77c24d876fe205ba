//! Teams: the list and creating one (admins), a team's page (members, roles, sub-teams,
//! invites, settings), joining by an invite link, the team dashboard per roadmap (members ×
//! areas heatmap, the gaps, the single points of knowledge, focus topics), the members ×
//! topics matrix and its CSV, the trend, a member's roadmap read-only, 1:1 preparation, and
//! the same numbers through `/api/v1/teams`. Every handler opens the team through
//! `Me::teams()`/`ApiMe::teams()`: a team the caller has no relation to is not found; what
//! only managers see needs `TeamView::managed()`.

mod api;
mod dashboard;
mod join;
mod member;
mod pages;

use crate::access::{Access, Routes};

pub fn routes() -> Routes {
    use Access::{Public, PublicForm, Session, Token};
    Routes::new()
        .get("/teams", Session, pages::list)
        .post("/teams", Session, pages::create)
        .get("/teams/{team}", Session, pages::team)
        .post("/teams/{team}/settings", Session, pages::settings)
        .post("/teams/{team}/delete", Session, pages::delete)
        .post("/teams/{team}/members", Session, pages::add_member)
        .post(
            "/teams/{team}/members/{name}/remove",
            Session,
            pages::remove_member,
        )
        .post("/teams/{team}/invites", Session, pages::invite)
        .post(
            "/teams/{team}/invites/{id}/revoke",
            Session,
            pages::revoke_invite,
        )
        .get("/join/{token}", Public, join::page)
        .post("/join/{token}", PublicForm, join::post)
        .get("/signup", Public, join::signup_page)
        .post("/signup", PublicForm, join::signup)
        .get("/teams/{team}/r/{roadmap}", Session, dashboard::page)
        .get(
            "/teams/{team}/r/{roadmap}/matrix",
            Session,
            dashboard::matrix,
        )
        .get(
            "/teams/{team}/r/{roadmap}/matrix.csv",
            Session,
            dashboard::matrix_csv,
        )
        .get(
            "/teams/{team}/r/{roadmap}/heatmap.svg",
            Session,
            dashboard::heatmap_svg,
        )
        .get("/teams/{team}/r/{roadmap}/trend", Session, dashboard::trend)
        .post("/teams/{team}/focus", Session, dashboard::suggest)
        .post(
            "/teams/{team}/focus/{id}/delete",
            Session,
            dashboard::remove_focus,
        )
        .get(
            "/teams/{team}/members/{name}/r/{roadmap}",
            Session,
            member::roadmap,
        )
        .get(
            "/teams/{team}/members/{name}/one-on-one",
            Session,
            member::one_on_one,
        )
        .get(
            "/teams/{team}/members/{name}/one-on-one.md",
            Session,
            member::one_on_one_md,
        )
        .post(
            "/teams/{team}/members/{name}/one-on-one",
            Session,
            member::record_one_on_one,
        )
        .post(
            "/r/{roadmap}/t/{topic}/note-sharing",
            Session,
            member::share_note,
        )
        .get("/api/v1/teams", Token, api::list)
        .post("/api/v1/teams", Token, api::create)
        .get("/api/v1/teams/{team}", Token, api::show)
        .put(
            "/api/v1/teams/{team}/members/{name}",
            Token,
            api::put_member,
        )
        .delete(
            "/api/v1/teams/{team}/members/{name}",
            Token,
            api::delete_member,
        )
        .post("/api/v1/teams/{team}/invites", Token, api::invite)
        .get(
            "/api/v1/teams/{team}/roadmaps/{roadmap}",
            Token,
            api::dashboard,
        )
        .get(
            "/api/v1/teams/{team}/roadmaps/{roadmap}/matrix",
            Token,
            api::matrix,
        )
        .get("/api/v1/me/focus", Token, api::my_focus)
}
