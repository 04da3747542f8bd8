//! Binary values (photos) kept next to a JSON record: the record and its blobs are written and removed in one
//! transaction, so the phone never holds a photo without its metadata or metadata without its photo.
//!
//! In IndexedDB a blob is stored as an `ArrayBuffer` of its bytes ([`BlobShape::Bytes`]): WebKit refuses `Blob`
//! values in the IndexedDB of an ephemeral session (Safari's private browsing, some in-app browsers, WebKitGTK's
//! automation) with "UnknownError: Error preparing Blob/File data to be stored in object store", while bytes work
//! everywhere, and in Chromium a 200 KB photo stores and loads as bytes within a fraction of a millisecond of a
//! `Blob` (`app/tests/photo_store_browser.rs` measures both: ~3.5 ms to store, ~2 ms to load). The app of
//! schema version 3 stored `Blob` values ([`BlobShape::Blob`]); those stay as they are and are read like bytes, so
//! no migration rewrites photos. The in-memory store keeps the bytes. All read back the same bytes, which the
//! contract (`contract::check_blob_store`) pins.

use super::{Backend, Store, StoreError};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One blob to write: its key in the blob store, its bytes and their MIME type (e.g. `image/jpeg`).
#[derive(Debug, Clone, Copy)]
pub struct BlobValue<'a> {
    pub key: &'a str,
    pub bytes: &'a [u8],
    pub mime_type: &'a str,
}

/// How a blob's bytes are written into IndexedDB. Reading accepts both shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlobShape {
    /// An `ArrayBuffer` holding the bytes: what the app writes.
    #[default]
    Bytes,
    /// A `Blob` with a MIME type: what the app of schema version 3 wrote, refused by WebKit's ephemeral
    /// IndexedDB. Written now only by tests and the benchmark, to stand for a phone that ran that version.
    Blob,
}

/// A [`Store`] that also keeps blobs.
#[allow(async_fn_in_trait)]
pub trait BlobStore: Store {
    /// Writes `value` (JSON, as [`Store::put`]) under `key` in `store` and every blob in `blob_store`, in one
    /// transaction: afterwards either all of them are on the phone or none is.
    async fn put_with_blobs<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError>;
    /// The bytes of one blob; `Ok(None)` when the key was never written.
    async fn get_blob(&self, blob_store: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Removes the record `key` of `store` and the blobs `blob_keys` of `blob_store` in one transaction. Missing
    /// keys are not an error.
    async fn delete_with_blobs(
        &self,
        store: &str,
        key: &str,
        blob_store: &str,
        blob_keys: &[&str],
    ) -> Result<(), StoreError>;
}

impl BlobStore for Backend {
    async fn put_with_blobs<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
        blob_store: &str,
        blobs: &[BlobValue<'_>],
    ) -> Result<(), StoreError> {
        match self {
            Backend::IndexedDb(inner) => {
                inner
                    .put_with_blobs(store, key, value, blob_store, blobs)
                    .await
            }
            Backend::Memory(inner, _) => {
                inner
                    .put_with_blobs(store, key, value, blob_store, blobs)
                    .await
            }
        }
    }

    async fn get_blob(&self, blob_store: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Backend::IndexedDb(inner) => inner.get_blob(blob_store, key).await,
            Backend::Memory(inner, _) => inner.get_blob(blob_store, key).await,
        }
    }

    async fn delete_with_blobs(
        &self,
        store: &str,
        key: &str,
        blob_store: &str,
        blob_keys: &[&str],
    ) -> Result<(), StoreError> {
        match self {
            Backend::IndexedDb(inner) => {
                inner
                    .delete_with_blobs(store, key, blob_store, blob_keys)
                    .await
            }
            Backend::Memory(inner, _) => {
                inner
                    .delete_with_blobs(store, key, blob_store, blob_keys)
                    .await
            }
        }
    }
}

/// Reads a browser `Blob` into bytes. Uses `Blob.arrayBuffer()` where it exists and `Response.arrayBuffer()`
/// elsewhere (Safari before 14 lacks the former).
pub async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, StoreError> {
    let has_array_buffer = js_sys::Reflect::get(blob, &"arrayBuffer".into())
        .map(|method| method.is_function())
        .unwrap_or(false);
    let promise = if has_array_buffer {
        blob.array_buffer()
    } else {
        web_sys::Response::new_with_opt_blob(Some(blob))
            .and_then(|response| response.array_buffer())
            .map_err(|error| StoreError::Failed(js_message(&error)))?
    };
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|error| StoreError::Failed(js_message(&error)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The JS value stored for `bytes` in the given shape. The bytes are copied out of wasm memory here, before any
/// transaction starts.
pub(crate) fn stored_value(
    bytes: &[u8],
    mime_type: &str,
    shape: BlobShape,
) -> Result<wasm_bindgen::JsValue, StoreError> {
    match shape {
        // A fresh Uint8Array owns a buffer of exactly these bytes; storing the buffer keeps no view offsets.
        BlobShape::Bytes => Ok(js_sys::Uint8Array::from(bytes).buffer().into()),
        BlobShape::Blob => bytes_to_blob(bytes, mime_type).map(Into::into),
    }
}

/// The bytes of a value read from a blob store, whichever shape it was written in: an `ArrayBuffer` (this app),
/// a typed array, or a `Blob` (the app of schema version 3).
pub(crate) async fn stored_bytes(
    key: &str,
    value: wasm_bindgen::JsValue,
) -> Result<Vec<u8>, StoreError> {
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(js_sys::Uint8Array::new(&value).to_vec());
    }
    if let Some(view) = value.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(view.to_vec());
    }
    match value.dyn_into::<web_sys::Blob>() {
        // Reading a Blob's bytes may happen after its transaction: the handle stays valid on its own.
        Ok(blob) => blob_bytes(&blob).await,
        Err(_) => Err(StoreError::Corrupt(format!(
            "{key}: neither bytes nor a Blob"
        ))),
    }
}

/// A browser `Blob` holding `bytes` with the given MIME type.
pub fn bytes_to_blob(bytes: &[u8], mime_type: &str) -> Result<web_sys::Blob, StoreError> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|error| StoreError::Failed(js_message(&error)))
}

/// The message of a thrown JS value (an `Error`'s name and message, or its string form).
pub(crate) fn js_message(value: &wasm_bindgen::JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        format!("{}: {}", error.name(), error.message())
    } else {
        value.as_string().unwrap_or_else(|| format!("{value:?}"))
    }
}
