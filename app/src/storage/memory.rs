//! An in-memory [`Store`]: the fallback when IndexedDB is unavailable, and the native test double.

use super::blobs::{BlobStore, BlobValue};
use super::{Store, StoreError, encode};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Blob stores by name, each a map of key to bytes.
type BlobStores = BTreeMap<String, BTreeMap<String, Vec<u8>>>;

/// Stores by name, each a sorted map of key to JSON text — the same text IndexedDB would hold — and blob stores
/// by name, each a map of key to bytes.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    stores: Rc<RefCell<BTreeMap<String, BTreeMap<String, String>>>>,
    blobs: Rc<RefCell<BlobStores>>,
}

#[cfg(test)]
impl MemoryStore {
    /// Stores `json` as it is, unchecked: what a damaged or foreign value looks like to the app.
    pub(crate) fn put_raw(&self, store: &str, key: &str, json: &str) {
        self.stores
            .borrow_mut()
            .entry(store.to_owned())
            .or_default()
            .insert(key.to_owned(), json.to_owned());
    }
}

impl Store for MemoryStore {
    async fn get_raw(&self, store: &str, key: &str) -> Result<Option<String>, StoreError> {
        let stores = self.stores.borrow();
        Ok(stores
            .get(store)
            .and_then(|entries| entries.get(key))
            .cloned())
    }

    async fn put_json(&self, store: &str, key: &str, json: String) -> Result<(), StoreError> {
        self.stores
            .borrow_mut()
            .entry(store.to_owned())
            .or_default()
            .insert(key.to_owned(), json);
        Ok(())
    }

    async fn delete(&self, store: &str, key: &str) -> Result<(), StoreError> {
        if let Some(entries) = self.stores.borrow_mut().get_mut(store) {
            entries.remove(key);
        }
        Ok(())
    }

    async fn get_all_raw(&self, store: &str) -> Result<Vec<(String, String)>, StoreError> {
        let stores = self.stores.borrow();
        Ok(stores
            .get(store)
            .map(|entries| {
                entries
                    .iter()
                    .map(|(key, json)| (key.clone(), json.clone()))
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn replace_all<T: Serialize>(
        &self,
        store: &str,
        entries: &[(String, T)],
    ) -> Result<(), StoreError> {
        let mut encoded = BTreeMap::new();
        for (key, value) in entries {
            encoded.insert(key.clone(), encode(value)?);
        }
        self.stores.borrow_mut().insert(store.to_owned(), encoded);
        Ok(())
    }
}

impl BlobStore for MemoryStore {
    async fn put_with_blobs<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError> {
        // Encode first: a value that cannot be encoded leaves both maps untouched, as a failed transaction would.
        let json = encode(value)?;
        self.stores
            .borrow_mut()
            .entry(store.to_owned())
            .or_default()
            .insert(key.to_owned(), json);
        let mut all_blobs = self.blobs.borrow_mut();
        let entries = all_blobs.entry(blob_store.to_owned()).or_default();
        for blob in blobs {
            entries.insert(blob.key.to_owned(), blob.bytes.to_vec());
        }
        Ok(())
    }

    async fn get_blob(&self, blob_store: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .blobs
            .borrow()
            .get(blob_store)
            .and_then(|entries| entries.get(key))
            .cloned())
    }

    async fn delete_with_blobs(
        &self,
        store: &str,
        key: &str,
        blob_store: &str,
        blob_keys: &[&str],
    ) -> Result<(), StoreError> {
        if let Some(entries) = self.stores.borrow_mut().get_mut(store) {
            entries.remove(key);
        }
        if let Some(entries) = self.blobs.borrow_mut().get_mut(blob_store) {
            for blob_key in blob_keys {
                entries.remove(*blob_key);
            }
        }
        Ok(())
    }
}
