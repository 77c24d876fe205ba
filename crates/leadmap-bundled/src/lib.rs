//! The roadmaps shipped inside the binary, as Markdown embedded at compile time.

use leadmap_core::{Parsed, parse};

/// One bundled roadmap: its id and its Markdown source.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub id: &'static str,
    pub file: &'static str,
    pub source: &'static str,
}

pub const ROADMAPS: &[Bundled] = &[
    Bundled {
        id: "engineering-leadership",
        file: "roadmaps/engineering-leadership.md",
        source: include_str!("../../../roadmaps/engineering-leadership.md"),
    },
    Bundled {
        id: "engineering-manager",
        file: "roadmaps/engineering-manager.md",
        source: include_str!("../../../roadmaps/engineering-manager.md"),
    },
];

/// Finds a bundled roadmap by id.
pub fn get(id: &str) -> Option<&'static Bundled> {
    ROADMAPS.iter().find(|b| b.id == id)
}

impl Bundled {
    pub fn parse(&self) -> Parsed {
        parse(self.source.as_bytes(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadmap_core::Kind;
    use leadmap_core::check::{NoOtherRoadmaps, check};

    fn titles(r: &leadmap_core::Roadmap, kind: Kind) -> Vec<String> {
        r.nodes()
            .filter(|n| n.kind == kind)
            .map(|n| n.title.plain())
            .collect()
    }

    #[test]
    fn every_bundled_roadmap_checks_clean() {
        for b in ROADMAPS {
            let p = b.parse();
            let diags = check(&p, &NoOtherRoadmaps);
            assert!(diags.is_empty(), "{}: {diags:#?}", b.id);
            assert_eq!(p.roadmap.id.as_str(), b.id);
            // The file is in its canonical form: `leadmap fmt` would not change it.
            assert_eq!(
                leadmap_core::print(&p.roadmap),
                b.source,
                "{} is not formatted",
                b.file
            );
        }
    }

    #[test]
    fn engineering_leadership_has_both_parts_24_areas_112_topics() {
        let r = get("engineering-leadership")
            .map(|b| b.parse().roadmap)
            .unwrap();
        assert_eq!(
            titles(&r, Kind::Part),
            ["Engineering", "Product & Business"]
        );
        assert_eq!(r.count(Kind::Area), 24);
        assert_eq!(r.count(Kind::Topic), 112);
        assert_eq!(r.children[0].children.len(), 15);
        assert_eq!(r.children[1].children.len(), 9);
        assert!(r.nodes().all(|n| n.kind == Kind::Part || n.emoji.is_some()));
        assert_eq!(
            r.find("talent-management").and_then(|n| n.emoji.as_deref()),
            Some("🧑\u{200d}🤝\u{200d}🧑")
        );
        assert!(
            r.meta
                .credits
                .as_deref()
                .unwrap_or("")
                .contains("Bazaar Technologies")
        );
    }

    #[test]
    fn engineering_manager_follows_the_recorded_grouping() {
        let r = get("engineering-manager")
            .map(|b| b.parse().roadmap)
            .unwrap();
        assert_eq!(r.count(Kind::Area), 9);
        assert_eq!(r.count(Kind::Group), 25);
        let intro = &r.children[0];
        assert_eq!(
            (intro.kind, intro.title.plain().as_str()),
            (Kind::Part, "What is Engineering Management?")
        );
        let in_areas: usize = r.children[1..]
            .iter()
            .flat_map(|a| a.walk())
            .filter(|n| n.kind == Kind::Topic)
            .count();
        assert_eq!(in_areas, 128);
        let intro_topics: Vec<String> = intro.walk().skip(1).map(|n| n.title.plain()).collect();
        assert_eq!(
            intro_topics,
            [
                "EM vs Tech Lead vs IC",
                "Key Focus Areas",
                "People",
                "Product",
                "Process"
            ]
        );
        // Repeated names keep distinct ids.
        for (id, title) in [
            ("stakeholder-management", "Stakeholder Management"),
            (
                "communication-stakeholder-management",
                "Stakeholder Management",
            ),
            (
                "organizational-change-stakeholder-management",
                "Stakeholder management",
            ),
            ("legacy-system-retirement", "Legacy System Retirement"),
            (
                "technical-change-legacy-system-retirement",
                "Legacy system retirement",
            ),
        ] {
            assert_eq!(r.find(id).map(|n| n.title.plain()).as_deref(), Some(title));
        }
        assert_eq!(
            r.meta.source.as_deref(),
            Some("https://roadmap.sh/engineering-manager")
        );
    }
}
