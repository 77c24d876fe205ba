//! roadmap.sh JSON exports: React Flow `{"nodes": [...], "edges": [...]}`.
//!
//! Two shapes (`docs/import.md` says the same for users):
//!
//! **Section-based** (area headings, and most `topic`s inside `section` boxes, as in the
//! Engineering Manager roadmap):
//! - large `paragraph`s (short text, big font or big box) are area headings; an item belongs
//!   to the last heading above it;
//! - `section` boxes are groups; the top-most `label` inside one names it; topics belong to
//!   the smallest section that contains their centre;
//! - a subtopic joined by an edge to a topic is that topic's subtopic, else a topic.
//!
//! **Spine** (everything else: `topic`s down a spine, `subtopic`s beside them, `checklist`s
//! in the beginner roadmaps):
//! - each `topic` is an area, in the order the edges between topics run (position where no
//!   edge leads on);
//! - each `subtopic` is a topic of the area whose topic an edge joins it to (through other
//!   subtopics too: those become its subtopics), else of the topic joined to the section box
//!   it sits in (or nearest that box), else of the nearest topic on its side of the spine;
//!   a labelled section is a group;
//! - each `checklist`'s items are topics of the nearest spine topic, in a group named by
//!   the `label` just above the checklist.
//!
//! Everything else (button, legend, todo, vertical, horizontal, linksgroup, small
//! paragraphs, unknown types, dangling edges) is skipped, and every skip is reported.
//! Order is top to bottom, then left to right. The export's node ids become our ids.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::import::{Imported, Placement, Progress};
use crate::model::{IdAllocator, Kind, Meta, Node, NodeId, Roadmap, Title, slugify};

#[derive(Debug, Clone, Default)]
struct Item {
    id: String,
    ty: String,
    label: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    font: Option<f64>,
    /// A checklist's items: (id, possibly empty; label).
    checks: Vec<(String, String)>,
}

impl Item {
    fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
    fn contains(&self, o: &Item) -> bool {
        let (cx, cy) = (o.cx(), o.cy());
        cx >= self.x && cx <= self.x + self.w && cy >= self.y && cy <= self.y + self.h
    }
}

fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
        Value::String(s) => s
            .trim()
            .trim_end_matches("px")
            .parse()
            .ok()
            .filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

/// A checklist's items: `data.checklists` (or `data.items`), each a string or an object
/// with an `id` and a `label` (or `text`, `title`).
fn read_checks(data: Option<&Value>) -> Vec<(String, String)> {
    let list = data
        .and_then(|d| d.get("checklists").or_else(|| d.get("items")))
        .and_then(Value::as_array);
    let mut out = Vec::new();
    for v in list.into_iter().flatten() {
        let (id, label) = match v {
            Value::String(s) => (String::new(), s.as_str()),
            Value::Object(o) => {
                let id = match o.get("id") {
                    Some(Value::String(s)) => s.trim().to_owned(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                let label = ["label", "text", "title"]
                    .iter()
                    .find_map(|k| o.get(*k).and_then(Value::as_str))
                    .unwrap_or("");
                (id, label)
            }
            _ => continue,
        };
        if !label.trim().is_empty() {
            out.push((id, label.to_owned()));
        }
    }
    out
}

fn read_item(v: &Value) -> Result<Item, String> {
    let id = match v.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("a node without an id".to_owned()),
    };
    let ty = v
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let data = v.get("data");
    let label = data
        .and_then(|d| d.get("label"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let pos = v.get("position").or_else(|| v.get("positionAbsolute"));
    let (Some(x), Some(y)) = (
        num(pos.and_then(|p| p.get("x"))),
        num(pos.and_then(|p| p.get("y"))),
    ) else {
        return Err(format!("node `{id}` has no position"));
    };
    let size = |key: &str| {
        num(v.get(key))
            .or_else(|| num(v.get("measured").and_then(|m| m.get(key))))
            .or_else(|| num(v.get("style").and_then(|m| m.get(key))))
            .or_else(|| num(data.and_then(|d| d.get("style")).and_then(|m| m.get(key))))
    };
    let font = num(data
        .and_then(|d| d.get("style"))
        .and_then(|s| s.get("fontSize")))
    .or_else(|| num(v.get("style").and_then(|s| s.get("fontSize"))));
    let checks = if ty == "checklist" {
        read_checks(data)
    } else {
        Vec::new()
    };
    Ok(Item {
        id,
        ty,
        label,
        x,
        y,
        w: size("width").unwrap_or(0.0).max(0.0),
        h: size("height").unwrap_or(0.0).max(0.0),
        font,
        checks,
    })
}

/// A paragraph that reads as a heading: a few words, no full stop, set large.
fn is_heading(p: &Item) -> bool {
    let label = p.label.trim();
    let words = label.split_whitespace().count();
    let short =
        (1..=8).contains(&words) && label.len() <= 80 && !label.ends_with(['.', ':', '!', '?']);
    let large = match p.font {
        Some(f) => f >= 18.0,
        None => p.h >= 40.0 && p.w >= 150.0,
    };
    short && large
}

fn by_position(a: &Item, b: &Item) -> std::cmp::Ordering {
    a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x))
}

/// Collects skipped nodes by reason, reported as one warning per reason.
#[derive(Default)]
struct Skips(BTreeMap<String, Vec<String>>);

impl Skips {
    fn add(&mut self, why: impl Into<String>, id: &str) {
        self.0.entry(why.into()).or_default().push(id.to_owned());
    }
    fn report(self, diags: &mut Vec<Diagnostic>) {
        for (why, ids) in self.0 {
            diags.push(Diagnostic::unlocated(
                Severity::Warning,
                format!("skipped {} {why}: {}", ids.len(), ids.join(", ")),
            ));
        }
    }
}

/// Makes nodes from items, keeping the export's ids where they are valid and unique.
#[derive(Default)]
struct Maker {
    ids: IdAllocator,
}

impl Maker {
    /// An item with an empty id gets one derived from its title, silently.
    fn make(
        &mut self,
        it: &Item,
        kind: Kind,
        parent: Option<&NodeId>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Node> {
        let (emoji, rest) = crate::emoji::split_leading_emoji(it.label.trim());
        let Some(title) = Title::from_plain(rest) else {
            diags.push(Diagnostic::unlocated(
                Severity::Warning,
                format!("skipped node `{}`: its label has no words", it.id),
            ));
            return None;
        };
        let id = if it.id.is_empty() {
            self.ids.derive(title.as_markdown(), kind, parent)
        } else {
            match NodeId::new(&it.id) {
                Ok(id) if self.ids.reserve(&id) => id,
                Ok(_) | Err(_) => {
                    let id = self.ids.derive(
                        &slugify(&it.id)
                            .map_or_else(|| title.as_markdown().to_owned(), |s| s.to_string()),
                        kind,
                        parent,
                    );
                    diags.push(Diagnostic::unlocated(
                        Severity::Warning,
                        format!(
                            "node id `{}` cannot be kept as it is; it is `{id}` here",
                            it.id
                        ),
                    ));
                    id
                }
            }
        };
        let mut n = Node::new(id, kind, title);
        n.emoji = emoji.map(str::to_owned);
        Some(n)
    }
}

/// The nodes an import works with, sorted by kind.
#[derive(Default)]
struct Found {
    paragraphs: Vec<Item>,
    sections: Vec<Item>,
    labels: Vec<Item>,
    topics: Vec<Item>,
    subtopics: Vec<Item>,
    checklists: Vec<Item>,
    /// Edges between nodes that exist: (source, target).
    edges: Vec<(String, String)>,
}

pub fn import(input: &[u8], id_hint: Option<&str>, progress: Progress<'_>) -> Imported {
    let mut diags = Vec::new();
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let doc: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            let offset = offset_of(input, e.line(), e.column());
            diags.push(
                Diagnostic::error(offset..offset, format!("not valid JSON: {e}"))
                    .with_hint("a roadmap.sh export is a JSON object with `nodes` and `edges`"),
            );
            return Imported {
                roadmap: None,
                diagnostics: diags,
                placement: None,
            };
        }
    };
    let Some(nodes) = doc.get("nodes").and_then(Value::as_array) else {
        diags.push(
            Diagnostic::unlocated(Severity::Error, "no `nodes` array")
                .with_hint("a roadmap.sh export is a JSON object with `nodes` and `edges`"),
        );
        return Imported {
            roadmap: None,
            diagnostics: diags,
            placement: None,
        };
    };
    let total = nodes.len() as u64;
    let mut skips = Skips::default();
    let mut items: Vec<Item> = Vec::with_capacity(nodes.len());
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    for (i, v) in nodes.iter().enumerate() {
        if i % 1024 == 0 {
            progress(i as u64, total);
        }
        match read_item(v) {
            Ok(it) => {
                if seen_ids.insert(it.id.clone(), i).is_some() {
                    skips.add("nodes whose id repeats an earlier node's", &it.id);
                } else {
                    items.push(it);
                }
            }
            Err(why) => diags.push(Diagnostic::unlocated(
                Severity::Warning,
                format!("skipped node #{i}: {why}"),
            )),
        }
    }
    progress(total, total);

    let mut titles = Vec::new();
    let mut found = Found::default();
    for it in items {
        match it.ty.as_str() {
            "title" if !it.label.trim().is_empty() => titles.push(it),
            "paragraph" => found.paragraphs.push(it),
            "section" if it.w > 0.0 && it.h > 0.0 => found.sections.push(it),
            "section" => skips.add("sections without a size", &it.id),
            "label" if !it.label.trim().is_empty() => found.labels.push(it),
            "topic" | "subtopic" if it.label.trim().is_empty() => {
                skips.add("topics without a label", &it.id)
            }
            "topic" => found.topics.push(it),
            "subtopic" => found.subtopics.push(it),
            "checklist" => found.checklists.push(it),
            "" => skips.add("nodes without a type", &it.id),
            other => skips.add(format!("`{other}` nodes"), &it.id),
        }
    }
    titles.sort_by(by_position);
    let mut title_iter = titles.into_iter();
    let title_item = title_iter.next();
    for extra in title_iter {
        skips.add("extra `title` nodes", &extra.id);
    }

    if let Some(edges) = doc.get("edges").and_then(Value::as_array) {
        for (i, e) in edges.iter().enumerate() {
            let eid = e
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| format!("#{i}"), str::to_owned);
            let src = e.get("source").and_then(Value::as_str);
            let dst = e.get("target").and_then(Value::as_str);
            let (Some(s), Some(t)) = (src, dst) else {
                skips.add("edges without a source or a target", &eid);
                continue;
            };
            if !seen_ids.contains_key(s) || !seen_ids.contains_key(t) {
                skips.add("edges to nodes that do not exist", &eid);
                continue;
            }
            found.edges.push((s.to_owned(), t.to_owned()));
        }
    }

    // The section-based shape has area headings and most topics inside section boxes.
    let heading_count = found.paragraphs.iter().filter(|p| is_heading(p)).count();
    let boxed = found
        .topics
        .iter()
        .filter(|t| found.sections.iter().any(|s| s.contains(t)))
        .count();
    let section_based = heading_count > 0 && boxed * 2 >= found.topics.len();
    let mut maker = Maker::default();
    let (areas, placement) = if section_based {
        headed(found, &mut maker, &mut skips, &mut diags)
    } else {
        spine(found, &mut maker, &mut skips, &mut diags)
    };
    skips.report(&mut diags);

    let title = title_item
        .as_ref()
        .and_then(|t| Title::from_plain(t.label.trim()))
        .unwrap_or_else(|| {
            diags.push(Diagnostic::unlocated(
                Severity::Warning,
                "no `title` node; the roadmap is called `Imported roadmap`",
            ));
            Title::trusted("Imported roadmap".to_owned())
        });
    let id = NodeId::for_roadmap(id_hint, title.as_markdown());
    if areas.is_empty() {
        diags.push(Diagnostic::unlocated(
            Severity::Error,
            "found no topics to import",
        ));
    }
    Imported {
        roadmap: Some(Roadmap {
            id,
            title,
            description: String::new(),
            meta: Meta::default(),
            children: areas,
        }),
        diagnostics: diags,
        placement: Some(placement),
    }
}

/// Which subtopics hang from which topic by an edge (the nearest topic when several).
fn linked_subtopics(
    topics: &[Item],
    subtopics: Vec<Item>,
    edges: &[(String, String)],
) -> (HashMap<String, Vec<Item>>, Vec<Item>) {
    let topic_pos: HashMap<&str, &Item> = topics.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut links: HashMap<&str, Vec<&str>> = HashMap::new();
    for (s, t) in edges {
        if topic_pos.contains_key(s.as_str()) {
            links.entry(t.as_str()).or_default().push(s.as_str());
        }
        if topic_pos.contains_key(t.as_str()) {
            links.entry(s.as_str()).or_default().push(t.as_str());
        }
    }
    let mut sub_of: HashMap<String, Vec<Item>> = HashMap::new();
    let mut unlinked = Vec::new();
    for s in subtopics {
        let parent = links.get(s.id.as_str()).and_then(|ps| {
            ps.iter()
                .filter_map(|p| topic_pos.get(p))
                .min_by(|a, b| dist(a, &s).total_cmp(&dist(b, &s)))
        });
        match parent {
            Some(p) => sub_of.entry(p.id.clone()).or_default().push(s),
            None => unlinked.push(s),
        }
    }
    for subs in sub_of.values_mut() {
        subs.sort_by(by_position);
    }
    (sub_of, unlinked)
}

/// A checklist's items, in a group named by its label (or by its own label), else bare.
fn check_nodes<'a>(
    c: &Item,
    label: Option<&'a Item>,
    parent: &NodeId,
    maker: &mut Maker,
    used: &mut HashSet<&'a str>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Node> {
    let group = match label {
        // A label shared by two checklists names two groups; the second gets a new id.
        Some(l) if !used.insert(&l.id) => Some(Item {
            id: String::new(),
            ..l.clone()
        }),
        Some(l) => Some(l.clone()),
        None if !c.label.trim().is_empty() => Some(c.clone()),
        None => None,
    };
    let group = group.and_then(|g| maker.make(&g, Kind::Group, Some(parent), diags));
    let under = group.as_ref().map_or(parent, |g| &g.id).clone();
    let items: Vec<Node> = c
        .checks
        .iter()
        .filter_map(|(id, label)| {
            let it = Item {
                id: id.clone(),
                label: label.clone(),
                ..Item::default()
            };
            maker.make(&it, Kind::Topic, Some(&under), diags)
        })
        .collect();
    match group {
        Some(mut g) if !items.is_empty() => {
            g.children = items;
            vec![g]
        }
        _ => items,
    }
}

/// The section-based shape: areas from headings; sections and topics by position.
fn headed(
    found: Found,
    maker: &mut Maker,
    skips: &mut Skips,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Node>, Placement) {
    let Found {
        paragraphs,
        sections,
        labels,
        mut topics,
        subtopics,
        checklists,
        edges,
    } = found;
    let mut headings = Vec::new();
    for p in paragraphs {
        if is_heading(&p) {
            headings.push(p);
        } else {
            skips.add("paragraphs that are not area headings", &p.id);
        }
    }
    headings.sort_by(by_position);
    for c in &checklists {
        skips.add("`checklist` nodes", &c.id);
    }
    let mut placement = Placement::default();
    // Subtopics joined to a topic hang under it; the others are topics in their own right.
    let (sub_of, unlinked) = linked_subtopics(&topics, subtopics, &edges);
    placement.by_edge = sub_of.values().map(Vec::len).sum();
    topics.extend(unlinked);
    topics.sort_by(by_position);

    let area_of = |y: f64| headings.iter().rposition(|h| h.y <= y + 20.0);
    let mut intro: Vec<usize> = Vec::new();
    let mut group_of_topic: HashMap<String, usize> = HashMap::new();
    for t in &topics {
        let best = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.contains(t))
            .min_by(|(_, a), (_, b)| (a.w * a.h).total_cmp(&(b.w * b.h)));
        if let Some((si, _)) = best {
            group_of_topic.insert(t.id.clone(), si);
        }
    }
    placement.by_section = group_of_topic.len();
    placement.by_position = topics.len() - group_of_topic.len();
    // Each area's entries: (y, x, entry) where entry is a section or a lone topic.
    enum Entry<'a> {
        Section(usize),
        Topic(&'a Item),
    }
    let mut entries: Vec<Vec<(f64, f64, Entry<'_>)>> =
        (0..=headings.len()).map(|_| Vec::new()).collect();
    for (si, s) in sections.iter().enumerate() {
        let slot = area_of(s.y).map_or(0, |a| a + 1);
        entries[slot].push((s.y, s.x, Entry::Section(si)));
    }
    for t in &topics {
        if !group_of_topic.contains_key(&t.id) {
            let slot = area_of(t.y).map_or(0, |a| a + 1);
            entries[slot].push((t.y, t.x, Entry::Topic(t)));
        }
    }
    let mut heading_nodes: Vec<Option<Node>> = Vec::new();
    heading_nodes.push(None);
    for h in &headings {
        heading_nodes.push(maker.make(h, Kind::Area, None, diags));
    }
    let mut areas = Vec::new();
    for (slot, mut list) in entries.into_iter().enumerate() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let area = if slot == 0 {
            if list.is_empty() {
                continue;
            }
            intro.push(list.len());
            let synthetic = Item {
                id: "introduction".to_owned(),
                ty: "paragraph".to_owned(),
                label: "Introduction".to_owned(),
                y: f64::MIN,
                ..Item::default()
            };
            match maker.make(&synthetic, Kind::Area, None, diags) {
                Some(a) => a,
                None => continue,
            }
        } else {
            match heading_nodes[slot].take() {
                Some(a) => a,
                None => continue,
            }
        };
        let mut area = area;
        for (_, _, e) in list {
            match e {
                Entry::Topic(t) => {
                    if let Some(n) = topic_node(t, &area.id, maker, &sub_of, diags) {
                        area.children.push(n);
                    }
                }
                Entry::Section(si) => {
                    let s = &sections[si];
                    let mut members: Vec<&Item> = topics
                        .iter()
                        .filter(|t| group_of_topic.get(&t.id) == Some(&si))
                        .collect();
                    members.sort_by(|a, b| by_position(a, b));
                    let label = labels
                        .iter()
                        .filter(|l| s.contains(l))
                        .min_by(|a, b| by_position(a, b));
                    match label {
                        Some(l) => {
                            let named = Item {
                                id: s.id.clone(),
                                ..(*l).clone()
                            };
                            let Some(mut g) =
                                maker.make(&named, Kind::Group, Some(&area.id), diags)
                            else {
                                continue;
                            };
                            for t in members {
                                if let Some(n) = topic_node(t, &g.id, maker, &sub_of, diags) {
                                    g.children.push(n);
                                }
                            }
                            if g.children.is_empty() {
                                skips.add("sections with no topics inside", &s.id);
                            } else {
                                area.children.push(g);
                            }
                        }
                        None => {
                            if !members.is_empty() {
                                skips.add(
                                    "section boxes without a label (their topics join the area)",
                                    &s.id,
                                );
                            } else {
                                skips.add("sections with no topics inside", &s.id);
                            }
                            for t in members {
                                if let Some(n) = topic_node(t, &area.id, maker, &sub_of, diags) {
                                    area.children.push(n);
                                }
                            }
                        }
                    }
                }
            }
        }
        areas.push(area);
    }
    for l in &labels {
        if !sections.iter().any(|s| s.contains(l)) {
            skips.add("labels outside any section", &l.id);
        }
    }
    if let Some(n) = intro.first() {
        diags.push(Diagnostic::unlocated(
            Severity::Warning,
            format!(
                "{n} items above the first area heading were put in an area named `Introduction`"
            ),
        ));
    }
    (areas, placement)
}

fn topic_node(
    t: &Item,
    parent: &NodeId,
    maker: &mut Maker,
    sub_of: &HashMap<String, Vec<Item>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let mut n = maker.make(t, Kind::Topic, Some(parent), diags)?;
    for s in sub_of.get(&t.id).into_iter().flatten() {
        if let Some(c) = maker.make(s, Kind::Subtopic, Some(&n.id), diags) {
            n.children.push(c);
        }
    }
    Some(n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Edge,
    Section,
    Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Middle,
    Right,
}

/// The spine's topics and the x of the line they run down (the median of their centres).
struct Spine<'a> {
    topics: &'a [Item],
    x: f64,
}

impl Spine<'_> {
    fn side_of(&self, it: &Item) -> Side {
        if it.x <= self.x && self.x <= it.x + it.w {
            Side::Middle
        } else if it.cx() < self.x {
            Side::Left
        } else {
            Side::Right
        }
    }

    /// The topic nearest to `it` on its side of the spine (any topic when none is).
    fn nearest(&self, it: &Item) -> Option<usize> {
        let side = self.side_of(it);
        let opposite = |t: &Item| {
            matches!(
                (side, self.side_of(t)),
                (Side::Left, Side::Right) | (Side::Right, Side::Left)
            )
        };
        let pick = |same_side: bool| {
            self.topics
                .iter()
                .enumerate()
                .filter(|(_, t)| !same_side || !opposite(t))
                .min_by(|(_, a), (_, b)| box_dist(a, it).total_cmp(&box_dist(b, it)))
                .map(|(i, _)| i)
        };
        pick(true).or_else(|| pick(false))
    }
}

/// The gap between two boxes (0 when they touch or overlap).
fn box_dist(a: &Item, b: &Item) -> f64 {
    let dx = (a.x - (b.x + b.w)).max(b.x - (a.x + a.w)).max(0.0);
    let dy = (a.y - (b.y + b.h)).max(b.y - (a.y + a.h)).max(0.0);
    dx.hypot(dy)
}

/// The smallest section that contains the item's centre.
fn smallest_section(sections: &[Item], it: &Item) -> Option<usize> {
    sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.contains(it))
        .min_by(|(_, a), (_, b)| (a.w * a.h).total_cmp(&(b.w * b.h)))
        .map(|(i, _)| i)
}

/// The label just above a checklist (or at its top): overlapping it across, at most 80
/// units above it.
fn label_above<'a>(labels: &'a [Item], c: &Item) -> Option<&'a Item> {
    labels
        .iter()
        .filter(|l| {
            let across = l.x < c.x + c.w.max(1.0) && c.x < l.x + l.w.max(1.0);
            let gap = c.y - (l.y + l.h);
            across && l.cy() < c.cy() && gap <= 80.0
        })
        .max_by(|a, b| a.y.total_cmp(&b.y))
}

/// Which node an edge end is, in the spine shape.
#[derive(Clone, Copy)]
enum End {
    Topic(usize),
    Sub(usize),
    Section(usize),
    Other,
}

/// Places subtopics reached through subtopic-to-subtopic edges from the queued ones under
/// the same topic, as subtopics of the first subtopic of their chain.
fn spread(
    place: &mut [Option<(usize, Option<usize>, How)>],
    queue: &mut std::collections::VecDeque<usize>,
    sub_nb: &[Vec<usize>],
) {
    while let Some(s) = queue.pop_front() {
        let Some((t, parent, _)) = place[s] else {
            continue;
        };
        let root = parent.unwrap_or(s);
        for &n in &sub_nb[s] {
            if place[n].is_none() {
                place[n] = Some((t, Some(root), How::Edge));
                queue.push_back(n);
            }
        }
    }
}

/// The spine shape: each `topic` an area in spine order, its subtopics and checklist items
/// its topics.
fn spine(
    found: Found,
    maker: &mut Maker,
    skips: &mut Skips,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Node>, Placement) {
    let Found {
        paragraphs,
        sections,
        labels,
        mut topics,
        mut subtopics,
        mut checklists,
        edges,
    } = found;
    for p in &paragraphs {
        skips.add("`paragraph` nodes", &p.id);
    }
    if topics.is_empty() && !subtopics.is_empty() {
        diags.push(Diagnostic::unlocated(
            Severity::Warning,
            "no `topic` nodes: the subtopics are read as the spine",
        ));
        topics = std::mem::take(&mut subtopics);
    }
    topics.sort_by(by_position);
    subtopics.sort_by(by_position);
    checklists.sort_by(by_position);
    let (nt, ns, nk) = (topics.len(), subtopics.len(), sections.len());
    let mut ends: HashMap<&str, End> = HashMap::new();
    for (i, t) in topics.iter().enumerate() {
        ends.insert(&t.id, End::Topic(i));
    }
    for (i, s) in subtopics.iter().enumerate() {
        ends.insert(&s.id, End::Sub(i));
    }
    for (i, s) in sections.iter().enumerate() {
        ends.insert(&s.id, End::Section(i));
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); nt];
    let mut inn: Vec<Vec<usize>> = vec![Vec::new(); nt];
    let mut sub_topics: Vec<Vec<usize>> = vec![Vec::new(); ns];
    let mut sub_nb: Vec<Vec<usize>> = vec![Vec::new(); ns];
    let mut sec_topics: Vec<Vec<usize>> = vec![Vec::new(); nk];
    for (s, t) in &edges {
        let a = ends.get(s.as_str()).copied().unwrap_or(End::Other);
        let b = ends.get(t.as_str()).copied().unwrap_or(End::Other);
        match (a, b) {
            (End::Topic(a), End::Topic(b)) if a != b => {
                out[a].push(b);
                inn[b].push(a);
            }
            (End::Topic(t), End::Sub(s)) | (End::Sub(s), End::Topic(t)) => sub_topics[s].push(t),
            (End::Sub(a), End::Sub(b)) if a != b => {
                sub_nb[a].push(b);
                sub_nb[b].push(a);
            }
            (End::Topic(t), End::Section(k)) | (End::Section(k), End::Topic(t)) => {
                sec_topics[k].push(t)
            }
            _ => {}
        }
    }

    // The spine's order: follow edges (forward first, the top-most first), back up when a
    // branch ends, and start again from the top-most topic not reached.
    let nbrs: Vec<Vec<usize>> = (0..nt)
        .map(|i| {
            let (mut o, mut b) = (out[i].clone(), inn[i].clone());
            o.sort_unstable();
            b.sort_unstable();
            o.extend(b);
            o
        })
        .collect();
    let mut next_nbr = vec![0usize; nt];
    let mut seen = vec![false; nt];
    let mut order = Vec::with_capacity(nt);
    let mut followed = 0;
    for start in 0..nt {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        order.push(start);
        let mut path = vec![start];
        while let Some(&cur) = path.last() {
            let list = &nbrs[cur];
            while next_nbr[cur] < list.len() && seen[list[next_nbr[cur]]] {
                next_nbr[cur] += 1;
            }
            match list.get(next_nbr[cur]) {
                Some(&n) => {
                    seen[n] = true;
                    order.push(n);
                    followed += 1;
                    path.push(n);
                }
                None => {
                    path.pop();
                }
            }
        }
    }
    let mut xs: Vec<f64> = topics.iter().map(Item::cx).collect();
    xs.sort_by(f64::total_cmp);
    let spine_x = xs.get(xs.len() / 2).copied().unwrap_or(0.0);
    let spine = Spine {
        topics: &topics,
        x: spine_x,
    };

    // Subtopics: by edge (and along chains of subtopics), by section, by position.
    let mut place: Vec<Option<(usize, Option<usize>, How)>> = vec![None; ns];
    let mut queue = std::collections::VecDeque::new();
    for s in 0..ns {
        let it = &subtopics[s];
        let nearest = sub_topics[s]
            .iter()
            .copied()
            .min_by(|&a, &b| box_dist(&topics[a], it).total_cmp(&box_dist(&topics[b], it)));
        if let Some(t) = nearest {
            place[s] = Some((t, None, How::Edge));
            queue.push_back(s);
        }
    }
    spread(&mut place, &mut queue, &sub_nb);
    let section_of: Vec<Option<usize>> = subtopics
        .iter()
        .map(|s| smallest_section(&sections, s))
        .collect();
    let sec_topic: Vec<Option<usize>> = sections
        .iter()
        .enumerate()
        .map(|(k, sec)| {
            sec_topics[k]
                .iter()
                .copied()
                .min_by(|&a, &b| box_dist(&topics[a], sec).total_cmp(&box_dist(&topics[b], sec)))
                .or_else(|| spine.nearest(sec))
        })
        .collect();
    for s in 0..ns {
        if place[s].is_none()
            && let Some(t) = section_of[s].and_then(|k| sec_topic[k])
        {
            place[s] = Some((t, None, How::Section));
            queue.push_back(s);
        }
    }
    spread(&mut place, &mut queue, &sub_nb);
    for s in 0..ns {
        if place[s].is_none()
            && let Some(t) = spine.nearest(&subtopics[s])
        {
            place[s] = Some((t, None, How::Position));
            queue.push_back(s);
            spread(&mut place, &mut queue, &sub_nb);
        }
    }

    let section_label: Vec<Option<&Item>> = sections
        .iter()
        .map(|s| {
            labels
                .iter()
                .filter(|l| s.contains(l))
                .min_by(|a, b| by_position(a, b))
        })
        .collect();
    let mut used_labels: HashSet<&str> = HashSet::new();

    enum Entry {
        Sub(usize),
        Section(usize),
        Check(usize),
    }
    let mut placement = Placement::default();
    let mut per_topic: Vec<Vec<(f64, f64, Entry)>> = (0..nt).map(|_| Vec::new()).collect();
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); ns];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); nk];
    let mut unlabelled_sections: HashSet<usize> = HashSet::new();
    for s in 0..ns {
        let Some((t, parent, how)) = place[s] else {
            continue;
        };
        match how {
            How::Edge => placement.by_edge += 1,
            How::Section => placement.by_section += 1,
            How::Position => placement.by_position += 1,
        }
        if let Some(p) = parent {
            kids[p].push(s);
            continue;
        }
        match section_of[s] {
            Some(k) if sec_topic[k] == Some(t) && section_label[k].is_some() => {
                if members[k].is_empty() {
                    per_topic[t].push((sections[k].y, sections[k].x, Entry::Section(k)));
                }
                members[k].push(s);
            }
            Some(k) => {
                if section_label[k].is_none() {
                    unlabelled_sections.insert(k);
                }
                per_topic[t].push((subtopics[s].y, subtopics[s].x, Entry::Sub(s)));
            }
            None => per_topic[t].push((subtopics[s].y, subtopics[s].x, Entry::Sub(s))),
        }
    }
    for (k, s) in sections.iter().enumerate() {
        if !members[k].is_empty() {
            if let Some(l) = section_label[k] {
                used_labels.insert(&l.id);
            }
        } else if unlabelled_sections.contains(&k) {
            skips.add(
                "section boxes without a label (their subtopics join the topic)",
                &s.id,
            );
        } else {
            skips.add("sections that hold no subtopics", &s.id);
        }
    }

    // Checklists: their items under the nearest spine topic, grouped by the label above.
    let mut check_label: Vec<Option<&Item>> = vec![None; checklists.len()];
    let mut orphans = Vec::new();
    for (ci, c) in checklists.iter().enumerate() {
        if c.checks.is_empty() {
            skips.add("checklists without items", &c.id);
            continue;
        }
        check_label[ci] = label_above(&labels, c);
        match spine.nearest(c) {
            Some(t) => {
                placement.by_position += c.checks.len();
                per_topic[t].push((c.y, c.x, Entry::Check(ci)));
            }
            None => orphans.push(ci),
        }
    }

    let sub_node = |s: usize, parent: &NodeId, maker: &mut Maker, diags: &mut Vec<Diagnostic>| {
        let mut n = maker.make(&subtopics[s], Kind::Topic, Some(parent), diags)?;
        for &k in &kids[s] {
            if let Some(c) = maker.make(&subtopics[k], Kind::Subtopic, Some(&n.id), diags) {
                n.children.push(c);
            }
        }
        Some(n)
    };
    let mut areas = Vec::new();
    let mut lonely = Vec::new();
    for &t in &order {
        let Some(mut area) = maker.make(&topics[t], Kind::Area, None, diags) else {
            continue;
        };
        let mut list = std::mem::take(&mut per_topic[t]);
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for (_, _, e) in list {
            match e {
                Entry::Sub(s) => {
                    if let Some(n) = sub_node(s, &area.id, maker, diags) {
                        area.children.push(n);
                    }
                }
                Entry::Section(k) => {
                    let Some(l) = section_label[k] else { continue };
                    let named = Item {
                        id: sections[k].id.clone(),
                        ..l.clone()
                    };
                    if let Some(mut g) = maker.make(&named, Kind::Group, Some(&area.id), diags) {
                        for &s in &members[k] {
                            if let Some(n) = sub_node(s, &g.id, maker, diags) {
                                g.children.push(n);
                            }
                        }
                        if !g.children.is_empty() {
                            area.children.push(g);
                        }
                    }
                }
                Entry::Check(ci) => {
                    let nodes = check_nodes(
                        &checklists[ci],
                        check_label[ci],
                        &area.id,
                        maker,
                        &mut used_labels,
                        diags,
                    );
                    area.children.extend(nodes);
                }
            }
        }
        if area.children.is_empty() {
            // Nothing beside it: the topic is its area's only topic, so it can be marked.
            let alone = Item {
                id: String::new(),
                ..topics[t].clone()
            };
            if let Some(n) = maker.make(&alone, Kind::Topic, Some(&area.id), diags) {
                area.children.push(n);
                lonely.push(topics[t].id.clone());
            }
        }
        areas.push(area);
    }
    // No spine at all: each checklist is an area of its own.
    for ci in orphans {
        let c = &checklists[ci];
        let named = match check_label[ci] {
            Some(l) if used_labels.insert(&l.id) => l.clone(),
            Some(l) => Item {
                id: String::new(),
                ..l.clone()
            },
            None if c.label.trim().is_empty() => Item {
                label: "Checklist".to_owned(),
                ..c.clone()
            },
            None => c.clone(),
        };
        let Some(mut area) = maker.make(&named, Kind::Area, None, diags) else {
            continue;
        };
        let bare = Item {
            label: String::new(),
            ..c.clone()
        };
        area.children = check_nodes(&bare, None, &area.id, maker, &mut used_labels, diags);
        if !area.children.is_empty() {
            placement.by_position += area.children.len();
            areas.push(area);
        }
    }
    for l in &labels {
        if !used_labels.contains(l.id.as_str()) {
            skips.add("labels that name no section or checklist", &l.id);
        }
    }
    if !lonely.is_empty() {
        diags.push(Diagnostic::unlocated(
            Severity::Warning,
            format!(
                "{} spine topics have nothing beside them; each is its area's only topic: {}",
                lonely.len(),
                lonely.join(", ")
            ),
        ));
    }
    placement.spine = Some((order.len(), followed));
    (areas, placement)
}

fn dist(a: &Item, b: &Item) -> f64 {
    (a.cx() - b.cx()).hypot(a.cy() - b.cy())
}

/// Byte offset of a 1-based line and column as serde_json reports them.
fn offset_of(input: &[u8], line: usize, col: usize) -> usize {
    let mut off = 0;
    for (i, l) in input.split(|b| *b == b'\n').enumerate() {
        if i + 1 == line {
            return (off + col.saturating_sub(1)).min(input.len());
        }
        off += l.len() + 1;
    }
    input.len()
}
