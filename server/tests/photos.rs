//! `HEAD`, `PUT` and `GET /api/photos/{sha256}`: idempotent uploads checked against their hash, limits, types read
//! from the bytes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::sync::*;
use zoufang_domain::protocol::PhotoReceipt;
use zoufang_server::api::sha256_hex;
use zoufang_server::demo::demo_user_id;

#[tokio::test]
async fn a_photo_is_stored_once_and_head_finds_it() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let photo = fake_jpeg(1, 300 * 1024);
    let sha256 = sha256_hex(&photo);
    let uri = format!("/api/photos/{sha256}");

    let head = app.with_token(Method::HEAD, &uri, &token).await;
    assert_eq!(head.status, StatusCode::NOT_FOUND);

    let first = app.put_photo(&token, &photo, "image/jpeg").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let receipt: PhotoReceipt = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(
        receipt,
        PhotoReceipt {
            sha256: sha256.clone(),
            bytes: photo.len() as u64,
            created: true
        }
    );
    let again = app.put_photo(&token, &photo, "image/jpeg").await;
    assert_eq!(again.status, StatusCode::OK);
    let receipt: PhotoReceipt = serde_json::from_slice(&again.body).unwrap();
    assert!(!receipt.created);
    assert_eq!(app.count("photos").await, 1);

    let head = app.with_token(Method::HEAD, &uri, &token).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-length"), photo.len().to_string());
    assert_eq!(head.header("content-type"), "image/jpeg");

    // Upper-case hex names the same photo.
    let upper = format!("/api/photos/{}", sha256.to_ascii_uppercase());
    assert_eq!(
        app.with_token(Method::HEAD, &upper, &token).await.status,
        StatusCode::OK
    );

    let get = app.with_token(Method::GET, &uri, &token).await;
    assert_eq!(get.status, StatusCode::OK);
    assert_eq!(get.body.as_ref(), photo.as_slice());
}

#[tokio::test]
async fn bad_uploads_are_refused_with_their_own_codes() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let photo = fake_jpeg(2, 10_000);
    let sha256 = sha256_hex(&photo);

    /// name, path, bytes, content type, expected status, expected code.
    type Case<'a> = (&'a str, String, Vec<u8>, &'a str, StatusCode, &'a str);
    let cases: Vec<Case> = vec![
        (
            "short path",
            "abc".into(),
            photo.clone(),
            "image/jpeg",
            StatusCode::BAD_REQUEST,
            "invalid_sha256",
        ),
        (
            "not hex",
            "g".repeat(64),
            photo.clone(),
            "image/jpeg",
            StatusCode::BAD_REQUEST,
            "invalid_sha256",
        ),
        (
            "text",
            sha256.clone(),
            photo.clone(),
            "text/plain",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "json",
            sha256.clone(),
            photo.clone(),
            "application/json",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "cut short",
            sha256.clone(),
            photo[..5_000].to_vec(),
            "image/jpeg",
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
        (
            "other bytes",
            sha256.clone(),
            fake_jpeg(3, 10_000),
            "image/png",
            StatusCode::UNPROCESSABLE_ENTITY,
            "hash_mismatch",
        ),
    ];
    for (name, path, bytes, content_type, status, code) in cases {
        let response = app.put_photo_at(&token, &path, &bytes, content_type).await;
        assert_eq!(response.status, status, "{name}: {}", response.text());
        assert_eq!(response.error_code(), code, "{name}");
    }
    assert_eq!(app.count("photos").await, 0);

    // Every allowed type, with parameters; served with the type read from the bytes.
    for (bytes, content_type, served) in [
        (fake_png(4, 1_000), "image/png", "image/png"),
        (fake_webp(5, 1_000), "image/webp", "image/webp"),
        (
            fake_jpeg(6, 1_000),
            "image/jpeg; charset=binary",
            "image/jpeg",
        ),
    ] {
        let response = app.put_photo(&token, &bytes, content_type).await;
        assert_eq!(response.status, StatusCode::CREATED, "{content_type}");
        let uri = format!("/api/photos/{}", sha256_hex(&bytes));
        let get = app.with_token(Method::GET, &uri, &token).await;
        assert_eq!(get.header("content-type"), served);
        let head = app.with_token(Method::HEAD, &uri, &token).await;
        assert_eq!(head.header("content-type"), served);
    }
}

#[tokio::test]
async fn bytes_that_are_not_the_image_they_claim_are_refused_415() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let html = b"<!doctype html><script>alert(document.cookie)</script>".to_vec();
    let riff_wave = fake_image(b"RIFF\x10\0\0\0WAVEfmt ", 1, 500);
    // name, bytes, declared type, expected code, a fragment of the message.
    let cases = [
        (
            "HTML as PNG",
            html.clone(),
            "image/png",
            "unsupported_photo_format",
            "JPEG",
        ),
        (
            "HTML as JPEG",
            html,
            "image/jpeg",
            "unsupported_photo_format",
            "JPEG",
        ),
        (
            "a WAV file as WebP",
            riff_wave,
            "image/webp",
            "unsupported_photo_format",
            "WebP",
        ),
        (
            "empty",
            Vec::new(),
            "image/jpeg",
            "unsupported_photo_format",
            "JPEG",
        ),
        (
            "JPEG as PNG",
            fake_jpeg(2, 500),
            "image/png",
            "photo_type_mismatch",
            "image/jpeg",
        ),
        (
            "PNG as JPEG",
            fake_png(3, 500),
            "image/jpeg",
            "photo_type_mismatch",
            "image/png",
        ),
        (
            "WebP as PNG",
            fake_webp(4, 500),
            "image/png",
            "photo_type_mismatch",
            "image/webp",
        ),
    ];
    for (name, bytes, declared, code, fragment) in cases {
        let response = app.put_photo(&token, &bytes, declared).await;
        assert_eq!(
            response.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), code, "{name}");
        let message = response.json()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(fragment), "{name}: {message}");
    }
    assert_eq!(app.count("photos").await, 0);
    assert_eq!(app.count("photo_uploads").await, 0);
}

#[tokio::test]
async fn a_photo_stored_with_a_false_type_before_the_check_is_served_by_its_bytes() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let html = b"<!doctype html><script>alert(1)</script>".to_vec();
    let sha256 = sha256_hex(&html);
    // As the server stored it before it read signatures.
    sqlx::query(
        "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at) \
         VALUES ($1, $2, $3, 'image/png', $4, '2026-01-01T00:00:00Z')",
    )
    .bind(&sha256)
    .bind(&html)
    .bind(html.len() as i64)
    .bind(demo_user_id(0).to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO photo_uploads (sha256, user_id, uploaded_at) \
         VALUES ($1, $2, '2026-01-01T00:00:00Z')",
    )
    .bind(&sha256)
    .bind(demo_user_id(0).to_string())
    .execute(&app.pool)
    .await
    .unwrap();
    let uri = format!("/api/photos/{sha256}");
    let get = app.with_token(Method::GET, &uri, &token).await;
    assert_eq!(get.status, StatusCode::OK);
    assert_eq!(get.header("content-type"), "application/octet-stream");
    let head = app.with_token(Method::HEAD, &uri, &token).await;
    assert_eq!(head.header("content-type"), "application/octet-stream");
}

#[tokio::test]
async fn a_photo_over_two_mib_is_413_too_large() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let big = fake_jpeg(9, 2 * 1024 * 1024 + 1);
    let response = app.put_photo(&token, &big, "image/jpeg").await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.error_code(), "too_large");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains("2048 KiB")
    );

    // Without a Content-Length (a streamed body) the limit holds too.
    let sha256 = sha256_hex(&big);
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let response = app
        .send(
            Request::put(format!("/api/photos/{sha256}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "image/jpeg")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.error_code(), "too_large");

    // Just under the limit is fine.
    let fits = fake_jpeg(10, 2 * 1024 * 1024);
    let response = app.put_photo(&token, &fits, "image/jpeg").await;
    assert_eq!(response.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_photo_is_shown_to_those_who_see_the_record_that_refers_to_it() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let other_helper = app.demo_token(HELPER_2).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let photo = fake_jpeg(11, 20_000);
    let uri = format!("/api/photos/{}", sha256_hex(&photo));
    // The first secretary uploads it and refers to it in a visit to 王海燕's household.
    assert_eq!(
        app.put_photo(&secretary, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.with_token(Method::GET, &uri, &helper).await.status,
        StatusCode::NOT_FOUND,
        "not referenced yet: as if the server did not have it"
    );
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(3));
    visit
        .evidence
        .push(evidence_for(&photo, Some(visit.visit.id)));
    let response = app.submit(&secretary, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    assert_eq!(
        app.with_token(Method::GET, &uri, &helper).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.with_token(Method::GET, &uri, &other_helper)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let missing = format!("/api/photos/{}", "0".repeat(64));
    let response = app.with_token(Method::GET, &missing, &helper).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "photo_not_found");
}
