//! The only code that touches IndexedDB: the schema, its migrations and typed access to what the app keeps.
//!
//! Everything above this module talks to the [`Store`] trait, so the same contract holds for the
//! IndexedDB store in the browser and the in-memory store used where IndexedDB is missing.

#[doc(hidden)]
pub mod contract;
mod indexed_db;
mod memory;
pub mod schema;

pub use indexed_db::IndexedDbStore;
pub use memory::MemoryStore;

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

/// What the app keeps on the phone. Methods are `async` and not `Send`: browser futures live on one thread.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Reads one value of the `meta` store; `Ok(None)` when it was never written.
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError>;
    /// Writes one value of the `meta` store, replacing what was there.
    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError>;
    /// Removes one value of the `meta` store; removing a missing key is not an error.
    async fn delete_meta(&self, key: &str) -> Result<(), StoreError>;
}

/// The store the app runs on: IndexedDB when the browser has it, memory otherwise (with the reason kept,
/// so the UI can say that nothing will survive a reload).
#[derive(Clone)]
pub enum AppStore {
    IndexedDb(IndexedDbStore),
    Memory(MemoryStore, StoreError),
}

impl std::fmt::Debug for AppStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppStore::IndexedDb(_) => f.write_str("AppStore::IndexedDb"),
            AppStore::Memory(_, reason) => write!(f, "AppStore::Memory({reason})"),
        }
    }
}

impl AppStore {
    /// Opens IndexedDB, falling back to memory with the reason when it cannot be opened.
    pub async fn open() -> AppStore {
        match IndexedDbStore::open(schema::DATABASE_NAME).await {
            Ok(store) => AppStore::IndexedDb(store),
            Err(error) => AppStore::Memory(MemoryStore::default(), error),
        }
    }

    /// Why the app is running without IndexedDB, if it is.
    pub fn degraded_reason(&self) -> Option<&StoreError> {
        match self {
            AppStore::IndexedDb(_) => None,
            AppStore::Memory(_, reason) => Some(reason),
        }
    }
}

impl Store for AppStore {
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        match self {
            AppStore::IndexedDb(store) => store.get_meta(key).await,
            AppStore::Memory(store, _) => store.get_meta(key).await,
        }
    }

    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        match self {
            AppStore::IndexedDb(store) => store.put_meta(key, value).await,
            AppStore::Memory(store, _) => store.put_meta(key, value).await,
        }
    }

    async fn delete_meta(&self, key: &str) -> Result<(), StoreError> {
        match self {
            AppStore::IndexedDb(store) => store.delete_meta(key).await,
            AppStore::Memory(store, _) => store.delete_meta(key).await,
        }
    }
}
