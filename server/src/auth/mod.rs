//! Who is calling: passwords ([`password`], [`password_policy`]), tokens ([`token`]), login throttling
//! ([`throttle`], with its numbers in [`LoginSettings`]) and the [`AuthUser`] extractor that every endpoint needing
//! a login takes as an argument.

pub mod hashing_gate;
mod login_settings;
pub mod password;
pub mod password_policy;
pub mod throttle;
pub mod token;

pub use login_settings::LoginSettings;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::Role;

use crate::AppState;
use crate::error::AppError;
use crate::store::sessions;

/// The bearer token of the request, hashed: enough to find or delete its session.
/// Rejects with `missing_token` when there is no `Authorization: Bearer <token>` header.
#[derive(Debug, Clone)]
pub struct BearerToken {
    pub token_hash: String,
}

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or(AppError::MissingToken)?;
        let (scheme, token) = header
            .trim()
            .split_once(' ')
            .ok_or(AppError::MissingToken)?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(AppError::MissingToken);
        }
        Ok(BearerToken {
            token_hash: token::hash_token(token),
        })
    }
}

/// What logins share across requests in one process: the gate in front of argon2. (The failure counters, per
/// phone number and per client address, are in the database: `store::login_failures`.)
#[derive(Debug)]
pub struct LoginGuard {
    pub hashing: hashing_gate::HashingGate,
}

impl LoginGuard {
    /// Starts the hashing threads.
    pub fn new(settings: &LoginSettings) -> Result<LoginGuard, password::PasswordError> {
        Ok(LoginGuard {
            hashing: hashing_gate::HashingGate::new(
                settings.hashing_concurrency,
                settings.hashing_wait,
            )?,
        })
    }
}

/// A logged-in account with an unexpired session. Rejects with `missing_token`, `invalid_token` (unknown or
/// revoked), `token_expired` or `account_disabled` (checked on every request, so disabling takes effect at once),
/// all 401.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: Uuid,
    pub role: Role,
    pub village_id: Option<Uuid>,
    pub teaching_point_id: Option<Uuid>,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let BearerToken { token_hash } = BearerToken::from_request_parts(parts, state).await?;
        let owner = sessions::find_owner(&state.pool, &token_hash)
            .await?
            .ok_or(AppError::InvalidToken)?;
        if owner.expires_at <= OffsetDateTime::now_utc() {
            return Err(AppError::TokenExpired);
        }
        if owner.disabled {
            return Err(AppError::AccountDisabled);
        }
        Ok(AuthUser {
            user_id: owner.user_id,
            role: owner.role,
            village_id: owner.village_id,
            teaching_point_id: owner.teaching_point_id,
            token_hash,
        })
    }
}
