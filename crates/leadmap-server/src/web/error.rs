//! Typed errors of the HTTP layer and how each one answers: a page for the browser (drawn by
//! [`error_pages`] with the person's theme and navigation), JSON under `/api/`. A request that
//! fails with a 5xx logs its error with the whole chain of causes, once.

use std::error::Error as _;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leadmap_store::StoreError;

use crate::web::chrome::{Chrome, ViewerInfo, error_page};
use crate::web::redirect::encode_query;

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
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// Too many attempts; the value is how many seconds to wait.
    #[error("{message}")]
    TooMany { message: String, retry_after: u64 },
    /// The server is at its limit for this kind of work; try again in a moment.
    #[error("the server is busy; try again in a moment")]
    Busy { retry_after: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("page template failed")]
    Template(#[from] askama::Error),
    #[error("{what}")]
    Internal {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    /// An unexpected failure, with its cause kept for the log.
    pub fn internal(
        what: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> AppError {
        AppError::Internal {
            what,
            source: source.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignIn(_) => StatusCode::SEE_OTHER,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) | AppError::Store(StoreError::Invalid(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            // A change refused by what is stored (a published assessment, say): it conflicts
            // with the state of the thing, not with the request's shape.
            AppError::Store(StoreError::Conflict(_) | StoreError::Refused(_)) => {
                StatusCode::CONFLICT
            }
            AppError::Store(_) | AppError::Template(_) | AppError::Internal { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the person is told; internal details go to the log only.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() && !matches!(self, AppError::Busy { .. }) {
            "Something went wrong on our side; it has been logged. Try again in a moment.".into()
        } else {
            self.to_string()
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooMany { retry_after, .. } | AppError::Busy { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// A server error's causes, one line, for the log (none for other errors).
    fn failure(&self) -> Option<Failure> {
        if self.status().is_server_error() && !matches!(self, AppError::Busy { .. }) {
            let mut chain = self.to_string();
            let mut cause = self.source();
            while let Some(c) = cause {
                chain.push_str(": ");
                chain.push_str(&c.to_string());
                cause = c.source();
            }
            return Some(Failure(chain));
        }
        None
    }

    /// The response with this error's status and headers; a server error's causes ride along
    /// in an extension for the request log ([`crate::observe::requests`] logs them once,
    /// with the request id).
    fn response(&self, body: Response) -> Response {
        let mut res = body;
        *res.status_mut() = self.status();
        if let Some(s) = self.retry_after()
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Some(f) = self.failure() {
            res.extensions_mut().insert(f);
        }
        res
    }
}

impl From<leadmap_app::Error> for AppError {
    fn from(e: leadmap_app::Error) -> AppError {
        use leadmap_app::Error as E;
        match e {
            E::UnknownRoadmap(_) | E::UnknownTopic { .. } => AppError::NotFound,
            E::Invalid(i) => AppError::Unprocessable(i.to_string()),
            E::Password(p) => AppError::Unprocessable(p.to_string()),
            E::Store(s) => AppError::Store(s),
        }
    }
}

impl From<leadmap_app::progress::Invalid> for AppError {
    fn from(e: leadmap_app::progress::Invalid) -> AppError {
        AppError::Unprocessable(e.to_string())
    }
}

/// A server error's chain of causes, from the response that answered it to the request log.
#[derive(Debug, Clone)]
pub struct Failure(pub String);

/// An error on its way to becoming a page: [`error_pages`] draws it with the request's theme.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignIn(next) = &self {
            let next = encode_query(next);
            return Redirect::to(&format!("/login?next={next}")).into_response();
        }
        let mut res = self.response(().into_response());
        res.extensions_mut().insert(ErrorInfo {
            message: self.public_message(),
        });
        res
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

/// The JSON body of an API error.
#[derive(Debug, serde::Serialize)]
pub struct ErrorBody {
    pub error: String,
}

fn json_error(status: StatusCode, message: String) -> Response {
    (status, axum::Json(ErrorBody { error: message })).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = match self.0 {
            AppError::SignIn(_) => AppError::Unauthorized,
            e => e,
        };
        let body = json_error(e.status(), e.public_message());
        e.response(body)
    }
}

/// Draws the page of every error answered by [`AppError`] (with the theme the person chose
/// and, when signed in, the site navigation), and answers JSON instead under `/api/`, where
/// axum's own refusals (a wrong method, an unknown path) become JSON as well.
pub async fn error_pages(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let theme = crate::web::chrome::theme(req.headers());
    let uri = req.uri().clone();
    let mut res = next.run(req).await;
    let status = res.status();
    let info = res.extensions_mut().remove::<ErrorInfo>();
    let message = match info {
        Some(i) => i.message,
        None if api && (status.is_client_error() || status.is_server_error()) => {
            if res
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.to_str().is_ok_and(|v| v.starts_with("application/json")))
            {
                return res;
            }
            status.canonical_reason().unwrap_or("error").to_lowercase()
        }
        None => return res,
    };
    let mut out = if api {
        json_error(status, message)
    } else {
        let viewer = res.extensions().get::<ViewerInfo>().cloned();
        let chrome = Chrome::themed(
            viewer.as_ref().map(|v| (v.name.as_str(), v.csrf.as_str())),
            theme,
            uri.path(),
        );
        let page = error_page(status, &message, chrome);
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    };
    for (k, v) in res.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    if let Some(f) = res.extensions_mut().remove::<Failure>() {
        out.extensions_mut().insert(f);
    }
    out
}

/// A JSON body that did not read: what shape it must have, and what was wrong (422).
pub fn body_shape_error(r: &axum::extract::rejection::JsonRejection, shape: &str) -> AppError {
    AppError::Unprocessable(format!(
        "the body must be JSON like {shape}: {}",
        r.body_text()
    ))
}
