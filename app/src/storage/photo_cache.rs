//! What a household's history needs from the phone beyond the assignments: the full history as last fetched
//! (`GET /api/households/{id}/history`) and the photos of past visits, fetched on demand and kept, so a household
//! opened on a new phone shows what was submitted from the old one and shows it again offline.
//!
//! A tile is looked for in order: the thumbnail of a photo taken on this phone (no download at all), then the
//! server's thumbnail kept from an earlier fetch, then the whole photo kept from one; failing all, the server's
//! thumbnail is fetched (a few KB) and the whole photo only when it is opened. Kept photos live in the
//! `photo_blobs` store under `cache/<sha256>` (a thumbnail under `cache/thumbnail/<sha256>`) with their record in
//! `meta` (`photo_cache/…`), written in one transaction; the history under `history/<household id>`. No schema
//! change.

use super::blobs::{BlobStore, BlobValue};
use super::photos::{photo_blob, thumbnail_blob};
use super::schema::{META_STORE, PHOTO_BLOBS_STORE};
use super::{Store, StoreError};
use serde::{Deserialize, Serialize};
use zoufang_domain::model::Evidence;
use zoufang_domain::protocol::HouseholdHistoryResponse;

/// Where a shown photo came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoSource {
    /// The thumbnail of a photo taken on this phone.
    OwnThumbnail,
    /// The server's thumbnail, kept from an earlier download.
    KeptThumbnail,
    /// The whole photo, kept from an earlier download.
    Kept,
}

/// The name a kept thumbnail of the photo `sha256` goes by (in place of a photo's SHA-256).
fn thumbnail_name(sha256: &str) -> String {
    format!("thumbnail/{sha256}")
}

/// The record kept next to a downloaded photo's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptPhoto {
    pub sha256: String,
    pub bytes: u64,
    /// RFC 3339 instant it was kept.
    pub kept_at: String,
}

fn history_key(household_id: &str) -> String {
    format!("history/{household_id}")
}

fn record_key(sha256: &str) -> String {
    format!("photo_cache/{sha256}")
}

fn blob_key(sha256: &str) -> String {
    format!("cache/{sha256}")
}

/// The key of the bytes kept with the `meta` record `meta_key`, when it is a kept photo's record (so the bytes are
/// removed and sealed together with it).
pub(crate) fn blob_key_of_record(meta_key: &str) -> Option<String> {
    meta_key.strip_prefix("photo_cache/").map(blob_key)
}

/// Keeps a household's full history as fetched (replacing the one kept before).
pub async fn keep_history(
    store: &impl Store,
    history: &HouseholdHistoryResponse,
) -> Result<(), StoreError> {
    store
        .put_meta(&history_key(&history.household_id.to_string()), history)
        .await
}

/// The household's full history as last fetched, if it ever was.
pub async fn kept_history(
    store: &impl Store,
    household_id: &str,
) -> Result<Option<HouseholdHistoryResponse>, StoreError> {
    store.get_meta(&history_key(household_id)).await
}

/// Keeps a downloaded photo's bytes under its SHA-256.
pub async fn keep_photo(
    store: &impl BlobStore,
    sha256: &str,
    bytes: &[u8],
    kept_at: &str,
) -> Result<(), StoreError> {
    let record = KeptPhoto {
        sha256: sha256.to_owned(),
        bytes: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        kept_at: kept_at.to_owned(),
    };
    let key = blob_key(sha256);
    store
        .put_with_blobs(
            META_STORE,
            &record_key(sha256),
            &record,
            PHOTO_BLOBS_STORE,
            &[BlobValue {
                key: &key,
                bytes,
                mime_type: "image/jpeg",
            }],
        )
        .await
}

/// Keeps the server's thumbnail of the photo `sha256`.
pub async fn keep_thumbnail(
    store: &impl BlobStore,
    sha256: &str,
    bytes: &[u8],
    kept_at: &str,
) -> Result<(), StoreError> {
    keep_photo(store, &thumbnail_name(sha256), bytes, kept_at).await
}

/// The bytes kept under `name` (a photo's SHA-256, or a thumbnail's name), if a download was kept.
async fn kept(store: &impl BlobStore, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    if store
        .get_meta::<KeptPhoto>(&record_key(name))
        .await?
        .is_none()
    {
        return Ok(None);
    }
    store.get_blob(PHOTO_BLOBS_STORE, &blob_key(name)).await
}

/// The bytes to show for a photo's tile without the network: its thumbnail when it was taken on this phone, else
/// the server's thumbnail or the whole photo kept from a download; `Ok(None)` when it has to be fetched.
pub async fn photo_on_phone(
    store: &impl BlobStore,
    evidence: &Evidence,
) -> Result<Option<(Vec<u8>, PhotoSource)>, StoreError> {
    if let Some(bytes) = thumbnail_blob(store, evidence.id).await? {
        return Ok(Some((bytes, PhotoSource::OwnThumbnail)));
    }
    let sha256 = evidence.sha256.as_str();
    if let Some(bytes) = kept(store, &thumbnail_name(sha256)).await? {
        return Ok(Some((bytes, PhotoSource::KeptThumbnail)));
    }
    Ok(kept(store, sha256)
        .await?
        .map(|bytes| (bytes, PhotoSource::Kept)))
}

/// The whole photo without the network: taken on this phone, or kept from a download; `Ok(None)` when it has to
/// be fetched.
pub async fn whole_photo_on_phone(
    store: &impl BlobStore,
    evidence: &Evidence,
) -> Result<Option<Vec<u8>>, StoreError> {
    if let Some((_, bytes)) = photo_blob(store, evidence.id).await? {
        return Ok(Some(bytes));
    }
    kept(store, evidence.sha256.as_str()).await
}

#[cfg(test)]
mod tests {
    use super::super::MemoryStore;
    use super::super::photos::thumbnail_key;
    use super::super::schema::PHOTOS_STORE;
    use super::*;
    use futures::executor::block_on;
    use uuid::Uuid;
    use zoufang_domain::model::{
        CURRENT_SCHEMA_VERSION, EvidenceId, EvidenceKind, HouseholdId, Sha256Digest,
    };
    use zoufang_domain::protocol::{ReviewDecision, ReviewEntry};

    fn evidence(sha: &str) -> Evidence {
        Evidence {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: EvidenceId(Uuid::from_u128(7)),
            visit_id: None,
            kind: EvidenceKind::SitePhoto,
            taken_at: time::macros::datetime!(2026-11-20 09:00 +08:00),
            gps: None,
            sha256: Sha256Digest::parse(sha).unwrap_or_else(|_| unreachable!()),
            bytes: 3,
            width: None,
            height: None,
            caption: String::new(),
        }
    }

    const SHA: &str = "8b5206576f73bef9d39c04cb43f1cfcbaf952566d4e14e96617d19ade4ee5ded";

    #[test]
    fn a_photo_not_on_the_phone_has_to_be_fetched_and_once_kept_is_shown_offline() {
        let store = MemoryStore::default();
        let photo = evidence(SHA);
        assert_eq!(block_on(photo_on_phone(&store, &photo)), Ok(None));
        block_on(keep_photo(&store, SHA, &[1, 2, 3], "2026-11-21T09:30:00Z"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(photo_on_phone(&store, &photo)),
            Ok(Some((vec![1, 2, 3], PhotoSource::Kept)))
        );
    }

    #[test]
    fn a_kept_thumbnail_comes_before_the_kept_whole_photo_and_opening_the_photo_needs_the_whole_one()
     {
        let store = MemoryStore::default();
        let photo = evidence(SHA);
        block_on(keep_thumbnail(&store, SHA, &[7], "2026-11-21T09:30:00Z"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(photo_on_phone(&store, &photo)),
            Ok(Some((vec![7], PhotoSource::KeptThumbnail)))
        );
        assert_eq!(block_on(whole_photo_on_phone(&store, &photo)), Ok(None));
        block_on(keep_photo(&store, SHA, &[1, 2, 3], "2026-11-21T09:31:00Z"))
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(photo_on_phone(&store, &photo)),
            Ok(Some((vec![7], PhotoSource::KeptThumbnail)))
        );
        assert_eq!(
            block_on(whole_photo_on_phone(&store, &photo)),
            Ok(Some(vec![1, 2, 3]))
        );
    }

    #[test]
    fn a_photo_taken_on_this_phone_is_shown_from_its_thumbnail_without_a_download() {
        let store = MemoryStore::default();
        let photo = evidence(SHA);
        let key = thumbnail_key(photo.id);
        block_on(store.put_with_blobs(
            PHOTOS_STORE,
            &photo.id.to_string(),
            &"record",
            PHOTO_BLOBS_STORE,
            &[BlobValue {
                key: &key,
                bytes: &[9, 9],
                mime_type: "image/jpeg",
            }],
        ))
        .unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(photo_on_phone(&store, &photo)),
            Ok(Some((vec![9, 9], PhotoSource::OwnThumbnail)))
        );
    }

    #[test]
    fn a_kept_history_replaces_the_one_before_and_is_read_back_by_household() {
        let store = MemoryStore::default();
        let household_id = HouseholdId(Uuid::from_u128(3));
        let mut history = HouseholdHistoryResponse {
            household_id,
            visits: Vec::new(),
            reviews: vec![ReviewEntry {
                id: Uuid::from_u128(4),
                submission_id: Uuid::from_u128(5),
                decision: ReviewDecision::Approve,
                comments: "同意。".to_owned(),
                reviewer_name: Some("符明亮".to_owned()),
                decided_at: "2026-11-21T09:30:00Z".to_owned(),
            }],
        };
        block_on(keep_history(&store, &history)).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(kept_history(&store, &household_id.to_string())),
            Ok(Some(history.clone()))
        );
        history.reviews.clear();
        block_on(keep_history(&store, &history)).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            block_on(kept_history(&store, &household_id.to_string())),
            Ok(Some(history))
        );
        assert_eq!(block_on(kept_history(&store, "someone-else")), Ok(None));
    }
}
