//! `POST /api/households/{id}/helper`: the first secretary of a household's village makes a helper or first-secretary
//! account of that village the household's current helper (帮扶责任人). See [`crate::helper_change`].

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::UnitLevel;
use zoufang_domain::protocol::{AssignedHousehold, HelperChangeRequest, Role};
use zoufang_domain::risk::RiskRuleSet;

use crate::AppState;
use crate::api::assignments::{assigned_household, policy};
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::{ApiJson, AppError};
use crate::helper_change::{self, HelperChange, HelperChangeError, HelperChangeOutcome};
use crate::store::{StoreError, history, households};

/// Who may change a household's helper, said to everyone else.
pub const HELPER_CHANGE_FORBIDDEN: &str = "只有本村驻村第一书记或管理员可以更换帮扶责任人。";

/// 200 with the household's new server copy (version raised, the previous helper's row closed the day before). A
/// repeat of the change already made answers the same copy and writes nothing. 403 `forbidden` unless the caller is
/// the first secretary of the household's village; 404 `household_not_found`; 409 `household_busy`; 422
/// `helper_not_found` / `helper_role_not_allowed` / `helper_not_in_village` / `helper_change_before_start` /
/// `validation_failed`.
pub async fn change_helper(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
    ApiJson(request): ApiJson<HelperChangeRequest>,
) -> Result<Json<AssignedHousehold>, AppError> {
    if auth.role != Role::FirstSecretary {
        return Err(AppError::Forbidden(HELPER_CHANGE_FORBIDDEN));
    }
    // A path that is not a UUID names no household.
    let Path(household_id) = path.map_err(|_| AppError::HouseholdNotFound)?;
    let household = households::find(&state.pool, household_id)
        .await?
        .ok_or(AppError::HouseholdNotFound)?;
    if auth.village_id != Some(household.village_id) {
        return Err(AppError::Forbidden(HELPER_CHANGE_FORBIDDEN));
    }
    let policy = policy(&state.pool).await?;
    let now = OffsetDateTime::now_utc();
    let outcome = helper_change::change_helper(
        &state.pool,
        &HelperChange {
            household_id,
            helper_user_id: request.user_id.0,
            unit: &request.unit,
            position: &request.position,
            unit_level: request.unit_level.unwrap_or(UnitLevel::Other),
            on: request.started_on,
            now,
        },
        policy.tables(),
    )
    .await
    .map_err(|error| match error {
        HelperChangeError::HouseholdNotFound => AppError::HouseholdNotFound,
        HelperChangeError::AccountNotFound => AppError::HelperAccountNotFound,
        HelperChangeError::RoleNotAllowed(_) => AppError::HelperRoleNotAllowed,
        HelperChangeError::NotInVillage => AppError::HelperNotInVillage,
        HelperChangeError::AccountDisabled => AppError::HelperDisabled,
        HelperChangeError::BeforeStart { started } => AppError::HelperChangeBeforeStart {
            started: started.to_string(),
        },
        HelperChangeError::Invalid(findings) => AppError::ValidationFailed(findings),
        HelperChangeError::Model(error) => AppError::InvalidBody(error.to_string()),
        HelperChangeError::Busy => AppError::HouseholdBusy,
        HelperChangeError::Store(error) => AppError::Store(error),
    })?;
    if let HelperChangeOutcome::Changed(changed) = &outcome {
        tracing::info!(
            household_id = %household_id,
            helper_user_id = ?changed.helper_user_id,
            by = %auth.user_id,
            "helper changed"
        );
    }
    let household = outcome.household();
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    let history = history::load(&mut connection, &[household_id])
        .await?
        .remove(&household_id)
        .unwrap_or_default();
    Ok(Json(assigned_household(
        household,
        history,
        auth.role,
        china_date(now),
        &policy,
        &RiskRuleSet::default(),
    )))
}
