//! Login throttling: per phone number (in the database) and per client address, with exponential backoff answered
//! 429 + `Retry-After`; the argon2 gate answering 503 + `Retry-After` when busy. (The log line of a refused login
//! is tested in `login_log.rs`, a process of its own.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{TestApp, TestResponse, spawn_with_login};
use zoufang_domain::protocol::Role;
use zoufang_server::auth::LoginSettings;

const PHONE: &str = "13900000001";
const PASSWORD: &str = "correct horse 电池";

/// Production settings, except that the first lockout is long enough that no test can outlast it by being slow.
fn long_first_lockout() -> LoginSettings {
    LoginSettings {
        first_lockout: Duration::from_secs(60),
        ..LoginSettings::default()
    }
}

fn retry_after(response: &TestResponse) -> u64 {
    response.header("retry-after").parse().unwrap()
}

#[tokio::test]
async fn after_200_wrong_passwords_the_right_one_is_429_with_retry_after() {
    let app = spawn_with_login(long_first_lockout()).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;

    let mut statuses = Vec::new();
    for guess in 0..200 {
        let response = app.login(PHONE, &format!("guess {guess}")).await;
        statuses.push(response.status);
    }
    let refused = statuses
        .iter()
        .filter(|status| **status == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (refused, throttled),
        (5, 195),
        "five free failures, then locked"
    );

    let right = app.login(PHONE, PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        right.text()
    );
    assert_eq!(right.error_code(), "too_many_attempts");
    let wait = retry_after(&right);
    assert!((59..=61).contains(&wait), "{wait}");
    let message = right.json()["message"].as_str().unwrap().to_owned();
    // 60 s from the last failure, rounded up to the whole second and then to the minute.
    assert!(
        [
            "登录失败次数过多，请 1 分钟后再试。",
            "登录失败次数过多，请 2 分钟后再试。"
        ]
        .contains(&message.as_str()),
        "{message}"
    );
}

/// Seconds between the last failure and the end of the lockout, as stored.
async fn stored_lockout(app: &TestApp) -> i64 {
    let (last, until): (String, String) =
        sqlx::query_as("SELECT last_failure_at, locked_until FROM login_failures")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let parse = |text: &str| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    };
    (parse(&until) - parse(&last)).whole_seconds()
}

#[tokio::test]
async fn the_lockout_doubles_with_each_failure_after_the_free_ones() {
    let app = spawn_with_login(LoginSettings::default()).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    for _ in 0..5 {
        assert_eq!(
            app.login(PHONE, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let mut lockouts = vec![stored_lockout(&app).await];
    for _ in 0..4 {
        // Let the lockout run out (as if the attacker waited), then guess again.
        sqlx::query("UPDATE login_failures SET locked_until = '2000-01-01T00:00:00Z'")
            .execute(&app.pool)
            .await
            .unwrap();
        assert_eq!(
            app.login(PHONE, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
        lockouts.push(stored_lockout(&app).await);
    }
    // Stored in whole seconds: the end is rounded up, the failure down, so each may read one second more.
    for (lockout, expected) in lockouts.iter().zip([1, 2, 4, 8, 16]) {
        assert!(
            *lockout == expected || *lockout == expected + 1,
            "{lockouts:?}"
        );
    }
    let failures: i64 = sqlx::query_scalar("SELECT failures FROM login_failures")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(failures, 9);
    let key: String = sqlx::query_scalar("SELECT phone_hash FROM login_failures")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!key.contains(PHONE), "the number is not stored in clear");
}

#[tokio::test]
async fn a_successful_login_resets_the_phones_counter() {
    let app = spawn_with_login(long_first_lockout()).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    for _ in 0..4 {
        assert_eq!(
            app.login(PHONE, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(app.login(PHONE, PASSWORD).await.status, StatusCode::OK);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0, "the counter is gone");

    // Five free failures again, then locked.
    for _ in 0..5 {
        assert_eq!(
            app.login(PHONE, "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login(PHONE, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_unknown_phone_is_locked_like_a_known_one() {
    // Otherwise the 429 would tell which numbers have accounts.
    let app = spawn_with_login(long_first_lockout()).await;
    for _ in 0..5 {
        let response = app.login("13912345678", "some password").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.error_code(), "invalid_credentials");
    }
    let locked = app.login("13912345678", "some password").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_client_address_that_fails_too_often_is_locked_for_every_phone() {
    let app = spawn_with_login(long_first_lockout()).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    // One guess per number, so only the per-client counter can lock.
    for n in 0..20 {
        let phone = format!("139000001{n:02}");
        let response = app.login_from("203.0.113.7:40000", &phone, "guess").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{n}");
    }
    let locked = app.login_from("203.0.113.7:40001", PHONE, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.error_code(), "too_many_attempts");
    assert!(retry_after(&locked) >= 1);

    // Another address, and the account itself, are not affected.
    let other = app.login_from("198.51.100.2:40000", PHONE, PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());
}

#[tokio::test]
async fn a_client_address_locked_through_one_instance_is_locked_on_another() {
    let first = spawn_with_login(long_first_lockout()).await;
    first.create_user(PHONE, PASSWORD, Role::Helper).await;
    let second = common::app_over(first.pool.clone(), first.blobs.clone());
    for n in 0..20 {
        let phone = format!("139000002{n:02}");
        let response = first
            .login_from("203.0.113.70:40000", &phone, "guess")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{n}");
    }
    let locked = second
        .login_from("203.0.113.70:40001", PHONE, PASSWORD)
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.error_code(), "too_many_attempts");
    let other = second
        .login_from("198.51.100.3:40000", PHONE, PASSWORD)
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());
}

#[tokio::test]
async fn successful_logins_do_not_count_against_the_client_address() {
    let app = spawn_with_login(long_first_lockout()).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    for _ in 0..30 {
        let response = app.login_from("203.0.113.9:40000", PHONE, PASSWORD).await;
        assert_eq!(response.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn when_every_hashing_slot_is_busy_a_login_is_503_with_retry_after_and_not_counted() {
    let settings = LoginSettings {
        hashing_concurrency: 1,
        hashing_wait: Duration::ZERO,
        ..long_first_lockout()
    };
    let app = spawn_with_login(settings).await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let logins = (0..16).map(|n| {
        let phone = format!("139000002{n:02}");
        let app = &app;
        async move { app.login(&phone, "wrong password").await }
    });
    let responses = futures_util::future::join_all(logins).await;
    let busy: Vec<&TestResponse> = responses
        .iter()
        .filter(|response| response.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    let refused = responses
        .iter()
        .filter(|response| response.status == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(busy.len() + refused, 16);
    assert!(
        !busy.is_empty(),
        "one slot, no wait: concurrent logins are turned away"
    );
    assert!(refused >= 1);
    for response in busy {
        assert_eq!(response.error_code(), "login_busy");
        assert_eq!(retry_after(response), 1);
        assert_eq!(
            response.json()["message"],
            "登录的人太多，服务器正忙，请 1 秒后再试。"
        );
    }
    let counted: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(failures), 0) AS BIGINT) FROM login_failures")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        counted as usize, refused,
        "a login turned away before its password was checked is not a failure"
    );
}

#[tokio::test]
async fn the_per_phone_counters_are_capped_and_old_ones_forgotten() {
    let settings = LoginSettings {
        max_tracked_phones: 10,
        ..long_first_lockout()
    };
    let app = spawn_with_login(settings).await;
    let rows = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_failures")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    for n in 0..25 {
        let response = app
            .login(&format!("139000003{n:02}"), "some password")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let kept = rows(&app).await;
    assert!((10..=11).contains(&kept), "{kept}");

    // Failures older than the memory (a day) are dropped when the next number is counted.
    sqlx::query("UPDATE login_failures SET last_failure_at = '2000-01-01T00:00:00Z', locked_until = '2000-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.login("13900000400", "some password").await;
    assert_eq!(rows(&app).await, 1);
}

#[tokio::test]
async fn the_per_address_counters_are_capped_and_nothing_is_counted_without_an_address() {
    let settings = LoginSettings {
        max_tracked_clients: 3,
        ..long_first_lockout()
    };
    let app = spawn_with_login(settings).await;
    let rows = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_client_failures")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        app.login("13900000399", "guess").await;
    }
    assert_eq!(rows(&app).await, 0, "in-process requests have no address");
    for n in 0..6 {
        let response = app
            .login_from(
                &format!("203.0.113.{}:40000", 100 + n),
                &format!("139000003{n:02}"),
                "guess",
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{n}");
    }
    assert_eq!(rows(&app).await, 3);
}
