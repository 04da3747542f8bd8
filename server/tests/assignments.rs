//! `GET /api/assignments`: who sees which households, and what each one carries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::{TestApp, spawn};
use time::OffsetDateTime;
use zoufang_domain::model::{Household, HouseholdId};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{AssignmentsResponse, Role};
use zoufang_domain::risk::{RiskColour, RiskRuleSet};
use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household};
use zoufang_server::demo::{self, DEMO_LOGINS, DEMO_PASSWORD, demo_user_id};

const HELPER_1: &str = "13800000001";
const HELPER_2: &str = "13800000002";
const HELPER_3: &str = "13800000003";
const FIRST_SECRETARY: &str = "13800000004";
const CADRE: &str = "13800000005";
const ADMIN: &str = "13800000006";

async fn seeded() -> TestApp {
    let app = spawn().await;
    demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    app
}

async fn assignments_of(app: &TestApp, phone: &str) -> AssignmentsResponse {
    let token = app.token_for(phone, DEMO_PASSWORD).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(
        response
            .header("content-type")
            .starts_with("application/json")
    );
    serde_json::from_slice(&response.body)
        .unwrap_or_else(|error| panic!("not an AssignmentsResponse ({error}): {}", response.text()))
}

fn ids(response: &AssignmentsResponse) -> BTreeSet<HouseholdId> {
    response
        .households
        .iter()
        .map(|assigned| assigned.household.id)
        .collect()
}

fn heads(response: &AssignmentsResponse) -> Vec<&str> {
    response
        .households
        .iter()
        .map(|assigned| assigned.household.members[0].name.as_str())
        .collect()
}

#[tokio::test]
async fn a_helper_gets_exactly_the_households_they_help() {
    let app = seeded().await;
    let first = assignments_of(&app, HELPER_1).await;
    assert_eq!(first.households.len(), 4, "{:?}", heads(&first));
    for assigned in &first.households {
        let helper = assigned.household.current_helper().unwrap();
        assert_eq!(helper.user_id.map(|id| id.0), Some(demo_user_id(0)));
        assert_eq!(helper.name, "王海燕");
    }
    let second = assignments_of(&app, HELPER_2).await;
    let third = assignments_of(&app, HELPER_3).await;
    assert!(ids(&first).is_disjoint(&ids(&second)));
    assert!(ids(&first).is_disjoint(&ids(&third)));
    assert!(ids(&second).is_disjoint(&ids(&third)));
    assert_eq!(
        first.households.len() + second.households.len() + third.households.len(),
        12
    );
}

#[tokio::test]
async fn the_first_secretary_gets_every_household_of_the_village_in_group_then_code_order() {
    let app = seeded().await;
    let response = assignments_of(&app, FIRST_SECRETARY).await;
    assert_eq!(response.households.len(), 12);
    let order: Vec<(String, String)> = response
        .households
        .iter()
        .map(|assigned| {
            (
                assigned.household.address.group.clone(),
                assigned.household.household_code.clone(),
            )
        })
        .collect();
    let groups: Vec<&str> = order.iter().map(|(group, _)| group.as_str()).collect();
    let mut deduplicated = groups.clone();
    deduplicated.dedup();
    // 一组 < 二组 < 三组 by numeral, although 三 sorts before 二 as text.
    assert_eq!(deduplicated, ["一组", "二组", "三组"]);
    for pair in order.windows(2) {
        if pair[0].0 == pair[1].0 {
            assert!(pair[0].1 < pair[1].1, "{pair:?}");
        }
    }
    let all: BTreeSet<HouseholdId> = ids(&response);
    let mut by_helpers = ids(&assignments_of(&app, HELPER_1).await);
    by_helpers.extend(ids(&assignments_of(&app, HELPER_2).await));
    by_helpers.extend(ids(&assignments_of(&app, HELPER_3).await));
    assert_eq!(all, by_helpers);
}

#[tokio::test]
async fn the_overdue_setting_is_the_villages_own_and_thirty_days_by_default() {
    let app = seeded().await;
    assert_eq!(
        assignments_of(&app, FIRST_SECRETARY)
            .await
            .overdue_after_days,
        30
    );
    sqlx::query("UPDATE villages SET overdue_after_days = $1 WHERE id = $2")
        .bind(14_i64)
        .bind(demo::demo_village_id().to_string())
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        assignments_of(&app, FIRST_SECRETARY)
            .await
            .overdue_after_days,
        14
    );
    // A helper of the village counts with the same setting.
    assert_eq!(assignments_of(&app, HELPER_1).await.overdue_after_days, 14);
}

#[tokio::test]
async fn a_first_secretary_not_posted_to_a_village_sees_no_household() {
    let app = seeded().await;
    app.create_user("13900000009", DEMO_PASSWORD, Role::FirstSecretary)
        .await;
    let response = assignments_of(&app, "13900000009").await;
    assert!(response.households.is_empty());
}

#[tokio::test]
async fn village_cadres_and_admins_are_refused_with_403_forbidden() {
    let app = seeded().await;
    for phone in [CADRE, ADMIN] {
        let token = app.token_for(phone, DEMO_PASSWORD).await;
        let response = app
            .with_token(Method::GET, "/api/assignments", &token)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{phone}");
        assert_eq!(response.error_code(), "forbidden");
        let message = response.json()["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains("帮扶责任人") && message.contains("第一书记"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn without_a_valid_token_it_is_401() {
    let app = seeded().await;
    let response = app.get("/api/assignments").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "missing_token");
    let response = app
        .with_token(Method::GET, "/api/assignments", "not-a-real-token")
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "invalid_token");
}

#[tokio::test]
async fn only_get_is_allowed() {
    let app = seeded().await;
    let token = app.token_for(HELPER_1, DEMO_PASSWORD).await;
    let response = app
        .with_token(Method::POST, "/api/assignments", &token)
        .await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.error_code(), "method_not_allowed");
}

#[tokio::test]
async fn every_record_is_a_valid_household_with_a_colour_and_the_colours_differ() {
    let app = seeded().await;
    let response = assignments_of(&app, FIRST_SECRETARY).await;
    assert_demo_policy(&response);
    assert_eq!(response.risk_rules, RiskRuleSet::default());
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today: response.as_of,
        policy: response.policy.tables(),
        config: &config,
    };
    let mut colours = BTreeSet::new();
    for assigned in &response.households {
        let household: &Household = &assigned.household;
        let report = validate_household(household, None, None, &context);
        let errors: Vec<_> = report.errors().collect();
        assert!(
            errors.is_empty(),
            "{}: {errors:#?}",
            household.household_code
        );
        assert_eq!(assigned.version, 1);
        assert_eq!(assigned.risk.rule_set_version, response.risk_rules.version);
        if assigned.risk.colour != RiskColour::Green {
            assert!(
                !assigned.risk.triggered.is_empty(),
                "{}",
                household.household_code
            );
        }
        if let Some(last_visit) = assigned.last_visit_on {
            assert!(last_visit <= response.as_of);
        }
        colours.insert(assigned.risk.colour);
    }
    // No demo household has an income sheet: those without a red or yellow risk are 未核算, never green.
    assert_eq!(
        colours,
        BTreeSet::from([
            RiskColour::NotAccounted,
            RiskColour::Yellow,
            RiskColour::Red
        ])
    );
    // The helper of the end-to-end tests sees all three states too.
    let helper: BTreeSet<RiskColour> = assignments_of(&app, HELPER_1)
        .await
        .households
        .iter()
        .map(|assigned| assigned.risk.colour)
        .collect();
    assert_eq!(helper.len(), 3);
}

#[tokio::test]
async fn the_json_keeps_its_documented_shape() {
    let app = seeded().await;
    let token = app.token_for(HELPER_1, DEMO_PASSWORD).await;
    let body = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await
        .json();
    let first = &body["households"][0];
    for key in ["household", "version", "risk", "last_visit_on"] {
        assert!(first.get(key).is_some(), "no {key} in {first}");
    }
    assert!(first["risk"]["colour"].is_string());
    assert!(first["household"]["members"].is_array());
    // The policy is sent as the document an admin maintains.
    assert_eq!(body["policy"]["schema_version"], 1);
    assert!(body["policy"]["poverty_standards"].is_array());
    assert!(body["risk_rules"]["version"].is_string());
    let generated_at = body["generated_at"].as_str().unwrap();
    assert!(
        generated_at.ends_with('Z') && generated_at.len() == 20,
        "{generated_at}"
    );
    assert_eq!(DEMO_LOGINS[0].phone, HELPER_1);
}

#[tokio::test]
async fn a_helper_with_no_household_gets_an_empty_list_with_the_tables() {
    let app = seeded().await;
    app.create_user("13900000008", DEMO_PASSWORD, Role::Helper)
        .await;
    let response = assignments_of(&app, "13900000008").await;
    assert!(response.households.is_empty());
    assert_demo_policy(&response);
}

/// The policy sent is the built-in tables with the demo's made-up lines for this year, labelled as demo values.
fn assert_demo_policy(response: &AssignmentsResponse) {
    let builtin = PolicyTables::builtin().unwrap();
    let tables = response.policy.tables();
    assert!(tables.version().starts_with(builtin.version()));
    assert_ne!(tables, &builtin, "the demo's lines are added");
    let region = zoufang_domain::policy::RegionPath::parse("海南省/海口市/琼山区");
    let year = response.as_of.year();
    let standard = tables.poverty_standard(&region, year);
    let standard = standard.found().expect("the demo's standard for this year");
    assert_eq!(
        standard.value.fen(),
        zoufang_server::demo::DEMO_STANDARD_YUAN * 100
    );
    assert!(
        standard.source.starts_with("演示数值，不是政策"),
        "{}",
        standard.source
    );
    let monitoring = tables.monitoring_line(&region, year);
    let monitoring = monitoring
        .found()
        .expect("the demo's monitoring line for this year");
    assert_eq!(
        monitoring.value.fen(),
        zoufang_server::demo::DEMO_MONITORING_YUAN * 100
    );
    // The national rows of the built-in tables are still there.
    assert_eq!(
        tables.poverty_standard(&zoufang_domain::policy::RegionPath::national(), 2020),
        builtin.poverty_standard(&zoufang_domain::policy::RegionPath::national(), 2020)
    );
}
