//! Hostile input and the HTTP layer's limits: crafted fields answered 422 (never a panic), security headers on
//! every answer, a panicking handler answered as a JSON 500, request and request-head deadlines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use common::sync::*;
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;
use zoufang_domain::money::Fen;
use zoufang_server::limits::{HttpLimits, layers};

async fn helper_visit(app: &common::TestApp) -> (String, zoufang_domain::protocol::HouseholdVisit) {
    let token = app.demo_token(HELPER_1).await;
    let household = households_of(app, 0).await[0];
    let server = assigned(app, household).await;
    let visit = visit_for(&server, zoufang_server::demo::demo_user_id(0));
    (token, visit)
}

/// A change that makes a valid visit invalid.
type Change = Box<dyn Fn(&mut zoufang_domain::protocol::HouseholdVisit)>;

fn finding_codes(body: &Value) -> Vec<String> {
    body["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {body}"))
        .iter()
        .map(|finding| finding["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_submitted_at_in_year_9999_or_before_2013_is_refused_with_a_reason() {
    let app = seeded().await;
    let (token, visit) = helper_visit(&app).await;
    for submitted_at in [
        datetime!(9999-12-31 23:59:59 -12:00),
        datetime!(9999-12-31 23:59:59 UTC),
        datetime!(2012-12-31 15:59:59 UTC),
        OffsetDateTime::now_utc() + time::Duration::days(2),
    ] {
        let mut submission = visit_submission(visit.clone());
        submission.submitted_at = submitted_at;
        let response = app.submit(&token, &submission).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{submitted_at}"
        );
        assert_eq!(response.error_code(), "submitted_at_out_of_range");
    }
    assert_eq!(app.count("submissions").await, 0);
    // A phone clock a few hours fast is not refused.
    let mut submission = visit_submission(visit);
    submission.submitted_at = OffsetDateTime::now_utc() + time::Duration::hours(3);
    assert_eq!(
        app.submit(&token, &submission).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_base_version_of_i64_max_is_refused_not_overflowed() {
    let app = seeded().await;
    let (token, mut visit) = helper_visit(&app).await;
    visit.base_version = i64::MAX;
    let response = app.submit(&token, &visit_submission(visit)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error_code(), "invalid_base_version");
}

#[tokio::test]
async fn plan_amounts_visit_dates_and_text_lengths_are_bounded() {
    let app = seeded().await;
    let (token, visit) = helper_visit(&app).await;
    let cases: Vec<(&str, Change)> = vec![
        (
            "PL-AMOUNT-OUT-OF-RANGE",
            Box::new(|v| v.plan.measures[0].funds = Fen::from_fen(-1)),
        ),
        (
            "PL-AMOUNT-OUT-OF-RANGE",
            Box::new(|v| v.plan.measures[0].expected_extra_income = Fen::from_fen(i64::MAX)),
        ),
        (
            "VL-BEFORE-EARLIEST",
            Box::new(|v| {
                v.visit.started_at = datetime!(0001-01-01 09:00 UTC);
                v.visit.ended_at = datetime!(0001-01-01 10:00 UTC);
            }),
        ),
        (
            "VL-TOO-LONG",
            Box::new(|v| v.visit.started_at = v.visit.ended_at - time::Duration::hours(25)),
        ),
        (
            "FIELD-TEXT-TOO-LONG",
            Box::new(|v| v.visit.notes = "记".repeat(2_001)),
        ),
        (
            "FIELD-NAME-TOO-LONG",
            Box::new(|v| v.household.members[0].name = "名".repeat(51)),
        ),
    ];
    for (code, change) in cases {
        let mut crafted = visit.clone();
        change(&mut crafted);
        let response = app.submit(&token, &visit_submission(crafted)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert!(
            finding_codes(&response.json()).contains(&code.to_owned()),
            "{code}: {}",
            response.text()
        );
    }
    assert_eq!(app.count("submissions").await, 0);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_api_answers_are_not_stored() {
    let app = seeded().await;
    let token = app.demo_token(HELPER_1).await;
    let api = app
        .with_token(axum::http::Method::GET, "/api/assignments", &token)
        .await;
    assert_eq!(api.status, StatusCode::OK);
    for response in [&api, &app.get("/api/nope").await, &app.get("/").await] {
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert_eq!(response.header("x-frame-options"), "DENY");
        assert_eq!(response.header("referrer-policy"), "no-referrer");
    }
    assert_eq!(api.header("cache-control"), "no-store");
    let page = app.get("/households/1").await;
    let policy = page.header("content-security-policy");
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
}

#[tokio::test]
async fn the_page_policy_allows_exactly_the_inline_loader_of_the_built_page() {
    let app = common::spawn().await;
    let loader = "import init from '/zoufang-app-0123456789abcdef.js';await init();";
    std::fs::write(
        app.dist.path().join("index.html"),
        format!(
            "<!doctype html><html><head><script type=\"module\">{loader}</script></head></html>"
        ),
    )
    .unwrap();
    let policy = app
        .get("/")
        .await
        .header("content-security-policy")
        .to_owned();
    let expected = zoufang_server::web::inline_script_hashes(&format!("<script>{loader}</script>"));
    assert_eq!(expected.len(), 1);
    assert!(
        policy.contains(&format!("'sha256-{}'", expected[0])),
        "{policy}"
    );
}

/// One GET through a router built in the test: the status and the JSON body.
async fn get_through(router: Router, path: &str) -> (StatusCode, Value) {
    let response = router
        .oneshot(
            axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn a_panicking_handler_is_answered_as_a_json_500() {
    async fn boom() -> &'static str {
        panic!("crafted input")
    }
    let router: Router = layers(
        Router::new().route("/boom", get(boom)),
        &HttpLimits::default(),
    );
    let (status, body) = get_through(router, "/boom").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], "internal_error");
}

#[tokio::test]
async fn a_request_over_its_deadline_is_answered_408_with_a_reason() {
    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "late"
    }
    let limits = HttpLimits {
        request_timeout: Duration::from_millis(100),
        ..HttpLimits::default()
    };
    let router: Router = layers(Router::new().route("/slow", get(slow)), &limits);
    let (status, body) = get_through(router, "/slow").await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(body["code"], "request_timeout");
}

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off_after_the_header_deadline() {
    let limits = HttpLimits {
        header_read_timeout: Duration::from_millis(300),
        ..HttpLimits::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Router::new().route("/", get(|| async { "ok" }));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(zoufang_server::serve::serve(
        listener,
        router,
        limits,
        async {
            let _ = stopped.await;
        },
    ));

    // A whole request is answered.
    let mut whole = tokio::net::TcpStream::connect(address).await.unwrap();
    whole
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    whole.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // A head that never ends is closed by the server well before the test's own limit.
    let mut partial = tokio::net::TcpStream::connect(address).await.unwrap();
    partial
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), partial.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the connection was still open after 5 s");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// One request on its own connection through the real TCP server; the status code.
async fn post_over_tcp(address: std::net::SocketAddr, path: &str, body: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

#[tokio::test]
async fn the_serve_loop_gives_the_login_throttle_the_peer_address() {
    let app = common::spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(zoufang_server::serve::serve(
        listener,
        app.router.clone(),
        HttpLimits::default(),
        async {
            let _ = stopped.await;
        },
    ));
    let free = zoufang_server::auth::LoginSettings::default().free_failures_per_client;
    // Each guess is for another phone number, so only the per-client counter can stop them.
    let mut statuses = Vec::new();
    for index in 0..=free {
        let body = format!(r#"{{"phone":"1390000{index:04}","password":"wrong password"}}"#);
        statuses.push(post_over_tcp(address, "/api/login", &body).await);
    }
    let last = statuses.pop().unwrap();
    assert!(statuses.iter().all(|status| *status == 401), "{statuses:?}");
    assert_eq!(
        last, 429,
        "the guess after {free} failures from one address"
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
