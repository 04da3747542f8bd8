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
pub mod blobs;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
pub mod export;
pub mod fault;
pub mod helper_change;
pub mod limits;
pub mod maintenance;
pub mod serve;
pub mod startup;
pub mod store;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::any;
use sqlx::AnyPool;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Everything a request handler may need. Cheap to clone: the pool and settings are shared.
#[derive(Clone)]
pub struct AppState {
    /// Reads, and writes outside a transaction.
    pub pool: AnyPool,
    /// Where write transactions start ([`store::writer`]: SQLite's one writer connection, else `pool`).
    pub writer: store::writer::Writer,
    pub settings: Arc<Settings>,
    /// Where photo bytes are kept (a directory or an S3-compatible bucket).
    pub blobs: blobs::Blobs,
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
    /// Photo upload quota and the removal of unreferenced photos.
    pub photos: PhotoSettings,
    /// Login throttling, the password-hashing gate and the session cap.
    pub login: auth::LoginSettings,
}

/// Limits on photo storage: how much one account may upload, and when photos no record links are removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoSettings {
    /// Bytes of photos one account may upload within [`PhotoSettings::quota_window`] (photos it uploaded before in
    /// the window count; the same bytes again do not). Over it, `PUT /api/photos` answers 429
    /// `photo_quota_exceeded` with `Retry-After`. Default [`PhotoSettings::DEFAULT_QUOTA_MIB`] MiB: a helper's day is
    /// a few dozen photos of a few hundred KiB, and a phone that was offline for a week sends about 100.
    pub quota_bytes: u64,
    /// The sliding window of the quota. Default 24 hours.
    pub quota_window: time::Duration,
    /// A photo that no submission links is removed once nobody has uploaded it for this long. Default
    /// [`PhotoSettings::DEFAULT_GRACE_DAYS`] days: long enough for a phone's outbox to send the record after its
    /// photos, short enough that bytes uploaded for nothing do not pile up.
    pub unreferenced_grace: time::Duration,
    /// How often the running server removes unreferenced photos. Default one hour.
    pub cleanup_interval: std::time::Duration,
}

impl PhotoSettings {
    pub const DEFAULT_QUOTA_MIB: u32 = 200;
    pub const DEFAULT_GRACE_DAYS: u16 = 7;
    const MIB: u64 = 1024 * 1024;

    /// The defaults with the quota and grace period given in MiB and days (the command-line units).
    pub fn new(quota_mib: u32, grace_days: u16) -> PhotoSettings {
        PhotoSettings {
            quota_bytes: u64::from(quota_mib) * Self::MIB,
            quota_window: time::Duration::hours(24),
            unreferenced_grace: time::Duration::days(i64::from(grace_days)),
            cleanup_interval: std::time::Duration::from_secs(60 * 60),
        }
    }
}

impl Default for PhotoSettings {
    fn default() -> PhotoSettings {
        PhotoSettings::new(Self::DEFAULT_QUOTA_MIB, Self::DEFAULT_GRACE_DAYS)
    }
}

impl AppState {
    /// Builds the state; hashes the dummy password once (a few tens of milliseconds) and starts the hashing threads.
    pub fn new(
        pool: AnyPool,
        settings: Settings,
        blobs: blobs::Blobs,
    ) -> Result<Self, auth::password::PasswordError> {
        let dummy_password_hash = auth::password::dummy_hash()?;
        let login = Arc::new(auth::LoginGuard::new(&settings.login)?);
        Ok(AppState {
            writer: store::writer::Writer::for_pool(&pool),
            pool,
            settings: Arc::new(settings),
            blobs,
            dummy_password_hash: dummy_password_hash.into(),
            login,
        })
    }

    pub(crate) fn dummy_password_hash(&self) -> &str {
        &self.dummy_password_hash
    }
}

/// The whole HTTP surface: `/api/...` JSON endpoints, and the built app for every other path, with the default
/// [`limits::HttpLimits`].
pub fn app(state: AppState) -> Router {
    app_with_limits(state, &limits::HttpLimits::default())
}

/// [`app`] with the given request deadline and concurrency limit.
pub fn app_with_limits(state: AppState, http_limits: &limits::HttpLimits) -> Router {
    let web = web::router(state.settings.dist_dir.clone());
    let router = Router::new()
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
        .with_state(state);
    limits::layers(router, http_limits)
}
