//! `POST /api/reviews`: the first secretary approves or returns (with comments) a household's current plan
//! version. The decision reaches the helper's phone through `GET /api/changes`.

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use zoufang_domain::protocol::{PlanReview, ReviewDecision, ReviewRequest, ReviewStatus, Role};

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiJson, AppError};
use crate::store::StoreError;
use crate::store::changes::{self, ChangeKind};
use crate::store::plans::{self, Decision};

/// Who may review plans, said to everyone else.
pub const REVIEW_FORBIDDEN: &str = "只有本村驻村第一书记可以审核帮扶计划。";

/// 200 with the review as recorded. Repeating the decision already recorded (same status and comments) changes
/// nothing and answers the same. 403 `forbidden` unless the caller is the first secretary of the household's
/// village; 404 `plan_version_not_found`; 409 `superseded` when a newer version was submitted; 422
/// `comments_required` for a return without comments.
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
    if version.review.status == status && version.review.comments == comments {
        return Ok(Json(version.review));
    }
    if !version.is_current {
        return Err(AppError::Superseded);
    }
    let now = OffsetDateTime::now_utc();
    let mut transaction = state.pool.begin().await.map_err(StoreError::from)?;
    // The update is the first statement: it takes the write lock and checks "current" in the same step.
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
        &mut *transaction,
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
