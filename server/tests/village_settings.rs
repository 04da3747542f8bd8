//! `zoufang-server admin set-overdue-days`: a village's overdue period is checked (0, negative, over 365, not a
//! number, an unknown village each refused with a clear reason and nothing changed) and reaches the phones of the
//! village with their assignments.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use clap::Parser;
use common::TestApp;
use common::sync::*;
use zoufang_domain::protocol::AssignmentsResponse;
use zoufang_server::admin::{self, AdminCommand};
use zoufang_server::config::{Command, Config};
use zoufang_server::demo;

async fn overdue_days_of(app: &TestApp, phone: &str) -> u32 {
    let token = app.token_for(phone, demo::DEMO_PASSWORD).await;
    let response = app
        .with_token(Method::GET, "/api/assignments", &token)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    serde_json::from_slice::<AssignmentsResponse>(&response.body)
        .unwrap()
        .overdue_after_days
}

/// The command as typed after `zoufang-server admin`.
fn parse(args: &[&str]) -> AdminCommand {
    let config = Config::try_parse_from(
        ["zoufang-server", "admin", "set-overdue-days"]
            .iter()
            .chain(args),
    )
    .unwrap_or_else(|error| panic!("{args:?} did not parse: {error}"));
    match config.command {
        Some(Command::Admin(command)) => command,
        other => panic!("not an admin command: {other:?}"),
    }
}

async fn run(app: &TestApp, args: &[&str]) -> Result<(), String> {
    let mut no_stdin: &[u8] = b"";
    admin::run(&app.pool, parse(args), &mut no_stdin)
        .await
        .map_err(|error| error.to_string())
}

#[tokio::test]
async fn the_overdue_days_set_from_the_command_line_reach_the_villages_phones() {
    let app = seeded().await;
    assert_eq!(overdue_days_of(&app, FIRST_SECRETARY).await, 30);

    run(&app, &["--village", "清泉村", "--days", "14"])
        .await
        .unwrap();
    assert_eq!(overdue_days_of(&app, FIRST_SECRETARY).await, 14);
    // The helpers of the village count with the same setting.
    assert_eq!(overdue_days_of(&app, HELPER_1).await, 14);

    // By the village's id as well, and the boundaries 1 and 365 are accepted.
    let id = demo::demo_village_id().to_string();
    run(&app, &["--village", &id, "--days", "365"])
        .await
        .unwrap();
    assert_eq!(overdue_days_of(&app, FIRST_SECRETARY).await, 365);
    run(&app, &["--village", "清泉村", "--days", " 1 "])
        .await
        .unwrap();
    assert_eq!(overdue_days_of(&app, FIRST_SECRETARY).await, 1);
}

#[tokio::test]
async fn a_wrong_overdue_setting_is_refused_with_its_reason_and_changes_nothing() {
    let app = seeded().await;
    run(&app, &["--village", "清泉村", "--days", "21"])
        .await
        .unwrap();
    for (village, days, fragment) in [
        ("清泉村", "0", "at least 1 day"),
        ("清泉村", "-5", "at least 1 day"),
        ("清泉村", "366", "more than 365"),
        ("清泉村", "30.5", "not a whole number"),
        ("清泉村", "三十", "not a whole number"),
        ("清泉村", "", "not a whole number"),
        ("没有这个村", "14", "no village \"没有这个村\""),
    ] {
        let error = run(&app, &["--village", village, "--days", days])
            .await
            .expect_err(days);
        assert!(error.contains(fragment), "{village} {days}: {error}");
    }
    assert_eq!(overdue_days_of(&app, FIRST_SECRETARY).await, 21);
}
