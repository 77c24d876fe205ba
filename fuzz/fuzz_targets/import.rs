//! Any bytes: both importers never panic, and what they import prints and reads back.
#![no_main]

use leadmap_core::import::{Format, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Outline, Format::RoadmapSh] {
        let out = import(data, format, None, &mut |_, _| {});
        if let Some(r) = out.roadmap {
            let printed = leadmap_core::print(&r);
            let again = leadmap_core::parse(printed.as_bytes(), "fuzz");
            assert_eq!(again.roadmap, r, "imported roadmap does not read back:\n{printed}");
        }
    }
});
