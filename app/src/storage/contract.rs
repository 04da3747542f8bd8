//! The behaviour every [`Store`] must have. Run natively against [`super::MemoryStore`] and in headless
//! Chromium against [`super::IndexedDbStore`], so the fallback and the real store cannot drift apart.

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

/// Runs every contract check in order on one store.
pub async fn check_all(store: &impl Store) {
    a_missing_key_reads_as_none(store).await;
    a_written_session_reads_back_equal(store).await;
    the_last_write_wins(store).await;
    delete_removes_and_is_idempotent(store).await;
    a_value_of_another_shape_is_corrupt(store).await;
}

#[cfg(test)]
mod tests {
    use super::super::MemoryStore;

    #[test]
    fn the_memory_store_meets_the_store_contract() {
        futures::executor::block_on(super::check_all(&MemoryStore::default()));
    }
}
