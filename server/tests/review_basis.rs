//! What a first secretary reviews offline: the submission exactly as sent and the last approved version, carried
//! with the household while its plan awaits review; and who may read a household's full history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use uuid::Uuid;
use zoufang_domain::labels::Locale;
use zoufang_domain::money::Fen;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, ReviewDecision, ReviewRequest,
};
use zoufang_domain::review_diff::{Change, Part, Snapshot, diff};
use zoufang_server::demo::demo_user_id;

async fn assignments(app: &TestApp, token: &str) -> AssignmentsResponse {
    let response = app.with_token(Method::GET, "/api/assignments", token).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice(&response.body).unwrap()
}

/// The household as the first secretary's phone receives it.
async fn downloaded(app: &TestApp, household_id: Uuid) -> AssignedHousehold {
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    assignments(app, &secretary)
        .await
        .households
        .into_iter()
        .find(|h| h.household.id.0 == household_id)
        .unwrap()
}

async fn approve(app: &TestApp, submission_id: Uuid) {
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let request = ReviewRequest {
        id: Some(Uuid::new_v4()),
        submission_id,
        decision: ReviewDecision::Approve,
        comments: "同意。".to_owned(),
    };
    let response = app
        .send_json(Method::POST, "/api/reviews", &secretary, request)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

#[tokio::test]
async fn a_pending_plan_travels_with_the_submission_as_sent_and_the_last_approved_version() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    let household_id = households_of(&app, 0).await[0];

    // A first version: nothing approved yet to compare with.
    let mut first = visit_for(&assigned(&app, household_id).await, demo_user_id(0));
    explain_every_warning(&mut first);
    let first = visit_submission(first);
    let response = app.submit(&helper, &first).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let household = downloaded(&app, household_id).await;
    let basis = household
        .review_basis
        .as_ref()
        .expect("a basis while pending");
    assert_eq!(basis.submission_id, first.id);
    let zoufang_domain::protocol::SubmissionRecord::HouseholdVisit(sent) = &first.record else {
        panic!("a household visit");
    };
    // Exactly what the helper sent, but for the 银行卡号, which a first secretary receives masked.
    let mut as_sent = sent.clone();
    if let Some(account) = as_sent.household.bank_account.as_mut() {
        account.account_number.0 = account.account_number.masked_account_number();
    }
    let shown = basis
        .submitted
        .household
        .bank_account
        .as_ref()
        .map(|account| account.account_number.0.clone());
    assert!(shown.is_some_and(|number| zoufang_domain::model::is_masked_account_number(&number)));
    assert_eq!(basis.submitted, as_sent, "what the helper sent");
    assert!(basis.approved.is_none());

    // Approved: nothing left to review, so no basis.
    approve(&app, first.id).await;
    assert!(downloaded(&app, household_id).await.review_basis.is_none());
    let approved = assigned(&app, household_id).await;

    // A second version with a new measure and more wage income.
    let mut second = visit_for(&approved, demo_user_id(0));
    second.plan.needs.push("低保申请".to_owned());
    let line = second
        .income
        .lines
        .first_mut()
        .expect("the sample sheet has lines");
    line.amount = Fen::from_fen(line.amount.fen() + 100_000);
    explain_every_warning(&mut second);
    let second = visit_submission(second);
    let response = app.submit(&helper, &second).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let pending = downloaded(&app, household_id).await;
    let basis = pending
        .review_basis
        .as_ref()
        .expect("a basis while pending");
    assert_eq!(basis.submission_id, second.id);
    let base = basis.approved.as_ref().expect("the approved first version");
    assert_eq!(base.submission_id, first.id);
    assert_eq!(&base.plan, &sent.plan);
    let parts = diff(
        &Snapshot {
            household: &base.household,
            plan: Some(&base.plan),
            income: Some(&base.income),
            net_per_capita: None,
        },
        &Snapshot {
            household: &basis.submitted.household,
            plan: Some(&basis.submitted.plan),
            income: Some(&basis.submitted.income),
            net_per_capita: None,
        },
        Locale::ZhCn,
    );
    let plan = parts.iter().find(|part| part.part == Part::Plan).unwrap();
    assert!(plan.changes.contains(&Change::Added("低保申请".to_owned())));
    assert!(parts.iter().any(|part| part.part == Part::Income));
}

#[tokio::test]
async fn a_household_s_history_is_read_only_by_its_helper_and_its_village_s_first_secretary() {
    let app = seeded().await;
    let household_id = households_of(&app, 0).await[0];
    let uri = format!("/api/households/{household_id}/history");
    for (phone, status) in [
        (HELPER_1, StatusCode::OK),
        (FIRST_SECRETARY, StatusCode::OK),
        (HELPER_2, StatusCode::FORBIDDEN),
        (CADRE, StatusCode::FORBIDDEN),
        (ADMIN, StatusCode::FORBIDDEN),
    ] {
        let token = app.demo_token(phone).await;
        let response = app.with_token(Method::GET, &uri, &token).await;
        assert_eq!(response.status, status, "{phone}: {}", response.text());
        if status == StatusCode::FORBIDDEN {
            assert!(response.text().contains("forbidden"), "{}", response.text());
        }
    }
    let token = app.demo_token(HELPER_1).await;
    for uri in [
        format!("/api/households/{}/history", Uuid::new_v4()),
        "/api/households/not-an-id/history".to_owned(),
    ] {
        let response = app.with_token(Method::GET, &uri, &token).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            response.text().contains("household_not_found"),
            "{}",
            response.text()
        );
    }
    let response = app.with_token(Method::POST, &uri, &token).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
}
