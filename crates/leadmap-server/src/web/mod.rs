//! Web pieces every feature shares, and that know nothing of any feature: the page chrome,
//! cookies, redirects to local paths, HTML/JSON negotiation, errors and how they answer, and
//! the path prefix the app may be served under.
//! Features import from here; nothing here imports a feature (imports point down only).

pub mod base;
pub mod chrome;
pub mod cookies;
pub mod error;
pub mod negotiate;
pub mod redirect;

pub use chrome::{Chrome, PageResult, html, html_sized};
pub use error::{ApiError, AppError};
