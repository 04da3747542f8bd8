//! `GET /api/assignments`: the caller's households as domain records with their version, 红黄绿 colour and last
//! visit, plus the policy tables and risk rules the phone needs to work offline.

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use zoufang_domain::policy::PolicyError;
use zoufang_domain::protocol::{AssignedHousehold, AssignmentsResponse, PolicyDocument, Role};
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::AppError;
use crate::store::{format_instant, households};

/// Who may download assignments, said to everyone else.
pub const ASSIGNMENTS_FORBIDDEN: &str = "只有帮扶责任人和驻村第一书记可以下载走访户。";

/// The policy tables in force. For now the built-in ones; a later issue lets an admin replace them.
static POLICY: LazyLock<Result<PolicyDocument, PolicyError>> =
    LazyLock::new(PolicyDocument::builtin);

/// 200 with the caller's households; 403 `forbidden` for village cadres and admins; 401 without a valid token.
pub async fn assignments(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<AssignmentsResponse>, AppError> {
    let stored = match auth.role {
        Role::Helper => households::list_for_helper(&state.pool, auth.user_id).await?,
        Role::FirstSecretary => match auth.village_id {
            Some(village_id) => households::list_for_village(&state.pool, village_id).await?,
            // A first secretary not yet posted to a village has no households.
            None => Vec::new(),
        },
        Role::VillageCadre | Role::Admin => return Err(AppError::Forbidden(ASSIGNMENTS_FORBIDDEN)),
    };
    let policy = POLICY
        .as_ref()
        .map_err(|error| AppError::Internal(format!("built-in policy tables: {error}")))?
        .clone();
    let now = OffsetDateTime::now_utc();
    let today = china_date(now);
    let risk_rules = RiskRuleSet::default();
    let households = stored
        .into_iter()
        .map(|stored| {
            // Plans and income sheets reach the server in later issues; until then the rules see the record only.
            let risk = assess_risk(
                &RiskInputs {
                    household: &stored.record,
                    plan: None,
                    income: None,
                    previous_per_capita: None,
                    today,
                },
                &risk_rules,
            );
            AssignedHousehold {
                household: stored.record,
                version: stored.version,
                risk,
                last_visit_on: stored.last_visit_on,
                plan: None,
                review: None,
            }
        })
        .collect();
    tracing::debug!(user_id = %auth.user_id, role = auth.role.code(), "assignments sent");
    Ok(Json(AssignmentsResponse {
        households,
        policy,
        risk_rules,
        as_of: today,
        generated_at: format_instant(now),
    }))
}
