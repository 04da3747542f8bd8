//! Typed access to what the app keeps: the assigned households, the policy they need, drafts and the
//! outbox. Built on the [`Store`] trait only, so it runs the same on IndexedDB and in memory.

use super::schema::{DRAFTS_STORE, HOUSEHOLDS_STORE, OUTBOX_STORE};
use super::{Store, StoreError};
use crate::draft::HouseholdDraft;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;
use zoufang_domain::listing::listing_order;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, PolicyDocument, SubmissionReceipt,
};
use zoufang_domain::risk::RiskRuleSet;
use zoufang_domain::validation::Finding;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// 待发送: waiting for the network or for its next attempt.
    Queued,
    /// 发送中: being sent now. Found at start (the tab was closed mid-send), it is sent again with the same
    /// UUID, which the server answers with its first receipt.
    Sending,
    /// 已发送: the server confirmed it; kept with the receipt.
    Sent,
    /// 需处理: the server refused it for a reason a person must act on; the rest of the queue goes on.
    NeedsAttention,
}

/// Why an item needs a person, as the server said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxProblem {
    /// 422 with the rules that refused the record.
    Invalid { findings: Vec<Finding> },
    /// 409: the household changed on the server since the edit started; the server's copy, to compare.
    Conflict { server: Box<AssignedHousehold> },
    /// Any other refusal (413 too large, 403 no longer assigned, 404 …) with the server's code and reason.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

/// A submitted household visit (household record, plan, income sheet, visit log) on its way to the server.
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
    /// Failed attempts so far (network down, server busy): drives the backoff.
    #[serde(default)]
    pub attempts: u32,
    /// RFC 3339 instant before which the driver does not try again (`None`: as soon as it can).
    #[serde(default)]
    pub next_attempt_at: Option<String>,
    /// The last transient failure, shown while the item waits.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Set with [`OutboxStatus::NeedsAttention`].
    #[serde(default)]
    pub problem: Option<OutboxProblem>,
    /// The server's receipt, once [`OutboxStatus::Sent`].
    #[serde(default)]
    pub receipt: Option<SubmissionReceipt>,
}

impl OutboxItem {
    /// A freshly submitted item, waiting to be sent.
    pub fn queued(id: Uuid, submitted_at: String, snapshot: HouseholdDraft) -> OutboxItem {
        OutboxItem {
            id,
            household_id: snapshot.household.id.to_string(),
            submitted_at,
            warning_reasons: snapshot.warning_reasons.clone(),
            snapshot,
            status: OutboxStatus::Queued,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            problem: None,
            receipt: None,
        }
    }

    /// Still to be sent (queued, or interrupted while sending).
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OutboxStatus::Queued | OutboxStatus::Sending)
    }
}

pub async fn enqueue(store: &impl Store, item: &OutboxItem) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.id.to_string(), item).await
}

/// Replaces an item after a state change.
pub async fn update_item(store: &impl Store, item: &OutboxItem) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.id.to_string(), item).await
}

/// Removes an item; only for items the server has answered for (sent, or refused and replaced).
pub async fn remove_item(store: &impl Store, id: Uuid) -> Result<(), StoreError> {
    store.delete(OUTBOX_STORE, &id.to_string()).await
}

/// Every outbox item, oldest submission first.
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

/// Keeps households the server says changed (with their plans and reviews), leaving the others as they are.
pub async fn merge_households(
    store: &impl Store,
    changed: &[AssignedHousehold],
) -> Result<(), StoreError> {
    for assigned in changed {
        store
            .put(
                HOUSEHOLDS_STORE,
                &assigned.household.id.to_string(),
                assigned,
            )
            .await?;
    }
    Ok(())
}

/// One household as last received.
pub async fn load_household(
    store: &impl Store,
    household_id: &str,
) -> Result<Option<AssignedHousehold>, StoreError> {
    store.get(HOUSEHOLDS_STORE, household_id).await
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
