//! Any bytes as a progress file (`import-progress`, the account import, `render --progress`):
//! reading it as JSON and as CSV, with and without `--roadmap`, then checking it against the
//! bundled catalog, never panics; what the check accepts is within the limits (a known topic,
//! a note of at most `Note::MAX` characters without NUL), and written back as JSON and as CSV
//! it reads and checks back to the same records. `statuses_for` never panics either, and
//! colours only topics with a documented status.
#![no_main]

use std::sync::LazyLock;

use leadmap_app::Catalog;
use leadmap_app::progress::{self, Format, Note, ProgressFile};
use libfuzzer_sys::fuzz_target;

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);
const ROADMAP: &str = "engineering-leadership";
const NOW: i64 = 1_796_401_090_000;

fuzz_target!(|data: &[u8]| {
    let catalog = &*CATALOG;
    let _ = Format::sniff(data);
    for format in [Format::Json, Format::Csv] {
        for roadmap in [None, Some(ROADMAP)] {
            let Ok(incoming) = progress::read("fuzz", data, format, roadmap) else {
                continue;
            };
            let Ok(records) = progress::check(incoming, catalog, NOW) else {
                continue;
            };
            for r in &records {
                let entry = catalog.get(&r.roadmap).expect("accepted an unknown roadmap");
                assert!(entry.has_topic(&r.topic), "accepted an unknown topic {r:?}");
                assert!(r.note.chars().count() <= Note::MAX && !r.note.contains('\0'));
            }
            // Written back, each form reads back to the same records.
            let csv = progress::to_csv(&records).expect("CSV of checked records");
            let back = progress::read("again.csv", &csv, Format::sniff(&csv), None)
                .expect("our CSV reads back");
            let back = progress::check(back, catalog, NOW).expect("our CSV checks back");
            assert_eq!(back, records, "CSV round trip:\n{}", String::from_utf8_lossy(&csv));
            for file in ProgressFile::per_roadmap(&records) {
                let json = file.to_json();
                let back = progress::read("again.json", json.as_bytes(), Format::Json, None)
                    .expect("our JSON reads back");
                let back = progress::check(back, catalog, NOW).expect("our JSON checks back");
                let mut mine: Vec<_> =
                    records.iter().filter(|p| p.roadmap == file.roadmap).cloned().collect();
                mine.sort_by(|a, b| a.topic.cmp(&b.topic));
                mine.dedup_by(|b, a| {
                    // A JSON object keeps the last record of a topic that appears twice.
                    if a.topic == b.topic {
                        std::mem::swap(a, b);
                        true
                    } else {
                        false
                    }
                });
                assert_eq!(back, mine, "JSON round trip:\n{json}");
            }
        }
    }
    if let Ok((map, _warnings)) = progress::statuses_for("fuzz", data, ROADMAP) {
        for status in map.values() {
            assert!(progress::parse_status(status.as_str()).is_ok());
        }
    }
});
