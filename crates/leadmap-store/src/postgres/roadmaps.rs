//! Published roadmaps and their versions on PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

use super::PgStore;
use crate::policy::check_texts;
use crate::{
    Millis, NewVersion, Publish, Result, RoadmapRecord, RoadmapStore, StoreError, UserId, Version,
    Visibility,
};

const ROADMAP_COLUMNS: &str =
    "id, title, author_id, visibility, bundled, version, created_at, updated_at";
const VERSION_COLUMNS: &str =
    "roadmap_id, version, title, message, topics, published_by, published_at";

fn record(r: &PgRow) -> Result<RoadmapRecord> {
    let visibility: String = r.try_get(3)?;
    Ok(RoadmapRecord {
        id: r.try_get(0)?,
        title: r.try_get(1)?,
        author: r.try_get::<Option<i64>, _>(2)?.map(UserId),
        visibility: Visibility::parse(&visibility)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown visibility {visibility:?}")))?,
        bundled: r.try_get(4)?,
        version: r.try_get(5)?,
        created_at: r.try_get(6)?,
        updated_at: r.try_get(7)?,
    })
}

fn version(r: &PgRow) -> Result<Version> {
    Ok(Version {
        roadmap: r.try_get(0)?,
        version: r.try_get(1)?,
        title: r.try_get(2)?,
        message: r.try_get(3)?,
        topics: r.try_get(4)?,
        published_by: r.try_get::<Option<i64>, _>(5)?.map(UserId),
        published_at: r.try_get(6)?,
    })
}

#[async_trait]
impl RoadmapStore for PgStore {
    async fn publish(&self, n: &NewVersion<'_>, now: Millis) -> Result<Publish> {
        check_texts([n.roadmap, n.title, n.markdown, n.message])?;
        check_texts(n.id_map.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]))?;
        let mut tx = self.write.begin().await?;
        // The insert or the conditional update below is what decides a race: of two
        // publishes on the same base, the second waits for the first's row lock, then finds
        // the version moved on (or the id taken) and changes nothing.
        let next = n.base.unwrap_or(0) + 1;
        let claimed = match n.base {
            None => sqlx::query(
                "INSERT INTO roadmaps (id, title, author_id, visibility, bundled, version,
                                       created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(n.roadmap)
            .bind(n.title)
            .bind(n.by.map(|u| u.0))
            .bind(n.visibility.as_str())
            .bind(n.bundled)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Some(base) => sqlx::query(
                "UPDATE roadmaps SET title = $2, version = $3, updated_at = $4
                 WHERE id = $1 AND version = $5",
            )
            .bind(n.roadmap)
            .bind(n.title)
            .bind(next)
            .bind(now)
            .bind(base)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
        };
        if claimed != 1 {
            tx.rollback().await?;
            let current = sqlx::query("SELECT version FROM roadmaps WHERE id = $1")
                .bind(n.roadmap)
                .fetch_optional(&self.write)
                .await?
                .map(|r| r.try_get::<i64, _>(0))
                .transpose()?;
            return Ok(Publish::Conflict { current });
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO roadmap_versions (roadmap_id, version, title, markdown, message, topics,
                                           published_by, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {VERSION_COLUMNS}"
        )))
        .bind(n.roadmap)
        .bind(next)
        .bind(n.title)
        .bind(n.markdown)
        .bind(n.message)
        .bind(n.topics)
        .bind(n.by.map(|u| u.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let v = version(&row)?;
        let mut moved = 0;
        for (from, to) in n.id_map {
            for (i, sql) in crate::sqlite::roadmaps::MOVE_SQL.iter().enumerate() {
                let changed = sqlx::query(sqlx::AssertSqlSafe(sql.replace('?', "$")))
                    .bind(n.roadmap)
                    .bind(from)
                    .bind(to)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if i == 0 {
                    moved += changed;
                }
            }
        }
        tx.commit().await?;
        Ok(Publish::Published { version: v, moved })
    }

    async fn roadmap_record(&self, id: &str) -> Result<Option<RoadmapRecord>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ROADMAP_COLUMNS} FROM roadmaps WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .as_ref()
        .map(record)
        .transpose()
    }

    async fn roadmap_records(&self) -> Result<Vec<RoadmapRecord>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ROADMAP_COLUMNS} FROM roadmaps ORDER BY id"
        )))
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    async fn versions(&self, id: &str) -> Result<Vec<Version>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {VERSION_COLUMNS} FROM roadmap_versions WHERE roadmap_id = $1
             ORDER BY version DESC"
        )))
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(version)
        .collect()
    }

    async fn version_source(&self, id: &str, v: i64) -> Result<Option<(Version, String)>> {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {VERSION_COLUMNS}, markdown FROM roadmap_versions
             WHERE roadmap_id = $1 AND version = $2"
        )))
        .bind(id)
        .bind(v)
        .fetch_optional(&self.read)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((version(&row)?, row.try_get(7)?)))
    }

    async fn set_visibility(&self, id: &str, visibility: Visibility) -> Result<bool> {
        Ok(
            sqlx::query("UPDATE roadmaps SET visibility = $2 WHERE id = $1")
                .bind(id)
                .bind(visibility.as_str())
                .execute(&self.write)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn topic_holders(&self, roadmap: &str) -> Result<Vec<(String, i64)>> {
        sqlx::query(
            "SELECT topic, COUNT(*) FROM progress WHERE roadmap = $1 GROUP BY topic ORDER BY topic",
        )
        .bind(roadmap)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
    }
}
