//! Login flood benchmark: starts the real server binary on a fresh database holding 128 accounts, measures its idle
//! memory, then fires rounds of 128 concurrent wrong logins — one per account, each from its own client address
//! (`X-Forwarded-For`, with `--trust-forwarded-for`), so that throttling never answers and argon2 does the work —
//! and prints the peak resident memory above idle (sampled VmRSS and the kernel's VmHWM from /proc), the login
//! latency (p50, p99, max) and how many answers were 401, 503 or something else.
//!
//! Linux only (/proc). Prints numbers; nothing is asserted about them. Run with `scripts/bench-login`.
//! Arguments: `[server binary] [concurrent logins] [rounds]` (default `target/server/zoufang-server 128 4`; more
//! than 4 rounds runs into the per-phone lockout, which starts after 5 failures).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::Role;
use zoufang_server::auth::password;
use zoufang_server::store::{self, users};

const PASSWORD: &str = "bench password 正确";

fn phone(index: usize) -> String {
    format!("139{index:08}")
}

/// A `kB` field of /proc/<pid>/status, in MiB.
fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

async fn create_accounts(database: &std::path::Path, count: usize) {
    let pool = store::open(database).await.unwrap();
    let hash = password::hash(PASSWORD).unwrap();
    let now = OffsetDateTime::now_utc();
    for index in 0..count {
        users::insert(
            &pool,
            &users::NewUser {
                id: Uuid::new_v4(),
                phone: &phone(index),
                name: "压测帮扶人",
                role: Role::Helper,
                password_hash: &hash,
                village_id: None,
                teaching_point_id: None,
                created_at: now,
            },
        )
        .await
        .unwrap();
    }
    pool.close().await;
}

/// One login on a fresh connection: (status, latency).
async fn login(
    address: SocketAddr,
    phone: &str,
    password: &str,
    client: &str,
) -> (StatusCode, Duration) {
    let started = Instant::now();
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let body = serde_json::json!({ "phone": phone, "password": password }).to_string();
    let request = Request::post("/api/login")
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", client)
        .body(Body::from(body))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status();
    response.into_body().collect().await.unwrap();
    (status, started.elapsed())
}

/// With `BENCH_SMAPS=1`: the ten mappings with the most resident memory right after the flood.
fn print_largest_mappings(pid: u32) {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut mappings: Vec<(u64, String)> = Vec::new();
    let mut current = String::new();
    for line in smaps.lines() {
        if let Some(rss) = line.strip_prefix("Rss:") {
            let kib = rss
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .unwrap_or(0);
            mappings.push((kib, current.clone()));
        } else if line.split_whitespace().next().is_some_and(|range| {
            range.contains('-') && range.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        }) {
            current = line.to_owned();
        }
    }
    mappings.sort_by_key(|(kib, _)| std::cmp::Reverse(*kib));
    eprintln!("largest mappings (RSS):");
    for (kib, mapping) in mappings.iter().take(10) {
        eprintln!("  {:8.1} MiB  {mapping}", *kib as f64 / 1024.0);
    }
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .unwrap_or_else(|| "target/server/zoufang-server".to_owned());
    let concurrency: usize = args.next().map_or(128, |n| n.parse().unwrap());
    let rounds: usize = args.next().map_or(4, |n| n.parse().unwrap());

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("bench.sqlite");
    create_accounts(&database, concurrency).await;

    let mut server = Command::new(&binary)
        .args(["--addr", "127.0.0.1:0", "--trust-forwarded-for", "--database"])
        .arg(&database)
        .arg("--dist")
        .arg(directory.path())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e} (build it: cargo build --profile server -p zoufang-server)"));
    let pid = server.id();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address: SocketAddr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|e| panic!("no address in {line:?}: {e}"));

    // Idle: after start-up has settled.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = status_mib(pid, "VmRSS:");
    let startup_peak = status_mib(pid, "VmHWM:");
    // Reset the kernel's peak so that VmHWM afterwards is the flood's (Linux 4.0+; ignored if refused).
    let reset_peak = std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok();

    let sampling = Arc::new(AtomicBool::new(true));
    let sampled_peak_kib = Arc::new(AtomicU64::new(0));
    let sampler = {
        let sampling = Arc::clone(&sampling);
        let peak = Arc::clone(&sampled_peak_kib);
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                let rss = (status_mib(pid, "VmRSS:") * 1024.0) as u64;
                peak.fetch_max(rss, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };

    let started = Instant::now();
    let mut results = Vec::with_capacity(concurrency * rounds);
    for round in 0..rounds {
        let logins = (0..concurrency).map(|index| {
            let client = format!("10.{round}.{}.{}", index / 256, index % 256);
            let phone = phone(index);
            tokio::spawn(async move { login(address, &phone, "wrong password", &client).await })
        });
        for handle in futures_util::future::join_all(logins).await {
            results.push(handle.unwrap());
        }
    }
    let elapsed = started.elapsed();
    sampling.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    let flood_peak_hwm = status_mib(pid, "VmHWM:");
    let threads = status_mib(pid, "Threads:") * 1024.0;
    if std::env::var_os("BENCH_SMAPS").is_some() {
        print_largest_mappings(pid);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let settled = status_mib(pid, "VmRSS:");
    let (after, _) = login(address, &phone(0), PASSWORD, "10.255.0.1").await;

    server.kill().unwrap();
    server.wait().unwrap();

    let count = |wanted: StatusCode| {
        results
            .iter()
            .filter(|(status, _)| *status == wanted)
            .count()
    };
    let unauthorized = count(StatusCode::UNAUTHORIZED);
    let busy = count(StatusCode::SERVICE_UNAVAILABLE);
    let throttled = count(StatusCode::TOO_MANY_REQUESTS);
    let other = results.len() - unauthorized - busy - throttled;
    let mut latencies: Vec<Duration> = results.iter().map(|(_, latency)| *latency).collect();
    latencies.sort();
    let sampled_peak = sampled_peak_kib.load(Ordering::Relaxed) as f64 / 1024.0;
    let peak = if reset_peak {
        flood_peak_hwm.max(sampled_peak)
    } else {
        sampled_peak
    };
    let cores = std::thread::available_parallelism().map_or(1, usize::from);

    println!(
        "login flood: {rounds} rounds of {concurrency} concurrent wrong logins ({cores} cores, {binary})"
    );
    println!(
        "  idle RSS               {idle:8.1} MiB   (start-up peak VmHWM {startup_peak:.1} MiB)"
    );
    println!(
        "  peak RSS during flood  {peak:8.1} MiB   (sampled every 5 ms: {sampled_peak:.1} MiB; VmHWM {})",
        if reset_peak {
            format!("{flood_peak_hwm:.1} MiB")
        } else {
            "not reset, ignored".to_owned()
        }
    );
    println!(
        "  peak above idle        {:8.1} MiB   (goal < 600 MiB)",
        peak - idle
    );
    println!("  RSS 2 s after          {settled:8.1} MiB   ({threads:.0} threads after the flood)");
    println!(
        "  latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} logins in {:.1} s",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        latencies
            .last()
            .map_or(0.0, |max| max.as_secs_f64() * 1000.0),
        results.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "  answers: {unauthorized} × 401, {busy} × 503 (busy), {throttled} × 429, {other} other"
    );
    println!("  a right password afterwards: {after}");
}
