//! Plan versions (一户一策) and the first secretary's review of each. The household's current version is the one
//! `households.plan_submission_id` points at; only that one may be reviewed.

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::Plan;
use zoufang_domain::protocol::{PlanReview, ReviewStatus};

use super::{StoreError, format_instant, parse_uuid};

/// A plan version carried by an accepted submission; it starts `pending`.
#[derive(Debug, Clone)]
pub struct NewPlanVersion<'a> {
    pub submission_id: Uuid,
    pub household_id: Uuid,
    pub plan: &'a Plan,
    pub created_at: OffsetDateTime,
}

pub async fn insert(
    executor: impl AnyExecutor<'_>,
    version: &NewPlanVersion<'_>,
) -> Result<(), StoreError> {
    let plan = serde_json::to_string(version.plan).map_err(|source| StoreError::Encode {
        what: "plan_versions.plan",
        source,
    })?;
    sqlx::query(
        "INSERT INTO plan_versions \
         (submission_id, plan_id, household_id, plan, status, comments, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', '', $5)",
    )
    .bind(version.submission_id.to_string())
    .bind(version.plan.id.0.to_string())
    .bind(version.household_id.to_string())
    .bind(plan)
    .bind(format_instant(version.created_at))
    .execute(executor)
    .await?;
    Ok(())
}

/// A plan version as the review endpoint needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlanVersion {
    pub household_id: Uuid,
    pub village_id: Uuid,
    /// Whether this is the household's current version (a newer submission supersedes it).
    pub is_current: bool,
    /// The account that submitted this plan version (it may not review it).
    pub submitted_by: Uuid,
    pub review: PlanReview,
}

#[derive(sqlx::FromRow)]
struct PlanVersionRow {
    submission_id: String,
    plan_id: String,
    household_id: String,
    village_id: String,
    current_submission_id: Option<String>,
    submitted_by: String,
    status: String,
    comments: String,
    reviewer_name: Option<String>,
    reviewed_at: Option<String>,
}

/// The plan version carried by `submission_id`, with its review; `None` when there is none.
pub async fn find(
    executor: impl AnyExecutor<'_>,
    submission_id: Uuid,
) -> Result<Option<StoredPlanVersion>, StoreError> {
    let row: Option<PlanVersionRow> = sqlx::query_as(
        "SELECT pv.submission_id, pv.plan_id, pv.household_id, h.village_id, \
                h.plan_submission_id AS current_submission_id, s.user_id AS submitted_by, pv.status, \
                pv.comments, r.name AS reviewer_name, pv.reviewed_at \
         FROM plan_versions pv \
         JOIN households h ON h.id = pv.household_id \
         JOIN submissions s ON s.id = pv.submission_id \
         LEFT JOIN users r ON r.id = pv.reviewer_user_id \
         WHERE pv.submission_id = $1",
    )
    .bind(submission_id.to_string())
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let household_id = parse_uuid("plan_versions.household_id", &row.household_id)?;
    Ok(Some(StoredPlanVersion {
        household_id,
        village_id: parse_uuid("households.village_id", &row.village_id)?,
        is_current: row.current_submission_id.as_deref() == Some(row.submission_id.as_str()),
        submitted_by: parse_uuid("submissions.user_id", &row.submitted_by)?,
        review: PlanReview {
            plan_id: zoufang_domain::model::PlanId(parse_uuid(
                "plan_versions.plan_id",
                &row.plan_id,
            )?),
            household_id: zoufang_domain::model::HouseholdId(household_id),
            submission_id: parse_uuid("plan_versions.submission_id", &row.submission_id)?,
            status: parse_status(&row.status)?,
            comments: row.comments,
            reviewer_name: row.reviewer_name,
            reviewed_at: row.reviewed_at,
        },
    }))
}

/// A first secretary's decision on a plan version.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub submission_id: Uuid,
    pub status: ReviewStatus,
    pub comments: &'a str,
    pub reviewer_user_id: Uuid,
    pub reviewed_at: OffsetDateTime,
}

/// Records a decision, but only on the household's current version (checked in the same statement, so a plan
/// submitted meanwhile cannot be approved by mistake). Returns false when the version is not current.
pub async fn decide(
    executor: impl AnyExecutor<'_>,
    decision: &Decision<'_>,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE plan_versions SET status = $1, comments = $2, reviewer_user_id = $3, reviewed_at = $4 \
         WHERE submission_id = $5 AND submission_id IN \
           (SELECT h.plan_submission_id FROM households h WHERE h.id = plan_versions.household_id)",
    )
    .bind(status_code(decision.status))
    .bind(decision.comments)
    .bind(decision.reviewer_user_id.to_string())
    .bind(format_instant(decision.reviewed_at))
    .bind(decision.submission_id.to_string())
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// The stable code of a review status, as stored and sent.
pub fn status_code(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::Pending => "pending",
        ReviewStatus::Approved => "approved",
        ReviewStatus::Returned => "returned",
    }
}

pub(crate) fn parse_status(code: &str) -> Result<ReviewStatus, StoreError> {
    match code {
        "pending" => Ok(ReviewStatus::Pending),
        "approved" => Ok(ReviewStatus::Approved),
        "returned" => Ok(ReviewStatus::Returned),
        other => Err(StoreError::Corrupt {
            column: "plan_versions.status",
            value: other.to_owned(),
        }),
    }
}
