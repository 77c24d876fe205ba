//! Emoji at the start of a title are kept apart from the title (`emoji` on a node).

/// The longest emoji we look for, in chars (ZWJ sequences such as 🧑‍🤝‍🧑 are long).
const MAX_EMOJI_CHARS: usize = 12;

/// Splits a leading emoji off `s`: `("💯", "Integrity")` from `"💯 Integrity"`.
/// Returns `(None, s)` when `s` does not start with an emoji or when nothing would be left.
pub fn split_leading_emoji(s: &str) -> (Option<&str>, &str) {
    // Emoji start outside ASCII, but for keycaps (#️⃣, 1️⃣), which need U+FE0F or U+20E3.
    let Some(first) = s.chars().next() else {
        return (None, s);
    };
    if first.is_ascii() && !s[1..].starts_with(['\u{fe0f}', '\u{20e3}']) {
        return (None, s);
    }
    let mut best = None;
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n >= MAX_EMOJI_CHARS {
            break;
        }
        let end = i + c.len_utf8();
        if emojis::get(&s[..end]).is_some() {
            best = Some(end);
        }
    }
    let Some(mut end) = best else {
        return (None, s);
    };
    // A variation selector or skin tone the table did not list stays with the emoji.
    while let Some(c) = s[end..].chars().next() {
        if c == '\u{fe0f}' || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c) {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    let rest = s[end..].trim_start_matches(|c: char| c.is_whitespace());
    if rest.is_empty() {
        return (None, s);
    }
    (Some(&s[..end]), rest)
}

/// Is `s` exactly one emoji (with or without its variation selector)?
pub fn is_emoji(s: &str) -> bool {
    emojis::get(s).is_some() || emojis::get(s.trim_end_matches('\u{fe0f}')).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_simple_and_joined_emoji() {
        assert_eq!(
            split_leading_emoji("💯 Integrity"),
            (Some("💯"), "Integrity")
        );
        assert_eq!(
            split_leading_emoji("🧑\u{200d}🤝\u{200d}🧑 Talent Management"),
            (Some("🧑\u{200d}🤝\u{200d}🧑"), "Talent Management")
        );
        assert_eq!(
            split_leading_emoji("✏️ Fundamentals"),
            (Some("✏️"), "Fundamentals")
        );
        assert_eq!(
            split_leading_emoji("🧪\u{a0}Review"),
            (Some("🧪"), "Review")
        );
        assert_eq!(split_leading_emoji("Plain"), (None, "Plain"));
        assert_eq!(split_leading_emoji("💯"), (None, "💯"));
        assert_eq!(
            split_leading_emoji("1. Not an emoji"),
            (None, "1. Not an emoji")
        );
    }
}
