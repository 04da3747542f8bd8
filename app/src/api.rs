//! The HTTP client for the Zoufang server: typed requests and one error type the UI can explain.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use zoufang_domain::protocol::{
    ApiErrorBody, AssignmentsResponse, ChangesResponse, Conflict, HouseholdHistoryResponse,
    LoginRequest, LoginResponse, PhotoReceipt, PlanReview, ReviewRequest, Submission,
    SubmissionReceipt, UserProfile, ValidationRejection, WrappedDataKey,
};

/// How long a request may take before the app stops waiting and says so. A 2G link is slow, but a
/// helper standing in a yard must not watch a spinner forever.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// Why a request did not give the expected answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
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
    /// 409 `stale_base`: the edit started from an older server copy; the server's copy comes with it.
    #[error("conflict: the server holds a newer version")]
    Conflict(Box<Conflict>),
    /// 422 `validation_failed`: the domain rules refused the record, with the findings.
    #[error("refused by the rules: {0:?}")]
    Invalid(Box<ValidationRejection>),
    /// 5xx or an answer the app could not read.
    #[error("server error: {0}")]
    Server(String),
}

fn is_browser_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// A request body.
enum Body<'a> {
    Json(String),
    Bytes(&'a [u8], &'a str),
}

/// Sends a request with a timeout and turns transport failures into [`ApiError`].
async fn send(builder: RequestBuilder, body: Option<String>) -> Result<Response, ApiError> {
    send_body(builder, body.map(Body::Json)).await
}

async fn send_body(builder: RequestBuilder, body: Option<Body<'_>>) -> Result<Response, ApiError> {
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
        Some(Body::Json(json)) => builder
            .header("content-type", "application/json")
            .body(json)
            .map_err(|error| ApiError::Server(error.to_string()))?,
        Some(Body::Bytes(bytes, content_type)) => builder
            .header("content-type", content_type)
            .body(js_sys::Uint8Array::from(bytes))
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
    let text = response.text().await.unwrap_or_default();
    if status == 409
        && let Ok(conflict) = serde_json::from_str::<Conflict>(&text)
    {
        return Err(ApiError::Conflict(Box::new(conflict)));
    }
    if status == 422
        && let Ok(rejection) = serde_json::from_str::<ValidationRejection>(&text)
    {
        return Err(ApiError::Invalid(Box::new(rejection)));
    }
    let body = serde_json::from_str::<ApiErrorBody>(&text).unwrap_or_else(|_| ApiErrorBody {
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

/// `GET /api/night-school`: the caller's teaching point(s): roster (names only), sessions, follow-ups, rules.
pub async fn night_school(
    token: &str,
) -> Result<zoufang_domain::protocol::NightSchoolResponse, ApiError> {
    let response = send(authorised(Request::get("/api/night-school"), token), None).await?;
    read_json(response).await
}

/// `POST /api/night-school/sessions/{id}/confirm`: the first secretary confirms the version she read.
pub async fn confirm_session(
    token: &str,
    session_id: uuid::Uuid,
    version: u32,
) -> Result<zoufang_domain::protocol::SessionRecord, ApiError> {
    let json = serde_json::to_string(&zoufang_domain::protocol::ConfirmSessionRequest { version })
        .map_err(|error| ApiError::Server(error.to_string()))?;
    let path = format!("/api/night-school/sessions/{session_id}/confirm");
    let response = send(authorised(Request::post(&path), token), Some(json)).await?;
    read_json(response).await
}

/// `PUT /api/night-school/points/{id}/households`: the first secretary assigns these households to the point
/// (those assigned to it before and not listed go back to no point); the answer is the point's new sheet.
pub async fn assign_point_households(
    token: &str,
    point: zoufang_domain::model::TeachingPointId,
    request: &zoufang_domain::protocol::RosterAssignmentRequest,
) -> Result<zoufang_domain::protocol::TeachingPointSheet, ApiError> {
    let json =
        serde_json::to_string(request).map_err(|error| ApiError::Server(error.to_string()))?;
    let path = format!("/api/night-school/points/{point}/households");
    let response = send(authorised(Request::put(&path), token), Some(json)).await?;
    read_json(response).await
}

fn authorised(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("authorization", &format!("Bearer {token}"))
}

/// `POST /api/submissions`: idempotent by the submission's UUID.
pub async fn submit(token: &str, submission: &Submission) -> Result<SubmissionReceipt, ApiError> {
    let json =
        serde_json::to_string(submission).map_err(|error| ApiError::Server(error.to_string()))?;
    let response = send(
        authorised(Request::post("/api/submissions"), token),
        Some(json),
    )
    .await?;
    read_json(response).await
}

/// `HEAD /api/photos/{sha256}`: whether the server already has these bytes.
pub async fn photo_exists(token: &str, sha256: &str) -> Result<bool, ApiError> {
    let url = format!("/api/photos/{sha256}");
    let response = send(
        authorised(
            RequestBuilder::new(&url).method(gloo_net::http::Method::HEAD),
            token,
        ),
        None,
    )
    .await?;
    match response.status() {
        200..=299 => Ok(true),
        404 => Ok(false),
        401 => Err(ApiError::Unauthorized(ApiErrorBody {
            code: "unauthorized".to_owned(),
            message: "HTTP 401".to_owned(),
        })),
        status @ 400..=499 => Err(ApiError::Rejected {
            status,
            body: ApiErrorBody {
                code: "unexpected_response".to_owned(),
                message: format!("HTTP {status}"),
            },
        }),
        status => Err(ApiError::Server(format!("HTTP {status}"))),
    }
}

/// `PUT /api/photos/{sha256}`: uploads a photo's bytes; the server checks the hash.
pub async fn put_photo(
    token: &str,
    sha256: &str,
    bytes: &[u8],
    content_type: &str,
) -> Result<PhotoReceipt, ApiError> {
    let url = format!("/api/photos/{sha256}");
    let response = send_body(
        authorised(Request::put(&url), token),
        Some(Body::Bytes(bytes, content_type)),
    )
    .await?;
    read_json(response).await
}

/// `GET /api/changes?since=<cursor>`: households changed since the cursor, with their plans and reviews.
pub async fn changes(token: &str, since: Option<&str>) -> Result<ChangesResponse, ApiError> {
    let url = match since {
        Some(cursor) => format!(
            "/api/changes?since={}",
            js_sys::encode_uri_component(cursor)
        ),
        None => "/api/changes".to_owned(),
    };
    let response = send(authorised(Request::get(&url), token), None).await?;
    read_json(response).await
}

/// `POST /api/reviews`: a first secretary's decision on a submitted plan.
pub async fn review(token: &str, request: &ReviewRequest) -> Result<PlanReview, ApiError> {
    let json =
        serde_json::to_string(request).map_err(|error| ApiError::Server(error.to_string()))?;
    let response = send(authorised(Request::post("/api/reviews"), token), Some(json)).await?;
    read_json::<PlanReview>(response).await
}

/// `GET /api/households/{id}/history`: the household's latest visits in full, with their photos' metadata.
pub async fn household_history(
    token: &str,
    household_id: &str,
) -> Result<HouseholdHistoryResponse, ApiError> {
    let url = format!(
        "/api/households/{}/history",
        js_sys::encode_uri_component(household_id)
    );
    let response = send(authorised(Request::get(&url), token), None).await?;
    read_json(response).await
}

/// `GET /api/photos/{sha256}`: a photo's bytes (404 `photo_not_found` when the server has none the caller may see).
pub async fn photo(token: &str, sha256: &str) -> Result<Vec<u8>, ApiError> {
    image_bytes(token, &format!("/api/photos/{sha256}")).await
}

/// `GET /api/photos/{sha256}/thumbnail`: a small JPEG of the photo (415 when the server cannot make one).
pub async fn photo_thumbnail(token: &str, sha256: &str) -> Result<Vec<u8>, ApiError> {
    image_bytes(token, &format!("/api/photos/{sha256}/thumbnail")).await
}

async fn image_bytes(token: &str, url: &str) -> Result<Vec<u8>, ApiError> {
    let response = send(authorised(Request::get(url), token), None).await?;
    if (200..=299).contains(&response.status()) {
        return response
            .binary()
            .await
            .map_err(|error| ApiError::Server(format!("unreadable photo: {error}")));
    }
    read_json::<()>(response).await.map(|()| Vec::new())
}

/// `GET /api/me/data-key`: the copy of the phone's data key the server keeps for the account (wrapped with the
/// password), released only shortly after a password login. `Ok(None)` when the server has none (404).
pub async fn data_key(token: &str) -> Result<Option<WrappedDataKey>, ApiError> {
    let response = send(authorised(Request::get("/api/me/data-key"), token), None).await?;
    match read_json(response).await {
        Ok(copy) => Ok(Some(copy)),
        Err(ApiError::Rejected { status: 404, .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// `PUT /api/me/data-key`: keeps (replaces) the server's copy of the phone's data key.
pub async fn put_data_key(token: &str, copy: &WrappedDataKey) -> Result<(), ApiError> {
    let json = serde_json::to_string(copy).map_err(|error| ApiError::Server(error.to_string()))?;
    let response = send(
        authorised(Request::put("/api/me/data-key"), token),
        Some(json),
    )
    .await?;
    match response.status() {
        200..=299 => Ok(()),
        _ => read_json::<serde_json::Value>(response).await.map(|_| ()),
    }
}
