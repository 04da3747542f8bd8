//! `PUT`/`GET /api/me/data-key`: the server keeps one opaque copy of each account's phone data key and gives it
//! back only to a password login of the last minutes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::sync::{HELPER_1, HELPER_2, seeded};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use zoufang_domain::protocol::WrappedDataKey;

fn copy(wrapped: &str) -> WrappedDataKey {
    WrappedDataKey {
        wrapped: wrapped.to_owned(),
        salt: "c2FsdHNhbHRzYWx0c2FsdA==".to_owned(),
        iterations: 210_000,
    }
}

#[tokio::test]
async fn a_fresh_login_keeps_and_gets_back_its_own_copy_only() {
    let app = seeded().await;
    let wang = app.demo_token(HELPER_1).await;
    let chen = app.demo_token(HELPER_2).await;
    let response = app.with_token(Method::GET, "/api/me/data-key", &wang).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error_code(), "no_data_key");

    let mine = copy("d3JhcHBlZC1rZXktb2Ytd2FuZw==");
    let put = app
        .send_json(Method::PUT, "/api/me/data-key", &wang, &mine)
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text());
    let got = app.with_token(Method::GET, "/api/me/data-key", &wang).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<WrappedDataKey>(&got.body).unwrap(),
        mine
    );
    let other = app.with_token(Method::GET, "/api/me/data-key", &chen).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);

    // A later login replaces it (a changed password wraps the key anew).
    let newer = copy("bmV3ZXItY29weQ==");
    let put = app
        .send_json(Method::PUT, "/api/me/data-key", &wang, &newer)
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    let got = app.with_token(Method::GET, "/api/me/data-key", &wang).await;
    assert_eq!(
        serde_json::from_slice::<WrappedDataKey>(&got.body).unwrap(),
        newer
    );
}

#[tokio::test]
async fn an_old_session_neither_reads_nor_replaces_the_copy() {
    let app = seeded().await;
    let wang = app.demo_token(HELPER_1).await;
    let put = app
        .send_json(Method::PUT, "/api/me/data-key", &wang, copy("b2xk"))
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT);
    let old =
        zoufang_server::store::format_instant(OffsetDateTime::now_utc() - Duration::minutes(11));
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind(old)
        .execute(&app.pool)
        .await
        .unwrap();
    let got = app.with_token(Method::GET, "/api/me/data-key", &wang).await;
    assert_eq!(got.status, StatusCode::FORBIDDEN);
    assert_eq!(got.error_code(), "login_not_fresh");
    let put = app
        .send_json(Method::PUT, "/api/me/data-key", &wang, copy("bmV3"))
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    let nobody = app
        .with_token(Method::GET, "/api/me/data-key", "no-such-token")
        .await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_malformed_copy_is_refused_with_422() {
    let app = seeded().await;
    let wang = app.demo_token(HELPER_1).await;
    for body in [
        json!({ "wrapped": "", "salt": "c2FsdA==", "iterations": 210000 }),
        json!({ "wrapped": "a".repeat(129), "salt": "c2FsdA==", "iterations": 210000 }),
        json!({ "wrapped": "<script>", "salt": "c2FsdA==", "iterations": 210000 }),
        json!({ "wrapped": "b2xk", "salt": "c2FsdA==", "iterations": 1000 }),
    ] {
        let put = app
            .send_json(Method::PUT, "/api/me/data-key", &wang, &body)
            .await;
        assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(put.error_code(), "invalid_data_key");
    }
    let missing = app
        .send_json(
            Method::PUT,
            "/api/me/data-key",
            &wang,
            json!({ "wrapped": "b2xk" }),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}
