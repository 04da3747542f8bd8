//! The copy of each account's phone data key (`data_key_copies`), opaque to the server.

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::WrappedDataKey;

use super::{StoreError, format_instant, parse_instant};

/// Keeps `copy` as the account's copy, replacing the one before.
pub async fn put(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
    copy: &WrappedDataKey,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO data_key_copies (user_id, wrapped, salt, iterations, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET wrapped = excluded.wrapped, salt = excluded.salt, \
         iterations = excluded.iterations, updated_at = excluded.updated_at",
    )
    .bind(user_id.to_string())
    .bind(&copy.wrapped)
    .bind(&copy.salt)
    .bind(i64::from(copy.iterations))
    .bind(format_instant(now))
    .execute(executor)
    .await?;
    Ok(())
}

/// The account's copy, if the phone sent one.
pub async fn get(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<WrappedDataKey>, StoreError> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT wrapped, salt, iterations FROM data_key_copies WHERE user_id = $1")
            .bind(user_id.to_string())
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(wrapped, salt, iterations)| WrappedDataKey {
        wrapped,
        salt,
        iterations: u32::try_from(iterations).unwrap_or(0),
    }))
}

/// When the session of `token_hash` was created (by a password login).
pub async fn session_created_at(
    executor: impl AnyExecutor<'_>,
    token_hash: &str,
) -> Result<Option<OffsetDateTime>, StoreError> {
    let created: Option<String> =
        sqlx::query_scalar("SELECT created_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(executor)
            .await?;
    created
        .map(|text| parse_instant("sessions.created_at", &text))
        .transpose()
}
