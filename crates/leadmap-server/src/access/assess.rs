//! Practice assessments as one person reaches them. [`MyAssessments`] (from
//! [`Me::assessments`] or [`ApiMe::assessments`]) lists what a person may see and opens one
//! as an [`AssessmentView`] whose [`Right`] was read from the store in this request:
//!
//! - the organisation's: admins edit; everyone signed in reads it once it is published;
//! - a team's: admins and the managers of the team (or of a team above it) edit; the team's
//!   members read it once it is published;
//! - anything else is not found, exactly like an assessment that does not exist.
//!
//! Editing is only ever of a draft: the store refuses a change to a published one.

use std::collections::HashMap;

use leadmap_app::assess::compute::{Comparison, Ratings};
use leadmap_app::assess::{self, People};
use leadmap_app::publish::Current;
use leadmap_app::time::now_ms;
use leadmap_store::{
    Assessed, Assessment, AssessmentState, PracticeRating, RatingChange, Team, User,
};

use super::capability::{ApiMe, Me};
use super::state::AppState;
use super::teams::{Relation, relations};
use crate::web::error::AppError;

/// What a person may do with an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Rate, publish, delete (a draft); start the next one.
    Edit,
    Read,
}

/// The assessments as one person reaches them.
#[derive(Debug)]
pub struct MyAssessments<'a> {
    state: &'a AppState,
    user: &'a User,
}

impl Me {
    pub fn assessments(&self) -> MyAssessments<'_> {
        MyAssessments {
            state: self.state(),
            user: &self.user,
        }
    }
}

impl ApiMe {
    pub fn assessments(&self) -> MyAssessments<'_> {
        MyAssessments {
            state: self.state(),
            user: &self.user,
        }
    }
}

/// Who a person is to every owner of assessments, read once per request.
#[derive(Debug)]
pub struct Standing {
    pub teams: Vec<Team>,
    relations: HashMap<i64, Relation>,
    admin: bool,
}

impl Standing {
    /// The person's right on assessments of `assessed`, drafts included; `None`: none.
    pub fn right_on(&self, assessed: Assessed) -> Option<Right> {
        match assessed {
            Assessed::Organisation if self.admin => Some(Right::Edit),
            Assessed::Organisation => Some(Right::Read),
            Assessed::Team(t) => match self.relations.get(&t)? {
                r if r.manages() => Some(Right::Edit),
                _ => Some(Right::Read),
            },
        }
    }

    /// The person's right on one assessment: readers see published ones only.
    pub fn right(&self, a: &Assessment) -> Option<Right> {
        match self.right_on(a.assessed)? {
            Right::Edit => Some(Right::Edit),
            Right::Read if a.state == AssessmentState::Published => Some(Right::Read),
            Right::Read => None,
        }
    }

    /// Whose assessments the person may start: the organisation (admins), then the teams they
    /// manage, by name.
    pub fn may_start(&self) -> Vec<(Assessed, String)> {
        let mut out = Vec::new();
        if self.admin {
            out.push((Assessed::Organisation, "The organisation".to_owned()));
        }
        for t in &self.teams {
            if self.right_on(Assessed::Team(t.id)) == Some(Right::Edit) {
                out.push((Assessed::Team(t.id), t.name.clone()));
            }
        }
        out
    }

    pub fn owner_name(&self, assessed: Assessed) -> String {
        assess::owner_name(assessed, &self.teams)
    }

    /// `organisation` or the team's address.
    pub fn owner_slug(&self, assessed: Assessed) -> String {
        match assessed {
            Assessed::Organisation => "organisation".into(),
            Assessed::Team(id) => self
                .teams
                .iter()
                .find(|t| t.id == id)
                .map_or_else(String::new, |t| t.slug.clone()),
        }
    }

    /// The owner an address names (`organisation` or a team's), when the person may start
    /// assessments of it; else not found.
    pub fn startable(&self, of: &str) -> Result<Assessed, AppError> {
        let assessed = match of.trim() {
            "" | "organisation" | "organization" => Assessed::Organisation,
            slug => Assessed::Team(
                self.teams
                    .iter()
                    .find(|t| t.slug == slug)
                    .ok_or(AppError::NotFound)?
                    .id,
            ),
        };
        match self.right_on(assessed) {
            Some(Right::Edit) => Ok(assessed),
            _ => Err(AppError::NotFound),
        }
    }
}

/// One assessment as one person may use it.
#[derive(Debug)]
pub struct AssessmentView<'a> {
    state: &'a AppState,
    user: &'a User,
    pub assessment: Assessment,
    pub right: Right,
    /// Whether the person edits this owner's assessments (and so may start the next one).
    pub edits_owner: bool,
    /// Who it is of, in words.
    pub owner: String,
    /// `organisation` or the team's address.
    pub owner_slug: String,
    /// The roadmap it rates, as of now.
    pub roadmap: Current,
}

impl<'a> MyAssessments<'a> {
    pub async fn standing(&self) -> Result<Standing, AppError> {
        let store = self.state.store();
        let teams = store.teams().await?;
        let mine = store.memberships(self.user.id).await?;
        let relations = relations(self.user, &teams, &mine);
        Ok(Standing {
            teams,
            relations,
            admin: self.user.is_admin,
        })
    }

    /// Every assessment this person may see, with their right, in the store's order.
    pub async fn list(&self) -> Result<(Standing, Vec<(Assessment, Right)>), AppError> {
        let standing = self.standing().await?;
        let all = self.state.store().assessments().await?;
        let out = all
            .into_iter()
            .filter_map(|a| standing.right(&a).map(|r| (a, r)))
            .collect();
        Ok((standing, out))
    }

    /// One assessment, when this person may see it (else not found).
    pub async fn open(&self, id: i64) -> Result<AssessmentView<'a>, AppError> {
        let Some(a) = self.state.store().assessment(id).await? else {
            return Err(AppError::NotFound);
        };
        let standing = self.standing().await?;
        let right = standing.right(&a).ok_or(AppError::NotFound)?;
        let edits_owner = standing.right_on(a.assessed) == Some(Right::Edit);
        let roadmap = self.state.roadmap(Some(self.user), &a.roadmap).await?;
        Ok(AssessmentView {
            state: self.state,
            user: self.user,
            owner: standing.owner_name(a.assessed),
            owner_slug: standing.owner_slug(a.assessed),
            assessment: a,
            right,
            edits_owner,
            roadmap,
        })
    }

    /// Starts an assessment of `of` (`organisation` or a team's address) on a roadmap this
    /// person may read: a copy of the last one. Not found when they may not.
    pub async fn start(
        &self,
        of: &str,
        roadmap: &str,
        title: &str,
        on: Option<i64>,
    ) -> Result<Assessment, AppError> {
        let standing = self.standing().await?;
        let assessed = standing.startable(of)?;
        let current = self.state.roadmap(Some(self.user), roadmap).await?;
        let now = now_ms();
        let on = on.unwrap_or_else(|| leadmap_app::activity::day_of(now));
        Ok(assess::start(
            self.state.store(),
            &current.entry,
            assess::version_of(&current),
            assessed,
            title,
            on,
            Some(self.user.id),
            now,
        )
        .await?)
    }

    /// The organisation view of a roadmap: the organisation's latest published assessment
    /// beside the latest published one of each team this person may read.
    pub async fn overview(&self, roadmap: &str) -> Result<Overview, AppError> {
        let current = self.state.roadmap(Some(self.user), roadmap).await?;
        let (standing, visible) = self.list().await?;
        let published: Vec<Assessment> = visible
            .into_iter()
            .map(|(a, _)| a)
            .filter(|a| a.roadmap == roadmap && a.state == AssessmentState::Published)
            .collect();
        let latest: Vec<Assessment> =
            leadmap_app::assess::compute::latest_published(&published, roadmap)
                .into_iter()
                .cloned()
                .collect();
        let org_series: Vec<Assessment> = published
            .iter()
            .filter(|a| a.assessed == Assessed::Organisation)
            .cloned()
            .collect();
        let mut ids: Vec<i64> = latest.iter().map(|a| a.id).collect();
        ids.extend(org_series.iter().map(|a| a.id));
        ids.sort_unstable();
        ids.dedup();
        let ratings = assess::ratings_of(self.state.store(), &ids).await?;
        Ok(Overview {
            standing,
            roadmap: current,
            latest,
            org_series,
            ratings,
        })
    }

    /// Two assessments this person may read, compared on the later one's roadmap (two of
    /// different roadmaps are refused).
    pub async fn compare(
        &self,
        from: i64,
        to: i64,
    ) -> Result<(AssessmentView<'a>, AssessmentView<'a>, Comparison), AppError> {
        let (a, b) = (self.open(from).await?, self.open(to).await?);
        if a.assessment.roadmap != b.assessment.roadmap {
            return Err(AppError::Unprocessable(
                "these two assessments rate different roadmaps; compare assessments of one roadmap"
                    .into(),
            ));
        }
        let (ra, rb) = (a.ratings().await?, b.ratings().await?);
        let cmp = leadmap_app::assess::compute::compare(&b.roadmap.entry, &ra, &rb);
        Ok((a, b, cmp))
    }

    /// The roadmaps this person may read (and so assess).
    pub async fn roadmaps(&self) -> Result<Vec<Current>, AppError> {
        self.state.roadmaps(Some(self.user)).await
    }

    /// The store's people, for owners' names.
    pub async fn people(&self) -> Result<People, AppError> {
        Ok(People::load(self.state.store()).await?)
    }
}

/// What the organisation view is drawn from.
#[derive(Debug)]
pub struct Overview {
    pub standing: Standing,
    pub roadmap: Current,
    /// The latest published assessment of the organisation and of each team the person reads.
    pub latest: Vec<Assessment>,
    /// The organisation's published assessments, oldest first.
    pub org_series: Vec<Assessment>,
    pub ratings: HashMap<i64, Ratings>,
}

impl AssessmentView<'_> {
    pub fn is_draft(&self) -> bool {
        self.assessment.state == AssessmentState::Draft
    }

    /// Whether this person may change it now (an editor, and a draft).
    pub fn may_edit(&self) -> bool {
        self.right == Right::Edit && self.is_draft()
    }

    /// Not found unless this person edits it: every changing handler asks first, before it
    /// reads its input, so that a reader learns nothing from a change's answer.
    pub fn editable(&self) -> Result<(), AppError> {
        if self.right != Right::Edit {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    pub async fn ratings(&self) -> Result<Ratings, AppError> {
        Ok(assess::by_topic(
            self.state
                .store()
                .ratings(&[self.assessment.id])
                .await?
                .into_iter()
                .map(|(_, r)| r)
                .collect(),
        ))
    }

    /// Rates one practice (editors only; a published assessment is refused by the store).
    pub async fn rate(
        &self,
        topic: &str,
        change: &RatingChange,
    ) -> Result<PracticeRating, AppError> {
        self.editable()?;
        Ok(assess::rate(
            self.state.store(),
            &self.roadmap.entry,
            &self.assessment,
            topic,
            change,
            Some(self.user.id),
            now_ms(),
        )
        .await?)
    }

    /// Removes a practice's rating from a draft.
    pub async fn unrate(&self, topic: &str) -> Result<bool, AppError> {
        self.editable()?;
        Ok(self.state.store().unrate(self.assessment.id, topic).await?)
    }

    /// Applies every row of a file, each checked before (see `assess::files`).
    pub async fn import(&self, rows: &[(String, RatingChange)]) -> Result<usize, AppError> {
        self.editable()?;
        for (topic, change) in rows {
            self.rate(topic, change).await?;
        }
        Ok(rows.len())
    }

    pub async fn publish(&self) -> Result<Assessment, AppError> {
        self.editable()?;
        self.state
            .store()
            .publish_assessment(self.assessment.id, now_ms())
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn retitle(&self, title: &str, on: i64) -> Result<Assessment, AppError> {
        self.editable()?;
        let title = assess::title(title)?;
        self.state
            .store()
            .retitle_assessment(self.assessment.id, &title, on)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn delete(&self) -> Result<bool, AppError> {
        self.editable()?;
        Ok(self
            .state
            .store()
            .delete_assessment(self.assessment.id)
            .await?)
    }

    /// Every write of a rating, oldest first.
    pub async fn history(&self) -> Result<Vec<PracticeRating>, AppError> {
        Ok(self
            .state
            .store()
            .rating_history(self.assessment.id)
            .await?)
    }

    /// The report's numbers.
    pub async fn report(&self) -> Result<assess::report::Report, AppError> {
        Ok(assess::report::Report::gather(
            self.state.store(),
            &self.roadmap.entry,
            &self.assessment,
        )
        .await?)
    }

    pub async fn people(&self) -> Result<People, AppError> {
        Ok(People::load(self.state.store()).await?)
    }

    /// Who may own a practice's next step, by the name an editor types: for a team's
    /// assessment, the people of the team (and of the teams beneath it) and the editor; for the
    /// organisation's, everyone. An editor learns no other account's name through it.
    pub async fn owners(&self) -> Result<People, AppError> {
        let store = self.state.store();
        let Assessed::Team(team) = self.assessment.assessed else {
            return Ok(People::load(store).await?);
        };
        let teams = store.teams().await?;
        let mut ids = leadmap_app::teams::descendants(&teams, team);
        ids.push(team);
        let mut users: Vec<User> = store
            .members(&ids)
            .await?
            .into_iter()
            .map(|m| m.user)
            .collect();
        users.push(self.user.clone());
        Ok(People::new(users))
    }
}
