//! The only module that speaks SQL. One submodule per table family; each function takes any executor of sqlx's
//! `Any` driver, so the same call works on the pool or inside a transaction, on SQLite or on PostgreSQL.
//!
//! Two engines, one SQL text: [`open_url`] picks the driver from the database URL (`sqlite:…`, `postgres://…`)
//! and applies that engine's migrations (`migrations/`, `migrations-postgres/`: same numbers, same names). Every
//! query is written once and runs unchanged on both: ids are TEXT uuids, instants are TEXT RFC 3339 in UTC written
//! by [`format_instant`] (so they also sort as text), dates are TEXT `YYYY-MM-DD`, flags and counters are integers
//! (BIGINT on PostgreSQL, so they decode as `i64` on both), binds are numbered `$1, $2, …` placeholders, a
//! subquery in `FROM` has an alias, sums are cast to BIGINT. The engine-specific steps are the change log's
//! positions ([`changes::append`], [`changes::latest`]) and [`serialize_on`].

mod batch;
pub mod changes;
mod checkpoint;
pub mod data_keys;
pub mod demo_data;
pub mod history;
pub mod households;
pub mod login_failures;
pub mod night_school;
pub mod photos;
pub mod plans;
pub mod policy_lines;
mod private_files;
pub mod sessions;
pub mod submissions;
pub mod users;
pub mod villages;
pub mod visits;
pub mod writer;

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Executor};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("could not create the database directory {path}: {source}")]
    CreateDirectory {
        path: String,
        source: std::io::Error,
    },
    #[error("could not make the database file {path} private: {source}")]
    Permissions {
        path: String,
        source: std::io::Error,
    },
    /// A domain record that could not be written as JSON (cannot happen for the model's types).
    #[error("could not encode {what} as JSON: {source}")]
    Encode {
        what: &'static str,
        source: serde_json::Error,
    },
    /// A database URL that names neither engine.
    #[error("unsupported database URL (expected sqlite:<file> or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// A row that the schema should have prevented: a bad uuid, role or timestamp.
    #[error("corrupt {column} in the database: {value:?}")]
    Corrupt { column: &'static str, value: String },
}

/// The two database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One file next to the server: the default, for a township on one machine.
    Sqlite,
    /// A PostgreSQL server: for a county or province, several server instances behind it.
    Postgres,
}

impl Engine {
    /// The engine a database URL names, if any.
    pub fn of_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// The engine behind a connection.
    pub fn of(connection: &AnyConnection) -> Engine {
        if connection.backend_name().eq_ignore_ascii_case("postgresql") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

/// How many connections a pool keeps: SQLite has one writer anyway; PostgreSQL serves concurrent requests.
const SQLITE_CONNECTIONS: u32 = 4;
const POSTGRES_CONNECTIONS: u32 = 16;
/// A PostgreSQL connection idle for this long is pinged before it is lent out again.
const POSTGRES_PING_AFTER_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens (creating if needed) the SQLite file with WAL, foreign keys and a busy timeout, and applies the
/// embedded migrations.
///
/// The database holds ID numbers, bank accounts and health conditions: on Unix, a directory created here is
/// `0700`, and the database file and its `-wal` and `-shm` companions are `0600` (existing files are tightened too).
pub async fn open(database: &Path) -> Result<AnyPool, StoreError> {
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_files::create_directory(parent).map_err(|source| StoreError::CreateDirectory {
            path: parent.display().to_string(),
            source,
        })?;
    }
    private_files::create_file(database).map_err(|source| StoreError::Permissions {
        path: database.display().to_string(),
        source,
    })?;
    let pool = connect(&sqlite_url(database), Engine::Sqlite).await?;
    // SQLite gives -wal and -shm the database file's mode; files from before this rule are tightened here.
    private_files::restrict_database_files(database).map_err(|source| StoreError::Permissions {
        path: database.display().to_string(),
        source,
    })?;
    Ok(pool)
}

/// Opens the database a URL names and applies its engine's migrations: `sqlite:<file>` (as [`open`]) or
/// `postgres://user:password@host:port/database` (the database must exist; the tables are created here).
pub async fn open_url(url: &str) -> Result<AnyPool, StoreError> {
    match Engine::of_url(url) {
        Some(Engine::Sqlite) => {
            let path = url
                .trim_start_matches("sqlite:")
                .trim_start_matches("//")
                .split('?')
                .next()
                .unwrap_or_default();
            open(Path::new(path)).await
        }
        Some(Engine::Postgres) => connect(url, Engine::Postgres).await,
        None => Err(StoreError::UnsupportedUrl(redact(url))),
    }
}

/// The URL without its user and password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_owned(),
    }
}

/// A `sqlite:` URL for a file path (`mode=rwc`: create when missing), with the characters a URL gives meaning
/// to escaped.
fn sqlite_url(path: &Path) -> String {
    let mut url = String::from("sqlite://");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            _ => url.push(c),
        }
    }
    url.push_str("?mode=rwc");
    url
}

async fn connect(url: &str, engine: Engine) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let options = AnyConnectOptions::from_str(url)?;
    let pool = match engine {
        Engine::Sqlite => {
            sqlite_pool_options(SQLITE_CONNECTIONS)
                .connect_with(options)
                .await?
        }
        Engine::Postgres => {
            AnyPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                // sqlx pings a connection before lending it out, a round trip to the server per request. One used
                // a moment ago is as alive as the ping would say; one idle for longer is pinged, so that a restarted
                // server or an idle connection cut by the network is replaced before use, as with the default.
                .test_before_acquire(false)
                .before_acquire(|connection, metadata| {
                    Box::pin(async move {
                        if metadata.idle_for >= POSTGRES_PING_AFTER_IDLE {
                            sqlx::Connection::ping(connection).await?;
                        }
                        Ok(true)
                    })
                })
                .connect_with(options)
                .await?
        }
    };
    match engine {
        Engine::Sqlite => sqlx::migrate!("./migrations").run(&pool).await?,
        Engine::Postgres => sqlx::migrate!("./migrations-postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// What every SQLite connection runs first (sqlx's SQLite defaults already turn on foreign keys and a 5 s busy
/// timeout).
const SQLITE_CONNECTION_SETUP: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON";

/// A SQLite pool of `connections` connections, each in WAL mode with `synchronous = NORMAL` and foreign keys on.
fn sqlite_pool_options(connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        // sqlx pings a connection before lending it out; a SQLite connection is a thread of this process, not a
        // socket that can go stale, and the ping is one more hand-off to that thread per query outside a
        // transaction.
        .test_before_acquire(false)
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection.execute(SQLITE_CONNECTION_SETUP).await?;
                Ok(())
            })
        })
}

/// Makes the rest of the transaction wait for any other transaction that called this with the same `id` (a
/// household, a night-school session) until that one ends, so a version check and the write that follows it cannot
/// interleave with another writer's. On SQLite a writing transaction already holds the database's single write lock,
/// so there is nothing to do; on PostgreSQL it is a transaction-scoped advisory lock on the id's first 8 bytes.
pub async fn serialize_on(connection: &mut AnyConnection, id: Uuid) -> Result<(), StoreError> {
    if Engine::of(connection) == Engine::Postgres {
        let mut key = [0_u8; 8];
        key.copy_from_slice(&id.as_bytes()[..8]);
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(i64::from_be_bytes(key))
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

/// Writes an instant as `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), the one format stored in the database.
pub fn format_instant(instant: OffsetDateTime) -> String {
    // An instant near the ends of the representable range has no UTC form; handlers refuse such input first, so
    // this only keeps a bad value from panicking.
    let Some(utc) = instant.checked_to_offset(UtcOffset::UTC) else {
        return instant.unix_timestamp().to_string();
    };
    utc.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    // Formatting a valid UTC date with a four-digit year cannot fail; years beyond 9999 are not instants we store.
    .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

/// Reads an instant written by [`format_instant`] (any RFC 3339 string is accepted).
pub fn parse_instant(column: &'static str, value: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(value, &Rfc3339).map_err(|_| StoreError::Corrupt {
        column,
        value: value.to_owned(),
    })
}

/// Reads a TEXT uuid column.
pub fn parse_uuid(column: &'static str, value: &str) -> Result<Uuid, StoreError> {
    Uuid::from_str(value).map_err(|_| StoreError::Corrupt {
        column,
        value: value.to_owned(),
    })
}
