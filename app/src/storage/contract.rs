//! The behaviour every [`Store`] must have. Run natively against [`super::MemoryStore`] and in headless
//! Chromium against [`super::IndexedDbStore`], so the fallback and the real store cannot drift apart.

use super::blobs::{BlobStore, BlobValue};
use super::{Store, StoreError, StoredSession};
use zoufang_domain::protocol::{Role, UserProfile, VillageRef};

fn sample_session() -> StoredSession {
    StoredSession {
        token: "token-for-contract-tests".to_owned(),
        expires_at: "2026-12-22T08:00:00Z".to_owned(),
        user: UserProfile {
            id: uuid::Uuid::from_u128(0x1234),
            name: "王芳".to_owned(),
            phone: "13800000001".to_owned(),
            role: Role::Helper,
            village: Some(VillageRef {
                id: uuid::Uuid::from_u128(0x99),
                name: "清泉村".to_owned(),
            }),
            teaching_point: None,
        },
    }
}

/// A key that was never written reads as `None`, not as an error.
pub async fn a_missing_key_reads_as_none(store: &impl Store) {
    let value: Result<Option<String>, StoreError> = store.get_meta("never-written").await;
    assert_eq!(value, Ok(None));
}

/// What was written is read back equal, including nested and non-ASCII values.
pub async fn a_written_session_reads_back_equal(store: &impl Store) {
    let session = sample_session();
    assert_eq!(store.put_meta("session", &session).await, Ok(()));
    assert_eq!(
        store.get_meta::<StoredSession>("session").await,
        Ok(Some(session))
    );
}

/// A second write to the same key replaces the first.
pub async fn the_last_write_wins(store: &impl Store) {
    assert_eq!(store.put_meta("locale", &"zh-CN").await, Ok(()));
    assert_eq!(store.put_meta("locale", &"en").await, Ok(()));
    assert_eq!(
        store.get_meta::<String>("locale").await,
        Ok(Some("en".to_owned()))
    );
}

/// Deleting removes the value; deleting a missing key is not an error.
pub async fn delete_removes_and_is_idempotent(store: &impl Store) {
    assert_eq!(store.put_meta("to-delete", &42_u32).await, Ok(()));
    assert_eq!(store.delete_meta("to-delete").await, Ok(()));
    assert_eq!(store.get_meta::<u32>("to-delete").await, Ok(None));
    assert_eq!(store.delete_meta("to-delete").await, Ok(()));
}

/// A stored value of another shape is reported as corrupt, never as a panic or a silent default.
pub async fn a_value_of_another_shape_is_corrupt(store: &impl Store) {
    assert_eq!(store.put_meta("shape", &"not a session").await, Ok(()));
    let read = store.get_meta::<StoredSession>("shape").await;
    assert!(matches!(read, Err(StoreError::Corrupt(_))), "got {read:?}");
}

/// `get_all` returns every entry in key order; `replace_all` swaps the whole content at once.
pub async fn get_all_and_replace_all_work_on_whole_stores(store: &impl Store) {
    use super::schema::HOUSEHOLDS_STORE;
    let first = vec![("b".to_owned(), 2_u32), ("a".to_owned(), 1_u32)];
    assert_eq!(store.replace_all(HOUSEHOLDS_STORE, &first).await, Ok(()));
    let read: Result<Vec<(String, u32)>, StoreError> = store.get_all(HOUSEHOLDS_STORE).await;
    assert_eq!(read, Ok(vec![("a".to_owned(), 1), ("b".to_owned(), 2)]));
    let second = vec![("c".to_owned(), 3_u32)];
    assert_eq!(store.replace_all(HOUSEHOLDS_STORE, &second).await, Ok(()));
    assert_eq!(
        store.get_all::<u32>(HOUSEHOLDS_STORE).await,
        Ok(vec![("c".to_owned(), 3)])
    );
    assert_eq!(store.get::<u32>(HOUSEHOLDS_STORE, "a").await, Ok(None));
}

/// The same key in two stores holds two values.
pub async fn stores_are_separate(store: &impl Store) {
    use super::schema::{DRAFTS_STORE, OUTBOX_STORE};
    assert_eq!(store.put(DRAFTS_STORE, "k", &"draft").await, Ok(()));
    assert_eq!(store.put(OUTBOX_STORE, "k", &"queued").await, Ok(()));
    assert_eq!(
        store.get::<String>(DRAFTS_STORE, "k").await,
        Ok(Some("draft".to_owned()))
    );
    assert_eq!(
        store.get::<String>(OUTBOX_STORE, "k").await,
        Ok(Some("queued".to_owned()))
    );
}

/// The raw read of a value is the JSON text it was written as, whatever its shape.
pub async fn raw_reads_give_the_stored_json_text(store: &impl Store) {
    use super::schema::DRAFTS_STORE;
    let entries = vec![
        ("a".to_owned(), serde_json::json!({ "n": 1 })),
        ("b".to_owned(), serde_json::json!("二")),
    ];
    assert_eq!(store.replace_all(DRAFTS_STORE, &entries).await, Ok(()));
    assert_eq!(
        store.get_raw(DRAFTS_STORE, "a").await,
        Ok(Some("{\"n\":1}".to_owned()))
    );
    assert_eq!(store.get_raw(DRAFTS_STORE, "never").await, Ok(None));
    assert_eq!(
        store.get_all_raw(DRAFTS_STORE).await,
        Ok(vec![
            ("a".to_owned(), "{\"n\":1}".to_owned()),
            ("b".to_owned(), "\"二\"".to_owned()),
        ])
    );
}

/// Runs every contract check in order on one store.
pub async fn check_all(store: &impl Store) {
    a_missing_key_reads_as_none(store).await;
    a_written_session_reads_back_equal(store).await;
    the_last_write_wins(store).await;
    delete_removes_and_is_idempotent(store).await;
    a_value_of_another_shape_is_corrupt(store).await;
    get_all_and_replace_all_work_on_whole_stores(store).await;
    stores_are_separate(store).await;
    raw_reads_give_the_stored_json_text(store).await;
}

/// A record and its blobs written together read back equal, byte for byte (including bytes that are not UTF-8
/// and an empty blob); removing them together leaves neither.
pub async fn a_record_and_its_blobs_are_written_and_removed_together(store: &impl BlobStore) {
    use super::schema::{PHOTO_BLOBS_STORE, PHOTOS_STORE};
    let jpeg_like: Vec<u8> = (0..=255_u8).cycle().take(70_000).collect();
    let blobs = [
        BlobValue {
            key: "e1/photo",
            bytes: &jpeg_like,
            mime_type: "image/jpeg",
        },
        BlobValue {
            key: "e1/thumbnail",
            bytes: &[],
            mime_type: "image/jpeg",
        },
    ];
    let written = store
        .put_with_blobs(PHOTOS_STORE, "e1", &"照片一", PHOTO_BLOBS_STORE, &blobs)
        .await;
    assert_eq!(written, Ok(()));
    assert_eq!(
        store.get::<String>(PHOTOS_STORE, "e1").await,
        Ok(Some("照片一".to_owned()))
    );
    assert_eq!(
        store.get_blob(PHOTO_BLOBS_STORE, "e1/photo").await,
        Ok(Some(jpeg_like))
    );
    assert_eq!(
        store.get_blob(PHOTO_BLOBS_STORE, "e1/thumbnail").await,
        Ok(Some(Vec::new()))
    );
    assert_eq!(store.get_blob(PHOTO_BLOBS_STORE, "never").await, Ok(None));

    let removed = store
        .delete_with_blobs(
            PHOTOS_STORE,
            "e1",
            PHOTO_BLOBS_STORE,
            &["e1/photo", "e1/thumbnail", "never"],
        )
        .await;
    assert_eq!(removed, Ok(()));
    assert_eq!(store.get::<String>(PHOTOS_STORE, "e1").await, Ok(None));
    assert_eq!(
        store.get_blob(PHOTO_BLOBS_STORE, "e1/photo").await,
        Ok(None)
    );
    assert_eq!(
        store.get_blob(PHOTO_BLOBS_STORE, "e1/thumbnail").await,
        Ok(None)
    );
}

/// Runs every blob contract check on one store.
pub async fn check_blob_store(store: &impl BlobStore) {
    a_record_and_its_blobs_are_written_and_removed_together(store).await;
}

/// An [`super::AppStore`] that seals its values with `key` over `backend`: values and blobs round-trip; what the
/// backend holds is ciphertext (no name, token or photo byte readable), different at every write of the same value;
/// with another key nothing opens.
pub async fn check_sealed_store(
    backend: &super::Backend,
    key: super::crypto::DataKey,
    other_key: super::crypto::DataKey,
) {
    use super::AppStore;
    use super::schema::{META_STORE, PHOTO_BLOBS_STORE, PHOTOS_STORE};
    let owner = uuid::Uuid::from_u128(0x5ea1);
    let store = AppStore::sealed(backend.clone(), owner, key);
    check_all(&store).await;
    check_blob_store(&store).await;

    let session = sample_session();
    assert_eq!(store.put_meta("sealed", &session).await, Ok(()));
    assert_eq!(
        store.get_meta::<StoredSession>("sealed").await,
        Ok(Some(session.clone()))
    );
    let first = backend.get_raw(META_STORE, "sealed").await;
    let Ok(Some(first)) = first else {
        panic!("nothing stored: {first:?}");
    };
    for secret in ["王芳", "13800000001", "token-for-contract-tests", "\\u738b"] {
        assert!(!first.contains(secret), "{secret} readable in {first}");
    }
    assert_eq!(store.put_meta("sealed", &session).await, Ok(()));
    let second = backend.get_raw(META_STORE, "sealed").await;
    assert!(
        matches!(&second, Ok(Some(second)) if *second != first),
        "the same value sealed twice gave the same bytes"
    );

    let photo: Vec<u8> = (0..=255_u8).cycle().take(4096).collect();
    let blobs = [BlobValue {
        key: "s1/photo",
        bytes: &photo,
        mime_type: "image/jpeg",
    }];
    let written = store
        .put_with_blobs(PHOTOS_STORE, "s1", &"照片", PHOTO_BLOBS_STORE, &blobs)
        .await;
    assert_eq!(written, Ok(()));
    assert_eq!(
        store.get_blob(PHOTO_BLOBS_STORE, "s1/photo").await,
        Ok(Some(photo.clone()))
    );
    let raw_blob = backend.get_blob(PHOTO_BLOBS_STORE, "s1/photo").await;
    let Ok(Some(raw_blob)) = raw_blob else {
        panic!("no blob stored: {raw_blob:?}");
    };
    assert!(
        !raw_blob.windows(64).any(|window| window == &photo[..64]),
        "photo bytes readable"
    );

    let thief = AppStore::sealed(backend.clone(), owner, other_key);
    let stolen = thief.get_meta::<StoredSession>("sealed").await;
    assert!(matches!(stolen, Err(StoreError::Corrupt(_))), "{stolen:?}");
    let stolen = thief.get_blob(PHOTO_BLOBS_STORE, "s1/photo").await;
    assert!(matches!(stolen, Err(StoreError::Corrupt(_))), "{stolen:?}");
}

#[cfg(test)]
mod tests {
    use super::super::MemoryStore;

    #[test]
    fn a_sealing_app_store_meets_the_sealed_store_contract() {
        use super::super::crypto::DataKey;
        let backend = super::super::Backend::Memory(
            MemoryStore::default(),
            super::StoreError::Unavailable("test".into()),
        );
        futures::executor::block_on(super::check_sealed_store(
            &backend,
            DataKey::Test(7),
            DataKey::Test(8),
        ));
    }

    #[test]
    fn the_memory_store_meets_the_store_contract() {
        futures::executor::block_on(super::check_all(&MemoryStore::default()));
    }

    #[test]
    fn the_memory_store_meets_the_blob_store_contract() {
        futures::executor::block_on(super::check_blob_store(&MemoryStore::default()));
    }
}
