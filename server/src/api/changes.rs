//! `GET /api/changes?since=<cursor>`: the caller's households changed since the cursor (all of them without one),
//! each with its current plan version and review, and the cursor to send next time. This is how a first
//! secretary's "return with comments" reaches the helper's phone.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use time::OffsetDateTime;
use zoufang_domain::protocol::ChangesResponse;
use zoufang_domain::risk::RiskRuleSet;

use crate::AppState;
use crate::api::assignments::{listing_scope, policy, with_history};
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::AppError;
use crate::store::households::{self, ChangeWindow};
use crate::store::{StoreError, changes};

#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    since: Option<String>,
}

/// The cursor is the change-log position as decimal digits; anything else is refused.
fn parse_cursor(text: &str) -> Result<i64, AppError> {
    if text.is_empty() || text.len() > 18 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(AppError::InvalidCursor);
    }
    text.parse().map_err(|_| AppError::InvalidCursor)
}

/// 200 with the changed households and the new cursor; 400 `invalid_cursor`; 403 for cadres and admins.
pub async fn changes(
    State(state): State<AppState>,
    auth: AuthUser,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangesResponse>, AppError> {
    let Query(query) = query.map_err(|rejection| AppError::InvalidQuery(rejection.body_text()))?;
    let since = query.since.as_deref().map(parse_cursor).transpose()?;
    let scope = listing_scope(&auth)?;
    // One read transaction: the cursor and the listing come from the same snapshot, so a change committed after
    // the cursor was read is reported next time rather than never.
    let mut transaction = state.pool.begin().await.map_err(StoreError::from)?;
    let latest = changes::latest(&mut transaction).await?;
    let stored = match scope {
        Some(scope) => {
            let window = since.map(|after| ChangeWindow {
                after,
                up_to: latest,
            });
            households::list(&mut *transaction, scope, window).await?
        }
        None => Vec::new(),
    };
    let follow_ups = crate::api::night_school::follow_ups_for(&state, &stored).await?;
    let policy = policy(&mut *transaction).await?;
    let today = china_date(OffsetDateTime::now_utc());
    let risk_rules = RiskRuleSet::default();
    let mut households = with_history(
        &mut transaction,
        stored,
        auth.role,
        today,
        &policy,
        &risk_rules,
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    // As in the full download: a household's night-school follow-up travels with it, or a changed household
    // would lose the follow-up the phone was shown.
    for assigned in &mut households {
        assigned.night_school_follow_up = follow_ups.get(&assigned.household.id).copied();
    }
    Ok(Json(ChangesResponse {
        households,
        cursor: latest.to_string(),
    }))
}
