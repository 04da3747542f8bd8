//! `GET /api/assignments`: the caller's households as domain records with their version, 红黄绿 colour and reasons,
//! last visit, current plan version and its review, income sheets by year, latest visits with their photos'
//! metadata and review decisions, plus the policy tables and risk rules the phone needs to work
//! offline. [`assigned_household`] builds the same entry for `GET /api/changes` and for 409 conflicts.

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use sqlx::SqliteConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::income::compute_income;
use zoufang_domain::policy::PolicyError;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, DEFAULT_OVERDUE_AFTER_DAYS, PolicyDocument, Role,
};
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::AppError;
use crate::store::history::{self, HouseholdHistory};
use crate::store::households::{HouseholdScope, StoredHousehold};
use crate::store::{StoreError, format_instant, households, policy_lines, villages};

/// Who may download assignments, said to everyone else.
pub const ASSIGNMENTS_FORBIDDEN: &str = "只有帮扶责任人和驻村第一书记可以下载走访户。";

/// The policy tables shipped with this build.
static BUILTIN_POLICY: LazyLock<Result<PolicyDocument, PolicyError>> =
    LazyLock::new(PolicyDocument::builtin);

/// The policy document in force: the built-in tables with the standards and monitoring lines an administrator
/// configured (`admin add-policy-line`) laid over them. Validation, risk and the phones all use this one.
pub(crate) async fn policy(
    executor: impl sqlx::SqliteExecutor<'_>,
) -> Result<PolicyDocument, AppError> {
    let builtin = BUILTIN_POLICY
        .as_ref()
        .map_err(|error| AppError::Internal(format!("built-in policy tables: {error}")))?;
    let lines = policy_lines::in_force(executor).await?;
    builtin
        .with_lines(&lines)
        .map_err(|error| AppError::Internal(format!("configured policy lines: {error}")))
}

/// The households a caller sees: a helper those they help, a first secretary their village (none before they are
/// posted to one); cadres and admins are refused.
pub(crate) fn listing_scope(auth: &AuthUser) -> Result<Option<HouseholdScope>, AppError> {
    match auth.role {
        Role::Helper => Ok(Some(HouseholdScope::Helper(auth.user_id))),
        Role::FirstSecretary => Ok(auth.village_id.map(HouseholdScope::Village)),
        Role::VillageCadre | Role::Admin => Err(AppError::Forbidden(ASSIGNMENTS_FORBIDDEN)),
    }
}

/// One household as the phone receives it, with the colour on `today`. The rules see the current plan and the
/// latest income sheet when the server has them.
pub(crate) fn assigned_household(
    stored: StoredHousehold,
    history: HouseholdHistory,
    today: Date,
    policy: &PolicyDocument,
    risk_rules: &RiskRuleSet,
) -> AssignedHousehold {
    let income = stored
        .income
        .as_ref()
        .and_then(|sheet| compute_income(sheet, &stored.record, policy.tables()).ok());
    let risk = assess_risk(
        &RiskInputs {
            household: &stored.record,
            plan: stored.plan.as_ref(),
            income: income.as_ref(),
            previous_per_capita: None,
            today,
        },
        risk_rules,
    );
    AssignedHousehold {
        household: stored.record,
        version: stored.version,
        risk,
        last_visit_on: stored.last_visit_on,
        plan: stored.plan,
        review: stored.review,
        income_sheets: history.income_sheets,
        visits: history.visits,
        review_history: history.reviews,
        night_school_follow_up: None,
    }
}

/// The households as the phone receives them, each with its history (read in a few queries for all of them).
pub(crate) async fn with_history(
    connection: &mut SqliteConnection,
    stored: Vec<StoredHousehold>,
    today: Date,
    policy: &PolicyDocument,
    risk_rules: &RiskRuleSet,
) -> Result<Vec<AssignedHousehold>, AppError> {
    let ids: Vec<Uuid> = stored
        .iter()
        .map(|household| household.record.id.0)
        .collect();
    let mut histories = history::load(connection, &ids).await?;
    Ok(stored
        .into_iter()
        .map(|household| {
            let history = histories.remove(&household.record.id.0).unwrap_or_default();
            assigned_household(household, history, today, policy, risk_rules)
        })
        .collect())
}

/// 200 with the caller's households; 403 `forbidden` for village cadres and admins; 401 without a valid token.
pub async fn assignments(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<AssignmentsResponse>, AppError> {
    let scope = listing_scope(&auth)?;
    let policy = policy(&state.pool).await?;
    let now = OffsetDateTime::now_utc();
    let today = china_date(now);
    let risk_rules = RiskRuleSet::default();
    // One read transaction: the households and their histories come from the same snapshot.
    let mut transaction = state.pool.begin().await.map_err(StoreError::from)?;
    let stored = match scope {
        Some(scope) => households::list(&mut *transaction, scope, None).await?,
        None => Vec::new(),
    };
    let follow_ups = crate::api::night_school::follow_ups_for(&state, &stored).await?;
    let mut households =
        with_history(&mut transaction, stored, today, &policy, &risk_rules).await?;
    let overdue_after_days = match auth.village_id {
        Some(village_id) => villages::overdue_after_days(&mut *transaction, village_id).await?,
        None => None,
    }
    .unwrap_or(DEFAULT_OVERDUE_AFTER_DAYS);
    transaction.commit().await.map_err(StoreError::from)?;
    for assigned in &mut households {
        assigned.night_school_follow_up = follow_ups.get(&assigned.household.id).copied();
    }
    tracing::debug!(user_id = %auth.user_id, role = auth.role.code(), "assignments sent");
    Ok(Json(AssignmentsResponse {
        households,
        policy,
        risk_rules,
        as_of: today,
        generated_at: format_instant(now),
        overdue_after_days,
    }))
}
