//! One self-contained HTML page (no network): the SVG, pan and zoom (mouse, touch,
//! keyboard), fit to screen, a search box that highlights matches, a side panel with a
//! topic's content, and an accessible list view of the same tree. Plain JS and CSS.

use std::fmt::Write;

use leadmap_core::{Kind, Node, Roadmap};
use pulldown_cmark::{Event, Options, Parser};
use serde_json::{Map, Value, json};

use crate::layout::label;
use crate::svg::escape;

const CSS: &str = include_str!("../assets/page.css");
/// Pan and zoom of the map, shared with the web app (which serves it in front of its own
/// script).
pub const PANZOOM_JS: &str = include_str!("../assets/panzoom.js");
const JS: &str = include_str!("../assets/page.js");

/// Markdown to HTML; raw HTML in the source is shown as text, never passed through.
pub fn markdown_html(md: &str) -> String {
    let events = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
        |e| match e {
            Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
            other => other,
        },
    );
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// One line of Markdown as inline HTML (no surrounding paragraph).
fn inline_html(md: &str) -> String {
    let html = markdown_html(md);
    let t = html.trim();
    t.strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(t)
        .to_owned()
}

fn node_data(n: &Node) -> Value {
    let c = &n.content;
    let mut m = Map::new();
    m.insert("title".into(), json!(n.title.plain()));
    m.insert("kind".into(), json!(n.kind));
    if !c.summary.is_empty() {
        m.insert("summary".into(), json!(markdown_html(&c.summary)));
    }
    if !c.established.is_empty() {
        m.insert("established".into(), json!(markdown_html(&c.established)));
    }
    if !c.steps.is_empty() {
        m.insert(
            "steps".into(),
            json!(c.steps.iter().map(|s| inline_html(s)).collect::<Vec<_>>()),
        );
    }
    if !c.pitfalls.is_empty() {
        m.insert(
            "pitfalls".into(),
            json!(
                c.pitfalls
                    .iter()
                    .map(|s| inline_html(s))
                    .collect::<Vec<_>>()
            ),
        );
    }
    if !c.resources.is_empty() {
        m.insert("resources".into(), json!(c.resources));
    }
    if !c.related.is_empty() {
        // Links to other roadmaps are shown as their ids.
        m.insert(
            "related".into(),
            json!(
                c.related
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
        );
    }
    if !c.templates.is_empty() {
        m.insert("templates".into(), json!(c.templates));
    }
    Value::Object(m)
}

fn list(out: &mut String, nodes: &[Node]) {
    out.push_str("<ul>");
    // Iterative, with an explicit stack of (remaining siblings).
    let mut stack: Vec<std::slice::Iter<'_, Node>> = vec![nodes.iter()];
    while let Some(iter) = stack.last_mut() {
        match iter.next() {
            Some(n) => {
                let kind = n.kind;
                let _ = write!(
                    out,
                    "<li class=\"{kind}\"><button data-open=\"{}\">{}</button>",
                    escape(n.id.as_str()),
                    escape(&label(n))
                );
                if n.children.is_empty() {
                    out.push_str("</li>");
                } else {
                    out.push_str("<ul>");
                    stack.push(n.children.iter());
                }
            }
            None => {
                stack.pop();
                out.push_str(if stack.is_empty() {
                    "</ul>"
                } else {
                    "</ul></li>"
                });
            }
        }
    }
}

/// Maps with more boxes than this are drawn by the page's script as they come into view (see
/// [`page`]); smaller ones are plain markup that works without any script.
pub const LAZY_BOXES: usize = 2_000;
/// Boxes per lazily drawn band of a large map.
const BAND_BOXES: usize = 200;

/// The page. `svg` is the drawing and `spans` where each box lies in it
/// ([`crate::svg::render_with_spans`]). `template` gives a template's Markdown by id; the
/// templates the topics name are embedded, so the panel offers them as downloads without a
/// network.
///
/// A map of more than [`LAZY_BOXES`] boxes would take the browser seconds to build as live SVG
/// (a 10,000-topic map is 23,000 boxes). Its page carries the drawing's frame (styles,
/// connectors, legend) as markup and its boxes as bands of text in the page's data, which the
/// script turns into SVG as they come into view (and the list view when it is first opened).
pub fn page(
    r: &Roadmap,
    svg: &str,
    spans: &[crate::svg::NodeSpan],
    template: &dyn Fn(&str) -> Option<&str>,
) -> String {
    let mut nodes = Map::new();
    let mut templates = Map::new();
    for n in r.nodes() {
        nodes.insert(n.id.to_string(), node_data(n));
        for t in &n.content.templates {
            if let Some(text) = template(t.as_str()) {
                templates.insert(t.to_string(), json!(text));
            }
        }
    }
    let mut list_html = String::new();
    list(&mut list_html, &r.children);
    let lazy = match (spans.first(), spans.last()) {
        (Some(first), Some(last)) if spans.len() > LAZY_BOXES => Some((first, last)),
        _ => None,
    };
    let mut data =
        json!({"id": r.id, "title": r.title.plain(), "nodes": nodes, "templates": templates});
    let (drawing, list_markup) = match lazy {
        Some((first, last)) => {
            let bands: Vec<Value> = spans
                .chunks(BAND_BOXES)
                .map(|band| {
                    let top = band.iter().map(|s| s.top).fold(f32::INFINITY, f32::min);
                    let bottom = band.iter().map(|s| s.bottom).fold(0.0, f32::max);
                    let bytes = band[0].bytes.start..band[band.len() - 1].bytes.end;
                    json!({"top": top, "bottom": bottom, "svg": &svg[bytes]})
                })
                .collect();
            data["bands"] = Value::Array(bands);
            data["list"] = json!(list_html);
            let frame = format!("{}{}", &svg[..first.bytes.start], &svg[last.bytes.end..]);
            (frame, String::new())
        }
        None => (svg.to_owned(), list_html),
    };
    let data = data.to_string().replace('<', "\\u003c");
    let title = escape(&r.title.plain()).into_owned();
    let topics = r.nodes().filter(|n| n.kind.is_learnable()).count();
    let areas = r.count(Kind::Area);
    // A map drawn in the light theme (the default) follows a system in dark mode, as the
    // page around it does: the dark theme's rules, scoped to the view, win over the drawing's.
    let dark = if svg.contains(".bg{fill:#ffffff}") {
        format!(
            "@media (prefers-color-scheme:dark){{{}}}",
            crate::svg::stylesheet(crate::svg::Theme::Dark, "#view")
        )
    } else {
        String::new()
    };
    let mut out = String::with_capacity(drawing.len() + data.len() + list_markup.len() + 16_384);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta name=\"description\" content=\"{title}: {areas} areas, {topics} topics\">\
<title>{title}</title><style>{CSS}{dark}</style></head><body>\
<header><h1>{title}</h1>\
<input id=\"q\" type=\"search\" placeholder=\"Search topics (/)\" aria-label=\"Search topics\" hidden>\
<span id=\"count\" aria-live=\"polite\"></span>\
<span class=\"tools\" hidden><button id=\"zout\" aria-label=\"Zoom out\">−</button><button id=\"zin\" aria-label=\"Zoom in\">+</button>\
<button id=\"fit\">Fit</button><button id=\"toggle\" aria-pressed=\"false\">List view</button></span></header>"
    );
    if lazy.is_some() {
        out.push_str(
            "<noscript><p class=\"big\">This roadmap is large: the page draws its boxes with \
JavaScript, which is off. Render it as SVG, PNG or PDF to see it without.</p></noscript>",
        );
    }
    let _ = write!(
        out,
        "<main><div id=\"view\" tabindex=\"0\" aria-label=\"Roadmap diagram: drag to pan, wheel or + and − to zoom, 0 to fit\">{drawing}</div>\
<section id=\"list\" hidden aria-label=\"Roadmap as a list\">{list_markup}</section>\
<aside id=\"panel\" hidden aria-live=\"polite\"></aside></main>\
<script type=\"application/json\" id=\"data\">{data}</script><script>{PANZOOM_JS}{JS}</script></body></html>"
    );
    out
}
