//! An in-memory [`Store`]: the fallback when IndexedDB is unavailable, and the native test double.

use super::{Store, StoreError};
use serde::{Serialize, de::DeserializeOwned};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Values are kept as JSON so reads go through the same (de)serialisation as the real store.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    meta: Rc<RefCell<BTreeMap<String, String>>>,
}

impl Store for MemoryStore {
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let meta = self.meta.borrow();
        match meta.get(key) {
            None => Ok(None),
            Some(json) => serde_json::from_str(json)
                .map(Some)
                .map_err(|error| StoreError::Corrupt(format!("{key}: {error}"))),
        }
    }

    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(value).map_err(|error| StoreError::Failed(error.to_string()))?;
        self.meta.borrow_mut().insert(key.to_owned(), json);
        Ok(())
    }

    async fn delete_meta(&self, key: &str) -> Result<(), StoreError> {
        self.meta.borrow_mut().remove(key);
        Ok(())
    }
}
