//! Any bytes as the words a person types (the status, a note, a token's name): `parse_status`
//! accepts exactly the four documented words, `Note::parse` exactly the strings of at most
//! `Note::MAX` characters without NUL, and `short_text` gives 1..=max characters with no NUL
//! and no control character. None of them panics.
#![no_main]

use leadmap_app::progress::{Note, parse_status, short_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();

    let words = ["pending", "learning", "done", "skipped"];
    match parse_status(s) {
        Ok(st) => assert_eq!(st.as_str(), s),
        Err(_) => assert!(!words.contains(&s)),
    }

    let ok = s.chars().count() <= Note::MAX && !s.contains('\0');
    match Note::parse(s) {
        Ok(n) => {
            assert!(ok);
            assert_eq!(n.as_str(), s);
        }
        Err(_) => assert!(!ok),
    }

    for max in [1, 64, 200] {
        if let Ok(t) = short_text(s, "a name", max) {
            let n = t.chars().count();
            assert!((1..=max).contains(&n), "{t:?}: not 1 to {max} characters");
            assert_eq!(t, t.trim(), "{t:?}: not trimmed");
            assert!(
                !t.contains('\0') && !t.chars().any(char::is_control),
                "{t:?}"
            );
        }
    }
});
