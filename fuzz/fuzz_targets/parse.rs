//! Any bytes: parsing, checking, printing and the JSON shape never panic and never overflow
//! the stack, and what is printed reads back without errors.
#![no_main]

use leadmap_core::check::{NoOtherRoadmaps, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = leadmap_core::parse(data, "fuzz");
    let _ = check(&parsed, &NoOtherRoadmaps);
    let _ = leadmap_core::json::to_json(&parsed.roadmap);
    let printed = leadmap_core::print(&parsed.roadmap);
    let _ = leadmap_core::parse(printed.as_bytes(), "fuzz");
    let _ = leadmap_core::markdown::parse_content(data);
});
