//! Who is asking, and what they may do: the one place that resolves a caller and checks a
//! route's access before its handler runs.
//!
//! Every route is registered through [`Routes`] with an [`Access`]: the route table is data,
//! so [`guard`] enforces it for every request (a signed-in page refuses anonymous callers, a
//! state-changing form is refused without our origin and the session's CSRF token, an API
//! route without a bearer token) and a test walks it (`tests/http/access.rs`). A handler
//! cannot forget the check: it never sees a request that failed it.
//!
//! Handlers then get a capability scoped to what the caller proved ([`Me`], [`ApiMe`]): the
//! person's own progress and account, never the whole store, which only this module holds.

mod assess;
mod caller;
mod capability;
mod client;
mod origin;
mod publishing;
mod signin;
mod state;
mod teams;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};

pub use assess::{AssessmentView, MyAssessments, Overview, Right, Standing};
pub use caller::{Caller, Role, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS};
pub use capability::{
    ApiMe, Me, MyAccount, MyHistory, MyProgress, MyShares, PasswordCheck, SharedView, Viewer,
};
pub use client::ClientAddr;
pub use publishing::MyRoadmaps;
pub use signin::{Setup, SignIn, SignInError, throttle};
pub use state::{AppState, Config};
pub use teams::{
    Managed, MyTeams, Relation, TeamProgress, TeamView, invite_team, join_as_new, sign_up,
};

use crate::web::chrome::ViewerInfo;
use crate::web::error::{ApiError, AppError, ErrorInfo};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, to read (GET).
    Public,
    /// Anyone, a form that changes state before there is a session (sign in, first-run set-up,
    /// the theme): refused unless it comes from our own origin.
    PublicForm,
    /// A signed-in person (session cookie); a method other than GET also needs our origin and
    /// the session's CSRF token.
    Session,
    /// An API caller with a personal access token (`Authorization: Bearer …`).
    Token,
}

/// One entry of the route table.
#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// `Routes::get`, `Routes::post` …: a route for one method, with who may call it.
macro_rules! route_methods {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        pub fn $name<H, T>(self, path: &'static str, access: Access, h: H) -> Routes
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.on(Method::$method, MethodFilter::$method, path, access, h)
        }
    )*};
}

/// A router whose every route says who may call it.
#[derive(Debug, Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    route_methods! {
        get => GET,
        post => POST,
        put => PUT,
        delete => DELETE,
    }

    fn on<H, T>(
        mut self,
        method: Method,
        filter: MethodFilter,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        // A state change is never merely public: it needs at least our origin (PublicForm).
        assert!(
            method == Method::GET || access != Access::Public,
            "{method} {path}: a route that changes state is PublicForm, Session or Token"
        );
        self.router = self.router.route(path, on(filter, h));
        self.table.push(Route {
            method,
            path,
            access,
        });
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub fn table(&self) -> &[Route] {
        &self.table
    }

    /// The router with [`guard`] in front of every route.
    pub fn into_router(self, state: &AppState) -> Router<AppState> {
        let table: HashMap<(Method, &'static str), Access> = self
            .table
            .iter()
            .map(|r| ((r.method.clone(), r.path), r.access))
            .collect();
        let guarded = Guarded {
            state: state.clone(),
            table: Arc::new(table),
        };
        self.router
            .route_layer(axum::middleware::from_fn_with_state(guarded, guard))
    }
}

#[derive(Debug, Clone)]
pub struct Guarded {
    state: AppState,
    table: Arc<HashMap<(Method, &'static str), Access>>,
}

/// The most a form body may hold before the CSRF check reads it.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Resolves the caller, checks the route's [`Access`], and hands the request on with the
/// [`Caller`] in its extensions; refuses it otherwise.
pub async fn guard(State(g): State<Guarded>, req: Request, next: Next) -> Response {
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let path = req.extensions().get::<MatchedPath>().map(|m| m.as_str());
    // A method the route does not have: axum answers 405 itself.
    let Some(access) = path
        .and_then(|p| g.table.get(&(method.clone(), p)))
        .copied()
    else {
        return next.run(req).await;
    };
    // A public route resolves its caller only when its handler asks (`Viewer`): a static file
    // costs no session lookup. Its error page still shows who is signed in.
    let cookie = matches!(access, Access::Public | Access::PublicForm)
        .then(|| req.headers().get(axum::http::header::COOKIE).cloned())
        .flatten();
    match check(&g.state, access, &method, req).await {
        Ok((req, viewer)) => {
            let mut res = next.run(req).await;
            let viewer = match (viewer, cookie) {
                (Some(v), _) => Some(v),
                (None, Some(c)) if res.extensions().get::<ErrorInfo>().is_some() => {
                    let mut headers = axum::http::HeaderMap::new();
                    headers.insert(axum::http::header::COOKIE, c);
                    Caller::from_cookie(&g.state, &headers)
                        .await
                        .ok()
                        .and_then(|c| c.viewer_info())
                }
                _ => None,
            };
            if let Some(v) = viewer {
                res.extensions_mut().insert(v);
            }
            res
        }
        Err(e) if access == Access::Token => ApiError(e).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn check(
    state: &AppState,
    access: Access,
    method: &Method,
    mut req: Request,
) -> Result<(Request, Option<ViewerInfo>), AppError> {
    let changes_state = method != Method::GET;
    let caller = match access {
        Access::Public => return Ok((req, None)),
        Access::PublicForm => {
            origin::same_origin(state.config(), req.headers())?;
            return Ok((req, None));
        }
        Access::Token => Caller::from_bearer(state, req.headers()).await?,
        Access::Session => Caller::from_cookie(state, req.headers()).await?,
    };
    match (access, &caller) {
        (Access::Public | Access::PublicForm, _) => {}
        (Access::Session, Caller::Session { session, .. }) => {
            if changes_state {
                origin::same_origin(state.config(), req.headers())?;
                let csrf = session.csrf.clone();
                req = origin::check_csrf_token(req, &csrf).await?;
            }
        }
        (Access::Session, _) => {
            let next = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            return Err(AppError::SignIn(next.to_owned()));
        }
        (Access::Token, Caller::Token(_)) => {}
        (Access::Token, _) => return Err(AppError::Unauthorized),
    }
    let viewer = caller.viewer_info();
    req.extensions_mut().insert(caller);
    Ok((req, viewer))
}
