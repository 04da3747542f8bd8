//! Sync throughput benchmark: starts the server (the real router and SQLite store) on a random port with a fresh
//! database, then
//! (a) N simulated helpers (default 20) submit household visits concurrently over HTTP, each on its own keep-alive
//!     connection and each on its own households, and prints submissions/s with p50/p99 latency;
//! (b) one phone flushes an outbox of 500 submissions and 100 photos of about 300 KB sequentially (HEAD then PUT
//!     for each photo, as the app's outbox does, then the record), and prints the total time.
//!
//! Prints numbers; asserts only that every request got the status it should. Run with `scripts/bench-sync`.
//! Arguments: `[helpers] [visits per helper]`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{HouseholdVisit, Submission, SubmissionReceipt, SubmissionRecord};
use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household_visit};
use zoufang_server::auth::password;
use zoufang_server::clock::china_date;
use zoufang_server::demo::{self, demo_households};
use zoufang_server::store::households::{self, NewHousehold};
use zoufang_server::store::{self, users};
use zoufang_server::{AppState, PhotoSettings, Settings, app};

const PASSWORD: &str = "bench-password";

struct Client {
    sender: SendRequest<Body>,
    token: String,
}

impl Client {
    async fn connect(address: SocketAddr) -> Client {
        let stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        Client {
            sender,
            token: String::new(),
        }
    }

    async fn send(
        &mut self,
        method: Method,
        uri: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Vec<u8>) {
        self.sender.ready().await.unwrap();
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "localhost")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let response = self.sender.send_request(request).await.unwrap();
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, body)
    }

    async fn login(&mut self, phone: &str) {
        let body = serde_json::json!({"phone": phone, "password": PASSWORD}).to_string();
        let (status, body) = self
            .send(
                Method::POST,
                "/api/login",
                "application/json",
                body.into_bytes(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let login: serde_json::Value = serde_json::from_slice(&body).unwrap();
        self.token = login["token"].as_str().unwrap().to_owned();
    }

    /// Submits a visit; returns the household's new version.
    async fn submit(&mut self, submission: &Submission) -> i64 {
        let body = serde_json::to_vec(submission).unwrap();
        let (status, body) = self
            .send(Method::POST, "/api/submissions", "application/json", body)
            .await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&body)
        );
        let receipt: SubmissionReceipt = serde_json::from_slice(&body).unwrap();
        receipt.household_version.unwrap()
    }
}

/// A valid visit of `household` on `base_version`, with a reason for every warning and the given photos.
fn visit(
    household: &Household,
    base_version: i64,
    visitor: Uuid,
    evidence: Vec<Evidence>,
    policy: &PolicyTables,
) -> Submission {
    let now = OffsetDateTime::now_utc();
    let mut visit = HouseholdVisit {
        household: household.clone(),
        base_version,
        plan: zoufang_domain::sample::plan(household),
        income: zoufang_domain::sample::income_sheet(household),
        visit: VisitLog {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: VisitId(Uuid::new_v4()),
            household_id: household.id,
            purposes: vec![VisitPurpose::RoutineVisit],
            visitor_ids: vec![UserId(visitor)],
            started_at: now - time::Duration::minutes(40),
            ended_at: now - time::Duration::minutes(5),
            notes: "走访".into(),
            issues_found: Vec::new(),
            follow_ups: Vec::new(),
            household_confirmation: Some(HouseholdConfirmation {
                method: ConfirmationMethod::Signature,
                confirmed_by: household.members[0].name.clone(),
                confirmed_at: now - time::Duration::minutes(5),
                signature_evidence: None,
            }),
            evidence: evidence.iter().map(|item| item.id).collect(),
        },
        evidence,
        warning_reasons: BTreeMap::new(),
    };
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today: china_date(now),
        policy,
        config: &config,
    };
    let report = validate_household_visit(&visit, &context, now);
    assert!(report.can_submit(), "{:#?}", report.findings);
    visit.warning_reasons = report
        .warnings()
        .map(|finding| (finding.code.as_str().to_owned(), "已核实".to_owned()))
        .collect();
    Submission {
        id: Uuid::new_v4(),
        submitted_at: now,
        record: SubmissionRecord::HouseholdVisit(visit),
    }
}

/// Pseudo-random bytes (xorshift) that stand in for a JPEG.
fn photo(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut bytes = Vec::with_capacity(len);
    bytes.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

fn percentile(sorted: &[Duration], per_cent: usize) -> Duration {
    let index = (sorted.len() * per_cent).div_ceil(100).saturating_sub(1);
    sorted[index.min(sorted.len() - 1)]
}

/// Creates `count` helper accounts (phones 1370000xxxx), each the helper of one copy of a demo household.
async fn helpers(
    pool: &sqlx::SqlitePool,
    count: usize,
    village: Uuid,
) -> Vec<(String, Uuid, Household)> {
    let now = OffsetDateTime::now_utc();
    let hash = password::hash(PASSWORD).unwrap();
    let templates = demo_households(china_date(now));
    let mut created = Vec::new();
    for index in 0..count {
        let phone = format!("137{index:08}");
        let user_id = Uuid::new_v4();
        users::insert(
            pool,
            &users::NewUser {
                id: user_id,
                phone: &phone,
                name: "压测帮扶人",
                role: zoufang_domain::protocol::Role::Helper,
                password_hash: &hash,
                village_id: Some(village),
                teaching_point_id: None,
                created_at: now,
            },
        )
        .await
        .unwrap();
        let mut record = templates[index % templates.len()].record.clone();
        record.id = HouseholdId(Uuid::new_v4());
        record.household_code = format!("46010710699{index:05}");
        // Keep only the open helper row (some demo households have a history), now this account's.
        record.helpers.retain(|helper| helper.ended_on.is_none());
        record.helpers[0].user_id = Some(UserId(user_id));
        households::insert(
            pool,
            &NewHousehold {
                village_id: village,
                address: "清泉村压测",
                record: &record,
                last_visit_on: None,
                created_at: now,
            },
        )
        .await
        .unwrap();
        created.push((phone, user_id, record));
    }
    created
}

#[tokio::main]
async fn main() {
    let mut arguments = std::env::args().skip(1);
    let helper_count: usize = arguments.next().map_or(20, |text| text.parse().unwrap());
    let visits_per_helper: usize = arguments.next().map_or(25, |text| text.parse().unwrap());

    let directory = tempfile::tempdir().unwrap();
    let pool = store::open(&directory.path().join("bench.sqlite"))
        .await
        .unwrap();
    demo::seed(&pool, OffsetDateTime::now_utc()).await.unwrap();
    let village = demo::demo_village_id();
    let accounts = helpers(&pool, helper_count + 1, village).await;
    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: directory.path().to_path_buf(),
            token_lifetime: time::Duration::days(1),
            drop_response_rate: 0.0,
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
    let policy = PolicyTables::builtin().unwrap();
    println!(
        "server on http://{address}/, database {}",
        directory.path().display()
    );

    // (a) concurrent helpers.
    let mut tasks = Vec::new();
    let started = Instant::now();
    for (phone, user_id, household) in accounts.iter().take(helper_count).cloned() {
        let policy = policy.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(address).await;
            client.login(&phone).await;
            let mut version = 1;
            let mut latencies = Vec::with_capacity(visits_per_helper);
            for _ in 0..visits_per_helper {
                let submission = visit(&household, version, user_id, Vec::new(), &policy);
                let sent = Instant::now();
                version = client.submit(&submission).await;
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "(a) {helper_count} concurrent helpers × {visits_per_helper} visits = {} submissions in {:.2} s: {:.0} submissions/s, latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 50).as_secs_f64() * 1000.0,
        percentile(&latencies, 99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0,
    );

    // (b) one phone's outbox: 500 submissions, every fifth with a ~300 KB photo uploaded first.
    let (phone, user_id, household) = accounts.last().cloned().unwrap();
    let mut client = Client::connect(address).await;
    client.login(&phone).await;
    let photos: Vec<Vec<u8>> = (0..100).map(|seed| photo(seed + 1, 300 * 1024)).collect();
    let started = Instant::now();
    let mut version = 1;
    let mut photo_time = Duration::ZERO;
    let mut photo_bytes = 0;
    for index in 0..500 {
        let mut evidence = Vec::new();
        if index % 5 == 0 {
            let bytes = &photos[index / 5];
            let sha256 = zoufang_server::api::sha256_hex(bytes);
            let uri = format!("/api/photos/{sha256}");
            let photo_started = Instant::now();
            let (status, _) = client
                .send(Method::HEAD, &uri, "image/jpeg", Vec::new())
                .await;
            if status == StatusCode::NOT_FOUND {
                let (status, body) = client
                    .send(Method::PUT, &uri, "image/jpeg", bytes.clone())
                    .await;
                assert_eq!(
                    status,
                    StatusCode::CREATED,
                    "{}",
                    String::from_utf8_lossy(&body)
                );
            }
            photo_time += photo_started.elapsed();
            photo_bytes += bytes.len();
            evidence.push(Evidence {
                schema_version: CURRENT_SCHEMA_VERSION,
                id: EvidenceId(Uuid::new_v4()),
                visit_id: None,
                kind: EvidenceKind::SitePhoto,
                taken_at: OffsetDateTime::now_utc(),
                gps: None,
                sha256: Sha256Digest::parse(&sha256).unwrap(),
                bytes: bytes.len() as u64,
                width: Some(1280),
                height: Some(960),
                caption: String::new(),
            });
        }
        let submission = visit(&household, version, user_id, evidence, &policy);
        version = client.submit(&submission).await;
    }
    let elapsed = started.elapsed();
    println!(
        "(b) one outbox, sequential: 500 submissions + 100 photos ({:.1} MB) in {:.2} s ({:.1} ms per submission on average; photos HEAD+PUT {:.2} s, {:.1} MB/s)",
        photo_bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        (elapsed - photo_time).as_secs_f64() * 1000.0 / 500.0,
        photo_time.as_secs_f64(),
        photo_bytes as f64 / 1e6 / photo_time.as_secs_f64(),
    );
    pool.close().await;
}
