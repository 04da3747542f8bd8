//! Zoufang's sync server: accounts and sessions, the household register, and the built web app.
//!
//! Bird's-eye view (see also `server/ARCHITECTURE.md`):
//! - [`config`] turns flags and environment variables into a [`config::Config`];
//! - [`startup`] opens the database, seeds the demo village, binds and serves until a signal;
//! - [`app`] builds the whole HTTP surface from an [`AppState`], so tests call it in-process;
//! - [`api`] holds the JSON handlers under `/api`, [`web`] serves the built app for everything else;
//! - [`store`] is the only module that speaks SQL; [`auth`] owns passwords, tokens and the
//!   [`auth::AuthUser`] extractor; [`error::AppError`] is the only way a handler reports failure.

pub mod admin;
pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod fault;
pub mod startup;
pub mod store;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::any;
use sqlx::SqlitePool;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Everything a request handler may need. Cheap to clone: the pool and settings are shared.
#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub settings: Arc<Settings>,
    /// A real argon2id hash of a random password, verified against when a phone number is unknown so
    /// that a wrong phone costs the same time as a wrong password (no account enumeration by timing).
    dummy_password_hash: Arc<str>,
    /// The argon2 gate and the per-client failure counters, shared by all logins.
    pub login: Arc<auth::LoginGuard>,
}

/// The parts of the configuration that handlers read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The directory holding the built web app (`index.html`, hashed js/wasm/css, `sw.js`).
    pub dist_dir: PathBuf,
    /// How long a login token stays valid.
    pub token_lifetime: time::Duration,
    /// Fault injection: the probability (0–1) that a submission or photo response is dropped after the handler
    /// has committed. 0 in production.
    pub drop_response_rate: f64,
    /// Login throttling, the password-hashing gate and the session cap.
    pub login: auth::LoginSettings,
}

impl AppState {
    /// Builds the state; hashes the dummy password once (a few tens of milliseconds) and starts the hashing threads.
    pub fn new(
        pool: SqlitePool,
        settings: Settings,
    ) -> Result<Self, auth::password::PasswordError> {
        let dummy_password_hash = auth::password::dummy_hash()?;
        let login = Arc::new(auth::LoginGuard::new(&settings.login)?);
        Ok(AppState {
            pool,
            settings: Arc::new(settings),
            dummy_password_hash: dummy_password_hash.into(),
            login,
        })
    }

    pub(crate) fn dummy_password_hash(&self) -> &str {
        &self.dummy_password_hash
    }
}

/// The whole HTTP surface: `/api/...` JSON endpoints, and the built app for every other path.
pub fn app(state: AppState) -> Router {
    let web = web::router(state.settings.dist_dir.clone());
    Router::new()
        .nest("/api", api::router(state.clone()))
        // `nest` covers `/api` and `/api/<something>`; the bare `/api/` would otherwise reach the app fallback.
        .route("/api/", any(api::not_found))
        .fallback_service(web)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                // AppError already logs the cause of a 500 at ERROR; this line only marks the request.
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        .with_state(state)
}
