//! The roadmap model: a tree of nodes with stable ids.
//!
//! Values of the newtypes here are valid by construction ("parse, don't validate"):
//! a [`NodeId`] only ever holds characters an id may hold, a [`Title`] only ever holds a
//! single line of inline Markdown that the format can print and read back unchanged.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::assessment::Level;

/// The longest id we accept, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// A stable identifier of a node (or of a roadmap): ASCII letters, digits, `-`, `_` and `.`,
/// starting with a letter or a digit, at most [`MAX_ID_LEN`] bytes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct NodeId(String);

/// Why a string is not a valid [`NodeId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id cannot be empty")]
    Empty,
    #[error("an id is at most {MAX_ID_LEN} bytes long")]
    TooLong,
    #[error("an id must start with a letter or a digit")]
    BadStart,
    #[error("an id may only hold ASCII letters, digits, `-`, `_` and `.`; found {0:?}")]
    BadChar(char),
}

impl NodeId {
    /// Checks `s` and makes an id of it.
    pub fn new(s: &str) -> Result<Self, IdError> {
        let first = s.chars().next().ok_or(IdError::Empty)?;
        if s.len() > MAX_ID_LEN {
            return Err(IdError::TooLong);
        }
        if !first.is_ascii_alphanumeric() {
            return Err(IdError::BadStart);
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            return Err(IdError::BadChar(c));
        }
        Ok(NodeId(s.to_owned()))
    }

    /// The id of a node whose id is not known yet (empty: no valid id is).
    pub(crate) fn placeholder() -> Self {
        NodeId(String::new())
    }

    pub(crate) fn is_placeholder(&self) -> bool {
        self.0.is_empty()
    }

    /// The id a roadmap gets when nothing better names it.
    pub fn default_roadmap() -> Self {
        NodeId("roadmap".to_owned())
    }

    /// A roadmap's id from a hint (a file name, say), else from its title, else `roadmap`.
    pub fn for_roadmap(hint: Option<&str>, title: &str) -> Self {
        hint.and_then(|h| NodeId::new(h).ok().or_else(|| slugify(h)))
            .or_else(|| slugify(title))
            .unwrap_or_else(NodeId::default_roadmap)
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NodeId::new(&s).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl AsRef<str> for NodeId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Makes an id-shaped slug of a title: lower-case ASCII words joined by `-`.
/// Returns `None` when nothing id-worthy is left (a title of emoji only, say).
pub fn slugify(title: &str) -> Option<NodeId> {
    let plain = crate::inline::plain_text_cow(title);
    // Parenthesised asides ("Onboarding (First day, First week)") do not name the node,
    // unless nothing else would.
    let mut depth = 0usize;
    let bare_has_words = plain.chars().any(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && c.is_ascii_alphanumeric()
    });
    let mut out = String::with_capacity(plain.len().min(64));
    let mut dash = false;
    depth = 0;
    for c in plain.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if bare_has_words && (depth > 0 || c == ')') {
            dash = true;
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            // "Manager's" -> "managers"; anything else separates words.
            dash = true;
        }
        if out.len() >= 60 && dash {
            break;
        }
    }
    // A word with no dash to stop at can run long: cut it (ASCII, so at any byte).
    out.truncate(MAX_ID_LEN);
    let keep = out.trim_end_matches('-').len();
    out.truncate(keep);
    // Only ASCII alphanumerics and inner dashes: a valid id when not empty.
    (!out.is_empty()).then_some(NodeId(out))
}

/// A node's title: one line of inline Markdown (text, `code`, *emphasis*, [links](…)),
/// trimmed, not empty, and shaped so that the format prints it and reads it back unchanged.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Title(String);

/// Why a string is not a valid [`Title`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("a title cannot be empty")]
    Empty,
    #[error("a title is one line")]
    Multiline,
    #[error("a title cannot start or end with white space")]
    Untrimmed,
    #[error("a title cannot start with an emoji (the emoji is kept apart)")]
    LeadingEmoji,
    #[error("this title would not read back the same from Markdown; escape its Markdown syntax")]
    NotRoundTrip,
}

impl Title {
    /// Checks `s` and makes a title of it. The check is exact: `s` is accepted only if the
    /// Markdown format reads it back unchanged both as a heading and as a list item.
    pub fn new(s: &str) -> Result<Self, TitleError> {
        if s.is_empty() {
            return Err(TitleError::Empty);
        }
        if s.contains(['\n', '\r']) {
            return Err(TitleError::Multiline);
        }
        if s.trim() != s || s.starts_with('\u{a0}') || s.ends_with('\u{a0}') {
            return Err(TitleError::Untrimmed);
        }
        if crate::emoji::split_leading_emoji(s).0.is_some() {
            return Err(TitleError::LeadingEmoji);
        }
        if !crate::markdown::title_round_trips(s) {
            return Err(TitleError::NotRoundTrip);
        }
        Ok(Title(s.to_owned()))
    }

    /// Makes a title of plain text (no Markdown meant): escapes what Markdown would read
    /// as syntax, collapses white space. `None` when nothing is left.
    pub fn from_plain(s: &str) -> Option<Self> {
        let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return None;
        }
        let escaped = crate::inline::escape_plain(&collapsed);
        Title::new(&escaped).ok()
    }

    /// Used by the parser, which read the text from the format itself.
    pub(crate) fn trusted(s: String) -> Self {
        Title(s)
    }

    /// The Markdown source of the title.
    pub fn as_markdown(&self) -> &str {
        &self.0
    }

    /// The title as plain text, Markdown syntax removed.
    pub fn plain(&self) -> String {
        crate::inline::plain_text(&self.0)
    }
}

impl fmt::Debug for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a node is in the tree. Structure sets it (see `docs/format.md`); `{.part}` and
/// `{.group}` override it where the format allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Part,
    Area,
    Group,
    Topic,
    Subtopic,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Part => "part",
            Kind::Area => "area",
            Kind::Group => "group",
            Kind::Topic => "topic",
            Kind::Subtopic => "subtopic",
        }
    }

    /// Topics and subtopics are what a person learns and marks; the rest organise them.
    pub fn is_learnable(self) -> bool {
        matches!(self, Kind::Topic | Kind::Subtopic)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of resource a roadmap may list, each written as a leading word (`book: …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Book,
    Article,
    Video,
    Talk,
    Podcast,
    Course,
    Tool,
    Community,
    Newsletter,
    Template,
    Website,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 11] = [
        ResourceKind::Book,
        ResourceKind::Article,
        ResourceKind::Video,
        ResourceKind::Talk,
        ResourceKind::Podcast,
        ResourceKind::Course,
        ResourceKind::Tool,
        ResourceKind::Community,
        ResourceKind::Newsletter,
        ResourceKind::Template,
        ResourceKind::Website,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Book => "book",
            ResourceKind::Article => "article",
            ResourceKind::Video => "video",
            ResourceKind::Talk => "talk",
            ResourceKind::Podcast => "podcast",
            ResourceKind::Course => "course",
            ResourceKind::Tool => "tool",
            ResourceKind::Community => "community",
            ResourceKind::Newsletter => "newsletter",
            ResourceKind::Template => "template",
            ResourceKind::Website => "website",
        }
    }

    /// Reads a kind word, case-insensitively.
    pub fn parse(word: &str) -> Option<Self> {
        let w = word.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.as_str() == w)
    }
}

/// A book, talk, tool … that helps with a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub kind: ResourceKind,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub year: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
}

/// A link to a related node: in this roadmap (`roadmap` is `None`) or in another one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Related {
    pub roadmap: Option<NodeId>,
    pub id: NodeId,
}

impl Related {
    /// Reads `topic-id` or `roadmap-id:topic-id`.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim().trim_start_matches('#');
        match s.split_once(':') {
            Some((r, id)) => Ok(Related {
                roadmap: Some(NodeId::new(r.trim())?),
                id: NodeId::new(id.trim().trim_start_matches('#'))?,
            }),
            None => Ok(Related {
                roadmap: None,
                id: NodeId::new(s)?,
            }),
        }
    }
}

impl fmt::Display for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.roadmap {
            Some(r) => write!(f, "{r}:{}", self.id),
            None => write!(f, "{}", self.id),
        }
    }
}

impl Serialize for Related {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What a node teaches. Every part is optional; Markdown strings are kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Content {
    /// What it is and why it matters (Markdown blocks).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// How to start: concrete steps (Markdown, one per step).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    /// Common mistakes and what to do instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pitfalls: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Ids of templates that serve this node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<NodeId>,
    /// For a practice: what "established" looks like (Markdown blocks).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub established: String,
    /// For a practice: what it looks like at each level of the assessment scale (`Levels:`),
    /// in scale order, each level at most once; any of the five may be left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelCriterion>,
}

/// One item of a `Levels:` block: what a practice looks like at one level of the scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelCriterion {
    /// Serialised as the level's word (`ad-hoc`).
    pub level: Level,
    /// Markdown: what an assessor sees at this level; not empty.
    pub text: String,
}

impl Content {
    pub fn is_empty(&self) -> bool {
        self == &Content::default()
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    pub id: NodeId,
    pub kind: Kind,
    pub title: Title,
    pub emoji: Option<String>,
    pub content: Content,
    pub children: Vec<Node>,
}

impl Node {
    pub fn new(id: NodeId, kind: Kind, title: Title) -> Self {
        Node {
            id,
            kind,
            title,
            emoji: None,
            content: Content::default(),
            children: Vec::new(),
        }
    }

    /// This node and all below it, depth first, in document order.
    pub fn walk(&self) -> Walk<'_> {
        Walk { stack: vec![self] }
    }
}

/// Depth-first iterator over nodes (iterative: no recursion, whatever the depth).
#[derive(Debug)]
pub struct Walk<'a> {
    stack: Vec<&'a Node>,
}

impl<'a> Iterator for Walk<'a> {
    type Item = &'a Node;
    fn next(&mut self) -> Option<&'a Node> {
        let n = self.stack.pop()?;
        self.stack.extend(n.children.iter().rev());
        Some(n)
    }
}

/// The front matter: facts about the roadmap as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "license")]
    pub licence: Option<String>,
    /// Where the roadmap comes from (a URL or a sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Who to thank, as one line of Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<String>,
    /// The topics are practices an organisation establishes: each one says what
    /// "established" looks like (`check --strict` asks for it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub practices: bool,
}

/// A whole roadmap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Roadmap {
    pub id: NodeId,
    pub title: Title,
    /// Markdown blocks between the title and the first part or area.
    pub description: String,
    pub meta: Meta,
    pub children: Vec<Node>,
}

impl Roadmap {
    /// Every node, depth first, in document order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().flat_map(Node::walk)
    }

    /// Finds a node by id.
    pub fn find(&self, id: &str) -> Option<&Node> {
        self.nodes().find(|n| n.id.as_str() == id)
    }

    /// Finds a node by id, to change it.
    pub fn find_mut(&mut self, id: &str) -> Option<&mut Node> {
        let mut stack: Vec<&mut Node> = self.children.iter_mut().collect();
        while let Some(n) = stack.pop() {
            if n.id.as_str() == id {
                return Some(n);
            }
            stack.extend(n.children.iter_mut());
        }
        None
    }

    /// How many nodes of a kind the roadmap has.
    pub fn count(&self, kind: Kind) -> usize {
        self.nodes().filter(|n| n.kind == kind).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_what_they_cannot_hold() {
        assert_eq!(NodeId::new(""), Err(IdError::Empty));
        assert_eq!(NodeId::new("-a"), Err(IdError::BadStart));
        assert_eq!(NodeId::new("a b"), Err(IdError::BadChar(' ')));
        assert_eq!(NodeId::new(&"a".repeat(129)), Err(IdError::TooLong));
        assert!(NodeId::new("oZmRJeVNdzkIlTnDS3yK").is_ok());
    }

    #[test]
    fn slugs_are_ascii_words() {
        let s = |t: &str| slugify(t).map(|i| i.to_string());
        assert_eq!(
            s("Setting up a Vision & Mission").as_deref(),
            Some("setting-up-a-vision-mission")
        );
        assert_eq!(
            s("EM vs Tech Lead vs IC").as_deref(),
            Some("em-vs-tech-lead-vs-ic")
        );
        assert_eq!(
            s("The Manager's Path").as_deref(),
            Some("the-managers-path")
        );
        assert_eq!(s("Use `git` *well*").as_deref(), Some("use-git-well"));
        assert_eq!(s("💯"), None);
        assert_eq!(
            s("Oversee Recruitment (Screening, Offer)").as_deref(),
            Some("oversee-recruitment")
        );
        assert_eq!(s("(only aside)").as_deref(), Some("only-aside"));
        // A long word is cut to a valid id.
        let long = slugify(&"z".repeat(300)).unwrap();
        assert_eq!(long.as_str().len(), MAX_ID_LEN);
        assert_eq!(NodeId::new(long.as_str()).as_ref(), Ok(&long));
    }

    #[test]
    fn titles_refuse_what_would_not_read_back() {
        assert!(Title::new("Define Core Values").is_ok());
        assert!(Title::new("Use `git` and *care*").is_ok());
        assert_eq!(Title::new(" x"), Err(TitleError::Untrimmed));
        assert_eq!(Title::new("a\nb"), Err(TitleError::Multiline));
        assert_eq!(Title::new("# heading"), Err(TitleError::NotRoundTrip));
        assert_eq!(Title::new("💯 Integrity"), Err(TitleError::LeadingEmoji));
        assert_eq!(
            Title::from_plain("# heading *stars*").map(|t| t.plain()),
            Some("# heading *stars*".to_owned())
        );
    }
}

/// Hands out unique ids: explicit ones are reserved first, the rest derived from titles
/// (`slug`, then `parent-slug`, then `parent-slug-2` …), deterministically in call order.
#[derive(Debug, Default, Clone)]
pub struct IdAllocator {
    taken: rustc_hash::FxHashSet<NodeId>,
    /// For a base that needed a number: the next number to try.
    next_suffix: rustc_hash::FxHashMap<NodeId, u64>,
    counter: usize,
}

impl IdAllocator {
    pub fn new() -> Self {
        Self::default()
    }

    /// An allocator with room for `n` ids.
    pub fn with_capacity(n: usize) -> Self {
        let mut a = Self::default();
        a.taken.reserve(n);
        a
    }

    /// Reserves an explicit id; `false` when it was already taken.
    pub fn reserve(&mut self, id: &NodeId) -> bool {
        self.taken.insert(id.clone())
    }

    pub fn is_taken(&self, id: &NodeId) -> bool {
        self.taken.contains(id)
    }

    /// Derives a fresh id for a node titled `title` (inline Markdown) under `parent`.
    pub fn derive(&mut self, title: &str, kind: Kind, parent: Option<&NodeId>) -> NodeId {
        let slug = match slugify(title) {
            Some(s) => s,
            None => loop {
                self.counter += 1;
                if let Ok(id) = NodeId::new(&format!("{kind}-{}", self.counter))
                    && !self.taken.contains(&id)
                {
                    break id;
                }
            },
        };
        let id = self.free(slug, parent);
        self.taken.insert(id.clone());
        id
    }

    fn free(&mut self, slug: NodeId, parent: Option<&NodeId>) -> NodeId {
        if !self.taken.contains(&slug) {
            return slug;
        }
        // Parent and slug are valid ids, so their join (cut short, no trailing dash) is one.
        let base = match parent {
            Some(p) => {
                let mut joined = String::with_capacity(p.0.len() + 1 + slug.0.len());
                joined.push_str(&p.0);
                joined.push('-');
                joined.push_str(&slug.0);
                joined.truncate(floor_char_boundary(&joined, MAX_ID_LEN - 8));
                let keep = joined.trim_end_matches('-').len();
                joined.truncate(keep);
                NodeId(joined)
            }
            None => slug,
        };
        if !self.taken.contains(&base) {
            return base;
        }
        let stem = base.as_str()[..floor_char_boundary(base.as_str(), MAX_ID_LEN - 8)].to_owned();
        let start = self.next_suffix.get(&base).copied().unwrap_or(2);
        let (n, id) = (start..)
            .filter_map(|n| NodeId::new(&format!("{stem}-{n}")).ok().map(|id| (n, id)))
            .find(|(_, id)| !self.taken.contains(id))
            .unwrap_or((start, base.clone()));
        self.next_suffix.insert(base, n + 1);
        id
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
