//! Removing the demo village (`admin remove-demo`): everything in it, when only demo accounts ever worked there.

use sqlx::AnyPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{StoreError, format_instant};

/// What [`delete_demo_village`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VillageRemoval {
    /// The village, its teaching points, households, submissions, photos only demo accounts uploaded, and the demo
    /// accounts themselves are gone.
    Deleted { households: u64, accounts: u64 },
    /// A real account belongs to the village, helps one of its households or submitted there: nothing was deleted.
    InUse,
    /// Something outside the village still refers to it or to a demo account (a foreign key): nothing was deleted.
    Referenced,
}

/// Statements that delete what lies in the village `$1` (each statement is given `$1` and `$2`, the time now, and
/// uses those it needs), children before parents. Households point at their
/// current plan version and plan versions at households, so those links are cut first.
const DELETIONS: [&str; 18] = [
    "DELETE FROM household_changes WHERE household_id IN (SELECT id FROM households WHERE village_id = $1)",
    "UPDATE households SET plan_submission_id = NULL, income_submission_id = NULL WHERE village_id = $1",
    "DELETE FROM submission_photos WHERE submission_id IN (SELECT id FROM submissions WHERE \
         household_id IN (SELECT id FROM households WHERE village_id = $1) \
         OR teaching_point_id IN (SELECT id FROM teaching_points WHERE village_id = $1))",
    "DELETE FROM review_decisions WHERE household_id IN (SELECT id FROM households WHERE village_id = $1)",
    "DELETE FROM plan_versions WHERE household_id IN (SELECT id FROM households WHERE village_id = $1)",
    "DELETE FROM income_sheets WHERE household_id IN (SELECT id FROM households WHERE village_id = $1)",
    "DELETE FROM visit_logs WHERE household_id IN (SELECT id FROM households WHERE village_id = $1)",
    "DELETE FROM attendance_confirmations WHERE teaching_point_id IN \
         (SELECT id FROM teaching_points WHERE village_id = $1)",
    "DELETE FROM attendance_sessions WHERE teaching_point_id IN \
         (SELECT id FROM teaching_points WHERE village_id = $1)",
    "DELETE FROM submissions WHERE household_id IN (SELECT id FROM households WHERE village_id = $1) \
         OR teaching_point_id IN (SELECT id FROM teaching_points WHERE village_id = $1)",
    "DELETE FROM photo_uploads WHERE user_id IN (SELECT id FROM users WHERE is_demo = 1)",
    // The bytes of the photos deleted next, for `blobs::sweep_deletions` (`$2`: now).
    "INSERT INTO photo_blob_deletions (sha256, queued_at) \
         SELECT sha256, $2 FROM photos WHERE stored_in = 'blobs' \
         AND uploaded_by IN (SELECT id FROM users WHERE is_demo = 1) \
         AND sha256 NOT IN (SELECT sha256 FROM submission_photos) \
         AND sha256 NOT IN (SELECT sha256 FROM photo_uploads) \
         ON CONFLICT (sha256) DO NOTHING",
    "DELETE FROM photos WHERE uploaded_by IN (SELECT id FROM users WHERE is_demo = 1) \
         AND sha256 NOT IN (SELECT sha256 FROM submission_photos) \
         AND sha256 NOT IN (SELECT sha256 FROM photo_uploads)",
    "DELETE FROM households WHERE village_id = $1",
    "DELETE FROM users WHERE is_demo = 1",
    "DELETE FROM teaching_points WHERE village_id = $1",
    "DELETE FROM villages WHERE id = $1",
    // The demo's made-up standards and monitoring lines.
    "DELETE FROM policy_lines WHERE is_demo = 1 AND $1 IS NOT NULL",
];

/// Deletes the demo village `village_id` and every demo account, in one transaction, unless a real (not demo)
/// account has something to do with the village, or anything else refers to what would be deleted.
pub async fn delete_demo_village(
    pool: &AnyPool,
    village_id: Uuid,
    now: OffsetDateTime,
) -> Result<VillageRemoval, StoreError> {
    let village_id = village_id.to_string();
    let now = format_instant(now);
    let mut transaction = pool.begin().await?;
    // A write first, so the transaction holds the write lock before it reads (see ARCHITECTURE.md).
    sqlx::query("UPDATE villages SET name = name WHERE id = $1")
        .bind(&village_id)
        .execute(&mut *transaction)
        .await?;
    let real_involvement: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM users WHERE village_id = $1 AND is_demo = 0) \
              + (SELECT COUNT(*) FROM households h JOIN users u ON u.id = h.helper_user_id \
                 WHERE h.village_id = $1 AND u.is_demo = 0) \
              + (SELECT COUNT(*) FROM submissions s JOIN users u ON u.id = s.user_id WHERE u.is_demo = 0 \
                 AND (s.household_id IN (SELECT id FROM households WHERE village_id = $1) \
                      OR s.teaching_point_id IN (SELECT id FROM teaching_points WHERE village_id = $1))) \
              + (SELECT COUNT(*) FROM plan_versions p JOIN users u ON u.id = p.reviewer_user_id \
                 WHERE u.is_demo = 0 AND p.household_id IN (SELECT id FROM households WHERE village_id = $1))",
    )
    .bind(&village_id)
    .fetch_one(&mut *transaction)
    .await?;
    if real_involvement > 0 {
        return Ok(VillageRemoval::InUse);
    }
    let mut households = 0;
    let mut accounts = 0;
    for (index, statement) in DELETIONS.iter().enumerate() {
        match sqlx::query(statement)
            .bind(&village_id)
            .bind(&now)
            .execute(&mut *transaction)
            .await
        {
            Ok(result) if statement.starts_with("DELETE FROM households") => {
                households = result.rows_affected();
            }
            Ok(result) if statement.starts_with("DELETE FROM users") => {
                accounts = result.rows_affected();
            }
            Ok(_) => {}
            Err(error) if is_foreign_key_violation(&error) => {
                tracing::info!(statement = index, %error, "the demo village is still referred to");
                return Ok(VillageRemoval::Referenced);
            }
            Err(error) => return Err(error.into()),
        }
    }
    transaction.commit().await?;
    Ok(VillageRemoval::Deleted {
        households,
        accounts,
    })
}

/// Deletes one account; `false` when something still refers to it (it helps a household, submitted, uploaded).
pub async fn delete_account_if_unreferenced(
    pool: &AnyPool,
    user_id: Uuid,
) -> Result<bool, StoreError> {
    match sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id.to_string())
        .execute(pool)
        .await
    {
        Ok(result) => Ok(result.rows_affected() > 0),
        Err(error) if is_foreign_key_violation(&error) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|error| error.is_foreign_key_violation())
}
