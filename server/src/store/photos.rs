//! Photo bytes, addressed by their SHA-256 (lowercase hex). Uploads are idempotent: the same bytes twice are one row.
//! `photo_uploads` keeps every account that sent a photo's bytes (an uploader may link and download it), which the
//! per-account quota adds up; photos that no submission links are removed after a grace period.

use sqlx::AnyExecutor;
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
    /// The type stored at upload (checked against the bytes since migration 0005; not trusted for older rows).
    pub content_type: String,
    /// The first uploader.
    pub uploaded_by: Uuid,
    /// The first bytes of the photo, enough to tell its format.
    pub head: Vec<u8>,
}

/// Inserts the photo unless the hash is already stored; returns whether it inserted.
pub async fn insert_if_absent(
    executor: impl AnyExecutor<'_>,
    photo: &NewPhoto<'_>,
) -> Result<bool, StoreError> {
    let size = i64::try_from(photo.bytes.len()).unwrap_or(i64::MAX);
    let result = sqlx::query(
        "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
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
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<Option<PhotoInfo>, StoreError> {
    // `substr` on a BLOB counts bytes in SQLite, and PostgreSQL has `substr(bytea, int, int)`.
    let row: Option<(i64, String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT size, content_type, uploaded_by, substr(bytes, 1, 16) FROM photos WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(executor)
    .await?;
    row.map(|(size, content_type, uploaded_by, head)| {
        Ok(PhotoInfo {
            size,
            content_type,
            uploaded_by: parse_uuid("photos.uploaded_by", &uploaded_by)?,
            head,
        })
    })
    .transpose()
}

/// Records that `user_id` uploaded the photo (which must be stored); returns false when they had already.
pub async fn record_upload(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
    user_id: Uuid,
    uploaded_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO photo_uploads (sha256, user_id, uploaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256, user_id) DO NOTHING",
    )
    .bind(sha256)
    .bind(user_id.to_string())
    .bind(format_instant(uploaded_at))
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// Whether `user_id` uploaded the photo's bytes (first or later).
pub async fn is_uploader(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
    user_id: Uuid,
) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM photo_uploads WHERE sha256 = $1 AND user_id = $2")
            .bind(sha256)
            .bind(user_id.to_string())
            .fetch_optional(executor)
            .await?;
    Ok(found.is_some())
}

/// What an account uploaded since an instant: the bytes of those photos and the earliest upload among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadsSince {
    pub bytes: i64,
    pub earliest: Option<OffsetDateTime>,
}

pub async fn uploads_since(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
    since: OffsetDateTime,
) -> Result<UploadsSince, StoreError> {
    let (bytes, earliest): (i64, Option<String>) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(p.size), 0) AS BIGINT), MIN(u.uploaded_at) FROM photo_uploads u \
         JOIN photos p ON p.sha256 = u.sha256 \
         WHERE u.user_id = $1 AND u.uploaded_at > $2",
    )
    .bind(user_id.to_string())
    .bind(format_instant(since))
    .fetch_one(executor)
    .await?;
    Ok(UploadsSince {
        bytes,
        earliest: earliest
            .map(|text| super::parse_instant("photo_uploads.uploaded_at", &text))
            .transpose()?,
    })
}

/// Deletes the photos that no submission links and that nobody uploaded since `cutoff`, with their upload rows;
/// returns how many photos it deleted. Starts with a write, so in a transaction it holds the write lock throughout
/// and no submission can link one of them in between.
pub async fn delete_unreferenced(
    executor: &mut sqlx::AnyConnection,
    cutoff: OffsetDateTime,
) -> Result<u64, StoreError> {
    let cutoff = format_instant(cutoff);
    sqlx::query(
        "DELETE FROM photo_uploads WHERE sha256 IN ( \
           SELECT p.sha256 FROM photos p \
           WHERE p.created_at < $1 \
             AND NOT EXISTS (SELECT 1 FROM submission_photos sp WHERE sp.sha256 = p.sha256) \
             AND NOT EXISTS (SELECT 1 FROM photo_uploads u \
                             WHERE u.sha256 = p.sha256 AND u.uploaded_at >= $2))",
    )
    .bind(&cutoff)
    .bind(&cutoff)
    .execute(&mut *executor)
    .await?;
    // What is left without any upload row is exactly the set above (a photo uploaded since the cutoff keeps its
    // rows), plus rows from before uploads were recorded, which the date condition covers.
    let deleted = sqlx::query(
        "DELETE FROM photos WHERE created_at < $1 \
           AND NOT EXISTS (SELECT 1 FROM submission_photos sp WHERE sp.sha256 = photos.sha256) \
           AND NOT EXISTS (SELECT 1 FROM photo_uploads u WHERE u.sha256 = photos.sha256)",
    )
    .bind(&cutoff)
    .execute(&mut *executor)
    .await?;
    Ok(deleted.rows_affected())
}

pub async fn bytes(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let bytes: Option<Vec<u8>> = sqlx::query_scalar("SELECT bytes FROM photos WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(executor)
        .await?;
    Ok(bytes)
}

/// The hashes among `sha256s` that are not stored, in the order given, without repeats.
pub async fn missing(
    executor: &mut sqlx::AnyConnection,
    sha256s: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut missing: Vec<String> = Vec::new();
    for sha256 in sha256s {
        let present: Option<i64> = sqlx::query_scalar("SELECT 1 FROM photos WHERE sha256 = $1")
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
    executor: &mut sqlx::AnyConnection,
    sha256: &str,
) -> Result<PhotoReferences, StoreError> {
    let households: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT h.village_id, h.helper_user_id FROM submission_photos sp \
         JOIN submissions s ON s.id = sp.submission_id \
         JOIN households h ON h.id = s.household_id \
         WHERE sp.sha256 = $1",
    )
    .bind(sha256)
    .fetch_all(&mut *executor)
    .await?;
    let points: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT t.village_id, t.id FROM submission_photos sp \
         JOIN submissions s ON s.id = sp.submission_id \
         JOIN teaching_points t ON t.id = s.teaching_point_id \
         WHERE sp.sha256 = $1",
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
