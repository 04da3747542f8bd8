//! The photo pipeline in a real browser (wasm-bindgen-test in headless Chromium): shrinking, EXIF rotation, the
//! watermark, the hash of the stored bytes, bad files, and a photo kept and read back through the storage module.
//! Run with `cargo test -p zoufang-app --target wasm32-unknown-unknown --tests`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Promise, Uint8Array};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use zoufang_app::photos::browser::{ProcessedPhoto, process_file, sha256};
use zoufang_app::photos::{
    PhotoConfig, PhotoContext, PhotoError, WatermarkFacts, add_photo, standard_watermark,
};
use zoufang_app::storage::IndexedDbStore;
use zoufang_app::storage::blobs::bytes_to_blob;
use zoufang_app::storage::photos::{AttachedTo, photo_blob, photo_totals, thumbnail_blob};
use zoufang_domain::model::{HouseholdId, VisitId};

wasm_bindgen_test_configure!(run_in_browser);

async fn run_script(script: &str) -> JsValue {
    let promise: Promise = match js_sys::eval(script) {
        Ok(value) => value.unchecked_into(),
        Err(error) => panic!("script failed: {error:?}\n{script}"),
    };
    match JsFuture::from(promise).await {
        Ok(value) => value,
        Err(error) => panic!("script rejected: {error:?}\n{script}"),
    }
}

/// A JPEG of one colour, made by the browser's own encoder.
async fn solid_jpeg(width: u32, height: u32, colour: &str) -> Vec<u8> {
    let script = format!(
        "(async () => {{ const canvas = new OffscreenCanvas({width}, {height}); const g = canvas.getContext('2d'); \
         g.fillStyle = '{colour}'; g.fillRect(0, 0, {width}, {height}); \
         const blob = await canvas.convertToBlob({{ type: 'image/jpeg', quality: 0.92 }}); \
         return new Uint8Array(await blob.arrayBuffer()); }})()"
    );
    Uint8Array::new(&run_script(&script).await).to_vec()
}

/// The same JPEG with an APP1 EXIF segment saying Orientation = 6 (turn 90° clockwise) right after SOI.
fn with_orientation_6(jpeg: &[u8]) -> Vec<u8> {
    const EXIF: [u8; 36] = [
        0xFF, 0xE1, 0x00, 0x22, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0x00, 0x2A, 0, 0, 0, 8,
        0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0, 0, 0, 0, 0,
    ];
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend(EXIF);
    bytes.extend(&jpeg[2..]);
    bytes
}

fn blob(bytes: &[u8], mime_type: &str) -> web_sys::Blob {
    match bytes_to_blob(bytes, mime_type) {
        Ok(blob) => blob,
        Err(error) => panic!("blob: {error}"),
    }
}

fn lines() -> Vec<String> {
    vec![
        "王德福 · 户编号 460107001001".to_owned(),
        "帮扶人 王海燕".to_owned(),
        "2026-11-22 14:05".to_owned(),
        "无定位".to_owned(),
    ]
}

async fn process(bytes: &[u8], mime_type: &str) -> Result<ProcessedPhoto, PhotoError> {
    process_file(&blob(bytes, mime_type), &lines(), &PhotoConfig::default()).await
}

/// The RGB of one pixel of a JPEG, decoded by the browser.
async fn pixel(jpeg: &[u8], x: u32, y: u32) -> [u8; 3] {
    let global = js_sys::global();
    let _ = js_sys::Reflect::set(&global, &"__photoBytes".into(), &Uint8Array::from(jpeg));
    let script = format!(
        "(async () => {{ const bitmap = await createImageBitmap(new Blob([globalThis.__photoBytes], {{ type: 'image/jpeg' }})); \
         const canvas = new OffscreenCanvas(bitmap.width, bitmap.height); const g = canvas.getContext('2d'); \
         g.drawImage(bitmap, 0, 0); return Array.from(g.getImageData({x}, {y}, 1, 1).data.slice(0, 3)); }})()"
    );
    let value = run_script(&script).await;
    let array: js_sys::Array = value.unchecked_into();
    let channel = |index: u32| array.get(index).as_f64().unwrap_or(-1.0) as u8;
    [channel(0), channel(1), channel(2)]
}

#[wasm_bindgen_test]
async fn a_12_megapixel_photo_is_stored_at_1600_on_the_long_edge_with_its_hash() {
    let source = solid_jpeg(4000, 3000, "#3a7").await;
    let processed = process(&source, "image/jpeg").await;
    let Ok(processed) = processed else {
        panic!("processing failed: {processed:?}");
    };
    assert_eq!((processed.width, processed.height), (1600, 1200));
    assert_eq!(
        (processed.source_width, processed.source_height),
        (4000, 3000)
    );
    assert_eq!(&processed.jpeg[..2], &[0xFF, 0xD8]);
    let thumbnail_size = zoufang_app::photos::sniff::inspect(&processed.thumbnail).stored_size;
    assert_eq!(thumbnail_size, Some((160, 120)));
    let window = web_sys::window().unwrap_or_else(|| panic!("no window"));
    let again = sha256(&window, &processed.jpeg).await;
    assert_eq!(again.as_ref(), Ok(&processed.sha256));
}

#[wasm_bindgen_test]
async fn exif_orientation_6_turns_a_landscape_photo_upright() {
    let source = with_orientation_6(&solid_jpeg(400, 300, "#888").await);
    let processed = process(&source, "image/jpeg").await;
    let Ok(processed) = processed else {
        panic!("processing failed: {processed:?}");
    };
    assert_eq!((processed.width, processed.height), (300, 400));
}

#[wasm_bindgen_test]
async fn the_watermark_darkens_the_bottom_left_corner_only() {
    let source = solid_jpeg(800, 600, "#ffffff").await;
    let processed = process(&source, "image/jpeg").await;
    let Ok(processed) = processed else {
        panic!("processing failed: {processed:?}");
    };
    let corner = pixel(&processed.jpeg, 2, 597).await;
    assert!(
        corner.iter().all(|channel| *channel < 140),
        "bottom-left {corner:?}"
    );
    let top_right = pixel(&processed.jpeg, 797, 2).await;
    assert!(
        top_right.iter().all(|channel| *channel > 240),
        "top-right {top_right:?}"
    );
}

#[wasm_bindgen_test]
async fn a_tiny_photo_is_kept_at_its_size() {
    let processed = process(&solid_jpeg(20, 10, "#c33").await, "image/jpeg").await;
    let Ok(processed) = processed else {
        panic!("processing failed: {processed:?}");
    };
    assert_eq!((processed.width, processed.height), (20, 10));
}

#[wasm_bindgen_test]
async fn bad_files_are_named_by_what_is_wrong() {
    let text = process("不是照片".as_bytes(), "text/plain").await;
    assert_eq!(text, Err(PhotoError::NotAnImage));

    let jpeg = solid_jpeg(400, 300, "#246").await;
    let truncated = process(&jpeg[..jpeg.len() / 2], "image/jpeg").await;
    assert_eq!(truncated, Err(PhotoError::Corrupt));

    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend([0_u8; 200]);
    let heic = process(&heic, "image/heic").await;
    assert_eq!(heic, Err(PhotoError::Unsupported("HEIC")));

    assert_eq!(process(&[], "image/jpeg").await, Err(PhotoError::Empty));
}

#[wasm_bindgen_test]
async fn more_pixels_than_allowed_are_refused_before_decoding() {
    let config = PhotoConfig {
        max_source_pixels: 100_000,
        ..PhotoConfig::default()
    };
    let source = solid_jpeg(400, 300, "#777").await;
    let result = process_file(&blob(&source, "image/jpeg"), &lines(), &config).await;
    assert_eq!(result, Err(PhotoError::TooLarge { megapixels: 1 }));
}

#[wasm_bindgen_test]
async fn an_added_photo_is_kept_in_indexed_db_with_its_metadata_and_bytes() {
    let name = "zoufang-test-photos";
    let _ = IndexedDbStore::delete(name).await;
    let store = match IndexedDbStore::open(name).await {
        Ok(store) => store,
        Err(error) => panic!("open: {error}"),
    };
    let source = solid_jpeg(2000, 1000, "#58a").await;
    let parts = js_sys::Array::of1(&Uint8Array::from(&source[..]));
    let file = match web_sys::File::new_with_u8_array_sequence(&parts, "IMG_0001.jpg") {
        Ok(file) => file,
        Err(error) => panic!("file: {error:?}"),
    };
    let visit_id = VisitId(Uuid::from_u128(3));
    let context = PhotoContext {
        household_id: HouseholdId(Uuid::from_u128(7)),
        attached_to: AttachedTo::Visit { visit_id },
        watermark: standard_watermark,
        facts: WatermarkFacts {
            household: "王德福".to_owned(),
            helper: "帮扶人 王海燕".to_owned(),
            no_location: "无定位".to_owned(),
        },
    };
    let added = add_photo(&store, &file, &context, None, &PhotoConfig::default()).await;
    let Ok(record) = added else {
        panic!("add failed: {added:?}");
    };
    assert_eq!(record.file_name, "IMG_0001.jpg");
    assert_eq!(record.evidence.visit_id, Some(visit_id));
    assert_eq!(record.evidence.width, Some(1600));
    assert_eq!(record.evidence.height, Some(800));
    assert_eq!(record.watermark.last().map(String::as_str), Some("无定位"));

    let stored = photo_blob(&store, record.id()).await;
    let Ok(Some((stored_record, bytes))) = stored else {
        panic!("not stored: {stored:?}");
    };
    assert_eq!(stored_record, record);
    assert_eq!(bytes.len() as u64, record.evidence.bytes);
    let window = web_sys::window().unwrap_or_else(|| panic!("no window"));
    assert_eq!(
        sha256(&window, &bytes).await.as_ref(),
        Ok(&record.evidence.sha256)
    );
    let thumbnail = thumbnail_blob(&store, record.id()).await;
    assert!(matches!(thumbnail, Ok(Some(ref bytes)) if !bytes.is_empty()));
    let totals = photo_totals(&store).await;
    assert!(
        matches!(totals, Ok(totals) if totals.count == 1 && totals.bytes > record.evidence.bytes)
    );
}
