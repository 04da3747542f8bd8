//! Failed-login counters per phone number (`login_failures`), keyed by the hex SHA-256 of the number. In the
//! database rather than in memory so that several server instances on one database share them.
//!
//! An attempt is claimed before its password is checked: the claim counts it as a failure and sets the lockout
//! that follows if it does fail, in one write transaction, so concurrent guesses on one number cannot all pass
//! the check before the first failure is recorded. A successful login deletes the row.

use sqlx::AnyPool;
use time::OffsetDateTime;

use super::{StoreError, format_instant, parse_instant};
use crate::auth::LoginSettings;

/// The outcome of [`claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The attempt may check its password; it is counted as the `failures`-th failure until it succeeds.
    Granted { failures: u32 },
    /// The number is locked until then; nothing was counted.
    Locked { until: OffsetDateTime },
}

/// When the number's lockout ends, if it is locked at `now`. A read only: the cheap check before a hashing slot
/// is taken.
pub async fn locked_until(
    pool: &AnyPool,
    phone_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, StoreError> {
    let until: Option<String> = sqlx::query_scalar(
        "SELECT locked_until FROM login_failures WHERE phone_hash = $1 AND locked_until > $2",
    )
    .bind(phone_hash)
    .bind(format_instant(now))
    .fetch_optional(pool)
    .await?;
    until
        .map(|until| parse_instant("login_failures.locked_until", &until))
        .transpose()
}

/// Counts an attempt on the number unless it is locked (see the module documentation), and forgets rows that
/// have not failed for `failure_memory` or that exceed `max_tracked_phones`.
pub async fn claim(
    pool: &AnyPool,
    phone_hash: &str,
    now: OffsetDateTime,
    settings: &LoginSettings,
) -> Result<Claim, StoreError> {
    let now_text = format_instant(now);
    let forgotten_before = format_instant(now - settings.failure_memory);
    let mut transaction = pool.begin().await?;
    // The first statement writes, so the transaction holds the write lock from here on.
    let failures: Option<i64> = sqlx::query_scalar(
        "INSERT INTO login_failures (phone_hash, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, $3) \
         ON CONFLICT (phone_hash) DO UPDATE SET \
             failures = CASE WHEN login_failures.last_failure_at < $4 THEN 1 \
                             ELSE login_failures.failures + 1 END, \
             last_failure_at = excluded.last_failure_at \
         WHERE login_failures.locked_until <= excluded.last_failure_at \
         RETURNING failures",
    )
    .bind(phone_hash)
    .bind(&now_text)
    .bind(&now_text)
    .bind(&forgotten_before)
    .fetch_optional(&mut *transaction)
    .await?;
    let Some(failures) = failures else {
        let until: String =
            sqlx::query_scalar("SELECT locked_until FROM login_failures WHERE phone_hash = $1")
                .bind(phone_hash)
                .fetch_one(&mut *transaction)
                .await?;
        transaction.commit().await?;
        return Ok(Claim::Locked {
            until: parse_instant("login_failures.locked_until", &until)?,
        });
    };
    let failures = u32::try_from(failures).unwrap_or(u32::MAX);
    let lockout = settings.phone_lockout(failures);
    let locked_until = if lockout.is_zero() {
        now
    } else {
        round_up_to_second(now + lockout)
    };
    sqlx::query("UPDATE login_failures SET locked_until = $1 WHERE phone_hash = $2")
        .bind(format_instant(locked_until))
        .bind(phone_hash)
        .execute(&mut *transaction)
        .await?;
    if failures == 1 {
        // A new row (or a forgotten one started again): the moment the table may have grown.
        forget_old(
            &mut transaction,
            phone_hash,
            &forgotten_before,
            settings.max_tracked_phones,
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(Claim::Granted { failures })
}

async fn forget_old(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    current_phone_hash: &str,
    forgotten_before: &str,
    max_rows: u32,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_failures WHERE last_failure_at < $1 AND locked_until < $2")
        .bind(forgotten_before)
        .bind(forgotten_before)
        .execute(&mut **transaction)
        .await?;
    // Beyond the cap, all but the newest `max_rows` go (newest by last failure, then by key: failures within one
    // second tie), except the row just counted.
    sqlx::query(
        "DELETE FROM login_failures WHERE phone_hash <> $1 AND (last_failure_at, phone_hash) < ( \
             SELECT last_failure_at, phone_hash FROM login_failures \
             ORDER BY last_failure_at DESC, phone_hash DESC LIMIT 1 OFFSET $2)",
    )
    .bind(current_phone_hash)
    .bind(i64::from(max_rows.saturating_sub(1)))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Forgets the number's failures (after a successful login, or a password reset).
pub async fn reset(pool: &AnyPool, phone_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_failures WHERE phone_hash = $1")
        .bind(phone_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Instants are stored in whole seconds; a lockout rounded down would end early.
fn round_up_to_second(instant: OffsetDateTime) -> OffsetDateTime {
    if instant.nanosecond() == 0 {
        instant
    } else {
        instant.replace_nanosecond(0).unwrap_or(instant) + time::Duration::SECOND
    }
}
