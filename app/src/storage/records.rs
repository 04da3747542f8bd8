//! Typed access to what the app keeps: the assigned households, the policy they need, drafts and the
//! outbox. Built on the [`Store`] trait only, so it runs the same on IndexedDB and in memory.

use super::schema::{DRAFTS_STORE, HOUSEHOLDS_STORE, OUTBOX_STORE};
use super::{Store, StoreError};
use crate::draft::HouseholdDraft;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;
use zoufang_domain::listing::listing_order;
use zoufang_domain::protocol::{AssignedHousehold, AssignmentsResponse, PolicyDocument};
use zoufang_domain::risk::RiskRuleSet;

/// Keys of the `meta` store written here.
mod keys {
    pub const POLICY: &str = "policy";
    pub const RISK_RULES: &str = "risk_rules";
    pub const ASSIGNMENTS_AS_OF: &str = "assignments_as_of";
}

/// What the phone knows about the caller's households, as last received.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignments {
    pub households: Vec<AssignedHousehold>,
    pub policy: Option<PolicyDocument>,
    pub risk_rules: Option<RiskRuleSet>,
    /// When the server built the list (RFC 3339), `None` before the first sync.
    pub received_at: Option<String>,
}

/// Keeps a fresh list from the server, replacing the old list in one go.
pub async fn save_assignments(
    store: &impl Store,
    response: &AssignmentsResponse,
) -> Result<(), StoreError> {
    let entries: Vec<(String, AssignedHousehold)> = response
        .households
        .iter()
        .map(|assigned| (assigned.household.id.to_string(), assigned.clone()))
        .collect();
    store.replace_all(HOUSEHOLDS_STORE, &entries).await?;
    store.put_meta(keys::POLICY, &response.policy).await?;
    store
        .put_meta(keys::RISK_RULES, &response.risk_rules)
        .await?;
    store
        .put_meta(keys::ASSIGNMENTS_AS_OF, &response.generated_at)
        .await
}

/// The households on the phone, in the server's order (组, then 户编号).
pub async fn load_assignments(store: &impl Store) -> Result<Assignments, StoreError> {
    let mut households: Vec<AssignedHousehold> = store
        .get_all(HOUSEHOLDS_STORE)
        .await?
        .into_iter()
        .map(|(_, assigned)| assigned)
        .collect();
    households.sort_by(|a, b| {
        listing_order(
            (&a.household.address.group, &a.household.household_code),
            (&b.household.address.group, &b.household.household_code),
        )
    });
    Ok(Assignments {
        households,
        policy: store.get_meta(keys::POLICY).await?,
        risk_rules: store.get_meta(keys::RISK_RULES).await?,
        received_at: store.get_meta(keys::ASSIGNMENTS_AS_OF).await?,
    })
}

/// A draft as stored: the working copy and when it was last written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDraft {
    pub draft: HouseholdDraft,
    /// RFC 3339 instant of the last autosave.
    pub saved_at: String,
}

pub async fn load_draft(
    store: &impl Store,
    household_id: &str,
) -> Result<Option<StoredDraft>, StoreError> {
    store.get(DRAFTS_STORE, household_id).await
}

pub async fn save_draft(
    store: &impl Store,
    household_id: &str,
    draft: &StoredDraft,
) -> Result<(), StoreError> {
    store.put(DRAFTS_STORE, household_id, draft).await
}

/// When each household's draft was last saved, by household id.
pub async fn draft_times(store: &impl Store) -> Result<BTreeMap<String, String>, StoreError> {
    let drafts: Vec<(String, StoredDraft)> = store.get_all(DRAFTS_STORE).await?;
    Ok(drafts
        .into_iter()
        .map(|(id, stored)| (id, stored.saved_at))
        .collect())
}

/// Where a queued record is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// 待发送
    Queued,
}

/// A submitted household visit (household record, plan, income sheet, visit log) waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The submission's client UUID: the server's idempotency key.
    pub id: Uuid,
    pub household_id: String,
    /// RFC 3339 instant of submitting.
    pub submitted_at: String,
    /// The draft as it was when submitted.
    pub snapshot: HouseholdDraft,
    /// The written reason for each warning, by rule code.
    pub warning_reasons: BTreeMap<String, String>,
    pub status: OutboxStatus,
}

pub async fn enqueue(store: &impl Store, item: &OutboxItem) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.id.to_string(), item).await
}

pub async fn outbox(store: &impl Store) -> Result<Vec<OutboxItem>, StoreError> {
    let mut items: Vec<OutboxItem> = store
        .get_all(OUTBOX_STORE)
        .await?
        .into_iter()
        .map(|(_, item)| item)
        .collect();
    items.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    Ok(items)
}

#[cfg(test)]
mod tests {
    use zoufang_domain::listing::listing_order;

    #[test]
    fn groups_sort_by_their_chinese_numeral() {
        let mut groups = vec!["十二组", "二组", "十组", "一组", "东村"];
        groups.sort_by(|a, b| listing_order((a, ""), (b, "")));
        assert_eq!(groups, vec!["一组", "二组", "十组", "十二组", "东村"]);
    }
}
