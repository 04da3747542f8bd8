//! The JSON API under `/api`. Every failure is an [`AppError`] (a JSON [`ApiErrorBody`]), including unknown paths,
//! wrong methods and bodies that do not parse.
//!
//! [`ApiErrorBody`]: zoufang_domain::protocol::ApiErrorBody

mod assignments;
mod attendance;
mod bank_account;
mod changes;
mod data_key;
mod exports;
mod health;
mod households;
mod night_school;
mod night_school_roster;
mod photo_thumbnail;
mod photos;
mod reviews;
mod session;
mod submissions;

pub use photos::sha256_hex;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, put};
use tower_http::compression::CompressionLayer;

use crate::AppState;
use crate::error::{AppError, JSON_BODY_LIMIT_BYTES, PHOTO_LIMIT_BYTES};
use crate::fault::drop_some_responses;

/// Routes relative to `/api`. `state` configures the fault-injection layer of the submission and photo routes.
pub fn router(state: AppState) -> Router<AppState> {
    let outbox_routes = Router::new()
        .route("/submissions", post(submissions::submit))
        .route(
            "/photos/{sha256}",
            get(photos::get_photo)
                .head(photos::head_photo)
                .put(photos::put_photo)
                // Inner to the router-wide JSON limit, so this one wins on this route.
                .layer(DefaultBodyLimit::max(PHOTO_LIMIT_BYTES)),
        )
        .route(
            "/photos/{sha256}/thumbnail",
            get(photo_thumbnail::get_thumbnail),
        )
        .route_layer(from_fn_with_state(state, drop_some_responses));
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/login", post(session::login))
        .route("/logout", post(session::logout))
        .route("/me", get(session::me))
        .route(
            "/me/data-key",
            get(data_key::get_data_key).put(data_key::put_data_key),
        )
        .route("/assignments", get(assignments::assignments))
        .route("/changes", get(changes::changes))
        .route("/reviews", post(reviews::review))
        .route("/households/{id}/helper", post(households::change_helper))
        .route(
            "/households/{id}/history",
            get(assignments::household_history),
        )
        .route("/exports/village.csv", get(exports::village_csv))
        .route(
            "/exports/households/{id}/income.csv",
            get(exports::income_csv),
        )
        .route(
            "/exports/households/{id}/card.html",
            get(exports::card_html),
        )
        .route("/night-school", get(night_school::night_school))
        .route(
            "/night-school/sessions/{id}/confirm",
            post(night_school::confirm),
        )
        .route(
            "/night-school/sessions/{id}/sign-in.csv",
            get(night_school::sign_in_csv),
        )
        .route("/night-school/rates.csv", get(night_school::rates_csv))
        .route(
            "/night-school/points/{id}/households",
            put(night_school_roster::assign),
        )
        .merge(outbox_routes)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new());
    crate::limits::no_store(api)
}

pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
