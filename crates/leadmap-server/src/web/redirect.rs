//! Where a form sends the browser next: only a path on our own origin.

/// Percent-encodes a query value.
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to go back to; anything else becomes `/`.
///
/// Accepted: a path that starts with exactly one `/`, made of visible ASCII, with no
/// backslash, and whose percent-decoded form has no control or whitespace character, no
/// backslash, and does not start with `//` either. Browsers strip tabs and newlines from a
/// URL and read `\` as `/`, so `/\t/evil.example`, `/\evil.example`, `/%09/evil.example` and
/// `/%2f/evil.example` would each lead off the site.
pub fn local(next: &str) -> String {
    if is_local(next) {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

fn is_local(next: &str) -> bool {
    let ok_raw = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if !ok_raw {
        return false;
    }
    let decoded = percent_decode(next);
    !decoded.starts_with(b"//")
        && !decoded.starts_with(b"/\\")
        && !decoded
            .iter()
            .any(|&b| b == b'\\' || b.is_ascii_control() || b.is_ascii_whitespace() || b >= 0x80)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_our_origin_pass() {
        for ok in [
            "/",
            "/r/engineering-leadership?topic=a#panel",
            "/account?done=token",
        ] {
            assert_eq!(local(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/%09/evil.example",
            "/%2f/evil.example",
            "/%2F%2Fevil.example",
            "/%5cevil.example",
            "/%0a",
            "/%00",
            "/\n",
            "https://evil.example/",
            "evil.example",
            "/ space",
            "/caf\u{e9}",
            "",
        ] {
            assert_eq!(local(bad), "/", "{bad:?}");
        }
    }
}
