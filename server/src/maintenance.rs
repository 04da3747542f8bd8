//! Housekeeping: photos that no submission links are removed once nobody has uploaded them for the grace period
//! ([`PhotoSettings::unreferenced_grace`]). The running server does it every
//! [`PhotoSettings::cleanup_interval`] ([`spawn_photo_cleanup`]); `zoufang-server admin gc-photos` does it once.
//!
//! A phone uploads a visit's photos before the visit itself, so a photo is unreferenced for a while by design; the
//! grace period covers an outbox that stalls between the two. A photo removed too early is not lost either: the
//! phone keeps it until the record is accepted, and uploads it again after a 422 `photo_missing`.
//!
//! Removing a photo deletes its row and queues its bytes; [`crate::blobs::sweep_deletions`] then deletes them from
//! the blob store (the server's task right after each removal, `admin gc-photos` after its own).

use sqlx::AnyPool;
use time::OffsetDateTime;

use crate::PhotoSettings;
use crate::blobs::{Blobs, sweep_deletions};
use crate::store::{StoreError, photos};

/// Removes the photos that no submission links and that nobody uploaded within `grace` before `now`; returns how
/// many it removed.
pub async fn remove_unreferenced_photos(
    pool: &AnyPool,
    now: OffsetDateTime,
    grace: time::Duration,
) -> Result<u64, StoreError> {
    let mut transaction = pool.begin().await?;
    let removed = photos::delete_unreferenced(&mut transaction, now - grace).await?;
    transaction.commit().await?;
    Ok(removed)
}

/// Runs [`remove_unreferenced_photos`] now and then every `settings.cleanup_interval` until the task is aborted. A
/// failed run is logged and the next one tries again.
pub fn spawn_photo_cleanup(
    pool: AnyPool,
    blobs: Blobs,
    settings: PhotoSettings,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(settings.cleanup_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = OffsetDateTime::now_utc();
            match remove_unreferenced_photos(&pool, now, settings.unreferenced_grace).await {
                Ok(0) => tracing::debug!("no unreferenced photos to remove"),
                Ok(removed) => tracing::info!(removed, "removed unreferenced photos"),
                Err(error) => tracing::error!(%error, "could not remove unreferenced photos"),
            }
            match sweep_deletions(&pool, blobs.as_ref()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "deleted the bytes of removed photos"),
                Err(error) => {
                    tracing::error!(%error, "could not delete the bytes of removed photos")
                }
            }
        }
    })
}
