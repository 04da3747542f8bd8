//! `--drop-response-rate`: over a real TCP connection, the handler commits and the client sees the connection
//! close instead of a status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::sync::*;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use time::OffsetDateTime;
use zoufang_server::demo::{self, demo_user_id};
use zoufang_server::store::submissions;
use zoufang_server::{AppState, PhotoSettings, Settings, app};

/// Serves the real router on a random port with the given drop rate; returns the address and the pool.
async fn serve(rate: f64) -> (std::net::SocketAddr, sqlx::AnyPool, tempfile::TempDir) {
    let directory = tempfile::tempdir().unwrap();
    let pool = common::open_database(directory.path()).await;
    demo::seed(&pool, OffsetDateTime::now_utc()).await.unwrap();
    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: directory.path().to_path_buf(),
            token_lifetime: time::Duration::days(1),
            drop_response_rate: rate,
            photos: PhotoSettings::default(),
            login: zoufang_server::auth::LoginSettings::default(),
        },
        std::sync::Arc::new(
            zoufang_server::blobs::local::LocalBlobs::open(&directory.path().join("photos"))
                .unwrap(),
        ),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    (address, pool, directory)
}

/// One request on a fresh connection: the status and body, or the transport error.
async fn send(
    address: std::net::SocketAddr,
    request: Request<Body>,
) -> Result<(StatusCode, Vec<u8>), hyper::Error> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let response = sender.send_request(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes().to_vec();
    Ok((status, body))
}

async fn login(address: std::net::SocketAddr) -> String {
    let body = serde_json::json!({"phone": HELPER_1, "password": demo::DEMO_PASSWORD}).to_string();
    let (status, body) = send(
        address,
        Request::post("/api/login")
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(status, StatusCode::OK, "login is never dropped");
    let login: serde_json::Value = serde_json::from_slice(&body).unwrap();
    login["token"].as_str().unwrap().to_owned()
}

fn submission_request(token: &str, body: &[u8]) -> Request<Body> {
    Request::post("/api/submissions")
        .header(header::HOST, "localhost")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_vec()))
        .unwrap()
}

async fn a_visit(pool: &sqlx::AnyPool) -> Vec<u8> {
    let household = zoufang_server::store::households::list_for_helper(pool, demo_user_id(0))
        .await
        .unwrap()
        .remove(0);
    let server = zoufang_domain::protocol::AssignedHousehold {
        household: household.record,
        version: household.version,
        risk: zoufang_domain::risk::RiskAssessment {
            colour: zoufang_domain::risk::RiskColour::Green,
            triggered: Vec::new(),
            rule_set_version: String::new(),
        },
        last_visit_on: None,
        plan: None,
        review: None,
        income_sheets: Vec::new(),
        visits: Vec::new(),
        review_history: Vec::new(),
        night_school_follow_up: None,
        earlier_visits: Vec::new(),
        review_basis: None,
    };
    serde_json::to_vec(&visit_submission(visit_for(&server, demo_user_id(0)))).unwrap()
}

#[tokio::test]
async fn a_dropped_response_is_a_transport_error_after_the_commit() {
    let (address, pool, _directory) = serve(1.0).await;
    let token = login(address).await;
    let body = a_visit(&pool).await;

    let outcome = send(address, submission_request(&token, &body)).await;
    let error = outcome.expect_err("the client must not see a status");
    assert!(
        error.is_incomplete_message() || error.is_closed() || error.is_canceled(),
        "{error:?}"
    );
    assert_eq!(
        submissions::count(&pool).await.unwrap(),
        1,
        "the handler committed"
    );

    // The retry commits nothing new (and is dropped too at rate 1).
    assert!(
        send(address, submission_request(&token, &body))
            .await
            .is_err()
    );
    assert_eq!(submissions::count(&pool).await.unwrap(), 1);

    // Photo uploads are dropped as well.
    let photo = fake_jpeg(1, 5_000);
    let request = Request::put(format!(
        "/api/photos/{}",
        zoufang_server::api::sha256_hex(&photo)
    ))
    .header(header::HOST, "localhost")
    .header(header::AUTHORIZATION, format!("Bearer {token}"))
    .header(header::CONTENT_TYPE, "image/jpeg")
    .body(Body::from(photo))
    .unwrap();
    assert!(send(address, request).await.is_err());
}

#[tokio::test]
async fn without_the_flag_the_same_client_gets_its_receipt() {
    let (address, pool, _directory) = serve(0.0).await;
    let token = login(address).await;
    let body = a_visit(&pool).await;
    let (status, _) = send(address, submission_request(&token, &body))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = send(address, submission_request(&token, &body))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK);
}
