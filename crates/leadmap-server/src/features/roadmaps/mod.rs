//! The roadmaps: the roadmap page (diagram and list), a topic's panel, marking a topic,
//! resetting progress, and the same through the JSON API.

mod api;
mod mark;
mod page;
mod panel;

use leadmap_app::Entry;

use crate::access::{Access, AppState, Routes};
use crate::web::AppError;

pub fn routes() -> Routes {
    use Access::{Session, Token};
    Routes::new()
        .get("/r/{roadmap}", Session, page::roadmap_page)
        .get("/r/{roadmap}/t/{topic}", Session, panel::topic_page)
        .post("/r/{roadmap}/t/{topic}", Session, mark::mark)
        .post("/r/{roadmap}/t/{topic}/plan", Session, mark::plan)
        .get("/r/{roadmap}/reset", Session, mark::reset_confirm)
        .post("/r/{roadmap}/reset", Session, mark::reset)
        .get("/api/v1/roadmaps", Token, api::roadmaps)
        .get("/api/v1/roadmaps/{roadmap}", Token, api::roadmap)
        .get("/api/v1/me/progress/{roadmap}", Token, api::progress)
        .get(
            "/api/v1/me/progress/{roadmap}/{topic}",
            Token,
            api::topic_progress,
        )
        .put(
            "/api/v1/me/progress/{roadmap}/{topic}",
            Token,
            api::put_progress,
        )
}

/// The roadmap a path names, or 404.
fn entry<'a>(state: &'a AppState, id: &str) -> Result<&'a Entry, AppError> {
    state.catalog().get(id).ok_or(AppError::NotFound)
}
