//! Failed-login counters, in the database rather than in memory so that several server instances on one database
//! share them: per phone number (`login_failures`, keyed by the hex SHA-256 of the number) and per client address
//! (`login_client_failures`, keyed by the address as throttled: IPv4, or an IPv6 /64 prefix).
//!
//! An attempt is claimed before its password is checked: the claim counts it as a failure and sets the lockout
//! that follows if it does fail, in one write transaction, so concurrent guesses on one number or from one address
//! cannot all pass the check before the first failure is recorded. A successful login deletes the number's row
//! and takes back the address's claim ([`forgive`]).

use sqlx::AnyPool;
use time::OffsetDateTime;

use super::{StoreError, format_instant, parse_instant};
use crate::auth::LoginSettings;

/// Whose failures a counter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A phone number (the key is `auth::throttle::phone_key`).
    Phone,
    /// A client address (the key is `auth::throttle::ClientAddress::key`).
    Client,
}

impl Counted {
    fn table(self) -> &'static str {
        match self {
            Counted::Phone => "login_failures",
            Counted::Client => "login_client_failures",
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            Counted::Phone => "phone_hash",
            Counted::Client => "client_key",
        }
    }

    fn lockout(self, settings: &LoginSettings, failures: u32) -> std::time::Duration {
        match self {
            Counted::Phone => settings.phone_lockout(failures),
            Counted::Client => settings.client_lockout(failures),
        }
    }

    fn max_rows(self, settings: &LoginSettings) -> u32 {
        match self {
            Counted::Phone => settings.max_tracked_phones,
            Counted::Client => u32::try_from(settings.max_tracked_clients).unwrap_or(u32::MAX),
        }
    }
}

/// The outcome of [`claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The attempt may check its password; it is counted as the `failures`-th failure until it succeeds.
    Granted { failures: u32 },
    /// The number or address is locked until then; nothing was counted.
    Locked { until: OffsetDateTime },
}

/// When the lockout of the number or address ends, if it is locked at `now`. A read only: the cheap check before a
/// hashing slot is taken.
pub async fn locked_until(
    pool: &AnyPool,
    counted: Counted,
    key: &str,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, StoreError> {
    let (table, key_column) = (counted.table(), counted.key_column());
    let until: Option<String> = sqlx::query_scalar(&format!(
        "SELECT locked_until FROM {table} WHERE {key_column} = $1 AND locked_until > $2"
    ))
    .bind(key)
    .bind(format_instant(now))
    .fetch_optional(pool)
    .await?;
    until
        .map(|until| parse_instant("login_failures.locked_until", &until))
        .transpose()
}

/// Counts an attempt on the number or from the address unless it is locked (see the module documentation), and
/// forgets rows that have not failed for `failure_memory` or that exceed `max_tracked_phones` (`_clients`).
pub async fn claim(
    pool: &AnyPool,
    counted: Counted,
    key: &str,
    now: OffsetDateTime,
    settings: &LoginSettings,
) -> Result<Claim, StoreError> {
    let (table, key_column) = (counted.table(), counted.key_column());
    let now_text = format_instant(now);
    let forgotten_before = format_instant(now - settings.failure_memory);
    let mut transaction = pool.begin().await?;
    // The first statement writes, so the transaction holds the write lock from here on.
    let failures: Option<i64> = sqlx::query_scalar(&format!(
        "INSERT INTO {table} ({key_column}, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, $3) \
         ON CONFLICT ({key_column}) DO UPDATE SET \
             failures = CASE WHEN {table}.last_failure_at < $4 THEN 1 \
                             ELSE {table}.failures + 1 END, \
             last_failure_at = excluded.last_failure_at \
         WHERE {table}.locked_until <= excluded.last_failure_at \
         RETURNING failures"
    ))
    .bind(key)
    .bind(&now_text)
    .bind(&now_text)
    .bind(&forgotten_before)
    .fetch_optional(&mut *transaction)
    .await?;
    let Some(failures) = failures else {
        let until: String = sqlx::query_scalar(&format!(
            "SELECT locked_until FROM {table} WHERE {key_column} = $1"
        ))
        .bind(key)
        .fetch_one(&mut *transaction)
        .await?;
        transaction.commit().await?;
        return Ok(Claim::Locked {
            until: parse_instant("login_failures.locked_until", &until)?,
        });
    };
    let failures = u32::try_from(failures).unwrap_or(u32::MAX);
    set_lockout(
        &mut transaction,
        counted,
        key,
        lockout_end(now, counted.lockout(settings, failures)),
    )
    .await?;
    if failures == 1 {
        // A new row (or a forgotten one started again): the moment the table may have grown.
        forget_old(
            &mut transaction,
            counted,
            key,
            &forgotten_before,
            counted.max_rows(settings),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(Claim::Granted { failures })
}

/// Takes back one claimed attempt from the address (it was not a failed guess): one failure fewer, and the lockout
/// that number of failures gives, counted from the last failure.
pub async fn forgive(
    pool: &AnyPool,
    client_key: &str,
    settings: &LoginSettings,
) -> Result<(), StoreError> {
    let counted = Counted::Client;
    let mut transaction = pool.begin().await?;
    let row: Option<(i64, String)> = sqlx::query_as(
        "UPDATE login_client_failures SET failures = failures - 1 \
         WHERE client_key = $1 AND failures > 0 \
         RETURNING failures, last_failure_at",
    )
    .bind(client_key)
    .fetch_optional(&mut *transaction)
    .await?;
    if let Some((failures, last_failure_at)) = row {
        let last_failure =
            parse_instant("login_client_failures.last_failure_at", &last_failure_at)?;
        let failures = u32::try_from(failures).unwrap_or(0);
        let lockout = counted.lockout(settings, failures);
        set_lockout(
            &mut transaction,
            counted,
            client_key,
            lockout_end(last_failure, lockout),
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// When a lockout of `lockout` from `from` ends: `from` itself when there is none.
fn lockout_end(from: OffsetDateTime, lockout: std::time::Duration) -> OffsetDateTime {
    if lockout.is_zero() {
        from
    } else {
        round_up_to_second(from + lockout)
    }
}

async fn set_lockout(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    counted: Counted,
    key: &str,
    locked_until: OffsetDateTime,
) -> Result<(), StoreError> {
    let (table, key_column) = (counted.table(), counted.key_column());
    sqlx::query(&format!(
        "UPDATE {table} SET locked_until = $1 WHERE {key_column} = $2"
    ))
    .bind(format_instant(locked_until))
    .bind(key)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

async fn forget_old(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    counted: Counted,
    current_key: &str,
    forgotten_before: &str,
    max_rows: u32,
) -> Result<(), StoreError> {
    let (table, key_column) = (counted.table(), counted.key_column());
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE last_failure_at < $1 AND locked_until < $2"
    ))
    .bind(forgotten_before)
    .bind(forgotten_before)
    .execute(&mut **transaction)
    .await?;
    // Beyond the cap, all but the newest `max_rows` go (newest by last failure, then by key: failures within one
    // second tie), except the row just counted.
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE {key_column} <> $1 AND (last_failure_at, {key_column}) < ( \
             SELECT last_failure_at, {key_column} FROM {table} \
             ORDER BY last_failure_at DESC, {key_column} DESC LIMIT 1 OFFSET $2)"
    ))
    .bind(current_key)
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
