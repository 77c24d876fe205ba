//! Practice assessments, their ratings and the history of every rating on PostgreSQL.
//!
//! Every write to an assessment first locks its row (`FOR UPDATE`): a rating and a publish of
//! the same assessment on two servers are ordered, so nothing is written into an assessment
//! after it is published.

use std::collections::HashSet;

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::PgStore;
use crate::policy::{check_text, check_texts};
use crate::{
    Assessed, Assessment, AssessmentStore, Millis, NewAssessment, PracticeRating, Rating,
    RatingChange, Result, StoreError, UserId, check_change, evidence_from_db, evidence_to_db,
    merge_rating, state_from_db,
};

const COLUMNS: &str = "id, team_id, roadmap, roadmap_version, title, assessed_on, state, \
                       based_on, created_by, created_at, published_at";
const RATING_COLUMNS: &str =
    "topic, rating, rationale, evidence, owner_id, next_step, due_day, rated_by, rated_at";

fn assessment(r: &PgRow) -> Result<Assessment> {
    Ok(Assessment {
        id: r.try_get(0)?,
        assessed: match r.try_get::<Option<i64>, _>(1)? {
            None => Assessed::Organisation,
            Some(t) => Assessed::Team(t),
        },
        roadmap: r.try_get(2)?,
        roadmap_version: r.try_get(3)?,
        title: r.try_get(4)?,
        assessed_on: r.try_get(5)?,
        state: state_from_db(r.try_get(6)?)?,
        based_on: r.try_get(7)?,
        created_by: r.try_get::<Option<i64>, _>(8)?.map(UserId),
        created_at: r.try_get(9)?,
        published_at: r.try_get(10)?,
    })
}

/// A rating from `RATING_COLUMNS` starting at column `at`.
fn rating(r: &PgRow, at: usize) -> Result<PracticeRating> {
    let word: &str = r.try_get(at + 1)?;
    Ok(PracticeRating {
        topic: r.try_get(at)?,
        rating: Rating::parse(word)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown rating {word:?}")))?,
        rationale: r.try_get(at + 2)?,
        evidence: evidence_from_db(r.try_get(at + 3)?),
        owner: r.try_get::<Option<i64>, _>(at + 4)?.map(UserId),
        next_step: r.try_get(at + 5)?,
        due_day: r.try_get(at + 6)?,
        rated_by: r.try_get::<Option<i64>, _>(at + 7)?.map(UserId),
        rated_at: r.try_get(at + 8)?,
    })
}

/// The assessment, locked for this transaction, when it is a draft; `Ok(None)`: none;
/// refused when published.
async fn lock_draft(c: &mut PgConnection, id: i64) -> Result<Option<Assessment>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assessments WHERE id = $1 FOR UPDATE"
    )))
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let a = assessment(&row)?;
    if a.state == crate::AssessmentState::Published {
        return Err(StoreError::Refused(format!(
            "the assessment {:?} is published and is never changed again; start a new one",
            a.title
        )));
    }
    Ok(Some(a))
}

async fn current_ratings(c: &mut PgConnection, id: i64) -> Result<Vec<PracticeRating>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RATING_COLUMNS} FROM assessment_ratings WHERE assessment_id = $1"
    )))
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| rating(r, 0))
    .collect()
}

/// Writes the current rating of a practice; with `history`, appends it to the history too.
async fn write_rating(
    c: &mut PgConnection,
    assessment: i64,
    r: &PracticeRating,
    history: bool,
) -> Result<()> {
    let evidence = evidence_to_db(&r.evidence);
    let mut sql = format!(
        "WITH new AS (SELECT $1::bigint AS assessment_id, $2::text AS topic, $3::text AS rating,
                             $4::text AS rationale, $5::text AS evidence, $6::bigint AS owner_id,
                             $7::text AS next_step, $8::bigint AS due_day, $9::bigint AS rated_by,
                             $10::bigint AS rated_at),
              cur AS (INSERT INTO assessment_ratings (assessment_id, {RATING_COLUMNS})
                      SELECT assessment_id, {RATING_COLUMNS} FROM new
                      ON CONFLICT (assessment_id, topic) DO UPDATE SET
                          rating = excluded.rating, rationale = excluded.rationale,
                          evidence = excluded.evidence, owner_id = excluded.owner_id,
                          next_step = excluded.next_step, due_day = excluded.due_day,
                          rated_by = excluded.rated_by, rated_at = excluded.rated_at)"
    );
    if history {
        sql.push_str(&format!(
            " INSERT INTO assessment_rating_history (assessment_id, {RATING_COLUMNS})
              SELECT assessment_id, {RATING_COLUMNS} FROM new"
        ));
    } else {
        sql.push_str(" SELECT 1");
    }
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(assessment)
        .bind(&r.topic)
        .bind(r.rating.as_str())
        .bind(&r.rationale)
        .bind(evidence)
        .bind(r.owner.map(|u| u.0))
        .bind(&r.next_step)
        .bind(r.due_day)
        .bind(r.rated_by.map(|u| u.0))
        .bind(r.rated_at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

#[async_trait]
impl AssessmentStore for PgStore {
    async fn create_assessment(&self, new: &NewAssessment<'_>, now: Millis) -> Result<Assessment> {
        check_texts([new.roadmap, new.title])?;
        let mut tx = self.write.begin().await?;
        if let Some(t) = new.assessed.team() {
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE id = $1)")
                    .bind(t)
                    .fetch_one(&mut *tx)
                    .await?;
            if !exists {
                return Err(StoreError::Invalid(format!("no team with id {t}")));
            }
        }
        let source = match new.copy_from {
            None => None,
            Some((from, keep)) => {
                let exists: bool =
                    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM assessments WHERE id = $1)")
                        .bind(from)
                        .fetch_one(&mut *tx)
                        .await?;
                if !exists {
                    return Err(StoreError::Invalid(format!("no assessment with id {from}")));
                }
                let keep: HashSet<&str> = keep.iter().map(String::as_str).collect();
                let mut old = current_ratings(&mut tx, from).await?;
                old.retain(|r| keep.contains(r.topic.as_str()));
                Some((from, old))
            }
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO assessments (team_id, roadmap, roadmap_version, title, assessed_on,
                 state, based_on, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8) RETURNING {COLUMNS}"
        )))
        .bind(new.assessed.team())
        .bind(new.roadmap)
        .bind(new.roadmap_version)
        .bind(new.title)
        .bind(new.assessed_on)
        .bind(source.as_ref().map(|(id, _)| *id))
        .bind(new.created_by.map(|u| u.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let a = assessment(&row)?;
        for r in source.iter().flat_map(|(_, rs)| rs) {
            write_rating(&mut tx, a.id, r, false).await?;
        }
        tx.commit().await?;
        Ok(a)
    }

    async fn assessments(&self) -> Result<Vec<Assessment>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM assessments
             ORDER BY roadmap, team_id IS NOT NULL, team_id, assessed_on, id"
        )))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(assessment)
        .collect()
    }

    async fn assessment(&self, id: i64) -> Result<Option<Assessment>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM assessments WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .as_ref()
        .map(assessment)
        .transpose()
    }

    async fn ratings(&self, ids: &[i64]) -> Result<Vec<(i64, PracticeRating)>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT assessment_id, {RATING_COLUMNS} FROM assessment_ratings
             WHERE assessment_id = ANY($1) ORDER BY assessment_id, topic"
        )))
        .bind(ids)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, rating(r, 1)?)))
        .collect()
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
        let mut tx = self.write.begin().await?;
        if lock_draft(&mut tx, id).await?.is_none() {
            return Ok(None);
        }
        let old = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RATING_COLUMNS} FROM assessment_ratings
             WHERE assessment_id = $1 AND topic = $2"
        )))
        .bind(id)
        .bind(topic)
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(|r| rating(r, 0))
        .transpose()?;
        let Some(new) = merge_rating(old, topic, change, by, now) else {
            return Err(StoreError::Invalid(format!(
                "the practice {topic} has no rating yet: give it a level first"
            )));
        };
        write_rating(&mut tx, id, &new, true).await?;
        tx.commit().await?;
        Ok(Some(new))
    }

    async fn unrate(&self, id: i64, topic: &str) -> Result<bool> {
        check_text(topic)?;
        let mut tx = self.write.begin().await?;
        if lock_draft(&mut tx, id).await?.is_none() {
            return Ok(false);
        }
        let n =
            sqlx::query("DELETE FROM assessment_ratings WHERE assessment_id = $1 AND topic = $2")
                .bind(id)
                .bind(topic)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        Ok(n > 0)
    }

    async fn rating_history(&self, id: i64) -> Result<Vec<PracticeRating>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RATING_COLUMNS} FROM assessment_rating_history
             WHERE assessment_id = $1 ORDER BY id"
        )))
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| rating(r, 0))
        .collect()
    }

    async fn publish_assessment(&self, id: i64, now: Millis) -> Result<Option<Assessment>> {
        let mut tx = self.write.begin().await?;
        if lock_draft(&mut tx, id).await?.is_none() {
            return Ok(None);
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE assessments SET state = 'published', published_at = $2 WHERE id = $1
             RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let a = assessment(&row)?;
        tx.commit().await?;
        Ok(Some(a))
    }

    async fn retitle_assessment(
        &self,
        id: i64,
        title: &str,
        assessed_on: i64,
    ) -> Result<Option<Assessment>> {
        check_text(title)?;
        let mut tx = self.write.begin().await?;
        if lock_draft(&mut tx, id).await?.is_none() {
            return Ok(None);
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE assessments SET title = $2, assessed_on = $3 WHERE id = $1
             RETURNING {COLUMNS}"
        )))
        .bind(id)
        .bind(title)
        .bind(assessed_on)
        .fetch_one(&mut *tx)
        .await?;
        let a = assessment(&row)?;
        tx.commit().await?;
        Ok(Some(a))
    }

    async fn delete_assessment(&self, id: i64) -> Result<bool> {
        let mut tx = self.write.begin().await?;
        if lock_draft(&mut tx, id).await?.is_none() {
            return Ok(false);
        }
        sqlx::query("DELETE FROM assessments WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
