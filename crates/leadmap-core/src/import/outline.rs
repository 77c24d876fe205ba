//! Plain-text outlines as people paste them from a blog post or a document:
//!
//! ```text
//! My Roadmap                    ← the first line: the title
//!
//! A paragraph of prose.         ← prose: the roadmap's description
//!
//! ✏️ Fundamentals               ← an unmarked line followed by items: an area
//!   1. Vision & Mission         ← items (`1.`, `1)`, `-`, `*`, `•`, `+`): topics
//!      - Write it down          ← deeper items: subtopics
//! ```
//!
//! Mis-decoded text is repaired (see [`super::mojibake`]) and every repair reported.

use crate::diagnostic::Diagnostic;
use crate::emoji::split_leading_emoji;
use crate::import::mojibake::{self, Fix};
use crate::import::{Imported, Progress};
use crate::model::{IdAllocator, Kind, Meta, Node, NodeId, Roadmap, Title};

/// Deeper items than this are flattened into the deepest level.
const MAX_LEVELS: usize = 8;

#[derive(Debug)]
enum Line<'a> {
    Blank,
    Item {
        indent: usize,
        text: &'a str,
        text_at: usize,
    },
    Plain {
        text: &'a str,
        text_at: usize,
    },
}

fn classify(line: &str) -> Line<'_> {
    let trimmed = line.trim_start_matches(|c: char| c.is_whitespace());
    if trimmed.trim().is_empty() {
        return Line::Blank;
    }
    let indent = line[..line.len() - trimmed.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let lead = line.len() - trimmed.len();
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let marker_len =
        if digits > 0 && digits <= 4 && matches!(trimmed.as_bytes().get(digits), Some(b'.' | b')'))
        {
            Some(digits + 1)
        } else {
            ['-', '*', '•', '+', '–', '◦', '▪']
                .iter()
                .find(|m| trimmed.starts_with(**m))
                .map(|m| m.len_utf8())
        };
    if let Some(n) = marker_len {
        let rest = &trimmed[n..];
        let text = rest.trim_start_matches(|c: char| c.is_whitespace());
        // A marker must be followed by white space ("-5 °C" is not an item).
        if text.len() < rest.len() && !text.trim().is_empty() {
            let at = lead + n + (rest.len() - text.len());
            return Line::Item {
                indent,
                text: text.trim_end(),
                text_at: at,
            };
        }
    }
    Line::Plain {
        text: trimmed.trim_end(),
        text_at: lead,
    }
}

/// A title and emoji made from one line of outline text (already repaired).
fn title_of(text: &str) -> Option<(Option<String>, Title)> {
    let (emoji, rest) = split_leading_emoji(text);
    let title = Title::from_plain(rest)?;
    Some((emoji.map(str::to_owned), title))
}

struct Area {
    emoji: Option<String>,
    title: Title,
    at: usize,
    /// (level, emoji, title, offset)
    items: Vec<(usize, Option<String>, Title, usize)>,
}

pub fn import(input: &[u8], id_hint: Option<&str>, progress: Progress<'_>) -> Imported {
    let mut diags = Vec::new();
    let text = match std::str::from_utf8(input) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let at = e.valid_up_to();
            diags.push(
                Diagnostic::warning(
                    at..at + 1,
                    format!("invalid UTF-8 at byte {at}; read as replacement characters"),
                )
                .with_hint("save the outline as UTF-8"),
            );
            String::from_utf8_lossy(input)
        }
    };
    // A lone CR ends a line, as in Markdown: make it a LF (same length, offsets hold).
    let text = if text.contains('\r') {
        let bytes = text.as_bytes();
        std::borrow::Cow::Owned(
            text.char_indices()
                .map(|(i, c)| {
                    if c == '\r' && bytes.get(i + 1) != Some(&b'\n') {
                        '\n'
                    } else {
                        c
                    }
                })
                .collect::<String>(),
        )
    } else {
        text
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let base = text.len() - body.len();

    // Repair every line first, keeping each line's offset for diagnostics.
    let total = body.len() as u64;
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut offset = base;
    for (n, raw) in body.split('\n').enumerate() {
        let raw_line = raw.strip_suffix('\r').unwrap_or(raw);
        let (mut fixed, fixes) = mojibake::repair(raw_line);
        let untouched = fixes.is_empty();
        for f in fixes {
            match f {
                Fix::Repaired { at, from, to } => diags.push(Diagnostic::warning(
                    offset + at..offset + at + from.len(),
                    format!("repaired mis-decoded text `{from}` to `{to}`"),
                )),
                Fix::Ambiguous { at, chose, over } => {
                    let others: Vec<String> = over.iter().map(|c| format!("`{c}`")).collect();
                    diags.push(
                        Diagnostic::warning(
                            offset + at..offset + at + 1,
                            format!(
                                "mis-decoded text could be `{chose}` or {}; chose `{chose}`",
                                others.join(" or ")
                            ),
                        )
                        .with_hint("check the original and edit the emoji if another was meant"),
                    );
                }
                Fix::Dropped { at, from } => diags.push(
                    Diagnostic::warning(
                        offset + at..offset + at + from.len(),
                        format!("dropped mis-decoded text `{from}` that could not be repaired"),
                    )
                    .with_hint("check the original for the character it stood for"),
                ),
            }
        }
        // A leading symbol misread as another symbol (❀ for ❤): only at a title's start.
        if let Line::Item { text_at, .. } | Line::Plain { text_at, .. } = classify(&fixed)
            && let Some((emoji, len)) = mojibake::fix_leading_symbol(&fixed[text_at..])
        {
            let old = fixed[text_at..text_at + len].to_owned();
            diags.push(Diagnostic::warning(
                offset + text_at..offset + text_at + old.len(),
                format!("repaired mis-decoded symbol `{old}` to `{emoji}`"),
            ));
            fixed.replace_range(text_at..text_at + len, &emoji);
        } else if untouched
            && let Line::Item { text_at, .. } | Line::Plain { text_at, .. } = classify(&fixed)
            && let Some(other) = mojibake::maybe_misread(&fixed[text_at..])
        {
            let c = fixed[text_at..]
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default();
            if mojibake::bundled_choice(&other) && !mojibake::bundled_choice(&c) {
                // The bundled roadmaps use the other one: take it, and say so.
                diags.push(
                    Diagnostic::warning(
                        offset + text_at..offset + text_at + c.len(),
                        format!("repaired mis-decoded symbol `{c}` to `{other}`"),
                    )
                    .with_hint("the bundled roadmaps use this emoji; edit it if another was meant"),
                );
                fixed.replace_range(text_at..text_at + c.len(), &other);
            } else {
                diags.push(
                    Diagnostic::warning(
                        offset + text_at..offset + text_at + c.len(),
                        format!("`{c}` may be a mis-decoded `{other}`; kept as it is"),
                    )
                    .with_hint("check the original and edit the emoji if another was meant"),
                );
            }
        }
        lines.push((offset, fixed));
        offset += raw.len() + 1;
        if n % 4096 == 0 {
            progress(offset.min(body.len() + base) as u64, total);
        }
    }

    let classified: Vec<(usize, Line<'_>)> = lines.iter().map(|(o, l)| (*o, classify(l))).collect();
    let next_nonblank = |i: usize| {
        classified[i + 1..]
            .iter()
            .find(|(_, l)| !matches!(l, Line::Blank))
    };

    let mut title: Option<String> = None;
    let mut description: Vec<String> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut areas: Vec<Area> = Vec::new();
    let mut indents: Vec<usize> = Vec::new();

    for (i, (off, line)) in classified.iter().enumerate() {
        match line {
            Line::Blank => {
                if !para.is_empty() {
                    description.push(para.join(" "));
                    para.clear();
                }
            }
            Line::Plain { text, text_at } => {
                let text = text.trim_start_matches('#').trim();
                if text.is_empty() {
                    // A lone `#` (a Markdown heading mark with nothing after it) says nothing.
                    continue;
                }
                if title.is_none() {
                    title = Some(text.to_owned());
                    continue;
                }
                if title.as_deref() == Some(text) && areas.is_empty() {
                    continue; // the title repeated, as pages often do
                }
                let before_items = matches!(next_nonblank(i), Some((_, Line::Item { .. })));
                if before_items {
                    if !para.is_empty() {
                        description.push(para.join(" "));
                        para.clear();
                    }
                    match title_of(text) {
                        Some((emoji, t)) => {
                            areas.push(Area {
                                emoji,
                                title: t,
                                at: off + text_at,
                                items: Vec::new(),
                            });
                            indents.clear();
                        }
                        None => diags.push(Diagnostic::warning(
                            off + text_at..off + text_at + text.len(),
                            "an area line with no words; skipped",
                        )),
                    }
                } else {
                    para.push(text);
                }
            }
            Line::Item {
                indent,
                text,
                text_at,
            } => {
                if !para.is_empty() {
                    description.push(para.join(" "));
                    para.clear();
                }
                let at = off + text_at;
                if areas.is_empty() {
                    diags.push(
                        Diagnostic::warning(
                            at..at + text.len(),
                            "items before any area line; put in an area named `General`",
                        )
                        .with_hint("add an area line above the first item"),
                    );
                    areas.push(Area {
                        emoji: None,
                        title: Title::trusted("General".to_owned()),
                        at,
                        items: Vec::new(),
                    });
                }
                while indents.last().is_some_and(|l| *l > *indent) {
                    indents.pop();
                }
                if indents.last() != Some(indent) {
                    indents.push(*indent);
                }
                let level = indents.len().min(MAX_LEVELS);
                let Some((emoji, t)) = title_of(text) else {
                    diags.push(Diagnostic::warning(
                        at..at + text.len(),
                        "an item with no words; skipped",
                    ));
                    continue;
                };
                if let Some(area) = areas.last_mut() {
                    area.items.push((level, emoji, t, at));
                }
            }
        }
    }
    if !para.is_empty() {
        description.push(para.join(" "));
    }
    progress(total, total);

    let Some(title_text) = title else {
        diags.push(Diagnostic::error(0..0, "the outline is empty"));
        return Imported {
            roadmap: None,
            diagnostics: diags,
            placement: None,
        };
    };
    let (_, title) = title_of(&title_text).unwrap_or((None, Title::trusted("Untitled".to_owned())));
    let id = NodeId::for_roadmap(id_hint, title.as_markdown());

    let mut ids = IdAllocator::new();
    let mut children = Vec::with_capacity(areas.len());
    for a in areas {
        let area_id = ids.derive(a.title.as_markdown(), Kind::Area, None);
        let mut area = Node::new(area_id, Kind::Area, a.title);
        area.emoji = a.emoji;
        if a.items.is_empty() {
            diags.push(Diagnostic::warning(a.at..a.at + 1, "an area without items"));
        }
        // Build the item tree with a stack of open nodes per level.
        let mut stack: Vec<Node> = Vec::new();
        for (level, emoji, t, _) in a.items {
            while stack.len() >= level {
                close(&mut stack, &mut area);
            }
            let parent = stack.last().map(|n| &n.id).unwrap_or(&area.id).clone();
            let kind = if stack.is_empty() {
                Kind::Topic
            } else {
                Kind::Subtopic
            };
            let nid = ids.derive(t.as_markdown(), kind, Some(&parent));
            let mut n = Node::new(nid, kind, t);
            n.emoji = emoji;
            stack.push(n);
        }
        while !stack.is_empty() {
            close(&mut stack, &mut area);
        }
        children.push(area);
    }
    let mut description = description.join("\n\n");
    description = crate::inline::escape_plain_blocks(&description);
    diags.sort_by_key(|d| d.range.start);
    Imported {
        roadmap: Some(Roadmap {
            id,
            title,
            description,
            meta: Meta::default(),
            children,
        }),
        diagnostics: diags,
        placement: None,
    }
}

fn close(stack: &mut Vec<Node>, area: &mut Node) {
    if let Some(n) = stack.pop() {
        match stack.last_mut() {
            Some(p) => p.children.push(n),
            None => area.children.push(n),
        }
    }
}
