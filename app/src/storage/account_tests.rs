//! Whose data is on the phone: owners, logging out with kept work, another user logging in.

use super::*;
use crate::draft::{HouseholdDraft, NewDraftIds};
use crate::storage::MemoryStore;
use crate::storage::blobs::BlobValue;
use futures::executor::block_on;
use time::macros::datetime;
use zoufang_domain::model::{EvidenceId, IncomeSheetId, PlanId, UserId, VisitId};

const WANG: Uuid = Uuid::from_u128(0xa1);
const LI: Uuid = Uuid::from_u128(0xb2);

fn backend() -> Backend {
    Backend::Memory(
        MemoryStore::default(),
        StoreError::Unavailable("test".into()),
    )
}

fn draft_with_photo(photo: EvidenceId) -> HouseholdDraft {
    let mut draft = HouseholdDraft::start(
        zoufang_domain::sample::household(),
        1,
        NewDraftIds {
            income: IncomeSheetId(Uuid::from_u128(1)),
            plan: PlanId(Uuid::from_u128(2)),
            visit: VisitId(Uuid::from_u128(3)),
        },
        2025,
        UserId(WANG),
        datetime!(2026-11-22 09:00 +08:00),
    );
    draft.visit.evidence.push(photo);
    draft
}

fn save_photo(store: &AppStore, id: EvidenceId) {
    let (photo, thumb) = (photo_key(id), thumbnail_key(id));
    let blobs = [
        BlobValue {
            key: &photo,
            bytes: b"jpeg",
            mime_type: "image/jpeg",
        },
        BlobValue {
            key: &thumb,
            bytes: b"t",
            mime_type: "image/jpeg",
        },
    ];
    let saved = block_on(store.put_with_blobs(
        PHOTOS_STORE,
        &id.to_string(),
        &"photo record",
        PHOTO_BLOBS_STORE,
        &blobs,
    ));
    assert_eq!(saved, Ok(()));
}

/// Wang's phone: a household, a draft, one unsent and one sent item, a photo the unsent item needs and one it does
/// not, and a session.
fn wang_works(backend: &Backend) -> (AppStore, OutboxItem) {
    let wang = AppStore::new(backend.clone(), WANG);
    let (needed, loose) = (
        EvidenceId(Uuid::from_u128(0x10)),
        EvidenceId(Uuid::from_u128(0x11)),
    );
    save_photo(&wang, needed);
    save_photo(&wang, loose);
    assert_eq!(
        block_on(wang.put(HOUSEHOLDS_STORE, "h1", &"household")),
        Ok(())
    );
    assert_eq!(block_on(wang.put(DRAFTS_STORE, "h1", &"draft")), Ok(()));
    assert_eq!(
        block_on(wang.put_meta(meta_keys::SESSION, &"token")),
        Ok(())
    );
    let unsent = OutboxItem::queued(
        Uuid::from_u128(0x50),
        time::macros::datetime!(2026-11-22 10:30 UTC),
        draft_with_photo(needed),
    );
    let mut sent = OutboxItem::queued(
        Uuid::from_u128(0x51),
        time::macros::datetime!(2026-11-22 10:00 UTC),
        draft_with_photo(loose),
    );
    sent.delivery.status = OutboxStatus::Sent;
    assert_eq!(block_on(records::enqueue(&wang, &unsent)), Ok(()));
    assert_eq!(block_on(records::enqueue(&wang, &sent)), Ok(()));
    (wang, unsent)
}

#[test]
fn an_enqueued_item_belongs_to_the_stores_user() {
    let backend = backend();
    let (wang, unsent) = wang_works(&backend);
    let items = block_on(unsent_items(&wang));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, unsent.id);
    assert_eq!(items[0].owner, Some(WANG));
}

async fn unsent_items(store: &AppStore) -> Vec<OutboxItem> {
    unsent(store)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| match item {
            Unsent::Visit(visit) => Some(*visit),
            _ => None,
        })
        .collect()
}

#[test]
fn forgetting_a_user_keeps_nothing_of_theirs_unless_unsent_work_is_kept() {
    let backend = backend();
    let (wang, _) = wang_works(&backend);
    let forgotten = block_on(forget_user(&wang, false));
    assert_eq!(forgotten.map(|f| (f.kept_items, f.kept_photos)), Ok((0, 0)));
    for store in USER_STORES {
        assert_eq!(block_on(backend.get_all_raw(store)), Ok(vec![]), "{store}");
    }
    assert_eq!(block_on(backend.get_all_raw(PHOTO_BLOBS_STORE)), Ok(vec![]));
    assert_eq!(block_on(wang.get_blob(PHOTO_BLOBS_STORE, "x")), Ok(None));
}

#[test]
fn kept_work_is_invisible_to_the_next_user_and_comes_back_for_its_owner() {
    let backend = backend();
    let (wang, unsent) = wang_works(&backend);
    let forgotten = block_on(forget_user(&wang, true));
    assert_eq!(forgotten.map(|f| (f.kept_items, f.kept_photos)), Ok((1, 1)));

    let li = AppStore::new(backend.clone(), LI);
    assert_eq!(block_on(records::outbox(&li)), Ok(vec![]));
    assert_eq!(
        block_on(crate::storage::photos::photo_totals(&li)).map(|t| t.count),
        Ok(0)
    );

    let wang = AppStore::new(backend.clone(), WANG);
    let back = block_on(records::outbox(&wang)).unwrap_or_default();
    assert_eq!(
        back.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![unsent.id]
    );
    assert_eq!(
        block_on(wang.get::<String>(HOUSEHOLDS_STORE, "h1")),
        Ok(None)
    );
    assert_eq!(block_on(wang.get::<String>(DRAFTS_STORE, "h1")), Ok(None));
    assert_eq!(
        block_on(wang.get_meta::<String>(meta_keys::SESSION)),
        Ok(None)
    );
    let photo = photo_key(EvidenceId(Uuid::from_u128(0x10)));
    assert_eq!(
        block_on(wang.get_blob(PHOTO_BLOBS_STORE, &photo)),
        Ok(Some(b"jpeg".to_vec()))
    );
    let loose = photo_key(EvidenceId(Uuid::from_u128(0x11)));
    assert_eq!(block_on(wang.get_blob(PHOTO_BLOBS_STORE, &loose)), Ok(None));
}

#[test]
fn another_user_logging_in_keeps_the_previous_users_unsent_work_for_them() {
    let backend = backend();
    let _ = wang_works(&backend);
    // Without Wang's key, which items are unsent cannot be read: his whole outbox and his photos stay.
    let kept = block_on(make_room_for(&backend, LI));
    assert_eq!(kept.map(|k| (k.kept_items, k.kept_photos)), Ok((2, 2)));
    let li = AppStore::new(backend.clone(), LI);
    assert_eq!(block_on(records::outbox(&li)), Ok(vec![]));
    assert_eq!(block_on(owners(&backend)), Ok(BTreeSet::from([WANG])));
    // The same user logging in again loses nothing.
    let again = block_on(make_room_for(&backend, WANG));
    assert_eq!(again.map(|k| k.removed), Ok(0));
    let wang = AppStore::new(backend.clone(), WANG);
    assert_eq!(block_on(unsent_items(&wang)).len(), 1);
}

#[test]
fn values_written_before_owners_become_the_logged_in_users_and_nothing_is_lost() {
    let backend = backend();
    let Backend::Memory(memory, _) = &backend else {
        unreachable!()
    };
    let item = OutboxItem::queued(
        Uuid::from_u128(0x50),
        time::macros::datetime!(2026-11-22 10:30 UTC),
        draft_with_photo(EvidenceId(Uuid::from_u128(0x10))),
    );
    let item_json = serde_json::to_string(&item).unwrap_or_default();
    let session = crate::storage::StoredSession {
        token: "t".into(),
        expires_at: "2026-12-22T08:00:00Z".into(),
        user: zoufang_domain::protocol::UserProfile {
            id: WANG,
            name: "王芳".into(),
            phone: "13800000001".into(),
            role: zoufang_domain::protocol::Role::Helper,
            village: None,
            teaching_point: None,
        },
    };
    memory.put_raw(OUTBOX_STORE, "0x50", &item_json);
    memory.put_raw(DRAFTS_STORE, "h1", "{damaged");
    memory.put_raw(META_STORE, meta_keys::LOCALE, "\"en\"");
    memory.put_raw(
        META_STORE,
        meta_keys::SESSION,
        &serde_json::to_string(&session).unwrap_or_default(),
    );
    assert_eq!(
        block_on(session_on_phone(&backend)),
        Ok(SessionOnPhone::Plain(session.clone()))
    );
    let wang = AppStore::new(backend.clone(), WANG);
    let items = block_on(records::outbox(&wang)).unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].owner, Some(WANG));
    assert_eq!(
        block_on(wang.get_raw(DRAFTS_STORE, "h1")),
        Ok(Some("{damaged".to_owned()))
    );
    // The language stays the phone's.
    assert_eq!(
        block_on(backend.get_raw(META_STORE, meta_keys::LOCALE)),
        Ok(Some("\"en\"".to_owned()))
    );
    // Once done, the migration finds nothing more, and the session reads the same.
    assert_eq!(block_on(give_unowned_values_an_owner(&backend, LI)), Ok(0));
    assert_eq!(
        block_on(session_on_phone(&backend)),
        Ok(SessionOnPhone::Plain(session))
    );
}

fn attendance_sheet() -> zoufang_domain::protocol::AttendanceSheet {
    use zoufang_domain::model::{CURRENT_SCHEMA_VERSION, Session, SessionId, TeachingPointId};
    zoufang_domain::protocol::AttendanceSheet {
        session: Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(Uuid::from_u128(0x70)),
            teaching_point_id: TeachingPointId(Uuid::from_u128(0x71)),
            date: time::macros::date!(2026 - 11 - 30),
            episode: Some(12),
            topic: "冬季瓜菜".into(),
            discussion_notes: String::new(),
            attendance: vec![],
            confirmed_by: None,
            training_requests: vec![],
            hotline_referrals: vec![],
            market_sales: vec![],
        },
        base_version: 0,
        edit_reason: String::new(),
        evidence: vec![],
        warning_reasons: Default::default(),
    }
}

/// Regression: "keep them for me" kept only household visits, so a first secretary's queued review decision and a
/// cadre's queued night-school sheet (kept in the same outbox) were removed at logout; and the bytes of a photo
/// downloaded for a household's history outlived their record.
#[test]
fn keeping_unsent_work_keeps_queued_reviews_and_sheets_and_removes_downloaded_photos() {
    use crate::storage::night_school::{self, QueuedAttendance};
    use crate::storage::photo_cache;
    use crate::storage::review_queue::{self, QueuedReview};
    use zoufang_domain::protocol::{ReviewDecision, ReviewRequest};
    let backend = backend();
    let (wang, _) = wang_works(&backend);
    let review = QueuedReview::queued(
        ReviewRequest {
            id: Some(Uuid::from_u128(0x60)),
            submission_id: Uuid::from_u128(0x61),
            decision: ReviewDecision::Approve,
            comments: String::new(),
        },
        "h1".to_owned(),
        time::macros::datetime!(2026-11-22 11:00 UTC),
    );
    assert_eq!(block_on(review_queue::put_review(&wang, &review)), Ok(()));
    let sheet = QueuedAttendance::queued(
        Uuid::from_u128(0x62),
        time::macros::datetime!(2026-11-30 12:00 UTC),
        attendance_sheet(),
    );
    assert_eq!(block_on(night_school::put_queued(&wang, &sheet)), Ok(()));
    let sha = "ab".repeat(32);
    assert_eq!(
        block_on(photo_cache::keep_photo(
            &wang,
            &sha,
            b"downloaded",
            "2026-11-22T11:00:00Z"
        )),
        Ok(())
    );
    let listed: Vec<String> = block_on(unsent(&wang))
        .unwrap_or_default()
        .iter()
        .map(Unsent::key)
        .collect();
    assert_eq!(
        listed,
        vec![Uuid::from_u128(0x50).to_string(), review.key(), sheet.key()]
    );

    let forgotten = block_on(forget_user(&wang, true));
    assert_eq!(forgotten.map(|f| (f.kept_items, f.kept_photos)), Ok((3, 1)));
    let wang = AppStore::new(backend.clone(), WANG);
    assert_eq!(block_on(unsent(&wang)).map(|items| items.len()), Ok(3));
    assert_eq!(
        block_on(backend.get_blob(PHOTO_BLOBS_STORE, &format!("cache/{sha}"))),
        Ok(None)
    );
}
