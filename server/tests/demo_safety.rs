//! Demo safety: `--demo` refused on a network address, demo accounts marked, `admin remove-demo`, and no demo
//! accounts seeded again into a database that holds anything else.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use clap::Parser;
use common::sync::*;
use common::{TestApp, spawn};
use time::OffsetDateTime;
use time::macros::date;
use zoufang_server::admin::{self, AdminCommand};
use zoufang_server::blobs::{BlobKey, sweep_deletions};
use zoufang_server::config::Config;
use zoufang_server::demo::{self, DEMO_LOGINS, DEMO_PASSWORD, SeedOutcome, demo_user_id};
use zoufang_server::startup::{self, StartupError};
use zoufang_server::store::users;

const REAL_PHONE: &str = "13900000001";
const REAL_PASSWORD: &str = "correct horse 电池";

async fn run(app: &TestApp, command: AdminCommand, stdin: &str) -> Result<(), String> {
    let mut stdin = stdin.as_bytes();
    admin::run(&app.pool, command, &mut stdin)
        .await
        .map_err(|error| error.to_string())
}

async fn remove_demo(app: &TestApp) {
    run(app, AdminCommand::RemoveDemo, "").await.unwrap();
}

/// Every demo login, with the published password, is refused.
async fn assert_no_demo_login_works(app: &TestApp) {
    for login in DEMO_LOGINS {
        let response = app.login(login.phone, DEMO_PASSWORD).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{}", login.phone);
    }
    assert!(!demo::logins_active(&app.pool).await.unwrap());
}

async fn create_real_village_and_helper(app: &TestApp) {
    run(
        app,
        AdminCommand::CreateVillage {
            name: "白石村".into(),
            county: "海口市琼山区".into(),
            township: "三门坡镇".into(),
        },
        "",
    )
    .await
    .unwrap();
    run(
        app,
        AdminCommand::CreateUser {
            phone: REAL_PHONE.into(),
            name: "张帮扶".into(),
            role: admin::RoleArg::Helper,
            village: Some("白石村".into()),
            teaching_point: None,
            password: None,
        },
        &format!("{REAL_PASSWORD}\n"),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn demo_on_a_network_address_is_refused_before_the_database_is_opened() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("zoufang.sqlite");
    let config = Config::try_parse_from([
        "zoufang-server",
        "--demo",
        "--addr",
        "0.0.0.0:0",
        "--database",
        database.to_str().unwrap(),
    ])
    .unwrap();
    let outcome = startup::run(config).await;
    let Err(StartupError::DemoOnNetwork(error)) = outcome else {
        panic!("started: {outcome:?}");
    };
    let message = error.to_string();
    assert!(message.contains("0.0.0.0:0"), "{message}");
    assert!(message.contains("--demo-on-network"), "{message}");
    assert!(!database.exists(), "nothing was created");
}

#[tokio::test]
async fn demo_accounts_are_marked_and_the_migration_knows_their_ids() {
    let app = seeded().await;
    let marked = users::demo_accounts(&app.pool).await.unwrap();
    assert_eq!(marked.len(), DEMO_LOGINS.len());
    assert!(
        marked
            .iter()
            .all(|account| account.is_demo && !account.disabled)
    );
    // Databases seeded before migration 0004 are marked by these fixed ids.
    let migration = include_str!("../migrations/0004_accounts.sql");
    for index in 0..DEMO_LOGINS.len() {
        let id = demo_user_id(index).to_string();
        assert!(migration.contains(&format!("'{id}'")), "{id}");
    }
    assert!(demo::logins_active(&app.pool).await.unwrap());
}

#[tokio::test]
async fn remove_demo_on_a_demo_only_database_deletes_the_village_with_its_submissions() {
    let app = seeded().await;
    let helper = app.demo_token(HELPER_1).await;
    // A visit with a photo, so that submissions, plan versions, photos and the change log have demo rows.
    let photo = fake_jpeg(3, 5_000);
    assert_eq!(
        app.put_photo(&helper, &photo, "image/jpeg").await.status,
        StatusCode::CREATED
    );
    let server = assigned(&app, households_of(&app, 0).await[0]).await;
    let mut visit = visit_for(&server, demo_user_id(0));
    visit
        .evidence
        .push(evidence_for(&photo, Some(visit.visit.id)));
    let response = app.submit(&helper, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());

    remove_demo(&app).await;

    let me = app.with_token(Method::GET, "/api/me", &helper).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_no_demo_login_works(&app).await;
    for table in [
        "villages",
        "teaching_points",
        "users",
        "sessions",
        "households",
        "submissions",
        "plan_versions",
        "photos",
        "photo_uploads",
        "household_changes",
    ] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
    // The photo's bytes are queued with its row, and the sweep (which `admin remove-demo` runs next) deletes them.
    assert_eq!(app.count("photo_blob_deletions").await, 1);
    assert!(app.blobs.contains(&BlobKey::of(&photo)).await.unwrap());
    assert_eq!(
        sweep_deletions(&app.pool, app.blobs.as_ref())
            .await
            .unwrap(),
        1
    );
    assert!(!app.blobs.contains(&BlobKey::of(&photo)).await.unwrap());
    // Nothing else is left, so the database is empty again: --demo may seed it.
    let again = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert!(matches!(again, SeedOutcome::Seeded { .. }), "{again:?}");
}

#[tokio::test]
async fn after_remove_demo_a_database_with_real_data_is_never_seeded_again() {
    let app = seeded().await;
    create_real_village_and_helper(&app).await;
    remove_demo(&app).await;

    assert_no_demo_login_works(&app).await;
    assert_eq!(app.count("villages").await, 1, "白石村 stays");
    assert_eq!(
        app.login(REAL_PHONE, REAL_PASSWORD).await.status,
        StatusCode::OK
    );
    let outcome = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcome, SeedOutcome::NotEmpty);
    assert_eq!(app.count("users").await, 1);
    assert_no_demo_login_works(&app).await;
}

#[tokio::test]
async fn demo_seeding_needs_an_empty_database() {
    // An account alone (an administrator created first) is real data.
    let app = spawn().await;
    app.create_user(
        REAL_PHONE,
        REAL_PASSWORD,
        zoufang_domain::protocol::Role::Admin,
    )
    .await;
    let outcome = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcome, SeedOutcome::NotEmpty);
    assert_eq!(app.count("villages").await, 0);
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn remove_demo_keeps_a_village_real_accounts_work_in_but_no_demo_login_survives() {
    let app = seeded().await;
    let secretary = app.demo_token(FIRST_SECRETARY).await;
    // A real helper takes over one of 王海燕's households in the demo village.
    run(
        &app,
        AdminCommand::CreateUser {
            phone: REAL_PHONE.into(),
            name: "张帮扶".into(),
            role: admin::RoleArg::Helper,
            village: Some("清泉村".into()),
            teaching_point: None,
            password: Some(REAL_PASSWORD.into()),
        },
        "",
    )
    .await
    .unwrap();
    let household = assigned(&app, households_of(&app, 0).await[0]).await;
    admin::assign_helper(
        &app.pool,
        &household.household.household_code,
        REAL_PHONE,
        "区民政局",
        "干部",
        date!(2026 - 12 - 01),
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();

    remove_demo(&app).await;

    assert_no_demo_login_works(&app).await;
    let me = app.with_token(Method::GET, "/api/me", &secretary).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("villages").await, 1, "清泉村 stays");
    assert_eq!(app.count("households").await, 12);
    let left = users::demo_accounts(&app.pool).await.unwrap();
    assert!(!left.is_empty(), "the helpers still help households");
    assert!(
        left.len() < DEMO_LOGINS.len(),
        "the unreferenced ones are deleted"
    );
    assert!(left.iter().all(|account| account.disabled));
    let stored_hashes: Vec<String> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE is_demo = 1")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    for phc in stored_hashes {
        assert!(
            !zoufang_server::auth::password::verify(DEMO_PASSWORD, &phc),
            "the published password is gone"
        );
    }
    let enable = run(
        &app,
        AdminCommand::EnableUser {
            phone: left[0].phone.clone(),
        },
        "",
    )
    .await;
    assert!(enable.unwrap_err().contains("demo account"));

    // The next start with --demo finds the demo village and writes nothing.
    let outcome = demo::seed(&app.pool, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcome, SeedOutcome::AlreadyPresent);
    assert_no_demo_login_works(&app).await;
    assert_eq!(
        app.login(REAL_PHONE, REAL_PASSWORD).await.status,
        StatusCode::OK
    );
}
