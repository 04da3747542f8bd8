//! The app lock: the keyring, wrong PINs and the named migration that seals old values.

use super::*;
use crate::storage::photos::{photo_key, thumbnail_key};
use crate::storage::records::{self, OutboxItem};
use crate::storage::schema::PHOTOS_STORE;
use crate::storage::schema::{DRAFTS_STORE, META_STORE, OUTBOX_STORE};
use crate::storage::{MemoryStore, meta_keys};
use futures::executor::block_on;

const WANG: Uuid = Uuid::from_u128(0xa1);

fn backend() -> (Backend, MemoryStore) {
    let memory = MemoryStore::default();
    (
        Backend::Memory(memory.clone(), StoreError::Unavailable("test".into())),
        memory,
    )
}

#[test]
fn five_wrong_pins_are_free_then_the_wait_doubles_up_to_an_hour() {
    assert_eq!(wait_after(1), 0.0);
    assert_eq!(wait_after(FREE_ATTEMPTS - 1), 0.0);
    assert_eq!(wait_after(FREE_ATTEMPTS), 30_000.0);
    assert_eq!(wait_after(FREE_ATTEMPTS + 1), 60_000.0);
    assert_eq!(wait_after(FREE_ATTEMPTS + 2), 120_000.0);
    assert_eq!(wait_after(FREE_ATTEMPTS + 10), LONGEST_WAIT_MS);
    assert_eq!(wait_after(u32::MAX), LONGEST_WAIT_MS);
}

#[test]
fn a_pin_is_six_digits() {
    assert!(is_valid_pin("024680"));
    for bad in ["", "12345", "1234567", "12345a", "１２３４５６", "12 345"] {
        assert!(!is_valid_pin(bad), "{bad}");
    }
}

#[test]
fn a_waiting_phone_does_not_try_the_pin() {
    let (backend, _) = backend();
    let waiting = PinFailures {
        count: 5,
        wait_until_ms: 2_000.0,
    };
    let key = format!("{PHONE_WIDE_PREFIX}pin_failures/{WANG}");
    assert_eq!(block_on(backend.put_meta(&key, &waiting)), Ok(()));
    // No WebCrypto natively: reaching the PIN check would fail, so this also shows it is not reached.
    let tried = block_on(unlock(&backend, WANG, "123456", 1_000.0));
    assert!(
        matches!(tried, Ok(Unlock::Waiting { wait_until_ms }) if wait_until_ms == 2_000.0),
        "{tried:?}"
    );
}

#[test]
fn sealing_values_at_rest_keeps_every_value_and_leaves_no_plaintext() {
    let (backend, memory) = backend();
    // What today's app left: plaintext values, then given an owner.
    let item = OutboxItem::queued(
        Uuid::from_u128(0x50),
        time::macros::datetime!(2026-11-22 10:30 UTC),
        crate::draft::HouseholdDraft::start(
            zoufang_domain::sample::household(),
            1,
            crate::draft::NewDraftIds {
                income: zoufang_domain::model::IncomeSheetId(Uuid::from_u128(1)),
                plan: zoufang_domain::model::PlanId(Uuid::from_u128(2)),
                visit: zoufang_domain::model::VisitId(Uuid::from_u128(3)),
            },
            2025,
            zoufang_domain::model::UserId(WANG),
            time::macros::datetime!(2026-11-22 09:00 +08:00),
        ),
    );
    let item_json = serde_json::to_string(&item).unwrap_or_default();
    let head = item.snapshot.household.members[0].name.clone();
    memory.put_raw(OUTBOX_STORE, "i1", &item_json);
    memory.put_raw(DRAFTS_STORE, "h1", "{damaged");
    memory.put_raw(META_STORE, meta_keys::LOCALE, "\"en\"");
    let photo = zoufang_domain::model::EvidenceId(Uuid::from_u128(0x10));
    let plain_store = AppStore::new(backend.clone(), WANG);
    let jpeg = vec![0xFF, 0xD8, 1, 2, 3];
    let (photo_name, thumb_name) = (photo_key(photo), thumbnail_key(photo));
    let blobs = [
        BlobValue {
            key: &photo_name,
            bytes: &jpeg,
            mime_type: "image/jpeg",
        },
        BlobValue {
            key: &thumb_name,
            bytes: b"t",
            mime_type: "image/jpeg",
        },
    ];
    let saved = block_on(plain_store.put_with_blobs(
        PHOTOS_STORE,
        &photo.to_string(),
        &"照片记录",
        PHOTO_BLOBS_STORE,
        &blobs,
    ));
    assert_eq!(saved, Ok(()));
    // A past visit's photo downloaded for the household's history (its record in `meta`, its bytes beside it).
    let sha = "cd".repeat(32);
    let cache_name = format!("cache/{sha}");
    let downloaded = vec![0xFF, 0xD8, 9, 9];
    assert_eq!(
        block_on(crate::storage::photo_cache::keep_photo(
            &plain_store,
            &sha,
            &downloaded,
            "2026-11-22T11:00:00Z"
        )),
        Ok(())
    );
    assert_eq!(
        block_on(crate::storage::account::give_unowned_values_an_owner(
            &backend, WANG
        )),
        Ok(2)
    );

    let key = DataKey::Test(42);
    assert_eq!(block_on(seal_values_at_rest(&backend, WANG, &key)), Ok(4));
    // Nothing readable left in the stores, and the language stays the phone's.
    for store in USER_STORES {
        for (name, json) in block_on(backend.get_all_raw(store)).unwrap_or_default() {
            if name == meta_keys::LOCALE {
                assert_eq!(json, "\"en\"");
                continue;
            }
            if crate::storage::account::is_phone_wide(&name) {
                assert_eq!(json, "true", "{name}");
                continue;
            }
            assert!(json.contains("\"sealed\""), "{store}/{name}: {json}");
            assert!(!json.contains(&head) && !json.contains("damaged"), "{json}");
        }
    }
    let stored_photo = block_on(backend.get_blob(PHOTO_BLOBS_STORE, &photo_name));
    assert!(matches!(&stored_photo, Ok(Some(bytes)) if is_sealed_blob(bytes)));
    let stored_download = block_on(backend.get_blob(PHOTO_BLOBS_STORE, &cache_name));
    assert!(matches!(&stored_download, Ok(Some(bytes)) if is_sealed_blob(bytes)));
    // Everything reads back the same with the key.
    let sealed = AppStore::sealed(backend.clone(), WANG, key.clone());
    let items = block_on(records::outbox(&sealed)).unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].snapshot, item.snapshot);
    assert_eq!(
        block_on(sealed.get_raw(DRAFTS_STORE, "h1")),
        Ok(Some("{damaged".to_owned()))
    );
    assert_eq!(
        block_on(sealed.get_blob(PHOTO_BLOBS_STORE, &photo_name)),
        Ok(Some(jpeg))
    );
    assert_eq!(
        block_on(sealed.get_blob(PHOTO_BLOBS_STORE, &thumb_name)),
        Ok(Some(b"t".to_vec()))
    );
    assert_eq!(
        block_on(sealed.get_blob(PHOTO_BLOBS_STORE, &cache_name)),
        Ok(Some(downloaded))
    );
    // The pass is recorded for the user: a second run reads nothing (a plaintext value planted here stays as it
    // is, which the app itself never writes), and another user's first pass still runs.
    let plain_json =
        |owner| serde_json::to_string(&Envelope::plain(owner, "{}".to_owned())).unwrap_or_default();
    memory.put_raw(DRAFTS_STORE, "h2", &plain_json(WANG));
    assert_eq!(block_on(seal_values_at_rest(&backend, WANG, &key)), Ok(0));
    assert_eq!(
        block_on(backend.get_raw(DRAFTS_STORE, "h2")).ok().flatten(),
        Some(plain_json(WANG))
    );
    let li = Uuid::from_u128(0xa2);
    memory.put_raw(DRAFTS_STORE, "h3", &plain_json(li));
    assert_eq!(block_on(seal_values_at_rest(&backend, li, &key)), Ok(1));
}
