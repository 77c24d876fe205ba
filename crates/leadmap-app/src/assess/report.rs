//! The report a director takes to the leadership meeting: a summary, the pictures, the
//! strongest and weakest areas, the practices that fell, the open next steps with owners and
//! due dates, and the evidence. [`Report`] gathers the numbers once; [`Report::markdown`]
//! writes it as Markdown, the web app as HTML and [`Report::document`] as pages for the PDF.

use std::fmt::Write as _;

use leadmap_store::{Assessment, Store};

use super::compute::{
    self, AreaLevels, Comparison, History, Movement, Ratings, next_steps, one_decimal,
};
use super::{People, date, owner_name, pictures, ratings_of};
use crate::catalog::Entry;

/// An open next step with its owner's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub practice: String,
    pub step: String,
    pub owner: Option<String>,
    pub due: Option<String>,
}

/// Everything the report says, computed once.
#[derive(Debug, Clone)]
pub struct Report {
    pub owner: String,
    pub assessment: Assessment,
    pub roadmap_title: String,
    pub areas: Vec<AreaLevels>,
    pub index: Option<f64>,
    pub practices: usize,
    pub rated: usize,
    pub not_applicable: usize,
    /// The assessment before this one (its title) and how this one compares with it.
    pub previous: Option<(String, Comparison)>,
    /// This owner's assessments up to this one, oldest first.
    pub history: History,
    pub steps: Vec<Step>,
    /// Practices with evidence: (title, links).
    pub evidence: Vec<(String, Vec<String>)>,
}

impl Report {
    /// Reads what the report needs: this assessment, the owner's earlier ones on the same
    /// roadmap (published, or this one), the people who own next steps.
    pub async fn gather(
        store: &dyn Store,
        entry: &Entry,
        a: &Assessment,
    ) -> Result<Report, crate::Error> {
        let teams = store.teams().await?;
        let all = store.assessments().await?;
        let mut series: Vec<&Assessment> = all
            .iter()
            .filter(|x| {
                x.assessed == a.assessed
                    && x.roadmap == a.roadmap
                    && (x.id == a.id
                        || (x.state == leadmap_store::AssessmentState::Published
                            && (x.assessed_on, x.id) < (a.assessed_on, a.id)))
            })
            .collect();
        series.sort_by_key(|x| (x.assessed_on, x.id));
        let ids: Vec<i64> = series.iter().map(|x| x.id).collect();
        let mut by_id = ratings_of(store, &ids).await?;
        let people = People::load(store).await?;
        let ratings = by_id.remove(&a.id).unwrap_or_default();
        let earlier: Vec<(&Assessment, Ratings)> = series
            .iter()
            .filter(|x| x.id != a.id)
            .map(|x| (*x, by_id.remove(&x.id).unwrap_or_default()))
            .collect();
        Ok(Report::new(
            owner_name(a.assessed, &teams),
            entry,
            a,
            &ratings,
            &earlier,
            &people,
        ))
    }

    /// The report of `a` (`ratings`) after the earlier assessments (oldest first).
    pub fn new(
        owner: String,
        entry: &Entry,
        a: &Assessment,
        ratings: &Ratings,
        earlier: &[(&Assessment, Ratings)],
        people: &People,
    ) -> Report {
        let areas = compute::area_levels(entry, ratings);
        let title_of = |t: &str| {
            entry
                .areas
                .iter()
                .flat_map(|a| &a.topics)
                .find(|x| x.id == t)
                .map_or_else(|| t.to_owned(), |x| x.title.clone())
        };
        let mut series: Vec<(&Assessment, &Ratings)> =
            earlier.iter().map(|(x, r)| (*x, r)).collect();
        series.push((a, ratings));
        let rated = ratings
            .values()
            .filter(|r| entry.has_topic(&r.topic))
            .count();
        let not_applicable = ratings
            .values()
            .filter(|r| entry.has_topic(&r.topic) && r.rating.level().is_none())
            .count();
        let mut evidence: Vec<(String, Vec<String>)> = entry
            .areas
            .iter()
            .flat_map(|x| &x.topics)
            .filter_map(|t| {
                let r = ratings.get(&t.id)?;
                (!r.evidence.is_empty()).then(|| (t.title.clone(), r.evidence.clone()))
            })
            .collect();
        evidence.truncate(500);
        Report {
            owner,
            assessment: a.clone(),
            roadmap_title: entry.title(),
            index: compute::assessment_index(entry, ratings),
            practices: entry.topics.len(),
            rated,
            not_applicable,
            previous: earlier
                .last()
                .map(|(p, r)| (p.title.clone(), compute::compare(entry, r, ratings))),
            history: compute::history(entry, &series),
            steps: next_steps(entry, ratings)
                .into_iter()
                .map(|s| Step {
                    practice: title_of(&s.topic),
                    step: s.step,
                    owner: people.shown(s.owner).map(str::to_owned),
                    due: s.due_day.map(date),
                })
                .collect(),
            evidence,
            areas,
        }
    }

    pub fn title(&self) -> String {
        format!("{}: {}", capitalised(&self.owner), self.assessment.title)
    }

    /// The summary's sentences.
    pub fn summary(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} rated {} of the {} practices of {} ({} not applicable), as of {}; {}.",
            capitalised(&self.owner),
            self.rated,
            self.practices,
            self.roadmap_title,
            self.not_applicable,
            date(self.assessment.assessed_on),
            match self.assessment.state {
                leadmap_store::AssessmentState::Published => "published",
                leadmap_store::AssessmentState::Draft => "a draft, not yet published",
            }
        )];
        out.push(format!(
            "The index is {} out of 100 (0: every practice absent; 100: every practice improving).",
            one_decimal(self.index)
        ));
        if let Some((title, c)) = &self.previous {
            out.push(format!(
                "Since {title} (index {}): {} practices rose, {} fell, {} were rated for the first time.",
                one_decimal(c.index_before),
                c.with(Movement::Rose).count(),
                c.with(Movement::Fell).count(),
                c.with(Movement::New).count(),
            ));
        }
        let (strong, weak) = compute::strongest_and_weakest(&self.areas, 3);
        if let (Some(s), Some(w)) = (strong.first(), weak.first()) {
            out.push(format!(
                "Strongest area: {} (mean level {}); weakest: {} (mean level {}).",
                s.title,
                one_decimal(s.mean),
                w.title,
                one_decimal(w.mean)
            ));
        }
        out
    }

    /// The practices that fell since the previous assessment: (title, before, after).
    pub fn fell(&self) -> Vec<(String, String, String)> {
        self.previous
            .iter()
            .flat_map(|(_, c)| c.with(Movement::Fell))
            .map(|c| {
                (
                    c.title.clone(),
                    c.before.map_or("–", |r| r.label()).to_owned(),
                    c.after.map_or("–", |r| r.label()).to_owned(),
                )
            })
            .collect()
    }

    /// The report as Markdown.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", md(&self.title()));
        let _ = writeln!(s, "Practice assessment on {}.\n", md(&self.roadmap_title));
        let _ = writeln!(s, "## Summary\n");
        for p in self.summary() {
            let _ = writeln!(s, "{}\n", md(&p));
        }
        let _ = writeln!(s, "## Areas\n");
        let _ = writeln!(
            s,
            "| Area | Mean level | Absent | Ad hoc | Defined | Practised | Improving | Not applicable | Not rated |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
        for a in &self.areas {
            let _ = write!(s, "| {} | {} |", md(&a.title), one_decimal(a.mean));
            for c in a.counts {
                let _ = write!(s, " {c} |");
            }
            let _ = writeln!(s, " {} | {} |", a.not_applicable, a.unrated);
        }
        let (strong, weak) = compute::strongest_and_weakest(&self.areas, 3);
        let _ = writeln!(s, "\n## Strongest areas\n");
        list_areas(&mut s, &strong);
        let _ = writeln!(s, "\n## Weakest areas\n");
        list_areas(&mut s, &weak);
        let _ = writeln!(s, "\n## Practices that fell\n");
        let fell = self.fell();
        if fell.is_empty() {
            let _ = writeln!(s, "None.");
        }
        for (t, b, a) in fell {
            let _ = writeln!(s, "- {}: {} → {}", md(&t), b, a);
        }
        if self.history.titles.len() > 1 {
            let _ = writeln!(s, "\n## Index over time\n");
            for (t, i) in self.history.titles.iter().zip(&self.history.index) {
                let _ = writeln!(s, "- {}: {}", md(t), one_decimal(*i));
            }
        }
        let _ = writeln!(s, "\n## Open next steps\n");
        if self.steps.is_empty() {
            let _ = writeln!(s, "None written.");
        }
        for st in &self.steps {
            let _ = writeln!(
                s,
                "- **{}**: {} (owner: {}; due: {})",
                md(&st.practice),
                md(&st.step),
                st.owner.as_deref().map_or_else(|| "nobody yet".into(), md),
                st.due.as_deref().unwrap_or("no date")
            );
        }
        let _ = writeln!(s, "\n## Evidence\n");
        if self.evidence.is_empty() {
            let _ = writeln!(s, "No links given.");
        }
        for (t, links) in &self.evidence {
            let _ = writeln!(s, "- {}:", md(t));
            for l in links {
                let _ = writeln!(s, "  - <{l}>");
            }
        }
        s
    }
}

impl Report {
    /// The pictures of the report, light theme: (name, SVG), in the order the report shows
    /// them. The history pictures come only with earlier assessments, the comparison only
    /// with a previous one.
    pub fn pictures(&self) -> Vec<(&'static str, String)> {
        use leadmap_render::Theme::Light;
        use leadmap_render::charts as c;
        let mut out = vec![
            (
                "levels",
                c::level_bars_svg(&pictures::level_bars_chart(&self.areas), Light),
            ),
            (
                "ranked",
                c::ranked_bars_svg(&pictures::ranked_chart(&self.areas), Light),
            ),
        ];
        if self.history.titles.len() > 1 {
            out.push((
                "index",
                c::index_line_svg(
                    &pictures::index_chart(&self.history, "The index over the assessments"),
                    Light,
                ),
            ));
            let steps = pictures::steps_chart(&self.history, 24);
            if !steps.practices.is_empty() {
                out.push(("steps", c::step_multiples_svg(&steps, Light)));
            }
        }
        if let Some((title, cmp)) = &self.previous {
            out.push((
                "compare",
                c::compare_svg(
                    &pictures::compare_chart(cmp, title, &self.assessment.title),
                    Light,
                ),
            ));
        }
        out
    }

    /// The report as pages for the PDF: the same sections as [`Report::markdown`], with the
    /// pictures, each kept whole on a page.
    pub fn document(&self) -> leadmap_render::report::Document {
        use leadmap_render::report::{Block, Document};
        let mut b = Vec::new();
        let h = |level: u8, text: &str| Block::Heading {
            level,
            text: text.to_owned(),
        };
        b.push(h(1, "Summary"));
        for p in self.summary() {
            b.push(Block::Paragraph(p));
        }
        let captions: std::collections::HashMap<&str, &str> = [
            (
                "levels",
                "Practices at each level, by area (the table below has the numbers).",
            ),
            (
                "ranked",
                "Areas ranked by the mean level of their rated practices.",
            ),
            ("index", "The index of each assessment, 0 to 100."),
            (
                "steps",
                "Each practice that changed, its level over the assessments.",
            ),
            (
                "compare",
                "What rose and what fell since the previous assessment.",
            ),
        ]
        .into_iter()
        .collect();
        for (name, svg) in self.pictures() {
            let (width, height) = svg_size(&svg);
            b.push(Block::Figure {
                svg,
                width,
                height,
                caption: captions.get(name).copied().unwrap_or_default().to_owned(),
            });
            if name == "levels" {
                b.push(Block::Table {
                    header: [
                        "Area",
                        "Mean",
                        "Absent",
                        "Ad hoc",
                        "Defined",
                        "Practised",
                        "Improving",
                        "N/A",
                        "Not rated",
                    ]
                    .map(str::to_owned)
                    .to_vec(),
                    rows: self
                        .areas
                        .iter()
                        .map(|a| {
                            let mut row = vec![a.title.clone(), one_decimal(a.mean)];
                            row.extend(a.counts.iter().map(usize::to_string));
                            row.push(a.not_applicable.to_string());
                            row.push(a.unrated.to_string());
                            row
                        })
                        .collect(),
                    widths: Some(vec![4.0, 1.2, 1.2, 1.2, 1.2, 1.3, 1.3, 1.0, 1.2]),
                });
            }
        }
        let (strong, weak) = compute::strongest_and_weakest(&self.areas, 3);
        let areas = |list: &[&AreaLevels]| {
            if list.is_empty() {
                vec!["No area is rated yet.".to_owned()]
            } else {
                list.iter()
                    .map(|a| format!("{}: mean level {}", a.title, one_decimal(a.mean)))
                    .collect()
            }
        };
        b.push(h(1, "Strongest areas"));
        b.push(Block::Bullets(areas(&strong)));
        b.push(h(1, "Weakest areas"));
        b.push(Block::Bullets(areas(&weak)));
        b.push(h(1, "Practices that fell"));
        let fell = self.fell();
        if fell.is_empty() {
            b.push(Block::Paragraph("None.".into()));
        } else {
            b.push(Block::Table {
                header: vec!["Practice".into(), "Before".into(), "Now".into()],
                rows: fell.into_iter().map(|(t, x, y)| vec![t, x, y]).collect(),
                widths: Some(vec![5.0, 2.0, 2.0]),
            });
        }
        b.push(h(1, "Open next steps"));
        if self.steps.is_empty() {
            b.push(Block::Paragraph("None written.".into()));
        } else {
            b.push(Block::Table {
                header: vec![
                    "Practice".into(),
                    "Next step".into(),
                    "Owner".into(),
                    "Due".into(),
                ],
                rows: self
                    .steps
                    .iter()
                    .map(|s| {
                        vec![
                            s.practice.clone(),
                            s.step.clone(),
                            s.owner.clone().unwrap_or_else(|| "nobody yet".into()),
                            s.due.clone().unwrap_or_else(|| "no date".into()),
                        ]
                    })
                    .collect(),
                widths: Some(vec![3.0, 5.0, 2.0, 1.6]),
            });
        }
        b.push(h(1, "Evidence"));
        if self.evidence.is_empty() {
            b.push(Block::Paragraph("No links given.".into()));
        }
        for (t, links) in &self.evidence {
            b.push(h(3, t));
            for l in links {
                b.push(Block::Link {
                    text: l.clone(),
                    url: l.clone(),
                });
            }
        }
        Document {
            title: self.title(),
            subtitle: format!(
                "Practice assessment on {}, {}",
                self.roadmap_title,
                date(self.assessment.assessed_on)
            ),
            blocks: b,
        }
    }
}

/// An SVG's `width` and `height` (of its root element).
pub fn svg_size(svg: &str) -> (f32, f32) {
    let head = svg.split('>').next().unwrap_or_default();
    let attr = |name: &str| {
        head.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.trim_end_matches("px").parse::<f32>().ok())
            .unwrap_or(400.0)
    };
    (attr("width"), attr("height"))
}

fn list_areas(s: &mut String, areas: &[&AreaLevels]) {
    if areas.is_empty() {
        let _ = writeln!(s, "No area is rated yet.");
    }
    for a in areas {
        let _ = writeln!(s, "- {}: mean level {}", md(&a.title), one_decimal(a.mean));
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Plain text made safe in Markdown: the characters Markdown gives meaning to are escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!'
        ) {
            out.push('\\');
        }
        if ch == '\n' || ch == '\r' {
            out.push(' ');
        } else {
            out.push(ch);
        }
    }
    out
}
