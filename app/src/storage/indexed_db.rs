//! The IndexedDB [`Store`], through indexed_db_futures.

use super::blobs::{BlobShape, BlobStore, BlobValue, stored_bytes, stored_value};
use super::schema::{self, SCHEMA_VERSION};
use super::{Store, StoreError, encode};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{DomException, Error as IdbError, OpenDbError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::Serialize;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// An open connection to the app's database.
#[derive(Debug, Clone)]
pub struct IndexedDbStore {
    database: Rc<Database>,
    /// How blobs are written; always [`BlobShape::Bytes`] in the app.
    blob_shape: BlobShape,
}

impl IndexedDbStore {
    /// Opens (creating or upgrading) the database `name` at [`SCHEMA_VERSION`].
    ///
    /// If another tab keeps an older version open, the browser holds the upgrade back; that is
    /// reported as [`StoreError::UpgradeBlocked`] rather than a silent wait.
    pub async fn open(name: &str) -> Result<IndexedDbStore, StoreError> {
        let blocked = Rc::new(Cell::new(false));
        let blocked_flag = blocked.clone();
        let open = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_blocked(move |_event| {
                blocked_flag.set(true);
                Ok(())
            })
            .with_on_upgrade_needed(|event, database| {
                // Versions are whole numbers we chose; the float is the DOM's representation.
                let old_version = event.old_version() as u32;
                for migration in schema::migrations_after(old_version) {
                    for store in migration.creates_stores {
                        database.create_object_store(*store).build()?;
                    }
                }
                Ok(())
            });
        match open.await {
            Ok(database) => Ok(IndexedDbStore {
                database: Rc::new(database),
                blob_shape: BlobShape::default(),
            }),
            Err(_) if blocked.get() => Err(StoreError::UpgradeBlocked),
            Err(error) => Err(open_error(error)),
        }
    }

    /// Deletes the database `name` (tests only use this to start clean).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)
            .map_err(open_error)?
            .await
            .map_err(store_error)
    }

    /// The same connection, writing blobs in `shape`. Only tests and the benchmark write
    /// [`BlobShape::Blob`], to stand for a phone that ran the app of schema version 3.
    #[doc(hidden)]
    pub fn writing_blobs_as(self, shape: BlobShape) -> IndexedDbStore {
        IndexedDbStore {
            blob_shape: shape,
            ..self
        }
    }

    /// Closes the connection so that another open (e.g. an upgrade) is not blocked by this one.
    pub fn close(self) {
        if let Ok(database) = Rc::try_unwrap(self.database) {
            database.close();
        }
    }
}

impl IndexedDbStore {
    fn transaction(
        &self,
        store: &str,
        mode: TransactionMode,
    ) -> Result<indexed_db_futures::transaction::Transaction<'_>, StoreError> {
        self.database
            .transaction(store)
            .with_mode(mode)
            .build()
            .map_err(store_error)
    }
}

impl Store for IndexedDbStore {
    async fn get_raw(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        let transaction = self.transaction(store, TransactionMode::Readonly)?;
        let object_store = transaction.object_store(store).map_err(store_error)?;
        let value: Option<JsValue> = object_store
            .get(key)
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        Ok(value.map(|value| as_json_text(&value)))
    }

    async fn put_json(&self, store: &str, key: &str, json: String) -> Result<(), StoreError> {
        let transaction = self.transaction(store, TransactionMode::Readwrite)?;
        let object_store = transaction.object_store(store).map_err(store_error)?;
        // The request is made here; its outcome is the transaction's: a put that fails aborts it, and the commit
        // below reports that. Asking for the commit at once, instead of after the request's success event, saves
        // a turn of the event loop on every autosave.
        let _request = object_store
            .put(json)
            .with_key(key.to_owned())
            .primitive()
            .map_err(store_error)?;
        // The write counts only once the transaction has committed (a quota error can surface here).
        transaction.commit().await.map_err(store_error)
    }

    async fn delete(&self, store: &str, key: &str) -> Result<(), StoreError> {
        let transaction = self.transaction(store, TransactionMode::Readwrite)?;
        let object_store = transaction.object_store(store).map_err(store_error)?;
        object_store
            .delete(key)
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        transaction.commit().await.map_err(store_error)
    }

    async fn get_all_raw(&self, store: &str) -> Result<Vec<(String, String)>, StoreError> {
        let transaction = self.transaction(store, TransactionMode::Readonly)?;
        let object_store = transaction.object_store(store).map_err(store_error)?;
        // Keys and values of one read-only transaction come back in the same (key) order.
        let keys = object_store
            .get_all_keys::<String>()
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        let values = object_store
            .get_all::<JsValue>()
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        let mut entries = Vec::new();
        for (key, value) in keys.zip(values) {
            let key = key.map_err(store_error)?;
            let value = value.map_err(store_error)?;
            entries.push((key, as_json_text(&value)));
        }
        Ok(entries)
    }

    async fn replace_all<T: Serialize>(
        &self,
        store: &str,
        entries: &[(String, T)],
    ) -> Result<(), StoreError> {
        let encoded = entries
            .iter()
            .map(|(key, value)| Ok((key.clone(), encode(value)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let transaction = self.transaction(store, TransactionMode::Readwrite)?;
        let object_store = transaction.object_store(store).map_err(store_error)?;
        object_store
            .clear()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        for (key, json) in encoded {
            object_store
                .put(json)
                .with_key(key)
                .primitive()
                .map_err(store_error)?
                .await
                .map_err(store_error)?;
        }
        transaction.commit().await.map_err(store_error)
    }
}

impl BlobStore for IndexedDbStore {
    async fn put_with_blobs<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError> {
        let json = encode(value)?;
        // Build the stored values before the transaction starts: a transaction commits by itself as soon as
        // it has no pending request, so nothing but IndexedDB requests may be awaited inside it.
        let blob_values = blobs
            .iter()
            .map(|blob| {
                Ok((
                    blob.key.to_owned(),
                    stored_value(blob.bytes, blob.mime_type, self.blob_shape)?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let transaction = self
            .database
            .transaction([store, blob_store])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(store_error)?;
        let records = transaction.object_store(store).map_err(store_error)?;
        let blob_records = transaction.object_store(blob_store).map_err(store_error)?;
        for (blob_key, value) in blob_values {
            blob_records
                .put(value)
                .with_key(blob_key)
                .primitive()
                .map_err(store_error)?
                .await
                .map_err(store_error)?;
        }
        records
            .put(json)
            .with_key(key.to_owned())
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        transaction.commit().await.map_err(store_error)
    }

    async fn get_blob(&self, blob_store: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let blob: Option<wasm_bindgen::JsValue> = {
            let transaction = self.transaction(blob_store, TransactionMode::Readonly)?;
            let object_store = transaction.object_store(blob_store).map_err(store_error)?;
            object_store
                .get(key)
                .primitive()
                .map_err(store_error)?
                .await
                .map_err(store_error)?
        };
        let Some(value) = blob.filter(|value| !value.is_undefined() && !value.is_null()) else {
            return Ok(None);
        };
        stored_bytes(key, value).await.map(Some)
    }

    async fn delete_with_blobs(
        &self,
        store: &str,
        key: &str,
        blob_store: &str,
        blob_keys: &[&str],
    ) -> Result<(), StoreError> {
        let transaction = self
            .database
            .transaction([store, blob_store])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(store_error)?;
        let records = transaction.object_store(store).map_err(store_error)?;
        let blob_records = transaction.object_store(blob_store).map_err(store_error)?;
        for blob_key in blob_keys {
            blob_records
                .delete(*blob_key)
                .primitive()
                .map_err(store_error)?
                .await
                .map_err(store_error)?;
        }
        records
            .delete(key)
            .primitive()
            .map_err(store_error)?
            .await
            .map_err(store_error)?;
        transaction.commit().await.map_err(store_error)
    }
}

fn open_error(error: OpenDbError) -> StoreError {
    match error {
        OpenDbError::UnsupportedEnvironment | OpenDbError::NullFactory => {
            StoreError::Unavailable(error.to_string())
        }
        OpenDbError::Base(inner) => match store_error(inner) {
            // An open that fails outright (private mode in some browsers, disabled storage) means
            // IndexedDB cannot be used at all.
            StoreError::Failed(message) => StoreError::Unavailable(message),
            other => other,
        },
        other => StoreError::Unavailable(other.to_string()),
    }
}

/// The JSON text of a stored value. The app stores only JSON text; anything else (written by an older or a
/// foreign script) is turned into JSON here, so it still reads as a value that does not decode rather than as a
/// failing store.
fn as_json_text(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

fn store_error(error: IdbError) -> StoreError {
    match error {
        IdbError::DomException(exception) => dom_exception_error(&exception),
        IdbError::Serialisation(inner) => StoreError::Corrupt(inner.to_string()),
        other => StoreError::Failed(other.to_string()),
    }
}

fn dom_exception_error(exception: &DomException) -> StoreError {
    let sys = exception.as_sys();
    match sys.name().as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded,
        name => StoreError::Failed(format!("{name}: {}", sys.message())),
    }
}
