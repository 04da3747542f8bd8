//! The household change log behind `GET /api/changes`: one row per accepted change, each with a `position`.
//!
//! A reader keeps the largest position it has been given as its cursor and next asks for what is above it, so a
//! change must never become visible at or below a position a reader has already been given: it would be skipped
//! forever. Numbers drawn from a sequence break that on PostgreSQL, where transaction A can draw 5, transaction B
//! draw 6 and commit first, and a reader then moves its cursor to 6 before 5 exists (`tests/changes_cursor.rs`
//! shows it).
//!
//! So the feed reads up to [`latest`], a position below which nothing can still appear:
//! - On SQLite one transaction writes at a time: a change's position is its `seq`, the largest + 1 drawn under the
//!   write lock, so positions become visible in order and [`latest`] is the largest one.
//! - On PostgreSQL a change's position is its transaction's id (`pg_current_xact_id()`) plus a fixed offset (the
//!   largest `seq` when migration 0012 ran, so positions from before stay below), and [`latest`] is one below the
//!   oldest transaction still running (`pg_snapshot_xmin(pg_current_snapshot())`): every transaction under it has
//!   committed or rolled back, and one still running will write a position at or above it. Writers take no common
//!   lock; a long transaction only holds the feed back until it ends. Transaction ids restart in a new cluster, so a
//!   database restored from `pg_dump` needs its offset raised above the largest position before the server starts
//!   (server/ARCHITECTURE.md, "Changes").

use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::batch::{Bind, Statement};
use super::{Engine, StoreError, format_instant};

/// The largest `seq` on SQLite (0 when there is none), as an SQL expression. It is read with
/// `ORDER BY … DESC LIMIT 1`, one step down the table's b-tree: SQLite 3.46 answers `MAX(seq)` here by reading every
/// entry of `household_changes_by_position` (smaller than the table, and it holds the rowid too), so each visit took
/// time in proportion to the whole change log.
macro_rules! sqlite_largest_seq {
    () => {
        "COALESCE((SELECT seq FROM household_changes ORDER BY seq DESC LIMIT 1), 0)"
    };
}

/// [`latest`] on SQLite.
const SQLITE_LATEST: &str = concat!("SELECT ", sqlite_largest_seq!());

/// [`append`] on SQLite: the position is the largest `seq` + 1.
const SQLITE_APPEND: &str = concat!(
    "INSERT INTO household_changes (seq, position, household_id, kind, changed_at) \
     SELECT next.seq, next.seq, $1, $2, $3 \
     FROM (SELECT ",
    sqlite_largest_seq!(),
    " + 1 AS seq) AS next \
     RETURNING position"
);

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

/// Appends a change; call it inside the transaction that made the change (on SQLite, after its first write, so
/// that it holds the write lock). Returns the change's position.
pub async fn append(
    connection: &mut AnyConnection,
    household_id: Uuid,
    kind: ChangeKind,
    changed_at: OffsetDateTime,
) -> Result<i64, StoreError> {
    let sql = match Engine::of(connection) {
        Engine::Sqlite => SQLITE_APPEND,
        Engine::Postgres => {
            "INSERT INTO household_changes (position, household_id, kind, changed_at) \
             SELECT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT) + xact_offset, $1, $2, $3 \
             FROM change_log_xact_offset \
             RETURNING position"
        }
    };
    let position: i64 = sqlx::query_scalar(sql)
        .bind(household_id.to_string())
        .bind(kind.code())
        .bind(format_instant(changed_at))
        .fetch_one(&mut *connection)
        .await?;
    Ok(position)
}

/// [`append`] as a statement of a batch (without the position), which appends only while the household is at
/// `version`.
pub(super) fn append_at_version_statement(
    engine: Engine,
    household_id: Uuid,
    version: i64,
    kind: ChangeKind,
    changed_at: OffsetDateTime,
) -> Statement {
    let sql = match engine {
        // `MAX` in a subquery: an aggregate over no rows still yields a row, so the condition goes outside it.
        Engine::Sqlite => {
            concat!(
                "INSERT INTO household_changes (seq, position, household_id, kind, changed_at) \
                 SELECT next.seq, next.seq, $1, $2, $3 \
                 FROM (SELECT ",
                sqlite_largest_seq!(),
                " + 1 AS seq) AS next \
                 WHERE EXISTS (SELECT 1 FROM households WHERE id = $1 AND version = $4)"
            )
        }
        Engine::Postgres => {
            "INSERT INTO household_changes (position, household_id, kind, changed_at) \
             SELECT CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT) + xact_offset, $1, $2, $3 \
             FROM change_log_xact_offset \
             WHERE EXISTS (SELECT 1 FROM households WHERE id = $1 AND version = $4)"
        }
    };
    Statement {
        sql,
        binds: vec![
            Bind::Text(household_id.to_string()),
            Bind::Text(kind.code().to_owned()),
            Bind::Text(format_instant(changed_at)),
            Bind::Integer(version),
        ],
    }
}

/// The position up to which the log is complete: no change at or below it can still commit (0 when nothing has
/// changed yet on SQLite). Read it in the same transaction as the changes it bounds.
///
/// On PostgreSQL a change committed a moment ago stays above the watermark while an older transaction (of any
/// database of the cluster) is still writing; the read waits for the transactions older than the newest change
/// committed when it started (up to [`WATERMARK_PATIENCE`] in all), so that what was committed before the request
/// is usually in its answer. It does not wait for transactions that start meanwhile, so a steady stream of writers
/// does not hold it up. After that it answers with the watermark as it is: what is above comes next time.
pub async fn latest(connection: &mut AnyConnection) -> Result<i64, StoreError> {
    if Engine::of(connection) == Engine::Sqlite {
        let position: i64 = sqlx::query_scalar(SQLITE_LATEST)
            .fetch_one(&mut *connection)
            .await?;
        return Ok(position);
    }
    let mut waited = std::time::Duration::ZERO;
    let mut committed_before_the_request = None;
    loop {
        let (watermark, newest): (i64, i64) = sqlx::query_as(
            "SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT) + xact_offset - 1, \
                    (SELECT COALESCE(MAX(position), 0) FROM household_changes) \
             FROM change_log_xact_offset",
        )
        .fetch_one(&mut *connection)
        .await?;
        let target = *committed_before_the_request.get_or_insert(newest);
        if watermark >= target || waited >= WATERMARK_PATIENCE {
            return Ok(watermark);
        }
        tokio::time::sleep(WATERMARK_STEP).await;
        waited += WATERMARK_STEP;
    }
}

/// How long [`latest`] waits in all for older transactions to end on PostgreSQL, and in what steps.
pub const WATERMARK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(250);
const WATERMARK_STEP: std::time::Duration = std::time::Duration::from_millis(5);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use sqlx::AnyPool;

    use super::*;

    /// Whether SQLite plans `sql` as a read of every entry of `household_changes` (through an index; the plain
    /// `SCAN household_changes` of `ORDER BY seq DESC LIMIT 1` stops at the first row).
    async fn reads_the_whole_change_log(pool: &AnyPool, sql: &str, binds: usize) -> bool {
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain);
        for index in 0..binds {
            query = query.bind(index.to_string());
        }
        let plan = query.fetch_all(pool).await.unwrap();
        plan.iter()
            .any(|(_, _, _, detail)| detail.starts_with("SCAN household_changes USING"))
    }

    #[tokio::test]
    async fn the_next_position_on_sqlite_is_found_without_reading_the_whole_change_log() {
        let directory = tempfile::tempdir().unwrap();
        let pool = super::super::open(&directory.path().join("plan.sqlite"))
            .await
            .unwrap();
        // The statement as it was: `MAX(seq)` read every entry of `household_changes_by_position`.
        let with_max = "INSERT INTO household_changes (seq, position, household_id, kind, changed_at) \
             SELECT next.seq, next.seq, $1, $2, $3 \
             FROM (SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM household_changes) AS next \
             WHERE EXISTS (SELECT 1 FROM households WHERE id = $1 AND version = $4)";
        assert!(reads_the_whole_change_log(&pool, with_max, 4).await);
        let at_version = append_at_version_statement(
            Engine::Sqlite,
            Uuid::nil(),
            1,
            ChangeKind::Visit,
            OffsetDateTime::UNIX_EPOCH,
        );
        for (sql, binds) in [
            (at_version.sql, at_version.binds.len()),
            (SQLITE_APPEND, 3),
            (SQLITE_LATEST, 0),
        ] {
            assert!(
                !reads_the_whole_change_log(&pool, sql, binds).await,
                "{sql}"
            );
        }
    }
}
