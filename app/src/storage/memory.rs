//! An in-memory [`Store`]: the fallback when IndexedDB is unavailable, and the native test double.

use super::{Store, StoreError, decode, encode};
use serde::{Serialize, de::DeserializeOwned};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Stores by name, each a sorted map of key to JSON text — the same text IndexedDB would hold.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    stores: Rc<RefCell<BTreeMap<String, BTreeMap<String, String>>>>,
}

impl Store for MemoryStore {
    async fn get<T: DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let stores = self.stores.borrow();
        match stores.get(store).and_then(|entries| entries.get(key)) {
            None => Ok(None),
            Some(json) => decode(key, json).map(Some),
        }
    }

    async fn put<T: Serialize>(&self, store: &str, key: &str, value: &T) -> Result<(), StoreError> {
        let json = encode(value)?;
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

    async fn get_all<T: DeserializeOwned>(
        &self,
        store: &str,
    ) -> Result<Vec<(String, T)>, StoreError> {
        let stores = self.stores.borrow();
        let Some(entries) = stores.get(store) else {
            return Ok(Vec::new());
        };
        entries
            .iter()
            .map(|(key, json)| Ok((key.clone(), decode(key, json)?)))
            .collect()
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
