//! Photos' metadata, addressed by their SHA-256 (lowercase hex). Uploads are idempotent: the same bytes twice are one
//! row. `photo_uploads` keeps every account that sent a photo's bytes (an uploader may link and download it), which
//! the per-account quota adds up; photos that no submission links are removed after a grace period.
//!
//! Since migration 0009 the bytes live in the blob store (`crate::blobs`, `stored_in = 'blobs'`, `bytes` empty).
//! Rows from before it keep theirs in `bytes` (`stored_in = 'database'`) until `admin migrate-photos` moves them;
//! both kinds are served. `photo_blob_deletions` queues the bytes of removed photos for `blobs::sweep_deletions`.

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{StoreError, format_instant, parse_uuid};

/// A photo whose bytes are in the blob store; the caller has checked that `sha256` is their digest.
#[derive(Debug, Clone)]
pub struct NewPhoto<'a> {
    pub sha256: &'a str,
    pub size: u64,
    /// The first bytes (at most [`HEAD_BYTES`]), enough to tell the format without fetching the photo.
    pub head: &'a [u8],
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

/// How many of a photo's first bytes the database keeps (`photos.head`).
pub const HEAD_BYTES: usize = 16;

/// Inserts the photo unless the hash is already stored; returns whether it inserted.
pub async fn insert_if_absent(
    executor: impl AnyExecutor<'_>,
    photo: &NewPhoto<'_>,
) -> Result<bool, StoreError> {
    let size = i64::try_from(photo.size).unwrap_or(i64::MAX);
    let head = &photo.head[..photo.head.len().min(HEAD_BYTES)];
    let result = sqlx::query(
        "INSERT INTO photos (sha256, bytes, size, content_type, uploaded_by, created_at, head, stored_in) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'blobs') ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(photo.sha256)
    .bind(Vec::<u8>::new())
    .bind(size)
    .bind(photo.content_type)
    .bind(photo.uploaded_by.to_string())
    .bind(format_instant(photo.created_at))
    .bind(head)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

pub async fn info(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<Option<PhotoInfo>, StoreError> {
    // Migration 0009 filled `head` for every older row; it is written with every new one.
    let row: Option<(i64, String, String, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT size, content_type, uploaded_by, head FROM photos WHERE sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(executor)
    .await?;
    row.map(|(size, content_type, uploaded_by, head)| {
        Ok(PhotoInfo {
            size,
            content_type,
            uploaded_by: parse_uuid("photos.uploaded_by", &uploaded_by)?,
            head: head.unwrap_or_default(),
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

/// Deletes the photos that no submission links and that nobody uploaded since `cutoff`, with their upload rows, and
/// queues the bytes of those in the blob store for [`crate::blobs::sweep_deletions`]; returns how many photos it
/// deleted. Starts with a write, so in a transaction it holds the write lock throughout and no submission can link
/// one of them in between.
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
                             WHERE u.sha256 = p.sha256 AND u.uploaded_at >= $1))",
    )
    .bind(&cutoff)
    .execute(&mut *executor)
    .await?;
    // What is left without any upload row is exactly the set above (a photo uploaded since the cutoff keeps its
    // rows), plus rows from before uploads were recorded, which the date condition covers.
    const UNREFERENCED: &str = "created_at < $1 \
           AND NOT EXISTS (SELECT 1 FROM submission_photos sp WHERE sp.sha256 = photos.sha256) \
           AND NOT EXISTS (SELECT 1 FROM photo_uploads u WHERE u.sha256 = photos.sha256)";
    sqlx::query(&format!(
        "INSERT INTO photo_blob_deletions (sha256, queued_at) \
         SELECT sha256, $1 FROM photos WHERE stored_in = 'blobs' AND {UNREFERENCED} \
         ON CONFLICT (sha256) DO NOTHING"
    ))
    .bind(&cutoff)
    .execute(&mut *executor)
    .await?;
    let deleted = sqlx::query(&format!("DELETE FROM photos WHERE {UNREFERENCED}"))
        .bind(&cutoff)
        .execute(&mut *executor)
        .await?;
    Ok(deleted.rows_affected())
}

/// Where a stored photo's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredBytes {
    /// In the blob store, under the photo's hash.
    Blobs,
    /// Still in the database (a row from before migration 0009 that `admin migrate-photos` has not moved yet).
    Database(Vec<u8>),
}

/// Where the photo's bytes are; `None` when the photo is not stored.
pub async fn stored(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<Option<StoredBytes>, StoreError> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT stored_in, bytes FROM photos WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(stored_in, bytes)| {
        if stored_in == "database" {
            StoredBytes::Database(bytes)
        } else {
            StoredBytes::Blobs
        }
    }))
}

/// Whether a photo row exists for the hash.
pub async fn exists(executor: impl AnyExecutor<'_>, sha256: &str) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM photos WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(executor)
        .await?;
    Ok(found.is_some())
}

/// Up to `limit` photos whose bytes are still in the database, with hashes after `after`, in hash order.
pub async fn in_database_after(
    executor: impl AnyExecutor<'_>,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT sha256, bytes FROM photos WHERE stored_in = 'database' AND sha256 > $1 \
         ORDER BY sha256 LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(executor)
    .await?)
}

/// How many photos keep their bytes in the database.
pub async fn count_in_database(executor: impl AnyExecutor<'_>) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE stored_in = 'database'")
            .fetch_one(executor)
            .await?,
    )
}

/// Records that the photo's bytes are now in the blob store and empties its `bytes`; false when the row is gone or
/// was moved already.
pub async fn mark_in_blobs(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE photos SET stored_in = 'blobs', bytes = $1 WHERE sha256 = $2 AND stored_in = 'database'",
    )
    .bind(Vec::<u8>::new())
    .bind(sha256)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// Queues the hash's bytes for removal from the blob store (the sweep keeps them if a photo row has them by then).
pub async fn queue_blob_deletion(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO photo_blob_deletions (sha256, queued_at) VALUES ($1, $2) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(format_instant(at))
    .execute(executor)
    .await?;
    Ok(())
}

/// Up to `limit` queued blob deletions, oldest first.
pub async fn queued_blob_deletions(
    executor: impl AnyExecutor<'_>,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT sha256 FROM photo_blob_deletions ORDER BY queued_at, sha256 LIMIT $1",
    )
    .bind(limit)
    .fetch_all(executor)
    .await?)
}

pub async fn dequeue_blob_deletion(
    executor: impl AnyExecutor<'_>,
    sha256: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM photo_blob_deletions WHERE sha256 = $1")
        .bind(sha256)
        .execute(executor)
        .await?;
    Ok(())
}

/// The hashes among `sha256s` that are not stored, in the order given, without repeats.
pub async fn missing(
    executor: &mut sqlx::AnyConnection,
    sha256s: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut present: Vec<String> = Vec::new();
    for chunk in sha256s.chunks(HASHES_PER_STATEMENT) {
        let sql = format!(
            "SELECT sha256 FROM photos WHERE sha256 IN ({})",
            super::history::placeholders(chunk.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for sha256 in chunk {
            query = query.bind(sha256);
        }
        present.extend(query.fetch_all(&mut *executor).await?);
    }
    let mut missing: Vec<String> = Vec::new();
    for sha256 in sha256s {
        if !present.contains(sha256) && !missing.contains(sha256) {
            missing.push(sha256.clone());
        }
    }
    Ok(missing)
}

/// How many hashes one statement binds: one statement for any photo count a submission has in practice, well under
/// either engine's limit on bound values.
pub(super) const HASHES_PER_STATEMENT: usize = 500;

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
