//! The household change log behind `GET /api/changes`: one row per accepted change, numbered by `seq`.
//!
//! A reader keeps the largest `seq` it has seen as its cursor and next asks for what is above it, so a change may
//! never become visible after one with a larger number: it would be skipped forever. A sequence (`BIGSERIAL`)
//! breaks that on PostgreSQL, where transaction A can draw 5, transaction B draw 6 and commit first, and a reader
//! then moves its cursor to 6 before 5 exists (`tests/changes_cursor.rs` shows it).
//!
//! So `seq` is drawn in one ordered commit step: `MAX(seq) + 1`, written while holding the change log's lock until
//! the transaction ends. On SQLite that lock is the database's single writer (the writing transaction already holds
//! it); on PostgreSQL it is `LOCK TABLE household_changes IN SHARE ROW EXCLUSIVE MODE`, which conflicts with itself
//! and not with readers. Either way the next writer draws its number only after the previous one has committed or
//! rolled back, so numbers become visible in order. Call [`append`] as the last write of a transaction: the lock is
//! held until the commit.

use sqlx::{AnyConnection, AnyExecutor, Executor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Engine, StoreError, format_instant};

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
    connection: &mut AnyConnection,
    household_id: Uuid,
    kind: ChangeKind,
    changed_at: OffsetDateTime,
) -> Result<i64, StoreError> {
    if Engine::of(connection) == Engine::Postgres {
        // A statement of its own: the insert's snapshot must be taken after the lock is granted, so that it sees
        // every change committed before.
        connection
            .execute("LOCK TABLE household_changes IN SHARE ROW EXCLUSIVE MODE")
            .await?;
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO household_changes (seq, household_id, kind, changed_at) \
         SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3 FROM household_changes \
         RETURNING seq",
    )
    .bind(household_id.to_string())
    .bind(kind.code())
    .bind(format_instant(changed_at))
    .fetch_one(&mut *connection)
    .await?;
    Ok(seq)
}

/// The latest `seq` (0 when nothing has changed yet).
pub async fn latest_seq(executor: impl AnyExecutor<'_>) -> Result<i64, StoreError> {
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM household_changes")
        .fetch_one(executor)
        .await?;
    Ok(seq)
}
