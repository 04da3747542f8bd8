//! Serves the built web app (Trunk's `dist`) for every path outside `/api`.
//!
//! - Existing files are served as they are, from their `.br`/`.gz` sibling when one exists and the browser accepts
//!   it (Trunk or the build script writes those siblings; nothing is compressed on the fly here).
//! - A path whose last segment has no extension (`/`, `/households/123`) is an app route: it gets `index.html`
//!   (single-page-app fallback). A missing file with an extension (`/zoufang-app-0123456789abcdef.js`) is a plain
//!   404, so a stale service worker never caches HTML under a script's name.
//! - Content types come from one table here rather than from whatever `mime_guess` version is compiled in.
//! - Caching: names carrying a content hash (`-<16 hex digits>`) are immutable for a year; everything else
//!   (`index.html`, `sw.js`, the manifest, icons) is `no-cache`, i.e. revalidated with `Last-Modified`.
//! - Without `index.html` (app not built), every such path answers 503 with a sentence; the API still works.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower::service_fn;
use tower_http::services::{ServeDir, ServeFile};

/// The service for every non-API path.
pub fn router<S>(dist_dir: PathBuf) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let index_path = Arc::new(dist_dir.join("index.html"));
    let index_file = ServeFile::new(index_path.as_ref())
        .precompressed_br()
        .precompressed_gzip();
    let app_route_fallback = service_fn(move |request: Request| {
        let index_file = index_file.clone();
        async move {
            if is_app_route(request.uri().path()) {
                let response = index_file.oneshot(request).await?;
                Ok::<_, Infallible>(response.map(Body::new))
            } else {
                Ok(StatusCode::NOT_FOUND.into_response())
            }
        }
    });
    let files = ServeDir::new(&dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(app_route_fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(set_static_headers))
        .layer(middleware::from_fn_with_state(
            index_path,
            require_built_app,
        ))
}

const APP_NOT_BUILT: &str = "走访应用尚未构建：dist 目录中没有 index.html。\n\
The Zoufang web app has not been built yet: there is no index.html in the dist directory. \
Build it with Trunk (or point --dist / ZOUFANG_DIST at the built app). The API under /api works.\n";

async fn require_built_app(
    State(index_path): State<Arc<PathBuf>>,
    request: Request,
    next: Next,
) -> Response {
    let built = tokio::fs::metadata(index_path.as_ref())
        .await
        .is_ok_and(|metadata| metadata.is_file());
    if built {
        next.run(request).await
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            APP_NOT_BUILT,
        )
            .into_response()
    }
}

async fn set_static_headers(request: Request, next: Next) -> Response {
    let file_name = last_segment(request.uri().path()).to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    if status.is_success()
        && let Some(content_type) = content_type_for(&file_name)
    {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control_for(&file_name)),
    );
    // The body depends on Accept-Encoding whenever a precompressed sibling may exist.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// Whether a path names an app route (answered with `index.html`) rather than a file.
fn is_app_route(path: &str) -> bool {
    !last_segment(path).contains('.')
}

fn extension(file_name: &str) -> Option<&str> {
    file_name.rsplit_once('.').map(|(_, extension)| extension)
}

/// The content type for a file name, when it is one the app ships.
pub fn content_type_for(file_name: &str) -> Option<&'static str> {
    let content_type = match extension(file_name)?.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    };
    Some(content_type)
}

/// `Cache-Control` for a file name: immutable when the name carries a content hash, otherwise revalidate.
pub fn cache_control_for(file_name: &str) -> &'static str {
    if has_content_hash(file_name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether a file name carries Trunk's content hash: `-` then exactly 16 hex digits, then `.`, `_` or the end
/// (`zoufang-app-4f3a9c0d1e2b5a67_bg.wasm`, `style-4f3a9c0d1e2b5a67.css`).
pub fn has_content_hash(file_name: &str) -> bool {
    let bytes = file_name.as_bytes();
    bytes.iter().enumerate().any(|(dash, &byte)| {
        if byte != b'-' {
            return false;
        }
        let start = dash + 1;
        let end = start + 16;
        end <= bytes.len()
            && bytes[start..end].iter().all(u8::is_ascii_hexdigit)
            && matches!(bytes.get(end), None | Some(b'.') | Some(b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(has_content_hash("zoufang-app-4f3a9c0d1e2b5a67.js"));
        assert!(has_content_hash("zoufang-app-4f3a9c0d1e2b5a67_bg.wasm"));
        assert!(has_content_hash("style-4F3A9C0D1E2B5A67.css"));
    }

    #[test]
    fn names_without_a_sixteen_digit_hash_are_not_immutable() {
        for name in [
            "index.html",
            "sw.js",
            "manifest.webmanifest",
            "icon-192.png",
            "zoufang-app-4f3a9c0d1e2b5a6.js",
            "zoufang-app-4f3a9c0d1e2b5a678.js",
            "zoufang-app-4f3a9c0d1e2b5g67.js",
        ] {
            assert_eq!(cache_control_for(name), "no-cache", "{name}");
        }
    }

    #[test]
    fn only_extensionless_paths_are_app_routes() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/households/abc"));
        assert!(!is_app_route("/zoufang-app-4f3a9c0d1e2b5a67.js"));
        assert!(!is_app_route("/households/abc/photo.jpg"));
    }
}
