//! Everything the app keeps about the person, as one JSON file (which `leadmap
//! import-progress` reads back).

use axum::http::header;
use axum::response::IntoResponse;
use leadmap_app::activity::ChangeItem;
use leadmap_app::progress::ProgressFile;
use leadmap_app::progress::plan::PlanItem;
use leadmap_app::time::{now_ms, rfc3339};
use serde::Serialize;

use crate::access::Me;
use crate::web::{AppError, PageResult};

#[derive(Serialize)]
struct AccountExport {
    format: &'static str,
    exported_at: String,
    user: UserExport,
    progress: Vec<ProgressFile>,
    /// Target dates and evidence links, per topic.
    plans: Vec<PlanItem>,
    /// Every status change, the newest first.
    history: Vec<ChangeItem>,
    sessions: Vec<SessionExport>,
    tokens: Vec<TokenExport>,
}

#[derive(Serialize)]
struct UserExport {
    name: String,
    is_admin: bool,
    created_at: String,
}

#[derive(Serialize)]
struct SessionExport {
    user_agent: String,
    created_at: String,
    last_seen: String,
}

#[derive(Serialize)]
struct TokenExport {
    name: String,
    created_at: String,
}

pub(super) async fn export(me: Me) -> PageResult {
    let account = me.account();
    let progress = ProgressFile::per_roadmap(&me.progress().all().await?);
    let plans = me
        .progress()
        .plans(None)
        .await?
        .iter()
        .map(PlanItem::from)
        .collect();
    let history = me
        .history()
        .all()
        .await?
        .iter()
        .map(ChangeItem::from)
        .collect();
    let sessions = account
        .sessions()
        .await?
        .into_iter()
        .map(|s| SessionExport {
            user_agent: s.user_agent,
            created_at: rfc3339(s.created_at),
            last_seen: rfc3339(s.last_seen),
        })
        .collect();
    let tokens = account
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenExport {
            name: t.name,
            created_at: rfc3339(t.created_at),
        })
        .collect();
    let body = AccountExport {
        format: "leadmap-export/1",
        exported_at: rfc3339(now_ms()),
        user: UserExport {
            name: me.user.name.clone(),
            is_admin: me.user.is_admin,
            created_at: rfc3339(me.user.created_at),
        },
        progress,
        plans,
        history,
        sessions,
        tokens,
    };
    let file = format!("attachment; filename=\"leadmap-{}.json\"", me.user.name);
    let json = serde_json::to_string_pretty(&body)
        .map_err(|e| AppError::internal("writing the export", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        json,
    )
        .into_response())
}
