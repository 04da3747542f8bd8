//! `GET /api/assignments`: the caller's households as domain records with their version, 红黄绿 colour, last
//! visit, current plan version and its review, plus the policy tables and risk rules the phone needs to work
//! offline. [`assigned_household`] builds the same entry for `GET /api/changes` and for 409 conflicts.

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use time::{Date, OffsetDateTime};
use zoufang_domain::income::compute_income;
use zoufang_domain::policy::PolicyError;
use zoufang_domain::protocol::{AssignedHousehold, AssignmentsResponse, PolicyDocument, Role};
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::AppError;
use crate::store::households::{HouseholdScope, StoredHousehold};
use crate::store::{format_instant, households};

/// Who may download assignments, said to everyone else.
pub const ASSIGNMENTS_FORBIDDEN: &str = "只有帮扶责任人和驻村第一书记可以下载走访户。";

/// The policy tables in force. For now the built-in ones; a later issue lets an admin replace them.
static POLICY: LazyLock<Result<PolicyDocument, PolicyError>> =
    LazyLock::new(PolicyDocument::builtin);

/// The policy document in force.
pub(crate) fn policy() -> Result<&'static PolicyDocument, AppError> {
    POLICY
        .as_ref()
        .map_err(|error| AppError::Internal(format!("built-in policy tables: {error}")))
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

/// Whether `viewer` receives households' full 银行卡号. Only the helper (帮扶责任人) does: they do the household's
/// income accounting, whose transfer income is paid into that account, and check it against the passbook at the
/// visit. A first secretary reviews plans and receives the number masked (`6217 **** **** 1234`); cadres and
/// admins receive no households at all.
pub(crate) fn sees_bank_account_number(viewer: Role) -> bool {
    viewer == Role::Helper
}

/// One household as `viewer`'s phone receives it, with the colour on `today`. The rules see the current plan and
/// the latest income sheet when the server has them. The 银行卡号 is masked unless
/// [`sees_bank_account_number`].
pub(crate) fn assigned_household(
    mut stored: StoredHousehold,
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
    if !sees_bank_account_number(viewer)
        && let Some(account) = stored.record.bank_account.as_mut()
    {
        account.account_number.0 = account.account_number.masked_account_number();
    }
    AssignedHousehold {
        household: stored.record,
        version: stored.version,
        risk,
        last_visit_on: stored.last_visit_on,
        plan: stored.plan,
        review: stored.review,
    }
}

/// 200 with the caller's households; 403 `forbidden` for village cadres and admins; 401 without a valid token.
pub async fn assignments(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<AssignmentsResponse>, AppError> {
    let stored = match listing_scope(&auth)? {
        Some(scope) => households::list(&state.pool, scope, None).await?,
        None => Vec::new(),
    };
    let policy = policy()?;
    let now = OffsetDateTime::now_utc();
    let today = china_date(now);
    let risk_rules = RiskRuleSet::default();
    let households = stored
        .into_iter()
        .map(|stored| assigned_household(stored, auth.role, today, policy, &risk_rules))
        .collect();
    tracing::debug!(user_id = %auth.user_id, role = auth.role.code(), "assignments sent");
    Ok(Json(AssignmentsResponse {
        households,
        policy: policy.clone(),
        risk_rules,
        as_of: today,
        generated_at: format_instant(now),
    }))
}
