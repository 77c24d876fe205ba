//! Any bytes as the body of `POST /api/v1/me/shares`: the server's `CreateBody` shape (unknown
//! fields denied, `expires_in_days` a whole number of days written `30` or `30.0`), then the
//! checks `leadmap_app::shares::create` makes before it stores anything (the label and the
//! name shown through `short_text`, the expiry from 1 to 3,650 days) never panic; what they
//! accept is a visible text of at most 100 characters without control characters, and an
//! expiry in range.
//!
//! `CreateBody` and `whole_days` are private to the server crate (not built here: axum and
//! the rest); the copies below must stay the same as
//! `crates/leadmap-server/src/features/share/mod.rs`.
#![no_main]

use leadmap_app::progress::short_text;
use leadmap_app::shares::{MAX_DAYS, TEXT_MAX};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CreateBody {
    roadmap: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    shown_name: String,
    #[serde(default, deserialize_with = "whole_days")]
    expires_in_days: Option<u32>,
    #[serde(default)]
    show_notes: bool,
}

fn whole_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(v) = n.as_u64() {
        return u32::try_from(v)
            .map(Some)
            .map_err(|_| serde::de::Error::custom("expires_in_days: too many days"));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => {
            Ok(Some(f as u32))
        }
        _ => Err(serde::de::Error::custom(
            "expires_in_days: a whole number of days",
        )),
    }
}

fn visible(t: &str) {
    let n = t.chars().count();
    assert!((1..=TEXT_MAX).contains(&n), "{t:?}");
    assert!(!t.chars().any(char::is_control), "{t:?}");
    assert_eq!(t, t.trim(), "{t:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<CreateBody>(data) else {
        return;
    };
    if !body.label.trim().is_empty() {
        if let Ok(t) = short_text(&body.label, "a link's label", TEXT_MAX) {
            visible(&t);
        }
    }
    if !body.shown_name.trim().is_empty() {
        if let Ok(t) = short_text(&body.shown_name, "the name shown", TEXT_MAX) {
            visible(&t);
        }
    }
    if let Some(d) = body.expires_in_days {
        // What `create` keeps: 1..=MAX_DAYS, a time 86,400,000 ms a day from now.
        if (1..=MAX_DAYS).contains(&d) {
            let now: i64 = 1_796_401_090_000;
            assert!(now.checked_add(i64::from(d) * 86_400_000).is_some());
        }
    }
});
