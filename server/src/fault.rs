//! Fault injection for tests and benchmarks: with `--drop-response-rate p`, each response of the submission and
//! photo routes is, with probability `p`, replaced by a dropped connection *after* the handler has run and
//! committed. That is the failure an outbox must survive: the server has the record but the phone never hears so,
//! and retries. Off (rate 0) unless the flag is given.

use std::io;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Runs the handler, then drops the response with the configured probability.
pub async fn drop_some_responses(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let rate = state.settings.drop_response_rate;
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if rate <= 0.0 || unit_random() >= rate {
        return response;
    }
    tracing::warn!(%method, %path, status = %response.status(), "fault injection: dropping the response");
    let (mut parts, _body) = response.into_parts();
    // Without a length the head waits for the first body chunk; the body fails at once, so hyper closes the
    // connection without writing the head and the client sees a transport error, not a status.
    parts.headers.remove(header::CONTENT_LENGTH);
    let failing = futures_util::stream::once(async {
        Err::<Bytes, io::Error>(io::Error::other("response dropped by fault injection"))
    });
    Response::from_parts(parts, Body::from_stream(failing))
}

/// A uniform number in [0, 1).
fn unit_random() -> f64 {
    (OsRng.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
}
