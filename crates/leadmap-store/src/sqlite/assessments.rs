//! Practice assessments, their ratings and the history of every rating on SQLite.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::teams::id_list;
use super::{SqliteStore, collect};
use crate::policy::{check_text, check_texts};
use crate::{
    Assessed, Assessment, AssessmentState, AssessmentStore, Millis, NewAssessment, PracticeRating,
    Rating, RatingChange, Result, StoreError, UserId, check_change, evidence_from_db,
    evidence_to_db, merge_rating,
};

const COLUMNS: &str = "id, team_id, roadmap, roadmap_version, title, assessed_on, state, \
                       based_on, created_by, created_at, published_at";
const RATING_COLUMNS: &str =
    "topic, rating, rationale, evidence, owner_id, next_step, due_day, rated_by, rated_at";

fn bad(i: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
}

fn assessment(r: &Row) -> rusqlite::Result<Assessment> {
    let state: String = r.get(6)?;
    Ok(Assessment {
        id: r.get(0)?,
        assessed: match r.get::<_, Option<i64>>(1)? {
            None => Assessed::Organisation,
            Some(t) => Assessed::Team(t),
        },
        roadmap: r.get(2)?,
        roadmap_version: r.get(3)?,
        title: r.get(4)?,
        assessed_on: r.get(5)?,
        state: AssessmentState::parse(&state)
            .ok_or_else(|| bad(6, format!("unknown assessment state {state:?}")))?,
        based_on: r.get(7)?,
        created_by: r.get::<_, Option<i64>>(8)?.map(UserId),
        created_at: r.get(9)?,
        published_at: r.get(10)?,
    })
}

/// A rating from `RATING_COLUMNS` starting at column `at`.
fn rating(r: &Row, at: usize) -> rusqlite::Result<PracticeRating> {
    let word: String = r.get(at + 1)?;
    let evidence: String = r.get(at + 3)?;
    Ok(PracticeRating {
        topic: r.get(at)?,
        rating: Rating::parse(&word)
            .ok_or_else(|| bad(at + 1, format!("unknown rating {word:?}")))?,
        rationale: r.get(at + 2)?,
        evidence: evidence_from_db(&evidence),
        owner: r.get::<_, Option<i64>>(at + 4)?.map(UserId),
        next_step: r.get(at + 5)?,
        due_day: r.get(at + 6)?,
        rated_by: r.get::<_, Option<i64>>(at + 7)?.map(UserId),
        rated_at: r.get(at + 8)?,
    })
}

fn by_id(c: &Connection, id: i64) -> rusqlite::Result<Option<Assessment>> {
    c.prepare_cached(&format!("SELECT {COLUMNS} FROM assessments WHERE id = ?1"))?
        .query_row([id], assessment)
        .optional()
}

/// The assessment, when it is a draft; `Ok(None)` when there is none; refused when published.
fn draft(c: &Connection, id: i64) -> Result<Option<Assessment>> {
    match by_id(c, id)? {
        Some(a) if a.state == AssessmentState::Published => Err(StoreError::Refused(format!(
            "the assessment {:?} is published and is never changed again; start a new one",
            a.title
        ))),
        other => Ok(other),
    }
}

/// Inserts a rating with `sql` (its ten parameters: the assessment, then `RATING_COLUMNS`).
fn insert_rating(c: &Connection, sql: &str, assessment: i64, r: &PracticeRating) -> Result<()> {
    c.prepare_cached(sql)?.execute(params![
        assessment,
        r.topic,
        r.rating.as_str(),
        r.rationale,
        evidence_to_db(&r.evidence),
        r.owner.map(|u| u.0),
        r.next_step,
        r.due_day,
        r.rated_by.map(|u| u.0),
        r.rated_at
    ])?;
    Ok(())
}

/// Writes the current rating of a practice (the history is not touched).
fn copy_rating(c: &Connection, assessment: i64, r: &PracticeRating) -> Result<()> {
    let sql = format!(
        "INSERT INTO assessment_ratings (assessment_id, {RATING_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (assessment_id, topic) DO UPDATE SET
             rating = excluded.rating, rationale = excluded.rationale,
             evidence = excluded.evidence, owner_id = excluded.owner_id,
             next_step = excluded.next_step, due_day = excluded.due_day,
             rated_by = excluded.rated_by, rated_at = excluded.rated_at"
    );
    insert_rating(c, &sql, assessment, r)
}

/// Writes the current rating of a practice and appends it to the history.
fn write_rating(c: &Connection, assessment: i64, r: &PracticeRating) -> Result<()> {
    copy_rating(c, assessment, r)?;
    let sql = format!(
        "INSERT INTO assessment_rating_history (assessment_id, {RATING_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    );
    insert_rating(c, &sql, assessment, r)
}

#[async_trait]
impl AssessmentStore for SqliteStore {
    async fn create_assessment(&self, new: &NewAssessment<'_>, now: Millis) -> Result<Assessment> {
        check_texts([new.roadmap, new.title])?;
        let (team, roadmap, version, title, day, by) = (
            new.assessed.team(),
            new.roadmap.to_owned(),
            new.roadmap_version,
            new.title.to_owned(),
            new.assessed_on,
            new.created_by.map(|u| u.0),
        );
        let copy = new.copy_from.map(|(id, keep)| {
            (
                id,
                keep.iter()
                    .cloned()
                    .collect::<std::collections::HashSet<String>>(),
            )
        });
        self.write(move |c| {
            if let Some(t) = team {
                let exists: bool = c
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?1)")?
                    .query_row([t], |r| r.get(0))?;
                if !exists {
                    return Err(StoreError::Invalid(format!("no team with id {t}")));
                }
            }
            if let Some((from, _)) = &copy
                && by_id(c, *from)?.is_none()
            {
                return Err(StoreError::Invalid(format!("no assessment with id {from}")));
            }
            let a = c
                .prepare_cached(&format!(
                    "INSERT INTO assessments (team_id, roadmap, roadmap_version, title,
                         assessed_on, state, based_on, created_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?7, ?8) RETURNING {COLUMNS}"
                ))?
                .query_row(
                    params![
                        team,
                        roadmap,
                        version,
                        title,
                        day,
                        copy.as_ref().map(|(id, _)| *id),
                        by,
                        now
                    ],
                    assessment,
                )?;
            if let Some((from, keep)) = &copy {
                let old = collect(
                    c.prepare_cached(&format!(
                        "SELECT {RATING_COLUMNS} FROM assessment_ratings WHERE assessment_id = ?1"
                    ))?
                    .query_map([from], |r| rating(r, 0))?,
                )?;
                for r in old.iter().filter(|r| keep.contains(&r.topic)) {
                    copy_rating(c, a.id, r)?;
                }
            }
            Ok(a)
        })
        .await
    }

    async fn assessments(&self) -> Result<Vec<Assessment>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM assessments
                     ORDER BY roadmap, team_id IS NOT NULL, team_id, assessed_on, id"
                ))?
                .query_map([], assessment)?,
            )
        })
    }

    async fn assessment(&self, id: i64) -> Result<Option<Assessment>> {
        self.read(|c| by_id(c, id))
    }

    async fn ratings(&self, ids: &[i64]) -> Result<Vec<(i64, PracticeRating)>> {
        let list = id_list(ids.iter().copied());
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT assessment_id, {RATING_COLUMNS} FROM assessment_ratings
                     WHERE assessment_id IN (SELECT value FROM json_each(?1))
                     ORDER BY assessment_id, topic"
                ))?
                .query_map([list], |r| Ok((r.get(0)?, rating(r, 1)?)))?,
            )
        })
    }

    async fn rate(
        &self,
        id: i64,
        topic: &str,
        change: &RatingChange,
        by: Option<UserId>,
        now: Millis,
    ) -> Result<Option<PracticeRating>> {
        check_change(topic, change)?;
        let (topic, change) = (topic.to_owned(), change.clone());
        self.write(move |c| {
            if draft(c, id)?.is_none() {
                return Ok(None);
            }
            let old = c
                .prepare_cached(&format!(
                    "SELECT {RATING_COLUMNS} FROM assessment_ratings
                     WHERE assessment_id = ?1 AND topic = ?2"
                ))?
                .query_row(params![id, topic], |r| rating(r, 0))
                .optional()?;
            let Some(new) = merge_rating(old, &topic, &change, by, now) else {
                return Err(StoreError::Invalid(format!(
                    "the practice {topic} has no rating yet: give it a level first"
                )));
            };
            write_rating(c, id, &new)?;
            Ok(Some(new))
        })
        .await
    }

    async fn unrate(&self, id: i64, topic: &str) -> Result<bool> {
        check_text(topic)?;
        let topic = topic.to_owned();
        self.write(move |c| {
            if draft(c, id)?.is_none() {
                return Ok(false);
            }
            Ok(c.prepare_cached(
                "DELETE FROM assessment_ratings WHERE assessment_id = ?1 AND topic = ?2",
            )?
            .execute(params![id, topic])?
                > 0)
        })
        .await
    }

    async fn rating_history(&self, id: i64) -> Result<Vec<PracticeRating>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {RATING_COLUMNS} FROM assessment_rating_history
                     WHERE assessment_id = ?1 ORDER BY id"
                ))?
                .query_map([id], |r| rating(r, 0))?,
            )
        })
    }

    async fn publish_assessment(&self, id: i64, now: Millis) -> Result<Option<Assessment>> {
        self.write(move |c| {
            if draft(c, id)?.is_none() {
                return Ok(None);
            }
            Ok(c.prepare_cached(&format!(
                "UPDATE assessments SET state = 'published', published_at = ?2 WHERE id = ?1
                 RETURNING {COLUMNS}"
            ))?
            .query_row(params![id, now], assessment)
            .optional()?)
        })
        .await
    }

    async fn retitle_assessment(
        &self,
        id: i64,
        title: &str,
        assessed_on: i64,
    ) -> Result<Option<Assessment>> {
        check_text(title)?;
        let title = title.to_owned();
        self.write(move |c| {
            if draft(c, id)?.is_none() {
                return Ok(None);
            }
            Ok(c.prepare_cached(&format!(
                "UPDATE assessments SET title = ?2, assessed_on = ?3 WHERE id = ?1
                 RETURNING {COLUMNS}"
            ))?
            .query_row(params![id, title, assessed_on], assessment)
            .optional()?)
        })
        .await
    }

    async fn delete_assessment(&self, id: i64) -> Result<bool> {
        self.write(move |c| {
            if draft(c, id)?.is_none() {
                return Ok(false);
            }
            Ok(c.prepare_cached("DELETE FROM assessments WHERE id = ?1")?
                .execute([id])?
                > 0)
        })
        .await
    }
}
