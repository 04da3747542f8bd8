//! [`ApiJson`]: the JSON body extractor every handler uses, whose rejections are [`AppError`]s with a code.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::AppError;

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
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(request.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(JsonRejection::from)?;
        // `axum::Json` notes the path to every field as it reads (an allocation per field name) so that a refusal
        // can name the field; a body that reads without error does not need it, so only a failing one is read
        // again that way, for the same refusal `axum::Json` gives.
        if let Ok(value) = serde_json::from_slice(&bytes) {
            return Ok(ApiJson(value));
        }
        let Json(value) = Json::<T>::from_bytes(&bytes)?;
        Ok(ApiJson(value))
    }
}

/// `axum::Json`'s test: `application/json`, or any `application/…+json`, with or without parameters.
fn json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|mime| {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|name| name == "json"))
        })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn json_content_types_are_those_axum_json_accepts() {
        let cases = [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("application/json;charset=utf-8", true),
            ("application/cloudevents+json", true),
            ("text/json", false),
            ("application/xml", false),
            ("json", false),
        ];
        for (content_type, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            assert_eq!(json_content_type(&headers), expected, "{content_type}");
        }
        assert!(!json_content_type(&HeaderMap::new()));
    }
}
