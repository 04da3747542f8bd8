//! `POST /api/submissions`: idempotency by UUID, stale bases, validation, photos, size limits and bad bodies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::sync::*;
use futures_util::future::join_all;
use zoufang_domain::model::{HouseholdId, UnitLevel, UserId, VisitPurpose};
use zoufang_domain::protocol::{
    AssignmentsResponse, Conflict, HelperChangeRequest, ReviewStatus, SubmissionReceipt,
    SubmissionRecord, ValidationRejection,
};
use zoufang_server::clock::china_date;
use zoufang_server::demo::demo_user_id;

#[tokio::test]
async fn every_demo_household_takes_a_valid_visit() {
    let app = seeded().await;
    for helper in 0..3 {
        for id in households_of(&app, helper).await {
            let server = assigned(&app, id).await;
            let _ = visit_for(&server, demo_user_id(helper));
        }
    }
}

#[tokio::test]
async fn a_helper_submits_a_visit_and_the_household_moves_on() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let household_id = households_of(&app, 0).await[0];
    let server = assigned(&app, household_id).await;
    let visit = visit_for(&server, demo_user_id(0));
    let started_at = visit.visit.started_at;
    let submission = visit_submission(visit);

    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let receipt: SubmissionReceipt = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(receipt.id, submission.id);
    assert_eq!(receipt.household_version, Some(server.version + 1));
    assert!(!receipt.duplicate);

    let after = assigned(&app, household_id).await;
    assert_eq!(after.version, server.version + 1);
    assert_eq!(after.last_visit_on, Some(china_date(started_at)));
    for table in [
        "submissions",
        "plan_versions",
        "income_sheets",
        "visit_logs",
    ] {
        assert_eq!(app.count(table).await, 1, "{table}");
    }

    // The assignments now carry the plan and its pending review.
    let listing = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await;
    let listing: AssignmentsResponse = serde_json::from_slice(&listing.body).unwrap();
    let entry = listing
        .households
        .iter()
        .find(|entry| entry.household.id == HouseholdId(household_id))
        .unwrap();
    let SubmissionRecord::HouseholdVisit(sent) = &submission.record else {
        unreachable!()
    };
    assert_eq!(entry.plan.as_ref(), Some(&sent.plan));
    let review = entry.review.as_ref().unwrap();
    assert_eq!(review.status, ReviewStatus::Pending);
    assert_eq!(review.submission_id, submission.id);
}

#[tokio::test]
async fn the_same_uuid_twice_returns_the_first_receipt_and_stores_one_row() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(0)));

    let first = app.submit(&token, &submission).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let second = app.submit(&token, &submission).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text());
    let first: SubmissionReceipt = serde_json::from_slice(&first.body).unwrap();
    let second: SubmissionReceipt = serde_json::from_slice(&second.body).unwrap();
    assert!(second.duplicate);
    assert_eq!(
        SubmissionReceipt {
            duplicate: false,
            ..second
        },
        first
    );
    assert_eq!(app.count("submissions").await, 1);
    assert_eq!(app.count("household_changes").await, 1);
    assert_eq!(
        assigned(&app, server.household.id.0).await.version,
        server.version + 1,
        "a repeat does not raise the version again"
    );
}

#[tokio::test]
async fn ten_concurrent_duplicates_store_one_row_and_share_one_receipt() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(0)));

    let responses = join_all((0..10).map(|_| app.submit(&token, &submission))).await;
    let mut created = 0;
    let mut receipts = Vec::new();
    for response in &responses {
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("{other}: {}", response.text()),
        }
        let receipt: SubmissionReceipt = serde_json::from_slice(&response.body).unwrap();
        receipts.push((receipt.accepted_at, receipt.household_version));
    }
    assert_eq!(created, 1);
    receipts.dedup();
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    assert_eq!(app.count("submissions").await, 1);
    assert_eq!(app.count("plan_versions").await, 1);
    assert_eq!(app.count("household_changes").await, 1);
}

/// A retry is answered from its stored receipt even when the checks before the insert would refuse it now (here the
/// household has had another helper since): a refused submission is looked up, and replayed if stored.
#[tokio::test]
async fn a_repeat_that_the_checks_would_refuse_now_still_gets_its_receipt() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let household = households_of(&app, 0).await[0];
    let server = assigned(&app, household).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(0)));
    let first = app.submit(&helper, &submission).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());

    let change = HelperChangeRequest {
        user_id: UserId(demo_user_id(1)),
        unit: "区民政局".into(),
        position: "干部".into(),
        unit_level: Some(UnitLevel::County),
        started_on: china_date(time::OffsetDateTime::now_utc()),
    };
    let uri = format!("/api/households/{household}/helper");
    let changed = app.send_json(Method::POST, &uri, &secretary, &change).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    let another = visit_submission(visit_for(&server, demo_user_id(0)));
    assert_eq!(
        app.submit(&helper, &another).await.status,
        StatusCode::FORBIDDEN
    );

    let again = app.submit(&helper, &submission).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    let again: SubmissionReceipt = serde_json::from_slice(&again.body).unwrap();
    let first: SubmissionReceipt = serde_json::from_slice(&first.body).unwrap();
    assert!(again.duplicate);
    assert_eq!(again.accepted_at, first.accepted_at);
}

#[tokio::test]
async fn a_reused_uuid_with_other_content_or_from_another_account_is_refused() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(0)));
    assert_eq!(
        app.submit(&helper, &submission).await.status,
        StatusCode::CREATED
    );

    let mut changed = submission.clone();
    let SubmissionRecord::HouseholdVisit(visit) = &mut changed.record else {
        unreachable!()
    };
    visit.visit.notes.push_str("（补充）");
    let response = app.submit(&helper, &changed).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "id_reused");

    let response = app.submit(&secretary, &submission).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "id_reused");
    assert_eq!(app.count("submissions").await, 1);
}

#[tokio::test]
async fn a_uuid_reused_for_another_household_is_refused_and_writes_nothing_there() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let ids = households_of(&app, 0).await;
    let first = visit_submission(visit_for(&assigned(&app, ids[0]).await, demo_user_id(0)));
    assert_eq!(
        app.submit(&helper, &first).await.status,
        StatusCode::CREATED
    );

    // The second household is still at the version the visit is based on: only the id tells it apart.
    let other = assigned(&app, ids[1]).await;
    let mut reused = visit_submission(visit_for(&other, demo_user_id(0)));
    reused.id = first.id;
    let response = app.submit(&helper, &reused).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    assert_eq!(response.error_code(), "id_reused");
    assert_eq!(assigned(&app, ids[1]).await.version, other.version);
    for table in [
        "submissions",
        "plan_versions",
        "income_sheets",
        "visit_logs",
    ] {
        assert_eq!(app.count(table).await, 1, "{table}");
    }
}

#[tokio::test]
async fn a_stale_base_version_gets_409_with_the_server_copy() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let household_id = households_of(&app, 0).await[0];
    let server = assigned(&app, household_id).await;
    // The first secretary's edit lands first; the helper's edit started from the same version.
    let first = visit_submission(visit_for(&server, demo_user_id(3)));
    assert_eq!(
        app.submit(&secretary, &first).await.status,
        StatusCode::CREATED
    );
    let late = visit_submission(visit_for(&server, demo_user_id(0)));
    let response = app.submit(&helper, &late).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    let conflict: Conflict = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(conflict.code, "stale_base");
    assert!(!conflict.message.is_empty());
    assert_eq!(conflict.base_version, server.version);
    assert_eq!(conflict.server.version, server.version + 1);
    assert_eq!(conflict.server.household.id, HouseholdId(household_id));
    let SubmissionRecord::HouseholdVisit(accepted) = &first.record else {
        unreachable!()
    };
    assert_eq!(conflict.server.plan.as_ref(), Some(&accepted.plan));
    assert_eq!(
        conflict.server.review.map(|review| review.submission_id),
        Some(first.id)
    );
    assert_eq!(
        app.count("submissions").await,
        1,
        "the refused one is not kept"
    );

    // Rebased on the server copy, the same UUID goes through.
    let mut rebased = late.clone();
    let SubmissionRecord::HouseholdVisit(visit) = &mut rebased.record else {
        unreachable!()
    };
    visit.base_version = conflict.server.version;
    let response = app.submit(&helper, &rebased).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

#[tokio::test]
async fn validation_errors_are_refused_with_their_rule_codes() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit.visit.purposes = Vec::<VisitPurpose>::new();
    visit.household.members[0].name = String::new();
    visit.plan.household_id = HouseholdId(uuid::Uuid::new_v4());
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    let rejection: ValidationRejection = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(rejection.code, "validation_failed");
    let codes: Vec<&str> = rejection
        .findings
        .iter()
        .map(|finding| finding.code.as_str())
        .collect();
    for code in ["VL-NO-PURPOSE", "MB-NAME-MISSING", "PL-HOUSEHOLD-MISMATCH"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(
        rejection
            .findings
            .iter()
            .any(|finding| finding.path.as_str() == "visit.purposes")
    );
    assert_eq!(app.count("submissions").await, 0);
}

#[tokio::test]
async fn a_warning_without_a_reason_is_refused_and_passes_with_one() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit.visit.household_confirmation = None;
    let report = validation_report(&visit);
    assert!(report.has("VL-NOT-CONFIRMED"));
    let mut submission = visit_submission(visit.clone());
    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rejection: ValidationRejection = serde_json::from_slice(&response.body).unwrap();
    let codes: Vec<&str> = rejection
        .findings
        .iter()
        .map(|finding| finding.code.as_str())
        .collect();
    assert_eq!(codes, ["VL-NOT-CONFIRMED"], "only the unexplained warning");

    // A blank reason is no reason.
    visit
        .warning_reasons
        .insert("VL-NOT-CONFIRMED".into(), "   ".into());
    submission.record = SubmissionRecord::HouseholdVisit(visit.clone());
    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);

    visit
        .warning_reasons
        .insert("VL-NOT-CONFIRMED".into(), "户主外出务工，电话确认".into());
    submission.record = SubmissionRecord::HouseholdVisit(visit);
    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

#[tokio::test]
async fn a_visit_referring_to_a_photo_not_uploaded_is_refused_until_it_is() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    let photo = fake_jpeg(7, 40_000);
    let evidence = evidence_for(&photo, Some(visit.visit.id));
    let sha256 = evidence.sha256.as_str().to_owned();
    visit.visit.evidence.push(evidence.id);
    visit.evidence.push(evidence);
    let submission = visit_submission(visit);

    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "photo_missing");
    assert!(
        response.json()["message"]
            .as_str()
            .unwrap()
            .contains(&sha256)
    );
    assert_eq!(app.count("submissions").await, 0);

    assert_eq!(
        app.put_photo(&token, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(app.count("submission_photos").await, 1);
}

#[tokio::test]
async fn a_visit_with_several_photos_lists_only_those_not_uploaded_and_links_them_all() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    let photos: Vec<Vec<u8>> = (0..3).map(|seed| fake_jpeg(20 + seed, 30_000)).collect();
    for photo in &photos {
        let evidence = evidence_for(photo, Some(visit.visit.id));
        visit.visit.evidence.push(evidence.id);
        visit.evidence.push(evidence);
    }
    let hashes: Vec<String> = photos
        .iter()
        .map(|photo| zoufang_server::api::sha256_hex(photo))
        .collect();
    let submission = visit_submission(visit);
    assert_eq!(
        app.put_photo(&token, &photos[1], "image/jpeg").await.status,
        StatusCode::CREATED
    );

    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "photo_missing");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(&hashes[0]) && message.contains(&hashes[2]),
        "{message}"
    );
    assert!(!message.contains(&hashes[1]), "{message}");

    for photo in [&photos[0], &photos[2]] {
        assert_eq!(
            app.put_photo(&token, photo, "image/jpeg").await.status,
            StatusCode::CREATED
        );
    }
    let response = app.submit(&token, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(app.count("submission_photos").await, 3);
}

#[tokio::test]
async fn an_unknown_household_is_404_and_a_changed_code_is_422() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;

    let mut stranger = server.clone();
    stranger.household.id = HouseholdId(uuid::Uuid::new_v4());
    let visit = visit_for(&stranger, demo_user_id(0));
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "household_not_found");

    let mut visit = visit_for(&server, demo_user_id(0));
    visit.household.household_code = "4601070000000000".into();
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "household_code_changed");
}

#[tokio::test]
async fn a_body_over_one_mib_is_413_with_a_reason() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit.visit.notes = "走".repeat(400_000);
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.error_code(), "payload_too_large");
    assert!(response.json()["message"].as_str().unwrap().contains("KiB"));
}

#[tokio::test]
async fn malformed_bodies_get_4xx_never_500() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let valid =
        serde_json::to_value(visit_submission(visit_for(&server, demo_user_id(0)))).unwrap();
    let with = |pointer: &str, value: serde_json::Value| {
        let mut body = valid.clone();
        *body.pointer_mut(pointer).unwrap() = value;
        body.to_string()
    };
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("truncated", "{\"id\":".into()),
        ("array", "[]".into()),
        ("null", "null".into()),
        ("not a uuid", with("/id", "not-a-uuid".into())),
        ("unknown kind", with("/record/kind", "party".into())),
        ("no record", {
            let mut body = valid.clone();
            body.as_object_mut().unwrap().remove("record");
            body.to_string()
        }),
        ("bad instant", with("/submitted_at", "yesterday".into())),
        (
            "huge version",
            with("/record/base_version", serde_json::json!(1e300)),
        ),
        (
            "negative fen",
            with("/record/income/lines/0/amount", "-x".into()),
        ),
        ("bad sha256", {
            let mut body = valid.clone();
            body["record"]["evidence"] = serde_json::json!([{
                "schema_version": 1, "id": uuid::Uuid::new_v4(), "visit_id": null, "kind": "site_photo",
                "taken_at": "2026-11-22T08:00:00Z", "gps": null, "sha256": "abc", "bytes": 1,
                "width": null, "height": null, "caption": ""
            }]);
            body.to_string()
        }),
        ("gps out of range", {
            let mut body = valid.clone();
            body["record"]["evidence"] = serde_json::json!([{
                "schema_version": 1, "id": uuid::Uuid::new_v4(), "visit_id": null, "kind": "site_photo",
                "taken_at": "2026-11-22T08:00:00Z",
                "gps": {"latitude": 91.0, "longitude": 0.0, "accuracy_m": 5.0, "source": "gnss"},
                "sha256": "a".repeat(64), "bytes": 1, "width": null, "height": null, "caption": ""
            }]);
            body.to_string()
        }),
        (
            "future schema",
            with("/record/household/schema_version", 99.into()),
        ),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        (
            "invalid utf-8",
            String::from_utf8_lossy(&[0x7b, 0xff, 0xfe, 0x7d]).into_owned(),
        ),
    ];
    for (name, body) in cases {
        let response = app
            .send(
                Request::post("/api/submissions")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert!(
            response.status.is_client_error(),
            "{name}: {} {}",
            response.status,
            response.text()
        );
        let _ = response.error_code();
    }
    let response = app
        .send(
            Request::post("/api/submissions")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(valid.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = app
        .send(
            Request::post("/api/submissions")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(valid.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("submissions").await, 0);
}
