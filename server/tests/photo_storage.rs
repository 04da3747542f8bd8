//! Photo storage limits: the per-account upload quota (429 with `Retry-After`), the removal of photos no submission
//! links after the grace period (server task and `admin gc-photos`, with the instant passed in), and the backfill of
//! uploaders from `photos.uploaded_by` by migration 0005.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use time::{Duration, OffsetDateTime};
use zoufang_server::PhotoSettings;
use zoufang_server::admin::{self, AdminCommand};
use zoufang_server::api::sha256_hex;
use zoufang_server::demo::{self, demo_user_id};
use zoufang_server::maintenance::remove_unreferenced_photos;
use zoufang_server::store::format_instant;

const KIB: usize = 1024;

/// The demo village on a server whose accounts may upload `quota_kib` KiB a day.
async fn with_quota(quota_kib: u64) -> TestApp {
    let photos = PhotoSettings {
        quota_bytes: quota_kib * KIB as u64,
        ..PhotoSettings::default()
    };
    let app = common::spawn_with_photo_settings(photos).await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    app
}

/// Moves every upload of `photo` (and the photo's creation) `by` into the past.
async fn age(app: &TestApp, photo: &[u8], by: Duration) {
    let then = format_instant(OffsetDateTime::now_utc() - by);
    let sha256 = sha256_hex(photo);
    for sql in [
        "UPDATE photo_uploads SET uploaded_at = $1 WHERE sha256 = $2",
        "UPDATE photos SET created_at = $1 WHERE sha256 = $2",
    ] {
        sqlx::query(sql)
            .bind(&then)
            .bind(&sha256)
            .execute(&app.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn uploads_over_the_daily_quota_are_429_until_the_window_moves_on() {
    let app = with_quota(100).await;
    let helper = app.demo_token(HELPER_1).await;
    let first = fake_jpeg(41, 60 * KIB);
    let second = fake_jpeg(42, 60 * KIB);
    assert_eq!(
        app.put_photo(&helper, &first, "image/jpeg").await.status,
        StatusCode::CREATED
    );

    let response = app.put_photo(&helper, &second, "image/jpeg").await;
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "photo_quota_exceeded");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("24 小时") && message.contains("100 KiB"),
        "{message}"
    );
    let retry_after: i64 = response.header("retry-after").parse().unwrap();
    assert!((86_000..=86_400).contains(&retry_after), "{retry_after}");
    assert_eq!(
        app.count("photos").await,
        1,
        "the refused photo is not stored"
    );
    assert_eq!(app.count("photo_uploads").await, 1);

    // Sending bytes she uploaded already costs nothing; another account has its own quota.
    assert_eq!(
        app.put_photo(&helper, &first, "image/jpeg").await.status,
        StatusCode::OK
    );
    let colleague = app.demo_token(HELPER_2).await;
    assert_eq!(
        app.put_photo(&colleague, &second, "image/jpeg")
            .await
            .status,
        StatusCode::CREATED
    );
    // Uploading the same bytes as someone else counts: she sent them and becomes an uploader.
    let response = app.put_photo(&helper, &second, "image/jpeg").await;
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.with_token(
            Method::HEAD,
            &format!("/api/photos/{}", sha256_hex(&second)),
            &helper
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "a refused upload does not make her an uploader"
    );

    // A day later the first upload has left the window.
    age(&app, &first, Duration::hours(25)).await;
    let response = app.put_photo(&helper, &second, "image/jpeg").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

#[tokio::test]
async fn the_default_quota_takes_a_weeks_outbox_of_photos() {
    let defaults = PhotoSettings::default();
    assert_eq!(defaults.quota_bytes, 200 * 1024 * 1024);
    assert_eq!(defaults.quota_window, Duration::hours(24));
    assert_eq!(defaults.unreferenced_grace, Duration::days(7));
    // The outbox benchmark's worst case: 100 photos of 300 KiB from one phone.
    assert!(100 * 300 * KIB as u64 <= defaults.quota_bytes);
}

#[tokio::test]
async fn unreferenced_photos_are_removed_after_the_grace_period_and_linked_ones_stay() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let colleague = app.demo_token(HELPER_2).await;
    let linked = fake_jpeg(51, 5_000);
    let orphan = fake_jpeg(52, 5_000);
    let uploaded_again = fake_jpeg(53, 5_000);
    for photo in [&linked, &orphan, &uploaded_again] {
        assert_eq!(
            app.put_photo(&helper, photo, "image/jpeg").await.status,
            StatusCode::CREATED
        );
    }
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit
        .evidence
        .push(evidence_for(&linked, Some(visit.visit.id)));
    assert_eq!(
        app.submit(&helper, &visit_submission(visit)).await.status,
        StatusCode::CREATED
    );
    for photo in [&linked, &orphan, &uploaded_again] {
        age(&app, photo, Duration::days(10)).await;
    }
    // A second person sends the same bytes today: the grace period counts from the latest upload.
    assert_eq!(
        app.put_photo(&colleague, &uploaded_again, "image/jpeg")
            .await
            .status,
        StatusCode::OK
    );

    let now = OffsetDateTime::now_utc();
    let grace = Duration::days(7);
    assert_eq!(
        remove_unreferenced_photos(&app.pool, now - Duration::days(4), grace)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        remove_unreferenced_photos(&app.pool, now, grace)
            .await
            .unwrap(),
        1
    );
    assert_eq!(app.count("photos").await, 2);
    let head = |photo: Vec<u8>, token: String| {
        let app = &app;
        async move {
            app.with_token(
                Method::HEAD,
                &format!("/api/photos/{}", sha256_hex(&photo)),
                &token,
            )
            .await
            .status
        }
    };
    assert_eq!(
        head(orphan.clone(), helper.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(head(linked.clone(), helper.clone()).await, StatusCode::OK);
    assert_eq!(
        head(uploaded_again.clone(), colleague.clone()).await,
        StatusCode::OK
    );
    let orphan_rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM photo_uploads WHERE sha256 = $1")
            .bind(sha256_hex(&orphan))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(orphan_rows, 0);

    // Eight days on, nobody has linked the photo uploaded again: it goes too. The linked one never does.
    let later = now + Duration::days(8);
    assert_eq!(
        remove_unreferenced_photos(&app.pool, later, grace)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        remove_unreferenced_photos(&app.pool, later + Duration::days(365), grace)
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.count("photos").await, 1);
    assert_eq!(head(linked, helper).await, StatusCode::OK);
}

#[tokio::test]
async fn admin_gc_photos_counts_from_the_instant_given() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let orphan = fake_jpeg(54, 5_000);
    app.put_photo(&helper, &orphan, "image/jpeg").await;
    let mut no_stdin: &[u8] = b"";
    let run = |grace_days: u16, now: Option<OffsetDateTime>| AdminCommand::GcPhotos {
        grace_days,
        now: now.map(format_instant),
    };
    admin::run(&app.pool, run(7, None), &mut no_stdin)
        .await
        .unwrap();
    assert_eq!(app.count("photos").await, 1, "uploaded just now");
    let in_six_days = OffsetDateTime::now_utc() + Duration::days(6);
    admin::run(&app.pool, run(7, Some(in_six_days)), &mut no_stdin)
        .await
        .unwrap();
    assert_eq!(app.count("photos").await, 1, "within the grace period");
    admin::run(&app.pool, run(5, Some(in_six_days)), &mut no_stdin)
        .await
        .unwrap();
    assert_eq!(app.count("photos").await, 0);

    let error = admin::run(
        &app.pool,
        AdminCommand::GcPhotos {
            grace_days: 7,
            now: Some("yesterday".into()),
        },
        &mut no_stdin,
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains("RFC 3339"), "{error}");
}

#[tokio::test]
async fn migration_0005_makes_every_earlier_first_uploader_an_uploader() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("old.sqlite");
    // A database as it was before 0005: migrations up to 0003 (and any other before 0005), one photo.
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let older = directory.path().join("migrations");
    std::fs::create_dir(&older).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let version: u32 = name.split('_').next().unwrap().parse().unwrap();
        if version < 5 {
            std::fs::copy(shipped.join(&name), older.join(&name)).unwrap();
        }
    }
    sqlx::migrate::Migrator::new(older.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    // The uploader, written with the columns that schema had (today's demo seed needs today's schema).
    sqlx::query(
        "INSERT INTO users (id, phone, name, role, password_hash, created_at) \
         VALUES ($1, '13800000001', '王海燕', 'helper', 'x', '2026-01-01T00:00:00Z')",
    )
    .bind(demo_user_id(0).to_string())
    .execute(&pool)
    .await
    .unwrap();
    let photo = fake_jpeg(61, 1_000);
    sqlx::query(
        "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at) \
         VALUES ($1, $2, 1000, 'image/jpeg', $3, '2026-01-02T03:04:05Z')",
    )
    .bind(sha256_hex(&photo))
    .bind(&photo)
    .bind(demo_user_id(0).to_string())
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let pool = zoufang_server::store::open(&path).await.unwrap();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT sha256, user_id, uploaded_at FROM photo_uploads")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![(
            sha256_hex(&photo),
            demo_user_id(0).to_string(),
            "2026-01-02T03:04:05Z".to_owned()
        )]
    );
}
