//! Logging in and out, and `GET /api/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::OffsetDateTime;
use zoufang_domain::protocol::{LoginRequest, LoginResponse, UserProfile};

use crate::AppState;
use crate::auth::hashing_gate::Busy;
use crate::auth::throttle::{self, ClientAddress};
use crate::auth::token::SessionToken;
use crate::auth::{AuthUser, BearerToken};
use crate::error::{ApiJson, AppError};
use crate::store::login_failures::{self, Claim, Counted};
use crate::store::{StoreError, format_instant, sessions, users};

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

/// `POST /api/login`: 200 with a fresh token; 401 `invalid_credentials` / `account_disabled`; 422 `invalid_phone` /
/// `empty_password`; 429 `too_many_attempts` (this number or this client failed too often) and 503 `login_busy`
/// (no password-hashing slot within the wait), both with `Retry-After`.
///
/// Order matters: the lockout checks come before a hashing slot is taken, so a locked-out flood costs a read each;
/// the attempt is claimed (counted as a failure) before the password is checked and forgiven when it succeeds.
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddress,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, AppError> {
    let phone = PhoneNumber::parse(&request.phone)?;
    if request.password.is_empty() {
        return Err(AppError::EmptyPassword);
    }
    let settings = &state.settings.login;
    let guard = &state.login;
    let phone_key = throttle::phone_key(phone.as_str());
    let refused = |reason: &'static str| {
        // Never the number in clear: a refused login is what an attacker produces by the thousand.
        tracing::warn!(
            phone = %throttle::phone_pseudonym(phone.as_str()),
            client = %client,
            reason,
            "login refused"
        );
    };

    let now = OffsetDateTime::now_utc();
    let client_key = client.key();
    if let Some(key) = &client_key
        && let Some(until) =
            login_failures::locked_until(&state.pool, Counted::Client, key, now).await?
    {
        refused("client locked out");
        return Err(too_many_until(until, now));
    }
    if let Some(until) =
        login_failures::locked_until(&state.pool, Counted::Phone, &phone_key, now).await?
    {
        refused("phone locked out");
        return Err(too_many_until(until, now));
    }

    let account = users::find_for_login(&state.pool, phone.as_str()).await?;
    // An unknown phone still pays for one verification, so response time does not reveal which numbers exist.
    let phc = account.as_ref().map_or_else(
        || state.dummy_password_hash().to_owned(),
        |account| account.password_hash.clone(),
    );
    let slot = match guard.hashing.acquire().await {
        Ok(slot) => slot,
        Err(Busy(wait)) => {
            refused("password hashing busy");
            return Err(AppError::LoginBusy { retry_after: wait });
        }
    };
    if let Err(error) = claim(&state, client_key.as_deref(), &phone_key).await {
        if matches!(error, AppError::TooManyLoginAttempts { .. }) {
            refused("locked out while waiting");
        }
        return Err(error);
    }
    let matches = slot
        .verify(request.password, phc)
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let account = match account {
        Some(account) if matches && !account.disabled => account,
        Some(_) if matches => {
            refused("account disabled");
            return Err(AppError::AccountDisabled);
        }
        _ => {
            refused("wrong phone number or password");
            return Err(AppError::InvalidCredentials);
        }
    };
    login_failures::reset(&state.pool, &phone_key).await?;
    if let Some(key) = &client_key {
        login_failures::forgive(&state.pool, key, settings).await?;
    }

    let token = SessionToken::generate();
    let now = OffsetDateTime::now_utc();
    let expires_at = now + state.settings.token_lifetime;
    let mut writer = state.writer.acquire().await?;
    let mut transaction = writer.begin().await?;
    sessions::insert(
        &mut *transaction,
        &token.hash(),
        account.id,
        now,
        expires_at,
    )
    .await?;
    let dropped = sessions::keep_newest(
        &mut *transaction,
        account.id,
        &token.hash(),
        settings.max_sessions_per_user,
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    let user = users::profile(&state.pool, account.id)
        .await?
        .ok_or_else(|| AppError::Internal("the account vanished during login".to_owned()))?;
    tracing::info!(user_id = %user.id, role = user.role.code(), dropped_sessions = dropped, "logged in");
    Ok(Json(LoginResponse {
        token: token.into_string(),
        expires_at: format_instant(expires_at),
        user,
    }))
}

/// Claims the attempt for the client address and for the number once a hashing slot is held (see
/// `store::login_failures`); a lockout that started meanwhile refuses it.
async fn claim(
    state: &AppState,
    client_key: Option<&str>,
    phone_key: &str,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let settings = &state.settings.login;
    if let Some(key) = client_key
        && let Claim::Locked { until } =
            login_failures::claim(&state.pool, Counted::Client, key, now, settings).await?
    {
        return Err(too_many_until(until, now));
    }
    let outcome =
        login_failures::claim(&state.pool, Counted::Phone, phone_key, now, settings).await;
    if !matches!(outcome, Ok(Claim::Granted { .. }))
        && let Some(key) = client_key
    {
        login_failures::forgive(&state.pool, key, settings).await?;
    }
    match outcome? {
        Claim::Granted { .. } => Ok(()),
        Claim::Locked { until } => Err(too_many_until(until, now)),
    }
}

fn too_many_until(until: OffsetDateTime, now: OffsetDateTime) -> AppError {
    let wait = std::time::Duration::try_from(until - now).unwrap_or(std::time::Duration::ZERO);
    AppError::TooManyLoginAttempts { retry_after: wait }
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
