//! The roadmaps shipped inside the binary, as Markdown embedded at compile time.

use leadmap_core::{Diagnostic, Parsed, parse};

include!(concat!(env!("OUT_DIR"), "/content.rs"));

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

/// A topic file's diagnostics, with where it lives.
#[derive(Debug, Clone)]
pub struct ContentProblem {
    pub file: String,
    pub source: &'static str,
    pub diagnostic: Diagnostic,
}

impl Bundled {
    /// The roadmap with its topic files merged in.
    pub fn parse(&self) -> Parsed {
        self.parse_with_problems().0
    }

    /// The roadmap with its topic files merged in, and what was wrong with those files
    /// (a file for a topic that does not exist, a malformed block …).
    pub fn parse_with_problems(&self) -> (Parsed, Vec<ContentProblem>) {
        let mut parsed = parse(self.source.as_bytes(), self.id);
        let mine: Vec<&(&str, &str, &str)> = TOPIC_FILES
            .iter()
            .filter(|(r, _, _)| *r == self.id)
            .collect();
        let found = leadmap_core::markdown::merge_topic_files(
            &mut parsed,
            mine.iter().map(|(_, id, src)| (*id, src.as_bytes())),
        );
        let problems = found
            .into_iter()
            .map(|p| {
                let source = mine
                    .iter()
                    .find(|(_, id, _)| *id == p.id)
                    .map_or("", |(_, _, s)| *s);
                ContentProblem {
                    file: format!("roadmaps/{}/topics/{}.md", self.id, p.id),
                    source,
                    diagnostic: p.diagnostic,
                }
            })
            .collect();
        (parsed, problems)
    }
}

/// A bundled template: its id and Markdown (front matter included).
pub fn template(id: &str) -> Option<&'static str> {
    TEMPLATE_FILES
        .iter()
        .find(|(t, _)| *t == id)
        .map(|(_, s)| *s)
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
    fn every_topic_has_its_content() {
        let all: Vec<leadmap_core::Roadmap> = ROADMAPS.iter().map(|b| b.parse().roadmap).collect();
        for b in ROADMAPS {
            let (p, problems) = b.parse_with_problems();
            let shown: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.file, p.diagnostic.message))
                .collect();
            assert!(problems.is_empty(), "{shown:#?}");
            for n in p.roadmap.nodes().filter(|n| n.kind.is_learnable()) {
                let c = &n.content;
                let words = c.summary.split_whitespace().count();
                assert!(
                    (60..=150).contains(&words),
                    "{}: summary of {words} words",
                    n.id
                );
                assert!(
                    (3..=6).contains(&c.steps.len()),
                    "{}: {} steps",
                    n.id,
                    c.steps.len()
                );
                assert!(
                    (1..=3).contains(&c.pitfalls.len()),
                    "{}: {} pitfalls",
                    n.id,
                    c.pitfalls.len()
                );
                assert!(
                    c.resources.len() >= 2,
                    "{}: {} resources",
                    n.id,
                    c.resources.len()
                );
                assert!(!c.related.is_empty(), "{}: no related topics", n.id);
                for rel in &c.related {
                    let target = rel.roadmap.as_ref().map_or(b.id, |r| r.as_str());
                    let found = all
                        .iter()
                        .find(|r| r.id.as_str() == target)
                        .and_then(|r| r.find(rel.id.as_str()));
                    assert!(found.is_some(), "{}: related `{rel}` does not exist", n.id);
                }
                for t in &c.templates {
                    assert!(
                        template(t.as_str()).is_some(),
                        "{}: unknown template {t}",
                        n.id
                    );
                }
            }
        }
        assert!(TEMPLATE_FILES.len() >= 15);
    }

    /// What a step says when it puts a template to use: a topic's `Templates:` link must
    /// support one of its steps, so one of its steps names the template's work.
    const TEMPLATE_TERMS: &[(&str, &[&str])] = &[
        (
            "adr",
            &[
                "decision record",
                "adr",
                "decisions folder",
                "decision log",
                "record the decision",
            ],
        ),
        (
            "blameless-postmortem",
            &["postmortem", "post-mortem", "blameless", "incident review"],
        ),
        (
            "budget-request",
            &["budget", "business case", "funding", "headcount"],
        ),
        (
            "build-vs-buy-evaluation",
            &[
                "build or buy",
                "build-vs-buy",
                "build versus buy",
                "buy",
                "vendor",
                "doing nothing",
                "do-nothing",
            ],
        ),
        (
            "career-framework",
            &["career framework", "career ladder", "ladder", "level"],
        ),
        ("core-values-worksheet", &["values"]),
        (
            "disaster-recovery-plan",
            &[
                "disaster", "restore", "recovery", "rto", "failover", "backup",
            ],
        ),
        ("engineering-manifesto", &["manifesto", "principles"]),
        (
            "incident-runbook",
            &["runbook", "playbook", "mitigation", "rollback"],
        ),
        ("interview-scorecard", &["scorecard", "rubric"]),
        ("job-description", &["job description", "job posting"]),
        ("offboarding-checklist", &["offboarding", "departure"]),
        ("okrs", &["okr", "key result", "objective"]),
        ("on-call-policy", &["on-call", "on call", "rotation"]),
        (
            "onboarding-30-60-90",
            &["onboarding", "30, 60 and 90", "30-60-90", "first 90 days"],
        ),
        ("one-on-one-agenda", &["one-on-one", "1:1"]),
        (
            "performance-review",
            &[
                "performance review",
                "review cycle",
                "reviews",
                "evaluation",
                "rating",
            ],
        ),
        ("remote-work-policy", &["remote", "hybrid", "time zone"]),
        ("retrospective", &["retrospective", "retro"]),
        (
            "rfc-design-doc",
            &[
                "design doc",
                "rfc",
                "written design",
                "design review",
                "proposal",
            ],
        ),
        (
            "stakeholder-map",
            &["stakeholder", "audience", "power-interest"],
        ),
        ("team-charter", &["charter", "working agreement", "mission"]),
        ("tech-debt-register", &["debt"]),
    ];

    #[test]
    fn every_template_link_supports_a_step_of_its_topic() {
        let mut bad = Vec::new();
        let mut used = std::collections::BTreeSet::new();
        for b in ROADMAPS {
            let p = b.parse();
            for n in p.roadmap.nodes().filter(|n| n.kind.is_learnable()) {
                let steps = n.content.steps.join("\n").to_lowercase();
                for t in &n.content.templates {
                    used.insert(t.as_str().to_owned());
                    let terms = TEMPLATE_TERMS
                        .iter()
                        .find(|(id, _)| *id == t.as_str())
                        .map(|(_, terms)| *terms);
                    match terms {
                        None => bad.push(format!("{}: template `{t}` has no terms here", n.id)),
                        Some(terms) if !terms.iter().any(|w| steps.contains(w)) => {
                            bad.push(format!(
                                "{}:{}: no step uses the template `{t}` ({terms:?})",
                                b.id, n.id
                            ))
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
        // Every template serves at least one topic.
        for (id, _) in TEMPLATE_TERMS {
            assert!(template(id).is_some(), "no template `{id}`");
            assert!(used.contains(*id), "no topic links the template `{id}`");
        }
    }

    #[test]
    fn every_bundled_roadmap_checks_clean() {
        for b in ROADMAPS {
            let p = b.parse();
            let diags = check(&p, &NoOtherRoadmaps);
            assert!(diags.is_empty(), "{}: {diags:#?}", b.id);
            assert_eq!(p.roadmap.id.as_str(), b.id);
            // The file is in its canonical form: `leadmap fmt` would not change it.
            let plain = leadmap_core::parse(b.source.as_bytes(), b.id);
            assert_eq!(
                leadmap_core::print(&plain.roadmap),
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
