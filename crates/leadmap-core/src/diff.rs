//! What changed between two versions of a roadmap, node by node.
//!
//! Nodes are matched by id, never by title or position: ids are what progress is stored
//! against, so a node that kept its id is the same node whatever else changed, and a node
//! whose id changed is one removed and one added. [`suggest_map`] then proposes which removed
//! ids most likely live on under a new id (to carry progress over), by title similarity.
//!
//! Only the nodes are compared; the roadmap's own title, description and front matter are not.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::model::{Node, Roadmap};

/// A node named in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TopicRef {
    pub id: String,
    /// The title as plain text.
    pub title: String,
    /// `part`, `area`, `group`, `topic` or `subtopic`.
    pub kind: String,
}

impl TopicRef {
    fn of(n: &Node) -> Self {
        TopicRef {
            id: n.id.to_string(),
            title: n.title.plain(),
            kind: n.kind.as_str().to_owned(),
        }
    }
}

/// A node that kept its id under another title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub id: String,
    /// Plain text.
    pub old_title: String,
    /// Plain text.
    pub new_title: String,
}

/// A node that kept its id under another parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub id: String,
    /// The title in the new version, as plain text.
    pub title: String,
    /// The id of the node that held it; `None` at the top level of the roadmap.
    pub old_parent: Option<String>,
    pub new_parent: Option<String>,
}

/// The differences between two versions of a roadmap. Each list is in document order: the
/// old roadmap's for `removed`, the new one's for the others. One node can be in several
/// lists (renamed and moved, say), but never both added or removed and anything else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Ids only the new version has.
    pub added: Vec<TopicRef>,
    /// Ids only the old version has.
    pub removed: Vec<TopicRef>,
    /// Same id, another title (compared as plain text).
    pub renamed: Vec<Renamed>,
    /// Same id, another parent. A node that only changed place among its siblings is not
    /// moved.
    pub moved: Vec<Moved>,
    /// Same id, and its content (summary, steps, pitfalls, resources, related, templates,
    /// established), its emoji, its kind or only the Markdown of its title differs.
    pub content_changed: Vec<TopicRef>,
}

impl Diff {
    /// No node was added, removed, renamed, moved or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.moved.is_empty()
            && self.content_changed.is_empty()
    }

    /// One line for people: "2 added, 1 removed, 1 renamed, 0 moved, 3 with changed
    /// content", or "no changes".
    pub fn summary_line(&self) -> String {
        if self.is_empty() {
            return "no changes".to_owned();
        }
        format!(
            "{} added, {} removed, {} renamed, {} moved, {} with changed content",
            self.added.len(),
            self.removed.len(),
            self.renamed.len(),
            self.moved.len(),
            self.content_changed.len()
        )
    }
}

/// Every node with the id of its parent (`None` at the top level), depth first, in document
/// order. Iterative: the depth of the tree does not matter.
fn with_parents(r: &Roadmap) -> Vec<(&Node, Option<&str>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Node, Option<&str>)> =
        r.children.iter().rev().map(|n| (n, None)).collect();
    while let Some((n, parent)) = stack.pop() {
        out.push((n, parent));
        stack.extend(n.children.iter().rev().map(|c| (c, Some(n.id.as_str()))));
    }
    out
}

/// Compares two versions of a roadmap by node id. Should an id occur twice in one version
/// (a roadmap with errors), its first node stands for it.
pub fn diff(old: &Roadmap, new: &Roadmap) -> Diff {
    let old_nodes = with_parents(old);
    let new_nodes = with_parents(new);
    let mut old_by_id: FxHashMap<&str, (&Node, Option<&str>)> = FxHashMap::default();
    old_by_id.reserve(old_nodes.len());
    for &(n, parent) in &old_nodes {
        old_by_id.entry(n.id.as_str()).or_insert((n, parent));
    }

    let mut d = Diff::default();
    let mut new_ids: FxHashSet<&str> = FxHashSet::default();
    new_ids.reserve(new_nodes.len());
    for &(n, parent) in &new_nodes {
        let id = n.id.as_str();
        if !new_ids.insert(id) {
            continue;
        }
        let Some(&(o, old_parent)) = old_by_id.get(id) else {
            d.added.push(TopicRef::of(n));
            continue;
        };
        let (old_title, new_title) = (o.title.plain(), n.title.plain());
        let markdown_only = old_title == new_title && o.title != n.title;
        if old_title != new_title {
            d.renamed.push(Renamed {
                id: id.to_owned(),
                old_title,
                new_title: new_title.clone(),
            });
        }
        if old_parent != parent {
            d.moved.push(Moved {
                id: id.to_owned(),
                title: new_title,
                old_parent: old_parent.map(str::to_owned),
                new_parent: parent.map(str::to_owned),
            });
        }
        if o.content != n.content || o.emoji != n.emoji || o.kind != n.kind || markdown_only {
            d.content_changed.push(TopicRef::of(n));
        }
    }

    let mut old_ids: FxHashSet<&str> = FxHashSet::default();
    old_ids.reserve(old_nodes.len());
    for &(n, _) in &old_nodes {
        let id = n.id.as_str();
        if old_ids.insert(id) && !new_ids.contains(id) {
            d.removed.push(TopicRef::of(n));
        }
    }
    d
}

/// A proposed entry of an id map: progress on `from` probably belongs to `to` now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The removed node's id.
    pub from: String,
    /// The added node's id.
    pub to: String,
    pub from_title: String,
    pub to_title: String,
    /// How alike the two titles are, in percent (see [`suggest_map`]).
    pub score: u8,
}

/// The least [`Suggestion::score`] that [`suggest_map`] proposes, in percent.
pub const SUGGESTION_THRESHOLD: u8 = 50;

/// A word shared by more added titles than this does not, by itself, make a removed and an
/// added node worth comparing (it bounds the work on very large diffs; a diff smaller than
/// this is never affected).
const MAX_SHARERS: usize = 256;

/// Proposes id map entries for the removed nodes: for each, the added node whose title is
/// most alike, when they are alike enough.
///
/// How alike two titles are: each title becomes a set of words (lower case, split at
/// anything that is not a letter or a digit, short words such as "the", "and", "of" left out,
/// and a few English endings cut so that "Reviews" matches "Review" and "Recruiting" matches
/// "Recruitment"), and the score is the share of words the titles have in common (the
/// Jaccard index: common words over all words, in percent, rounded down). Pairs scoring at
/// least [`SUGGESTION_THRESHOLD`] (half of the words shared) are proposed; the best-scoring
/// pairs are taken first (ties in document order), each removed and each added node used at
/// most once. A topic or subtopic is only paired with a topic or subtopic, any other node only
/// with one of its own kind. The result is in the order of `d.removed`.
pub fn suggest_map(d: &Diff) -> Vec<Suggestion> {
    let removed: Vec<Vec<String>> = d.removed.iter().map(|t| words(&t.title)).collect();
    let added: Vec<Vec<String>> = d.added.iter().map(|t| words(&t.title)).collect();
    let mut sharers: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (j, ws) in added.iter().enumerate() {
        for w in ws {
            sharers.entry(w.as_str()).or_default().push(j);
        }
    }

    let mut pairs: Vec<(u8, usize, usize)> = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, ws) in removed.iter().enumerate() {
        candidates.clear();
        for w in ws {
            if let Some(js) = sharers.get(w.as_str())
                && js.len() <= MAX_SHARERS
            {
                candidates.extend_from_slice(js);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            if !pairable(&d.removed[i].kind, &d.added[j].kind) {
                continue;
            }
            let score = jaccard_percent(ws, &added[j]);
            if score >= SUGGESTION_THRESHOLD {
                pairs.push((score, i, j));
            }
        }
    }
    pairs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

    let mut removed_used = vec![false; d.removed.len()];
    let mut added_used = vec![false; d.added.len()];
    let mut chosen: Vec<(usize, usize, u8)> = Vec::new();
    for (score, i, j) in pairs {
        if removed_used[i] || added_used[j] {
            continue;
        }
        removed_used[i] = true;
        added_used[j] = true;
        chosen.push((i, j, score));
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|(i, j, score)| Suggestion {
            from: d.removed[i].id.clone(),
            to: d.added[j].id.clone(),
            from_title: d.removed[i].title.clone(),
            to_title: d.added[j].title.clone(),
            score,
        })
        .collect()
}

/// Whether a removed node of `a`'s kind may live on as an added node of `b`'s kind.
fn pairable(a: &str, b: &str) -> bool {
    let learnable = |k: &str| matches!(k, "topic" | "subtopic");
    a == b || (learnable(a) && learnable(b))
}

/// Words too common to say what a title is about.
const SHORT_WORDS: [&str; 18] = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "vs", "with", "your",
];

/// The sorted set of a title's words, as [`suggest_map`] compares them.
fn words(title: &str) -> Vec<String> {
    let lower = title.to_lowercase();
    let all: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let meaningful: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !SHORT_WORDS.contains(w))
        .collect();
    // A title of short words only ("To do") is still compared, by those words.
    let chosen = if meaningful.is_empty() {
        all
    } else {
        meaningful
    };
    let mut out: Vec<String> = chosen.into_iter().map(stem).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Cuts a few English endings, so that forms of one word compare equal: a plural `s` (or
/// `ies` to `y`), then one of `ment`, `ing`, `ion`, `ed`, `er`, then a final `e`; never down
/// to fewer than three letters. Crude, but the same on both sides, which is what matters.
fn stem(word: &str) -> String {
    let long_enough = |s: &str| s.chars().count() >= 3;
    if let Some(base) = word.strip_suffix("ies")
        && long_enough(base)
    {
        return format!("{base}y");
    }
    let mut s = word;
    if let Some(base) = s.strip_suffix('s')
        && !base.ends_with('s')
        && long_enough(base)
    {
        s = base;
    }
    for ending in ["ment", "ing", "ion", "ed", "er"] {
        if let Some(base) = s.strip_suffix(ending)
            && long_enough(base)
        {
            s = base;
            break;
        }
    }
    if let Some(base) = s.strip_suffix('e')
        && long_enough(base)
    {
        s = base;
    }
    s.to_owned()
}

/// Common words over all words of two sorted sets, in percent, rounded down (0 when both are
/// empty).
fn jaccard_percent(a: &[String], b: &[String]) -> u8 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let all = a.len() + b.len() - common;
    if all == 0 {
        return 0;
    }
    u8::try_from(common * 100 / all).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_compare_equal() {
        let same = |a: &str, b: &str| assert_eq!(stem(a), stem(b), "{a} / {b}");
        same("review", "reviews");
        same("recruitment", "recruiting");
        same("delegation", "delegating");
        same("value", "values");
        same("strategy", "strategies");
        same("process", "processes");
        same("meeting", "meetings");
        assert_ne!(stem("vision"), stem("mission"));
        assert_ne!(stem("onboarding"), stem("offboarding"));
        assert_eq!(stem("ops"), "ops");
        assert_eq!(stem("was"), "was");
    }

    #[test]
    fn titles_score_by_shared_words() {
        let score = |a: &str, b: &str| jaccard_percent(&words(a), &words(b));
        assert_eq!(score("Code Review", "Code reviews"), 100);
        assert_eq!(score("Hiring", "The hiring process"), 50);
        assert_eq!(score("Define Core Values", "Define team values"), 50);
        assert_eq!(score("Team Building", "Team Meetings"), 33);
        assert_eq!(score("Vision", "Mission"), 0);
        assert_eq!(score("!!!", "???"), 0);
        assert_eq!(score("Über-Planung", "über planung"), 100);
    }
}
