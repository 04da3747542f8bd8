//! `GET /api/health`: is the server up, and which version is it.

use axum::Json;
use zoufang_domain::protocol::Health;

pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
