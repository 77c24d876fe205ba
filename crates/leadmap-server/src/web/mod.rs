//! Web pieces every feature shares, and that know nothing of any feature: the page chrome,
//! cookies, redirects to local paths, HTML/JSON negotiation, errors and how they answer.
//! Features import from here; nothing here imports a feature (imports point down only).

pub mod chrome;
pub mod cookies;
pub mod error;
pub mod negotiate;
pub mod redirect;

pub use chrome::{Chrome, PageResult, html, html_sized};
pub use error::{ApiError, AppError};
