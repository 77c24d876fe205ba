//! A team's percent done over time, week by week, worked out backwards from today's count and
//! the history's moves into and out of `done`; drawn as a small step chart, with the same
//! numbers as table rows for people who do not see the chart.

use std::fmt::Write as _;

use leadmap_render::Theme;
use leadmap_render::svg::escape;
use leadmap_store::{Millis, UserId};
use serde::Serialize;

use crate::activity::{day_date, day_of};
use crate::catalog::percent;

/// The team at the end of one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    /// The week's Monday, in UTC days since 1970-01-01.
    pub week_start_day: i64,
    /// Done (member, topic) pairs at the end of the week (its Sunday).
    pub done: usize,
    /// `done` of all members × topics.
    pub percent: u32,
}

/// The Monday on or before a day (1970-01-01 was a Thursday).
fn monday(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// Done pairs at the end of each of the last `weeks` weeks (the current one last, ending with
/// `done_now`). `moves` are +1 when a member's topic became done and −1 when it stopped
/// being done, at their moment; the count at the end of a week is `done_now` less every move
/// after that week. Their order does not matter. A count the history cannot explain (below 0
/// or above `whole`) is held to that range.
pub fn weekly_trend(
    moves: &[(UserId, Millis, i64)],
    done_now: usize,
    whole: usize,
    today_day: i64,
    weeks: usize,
) -> Vec<TrendPoint> {
    if weeks == 0 {
        return Vec::new();
    }
    let last = monday(today_day);
    let first = last - 7 * (weeks as i64 - 1);
    // after[w]: the sum of the moves in week w + 1 and later; a move in week w counts for
    // every week before it. A move before the first week counts for none; one after the
    // current week (a clock that went back) for every week.
    let mut in_week = vec![0i64; weeks + 1];
    for &(_, at, delta) in moves {
        let day = day_of(at);
        if day < first {
            continue;
        }
        let w = ((day - first) / 7).min(weeks as i64) as usize;
        in_week[w] += delta;
    }
    let mut points = vec![
        TrendPoint {
            week_start_day: 0,
            done: 0,
            percent: 0
        };
        weeks
    ];
    let mut after = 0i64;
    let whole_i = i64::try_from(whole).unwrap_or(i64::MAX);
    let now = i64::try_from(done_now).unwrap_or(i64::MAX);
    after += in_week[weeks];
    for w in (0..weeks).rev() {
        let done = (now - after).clamp(0, whole_i) as usize;
        points[w] = TrendPoint {
            week_start_day: first + 7 * w as i64,
            done,
            percent: percent(done, whole),
        };
        after += in_week[w];
    }
    points
}

/// One week of the trend as a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendRow {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    pub done: usize,
    pub percent: u32,
}

/// The trend as table rows, the oldest week first: what the chart shows, for a table under it
/// (and for the API).
pub fn trend_table(points: &[TrendPoint]) -> Vec<TrendRow> {
    points
        .iter()
        .map(|p| TrendRow {
            week: day_date(p.week_start_day),
            done: p.done,
            percent: p.percent,
        })
        .collect()
}

/// The trend as a standalone SVG: percent (0 to 100) up, the weeks across, a step at each
/// week's end, the first week's Monday and "this week" under the axis. Colours are attributes
/// (no `<style>`), as in the heatmap, so the SVG can be placed inline under a strict
/// Content-Security-Policy. `title` names it (the team and the roadmap, say).
pub fn trend_svg(title: &str, points: &[TrendPoint], theme: Theme) -> String {
    const W: i64 = 640;
    const H: i64 = 180;
    const LEFT: i64 = 48;
    const RIGHT: i64 = 12;
    const TOP: i64 = 12;
    const BOTTOM: i64 = 26;
    // Background, ink, muted ink (labels; 4.5:1 or more on the background), axis, line.
    let (bg, ink, muted, axis, line) = match theme {
        Theme::Light => ("#ffffff", "#111827", "#475569", "#cbd5e1", "#15803d"),
        Theme::Dark => ("#0b1220", "#e5e7eb", "#94a3b8", "#334155", "#4ade80"),
    };
    let n = points.len() as i64;
    let span = W - LEFT - RIGHT;
    // Week i spans x(i) to x(i + 1).
    let x = |i: i64| LEFT + i * span / n.max(1);
    let y = |p: u32| TOP + (100 - i64::from(p.min(100))) * (H - TOP - BOTTOM) / 100;
    let mut path = String::with_capacity(points.len() * 24);
    for (i, p) in points.iter().enumerate() {
        let i = i as i64;
        let cmd = if i == 0 { 'M' } else { 'L' };
        let _ = write!(path, "{cmd}{} {}H{}", x(i), y(p.percent), x(i + 1));
    }
    let label = match (points.first(), points.last()) {
        (Some(a), Some(b)) => format!(
            "{}: {} % done in the week of {}, {} % this week",
            title.trim(),
            a.percent,
            day_date(a.week_start_day),
            b.percent
        ),
        _ => format!("{}: no weeks to show", title.trim()),
    };
    let label = escape(&label);
    let mut s = String::with_capacity(1024 + path.len());
    let _ = write!(
        s,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" aria-label="{label}">"#,
            r#"<title>{label}</title><rect width="{W}" height="{H}" fill="{bg}"/>"#,
            r#"<g font-family="DejaVu Sans,Verdana,sans-serif" font-size="11" fill="{muted}">"#,
            r#"<line x1="{l}" y1="{y100}" x2="{r}" y2="{y100}" stroke="{axis}"/>"#,
            r#"<line x1="{l}" y1="{y50}" x2="{r}" y2="{y50}" stroke="{axis}" stroke-dasharray="3 3"/>"#,
            r#"<line x1="{l}" y1="{y0}" x2="{r}" y2="{y0}" stroke="{axis}"/>"#,
            r#"<g text-anchor="end"><text x="{tx}" y="{ty100}">100 %</text><text x="{tx}" y="{ty50}">50 %</text><text x="{tx}" y="{ty0}">0 %</text></g>"#
        ),
        W = W,
        H = H,
        label = label,
        bg = bg,
        muted = muted,
        axis = axis,
        l = LEFT,
        r = W - RIGHT,
        y100 = y(100),
        y50 = y(50),
        y0 = y(0),
        tx = LEFT - 6,
        ty100 = y(100) + 4,
        ty50 = y(50) + 4,
        ty0 = y(0) + 4,
    );
    if let Some(first) = points.first() {
        let _ = write!(
            s,
            r#"<text x="{LEFT}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">this week</text>"#,
            H - 8,
            day_date(first.week_start_day),
            W - RIGHT,
            H - 8
        );
        let _ = write!(
            s,
            r#"<path d="{path}" fill="none" stroke="{line}" stroke-width="2"/>"#
        );
        if let Some(last) = points.last() {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end" fill="{ink}" font-weight="bold">{} %</text>"#,
                W - RIGHT,
                (y(last.percent) - 6).max(TOP + 10),
                last.percent
            );
        }
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadmap_store::policy::DAY_MS;

    /// 2026-03-09 is a Monday.
    const MON: i64 = 20_521;

    /// Noon of a day.
    fn at(day: i64) -> Millis {
        day * DAY_MS + 12 * 3_600_000
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(day_date(MON), "2026-03-09");
        for d in MON..MON + 7 {
            assert_eq!(monday(d), MON);
        }
        assert_eq!(monday(MON - 1), MON - 7);
        assert_eq!(monday(0), -3, "1970-01-01, a Thursday: the Monday before");
    }

    #[test]
    fn counts_are_worked_out_backwards_from_today() {
        let u = UserId(1);
        let today = MON + 16; // the Wednesday of the week of MON + 14
        // Three weeks: MON, MON+7, MON+14 (this week).
        let moves = [
            (u, at(MON - 30), 1), // before the first week: in every count already
            (u, at(MON + 2), 1),
            (u, at(MON + 6), 1),  // Sunday: still the first week
            (u, at(MON + 7), 1),  // Monday: the second week
            (u, at(MON + 9), -1), // undone
            (u, at(MON + 15), 1),
        ];
        let t = weekly_trend(&moves, 10, 40, today, 3);
        let got: Vec<(i64, usize, u32)> = t
            .iter()
            .map(|p| (p.week_start_day, p.done, p.percent))
            .collect();
        // End of this week: 10; of the week before: 10 − 1; of the first: 9 − (1 − 1).
        assert_eq!(got, [(MON, 9, 23), (MON + 7, 9, 23), (MON + 14, 10, 25)]);

        // The moves' order does not matter.
        let mut shuffled = moves;
        shuffled.reverse();
        assert_eq!(weekly_trend(&shuffled, 10, 40, today, 3), t);
    }

    #[test]
    fn counts_stay_between_nothing_and_everything() {
        let u = UserId(1);
        let moves = [(u, at(MON + 8), 5)];
        let t = weekly_trend(&moves, 2, 4, MON + 8, 2);
        assert_eq!(t[0].done, 0, "2 − 5 is held at 0");
        assert_eq!(t[1].done, 2);
        let t = weekly_trend(&[(u, at(MON + 8), -5)], 2, 4, MON + 8, 2);
        assert_eq!((t[0].done, t[0].percent), (4, 100), "2 + 5 is held at 4");
        assert!(weekly_trend(&[], 0, 0, MON, 0).is_empty());
        let empty = weekly_trend(&[], 0, 0, MON, 2);
        assert_eq!(empty.iter().map(|p| p.percent).collect::<Vec<_>>(), [0, 0]);
    }

    #[test]
    fn a_move_after_today_counts_for_every_week() {
        let u = UserId(1);
        let t = weekly_trend(&[(u, at(MON + 30), 1)], 3, 10, MON, 2);
        assert_eq!(t.iter().map(|p| p.done).collect::<Vec<_>>(), [2, 2]);
    }

    #[test]
    fn the_chart_and_its_table_say_the_same() {
        let u = UserId(1);
        let t = weekly_trend(&[(u, at(MON + 8), 2)], 4, 8, MON + 8, 2);
        let rows = trend_table(&t);
        assert_eq!(
            rows,
            [
                TrendRow {
                    week: "2026-03-09".into(),
                    done: 2,
                    percent: 25
                },
                TrendRow {
                    week: "2026-03-16".into(),
                    done: 4,
                    percent: 50
                }
            ]
        );
        for theme in [Theme::Light, Theme::Dark] {
            let svg = trend_svg("Platform & <Core>", &t, theme);
            assert!(svg.contains(
                r#"aria-label="Platform &amp; &lt;Core&gt;: 25 % done in the week of 2026-03-09, 50 % this week""#
            ));
            assert!(svg.contains(">2026-03-09</text>"));
            leadmap_render::png(&svg, &leadmap_render::shipped_fonts(), 1.0, None).unwrap();
        }
        let none = trend_svg("T", &[], Theme::Light);
        assert!(none.contains("T: no weeks to show"));
        leadmap_render::png(&none, &leadmap_render::shipped_fonts(), 1.0, None).unwrap();
    }
}
