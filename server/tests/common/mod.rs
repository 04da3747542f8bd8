//! Test harness: the real router over a fresh database and a fake `dist` directory in a temp dir.
//!
//! The database is a fresh SQLite file, or, when `ZOUFANG_TEST_POSTGRES_URL` names a PostgreSQL server
//! (`postgres://user@host:port`, no database), a fresh database created on it for each test: the same suite
//! runs on both engines (`scripts/test` does both; `scripts/with-postgres` starts a throwaway server).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod sync;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::{AnyPool, Connection};
use tempfile::TempDir;
use time::OffsetDateTime;
use tower::ServiceExt;
use uuid::Uuid;
use zoufang_domain::protocol::{LoginResponse, Role};
use zoufang_server::auth::{LoginSettings, password};
use zoufang_server::store::{self, users};
use zoufang_server::{AppState, PhotoSettings, Settings, app};

pub const HASHED_WASM: &str = "zoufang-app-0123456789abcdef_bg.wasm";
pub const HASHED_JS: &str = "zoufang-app-0123456789abcdef.js";
pub const HASHED_CSS: &str = "style-0123456789abcdef.css";
pub const INDEX_HTML: &str = "<!doctype html><html lang=\"zh-CN\"><title>走访</title></html>";
pub const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0 uncompressed";
pub const WASM_BR_BYTES: &[u8] = b"pretend this is brotli";

pub struct TestApp {
    pub router: Router,
    /// The photo store (a directory beside the database).
    pub blobs: zoufang_server::blobs::Blobs,
    pub pool: AnyPool,
    pub dist: TempDir,
    _database_dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The `code` of an `ApiErrorBody`.
    pub fn error_code(&self) -> String {
        let body = self.json();
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        body["code"].as_str().unwrap().to_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
            .to_str()
            .unwrap()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }
}

/// The PostgreSQL server the suite runs against, if any (`ZOUFANG_TEST_POSTGRES_URL`, without a database name).
pub fn postgres_server() -> Option<String> {
    std::env::var("ZOUFANG_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// A fresh, migrated database: a new PostgreSQL database when the suite runs on PostgreSQL, else a SQLite file
/// under `directory`.
pub async fn open_database(directory: &std::path::Path) -> AnyPool {
    match postgres_server() {
        Some(server) => store::open_url(&fresh_postgres_database(&server).await)
            .await
            .unwrap(),
        None => store::open(&directory.join("nested").join("test.sqlite"))
            .await
            .unwrap(),
    }
}

/// Creates an empty database on the PostgreSQL server and returns its URL.
pub async fn fresh_postgres_database(server: &str) -> String {
    let name = format!("zf_{}", Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
    format!("{server}/{name}")
}

/// A server with a built (fake) app in its dist directory.
pub async fn spawn() -> TestApp {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).unwrap();
    write("index.html", INDEX_HTML.as_bytes());
    write(HASHED_WASM, WASM_BYTES);
    write(&format!("{HASHED_WASM}.br"), WASM_BR_BYTES);
    write(HASHED_JS, b"export default function init() {}");
    write(HASHED_CSS, b"body { margin: 0 }");
    write("sw.js", b"self.addEventListener('fetch', () => {});");
    write("manifest.webmanifest", "{\"name\":\"走访\"}".as_bytes());
    spawn_with_dist(dist, PhotoSettings::default(), LoginSettings::default()).await
}

/// A server with a built (fake) app and these photo limits.
pub async fn spawn_with_photo_settings(photos: PhotoSettings) -> TestApp {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX_HTML).unwrap();
    spawn_with_dist(dist, photos, LoginSettings::default()).await
}

/// A server whose dist directory is empty: the app has not been built.
pub async fn spawn_without_app() -> TestApp {
    spawn_with_dist(
        tempfile::tempdir().unwrap(),
        PhotoSettings::default(),
        LoginSettings::default(),
    )
    .await
}

/// A server (without a built app) with its own login settings.
pub async fn spawn_with_login(login: LoginSettings) -> TestApp {
    spawn_with_dist(
        tempfile::tempdir().unwrap(),
        PhotoSettings::default(),
        login,
    )
    .await
}

async fn spawn_with_dist(dist: TempDir, photos: PhotoSettings, login: LoginSettings) -> TestApp {
    let database_dir = tempfile::tempdir().unwrap();
    let pool = open_database(database_dir.path()).await;
    let blobs: zoufang_server::blobs::Blobs = std::sync::Arc::new(
        zoufang_server::blobs::local::LocalBlobs::open(&database_dir.path().join("photos"))
            .unwrap(),
    );
    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: dist.path().to_path_buf(),
            token_lifetime: time::Duration::days(30),
            drop_response_rate: 0.0,
            photos,
            login,
        },
        blobs.clone(),
    )
    .unwrap();
    TestApp {
        router: app(state),
        pool,
        blobs,
        dist,
        _database_dir: database_dir,
    }
}

/// The router over an existing database and photo store (no built app).
pub fn app_over(pool: AnyPool, blobs: zoufang_server::blobs::Blobs) -> TestApp {
    let dist = tempfile::tempdir().unwrap();
    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: dist.path().to_path_buf(),
            token_lifetime: time::Duration::days(30),
            drop_response_rate: 0.0,
            photos: PhotoSettings::default(),
            login: LoginSettings::default(),
        },
        blobs.clone(),
    )
    .unwrap();
    TestApp {
        router: app(state),
        pool,
        blobs,
        dist,
        _database_dir: tempfile::tempdir().unwrap(),
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_with(&self, uri: &str, name: &str, value: &str) -> TestResponse {
        self.send(
            Request::get(uri)
                .header(name, value)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, body: impl Into<Body>) -> TestResponse {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.into())
                .unwrap(),
        )
        .await
    }

    pub async fn with_token(&self, method: Method, uri: &str, token: &str) -> TestResponse {
        self.send(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn login(&self, phone: &str, password: &str) -> TestResponse {
        let body = serde_json::json!({ "phone": phone, "password": password }).to_string();
        self.post_json("/api/login", body).await
    }

    /// A login from the peer address `peer` (`ip:port`), as the serve loop reports it to handlers.
    pub async fn login_from(&self, peer: &str, phone: &str, password: &str) -> TestResponse {
        let body = serde_json::json!({ "phone": phone, "password": password }).to_string();
        let mut request = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap();
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    /// Logs in and returns the token; panics unless the login succeeds.
    pub async fn token_for(&self, phone: &str, password: &str) -> String {
        let response = self.login(phone, password).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let login: LoginResponse = serde_json::from_slice(&response.body).unwrap();
        login.token
    }

    /// Creates an account with no village.
    pub async fn create_user(&self, phone: &str, password: &str, role: Role) -> Uuid {
        let id = Uuid::new_v4();
        let hash = password::hash(password).unwrap();
        users::insert(
            &self.pool,
            &users::NewUser {
                id,
                phone,
                name: "测试用户",
                role,
                password_hash: &hash,
                village_id: None,
                teaching_point_id: None,
                created_at: OffsetDateTime::now_utc(),
            },
        )
        .await
        .unwrap();
        id
    }
}
