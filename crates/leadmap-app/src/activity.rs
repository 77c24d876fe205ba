//! A person's activity over time, from the history the store keeps: the calendar of the last
//! twelve months (an SVG heatmap, a table of months, Unicode blocks for a terminal), each
//! roadmap's percent done over time (an SVG line), the filters of the list of changes, and
//! the JSON shape of a change. Pure: the caller reads the store and the clock.

use std::fmt::Write as _;

use leadmap_core::progress::Status;
use leadmap_store::policy::DAY_MS;
use leadmap_store::{Change, HistoryDay, HistoryFilter};
use serde::Serialize;

use crate::catalog::{Catalog, escape_html};
use crate::progress::{Invalid, parse_status};
use crate::time::rfc3339;

/// Days the calendar covers, today included (a year, aligned to whole weeks below).
pub const CALENDAR_DAYS: i64 = 365;
/// Changes on one page of the list.
pub const PAGE: u32 = 50;

/// The UTC day (days since 1970-01-01) of a moment.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// A day as `YYYY-MM-DD`.
pub fn day_date(day: i64) -> String {
    crate::time::date(day * DAY_MS)
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Reads `YYYY-MM-DD` (years 2000 to 2999) to a UTC day.
pub fn parse_day(s: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::Date(s.chars().take(40).collect());
    let s = s.trim();
    if s.len() != 10 || s.as_bytes()[4] != b'-' || s.as_bytes()[7] != b'-' {
        return Err(bad());
    }
    let date: jiff::civil::Date = s.parse().map_err(|_| bad())?;
    if !(2000..=2999).contains(&date.year()) {
        return Err(bad());
    }
    let ts = date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|_| bad())?
        .timestamp();
    Ok(day_of(ts.as_millisecond()))
}

/// The calendar: changes per day from the Monday on or before a year ago, to today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The first day shown (a Monday).
    pub first: i64,
    pub today: i64,
    /// Changes per day, `first..=today`.
    pub counts: Vec<i64>,
}

/// One month of the calendar's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub changes: i64,
    pub active_days: usize,
}

impl Calendar {
    pub fn new(days: &[HistoryDay], today: i64) -> Calendar {
        let start = today - (CALENDAR_DAYS - 1);
        let first = start - weekday(start);
        let mut counts = vec![0; (today - first + 1) as usize];
        for d in days {
            if (first..=today).contains(&d.day) {
                counts[(d.day - first) as usize] += d.changes.max(0);
            }
        }
        Calendar {
            first,
            today,
            counts,
        }
    }

    /// The first day [`HistoryStore::history_days`](leadmap_store::HistoryStore) is asked from.
    pub fn first_day(today: i64) -> i64 {
        let start = today - (CALENDAR_DAYS - 1);
        start - weekday(start)
    }

    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }

    pub fn active_days(&self) -> usize {
        self.counts.iter().filter(|&&c| c > 0).count()
    }

    /// 0 (none) to 4 (the busiest days), by quarters of the busiest day.
    pub fn level(&self, count: i64) -> usize {
        let max = self.counts.iter().copied().max().unwrap_or(0);
        if count <= 0 || max <= 0 {
            0
        } else {
            (((count * 4) + max - 1) / max).clamp(1, 4) as usize
        }
    }

    /// Per month, the newest first: changes and days with changes.
    pub fn months(&self) -> Vec<MonthRow> {
        let mut rows: Vec<MonthRow> = Vec::new();
        for (i, &c) in self.counts.iter().enumerate() {
            let month = day_date(self.first + i as i64)[..7].to_owned();
            match rows.last_mut() {
                Some(r) if r.month == month => {
                    r.changes += c;
                    r.active_days += usize::from(c > 0);
                }
                _ => rows.push(MonthRow {
                    month,
                    changes: c,
                    active_days: usize::from(c > 0),
                }),
            }
        }
        rows.reverse();
        rows
    }

    /// The heatmap as SVG: a column per week (Monday on top), a square per day with its date
    /// and count in a `<title>`, month names above; classes `l0`…`l4` carry the level (the
    /// page's style sheet colours them for each theme).
    pub fn svg(&self) -> String {
        const CELL: i64 = 11;
        const STEP: i64 = 14;
        const LEFT: i64 = 30;
        const TOP: i64 = 18;
        let weeks = (self.counts.len() as i64 + 6) / 7;
        let (w, h) = (LEFT + weeks * STEP, TOP + 7 * STEP);
        let mut s = String::with_capacity(self.counts.len() * 90 + 1024);
        let _ = write!(
            s,
            r#"<svg class="heat" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="heat-title"><title id="heat-title">{} changes on {} days in the last twelve months (the table below has them by month)</title>"#,
            self.total(),
            self.active_days()
        );
        for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
            let _ = write!(
                s,
                r#"<text x="0" y="{}" class="lbl">{name}</text>"#,
                TOP + row * STEP + CELL - 1
            );
        }
        let mut last_month = String::new();
        for (i, &c) in self.counts.iter().enumerate() {
            let day = self.first + i as i64;
            let (col, row) = (i as i64 / 7, i as i64 % 7);
            let date = day_date(day);
            if row == 0 && date[5..7] != last_month {
                last_month = date[5..7].to_owned();
                if col < weeks - 1 {
                    let _ = write!(
                        s,
                        r#"<text x="{}" y="11" class="lbl">{}</text>"#,
                        LEFT + col * STEP,
                        month_name(&last_month)
                    );
                }
            }
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{CELL}" height="{CELL}" rx="2" class="l{}"><title>{date}: {c} {}</title></rect>"#,
                LEFT + col * STEP,
                TOP + row * STEP,
                self.level(c),
                if c == 1 { "change" } else { "changes" }
            );
        }
        s.push_str("</svg>");
        s
    }

    /// The heatmap in Unicode blocks for a terminal: a row per weekday, a column per week,
    /// ` ░▒▓█` by level, with the months above.
    pub fn blocks(&self) -> String {
        const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];
        let weeks = self.counts.len().div_ceil(7);
        let mut months = vec![' '; weeks + 4];
        let mut last = String::new();
        for col in 0..weeks {
            let date = day_date(self.first + col as i64 * 7);
            if date[5..7] != last {
                last = date[5..7].to_owned();
                for (k, ch) in month_name(&last).chars().take(3).enumerate() {
                    if col + k < months.len() && (k > 0 || col + 3 < weeks) {
                        months[col + k] = ch;
                    }
                }
            }
        }
        let mut out = format!("    {}\n", months.iter().collect::<String>().trim_end());
        for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .enumerate()
        {
            out.push_str(name);
            out.push(' ');
            for col in 0..weeks {
                let i = col * 7 + row;
                out.push(match self.counts.get(i) {
                    Some(&c) => SHADES[self.level(c)],
                    None => ' ',
                });
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
        out
    }
}

fn month_name(mm: &str) -> &'static str {
    match mm {
        "01" => "Jan",
        "02" => "Feb",
        "03" => "Mar",
        "04" => "Apr",
        "05" => "May",
        "06" => "Jun",
        "07" => "Jul",
        "08" => "Aug",
        "09" => "Sep",
        "10" => "Oct",
        "11" => "Nov",
        _ => "Dec",
    }
}

/// One roadmap's percent done over the calendar's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneLine {
    pub roadmap: String,
    pub title: String,
    /// (day, percent done at the end of that day), from the first day shown to today: the
    /// value at the start, then one point per day the finished count moved.
    pub points: Vec<(i64, u32)>,
}

impl DoneLine {
    pub fn start(&self) -> u32 {
        self.points.first().map_or(0, |p| p.1)
    }

    pub fn end(&self) -> u32 {
        self.points.last().map_or(0, |p| p.1)
    }

    /// The line as SVG: percent (0–100) up, the year across, a step per day that moved.
    pub fn svg(&self, first: i64, today: i64) -> String {
        const W: i64 = 640;
        const H: i64 = 160;
        const LEFT: i64 = 44;
        const TOP: i64 = 8;
        const BOTTOM: i64 = 22;
        let span = (today - first).max(1);
        let x = |d: i64| LEFT + (d - first).clamp(0, span) * (W - LEFT - 8) / span;
        let y = |p: u32| TOP + (100 - i64::from(p.min(100))) * (H - TOP - BOTTOM) / 100;
        let mut pts = String::new();
        let mut prev: Option<u32> = None;
        for &(d, p) in &self.points {
            if let Some(q) = prev {
                let _ = write!(pts, "{},{} ", x(d), y(q));
            }
            let _ = write!(pts, "{},{} ", x(d), y(p));
            prev = Some(p);
        }
        if let Some(q) = prev {
            let _ = write!(pts, "{},{}", x(today), y(q));
        }
        let title = escape_html(&self.title);
        format!(
            concat!(
                r#"<svg class="doneline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-label="{title}: {start} % done on {from}, {end} % today">"#,
                r#"<line class="axis" x1="{l}" y1="{y100}" x2="{r}" y2="{y100}"/>"#,
                r#"<line class="axis" x1="{l}" y1="{y0}" x2="{r}" y2="{y0}"/>"#,
                r#"<text class="lbl" x="0" y="{ty100}">100 %</text><text class="lbl" x="0" y="{ty0}">0 %</text>"#,
                r#"<text class="lbl" x="{l}" y="{H}">{from}</text><text class="lbl" x="{r}" y="{H}" text-anchor="end">today</text>"#,
                r#"<polyline class="done" fill="none" points="{pts}"/></svg>"#
            ),
            W = W,
            H = H,
            title = title,
            start = self.start(),
            end = self.end(),
            from = day_date(first),
            l = LEFT,
            r = W - 8,
            y100 = y(100),
            y0 = y(0),
            ty100 = y(100) + 4,
            ty0 = y(0) + 4,
            pts = pts.trim_end(),
        )
    }
}

/// Percent done over the calendar's year, per roadmap of the catalog with any history, in the
/// catalog's order. `days` must hold every day of the history (not only the year's).
pub fn done_lines(catalog: &Catalog, days: &[HistoryDay], first: i64, today: i64) -> Vec<DoneLine> {
    let mut lines = Vec::new();
    for e in &catalog.roadmaps {
        let mine: Vec<&HistoryDay> = days.iter().filter(|d| d.roadmap == e.id).collect();
        if mine.is_empty() {
            continue;
        }
        let total = e.topics.len() as i64;
        let percent = |done: i64| -> u32 {
            let done = done.clamp(0, total);
            ((done * 100).checked_div(total).unwrap_or(0) as u32).max(u32::from(done > 0))
        };
        let before: i64 = mine
            .iter()
            .filter(|d| d.day < first)
            .map(|d| d.done_delta)
            .sum();
        let mut done = before;
        let mut points = vec![(first, percent(done))];
        for d in mine.iter().filter(|d| (first..=today).contains(&d.day)) {
            if d.done_delta != 0 {
                done += d.done_delta;
                points.push((d.day, percent(done)));
            }
        }
        lines.push(DoneLine {
            roadmap: e.id.clone(),
            title: e.title(),
            points,
        });
    }
    lines
}

/// The list's filters as a page or the API receives them (each optional, as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub roadmap: String,
    #[serde(default)]
    pub status: String,
    /// `YYYY-MM-DD`, the first day included.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, the last day included.
    #[serde(default)]
    pub to: String,
    /// The cursor of the next page (`AT.ID` of the last change shown).
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub limit: Option<u32>,
}

impl FilterQuery {
    /// The store's filter; an unknown roadmap, status, date or cursor is refused with words.
    pub fn filter(&self, catalog: &Catalog) -> Result<HistoryFilter, Invalid> {
        let roadmap = match self.roadmap.trim() {
            "" => None,
            r if catalog.get(r).is_some() => Some(r.to_owned()),
            r => return Err(Invalid::Roadmap(r.chars().take(80).collect())),
        };
        let to = match self.status.trim() {
            "" => None,
            s => Some(parse_status(s)?),
        };
        let day = |s: &str| -> Result<Option<i64>, Invalid> {
            match s.trim() {
                "" => Ok(None),
                s => parse_day(s).map(Some),
            }
        };
        let since = day(&self.from)?.map(|d| d * DAY_MS);
        let until = day(&self.to)?.map(|d| (d + 1) * DAY_MS);
        let before = match self.before.trim() {
            "" => None,
            c => Some(parse_cursor(c).ok_or(Invalid::Cursor)?),
        };
        Ok(HistoryFilter {
            roadmap,
            to,
            since,
            until,
            before,
            limit: self.limit.unwrap_or(PAGE).clamp(1, 1_000),
        })
    }
}

/// The cursor after a change: `AT.ID`.
pub fn cursor(c: &Change) -> String {
    format!("{}.{}", c.at, c.id)
}

fn parse_cursor(s: &str) -> Option<(i64, i64)> {
    let (at, id) = s.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// A change as the API and the export write it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChangeItem {
    pub id: i64,
    pub roadmap: String,
    pub topic: String,
    /// The status left: `pending` when the topic had no record.
    pub from: &'static str,
    pub to: &'static str,
    /// RFC 3339.
    pub at: String,
}

impl From<&Change> for ChangeItem {
    fn from(c: &Change) -> ChangeItem {
        ChangeItem {
            id: c.id,
            roadmap: c.roadmap.clone(),
            topic: c.topic.clone(),
            from: c.from.unwrap_or_default().as_str(),
            to: c.to.as_str(),
            at: rfc3339(c.at),
        }
    }
}

/// A page of changes (`GET /api/v1/me/history`): `next` is the `before` of the page after.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChangePage {
    pub changes: Vec<ChangeItem>,
    pub next: Option<String>,
}

impl ChangePage {
    /// The page of `changes` (at most `limit` of them were asked for: a full page has a next).
    pub fn new(changes: &[Change], limit: u32) -> ChangePage {
        ChangePage {
            next: (changes.len() as u32 >= limit)
                .then(|| changes.last().map(cursor))
                .flatten(),
            changes: changes.iter().map(ChangeItem::from).collect(),
        }
    }
}

/// Per topic, how much its finished count (done or skipped) moved over `changes`: +1 for a
/// topic finished since, -1 for one unfinished since, 0 or absent otherwise.
pub fn finished_moves(changes: &[Change]) -> std::collections::HashMap<String, i64> {
    let mut moved = std::collections::HashMap::new();
    for c in changes {
        let d = i64::from(leadmap_store::policy::finished(Some(c.to)))
            - i64::from(leadmap_store::policy::finished(c.from));
        *moved.entry(c.topic.clone()).or_insert(0) += d;
    }
    moved
}

/// `n` synthetic progress records for benchmarks: `n` status changes of `topics` of
/// `roadmap`, spread evenly over the `days` days before `now` (oldest first, each record a
/// different status from the last one of its topic, so every record is a change, and the
/// same topic at least an hour apart so none folds into another when there are enough
/// topics). Deterministic.
pub fn synthetic_changes(
    roadmap: &str,
    topics: &[String],
    n: usize,
    days: i64,
    now: i64,
) -> Vec<leadmap_store::Progress> {
    let span = days * DAY_MS;
    let step = (span / n.max(1) as i64).max(1);
    (0..n)
        .map(|i| {
            let round = i / topics.len().max(1);
            leadmap_store::Progress {
                roadmap: roadmap.to_owned(),
                topic: topics[i % topics.len().max(1)].clone(),
                status: Status::ALL[1 + round % 3],
                note: String::new(),
                updated_at: now - span + i as i64 * step,
            }
        })
        .collect()
}

/// The status word shown for a change's status (`pending` for none).
pub fn word(s: Option<Status>) -> &'static str {
    s.unwrap_or_default().as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(roadmap: &str, day: i64, changes: i64, done_delta: i64) -> HistoryDay {
        HistoryDay {
            roadmap: roadmap.into(),
            day,
            changes,
            done_delta,
        }
    }

    #[test]
    fn dates_are_days_of_years_2000_to_2999() {
        assert_eq!(
            parse_day("1970-01-02").unwrap_err().to_string(),
            "not a date: \"1970-01-02\": use YYYY-MM-DD, a year from 2000 to 2999"
        );
        assert_eq!(day_date(parse_day("2026-12-04").unwrap()), "2026-12-04");
        for bad in [
            "99999-01-01",
            "2026-02-30",
            "2026-1-1",
            "tomorrow",
            "",
            "3000-01-01",
        ] {
            assert!(parse_day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_calendar_covers_a_year_of_whole_weeks_from_a_monday() {
        let today = parse_day("2026-12-04").unwrap();
        let c = Calendar::new(
            &[
                day("el", today, 3, 1),
                day("em", today, 1, 0),
                day("el", today - 400, 9, 0),
            ],
            today,
        );
        assert_eq!(weekday(c.first), 0);
        assert!(today - c.first >= CALENDAR_DAYS - 1 && today - c.first < CALENDAR_DAYS + 6);
        assert_eq!((c.total(), c.active_days()), (4, 1));
        assert_eq!(c.level(4), 4);
        assert_eq!(c.level(1), 1);
        assert_eq!(
            c.months()[0],
            MonthRow {
                month: "2026-12".into(),
                changes: 4,
                active_days: 1
            }
        );
        let svg = c.svg();
        assert!(
            svg.contains("<title>2026-12-04: 4 changes</title>"),
            "{svg}"
        );
        assert_eq!(svg.matches("<rect").count(), c.counts.len());
        let blocks = c.blocks();
        assert_eq!(blocks.lines().count(), 8);
        assert!(blocks.contains('█'));
    }

    #[test]
    fn percent_done_starts_from_everything_before_the_year() {
        let catalog = Catalog::bundled();
        let e = &catalog.roadmaps[0];
        let total = e.topics.len() as i64;
        let today = 20_000;
        let first = Calendar::first_day(today);
        let days = [
            day(&e.id, first - 10, total, total),
            day(&e.id, today - 1, 1, -total),
        ];
        let lines = done_lines(&catalog, &days, first, today);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].points, vec![(first, 100), (today - 1, 0)]);
        assert!(lines[0].svg(first, today).contains("100 % done on"));
    }

    #[test]
    fn filters_are_checked_with_words() {
        let catalog = Catalog::bundled();
        let id = catalog.roadmaps[0].id.clone();
        let q = FilterQuery {
            roadmap: id.clone(),
            status: "done".into(),
            from: "2026-01-01".into(),
            to: "2026-01-31".into(),
            before: "5.7".into(),
            limit: None,
        };
        let f = q.filter(&catalog).unwrap();
        assert_eq!(f.roadmap.as_deref(), Some(id.as_str()));
        assert_eq!(f.to, Some(Status::Done));
        assert_eq!(f.until.unwrap() - f.since.unwrap(), 31 * DAY_MS);
        assert_eq!(f.before, Some((5, 7)));
        assert_eq!(f.limit, PAGE);
        let bad = |q: FilterQuery| q.filter(&catalog).unwrap_err().to_string();
        assert!(
            bad(FilterQuery {
                roadmap: "nope".into(),
                ..FilterQuery::default()
            })
            .contains("no roadmap")
        );
        assert!(
            bad(FilterQuery {
                status: "finished".into(),
                ..FilterQuery::default()
            })
            .contains("unknown status")
        );
        assert!(
            bad(FilterQuery {
                from: "99999-01-01".into(),
                ..FilterQuery::default()
            })
            .contains("YYYY-MM-DD")
        );
        assert!(
            bad(FilterQuery {
                before: "x".into(),
                ..FilterQuery::default()
            })
            .contains("cursor")
        );
    }
}
