//! The assessment pictures' inputs, built from the numbers of [`super::compute`]: what the
//! pages, the report and the command line draw with `leadmap_render::charts`.

use leadmap_core::assessment::{Level, Rating};
use leadmap_render::charts as c;

use super::compute::{AreaLevels, Comparison, History};

/// An area's practices as the level bars take them: the counts spelled out.
pub fn area_ratings(a: &AreaLevels) -> c::AreaRatings {
    let mut ratings = Vec::with_capacity(a.practices());
    for (l, n) in Level::ALL.iter().zip(a.counts) {
        ratings.extend(std::iter::repeat_n(Some(Rating::Level(*l)), n));
    }
    ratings.extend(std::iter::repeat_n(
        Some(Rating::NotApplicable),
        a.not_applicable,
    ));
    ratings.extend(std::iter::repeat_n(None, a.unrated));
    c::AreaRatings {
        title: a.title.clone(),
        ratings,
    }
}

pub fn level_bars_chart(levels: &[AreaLevels]) -> c::LevelBars {
    c::LevelBars {
        title: "Practices at each level, by area".into(),
        areas: levels.iter().map(area_ratings).collect(),
    }
}

pub fn ranked_chart(levels: &[AreaLevels]) -> c::RankedBars {
    c::RankedBars {
        title: "Areas by mean level".into(),
        areas: levels
            .iter()
            .map(|a| c::AreaMean {
                title: a.title.clone(),
                mean: a.mean,
            })
            .collect(),
    }
}

/// Teams × practices: `teams` is (team name, a rating per practice in `practices` order).
pub fn heat_strip_chart(
    areas: Vec<String>,
    practices: Vec<(String, usize)>,
    teams: Vec<(String, Vec<Option<Rating>>)>,
) -> c::HeatStrip {
    c::HeatStrip {
        title: "Teams by practice".into(),
        areas,
        practices: practices
            .into_iter()
            .map(|(label, area)| c::StripPractice {
                label,
                area: Some(area),
            })
            .collect(),
        teams: teams
            .into_iter()
            .map(|(label, ratings)| c::StripTeam { label, ratings })
            .collect(),
    }
}

pub fn index_chart(h: &History, title: &str) -> c::IndexLine {
    c::IndexLine {
        title: title.to_owned(),
        points: h
            .titles
            .iter()
            .zip(&h.index)
            .map(|(label, index)| c::IndexPoint {
                label: label.clone(),
                index: *index,
            })
            .collect(),
    }
}

/// The practices whose rating changed over the series (a practice that never moved tells
/// nothing over time), at most `max`.
pub fn steps_chart(h: &History, max: usize) -> c::StepMultiples {
    c::StepMultiples {
        title: "Practices that changed, over the assessments".into(),
        assessments: h.titles.clone(),
        practices: h
            .practices
            .iter()
            .filter(|p| p.ratings.windows(2).any(|w| w[0] != w[1]))
            .take(max)
            .map(|p| c::PracticeSeries {
                label: p.title.clone(),
                ratings: p.ratings.clone(),
            })
            .collect(),
        width: 960,
    }
}

pub fn compare_chart(cmp: &Comparison, before: &str, after: &str) -> c::CompareDumbbell {
    c::CompareDumbbell {
        title: format!("{before} → {after}"),
        before: before.to_owned(),
        after: after.to_owned(),
        practices: cmp
            .changes
            .iter()
            .map(|ch| c::PracticeChange {
                label: ch.title.clone(),
                before: ch.before,
                after: ch.after,
            })
            .collect(),
    }
}
