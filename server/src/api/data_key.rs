//! `PUT`/`GET /api/me/data-key`: the copy of the phone's data key the server keeps for the account, wrapped on the
//! phone with a key derived from the password (opaque here). Both need a session from a password login of the last
//! [`FRESH_LOGIN`]: a token alone (e.g. copied off a phone) neither reads nor replaces the copy.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::{Duration, OffsetDateTime};
use zoufang_domain::protocol::WrappedDataKey;

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiJson, AppError};
use crate::store::data_keys;

/// How recent the password login must be.
pub const FRESH_LOGIN: Duration = Duration::minutes(10);

/// The smallest and largest PBKDF2 iteration count accepted for a copy.
pub const ITERATIONS: std::ops::RangeInclusive<u32> = 100_000..=10_000_000;

/// Longest base64 text of a wrapped key (12-byte IV, 32-byte key, 16-byte tag: 80 characters) and of a salt.
const MAX_WRAPPED: usize = 128;
const MAX_SALT: usize = 64;

async fn require_fresh_login(state: &AppState, auth: &AuthUser) -> Result<(), AppError> {
    let created = data_keys::session_created_at(&state.pool, &auth.token_hash)
        .await?
        .ok_or(AppError::InvalidToken)?;
    if OffsetDateTime::now_utc() - created > FRESH_LOGIN {
        return Err(AppError::LoginNotFresh);
    }
    Ok(())
}

fn is_base64(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'='))
}

/// 204: kept. 403 `login_not_fresh`; 422 `invalid_data_key`.
pub async fn put_data_key(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(copy): ApiJson<WrappedDataKey>,
) -> Result<StatusCode, AppError> {
    require_fresh_login(&state, &auth).await?;
    if !is_base64(&copy.wrapped, MAX_WRAPPED)
        || !is_base64(&copy.salt, MAX_SALT)
        || !ITERATIONS.contains(&copy.iterations)
    {
        return Err(AppError::InvalidDataKey);
    }
    data_keys::put(&state.pool, auth.user_id, &copy, OffsetDateTime::now_utc()).await?;
    tracing::info!(user_id = %auth.user_id, "data key copy kept");
    Ok(StatusCode::NO_CONTENT)
}

/// 200 with the copy; 404 `no_data_key`; 403 `login_not_fresh`.
pub async fn get_data_key(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<WrappedDataKey>, AppError> {
    require_fresh_login(&state, &auth).await?;
    let copy = data_keys::get(&state.pool, auth.user_id)
        .await?
        .ok_or(AppError::NoDataKey)?;
    tracing::info!(user_id = %auth.user_id, "data key copy released");
    Ok(Json(copy))
}
