//! Who helps a household: a visit can never change it (422 `helpers_changed`, for every role); the first secretary
//! of the household's village changes it with `POST /api/households/{id}/helper`, only to an account of that village.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::sync::*;
use time::OffsetDateTime;
use time::macros::date;
use uuid::Uuid;
use zoufang_domain::model::{HelperAssignment, UnitLevel, UserId};
use zoufang_domain::protocol::{
    AssignedHousehold, Conflict, HelperChangeRequest, HouseholdVisit, Role,
};
use zoufang_server::auth::password;
use zoufang_server::demo::{DEMO_PASSWORD, demo_user_id};
use zoufang_server::store::users;
use zoufang_server::store::villages::{self, NewVillage};

const OTHER_VILLAGE_HELPER: &str = "13900000021";
const OTHER_VILLAGE_SECRETARY: &str = "13900000022";

/// An account in `village` (the demo password).
async fn account(app: &TestApp, phone: &str, role: Role, village: Option<Uuid>) -> Uuid {
    let id = Uuid::new_v4();
    users::insert(
        &app.pool,
        &users::NewUser {
            id,
            phone,
            name: "外村账号",
            role,
            password_hash: &password::hash(DEMO_PASSWORD).unwrap(),
            village_id: village,
            teaching_point_id: None,
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await
    .unwrap();
    id
}

/// The demo village plus 白石村 with a helper and a first secretary; returns the app and the 白石村 helper's id.
async fn two_villages() -> (TestApp, Uuid) {
    let app = seeded().await;
    let village = Uuid::new_v4();
    villages::insert(
        &app.pool,
        &NewVillage {
            id: village,
            name: "白石村",
            county: "海口市琼山区",
            township: "三门坡镇",
        },
    )
    .await
    .unwrap();
    let helper = account(&app, OTHER_VILLAGE_HELPER, Role::Helper, Some(village)).await;
    account(
        &app,
        OTHER_VILLAGE_SECRETARY,
        Role::FirstSecretary,
        Some(village),
    )
    .await;
    (app, helper)
}

/// The row a helper would write to name someone else from 2026-03-01.
fn row_for(user: Option<Uuid>) -> HelperAssignment {
    HelperAssignment {
        user_id: user.map(UserId),
        name: "外村帮扶人".into(),
        unit: "某局".into(),
        position: "科员".into(),
        phone: OTHER_VILLAGE_HELPER.into(),
        unit_level: UnitLevel::County,
        started_on: date!(2026 - 03 - 01),
        ended_on: None,
    }
}

/// Asserts a 422 `helpers_changed` that stored nothing and left the household as it was.
async fn assert_refused(
    app: &TestApp,
    token: &str,
    server: &AssignedHousehold,
    visit: HouseholdVisit,
) {
    let before_helper = assigned_helper(app, server).await;
    let response = app.submit(token, &visit_submission(visit)).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "helpers_changed");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("驻村第一书记或管理员"), "{message}");
    let after = assigned(app, server.household.id.0).await;
    assert_eq!(after.version, server.version);
    assert_eq!(after.household.helpers, server.household.helpers);
    assert_eq!(assigned_helper(app, server).await, before_helper);
    assert_eq!(app.count("submissions").await, 0);
}

async fn assigned_helper(app: &TestApp, server: &AssignedHousehold) -> Option<Uuid> {
    assigned_helper_of(app, server.household.id.0).await
}

#[tokio::test]
async fn a_helper_who_hands_her_household_to_another_villages_helper_is_refused() {
    let (app, other_helper) = two_villages().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit
        .household
        .change_helper(row_for(Some(other_helper)), date!(2026 - 03 - 01))
        .unwrap();
    assert_refused(&app, &token, &server, visit).await;

    // The other village's helper got nothing: the household is not on his list.
    let his = app.demo_token(OTHER_VILLAGE_HELPER).await;
    let listing = app.with_token(Method::GET, "/api/assignments", &his).await;
    assert_eq!(listing.json()["households"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_visit_that_orphans_the_household_with_a_null_user_id_is_refused() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    for helper in &mut visit.household.helpers {
        helper.user_id = None;
    }
    assert_refused(&app, &token, &server, visit).await;
    assert_eq!(households_of(&app, 0).await.len(), 4, "still hers");
}

#[tokio::test]
async fn no_role_may_change_the_helpers_in_a_visit_not_even_a_detail() {
    let app = seeded().await;
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    type Edit = fn(&mut Vec<HelperAssignment>);
    let edits: [(&str, Edit); 4] = [
        ("new row", |helpers| helpers.push(row_for(None))),
        ("phone", |helpers| helpers[0].phone = "13999999999".into()),
        ("removed", |helpers| helpers.clear()),
        ("closed", |helpers| {
            helpers[0].ended_on = Some(date!(2026 - 01 - 01))
        }),
    ];
    for (phone, visitor) in [(HELPER_1, 0), (FIRST_SECRETARY, 3)] {
        let token = app.demo_token(phone).await;
        for (name, edit) in edits {
            let mut visit = visit_for(&server, demo_user_id(visitor));
            edit(&mut visit.household.helpers);
            let response = app.submit(&token, &visit_submission(visit)).await;
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{phone} {name}: {}",
                response.text()
            );
            assert_eq!(response.error_code(), "helpers_changed", "{phone} {name}");
        }
    }
    assert_eq!(app.count("submissions").await, 0);
    // Unchanged helpers go through.
    let token = app.demo_token(HELPER_1).await;
    let response = app
        .submit(
            &token,
            &visit_submission(visit_for(&server, demo_user_id(0))),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

fn change_to(user: Uuid, on: time::Date) -> HelperChangeRequest {
    HelperChangeRequest {
        user_id: UserId(user),
        unit: " 区民政局 ".into(),
        position: "干部".into(),
        unit_level: Some(UnitLevel::County),
        started_on: on,
    }
}

async fn post_change(
    app: &TestApp,
    token: &str,
    household: Uuid,
    request: &HelperChangeRequest,
) -> common::TestResponse {
    app.send_json(
        Method::POST,
        &format!("/api/households/{household}/helper"),
        token,
        request,
    )
    .await
}

#[tokio::test]
async fn the_first_secretary_changes_a_helper_and_both_phones_hear_of_it() {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let old_helper = app.demo_token(HELPER_1).await;
    let new_helper = app.demo_token(HELPER_2).await;
    let household = households_of(&app, 0).await[0];
    let before = assigned(&app, household).await;
    let cursor = app
        .with_token(Method::GET, "/api/changes", &new_helper)
        .await
        .json()["cursor"]
        .as_str()
        .unwrap()
        .to_owned();

    let request = change_to(demo_user_id(1), date!(2026 - 03 - 01));
    let response = post_change(&app, &secretary, household, &request).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let answered: AssignedHousehold = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(answered.version, before.version + 1);
    let helpers = &answered.household.helpers;
    assert_eq!(helpers.len(), before.household.helpers.len() + 1);
    assert_eq!(helpers[0].ended_on, Some(date!(2026 - 02 - 28)));
    let current = answered.household.current_helper().unwrap();
    assert_eq!(current.user_id, Some(UserId(demo_user_id(1))));
    assert_eq!(current.name, "陈志强");
    assert_eq!(current.phone, HELPER_2);
    assert_eq!(current.unit, "区民政局", "trimmed");
    assert_eq!(current.unit_level, UnitLevel::County);
    let stored = assigned(&app, household).await;
    // The first secretary receives the 银行卡号 masked; everything else as stored.
    let mut expected = stored.household.clone();
    if let Some(account) = expected.bank_account.as_mut() {
        account.account_number.0 = account.account_number.masked_account_number();
    }
    assert_eq!(
        (stored.version, &expected),
        (answered.version, &answered.household)
    );

    // The new helper's change feed brings the household; the old helper's list no longer has it.
    let changes = app
        .with_token(
            Method::GET,
            &format!("/api/changes?since={cursor}"),
            &new_helper,
        )
        .await
        .json();
    let ids: Vec<&str> = changes["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["household"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![household.to_string()]);
    assert!(!households_of(&app, 0).await.contains(&household));
    assert!(households_of(&app, 1).await.contains(&household));

    // The old helper's visit is now refused; the same request again changes nothing.
    let response = app
        .submit(
            &old_helper,
            &visit_submission(visit_for(&answered, demo_user_id(0))),
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let changes_before = app.count("household_changes").await;
    let again = post_change(&app, &secretary, household, &request).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    let again: AssignedHousehold = serde_json::from_slice(&again.body).unwrap();
    assert_eq!(again.version, answered.version);
    assert_eq!(again.household, answered.household);
    assert_eq!(app.count("household_changes").await, changes_before);
}

#[tokio::test]
async fn a_phone_whose_visit_started_before_a_helper_change_gets_409_then_goes_through_with_the_servers_helpers()
 {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let household = households_of(&app, 0).await[0];
    let before = assigned(&app, household).await;
    let request = change_to(demo_user_id(2), date!(2026 - 03 - 01));
    assert_eq!(
        post_change(&app, &secretary, household, &request)
            .await
            .status,
        StatusCode::OK
    );
    // The secretary's own phone still holds the copy from before the change.
    let response = app
        .submit(
            &secretary,
            &visit_submission(visit_for(&before, demo_user_id(3))),
        )
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.text());
    let conflict: Conflict = serde_json::from_slice(&response.body).unwrap();
    let mut visit = visit_for(&before, demo_user_id(3));
    visit.base_version = conflict.server.version;
    visit.household.helpers = conflict.server.household.helpers.clone();
    let response = app.submit(&secretary, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
}

#[tokio::test]
async fn only_the_first_secretary_of_the_households_village_may_change_its_helper() {
    let (app, _) = two_villages().await;
    let household = households_of(&app, 0).await[0];
    let request = change_to(demo_user_id(1), date!(2026 - 03 - 01));
    for phone in [HELPER_1, HELPER_2, CADRE, ADMIN, OTHER_VILLAGE_SECRETARY] {
        let token = app.demo_token(phone).await;
        let response = post_change(&app, &token, household, &request).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{phone}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), "forbidden");
    }
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    for path in [Uuid::new_v4().to_string(), "not-a-uuid".to_owned()] {
        let response = app
            .send_json(
                Method::POST,
                &format!("/api/households/{path}/helper"),
                &secretary,
                &request,
            )
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.error_code(), "household_not_found");
    }
    let response = app
        .with_token(
            Method::POST,
            &format!("/api/households/{household}/helper"),
            "not-a-token",
        )
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("household_changes").await, 0);
    assert!(households_of(&app, 0).await.contains(&household));
}

#[tokio::test]
async fn the_new_helper_must_be_a_helper_or_first_secretary_of_the_same_village() {
    let (app, other_helper) = two_villages().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    let household = households_of(&app, 0).await[0];
    let no_village = account(&app, "13900000023", Role::Helper, None).await;
    let on = date!(2026 - 03 - 01);
    let cases = [
        (
            "another village's helper",
            change_to(other_helper, on),
            "helper_not_in_village",
        ),
        (
            "a helper of no village",
            change_to(no_village, on),
            "helper_not_in_village",
        ),
        (
            "the village's cadre",
            change_to(demo_user_id(4), on),
            "helper_role_not_allowed",
        ),
        (
            "an admin",
            change_to(demo_user_id(5), on),
            "helper_role_not_allowed",
        ),
        (
            "an unknown account",
            change_to(Uuid::new_v4(), on),
            "helper_not_found",
        ),
        (
            "a start before the current helper's",
            change_to(demo_user_id(1), date!(2000 - 01 - 01)),
            "helper_change_before_start",
        ),
    ];
    for (name, request, code) in cases {
        let response = post_change(&app, &secretary, household, &request).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            response.text()
        );
        assert_eq!(response.error_code(), code, "{name}");
    }
    assert_eq!(app.count("household_changes").await, 0);

    // A disabled account of the village cannot be made the helper.
    zoufang_server::admin::accounts::disable_user(
        &app.pool,
        HELPER_2,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let response = post_change(&app, &secretary, household, &change_to(demo_user_id(1), on)).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.text()
    );
    assert_eq!(response.error_code(), "helper_disabled");
    assert_eq!(app.count("household_changes").await, 0);

    // The first secretary may make herself (an account of the village) the helper.
    let response = post_change(&app, &secretary, household, &change_to(demo_user_id(3), on)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(
        assigned_helper_of(&app, household).await,
        Some(demo_user_id(3))
    );
}

async fn assigned_helper_of(app: &TestApp, household: Uuid) -> Option<Uuid> {
    zoufang_server::store::households::find(&app.pool, household)
        .await
        .unwrap()
        .unwrap()
        .helper_user_id
}
