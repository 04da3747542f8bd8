//! `HEAD`, `PUT` and `GET /api/photos/{sha256}`: photo bytes addressed by their SHA-256, and who may use a photo.
//!
//! The outbox uploads photos before the record that refers to them: `HEAD` tells it what the server already has,
//! `PUT` is idempotent (the same bytes twice are one row). The server hashes what it received and refuses a
//! mismatch, so a photo cut short in transit is never stored under the name of the whole one; it reads the format
//! from the bytes' signature and refuses bytes that are not the JPEG, PNG or WebP they claim to be.
//!
//! Knowing a hash gives nothing: a person may check, download or link (in a submission) a photo only when they
//! uploaded its bytes or may see a record that already links it ([`may_see`]). To everyone else `HEAD` and `GET`
//! answer 404 as for a photo the server does not have, so existence does not leak; the phone then uploads the bytes,
//! which makes its user an uploader too.
//!
//! The bytes go to the blob store (`crate::blobs`) before the metadata row is committed, so a photo the database
//! lists always has its bytes; rows from before migration 0009 that still hold their bytes are served from them.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use zoufang_domain::protocol::{PhotoReceipt, Role};

use crate::AppState;
use crate::auth::AuthUser;
use crate::blobs::{BlobError, BlobKey};
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::photos::{self, NewPhoto, StoredBytes};

/// Who may upload or check photos, said to everyone else.
pub const PHOTOS_FORBIDDEN: &str = "只有帮扶责任人、驻村第一书记和村干部可以上传照片。";

/// The content types a photo may be declared as.
const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// A path segment that is a SHA-256: 64 hex characters, read as lower case.
pub(crate) fn parse_sha256(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
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

/// The image type the bytes' signature says, among the ones a photo may have: JPEG (`FF D8 FF`), PNG (`89 50 4E 47
/// 0D 0A 1A 0A`), WebP (`RIFF`, four bytes of length, `WEBP`). `None` for anything else.
pub fn sniff_image_type(bytes: &[u8]) -> Option<&'static str> {
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if bytes.starts_with(JPEG) {
        Some("image/jpeg")
    } else if bytes.starts_with(PNG) {
        Some("image/png")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some("image/webp")
    } else {
        None
    }
}

pub use crate::blobs::sha256_hex;

/// A blob store failure is the server's: logged, answered 500 without detail.
fn blob_failure(error: BlobError) -> AppError {
    AppError::Internal(format!("photo store: {error}"))
}

/// `PUT`: 201 `created: true` for new bytes, 200 `created: false` when the server had them already (the caller
/// becomes one of their uploaders); 400 `invalid_sha256`, 413 `too_large`, 415 `unsupported_media_type` /
/// `unsupported_photo_format` / `photo_type_mismatch`, 422 `hash_mismatch`, 429 `photo_quota_exceeded`.
pub async fn put_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<PhotoReceipt>), AppError> {
    may_upload(&auth)?;
    let sha256 = parse_sha256(path)?;
    let declared = headers
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
    let content_type = sniff_image_type(&bytes).ok_or(AppError::UnknownPhotoFormat)?;
    if content_type != declared {
        return Err(AppError::PhotoTypeMismatch {
            declared,
            detected: content_type,
        });
    }
    let key = BlobKey::parse(&sha256).ok_or(AppError::InvalidSha256)?;
    let now = OffsetDateTime::now_utc();
    // New bytes are queued for the sweep before they are written, so bytes whose row never commits (the process
    // stopped between the two, or the commit failed) are deleted by the next sweep, which skips a hash that has a row.
    if !photos::exists(&state.pool, &sha256).await? {
        photos::queue_blob_deletion(&mut *state.writer.acquire().await?, &sha256, now).await?;
    }
    // The bytes first: once the row is committed, anyone entitled may fetch them.
    state
        .blobs
        .put(&key, bytes.clone())
        .await
        .map_err(blob_failure)?;
    let limits = &state.settings.photos;
    // The insert comes first: it takes the write lock, so the quota sum below sees every committed upload.
    let mut writer = state.writer.acquire().await?;
    let mut transaction = writer.begin().await?;
    let created = photos::insert_if_absent(
        &mut *transaction,
        &NewPhoto {
            sha256: &sha256,
            size: bytes.len() as u64,
            head: &bytes,
            content_type,
            uploaded_by: auth.user_id,
            created_at: now,
        },
    )
    .await?;
    if photos::record_upload(&mut *transaction, &sha256, auth.user_id, now).await? {
        let window_start = now - limits.quota_window;
        let uploads = photos::uploads_since(&mut *transaction, auth.user_id, window_start).await?;
        if u64::try_from(uploads.bytes).unwrap_or(u64::MAX) > limits.quota_bytes {
            transaction.rollback().await.map_err(StoreError::from)?;
            if created {
                // The bytes written above belong to no row: queued, the sweep deletes them unless a row has them.
                photos::queue_blob_deletion(&state.pool, &sha256, now).await?;
            }
            // Room comes back when the earliest upload in the window leaves it.
            let retry_after = uploads
                .earliest
                .map(|earliest| earliest + limits.quota_window - now)
                .unwrap_or(limits.quota_window);
            tracing::warn!(user_id = %auth.user_id, bytes = uploads.bytes, "photo quota exceeded");
            return Err(AppError::PhotoQuotaExceeded {
                quota_bytes: limits.quota_bytes,
                window_hours: limits.quota_window.whole_hours(),
                retry_after_seconds: retry_after.whole_seconds().max(1),
            });
        }
    }
    transaction.commit().await.map_err(StoreError::from)?;
    // A sweep of the same bytes (removed as unreferenced a moment ago) may have deleted them after our write: the
    // row is committed now, so a sweep from here on keeps them; put them back if one got there first.
    if !state.blobs.contains(&key).await.map_err(blob_failure)? {
        tracing::warn!(%sha256, "photo bytes were swept during their upload: writing them again");
        state
            .blobs
            .put(&key, bytes.clone())
            .await
            .map_err(blob_failure)?;
    }
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

/// `HEAD`: 200 (with the length, and the type read from the bytes) when the server has the photo and the caller may
/// see it; 404 otherwise, whichever of the two it is.
pub async fn head_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    may_upload(&auth)?;
    let sha256 = parse_sha256(path)?;
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    let info = photos::info(&mut *connection, &sha256)
        .await?
        .ok_or(AppError::PhotoNotFound)?;
    if !may_see(&mut connection, &auth, &sha256).await? {
        return Err(AppError::PhotoNotFound);
    }
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(info.size));
    headers.insert(header::CONTENT_TYPE, served_type(&info.head));
    Ok(response)
}

/// `GET`: the bytes, to an uploader and to whoever may see a record that links the photo, with the type read from
/// the bytes; 404 `photo_not_found` to everyone else and when the server does not have it.
pub async fn get_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let sha256 = parse_sha256(path)?;
    let bytes = visible_bytes(&state, &auth, &sha256).await?;
    let content_type = served_type(&bytes);
    let mut response = Body::from(bytes).into_response();
    // No caching header here: every API answer is `no-store` (`limits::no_store`), photos included.
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    Ok(response)
}

/// A photo's bytes for `auth`, who may see it (`may_see`); 404 `photo_not_found` otherwise and when the server does
/// not have it.
pub(crate) async fn visible_bytes(
    state: &AppState,
    auth: &AuthUser,
    sha256: &str,
) -> Result<Bytes, AppError> {
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    if !may_see(&mut connection, auth, sha256).await? {
        return Err(AppError::PhotoNotFound);
    }
    let stored = photos::stored(&mut *connection, sha256)
        .await?
        .ok_or(AppError::PhotoNotFound)?;
    drop(connection);
    match stored {
        StoredBytes::Database(bytes) => Ok(Bytes::from(bytes)),
        StoredBytes::Blobs => {
            let key = BlobKey::parse(sha256).ok_or(AppError::InvalidSha256)?;
            state
                .blobs
                .get(&key)
                .await
                .map_err(blob_failure)?
                .ok_or_else(|| {
                    AppError::Internal(format!(
                        "photo {sha256} is listed but its bytes are missing"
                    ))
                })
        }
    }
}

/// The type a photo is served with: read from its first bytes, never from what the uploader declared (rows stored
/// before the check could carry any type).
fn served_type(head: &[u8]) -> HeaderValue {
    HeaderValue::from_static(sniff_image_type(head).unwrap_or("application/octet-stream"))
}

/// Whether the caller may use the photo: they uploaded its bytes, or a submission they may see links it (a
/// household whose current helper they are or that lies in their village as first secretary; an attendance sheet of
/// their teaching point as cadre or of their village as first secretary). False for a photo the server lacks.
pub(crate) async fn may_see(
    connection: &mut sqlx::AnyConnection,
    auth: &AuthUser,
    sha256: &str,
) -> Result<bool, StoreError> {
    if photos::is_uploader(&mut *connection, sha256, auth.user_id).await? {
        return Ok(true);
    }
    let references = photos::references(connection, sha256).await?;
    let household_visible = references
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
    Ok(household_visible || attendance_visible)
}

/// The photos a submission links must be stored (else 422 `photo_missing`) and usable by its submitter (else 422
/// `photo_not_yours`), so that linking a hash never grants access to someone else's photo. `hashes` are distinct.
pub(crate) async fn check_links(
    connection: &mut sqlx::AnyConnection,
    auth: &AuthUser,
    hashes: &[String],
) -> Result<(), AppError> {
    let missing = photos::missing(connection, hashes).await?;
    if !missing.is_empty() {
        return Err(AppError::PhotoMissing(missing));
    }
    let mut not_yours = Vec::new();
    for sha256 in hashes {
        if !may_see(connection, auth, sha256).await? {
            not_yours.push(sha256.clone());
        }
    }
    if !not_yours.is_empty() {
        return Err(AppError::PhotoNotYours(not_yours));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sniff_image_type;

    #[test]
    fn the_format_is_read_from_the_signature_only() {
        let cases: [(&[u8], Option<&str>); 9] = [
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", Some("image/jpeg")),
            (b"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", Some("image/png")),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some("image/webp")),
            (b"RIFF\x24\0\0\0WAVEfmt ", None),
            (b"RIFF\x24\0\0\0WEB", None),
            (b"<!doctype html><script>", None),
            (b"\xFF\xD8", None),
            (b"\x89PNG\r\n", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff_image_type(bytes), expected, "{bytes:?}");
        }
    }
}
