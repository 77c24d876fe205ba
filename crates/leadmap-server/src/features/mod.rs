//! The features of the app, each a folder that owns its handlers, API routes and templates
//! (`templates/<feature>/`), and exports `routes()`: a [`Routes`] table in which every route
//! names who may call it.

pub mod account;
pub mod activity;
pub mod assess;
pub mod authoring;
pub mod home;
pub mod roadmaps;
pub mod session;
pub mod setup;
pub mod share;
pub mod site;
pub mod teams;

use crate::access::Routes;

/// Every route of the app.
pub fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .merge(site::routes())
        .merge(setup::routes())
        .merge(session::routes())
        .merge(roadmaps::routes())
        .merge(authoring::routes())
        .merge(account::routes())
        .merge(activity::routes())
        .merge(share::routes())
        .merge(teams::routes())
        .merge(assess::routes())
}
