//! Two server instances on one database (PostgreSQL when the suite runs on it, else one SQLite file): each with its
//! own pool and its own process state, as two processes behind a load balancer. A phone's requests alternate
//! between them while 30 % of the submission answers are dropped after the commit; the phone resends the same
//! submission until it gets a receipt. Every submission is stored exactly once and the household's version counts
//! them all.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::sync::*;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use time::OffsetDateTime;
use zoufang_domain::protocol::{AssignedHousehold, SubmissionReceipt};
use zoufang_server::demo::{self, demo_user_id};
use zoufang_server::store::{households, submissions};
use zoufang_server::{AppState, PhotoSettings, Settings, app};

const SUBMISSIONS: usize = 200;
const DROP_RATE: f64 = 0.3;

/// Serves the router on a random port over `pool`; returns the address.
async fn instance(pool: sqlx::AnyPool, directory: &std::path::Path) -> std::net::SocketAddr {
    let state = AppState::new(
        pool,
        Settings {
            dist_dir: directory.to_path_buf(),
            token_lifetime: time::Duration::days(1),
            drop_response_rate: DROP_RATE,
            photos: PhotoSettings::default(),
            login: zoufang_server::auth::LoginSettings::default(),
        },
        // Both instances keep photo bytes in one directory, as they would in one bucket.
        std::sync::Arc::new(
            zoufang_server::blobs::local::LocalBlobs::open(&directory.join("photos")).unwrap(),
        ),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    address
}

/// One request on a fresh connection: the status and body, or `None` when the answer was dropped.
async fn send(
    address: std::net::SocketAddr,
    request: Request<Body>,
) -> Option<(StatusCode, Vec<u8>)> {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let response = sender.send_request(request).await.ok()?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .ok()?
        .to_bytes()
        .to_vec();
    Some((status, body))
}

fn request(method: &str, uri: &str, token: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn two_instances_with_dropped_answers_store_each_submission_once() {
    let directory = tempfile::tempdir().unwrap();
    let url = match common::postgres_server() {
        Some(server) => common::fresh_postgres_database(&server).await,
        None => format!(
            "sqlite:{}",
            directory.path().join("shared.sqlite").display()
        ),
    };
    let pool_a = zoufang_server::store::open_url(&url).await.unwrap();
    let pool_b = zoufang_server::store::open_url(&url).await.unwrap();
    demo::seed(&pool_a, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let instances = [
        instance(pool_a.clone(), directory.path()).await,
        instance(pool_b.clone(), directory.path()).await,
    ];

    // Log in on A; the session is in the database, so B accepts the token.
    let login = serde_json::json!({"phone": HELPER_1, "password": demo::DEMO_PASSWORD}).to_string();
    let (status, body) = send(
        instances[0],
        request("POST", "/api/login", None, login.into_bytes()),
    )
    .await
    .expect("login answers are never dropped");
    assert_eq!(status, StatusCode::OK);
    let token: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let (status, _) = send(
        instances[1],
        request("GET", "/api/me", Some(&token), Vec::new()),
    )
    .await
    .unwrap();
    assert_eq!(status, StatusCode::OK, "a token from A is valid on B");

    let stored = households::list_for_helper(&pool_b, demo_user_id(0))
        .await
        .unwrap()
        .remove(0);
    let mut server = AssignedHousehold {
        household: stored.record,
        version: stored.version,
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
        earlier_visits: Vec::new(),
        review_basis: None,
        night_school_follow_up: None,
    };
    let first_version = server.version;
    let before = submissions::count(&pool_a).await.unwrap();
    let mut sent = 0_usize;
    let mut dropped = 0_usize;
    let mut repeats = 0_usize;
    for _ in 0..SUBMISSIONS {
        let body =
            serde_json::to_vec(&visit_submission(visit_for(&server, demo_user_id(0)))).unwrap();
        let receipt: SubmissionReceipt = loop {
            let target = instances[sent % 2];
            sent += 1;
            match send(
                target,
                request("POST", "/api/submissions", Some(&token), body.clone()),
            )
            .await
            {
                None => dropped += 1,
                Some((status, body)) => {
                    assert!(
                        status == StatusCode::CREATED || status == StatusCode::OK,
                        "{status}: {}",
                        String::from_utf8_lossy(&body)
                    );
                    if status == StatusCode::OK {
                        repeats += 1;
                    }
                    break serde_json::from_slice(&body).unwrap();
                }
            }
        };
        server.version = receipt.household_version.unwrap();
    }
    assert!(dropped > 0, "some answers were dropped ({sent} requests)");
    assert!(repeats > 0, "some resends were answered as repeats");
    assert_eq!(
        submissions::count(&pool_a).await.unwrap() - before,
        SUBMISSIONS as i64,
        "no duplicate, no loss"
    );
    let after = households::find(&pool_b, server.household.id.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.version, first_version + SUBMISSIONS as i64);
}
