//! The roadmaps the app serves, prepared once at start: parsed, laid out, the SVG rendered as
//! a template with a hole per topic status, the JSON of `show --json`, each area's topics.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leadmap_core::progress::Status;
use leadmap_core::{Kind, Node, Roadmap};
use leadmap_render::{SvgTemplate, Theme};
use leadmap_store::Progress;

#[derive(Debug)]
pub struct Catalog {
    pub roadmaps: Vec<Arc<Entry>>,
}

#[derive(Debug)]
pub struct Entry {
    pub id: String,
    /// The id escaped for HTML.
    pub id_html: String,
    pub roadmap: Roadmap,
    pub svg: SvgTemplate,
    /// The roadmap's boxes without words, for the home page's card.
    pub thumbnail: leadmap_render::Thumbnail,
    /// `show --json`, serialised once.
    pub json: String,
    /// Every learnable topic (topics and subtopics), in roadmap order.
    pub topics: Vec<String>,
    topic_set: HashSet<String>,
    pub areas: Vec<Area>,
    /// Topic id → the index of its area in `areas`.
    area_of: HashMap<String, usize>,
}

#[derive(Debug)]
pub struct Area {
    pub id: String,
    pub title: String,
    /// The area's learnable topics in roadmap order, as the list view shows them.
    pub topics: Vec<TopicInfo>,
}

impl Area {
    /// The ids of the area's topics.
    pub fn topic_ids(&self) -> impl Iterator<Item = &String> {
        self.topics.iter().map(|t| &t.id)
    }
}

/// A learnable topic's words, prepared once (the list view and search read them per request).
#[derive(Debug, Clone)]
pub struct TopicInfo {
    pub id: String,
    pub title: String,
    /// The title in lower case, for search.
    pub folded: String,
    pub kind: &'static str,
    /// The id and the title escaped for HTML once, not on every page view.
    pub id_html: String,
    pub title_html: String,
    /// On the first topic of a group: the group's title, escaped for HTML (the list view
    /// shows it as a heading above the topic).
    pub group_html: Option<String>,
    /// Whether the topic is inside a group (the list view indents it).
    pub in_group: bool,
}

/// `s` escaped for HTML text and attribute values (the five characters HTML gives meaning to,
/// as numeric references).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Counts of a person's progress over some topics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub done: usize,
    pub learning: usize,
    pub skipped: usize,
    pub pending: usize,
    /// (done + skipped) / topics as a percentage rounded to the nearest whole number (2 of 3
    /// is 67), but 1 once anything is finished and 99 until everything is, 0–100.
    pub percent: u32,
}

/// `part` of `whole` in whole percent, rounded to the nearest (halves up); any part shows at
/// least 1 % (marking the first topic of a long roadmap moves the bar) and only the whole
/// shows 100 % (a roadmap with one topic left is not finished).
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 || part == 0 {
        return 0;
    }
    if part >= whole {
        return 100;
    }
    let nearest = ((part * 200 + whole) / (whole * 2)) as u32;
    nearest.clamp(1, 99)
}

impl Summary {
    pub fn of<'a>(
        topics: impl Iterator<Item = &'a String>,
        status: impl Fn(&str) -> Status,
    ) -> Summary {
        let mut s = Summary::default();
        for t in topics {
            match status(t) {
                Status::Done => s.done += 1,
                Status::Learning => s.learning += 1,
                Status::Skipped => s.skipped += 1,
                Status::Pending => s.pending += 1,
            }
        }
        let total = s.done + s.learning + s.skipped + s.pending;
        let finished = s.done + s.skipped;
        s.percent = percent(finished, total);
        s
    }

    pub fn total(&self) -> usize {
        self.done + self.learning + self.skipped + self.pending
    }
}

impl Catalog {
    /// The bundled roadmaps.
    pub fn bundled() -> Catalog {
        let roadmaps = leadmap_bundled::ROADMAPS
            .iter()
            .map(|b| Arc::new(Entry::new(b.parse().roadmap)))
            .collect();
        Catalog { roadmaps }
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.shared(id).map(|e| &**e)
    }

    /// The entry of a bundled roadmap, to hold beyond a borrow of the catalog.
    pub fn shared(&self, id: &str) -> Option<&Arc<Entry>> {
        self.roadmaps.iter().find(|e| e.id == id)
    }
}

impl Entry {
    pub fn new(roadmap: Roadmap) -> Entry {
        let layout = leadmap_render::layout(&roadmap);
        let svg = SvgTemplate::new(&roadmap, &layout, Theme::Light);
        let thumbnail = leadmap_render::Thumbnail::new(&layout);
        let json = leadmap_core::json::to_json(&roadmap).to_string();
        let mut topics = Vec::new();
        let mut areas = Vec::new();
        let mut area_of = HashMap::new();
        let mut loose = Vec::new();
        // The title of the part that holds topics outside every area (an introduction).
        let mut loose_part: Option<&Node> = None;
        // Each node with the group it is in, if any.
        let mut stack: Vec<(&Node, Option<&Node>)> =
            roadmap.children.iter().rev().map(|n| (n, None)).collect();
        let mut current: Option<usize> = None;
        let mut part: Option<&Node> = None;
        // The group of the last topic listed, by id: a change starts a heading.
        let mut last_group: Option<&str> = None;
        while let Some((n, group)) = stack.pop() {
            match n.kind {
                Kind::Area => {
                    areas.push(Area {
                        id: n.id.to_string(),
                        title: n.title.plain(),
                        topics: Vec::new(),
                    });
                    current = Some(areas.len() - 1);
                    last_group = None;
                }
                Kind::Part => {
                    current = None;
                    part = Some(n);
                    last_group = None;
                }
                _ => {}
            }
            if n.kind.is_learnable() {
                let title = n.title.plain();
                let group_id = group.map(|g| g.id.as_str());
                let group_html = match group {
                    Some(g) if last_group != group_id => Some(escape_html(&g.title.plain())),
                    _ => None,
                };
                last_group = group_id;
                let info = TopicInfo {
                    id: n.id.to_string(),
                    folded: title.to_lowercase(),
                    id_html: escape_html(n.id.as_str()),
                    title_html: escape_html(&title),
                    title,
                    kind: n.kind.as_str(),
                    group_html,
                    in_group: group.is_some(),
                };
                if current.is_none() && loose_part.is_none() {
                    loose_part = part;
                }
                topics.push(n.id.to_string());
                match current {
                    Some(a) => {
                        area_of.insert(n.id.to_string(), a);
                        areas[a].topics.push(info);
                    }
                    None => loose.push(info),
                }
            }
            let inner = if n.kind == Kind::Group {
                Some(n)
            } else {
                group
            };
            stack.extend(n.children.iter().rev().map(|c| (c, inner)));
        }
        // Topics outside every area (an introduction part's) form an area of their own, first.
        if !loose.is_empty() {
            for v in area_of.values_mut() {
                *v += 1;
            }
            for t in &loose {
                area_of.insert(t.id.clone(), 0);
            }
            areas.insert(
                0,
                Area {
                    // The part's own id and title, as the diagram and the CLI show it (and
                    // its id lets the list reset it like any area).
                    id: loose_part.map(|p| p.id.to_string()).unwrap_or_default(),
                    title: loose_part.map_or_else(|| "Introduction".into(), |p| p.title.plain()),
                    topics: loose,
                },
            );
        }
        Entry {
            id: roadmap.id.to_string(),
            id_html: escape_html(roadmap.id.as_str()),
            topic_set: topics.iter().cloned().collect(),
            roadmap,
            svg,
            thumbnail,
            json,
            topics,
            areas,
            area_of,
        }
    }

    pub fn has_topic(&self, id: &str) -> bool {
        self.topic_set.contains(id)
    }

    pub fn area_of(&self, topic: &str) -> Option<&Area> {
        self.area_of.get(topic).map(|&i| &self.areas[i])
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn title(&self) -> String {
        self.roadmap.title.plain()
    }
}

/// A person's records of one roadmap, by topic id.
pub fn by_topic(records: Vec<Progress>) -> HashMap<String, Progress> {
    records.into_iter().map(|p| (p.topic.clone(), p)).collect()
}

pub fn status_in(map: &HashMap<String, Progress>, topic: &str) -> Status {
    map.get(topic).map(|p| p.status).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_the_nearest_but_never_to_nothing_or_to_all() {
        assert_eq!(percent(2, 3), 67, "2 of 3 rounds up");
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(1, 8), 13, "12.5 rounds half up");
        assert_eq!(percent(1, 245), 1, "the first topic moves the bar");
        assert_eq!(percent(244, 245), 99, "one topic left is not finished");
        assert_eq!(percent(245, 245), 100);
        assert_eq!((percent(0, 245), percent(0, 0)), (0, 0));
    }

    #[test]
    fn list_rows_carry_titles_escaped_once_and_every_topic_of_each_area() {
        let md = "# Map\n\n## Hiring & Firing\n\n- Write a \"job\" ad: 5 < 6\n  - Sub & topic\n- Plain\n";
        let e = Entry::new(leadmap_core::parse(md.as_bytes(), "map").roadmap);
        let area = &e.areas[0];
        assert_eq!(area.title, "Hiring & Firing");
        let titles: Vec<&str> = area.topics.iter().map(|r| r.title_html.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Write a &#34;job&#34; ad: 5 &#60; 6",
                "Sub &#38; topic",
                "Plain"
            ]
        );
        assert_eq!(area.topics[0].folded, "write a \"job\" ad: 5 < 6");
        assert_eq!(area.topics[1].kind, "subtopic");
        assert_eq!(
            area.topic_ids().collect::<Vec<_>>(),
            e.topics.iter().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_list_names_each_group_once_and_the_introduction_as_the_diagram_does() {
        let md = "# Map\n\n## Start {.part}\n\n- Why\n\n## Area\n\n### Group one\n\n- A\n  - A sub\n- B\n\n### Group two\n\n- C\n";
        let e = Entry::new(leadmap_core::parse(md.as_bytes(), "map").roadmap);
        assert_eq!(e.areas[0].title, "Start");
        assert_eq!(e.areas[0].id, "start");
        assert!(e.area("start").is_some(), "the introduction can be reset");
        let rows: Vec<(Option<&str>, bool)> = e.areas[1]
            .topics
            .iter()
            .map(|t| (t.group_html.as_deref(), t.in_group))
            .collect();
        assert_eq!(
            rows,
            [
                (Some("Group one"), true),
                (None, true),
                (None, true),
                (Some("Group two"), true)
            ]
        );
        let em = Catalog::bundled();
        let em = em.get("engineering-manager").unwrap();
        let groups = em
            .areas
            .iter()
            .flat_map(|a| &a.topics)
            .filter(|t| t.group_html.is_some())
            .count();
        assert_eq!(groups, 25, "every group of the Engineering Manager roadmap");
        assert_eq!(em.areas[0].title, "What is Engineering Management?");
    }
}
