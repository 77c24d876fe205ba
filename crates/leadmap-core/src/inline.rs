//! Inline Markdown helpers: plain text of a title, escaping plain text into Markdown.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Characters that may start inline Markdown syntax.
const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '&', '!', '~'];

/// The text a reader sees of one line of inline Markdown.
pub fn plain_text(md: &str) -> String {
    plain_text_cow(md).into_owned()
}

/// [`plain_text`], borrowing when there is no Markdown syntax to remove (the common case).
pub fn plain_text_cow(md: &str) -> std::borrow::Cow<'_, str> {
    if !md.contains(SPECIAL) {
        return std::borrow::Cow::Borrowed(md);
    }
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Escapes plain text so that Markdown shows it as it is.
pub fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    // `&amp;` would show as `&`: escape an ampersand that starts an entity.
    let out = escape_entities(&out);
    escape_block_start(&out)
}

fn escape_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        if c == '&' {
            let rest = &bytes[i + 1..];
            let word = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
                .count();
            if word > 0 && rest.get(word) == Some(&b';') {
                out.push('\\');
            }
        }
        out.push(c);
    }
    out
}

/// Escapes what would make a line a heading, a list item, a quote … or end in attributes.
fn escape_block_start(s: &str) -> String {
    let mut out = s.to_owned();
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    } else if out.starts_with(['#', '-', '+', '=', '|', '{', '~', ':']) {
        out.insert(0, '\\');
    }
    if out.ends_with('}')
        && let Some(open) = out.rfind('{')
        && !out[..open].ends_with('\\')
    {
        out.insert(open, '\\');
    }
    if out.ends_with('#') {
        let len = out.len();
        let hashes = out.bytes().rev().take_while(|b| *b == b'#').count();
        if len > hashes && out.as_bytes()[len - hashes - 1] == b' ' {
            out.insert(len - hashes, '\\');
        }
    }
    out
}

/// Escapes paragraphs of plain text (separated by blank lines) for Markdown.
pub fn escape_plain_blocks(text: &str) -> String {
    text.split("\n\n")
        .map(escape_plain)
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("Use `git` and *care*"), "Use git and care");
        assert_eq!(plain_text("[Link](https://example.com) here"), "Link here");
        assert_eq!(plain_text("Vision & Mission"), "Vision & Mission");
        assert_eq!(plain_text(r"1\. Not a list"), "1. Not a list");
    }

    #[test]
    fn escaping_keeps_the_words() {
        for s in [
            "# Not a heading",
            "1. First",
            "a *b* c",
            "C #",
            "x {#y}",
            "&amp; co",
            "- dash",
        ] {
            let e = escape_plain(s);
            assert_eq!(plain_text(&e), s, "{e}");
        }
    }
}
