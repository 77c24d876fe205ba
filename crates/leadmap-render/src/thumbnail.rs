//! A roadmap's thumbnail: its boxes without words, small enough to sit on a home-page card,
//! each topic box filled with the person's status. The shape is prepared once per roadmap;
//! only the status classes are written per page view.

use std::fmt::Write;

use leadmap_core::Kind;

use crate::layout::Layout;

/// One box of the thumbnail, in the layout's coordinates rounded to whole units.
#[derive(Debug, Clone, PartialEq)]
struct ThumbBox {
    x: i32,
    y: i32,
    w: i32,
    h: i32,
    /// `a` (area, part, group or the title) or the index of the topic in [`Thumbnail::topics`].
    topic: Option<usize>,
}

/// The prepared shape of a roadmap's thumbnail.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    width: i32,
    height: i32,
    boxes: Vec<ThumbBox>,
    /// The ids of the learnable boxes, in the order of `boxes`.
    topics: Vec<String>,
}

impl Thumbnail {
    pub fn new(l: &Layout<'_>) -> Thumbnail {
        let mut topics = Vec::new();
        let boxes = l
            .boxes
            .iter()
            .map(|b| {
                let topic = match (b.node, b.kind) {
                    (Some(n), Some(Kind::Topic | Kind::Subtopic)) => {
                        topics.push(n.id.to_string());
                        Some(topics.len() - 1)
                    }
                    _ => None,
                };
                ThumbBox {
                    x: b.x.round() as i32,
                    y: b.y.round() as i32,
                    w: b.w.round().max(1.0) as i32,
                    h: b.h.round().max(1.0) as i32,
                    topic,
                }
            })
            .collect();
        Thumbnail {
            width: l.width.ceil() as i32,
            height: l.height.ceil() as i32,
            boxes,
            topics,
        }
    }

    /// The thumbnail as an inline SVG that assistive technology skips (the card says the
    /// same in words). It fills the width it is given and shows the top of the map (a tall
    /// roadmap would otherwise shrink to a thin strip). `status` gives a topic's class: `done`, `learning`, `skipped` or
    /// `pending`. Boxes are `<rect>`s with a class the page's style sheet colours:
    /// `t` + the status's initial for topics, `a` for everything else.
    pub fn svg(&self, status: impl Fn(&str) -> &'static str) -> String {
        let mut out = String::with_capacity(64 + self.boxes.len() * 48);
        let _ = write!(
            out,
            r#"<svg class="thumb" viewBox="0 0 {} {}" aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMin slice">"#,
            self.width, self.height
        );
        for b in &self.boxes {
            let class = match b.topic {
                Some(i) => match status(&self.topics[i]) {
                    "done" => "td",
                    "learning" => "tl",
                    "skipped" => "ts",
                    _ => "tp",
                },
                None => "a",
            };
            let _ = write!(
                out,
                r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="4"/>"#,
                b.x, b.y, b.w, b.h
            );
        }
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_box_is_drawn_and_topics_take_their_status() {
        let md = "# Map\n\n## Hiring\n\n- Interviews {#interviews}\n  - Rubrics {#rubrics}\n- Offers {#offers}\n";
        let r = leadmap_core::parse(md.as_bytes(), "map").roadmap;
        let l = crate::layout(&r);
        let t = Thumbnail::new(&l);
        let svg = t.svg(|id| match id {
            "interviews" => "done",
            "rubrics" => "learning",
            _ => "pending",
        });
        assert_eq!(svg.matches("<rect").count(), l.boxes.len());
        assert_eq!(svg.matches(r#"class="td""#).count(), 1);
        assert_eq!(svg.matches(r#"class="tl""#).count(), 1);
        assert_eq!(svg.matches(r#"class="tp""#).count(), 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-hidden="true""#));
        // No words: the thumbnail carries shapes only.
        assert!(!svg.contains("Interviews"));
    }
}
