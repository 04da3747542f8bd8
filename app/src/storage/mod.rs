//! The only code that touches IndexedDB: the schema, its migrations and typed access to what the app keeps.
//!
//! Everything above this module talks to the [`Store`] trait, so the same contract holds for the
//! IndexedDB store in the browser and the in-memory store used where IndexedDB is missing.

pub mod account;
pub mod blobs;
#[doc(hidden)]
pub mod contract;
pub mod crypto;
pub mod delivery;
pub mod draft_format;
pub mod draft_writer;
mod indexed_db;
pub mod lock;
mod memory;
pub mod night_school;
pub mod photo_cache;
pub mod photos;
pub mod records;
pub mod review_queue;
pub mod schema;
mod scoped;
pub mod village_digest;

pub use blobs::BlobStore;
pub use indexed_db::IndexedDbStore;
pub use memory::MemoryStore;
pub use scoped::AppStore;

use serde::{Serialize, de::DeserializeOwned};
use zoufang_domain::protocol::UserProfile;

/// Why a storage operation failed, in terms the person holding the phone can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// IndexedDB is missing or refused (some private-browsing modes, locked-down WebViews).
    #[error("IndexedDB is unavailable: {0}")]
    Unavailable(String),
    /// Another open tab holds an older version of the database and blocks the upgrade.
    #[error("another Zoufang tab is open with an older version")]
    UpgradeBlocked,
    /// The browser refused to store more.
    #[error("the phone's storage for this app is full")]
    QuotaExceeded,
    /// A stored value no longer matches the shape the app expects.
    #[error("a stored value could not be read: {0}")]
    Corrupt(String),
    /// Anything else the browser reported.
    #[error("storage failed: {0}")]
    Failed(String),
}

/// Keys of the `meta` object store.
pub mod meta_keys {
    /// The logged-in user and their token: [`super::StoredSession`].
    pub const SESSION: &str = "session";
    /// The language chosen in 我的: "zh-CN" or "en".
    pub const LOCALE: &str = "locale";
}

/// The login kept on the phone so the app opens logged in without a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StoredSession {
    pub token: String,
    /// RFC 3339; after it the server answers 401 and the app asks for the password again.
    pub expires_at: String,
    pub user: UserProfile,
}

/// What the app keeps on the phone: named object stores of JSON values under string keys.
///
/// Values are stored as JSON text rather than as structured JS objects: one string crosses into
/// IndexedDB per write, which keeps a 20-member household's autosave cheap, and the in-memory store
/// reads exactly what IndexedDB would. Methods are `async` and not `Send`: browser futures live on one
/// thread.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Reads the JSON text of one value, as stored, without decoding it; `Ok(None)` when the key was never
    /// written. For values that may no longer decode (a damaged draft is kept aside with its text).
    async fn get_raw(&self, store: &str, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes one value given as its JSON text (already encoded, e.g. by
    /// [`draft_writer::DraftWriter`]), replacing what was there, and waits until it is committed.
    async fn put_json(&self, store: &str, key: &str, json: String) -> Result<(), StoreError>;
    /// Removes one value; removing a missing key is not an error.
    async fn delete(&self, store: &str, key: &str) -> Result<(), StoreError>;
    /// Every key and the JSON text of its value, in key order, without decoding.
    async fn get_all_raw(&self, store: &str) -> Result<Vec<(String, String)>, StoreError>;
    /// Replaces the whole content of a store with `entries`, in one transaction: all or nothing.
    async fn replace_all<T: Serialize>(
        &self,
        store: &str,
        entries: &[(String, T)],
    ) -> Result<(), StoreError>;

    /// Writes one value, replacing what was there, and waits until it is committed.
    async fn put<T: Serialize>(&self, store: &str, key: &str, value: &T) -> Result<(), StoreError> {
        self.put_json(store, key, encode(value)?).await
    }

    /// Reads one value; `Ok(None)` when the key was never written.
    async fn get<T: DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        self.get_raw(store, key)
            .await?
            .map(|json| decode(key, &json))
            .transpose()
    }
    /// Every key and value of a store, in key order.
    async fn get_all<T: DeserializeOwned>(
        &self,
        store: &str,
    ) -> Result<Vec<(String, T)>, StoreError> {
        self.get_all_raw(store)
            .await?
            .into_iter()
            .map(|(key, json)| {
                let value = decode(&key, &json)?;
                Ok((key, value))
            })
            .collect()
    }

    /// Reads one value of the `meta` store.
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.get(schema::META_STORE, key).await
    }
    /// Writes one value of the `meta` store.
    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.put(schema::META_STORE, key, value).await
    }
    /// Removes one value of the `meta` store.
    async fn delete_meta(&self, key: &str) -> Result<(), StoreError> {
        self.delete(schema::META_STORE, key).await
    }

    /// The user whose values this store reads and writes, when it is scoped to one ([`AppStore`]).
    fn owner(&self) -> Option<uuid::Uuid> {
        None
    }
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Failed(format!("encoding: {error}")))
}

pub(crate) fn decode<T: DeserializeOwned>(key: &str, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|error| StoreError::Corrupt(format!("{key}: {error}")))
}

/// Where the phone's values physically go: IndexedDB when the browser has it, memory otherwise (with the reason
/// kept, so the UI can say that nothing will survive a reload). The app's pages never use it directly: they get an
/// [`AppStore`], which scopes every value to one user.
#[derive(Clone)]
pub enum Backend {
    IndexedDb(IndexedDbStore),
    Memory(MemoryStore, StoreError),
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backend::IndexedDb(_) => f.write_str("Backend::IndexedDb"),
            Backend::Memory(_, reason) => write!(f, "Backend::Memory({reason})"),
        }
    }
}

impl Backend {
    /// Opens IndexedDB, falling back to memory with the reason when it cannot be opened.
    pub async fn open() -> Backend {
        match IndexedDbStore::open(schema::DATABASE_NAME).await {
            Ok(store) => Backend::IndexedDb(store),
            Err(error) => Backend::Memory(MemoryStore::default(), error),
        }
    }

    /// Why the app is running without IndexedDB, if it is.
    pub fn degraded_reason(&self) -> Option<&StoreError> {
        match self {
            Backend::IndexedDb(_) => None,
            Backend::Memory(_, reason) => Some(reason),
        }
    }
}

impl Store for Backend {
    async fn get_raw(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.get_raw(store, key).await,
            Backend::Memory(inner, _) => inner.get_raw(store, key).await,
        }
    }

    async fn put_json(&self, store: &str, key: &str, json: String) -> Result<(), StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.put_json(store, key, json).await,
            Backend::Memory(inner, _) => inner.put_json(store, key, json).await,
        }
    }

    async fn delete(&self, store: &str, key: &str) -> Result<(), StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.delete(store, key).await,
            Backend::Memory(inner, _) => inner.delete(store, key).await,
        }
    }

    async fn get_all_raw(&self, store: &str) -> Result<Vec<(String, String)>, StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.get_all_raw(store).await,
            Backend::Memory(inner, _) => inner.get_all_raw(store).await,
        }
    }

    async fn replace_all<T: Serialize>(
        &self,
        store: &str,
        entries: &[(String, T)],
    ) -> Result<(), StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.replace_all(store, entries).await,
            Backend::Memory(inner, _) => inner.replace_all(store, entries).await,
        }
    }
}
