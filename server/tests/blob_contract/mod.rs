//! What every blob store must do, run against the photo directory (`photo_blobs.rs`) and a real S3-compatible server
//! (`s3_blobs.rs`).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use zoufang_server::blobs::{BlobError, BlobKey, BlobStore};

fn photo(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    let mut state = u32::from(seed) | 0x5EED_0000;
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    bytes
}

/// Put, read back, write again, refuse bytes under another name, delete, and absent keys.
pub async fn check(store: &dyn BlobStore) {
    let bytes = photo(1, 200 * 1024);
    let key = BlobKey::of(&bytes);
    assert!(!store.contains(&key).await.unwrap());
    assert_eq!(store.get(&key).await.unwrap(), None);

    store.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    assert!(store.contains(&key).await.unwrap());
    assert_eq!(
        store.get(&key).await.unwrap().as_deref(),
        Some(bytes.as_slice())
    );
    // The same bytes again: harmless.
    store.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    assert_eq!(
        store.get(&key).await.unwrap().as_deref(),
        Some(bytes.as_slice())
    );

    // Bytes that do not hash to the key are refused, and nothing is stored under it.
    let other = photo(2, 1_000);
    let other_key = BlobKey::of(&other);
    let mut cut = other.clone();
    cut.truncate(500);
    let refused = store.put(&other_key, Bytes::from(cut)).await;
    assert!(
        matches!(refused, Err(BlobError::HashMismatch { .. })),
        "{refused:?}"
    );
    assert!(!store.contains(&other_key).await.unwrap());

    // An empty photo is a photo too (the store does not judge formats).
    let empty_key = BlobKey::of(b"");
    store.put(&empty_key, Bytes::new()).await.unwrap();
    assert_eq!(
        store.get(&empty_key).await.unwrap().as_deref(),
        Some(&b""[..])
    );

    store.delete(&key).await.unwrap();
    assert!(!store.contains(&key).await.unwrap());
    assert_eq!(store.get(&key).await.unwrap(), None);
    // Deleting what is absent is not an error.
    store.delete(&key).await.unwrap();
    store.delete(&empty_key).await.unwrap();
}
