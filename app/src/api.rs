//! The HTTP client for the Zoufang server: typed requests and one error type the UI can explain.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use zoufang_domain::protocol::{
    ApiErrorBody, AssignmentsResponse, LoginRequest, LoginResponse, UserProfile,
};

/// How long a request may take before the app stops waiting and says so. A 2G link is slow, but a
/// helper standing in a yard must not watch a spinner forever.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The browser knows it has no network.
    #[error("offline")]
    Offline,
    /// The request could not reach the server (refused, DNS, dropped connection).
    #[error("cannot reach the server")]
    Unreachable,
    /// No answer within [`REQUEST_TIMEOUT_MS`].
    #[error("the server did not answer in time")]
    Timeout,
    /// 401: the credentials or the token were refused.
    #[error("unauthorised: {0:?}")]
    Unauthorized(ApiErrorBody),
    /// Any other 4xx: the server understood and refused, with its reason.
    #[error("rejected ({status}): {body:?}")]
    Rejected { status: u16, body: ApiErrorBody },
    /// 5xx or an answer the app could not read.
    #[error("server error: {0}")]
    Server(String),
}

fn is_browser_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// Sends a request with a timeout and turns transport failures into [`ApiError`].
async fn send(builder: RequestBuilder, body: Option<String>) -> Result<Response, ApiError> {
    if is_browser_offline() {
        return Err(ApiError::Offline);
    }
    let controller = web_sys::AbortController::new().map_err(|_| ApiError::Unreachable)?;
    let signal = controller.signal();
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timeout_flag = timed_out.clone();
    let timeout = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
        timeout_flag.set(true);
        controller.abort();
    });
    let builder = builder.abort_signal(Some(&signal));
    let request = match body {
        Some(json) => builder
            .header("content-type", "application/json")
            .body(json)
            .map_err(|error| ApiError::Server(error.to_string()))?,
        None => builder
            .build()
            .map_err(|error| ApiError::Server(error.to_string()))?,
    };
    let result = request.send().await;
    timeout.cancel();
    match result {
        Ok(response) => Ok(response),
        Err(_) if timed_out.get() => Err(ApiError::Timeout),
        Err(_) if is_browser_offline() => Err(ApiError::Offline),
        Err(_) => Err(ApiError::Unreachable),
    }
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if (200..300).contains(&status) {
        return response
            .json::<T>()
            .await
            .map_err(|error| ApiError::Server(format!("unreadable answer: {error}")));
    }
    let body = response
        .json::<ApiErrorBody>()
        .await
        .unwrap_or_else(|_| ApiErrorBody {
            code: "unexpected_response".to_owned(),
            message: format!("HTTP {status}"),
        });
    match status {
        401 => Err(ApiError::Unauthorized(body)),
        400..=499 => Err(ApiError::Rejected { status, body }),
        _ => Err(ApiError::Server(body.message)),
    }
}

/// `POST /api/login`.
pub async fn login(request: &LoginRequest) -> Result<LoginResponse, ApiError> {
    let json =
        serde_json::to_string(request).map_err(|error| ApiError::Server(error.to_string()))?;
    let response = send(Request::post("/api/login"), Some(json)).await?;
    read_json(response).await
}

/// `GET /api/me`: checks that the stored token is still accepted and refreshes the profile.
pub async fn me(token: &str) -> Result<UserProfile, ApiError> {
    let builder = Request::get("/api/me").header("authorization", &format!("Bearer {token}"));
    let response = send(builder, None).await?;
    read_json(response).await
}

/// `POST /api/logout`: best effort, the local session is cleared whatever the answer.
pub async fn logout(token: &str) -> Result<(), ApiError> {
    let builder = Request::post("/api/logout").header("authorization", &format!("Bearer {token}"));
    let response = send(builder, None).await?;
    match response.status() {
        200..=299 => Ok(()),
        status => Err(ApiError::Server(format!("HTTP {status}"))),
    }
}

/// `GET /api/assignments`: the caller's households with the policy tables and risk rules they need.
pub async fn assignments(token: &str) -> Result<AssignmentsResponse, ApiError> {
    let builder =
        Request::get("/api/assignments").header("authorization", &format!("Bearer {token}"));
    let response = send(builder, None).await?;
    read_json(response).await
}
