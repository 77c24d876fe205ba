//! Embeds every topic file (`roadmaps/<roadmap>/topics/<id>.md`) and template
//! (`roadmaps/templates/<id>.md`): writes a table of `include_str!`s into OUT_DIR.

use std::fmt::Write;
use std::path::Path;

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "md")
                && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
            {
                out.push((stem.to_owned(), p.display().to_string()));
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../roadmaps");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut code = String::from(
        "/// (roadmap id, topic id, source) of every topic file.\npub static TOPIC_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for roadmap in ["engineering-leadership", "engineering-manager"] {
        let dir = root.join(roadmap).join("topics");
        println!("cargo:rerun-if-changed={}", dir.display());
        for (id, path) in files(&dir) {
            let _ = writeln!(code, "    ({roadmap:?}, {id:?}, include_str!({path:?})),");
        }
    }
    code.push_str("];\n/// (template id, source) of every template.\npub static TEMPLATE_FILES: &[(&str, &str)] = &[\n");
    let dir = root.join("templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    for (id, path) in files(&dir) {
        let _ = writeln!(code, "    ({id:?}, include_str!({path:?})),");
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("content.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
