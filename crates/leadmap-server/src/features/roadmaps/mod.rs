//! The roadmaps: the roadmap page (diagram and list), a topic's panel, marking a topic,
//! resetting progress, and the same through the JSON API.

mod api;
mod mark;
mod page;
mod panel;
mod publish;

use leadmap_app::Entry;

use crate::access::{Access, AppState, Routes};
use crate::web::AppError;

pub fn routes() -> Routes {
    use Access::{Public, Session, Token};
    Routes::new()
        // Public: a visitor without an account reads a public roadmap; any other roadmap (or
        // every one, with `serve --private`) sends them to sign in.
        .get("/r/{roadmap}", Public, page::roadmap_page)
        .get("/r/{roadmap}/t/{topic}", Public, panel::topic_page)
        .post("/r/{roadmap}/t/{topic}", Session, mark::mark)
        .post("/r/{roadmap}/t/{topic}/plan", Session, mark::plan)
        .get("/r/{roadmap}/reset", Session, mark::reset_confirm)
        .post("/r/{roadmap}/reset", Session, mark::reset)
        .get("/api/v1/roadmaps", Token, api::roadmaps)
        .get("/r/{roadmap}/v/{file}", Session, publish::version_file)
        .get("/api/v1/roadmaps/{roadmap}", Token, api::roadmap)
        .put("/api/v1/roadmaps/{roadmap}", Token, publish::put_roadmap)
        .get(
            "/api/v1/roadmaps/{roadmap}/versions",
            Token,
            publish::versions,
        )
        .get("/api/v1/roadmaps/{roadmap}/diff", Token, publish::diff)
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

/// The roadmap a path names as `user` may read it, or 404.
async fn entry(
    state: &AppState,
    user: &leadmap_store::User,
    id: &str,
) -> Result<std::sync::Arc<Entry>, AppError> {
    Ok(state.roadmap(Some(user), id).await?.entry)
}
