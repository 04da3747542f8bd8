//! `zoufang-server admin migrate-photos`: moves the photo bytes that rows from before migration 0009 keep in the
//! database into the blob store.
//!
//! For each such photo, in hash order: check that the bytes hash to the photo's name (else report it and leave it),
//! write them to the blob store, read them back and compare, and only then mark the row as stored there and empty its
//! `bytes`. Each photo is committed on its own, so the command can be stopped at any point and run again (a copy
//! written before a stop is simply written again); a second run finds nothing to move. It may run while the server
//! runs: until a row is marked, the server serves that photo from the database.

use axum::body::Bytes;
use sqlx::AnyPool;

use super::AdminError;
use crate::blobs::{BlobKey, BlobStore};
use crate::store::photos;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Photos moved into the blob store.
    pub moved: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Photos left in the database because their bytes do not hash to their name.
    pub damaged: Vec<String>,
    /// Photos still in the database after the run (the damaged ones, and those beyond `--limit`).
    pub remaining: i64,
}

/// Moves up to `limit` photos (all without it), `batch` rows read at a time.
pub async fn migrate(
    pool: &AnyPool,
    blobs: &dyn BlobStore,
    batch: i64,
    limit: Option<u64>,
) -> Result<MigrationReport, AdminError> {
    let mut report = MigrationReport::default();
    let mut after = String::new();
    'batches: loop {
        let rows = photos::in_database_after(pool, &after, batch.max(1)).await?;
        let Some((last, _)) = rows.last() else {
            break;
        };
        after = last.clone();
        for (sha256, bytes) in rows {
            if limit.is_some_and(|limit| report.moved >= limit) {
                break 'batches;
            }
            let Some(key) = BlobKey::parse(&sha256).filter(|key| key == &BlobKey::of(&bytes))
            else {
                report.damaged.push(sha256);
                continue;
            };
            let size = bytes.len() as u64;
            let bytes = Bytes::from(bytes);
            blobs.put(&key, bytes.clone()).await?;
            // Read back: the copy must be whole before the database lets go of its bytes.
            if blobs.get(&key).await?.as_ref() != Some(&bytes) {
                return Err(AdminError::Invalid(format!(
                    "the copy of photo {sha256} in the {} does not read back as written; nothing was changed for it",
                    blobs.describe()
                )));
            }
            if photos::mark_in_blobs(pool, &sha256).await? {
                report.moved += 1;
                report.bytes += size;
            }
        }
    }
    report.remaining = photos::count_in_database(pool).await?;
    Ok(report)
}

/// The command: migrates, prints what it did, fails when damaged photos were left behind.
pub async fn run(
    pool: &AnyPool,
    blobs: &dyn BlobStore,
    batch: i64,
    limit: Option<u64>,
) -> Result<(), AdminError> {
    println!(
        "moving photo bytes from the database to the {}",
        blobs.describe()
    );
    let report = migrate(pool, blobs, batch, limit).await?;
    for sha256 in &report.damaged {
        println!("left in the database: photo {sha256} (its bytes do not match its hash)");
    }
    println!(
        "moved {} photos ({} bytes); {} left in the database",
        report.moved, report.bytes, report.remaining
    );
    if report.moved > 0 {
        println!(
            "the database file keeps its size until it is compacted: stop the server, back it up, then run \
             sqlite3 <database> 'VACUUM;'"
        );
    }
    if report.damaged.is_empty() {
        Ok(())
    } else {
        Err(AdminError::DamagedPhotos {
            damaged: report.damaged.len(),
        })
    }
}
