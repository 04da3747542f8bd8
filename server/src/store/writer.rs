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
//! beside it ([`super::checkpoint`]). On PostgreSQL writers do not exclude each other: the pool itself.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::any::AnyConnectOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor};
use tokio::sync::{Mutex, OnceCell, OwnedMutexGuard};

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
        connection: Arc<OnceCell<(Arc<Mutex<AnyConnection>>, Checkpoints)>>,
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
                            Arc::new(Mutex::new(connection)),
                            Checkpoints::start(pool.clone()),
                        ))
                    })
                    .await?;
                Ok(WriterConnection(Held::Sqlite(
                    Arc::clone(shared).lock_owned().await,
                    checkpoints.clone(),
                )))
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
    Sqlite(OwnedMutexGuard<AnyConnection>, Checkpoints),
    Pool(PoolConnection<Any>),
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
}

impl Deref for WriterConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            Held::Sqlite(guard, _) => guard,
            Held::Pool(connection) => connection,
        }
    }
}

impl DerefMut for WriterConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            Held::Sqlite(guard, _) => &mut *guard,
            Held::Pool(connection) => &mut *connection,
        }
    }
}
