//! The JSON API under `/api`. Every failure is an [`AppError`] (a JSON [`ApiErrorBody`]), including unknown paths,
//! wrong methods and bodies that do not parse.
//!
//! [`ApiErrorBody`]: zoufang_domain::protocol::ApiErrorBody

mod assignments;
mod health;
mod session;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;

use crate::AppState;
use crate::error::{AppError, JSON_BODY_LIMIT_BYTES};

/// Routes relative to `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/login", post(session::login))
        .route("/logout", post(session::logout))
        .route("/me", get(session::me))
        .route("/assignments", get(assignments::assignments))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new())
}

pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
