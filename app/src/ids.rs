//! Client-generated UUIDs (version 4) for new records: the idempotency key of every submission.

use uuid::Uuid;
use wasm_bindgen::JsCast;

/// A random version-4 UUID from the browser's cryptographic generator.
///
/// `crypto.getRandomValues` exists in every browser the app supports; where it does not (a very old
/// WebView), `Math.random` keeps the app working — the ids stay unique in practice, just not secret,
/// and ids need only uniqueness.
pub fn new_uuid() -> Uuid {
    let mut bytes = [0_u8; 16];
    let filled = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"crypto".into()).ok())
        .and_then(|crypto| crypto.dyn_into::<web_sys::Crypto>().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
