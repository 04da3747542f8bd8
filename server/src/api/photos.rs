//! `HEAD`, `PUT` and `GET /api/photos/{sha256}`: photo bytes addressed by their SHA-256.
//!
//! The outbox uploads photos before the record that refers to them: `HEAD` tells it what the server already has,
//! `PUT` is idempotent (the same bytes twice are one row). The server hashes what it received and refuses a
//! mismatch, so a photo cut short in transit is never stored under the name of the whole one.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use zoufang_domain::protocol::{PhotoReceipt, Role};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::photos::{self, NewPhoto};

/// Who may upload or check photos, said to everyone else.
pub const PHOTOS_FORBIDDEN: &str = "只有帮扶责任人、驻村第一书记和村干部可以上传照片。";
/// Said to someone who may not see a photo.
pub const PHOTO_NOT_YOURS: &str = "这张照片属于你无权查看的记录。";

/// The content types a photo may have.
const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// A path segment that is a SHA-256: 64 hex characters, read as lower case.
fn parse_sha256(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    let Path(text) = path.map_err(|_| AppError::InvalidSha256)?;
    if text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(AppError::InvalidSha256)
    }
}

fn may_upload(auth: &AuthUser) -> Result<(), AppError> {
    match auth.role {
        Role::Helper | Role::FirstSecretary | Role::VillageCadre => Ok(()),
        Role::Admin => Err(AppError::Forbidden(PHOTOS_FORBIDDEN)),
    }
}

/// Lowercase hex SHA-256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `PUT`: 201 `created: true` for new bytes, 200 `created: false` when the server had them already; 400
/// `invalid_sha256`, 413 `too_large`, 415 `unsupported_media_type`, 422 `hash_mismatch`.
pub async fn put_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<PhotoReceipt>), AppError> {
    may_upload(&auth)?;
    let sha256 = parse_sha256(path)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .filter(|value| PHOTO_TYPES.contains(&value.as_str()))
        .ok_or(AppError::UnsupportedPhotoType)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PhotoTooLarge
        } else {
            AppError::UnreadableBody(rejection.body_text())
        }
    })?;
    let computed = sha256_hex(&bytes);
    if computed != sha256 {
        return Err(AppError::HashMismatch { computed });
    }
    let created = photos::insert_if_absent(
        &state.pool,
        &NewPhoto {
            sha256: &sha256,
            bytes: &bytes,
            content_type: &content_type,
            uploaded_by: auth.user_id,
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await?;
    if created {
        tracing::info!(%sha256, bytes = bytes.len(), user_id = %auth.user_id, "photo stored");
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(PhotoReceipt {
            sha256,
            bytes: bytes.len() as u64,
            created,
        }),
    ))
}

/// `HEAD`: 200 when the server has the bytes (with their length and type), 404 otherwise.
pub async fn head_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    may_upload(&auth)?;
    let sha256 = parse_sha256(path)?;
    let info = photos::info(&state.pool, &sha256)
        .await?
        .ok_or(AppError::PhotoNotFound)?;
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(info.size));
    if let Ok(value) = HeaderValue::from_str(&info.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    Ok(response)
}

/// `GET`: the bytes, to the uploader and to whoever may see a record that refers to the photo; 403 to others,
/// 404 when the server does not have it.
pub async fn get_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let sha256 = parse_sha256(path)?;
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    let info = photos::info(&mut *connection, &sha256)
        .await?
        .ok_or(AppError::PhotoNotFound)?;
    let allowed = info.uploaded_by == auth.user_id || {
        let references = photos::references(&mut connection, &sha256).await?;
        let household_visible =
            references
                .households
                .iter()
                .any(|(village, helper)| match auth.role {
                    Role::Helper => *helper == Some(auth.user_id),
                    Role::FirstSecretary => auth.village_id == Some(*village),
                    Role::VillageCadre | Role::Admin => false,
                });
        let attendance_visible =
            references
                .teaching_points
                .iter()
                .any(|(village, point)| match auth.role {
                    Role::VillageCadre => auth.teaching_point_id == Some(*point),
                    Role::FirstSecretary => auth.village_id == Some(*village),
                    Role::Helper | Role::Admin => false,
                });
        household_visible || attendance_visible
    };
    if !allowed {
        return Err(AppError::Forbidden(PHOTO_NOT_YOURS));
    }
    let bytes = photos::bytes(&mut *connection, &sha256)
        .await?
        .ok_or(AppError::PhotoNotFound)?;
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&info.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // The address is the content's hash, so the bytes behind it never change; only the person may keep them.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}
