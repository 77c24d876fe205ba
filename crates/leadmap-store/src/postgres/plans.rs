//! Target days and evidence links on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;

use super::PgStore;
use crate::policy::{check_text, check_texts};
use crate::{Evidence, Plan, PlanStore, Result, UserId, merge_plans};

#[async_trait]
impl PlanStore for PgStore {
    async fn set_due(
        &self,
        user: UserId,
        roadmap: &str,
        topic: &str,
        due_day: Option<i64>,
    ) -> Result<()> {
        check_texts([roadmap, topic])?;
        match due_day {
            Some(day) => sqlx::query(
                "INSERT INTO topic_due (user_id, roadmap, topic, due_day) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id, roadmap, topic) DO UPDATE SET due_day = $4",
            )
            .bind(user.0)
            .bind(roadmap)
            .bind(topic)
            .bind(day)
            .execute(&self.write)
            .await?,
            None => {
                sqlx::query(
                    "DELETE FROM topic_due WHERE user_id = $1 AND roadmap = $2 AND topic = $3",
                )
                .bind(user.0)
                .bind(roadmap)
                .bind(topic)
                .execute(&self.write)
                .await?
            }
        };
        Ok(())
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
        let mut tx = self.write.begin().await?;
        sqlx::query("DELETE FROM evidence WHERE user_id = $1 AND roadmap = $2 AND topic = $3")
            .bind(user.0)
            .bind(roadmap)
            .bind(topic)
            .execute(&mut *tx)
            .await?;
        for (i, e) in links.iter().enumerate() {
            sqlx::query(
                "INSERT INTO evidence (user_id, roadmap, topic, position, url, label)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user.0)
            .bind(roadmap)
            .bind(topic)
            .bind(i as i32)
            .bind(&e.url)
            .bind(&e.label)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn plans(&self, user: UserId, roadmap: Option<&str>) -> Result<Vec<Plan>> {
        if let Some(r) = roadmap {
            check_text(r)?;
        }
        let due = sqlx::query(
            "SELECT roadmap, topic, due_day FROM topic_due
             WHERE user_id = $1 AND ($2::text IS NULL OR roadmap = $2) ORDER BY roadmap, topic",
        )
        .bind(user.0)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<Vec<_>>>()?;
        let evidence = sqlx::query(
            "SELECT roadmap, topic, url, label FROM evidence
             WHERE user_id = $1 AND ($2::text IS NULL OR roadmap = $2)
             ORDER BY roadmap, topic, position",
        )
        .bind(user.0)
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                Evidence {
                    url: r.try_get(2)?,
                    label: r.try_get(3)?,
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(merge_plans(due, evidence))
    }

    async fn plan(&self, user: UserId, roadmap: &str, topic: &str) -> Result<Plan> {
        check_texts([roadmap, topic])?;
        let rows = sqlx::query(
            "SELECT d.due_day, e.url, e.label FROM (SELECT 1) AS one
             LEFT JOIN topic_due d ON d.user_id = $1 AND d.roadmap = $2 AND d.topic = $3
             LEFT JOIN evidence e ON e.user_id = $1 AND e.roadmap = $2 AND e.topic = $3
             ORDER BY e.position",
        )
        .bind(user.0)
        .bind(roadmap)
        .bind(topic)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<Vec<_>>>()?;
        Ok(crate::one_plan(roadmap, topic, rows))
    }

    async fn due_until(&self, user: UserId, until_day: i64) -> Result<Vec<(String, String, i64)>> {
        sqlx::query(
            "SELECT roadmap, topic, due_day FROM topic_due
             WHERE user_id = $1 AND due_day <= $2 ORDER BY due_day, roadmap, topic",
        )
        .bind(user.0)
        .bind(until_day)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
    }
}
