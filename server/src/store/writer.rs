//! Where write transactions begin ([`Writer`], `AppState::writer`).
//!
//! On SQLite that is one connection of its own, behind a first-come lock: SQLite lets one transaction write at a
//! time, so writers that each held a connection of the pool would find the write lock taken and sleep in its busy
//! handler (1, 2, 5, 10 … 100 ms steps) instead of queueing; one writer connection turns that into a queue, and its
//! page cache stays valid from one write to the next (a connection discards its cache whenever another connection
//! has written). It is not a one-connection pool: a pool tests every connection given back to it with a round trip
//! to the connection's thread, which on the writer would add one hand-off to every write and hold up the next
//! writer meanwhile. Readers stay on the pool (WAL: they never wait for the writer). A write made on the pool is
//! still correct, only slower under load. The writer connection leaves checkpoints of the write-ahead log to a task
//! beside it ([`super::checkpoint`]). A write whose statements decide everything themselves can be sent with its
//! `BEGIN` and `COMMIT` in one hand-off ([`WriterConnection::run_in_transaction`]), holding the writer that much
//! shorter. On PostgreSQL writers do not exclude each other: the pool itself.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::any::AnyConnectOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor};
use tokio::sync::{Mutex, OnceCell, OwnedMutexGuard};

use super::batch::{self, Statement, Stopped};
use super::checkpoint::{self, Checkpoints};
use super::{Engine, SQLITE_CONNECTION_SETUP, StoreError};

/// Hands out the connection write transactions begin on; see the module documentation.
#[derive(Clone)]
pub struct Writer(Kind);

#[derive(Clone)]
enum Kind {
    /// SQLite's writer connection, opened on first use.
    Sqlite {
        pool: AnyPool,
        options: Arc<AnyConnectOptions>,
        connection: Arc<OnceCell<(Arc<Mutex<SqliteWriter>>, Checkpoints)>>,
    },
    /// PostgreSQL: any connection of the pool.
    Pool(AnyPool),
}

impl Writer {
    /// The writer for the database behind `pool`.
    pub fn for_pool(pool: &AnyPool) -> Writer {
        let options = pool.connect_options();
        if Engine::of_url(options.database_url.as_str()) == Some(Engine::Sqlite) {
            Writer(Kind::Sqlite {
                pool: pool.clone(),
                options,
                connection: Arc::new(OnceCell::new()),
            })
        } else {
            Writer(Kind::Pool(pool.clone()))
        }
    }

    /// Waits for the writer connection (on SQLite, until the writer before has given it back).
    pub async fn acquire(&self) -> Result<WriterConnection, StoreError> {
        match &self.0 {
            Kind::Sqlite {
                pool,
                options,
                connection,
            } => {
                let (shared, checkpoints) = connection
                    .get_or_try_init(|| async {
                        let mut connection = options.connect().await?;
                        connection.execute(SQLITE_CONNECTION_SETUP).await?;
                        connection.execute(checkpoint::WRITER_SETUP).await?;
                        Ok::<_, StoreError>((
                            Arc::new(Mutex::new(SqliteWriter {
                                connection,
                                maybe_open: false,
                            })),
                            Checkpoints::start(pool.clone()),
                        ))
                    })
                    .await?;
                let mut writer = Arc::clone(shared).lock_owned().await;
                if writer.maybe_open {
                    // The holder before was cut off inside its own transaction (see `run_in_transaction`). The
                    // statement fails harmlessly when that transaction had committed after all.
                    let _ = writer.connection.execute("ROLLBACK").await;
                    writer.maybe_open = false;
                }
                Ok(WriterConnection(Held::Sqlite(writer, checkpoints.clone())))
            }
            Kind::Pool(pool) => Ok(WriterConnection(Held::Pool(pool.acquire().await?))),
        }
    }
}

/// The writer connection while one request holds it. A transaction left open on it is rolled back when the
/// transaction is dropped, before the next holder's first statement (the connection runs its commands in order).
/// Given back, it wakes the checkpoint task.
pub struct WriterConnection(Held);

enum Held {
    Sqlite(OwnedMutexGuard<SqliteWriter>, Checkpoints),
    Pool(PoolConnection<Any>),
}

/// SQLite's writer connection, and whether a transaction begun inside a batch may still be open on it.
struct SqliteWriter {
    connection: AnyConnection,
    maybe_open: bool,
}

impl Drop for WriterConnection {
    fn drop(&mut self) {
        if let Held::Sqlite(_, checkpoints) = &self.0 {
            checkpoints.after_write();
        }
    }
}

impl WriterConnection {
    /// Begins a write transaction on this connection, which it borrows while it lasts:
    /// `let mut writer = state.writer.acquire().await?; let transaction = writer.begin().await?;`.
    pub async fn begin(&mut self) -> Result<sqlx::Transaction<'_, Any>, StoreError> {
        Ok(Connection::begin(&mut **self).await?)
    }

    /// SQLite: `BEGIN IMMEDIATE`, the statements and `COMMIT` sent together, so a write transaction costs one
    /// hand-off to the connection's thread instead of three (`begin`, the statements, `commit`), and the writer is
    /// held that much shorter. Answers the rows each statement changed; an error rolls the transaction back and says
    /// how many statements had completed before it. A call cut off before its answer (its request dropped) leaves
    /// the transaction possibly open: the next holder rolls it back before anything else (`acquire`). `None` on
    /// PostgreSQL, which has no such hand-off.
    ///
    /// Statements that must not all take effect together are written so that they do not (each checks what the
    /// ones before it did): nothing can be decided between them.
    pub(super) async fn run_in_transaction(
        &mut self,
        statements: Vec<Statement>,
    ) -> Option<Result<Vec<u64>, Stopped>> {
        let Held::Sqlite(writer, _) = &mut self.0 else {
            return None;
        };
        let count = statements.len();
        let mut all = Vec::with_capacity(count + 2);
        all.push(Statement {
            sql: "BEGIN IMMEDIATE",
            binds: Vec::new(),
        });
        all.extend(statements);
        all.push(Statement {
            sql: "COMMIT",
            binds: Vec::new(),
        });
        writer.maybe_open = true;
        Some(
            match batch::run_counting(&mut writer.connection, all).await {
                Ok(changed) => {
                    writer.maybe_open = false;
                    // BEGIN and COMMIT are not the caller's.
                    Ok(changed.into_iter().skip(1).take(count).collect())
                }
                Err(stopped) => {
                    // A failed BEGIN left no transaction: the ROLLBACK then fails, harmlessly.
                    let _ = writer.connection.execute("ROLLBACK").await;
                    writer.maybe_open = false;
                    Err(Stopped {
                        completed: stopped.completed.saturating_sub(1).min(count),
                        error: stopped.error,
                    })
                }
            },
        )
    }
}

impl Deref for WriterConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            Held::Sqlite(guard, _) => &guard.connection,
            Held::Pool(connection) => connection,
        }
    }
}

impl DerefMut for WriterConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Held::Sqlite(guard, _) => &mut guard.connection,
            Held::Pool(connection) => &mut *connection,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::batch::Bind;
    use futures_util::FutureExt;

    async fn writer_with_table() -> (tempfile::TempDir, AnyPool, Writer) {
        sqlx::any::install_default_drivers();
        let directory = tempfile::tempdir().unwrap();
        let pool = super::super::open(&directory.path().join("writer.sqlite"))
            .await
            .unwrap();
        let writer = Writer::for_pool(&pool);
        writer
            .acquire()
            .await
            .unwrap()
            .execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        (directory, pool, writer)
    }

    fn insert(id: i64) -> Statement {
        Statement {
            sql: "INSERT INTO t (id) VALUES ($1)",
            binds: vec![Bind::Integer(id)],
        }
    }

    async fn ids(pool: &AnyPool) -> Vec<i64> {
        sqlx::query_scalar("SELECT id FROM t ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_batch_commits_together_or_rolls_back_at_its_first_error() {
        let (_directory, pool, writer) = writer_with_table().await;
        let mut connection = writer.acquire().await.unwrap();
        let changed = connection
            .run_in_transaction(vec![insert(1), insert(2)])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            changed,
            [1, 1],
            "one count per statement, none for BEGIN and COMMIT"
        );
        let Err(stopped) = connection
            .run_in_transaction(vec![insert(3), insert(1), insert(4)])
            .await
            .unwrap()
        else {
            panic!("a taken key stops the batch");
        };
        assert_eq!(stopped.completed, 1);
        drop(connection);
        assert_eq!(
            ids(&pool).await,
            [1, 2],
            "the statement before the error is rolled back too"
        );
    }

    #[tokio::test]
    async fn a_batch_cut_off_inside_its_transaction_is_rolled_back_by_the_next_holder() {
        let (_directory, pool, writer) = writer_with_table().await;
        {
            // A request dropped after BEGIN and one insert, before its COMMIT.
            let mut connection = writer.acquire().await.unwrap();
            let Held::Sqlite(sqlite, _) = &mut connection.0 else {
                panic!("SQLite");
            };
            sqlite.maybe_open = true;
            sqlite
                .connection
                .execute("BEGIN IMMEDIATE; INSERT INTO t (id) VALUES (7)")
                .await
                .unwrap();
        }
        let mut connection = writer.acquire().await.unwrap();
        let changed = connection
            .run_in_transaction(vec![insert(8)])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(changed, [1]);
        drop(connection);
        assert_eq!(
            ids(&pool).await,
            [8],
            "the cut-off insert is gone, the next write committed"
        );
    }

    #[tokio::test]
    async fn a_batch_dropped_while_it_runs_leaves_all_or_nothing_and_the_writer_usable() {
        let (_directory, pool, writer) = writer_with_table().await;
        let mut cut_off = 0;
        for round in 0..20_i64 {
            let mut connection = writer.acquire().await.unwrap();
            // Polled once, so sent to the connection's thread, then dropped wherever it is: 500 inserts are more
            // than the answers its channel holds, so the batch is almost always still running then.
            let batch = (0..500).map(|row| insert(round * 1000 + row)).collect();
            if connection
                .run_in_transaction(batch)
                .now_or_never()
                .is_none()
            {
                cut_off += 1;
            }
            drop(connection);
            let mut connection = writer.acquire().await.unwrap();
            connection
                .run_in_transaction(vec![insert(round * 1000 + 999)])
                .await
                .unwrap()
                .unwrap();
        }
        assert!(cut_off > 0, "no batch was dropped while it ran");
        let ids = ids(&pool).await;
        for round in 0..20_i64 {
            let of_round = ids
                .iter()
                .filter(|id| **id / 1000 == round && **id % 1000 != 999)
                .count();
            assert!(
                of_round == 0 || of_round == 500,
                "round {round}: {of_round} of 500 rows"
            );
            assert!(ids.contains(&(round * 1000 + 999)));
        }
    }
}
