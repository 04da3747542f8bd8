//! `PUT /api/night-school/points/{id}/households`: the village's first secretary divides the village between its
//! teaching points. A household assigned to a point is on that point's roster only; one assigned nowhere stays on
//! every point's roster of its village, so no household drops off all of them.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::{Role, RosterAssignmentRequest, TeachingPointSheet};

use crate::AppState;
use crate::api::night_school::point_sheet;
use crate::auth::AuthUser;
use crate::error::{ApiJson, AppError};
use crate::store::StoreError;
use crate::store::households;
use crate::store::night_school as store;

/// Who may divide a village between teaching points, said to everyone else.
pub const ASSIGN_FORBIDDEN: &str = "只有本村驻村第一书记可以把农户分到教学点。";

/// 200 with the point's sheet (its new roster); 403 unless the first secretary of the point's village; 404
/// `teaching_point_not_found`; 422 `household_not_in_village` for a household of another village or none.
pub async fn assign(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
    ApiJson(request): ApiJson<RosterAssignmentRequest>,
) -> Result<Json<TeachingPointSheet>, AppError> {
    let Path(point_id) = path.map_err(|_| AppError::TeachingPointNotFound)?;
    if auth.role != Role::FirstSecretary {
        return Err(AppError::Forbidden(ASSIGN_FORBIDDEN));
    }
    let point = store::teaching_point(&state.pool, point_id)
        .await?
        .ok_or(AppError::TeachingPointNotFound)?;
    if auth.village_id != Some(point.village_id) {
        return Err(AppError::Forbidden(ASSIGN_FORBIDDEN));
    }
    let mut listed: Vec<Uuid> = request.household_ids.iter().map(|id| id.0).collect();
    listed.sort();
    listed.dedup();
    let known = households::villages_of(&state.pool, &listed).await?;
    let outside: Vec<String> = listed
        .iter()
        .filter(|id| {
            !known
                .iter()
                .any(|(known_id, village)| known_id == *id && *village == point.village_id)
        })
        .map(Uuid::to_string)
        .collect();
    if !outside.is_empty() {
        return Err(AppError::HouseholdsOutsideVillage(outside));
    }
    let mut writer = state.writer.acquire().await?;
    let mut transaction = writer.begin().await?;
    store::replace_assignment(
        &mut transaction,
        point_id,
        &listed,
        OffsetDateTime::now_utc(),
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    tracing::info!(%point_id, households = listed.len(), user_id = %auth.user_id, "teaching point roster assigned");
    Ok(Json(point_sheet(&state, point).await?))
}
