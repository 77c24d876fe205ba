//! Any bytes as the body of `PUT /api/v1/me/progress/{roadmap}/{topic}`: the same steps the
//! server's `put_progress` takes (`serde_json` into a `Value`, a note that is not a string
//! refused, the `PutBody` shape with unknown fields denied, then `parse_status`,
//! `Note::parse`, the target date (`plan::due`: a string or null) and the evidence links
//! (`plan::evidence_list`) from `leadmap-app`) never panic, and a body they accept carries a
//! documented status, a note within the limits, a date of the years 2000 to 2999 and at most
//! 20 http(s) links with a host, bounded, without spaces or control characters.
//!
//! `PutBody` is private to the server crate (which this target does not build: axum, hyper,
//! askama and the rest); the copy below must stay the same shape as
//! `crates/leadmap-server/src/features/roadmaps/api.rs`.
#![no_main]

use leadmap_app::activity::day_date;
use leadmap_app::progress::plan::{self, EvidenceItem, LABEL_MAX, LINKS_MAX, URL_MAX};
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
    #[serde(default)]
    due: Option<serde_json::Value>,
    #[serde(default)]
    evidence: Option<Vec<EvidenceItem>>,
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
    if let Some(serde_json::Value::String(s)) = &body.due {
        if let Ok(Some(day)) = plan::due(s) {
            let written = day_date(day);
            assert_eq!(written, s.trim(), "a date reads back as typed");
            let year: i32 = written[..4].parse().unwrap();
            assert!((2000..=2999).contains(&year), "{written}");
        }
    }
    if let Some(items) = body.evidence.as_deref() {
        if let Ok(links) = plan::evidence_list(items) {
            assert!(links.len() <= LINKS_MAX);
            for l in &links {
                let lower = l.url.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://") || lower.starts_with("http://"),
                    "{l:?}"
                );
                assert!(l.url.chars().count() <= URL_MAX);
                assert!(!l.url.chars().any(|c| c.is_whitespace() || c.is_control()));
                assert!(l.label.chars().count() <= LABEL_MAX);
                assert!(!l.label.chars().any(char::is_control), "{l:?}");
            }
        }
    }
});
