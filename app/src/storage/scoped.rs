//! [`AppStore`]: the store the pages use, scoped to one user.
//!
//! Every value it writes is wrapped in an [`Envelope`] naming its owner (the user's id, never a name or an ID
//! number); it reads only its owner's values. Values of another user stay on the phone untouched and invisible —
//! what a helper chose to keep for later (unsent outbox items and their photos, see [`super::account`]) waits there
//! until that helper logs in again. Keys stay as the layers above choose them (household ids, UUIDs), so they stay
//! queryable.

use super::blobs::{BlobStore, BlobValue};
use super::crypto::DataKey;
use super::{Backend, Store, StoreError, encode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The first bytes of a sealed blob (a JPEG starts with `FF D8`, so a photo stored before encryption is told apart).
const SEALED_BLOB_MAGIC: &[u8; 4] = b"ZFS1";

/// How a user's value is kept in the backend: the owner and the value's JSON text, sealed with the user's data key
/// (or, written before encryption at rest, plain until the migration seals it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Envelope {
    #[serde(rename = "zf_owner")]
    pub owner: Uuid,
    /// The value's JSON text, unencrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plain: Option<String>,
    /// Base64 of `iv ‖ ciphertext ‖ tag` of the value's JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<String>,
}

impl Envelope {
    /// The envelope stored as `json`; `None` for a value that is not one (written by the app before values had
    /// owners, or a phone-wide value such as the language).
    pub(crate) fn read(json: &str) -> Option<Envelope> {
        // Cheap test first: most phone-wide values are short strings.
        if !json.contains("\"zf_owner\"") {
            return None;
        }
        serde_json::from_str(json).ok()
    }

    pub(crate) fn plain(owner: Uuid, plain: String) -> Envelope {
        Envelope {
            owner,
            plain: Some(plain),
            sealed: None,
        }
    }
}

/// The phone's storage as one user sees it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppStore {
    inner: std::rc::Rc<Scope>,
}

#[derive(Debug)]
struct Scope {
    backend: Backend,
    owner: Uuid,
    /// The user's data key: values are written sealed with it. `None` only in tests and during migrations.
    key: Option<DataKey>,
}

impl AppStore {
    /// `owner`'s view of the phone's storage, writing values unencrypted (tests, and values of the app before
    /// encryption at rest).
    pub fn new(backend: Backend, owner: Uuid) -> AppStore {
        AppStore {
            inner: std::rc::Rc::new(Scope {
                backend,
                owner,
                key: None,
            }),
        }
    }

    /// `owner`'s view of the phone's storage, every value sealed with `key`.
    pub fn sealed(backend: Backend, owner: Uuid, key: DataKey) -> AppStore {
        AppStore {
            inner: std::rc::Rc::new(Scope {
                backend,
                owner,
                key: Some(key),
            }),
        }
    }

    /// Why the app is running without IndexedDB, if it is.
    pub fn degraded_reason(&self) -> Option<&StoreError> {
        self.inner.backend.degraded_reason()
    }

    /// The envelope for a value's JSON text.
    async fn wrap_text(&self, text: String) -> Result<Envelope, StoreError> {
        match &self.inner.key {
            None => Ok(Envelope::plain(self.inner.owner, text)),
            Some(key) => Ok(Envelope {
                owner: self.inner.owner,
                plain: None,
                sealed: Some(BASE64.encode(key.seal(text.as_bytes()).await?)),
            }),
        }
    }

    async fn wrap<T: Serialize>(&self, value: &T) -> Result<Envelope, StoreError> {
        self.wrap_text(encode(value)?).await
    }

    /// The value's JSON text if `json` is this owner's envelope; `Ok(None)` for anyone else's value.
    async fn unwrap(&self, key_name: &str, json: &str) -> Result<Option<String>, StoreError> {
        let Some(envelope) =
            Envelope::read(json).filter(|envelope| envelope.owner == self.inner.owner)
        else {
            return Ok(None);
        };
        match (envelope.sealed, envelope.plain, &self.inner.key) {
            (Some(sealed), _, Some(key)) => {
                let bytes = BASE64
                    .decode(sealed)
                    .map_err(|_| super::crypto::not_opened(key_name))?;
                let plain = key.open(key_name, &bytes).await?;
                String::from_utf8(plain)
                    .map(Some)
                    .map_err(|_| super::crypto::not_opened(key_name))
            }
            (Some(_), _, None) => Err(StoreError::Corrupt(format!(
                "{key_name}: encrypted, and the app is locked"
            ))),
            (None, Some(plain), _) => Ok(Some(plain)),
            (None, None, _) => Err(StoreError::Corrupt(format!(
                "{key_name}: an empty envelope"
            ))),
        }
    }

    /// Whether the value under `key` is this owner's (or missing): another user's value is never touched.
    async fn may_touch(&self, store: &str, key: &str) -> Result<bool, StoreError> {
        Ok(match self.inner.backend.get_raw(store, key).await? {
            None => true,
            Some(json) => {
                Envelope::read(&json).is_some_and(|envelope| envelope.owner == self.inner.owner)
            }
        })
    }

    /// Writes a value's JSON text as it is (sealed when the store has a key): for migrations, which must not
    /// change what they move.
    pub(crate) async fn put_text(
        &self,
        store: &str,
        key: &str,
        text: String,
    ) -> Result<(), StoreError> {
        let envelope = self.wrap_text(text).await?;
        self.inner.backend.put(store, key, &envelope).await
    }

    async fn seal_blob(&self, bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
        match &self.inner.key {
            None => Ok(bytes.to_vec()),
            Some(key) => {
                let mut sealed = SEALED_BLOB_MAGIC.to_vec();
                sealed.extend(key.seal(bytes).await?);
                Ok(sealed)
            }
        }
    }

    /// Writes a record's JSON text and its blobs (sealed when the store has a key) in one transaction: for the
    /// migration that seals photos stored before encryption at rest.
    pub(crate) async fn put_text_with_blobs(
        &self,
        store: &str,
        key: &str,
        text: String,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError> {
        let envelope = self.wrap_text(text).await?;
        let mut sealed = Vec::with_capacity(blobs.len());
        for blob in blobs {
            sealed.push(self.seal_blob(blob.bytes).await?);
        }
        let values: Vec<BlobValue<'_>> = blobs
            .iter()
            .zip(&sealed)
            .map(|(blob, bytes)| BlobValue { bytes, ..*blob })
            .collect();
        self.inner
            .backend
            .put_with_blobs(store, key, &envelope, blob_store, &values)
            .await
    }
}

/// Whether stored blob bytes are sealed (rather than a photo stored before encryption at rest).
pub(crate) fn is_sealed_blob(bytes: &[u8]) -> bool {
    bytes.starts_with(SEALED_BLOB_MAGIC)
}

impl Store for AppStore {
    async fn get_raw(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        match self.inner.backend.get_raw(store, key).await? {
            Some(json) => self.unwrap(key, &json).await,
            None => Ok(None),
        }
    }

    async fn put_json(&self, store: &str, key: &str, json: String) -> Result<(), StoreError> {
        self.put_text(store, key, json).await
    }

    async fn delete(&self, store: &str, key: &str) -> Result<(), StoreError> {
        if self.may_touch(store, key).await? {
            self.inner.backend.delete(store, key).await
        } else {
            Ok(())
        }
    }

    async fn get_all_raw(&self, store: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut entries = Vec::new();
        for (key, json) in self.inner.backend.get_all_raw(store).await? {
            if let Some(plain) = self.unwrap(&key, &json).await? {
                entries.push((key, plain));
            }
        }
        Ok(entries)
    }

    /// Replaces this owner's values of `store`; other users' values stay as they are.
    async fn replace_all<T: Serialize>(
        &self,
        store: &str,
        entries: &[(String, T)],
    ) -> Result<(), StoreError> {
        let mut all: Vec<(String, serde_json::Value)> = Vec::new();
        for (key, json) in self.inner.backend.get_all_raw(store).await? {
            let mine =
                Envelope::read(&json).is_some_and(|envelope| envelope.owner == self.inner.owner);
            if !mine && !entries.iter().any(|(new, _)| *new == key) {
                let value =
                    serde_json::from_str(&json).unwrap_or(serde_json::Value::String(json.clone()));
                all.push((key, value));
            }
        }
        for (key, value) in entries {
            let envelope = serde_json::to_value(self.wrap(value).await?)
                .map_err(|error| StoreError::Failed(format!("encoding: {error}")))?;
            all.push((key.clone(), envelope));
        }
        self.inner.backend.replace_all(store, &all).await
    }

    fn owner(&self) -> Option<Uuid> {
        Some(self.inner.owner)
    }
}

impl BlobStore for AppStore {
    async fn put_with_blobs<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError> {
        self.put_text_with_blobs(store, key, encode(value)?, blob_store, blobs)
            .await
    }

    async fn get_blob(&self, blob_store: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(bytes) = self.inner.backend.get_blob(blob_store, key).await? else {
            return Ok(None);
        };
        match (&self.inner.key, is_sealed_blob(&bytes)) {
            (Some(data_key), true) => data_key
                .open(key, &bytes[SEALED_BLOB_MAGIC.len()..])
                .await
                .map(Some),
            (None, true) => Err(StoreError::Corrupt(format!(
                "{key}: encrypted, and the app is locked"
            ))),
            // Stored before encryption at rest; the migration seals it at the first unlock.
            (_, false) => Ok(Some(bytes)),
        }
    }

    async fn delete_with_blobs(
        &self,
        store: &str,
        key: &str,
        blob_store: &str,
        blob_keys: &[&str],
    ) -> Result<(), StoreError> {
        if self.may_touch(store, key).await? {
            self.inner
                .backend
                .delete_with_blobs(store, key, blob_store, blob_keys)
                .await
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MemoryStore;
    use super::super::schema::{HOUSEHOLDS_STORE, OUTBOX_STORE};
    use super::*;
    use futures::executor::block_on;

    fn backend() -> Backend {
        Backend::Memory(
            MemoryStore::default(),
            StoreError::Unavailable("test".into()),
        )
    }

    #[test]
    fn an_app_store_meets_the_store_contract() {
        let store = AppStore::new(backend(), Uuid::from_u128(1));
        block_on(super::super::contract::check_all(&store));
        block_on(super::super::contract::check_blob_store(&store));
    }

    #[test]
    fn one_user_never_sees_nor_removes_another_users_values() {
        block_on(async {
            let backend = backend();
            let wang = AppStore::new(backend.clone(), Uuid::from_u128(1));
            let li = AppStore::new(backend.clone(), Uuid::from_u128(2));
            assert_eq!(wang.put(OUTBOX_STORE, "item", &"王芳的记录").await, Ok(()));
            assert_eq!(li.get::<String>(OUTBOX_STORE, "item").await, Ok(None));
            assert_eq!(li.get_all_raw(OUTBOX_STORE).await, Ok(vec![]));
            assert_eq!(li.delete(OUTBOX_STORE, "item").await, Ok(()));
            let entries = vec![("h".to_owned(), 1_u32)];
            assert_eq!(wang.replace_all(HOUSEHOLDS_STORE, &entries).await, Ok(()));
            let none: Vec<(String, u32)> = Vec::new();
            assert_eq!(li.replace_all(HOUSEHOLDS_STORE, &none).await, Ok(()));
            assert_eq!(
                wang.get::<String>(OUTBOX_STORE, "item").await,
                Ok(Some("王芳的记录".to_owned()))
            );
            assert_eq!(wang.get::<u32>(HOUSEHOLDS_STORE, "h").await, Ok(Some(1)));
        });
    }
}
