//! Photo bytes, addressed by their SHA-256 (lowercase hex). Uploads are idempotent: the same bytes twice are one row.

use sqlx::SqliteExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{StoreError, format_instant, parse_uuid};

/// A photo to store; the caller has checked that `sha256` is the digest of `bytes`.
#[derive(Debug, Clone)]
pub struct NewPhoto<'a> {
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub content_type: &'a str,
    pub uploaded_by: Uuid,
    pub created_at: OffsetDateTime,
}

/// A stored photo's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoInfo {
    pub size: i64,
    pub content_type: String,
    pub uploaded_by: Uuid,
}

/// Inserts the photo unless the hash is already stored; returns whether it inserted.
pub async fn insert_if_absent(
    executor: impl SqliteExecutor<'_>,
    photo: &NewPhoto<'_>,
) -> Result<bool, StoreError> {
    let size = i64::try_from(photo.bytes.len()).unwrap_or(i64::MAX);
    let result = sqlx::query(
        "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(photo.sha256)
    .bind(photo.bytes)
    .bind(size)
    .bind(photo.content_type)
    .bind(photo.uploaded_by.to_string())
    .bind(format_instant(photo.created_at))
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

pub async fn info(
    executor: impl SqliteExecutor<'_>,
    sha256: &str,
) -> Result<Option<PhotoInfo>, StoreError> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT size, content_type, uploaded_by FROM photos WHERE sha256 = ?")
            .bind(sha256)
            .fetch_optional(executor)
            .await?;
    row.map(|(size, content_type, uploaded_by)| {
        Ok(PhotoInfo {
            size,
            content_type,
            uploaded_by: parse_uuid("photos.uploaded_by", &uploaded_by)?,
        })
    })
    .transpose()
}

pub async fn bytes(
    executor: impl SqliteExecutor<'_>,
    sha256: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let bytes: Option<Vec<u8>> = sqlx::query_scalar("SELECT bytes FROM photos WHERE sha256 = ?")
        .bind(sha256)
        .fetch_optional(executor)
        .await?;
    Ok(bytes)
}

/// The hashes among `sha256s` that are not stored, in the order given, without repeats.
pub async fn missing(
    executor: &mut sqlx::SqliteConnection,
    sha256s: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut missing: Vec<String> = Vec::new();
    for sha256 in sha256s {
        let present: Option<i64> = sqlx::query_scalar("SELECT 1 FROM photos WHERE sha256 = ?")
            .bind(sha256)
            .fetch_optional(&mut *executor)
            .await?;
        if present.is_none() && !missing.contains(sha256) {
            missing.push(sha256.clone());
        }
    }
    Ok(missing)
}

/// Where the submissions referring to a photo belong: their households (with village and current helper) and
/// teaching points (with village), for deciding who may download it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoReferences {
    /// (village, current helper) of each household whose submission refers to the photo.
    pub households: Vec<(Uuid, Option<Uuid>)>,
    /// (village, teaching point) of each attendance sheet that refers to the photo.
    pub teaching_points: Vec<(Uuid, Uuid)>,
}

pub async fn references(
    executor: &mut sqlx::SqliteConnection,
    sha256: &str,
) -> Result<PhotoReferences, StoreError> {
    let households: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT h.village_id, h.helper_user_id FROM submission_photos sp \
         JOIN submissions s ON s.id = sp.submission_id \
         JOIN households h ON h.id = s.household_id \
         WHERE sp.sha256 = ?",
    )
    .bind(sha256)
    .fetch_all(&mut *executor)
    .await?;
    let points: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT t.village_id, t.id FROM submission_photos sp \
         JOIN submissions s ON s.id = sp.submission_id \
         JOIN teaching_points t ON t.id = s.teaching_point_id \
         WHERE sp.sha256 = ?",
    )
    .bind(sha256)
    .fetch_all(&mut *executor)
    .await?;
    Ok(PhotoReferences {
        households: households
            .into_iter()
            .map(|(village, helper)| {
                Ok((
                    parse_uuid("households.village_id", &village)?,
                    helper
                        .map(|id| parse_uuid("households.helper_user_id", &id))
                        .transpose()?,
                ))
            })
            .collect::<Result<_, StoreError>>()?,
        teaching_points: points
            .into_iter()
            .map(|(village, point)| {
                Ok((
                    parse_uuid("teaching_points.village_id", &village)?,
                    parse_uuid("teaching_points.id", &point)?,
                ))
            })
            .collect::<Result<_, StoreError>>()?,
    })
}
