//! Photo bytes in the blob store (a directory here; `s3_blobs.rs` runs the same against a real S3 server): the
//! store's contract, uploads that land in it, the removal of unreferenced photos' bytes, and `admin migrate-photos`
//! on a database from before migration 0009, which then serves every old photo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod before_0009;
mod blob_contract;
mod common;

use axum::body::Bytes;
use axum::http::{Method, StatusCode, header};
use common::sync::*;
use time::{Duration, OffsetDateTime};
use zoufang_server::PhotoSettings;
use zoufang_server::admin::migrate_photos::{self, MigrationReport};
use zoufang_server::api::sha256_hex;
use zoufang_server::blobs::local::LocalBlobs;
use zoufang_server::blobs::{BlobKey, BlobStore, sweep_deletions};
use zoufang_server::demo;
use zoufang_server::maintenance::remove_unreferenced_photos;
use zoufang_server::store;

#[tokio::test]
async fn the_photo_directory_meets_the_blob_store_contract() {
    let directory = tempfile::tempdir().unwrap();
    let blobs = LocalBlobs::open(&directory.path().join("photos")).unwrap();
    blob_contract::check(&blobs).await;

    // Damage a file on disk: it is reported, never served.
    let bytes = fake_jpeg(7, 3_000);
    let key = BlobKey::of(&bytes);
    blobs.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    let mut damaged = bytes.clone();
    damaged[100] ^= 1;
    std::fs::write(blobs.path_of(&key), &damaged).unwrap();
    let error = blobs.get(&key).await.unwrap_err().to_string();
    assert!(error.contains("damaged"), "{error}");
    // Writing the photo again repairs it.
    blobs.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    assert_eq!(
        blobs.get(&key).await.unwrap().as_deref(),
        Some(bytes.as_slice())
    );

    // Written through a temporary file and a rename: nothing but the photos is left in their directories.
    let mut names = Vec::new();
    for shard in std::fs::read_dir(directory.path().join("photos")).unwrap() {
        for file in std::fs::read_dir(shard.unwrap().path()).unwrap() {
            names.push(file.unwrap().file_name().to_string_lossy().into_owned());
        }
    }
    assert!(
        names.iter().all(|name| BlobKey::parse(name).is_some()),
        "{names:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(blobs.path_of(&key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "photo files are private: {mode:o}");
    }
}

#[tokio::test]
async fn an_upload_lands_in_the_blob_store_and_is_served_from_it() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let photo = fake_png(31, 40_000);
    let sha256 = sha256_hex(&photo);
    assert_eq!(
        app.put_photo(&helper, &photo, "image/png").await.status,
        StatusCode::CREATED
    );
    let key = BlobKey::parse(&sha256).unwrap();
    assert_eq!(
        app.blobs.get(&key).await.unwrap().as_deref(),
        Some(photo.as_slice())
    );
    let (stored_in, kept): (String, Vec<u8>) =
        sqlx::query_as("SELECT stored_in, bytes FROM photos WHERE sha256 = $1")
            .bind(&sha256)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (stored_in.as_str(), kept.len()),
        ("blobs", 0),
        "no bytes in the database"
    );

    let got = app
        .with_token(Method::GET, &format!("/api/photos/{sha256}"), &helper)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.as_ref(), photo.as_slice());
    assert_eq!(got.headers[header::CONTENT_TYPE], "image/png");
    let head = app
        .with_token(Method::HEAD, &format!("/api/photos/{sha256}"), &helper)
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(head.headers[header::CONTENT_LENGTH], "40000");

    // A cut-off upload stores nothing, in the database or the blob store.
    let whole = fake_jpeg(32, 20_000);
    let response = app
        .put_photo_at(&helper, &sha256_hex(&whole), &whole[..10_000], "image/jpeg")
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.blobs.contains(&BlobKey::of(&whole)).await.unwrap());
    assert!(
        !app.blobs
            .contains(&BlobKey::of(&whole[..10_000]))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_bytes_of_removed_photos_are_deleted_unless_uploaded_again() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let orphan = fake_jpeg(61, 8_000);
    let kept = fake_jpeg(62, 8_000);
    for photo in [&orphan, &kept] {
        app.put_photo(&helper, photo, "image/jpeg").await;
    }
    let later = OffsetDateTime::now_utc() + Duration::days(30);
    assert_eq!(
        remove_unreferenced_photos(&app.pool, later, Duration::days(7))
            .await
            .unwrap(),
        2
    );
    // Both rows are gone and both byte sequences queued; the second is uploaded again before the sweep.
    assert_eq!(app.count("photo_blob_deletions").await, 2);
    assert_eq!(
        app.put_photo(&helper, &kept, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        sweep_deletions(&app.pool, app.blobs.as_ref())
            .await
            .unwrap(),
        1
    );
    assert_eq!(app.count("photo_blob_deletions").await, 0);
    assert!(!app.blobs.contains(&BlobKey::of(&orphan)).await.unwrap());
    assert!(app.blobs.contains(&BlobKey::of(&kept)).await.unwrap());
    let got = app
        .with_token(
            Method::GET,
            &format!("/api/photos/{}", sha256_hex(&kept)),
            &helper,
        )
        .await;
    assert_eq!(got.body.as_ref(), kept.as_slice());
}

#[tokio::test]
async fn bytes_written_for_an_upload_over_the_quota_are_swept() {
    let app = common::spawn_with_photo_settings(PhotoSettings {
        quota_bytes: 50 * 1024,
        ..PhotoSettings::default()
    })
    .await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let helper = app.demo_token(HELPER_1).await;
    let first = fake_jpeg(71, 40 * 1024);
    let second = fake_jpeg(72, 40 * 1024);
    assert_eq!(
        app.put_photo(&helper, &first, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.put_photo(&helper, &second, "image/jpeg").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sweep_deletions(&app.pool, app.blobs.as_ref())
            .await
            .unwrap(),
        1
    );
    assert!(!app.blobs.contains(&BlobKey::of(&second)).await.unwrap());
    assert!(app.blobs.contains(&BlobKey::of(&first)).await.unwrap());
}

#[tokio::test]
async fn bytes_whose_row_never_committed_are_swept() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let kept = fake_jpeg(81, 8_000);
    let lost = fake_jpeg(82, 8_000);
    for photo in [&kept, &lost] {
        assert_eq!(
            app.put_photo(&helper, photo, "image/jpeg").await.status,
            StatusCode::CREATED
        );
    }
    // What a process stopped between writing the bytes and committing the row leaves behind: bytes and no row.
    for table in ["photo_uploads", "photos"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE sha256 = $1"))
            .bind(sha256_hex(&lost))
            .execute(&app.pool)
            .await
            .unwrap();
    }
    assert_eq!(
        sweep_deletions(&app.pool, app.blobs.as_ref())
            .await
            .unwrap(),
        1
    );
    assert!(!app.blobs.contains(&BlobKey::of(&lost)).await.unwrap());
    assert!(app.blobs.contains(&BlobKey::of(&kept)).await.unwrap());
    assert_eq!(app.count("photo_blob_deletions").await, 0);
}

#[tokio::test]
async fn a_migrated_database_serves_every_old_photo() {
    let old = tempfile::tempdir().unwrap();
    let database = old.path().join("old.sqlite");
    let old_photos: Vec<Vec<u8>> = (0..7u8)
        .map(|seed| match seed % 3 {
            0 => fake_jpeg(seed, 2_000 + usize::from(seed) * 1_500),
            1 => fake_png(seed, 3_000),
            _ => fake_webp(seed, 5_000),
        })
        .collect();
    let damaged = fake_jpeg(99, 1_000);
    before_0009::database(&database, &old_photos, &damaged).await;

    // Opening it applies 0009: the old rows keep their bytes and are served from them until moved.
    let pool = store::open(&database).await.unwrap();
    let blobs = LocalBlobs::open(&old.path().join("photos")).unwrap();
    let server = common::app_over(pool.clone(), std::sync::Arc::new(blobs.clone()));
    let helper = server.demo_token(HELPER_1).await;
    let serves_every_old_photo = || async {
        for photo in &old_photos {
            let sha256 = sha256_hex(photo);
            let got = server
                .with_token(Method::GET, &format!("/api/photos/{sha256}"), &helper)
                .await;
            assert_eq!(got.status, StatusCode::OK, "{sha256}");
            assert_eq!(got.body.as_ref(), photo.as_slice(), "{sha256}");
            let head = server
                .with_token(Method::HEAD, &format!("/api/photos/{sha256}"), &helper)
                .await;
            assert_eq!(
                head.headers[header::CONTENT_LENGTH],
                photo.len().to_string()
            );
            let sniffed = match photo[0] {
                0xFF => "image/jpeg",
                0x89 => "image/png",
                _ => "image/webp",
            };
            assert_eq!(head.headers[header::CONTENT_TYPE], sniffed);
        }
    };
    serves_every_old_photo().await;

    // Stopped after three photos, then run again: it goes on where it stopped.
    let first = migrate_photos::migrate(&pool, &blobs, 2, Some(3))
        .await
        .unwrap();
    assert_eq!(first.moved, 3);
    assert_eq!(first.remaining, 5, "four good photos and the damaged one");
    serves_every_old_photo().await;
    // A copy written just before a stop (its row not yet marked) is written again without harm.
    let mut unmarked = None;
    for photo in &old_photos {
        let stored_in: String =
            sqlx::query_scalar("SELECT stored_in FROM photos WHERE sha256 = $1")
                .bind(sha256_hex(photo))
                .fetch_one(&pool)
                .await
                .unwrap();
        if stored_in == "database" {
            unmarked = Some(photo);
            break;
        }
    }
    let unmarked_bytes = unmarked.unwrap();
    let unmarked = sha256_hex(unmarked_bytes);
    blobs
        .put(
            &BlobKey::parse(&unmarked).unwrap(),
            Bytes::from(unmarked_bytes.clone()),
        )
        .await
        .unwrap();

    let second = migrate_photos::migrate(&pool, &blobs, 2, None)
        .await
        .unwrap();
    let total: u64 = old_photos.iter().map(|p| p.len() as u64).sum();
    assert_eq!(second.moved, 4);
    assert_eq!(first.bytes + second.bytes, total);
    assert_eq!(second.damaged, vec![sha256_hex(b"what the bytes were")]);
    assert_eq!(second.remaining, 1);

    // Every good photo is in the store, its database bytes emptied, and still served.
    for photo in &old_photos {
        let key = BlobKey::of(photo);
        assert_eq!(
            blobs.get(&key).await.unwrap().as_deref(),
            Some(photo.as_slice())
        );
        let (stored_in, kept): (String, Vec<u8>) =
            sqlx::query_as("SELECT stored_in, bytes FROM photos WHERE sha256 = $1")
                .bind(key.as_str())
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!((stored_in.as_str(), kept.len()), ("blobs", 0));
    }
    serves_every_old_photo().await;

    // The damaged row stays as it was; the command reports it and fails.
    let error = migrate_photos::run(&pool, &blobs, 100, None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("1 photos were left"), "{error}");
    let third = migrate_photos::migrate(&pool, &blobs, 100, None)
        .await
        .unwrap();
    assert_eq!(
        third,
        MigrationReport {
            moved: 0,
            bytes: 0,
            damaged: vec![sha256_hex(b"what the bytes were")],
            remaining: 1,
        }
    );
}
