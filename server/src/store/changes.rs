//! The household change log behind `GET /api/changes`: one row per accepted change, numbered by `seq`.
//!
//! `seq` is written as `MAX(seq) + 1` by the writing transaction. SQLite runs one writer at a time, so sequence
//! numbers become visible in order and a reader's cursor never skips a change that commits later with a smaller
//! number. (A PostgreSQL port keeps that by locking the table for the insert, not with a sequence.)

use sqlx::SqliteExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{StoreError, format_instant};

/// What changed, as stored in `household_changes.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A household visit was accepted (record, plan version, income sheet).
    Visit,
    /// A first secretary approved or returned the plan version.
    Review,
    /// An admin changed the record (import).
    Admin,
    /// The household's helper was changed (by its village's first secretary or `admin assign-helper`).
    Helper,
}

impl ChangeKind {
    fn code(self) -> &'static str {
        match self {
            ChangeKind::Visit => "visit",
            ChangeKind::Review => "review",
            ChangeKind::Admin => "admin",
            ChangeKind::Helper => "helper",
        }
    }
}

/// Appends a change; call it inside the transaction that made the change. Returns the new `seq`.
pub async fn append(
    executor: impl SqliteExecutor<'_>,
    household_id: Uuid,
    kind: ChangeKind,
    changed_at: OffsetDateTime,
) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO household_changes (seq, household_id, kind, changed_at) \
         SELECT COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM household_changes \
         RETURNING seq",
    )
    .bind(household_id.to_string())
    .bind(kind.code())
    .bind(format_instant(changed_at))
    .fetch_one(executor)
    .await?;
    Ok(seq)
}

/// The latest `seq` (0 when nothing has changed yet).
pub async fn latest_seq(executor: impl SqliteExecutor<'_>) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM household_changes")
        .fetch_one(executor)
        .await?;
    Ok(seq)
}
