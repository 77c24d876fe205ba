//! The roadmap layout: the title on top, areas down a central spine, each area's groups and
//! topics branching left and right (each to the shorter side, so both sides stay balanced),
//! subtopics beside their topic, further out.
//!
//! One pass over the tree, so linear in the number of nodes; no floating-point input other
//! than the text metrics of the shipped font, so the same roadmap always gives the same
//! layout. Geometry that keeps connectors off boxes:
//!
//! ```text
//!  subtopics | gap | topics (in group frames) | corridor |  AREA  | corridor | topics | gap | subtopics
//! ```
//!
//! Area-to-child curves stay inside a corridor that holds no box; topic-to-subtopic curves
//! inside the gap; the spine runs down the middle between area boxes.

use leadmap_core::{Kind, Node, Roadmap};

use crate::text;

pub const MARGIN: f32 = 40.0;
/// From the spine to the inner edge of the topic columns.
pub const CORRIDOR: f32 = 175.0;
pub const AREA_W: f32 = 250.0;
pub const PART_W: f32 = 330.0;
pub const FRAME_PAD: f32 = 10.0;
pub const TOPIC_W: f32 = 240.0;
pub const SUB_GAP: f32 = 36.0;
pub const SUB_W: f32 = 200.0;
pub const INSET: f32 = 14.0;
pub const ROW_GAP: f32 = 8.0;
pub const BLOCK_GAP: f32 = 18.0;
pub const AREA_GAP: f32 = 56.0;
pub const PAD_X: f32 = 12.0;
pub const PAD_Y: f32 = 8.0;
/// Nested subtopics step in this many times at most; deeper ones line up with the last.
pub const MAX_INSETS: usize = 5;
/// Room at the left of a topic or subtopic for its status mark.
pub const MARK_W: f32 = 20.0;
const SIDE_W: f32 = CORRIDOR + 2.0 * FRAME_PAD + TOPIC_W + SUB_GAP + SUB_W;
const TITLE_MAX_W: f32 = 900.0;
pub const LEGEND_H: f32 = 28.0;
/// Width the legend needs.
pub const LEGEND_W: f32 = 480.0;

/// Type sizes, px.
pub fn font_size(kind: Option<Kind>) -> f32 {
    match kind {
        None => 30.0,
        Some(Kind::Part) => 20.0,
        Some(Kind::Area) => 17.0,
        Some(Kind::Group) => 14.0,
        Some(Kind::Topic) => 14.0,
        Some(Kind::Subtopic) => 13.0,
    }
}

pub fn is_bold(kind: Option<Kind>) -> bool {
    !matches!(kind, Some(Kind::Topic | Kind::Subtopic))
}

pub fn line_height(kind: Option<Kind>) -> f32 {
    (font_size(kind) * 1.3).round()
}

/// A laid-out box.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    /// `None` for the roadmap's title.
    pub node: Option<&'a Node>,
    pub kind: Option<Kind>,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub lines: Vec<String>,
    /// The whole text before wrapping ([`label`] of the node).
    pub label: String,
    /// Where the text starts, relative to the box.
    pub text_x: f32,
    pub centered: bool,
}

impl Placed<'_> {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn mid_y(&self) -> f32 {
        self.y + self.h / 2.0
    }
}

/// A connector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edge {
    /// A spine segment, straight down.
    Spine { x: f32, y1: f32, y2: f32 },
    /// A cubic curve from one box edge to another, horizontal at both ends.
    Curve { x1: f32, y1: f32, x2: f32, y2: f32 },
    /// Down from a parent subtopic, then across to a nested one.
    Elbow { x1: f32, y1: f32, x2: f32, y2: f32 },
}

#[derive(Debug, Clone)]
pub struct Layout<'a> {
    pub width: f32,
    pub height: f32,
    pub boxes: Vec<Placed<'a>>,
    pub edges: Vec<Edge>,
    /// The top of the legend row (under the title).
    pub legend_y: f32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

struct Builder<'a> {
    cx: f32,
    boxes: Vec<Placed<'a>>,
    edges: Vec<Edge>,
}

fn text_box<'a>(
    node: Option<&'a Node>,
    kind: Option<Kind>,
    title: String,
    w: f32,
    mark: bool,
    centered: bool,
) -> Placed<'a> {
    let size = font_size(kind);
    let bold = is_bold(kind);
    let text_x = if mark { PAD_X + MARK_W } else { PAD_X };
    let max = w - text_x - PAD_X;
    let lines = text::wrap(&title, size, bold, max);
    let h = lines.len() as f32 * line_height(kind) + 2.0 * PAD_Y;
    Placed {
        node,
        kind,
        x: 0.0,
        y: 0.0,
        w,
        h,
        lines,
        label: title,
        text_x,
        centered,
    }
}

/// The text a box shows: emoji and plain title.
pub fn label(n: &Node) -> String {
    match &n.emoji {
        Some(e) => format!("{e} {}", n.title.plain()),
        None => n.title.plain(),
    }
}

pub fn layout(r: &Roadmap) -> Layout<'_> {
    let cx = MARGIN + SIDE_W;
    let width = 2.0 * cx;
    // A box per node and the title; about one connector per node. Sized once: growing by
    // doubling copies the boxes over and over on a large roadmap.
    let nodes = r.nodes().count();
    let mut b = Builder {
        cx,
        boxes: Vec::with_capacity(nodes + 1),
        edges: Vec::with_capacity(nodes + 1),
    };
    let mut title = text_box(None, None, r.title.plain(), TITLE_MAX_W, false, true);
    title.w = title
        .lines
        .iter()
        .map(|l| text::width(l, font_size(None), true))
        .fold(0.0, f32::max)
        + 2.0 * PAD_X;
    title.x = cx - title.w / 2.0;
    title.y = MARGIN;
    let mut y = title.bottom() + 8.0;
    let legend_y = y;
    y += LEGEND_H + 32.0;
    // The spine starts at the first box on it, under the legend.
    let mut spine_prev: Option<f32> = None;
    b.boxes.push(title);

    for n in &r.children {
        if n.kind == Kind::Part && n.children.iter().any(|c| c.kind == Kind::Area) {
            // A part of areas: a banner on the spine, its own topics, then its areas.
            let mut banner = text_box(Some(n), Some(Kind::Part), label(n), PART_W, false, true);
            banner.x = cx - PART_W / 2.0;
            banner.y = y;
            b.spine(&mut spine_prev, &banner);
            let direct: Vec<&Node> = n.children.iter().filter(|c| c.kind != Kind::Area).collect();
            y = b.branches(banner, &direct) + AREA_GAP;
            for a in n.children.iter().filter(|c| c.kind == Kind::Area) {
                y = b.area(a, y, &mut spine_prev) + AREA_GAP;
            }
        } else {
            y = b.area(n, y, &mut spine_prev) + AREA_GAP;
        }
    }
    let height = (y - AREA_GAP + MARGIN).max(legend_y + LEGEND_H + MARGIN);
    // Trim the unused width (no subtopics, say), keeping the spine in the middle.
    let half = b
        .boxes
        .iter()
        .map(|p| (cx - p.x).max(p.right() - cx))
        .fold(LEGEND_W / 2.0, f32::max);
    let shift = (cx - MARGIN - half).max(0.0);
    if shift > 0.0 {
        for p in &mut b.boxes {
            p.x -= shift;
        }
        for e in &mut b.edges {
            match e {
                Edge::Spine { x, .. } => *x -= shift,
                Edge::Curve { x1, x2, .. } | Edge::Elbow { x1, x2, .. } => {
                    *x1 -= shift;
                    *x2 -= shift;
                }
            }
        }
    }
    Layout {
        width: width - 2.0 * shift,
        height,
        boxes: b.boxes,
        edges: b.edges,
        legend_y,
    }
}

impl<'a> Builder<'a> {
    /// Joins the previous box on the spine (its bottom) to `next`.
    fn spine(&mut self, prev: &mut Option<f32>, next: &Placed<'a>) {
        if let Some(y1) = *prev {
            self.edges.push(Edge::Spine {
                x: self.cx,
                y1,
                y2: next.y,
            });
        }
        *prev = Some(next.bottom());
    }

    /// An area (or a part of topics) on the spine with its branches; returns its bottom.
    fn area(&mut self, n: &'a Node, y: f32, spine_prev: &mut Option<f32>) -> f32 {
        let kind = if n.kind == Kind::Part {
            Kind::Part
        } else {
            Kind::Area
        };
        let mut boxed = text_box(Some(n), Some(kind), label(n), AREA_W, false, true);
        boxed.x = self.cx - AREA_W / 2.0;
        boxed.y = y;
        self.spine(spine_prev, &boxed);
        let children: Vec<&Node> = n.children.iter().collect();
        self.branches(boxed, &children)
    }

    /// Places a spine box and its children on both sides; returns the block's bottom.
    fn branches(&mut self, spine_box: Placed<'a>, children: &[&'a Node]) -> f32 {
        let top = spine_box.y;
        let (from_l, from_r, mid) = (spine_box.x, spine_box.right(), spine_box.mid_y());
        let mut bottom = spine_box.bottom();
        self.boxes.push(spine_box);
        let (mut left, mut right) = (top, top);
        for c in children {
            let side = if left <= right {
                Side::Left
            } else {
                Side::Right
            };
            let start = if side == Side::Left { left } else { right };
            let (end, anchor_x, anchor_y) = if c.kind == Kind::Group {
                self.group(c, side, start)
            } else {
                self.topic(c, side, start, self.topic_x(side))
            };
            let from = if side == Side::Left { from_l } else { from_r };
            self.edges.push(Edge::Curve {
                x1: from,
                y1: mid,
                x2: anchor_x,
                y2: anchor_y,
            });
            bottom = bottom.max(end);
            match side {
                Side::Left => left = end + BLOCK_GAP,
                Side::Right => right = end + BLOCK_GAP,
            }
        }
        bottom
    }

    fn topic_x(&self, side: Side) -> f32 {
        match side {
            Side::Right => self.cx + CORRIDOR + FRAME_PAD,
            Side::Left => self.cx - CORRIDOR - FRAME_PAD - TOPIC_W,
        }
    }

    fn sub_x(&self, side: Side) -> f32 {
        match side {
            Side::Right => self.cx + CORRIDOR + FRAME_PAD + TOPIC_W + SUB_GAP,
            Side::Left => self.cx - CORRIDOR - FRAME_PAD - TOPIC_W - SUB_GAP - SUB_W,
        }
    }

    /// A group frame with its header and topics. Returns (bottom, anchor x, anchor y).
    fn group(&mut self, g: &'a Node, side: Side, y: f32) -> (f32, f32, f32) {
        let has_subs = g.children.iter().any(|t| !t.children.is_empty());
        let frame_w = 2.0 * FRAME_PAD + TOPIC_W + if has_subs { SUB_GAP + SUB_W } else { 0.0 };
        let frame_x = match side {
            Side::Right => self.cx + CORRIDOR,
            Side::Left => self.cx - CORRIDOR - frame_w,
        };
        // The header text sits over the topic column, on the inner side.
        let mut frame = text_box(Some(g), Some(Kind::Group), label(g), TOPIC_W, false, false);
        let header = frame.h;
        frame.x = frame_x;
        frame.y = y;
        frame.w = frame_w;
        frame.text_x = match side {
            Side::Right => FRAME_PAD + PAD_X,
            Side::Left => frame_w - FRAME_PAD - TOPIC_W + PAD_X,
        };
        let index = self.boxes.len();
        self.boxes.push(frame);
        let mut row = y + header;
        let tx = self.topic_x(side);
        for t in &g.children {
            let (end, _, _) = self.topic(t, side, row, tx);
            row = end + ROW_GAP;
        }
        let bottom = (row - ROW_GAP + FRAME_PAD).max(y + header);
        self.boxes[index].h = bottom - y;
        let anchor = match side {
            Side::Right => frame_x,
            Side::Left => frame_x + frame_w,
        };
        (bottom, anchor, y + header / 2.0)
    }

    /// A topic and its subtopics. Returns (bottom, anchor x, anchor y) of the topic box.
    fn topic(&mut self, t: &'a Node, side: Side, y: f32, x: f32) -> (f32, f32, f32) {
        let mut bx = text_box(
            Some(t),
            Some(t.kind),
            label(t),
            TOPIC_W,
            t.kind.is_learnable(),
            false,
        );
        bx.x = x;
        bx.y = y;
        let (outer, inner, mid) = match side {
            Side::Right => (bx.right(), bx.x, bx.mid_y()),
            Side::Left => (bx.x, bx.right(), bx.mid_y()),
        };
        let mut bottom = bx.bottom();
        self.boxes.push(bx);
        if !t.children.is_empty() {
            let sx = self.sub_x(side);
            let end = self.subtopics(&t.children, side, y, sx, 0, Some((outer, mid)), None);
            bottom = bottom.max(end);
        }
        (bottom, inner, mid)
    }

    /// Stacks subtopics from `y`; nested ones inset and joined by elbows. Returns the bottom.
    #[allow(clippy::too_many_arguments)]
    fn subtopics(
        &mut self,
        subs: &'a [Node],
        side: Side,
        mut y: f32,
        sx: f32,
        level: usize,
        from_topic: Option<(f32, f32)>,
        from_parent: Option<(f32, f32)>,
    ) -> f32 {
        let inset = INSET * level.min(MAX_INSETS) as f32;
        let w = SUB_W - inset;
        let x = match side {
            Side::Right => sx + inset,
            Side::Left => sx,
        };
        let mut bottom = y;
        for s in subs {
            let mut bx = text_box(Some(s), Some(Kind::Subtopic), label(s), w, true, false);
            bx.x = x;
            bx.y = y;
            let inner = match side {
                Side::Right => bx.x,
                Side::Left => bx.right(),
            };
            let mid = bx.mid_y();
            if let Some((tx, ty)) = from_topic {
                self.edges.push(Edge::Curve {
                    x1: tx,
                    y1: ty,
                    x2: inner,
                    y2: mid,
                });
            }
            if let Some((vx, vy)) = from_parent {
                self.edges.push(Edge::Elbow {
                    x1: vx,
                    y1: vy,
                    x2: inner,
                    y2: mid,
                });
            }
            let own_bottom = bx.bottom();
            let parent_inner = inner;
            self.boxes.push(bx);
            let mut end = own_bottom;
            if !s.children.is_empty() {
                // The elbow runs in the step between parent and child; when the child cannot
                // step in any further, it runs in the gap on the topic's side instead.
                let steps_in = level < MAX_INSETS;
                let elbow_x = match (side, steps_in) {
                    (Side::Right, true) | (Side::Left, false) => parent_inner + INSET / 2.0,
                    (Side::Left, true) | (Side::Right, false) => parent_inner - INSET / 2.0,
                };
                end = self.subtopics(
                    &s.children,
                    side,
                    own_bottom + ROW_GAP,
                    sx,
                    level + 1,
                    None,
                    Some((elbow_x, own_bottom)),
                );
            }
            bottom = end;
            y = end + ROW_GAP;
        }
        bottom
    }
}
