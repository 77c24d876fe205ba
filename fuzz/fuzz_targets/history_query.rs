//! Any bytes as the query string of `/activity` and `GET /api/v1/me/history` (read as axum's
//! `Query` reads it, with `serde_urlencoded`), then `FilterQuery::filter` against the bundled
//! catalog, never panic; a filter it accepts names a known roadmap or none, a documented
//! status or none, whole UTC days with `since` before `until`'s end, and a limit of 1 to
//! 1,000.
#![no_main]

use std::sync::LazyLock;

use leadmap_app::Catalog;
use leadmap_app::activity::{FilterQuery, parse_day};
use libfuzzer_sys::fuzz_target;

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);
const DAY_MS: i64 = 86_400_000;

fuzz_target!(|data: &[u8]| {
    // The words alone, as typed into a date field.
    let s = String::from_utf8_lossy(data);
    if let Ok(day) = parse_day(&s) {
        assert_eq!(leadmap_app::activity::day_date(day), s.trim());
    }

    let Ok(q) = serde_urlencoded::from_bytes::<FilterQuery>(data) else {
        return;
    };
    let Ok(f) = q.filter(&CATALOG) else {
        return;
    };
    if let Some(r) = &f.roadmap {
        assert!(CATALOG.get(r).is_some(), "{r:?}");
    }
    assert!((1..=1_000).contains(&f.limit));
    for t in [f.since, f.until].into_iter().flatten() {
        assert_eq!(t.rem_euclid(DAY_MS), 0, "whole days");
    }
});
