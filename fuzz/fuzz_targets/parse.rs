//! Any bytes: parse, check and print never panic, and what is printed reads back the same.
#![no_main]

use leadmap_core::check::{NoOtherRoadmaps, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = leadmap_core::parse(data, "fuzz");
    let _ = check(&parsed, &NoOtherRoadmaps);
    let printed = leadmap_core::print(&parsed.roadmap);
    let again = leadmap_core::parse(printed.as_bytes(), "fuzz");
    assert_eq!(again.roadmap, parsed.roadmap, "print then parse changed the roadmap:\n{printed}");
    let _ = leadmap_core::json::to_json(&parsed.roadmap);
});
