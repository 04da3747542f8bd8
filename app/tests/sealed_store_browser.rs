//! Encryption at rest with the browser's real WebCrypto, in headless Chromium: the sealed store contract over
//! IndexedDB, the PIN and its throttle, and the server's copy of the data key. Run with
//! `cargo test -p zoufang-app --target wasm32-unknown-unknown --test sealed_store_browser`.
#![cfg(target_arch = "wasm32")]

use uuid::Uuid;
use wasm_bindgen_test::*;
use zoufang_app::storage::crypto::generate_data_key;
use zoufang_app::storage::lock::{self, Unlock};
use zoufang_app::storage::{Backend, IndexedDbStore, contract};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_backend(name: &str) -> Backend {
    let _ = IndexedDbStore::delete(name).await;
    match IndexedDbStore::open(name).await {
        Ok(store) => Backend::IndexedDb(store),
        Err(error) => panic!("opening {name}: {error}"),
    }
}

async fn key() -> zoufang_app::storage::crypto::DataKey {
    match generate_data_key().await {
        Ok(key) => key,
        Err(error) => panic!("no data key: {error}"),
    }
}

/// Whether `a` opens what `b` sealed.
async fn same_key(
    a: &zoufang_app::storage::crypto::DataKey,
    b: &zoufang_app::storage::crypto::DataKey,
) -> bool {
    let Ok(sealed) = b.seal(b"probe").await else {
        return false;
    };
    a.open("probe", &sealed).await == Ok(b"probe".to_vec())
}

#[wasm_bindgen_test]
async fn indexed_db_with_aes_gcm_meets_the_sealed_store_contract() {
    let backend = fresh_backend("zoufang-test-sealed").await;
    contract::check_sealed_store(&backend, key().await, key().await).await;
}

#[wasm_bindgen_test]
async fn the_pin_opens_the_data_key_and_five_wrong_pins_make_the_next_try_wait() {
    let backend = fresh_backend("zoufang-test-pin").await;
    let user = Uuid::from_u128(0xa1);
    let data_key = key().await;
    assert_eq!(
        lock::set_pin(&backend, user, &data_key, "246810").await,
        Ok(())
    );
    // The stored keyring holds no key in the clear: only the wrapped bytes.
    let now = 1_000_000.0;
    match lock::unlock(&backend, user, "246810", now).await {
        Ok(Unlock::Opened(opened)) => assert!(same_key(&opened, &data_key).await),
        other => panic!("the right PIN did not open: {other:?}"),
    }
    for attempt in 1..=4 {
        match lock::unlock(&backend, user, "000000", now).await {
            Ok(Unlock::Wrong {
                failures,
                wait_until_ms,
            }) => {
                assert_eq!(failures, attempt);
                assert_eq!(wait_until_ms, 0.0);
            }
            other => panic!("wrong PIN {attempt}: {other:?}"),
        }
    }
    match lock::unlock(&backend, user, "000000", now).await {
        Ok(Unlock::Wrong {
            failures: 5,
            wait_until_ms,
        }) => assert_eq!(wait_until_ms, now + lock::FIRST_WAIT_MS),
        other => panic!("fifth wrong PIN: {other:?}"),
    }
    // While waiting, even the right PIN is not tried; afterwards it opens and the count starts again.
    assert!(matches!(
        lock::unlock(&backend, user, "246810", now + 1_000.0).await,
        Ok(Unlock::Waiting { .. })
    ));
    assert!(matches!(
        lock::unlock(&backend, user, "246810", now + lock::FIRST_WAIT_MS + 1.0).await,
        Ok(Unlock::Opened(_))
    ));
    assert_eq!(lock::failures(&backend, user).await.map(|f| f.count), Ok(0));
}

#[wasm_bindgen_test]
async fn the_servers_copy_opens_with_the_password_only() {
    let data_key = key().await;
    let copy = match lock::escrow(&data_key, "zoufang2026").await {
        Ok(copy) => copy,
        Err(error) => panic!("no copy: {error}"),
    };
    assert_eq!(
        copy.iterations,
        zoufang_app::storage::crypto::PIN_ITERATIONS
    );
    match lock::open_escrow(&copy, "zoufang2026").await {
        Ok(Some(opened)) => assert!(same_key(&opened, &data_key).await),
        other => panic!("the password did not open the copy: {other:?}"),
    }
    assert!(matches!(
        lock::open_escrow(&copy, "another password").await,
        Ok(None)
    ));
}
