//! Debug aid: parse every topic file under a folder and print its diagnostics.
fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let p = leadmap_core::markdown::parse_content(&bytes);
        let name = path.display().to_string();
        print!(
            "{}",
            leadmap_core::diagnostic::render(&name, &bytes, &p.diagnostics)
        );
        let c = &p.content;
        let words = c.summary.split_whitespace().count();
        if words < 60
            || words > 150
            || c.steps.len() < 3
            || c.steps.len() > 6
            || c.pitfalls.is_empty()
            || c.pitfalls.len() > 3
            || c.resources.len() < 2
            || c.related.is_empty()
        {
            println!(
                "{name}: summary {words} words, {} steps, {} pitfalls, {} resources, {} related",
                c.steps.len(),
                c.pitfalls.len(),
                c.resources.len(),
                c.related.len()
            );
        }
    }
}
