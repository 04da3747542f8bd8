//! Serves the built web app (`dist`, from `scripts/build-app`) for every path outside `/api`.
//!
//! - Existing files are served as they are, from their `.br`/`.gz` sibling when one exists and the browser accepts
//!   it (the build script writes those siblings; nothing is compressed on the fly here).
//! - A path whose last segment has no extension (`/`, `/households/123`) is an app route: it gets `index.html`
//!   (single-page-app fallback). A missing file with an extension (`/zoufang-app-0123456789abcdef.js`) is a plain
//!   404, so a stale service worker never caches HTML under a script's name.
//! - Content types come from one table here rather than from whatever `mime_guess` version is compiled in.
//! - Caching: names carrying a content hash (`-<16 hex digits>`) are immutable for a year; everything else
//!   (`index.html`, `sw.js`, the manifest, icons) is `no-cache`, i.e. revalidated with `Last-Modified`.
//! - Without `index.html` (app not built), every such path answers 503 with a sentence; the API still works.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use base64::Engine;
use sha2::{Digest, Sha256};

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
    let page_policy = Arc::new(PagePolicy::new(index_path.as_ref().clone()));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(set_static_headers))
        .layer(middleware::from_fn_with_state(
            page_policy,
            set_content_security_policy,
        ))
        .layer(middleware::from_fn_with_state(
            index_path,
            require_built_app,
        ))
}

const APP_NOT_BUILT: &str = "走访应用尚未构建：dist 目录中没有 index.html。\n\
The Zoufang web app has not been built yet: there is no index.html in the dist directory. \
Build it with scripts/build-app (or point --dist / ZOUFANG_DIST at the built app). The API under /api works.\n";

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

/// The Content-Security-Policy of the built page, worked out from its `index.html` (which carries the build's inline
/// loader script) and kept until that file changes.
struct PagePolicy {
    index_path: PathBuf,
    cached: Mutex<Option<(SystemTime, HeaderValue)>>,
}

impl PagePolicy {
    fn new(index_path: PathBuf) -> PagePolicy {
        PagePolicy {
            index_path,
            cached: Mutex::new(None),
        }
    }

    async fn header(&self) -> HeaderValue {
        let modified = tokio::fs::metadata(&self.index_path)
            .await
            .and_then(|metadata| metadata.modified())
            .ok();
        let Some(modified) = modified else {
            return policy_header(&[]);
        };
        if let Some((cached_for, value)) = self
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && *cached_for == modified
        {
            return value.clone();
        }
        let html = tokio::fs::read_to_string(&self.index_path)
            .await
            .unwrap_or_default();
        let value = policy_header(&inline_script_hashes(&html));
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((modified, value.clone()));
        value
    }
}

async fn set_content_security_policy(
    State(policy): State<Arc<PagePolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy.header().await);
    response
}

/// The policy: everything from this origin only; scripts are the app's own files, its WebAssembly and the inline
/// scripts whose hashes are given; photos shown from `blob:` and `data:` URLs; never framed.
pub fn content_security_policy(inline_script_hashes: &[String]) -> String {
    let hashes: String = inline_script_hashes
        .iter()
        .map(|hash| format!(" 'sha256-{hash}'"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

fn policy_header(inline_script_hashes: &[String]) -> HeaderValue {
    // Base64 hashes and the fixed directives are visible ASCII, so this cannot fail; a failure would fall back to
    // the policy without inline scripts.
    HeaderValue::from_str(&content_security_policy(inline_script_hashes))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// The base64 SHA-256 of the text of every inline `<script>` (one without `src`) in `html`, in page order.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let open_tag = &after[..tag_end];
        let body_and_rest = &after[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script") else {
            break;
        };
        if !open_tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &body_and_rest[close..];
    }
    hashes
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

/// How many hex digits a content hash may have. `scripts/build-app` writes 16; Trunk, which built earlier versions,
/// wrote its 64-bit SeaHash with `{:x}`, without leading zeros, so one build in sixteen got 15 digits
/// (`zoufang-app-ddeb8f55dcd79fe.js`), one in 256 got 14…; 12 or more covers all but one build in 65,536 while no
/// name the app ships by hand has that many.
const CONTENT_HASH_DIGITS: std::ops::RangeInclusive<usize> = 12..=16;

/// Whether a file name carries a content hash: `-` then 12 to 16 hex digits ([`CONTENT_HASH_DIGITS`]), then
/// `.`, `_` or the end (`zoufang-app-4f3a9c0d1e2b5a67_bg.wasm`, `style-4f3a9c0d1e2b5a67.css`).
pub fn has_content_hash(file_name: &str) -> bool {
    let bytes = file_name.as_bytes();
    bytes.iter().enumerate().any(|(dash, &byte)| {
        if byte != b'-' {
            return false;
        }
        let digits = bytes[dash + 1..]
            .iter()
            .take_while(|byte| byte.is_ascii_hexdigit())
            .count();
        CONTENT_HASH_DIGITS.contains(&digits)
            && matches!(bytes.get(dash + 1 + digits), None | Some(b'.') | Some(b'_'))
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
        // Trunk dropped leading zeros of its hash.
        assert!(has_content_hash("zoufang-app-ddeb8f55dcd79fe.js"));
        assert!(has_content_hash("zoufang-app-ddeb8f55dcd79fe_bg.wasm"));
        assert!(has_content_hash("main-520c674db1c6.css"));
    }

    #[test]
    fn names_without_a_content_hash_are_not_immutable() {
        for name in [
            "index.html",
            "sw.js",
            "manifest.webmanifest",
            "icon-192.png",
            "report-20261201.csv",
            "zoufang-app-4f3a9c0d1e2.js",
            "zoufang-app-4f3a9c0d1e2b5a678.js",
            "zoufang-app-4f3a9c0d1e2b5g67.js",
        ] {
            assert_eq!(cache_control_for(name), "no-cache", "{name}");
        }
    }

    #[test]
    fn inline_scripts_are_hashed_and_scripts_with_a_source_are_not() {
        let html = r#"<html><head><script type="module" src="/a.js"></script>
<script type="module">import init from '/a.js';await init();</script></head><body><script>x()</script></body></html>"#;
        let hashes = inline_script_hashes(html);
        let expected: Vec<String> = ["import init from '/a.js';await init();", "x()"]
            .iter()
            .map(|text| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text)))
            .collect();
        assert_eq!(hashes, expected);
        let policy = content_security_policy(&hashes);
        assert!(
            policy.contains(&format!("'sha256-{}'", expected[0])),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }

    #[test]
    fn only_extensionless_paths_are_app_routes() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/households/abc"));
        assert!(!is_app_route("/zoufang-app-4f3a9c0d1e2b5a67.js"));
        assert!(!is_app_route("/households/abc/photo.jpg"));
    }
}
