//! `POST /api/reviews` and `GET /api/changes`: the first secretary's decision and how it reaches the helper.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use uuid::Uuid;
use zoufang_domain::model::HouseholdId;
use zoufang_domain::protocol::{
    ChangesResponse, PlanReview, ReviewDecision, ReviewRequest, ReviewStatus,
};
use zoufang_server::demo::demo_user_id;

/// 王海燕 submits a visit to her first household; returns the household and the submission id.
async fn submitted_plan(app: &TestApp) -> (Uuid, Uuid) {
    let helper = app.demo_token(HELPER_1).await;
    let household_id = households_of(app, 0).await[0];
    let server = assigned(app, household_id).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(0)));
    let response = app.submit(&helper, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    (household_id, submission.id)
}

async fn review(
    app: &TestApp,
    token: &str,
    submission_id: Uuid,
    decision: ReviewDecision,
    comments: &str,
) -> common::TestResponse {
    app.send_json(
        Method::POST,
        "/api/reviews",
        token,
        ReviewRequest {
            id: None,
            submission_id,
            decision,
            comments: comments.to_owned(),
        },
    )
    .await
}

async fn changes(app: &TestApp, token: &str, since: Option<&str>) -> ChangesResponse {
    let uri = match since {
        Some(cursor) => format!("/api/changes?since={cursor}"),
        None => "/api/changes".to_owned(),
    };
    let response = app.with_token(Method::GET, &uri, token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice(&response.body).unwrap()
}

#[tokio::test]
async fn an_approval_is_recorded_once_and_reaches_the_helper() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let everything = changes(&app, &helper, None).await;
    assert_eq!(
        everything.households.len(),
        4,
        "all of the helper's households"
    );
    let cursor = everything.cursor;
    assert!(
        changes(&app, &helper, Some(&cursor))
            .await
            .households
            .is_empty()
    );

    let (household_id, submission_id) = submitted_plan(&app).await;
    let after_visit = changes(&app, &helper, Some(&cursor)).await;
    assert_eq!(after_visit.households.len(), 1);
    assert_eq!(
        after_visit.households[0].review.as_ref().unwrap().status,
        ReviewStatus::Pending
    );

    let response = review(&app, &secretary, submission_id, ReviewDecision::Approve, "").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let decided: PlanReview = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(decided.status, ReviewStatus::Approved);
    assert_eq!(decided.reviewer_name.as_deref(), Some("符明亮"));
    assert_eq!(decided.submission_id, submission_id);
    assert!(decided.reviewed_at.is_some());

    let feed = changes(&app, &helper, Some(&after_visit.cursor)).await;
    assert_eq!(feed.households.len(), 1);
    assert_eq!(feed.households[0].household.id, HouseholdId(household_id));
    assert_eq!(feed.households[0].review.as_ref(), Some(&decided));

    // The same decision again changes nothing.
    let again = review(&app, &secretary, submission_id, ReviewDecision::Approve, "").await;
    assert_eq!(again.status, StatusCode::OK);
    let again: PlanReview = serde_json::from_slice(&again.body).unwrap();
    assert_eq!(again, decided);
    assert!(
        changes(&app, &helper, Some(&feed.cursor))
            .await
            .households
            .is_empty()
    );
}

#[tokio::test]
async fn a_return_needs_comments_and_brings_them_to_the_helper() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let (_, submission_id) = submitted_plan(&app).await;
    let cursor = changes(&app, &helper, None).await.cursor;

    for blank in ["", "  \n "] {
        let response = review(
            &app,
            &secretary,
            submission_id,
            ReviewDecision::Return,
            blank,
        )
        .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.error_code(), "comments_required");
    }
    let comments = "产业措施缺少完成时限，请补充。";
    let response = review(
        &app,
        &secretary,
        submission_id,
        ReviewDecision::Return,
        comments,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());

    let feed = changes(&app, &helper, Some(&cursor)).await;
    let returned = feed.households[0].review.as_ref().unwrap();
    assert_eq!(returned.status, ReviewStatus::Returned);
    assert_eq!(returned.comments, comments);
    // The first secretary's own feed shows it too.
    let village = changes(&app, &secretary, Some(&cursor)).await;
    assert_eq!(village.households.len(), 1);
}

#[tokio::test]
async fn reviewing_a_superseded_version_is_409() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let (household_id, first) = submitted_plan(&app).await;
    let server = assigned(&app, household_id).await;
    let second = visit_submission(visit_for(&server, demo_user_id(0)));
    assert_eq!(
        app.submit(&helper, &second).await.status,
        StatusCode::CREATED
    );
    let response = review(&app, &secretary, first, ReviewDecision::Approve, "").await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "superseded");
    let response = review(&app, &secretary, second.id, ReviewDecision::Approve, "").await;
    assert_eq!(response.status, StatusCode::OK);
    let response = review(
        &app,
        &secretary,
        Uuid::new_v4(),
        ReviewDecision::Approve,
        "",
    )
    .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "plan_version_not_found");
}

#[tokio::test]
async fn a_malformed_cursor_is_400() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    for cursor in ["abc", "-1", "1.5", "", "99999999999999999999", "%FF"] {
        let response = app
            .with_token(
                Method::GET,
                &format!("/api/changes?since={cursor}"),
                &helper,
            )
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{cursor:?}");
        let code = response.error_code();
        assert!(
            code == "invalid_cursor" || code == "invalid_query",
            "{code}"
        );
    }
}

#[tokio::test]
async fn malformed_review_bodies_are_4xx() {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    for body in [
        serde_json::json!({}),
        serde_json::json!({"submission_id": "x", "decision": "approve"}),
        serde_json::json!({"submission_id": Uuid::new_v4(), "decision": "maybe"}),
        serde_json::json!([1, 2]),
    ] {
        let response = app
            .send_json(Method::POST, "/api/reviews", &secretary, body)
            .await;
        assert!(response.status.is_client_error(), "{}", response.text());
    }
}
