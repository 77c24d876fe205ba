//! A small block tree over pulldown-cmark's event stream, with byte ranges.
//!
//! The format only cares about headings, paragraphs, lists and items; every other block is
//! kept as an opaque range. The tree's depth is capped ([`MAX_DEPTH`]) so that no later
//! recursion (including `Drop`) can overflow the stack, whatever the input.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Blocks nested deeper than this are not built; the caller reports them.
pub const MAX_DEPTH: usize = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    /// A paragraph, or the loose text directly inside a tight list item.
    Paragraph,
    List,
    Item,
    /// Any other block (code, quote, table, HTML, rule …), kept as source text.
    Other,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's source range.
    pub range: Range<usize>,
    /// For headings and paragraphs: the range of their inline content.
    pub inline: Option<Range<usize>>,
    pub children: Vec<Block>,
    /// The text directly inside a tight list item (no paragraph event of its own).
    implicit: bool,
}

impl Block {
    fn new(kind: BlockKind, range: Range<usize>) -> Self {
        Block {
            kind,
            range,
            inline: None,
            children: Vec::new(),
            implicit: false,
        }
    }
}

/// The document's top-level blocks, and the ranges of blocks nested too deep to build.
#[derive(Debug)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub too_deep: Vec<Range<usize>>,
}

pub fn parse(src: &str) -> Document {
    let mut root = Block::new(BlockKind::Other, 0..src.len());
    // The open blocks, innermost last; `root` holds the finished top-level ones.
    let mut open: Vec<Block> = Vec::new();
    // Depth inside an `Other` block or inside a block too deep to build.
    let mut skip_depth = 0usize;
    let mut too_deep = Vec::new();

    let options = Options::empty();
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        if skip_depth > 0 {
            match event {
                Event::Start(_) => skip_depth += 1,
                Event::End(_) => skip_depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Heading { level, .. } => Some(BlockKind::Heading(level as u8)),
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::List(_) => Some(BlockKind::List),
                    Tag::Item => Some(BlockKind::Item),
                    Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::Table(_)
                    | Tag::FootnoteDefinition(_)
                    | Tag::DefinitionList
                    | Tag::MetadataBlock(_) => Some(BlockKind::Other),
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        close_implicit(&mut open, &mut root);
                        if open.len() >= MAX_DEPTH {
                            too_deep.push(range);
                            skip_depth = 1;
                        } else if kind == BlockKind::Other {
                            push_child(&mut open, &mut root, Block::new(kind, range));
                            skip_depth = 1;
                        } else {
                            open.push(Block::new(kind, range));
                        }
                    }
                    None => inline(&mut open, widen(src, range)),
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item) => {
                close_implicit(&mut open, &mut root);
                if let Some(b) = open.pop() {
                    push_child(&mut open, &mut root, b);
                }
            }
            Event::Rule => {
                close_implicit(&mut open, &mut root);
                push_child(&mut open, &mut root, Block::new(BlockKind::Other, range));
            }
            Event::Html(_) => {
                close_implicit(&mut open, &mut root);
                push_child(&mut open, &mut root, Block::new(BlockKind::Other, range));
            }
            // Inline events, including the ends of inline tags.
            _ => inline(&mut open, widen(src, range)),
        }
    }
    while let Some(b) = open.pop() {
        push_child(&mut open, &mut root, b);
    }
    Document {
        blocks: root.children,
        too_deep,
    }
}

/// pulldown-cmark gives an escaped character (`\#`) a range without its backslash; put
/// the backslash back so that a title's source reads back the same.
fn widen(src: &str, range: Range<usize>) -> Range<usize> {
    let bytes = src.as_bytes();
    let escaped = range.start > 0
        && bytes[range.start - 1] == b'\\'
        && bytes.get(range.start).is_some_and(u8::is_ascii_punctuation);
    if escaped {
        range.start - 1..range.end
    } else {
        range
    }
}

/// An inline event: widen the inline range of the open heading or paragraph, opening an
/// implicit paragraph when the text sits directly in a tight list item.
fn inline(open: &mut Vec<Block>, range: Range<usize>) {
    let needs_implicit = matches!(open.last().map(|b| b.kind), Some(BlockKind::Item));
    if needs_implicit {
        let mut p = Block::new(BlockKind::Paragraph, range.clone());
        p.inline = Some(range.clone());
        p.implicit = true;
        open.push(p);
        return;
    }
    if let Some(b) = open.last_mut()
        && matches!(b.kind, BlockKind::Heading(_) | BlockKind::Paragraph)
    {
        b.inline = Some(match b.inline.take() {
            Some(r) => r.start.min(range.start)..r.end.max(range.end),
            None => range,
        });
        if b.range.end < b.inline.as_ref().map_or(0, |r| r.end) {
            b.range.end = b.inline.as_ref().map_or(b.range.end, |r| r.end);
        }
    }
}

/// Closes an implicit paragraph (tight item text) before a new block starts or an item ends.
fn close_implicit(open: &mut Vec<Block>, root: &mut Block) {
    if open.last().is_some_and(|b| b.implicit)
        && let Some(b) = open.pop()
    {
        push_child(open, root, b);
    }
}

fn push_child(open: &mut [Block], root: &mut Block, b: Block) {
    match open.last_mut() {
        Some(parent) => parent.children.push(b),
        None => root.children.push(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(b: &Block, src: &str, out: &mut String, depth: usize) {
        out.push_str(&"  ".repeat(depth));
        out.push_str(&format!("{:?}", b.kind));
        if let Some(i) = &b.inline {
            out.push_str(&format!(" {:?}", &src[i.clone()]));
        }
        out.push('\n');
        for c in &b.children {
            shape(c, src, out, depth + 1);
        }
    }

    fn dump(src: &str) -> String {
        let doc = parse(src);
        let mut out = String::new();
        for b in &doc.blocks {
            shape(b, src, &mut out, 0);
        }
        out
    }

    #[test]
    fn tight_and_loose_items_both_give_a_paragraph() {
        let tight = dump("- a *b*\n  - c\n");
        assert_eq!(
            tight,
            "List\n  Item\n    Paragraph \"a *b*\"\n    List\n      Item\n        Paragraph \"c\"\n"
        );
        let loose = dump("- a\n\n  text\n");
        assert_eq!(
            loose,
            "List\n  Item\n    Paragraph \"a\"\n    Paragraph \"text\"\n"
        );
    }

    #[test]
    fn deep_nesting_is_cut_not_recursed() {
        let src = "- ".repeat(10_000) + "x\n";
        let doc = parse(&src);
        assert!(!doc.too_deep.is_empty());
    }
}
