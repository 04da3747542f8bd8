//! 电视夜校: the cadre's roster without private fields, session versions and conflicts, the first secretary's
//! confirmation, edits after confirmation, the CSV exports and the helper's follow-up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::{AbsenceReason, AttendanceStatus};
use zoufang_domain::protocol::{
    AssignmentsResponse, ChangesResponse, NightSchoolResponse, SessionConflict, SessionRecord,
    Submission, SubmissionReceipt, SubmissionRecord, ValidationRejection,
};
use zoufang_server::clock::china_date;
use zoufang_server::demo::demo_user_id;

async fn night_school(app: &TestApp, token: &str) -> NightSchoolResponse {
    let response = app
        .with_token(Method::GET, "/api/night-school", token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice(&response.body).unwrap()
}

async fn village_households(app: &TestApp) -> AssignmentsResponse {
    let token = app.demo_token(FIRST_SECRETARY).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await;
    serde_json::from_slice(&response.body).unwrap()
}

/// The same session as a new version: a fresh submission UUID, `base_version` and `edit_reason` set.
fn edit(previous: &Submission, base_version: u32, edit_reason: &str) -> Submission {
    let mut next = previous.clone();
    next.id = Uuid::new_v4();
    let SubmissionRecord::Attendance(sheet) = &mut next.record else {
        unreachable!()
    };
    sheet.base_version = base_version;
    sheet.edit_reason = edit_reason.to_owned();
    next
}

fn sheet(submission: &mut Submission) -> &mut zoufang_domain::protocol::AttendanceSheet {
    let SubmissionRecord::Attendance(sheet) = &mut submission.record else {
        unreachable!()
    };
    sheet
}

#[tokio::test]
async fn a_cadre_sees_only_names_groups_and_members_names_of_the_roster() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let response = app
        .with_token(Method::GET, "/api/night-school", &cadre)
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    let points = body["points"].as_array().unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0]["id"], json!(demo_teaching_point(&app).await));
    let roster = points[0]["roster"].as_array().unwrap();
    let village = village_households(&app).await;
    assert_eq!(roster.len(), village.households.len());
    for entry in roster {
        let mut keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(keys, ["group_name", "head_name", "household_id", "members"]);
        for member in entry["members"].as_array().unwrap() {
            let mut keys: Vec<&str> = member
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort();
            assert_eq!(keys, ["id", "name"]);
        }
    }
    // No ID number, phone, bank account or health value of any household appears anywhere in the answer.
    let text = response.text();
    for assigned in &village.households {
        let household = serde_json::to_value(&assigned.household).unwrap();
        if let Some(account) = household["bank_account"]["account_number"].as_str() {
            assert!(!text.contains(account));
        }
        for helper in household["helpers"].as_array().unwrap() {
            let phone = helper["phone"].as_str().unwrap();
            assert!(
                phone.is_empty() || !text.contains(phone),
                "helper phone {phone} leaked"
            );
        }
        for member in household["members"].as_array().unwrap() {
            for field in ["id_number", "phone"] {
                if let Some(value) = member[field].as_str().filter(|value| value.len() > 3) {
                    assert!(!text.contains(value), "{field} {value} leaked");
                }
            }
        }
    }
    for word in ["id_number", "phone", "bank", "health", "disability"] {
        assert!(!text.contains(word), "{word} in the cadre's answer");
    }
}

#[tokio::test]
async fn helpers_and_admins_do_not_open_the_night_school() {
    let app = seeded().await;
    for phone in [HELPER_1, ADMIN] {
        let token = app.demo_token(phone).await;
        let response = app
            .with_token(Method::GET, "/api/night-school", &token)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone}");
        assert_eq!(response.error_code(), "forbidden");
    }
}

#[tokio::test]
async fn a_session_edited_on_two_phones_conflicts_and_shows_the_server_copy() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let first = attendance_for(&app, point, &households, demo_user_id(4)).await;
    assert_eq!(app.submit(&cadre, &first).await.status, StatusCode::CREATED);
    // The same UUID again is a repeat, not a new version.
    assert_eq!(app.submit(&cadre, &first).await.status, StatusCode::OK);

    // Phone A edits version 1: accepted as version 2.
    let mut phone_a = edit(&first, 1, "");
    sheet(&mut phone_a).session.attendance[0].status = AttendanceStatus::Excused;
    sheet(&mut phone_a).session.attendance[0]
        .present_member_ids
        .clear();
    sheet(&mut phone_a).session.attendance[0].absence_reason = Some(AbsenceReason::FarmWork);
    assert_eq!(
        app.submit(&cadre, &phone_a).await.status,
        StatusCode::CREATED
    );
    // Phone B also started from version 1: 409 with the server's version 2, household by household.
    let phone_b = edit(&first, 1, "");
    let response = app.submit(&cadre, &phone_b).await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    let conflict: SessionConflict = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        (conflict.code.as_str(), conflict.base_version),
        ("session_conflict", 1)
    );
    assert_eq!(conflict.server.version, 2);
    assert_eq!(
        conflict.server.session.attendance[0].status,
        AttendanceStatus::Excused
    );
    // A new session that claims a base version the server never had.
    let response = app
        .submit(
            &cadre,
            &edit(
                &attendance_for(&app, point, &households, demo_user_id(4)).await,
                3,
                "",
            ),
        )
        .await;
    assert_eq!(response.error_code(), "invalid_base_version");

    let sheets = night_school(&app, &cadre).await;
    let record = &sheets.points[0].sessions[0];
    assert_eq!(record.version, 2);
    assert_eq!(
        record.history.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(record.history[1].submitted_by, "吴春花");
    assert_eq!(record.rate.excused_households, 1);
}

#[tokio::test]
async fn only_the_first_secretary_confirms_and_a_later_edit_needs_a_reason() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let first = attendance_for(&app, point, &households, demo_user_id(4)).await;
    assert_eq!(app.submit(&cadre, &first).await.status, StatusCode::CREATED);
    let session_id = sheet(&mut first.clone()).session.id.0;
    let uri = format!("/api/night-school/sessions/{session_id}/confirm");

    for phone in [CADRE, HELPER_1] {
        let token = app.demo_token(phone).await;
        let response = app
            .send_json(Method::POST, &uri, &token, json!({ "version": 1 }))
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone}");
    }
    let response = app
        .send_json(Method::POST, &uri, &secretary, json!({ "version": 2 }))
        .await;
    assert_eq!(
        (response.status, response.error_code()),
        (StatusCode::CONFLICT, "session_changed".to_owned())
    );
    let unknown = format!("/api/night-school/sessions/{}/confirm", Uuid::new_v4());
    let response = app
        .send_json(Method::POST, &unknown, &secretary, json!({ "version": 1 }))
        .await;
    assert_eq!(response.error_code(), "session_not_found");

    let response = app
        .send_json(Method::POST, &uri, &secretary, json!({ "version": 1 }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let record: SessionRecord = serde_json::from_slice(&response.body).unwrap();
    assert!(record.is_confirmed());
    assert_eq!(record.confirmation.as_ref().unwrap().confirmed_by, "符明亮");

    // An edit of the confirmed version without a reason: 422 with a code, nothing stored.
    let response = app.submit(&cadre, &edit(&first, 1, "  ")).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "edit_reason_required");
    assert_eq!(app.count("attendance_sessions").await, 1);
    // With a reason: version 2, the confirmed version 1 kept with who and when, the reason with the edit.
    let response = app.submit(&cadre, &edit(&first, 1, "补记迟到的农户")).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let record = night_school(&app, &secretary).await.points[0].sessions[0].clone();
    assert_eq!(record.version, 2);
    assert!(!record.is_confirmed());
    assert_eq!(record.confirmation.as_ref().unwrap().version, 1);
    assert_eq!(record.history[0].edit_reason, "补记迟到的农户");
    assert_eq!(
        (
            record.history[1].version,
            record.history[1].submitted_by.as_str()
        ),
        (1, "吴春花")
    );
}

#[tokio::test]
async fn the_sign_in_sheet_and_the_month_rates_are_csv_with_a_bom_and_no_formulas() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let mut submission = attendance_for(&app, point, &households, demo_user_id(4)).await;
    {
        let entry = &mut sheet(&mut submission).session.attendance[0];
        entry.status = AttendanceStatus::Excused;
        entry.present_member_ids.clear();
        entry.absence_reason = Some(AbsenceReason::Other);
        entry.absence_note = "=HYPERLINK(\"http://x\")".to_owned();
    }
    assert_eq!(
        app.submit(&cadre, &submission).await.status,
        StatusCode::CREATED
    );
    let session_id = sheet(&mut submission).session.id.0;

    let response = app
        .with_token(
            Method::GET,
            &format!("/api/night-school/sessions/{session_id}/sign-in.csv"),
            &cadre,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "text/csv; charset=utf-8");
    assert!(response.body.starts_with(b"\xEF\xBB\xBF"));
    let text = response.text();
    let village = village_households(&app).await;
    assert_eq!(text.lines().count(), village.households.len() + 3);
    assert!(text.contains("\"组\",\"户主\",\"状态\",\"出席成员\",\"原因\",\"备注\",\"签名\""));
    assert!(
        text.contains("\"请假\",\"\",\"其他\",\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{text}"
    );
    assert!(text.contains("\"出席\"") && text.contains("\"未记\""));
    for field in ["id_number", "phone"] {
        assert!(!text.contains(field));
    }
    // A helper may not export it.
    let helper = app.demo_token(HELPER_1).await;
    let response = app
        .with_token(
            Method::GET,
            &format!("/api/night-school/sessions/{session_id}/sign-in.csv"),
            &helper,
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);

    let month = china_date(OffsetDateTime::now_utc());
    let month = format!("{}-{:02}", month.year(), month.month() as u8);
    let response = app
        .with_token(
            Method::GET,
            &format!("/api/night-school/rates.csv?month={month}"),
            &cadre,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(response.body.starts_with(b"\xEF\xBB\xBF"));
    let text = response.text();
    let present = households.len() - 1;
    assert!(
        text.contains(&format!(
            "\"{month}\",\"清泉村委会教学点\",\"1\",\"{}\",\"{present}\",\"1\",\"0\",\"{}\"",
            village.households.len(),
            village.households.len() - households.len()
        )),
        "{text}"
    );
    let response = app
        .with_token(
            Method::GET,
            "/api/night-school/rates.csv?month=2026-13",
            &cadre,
        )
        .await;
    assert_eq!(
        (response.status, response.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_month".to_owned())
    );
}

#[tokio::test]
async fn the_helper_of_a_household_absent_twice_of_the_last_sessions_sees_the_follow_up() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let village = village_households(&app).await;
    let all: Vec<Uuid> = village
        .households
        .iter()
        .map(|h| h.household.id.0)
        .collect();
    let absentee = households_of(&app, 0).await[0];
    let today = china_date(OffsetDateTime::now_utc());
    for weeks_ago in [1, 2] {
        let mut submission = attendance_for(&app, point, &all, demo_user_id(4)).await;
        let session = &mut sheet(&mut submission).session;
        session.date = today - time::Duration::weeks(weeks_ago);
        let entry = session
            .attendance
            .iter_mut()
            .find(|entry| entry.household_id.0 == absentee)
            .unwrap();
        entry.status = AttendanceStatus::Absent;
        entry.present_member_ids.clear();
        assert_eq!(
            app.submit(&cadre, &submission).await.status,
            StatusCode::CREATED
        );
    }
    let helper = app.demo_token(HELPER_1).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &helper)
        .await;
    let listing: AssignmentsResponse = serde_json::from_slice(&response.body).unwrap();
    // The changes a phone fetches after its download carry the same follow-ups.
    let changes = app.with_token(Method::GET, "/api/changes", &helper).await;
    let changes: ChangesResponse = serde_json::from_slice(&changes.body).unwrap();
    assert_eq!(changes.households.len(), listing.households.len());
    for assigned in listing.households.iter().chain(&changes.households) {
        let follow_up = assigned.night_school_follow_up;
        if assigned.household.id.0 == absentee {
            let follow_up = follow_up.expect("the absentee is followed up");
            assert_eq!((follow_up.absences, follow_up.of_sessions), (2, 2));
        } else {
            assert_eq!(follow_up, None, "{}", assigned.household.household_code);
        }
    }
    let sheets = night_school(&app, &cadre).await;
    assert_eq!(
        sheets.points[0]
            .follow_ups
            .iter()
            .map(|f| f.household_id.0)
            .collect::<Vec<_>>(),
        [absentee]
    );
}

#[tokio::test]
async fn a_cadre_submits_attendance_and_bad_sheets_are_refused() {
    let app = seeded().await;
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let submission = attendance_for(&app, point, &households, demo_user_id(4)).await;
    let response = app.submit(&cadre, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let receipt: SubmissionReceipt = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(receipt.household_version, None);
    assert_eq!(app.count("attendance_sessions").await, 1);
    assert_eq!(app.submit(&cadre, &submission).await.status, StatusCode::OK);

    // 出席 with an absence reason is an error.
    let mut wrong = attendance_for(&app, point, &households, demo_user_id(4)).await;
    let SubmissionRecord::Attendance(sheet) = &mut wrong.record else {
        unreachable!()
    };
    sheet.session.attendance[0].absence_reason = Some(AbsenceReason::Illness);
    let response = app.submit(&cadre, &wrong).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rejection: ValidationRejection = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        rejection.findings[0].code.as_str(),
        "NS-PRESENT-WITH-REASON"
    );

    // An unknown teaching point.
    let unknown = attendance_for(&app, Uuid::new_v4(), &households, demo_user_id(4)).await;
    let response = app.submit(&cadre, &unknown).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "teaching_point_not_found");

    // A household that is not in the village.
    let stranger = attendance_for(&app, point, &households[..1], demo_user_id(4)).await;
    let mut stranger_value = serde_json::to_value(&stranger).unwrap();
    stranger_value["record"]["session"]["attendance"][0]["household_id"] = json!(Uuid::new_v4());
    let response = app
        .send_json(Method::POST, "/api/submissions", &cadre, stranger_value)
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "household_not_in_village");
}
