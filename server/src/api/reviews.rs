//! `POST /api/reviews`: the first secretary approves or returns (with comments) a household's current plan
//! version. The decision reaches the helper's phone through `GET /api/changes`.

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::{PlanReview, ReviewDecision, ReviewRequest, ReviewStatus, Role};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiJson, AppError};
use crate::store::StoreError;
use crate::store::changes::{self, ChangeKind};
use crate::store::history::{self, NewReviewDecision};
use crate::store::plans::{self, Decision};

/// Who may review plans, said to everyone else.
pub const REVIEW_FORBIDDEN: &str = "只有本村驻村第一书记可以审核帮扶计划。";

/// 200 with the review as recorded. A decision carries its own UUID when the phone queued it: sending it again
/// answers the review as it stands and records nothing (409 `id_reused` when the id came with another decision).
/// Repeating the decision already recorded (same status and comments) changes nothing and answers the same.
/// 403 `forbidden` unless the caller is the first secretary of the household's village; 403 `own_plan_review` for
/// a plan the caller submitted; 404 `plan_version_not_found`; 409 `superseded` when a newer version was submitted;
/// 422 `comments_required` for a return without comments. Every decision is kept in `review_decisions` (approvals
/// with their comments too) and reaches the helper through `GET /api/changes`.
pub async fn review(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> Result<Json<PlanReview>, AppError> {
    if auth.role != Role::FirstSecretary {
        return Err(AppError::Forbidden(REVIEW_FORBIDDEN));
    }
    let comments = request.comments.trim();
    let status = match request.decision {
        ReviewDecision::Approve => ReviewStatus::Approved,
        ReviewDecision::Return if comments.is_empty() => return Err(AppError::CommentsRequired),
        ReviewDecision::Return => ReviewStatus::Returned,
    };
    let version = plans::find(&state.pool, request.submission_id)
        .await?
        .ok_or(AppError::PlanVersionNotFound)?;
    if auth.village_id != Some(version.village_id) {
        return Err(AppError::Forbidden(REVIEW_FORBIDDEN));
    }
    if version.submitted_by == auth.user_id {
        return Err(AppError::OwnPlanReview);
    }
    let decision_id = request.id.unwrap_or_else(Uuid::new_v4);
    let now = OffsetDateTime::now_utc();
    let mut writer = state.writer.acquire().await?;
    let mut transaction = writer.begin().await?;
    // The decision's row is the first statement: it takes the write lock and picks one winner among repeats of
    // the same id, as a submission's claim does.
    let claimed = history::insert_decision(
        &mut transaction,
        &NewReviewDecision {
            id: decision_id,
            submission_id: request.submission_id,
            household_id: version.household_id,
            user_id: auth.user_id,
            decision: request.decision,
            comments,
            decided_at: now,
        },
    )
    .await?;
    if !claimed {
        transaction.rollback().await.map_err(StoreError::from)?;
        let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
        let stored = history::find_decision(&mut connection, decision_id).await?;
        let repeat = stored.is_some_and(|stored| {
            stored.submission_id == request.submission_id
                && stored.user_id == auth.user_id
                && stored.decision == request.decision
                && stored.comments == comments
        });
        return if repeat {
            Ok(Json(version.review))
        } else {
            Err(AppError::IdReused)
        };
    }
    if version.review.status == status && version.review.comments == comments {
        // The same decision is already recorded (another phone, an older app's retry): nothing changes.
        transaction.rollback().await.map_err(StoreError::from)?;
        return Ok(Json(version.review));
    }
    // The update checks "current" in the same statement, so a plan submitted meanwhile cannot be decided on.
    let decided = plans::decide(
        &mut *transaction,
        &Decision {
            submission_id: request.submission_id,
            status,
            comments,
            reviewer_user_id: auth.user_id,
            reviewed_at: now,
        },
    )
    .await?;
    if !decided {
        transaction.rollback().await.map_err(StoreError::from)?;
        return Err(AppError::Superseded);
    }
    changes::append(
        &mut transaction,
        version.household_id,
        ChangeKind::Review,
        now,
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    tracing::info!(
        submission_id = %request.submission_id,
        status = plans::status_code(status),
        reviewer = %auth.user_id,
        "plan reviewed"
    );
    let recorded = plans::find(&state.pool, request.submission_id)
        .await?
        .ok_or(AppError::PlanVersionNotFound)?;
    Ok(Json(recorded.review))
}
