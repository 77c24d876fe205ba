//! Any bytes as the body of `PUT /api/v1/me/progress/{roadmap}/{topic}`: the same steps the
//! server's `put_progress` takes (`serde_json` into a `Value`, a note that is not a string
//! refused, the `PutBody` shape with unknown fields denied, then `parse_status` and
//! `Note::parse` from `leadmap-app`) never panic, and a body they accept carries a
//! documented status and a note within the limits.
//!
//! `PutBody` is private to the server crate (which this target does not build: axum, hyper,
//! askama and the rest); the copy below must stay the same shape as
//! `crates/leadmap-server/src/features/roadmaps/api.rs`.
#![no_main]

use leadmap_app::progress::{Note, parse_status};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PutBody {
    status: String,
    #[serde(default)]
    note: Option<String>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if value.get("note").is_some_and(|n| !n.is_string()) {
        return;
    }
    let Ok(body) = serde_json::from_value::<PutBody>(value) else {
        return;
    };
    let Ok(status) = parse_status(&body.status) else {
        return;
    };
    assert_eq!(status.as_str(), body.status);
    if let Some(note) = body.note.as_deref() {
        if let Ok(n) = Note::parse(note) {
            assert!(n.as_str().chars().count() <= Note::MAX);
            assert!(!n.as_str().contains('\0'));
        }
    }
});
