//! A team's dashboard on one roadmap: every member's status on every topic, and what follows
//! from it (percent done per member and area, the team's percent per area, per topic counts,
//! the gaps and the single points of knowledge), the heatmap, the JSON shapes and the CSV.
//!
//! **Percent done counts `done` only.** A skipped topic is neither done nor left out of the
//! whole: a member who skipped half a roadmap and did the rest is at 50 %. (A person's own
//! summary counts skipped as finished; a team's numbers are about what the team knows.)
//!
//! Topics are in roadmap order as the list view shows them: area by area, the topics outside
//! every area (an introduction's) first; so an area's topics are one run of columns.
//!
//! Built in one pass over the records, with indices: a member is a row, a topic a column, a
//! status one byte. 1,000 members on a 300-topic roadmap (195,000 records) take about 4 ms
//! with optimisations (`time_a_thousand_members_on_three_hundred_topics`, ignored by default).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use leadmap_core::progress::Status;
use leadmap_render::heatmap::{HeatRow, Heatmap};
use leadmap_store::{TeamRecord, UserId};
use serde::Serialize;

use crate::catalog::{Area, Entry, TopicInfo, percent};

/// A member as the dashboard names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    /// The name shown (the display name, else the user name).
    pub name: String,
}

/// The status kept per member and topic, one byte each: the index in this array.
const STATUSES: [Status; 4] = [
    Status::Pending,
    Status::Learning,
    Status::Done,
    Status::Skipped,
];
const PENDING: u8 = 0;
const LEARNING: u8 = 1;
const DONE: u8 = 2;
const SKIPPED: u8 = 3;

fn code(s: Status) -> u8 {
    match s {
        Status::Pending => PENDING,
        Status::Learning => LEARNING,
        Status::Done => DONE,
        Status::Skipped => SKIPPED,
    }
}

/// A small multiply-and-rotate hasher for the topic id → column map (FxHash's scheme): the
/// map's keys are the roadmap's own ids, and SipHash would cost more than the lookup.
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl IdHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type IdMap<'a> = HashMap<&'a str, u32, BuildHasherDefault<IdHasher>>;

/// How many of some topics a member has in each status, and the percent done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub done: usize,
    pub learning: usize,
    pub skipped: usize,
    pub pending: usize,
    /// Of all the topics counted: `done` only (see the module's note).
    pub percent: u32,
}

impl Counts {
    fn of(c: [u32; 4]) -> Counts {
        let [pending, learning, done, skipped] = c.map(|n| n as usize);
        Counts {
            done,
            learning,
            skipped,
            pending,
            percent: percent(done, pending + learning + done + skipped),
        }
    }

    pub fn total(&self) -> usize {
        self.done + self.learning + self.skipped + self.pending
    }
}

/// A topic only one member has done, and that member.
#[derive(Debug, Clone, Copy)]
pub struct SinglePoint<'a> {
    pub topic: &'a TopicInfo,
    /// The topic's column.
    pub index: usize,
    pub person: &'a Person,
}

/// Every member's status on every topic of a roadmap, and the sums of them.
#[derive(Debug)]
pub struct Dashboard<'a> {
    entry: &'a Entry,
    people: &'a [Person],
    /// The columns: every learnable topic, area by area.
    topics: Vec<&'a TopicInfo>,
    /// The columns of each area of `entry.areas`.
    area_ranges: Vec<Range<usize>>,
    /// Topic id → column.
    column: IdMap<'a>,
    /// `people.len()` rows of `topics.len()` status codes.
    cells: Vec<u8>,
    /// Per member: how many topics in each status (by code).
    person_counts: Vec<[u32; 4]>,
    /// `people.len()` rows of `areas.len()` counts of done topics.
    person_area_done: Vec<u32>,
    /// Per topic: how many members in each status (by code).
    topic_counts: Vec<[u32; 4]>,
    /// Per topic: the last member (row) found with it done; the only one when one has.
    holder: Vec<u32>,
}

impl<'a> Dashboard<'a> {
    /// `records`: the members' records on `entry`'s roadmap (pending ones need not be there).
    /// Records of people not in `people` and of topics the roadmap no longer has are ignored;
    /// of two records of one member and topic, the later wins. A person listed twice is one
    /// row each (the second gets no records).
    pub fn new<'r>(
        entry: &'a Entry,
        people: &'a [Person],
        records: impl IntoIterator<Item = &'r TeamRecord>,
    ) -> Dashboard<'a> {
        let mut topics = Vec::with_capacity(entry.topics.len());
        let mut area_ranges = Vec::with_capacity(entry.areas.len());
        for a in &entry.areas {
            let start = topics.len();
            topics.extend(a.topics.iter());
            area_ranges.push(start..topics.len());
        }
        let mut column = IdMap::with_capacity_and_hasher(topics.len(), Default::default());
        for (i, t) in topics.iter().enumerate() {
            column.entry(t.id.as_str()).or_insert(i as u32);
        }
        let row: HashMap<UserId, u32> = people
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.id, i as u32))
            .collect();

        let width = topics.len();
        let mut cells = vec![PENDING; people.len() * width];
        // Records come grouped by person (a row is looked up once per run), each person's by
        // topic id: walked in step with the ids sorted, most topics are found by one string
        // comparison; a record out of that order is looked up in the map.
        let mut sorted: Vec<(&str, u32)> = column.iter().map(|(&id, &t)| (id, t)).collect();
        sorted.sort_unstable();
        let mut current: Option<(UserId, Option<u32>)> = None;
        let mut next = 0;
        for r in records {
            let p = match current {
                Some((id, p)) if id == r.user => p,
                _ => {
                    let p = row.get(&r.user).copied();
                    current = Some((r.user, p));
                    next = 0;
                    p
                }
            };
            let Some(p) = p else { continue };
            let topic = r.topic.as_str();
            let t = loop {
                match sorted.get(next) {
                    Some(&(id, t)) if id == topic => {
                        next += 1;
                        break Some(t);
                    }
                    Some(&(id, _)) if id < topic => next += 1,
                    _ => break column.get(topic).copied(),
                }
            };
            if let Some(t) = t {
                cells[p as usize * width + t as usize] = code(r.status);
            }
        }

        // The sums, in one pass over the rows.
        let areas = area_ranges.len();
        let mut person_counts = vec![[0u32; 4]; people.len()];
        let mut person_area_done = vec![0u32; people.len() * areas];
        let mut topic_counts = vec![[0u32; 4]; width];
        let mut holder = vec![0u32; width];
        for p in 0..people.len() {
            let statuses = &cells[p * width..(p + 1) * width];
            let counts = &mut person_counts[p];
            for (a, range) in area_ranges.iter().enumerate() {
                let mut done = 0;
                for t in range.clone() {
                    let s = statuses[t];
                    counts[usize::from(s)] += 1;
                    topic_counts[t][usize::from(s)] += 1;
                    if s == DONE {
                        done += 1;
                        holder[t] = p as u32;
                    }
                }
                person_area_done[p * areas + a] = done;
            }
        }
        Dashboard {
            entry,
            people,
            topics,
            area_ranges,
            column,
            cells,
            person_counts,
            person_area_done,
            topic_counts,
            holder,
        }
    }

    pub fn entry(&self) -> &'a Entry {
        self.entry
    }

    /// The members, one row each, in the order given.
    pub fn people(&self) -> &'a [Person] {
        self.people
    }

    /// The topics, one column each, in roadmap order.
    pub fn topics(&self) -> &[&'a TopicInfo] {
        &self.topics
    }

    /// The roadmap's areas, in order (the index is the one every `area` argument takes).
    pub fn areas(&self) -> &'a [Area] {
        &self.entry.areas
    }

    /// The columns of an area's topics.
    pub fn area_columns(&self, area: usize) -> Range<usize> {
        self.area_ranges.get(area).cloned().unwrap_or(0..0)
    }

    /// A topic's column.
    pub fn column(&self, topic: &str) -> Option<usize> {
        self.column.get(topic).map(|&t| t as usize)
    }

    /// A member's row (the first, when listed twice).
    pub fn row(&self, id: UserId) -> Option<usize> {
        self.people.iter().position(|p| p.id == id)
    }

    /// A member's status on a topic (pending outside the table).
    pub fn status(&self, person: usize, topic: usize) -> Status {
        self.row_cells(person)
            .get(topic)
            .map_or(Status::Pending, |&s| STATUSES[usize::from(s)])
    }

    /// A member's statuses, one per topic in column order (none outside the table).
    pub fn statuses(&self, person: usize) -> impl Iterator<Item = Status> + '_ {
        self.row_cells(person)
            .iter()
            .map(|&s| STATUSES[usize::from(s)])
    }

    /// A member's row of status codes (empty outside the table).
    fn row_cells(&self, person: usize) -> &[u8] {
        let w = self.topics.len();
        if person < self.people.len() {
            &self.cells[person * w..(person + 1) * w]
        } else {
            &[]
        }
    }

    /// A member's counts over the whole roadmap.
    pub fn person(&self, person: usize) -> Counts {
        Counts::of(self.person_counts.get(person).copied().unwrap_or_default())
    }

    /// A member's done topics in an area: (done, the area's topics, percent).
    pub fn person_area(&self, person: usize, area: usize) -> (usize, usize, u32) {
        let total = self.area_columns(area).len();
        let areas = self.area_ranges.len();
        let done = if person < self.people.len() && area < areas {
            self.person_area_done[person * areas + area] as usize
        } else {
            0
        };
        (done, total, percent(done, total))
    }

    /// The team's percent done in an area: done (member, topic) pairs over members × topics.
    pub fn area_percent(&self, area: usize) -> u32 {
        let (done, whole) = self.area_done(area);
        percent(done, whole)
    }

    /// Done (member, topic) pairs in an area, and members × the area's topics.
    pub fn area_done(&self, area: usize) -> (usize, usize) {
        let areas = self.area_ranges.len();
        if area >= areas {
            return (0, 0);
        }
        let done = (0..self.people.len())
            .map(|p| self.person_area_done[p * areas + area] as usize)
            .sum();
        (done, self.people.len() * self.area_columns(area).len())
    }

    /// The team's percent done over the whole roadmap, and the done pairs and the whole it is
    /// made of (what the trend starts from).
    pub fn overall(&self) -> (usize, usize, u32) {
        let done = self
            .person_counts
            .iter()
            .map(|c| c[usize::from(DONE)] as usize)
            .sum();
        let whole = self.people.len() * self.topics.len();
        (done, whole, percent(done, whole))
    }

    /// How many members have a topic in each status.
    pub fn topic_counts(&self, topic: usize) -> Counts {
        Counts::of(self.topic_counts.get(topic).copied().unwrap_or_default())
    }

    /// The members who have a topic done, in row order.
    pub fn holders(&self, topic: usize) -> impl Iterator<Item = &'a Person> + '_ {
        let w = self.topics.len();
        let people = self.people;
        (0..people.len())
            .filter(move |&p| topic < w && self.cells[p * w + topic] == DONE)
            .map(move |p| &people[p])
    }

    /// The topics no member has done, in roadmap order (none when the team has no members).
    pub fn gaps(&self) -> Vec<&'a TopicInfo> {
        if self.people.is_empty() {
            return Vec::new();
        }
        self.topic_counts
            .iter()
            .zip(&self.topics)
            .filter(|(c, _)| c[usize::from(DONE)] == 0)
            .map(|(_, &t)| t)
            .collect()
    }

    /// The topics exactly one member has done, with that member, in roadmap order.
    pub fn single_points(&self) -> Vec<SinglePoint<'a>> {
        self.topic_counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c[usize::from(DONE)] == 1)
            .map(|(t, _)| SinglePoint {
                topic: self.topics[t],
                index: t,
                person: &self.people[self.holder[t] as usize],
            })
            .collect()
    }

    /// Topics a member could close for the team, at most `n`: the gaps first, then the single
    /// points someone else holds, each in roadmap order; never one the member has done or
    /// skipped.
    pub fn could_close(&self, person: usize, n: usize) -> Vec<&'a TopicInfo> {
        let open = |t: usize| !matches!(self.status(person, t), Status::Done | Status::Skipped);
        let gaps = (0..self.topics.len())
            .filter(|&t| self.topic_counts[t][usize::from(DONE)] == 0 && !self.people.is_empty());
        let singles = (0..self.topics.len()).filter(|&t| {
            self.topic_counts[t][usize::from(DONE)] == 1 && self.holder[t] as usize != person
        });
        gaps.chain(singles)
            .filter(|&t| open(t))
            .take(n)
            .map(|t| self.topics[t])
            .collect()
    }

    /// Rows ordered by shown name (without regard to case), then as given.
    pub fn by_name(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.people.len()).collect();
        order.sort_by(|&a, &b| self.name_order(a, b));
        order
    }

    /// Rows ordered by percent done over the roadmap, highest first, then by name.
    pub fn by_percent(&self) -> Vec<usize> {
        let done = |p: usize| self.person_counts[p][usize::from(DONE)];
        let mut order: Vec<usize> = (0..self.people.len()).collect();
        order.sort_by(|&a, &b| done(b).cmp(&done(a)).then_with(|| self.name_order(a, b)));
        order
    }

    /// Rows ordered by percent done in one area, highest first, then by name.
    pub fn by_area(&self, area: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.people.len()).collect();
        order.sort_by(|&a, &b| {
            let (da, db) = (self.person_area(a, area).0, self.person_area(b, area).0);
            db.cmp(&da).then_with(|| self.name_order(a, b))
        });
        order
    }

    fn name_order(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (na, nb) = (&self.people[a].name, &self.people[b].name);
        let fold = |s: &'a str| s.chars().flat_map(char::to_lowercase);
        fold(na)
            .cmp(fold(nb))
            .then_with(|| na.cmp(nb))
            .then(a.cmp(&b))
    }

    /// Members × areas, percent done, members in the order given.
    pub fn heatmap(&self, title: &str) -> Heatmap {
        let order: Vec<usize> = (0..self.people.len()).collect();
        self.heatmap_in(title, &order)
    }

    /// Members × areas, percent done, the rows in `order` (from [`Dashboard::by_name`] …).
    pub fn heatmap_in(&self, title: &str, order: &[usize]) -> Heatmap {
        let areas = self.areas();
        Heatmap {
            title: title.to_owned(),
            columns: areas.iter().map(|a| a.title.clone()).collect(),
            rows: order
                .iter()
                .filter(|&&p| p < self.people.len())
                .map(|&p| HeatRow {
                    label: self.people[p].name.clone(),
                    cells: (0..areas.len())
                        .map(|a| {
                            let (_, total, pc) = self.person_area(p, a);
                            (total > 0).then_some(pc)
                        })
                        .collect(),
                })
                .collect(),
            legend: "percent done".to_owned(),
        }
    }

    /// The team's numbers without a name in them, for members who may not see names.
    pub fn aggregate(&self) -> Aggregate<'a> {
        let (_, _, pc) = self.overall();
        Aggregate {
            roadmap: &self.entry.id,
            members: self.people.len(),
            percent: pc,
            areas: self.area_json(),
            topics: self
                .topics
                .iter()
                .enumerate()
                .map(|(t, info)| {
                    let c = self.topic_counts(t);
                    TopicCountsJson {
                        topic: &info.id,
                        title: &info.title,
                        done: c.done,
                        learning: c.learning,
                        skipped: c.skipped,
                        pending: c.pending,
                    }
                })
                .collect(),
        }
    }

    fn area_json(&self) -> Vec<AreaJson<'a>> {
        self.areas()
            .iter()
            .enumerate()
            .map(|(a, area)| AreaJson {
                area: &area.id,
                title: &area.title,
                percent: self.area_percent(a),
            })
            .collect()
    }

    /// The dashboard's numbers for the API, members in the order given.
    pub fn json(&self) -> DashboardJson<'a> {
        let areas = self.areas();
        DashboardJson {
            roadmap: &self.entry.id,
            members: (0..self.people.len())
                .map(|p| {
                    let c = self.person(p);
                    MemberJson {
                        name: &self.people[p].name,
                        done: c.done,
                        learning: c.learning,
                        skipped: c.skipped,
                        percent: c.percent,
                        areas: areas
                            .iter()
                            .enumerate()
                            .map(|(a, area)| {
                                let (done, total, percent) = self.person_area(p, a);
                                MemberAreaJson {
                                    area: &area.id,
                                    done,
                                    total,
                                    percent,
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
            areas: self.area_json(),
            gaps: self
                .gaps()
                .into_iter()
                .map(|t| TopicJson {
                    topic: &t.id,
                    title: &t.title,
                })
                .collect(),
            single_points: self
                .single_points()
                .into_iter()
                .map(|s| SinglePointJson {
                    topic: &s.topic.id,
                    title: &s.topic.title,
                    member: &s.person.name,
                })
                .collect(),
        }
    }

    /// Every member's status on every topic, for the API.
    pub fn matrix_json(&self) -> MatrixJson<'a> {
        MatrixJson {
            topics: self.topics.iter().map(|t| t.id.as_str()).collect(),
            members: (0..self.people.len())
                .map(|p| MatrixMemberJson {
                    name: &self.people[p].name,
                    statuses: self.statuses(p).collect(),
                })
                .collect(),
        }
    }

    /// The matrix as CSV: a header `member` and every topic id, then a row per member with
    /// their shown name and a status word per topic (`done`, `learning`, `skipped`,
    /// `pending`). Quoted by the `csv` crate as the progress files are.
    ///
    /// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (and some a tab or a
    /// carriage return) as a formula: a name is text a member chose, so a cell starting with
    /// one of those gets a leading apostrophe (`'=cmd…`), which spreadsheets show as text.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let w = self.topics.len();
        let mut out = csv::Writer::from_writer(Vec::with_capacity(
            64 + w * 24 + self.people.len() * (24 + w * 8),
        ));
        let mut header: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(w + 1);
        header.push("member".into());
        header.extend(self.topics.iter().map(|t| formula_safe(&t.id)));
        out.write_record(header.iter().map(|c| c.as_bytes()))?;
        for (p, person) in self.people.iter().enumerate() {
            let name = formula_safe(&person.name);
            let statuses = self.statuses(p).map(|s| s.as_str().as_bytes());
            out.write_record(std::iter::once(name.as_bytes()).chain(statuses))?;
        }
        let bytes = out.into_inner().map_err(|e| e.into_error())?;
        // Every field written was a `str`: the bytes are UTF-8.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A CSV cell that no spreadsheet runs as a formula (see [`Dashboard::to_csv`]).
fn formula_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// The dashboard's numbers as the API answers them.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardJson<'a> {
    pub roadmap: &'a str,
    pub members: Vec<MemberJson<'a>>,
    pub areas: Vec<AreaJson<'a>>,
    pub gaps: Vec<TopicJson<'a>>,
    pub single_points: Vec<SinglePointJson<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberJson<'a> {
    pub name: &'a str,
    pub done: usize,
    pub learning: usize,
    pub skipped: usize,
    pub percent: u32,
    pub areas: Vec<MemberAreaJson<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberAreaJson<'a> {
    pub area: &'a str,
    pub done: usize,
    pub total: usize,
    pub percent: u32,
}

/// An area and the team's percent done in it.
#[derive(Debug, Clone, Serialize)]
pub struct AreaJson<'a> {
    pub area: &'a str,
    pub title: &'a str,
    pub percent: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicJson<'a> {
    pub topic: &'a str,
    pub title: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SinglePointJson<'a> {
    pub topic: &'a str,
    pub title: &'a str,
    pub member: &'a str,
}

/// Every member's status per topic: `statuses[i]` is the status on `topics[i]`.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixJson<'a> {
    pub topics: Vec<&'a str>,
    pub members: Vec<MatrixMemberJson<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixMemberJson<'a> {
    pub name: &'a str,
    pub statuses: Vec<Status>,
}

/// A team's numbers without names: how many members, the percent done over the roadmap and
/// per area, and per topic how many members have it in each status.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate<'a> {
    pub roadmap: &'a str,
    pub members: usize,
    pub percent: u32,
    pub areas: Vec<AreaJson<'a>>,
    pub topics: Vec<TopicCountsJson<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicCountsJson<'a> {
    pub topic: &'a str,
    pub title: &'a str,
    pub done: usize,
    pub learning: usize,
    pub skipped: usize,
    pub pending: usize,
}

impl Aggregate<'_> {
    /// One row, `label` (the team's name, say), by areas: the team's percent done in each.
    pub fn heatmap(&self, title: &str, label: &str) -> Heatmap {
        Heatmap {
            title: title.to_owned(),
            columns: self.areas.iter().map(|a| a.title.to_owned()).collect(),
            rows: vec![HeatRow {
                label: label.to_owned(),
                cells: self
                    .areas
                    .iter()
                    .map(|a| (self.members > 0).then_some(a.percent))
                    .collect(),
            }],
            legend: "percent done".to_owned(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two areas: Hiring (a, a-sub, b) and Growth (c, d), with an introduction (why) first.
    pub(crate) const MAP: &str = "# Team map\n\n## Start {.part}\n\n- Why\n\n## Hiring\n\n- A {#a}\n  - A sub {#a-sub}\n- B {#b}\n\n## Growth\n\n- C {#c}\n- D {#d}\n";

    pub(crate) fn entry() -> Entry {
        Entry::new(leadmap_core::parse(MAP.as_bytes(), "team-map").roadmap)
    }

    pub(crate) fn people() -> Vec<Person> {
        ["Zoe", "ana", "Bo"]
            .iter()
            .enumerate()
            .map(|(i, n)| Person {
                id: UserId(i as i64 + 1),
                name: (*n).to_owned(),
            })
            .collect()
    }

    pub(crate) fn rec(user: i64, topic: &str, status: Status) -> TeamRecord {
        TeamRecord {
            user: UserId(user),
            topic: topic.to_owned(),
            status,
            updated_at: 0,
            shared_note: None,
        }
    }

    /// Zoe: a, a-sub, c done, b skipped; ana: a done, d learning; Bo: nothing. Plus records
    /// to ignore: a stranger's, and a topic the roadmap lost.
    pub(crate) fn records() -> Vec<TeamRecord> {
        vec![
            rec(1, "a", Status::Done),
            rec(1, "a-sub", Status::Done),
            rec(1, "b", Status::Skipped),
            rec(1, "c", Status::Done),
            rec(1, "gone", Status::Done),
            rec(2, "a", Status::Done),
            rec(2, "d", Status::Learning),
            rec(9, "why", Status::Done),
        ]
    }

    #[test]
    fn counts_per_member_area_and_topic() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        let ids: Vec<&str> = d.topics().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["why", "a", "a-sub", "b", "c", "d"]);
        let titles: Vec<&str> = d.areas().iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Start", "Hiring", "Growth"]);
        assert_eq!(d.area_columns(1), 1..4);

        let zoe = d.person(0);
        assert_eq!(
            (zoe.done, zoe.learning, zoe.skipped, zoe.pending),
            (3, 0, 1, 2)
        );
        assert_eq!(zoe.percent, 50, "3 of 6: skipped is not done");
        assert_eq!(d.person_area(0, 1), (2, 3, 67));
        assert_eq!(d.person_area(0, 2), (1, 2, 50));
        assert_eq!(d.person_area(1, 1), (1, 3, 33));
        assert_eq!(d.person_area(2, 1), (0, 3, 0));
        assert_eq!(d.person(2).pending, 6);

        // Hiring: 3 done pairs of 3 people × 3 topics; Growth: 1 of 6; Start: 0 of 3.
        assert_eq!(d.area_done(1), (3, 9));
        assert_eq!(
            (d.area_percent(0), d.area_percent(1), d.area_percent(2)),
            (0, 33, 17)
        );
        assert_eq!(d.overall(), (4, 18, 22));

        let a = d.topic_counts(d.column("a").unwrap());
        assert_eq!((a.done, a.learning, a.skipped, a.pending), (2, 0, 0, 1));
        let holders: Vec<&str> = d
            .holders(d.column("a").unwrap())
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(holders, ["Zoe", "ana"]);
        assert_eq!(d.status(1, d.column("d").unwrap()), Status::Learning);
        assert_eq!(d.status(0, d.column("why").unwrap()), Status::Pending);
        assert_eq!(
            d.column("gone"),
            None,
            "a topic the roadmap lost is ignored"
        );
        assert_eq!(d.status(9, 0), Status::Pending, "outside the table");
        assert_eq!(d.status(0, 99), Status::Pending);
        assert_eq!(d.status(usize::MAX, usize::MAX), Status::Pending);
        assert_eq!(d.statuses(usize::MAX).count(), 0);
        assert_eq!(d.person_area(usize::MAX, 1), (0, 3, 0));
        assert_eq!(d.person_area(0, 9), (0, 0, 0));
    }

    #[test]
    fn gaps_and_single_points_in_roadmap_order() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        let gaps: Vec<&str> = d.gaps().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            gaps,
            ["why", "b", "d"],
            "a stranger's done topic closes no gap"
        );
        let singles: Vec<(&str, &str)> = d
            .single_points()
            .iter()
            .map(|s| (s.topic.id.as_str(), s.person.name.as_str()))
            .collect();
        assert_eq!(singles, [("a-sub", "Zoe"), ("c", "Zoe")]);

        // ana (learning d) could close why, d (gaps), then a-sub, c (Zoe's alone); Zoe skipped
        // b, so b is not hers to close.
        let close = |p: usize, n: usize| -> Vec<String> {
            d.could_close(p, n).iter().map(|t| t.id.clone()).collect()
        };
        assert_eq!(close(1, 5), ["why", "b", "d", "a-sub", "c"]);
        assert_eq!(close(1, 2), ["why", "b"]);
        assert_eq!(close(0, 5), ["why", "d"]);

        let none: Vec<Person> = Vec::new();
        let empty = Dashboard::new(&e, &none, &records());
        assert!(empty.gaps().is_empty() && empty.single_points().is_empty());
        assert_eq!(empty.overall(), (0, 0, 0));
    }

    #[test]
    fn the_later_of_two_records_of_one_topic_wins() {
        let (e, p) = (entry(), people());
        let mut r = records();
        r.push(rec(1, "c", Status::Learning));
        let d = Dashboard::new(&e, &p, &r);
        assert_eq!(d.person(0).done, 2);
        let singles: Vec<&str> = d
            .single_points()
            .iter()
            .map(|s| s.topic.id.as_str())
            .collect();
        assert_eq!(singles, ["a-sub"]);
    }

    #[test]
    fn records_in_any_order_give_the_same_numbers() {
        let (e, p) = (entry(), people());
        let sorted = Dashboard::new(&e, &p, &records());
        let mut shuffled = records();
        shuffled.reverse();
        shuffled.swap(0, 3);
        let d = Dashboard::new(&e, &p, &shuffled);
        assert_eq!(d.cells, sorted.cells);
        assert_eq!(d.overall(), sorted.overall());
    }

    #[test]
    fn orders_by_name_percent_and_area() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        assert_eq!(d.by_name(), [1, 2, 0], "ana, Bo, Zoe: case does not decide");
        assert_eq!(d.by_percent(), [0, 1, 2]);
        assert_eq!(d.by_area(2), [0, 1, 2]);
        assert_eq!(d.by_area(0), [1, 2, 0], "all at 0: by name");
    }

    #[test]
    fn the_heatmap_has_members_by_areas() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        let h = d.heatmap_in("Platform on Team map", &d.by_name());
        assert_eq!(h.columns, ["Start", "Hiring", "Growth"]);
        let rows: Vec<(&str, &[Option<u32>])> = h
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.cells.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                ("ana", &[Some(0), Some(33), Some(0)][..]),
                ("Bo", &[Some(0), Some(0), Some(0)][..]),
                ("Zoe", &[Some(0), Some(67), Some(50)][..]),
            ]
        );
        let svg = leadmap_render::heatmap::heatmap_svg(&h, leadmap_render::Theme::Light);
        assert!(svg.contains(">67</text>"));
    }

    #[test]
    fn the_aggregate_names_nobody() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        let agg = d.aggregate();
        let json = serde_json::to_string(&agg).unwrap();
        for name in ["Zoe", "ana", "Bo"] {
            assert!(!json.contains(name), "{json}");
        }
        assert_eq!(agg.members, 3);
        assert_eq!(agg.percent, 22);
        let a = agg.topics.iter().find(|t| t.topic == "a").unwrap();
        assert_eq!((a.done, a.pending), (2, 1));
        let h = agg.heatmap("Team map", "Platform");
        assert_eq!(h.rows.len(), 1);
        assert_eq!(h.rows[0].cells, [Some(0), Some(33), Some(17)]);
    }

    #[test]
    fn json_shapes() {
        let (e, p) = (entry(), people());
        let d = Dashboard::new(&e, &p, &records());
        let v = serde_json::to_value(d.json()).unwrap();
        assert_eq!(v["roadmap"], "team-map");
        assert_eq!(
            v["members"][0],
            serde_json::json!({
                "name": "Zoe", "done": 3, "learning": 0, "skipped": 1, "percent": 50,
                "areas": [
                    {"area": "start", "done": 0, "total": 1, "percent": 0},
                    {"area": "hiring", "done": 2, "total": 3, "percent": 67},
                    {"area": "growth", "done": 1, "total": 2, "percent": 50},
                ]
            })
        );
        assert_eq!(
            v["areas"][1],
            serde_json::json!({"area": "hiring", "title": "Hiring", "percent": 33})
        );
        assert_eq!(
            v["gaps"][0],
            serde_json::json!({"topic": "why", "title": "Why"})
        );
        assert_eq!(
            v["single_points"][1],
            serde_json::json!({"topic": "c", "title": "C", "member": "Zoe"})
        );
        let m = serde_json::to_value(d.matrix_json()).unwrap();
        assert_eq!(
            m,
            serde_json::json!({
                "topics": ["why", "a", "a-sub", "b", "c", "d"],
                "members": [
                    {"name": "Zoe", "statuses": ["pending", "done", "done", "skipped", "done", "pending"]},
                    {"name": "ana", "statuses": ["pending", "done", "pending", "pending", "pending", "learning"]},
                    {"name": "Bo", "statuses": ["pending", "pending", "pending", "pending", "pending", "pending"]},
                ]
            })
        );
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let e = entry();
        let p = vec![
            Person {
                id: UserId(1),
                name: "=HYPERLINK(\"http://x\",\"y\")".into(),
            },
            Person {
                id: UserId(2),
                name: "Smith, Ana".into(),
            },
            Person {
                id: UserId(3),
                name: "-1+2".into(),
            },
        ];
        let d = Dashboard::new(&e, &p, &records());
        let csv = d.to_csv().unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "member,why,a,a-sub,b,c,d");
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",pending,done,done,skipped,done,pending"
        );
        assert_eq!(
            lines[2],
            "\"Smith, Ana\",pending,done,pending,pending,pending,learning"
        );
        assert_eq!(
            lines[3],
            "'-1+2,pending,pending,pending,pending,pending,pending"
        );
        // It reads back: a row per member, a column per topic.
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(r.records().count(), 3);
    }

    /// A team of 1,000 on a 300-topic roadmap with about 150,000 records: every number is
    /// right. (How long it takes is measured with `--release -- --ignored --nocapture`.)
    #[test]
    fn a_thousand_members_on_three_hundred_topics() {
        let (e, people, records) = big();
        let d = Dashboard::new(&e, &people, &records);
        assert_eq!(d.topics().len(), 300);
        let (done, whole, _) = d.overall();
        let expected = records.iter().filter(|r| r.status == Status::Done).count();
        assert_eq!((done, whole), (expected, 300_000));
        let singles = d.single_points().len();
        assert!(d.gaps().len() + singles < 300);
    }

    #[test]
    #[ignore]
    #[allow(clippy::disallowed_methods)]
    fn time_a_thousand_members_on_three_hundred_topics() {
        let (e, people, records) = big();
        let start = std::time::Instant::now();
        let runs = 20;
        for _ in 0..runs {
            let d = Dashboard::new(&e, &people, &records);
            std::hint::black_box((d.gaps(), d.single_points(), d.heatmap("t"), d.json()));
        }
        let each = start.elapsed() / runs;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(Dashboard::new(&e, &people, &records));
        }
        let built = start.elapsed() / runs;
        let d = Dashboard::new(&e, &people, &records);
        let start = std::time::Instant::now();
        let csv = d.to_csv().unwrap();
        let csv_t = start.elapsed();
        let start = std::time::Instant::now();
        let svg =
            leadmap_render::heatmap::heatmap_svg(&d.heatmap("t"), leadmap_render::Theme::Light);
        let svg_t = start.elapsed();
        eprintln!(
            "{} records: built in {built:?}; with gaps, single points, heatmap, JSON {each:?}; CSV ({} bytes) {csv_t:?}; SVG ({} bytes) {svg_t:?}",
            records.len(),
            csv.len(),
            svg.len()
        );
    }

    fn big() -> (Entry, Vec<Person>, Vec<TeamRecord>) {
        let mut md = String::from("# Big\n");
        for a in 0..12 {
            md.push_str(&format!("\n## Area {a}\n\n"));
            for t in 0..25 {
                md.push_str(&format!("- Topic {a} {t} {{#topic-{a}-{t}}}\n"));
            }
        }
        let e = Entry::new(leadmap_core::parse(md.as_bytes(), "big").roadmap);
        let people: Vec<Person> = (0..1000)
            .map(|i| Person {
                id: UserId(i),
                name: format!("Person {i:04}"),
            })
            .collect();
        let mut records = Vec::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for p in 0..1000 {
            // By person, then topic id, as the store answers.
            let mut ids: Vec<&String> = e.topics.iter().collect();
            ids.sort();
            for id in ids {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let status = match x % 20 {
                    0..=8 => Status::Done,
                    9..=11 => Status::Learning,
                    12 => Status::Skipped,
                    _ => continue,
                };
                records.push(TeamRecord {
                    user: UserId(p),
                    topic: id.clone(),
                    status,
                    updated_at: 0,
                    shared_note: None,
                });
            }
        }
        (e, people, records)
    }
}
