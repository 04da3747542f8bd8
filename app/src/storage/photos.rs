//! Photo evidence on the phone: one [`PhotoRecord`] (the domain's [`Evidence`] plus what the phone needs) per
//! evidence id in the `photos` store, and its JPEG and thumbnail in the `photo_blobs` store, written and removed
//! together. The sync driver reads a photo with [`photo_blob`] and the metadata of a record's evidence with
//! [`evidence_for`].

use super::blobs::{BlobStore, BlobValue};
use super::records;
use super::schema::{PHOTO_BLOBS_STORE, PHOTOS_STORE};
use super::{Store, StoreError};
use crate::draft::HouseholdDraft;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::OffsetDateTime;
use zoufang_domain::model::{
    ChecklistItem, Evidence, EvidenceId, HouseholdId, MeasureId, PlanId, SessionId, VisitId,
};

/// Bumped when [`PhotoRecord`]'s shape changes.
pub const PHOTO_RECORD_VERSION: u32 = 1;

/// The MIME type of every stored photo and thumbnail.
pub const JPEG: &str = "image/jpeg";

/// What a photo supports: a visit, a plan measure's progress, a checklist item (each with its photo list in the
/// forms) or a night-school session (stored shape only until the night-school screens exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AttachedTo {
    Visit {
        visit_id: VisitId,
    },
    PlanMeasure {
        plan_id: PlanId,
        measure_id: MeasureId,
    },
    ChecklistItem {
        item: ChecklistItem,
    },
    NightSchoolSession {
        session_id: SessionId,
    },
}

/// One photo's metadata as kept on the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRecord {
    pub schema_version: u32,
    /// What is sent with the record: id, kind, device time, GPS, SHA-256, size, caption.
    pub evidence: Evidence,
    pub household_id: HouseholdId,
    pub attached_to: AttachedTo,
    /// The picked file's name, for messages ("IMG_2031.jpg").
    pub file_name: String,
    /// The picked file's own last-modified time (for a camera photo, about when it was taken; for a gallery
    /// photo, possibly much earlier than `evidence.taken_at`).
    #[serde(with = "time::serde::rfc3339::option")]
    pub file_modified_at: Option<OffsetDateTime>,
    /// The picture's size before shrinking, after EXIF rotation.
    pub source_width: u32,
    pub source_height: u32,
    /// The lines burned into the bottom-left corner.
    pub watermark: Vec<String>,
    pub thumbnail_bytes: u64,
}

impl PhotoRecord {
    pub fn id(&self) -> EvidenceId {
        self.evidence.id
    }
}

/// Key of a photo's JPEG in the blob store.
pub fn photo_key(id: EvidenceId) -> String {
    format!("{id}/photo")
}

/// Key of a photo's thumbnail in the blob store.
pub fn thumbnail_key(id: EvidenceId) -> String {
    format!("{id}/thumbnail")
}

/// Keeps a processed photo: metadata, JPEG and thumbnail in one transaction.
pub async fn save_photo(
    store: &impl BlobStore,
    record: &PhotoRecord,
    jpeg: &[u8],
    thumbnail: &[u8],
) -> Result<(), StoreError> {
    let id = record.id();
    let (photo, thumb) = (photo_key(id), thumbnail_key(id));
    let blobs = [
        BlobValue {
            key: &photo,
            bytes: jpeg,
            mime_type: JPEG,
        },
        BlobValue {
            key: &thumb,
            bytes: thumbnail,
            mime_type: JPEG,
        },
    ];
    store
        .put_with_blobs(
            PHOTOS_STORE,
            &id.to_string(),
            record,
            PHOTO_BLOBS_STORE,
            &blobs,
        )
        .await
}

/// One photo's metadata.
pub async fn photo_record(
    store: &impl Store,
    id: EvidenceId,
) -> Result<Option<PhotoRecord>, StoreError> {
    store.get(PHOTOS_STORE, &id.to_string()).await
}

/// A photo's stored JPEG bytes and its metadata, by evidence id (what the sync driver uploads). `Ok(None)` when
/// the phone has no such photo.
pub async fn photo_blob(
    store: &impl BlobStore,
    id: EvidenceId,
) -> Result<Option<(PhotoRecord, Vec<u8>)>, StoreError> {
    let Some(record) = photo_record(store, id).await? else {
        return Ok(None);
    };
    match store.get_blob(PHOTO_BLOBS_STORE, &photo_key(id)).await? {
        Some(bytes) => Ok(Some((record, bytes))),
        None => Err(StoreError::Corrupt(format!(
            "{id}: the photo's bytes are missing"
        ))),
    }
}

/// A photo's thumbnail bytes.
pub async fn thumbnail_blob(
    store: &impl BlobStore,
    id: EvidenceId,
) -> Result<Option<Vec<u8>>, StoreError> {
    store.get_blob(PHOTO_BLOBS_STORE, &thumbnail_key(id)).await
}

/// The metadata of the given evidence ids that the phone holds, in the order asked (ids without a photo on the
/// phone are left out).
pub async fn photo_records(
    store: &impl Store,
    ids: &[EvidenceId],
) -> Result<Vec<PhotoRecord>, StoreError> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(record) = photo_record(store, *id).await? {
            found.push(record);
        }
    }
    Ok(found)
}

/// The [`Evidence`] of the given ids, in the order asked (what a record's submission carries).
pub async fn evidence_for(
    store: &impl Store,
    ids: &[EvidenceId],
) -> Result<Vec<Evidence>, StoreError> {
    Ok(photo_records(store, ids)
        .await?
        .into_iter()
        .map(|record| record.evidence)
        .collect())
}

/// Every photo attached to `target`, oldest first.
pub async fn photos_attached_to(
    store: &impl Store,
    target: AttachedTo,
) -> Result<Vec<PhotoRecord>, StoreError> {
    let mut photos: Vec<PhotoRecord> = all_photos(store)
        .await?
        .into_iter()
        .filter(|record| record.attached_to == target)
        .collect();
    photos.sort_by_key(|record| record.evidence.taken_at);
    Ok(photos)
}

async fn all_photos(store: &impl Store) -> Result<Vec<PhotoRecord>, StoreError> {
    Ok(store
        .get_all::<PhotoRecord>(PHOTOS_STORE)
        .await?
        .into_iter()
        .map(|(_, record)| record)
        .collect())
}

/// How many photos the phone holds and how many bytes they take (photos and thumbnails).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhotoTotals {
    pub count: usize,
    pub bytes: u64,
}

pub async fn photo_totals(store: &impl Store) -> Result<PhotoTotals, StoreError> {
    let photos = all_photos(store).await?;
    Ok(PhotoTotals {
        count: photos.len(),
        bytes: photos
            .iter()
            .map(|record| record.evidence.bytes + record.thumbnail_bytes)
            .sum(),
    })
}

/// Changes a photo's caption (the bytes are untouched).
pub async fn set_caption(
    store: &impl Store,
    id: EvidenceId,
    caption: &str,
) -> Result<(), StoreError> {
    let Some(mut record) = photo_record(store, id).await? else {
        return Ok(());
    };
    record.evidence.caption = caption.to_owned();
    store.put(PHOTOS_STORE, &id.to_string(), &record).await
}

/// Why a photo could not be deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeletePhotoError {
    /// A submitted record that waits in the outbox includes the photo: deleting it would send the record
    /// without its evidence. It can be deleted once the record is sent.
    #[error("the photo belongs to a record waiting to be sent (submitted {submitted_at})")]
    Queued { submitted_at: OffsetDateTime },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Every evidence id a draft refers to: the visit's photos, the checklist's evidence, the measures' progress
/// photos and the signatures of household confirmations.
pub fn evidence_ids(snapshot: &HouseholdDraft) -> BTreeSet<EvidenceId> {
    let checklist = snapshot
        .household
        .checklist
        .entries()
        .into_iter()
        .flat_map(|(_, entry)| entry.evidence.iter().copied());
    let confirmations = snapshot
        .plan
        .effects
        .iter()
        .filter_map(|effect| effect.confirmation.as_ref())
        .chain(snapshot.visit.household_confirmation.as_ref())
        .filter_map(|confirmation| confirmation.signature_evidence);
    let measures = snapshot
        .plan
        .measures
        .iter()
        .flat_map(|measure| measure.evidence.iter().copied());
    snapshot
        .visit
        .evidence
        .iter()
        .copied()
        .chain(checklist)
        .chain(measures)
        .chain(confirmations)
        .collect()
}

/// Every evidence id that a record waiting in the outbox (not yet confirmed by the server) refers to, with when
/// that record was submitted.
pub async fn queued_evidence(
    store: &impl Store,
) -> Result<BTreeMap<EvidenceId, OffsetDateTime>, StoreError> {
    let mut queued = BTreeMap::new();
    for item in records::outbox(store).await? {
        if item.delivery.status == records::OutboxStatus::Sent {
            continue;
        }
        for id in evidence_ids(&item.snapshot) {
            queued.entry(id).or_insert(item.submitted_at);
        }
    }
    Ok(queued)
}

/// Deletes a photo (metadata, JPEG, thumbnail) unless a queued record still needs it.
pub async fn delete_photo(store: &impl BlobStore, id: EvidenceId) -> Result<(), DeletePhotoError> {
    if let Some(submitted_at) = queued_evidence(store).await?.remove(&id) {
        return Err(DeletePhotoError::Queued { submitted_at });
    }
    let (photo, thumb) = (photo_key(id), thumbnail_key(id));
    store
        .delete_with_blobs(
            PHOTOS_STORE,
            &id.to_string(),
            PHOTO_BLOBS_STORE,
            &[&photo, &thumb],
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{HouseholdDraft, NewDraftIds};
    use crate::storage::MemoryStore;
    use crate::storage::records::{OutboxItem, OutboxStatus, enqueue};
    use time::macros::datetime;
    use uuid::Uuid;
    use zoufang_domain::model::{EvidenceKind, IncomeSheetId, Sha256Digest, UserId};

    fn record(id: u128, visit: VisitId, minute: u8) -> PhotoRecord {
        PhotoRecord {
            schema_version: PHOTO_RECORD_VERSION,
            evidence: Evidence {
                schema_version: 1,
                id: EvidenceId(Uuid::from_u128(id)),
                visit_id: Some(visit),
                kind: EvidenceKind::SitePhoto,
                taken_at: datetime!(2026-11-22 10:00 +08:00)
                    .replace_minute(minute)
                    .unwrap_or(datetime!(2026-11-22 10:00 +08:00)),
                gps: None,
                sha256: Sha256Digest::parse(&"ab".repeat(32)).unwrap_or_else(|_| unreachable!()),
                bytes: 1000,
                width: Some(1600),
                height: Some(1200),
                caption: String::new(),
            },
            household_id: HouseholdId(Uuid::from_u128(7)),
            attached_to: AttachedTo::Visit { visit_id: visit },
            file_name: "IMG_0001.jpg".to_owned(),
            file_modified_at: None,
            source_width: 4000,
            source_height: 3000,
            watermark: vec!["王德福".to_owned()],
            thumbnail_bytes: 24,
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        futures::executor::block_on(future)
    }

    #[test]
    fn a_saved_photo_reads_back_with_its_bytes_and_counts_in_the_totals() {
        let store = MemoryStore::default();
        let visit = VisitId(Uuid::from_u128(3));
        let photo = record(1, visit, 1);
        assert_eq!(
            block_on(save_photo(&store, &photo, b"jpeg", b"thumb")),
            Ok(())
        );
        assert_eq!(
            block_on(photo_blob(&store, photo.id())),
            Ok(Some((photo.clone(), b"jpeg".to_vec())))
        );
        assert_eq!(
            block_on(thumbnail_blob(&store, photo.id())),
            Ok(Some(b"thumb".to_vec()))
        );
        assert_eq!(
            block_on(photo_totals(&store)),
            Ok(PhotoTotals {
                count: 1,
                bytes: 1024
            })
        );
    }

    #[test]
    fn evidence_for_keeps_the_order_asked_and_skips_unknown_ids() {
        let store = MemoryStore::default();
        let visit = VisitId(Uuid::from_u128(3));
        let (first, second) = (record(1, visit, 1), record(2, visit, 2));
        for photo in [&first, &second] {
            assert_eq!(block_on(save_photo(&store, photo, b"j", b"t")), Ok(()));
        }
        let unknown = EvidenceId(Uuid::from_u128(99));
        let listed = block_on(evidence_for(&store, &[second.id(), unknown, first.id()]));
        assert_eq!(listed, Ok(vec![second.evidence, first.evidence]));
    }

    #[test]
    fn photos_attached_to_a_visit_come_oldest_first_and_leave_other_visits_out() {
        let store = MemoryStore::default();
        let visit = VisitId(Uuid::from_u128(3));
        let other = VisitId(Uuid::from_u128(4));
        let (late, early, elsewhere) = (
            record(1, visit, 9),
            record(2, visit, 1),
            record(3, other, 5),
        );
        for photo in [&late, &early, &elsewhere] {
            assert_eq!(block_on(save_photo(&store, photo, b"j", b"t")), Ok(()));
        }
        let listed = block_on(photos_attached_to(
            &store,
            AttachedTo::Visit { visit_id: visit },
        ));
        assert_eq!(listed, Ok(vec![early, late]));
    }

    #[test]
    fn a_caption_change_keeps_the_bytes() {
        let store = MemoryStore::default();
        let photo = record(1, VisitId(Uuid::from_u128(3)), 1);
        assert_eq!(block_on(save_photo(&store, &photo, b"jpeg", b"t")), Ok(()));
        assert_eq!(
            block_on(set_caption(&store, photo.id(), "新修的厨房")),
            Ok(())
        );
        let read = block_on(photo_blob(&store, photo.id()));
        let Ok(Some((read, bytes))) = read else {
            panic!("photo missing: {read:?}");
        };
        assert_eq!(read.evidence.caption, "新修的厨房");
        assert_eq!(bytes, b"jpeg".to_vec());
    }

    #[test]
    fn a_photo_of_a_queued_visit_cannot_be_deleted_until_it_is_sent() {
        let store = MemoryStore::default();
        let household = zoufang_domain::sample::household();
        let mut draft = HouseholdDraft::start(
            household.clone(),
            1,
            NewDraftIds {
                income: IncomeSheetId(Uuid::from_u128(1)),
                plan: PlanId(Uuid::from_u128(2)),
                visit: VisitId(Uuid::from_u128(3)),
            },
            2025,
            UserId(Uuid::from_u128(4)),
            datetime!(2026-11-22 09:00 +08:00),
        );
        let (queued, free) = (record(1, draft.visit.id, 1), record(2, draft.visit.id, 2));
        for photo in [&queued, &free] {
            assert_eq!(block_on(save_photo(&store, photo, b"j", b"t")), Ok(()));
        }
        draft.visit.evidence.push(queued.id());
        let mut item = OutboxItem::queued(
            Uuid::from_u128(50),
            time::macros::datetime!(2026-11-22 10:30 UTC),
            draft,
        );
        assert_eq!(block_on(enqueue(&store, &item)), Ok(()));

        assert_eq!(
            block_on(delete_photo(&store, queued.id())),
            Err(DeletePhotoError::Queued {
                submitted_at: time::macros::datetime!(2026-11-22 10:30 UTC)
            })
        );
        assert!(matches!(
            block_on(photo_blob(&store, queued.id())),
            Ok(Some(_))
        ));
        assert_eq!(block_on(delete_photo(&store, free.id())), Ok(()));
        assert_eq!(block_on(photo_blob(&store, free.id())), Ok(None));
        assert_eq!(block_on(thumbnail_blob(&store, free.id())), Ok(None));

        // Once the server confirmed the record, the photo may go.
        item.delivery.status = OutboxStatus::Sent;
        assert_eq!(block_on(records::update_item(&store, &item)), Ok(()));
        assert_eq!(block_on(delete_photo(&store, queued.id())), Ok(()));
    }
}
