//! The storage contract and IndexedDB-specific behaviour, in a real browser (wasm-bindgen-test in
//! headless Chromium). Run with `cargo test -p zoufang-app --target wasm32-unknown-unknown --tests`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use zoufang_app::storage::{BlobStore, IndexedDbStore, Store, StoreError, contract};

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh_store(name: &str) -> IndexedDbStore {
    let _ = IndexedDbStore::delete(name).await;
    match IndexedDbStore::open(name).await {
        Ok(store) => store,
        Err(error) => panic!("opening {name}: {error}"),
    }
}

#[wasm_bindgen_test]
async fn the_indexed_db_store_meets_the_store_contract() {
    let store = fresh_store("zoufang-test-contract").await;
    contract::check_all(&store).await;
}

#[wasm_bindgen_test]
async fn the_indexed_db_store_meets_the_blob_store_contract() {
    let store = fresh_store("zoufang-test-blob-contract").await;
    contract::check_blob_store(&store).await;
}

#[wasm_bindgen_test]
async fn a_value_survives_closing_and_reopening_the_database() {
    let name = "zoufang-test-reopen";
    let store = fresh_store(name).await;
    assert_eq!(store.put_meta("locale", &"en").await, Ok(()));
    store.close();
    let reopened = IndexedDbStore::open(name).await.map_err(|e| e.to_string());
    let Ok(reopened) = reopened else {
        panic!("reopen failed: {reopened:?}");
    };
    assert_eq!(
        reopened.get_meta::<String>("locale").await,
        Ok(Some("en".to_owned()))
    );
}

#[wasm_bindgen_test]
async fn an_upgrade_blocked_by_an_open_newer_connection_is_reported_not_hung() {
    // A connection at a *higher* version than the app's makes the app's open fail with a
    // VersionError; the app must turn that into a typed error rather than hang or panic.
    let name = "zoufang-test-version";
    let _ = IndexedDbStore::delete(name).await;
    let newer = indexed_db_futures::database::Database::open(name)
        .with_version(99u32)
        .await;
    assert!(newer.is_ok());
    if let Ok(newer) = newer {
        newer.close();
    }
    let result = IndexedDbStore::open(name).await;
    assert!(
        matches!(
            result,
            Err(StoreError::Unavailable(_)) | Err(StoreError::Failed(_))
        ),
        "got {:?}",
        result.map(|_| ())
    );
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_migrated_and_keeps_its_session() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;
    use zoufang_app::storage::schema;

    let name = "zoufang-test-migration";
    let _ = IndexedDbStore::delete(name).await;
    // A phone that ran the first release: schema 1, the meta store only, a session in it.
    let old = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_event, database| {
            database.create_object_store(schema::META_STORE).build()?;
            Ok(())
        })
        .await;
    let Ok(old) = old else {
        panic!("could not create the version 1 database");
    };
    {
        let transaction = old
            .transaction(schema::META_STORE)
            .with_mode(TransactionMode::Readwrite)
            .build();
        let Ok(transaction) = transaction else {
            panic!("transaction")
        };
        let Ok(store) = transaction.object_store(schema::META_STORE) else {
            panic!("store")
        };
        let put = store
            .put("\"en\"".to_owned())
            .with_key("locale".to_owned())
            .primitive();
        let Ok(put) = put else { panic!("put") };
        assert!(put.await.is_ok());
        assert!(transaction.commit().await.is_ok());
    }
    old.close();

    let upgraded = IndexedDbStore::open(name).await;
    let Ok(upgraded) = upgraded else {
        panic!("upgrade failed")
    };
    assert_eq!(
        upgraded.get_meta::<String>("locale").await,
        Ok(Some("en".to_owned()))
    );
    // The stores of migration 2 exist and work.
    assert_eq!(
        upgraded.put(schema::DRAFTS_STORE, "h1", &1_u32).await,
        Ok(())
    );
    assert_eq!(
        upgraded.get::<u32>(schema::DRAFTS_STORE, "h1").await,
        Ok(Some(1))
    );
    // And those of migration 3.
    assert_eq!(
        upgraded.put(schema::PHOTOS_STORE, "e1", &1_u32).await,
        Ok(())
    );
    assert_eq!(
        upgraded
            .get_blob(schema::PHOTO_BLOBS_STORE, "e1/photo")
            .await,
        Ok(None)
    );
}
