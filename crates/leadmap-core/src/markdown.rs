//! The Markdown roadmap format: parser and printer. `docs/format.md` is the reference.
//!
//! The parser never fails: it returns the roadmap it could build and every problem it saw.

use std::collections::HashMap;
use std::ops::Range;

use crate::assessment::Level;
use crate::blocks::{self, Block, BlockKind};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::emoji::split_leading_emoji;
use crate::model::{
    Content, IdAllocator, IdError, Kind, LevelCriterion, Meta, Node, NodeId, Related, Resource,
    ResourceKind, Roadmap, Title,
};

/// Item nesting deeper than this (topic → subtopic → …) is reported and not read.
pub const MAX_ITEM_DEPTH: usize = 12;

/// Where things were found, for diagnostics that come after parsing (the checker's).
#[derive(Debug, Default, Clone)]
pub struct Spans {
    /// The source range of each node's title, in document order (`Roadmap::nodes()` order).
    pub nodes: Vec<Range<usize>>,
    pub related: Vec<(NodeId, Related, Range<usize>)>,
    /// Where each node that has a `Levels:` block wrote its (first) label, in document order.
    pub levels: Vec<(NodeId, Range<usize>)>,
}

/// What the parser gives back: always a roadmap, and what was wrong with the input.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub roadmap: Roadmap,
    pub diagnostics: Vec<Diagnostic>,
    pub spans: Spans,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The front matter as written (the YAML between `---` lines).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(flatten)]
    meta: Meta,
}

/// Parses a roadmap from the bytes of a file. `fallback_id` names it when the front matter
/// gives no `id` (the CLI passes the file's stem).
pub fn parse(input: &[u8], fallback_id: &str) -> Parsed {
    let mut diags = Vec::new();
    let text = decode(input, &mut diags);
    let mut text = text.into_owned();
    let front = take_front_matter(&mut text, &mut diags);
    let mut p = Builder::new(&text, diags);
    let doc = blocks::parse(&text);
    for r in doc.too_deep.iter().take(1) {
        p.diags.push(
            Diagnostic::error(r.clone(), "nested too deeply; this part is not read").with_hint(
                format!("a roadmap nests at most {MAX_ITEM_DEPTH} list levels below an area"),
            ),
        );
    }
    for b in &doc.blocks {
        p.top_block(b);
    }
    p.close_heads(0);
    let Builder {
        title,
        description,
        mut root,
        mut diags,
        spans,
        side,
        ..
    } = p;
    let mut spans = spans;

    let id = match front.id.as_ref() {
        Some((s, range)) => match NodeId::new(s) {
            Ok(id) => Some(id),
            Err(e) => {
                diags.push(Diagnostic::error(
                    range.clone(),
                    format!("bad roadmap id {s:?}: {e}"),
                ));
                None
            }
        },
        None => None,
    }
    .unwrap_or_else(|| NodeId::for_roadmap(Some(fallback_id), ""));

    let title = match (title, front.title) {
        (Some(t), _) => t,
        (None, Some(t)) => Title::from_plain(&t).unwrap_or_else(|| fallback_title(&id)),
        (None, None) => {
            diags.push(
                Diagnostic::error(0..0, "the roadmap has no title")
                    .with_hint("start the file with a `# Title` line"),
            );
            fallback_title(&id)
        }
    };
    let mut description = description.join("\n\n");
    if description.is_empty()
        && let Some(d) = front.description
    {
        description = d.trim().to_owned();
    }

    assign_ids(&text, &mut root, &side, &mut diags, &mut spans);
    let children = root;
    diags.sort_by_key(|d| (d.range.start, d.range.end));
    Parsed {
        roadmap: Roadmap {
            id,
            title,
            description,
            meta: front.meta,
            children,
        },
        diagnostics: diags,
        spans,
    }
}

fn fallback_title(id: &NodeId) -> Title {
    Title::from_plain(id.as_str()).unwrap_or_else(|| Title::trusted("Untitled".to_owned()))
}

/// A topic file (`topics/<id>.md`): an optional `# Title` line, then the same labelled
/// content blocks as under a topic in a roadmap file.
#[derive(Debug, Clone)]
pub struct ParsedContent {
    /// The `# Title` line's plain text, when there is one.
    pub title: Option<String>,
    pub content: Content,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each related link was written, in the order of `content.related`.
    pub related: Vec<Range<usize>>,
}

/// Parses a topic file. Never fails: problems are diagnostics.
pub fn parse_content(input: &[u8]) -> ParsedContent {
    let mut diags = Vec::new();
    let text = decode(input, &mut diags).into_owned();
    let mut p = Builder::new(&text, diags);
    let mut node = new_node(None, Kind::Topic, Title::trusted("topic".to_owned()), None);
    let side = p.new_side(0..0);
    let mut st = ContentState::default();
    let mut title = None;
    let doc = blocks::parse(&text);
    for b in &doc.blocks {
        match b.kind {
            BlockKind::Heading(1) if title.is_none() && node.content.is_empty() => {
                title = b.inline.clone().map(|r| crate::inline::plain_text(text[r].trim()));
            }
            BlockKind::List if st.pending.is_none() => p.diags.push(
                Diagnostic::error(b.range.start..b.range.start + 1, "a list that no label introduces")
                    .with_hint("put `Steps:`, `Pitfalls:` or `Resources:` on the line before it; subtopics belong in the roadmap file"),
            ),
            _ => p.content_block(&mut node, side, b, &mut st, 0, 0),
        }
    }
    p.finish_pending(&mut st);
    let side = p.side.pop().unwrap_or_default();
    let mut diags = p.diags;
    diags.sort_by_key(|d| (d.range.start, d.range.end));
    ParsedContent {
        title,
        content: node.content,
        diagnostics: diags,
        related: side.related_ranges,
    }
}

/// Decodes UTF-8, reporting invalid bytes by offset. Each invalid byte becomes one `?`, so
/// that every later offset still points into the original input. A BOM becomes a space.
fn decode<'a>(input: &'a [u8], diags: &mut Vec<Diagnostic>) -> std::borrow::Cow<'a, str> {
    let input_str = match std::str::from_utf8(input) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(input.len());
            let mut reported = 0usize;
            let mut offset = 0usize;
            // Adjacent invalid bytes make one run, reported once.
            let mut run: Option<(usize, Vec<u8>)> = None;
            let mut flush = |run: &mut Option<(usize, Vec<u8>)>, diags: &mut Vec<Diagnostic>| {
                if let Some((start, bad)) = run.take() {
                    if reported < 5 {
                        diags.push(
                            Diagnostic::error(
                                start..start + bad.len(),
                                format!(
                                    "invalid UTF-8 at byte {start} (0x{})",
                                    bad.iter().map(|b| format!("{b:02X}")).collect::<String>()
                                ),
                            )
                            .with_hint("save the file as UTF-8"),
                        );
                    }
                    reported += 1;
                }
            };
            for chunk in input.utf8_chunks() {
                if !chunk.valid().is_empty() {
                    flush(&mut run, diags);
                }
                out.push_str(chunk.valid());
                offset += chunk.valid().len();
                let bad = chunk.invalid();
                if !bad.is_empty() {
                    match run.as_mut() {
                        Some((_, bytes)) if bytes.len() < 16 => bytes.extend_from_slice(bad),
                        _ => {
                            flush(&mut run, diags);
                            run = Some((offset, bad.to_vec()));
                        }
                    }
                    out.extend(std::iter::repeat_n('?', bad.len()));
                    offset += bad.len();
                }
            }
            flush(&mut run, diags);
            if reported > 5 {
                diags.push(Diagnostic::error(
                    input.len()..input.len(),
                    format!("{} more invalid UTF-8 sequences", reported - 5),
                ));
            }
            std::borrow::Cow::Owned(out)
        }
    };
    // A lone CR ends a line in CommonMark; make it a LF (same length, offsets hold) so that
    // everything after sees one kind of line end. CRLF stays.
    let input_str = if input_str.contains('\r') {
        let bytes = input_str.as_bytes();
        let fixed: String = input_str
            .char_indices()
            .map(|(i, c)| {
                if c == '\r' && bytes.get(i + 1) != Some(&b'\n') {
                    '\n'
                } else {
                    c
                }
            })
            .collect();
        std::borrow::Cow::Owned(fixed)
    } else {
        input_str
    };
    if let Some(rest) = input_str.strip_prefix('\u{feff}') {
        // Three spaces keep the offsets; a BOM is not an error.
        std::borrow::Cow::Owned(format!("   {rest}"))
    } else {
        input_str
    }
}

#[derive(Default)]
struct Front {
    id: Option<(String, Range<usize>)>,
    title: Option<String>,
    description: Option<String>,
    meta: Meta,
}

/// Reads and blanks out the front matter (same byte length, so offsets hold).
fn take_front_matter(text: &mut String, diags: &mut Vec<Diagnostic>) -> Front {
    let start = text.len() - text.trim_start_matches(' ').len();
    let body = &text[start..];
    let first_end = body.find('\n').map_or(body.len(), |i| i + 1);
    if body[..first_end].trim_end() != "---" {
        return Front::default();
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    let mut close = None;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            close = Some((pos, end));
            break;
        }
        pos = end;
    }
    let Some((yaml_end, fm_end)) = close else {
        diags.push(
            Diagnostic::error(start..start + 3, "the front matter is not closed")
                .with_hint("end it with a line of three dashes `---`"),
        );
        return Front::default();
    };
    let yaml = &text[yaml_start..yaml_end];
    let mut front = Front::default();
    if !yaml.trim().is_empty() {
        match serde_yaml_ng::from_str::<FrontMatter>(yaml) {
            Ok(fm) => {
                if let Some(id) = fm.id {
                    let off = yaml.find("id:").map_or(yaml_start, |i| yaml_start + i);
                    front.id = Some((id, off..off + 3));
                }
                front.title = fm.title;
                front.description = fm.description;
                front.meta = fm.meta;
            }
            Err(e) => {
                let off = e.location().map_or(yaml_start, |l| yaml_start + l.index());
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
                diags.push(
                    Diagnostic::error(off..off, format!("malformed front matter: {msg}"))
                        .with_hint(
                            "front matter is YAML with the keys id, title, description, version, authors, licence, source, credits, practices",
                        ),
                );
            }
        }
    }
    // Blank out the front matter, keeping line breaks and byte length.
    let blank: String = text[start..fm_end]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(start..fm_end, &blank);
    front
}

/// What the parser keeps about a node beyond the model: where it is in the source, and
/// where its links are. One per node, in document order (the tree's preorder).
#[derive(Default)]
struct Side {
    range: Range<usize>,
    related_ranges: Vec<Range<usize>>,
    /// The first `Levels:` label under the node.
    levels_label: Option<Range<usize>>,
}

/// A heading node still open: later blocks go into it.
struct Open {
    node: Node,
    /// 1 part, 2 area or flat part, 3 group.
    level: u8,
    side: usize,
}

/// A content label that waits for the list after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Summary,
    Steps,
    Pitfalls,
    Resources,
    Related,
    Templates,
    Established,
    Levels,
}

impl Label {
    fn parse(text: &str) -> Option<(Label, &str)> {
        let (word, rest) = text.split_once(':')?;
        let label = match word.trim().to_ascii_lowercase().as_str() {
            "summary" => Label::Summary,
            "steps" | "how to start" => Label::Steps,
            "pitfalls" => Label::Pitfalls,
            "resources" => Label::Resources,
            "related" => Label::Related,
            "templates" => Label::Templates,
            "established" => Label::Established,
            "levels" => Label::Levels,
            _ => return None,
        };
        Some((label, rest.trim()))
    }
}

struct Builder<'s> {
    src: &'s str,
    diags: Vec<Diagnostic>,
    title: Option<Title>,
    description: Vec<String>,
    /// Open heading nodes, outermost first, with the content state of the innermost.
    heads: Vec<Open>,
    head_state: ContentState,
    root: Vec<Node>,
    side: Vec<Side>,
    spans: Spans,
    /// Set after content that could not be placed, so it is reported once.
    deep_reported: bool,
}

/// Per-container state while reading the blocks under a heading or inside an item.
#[derive(Default)]
struct ContentState {
    pending: Option<(Label, Range<usize>)>,
    in_established: bool,
}

/// A node's title, emoji, explicit id and class, as read from its line.
type MadeTitle = (Title, Option<String>, Option<NodeId>, Option<Kind>);

/// A title as found in the source: text, attributes and a leading emoji split off.
struct SplitTitle<'a> {
    text: String,
    emoji: Option<String>,
    attrs: Option<(&'a str, usize)>,
}

/// Normalises a title's source (line breaks to spaces) and splits off `{…}` and the emoji.
fn split_title(raw: &str) -> SplitTitle<'_> {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace());
    let mut attrs = None;
    let mut body = trimmed;
    if trimmed.ends_with('}')
        && let Some(open) = trimmed.rfind('{')
        && !trimmed[..open].ends_with('\\')
    {
        let inner = &trimmed[open + 1..trimmed.len() - 1];
        // `{#…}` or `{.…}` is meant as attributes, even when a token in it is wrong.
        if inner.trim_start().starts_with(['#', '.']) {
            let offset = raw.len() - raw.trim_start().len() + open;
            attrs = Some((inner, offset));
            body = trimmed[..open].trim_end_matches(|c: char| c.is_whitespace());
        }
    }
    let (emoji, rest) = split_leading_emoji(body);
    let text = if rest.contains(['\n', '\r']) {
        rest.split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        rest.to_owned()
    };
    SplitTitle {
        text,
        emoji: emoji.map(str::to_owned),
        attrs,
    }
}

/// A title read from one place (a heading, say) must read back the same from any other
/// (a list item): where it would not, its first character is escaped.
fn safe_title(text: String) -> Title {
    let risky = text.starts_with(|c: char| c.is_ascii_punctuation() || c.is_ascii_digit())
        || text.ends_with(['}', '#']);
    if !risky || title_round_trips(&text) {
        return Title::trusted(text);
    }
    let escaped = match text.chars().next() {
        Some(c) if c.is_ascii_punctuation() => format!("\\{text}"),
        _ => crate::inline::escape_plain(&text),
    };
    match Title::new(&escaped) {
        Ok(t) => t,
        Err(_) => Title::from_plain(&crate::inline::plain_text(&text))
            .unwrap_or_else(|| Title::trusted("Untitled".to_owned())),
    }
}

/// A block's text as it will be printed on its own: when it would not read back alone as one
/// block of its kind (`-` after a link reference definition is a paragraph's text, alone an
/// empty list item: the fuzzer's seventh find), its first character is escaped.
///
/// Failing that, every line but a setext heading's underline has its start escaped: a line
/// that was a lazy continuation left of its container (`  R`, `=`, `  -` in a list item is a
/// heading "R =") reads as another block once dedented (`R` over `=` is a level-1 heading, and
/// `-` an empty item: the fuzzer's ninth find).
fn safe_block(text: String, kind: BlockKind) -> String {
    let reads_back = |t: &str| {
        let doc = blocks::parse(t);
        matches!(doc.blocks.as_slice(), [only] if only.kind == kind)
    };
    if text.is_empty() || reads_back(&text) {
        return text;
    }
    if let Some(escaped) = escape_line_start(&text)
        && reads_back(&escaped)
    {
        return escaped;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let underline = matches!(kind, BlockKind::Heading(_))
        && lines.len() > 1
        && lines.last().is_some_and(|l| {
            let t = l.trim();
            !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
        });
    let last = lines.len() - usize::from(underline);
    let escaped = lines
        .iter()
        .enumerate()
        .map(|(i, l)| match escape_line_start(l) {
            Some(e) if i < last => e,
            _ => (*l).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if reads_back(&escaped) { escaped } else { text }
}

/// `line` with its first character after the indentation escaped, when that character could
/// start a block (punctuation, or the `.`/`)` after digits); `None` when there is none.
fn escape_line_start(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let (lead, text) = line.split_at(indent);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    match text.chars().next() {
        Some('\\') => None,
        Some(c) if c.is_ascii_punctuation() => Some(format!("{lead}\\{text}")),
        Some(_) if digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) => {
            Some(format!("{lead}{}\\{}", &text[..digits], &text[digits..]))
        }
        _ => None,
    }
}

/// Does `s` read back unchanged as a heading's and as a list item's title?
pub(crate) fn title_round_trips(s: &str) -> bool {
    // Alone, and as the printer writes a node's title: followed by its id (`- [o]:` is an
    // item, but `- [o]: {#o}` a link reference definition: the fuzzer's sixth find).
    let contexts = [("## ", ""), ("- ", ""), ("## ", " {#x}"), ("- ", " {#x}")];
    contexts.iter().all(|(ctx, attrs)| {
        let src = format!("{ctx}{s}{attrs}\n");
        let doc = blocks::parse(&src);
        let [only] = doc.blocks.as_slice() else {
            return false;
        };
        let inline = match only.kind {
            BlockKind::Heading(2) => only.inline.clone(),
            BlockKind::List => match only.children.as_slice() {
                [item] => match item.children.as_slice() {
                    [p] if p.kind == BlockKind::Paragraph => p.inline.clone(),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some(inline) = inline else {
            return false;
        };
        let st = split_title(&src[inline]);
        st.attrs.is_some() != attrs.is_empty() && st.emoji.is_none() && st.text == s
    })
}

/// A code fence or an HTML block left open runs to the end of its container; written
/// elsewhere it would swallow what follows. Close it, so the text means the same anywhere.
/// Whether it is open is asked of the parser itself, not read from the rules: pulldown-cmark
/// does not close a fence with "```" and a tab (the fuzzer's eighth find), and `<script-->`
/// opened no script block that a rule-reading would close (the tenth).
fn close_open_block(text: String) -> String {
    if !runs_on(&text) {
        return text;
    }
    let first_line = text.lines().next().unwrap_or("");
    let first = first_line.trim_start();
    let lower = first.to_ascii_lowercase();
    let fence_char = first.chars().next().filter(|c| *c == '`' || *c == '~');
    let ender = if let Some(fc) = fence_char {
        fc.to_string()
            .repeat(first.chars().take_while(|c| *c == fc).count())
    } else {
        let enders: [(&str, &str); 7] = [
            ("<!--", "-->"),
            ("<?", "?>"),
            ("<![cdata[", "]]>"),
            ("<script", "</script>"),
            ("<pre", "</pre>"),
            ("<style", "</style>"),
            ("<textarea", "</textarea>"),
        ];
        match enders.iter().find(|(start, _)| lower.starts_with(start)) {
            Some((_, end)) => (*end).to_owned(),
            None if lower.starts_with("<!") => ">".to_owned(),
            None => return text,
        }
    };
    let closed = format!("{text}\n{ender}");
    if runs_on(&closed) { text } else { closed }
}

/// Does the block `text` run on over what follows it (a paragraph after a blank line)?
fn runs_on(text: &str) -> bool {
    let src = format!("{text}\n\nx\n");
    let doc = blocks::parse(&src);
    !matches!(doc.blocks.as_slice(), [.., last]
        if last.kind == BlockKind::Paragraph && src[last.range.clone()].trim() == "x")
}

/// Text that followed a label on its line (`Established: - x`) becomes a paragraph of its
/// own when printed: escape a start that would make it a block (`\- x`), or the colon of a
/// label (`Steps\: x`).
fn escape_paragraph_start(text: &str) -> String {
    // `Established: Steps: x` keeps `Steps: x` as text: escape its colon, or the paragraph
    // would read back as a label.
    if Label::parse(text).is_some()
        && let Some(colon) = text.find(':')
    {
        return format!("{}\\{}", &text[..colon], &text[colon..]);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    match text.chars().next() {
        // `[x]: y` would be a link definition; any other `[` starts a link and stays.
        Some('[') if !text.contains("]:") => text.to_owned(),
        Some(c) if c.is_ascii_punctuation() && c != '\\' && c != '(' => {
            format!("\\{text}")
        }
        _ => text.to_owned(),
    }
}

/// A paragraph's text: continuation lines lose their indentation (it means nothing in a
/// paragraph), except that a line which would start a block of its own where the text is
/// printed (`### x`, `> x`, `- x` …) keeps four spaces, so it stays paragraph text.
/// CommonMark leaves a block's final line-end white space out of it, vertical tabs and form
/// feeds included, which it keeps on every other line (`-` and a form feed is text, `-` alone a
/// list item). When that run at `end` holds a vertical tab or a form feed, the end moves past
/// it, so the line keeps them wherever the printer puts it (found by the fuzzer); a run of
/// spaces and tabs alone stays out, as before.
fn line_end_taken_back(src: &str, end: usize) -> usize {
    let run = src.as_bytes()[end..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c'))
        .count();
    if src.as_bytes()[end..end + run]
        .iter()
        .any(|b| matches!(b, b'\x0b' | b'\x0c'))
    {
        end + run
    } else {
        end
    }
}

fn paragraph_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for (i, line) in src.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 {
            out.push_str(line);
            continue;
        }
        out.push('\n');
        let bare = line.trim_start_matches([' ', '\t']);
        let risky = bare.starts_with([
            '#', '>', '-', '+', '*', '_', '=', '<', '`', '~', '|', '0', '1', '2', '3', '4', '5',
            '6', '7', '8', '9',
        ]);
        if risky {
            out.push_str("    ");
        }
        out.push_str(bare);
    }
    // Only line-end white space: a form feed, say, is text here (`-\u{c}` is no list item).
    out.trim_end_matches([' ', '\t', '\n', '\r']).to_owned()
}

/// Strips up to `cols` columns of leading white space from every line but the first.
fn dedent(text: &str, cols: usize, first_col: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Leading tabs mean different things at different columns: make them spaces, as
        // wide as they were where they stood.
        let start = if i == 0 { first_col } else { 0 };
        let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
        let mut col = start;
        for c in line[..ws].chars() {
            col = if c == '\t' {
                (col / 4 + 1) * 4
            } else {
                col + 1
            };
        }
        let width = col - start;
        if cols == 0 {
            // A top-level block: nothing to take off, so its lines stay as written. Written
            // back where they stood, they read back the same; tabs made spaces need not
            // (pulldown-cmark reads `>` then a tab and `>` as one quote, but `>` then four
            // spaces and `>` as a quote and a code block: the fuzzer's fifth find). The same
            // when the block's first line is indented (` >` over a tab and `>`: the twelfth).
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line);
            continue;
        }
        let keep = if i == 0 {
            width
        } else {
            width.saturating_sub(cols)
        };
        if i > 0 {
            out.push('\n');
        }
        for _ in 0..keep {
            out.push(' ');
        }
        out.push_str(&line[ws..]);
    }
    // A vertical tab or form feed ends a line as text (see `line_end_taken_back`).
    let trimmed = out.trim_end_matches(|c: char| c.is_whitespace() && c != '\x0b' && c != '\x0c');
    trimmed.to_owned()
}

impl<'s> Builder<'s> {
    fn new(src: &'s str, diags: Vec<Diagnostic>) -> Self {
        Builder {
            src,
            diags,
            title: None,
            description: Vec::new(),
            heads: Vec::new(),
            head_state: ContentState::default(),
            root: Vec::new(),
            side: Vec::new(),
            spans: Spans::default(),
            deep_reported: false,
        }
    }

    /// The column (in chars) at which `offset` sits on its line.
    fn column(&self, offset: usize) -> usize {
        let line_start = self.src[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.src[line_start..offset].chars().fold(0, |col, c| {
            if c == '\t' {
                (col / 4 + 1) * 4
            } else {
                col + 1
            }
        })
    }

    /// The source of a block inside a container whose content starts at column `container`,
    /// dedented to that column (so an indented code block stays indented).
    fn block_source(&self, b: &Block, container: usize) -> String {
        if b.kind == BlockKind::Paragraph {
            let mut range = b.inline.clone().unwrap_or(b.range.clone());
            range.end = line_end_taken_back(self.src, range.end);
            return paragraph_text(&self.src[range]);
        }
        let mut range = b.range.clone();
        range.end = line_end_taken_back(self.src, range.end);
        let extra = self.column(range.start).saturating_sub(container);
        let mut text = " ".repeat(extra);
        let first_col = self.column(range.start);
        text.push_str(&dedent(&self.src[range], container, first_col));
        close_open_block(text)
    }

    fn top_block(&mut self, b: &Block) {
        match b.kind {
            BlockKind::Heading(level) if level <= 3 => self.heading(b, level),
            BlockKind::List if self.heads.is_empty() => {
                for item in &b.children {
                    let start = item.range.start;
                    self.diags.push(
                        Diagnostic::error(start..start + 1, "a list item before any area")
                            .with_hint("add an area heading (`## Area`) above the list"),
                    );
                }
            }
            _ if self.heads.is_empty() => {
                if let BlockKind::Heading(level) = b.kind {
                    self.diags.push(Diagnostic::warning(
                        b.range.clone(),
                        format!("heading level {level} is not part of the format; kept as text"),
                    ));
                }
                let text = safe_block(self.block_source(b, 0), b.kind);
                if !text.is_empty() {
                    self.description.push(text);
                }
            }
            _ => {
                if let Some(mut open) = self.heads.pop() {
                    let mut st = std::mem::take(&mut self.head_state);
                    if let BlockKind::Heading(level) = b.kind {
                        self.diags.push(Diagnostic::warning(
                            b.range.clone(),
                            format!(
                                "heading level {level} is not part of the format; kept as text"
                            ),
                        ));
                    }
                    self.content_block(&mut open.node, open.side, b, &mut st, 0, 0);
                    self.head_state = st;
                    self.heads.push(open);
                }
            }
        }
    }

    /// Closes open headings of `level` and deeper, attaching each to its parent.
    fn close_heads(&mut self, level: u8) {
        let mut st = std::mem::take(&mut self.head_state);
        self.finish_pending(&mut st);
        while self.heads.last().is_some_and(|h| h.level >= level.max(1)) {
            if let Some(done) = self.heads.pop() {
                match self.heads.last_mut() {
                    Some(parent) => parent.node.children.push(done.node),
                    None => self.root.push(done.node),
                }
            }
        }
        self.head_state = ContentState::default();
    }

    fn finish_pending(&mut self, st: &mut ContentState) {
        if let Some((label, range)) = st.pending.take() {
            self.diags.push(
                Diagnostic::warning(range, format!("`{label:?}:` is not followed by a list"))
                    .with_hint("put the list right after the label"),
            );
        }
    }

    fn make_title(&mut self, b: &Block) -> Option<MadeTitle> {
        let inline = b.inline.clone()?;
        let raw = &self.src[inline.clone()];
        let st = split_title(raw);
        let mut id = None;
        let mut kind = None;
        if let Some((attrs, at)) = st.attrs {
            let at = inline.start + at;
            for tok in attrs.split_whitespace() {
                let range = at..at + attrs.len() + 2;
                if let Some(s) = tok.strip_prefix('#') {
                    match NodeId::new(s) {
                        Ok(i) if id.is_none() => id = Some(i),
                        Ok(_) => self
                            .diags
                            .push(Diagnostic::error(range, "a node has one id")),
                        Err(e) => self.diags.push(
                            Diagnostic::error(range, format!("bad id `{s}`: {e}"))
                                .with_hint("ids are ASCII letters, digits, `-`, `_` and `.`"),
                        ),
                    }
                } else if !tok.starts_with('.') {
                    self.diags.push(
                        Diagnostic::error(range, format!("`{tok}` is not an attribute"))
                            .with_hint("attributes are `{#id}` and `{.class}`; ids have no spaces"),
                    );
                } else if let Some(c) = tok.strip_prefix('.') {
                    match c {
                        "part" => kind = Some(Kind::Part),
                        "group" => kind = Some(Kind::Group),
                        _ => self.diags.push(
                            Diagnostic::error(range, format!("unknown class `.{c}`"))
                                .with_hint("the classes are `.part` (on an area heading) and `.group` (on an item under an area)"),
                        ),
                    }
                }
            }
        }
        let text = st.text;
        let mut emoji = st.emoji;
        let title = if text.is_empty() {
            // A title of an emoji alone: the emoji is the title.
            match emoji.take() {
                Some(e) => Title::trusted(e),
                None => {
                    self.diags.push(
                        Diagnostic::error(b.range.clone(), "a node without a title")
                            .with_hint("write the title after the list marker or the `#`s"),
                    );
                    return None;
                }
            }
        } else {
            safe_title(text)
        };
        Some((title, emoji, id, kind))
    }

    fn heading(&mut self, b: &Block, level: u8) {
        let Some((title, emoji, id, class)) = self.make_title(b) else {
            return;
        };
        if level == 1 && self.title.is_none() && self.heads.is_empty() && self.root.is_empty() {
            if id.is_some() || class.is_some() {
                self.diags.push(Diagnostic::warning(
                    b.range.clone(),
                    "the roadmap title takes no id or class; set the id in the front matter",
                ));
            }
            // The roadmap has no emoji of its own: a leading one stays in its title (dropping
            // it would let the next emoji become the leading one when printed and read again).
            self.title = Some(match emoji {
                Some(e) => Title::trusted(format!("{e} {title}")),
                None => title,
            });
            return;
        }
        self.close_heads(level);
        let in_part = self.heads.iter().any(|h| h.node.kind == Kind::Part);
        if level == 2 && class == Some(Kind::Part) && in_part {
            self.diags.push(
                Diagnostic::error(b.range.clone(), "a part cannot be inside another part")
                    .with_hint("a `{.part}` heading must come before the first `#` part; it is read as an area here"),
            );
        }
        let class = class.filter(|c| !(level == 2 && *c == Kind::Part && in_part));
        let kind = match (level, class) {
            (1, None | Some(Kind::Part)) => Kind::Part,
            (2, None) => Kind::Area,
            (2, Some(Kind::Part)) => Kind::Part,
            (3, None | Some(Kind::Group)) => Kind::Group,
            (_, Some(c)) => {
                self.diags.push(Diagnostic::error(
                    b.range.clone(),
                    format!("`.{c}` does not apply to a level-{level} heading"),
                ));
                match level {
                    1 => Kind::Part,
                    2 => Kind::Area,
                    _ => Kind::Group,
                }
            }
            _ => Kind::Group,
        };
        if level == 3 && self.heads.is_empty() {
            self.diags.push(
                Diagnostic::error(b.range.clone(), "a group heading before any area")
                    .with_hint("add an area heading (`## Area`) above it"),
            );
            return;
        }
        let side = self.new_side(b.range.clone());
        self.heads.push(Open {
            node: new_node(id, kind, title, emoji),
            level,
            side,
        });
        self.head_state = ContentState::default();
    }

    /// One block under a container (heading node or item): content or children.
    fn new_side(&mut self, range: Range<usize>) -> usize {
        self.side.push(Side {
            range,
            ..Side::default()
        });
        self.side.len() - 1
    }

    fn content_block(
        &mut self,
        node: &mut Node,
        side: usize,
        b: &Block,
        st: &mut ContentState,
        depth: usize,
        col: usize,
    ) {
        match b.kind {
            BlockKind::Paragraph => {
                let text = self.block_source(b, col);
                if let Some((label, rest)) = Label::parse(&text) {
                    self.finish_pending(st);
                    st.in_established = false;
                    let range = b.inline.clone().unwrap_or(b.range.clone());
                    if label == Label::Summary {
                        // Optional: plain paragraphs are the summary anyway.
                        push_para(&mut node.content.summary, &escape_paragraph_start(rest));
                    } else if label == Label::Established {
                        st.in_established = true;
                        if !rest.is_empty() {
                            push_para(&mut node.content.established, &escape_paragraph_start(rest));
                        }
                    } else {
                        let colon = text.find(':').map_or(0, |c| c + 1);
                        if label == Label::Levels && self.side[side].levels_label.is_none() {
                            let end = (range.start + colon).min(range.end);
                            self.side[side].levels_label = Some(range.start..end);
                        }
                        if rest.is_empty() {
                            st.pending = Some((label, range));
                        } else {
                            let mut range = range;
                            if label == Label::Levels {
                                // Where the first item starts (the line is the source's own).
                                let after = &text[colon..];
                                let at = colon + after.len() - after.trim_start().len();
                                if !text[..at].contains('\n') {
                                    range.start = (range.start + at).min(range.end);
                                }
                            }
                            self.content_entries(node, side, label, &[(rest.to_owned(), range)]);
                        }
                    }
                } else {
                    self.finish_pending(st);
                    let text = safe_block(text, BlockKind::Paragraph);
                    if st.in_established {
                        push_para(&mut node.content.established, &text);
                    } else {
                        push_para(&mut node.content.summary, &text);
                    }
                }
            }
            BlockKind::List => {
                st.in_established = false;
                if let Some((label, _)) = st.pending.take() {
                    let entries: Vec<(String, Range<usize>)> = b
                        .children
                        .iter()
                        .map(|item| {
                            let start = item.children.first().map_or(item.range.start, |f| {
                                f.inline.as_ref().map_or(f.range.start, |r| r.start)
                            });
                            // A level is named by the item's text: a paragraph (or a setext
                            // heading), not a block that an indented line or a quote makes.
                            let named = item.children.first().is_some_and(|f| {
                                matches!(f.kind, BlockKind::Paragraph | BlockKind::Heading(_))
                            });
                            let text = if label == Label::Levels && !named {
                                String::new()
                            } else {
                                self.item_source(item)
                            };
                            (text, start..item.range.end)
                        })
                        .collect();
                    self.content_entries(node, side, label, &entries);
                } else {
                    for item in &b.children {
                        if let Some(child) = self.item(item, node.kind, depth + 1) {
                            node.children.push(child);
                        }
                    }
                }
            }
            BlockKind::Heading(_) | BlockKind::Other | BlockKind::Item => {
                self.finish_pending(st);
                let mut text = self.block_source(b, col);
                if matches!(b.kind, BlockKind::Heading(_)) {
                    text = safe_block(text, b.kind);
                }
                if st.in_established {
                    push_para(&mut node.content.established, &text);
                } else {
                    push_para(&mut node.content.summary, &text);
                }
            }
        }
    }

    /// The source of a content list item, from its first block to its end, dedented.
    fn item_source(&self, item: &Block) -> String {
        let Some(first) = item.children.first() else {
            return String::new();
        };
        let start = match first.kind {
            BlockKind::Paragraph => first.inline.as_ref().map_or(first.range.start, |r| r.start),
            _ => first.range.start,
        };
        let end = item
            .children
            .last()
            .map_or(item.range.end, |l| match l.kind {
                BlockKind::Paragraph => l.inline.as_ref().map_or(l.range.end, |r| r.end),
                _ => l.range.end,
            });
        let cols = self.column(start);
        // Steps and pitfalls are prose: leading white space (an indented code block as the
        // item's first block, say) would change meaning after a list marker of another width.
        // Line-end white space at the very end, vertical tabs and form feeds included, is left
        // out: printed as an item's last line, CommonMark would leave it out (the fuzzer's
        // eleventh find: a step ending in a vertical tab lost it on the second read).
        dedent(&self.src[start..end.max(start)], cols, cols)
            .trim_start()
            .trim_end_matches([' ', '\t', '\x0b', '\x0c', '\n', '\r'])
            .to_owned()
    }

    fn content_entries(
        &mut self,
        node: &mut Node,
        side: usize,
        label: Label,
        entries: &[(String, Range<usize>)],
    ) {
        for (text, range) in entries {
            match label {
                Label::Steps => node.content.steps.push(text.clone()),
                Label::Pitfalls => node.content.pitfalls.push(text.clone()),
                Label::Established => push_para(&mut node.content.established, text),
                Label::Levels => self.level_entry(node, text, range),
                Label::Summary => push_para(&mut node.content.summary, text),
                Label::Resources => match parse_resource(text) {
                    Ok(r) => node.content.resources.push(r),
                    Err(d) => {
                        let mut d = d;
                        d.range = range.start..range.start + text.len().min(range.len());
                        self.diags.push(d);
                    }
                },
                Label::Related | Label::Templates => {
                    for tok in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                        let tok = tok.trim_matches('`');
                        let parsed: Result<(), IdError> = if label == Label::Related {
                            Related::parse(tok).map(|r| {
                                node.content.related.push(r);
                                self.side[side].related_ranges.push(range.clone());
                            })
                        } else {
                            NodeId::new(tok.trim_start_matches('#'))
                                .map(|t| node.content.templates.push(t))
                        };
                        if let Err(e) = parsed {
                            self.diags.push(Diagnostic::error(
                                range.clone(),
                                format!("bad id `{tok}` in `{label:?}:`: {e}"),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// One item of a `Levels:` block, `Level: text`, whose text starts at `range.start`.
    fn level_entry(&mut self, node: &mut Node, text: &str, range: &Range<usize>) {
        let levels_hint = "the levels are absent, ad hoc, defined, practised, improving";
        let shaped = |w: &str| {
            w.starts_with(char::is_alphanumeric)
                && w.ends_with(char::is_alphanumeric)
                && w.len() <= 32
                && w.split_whitespace().count() <= 3
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        };
        let Some((word, rest)) = text
            .split_once(':')
            // All white space off the text, a vertical tab too: printed after `Level: `, the
            // text's first and last lines are a paragraph's, which keeps none.
            .map(|(w, r)| (w.trim(), r.trim()))
            .filter(|(w, _)| shaped(w))
        else {
            let first_line = text.split('\n').next().unwrap_or("");
            let span = self.locate(range, first_line);
            self.diags.push(
                Diagnostic::error(
                    span,
                    "a level's criterion starts with the level and a colon, as in `Defined: …`",
                )
                .with_hint(levels_hint),
            );
            return;
        };
        let word_span = self.locate(range, word);
        // Level::parse reads numbers too; the file names levels by word only.
        let by_number = word
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .all(|c| c.is_ascii_digit());
        let level = match Level::parse(word) {
            Some(l) if !by_number => l,
            parsed => {
                let hint = match parsed {
                    Some(l) => format!("write the level's name, `{}:`, not its number", l.label()),
                    None => "start the item with a level and a colon, as in `Defined: …`".into(),
                };
                self.diags.push(
                    Diagnostic::error(word_span, format!("`{word}` is not a level; {levels_hint}"))
                        .with_hint(hint),
                );
                return;
            }
        };
        if rest.is_empty() {
            self.diags.push(
                Diagnostic::warning(word_span, format!("`{}:` has no text", level.label()))
                    .with_hint(
                        "say what the practice looks like at this level, or leave the level out",
                    ),
            );
            return;
        }
        let levels = &mut node.content.levels;
        match levels.binary_search_by_key(&level, |c| c.level) {
            Ok(_) => self.diags.push(
                Diagnostic::warning(
                    word_span,
                    format!(
                        "the level `{}` is written twice; the first is kept",
                        level.label()
                    ),
                )
                .with_hint("say all of it in one item"),
            ),
            Err(at) => levels.insert(
                at,
                LevelCriterion {
                    level,
                    text: rest.to_owned(),
                },
            ),
        }
    }

    /// Where `needle` is written within `range` (its first occurrence); where it is not
    /// found as written, the first byte of `range`.
    fn locate(&self, range: &Range<usize>, needle: &str) -> Range<usize> {
        let found = self
            .src
            .get(range.clone())
            .filter(|_| !needle.is_empty())
            .and_then(|hay| hay.find(needle));
        match found {
            Some(i) => range.start + i..range.start + i + needle.len(),
            None => range.start..(range.start + 1).min(self.src.len().max(range.start)),
        }
    }

    fn item(&mut self, item: &Block, parent: Kind, depth: usize) -> Option<Node> {
        if depth > MAX_ITEM_DEPTH {
            if !self.deep_reported {
                self.deep_reported = true;
                self.diags.push(
                    Diagnostic::error(
                        item.range.clone(),
                        "nested too deeply; this part is not read",
                    )
                    .with_hint(format!(
                        "a roadmap nests at most {MAX_ITEM_DEPTH} list levels below an area"
                    )),
                );
            }
            return None;
        }
        let Some(first) = item
            .children
            .first()
            .filter(|f| f.kind == BlockKind::Paragraph)
        else {
            let start = item.range.start;
            self.diags.push(
                Diagnostic::error(start..start + 1, "a list item without a title")
                    .with_hint("write the title right after the list marker"),
            );
            return None;
        };
        let (title, emoji, id, class) = self.make_title(first)?;
        let mut kind = match parent {
            Kind::Part | Kind::Area => Kind::Topic,
            Kind::Group => Kind::Topic,
            Kind::Topic | Kind::Subtopic => Kind::Subtopic,
        };
        match class {
            Some(Kind::Group) if matches!(parent, Kind::Area | Kind::Part) => kind = Kind::Group,
            Some(c) => self.diags.push(
                Diagnostic::error(
                    first.range.clone(),
                    format!("`.{c}` does not apply to an item under a {parent}"),
                )
                .with_hint(
                    "`.group` marks an item directly under an area; `.part` an area heading",
                ),
            ),
            None => {}
        }
        let side = self.new_side(first.inline.clone().unwrap_or(item.range.clone()));
        let mut node = new_node(id, kind, title, emoji);
        let mut st = ContentState::default();
        let col = self.column(first.inline.as_ref().map_or(first.range.start, |r| r.start));
        for b in &item.children[1..] {
            self.content_block(&mut node, side, b, &mut st, depth, col);
        }
        self.finish_pending(&mut st);
        Some(node)
    }
}

fn push_para(field: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !field.is_empty() {
        field.push_str("\n\n");
    }
    field.push_str(text);
}

/// Reads `kind: Title — Author, Year <url>`.
pub fn parse_resource(text: &str) -> Result<Resource, Diagnostic> {
    let text = text.trim();
    let Some((word, rest)) = text.split_once(':').filter(|(w, _)| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == ' ')
    }) else {
        return Err(
            Diagnostic::error(0..0, "a resource starts with its kind, as in `book: …`")
                .with_hint(kinds_hint()),
        );
    };
    let Some(kind) = ResourceKind::parse(word) else {
        return Err(
            Diagnostic::error(0..0, format!("unknown resource kind `{}`", word.trim()))
                .with_hint(kinds_hint()),
        );
    };
    let mut rest = rest.trim();
    let mut url = None;
    if rest.ends_with('>')
        && let Some(open) = rest.rfind('<')
    {
        url = Some(rest[open + 1..rest.len() - 1].to_owned());
        rest = rest[..open].trim_end();
    }
    let (title_part, byline) = match rest.split_once(" — ").or_else(|| rest.split_once(" -- ")) {
        Some((t, b)) => (t.trim(), Some(b.trim())),
        None => (rest, None),
    };
    let mut title = title_part.to_owned();
    if title.starts_with('[')
        && title.ends_with(')')
        && let Some(mid) = title.find("](")
    {
        if url.is_none() {
            url = Some(title[mid + 2..title.len() - 1].to_owned());
        }
        title = title[1..mid].to_owned();
    }
    if title.is_empty() {
        return Err(Diagnostic::error(
            0..0,
            "a resource needs a title after its kind",
        ));
    }
    let (author, year) = match byline {
        None => (None, None),
        Some(b) => split_year(b),
    };
    Ok(Resource {
        kind,
        title,
        author,
        year,
        url,
    })
}

fn split_year(byline: &str) -> (Option<String>, Option<u16>) {
    // Four digits, not starting with 0: printed back exactly as read.
    let is_year =
        |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    let b = byline.trim();
    if is_year(b) {
        return (None, b.parse().ok());
    }
    if let Some((a, y)) = b.rsplit_once(", ")
        && is_year(y.trim())
    {
        return (
            Some(a.trim().to_owned()).filter(|a| !a.is_empty()),
            y.trim().parse().ok(),
        );
    }
    (Some(b.to_owned()).filter(|a| !a.is_empty()), None)
}

fn kinds_hint() -> String {
    let kinds: Vec<&str> = ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
    format!("the kinds are: {}", kinds.join(", "))
}

/// A node whose id is not known yet (the placeholder id is empty).
fn new_node(id: Option<NodeId>, kind: Kind, title: Title, emoji: Option<String>) -> Node {
    Node {
        id: id.unwrap_or_else(NodeId::placeholder),
        kind,
        title,
        emoji,
        content: Content::default(),
        children: Vec::new(),
    }
}

/// Gives every node its id: explicit ids first (duplicates reported), then derived ones,
/// in document order. `side` holds one entry per node in that order.
fn assign_ids(
    src: &str,
    root: &mut [Node],
    side: &[Side],
    diags: &mut Vec<Diagnostic>,
    spans: &mut Spans,
) {
    spans.nodes.reserve(side.len());
    let mut ids = IdAllocator::with_capacity(side.len());
    let mut first_use: HashMap<NodeId, usize> = HashMap::new();
    let mut stack: Vec<&mut Node> = root.iter_mut().rev().collect();
    let mut index = 0;
    while let Some(node) = stack.pop() {
        let range = side.get(index).map_or(0..0, |s| s.range.clone());
        index += 1;
        if !node.id.is_placeholder() {
            if ids.reserve(&node.id) {
                first_use.insert(node.id.clone(), range.start);
            } else {
                let id = &node.id;
                let first = first_use.get(id).copied().unwrap_or(0);
                let line = LineIndex::new(src.as_bytes()).line_col(first).line;
                diags.push(
                    Diagnostic::error(range, format!("duplicate id `{id}`")).with_hint(format!(
                        "ids are unique in a roadmap; `{id}` is first used on line {line}"
                    )),
                );
                node.id = NodeId::placeholder();
            }
        }
        stack.extend(node.children.iter_mut().rev());
    }
    let mut index = 0;
    derive_ids(root, None, side, &mut index, &mut ids, spans);
}

fn derive_ids(
    nodes: &mut [Node],
    parent: Option<&NodeId>,
    side: &[Side],
    index: &mut usize,
    ids: &mut IdAllocator,
    spans: &mut Spans,
) {
    for node in nodes {
        let here = side.get(*index);
        *index += 1;
        if node.id.is_placeholder() {
            node.id = ids.derive(node.title.as_markdown(), node.kind, parent);
        }
        if let Some(s) = here {
            spans.nodes.push(s.range.clone());
            if let Some(l) = &s.levels_label
                && !node.content.levels.is_empty()
            {
                spans.levels.push((node.id.clone(), l.clone()));
            }
            for (rel, range) in node.content.related.iter().zip(&s.related_ranges) {
                spans
                    .related
                    .push((node.id.clone(), rel.clone(), range.clone()));
            }
        }
        let Node { id, children, .. } = node;
        derive_ids(children, Some(id), side, index, ids, spans);
    }
}

/// A topic file's problem, with the file's topic id.
#[derive(Debug, Clone)]
pub struct TopicFileProblem {
    pub id: String,
    pub diagnostic: Diagnostic,
}

/// Merges topic files (`topics/<id>.md`: id and bytes) into a parsed roadmap: each file's
/// content replaces its topic's. A file whose id is no node of the roadmap, and every problem
/// inside a file, is reported against that file.
pub fn merge_topic_files<'a>(
    parsed: &mut Parsed,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Vec<TopicFileProblem> {
    let mut problems = Vec::new();
    for (id, bytes) in files {
        let content = parse_content(bytes);
        for d in content.diagnostics {
            problems.push(TopicFileProblem {
                id: id.to_owned(),
                diagnostic: d,
            });
        }
        match parsed.roadmap.find_mut(id) {
            Some(n) => n.content = content.content,
            None => problems.push(TopicFileProblem {
                id: id.to_owned(),
                diagnostic: Diagnostic::error(
                    0..0,
                    format!("no topic `{id}` in `{}`", parsed.roadmap.id),
                )
                .with_hint(
                    "name the file after a topic id (`leadmap show ROADMAP --json` lists them)",
                ),
            }),
        }
    }
    problems
}
