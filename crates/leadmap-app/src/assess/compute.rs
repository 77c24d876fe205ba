//! The numbers of assessments, computed from what the store holds: levels per area, the
//! organisation view (how many teams at each level per practice, beside the organisation's
//! own rating), each practice's level over time with the index, and the comparison of two
//! assessments. Pure: the caller reads the store.

use std::collections::HashMap;

use leadmap_core::assessment::{Level, Rating, index, mean};
use leadmap_store::{Assessment, PracticeRating};
use serde::Serialize;

use crate::catalog::Entry;

/// Ratings of one assessment by topic.
pub type Ratings = HashMap<String, PracticeRating>;

/// How an area's practices stand in one assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaLevels {
    pub area: String,
    pub title: String,
    /// Practices at each level, absent first.
    pub counts: [usize; 5],
    pub not_applicable: usize,
    pub unrated: usize,
    /// The mean level (1–5) of the rated, applicable practices.
    pub mean: Option<f64>,
}

impl AreaLevels {
    pub fn practices(&self) -> usize {
        self.counts.iter().sum::<usize>() + self.not_applicable + self.unrated
    }
}

fn level_of(r: Option<&PracticeRating>) -> Option<Level> {
    r.and_then(|r| r.rating.level())
}

/// Each area of the roadmap with its practices' levels in one assessment.
pub fn area_levels(entry: &Entry, ratings: &Ratings) -> Vec<AreaLevels> {
    entry
        .areas
        .iter()
        .map(|area| {
            let mut a = AreaLevels {
                area: area.id.clone(),
                title: area.title.clone(),
                counts: [0; 5],
                not_applicable: 0,
                unrated: 0,
                mean: None,
            };
            let mut levels = Vec::new();
            for t in area.topic_ids() {
                match ratings.get(t).map(|r| r.rating) {
                    None => a.unrated += 1,
                    Some(Rating::NotApplicable) => a.not_applicable += 1,
                    Some(Rating::Level(l)) => {
                        a.counts[usize::from(l.number() - 1)] += 1;
                        levels.push(l);
                    }
                }
            }
            a.mean = mean(levels);
            a
        })
        .collect()
}

/// The index (0–100) of one assessment over the roadmap's practices.
pub fn assessment_index(entry: &Entry, ratings: &Ratings) -> Option<f64> {
    index(entry.topics.iter().filter_map(|t| level_of(ratings.get(t))))
}

/// The strongest and the weakest areas (by mean level; areas without one left out), at most
/// `n` each, strongest first and weakest first; no area is in both.
pub fn strongest_and_weakest(
    areas: &[AreaLevels],
    n: usize,
) -> (Vec<&AreaLevels>, Vec<&AreaLevels>) {
    let mut rated: Vec<&AreaLevels> = areas.iter().filter(|a| a.mean.is_some()).collect();
    rated.sort_by(|a, b| {
        b.mean
            .partial_cmp(&a.mean)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.title.cmp(&b.title))
    });
    // No area is both: the strongest take the better half at most.
    let k = n.min(rated.len().div_ceil(2));
    let strong = rated[..k].to_vec();
    let weak = rated[k..].iter().rev().take(n).copied().collect();
    (strong, weak)
}

/// One practice in the organisation view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgPractice {
    pub topic: String,
    pub title: String,
    pub area: String,
    /// The organisation's own rating, from its latest published assessment.
    pub organisation: Option<Rating>,
    /// How many teams (by their latest published assessment) are at each level, absent first.
    pub teams: [usize; 5],
    pub teams_not_applicable: usize,
    /// Teams with a published assessment that did not rate it.
    pub teams_unrated: usize,
}

/// The organisation view of one roadmap: the latest published assessment of the organisation
/// and of each team, practice by practice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgView {
    /// The teams counted, by name, with their latest published assessment's title.
    pub teams: Vec<(String, String)>,
    pub practices: Vec<OrgPractice>,
    /// The organisation's index, and the mean of the teams' indexes.
    pub organisation_index: Option<f64>,
    pub teams_index: Option<f64>,
}

/// The latest published assessment of each owner in `all` on the roadmap (by day, then id).
pub fn latest_published<'a>(all: &'a [Assessment], roadmap: &str) -> Vec<&'a Assessment> {
    let mut best: HashMap<leadmap_store::Assessed, &Assessment> = HashMap::new();
    for a in all
        .iter()
        .filter(|a| a.roadmap == roadmap && a.state == leadmap_store::AssessmentState::Published)
    {
        let slot = best.entry(a.assessed).or_insert(a);
        if (a.assessed_on, a.id) > (slot.assessed_on, slot.id) {
            *slot = a;
        }
    }
    let mut out: Vec<&Assessment> = best.into_values().collect();
    out.sort_by_key(|a| (a.assessed.team(), a.id));
    out
}

/// Builds the organisation view from the organisation's assessment (if any) and the teams'
/// (team name, assessment title, ratings).
pub fn org_view(
    entry: &Entry,
    organisation: Option<&Ratings>,
    teams: &[(String, String, &Ratings)],
) -> OrgView {
    let mut practices = Vec::with_capacity(entry.topics.len());
    for area in &entry.areas {
        for t in &area.topics {
            let mut p = OrgPractice {
                topic: t.id.clone(),
                title: t.title.clone(),
                area: area.title.clone(),
                organisation: organisation.and_then(|o| o.get(&t.id)).map(|r| r.rating),
                teams: [0; 5],
                teams_not_applicable: 0,
                teams_unrated: 0,
            };
            for (_, _, ratings) in teams {
                match ratings.get(&t.id).map(|r| r.rating) {
                    None => p.teams_unrated += 1,
                    Some(Rating::NotApplicable) => p.teams_not_applicable += 1,
                    Some(Rating::Level(l)) => p.teams[usize::from(l.number() - 1)] += 1,
                }
            }
            practices.push(p);
        }
    }
    let team_indexes: Vec<f64> = teams
        .iter()
        .filter_map(|(_, _, r)| assessment_index(entry, r))
        .collect();
    OrgView {
        teams: teams
            .iter()
            .map(|(n, t, _)| (n.clone(), t.clone()))
            .collect(),
        practices,
        organisation_index: organisation.and_then(|o| assessment_index(entry, o)),
        teams_index: (!team_indexes.is_empty())
            .then(|| team_indexes.iter().sum::<f64>() / team_indexes.len() as f64),
    }
}

/// One practice's ratings across assessments, oldest first (`None`: not rated in that one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeHistory {
    pub topic: String,
    pub title: String,
    pub ratings: Vec<Option<Rating>>,
}

/// The history of one owner's assessments (oldest first): each practice's rating in each,
/// and each assessment's index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The assessments' titles, oldest first.
    pub titles: Vec<String>,
    pub index: Vec<Option<f64>>,
    pub practices: Vec<PracticeHistory>,
}

pub fn history(entry: &Entry, series: &[(&Assessment, &Ratings)]) -> History {
    History {
        titles: series.iter().map(|(a, _)| a.title.clone()).collect(),
        index: series
            .iter()
            .map(|(_, r)| assessment_index(entry, r))
            .collect(),
        practices: entry
            .areas
            .iter()
            .flat_map(|a| &a.topics)
            .map(|t| PracticeHistory {
                topic: t.id.clone(),
                title: t.title.clone(),
                ratings: series
                    .iter()
                    .map(|(_, r)| r.get(&t.id).map(|x| x.rating))
                    .collect(),
            })
            .collect(),
    }
}

/// How a practice moved between two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Movement {
    Rose,
    Fell,
    /// Rated in the later one only.
    New,
    /// Rated in the earlier one only.
    Dropped,
    /// The same level, or a change to or from "not applicable".
    Same,
}

/// One practice in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub topic: String,
    pub title: String,
    pub area: String,
    pub before: Option<Rating>,
    pub after: Option<Rating>,
    pub movement: Movement,
    /// Evidence links in the later one that the earlier one did not have, and the reverse.
    pub evidence_added: Vec<String>,
    pub evidence_removed: Vec<String>,
}

/// Two assessments compared practice by practice (the roadmap's order); practices in neither
/// are left out, practices the roadmap no longer has are listed last.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub changes: Vec<Change>,
    pub index_before: Option<f64>,
    pub index_after: Option<f64>,
}

impl Comparison {
    pub fn with(&self, m: Movement) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.movement == m)
    }

    /// Practices whose evidence changed.
    pub fn evidence_changed(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| !c.evidence_added.is_empty() || !c.evidence_removed.is_empty())
    }
}

fn movement(before: Option<Rating>, after: Option<Rating>) -> Movement {
    match (before, after) {
        (None, Some(_)) => Movement::New,
        (Some(_), None) => Movement::Dropped,
        (Some(Rating::Level(a)), Some(Rating::Level(b))) if b > a => Movement::Rose,
        (Some(Rating::Level(a)), Some(Rating::Level(b))) if b < a => Movement::Fell,
        _ => Movement::Same,
    }
}

pub fn compare(entry: &Entry, before: &Ratings, after: &Ratings) -> Comparison {
    let mut changes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut push = |topic: &str, title: String, area: String| {
        let (b, a) = (before.get(topic), after.get(topic));
        if b.is_none() && a.is_none() {
            return;
        }
        let links = |r: Option<&PracticeRating>| r.map(|r| r.evidence.clone()).unwrap_or_default();
        let (lb, la) = (links(b), links(a));
        changes.push(Change {
            topic: topic.to_owned(),
            title,
            area,
            before: b.map(|r| r.rating),
            after: a.map(|r| r.rating),
            movement: movement(b.map(|r| r.rating), a.map(|r| r.rating)),
            evidence_added: la.iter().filter(|l| !lb.contains(l)).cloned().collect(),
            evidence_removed: lb.iter().filter(|l| !la.contains(l)).cloned().collect(),
        });
    };
    for area in &entry.areas {
        for t in &area.topics {
            seen.insert(t.id.clone());
            push(&t.id, t.title.clone(), area.title.clone());
        }
    }
    let mut gone: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|t| !seen.contains(*t))
        .collect();
    gone.sort();
    gone.dedup();
    for t in gone {
        push(t, t.clone(), "No longer in the roadmap".into());
    }
    Comparison {
        changes,
        index_before: assessment_index(entry, before),
        index_after: assessment_index(entry, after),
    }
}

/// An open next step: a practice with a next step written.
#[derive(Debug, Clone, PartialEq)]
pub struct NextStep {
    pub topic: String,
    pub title: String,
    pub step: String,
    pub owner: Option<leadmap_store::UserId>,
    pub due_day: Option<i64>,
}

/// The next steps of an assessment, by due day (none last), then the roadmap's order.
pub fn next_steps(entry: &Entry, ratings: &Ratings) -> Vec<NextStep> {
    let mut out: Vec<NextStep> = entry
        .areas
        .iter()
        .flat_map(|a| &a.topics)
        .filter_map(|t| {
            let r = ratings.get(&t.id)?;
            (!r.next_step.is_empty()).then(|| NextStep {
                topic: t.id.clone(),
                title: t.title.clone(),
                step: r.next_step.clone(),
                owner: r.owner,
                due_day: r.due_day,
            })
        })
        .collect();
    out.sort_by_key(|s| s.due_day.unwrap_or(i64::MAX));
    out
}

/// Ratings on practices the roadmap does not have (any more), by topic id.
pub fn orphans<'a>(entry: &Entry, ratings: &'a Ratings) -> Vec<&'a PracticeRating> {
    let mut out: Vec<&PracticeRating> = ratings
        .values()
        .filter(|r| !entry.has_topic(&r.topic))
        .collect();
    out.sort_by(|a, b| a.topic.cmp(&b.topic));
    out
}

/// A mean or an index as people read it: one decimal, or "–" for none.
pub fn one_decimal(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.1}"),
        _ => "–".into(),
    }
}
