//! Knowing a photo's hash gives nothing: a submission links only photos its submitter uploaded or may already see,
//! and `HEAD`/`GET` answer 404 to everyone else. Whoever uploads the same bytes becomes an uploader too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use zoufang_domain::protocol::{Submission, SubmissionRecord};
use zoufang_server::api::sha256_hex;
use zoufang_server::demo::demo_user_id;

/// A valid visit of 王海燕's first household by `visitor`, linking `photo`.
async fn visit_linking(app: &TestApp, visitor: usize, photo: &[u8]) -> Submission {
    let server = assigned(app, households_of(app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(visitor));
    let evidence = evidence_for(photo, Some(visit.visit.id));
    visit.visit.evidence.push(evidence.id);
    visit.evidence.push(evidence);
    visit_submission(visit)
}

async fn status_of(app: &TestApp, method: Method, photo: &[u8], token: &str) -> StatusCode {
    app.with_token(method, &format!("/api/photos/{}", sha256_hex(photo)), token)
        .await
        .status
}

#[tokio::test]
async fn a_photo_link_by_a_stranger_is_422_photo_not_yours_until_she_uploads_the_bytes_herself() {
    let app = seeded().await;
    let stranger = app.demo_token(HELPER_2).await;
    let helper = app.demo_token(HELPER_1).await;
    let photo = fake_jpeg(31, 20_000);
    // 陈志强 uploads a photo; 王海燕 learns its hash and links it in a visit to her own household.
    assert_eq!(
        app.put_photo(&stranger, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let submission = visit_linking(&app, 0, &photo).await;
    let response = app.submit(&helper, &submission).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "photo_not_yours");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains(&sha256_hex(&photo)), "{message}");
    assert_eq!(app.count("submissions").await, 0);
    assert_eq!(app.count("submission_photos").await, 0);

    // Neither HEAD nor GET tells her the photo exists.
    assert_eq!(
        status_of(&app, Method::HEAD, &photo, &helper).await,
        StatusCode::NOT_FOUND
    );
    let get = app
        .with_token(
            Method::GET,
            &format!("/api/photos/{}", sha256_hex(&photo)),
            &helper,
        )
        .await;
    assert_eq!(get.status, StatusCode::NOT_FOUND);
    assert_eq!(get.error_code(), "photo_not_found");

    // So her phone uploads the bytes, which makes her an uploader (one row of bytes, two uploaders), and the visit
    // goes through under the same UUID.
    let put = app.put_photo(&helper, &photo, "image/jpeg").await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text());
    assert_eq!(put.json()["created"], false);
    assert_eq!(app.count("photos").await, 1);
    assert_eq!(app.count("photo_uploads").await, 2);
    assert_eq!(
        status_of(&app, Method::HEAD, &photo, &helper).await,
        StatusCode::OK
    );
    let response = app.submit(&helper, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

#[tokio::test]
async fn a_photo_already_linked_to_a_record_she_may_see_may_be_linked_again() {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let helper = app.demo_token(HELPER_1).await;
    let other_helper = app.demo_token(HELPER_2).await;
    let photo = fake_jpeg(32, 20_000);
    // The first secretary uploads a photo and links it in a visit to 王海燕's household.
    app.put_photo(&secretary, &photo, "image/jpeg").await;
    let response = app
        .submit(&secretary, &visit_linking(&app, 3, &photo).await)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    // 王海燕 sees that household, so she may check, download and link the photo.
    assert_eq!(
        status_of(&app, Method::HEAD, &photo, &helper).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&app, Method::GET, &photo, &helper).await,
        StatusCode::OK
    );
    let response = app
        .submit(&helper, &visit_linking(&app, 0, &photo).await)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    // 陈志强 does not see it: he can neither check it nor link it into one of his own households.
    assert_eq!(
        status_of(&app, Method::HEAD, &photo, &other_helper).await,
        StatusCode::NOT_FOUND
    );
    let server = assigned(&app, households_of(&app, 1).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(1));
    visit
        .evidence
        .push(evidence_for(&photo, Some(visit.visit.id)));
    let response = app.submit(&other_helper, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "photo_not_yours");
}

#[tokio::test]
async fn only_the_hashes_she_may_not_use_are_listed_and_a_missing_photo_is_told_first() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let stranger = app.demo_token(HELPER_2).await;
    let mine = fake_jpeg(33, 10_000);
    let theirs = fake_jpeg(34, 10_000);
    let nowhere = fake_jpeg(35, 10_000);
    app.put_photo(&helper, &mine, "image/jpeg").await;
    app.put_photo(&stranger, &theirs, "image/jpeg").await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    for photo in [&mine, &theirs] {
        visit
            .evidence
            .push(evidence_for(photo, Some(visit.visit.id)));
    }
    let response = app.submit(&helper, &visit_submission(visit.clone())).await;
    assert_eq!(response.error_code(), "photo_not_yours");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains(&sha256_hex(&theirs)), "{message}");
    assert!(!message.contains(&sha256_hex(&mine)), "{message}");

    visit
        .evidence
        .push(evidence_for(&nowhere, Some(visit.visit.id)));
    let response = app.submit(&helper, &visit_submission(visit)).await;
    assert_eq!(response.error_code(), "photo_missing");
}

#[tokio::test]
async fn an_attendance_sheet_links_only_photos_its_recorder_uploaded_or_may_see() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let helper = app.demo_token(HELPER_1).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let helpers_photo = fake_jpeg(36, 10_000);
    let cadres_photo = fake_jpeg(37, 10_000);
    app.put_photo(&helper, &helpers_photo, "image/jpeg").await;
    app.put_photo(&cadre, &cadres_photo, "image/jpeg").await;

    let with_photo = |mut sheet: Submission, photo: &[u8]| {
        if let SubmissionRecord::Attendance(attendance) = &mut sheet.record {
            attendance.evidence.push(evidence_for(photo, None));
        }
        sheet
    };
    let sheet = attendance_for(&app, point, &households[..1], demo_user_id(4)).await;
    let response = app.submit(&cadre, &with_photo(sheet, &helpers_photo)).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "photo_not_yours");
    assert_eq!(app.count("attendance_sessions").await, 0);

    let sheet = attendance_for(&app, point, &households[..1], demo_user_id(4)).await;
    let response = app.submit(&cadre, &with_photo(sheet, &cadres_photo)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    // The first secretary sees the teaching point's sheets, so that photo is hers to link too; the helper does not.
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    assert_eq!(
        status_of(&app, Method::GET, &cadres_photo, &secretary).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&app, Method::GET, &cadres_photo, &helper).await,
        StatusCode::NOT_FOUND
    );
    let sheet = attendance_for(&app, point, &households[..1], demo_user_id(3)).await;
    let response = app
        .submit(&secretary, &with_photo(sheet, &cadres_photo))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}
