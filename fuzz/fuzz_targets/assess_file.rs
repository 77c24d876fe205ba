//! Any bytes as an assessment file (`leadmap assess import`, `POST /api/v1/assessments/{id}/
//! import`), read as CSV and as JSON against the bundled Engineering Leadership roadmap and
//! two people: never panics, and what is accepted is within the limits (at most `ROWS_MAX`
//! rows, each a practice the roadmap has).
#![no_main]

use std::sync::LazyLock;

use leadmap_app::Catalog;
use leadmap_app::assess::People;
use leadmap_app::assess::files::{ROWS_MAX, from_csv, from_json};
use leadmap_store::{User, UserId};
use libfuzzer_sys::fuzz_target;

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);
static PEOPLE: LazyLock<People> = LazyLock::new(|| {
    People::new(
        ["ana", "bob"]
            .iter()
            .enumerate()
            .map(|(i, name)| User {
                id: UserId(i as i64 + 1),
                name: (*name).to_owned(),
                display_name: None,
                is_admin: false,
                created_at: 0,
            })
            .collect(),
    )
});

fuzz_target!(|data: &[u8]| {
    let entry = CATALOG
        .get("engineering-leadership")
        .expect("the bundled roadmap");
    for rows in [from_csv(entry, &PEOPLE, data), from_json(entry, &PEOPLE, data)]
        .into_iter()
        .flatten()
    {
        assert!(rows.len() <= ROWS_MAX);
        for (practice, _) in &rows {
            assert!(entry.has_topic(practice), "{practice} is not a practice");
        }
    }
});
