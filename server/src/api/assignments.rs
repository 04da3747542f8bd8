//! `GET /api/assignments`: the caller's households as domain records with their version, 红黄绿 colour and reasons,
//! last visit, current plan version and its review (with the submission as sent and the last approved version while
//! it awaits review), income sheets by year, the latest visit with its photos' metadata and the earlier ones in
//! brief, review decisions, plus the policy tables and risk rules the phone needs to work
//! offline. [`assigned_household`] builds the same entry for `GET /api/changes` and for 409 conflicts.

use std::sync::{Arc, LazyLock, Mutex};

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::income::compute_income;
use zoufang_domain::policy::PolicyError;
use zoufang_domain::policy::lines::ConfiguredLine;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, DEFAULT_OVERDUE_AFTER_DAYS, HouseholdHistoryResponse,
    PolicyDocument, Role, VISITS_IN_FULL, VisitSummary,
};
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};

use super::bank_account;
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
///
/// The lines are read every time (another process, `admin` or a second instance, may have changed them); the
/// document built from them is reused while they are the same lines, since building it parses and checks the whole
/// document again.
pub(crate) async fn policy(
    executor: impl sqlx::AnyExecutor<'_>,
) -> Result<Arc<PolicyDocument>, AppError> {
    policy_of(policy_lines::in_force(executor).await?)
}

/// [`policy`] from the lines in force, read by the caller.
pub(crate) fn policy_of(lines: Vec<ConfiguredLine>) -> Result<Arc<PolicyDocument>, AppError> {
    let cached = LAST_POLICY
        .lock()
        .ok()
        .and_then(|last| last.as_ref().and_then(|last| last.document_for(&lines)));
    if let Some(document) = cached {
        return Ok(document);
    }
    let builtin = BUILTIN_POLICY
        .as_ref()
        .map_err(|error| AppError::Internal(format!("built-in policy tables: {error}")))?;
    let document = Arc::new(
        builtin
            .with_lines(&lines)
            .map_err(|error| AppError::Internal(format!("configured policy lines: {error}")))?,
    );
    if let Ok(mut last) = LAST_POLICY.lock() {
        *last = Some(BuiltPolicy {
            lines,
            document: Arc::clone(&document),
        });
    }
    Ok(document)
}

/// The last policy document [`policy`] built, with the lines it was built from. It cannot go stale: other lines
/// do not match it and build a document of their own.
static LAST_POLICY: Mutex<Option<BuiltPolicy>> = Mutex::new(None);

struct BuiltPolicy {
    lines: Vec<ConfiguredLine>,
    document: Arc<PolicyDocument>,
}

impl BuiltPolicy {
    fn document_for(&self, lines: &[ConfiguredLine]) -> Option<Arc<PolicyDocument>> {
        (self.lines == lines).then(|| Arc::clone(&self.document))
    }
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

/// One household as `viewer`'s phone receives it, with the colour on `today`. The rules see the current plan and
/// the latest income sheet when the server has them. The 银行卡号 (of the record and of the submissions under
/// review) is masked unless [`bank_account::sees_bank_account_number`].
pub(crate) fn assigned_household(
    mut stored: StoredHousehold,
    mut history: HouseholdHistory,
    viewer: Role,
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
    if !bank_account::sees_bank_account_number(viewer) {
        bank_account::mask_bank_account_number(&mut stored.record);
        if let Some(basis) = history.review_basis.as_mut() {
            bank_account::mask_bank_account_number(&mut basis.submitted.household);
            if let Some(approved) = basis.approved.as_mut() {
                bank_account::mask_bank_account_number(&mut approved.household);
            }
        }
    }
    // The latest visits in full, the rest in brief: a full visit's photo hashes and ids do not compress.
    let mut visits = history.visits;
    let earlier_visits = visits
        .split_off(VISITS_IN_FULL.min(visits.len()))
        .iter()
        .map(VisitSummary::of)
        .collect();
    AssignedHousehold {
        household: stored.record,
        version: stored.version,
        risk,
        last_visit_on: stored.last_visit_on,
        plan: stored.plan,
        review: stored.review,
        income_sheets: history.income_sheets,
        visits,
        review_history: history.reviews,
        night_school_follow_up: None,
        earlier_visits,
        review_basis: history.review_basis.map(Box::new),
    }
}

/// The households as `viewer`'s phone receives them, each with its history (read in a few queries for all of them).
pub(crate) async fn with_history(
    connection: &mut AnyConnection,
    stored: Vec<StoredHousehold>,
    viewer: Role,
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
            assigned_household(household, history, viewer, today, policy, risk_rules)
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
    let mut households = with_history(
        &mut transaction,
        stored,
        auth.role,
        today,
        &policy,
        &risk_rules,
    )
    .await?;
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
        policy: PolicyDocument::clone(&policy),
        risk_rules,
        as_of: today,
        generated_at: format_instant(now),
        overdue_after_days,
    }))
}

/// Who may read a household's history, said to everyone else.
pub const HISTORY_FORBIDDEN: &str = "只有这一户的帮扶责任人和本村驻村第一书记可以查看走访历史。";

/// `GET /api/households/{id}/history`: 200 with the household's latest visits in full (photos' metadata included)
/// and its review decisions; 404 `household_not_found` for an unknown or malformed id; 403 `forbidden` for a
/// household the caller does not help or whose village they are not posted to.
pub async fn household_history(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<HouseholdHistoryResponse>, AppError> {
    let Path(id) = path.map_err(|_| AppError::HouseholdNotFound)?;
    let stored = households::find(&state.pool, id)
        .await?
        .ok_or(AppError::HouseholdNotFound)?;
    let allowed = match auth.role {
        Role::Helper => stored.helper_user_id == Some(auth.user_id),
        Role::FirstSecretary => auth.village_id == Some(stored.village_id),
        Role::VillageCadre | Role::Admin => false,
    };
    if !allowed {
        return Err(AppError::Forbidden(HISTORY_FORBIDDEN));
    }
    let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
    let history = history::load(&mut connection, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(Json(HouseholdHistoryResponse {
        household_id: stored.record.id,
        visits: history.visits,
        reviews: history.reviews,
    }))
}
