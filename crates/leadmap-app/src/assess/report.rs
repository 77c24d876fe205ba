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

/// A picture of the report and its numbers as a table.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: &'static str,
    pub svg: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
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
        self.figures()
            .into_iter()
            .map(|f| (f.name, f.svg))
            .collect()
    }

    /// The pictures with the same numbers as a table each (what a page prints under them).
    pub fn figures(&self) -> Vec<Figure> {
        use leadmap_render::Theme::Light;
        use leadmap_render::charts as c;
        let figure = |name, svg, (header, rows): (Vec<String>, Vec<Vec<String>>)| Figure {
            name,
            svg,
            header,
            rows,
        };
        let levels = pictures::level_bars_chart(&self.areas);
        let ranked = pictures::ranked_chart(&self.areas);
        let mut out = vec![
            figure("levels", c::level_bars_svg(&levels, Light), levels.rows()),
            figure("ranked", c::ranked_bars_svg(&ranked, Light), ranked.rows()),
        ];
        if self.history.titles.len() > 1 {
            let index = pictures::index_chart(&self.history, "The index over the assessments");
            out.push(figure(
                "index",
                c::index_line_svg(&index, Light),
                index.rows(),
            ));
            let steps = pictures::steps_chart(&self.history, 24);
            if !steps.practices.is_empty() {
                out.push(figure(
                    "steps",
                    c::step_multiples_svg(&steps, Light),
                    steps.rows(),
                ));
            }
        }
        if let Some((title, cmp)) = &self.previous {
            let chart = pictures::compare_chart(cmp, title, &self.assessment.title);
            out.push(figure(
                "compare",
                c::compare_svg(&chart, Light),
                chart.rows(),
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
                    widths: Some(vec![2.9, 1.0, 1.3, 1.3, 1.4, 1.9, 2.2, 0.9, 1.3]),
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

    /// The report as one self-contained HTML page (`leadmap assess report -o FILE.html`): the
    /// blocks of [`Report::document`] (so the same sections, pictures and captions as the PDF),
    /// every text escaped, the pictures inline as SVG, a small style sheet for the screen and
    /// for print. No script, and nothing loaded from elsewhere (the page's own policy says so).
    pub fn html(&self) -> String {
        use crate::catalog::escape_html as esc;
        use leadmap_render::report::Block;
        let doc = self.document();
        let mut s = String::with_capacity(64 * 1024);
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
             <title>{}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n<main>\n\
             <h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
            esc(&doc.title),
            esc(&doc.title),
            esc(&doc.subtitle)
        );
        // Only web and mail addresses become links; anything else stays text.
        let link = |url: &str, text: &str| {
            let lower = url.trim_start().to_ascii_lowercase();
            if ["http://", "https://", "mailto:"]
                .iter()
                .any(|p| lower.starts_with(p))
            {
                format!(
                    "<a href=\"{}\" rel=\"nofollow noopener noreferrer\">{}</a>",
                    esc(url),
                    esc(text)
                )
            } else {
                esc(text)
            }
        };
        for block in &doc.blocks {
            match block {
                Block::Heading { level, text } => {
                    let h = (*level).clamp(1, 3) + 1;
                    let _ = writeln!(s, "<h{h}>{}</h{h}>", esc(text));
                }
                Block::Paragraph(text) => {
                    let lines: Vec<String> = text.lines().map(esc).collect();
                    let _ = writeln!(s, "<p>{}</p>", lines.join("<br>"));
                }
                Block::Bullets(items) => {
                    s.push_str("<ul>");
                    for i in items {
                        let _ = write!(s, "<li>{}</li>", esc(i));
                    }
                    s.push_str("</ul>\n");
                }
                Block::Table {
                    header,
                    rows,
                    widths,
                } => {
                    s.push_str("<div class=\"scroll\"><table>");
                    if let Some(w) = widths.as_ref().filter(|w| w.len() == header.len()) {
                        let total: f32 = w.iter().sum();
                        if total > 0.0 {
                            s.push_str("<colgroup>");
                            for x in w {
                                let _ =
                                    write!(s, "<col style=\"width:{:.1}%\">", x / total * 100.0);
                            }
                            s.push_str("</colgroup>");
                        }
                    }
                    s.push_str("<thead><tr>");
                    for h in header {
                        let _ = write!(s, "<th scope=\"col\">{}</th>", esc(h));
                    }
                    s.push_str("</tr></thead><tbody>");
                    for row in rows {
                        s.push_str("<tr>");
                        for (i, cell) in row.iter().enumerate() {
                            if i == 0 {
                                let _ = write!(s, "<th scope=\"row\">{}</th>", esc(cell));
                            } else {
                                let _ = write!(s, "<td>{}</td>", esc(cell));
                            }
                        }
                        s.push_str("</tr>");
                    }
                    s.push_str("</tbody></table></div>\n");
                }
                Block::Figure { svg, caption, .. } => {
                    // The pictures are drawn by leadmap-render, which escapes every text in them.
                    let _ = writeln!(
                        s,
                        "<figure>{svg}<figcaption>{}</figcaption></figure>",
                        esc(caption)
                    );
                }
                Block::Link { text, url } => {
                    let _ = writeln!(s, "<p class=\"link\">{}</p>", link(url, text));
                }
                Block::PageBreak => s.push_str("<hr class=\"page\">\n"),
            }
        }
        s.push_str("</main>\n</body>\n</html>\n");
        s
    }
}

/// The style of [`Report::html`]: light (the pictures are drawn light), readable on a screen,
/// A4 in print with figures and table rows never cut.
const REPORT_CSS: &str = "\
:root{color-scheme:light}\
body{margin:0;background:#fff;color:#1f2328;font:16px/1.5 \"DejaVu Sans\",system-ui,sans-serif}\
main{max-width:54rem;margin:0 auto;padding:2rem 1.25rem}\
h1{font-size:1.75rem;margin:0 0 .25rem}\
h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de}\
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}\
h4{font-size:1rem;margin:1rem 0 .25rem}\
.sub{color:#57606a;margin-top:0}\
.scroll{overflow-x:auto}\
table{border-collapse:collapse;width:100%;font-size:.875rem;margin:1rem 0}\
th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top}\
thead th{background:#eef1f4}\
tbody th{font-weight:normal}\
figure{margin:1.5rem 0}\
figure svg{display:block;max-width:100%;height:auto}\
figcaption{color:#57606a;font-size:.875rem;margin-top:.25rem}\
a{color:#0a58ca;overflow-wrap:anywhere}\
.link{margin:.1rem 0 .1rem 1rem}\
hr.page{border:0;margin:0}\
@page{size:A4;margin:16mm}\
@media print{body{font-size:10.5pt}main{max-width:none;padding:0}\
figure,tr,.link{break-inside:avoid}h2,h3,h4{break-after:avoid}\
a{color:inherit}hr.page{break-after:page}.scroll{overflow:visible}}\
";

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

#[cfg(test)]
mod tests {
    use super::*;
    use leadmap_core::assessment::{Level, Rating};
    use leadmap_store::{Assessed, AssessmentState, PracticeRating};

    fn rated(topic: &str, rating: Rating, next_step: &str, evidence: &[&str]) -> PracticeRating {
        PracticeRating {
            topic: topic.into(),
            rating,
            rationale: String::new(),
            evidence: evidence.iter().map(|e| (*e).to_owned()).collect(),
            owner: None,
            next_step: next_step.into(),
            due_day: Some(20_000),
            rated_by: None,
            rated_at: 0,
        }
    }

    #[test]
    fn the_html_report_is_one_escaped_page_with_its_pictures_inline() {
        let md = "# Practices <b>&</b>\n\n## Delivery & `a<b`\n\n- Code review {#review}\n- On-call {#oncall}\n\n## People\n\n- One-on-ones {#one-on-ones}\n";
        let entry = Entry::new(leadmap_core::parse(md.as_bytes(), "practices").roadmap);
        let a = Assessment {
            id: 7,
            assessed: Assessed::Organisation,
            roadmap: "practices".into(),
            roadmap_version: 0,
            title: "Q1 <2027> & \"after\"".into(),
            assessed_on: 20_000,
            state: AssessmentState::Draft,
            based_on: None,
            created_by: None,
            created_at: 0,
            published_at: None,
        };
        let ratings: Ratings = [
            rated(
                "review",
                Rating::Level(Level::Defined),
                "<script>alert(1)</script>",
                &["https://wiki.example.com/a?x=1&y=2", "javascript:alert(1)"],
            ),
            rated("oncall", Rating::Level(Level::AdHoc), "", &[]),
            rated("one-on-ones", Rating::NotApplicable, "", &[]),
        ]
        .into_iter()
        .map(|r| (r.topic.clone(), r))
        .collect();
        let r = Report::new(
            "the organisation".into(),
            &entry,
            &a,
            &ratings,
            &[],
            &People::new(Vec::new()),
        );
        let html = r.html();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{html}"
        );
        assert!(html.ends_with("</html>\n"));
        assert!(
            html.contains(
                "<title>The organisation: Q1 &#60;2027&#62; &#38; &#34;after&#34;</title>"
            ),
            "{html}"
        );
        // Every text is escaped: the next step is words, not a script.
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert!(
            html.contains("<th scope=\"row\">Delivery &#38; a&#60;b</th>"),
            "{html}"
        );
        // The same sections as the PDF, the pictures inline, one figure each.
        for h in [
            "Summary",
            "Strongest areas",
            "Weakest areas",
            "Open next steps",
            "Evidence",
        ] {
            assert!(html.contains(&format!("<h2>{h}</h2>")), "{h}");
        }
        assert_eq!(html.matches("<figure>").count(), r.pictures().len());
        assert_eq!(html.matches("<svg").count(), r.pictures().len());
        // A web link is a link; anything else stays text.
        assert!(html.contains(
            "<a href=\"https://wiki.example.com/a?x=1&#38;y=2\" rel=\"nofollow noopener noreferrer\">"
        ));
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(html.contains("<p class=\"link\">javascript:alert(1)</p>"));
        // Self-contained: nothing loaded from elsewhere.
        for external in ["<link", " src=", "@import", "url(http", "url(//"] {
            assert!(!html.contains(external), "the page loads {external}");
        }
    }
}
