//! The built web app: files, precompressed siblings, the single-page-app fallback, content types and caching.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{HASHED_CSS, HASHED_JS, HASHED_WASM, INDEX_HTML, WASM_BR_BYTES, WASM_BYTES, spawn};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test]
async fn the_root_serves_index_html_uncached() {
    let app = spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.text(), INDEX_HTML);
    assert!(response.header("content-type").starts_with("text/html"));
    assert_eq!(response.header("cache-control"), "no-cache");
}

#[tokio::test]
async fn an_app_route_falls_back_to_index_html() {
    let app = spawn().await;
    let response = app.get("/households/abc").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.text(), INDEX_HTML);
    assert!(response.header("content-type").starts_with("text/html"));
    assert_eq!(response.header("cache-control"), "no-cache");
}

#[tokio::test]
async fn a_missing_file_with_an_extension_is_404_not_index_html() {
    let app = spawn().await;
    let response = app.get("/zoufang-app-ffffffffffffffff.js").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_ne!(response.text(), INDEX_HTML);
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_immutable() {
    let app = spawn().await;
    let response = app.get(&format!("/{HASHED_WASM}")).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "application/wasm");
    assert_eq!(response.header("cache-control"), IMMUTABLE);
    assert!(response.headers.get("content-encoding").is_none());
    assert_eq!(&response.body[..], WASM_BYTES);
}

#[tokio::test]
async fn the_brotli_sibling_is_served_when_the_browser_accepts_br() {
    let app = spawn().await;
    let response = app
        .get_with(
            &format!("/{HASHED_WASM}"),
            "accept-encoding",
            "gzip, deflate, br",
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-encoding"), "br");
    assert_eq!(response.header("content-type"), "application/wasm");
    assert_eq!(response.header("vary"), "accept-encoding");
    assert_eq!(&response.body[..], WASM_BR_BYTES);
}

#[tokio::test]
async fn hashed_js_and_css_are_immutable_with_the_right_types() {
    let app = spawn().await;
    let js = app.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert_eq!(js.header("cache-control"), IMMUTABLE);

    let css = app.get(&format!("/{HASHED_CSS}")).await;
    assert!(css.header("content-type").starts_with("text/css"));
    assert_eq!(css.header("cache-control"), IMMUTABLE);
}

#[tokio::test]
async fn the_service_worker_and_manifest_are_revalidated() {
    let app = spawn().await;
    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.header("content-type").starts_with("text/javascript"));
    assert_eq!(worker.header("cache-control"), "no-cache");

    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.header("content-type"), "application/manifest+json");
    assert_eq!(manifest.header("cache-control"), "no-cache");

    let index = app.get("/index.html").await;
    assert_eq!(index.header("cache-control"), "no-cache");
}

#[tokio::test]
async fn without_a_built_app_pages_are_503_but_the_api_works() {
    let app = common::spawn_without_app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.header("content-type").starts_with("text/plain"));
    assert!(
        page.text().contains("has not been built"),
        "{}",
        page.text()
    );

    let route = app.get("/households/abc").await;
    assert_eq!(route.status, StatusCode::SERVICE_UNAVAILABLE);

    let health = app.get("/api/health").await;
    assert_eq!(health.status, StatusCode::OK);
}
