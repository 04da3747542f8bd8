//! How photo bytes sit in IndexedDB, in a real browser (wasm-bindgen-test in headless Chromium): the app writes
//! bytes (an `ArrayBuffer`), never a `Blob` (WebKit's ephemeral IndexedDB refuses those); photos that the app of
//! schema version 3 stored as `Blob`s still load; and a 200 KB photo's store and load times in both shapes are
//! printed (run with `-- --nocapture` to see them).
//! Run with `cargo test -p zoufang-app --target wasm32-unknown-unknown --test photo_store_browser`.
#![cfg(target_arch = "wasm32")]

use js_sys::Promise;
use time::macros::datetime;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use zoufang_app::storage::blobs::BlobShape;
use zoufang_app::storage::photos::{
    AttachedTo, PHOTO_RECORD_VERSION, PhotoRecord, delete_photo, photo_blob, save_photo,
    thumbnail_blob,
};
use zoufang_app::storage::{IndexedDbStore, contract};
use zoufang_domain::model::{
    Evidence, EvidenceId, EvidenceKind, HouseholdId, Sha256Digest, VisitId,
};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store(name: &str) -> IndexedDbStore {
    let _ = IndexedDbStore::delete(name).await;
    match IndexedDbStore::open(name).await {
        Ok(store) => store,
        Err(error) => panic!("opening {name}: {error}"),
    }
}

fn record(id: u128, bytes: usize, thumbnail_bytes: usize) -> PhotoRecord {
    let visit_id = VisitId(Uuid::from_u128(3));
    PhotoRecord {
        schema_version: PHOTO_RECORD_VERSION,
        evidence: Evidence {
            schema_version: 1,
            id: EvidenceId(Uuid::from_u128(id)),
            visit_id: Some(visit_id),
            kind: EvidenceKind::SitePhoto,
            taken_at: datetime!(2026-11-22 10:00 +08:00),
            gps: None,
            sha256: Sha256Digest::parse(&"ab".repeat(32)).unwrap_or_else(|_| unreachable!()),
            bytes: bytes as u64,
            width: Some(1600),
            height: Some(1200),
            caption: String::new(),
        },
        household_id: HouseholdId(Uuid::from_u128(7)),
        attached_to: AttachedTo::Visit { visit_id },
        file_name: "yard.jpg".to_owned(),
        file_modified_at: None,
        source_width: 4000,
        source_height: 3000,
        watermark: vec!["王德福".to_owned()],
        thumbnail_bytes: thumbnail_bytes as u64,
    }
}

/// Bytes that do not compress (as a JPEG's do not), starting with the JPEG marker.
fn photo_bytes(length: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut bytes: Vec<u8> = (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    bytes[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    bytes
}

/// What kind of JS value the database `name` holds under `key` in `photo_blobs`: "ArrayBuffer", "Blob" or
/// something else, read with IndexedDB's own API.
async fn stored_kind(name: &str, key: &str) -> String {
    let script = format!(
        "(async () => {{ const db = await new Promise((resolve, reject) => {{ const r = indexedDB.open('{name}'); \
         r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }}); \
         const value = await new Promise((resolve, reject) => {{ \
         const r = db.transaction('photo_blobs').objectStore('photo_blobs').get('{key}'); \
         r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }}); db.close(); \
         return value instanceof ArrayBuffer ? 'ArrayBuffer' : value instanceof Blob ? 'Blob' : String(value); }})()"
    );
    let promise: Promise = match js_sys::eval(&script) {
        Ok(value) => value.unchecked_into(),
        Err(error) => panic!("script failed: {error:?}"),
    };
    match JsFuture::from(promise).await {
        Ok(value) => value.as_string().unwrap_or_default(),
        Err(error) => panic!("script rejected: {error:?}"),
    }
}

#[wasm_bindgen_test]
async fn values_written_as_blobs_by_the_schema_3_app_meet_the_blob_store_contract() {
    let store = fresh_store("zoufang-test-blob-shape-contract").await;
    contract::check_blob_store(&store.writing_blobs_as(BlobShape::Blob)).await;
}

#[wasm_bindgen_test]
async fn a_photo_is_stored_as_bytes_not_as_a_blob() {
    let name = "zoufang-test-photo-shape";
    let store = fresh_store(name).await;
    let photo = record(1, 2000, 300);
    let (jpeg, thumbnail) = (photo_bytes(2000, 1), photo_bytes(300, 2));
    assert_eq!(save_photo(&store, &photo, &jpeg, &thumbnail).await, Ok(()));
    assert_eq!(
        stored_kind(name, &format!("{}/photo", photo.id())).await,
        "ArrayBuffer"
    );
    assert_eq!(
        stored_kind(name, &format!("{}/thumbnail", photo.id())).await,
        "ArrayBuffer"
    );
    assert_eq!(
        photo_blob(&store, photo.id()).await,
        Ok(Some((photo.clone(), jpeg)))
    );
    assert_eq!(
        thumbnail_blob(&store, photo.id()).await,
        Ok(Some(thumbnail))
    );
}

#[wasm_bindgen_test]
async fn a_photo_stored_as_a_blob_by_the_schema_3_app_still_loads_and_deletes() {
    let name = "zoufang-test-photo-legacy";
    let old_app = fresh_store(name).await.writing_blobs_as(BlobShape::Blob);
    let old = record(1, 5000, 400);
    let (old_jpeg, old_thumbnail) = (photo_bytes(5000, 3), photo_bytes(400, 4));
    assert_eq!(
        save_photo(&old_app, &old, &old_jpeg, &old_thumbnail).await,
        Ok(())
    );
    assert_eq!(
        stored_kind(name, &format!("{}/photo", old.id())).await,
        "Blob"
    );
    old_app.close();

    // The new app opens the same database: the old photo loads as it was, next to a new one stored as bytes.
    let store = match IndexedDbStore::open(name).await {
        Ok(store) => store,
        Err(error) => panic!("reopening: {error}"),
    };
    let new = record(2, 3000, 200);
    let (new_jpeg, new_thumbnail) = (photo_bytes(3000, 5), photo_bytes(200, 6));
    assert_eq!(
        save_photo(&store, &new, &new_jpeg, &new_thumbnail).await,
        Ok(())
    );
    assert_eq!(
        photo_blob(&store, old.id()).await,
        Ok(Some((old.clone(), old_jpeg)))
    );
    assert_eq!(
        thumbnail_blob(&store, old.id()).await,
        Ok(Some(old_thumbnail))
    );
    assert_eq!(
        photo_blob(&store, new.id()).await,
        Ok(Some((new.clone(), new_jpeg)))
    );
    assert_eq!(delete_photo(&store, old.id()).await, Ok(()));
    assert_eq!(photo_blob(&store, old.id()).await, Ok(None));
    assert_eq!(thumbnail_blob(&store, old.id()).await, Ok(None));
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.now())
        .unwrap_or_default()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// The measurement behind storing bytes always: a 200 KB photo and a 12 KB thumbnail stored with `save_photo`
/// and loaded with `photo_blob`, alternating between the two shapes, RUNS times each. Every round trip is checked.
#[wasm_bindgen_test]
async fn a_200_kb_photo_round_trips_in_both_shapes_and_the_times_are_printed() {
    const RUNS: usize = 40;
    let name = "zoufang-test-photo-bench";
    let bytes_store = fresh_store(name).await;
    let blob_store = bytes_store.clone().writing_blobs_as(BlobShape::Blob);
    let thumbnail = photo_bytes(12 * 1024, 99);
    let mut times: [(Vec<f64>, Vec<f64>); 2] = Default::default();
    for run in 0..RUNS {
        for (shape, store) in [&bytes_store, &blob_store].into_iter().enumerate() {
            let id = (run * 2 + shape + 1) as u128;
            let jpeg = photo_bytes(200 * 1024, id as u32);
            let photo = record(id, jpeg.len(), thumbnail.len());
            let started = now_ms();
            assert_eq!(save_photo(store, &photo, &jpeg, &thumbnail).await, Ok(()));
            let stored = now_ms();
            let loaded = photo_blob(store, photo.id()).await;
            let finished = now_ms();
            assert_eq!(loaded, Ok(Some((photo, jpeg))));
            times[shape].0.push(stored - started);
            times[shape].1.push(finished - stored);
        }
    }
    let [
        (bytes_store_ms, bytes_load_ms),
        (blob_store_ms, blob_load_ms),
    ] = times;
    let line = format!(
        "200 KB photo + 12 KB thumbnail, {RUNS} runs each, median: bytes (ArrayBuffer) store {:.2} ms, load {:.2} ms; \
         Blob store {:.2} ms, load {:.2} ms",
        median(bytes_store_ms),
        median(bytes_load_ms),
        median(blob_store_ms),
        median(blob_load_ms),
    );
    console_log!("{line}");
}
