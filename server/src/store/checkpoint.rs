//! Checkpoints of SQLite's write-ahead log, run beside the writer instead of inside its commits.
//!
//! By default the connection whose commit brings the log past 1 000 pages copies the log into the database file
//! there and then, with two `fsync`s, while it still holds the write lock: every writer queued behind it waits for
//! the disk. The writer connection has that off (`wal_autocheckpoint = 0`); after its writes this task, on a
//! connection of the pool, copies what the log holds in `PASSIVE` mode, which never waits for and never stops the
//! writer or the readers. Durability is unchanged: with `synchronous = NORMAL` a commit reaches the disk at the
//! next checkpoint either way.

use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::Notify;

/// Statements the writer connection runs once opened: no checkpoints of its own.
pub(super) const WRITER_SETUP: &str = "PRAGMA wal_autocheckpoint = 0";

/// How long the task lets writes gather after the first one before it copies them: one checkpoint, and its two
/// `fsync`s, for every write in that time.
const GATHER: Duration = Duration::from_millis(100);

/// Wakes the checkpoint task after a write; cheap to call after every one.
#[derive(Clone)]
pub(super) struct Checkpoints(Arc<Notify>);

impl Checkpoints {
    /// Starts the task for the database behind `pool`. It ends at its first wake-up after the pool is closed, or
    /// with the runtime.
    pub(super) fn start(pool: AnyPool) -> Checkpoints {
        let wake = Arc::new(Notify::new());
        tokio::spawn(run(pool, Arc::clone(&wake)));
        Checkpoints(wake)
    }

    /// Asks for a checkpoint soon; calls while one is pending are one call.
    pub(super) fn after_write(&self) {
        self.0.notify_one();
    }
}

async fn run(pool: AnyPool, wake: Arc<Notify>) {
    loop {
        wake.notified().await;
        tokio::time::sleep(GATHER).await;
        if pool.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(%error, "checkpoint of the write-ahead log failed; the next write tries again");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::time::Instant;

    use sqlx::{Connection, Executor};

    use super::super::writer::Writer;
    use super::*;

    /// How many rows of `t` a copy of the database file alone (without its write-ahead log) holds.
    async fn rows_in_main_file(database: &std::path::Path, copy: &std::path::Path) -> i64 {
        std::fs::copy(database, copy).unwrap();
        let url = format!("sqlite://{}", copy.display());
        let mut connection = sqlx::AnyConnection::connect(&url).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(&mut connection)
            .await
            .unwrap_or(0);
        connection.close().await.unwrap();
        rows
    }

    #[tokio::test]
    async fn the_writers_commits_reach_the_database_file_without_the_writer_checkpointing() {
        sqlx::any::install_default_drivers();
        let directory = tempfile::tempdir().unwrap();
        let database = directory.path().join("checkpoint.sqlite");
        let pool = super::super::open(&database).await.unwrap();
        let writer = Writer::for_pool(&pool);
        {
            let mut connection = writer.acquire().await.unwrap();
            let autocheckpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
                .fetch_one(&mut *connection)
                .await
                .unwrap();
            assert_eq!(
                autocheckpoint, 0,
                "the writer leaves checkpoints to the task"
            );
            connection
                .execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
                .await
                .unwrap();
        }
        for row in 0..50 {
            let mut connection = writer.acquire().await.unwrap();
            let mut transaction = connection.begin().await.unwrap();
            sqlx::query("INSERT INTO t (body) VALUES ($1)")
                .bind(format!("row {row} {}", "x".repeat(2000)))
                .execute(&mut *transaction)
                .await
                .unwrap();
            transaction.commit().await.unwrap();
        }
        let copy = directory.path().join("copy.sqlite");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut rows = 0;
        while rows < 50 && Instant::now() < deadline {
            tokio::time::sleep(GATHER).await;
            rows = rows_in_main_file(&database, &copy).await;
        }
        assert_eq!(
            rows, 50,
            "every committed row is copied into the database file"
        );
    }
}
