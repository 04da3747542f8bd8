//! What the server bounds for every request, and the response headers every answer carries.
//!
//! - [`HttpLimits`]: the deadline for a request head and for a whole request, the number of requests handled at
//!   once (more wait their turn), the number of open connections, the shutdown grace period.
//! - [`layers`]: a panic in a handler becomes a JSON 500 (logged) instead of a dropped connection; a request over
//!   its deadline is answered 408 with a reason; security headers on every response (`nosniff`, no framing, no
//!   referrer) and `Cache-Control: no-store` on `/api` answers, which carry ID numbers and bank accounts.
//!   The page's Content-Security-Policy is set by [`crate::web`], which knows the built page's inline script.

use std::any::Any;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::AppError;

/// Limits of the HTTP layer. The defaults suit phones on slow mobile links: a 2 MiB photo at 400 kbit/s takes
/// about 45 s, so a whole request may take two minutes, while a request head (a few hundred bytes) gets 20 s.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// How long a client may take to send a request head (also the idle time of a kept-alive connection).
    pub header_read_timeout: Duration,
    /// How long a whole request (reading the body, handling, answering) may take before it is answered 408.
    pub request_timeout: Duration,
    /// Requests handled at the same time; the rest wait (within their deadline).
    pub max_concurrent_requests: usize,
    /// Open TCP connections; further ones wait in the listen backlog.
    pub max_connections: usize,
    /// How long a shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_read_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(120),
            max_concurrent_requests: 256,
            max_connections: 2_048,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Wraps the whole router: the outermost layer catches panics, then the deadline, then the concurrency limit.
pub fn layers<S>(router: Router<S>, limits: &HttpLimits) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(GlobalConcurrencyLimitLayer::new(
            limits.max_concurrent_requests,
        ))
        .layer(middleware::from_fn_with_state(
            limits.request_timeout,
            request_deadline,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
}

/// `Cache-Control: no-store` for API answers: household records must not stay in shared or disk caches.
pub fn no_store<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}

async fn request_deadline(
    State(deadline): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::RequestTimeout.into_response(),
    }
}

/// A handler that panicked: logged with what the panic said, answered as any internal error.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    AppError::Internal(format!("a handler panicked: {detail}")).into_response()
}
