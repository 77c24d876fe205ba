//! Practice assessments: the list and starting one, an assessment's sheet (rating every
//! practice, by keyboard with the page's script or by forms without it), publishing, the
//! files in and out, every rating kept, the organisation view of a roadmap, comparing two
//! assessments, the report (page, Markdown, PDF) and every picture as SVG/PNG/PDF; the same
//! through `/api/v1/assessments`. Every handler opens assessments through
//! `Me::assessments()`/`ApiMe::assessments()`: one the caller may not read is not found.

mod api;
mod charts;
mod pages;
mod views;

use crate::access::{Access, Routes};

pub fn routes() -> Routes {
    use Access::{Session, Token};
    Routes::new()
        .get("/assessments", Session, pages::list)
        .post("/assessments", Session, pages::start)
        .get("/assessments/compare", Session, views::compare)
        .get("/assessments/overview/{roadmap}", Session, views::overview)
        .get(
            "/assessments/overview/{roadmap}/{file}",
            Session,
            views::overview_picture,
        )
        .get("/assessments/{id}", Session, pages::sheet)
        .post("/assessments/{id}/practices/{topic}", Session, pages::rate)
        .post("/assessments/{id}/publish", Session, pages::publish)
        .post("/assessments/{id}/delete", Session, pages::delete)
        .post("/assessments/{id}/import", Session, pages::import)
        .get("/assessments/{id}/export.csv", Session, pages::export_csv)
        .get("/assessments/{id}/export.json", Session, pages::export_json)
        .get("/assessments/{id}/history", Session, pages::history)
        .get("/assessments/{id}/report", Session, views::report)
        .get("/assessments/{id}/{file}", Session, views::report_file)
        .get("/assessments/{id}/pictures/{file}", Session, views::picture)
        .get("/api/v1/assessments", Token, api::list)
        .post("/api/v1/assessments", Token, api::create)
        .get("/api/v1/assessments/compare", Token, api::compare)
        .get(
            "/api/v1/assessments/overview/{roadmap}",
            Token,
            api::overview,
        )
        .get("/api/v1/assessments/{id}", Token, api::show)
        .delete("/api/v1/assessments/{id}", Token, api::delete)
        .put(
            "/api/v1/assessments/{id}/practices/{topic}",
            Token,
            api::rate,
        )
        .delete(
            "/api/v1/assessments/{id}/practices/{topic}",
            Token,
            api::unrate,
        )
        .post("/api/v1/assessments/{id}/publish", Token, api::publish)
        .post("/api/v1/assessments/{id}/import", Token, api::import)
        .get("/api/v1/assessments/{id}/history", Token, api::history)
        .get(
            "/api/v1/assessments/{id}/export.csv",
            Token,
            api::export_csv,
        )
}

/// An assessment's id from its address: anything that is not one is not found (never a 400
/// that says more than "no such assessment").
fn parse_id(s: &str) -> Result<i64, crate::web::AppError> {
    s.parse().map_err(|_| crate::web::AppError::NotFound)
}
