//! Publishing roadmaps and reading their versions, as the signed-in person or token holder
//! may: [`MyRoadmaps`] carries the caller's account, so every answer is what they may see (a
//! roadmap they may not read or edit is not found, exactly like one that does not exist).

use leadmap_app::publish::Current;
use leadmap_app::publish::{self, PublishError, Publisher, Report, Request};
use leadmap_app::time::now_ms;
use leadmap_store::{User, Version, Visibility};

use super::capability::{ApiMe, Me};
use super::state::AppState;
use crate::web::error::AppError;

/// The roadmaps as one person reaches them.
#[derive(Debug)]
pub struct MyRoadmaps<'a> {
    state: &'a AppState,
    user: &'a User,
}

impl MyRoadmaps<'_> {
    /// Checks and publishes a version (or, on a dry run, reports what it would do).
    pub async fn publish(&self, req: &Request<'_>) -> Result<Report, PublishError> {
        publish::publish(
            self.state.store(),
            self.state.library(),
            self.state.config().roadmap_limits,
            Publisher::Person(self.user),
            req,
            now_ms(),
        )
        .await
    }

    /// The roadmap as this person may read it, and whether they may publish to it.
    pub async fn current(&self, id: &str) -> Result<(Current, bool), AppError> {
        let c = self.state.roadmap(Some(self.user), id).await?;
        let editable = c.editable_by(self.user);
        Ok((c, editable))
    }

    /// The roadmap, when this person may publish to it (else not found).
    pub async fn editable(&self, id: &str) -> Result<Current, AppError> {
        match self.current(id).await? {
            (c, true) => Ok(c),
            _ => Err(AppError::NotFound),
        }
    }

    /// Changes who may see a roadmap this person may publish to.
    pub async fn set_visibility(&self, id: &str, v: Visibility) -> Result<(), AppError> {
        self.editable(id).await?;
        self.state.store().set_visibility(id, v).await?;
        Ok(())
    }

    /// A roadmap's versions, newest first; none for a bundled roadmap that is not stored.
    pub async fn versions(&self, id: &str) -> Result<Vec<Version>, AppError> {
        self.state.roadmap(Some(self.user), id).await?;
        Ok(self.state.store().versions(id).await?)
    }

    /// One version's Markdown.
    pub async fn source(&self, id: &str, version: i64) -> Result<(Version, String), AppError> {
        self.state
            .library()
            .version_source(self.state.store(), Some(self.user), id, version)
            .await?
            .ok_or(AppError::NotFound)
    }
}

impl Me {
    pub fn roadmaps(&self) -> MyRoadmaps<'_> {
        MyRoadmaps {
            state: self.state(),
            user: &self.user,
        }
    }
}

impl ApiMe {
    pub fn roadmaps(&self) -> MyRoadmaps<'_> {
        MyRoadmaps {
            state: self.state(),
            user: &self.user,
        }
    }
}
