//! What a phone receives with each household — the accepted record, income sheets by year, the plan, the review
//! with its comment, the latest visits with their photos' metadata, the risk with its reasons — and who receives
//! it; and review decisions queued offline (idempotent by UUID, a superseded version, one's own plan).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use uuid::Uuid;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, ChangesResponse, HouseholdHistoryResponse, PlanReview,
    ReviewDecision, ReviewRequest, ReviewStatus, VISIT_HISTORY_LIMIT, VISITS_IN_FULL, VisitSummary,
};
use zoufang_server::demo::demo_user_id;

async fn assignments(app: &TestApp, token: &str) -> AssignmentsResponse {
    let response = app.with_token(Method::GET, "/api/assignments", token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice(&response.body).unwrap()
}

async fn changes(app: &TestApp, token: &str, since: Option<&str>) -> ChangesResponse {
    let uri = since.map_or("/api/changes".to_owned(), |c| {
        format!("/api/changes?since={c}")
    });
    let response = app.with_token(Method::GET, &uri, token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice(&response.body).unwrap()
}

fn find(list: &[AssignedHousehold], id: Uuid) -> &AssignedHousehold {
    list.iter().find(|h| h.household.id.0 == id).unwrap()
}

async fn decide(
    app: &TestApp,
    token: &str,
    id: Option<Uuid>,
    submission_id: Uuid,
    decision: ReviewDecision,
    comments: &str,
) -> common::TestResponse {
    let request = ReviewRequest {
        id,
        submission_id,
        decision,
        comments: comments.to_owned(),
    };
    app.send_json(Method::POST, "/api/reviews", token, request)
        .await
}

/// 王海燕 submits a visit with one photo to her first household; returns the household and the submission.
async fn visit_with_photo(app: &TestApp) -> (Uuid, Uuid, String) {
    let helper = app.demo_token(HELPER_1).await;
    let household_id = households_of(app, 0).await[0];
    let server = assigned(app, household_id).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    let photo = fake_jpeg(11, 30_000);
    let evidence = evidence_for(&photo, Some(visit.visit.id));
    let sha256 = evidence.sha256.as_str().to_owned();
    visit.visit.evidence.push(evidence.id);
    visit.evidence.push(evidence);
    assert_eq!(
        app.put_photo(&helper, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let submission = visit_submission(visit);
    let response = app.submit(&helper, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    (household_id, submission.id, sha256)
}

#[tokio::test]
async fn a_submitted_visit_travels_whole_to_the_helper_s_new_phone_and_to_the_first_secretary() {
    let app = seeded().await;
    let (household_id, submission_id, sha256) = visit_with_photo(&app).await;
    // A second login stands for a new phone: it has nothing but what the server sends.
    let new_phone = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    for token in [&new_phone, &secretary] {
        let listing = assignments(&app, token).await;
        let household = find(&listing.households, household_id);
        let plan = household.plan.as_ref().expect("the submitted plan");
        assert!(!plan.measures.is_empty(), "the plan's measures");
        let year = plan.year;
        let sheet = household
            .income_sheet(year)
            .expect("the year's income sheet");
        assert!(!sheet.lines.is_empty(), "the income lines");
        assert_eq!(household.visits.len(), 1);
        let visit = &household.visits[0];
        assert_eq!(visit.submission_id, submission_id);
        assert_eq!(visit.submitted_by.as_deref(), Some("王海燕"));
        assert_eq!(visit.visit.notes, "入户走访，核对家庭成员和收入");
        assert_eq!(visit.evidence.len(), 1);
        assert_eq!(visit.evidence[0].sha256.as_str(), sha256);
        assert_eq!(
            household.review.as_ref().map(|r| r.status),
            Some(ReviewStatus::Pending)
        );
        // The colour comes with the reasons that set it.
        for rule in &household.risk.triggered {
            assert!(!rule.reason_zh.is_empty() && !rule.reason_en.is_empty());
        }
    }
}

#[tokio::test]
async fn an_approval_comment_reaches_the_helper_with_the_review_history() {
    let app = seeded().await;
    let (household_id, submission_id, _) = visit_with_photo(&app).await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let cursor = changes(&app, &helper, None).await.cursor;
    let comment = "同意。下次走访请带上低保申请表。";
    let response = decide(
        &app,
        &secretary,
        Some(Uuid::new_v4()),
        submission_id,
        ReviewDecision::Approve,
        comment,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());

    let feed = changes(&app, &helper, Some(&cursor)).await;
    assert_eq!(feed.households.len(), 1);
    let household = find(&feed.households, household_id);
    assert_eq!(
        household.review_comment(),
        Some((ReviewStatus::Approved, comment))
    );
    assert_eq!(household.review_history.len(), 1);
    let entry = &household.review_history[0];
    assert_eq!(entry.decision, ReviewDecision::Approve);
    assert_eq!(entry.comments, comment);
    assert_eq!(entry.reviewer_name.as_deref(), Some("符明亮"));
}

#[tokio::test]
async fn each_role_gets_only_its_households_and_a_cadre_none() {
    let app = seeded().await;
    let (visited, _, _) = visit_with_photo(&app).await;
    let helper_1 = assignments(&app, &app.demo_token(HELPER_1).await).await;
    let helper_2 = assignments(&app, &app.demo_token(HELPER_2).await).await;
    let village = assignments(&app, &app.demo_token(FIRST_SECRETARY).await).await;
    let ids = |listing: &AssignmentsResponse| -> BTreeSet<Uuid> {
        listing
            .households
            .iter()
            .map(|h| h.household.id.0)
            .collect()
    };
    let own_1: BTreeSet<Uuid> = households_of(&app, 0).await.into_iter().collect();
    let own_2: BTreeSet<Uuid> = households_of(&app, 1).await.into_iter().collect();
    assert_eq!(ids(&helper_1), own_1);
    assert_eq!(ids(&helper_2), own_2);
    assert!(ids(&helper_2).is_disjoint(&ids(&helper_1)));
    assert!(!ids(&helper_2).contains(&visited));
    // No one else's visit rides along with a helper's households.
    assert!(helper_2.households.iter().all(|h| h.visits.is_empty()));
    assert_eq!(village.households.len(), 12);
    assert_eq!(find(&village.households, visited).visits.len(), 1);
    // The same scoping in the change feed.
    let feed_2 = changes(&app, &app.demo_token(HELPER_2).await, None).await;
    assert!(
        feed_2
            .households
            .iter()
            .all(|h| own_2.contains(&h.household.id.0))
    );
    for phone in [CADRE, ADMIN] {
        let token = app.demo_token(phone).await;
        for uri in ["/api/assignments", "/api/changes"] {
            let response = app.with_token(Method::GET, uri, &token).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone} {uri}");
            assert!(
                !response.text().contains("household"),
                "{}",
                response.text()
            );
        }
    }
}

#[tokio::test]
async fn only_the_latest_twelve_visits_travel_newest_first() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let household_id = households_of(&app, 0).await[0];
    let total = VISIT_HISTORY_LIMIT + 2;
    for index in 0..total {
        let server = assigned(&app, household_id).await;
        let mut visit = visit_for(&server, demo_user_id(0));
        let minutes = i64::try_from(total - index).unwrap() * 60;
        visit.visit.started_at -= time::Duration::minutes(minutes);
        visit.visit.ended_at -= time::Duration::minutes(minutes);
        visit.visit.notes = format!("第{index}次走访");
        explain_every_warning(&mut visit);
        let response = app.submit(&helper, &visit_submission(visit)).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    }
    // The download carries the latest in full and the rest in brief, twelve in all.
    let listing = assignments(&app, &helper).await;
    let household = find(&listing.households, household_id);
    assert_eq!(household.visits.len(), VISITS_IN_FULL);
    assert_eq!(
        household.visits[0].visit.notes,
        format!("第{}次走访", total - 1)
    );
    assert_eq!(
        household.visits.len() + household.earlier_visits.len(),
        VISIT_HISTORY_LIMIT
    );
    assert!(
        household
            .earlier_visits
            .iter()
            .all(|brief| brief.submitted_by.as_deref() == Some("王海燕"))
    );
    // The household's history carries all twelve in full, newest first.
    let response = app
        .with_token(
            Method::GET,
            &format!("/api/households/{household_id}/history"),
            &helper,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let history: HouseholdHistoryResponse = serde_json::from_slice(&response.body).unwrap();
    let visits = &history.visits;
    assert_eq!(visits.len(), VISIT_HISTORY_LIMIT);
    assert_eq!(visits[0].visit.notes, format!("第{}次走访", total - 1));
    assert!(
        visits
            .windows(2)
            .all(|pair| pair[0].visit.started_at >= pair[1].visit.started_at)
    );
    let briefs: Vec<_> = visits[VISITS_IN_FULL..]
        .iter()
        .map(VisitSummary::of)
        .collect();
    assert_eq!(briefs, household.earlier_visits);
}

#[tokio::test]
async fn a_queued_decision_sent_twice_is_recorded_once_and_a_reused_id_is_409() {
    let app = seeded().await;
    let (household_id, submission_id, _) = visit_with_photo(&app).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let id = Uuid::new_v4();
    let comments = "收入核算缺少务工证明。";
    let first = decide(
        &app,
        &secretary,
        Some(id),
        submission_id,
        ReviewDecision::Return,
        comments,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let first: PlanReview = serde_json::from_slice(&first.body).unwrap();
    let again = decide(
        &app,
        &secretary,
        Some(id),
        submission_id,
        ReviewDecision::Return,
        comments,
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(
        serde_json::from_slice::<PlanReview>(&again.body).unwrap(),
        first
    );
    assert_eq!(app.count("review_decisions").await, 1);

    let reused = decide(
        &app,
        &secretary,
        Some(id),
        submission_id,
        ReviewDecision::Approve,
        "",
    )
    .await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    assert_eq!(reused.error_code(), "id_reused");
    assert_eq!(app.count("review_decisions").await, 1);
    let listing = assignments(&app, &secretary).await;
    assert_eq!(
        find(&listing.households, household_id).review_history.len(),
        1
    );
}

#[tokio::test]
async fn a_decision_queued_before_a_newer_plan_arrived_is_a_clear_conflict() {
    let app = seeded().await;
    let (household_id, first, _) = visit_with_photo(&app).await;
    let helper = app.demo_token(HELPER_1).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let server = assigned(&app, household_id).await;
    let newer = visit_submission(visit_for(&server, demo_user_id(0)));
    assert_eq!(
        app.submit(&helper, &newer).await.status,
        StatusCode::CREATED
    );

    let response = decide(
        &app,
        &secretary,
        Some(Uuid::new_v4()),
        first,
        ReviewDecision::Approve,
        "同意",
    )
    .await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.error_code(), "superseded");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("最新版本"), "{message}");
    assert_eq!(
        app.count("review_decisions").await,
        0,
        "a refused decision leaves nothing"
    );
}

#[tokio::test]
async fn a_first_secretary_cannot_review_a_plan_they_submitted() {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let household_id = households_of(&app, 0).await[0];
    let server = assigned(&app, household_id).await;
    let submission = visit_submission(visit_for(&server, demo_user_id(3)));
    let response = app.submit(&secretary, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    for (decision, comments) in [
        (ReviewDecision::Approve, ""),
        (ReviewDecision::Return, "改"),
    ] {
        let response = decide(
            &app,
            &secretary,
            Some(Uuid::new_v4()),
            submission.id,
            decision,
            comments,
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{}",
            response.text()
        );
        assert_eq!(response.error_code(), "own_plan_review");
    }
    let listing = assignments(&app, &secretary).await;
    assert_eq!(
        find(&listing.households, household_id)
            .review
            .as_ref()
            .map(|r| r.status),
        Some(ReviewStatus::Pending)
    );
}
