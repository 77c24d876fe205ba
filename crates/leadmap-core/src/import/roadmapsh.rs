//! roadmap.sh JSON exports: React Flow `{"nodes": [...], "edges": [...]}`.
//!
//! What we read, and how (`docs/import.md` says the same for users):
//! - `title`: the top-most one names the roadmap;
//! - large `paragraph`s (short text, big font or big box) are area headings; an item belongs
//!   to the last heading above it;
//! - `section` boxes are groups; the top-most `label` inside one names it; topics belong to
//!   the smallest section that contains their centre;
//! - `topic` and `subtopic` nodes are topics; a subtopic joined by an edge to a topic is
//!   that topic's subtopic;
//! - with no area headings at all, each `topic` is an area and its subtopics its topics;
//! - everything else (button, legend, vertical, horizontal, linksgroup, checklist, small
//!   paragraphs, unknown types, dangling edges) is skipped, and every skip is reported.
//!
//! Order is top to bottom, then left to right. The export's node ids become our ids.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::import::{Imported, Progress};
use crate::model::{IdAllocator, Kind, Meta, Node, NodeId, Roadmap, Title, slugify};

#[derive(Debug, Clone)]
struct Item {
    id: String,
    ty: String,
    label: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    font: Option<f64>,
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
    Ok(Item {
        id,
        ty,
        label,
        x,
        y,
        w: size("width").unwrap_or(0.0).max(0.0),
        h: size("height").unwrap_or(0.0).max(0.0),
        font,
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
    let mut headings = Vec::new();
    let mut sections = Vec::new();
    let mut labels = Vec::new();
    let mut topics = Vec::new();
    let mut subtopics = Vec::new();
    for it in items {
        match it.ty.as_str() {
            "title" if !it.label.trim().is_empty() => titles.push(it),
            "paragraph" if is_heading(&it) => headings.push(it),
            "paragraph" => skips.add("paragraphs that are not area headings", &it.id),
            "section" if it.w > 0.0 && it.h > 0.0 => sections.push(it),
            "section" => skips.add("sections without a size", &it.id),
            "label" if !it.label.trim().is_empty() => labels.push(it),
            "topic" | "subtopic" if it.label.trim().is_empty() => {
                skips.add("topics without a label", &it.id)
            }
            "topic" => topics.push(it),
            "subtopic" => subtopics.push(it),
            "" => skips.add("nodes without a type", &it.id),
            other => skips.add(format!("`{other}` nodes"), &it.id),
        }
    }
    titles.sort_by(by_position);
    headings.sort_by(by_position);

    let mut title_iter = titles.into_iter();
    let title_item = title_iter.next();
    for extra in title_iter {
        skips.add("extra `title` nodes", &extra.id);
    }

    // Edges: which topic each subtopic hangs from.
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    let known: HashMap<&str, &str> = topics
        .iter()
        .map(|t| (t.id.as_str(), "topic"))
        .chain(subtopics.iter().map(|t| (t.id.as_str(), "subtopic")))
        .collect();
    let all_ids: std::collections::HashSet<&String> = seen_ids.keys().collect();
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
            if !all_ids.contains(&s.to_owned()) || !all_ids.contains(&t.to_owned()) {
                skips.add("edges to nodes that do not exist", &eid);
                continue;
            }
            match (known.get(s), known.get(t)) {
                (Some(&"topic"), Some(&"subtopic")) => {
                    links.entry(t.to_owned()).or_default().push(s.to_owned())
                }
                (Some(&"subtopic"), Some(&"topic")) => {
                    links.entry(s.to_owned()).or_default().push(t.to_owned())
                }
                _ => {}
            }
        }
    }

    // Subtopics joined to a topic hang under it; the others are topics in their own right.
    let topic_pos: HashMap<String, Item> =
        topics.iter().map(|t| (t.id.clone(), t.clone())).collect();
    let mut sub_of: HashMap<String, Vec<Item>> = HashMap::new();
    for s in subtopics {
        let parent = links.get(&s.id).and_then(|ps| {
            ps.iter()
                .filter_map(|p| topic_pos.get(p))
                .min_by(|a, b| dist(a, &s).total_cmp(&dist(b, &s)))
        });
        match parent {
            Some(p) => sub_of.entry(p.id.clone()).or_default().push(s),
            None => topics.push(s),
        }
    }
    topics.sort_by(by_position);
    for subs in sub_of.values_mut() {
        subs.sort_by(by_position);
    }

    let mut ids = IdAllocator::new();
    let mut make = |it: &Item,
                    kind: Kind,
                    parent: Option<&NodeId>,
                    diags: &mut Vec<Diagnostic>|
     -> Option<Node> {
        let (emoji, rest) = crate::emoji::split_leading_emoji(it.label.trim());
        let Some(title) = Title::from_plain(rest) else {
            diags.push(Diagnostic::unlocated(
                Severity::Warning,
                format!("skipped node `{}`: its label has no words", it.id),
            ));
            return None;
        };
        let id = match NodeId::new(&it.id) {
            Ok(id) if ids.reserve(&id) => id,
            Ok(_) | Err(_) => {
                let id = ids.derive(
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
        };
        let mut n = Node::new(id, kind, title);
        n.emoji = emoji.map(str::to_owned);
        Some(n)
    };

    let mut areas: Vec<Node> = Vec::new();
    if headings.is_empty() {
        // Spine layout: each topic is an area; its subtopics are its topics.
        for s in &sections {
            skips.add("sections (no area headings to place them under)", &s.id);
        }
        for l in &labels {
            skips.add("labels (no area headings to place them under)", &l.id);
        }
        for t in &topics {
            let Some(mut area) = make(t, Kind::Area, None, &mut diags) else {
                continue;
            };
            for s in sub_of.get(&t.id).into_iter().flatten() {
                if let Some(n) = make(s, Kind::Topic, Some(&area.id), &mut diags) {
                    area.children.push(n);
                }
            }
            areas.push(area);
        }
    } else {
        // Headed layout: areas from headings; sections and topics by position.
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
            heading_nodes.push(make(h, Kind::Area, None, &mut diags));
        }
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
                    x: 0.0,
                    y: f64::MIN,
                    w: 0.0,
                    h: 0.0,
                    font: None,
                };
                match make(&synthetic, Kind::Area, None, &mut diags) {
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
                        if let Some(n) = topic_node(t, &area.id, &mut make, &sub_of, &mut diags) {
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
                                    make(&named, Kind::Group, Some(&area.id), &mut diags)
                                else {
                                    continue;
                                };
                                for t in members {
                                    if let Some(n) =
                                        topic_node(t, &g.id, &mut make, &sub_of, &mut diags)
                                    {
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
                                    skips.add("section boxes without a label (their topics join the area)", &s.id);
                                } else {
                                    skips.add("sections with no topics inside", &s.id);
                                }
                                for t in members {
                                    if let Some(n) =
                                        topic_node(t, &area.id, &mut make, &sub_of, &mut diags)
                                    {
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
                format!("{n} items above the first area heading were put in an area named `Introduction`"),
            ));
        }
    }
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
    }
}

type Make<'a> = dyn FnMut(&Item, Kind, Option<&NodeId>, &mut Vec<Diagnostic>) -> Option<Node> + 'a;

fn topic_node(
    t: &Item,
    parent: &NodeId,
    make: &mut Make<'_>,
    sub_of: &HashMap<String, Vec<Item>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let mut n = make(t, Kind::Topic, Some(parent), diags)?;
    for s in sub_of.get(&t.id).into_iter().flatten() {
        if let Some(c) = make(s, Kind::Subtopic, Some(&n.id), diags) {
            n.children.push(c);
        }
    }
    Some(n)
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
