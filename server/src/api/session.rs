//! Logging in and out, and `GET /api/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::OffsetDateTime;
use zoufang_domain::protocol::{LoginRequest, LoginResponse, UserProfile};

use crate::AppState;
use crate::auth::token::SessionToken;
use crate::auth::{AuthUser, BearerToken, password};
use crate::error::{ApiJson, AppError};
use crate::store::{format_instant, sessions, users};

/// A mainland mobile number: exactly 11 ASCII digits (surrounding spaces are forgiven).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<PhoneNumber, AppError> {
        let trimmed = raw.trim();
        if trimmed.len() == 11 && trimmed.bytes().all(|byte| byte.is_ascii_digit()) {
            Ok(PhoneNumber(trimmed.to_owned()))
        } else {
            Err(AppError::InvalidPhone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `POST /api/login`: 200 with a fresh token, 401 `invalid_credentials`, 422 `invalid_phone` / `empty_password`.
pub async fn login(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    let phone = PhoneNumber::parse(&request.phone)?;
    if request.password.is_empty() {
        return Err(AppError::EmptyPassword);
    }

    let account = users::find_for_login(&state.pool, phone.as_str()).await?;
    // An unknown phone still pays for one verification, so response time does not reveal which numbers exist.
    let phc = account.as_ref().map_or_else(
        || state.dummy_password_hash().to_owned(),
        |account| account.password_hash.clone(),
    );
    let matches = password::verify_in_background(request.password, phc)
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let account = match account {
        Some(account) if matches => account,
        _ => {
            tracing::info!("login refused");
            return Err(AppError::InvalidCredentials);
        }
    };

    let token = SessionToken::generate();
    let now = OffsetDateTime::now_utc();
    let expires_at = now + state.settings.token_lifetime;
    sessions::insert(&state.pool, &token.hash(), account.id, now, expires_at).await?;
    let user = users::profile(&state.pool, account.id)
        .await?
        .ok_or_else(|| AppError::Internal("the account vanished during login".to_owned()))?;
    tracing::info!(user_id = %user.id, role = user.role.code(), "logged in");
    Ok(Json(LoginResponse {
        token: token.into_string(),
        expires_at: format_instant(expires_at),
        user,
    }))
}

/// `GET /api/me`: the profile behind the bearer token.
pub async fn me(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<UserProfile>, AppError> {
    users::profile(&state.pool, auth.user_id)
        .await?
        .map(Json)
        // The session row cascades with its user, so a missing profile means the account was just deleted.
        .ok_or(AppError::InvalidToken)
}

/// `POST /api/logout`: 204. Idempotent: an unknown or expired token is already logged out, so it also gets 204;
/// only a request without any bearer token is refused (401 `missing_token`).
pub async fn logout(
    State(state): State<AppState>,
    token: BearerToken,
) -> Result<StatusCode, AppError> {
    if sessions::delete(&state.pool, &token.token_hash).await? {
        tracing::info!("logged out");
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_must_be_exactly_eleven_digits() {
        assert!(PhoneNumber::parse("13800000001").is_ok());
        assert!(PhoneNumber::parse(" 13800000001 ").is_ok());
        assert!(PhoneNumber::parse("1380000000").is_err());
        assert!(PhoneNumber::parse("138000000012").is_err());
        assert!(PhoneNumber::parse("1380000000a").is_err());
        assert!(PhoneNumber::parse("１３８００００００００１").is_err());
        assert!(PhoneNumber::parse("").is_err());
    }
}
