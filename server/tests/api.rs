//! The JSON API: health, login, the bearer token, logout, and how every kind of bad request is answered.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::spawn;
use time::OffsetDateTime;
use zoufang_domain::protocol::{Health, LoginResponse, Role, UserProfile};
use zoufang_server::auth::token::hash_token;
use zoufang_server::store::sessions;

const PHONE: &str = "13900000001";
const PASSWORD: &str = "correct horse 电池";

#[tokio::test]
async fn health_reports_ok_and_the_crate_version() {
    let app = spawn().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response
            .header("content-type")
            .starts_with("application/json")
    );
    let health: Health = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn login_returns_a_token_that_opens_me() {
    let app = spawn().await;
    let user_id = app.create_user(PHONE, PASSWORD, Role::FirstSecretary).await;

    let response = app.login(PHONE, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let login: LoginResponse = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(login.user.id, user_id);
    assert_eq!(login.user.role, Role::FirstSecretary);
    assert_eq!(login.token.len(), 43);
    let expires_at = OffsetDateTime::parse(
        &login.expires_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days_left = (expires_at - OffsetDateTime::now_utc()).whole_days();
    assert!((29..=30).contains(&days_left), "{days_left}");

    let me = app.with_token(Method::GET, "/api/me", &login.token).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    let profile: UserProfile = serde_json::from_slice(&me.body).unwrap();
    assert_eq!(profile, login.user);
    assert_eq!(profile.phone, PHONE);
}

#[tokio::test]
async fn the_token_is_stored_only_as_its_sha256() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let token = app.token_for(PHONE, PASSWORD).await;

    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, vec![hash_token(&token)]);
}

#[tokio::test]
async fn a_wrong_password_is_401_invalid_credentials() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let response = app.login(PHONE, "wrong password").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "invalid_credentials");
    assert_eq!(response.json()["message"], "手机号或密码不正确。");
}

#[tokio::test]
async fn an_unknown_phone_is_the_same_401_as_a_wrong_password() {
    let app = spawn().await;
    let response = app.login("13912345678", PASSWORD).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "invalid_credentials");
}

#[tokio::test]
async fn a_phone_that_is_not_eleven_digits_is_422_invalid_phone() {
    let app = spawn().await;
    for phone in ["1390000000", "139000000012", "1390000000x", ""] {
        let response = app.login(phone, PASSWORD).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{phone}");
        assert_eq!(response.error_code(), "invalid_phone");
    }
}

#[tokio::test]
async fn an_empty_password_is_422_empty_password() {
    let app = spawn().await;
    let response = app.login(PHONE, "").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "empty_password");
}

#[tokio::test]
async fn malformed_json_is_400_with_the_parser_detail() {
    let app = spawn().await;
    let response = app
        .post_json("/api/login", r#"{"phone": "13900000001", "#)
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.error_code(), "malformed_json");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("line 1"), "{message}");
}

#[tokio::test]
async fn a_missing_field_is_422_invalid_body_naming_the_field() {
    let app = spawn().await;
    let response = app
        .post_json("/api/login", r#"{"phone": "13900000001"}"#)
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "invalid_body");
    let message = response.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("password"), "{message}");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_422_invalid_body() {
    let app = spawn().await;
    let response = app
        .post_json("/api/login", r#"{"phone": 13900000001, "password": "x"}"#)
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "invalid_body");
}

#[tokio::test]
async fn a_body_not_declared_as_json_is_415() {
    let app = spawn().await;
    let response = app
        .send(
            Request::post("/api/login")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(r#"{"phone":"13900000001","password":"x"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(response.error_code(), "unsupported_media_type");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413_json() {
    let app = spawn().await;
    let huge_password = "x".repeat(1024 * 1024 + 1);
    let body = serde_json::json!({ "phone": PHONE, "password": huge_password }).to_string();
    let response = app.post_json("/api/login", body).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.error_code(), "payload_too_large");
}

#[tokio::test]
async fn me_without_a_token_is_401_missing_token() {
    let app = spawn().await;
    let response = app.get("/api/me").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "missing_token");
    assert_eq!(response.header("www-authenticate"), "Bearer");

    let basic = app
        .get_with("/api/me", "authorization", "Basic dXNlcjpwYXNz")
        .await;
    assert_eq!(basic.error_code(), "missing_token");
}

#[tokio::test]
async fn me_with_an_unknown_token_is_401_invalid_token() {
    let app = spawn().await;
    let response = app
        .with_token(Method::GET, "/api/me", "not-a-real-token")
        .await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "invalid_token");
}

#[tokio::test]
async fn me_with_an_expired_token_is_401_token_expired() {
    let app = spawn().await;
    let user_id = app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let token = "an-expired-token";
    let now = OffsetDateTime::now_utc();
    sessions::insert(
        &app.pool,
        &hash_token(token),
        user_id,
        now - time::Duration::days(31),
        now - time::Duration::seconds(1),
    )
    .await
    .unwrap();

    let response = app.with_token(Method::GET, "/api/me", token).await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "token_expired");
}

#[tokio::test]
async fn logout_revokes_the_token_and_is_idempotent() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let token = app.token_for(PHONE, PASSWORD).await;
    let other_token = app.token_for(PHONE, PASSWORD).await;

    let logout = app.with_token(Method::POST, "/api/logout", &token).await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert!(logout.body.is_empty());

    let me = app.with_token(Method::GET, "/api/me", &token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.error_code(), "invalid_token");

    // Logging out again (say, a retry after a dropped connection) still succeeds.
    let again = app.with_token(Method::POST, "/api/logout", &token).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    // The same account's other session (another phone) is untouched.
    let other = app.with_token(Method::GET, "/api/me", &other_token).await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn logout_without_a_token_is_401_missing_token() {
    let app = spawn().await;
    let response = app.post_json("/api/logout", "").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.error_code(), "missing_token");
}

#[tokio::test]
async fn an_unknown_api_path_is_404_json() {
    let app = spawn().await;
    for path in [
        "/api/nope",
        "/api/households/abc",
        "/api/",
        "/api",
        "/api//x",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.error_code(), "not_found", "{path}");
    }
}

#[tokio::test]
async fn a_wrong_method_on_an_api_path_is_405_json() {
    let app = spawn().await;
    let response = app.get("/api/login").await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.error_code(), "method_not_allowed");
}

#[tokio::test]
async fn api_responses_are_compressed_when_the_client_accepts_gzip() {
    let app = spawn().await;
    let response = app.get_with("/api/health", "accept-encoding", "gzip").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-encoding"), "gzip");
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = spawn().await;
    app.create_user(PHONE, PASSWORD, Role::Helper).await;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = $1")
        .bind(PHONE)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains(PASSWORD));
}
