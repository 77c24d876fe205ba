//! Stronger than the format promises (which is `parse(print(r)) == r` for every roadmap
//! value, property-tested): here `r` is whatever the parser made of arbitrary bytes, and
//! printing it must give a file that reads back to the same roadmap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = leadmap_core::parse(data, "fuzz");
    let printed = leadmap_core::print(&parsed.roadmap);
    let again = leadmap_core::parse(printed.as_bytes(), "fuzz");
    assert_eq!(again.roadmap, parsed.roadmap, "print then parse changed the roadmap:\n{printed}");
});
