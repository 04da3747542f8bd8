//! 电视夜校 per teaching point: the first secretary divides the village between its points, a cadre then sees only
//! their point's roster and sessions and records only its households, and no cadre answer (the night school, a
//! receipt, a conflict, the sign-in sheet) carries an ID number, phone, bank account or health value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::{HotlineReferral, HouseholdId, MarketSale, TrainingRequest};
use zoufang_domain::money::Fen;
use zoufang_domain::protocol::{NightSchoolResponse, Role, SubmissionRecord};
use zoufang_server::auth::password;
use zoufang_server::demo::{demo_user_id, demo_village_id};
use zoufang_server::store::{users, villages};

const SECOND_CADRE: &str = "13900000009";
const SECOND_PASSWORD: &str = "夜校第二教学点口令2026";

/// A second teaching point in the demo village with its own cadre; returns the point and the cadre's token.
async fn second_point(app: &TestApp) -> (Uuid, String) {
    let point = Uuid::new_v4();
    villages::insert_teaching_point(
        &app.pool,
        &villages::NewTeachingPoint {
            id: point,
            village_id: demo_village_id(),
            name: "清泉村二组文化室教学点",
            location: "二组文化室",
        },
    )
    .await
    .unwrap();
    users::insert(
        &app.pool,
        &users::NewUser {
            id: Uuid::new_v4(),
            phone: SECOND_CADRE,
            name: "符二妹",
            role: Role::VillageCadre,
            password_hash: &password::hash(SECOND_PASSWORD).unwrap(),
            village_id: Some(demo_village_id()),
            teaching_point_id: Some(point),
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await
    .unwrap();
    (point, app.token_for(SECOND_CADRE, SECOND_PASSWORD).await)
}

async fn assign(
    app: &TestApp,
    token: &str,
    point: Uuid,
    households: &[Uuid],
) -> (StatusCode, Value) {
    let response = app
        .send_json(
            Method::PUT,
            &format!("/api/night-school/points/{point}/households"),
            token,
            json!({ "household_ids": households }),
        )
        .await;
    let body = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    (response.status, body)
}

async fn night_school(app: &TestApp, token: &str) -> (NightSchoolResponse, String) {
    let response = app
        .with_token(Method::GET, "/api/night-school", token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    (
        serde_json::from_slice(&response.body).unwrap(),
        response.text(),
    )
}

fn roster_of(response: &NightSchoolResponse) -> Vec<Uuid> {
    assert_eq!(response.points.len(), 1);
    let mut ids: Vec<Uuid> = response.points[0]
        .roster
        .iter()
        .map(|entry| entry.household_id.0)
        .collect();
    ids.sort();
    ids
}

/// The village's households split: the first two to the second point, the rest to the demo point.
async fn divide(app: &TestApp) -> (Uuid, String, Vec<Uuid>, Vec<Uuid>) {
    let (second, second_token) = second_point(app).await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let listing: Vec<Uuid> = {
        let response = app
            .with_token(Method::GET, "/api/assignments", &secretary)
            .await;
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        body["households"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["household"]["id"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    assert!(
        listing.len() >= 4,
        "the demo village has {} households",
        listing.len()
    );
    let mut theirs = listing[..2].to_vec();
    let mut ours = listing[2..].to_vec();
    theirs.sort();
    ours.sort();
    let (status, _) = assign(app, &secretary, second, &theirs).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = assign(app, &secretary, demo_teaching_point(app).await, &ours).await;
    assert_eq!(status, StatusCode::OK);
    (second, second_token, theirs, ours)
}

#[tokio::test]
async fn a_cadre_sees_only_the_roster_and_sessions_of_their_own_teaching_point() {
    let app = seeded().await;
    let (second, second_token, theirs, ours) = divide(&app).await;
    let cadre = app.demo_token(CADRE).await;

    assert_eq!(roster_of(&night_school(&app, &cadre).await.0), ours);
    assert_eq!(
        roster_of(&night_school(&app, &second_token).await.0),
        theirs
    );

    // A session at the second point reaches its cadre and the first secretary, not the other cadre.
    let submission = attendance_for(&app, second, &theirs, demo_user_id(4)).await;
    let response = app.submit(&second_token, &submission).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let session_id = match &submission.record {
        SubmissionRecord::Attendance(sheet) => sheet.session.id.0,
        SubmissionRecord::HouseholdVisit(_) => unreachable!(),
    };
    let (mine, _) = night_school(&app, &cadre).await;
    assert!(mine.points[0].sessions.is_empty());
    let (theirs_view, _) = night_school(&app, &second_token).await;
    assert_eq!(theirs_view.points[0].sessions.len(), 1);
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let (village_view, _) = night_school(&app, &secretary).await;
    assert_eq!(village_view.points.len(), 2);
    let sign_in = format!("/api/night-school/sessions/{session_id}/sign-in.csv");
    assert_eq!(
        app.with_token(Method::GET, &sign_in, &cadre).await.status,
        StatusCode::FORBIDDEN
    );
    let sheet = app.with_token(Method::GET, &sign_in, &second_token).await;
    assert_eq!(sheet.status, StatusCode::OK);
    // Header, column names, one line per roster household, the rate.
    assert_eq!(sheet.text().lines().count(), theirs.len() + 3);

    // The demo cadre may not record a household of the other point, nor at the other point.
    let refused = attendance_for(
        &app,
        demo_teaching_point(&app).await,
        &theirs[..1],
        demo_user_id(4),
    )
    .await;
    let response = app.submit(&cadre, &refused).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "household_not_on_roster");
    let elsewhere = attendance_for(&app, second, &theirs, demo_user_id(4)).await;
    assert_eq!(
        app.submit(&cadre, &elsewhere).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_market_sale_or_request_naming_a_household_of_another_point_is_refused() {
    let app = seeded().await;
    let (_, _, theirs, ours) = divide(&app).await;
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let mut submission = attendance_for(&app, point, &ours[..1], demo_user_id(4)).await;
    if let SubmissionRecord::Attendance(sheet) = &mut submission.record {
        sheet.session.market_sales.push(MarketSale {
            seller_household_id: HouseholdId(theirs[0]),
            product: "地瓜".into(),
            amount: Fen::from_fen(1500),
        });
    }
    let response = app.submit(&cadre, &submission).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "household_not_on_roster");
    assert!(response.text().contains(&theirs[0].to_string()));
}

#[tokio::test]
async fn a_household_assigned_to_no_point_stays_on_every_roster_of_its_village() {
    let app = seeded().await;
    let (second, second_token) = second_point(&app).await;
    let cadre = app.demo_token(CADRE).await;
    let before = roster_of(&night_school(&app, &cadre).await.0);
    assert_eq!(
        roster_of(&night_school(&app, &second_token).await.0),
        before
    );
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let (status, body) = assign(&app, &secretary, second, &before[..1]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["roster"].as_array().unwrap().len(), before.len());
    let after = roster_of(&night_school(&app, &cadre).await.0);
    assert_eq!(after, before[1..].to_vec());
    // Assigning nothing gives the household back to every point.
    let (status, _) = assign(&app, &secretary, second, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(roster_of(&night_school(&app, &cadre).await.0), before);
}

#[tokio::test]
async fn only_the_village_first_secretary_assigns_households_and_only_of_the_village() {
    let app = seeded().await;
    let (second, second_token) = second_point(&app).await;
    let households = households_of(&app, 0).await;
    for token in [
        app.demo_token(CADRE).await,
        second_token,
        app.demo_token(HELPER_1).await,
        app.demo_token(ADMIN).await,
    ] {
        let (status, body) = assign(&app, &token, second, &households).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "forbidden");
    }
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let stranger = Uuid::new_v4();
    let (status, body) = assign(&app, &secretary, second, &[households[0], stranger]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "household_not_in_village");
    assert_eq!(app.count("teaching_point_households").await, 0);
    let (status, body) = assign(&app, &secretary, Uuid::new_v4(), &households).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "teaching_point_not_found");
}

/// Every ID number, phone, bank account number and health value the first secretary may see in the village.
async fn private_values(app: &TestApp) -> Vec<String> {
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &secretary)
        .await;
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    let mut found = Vec::new();
    fn walk(value: &Value, key: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (name, child) in map {
                    walk(child, name, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, key, found)),
            Value::String(text) => {
                let private = ["id_number", "phone", "account_number"].contains(&key)
                    || key.contains("health")
                    || key.contains("disab")
                    || key.contains("illness");
                if private && text.chars().count() >= 4 {
                    found.push(text.clone());
                }
            }
            _ => {}
        }
    }
    walk(&body["households"], "", &mut found);
    found.sort();
    found.dedup();
    found
}

fn assert_no_private_values(what: &str, text: &str, private: &[String]) {
    for value in private {
        assert!(!text.contains(value.as_str()), "{what} carries {value}");
    }
    for word in [
        "id_number",
        "phone",
        "bank",
        "health",
        "disability",
        "illness",
    ] {
        assert!(!text.contains(word), "{what} names {word}");
    }
}

#[tokio::test]
async fn no_cadre_answer_carries_an_id_number_phone_bank_account_or_health_value() {
    let app = seeded().await;
    let private = private_values(&app).await;
    assert!(
        private.iter().any(|value| value.len() == 18),
        "the demo has ID numbers to look for: {private:?}"
    );
    let cadre = app.demo_token(CADRE).await;
    let point = demo_teaching_point(&app).await;
    let households = households_of(&app, 0).await;
    let mut submission = attendance_for(&app, point, &households, demo_user_id(4)).await;
    if let SubmissionRecord::Attendance(sheet) = &mut submission.record {
        sheet.session.training_requests.push(TrainingRequest {
            household_id: Some(HouseholdId(households[0])),
            topic: "槟榔黄化病防治".into(),
        });
        sheet.session.hotline_referrals.push(HotlineReferral {
            household_id: Some(HouseholdId(households[0])),
            question: "小额信贷怎么申请".into(),
        });
        sheet.session.market_sales.push(MarketSale {
            seller_household_id: HouseholdId(households[0]),
            product: "土鸡蛋".into(),
            amount: Fen::from_fen(4_550),
        });
    }
    let receipt = app.submit(&cadre, &submission).await;
    assert_eq!(receipt.status, StatusCode::CREATED, "{}", receipt.text());
    assert_no_private_values("the receipt", &receipt.text(), &private);

    let (response, text) = night_school(&app, &cadre).await;
    assert_no_private_values("GET /api/night-school", &text, &private);
    let session = &response.points[0].sessions[0].session;
    assert_eq!(session.market_sales[0].amount, Fen::from_fen(4_550));
    assert_eq!(session.training_requests[0].topic, "槟榔黄化病防治");
    assert_eq!(session.hotline_referrals[0].question, "小额信贷怎么申请");

    // A second phone's edit from the same base: the conflict body shows the server's copy, still without them.
    let mut stale = submission.clone();
    stale.id = Uuid::new_v4();
    let conflict = app.submit(&cadre, &stale).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_no_private_values("the 409", &conflict.text(), &private);

    let session_id = session.id.0;
    for path in [
        format!("/api/night-school/sessions/{session_id}/sign-in.csv"),
        format!(
            "/api/night-school/rates.csv?month={}",
            &session.date.to_string()[..7]
        ),
    ] {
        let response = app.with_token(Method::GET, &path, &cadre).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_no_private_values(&path, &response.text(), &private);
    }
}
