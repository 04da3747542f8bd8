//! The only module that speaks SQL. One submodule per table family; each function takes any SQLite executor so the
//! same call works on the pool or inside a transaction.
//!
//! Portability rule (PostgreSQL later): ids are TEXT uuids, instants are TEXT RFC 3339 in UTC written by
//! [`format_instant`] (so they also sort as text), dates are TEXT `YYYY-MM-DD`, binds are `?` placeholders only
//! through these functions, and migrations use no SQLite-only syntax.

pub mod changes;
pub mod data_keys;
pub mod demo_data;
pub mod households;
pub mod login_failures;
pub mod photos;
pub mod plans;
mod private_files;
pub mod sessions;
pub mod submissions;
pub mod users;
pub mod villages;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
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
    /// A row that the schema should have prevented: a bad uuid, role or timestamp.
    #[error("corrupt {column} in the database: {value:?}")]
    Corrupt { column: &'static str, value: String },
}

/// Opens (creating if needed) the SQLite file with WAL, foreign keys and a busy timeout, and applies the
/// embedded migrations.
///
/// The database holds ID numbers, bank accounts and health conditions: on Unix, a directory created here is
/// `0700`, and the database file and its `-wal` and `-shm` companions are `0600` (existing files are tightened too).
pub async fn open(database: &Path) -> Result<SqlitePool, StoreError> {
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
    let options = SqliteConnectOptions::new()
        .filename(database)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    // SQLite gives -wal and -shm the database file's mode; files from before this rule are tightened here.
    private_files::restrict_database_files(database).map_err(|source| StoreError::Permissions {
        path: database.display().to_string(),
        source,
    })?;
    Ok(pool)
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
