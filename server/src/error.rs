//! [`AppError`]: the one way a handler fails. It logs what the operator needs and tells the client only what it can
//! act on, as an [`ApiErrorBody`] with a stable `code` and a Chinese sentence.
//!
//! [`ApiJson`] is the JSON body extractor every handler uses instead of `axum::Json`, so that a malformed body is a
//! 400/413/415/422 with a code, never axum's plain-text rejection.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zoufang_domain::protocol::ApiErrorBody;

use crate::store::StoreError;

/// The largest JSON body the API accepts. Photo uploads will get their own, larger limit on their own route.
pub const JSON_BODY_LIMIT_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("phone number is not 11 digits")]
    InvalidPhone,
    #[error("password is empty")]
    EmptyPassword,
    #[error("wrong phone number or password")]
    InvalidCredentials,
    #[error("no bearer token")]
    MissingToken,
    #[error("unknown or revoked token")]
    InvalidToken,
    #[error("expired token")]
    TokenExpired,
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("JSON does not fit the expected shape: {0}")]
    InvalidBody(String),
    #[error("request body is not declared as JSON")]
    UnsupportedMediaType,
    #[error("request body is larger than the limit")]
    PayloadTooLarge,
    #[error("request body could not be read: {0}")]
    UnreadableBody(String),
    #[error("no such API endpoint")]
    NotFound,
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
    /// The caller is logged in but their role may not use this endpoint; the sentence says who can.
    #[error("role may not use this endpoint")]
    Forbidden(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Status, stable code and the sentence shown to the person.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        use AppError::*;
        match self {
            InvalidPhone => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_phone",
                "手机号应为 11 位数字。".to_owned(),
            ),
            EmptyPassword => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty_password",
                "请输入密码。".to_owned(),
            ),
            InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "手机号或密码不正确。".to_owned(),
            ),
            MissingToken => (
                StatusCode::UNAUTHORIZED,
                "missing_token",
                "请先登录。".to_owned(),
            ),
            InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "登录已失效，请重新登录。".to_owned(),
            ),
            TokenExpired => (
                StatusCode::UNAUTHORIZED,
                "token_expired",
                "登录已过期，请重新登录。".to_owned(),
            ),
            MalformedJson(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("请求内容不是有效的 JSON：{detail}"),
            ),
            InvalidBody(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("请求内容缺少字段或字段类型不对：{detail}"),
            ),
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求内容须为 JSON（Content-Type: application/json）。".to_owned(),
            ),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "请求内容太大，上限为 {} KiB。",
                    JSON_BODY_LIMIT_BYTES / 1024
                ),
            ),
            UnreadableBody(_) => (
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "无法读取请求内容，请重试。".to_owned(),
            ),
            NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "没有这个接口。".to_owned(),
            ),
            MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "该接口不支持这种请求方法。".to_owned(),
            ),
            Forbidden(message) => (StatusCode::FORBIDDEN, "forbidden", (*message).to_owned()),
            Store(_) | Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "服务器内部出错，请稍后再试；已填写的内容不会丢失。".to_owned(),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            // The detail (SQL error, join error) goes to the log only: it helps the operator, not the person.
            tracing::error!(error = %self, code, "request failed");
        } else {
            tracing::debug!(error = %self, code, "request refused");
        }
        let mut response = (
            status,
            Json(ApiErrorBody {
                code: code.to_owned(),
                message,
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: tell the client which scheme to use.
            let challenge = match self {
                AppError::InvalidToken | AppError::TokenExpired => {
                    r#"Bearer error="invalid_token""#
                }
                _ => "Bearer",
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonSyntaxError(error) => AppError::MalformedJson(error.body_text()),
            JsonRejection::JsonDataError(error) => AppError::InvalidBody(error.body_text()),
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            JsonRejection::BytesRejection(error)
                if error.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                AppError::PayloadTooLarge
            }
            other => AppError::UnreadableBody(other.body_text()),
        }
    }
}

/// `axum::Json` with [`AppError`] as its rejection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<T>::from_request(request, state).await?;
        Ok(ApiJson(value))
    }
}
