//! Any bytes as the small words Leadmap reads from outside: a browser's User-Agent shown on
//! the account page (`agent::describe`) and a backup interval (`serve --backup-every`,
//! `backup::parse_interval`). Neither panics; the browser's name is a short single line that
//! is never empty, and an interval accepted is at least a second.
#![no_main]

use leadmap_app::{agent, backup};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let shown = agent::describe(&s);
    assert!(!shown.is_empty());
    assert!(shown.chars().count() <= 40, "{shown:?}");
    assert!(!shown.chars().any(char::is_control), "{shown:?}");

    if let Ok(d) = backup::parse_interval(&s) {
        assert!(d.as_secs() >= 1);
    }
});
