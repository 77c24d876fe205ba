//! Published roadmaps and their versions on SQLite.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, collect};
use crate::policy::check_texts;
use crate::{
    Millis, NewVersion, Publish, Result, RoadmapRecord, RoadmapStore, UserId, Version, Visibility,
};

const ROADMAP_COLUMNS: &str =
    "id, title, author_id, visibility, bundled, version, created_at, updated_at";
const VERSION_COLUMNS: &str =
    "roadmap_id, version, title, message, topics, published_by, published_at";

fn record(r: &Row) -> rusqlite::Result<RoadmapRecord> {
    let visibility: String = r.get(3)?;
    Ok(RoadmapRecord {
        id: r.get(0)?,
        title: r.get(1)?,
        author: r.get::<_, Option<i64>>(2)?.map(UserId),
        visibility: Visibility::parse(&visibility).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("unknown visibility {visibility:?}").into(),
            )
        })?,
        bundled: r.get(4)?,
        version: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn version(r: &Row) -> rusqlite::Result<Version> {
    Ok(Version {
        roadmap: r.get(0)?,
        version: r.get(1)?,
        title: r.get(2)?,
        message: r.get(3)?,
        topics: r.get(4)?,
        published_by: r.get::<_, Option<i64>>(5)?.map(UserId),
        published_at: r.get(6)?,
    })
}

/// The statements that move one topic id's records to another, where the person has none at
/// the new id yet (the same SQL runs on PostgreSQL with its placeholders).
pub(crate) const MOVE_SQL: [&str; 3] = [
    "UPDATE progress SET topic = ?3 WHERE roadmap = ?1 AND topic = ?2 AND NOT EXISTS
        (SELECT 1 FROM progress q WHERE q.user_id = progress.user_id AND q.roadmap = ?1 AND q.topic = ?3)",
    "UPDATE topic_due SET topic = ?3 WHERE roadmap = ?1 AND topic = ?2 AND NOT EXISTS
        (SELECT 1 FROM topic_due q WHERE q.user_id = topic_due.user_id AND q.roadmap = ?1 AND q.topic = ?3)",
    "UPDATE evidence SET topic = ?3 WHERE roadmap = ?1 AND topic = ?2 AND NOT EXISTS
        (SELECT 1 FROM evidence q WHERE q.user_id = evidence.user_id AND q.roadmap = ?1 AND q.topic = ?3)",
];

#[derive(Debug)]
struct Owned {
    roadmap: String,
    title: String,
    markdown: String,
    message: String,
    topics: i64,
    base: Option<i64>,
    by: Option<UserId>,
    visibility: Visibility,
    bundled: bool,
    id_map: Vec<(String, String)>,
}

fn publish(c: &Connection, n: &Owned, now: Millis) -> Result<Publish> {
    let current: Option<i64> = c
        .prepare_cached("SELECT version FROM roadmaps WHERE id = ?1")?
        .query_row([&n.roadmap], |r| r.get(0))
        .optional()?;
    if current != n.base {
        return Ok(Publish::Conflict { current });
    }
    let next = current.unwrap_or(0) + 1;
    if current.is_none() {
        c.prepare_cached(
            "INSERT INTO roadmaps (id, title, author_id, visibility, bundled, version,
                                   created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        )?
        .execute(params![
            n.roadmap,
            n.title,
            n.by.map(|u| u.0),
            n.visibility.as_str(),
            n.bundled,
            next,
            now
        ])?;
    } else {
        c.prepare_cached(
            "UPDATE roadmaps SET title = ?2, version = ?3, updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![n.roadmap, n.title, next, now])?;
    }
    let v = c
        .prepare_cached(&format!(
            "INSERT INTO roadmap_versions (roadmap_id, version, title, markdown, message, topics,
                                           published_by, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING {VERSION_COLUMNS}"
        ))?
        .query_row(
            params![
                n.roadmap,
                next,
                n.title,
                n.markdown,
                n.message,
                n.topics,
                n.by.map(|u| u.0),
                now
            ],
            version,
        )?;
    let mut moved = 0;
    for (from, to) in &n.id_map {
        for (i, sql) in MOVE_SQL.iter().enumerate() {
            let changed = c
                .prepare_cached(sql)?
                .execute(params![n.roadmap, from, to])?;
            if i == 0 {
                moved += changed as u64;
            }
        }
    }
    Ok(Publish::Published { version: v, moved })
}

#[async_trait]
impl RoadmapStore for SqliteStore {
    async fn publish(&self, new: &NewVersion<'_>, now: Millis) -> Result<Publish> {
        check_texts([new.roadmap, new.title, new.markdown, new.message])?;
        check_texts(
            new.id_map
                .iter()
                .flat_map(|(a, b)| [a.as_str(), b.as_str()]),
        )?;
        let owned = Owned {
            roadmap: new.roadmap.to_owned(),
            title: new.title.to_owned(),
            markdown: new.markdown.to_owned(),
            message: new.message.to_owned(),
            topics: new.topics,
            base: new.base,
            by: new.by,
            visibility: new.visibility,
            bundled: new.bundled,
            id_map: new.id_map.to_vec(),
        };
        self.write(move |c| publish(c, &owned, now)).await
    }

    async fn roadmap_record(&self, id: &str) -> Result<Option<RoadmapRecord>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {ROADMAP_COLUMNS} FROM roadmaps WHERE id = ?1"
            ))?
            .query_row([id], record)
            .optional()
        })
    }

    async fn roadmap_records(&self) -> Result<Vec<RoadmapRecord>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {ROADMAP_COLUMNS} FROM roadmaps ORDER BY id"
                ))?
                .query_map([], record)?,
            )
        })
    }

    async fn versions(&self, id: &str) -> Result<Vec<Version>> {
        self.read(|c| {
            collect(
                c.prepare_cached(&format!(
                    "SELECT {VERSION_COLUMNS} FROM roadmap_versions WHERE roadmap_id = ?1
                     ORDER BY version DESC"
                ))?
                .query_map([id], version)?,
            )
        })
    }

    async fn version_source(&self, id: &str, v: i64) -> Result<Option<(Version, String)>> {
        self.read(|c| {
            c.prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS}, markdown FROM roadmap_versions
                 WHERE roadmap_id = ?1 AND version = ?2"
            ))?
            .query_row(params![id, v], |r| Ok((version(r)?, r.get(7)?)))
            .optional()
        })
    }

    async fn set_visibility(&self, id: &str, visibility: Visibility) -> Result<bool> {
        let id = id.to_owned();
        self.write(move |c| {
            Ok(
                c.prepare_cached("UPDATE roadmaps SET visibility = ?2 WHERE id = ?1")?
                    .execute(params![id, visibility.as_str()])?
                    > 0,
            )
        })
        .await
    }

    async fn topic_holders(&self, roadmap: &str) -> Result<Vec<(String, i64)>> {
        self.read(|c| {
            collect(
                c.prepare_cached(
                    "SELECT topic, COUNT(*) FROM progress WHERE roadmap = ?1
                     GROUP BY topic ORDER BY topic",
                )?
                .query_map([roadmap], |r| Ok((r.get(0)?, r.get(1)?)))?,
            )
        })
    }
}
