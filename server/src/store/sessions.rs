//! Login sessions, keyed by the SHA-256 of the bearer token: the token itself is never stored.

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::Role;

use super::users::parse_role;
use super::{StoreError, format_instant, parse_instant, parse_uuid};

/// The account behind a session, as the `AuthUser` extractor needs it.
#[derive(Debug, Clone)]
pub struct SessionOwner {
    pub user_id: Uuid,
    pub role: Role,
    pub village_id: Option<Uuid>,
    pub teaching_point_id: Option<Uuid>,
    pub expires_at: OffsetDateTime,
    /// The account was disabled (`admin disable-user`): its sessions are refused.
    pub disabled: bool,
}

pub async fn insert(
    executor: impl AnyExecutor<'_>,
    token_hash: &str,
    user_id: Uuid,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id.to_string())
    .bind(format_instant(created_at))
    .bind(format_instant(expires_at))
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn find_owner(
    executor: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<SessionOwner>, StoreError> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT u.id AS user_id, u.role, u.village_id, u.teaching_point_id, s.expires_at, \
                u.disabled_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(SessionOwner {
        user_id: parse_uuid("users.id", &row.user_id)?,
        role: parse_role(&row.role)?,
        village_id: row
            .village_id
            .map(|id| parse_uuid("users.village_id", &id))
            .transpose()?,
        teaching_point_id: row
            .teaching_point_id
            .map(|id| parse_uuid("users.teaching_point_id", &id))
            .transpose()?,
        expires_at: parse_instant("sessions.expires_at", &row.expires_at)?,
        disabled: row.disabled_at.is_some(),
    }))
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: String,
    role: String,
    village_id: Option<String>,
    teaching_point_id: Option<String>,
    expires_at: String,
    disabled_at: Option<String>,
}

/// Deletes one session; returns whether it existed.
pub async fn delete(executor: impl AnyExecutor<'_>, token_hash: &str) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(executor)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Deletes sessions that expired before `before`; returns how many. Expired sessions are kept for a while so that
/// a returning phone is told "expired" rather than "invalid".
pub async fn delete_expired_before(
    executor: impl AnyExecutor<'_>,
    before: OffsetDateTime,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(format_instant(before))
        .execute(executor)
        .await?;
    Ok(result.rows_affected())
}

/// Deletes every session of an account; returns how many.
pub async fn delete_for_user(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id.to_string())
        .execute(executor)
        .await?;
    Ok(result.rows_affected())
}

/// Keeps the session `keep_token_hash` and the account's `max_sessions - 1` newest others; deletes the rest.
/// Returns how many were deleted.
pub async fn keep_newest(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
    keep_token_hash: &str,
    max_sessions: u32,
) -> Result<u64, StoreError> {
    let user_id = user_id.to_string();
    let others_kept = i64::from(max_sessions.saturating_sub(1));
    let result = sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 AND token_hash NOT IN ( \
             SELECT token_hash FROM sessions WHERE user_id = $3 AND token_hash <> $4 \
             ORDER BY created_at DESC, token_hash LIMIT $5)",
    )
    .bind(&user_id)
    .bind(keep_token_hash)
    .bind(&user_id)
    .bind(keep_token_hash)
    .bind(others_kept)
    .execute(executor)
    .await?;
    Ok(result.rows_affected())
}
