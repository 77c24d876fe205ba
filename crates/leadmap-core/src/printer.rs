//! Prints a roadmap in the Markdown format. `parse(print(r)) == r` for every roadmap the
//! format can hold (property-tested), and printing is stable.

use std::fmt::Write;

use crate::model::{Content, Kind, LevelCriterion, Meta, Node, Resource, Roadmap};

pub fn print(r: &Roadmap) -> String {
    let mut out = String::with_capacity(1024);
    print_front(&mut out, r.id.as_str(), &r.meta);
    let _ = writeln!(out, "# {}", r.title);
    if !r.description.is_empty() {
        out.push('\n');
        out.push_str(&r.description);
        out.push('\n');
    }
    let mut after_h1_part = false;
    for n in &r.children {
        if n.kind == Kind::Part {
            let has_area = n.children.iter().any(|c| c.kind == Kind::Area);
            // After a `#` part, every part must be `#` too, or it would nest in the one before.
            let is_h1 = has_area || after_h1_part;
            if is_h1 {
                after_h1_part = true;
                heading(&mut out, 1, n, "");
                print_container(&mut out, n);
            } else {
                heading(&mut out, 2, n, " .part");
                print_container(&mut out, n);
            }
        } else {
            heading(&mut out, 2, n, "");
            print_container(&mut out, n);
        }
    }
    out
}

fn print_front(out: &mut String, id: &str, meta: &Meta) {
    out.push_str("---\n");
    let _ = writeln!(out, "id: {id}");
    if let Some(v) = &meta.version {
        let _ = writeln!(out, "version: {}", yaml_str(v));
    }
    if !meta.authors.is_empty() {
        out.push_str("authors:\n");
        for a in &meta.authors {
            let _ = writeln!(out, "  - {}", yaml_str(a));
        }
    }
    if let Some(v) = &meta.licence {
        let _ = writeln!(out, "licence: {}", yaml_str(v));
    }
    if let Some(v) = &meta.source {
        let _ = writeln!(out, "source: {}", yaml_str(v));
    }
    if let Some(v) = &meta.credits {
        let _ = writeln!(out, "credits: {}", yaml_str(v));
    }
    if meta.practices {
        out.push_str("practices: true\n");
    }
    out.push_str("---\n\n");
}

/// A YAML scalar, always double-quoted JSON-style (valid YAML, exact round trip).
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

fn title_line(n: &Node, class: &str) -> String {
    let mut s = String::new();
    if let Some(e) = &n.emoji {
        s.push_str(e);
        s.push(' ');
    }
    let _ = write!(s, "{} {{#{}{class}}}", n.title, n.id);
    s
}

fn heading(out: &mut String, level: usize, n: &Node, class: &str) {
    let _ = write!(out, "\n{} {}\n", "#".repeat(level), title_line(n, class));
    print_content(out, &n.content, "");
}

/// The children of a part, area or flat part: topics, then groups (or, when a topic comes
/// after a group, groups written as `{.group}` items).
fn print_container(out: &mut String, n: &Node) {
    let first_group = n.children.iter().position(|c| c.kind == Kind::Group);
    let first_area = n.children.iter().position(|c| c.kind == Kind::Area);
    let items_end = first_area.unwrap_or(n.children.len());
    let (list, rest) = n.children[..items_end].split_at(items_end);
    let groups_as_items = match first_group {
        Some(g) if g < items_end => list[g..].iter().any(|c| c.kind == Kind::Topic),
        _ => false,
    };
    let mut in_list = false;
    for c in list {
        match c.kind {
            Kind::Group if !groups_as_items => {
                heading(out, 3, c, "");
                items(out, &c.children, "");
                in_list = false;
            }
            _ => {
                if !in_list {
                    out.push('\n');
                    in_list = true;
                }
                item(
                    out,
                    c,
                    "",
                    if c.kind == Kind::Group { " .group" } else { "" },
                );
            }
        }
    }
    let _ = rest;
    for c in &n.children[items_end..] {
        heading(out, 2, c, "");
        print_container(out, c);
    }
}

fn items(out: &mut String, nodes: &[Node], indent: &str) {
    if nodes.is_empty() {
        return;
    }
    out.push('\n');
    for c in nodes {
        item(out, c, indent, "");
    }
}

fn item(out: &mut String, n: &Node, indent: &str, class: &str) {
    let _ = writeln!(out, "{indent}- {}", title_line(n, class));
    let inner = format!("{indent}  ");
    print_content(out, &n.content, &inner);
    if !n.children.is_empty() {
        if !n.content.is_empty() {
            out.push('\n');
        }
        for c in &n.children {
            item(out, c, &inner, "");
        }
    }
}

/// Writes `text` indented by `indent` (the first line too), blank lines kept empty.
fn block(out: &mut String, text: &str, indent: &str) {
    for line in text.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
}

fn print_content(out: &mut String, c: &Content, indent: &str) {
    if c.is_empty() {
        return;
    }
    if !c.summary.is_empty() {
        out.push('\n');
        block(out, &c.summary, indent);
    }
    if !c.established.is_empty() {
        let _ = write!(out, "\n{indent}Established:\n\n");
        block(out, &c.established, indent);
    }
    // In scale order (the parser keeps them so; a value built otherwise is put in order),
    // each with the level's label.
    let mut levels: Vec<&LevelCriterion> = c.levels.iter().collect();
    levels.sort_by_key(|l| l.level);
    let levels: Vec<String> = levels
        .iter()
        .map(|l| format!("{}: {}", l.level.label(), l.text))
        .collect();
    list(out, "Levels", &levels, indent, false);
    list(out, "Steps", &c.steps, indent, true);
    list(out, "Pitfalls", &c.pitfalls, indent, false);
    let resources: Vec<String> = c.resources.iter().map(resource_line).collect();
    list(out, "Resources", &resources, indent, false);
    if !c.related.is_empty() {
        let ids: Vec<String> = c.related.iter().map(ToString::to_string).collect();
        let _ = write!(out, "\n{indent}Related: {}\n", ids.join(", "));
    }
    if !c.templates.is_empty() {
        let ids: Vec<&str> = c.templates.iter().map(|t| t.as_str()).collect();
        let _ = write!(out, "\n{indent}Templates: {}\n", ids.join(", "));
    }
}

/// Content lists use `1.` and `*` so that they never merge with a `-` list of children.
fn list(out: &mut String, label: &str, entries: &[String], indent: &str, numbered: bool) {
    if entries.is_empty() {
        return;
    }
    let _ = write!(out, "\n{indent}{label}:\n\n");
    for (i, e) in entries.iter().enumerate() {
        let marker = if numbered {
            format!("{}. ", i + 1)
        } else {
            "* ".to_owned()
        };
        let cont = format!("{indent}{}", " ".repeat(marker.len()));
        for (j, line) in e.split('\n').enumerate() {
            if j == 0 {
                let _ = writeln!(out, "{indent}{marker}{line}");
            } else if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{cont}{line}");
            }
        }
    }
}

pub fn resource_line(r: &Resource) -> String {
    let mut s = format!("{}: {}", r.kind.as_str(), r.title);
    match (&r.author, r.year) {
        (Some(a), Some(y)) => {
            let _ = write!(s, " — {a}, {y}");
        }
        (Some(a), None) => {
            let _ = write!(s, " — {a}");
        }
        (None, Some(y)) => {
            let _ = write!(s, " — {y}");
        }
        (None, None) => {}
    }
    if let Some(u) = &r.url {
        let _ = write!(s, " <{u}>");
    }
    s
}
