//! The JSON shape of a roadmap (`leadmap show --json`, the web API). Documented in
//! `docs/json.md`; every node has at least `id`, `kind`, `title` and `children`.

use serde_json::{Map, Value, json};

use crate::model::{Kind, Node, Roadmap};

pub fn to_json(r: &Roadmap) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.id));
    m.insert("title".into(), json!(r.title.plain()));
    if r.title.plain() != r.title.as_markdown() {
        m.insert("title_markdown".into(), json!(r.title.as_markdown()));
    }
    m.insert("description".into(), json!(r.description));
    m.insert("meta".into(), json!(r.meta));
    m.insert(
        "counts".into(),
        json!({
            "parts": r.count(Kind::Part),
            "areas": r.count(Kind::Area),
            "groups": r.count(Kind::Group),
            "topics": r.count(Kind::Topic),
            "subtopics": r.count(Kind::Subtopic),
        }),
    );
    m.insert(
        "children".into(),
        Value::Array(r.children.iter().map(node_json).collect()),
    );
    Value::Object(m)
}

pub fn node_json(n: &Node) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(n.id));
    m.insert("kind".into(), json!(n.kind));
    m.insert("title".into(), json!(n.title.plain()));
    if n.title.plain() != n.title.as_markdown() {
        m.insert("title_markdown".into(), json!(n.title.as_markdown()));
    }
    if let Some(e) = &n.emoji {
        m.insert("emoji".into(), json!(e));
    }
    if let Value::Object(content) = json!(n.content) {
        m.extend(content);
    }
    m.insert(
        "children".into(),
        Value::Array(n.children.iter().map(node_json).collect()),
    );
    Value::Object(m)
}
