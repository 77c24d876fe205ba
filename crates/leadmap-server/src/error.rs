//! Typed errors of the HTTP layer and how each one answers: a page for the browser, JSON for
//! the API.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// The page needs a signed-in person; the value is where to come back to.
    #[error("sign in first")]
    SignIn(String),
    #[error("a valid personal access token is needed (Authorization: Bearer …)")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("page template failed: {0}")]
    Template(#[from] askama::Error),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignIn(_) => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Store(StoreError::Conflict(_)) => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Template(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the person is told; internal details go to the log only.
    fn public_message(&self) -> String {
        if self.status().is_server_error() {
            "Something went wrong on our side; it has been logged. Try again in a moment.".into()
        } else {
            self.to_string()
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignIn(next) = &self {
            let next = crate::pages::encode_query(next);
            return Redirect::to(&format!("/login?next={next}")).into_response();
        }
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let page = crate::pages::error_page(status, &self.public_message());
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    }
}

/// The API's errors: `{"error": "<message>"}` with the status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self.0 {
            AppError::SignIn(_) => StatusCode::UNAUTHORIZED,
            ref e => e.status(),
        };
        if status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
        }
        let body = serde_json::json!({ "error": self.0.public_message() });
        (status, axum::Json(body)).into_response()
    }
}
