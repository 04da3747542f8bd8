//! `GET /api/photos/{sha256}/thumbnail`: a small JPEG for whoever may see the photo, 404 for everyone else, 415 for
//! stored bytes that are not a readable JPEG, 400 for a path that is not a hash.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::sync::*;
use image::codecs::jpeg::JpegEncoder;
use image::{GenericImageView, RgbImage};
use zoufang_server::api::sha256_hex;
use zoufang_server::demo::demo_user_id;

fn real_jpeg(width: u32, height: u32) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 90])
    });
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 92)
        .encode_image(&picture)
        .unwrap();
    bytes
}

#[tokio::test]
async fn the_first_secretary_gets_a_small_jpeg_of_a_submitted_photo_and_another_helper_gets_404() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let stranger = app.demo_token(HELPER_2).await;
    let photo = real_jpeg(1600, 1200);
    assert_eq!(
        app.put_photo(&helper, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    let evidence = evidence_for(&photo, Some(visit.visit.id));
    visit.visit.evidence.push(evidence.id);
    visit.evidence.push(evidence);
    let response = app.submit(&helper, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    let path = format!("/api/photos/{}/thumbnail", sha256_hex(&photo));
    let thumbnail = app.with_token(Method::GET, &path, &secretary).await;
    assert_eq!(thumbnail.status, StatusCode::OK, "{}", thumbnail.text());
    assert_eq!(thumbnail.header("content-type"), "image/jpeg");
    // A household's photo stays out of the browser's HTTP cache; the phone keeps it sealed.
    assert_eq!(thumbnail.header("cache-control"), "no-store");
    let decoded = image::load_from_memory(&thumbnail.body).unwrap();
    assert_eq!(decoded.dimensions(), (256, 192));
    assert!(
        thumbnail.body.len() * 10 < photo.len(),
        "{} bytes of {}",
        thumbnail.body.len(),
        photo.len()
    );

    let refused = app.with_token(Method::GET, &path, &stranger).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.error_code(), "photo_not_found");
}

#[tokio::test]
async fn bytes_that_are_not_a_readable_jpeg_get_415_and_a_path_that_is_not_a_hash_400() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    // JPEG's signature, then noise: accepted as a photo, but no thumbnail can be made of it.
    let photo = fake_jpeg(33, 20_000);
    assert_eq!(
        app.put_photo(&helper, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let path = format!("/api/photos/{}/thumbnail", sha256_hex(&photo));
    let response = app.with_token(Method::GET, &path, &helper).await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(response.error_code(), "unsupported_photo_format");

    let response = app
        .with_token(Method::GET, "/api/photos/not-a-hash/thumbnail", &helper)
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.error_code(), "invalid_sha256");
}
