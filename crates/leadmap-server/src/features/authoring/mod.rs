//! Writing roadmaps in the browser: a new roadmap, editing one (the Markdown with line
//! numbers, the checker's problems linked to their line and column, a preview of the diagram,
//! the diff and the orphaned progress before publishing), importing an outline or a
//! roadmap.sh export into the same editor, a roadmap's versions, what each changed, publishing
//! an old one again, and who may see it.

mod editor;
mod versions;

use crate::access::{Access, Routes};

pub fn routes() -> Routes {
    use Access::Session;
    Routes::new()
        .get("/roadmaps/new", Session, editor::new_page)
        .post("/roadmaps/new", Session, editor::new_post)
        .get("/r/{roadmap}/edit", Session, editor::edit_page)
        .post("/r/{roadmap}/edit", Session, editor::edit_post)
        .get("/r/{roadmap}/versions", Session, versions::list)
        .get("/r/{roadmap}/versions/{version}", Session, versions::one)
        .post(
            "/r/{roadmap}/versions/{version}/restore",
            Session,
            versions::restore,
        )
        .post("/r/{roadmap}/visibility", Session, versions::visibility)
}

/// Line numbers for the editor's gutter: "1\n2\n…" for the text's lines.
fn line_numbers(text: &str) -> String {
    let n = text.lines().count().max(1) + usize::from(text.ends_with('\n'));
    (1..=n)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_gutter_counts_every_line_and_the_empty_last_one() {
        assert_eq!(super::line_numbers(""), "1");
        assert_eq!(super::line_numbers("# A"), "1");
        assert_eq!(super::line_numbers("# A\n"), "1\n2");
        assert_eq!(super::line_numbers("# A\n\n- b"), "1\n2\n3");
    }
}
