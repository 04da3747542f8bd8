//! Sync throughput benchmark: starts server instances (the real router and store) on random ports, each run on a
//! fresh database, then
//! (a) N simulated helpers submit household visits concurrently over HTTP, each on its own keep-alive connection
//!     and its own household, and prints submissions/s with p50/p99 latency, for each engine setting: SQLite; one
//!     instance on PostgreSQL; two instances on one PostgreSQL database (helper i talks to instance i mod 2; each
//!     instance has its own pool, as a second process would) — at 20, 100 and 500 helpers — and the CPU time per
//!     submission of the server and of the helpers (which run on a thread and runtime of their own; on PostgreSQL
//!     the server's is this process's only, without the database server's), and how busy the machine's cores were
//!     (every process, the database server's included: near 100 % the machine, not the design, sets the pace);
//! (b) on SQLite, one phone flushes an outbox of 500 submissions and 100 photos of about 300 KB sequentially (HEAD
//!     then PUT for each photo, as the app's outbox does, then the record), and prints the total time.
//!
//! PostgreSQL comes from `ZOUFANG_TEST_POSTGRES_URL` (a server URL without a database name; `scripts/bench-sync`
//! starts a throwaway one); without it only SQLite runs. Prints numbers; asserts only that every request got the
//! status it should. Arguments: `[helper counts, comma-separated] [submissions per level]` (default `20,100,500`
//! and 2000: each helper sends `submissions / helpers` visits, at least 4).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cpu;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use sqlx::Connection;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::*;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::{HouseholdVisit, Submission, SubmissionReceipt, SubmissionRecord};
use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household_visit};
use zoufang_server::auth::password;
use zoufang_server::auth::token::SessionToken;
use zoufang_server::clock::china_date;
use zoufang_server::demo::{self, demo_households};
use zoufang_server::store::households::{self, NewHousehold};
use zoufang_server::store::{self, sessions, users};

use cpu::{MachineTicks, cpu_time};
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

    /// Submits a visit; returns the household's new version.
    async fn submit(&mut self, submission: &Submission) -> i64 {
        self.submit_encoded(serde_json::to_vec(submission).unwrap())
            .await
    }

    /// Submits a visit already encoded as JSON; returns the household's new version.
    async fn submit_encoded(&mut self, body: Vec<u8>) -> i64 {
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
    pool: &sqlx::AnyPool,
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

/// Where the instances keep their data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setting {
    Sqlite,
    Postgres { instances: usize },
}

impl Setting {
    fn label(self) -> String {
        match self {
            Setting::Sqlite => "SQLite, 1 instance".to_owned(),
            Setting::Postgres { instances } => format!("PostgreSQL, {instances} instance(s)"),
        }
    }
}

/// A fresh database for one run: a SQLite file in `directory`, or a new database on the PostgreSQL server.
async fn fresh_database(setting: Setting, directory: &std::path::Path, run: usize) -> String {
    match setting {
        Setting::Sqlite => format!(
            "sqlite:{}",
            directory.join(format!("bench-{run}.sqlite")).display()
        ),
        Setting::Postgres { .. } => {
            let server = postgres_server().unwrap();
            let name = format!("zf_bench_{}", Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
                .await
                .unwrap();
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            admin.close().await.unwrap();
            format!("{server}/{name}")
        }
    }
}

fn postgres_server() -> Option<String> {
    std::env::var("ZOUFANG_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// Starts one server instance on its own pool; returns its address.
async fn start_instance(url: &str, dist: &std::path::Path) -> (SocketAddr, sqlx::AnyPool) {
    let pool = store::open_url(url).await.unwrap();
    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: dist.to_path_buf(),
            token_lifetime: time::Duration::days(1),
            drop_response_rate: 0.0,
            photos: PhotoSettings::default(),
            login: zoufang_server::auth::LoginSettings::default(),
        },
        std::sync::Arc::new(
            zoufang_server::blobs::local::LocalBlobs::open(&dist.join("photos")).unwrap(),
        ),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    (address, pool)
}

/// A session token for the account, written straight into the store (no argon2 per helper).
async fn token_for(pool: &sqlx::AnyPool, user_id: Uuid) -> String {
    let token = SessionToken::generate();
    let now = OffsetDateTime::now_utc();
    sessions::insert(
        pool,
        &token.hash(),
        user_id,
        now,
        now + time::Duration::days(1),
    )
    .await
    .unwrap();
    token.into_string()
}

struct Measured {
    submissions: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    /// CPU time of the helpers' thread while they submitted.
    client_cpu: Duration,
    /// CPU time of the whole process (server and helpers) meanwhile.
    process_cpu: Duration,
    /// How busy the machine's cores were meanwhile (every process: the database server too), in per cent.
    machine_busy: f64,
}

/// (a) `helper_count` helpers submit `visits_per_helper` visits each, concurrently, spread over the instances.
async fn concurrent_helpers(
    setting: Setting,
    directory: &std::path::Path,
    run: usize,
    helper_count: usize,
    visits_per_helper: usize,
) -> Measured {
    let url = fresh_database(setting, directory, run).await;
    let instances = match setting {
        Setting::Sqlite => 1,
        Setting::Postgres { instances } => instances,
    };
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(start_instance(&url, directory).await);
    }
    let pool = servers[0].1.clone();
    demo::seed(&pool, OffsetDateTime::now_utc()).await.unwrap();
    let accounts = helpers(&pool, helper_count, demo::demo_village_id()).await;
    let policy = PolicyTables::builtin().unwrap();
    let mut helpers_prepared = Vec::new();
    for (index, (_, user_id, household)) in accounts.into_iter().enumerate() {
        let address = servers[index % instances].0;
        let token = token_for(&pool, user_id).await;
        // Every visit is built (and checked by the domain's validation, as the phone does) and encoded before the
        // clock starts: on two cores the client's own work would otherwise be counted as the server's. Versions
        // are known in advance: each accepted visit raises the household's version by one.
        let bodies: Vec<Vec<u8>> = (0..visits_per_helper)
            .map(|index| {
                serde_json::to_vec(&visit(
                    &household,
                    1 + index as i64,
                    user_id,
                    Vec::new(),
                    &policy,
                ))
                .unwrap()
            })
            .collect();
        helpers_prepared.push((address, token, bodies));
    }
    // The helpers run on a runtime of their own, on one thread, so the server's runtime does only the server's
    // work and the client's CPU time can be told apart from the process's.
    let (latencies, elapsed, client_cpu, process_cpu, machine_busy) =
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(run_helpers(helpers_prepared))
        })
        .join()
        .unwrap();
    let mut latencies = latencies;
    latencies.sort();
    for (_, pool) in servers {
        pool.close().await;
    }
    Measured {
        submissions: latencies.len(),
        elapsed,
        latencies,
        client_cpu,
        process_cpu,
        machine_busy,
    }
}

/// Connects every helper, then sends each one's visits in order, all helpers at once; returns the latencies, the
/// elapsed time, the CPU time this thread (the client) and the whole process used meanwhile, and how busy the
/// machine was.
async fn run_helpers(
    helpers: Vec<(SocketAddr, String, Vec<Vec<u8>>)>,
) -> (Vec<Duration>, Duration, Duration, Duration, f64) {
    let mut prepared = Vec::new();
    for (address, token, bodies) in helpers {
        let mut client = Client::connect(address).await;
        client.token = token;
        prepared.push((client, bodies));
    }
    let client_before = cpu_time("/proc/thread-self/stat");
    let process_before = cpu_time("/proc/self/stat");
    let machine_before = MachineTicks::now();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (mut client, bodies) in prepared {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(bodies.len());
            for (index, body) in bodies.into_iter().enumerate() {
                let sent = Instant::now();
                let version = client.submit_encoded(body).await;
                latencies.push(sent.elapsed());
                assert_eq!(version, 2 + index as i64);
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    let client_cpu = cpu_time("/proc/thread-self/stat") - client_before;
    let process_cpu = cpu_time("/proc/self/stat") - process_before;
    let machine_busy = MachineTicks::now().busy_since(machine_before);
    (latencies, elapsed, client_cpu, process_cpu, machine_busy)
}

#[tokio::main]
async fn main() {
    let mut arguments = std::env::args().skip(1);
    let levels: Vec<usize> = arguments.next().map_or(vec![20, 100, 500], |text| {
        text.split(',')
            .map(|level| level.trim().parse().unwrap())
            .collect()
    });
    let per_level: usize = arguments.next().map_or(2000, |text| text.parse().unwrap());
    let directory = tempfile::tempdir().unwrap();

    let mut settings = vec![Setting::Sqlite];
    if postgres_server().is_some() {
        settings.push(Setting::Postgres { instances: 1 });
        settings.push(Setting::Postgres { instances: 2 });
    } else {
        println!(
            "(PostgreSQL skipped: ZOUFANG_TEST_POSTGRES_URL is not set; scripts/bench-sync sets it)"
        );
    }
    println!("(a) concurrent helpers, one visit per request, each helper on its own household");
    println!(
        "{:<26} {:>8} {:>12} {:>14} {:>9} {:>9} {:>9} {:>16} {:>16} {:>13}",
        "setting",
        "helpers",
        "submissions",
        "submissions/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "server CPU ms/s.",
        "client CPU ms/s.",
        "machine busy"
    );
    let mut run = 0;
    let mut throughput = BTreeMap::new();
    for &setting in &settings {
        for &helper_count in &levels {
            run += 1;
            let visits_per_helper = (per_level / helper_count).max(4);
            let measured = concurrent_helpers(
                setting,
                directory.path(),
                run,
                helper_count,
                visits_per_helper,
            )
            .await;
            let rate = measured.submissions as f64 / measured.elapsed.as_secs_f64();
            throughput.insert((setting.label(), helper_count), rate);
            let per_submission =
                |cpu: Duration| cpu.as_secs_f64() * 1000.0 / measured.submissions as f64;
            println!(
                "{:<26} {:>8} {:>12} {:>14.0} {:>9.1} {:>9.1} {:>9.1} {:>16.2} {:>16.2} {:>12.0}%",
                setting.label(),
                helper_count,
                measured.submissions,
                rate,
                percentile(&measured.latencies, 50).as_secs_f64() * 1000.0,
                percentile(&measured.latencies, 99).as_secs_f64() * 1000.0,
                measured.latencies.last().unwrap().as_secs_f64() * 1000.0,
                per_submission(measured.process_cpu - measured.client_cpu),
                per_submission(measured.client_cpu),
                measured.machine_busy,
            );
        }
    }
    if settings.len() == 3 {
        for &helper_count in &levels {
            let one = throughput[&(Setting::Postgres { instances: 1 }.label(), helper_count)];
            let two = throughput[&(Setting::Postgres { instances: 2 }.label(), helper_count)];
            println!(
                "PostgreSQL two instances / one at {helper_count} helpers: {:.2}×",
                two / one
            );
        }
    }

    // (b) one phone's outbox on SQLite: 500 submissions, every fifth with a ~300 KB photo uploaded first.
    run += 1;
    let url = fresh_database(Setting::Sqlite, directory.path(), run).await;
    let (address, pool) = start_instance(&url, directory.path()).await;
    demo::seed(&pool, OffsetDateTime::now_utc()).await.unwrap();
    let (_, user_id, household) = helpers(&pool, 1, demo::demo_village_id())
        .await
        .pop()
        .unwrap();
    let mut client = Client::connect(address).await;
    client.token = token_for(&pool, user_id).await;
    let policy = PolicyTables::builtin().unwrap();
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
        "(b) SQLite, one outbox, sequential: 500 submissions + 100 photos ({:.1} MB) in {:.2} s ({:.1} ms per submission on average; photos HEAD+PUT {:.2} s, {:.1} MB/s)",
        photo_bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        (elapsed - photo_time).as_secs_f64() * 1000.0 / 500.0,
        photo_time.as_secs_f64(),
        photo_bytes as f64 / 1e6 / photo_time.as_secs_f64(),
    );
    pool.close().await;
}
