//! Deleting the bytes of photos the database has let go (`photo_blob_deletions`), after the metadata: a crash in
//! between leaves bytes nobody needs, never a photo row without its bytes.
//!
//! An upload of the same bytes may race the deletion (the server writes the bytes before the row). So the sweep
//! skips a hash that has a row, keeps the bytes while it deletes them, and puts them back if a row appeared
//! meanwhile; the upload, for its part, checks after its commit that the bytes are still there (`api::photos`).
//! An upload of new bytes queues them before writing them: if its row never commits, the sweep deletes them.

use sqlx::AnyPool;

use super::{BlobError, BlobKey, BlobStore};
use crate::store::{StoreError, photos};

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// Deletes the queued bytes that no photo row needs; returns how many it deleted. Stops at the first failure (the
/// hash stays queued for the next run).
pub async fn sweep_deletions(pool: &AnyPool, blobs: &dyn BlobStore) -> Result<u64, SweepError> {
    let mut deleted = 0;
    loop {
        let batch = photos::queued_blob_deletions(pool, 100).await?;
        if batch.is_empty() {
            return Ok(deleted);
        }
        for sha256 in batch {
            if let Some(key) = BlobKey::parse(&sha256)
                && !photos::exists(pool, &sha256).await?
            {
                let kept = match blobs.get(&key).await {
                    Ok(bytes) => bytes,
                    Err(BlobError::Damaged { .. }) => None,
                    Err(error) => return Err(error.into()),
                };
                blobs.delete(&key).await?;
                if photos::exists(pool, &sha256).await? {
                    if let Some(bytes) = kept {
                        blobs.put(&key, bytes).await?;
                    }
                } else {
                    deleted += 1;
                }
            }
            photos::dequeue_blob_deletion(pool, &sha256).await?;
        }
    }
}
