//! Any string as a `next=` form field: `web::redirect::local` gives back either the string
//! itself or `/`, and what it gives a browser always stays on our origin: it starts with one
//! `/`, and neither it nor its percent-decoded form has a second leading `/` or `\`, a
//! backslash, whitespace, a control character or a non-ASCII byte.
//!
//! The module has no dependencies, so it is compiled here from the server's source file
//! (`#[path]`) instead of building the whole web app; if it ever gains `use crate::…`, this
//! target stops compiling and says so.
#![no_main]

#[path = "../../crates/leadmap-server/src/web/redirect.rs"]
#[allow(dead_code)]
mod redirect;

use libfuzzer_sys::fuzz_target;

fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn stays_here(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b'\\')
}

fuzz_target!(|data: &[u8]| {
    let Ok(next) = std::str::from_utf8(data) else {
        return;
    };
    let to = redirect::local(next);
    assert!(to == next || to == "/", "{next:?} became {to:?}");
    assert!(stays_here(to.as_bytes()), "{next:?} leads off the site as {to:?}");
    assert!(stays_here(&decode(&to)), "{next:?} decodes off the site as {to:?}");
    // The query encoder gives only characters that need no escaping.
    let q = redirect::encode_query(next);
    assert!(q.bytes().all(|b| b.is_ascii_graphic() && b != b'\\' && b != b'&' && b != b'#'));
});
