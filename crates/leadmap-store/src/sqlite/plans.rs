//! Target days and evidence links on SQLite.

use async_trait::async_trait;
use rusqlite::params;

use super::{SqliteStore, collect};
use crate::policy::{check_text, check_texts};
use crate::{Evidence, Plan, PlanRow, PlanStore, Result, UserId, merge_plans, one_plan};

/// One topic's plan as rows for [`one_plan`], read on `c` (which may be the writer's, inside
/// its transaction).
pub(super) fn plan_rows(
    c: &rusqlite::Connection,
    user: UserId,
    roadmap: &str,
    topic: &str,
) -> rusqlite::Result<Vec<PlanRow>> {
    collect(
        c.prepare_cached(
            "SELECT d.due_day, e.url, e.label FROM (SELECT 1) AS one
             LEFT JOIN topic_due d ON d.user_id = ?1 AND d.roadmap = ?2 AND d.topic = ?3
             LEFT JOIN evidence e ON e.user_id = ?1 AND e.roadmap = ?2 AND e.topic = ?3
             ORDER BY e.position",
        )?
        .query_map(params![user.0, roadmap, topic], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?,
    )
}

#[async_trait]
impl PlanStore for SqliteStore {
    async fn set_due(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        due_day: Option<i64>,
    ) -> Result<()> {
        check_texts([roadmap, topic])?;
        let (roadmap, topic) = (roadmap.to_owned(), topic.to_owned());
        self.write(move |c| {
            match due_day {
                Some(day) => c
                    .prepare_cached(
                        "INSERT INTO topic_due (user_id, roadmap, topic, due_day)
                         VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (user_id, roadmap, topic) DO UPDATE SET due_day = ?4",
                    )?
                    .execute(params![user.0, roadmap, topic, day])?,
                None => c
                    .prepare_cached(
                        "DELETE FROM topic_due WHERE user_id = ?1 AND roadmap = ?2 AND topic = ?3",
                    )?
                    .execute(params![user.0, roadmap, topic])?,
            };
            Ok(())
        })
        .await
    }

    async fn set_evidence(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        links: &[Evidence],
    ) -> Result<()> {
        check_texts([roadmap, topic])?;
        check_texts(
            links
                .iter()
                .flat_map(|e| [e.url.as_str(), e.label.as_str()]),
        )?;
        let (roadmap, topic, links) = (roadmap.to_owned(), topic.to_owned(), links.to_vec());
        self.write(move |c| {
            c.prepare_cached(
                "DELETE FROM evidence WHERE user_id = ?1 AND roadmap = ?2 AND topic = ?3",
            )?
            .execute(params![user.0, roadmap, topic])?;
            let mut insert = c.prepare_cached(
                "INSERT INTO evidence (user_id, roadmap, topic, position, url, label)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, e) in links.iter().enumerate() {
                insert.execute(params![user.0, roadmap, topic, i as i64, e.url, e.label])?;
            }
            Ok(())
        })
        .await
    }

    async fn plans(&self, user: UserId, roadmap: Option<&str>) -> Result<Vec<Plan>> {
        if let Some(r) = roadmap {
            check_text(r)?;
        }
        let (due, evidence) = self.read(|c| {
            let due = collect(
                c.prepare_cached(
                    "SELECT roadmap, topic, due_day FROM topic_due
                     WHERE user_id = ?1 AND (?2 IS NULL OR roadmap = ?2)
                     ORDER BY roadmap, topic",
                )?
                .query_map(params![user.0, roadmap], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?,
            )?;
            let evidence = collect(
                c.prepare_cached(
                    "SELECT roadmap, topic, url, label FROM evidence
                     WHERE user_id = ?1 AND (?2 IS NULL OR roadmap = ?2)
                     ORDER BY roadmap, topic, position",
                )?
                .query_map(params![user.0, roadmap], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        Evidence {
                            url: r.get(2)?,
                            label: r.get(3)?,
                        },
                    ))
                })?,
            )?;
            Ok((due, evidence))
        })?;
        Ok(merge_plans(due, evidence))
    }

    async fn plan(&self, user: UserId, roadmap: &str, topic: &str) -> Result<Plan> {
        check_texts([roadmap, topic])?;
        let rows = self.read(|c| plan_rows(c, user, roadmap, topic))?;
        Ok(one_plan(roadmap, topic, rows))
    }

    async fn due_until(&self, user: UserId, until_day: i64) -> Result<Vec<(String, String, i64)>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT roadmap, topic, due_day FROM topic_due
                     WHERE user_id = ?1 AND due_day <= ?2 ORDER BY due_day, roadmap, topic",
                )?
                .query_map(params![user.0, until_day], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?,
            )
        })
    }
}
