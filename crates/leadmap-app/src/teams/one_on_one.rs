//! Preparing a 1:1 between a manager and a member on one roadmap: what changed since the last
//! one, what the member is learning, the focus topics still open, the team's gaps they could
//! close and the notes they shared; written out as Markdown ahead of the bundled 1:1 agenda.

use std::collections::HashMap;
use std::fmt::Write as _;

use leadmap_core::progress::Status;
use leadmap_store::{Change, Focus, Millis, TeamRecord};
use serde::Serialize;

use crate::activity::{day_date, day_of};
use crate::catalog::{Entry, TopicInfo};
use crate::time::date;

/// The most status changes listed; the rest are counted.
pub const CHANGES_MAX: usize = 25;
/// The most gaps suggested.
pub const GAPS_MAX: usize = 5;
/// The bundled template the agenda ends with.
pub const TEMPLATE: &str = "one-on-one-agenda";

/// What a 1:1 is prepared from; the caller reads it from the store.
#[derive(Debug, Clone, Copy)]
pub struct PrepInput<'a> {
    pub entry: &'a Entry,
    pub member: &'a str,
    pub manager: &'a str,
    pub team: &'a str,
    /// When the last 1:1 was held; `None`: none is recorded.
    pub since: Option<Millis>,
    pub now: Millis,
    /// The member's status changes (any roadmap, any order: those of this roadmap since
    /// `since` are used).
    pub changes: &'a [Change],
    /// The member's records on the roadmap as a manager may see them (notes only where
    /// shared): the topics being learnt, the shared notes, and which focus topics are done.
    pub records: &'a [TeamRecord],
    /// The focus topics suggested to the member, directly or through a team (those of other
    /// roadmaps and those done are left out).
    pub focus: &'a [Focus],
    /// The team's gaps and single points the member could close, in the order to list them
    /// ([`super::Dashboard::could_close`]); the first [`GAPS_MAX`] are kept.
    pub could_close: &'a [&'a TopicInfo],
}

/// A topic by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrepTopic {
    pub topic: String,
    pub title: String,
}

/// A topic's status then and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrepChange {
    pub topic: String,
    pub title: String,
    pub from: Status,
    pub to: Status,
    /// The last change's moment.
    pub at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrepFocus {
    pub topic: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub overdue: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrepNote {
    pub topic: String,
    pub title: String,
    pub note: String,
    pub updated_at: Millis,
}

/// A prepared 1:1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prep {
    pub member: String,
    pub manager: String,
    pub team: String,
    pub roadmap: String,
    /// The day it is prepared (`YYYY-MM-DD`).
    pub date: String,
    /// The day of the last 1:1 (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Per topic that changed since the last 1:1: its status before and now, the latest
    /// first; a topic that came back to where it was is left out. At most [`CHANGES_MAX`].
    pub changes: Vec<PrepChange>,
    /// Changes left out of `changes`.
    pub more_changes: usize,
    pub learning: Vec<PrepTopic>,
    /// Open focus topics: those with a due day first, the soonest first, then the others.
    pub focus: Vec<PrepFocus>,
    pub gaps: Vec<PrepTopic>,
    /// Notes shared since the last 1:1 (all of them without one), the latest first.
    pub shared_notes: Vec<PrepNote>,
}

impl Prep {
    pub fn new(input: &PrepInput<'_>) -> Prep {
        let e = input.entry;
        let titles: HashMap<&str, &str> = e
            .areas
            .iter()
            .flat_map(|a| &a.topics)
            .map(|t| (t.id.as_str(), t.title.as_str()))
            .collect();
        let topic = |id: &str| -> Option<PrepTopic> {
            titles.get(id).map(|&title| PrepTopic {
                topic: id.to_owned(),
                title: title.to_owned(),
            })
        };
        let since = input.since.unwrap_or(Millis::MIN);

        // Net change per topic: the status before the first change, after the last.
        let mut mine: Vec<&Change> = input
            .changes
            .iter()
            .filter(|c| c.roadmap == e.id && c.at >= since && titles.contains_key(c.topic.as_str()))
            .collect();
        mine.sort_by_key(|c| (c.at, c.id));
        let mut net: Vec<PrepChange> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for c in mine {
            let from = c.from.unwrap_or_default();
            match at.get(c.topic.as_str()) {
                Some(&i) => {
                    net[i].to = c.to;
                    net[i].at = c.at;
                }
                None => {
                    if let Some(t) = topic(&c.topic) {
                        at.insert(&c.topic, net.len());
                        net.push(PrepChange {
                            topic: t.topic,
                            title: t.title,
                            from,
                            to: c.to,
                            at: c.at,
                        });
                    }
                }
            }
        }
        net.retain(|c| c.from != c.to);
        net.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.topic.cmp(&b.topic)));
        let more_changes = net.len().saturating_sub(CHANGES_MAX);
        net.truncate(CHANGES_MAX);

        // Learning, in roadmap order; notes shared since the last 1:1.
        let status: HashMap<&str, &TeamRecord> = input
            .records
            .iter()
            .map(|r| (r.topic.as_str(), r))
            .collect();
        let learning = e
            .topics
            .iter()
            .filter(|t| {
                status
                    .get(t.as_str())
                    .is_some_and(|r| r.status == Status::Learning)
            })
            .filter_map(|t| topic(t))
            .collect();
        let mut shared_notes: Vec<PrepNote> = input
            .records
            .iter()
            .filter(|r| r.updated_at >= since)
            .filter_map(|r| {
                let note = r.shared_note.as_deref().filter(|n| !n.trim().is_empty())?;
                let t = topic(&r.topic)?;
                Some(PrepNote {
                    topic: t.topic,
                    title: t.title,
                    note: note.to_owned(),
                    updated_at: r.updated_at,
                })
            })
            .collect();
        shared_notes.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| a.topic.cmp(&b.topic))
        });

        // Open focus topics of this roadmap, each topic once (the earliest due day wins).
        let today = day_of(input.now);
        let mut open: Vec<&Focus> = input
            .focus
            .iter()
            .filter(|f| f.roadmap == e.id)
            .filter(|f| {
                status
                    .get(f.topic.as_str())
                    .is_none_or(|r| r.status != Status::Done)
            })
            .collect();
        open.sort_by_key(|f| (f.due_day.is_none(), f.due_day, f.created_at, f.id));
        let mut seen = std::collections::HashSet::new();
        let focus = open
            .into_iter()
            .filter(|f| seen.insert(f.topic.as_str()))
            .filter_map(|f| {
                let t = topic(&f.topic)?;
                Some(PrepFocus {
                    topic: t.topic,
                    title: t.title,
                    due: f.due_day.map(day_date),
                    overdue: f.due_day.is_some_and(|d| d < today),
                    reason: f.reason.clone(),
                })
            })
            .collect();

        let gaps = input
            .could_close
            .iter()
            .take(GAPS_MAX)
            .map(|t| PrepTopic {
                topic: t.id.clone(),
                title: t.title.clone(),
            })
            .collect();

        Prep {
            member: one_line(input.member),
            manager: one_line(input.manager),
            team: one_line(input.team),
            roadmap: one_line(&e.title()),
            date: date(input.now),
            since: input.since.map(date),
            changes: net,
            more_changes,
            learning,
            focus,
            gaps,
            shared_notes,
        }
    }

    /// The agenda as Markdown: a header, the five prepared sections, then the bundled 1:1
    /// agenda template with the names and the date filled in.
    pub fn markdown(&self) -> String {
        let mut s = String::with_capacity(4096);
        let _ = writeln!(s, "# 1:1: {} and {}\n", self.member, self.manager);
        let _ = writeln!(
            s,
            "Team {}, roadmap {}, prepared on {}.\n",
            self.team, self.roadmap, self.date
        );

        s.push_str("## Since the last 1:1\n\n");
        match &self.since {
            Some(d) => {
                let _ = writeln!(s, "The last 1:1 was on {d}.\n");
            }
            None => s.push_str("No earlier 1:1 is recorded, so every change is listed.\n\n"),
        }
        if self.changes.is_empty() {
            s.push_str("No topic of this roadmap changed status.\n");
        }
        for c in &self.changes {
            let _ = writeln!(
                s,
                "- {}: {} → {} ({})",
                one_line(&c.title),
                c.from,
                c.to,
                date(c.at)
            );
        }
        if self.more_changes > 0 {
            let _ = writeln!(
                s,
                "- and {} more {}.",
                self.more_changes,
                if self.more_changes == 1 {
                    "topic"
                } else {
                    "topics"
                }
            );
        }

        s.push_str("\n## Learning now\n\n");
        if self.learning.is_empty() {
            s.push_str("No topic is marked as being learnt.\n");
        }
        for t in &self.learning {
            let _ = writeln!(s, "- {}", one_line(&t.title));
        }

        s.push_str("\n## Focus topics due\n\n");
        if self.focus.is_empty() {
            s.push_str("No focus topic is open.\n");
        }
        for f in &self.focus {
            let _ = write!(s, "- {}", one_line(&f.title));
            match (&f.due, f.overdue) {
                (Some(d), true) => {
                    let _ = write!(s, ", was due on {d}");
                }
                (Some(d), false) => {
                    let _ = write!(s, ", due on {d}");
                }
                (None, _) => s.push_str(", no due date"),
            }
            let reason = one_line(&f.reason);
            if !reason.is_empty() {
                let _ = write!(s, ": {reason}");
            }
            s.push('\n');
        }

        s.push_str("\n## Gaps you could close\n\n");
        if self.gaps.is_empty() {
            s.push_str("None right now: the team has no gap or single point you could take on.\n");
        } else {
            s.push_str(
                "Topics nobody in the team has done yet, then topics only one person has done:\n\n",
            );
        }
        for t in &self.gaps {
            let _ = writeln!(s, "- {}", one_line(&t.title));
        }

        s.push_str("\n## Shared notes\n");
        if self.shared_notes.is_empty() {
            s.push_str("\nNo note was shared");
            if self.since.is_some() {
                s.push_str(" since the last 1:1");
            }
            s.push_str(".\n");
        }
        for n in &self.shared_notes {
            let _ = writeln!(s, "\n### {}\n", one_line(&n.title));
            // The note is the member's own Markdown: quoted, so that its headings and lists
            // stay inside it.
            for line in n.note.trim().lines() {
                let line = line.trim_end();
                if line.is_empty() {
                    s.push_str(">\n");
                } else {
                    let _ = writeln!(s, "> {line}");
                }
            }
        }

        if let Some(template) = leadmap_bundled::template(TEMPLATE) {
            s.push_str("\n---\n\n");
            s.push_str(&self.fill(template));
        }
        s
    }

    /// The template without its front matter and its title, the names and date filled in.
    fn fill(&self, template: &str) -> String {
        let body = strip_front_matter(template);
        let body = match body.trim_start().strip_prefix("# ") {
            Some(rest) => rest.split_once('\n').map_or("", |(_, after)| after),
            None => body,
        };
        body.trim_start()
            .replace("<report name>", &self.member)
            .replace("<manager name>", &self.manager)
            .replace("**When:** <date>", &format!("**When:** {}", self.date))
            .replace("\n## <date>\n", &format!("\n## {}\n", self.date))
    }
}

/// Markdown after a `---` front matter block (all of it without one).
fn strip_front_matter(s: &str) -> &str {
    let Some(rest) = s.strip_prefix("---\n") else {
        return s;
    };
    match rest.find("\n---\n") {
        Some(i) => &rest[i + "\n---\n".len()..],
        None => s,
    }
}

/// A text for a one-line place (a heading, a list item): line breaks and other control
/// characters become spaces, runs of spaces one, trimmed.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teams::dashboard::Dashboard;
    use crate::teams::dashboard::tests::{entry, people, rec, records};
    use leadmap_store::UserId;

    const DAY: i64 = 86_400_000;
    /// 2026-03-09, noon.
    const NOW: i64 = 20_521 * DAY + DAY / 2;

    fn change(id: i64, topic: &str, from: Option<Status>, to: Status, at: i64) -> Change {
        Change {
            id,
            roadmap: "team-map".into(),
            topic: topic.into(),
            from,
            to,
            at,
        }
    }

    fn focus(id: i64, topic: &str, due: Option<i64>, reason: &str) -> Focus {
        Focus {
            id,
            team: 1,
            user: Some(UserId(2)),
            roadmap: "team-map".into(),
            topic: topic.into(),
            due_day: due,
            reason: reason.into(),
            created_by: None,
            created_at: id,
        }
    }

    fn prep() -> Prep {
        let (e, p) = (entry(), people());
        let all = records();
        let d = Dashboard::new(&e, &p, &all);
        let close = d.could_close(1, 5);
        let since = NOW - 7 * DAY;
        let changes = vec![
            change(1, "a", None, Status::Learning, since - DAY), // before the last 1:1
            change(2, "a", Some(Status::Learning), Status::Done, since + DAY),
            change(3, "d", None, Status::Learning, since + 2 * DAY),
            change(4, "b", None, Status::Done, since + DAY),
            change(5, "b", Some(Status::Done), Status::Pending, since + 3 * DAY), // back again
            change(6, "gone", None, Status::Done, since + DAY), // not in the roadmap
            Change {
                roadmap: "other".into(),
                ..change(7, "a", None, Status::Done, since + DAY)
            },
        ];
        let mut mine: Vec<TeamRecord> = all.into_iter().filter(|r| r.user == UserId(2)).collect();
        mine[1].shared_note = Some("Read *the book*\n\n# Not a heading\nthen practise".into());
        mine[1].updated_at = since + 2 * DAY;
        let mut private_old = rec(2, "c", Status::Pending);
        private_old.shared_note = Some("old".into());
        private_old.updated_at = since - DAY;
        mine.push(private_old);
        let focus = vec![
            focus(1, "c", None, "for the\nplatform move"),
            focus(2, "d", Some(20_521 + 3), ""),
            focus(3, "a", Some(20_521 - 1), "done already"),
            focus(4, "why", Some(20_521 - 2), "start here"),
            Focus {
                roadmap: "other".into(),
                ..focus(5, "b", None, "")
            },
        ];
        Prep::new(&PrepInput {
            entry: &e,
            member: "ana\nlopez",
            manager: "Maria",
            team: "Platform",
            since: Some(since),
            now: NOW,
            changes: &changes,
            records: &mine,
            focus: &focus,
            could_close: &close,
        })
    }

    #[test]
    fn collects_what_changed_since_the_last_one() {
        let p = prep();
        assert_eq!(p.member, "ana lopez");
        assert_eq!(
            (p.date.as_str(), p.since.as_deref()),
            ("2026-03-09", Some("2026-03-02"))
        );
        let changes: Vec<(&str, Status, Status)> = p
            .changes
            .iter()
            .map(|c| (c.topic.as_str(), c.from, c.to))
            .collect();
        assert_eq!(
            changes,
            [
                ("d", Status::Pending, Status::Learning),
                ("a", Status::Learning, Status::Done)
            ],
            "b came back to pending; other roadmaps and lost topics are left out"
        );
        let learning: Vec<&str> = p.learning.iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(learning, ["d"]);
        let focus: Vec<(&str, Option<&str>, bool)> = p
            .focus
            .iter()
            .map(|f| (f.topic.as_str(), f.due.as_deref(), f.overdue))
            .collect();
        assert_eq!(
            focus,
            [
                ("why", Some("2026-03-07"), true),
                ("d", Some("2026-03-12"), false),
                ("c", None, false)
            ],
            "a done focus topic is ticked off"
        );
        let gaps: Vec<&str> = p.gaps.iter().map(|t| t.topic.as_str()).collect();
        assert_eq!(gaps, ["why", "b", "d", "a-sub", "c"]);
        assert_eq!(p.shared_notes.len(), 1, "the older note is not news");
        assert_eq!(p.shared_notes[0].topic, "d");
    }

    #[test]
    fn the_markdown_fills_the_bundled_agenda() {
        let md = prep().markdown();
        assert!(md.starts_with("# 1:1: ana lopez and Maria\n\nTeam Platform, roadmap Team map, prepared on 2026-03-09.\n"), "{md}");
        let order = [
            "## Since the last 1:1",
            "## Learning now",
            "## Focus topics due",
            "## Gaps you could close",
            "## Shared notes",
            "**Who:** ana lopez and Maria",
        ];
        let at: Vec<usize> = order.iter().map(|h| md.find(h).unwrap()).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{md}");
        assert!(md.contains("- A: learning → done (2026-03-03)"));
        assert!(md.contains("- Why, was due on 2026-03-07: start here"));
        assert!(md.contains("- C, no due date: for the platform move"));
        assert!(md.contains("> Read *the book*\n>\n> # Not a heading\n> then practise\n"));
        assert!(md.contains("**When:** 2026-03-09,"));
        assert!(md.contains("## 2026-03-09\n"));
        assert!(
            md.contains("by: <date>"),
            "an action's date is left to fill"
        );
        assert!(!md.contains("id: one-on-one-agenda"), "no front matter");
        assert!(
            !md.contains("# 1:1 meeting agenda"),
            "the template's title gives way to ours"
        );
    }

    #[test]
    fn an_empty_prep_says_so() {
        let e = entry();
        let p = Prep::new(&PrepInput {
            entry: &e,
            member: "Bo",
            manager: "Maria",
            team: "Platform",
            since: None,
            now: NOW,
            changes: &[],
            records: &[],
            focus: &[],
            could_close: &[],
        });
        let md = p.markdown();
        for line in [
            "No earlier 1:1 is recorded, so every change is listed.",
            "No topic of this roadmap changed status.",
            "No topic is marked as being learnt.",
            "No focus topic is open.",
            "None right now:",
            "No note was shared.",
        ] {
            assert!(md.contains(line), "{line} in {md}");
        }
    }

    #[test]
    fn many_changes_are_counted_not_listed() {
        let md: String = std::iter::once("# Many\n\n## Area\n\n".to_owned())
            .chain((0..30).map(|i| format!("- Topic {i} {{#t{i}}}\n")))
            .collect();
        let e = Entry::new(leadmap_core::parse(md.as_bytes(), "team-map").roadmap);
        let changes: Vec<Change> = (0..40)
            .map(|i| {
                let topic = format!("t{}", i % 30);
                change(i, &topic, None, Status::Done, NOW - 1000 + i)
            })
            .collect();
        let p = Prep::new(&PrepInput {
            entry: &e,
            member: "Bo",
            manager: "Maria",
            team: "Platform",
            since: None,
            now: NOW,
            changes: &changes,
            records: &[],
            focus: &[],
            could_close: &[],
        });
        assert_eq!(
            p.changes.len(),
            CHANGES_MAX,
            "one line per topic, at most {CHANGES_MAX}"
        );
        assert_eq!(p.more_changes, 30 - CHANGES_MAX);
        assert_eq!(p.changes[0].topic, "t9", "the latest change first");
        assert!(p.markdown().contains("- and 5 more topics.\n"));
        assert_eq!(one_line("  a\r\n b\tc  "), "a b c");
        assert_eq!(strip_front_matter("---\nid: x\n---\nbody"), "body");
        assert_eq!(strip_front_matter("no front matter"), "no front matter");
    }
}
