//! Photo bytes in a real S3-compatible object store (moto's S3 server, started by `s3_server`): the blob store's
//! contract, two server processes sharing one database and one bucket (a photo uploaded through one is served by the
//! other), and `admin migrate-photos` moving a pre-0009 database's photos into the bucket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod before_0009;
mod blob_contract;
mod common;
mod s3_server;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use common::sync::{HELPER_1, fake_jpeg, fake_png};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use object_store::ObjectStore;
use s3_server::S3Server;
use zoufang_server::api::sha256_hex;
use zoufang_server::blobs::s3::S3Blobs;
use zoufang_server::blobs::{BlobKey, BlobStore};
use zoufang_server::demo;

#[tokio::test]
async fn an_s3_bucket_meets_the_blob_store_contract() {
    let server = S3Server::start().await;
    let blobs = server.blobs("contract").await;
    blob_contract::check(&blobs).await;

    // Bytes changed in the bucket behind the server's back are reported, never served.
    let bytes = fake_jpeg(5, 10_000);
    let key = BlobKey::of(&bytes);
    blobs.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    let mut damaged = bytes.clone();
    damaged[5_000] ^= 0x40;
    blobs
        .object_store()
        .put(&blobs.object_path(&key), damaged.into())
        .await
        .unwrap();
    let error = blobs.get(&key).await.unwrap_err().to_string();
    assert!(error.contains("damaged"), "{error}");
    // Writing the photo again repairs it.
    blobs.put(&key, Bytes::from(bytes.clone())).await.unwrap();
    assert_eq!(
        blobs.get(&key).await.unwrap().as_deref(),
        Some(bytes.as_slice())
    );
}

#[tokio::test]
async fn a_store_that_cannot_be_reached_stops_the_start() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let blobs = S3Blobs::new(&zoufang_server::blobs::s3::S3Settings {
        bucket: "photos".into(),
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: "us-east-1".into(),
        prefix: "photos/".into(),
        access_key_id: None,
        secret_access_key: None,
    })
    .unwrap();
    let started = std::time::Instant::now();
    assert!(blobs.check().await.is_err());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A `zoufang-server` process; killed when dropped.
struct ServerProcess {
    child: Child,
    address: SocketAddr,
}

impl ServerProcess {
    /// Starts the server binary on a free port with `--demo` and waits for the line with its address.
    fn start(database: &Path, env: &[(&'static str, String)]) -> ServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zoufang-server"))
            .args(["--addr", "127.0.0.1:0", "--demo", "--database"])
            .arg(database)
            .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the server printed its address")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Zoufang server listening on http://") {
                break rest.trim_end_matches('/').parse().unwrap();
            }
        };
        // Keep reading what it prints so that it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        ServerProcess { child, address }
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Bytes) {
        let stream = tokio::net::TcpStream::connect(self.address).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        let response = sender.send_request(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, body)
    }

    async fn login(&self, phone: &str) -> String {
        let body = serde_json::json!({"phone": phone, "password": demo::DEMO_PASSWORD}).to_string();
        let (status, _, body) = self
            .send(
                Request::post("/api/login")
                    .header(header::HOST, "localhost")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let login: serde_json::Value = serde_json::from_slice(&body).unwrap();
        login["token"].as_str().unwrap().to_owned()
    }

    async fn photo(
        &self,
        method: Method,
        token: &str,
        sha256: &str,
        body: Option<(&[u8], &str)>,
    ) -> (StatusCode, axum::http::HeaderMap, Bytes) {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/photos/{sha256}"))
            .header(header::HOST, "localhost")
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some((_, content_type)) = body {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let body = body.map_or_else(Body::empty, |(bytes, _)| Body::from(bytes.to_vec()));
        self.send(request.body(body).unwrap()).await
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_photo_uploaded_through_one_server_process_is_served_by_another() {
    let s3 = S3Server::start().await;
    let bucket = "shared";
    s3.create_bucket(bucket).await;
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("zoufang.sqlite");
    let env = s3.env(bucket);
    let first = ServerProcess::start(&database, &env);
    let second = ServerProcess::start(&database, &env);

    let photo = fake_png(21, 150_000);
    let sha256 = sha256_hex(&photo);
    let token_a = first.login(HELPER_1).await;
    let (status, _, _) = first
        .photo(Method::PUT, &token_a, &sha256, Some((&photo, "image/png")))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let token_b = second.login(HELPER_1).await;
    let (status, headers, body) = second.photo(Method::GET, &token_b, &sha256, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_ref(), photo.as_slice());
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    let (status, headers, _) = second.photo(Method::HEAD, &token_b, &sha256, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_LENGTH], "150000");
    // The second process knows it already has the bytes.
    let (status, _, _) = second
        .photo(Method::PUT, &token_b, &sha256, Some((&photo, "image/png")))
        .await;
    assert_eq!(status, StatusCode::OK);

    // The bytes are in the bucket, not in the database, and not in a photo directory.
    let blobs = S3Blobs::new(&s3.settings(bucket)).unwrap();
    let key = BlobKey::parse(&sha256).unwrap();
    assert_eq!(
        blobs.get(&key).await.unwrap().as_deref(),
        Some(photo.as_slice())
    );
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", database.display()))
        .await
        .unwrap();
    let (stored_in, kept): (String, Vec<u8>) =
        sqlx::query_as("SELECT stored_in, bytes FROM photos WHERE sha256 = $1")
            .bind(&sha256)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((stored_in.as_str(), kept.len()), ("blobs", 0));
    assert!(!directory.path().join("photos").exists());
}

#[tokio::test]
async fn admin_migrate_photos_moves_old_photos_into_the_bucket() {
    let s3 = S3Server::start().await;
    let bucket = "migrated";
    s3.create_bucket(bucket).await;
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("old.sqlite");
    let old_photos: Vec<Vec<u8>> = (0..5u8)
        .map(|seed| fake_jpeg(seed, 4_000 + usize::from(seed)))
        .collect();
    before_0009::database(&database, &old_photos, &fake_jpeg(90, 500)).await;

    let migrate = || {
        Command::new(env!("CARGO_BIN_EXE_zoufang-server"))
            .args(["admin", "--database"])
            .arg(&database)
            .arg("migrate-photos")
            .envs(s3.env(bucket))
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let first = migrate();
    let printed = String::from_utf8_lossy(&first.stdout);
    assert!(
        !first.status.success(),
        "the damaged row makes it fail: {printed}"
    );
    assert!(printed.contains("moved 5 photos"), "{printed}");
    assert!(printed.contains(&before_0009::damaged_name()), "{printed}");
    let again = migrate();
    let printed = String::from_utf8_lossy(&again.stdout);
    assert!(printed.contains("moved 0 photos"), "{printed}");

    let blobs = S3Blobs::new(&s3.settings(bucket)).unwrap();
    for photo in &old_photos {
        assert_eq!(
            blobs.get(&BlobKey::of(photo)).await.unwrap().as_deref(),
            Some(photo.as_slice())
        );
    }
    // A server over the migrated database and the bucket serves every old photo.
    let server = ServerProcess::start(&database, &s3.env(bucket));
    let token = server.login(HELPER_1).await;
    for photo in &old_photos {
        let (status, _, body) = server
            .photo(Method::GET, &token, &sha256_hex(photo), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.as_ref(), photo.as_slice());
    }
}
