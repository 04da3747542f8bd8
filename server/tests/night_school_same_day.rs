//! One session per teaching point and date: two phones that each start the same Monday's session offline make one
//! session on the server — the second sheet folded into the first when no household is marked differently, else a
//! 409 `session_conflict` with the server's copy — and the first secretary's confirmation of an outdated version.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use serde_json::json;
use uuid::Uuid;
use zoufang_domain::model::{AbsenceReason, AttendanceStatus, HouseholdId};
use zoufang_domain::protocol::{
    AttendanceSheet, NightSchoolResponse, SessionConflict, SessionRecord, Submission,
    SubmissionRecord,
};
use zoufang_server::demo::demo_user_id;

fn sheet(submission: &mut Submission) -> &mut AttendanceSheet {
    let SubmissionRecord::Attendance(sheet) = &mut submission.record else {
        unreachable!()
    };
    sheet
}

async fn sessions(app: &TestApp, token: &str) -> Vec<SessionRecord> {
    let response = app
        .with_token(Method::GET, "/api/night-school", token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body: NightSchoolResponse = serde_json::from_slice(&response.body).unwrap();
    body.points[0].sessions.clone()
}

async fn distinct_sessions(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(DISTINCT session_id) FROM attendance_sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Phone A's and phone B's first sheets for today's session of the demo point, each with its own session id.
async fn two_phones(app: &TestApp, a: &[Uuid], b: &[Uuid]) -> (Submission, Submission) {
    let point = demo_teaching_point(app).await;
    let phone_a = attendance_for(app, point, a, demo_user_id(4)).await;
    let mut phone_b = attendance_for(app, point, b, demo_user_id(4)).await;
    sheet(&mut phone_b).session.topic = String::new();
    sheet(&mut phone_b).session.discussion_notes = "B 手机记录的讨论".into();
    (phone_a, phone_b)
}

#[tokio::test]
async fn a_second_phones_sheet_for_the_same_monday_folds_into_the_session_already_there() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let households = households_of(&app, 0).await;
    let (phone_a, phone_b) = two_phones(&app, &households[0..2], &households[1..3]).await;
    let a_id = sheet(&mut phone_a.clone()).session.id;
    assert_ne!(a_id, sheet(&mut phone_b.clone()).session.id);
    assert_eq!(
        app.submit(&cadre, &phone_a).await.status,
        StatusCode::CREATED
    );

    // Household 1 is marked alike on both phones, household 2 only on B: accepted, as version 2 of A's session.
    let response = app.submit(&cadre, &phone_b).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(distinct_sessions(&app).await, 1);
    let records = sessions(&app, &cadre).await;
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!((record.session.id, record.version), (a_id, 2));
    let marked: Vec<HouseholdId> = record
        .session
        .attendance
        .iter()
        .map(|e| e.household_id)
        .collect();
    assert_eq!(
        marked,
        households[0..3]
            .iter()
            .map(|id| HouseholdId(*id))
            .collect::<Vec<_>>()
    );
    // A's topic stays; B's notes fill what A left empty.
    assert_eq!(record.session.topic, "冬季瓜菜种植技术");
    assert_eq!(record.session.discussion_notes, "B 手机记录的讨论");
    assert_eq!(record.rate.present_households, 3);

    // B's sheet again (a lost answer): the first receipt, nothing new.
    let response = app.submit(&cadre, &phone_b).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(app.count("attendance_sessions").await, 2);

    // B's next version under its own session id, built on the version the fold made: an edit of A's session.
    let mut next = phone_b.clone();
    next.id = Uuid::new_v4();
    sheet(&mut next).base_version = 2;
    sheet(&mut next).session.attendance[1].status = AttendanceStatus::Absent;
    sheet(&mut next).session.attendance[1]
        .present_member_ids
        .clear();
    sheet(&mut next).session.attendance[1].absence_reason = Some(AbsenceReason::FarmWork);
    let response = app.submit(&cadre, &next).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(distinct_sessions(&app).await, 1);
    let record = sessions(&app, &cadre).await[0].clone();
    assert_eq!((record.session.id, record.version), (a_id, 3));
}

#[tokio::test]
async fn households_marked_differently_on_the_two_phones_are_a_conflict_and_nothing_is_stored() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let households = households_of(&app, 0).await;
    let (phone_a, mut phone_b) = two_phones(&app, &households[0..2], &households[0..3]).await;
    assert_eq!(
        app.submit(&cadre, &phone_a).await.status,
        StatusCode::CREATED
    );
    let entry = &mut sheet(&mut phone_b).session.attendance[0];
    entry.status = AttendanceStatus::Excused;
    entry.present_member_ids.clear();
    entry.absence_reason = Some(AbsenceReason::Illness);

    let response = app.submit(&cadre, &phone_b).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    let conflict: SessionConflict = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        (conflict.code.as_str(), conflict.base_version),
        ("session_conflict", 0)
    );
    assert!(
        conflict.message.contains("另一部手机"),
        "{}",
        conflict.message
    );
    assert!(conflict.message.contains("1 户"), "{}", conflict.message);
    // The server's copy is A's session, so the phone can compare household by household.
    assert_eq!(
        conflict.server.session.id,
        sheet(&mut phone_a.clone()).session.id
    );
    assert_eq!(conflict.server.version, 1);
    assert_eq!(app.count("attendance_sessions").await, 1);
    assert_eq!(distinct_sessions(&app).await, 1);

    // The phone's choice, submitted on the server's version: accepted into the same session.
    let mut resolved = phone_b.clone();
    resolved.id = Uuid::new_v4();
    sheet(&mut resolved).base_version = conflict.server.version;
    let response = app.submit(&cadre, &resolved).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(distinct_sessions(&app).await, 1);
    let record = sessions(&app, &cadre).await[0].clone();
    assert_eq!(record.version, 2);
    assert_eq!(record.session.attendance.len(), 3);
}

#[tokio::test]
async fn a_second_sheet_for_a_confirmed_monday_is_a_conflict_that_needs_a_reason() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let households = households_of(&app, 0).await;
    let (phone_a, phone_b) = two_phones(&app, &households[0..1], &households[1..2]).await;
    assert_eq!(
        app.submit(&cadre, &phone_a).await.status,
        StatusCode::CREATED
    );
    let a_id = sheet(&mut phone_a.clone()).session.id.0;
    let confirm = format!("/api/night-school/sessions/{a_id}/confirm");
    let response = app
        .send_json(Method::POST, &confirm, &secretary, json!({ "version": 1 }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());

    let response = app.submit(&cadre, &phone_b).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    let conflict: SessionConflict = serde_json::from_slice(&response.body).unwrap();
    assert!(conflict.message.contains("确认"), "{}", conflict.message);
    assert_eq!(app.count("attendance_sessions").await, 1);
    // On the server's version without a reason: 422; with one: the confirmed version kept, the edit stored.
    let mut resolved = phone_b.clone();
    resolved.id = Uuid::new_v4();
    sheet(&mut resolved).base_version = 1;
    let response = app.submit(&cadre, &resolved).await;
    assert_eq!(response.error_code(), "edit_reason_required");
    sheet(&mut resolved).edit_reason = "另一部手机补记".into();
    let response = app.submit(&cadre, &resolved).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    assert_eq!(distinct_sessions(&app).await, 1);
}

#[tokio::test]
async fn confirming_a_version_that_is_no_longer_the_current_one_is_refused_with_a_reason() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let households = households_of(&app, 0).await;
    let (phone_a, _) = two_phones(&app, &households[0..2], &[]).await;
    assert_eq!(
        app.submit(&cadre, &phone_a).await.status,
        StatusCode::CREATED
    );
    let mut edit = phone_a.clone();
    edit.id = Uuid::new_v4();
    sheet(&mut edit).base_version = 1;
    sheet(&mut edit).session.topic = "改过的主题".into();
    assert_eq!(app.submit(&cadre, &edit).await.status, StatusCode::CREATED);

    // The secretary's phone read version 1 (offline, say) and confirms it after version 2 arrived.
    let a_id = sheet(&mut phone_a.clone()).session.id.0;
    let confirm = format!("/api/night-school/sessions/{a_id}/confirm");
    let response = app
        .send_json(Method::POST, &confirm, &secretary, json!({ "version": 1 }))
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    assert_eq!(response.error_code(), "session_changed");
    let message = response.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("刷新后确认最新"), "{message}");
    assert!(!message.is_ascii());
    assert_eq!(app.count("attendance_confirmations").await, 0);
}
