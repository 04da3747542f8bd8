//! Typed access to what the app keeps: the assigned households, the policy they need, drafts and the
//! outbox. Built on the [`Store`] trait only, so it runs the same on IndexedDB and in memory.
//!
//! A draft that cannot be read is never written over: [`open_draft`] first copies its text aside (into the
//! `meta` store, under [`draft_aside_key`]) and only then lets the page start a new one.

pub use super::delivery::{Delivery, OutboxProblem, OutboxStatus};
use super::draft_format::{DraftReadError, read_stored_draft};
use super::schema::{DRAFTS_STORE, HOUSEHOLDS_STORE, META_STORE, OUTBOX_STORE};
use super::{Store, StoreError};
use crate::draft::HouseholdDraft;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::listing::listing_order;
use zoufang_domain::protocol::{
    AssignedHousehold, AssignmentsResponse, PolicyDocument, SubmissionReceipt,
};
use zoufang_domain::risk::RiskRuleSet;
use zoufang_domain::village::VillageDigest;

/// Keys of the `meta` store written here.
mod keys {
    pub const POLICY: &str = "policy";
    pub const RISK_RULES: &str = "risk_rules";
    pub const ASSIGNMENTS_AS_OF: &str = "assignments_as_of";
    pub const OVERDUE_AFTER_DAYS: &str = "overdue_after_days";
    /// Followed by `<household id>/<RFC 3339 instant>`: a draft that could not be read, kept aside.
    pub const DRAFT_ASIDE_PREFIX: &str = "unreadable_draft/";
}

/// What the phone knows about the caller's households, as last received.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignments {
    pub households: Vec<AssignedHousehold>,
    pub policy: Option<PolicyDocument>,
    pub risk_rules: Option<RiskRuleSet>,
    /// When the server built the list (RFC 3339), `None` before the first sync.
    pub received_at: Option<String>,
    /// The village's overdue setting as last received (`None` before the first sync).
    pub overdue_after_days: Option<u32>,
}

/// Keeps a fresh list from the server, replacing the old list in one go, and the village digests of it.
pub async fn save_assignments(
    store: &impl Store,
    response: &AssignmentsResponse,
) -> Result<(), StoreError> {
    let entries: Vec<(String, AssignedHousehold)> = response
        .households
        .iter()
        .map(|assigned| (assigned.household.id.to_string(), assigned.clone()))
        .collect();
    super::village_digest::forget(store).await?;
    store.replace_all(HOUSEHOLDS_STORE, &entries).await?;
    super::village_digest::save(store, &VillageDigest::of(&response.households)).await?;
    store.put_meta(keys::POLICY, &response.policy).await?;
    store
        .put_meta(keys::RISK_RULES, &response.risk_rules)
        .await?;
    store
        .put_meta(keys::OVERDUE_AFTER_DAYS, &response.overdue_after_days)
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
        overdue_after_days: store.get_meta(keys::OVERDUE_AFTER_DAYS).await?,
    })
}

/// When the list on the phone was built (RFC 3339) and the village's overdue setting, as last received, without
/// reading the households (the village view reads their digests).
pub async fn assignments_received(
    store: &impl Store,
) -> Result<(Option<String>, Option<u32>), StoreError> {
    let (received_at, overdue_after_days) = futures::join!(
        store.get_meta(keys::ASSIGNMENTS_AS_OF),
        store.get_meta(keys::OVERDUE_AFTER_DAYS),
    );
    Ok((received_at?, overdue_after_days?))
}

/// A draft as stored: the working copy and when it was last written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDraft {
    pub draft: HouseholdDraft,
    /// RFC 3339 instant of the last autosave.
    pub saved_at: String,
}

/// A household's draft, migrated if an older app saved it; [`StoreError::Corrupt`] if it cannot be read.
pub async fn load_draft(
    store: &impl Store,
    household_id: &str,
) -> Result<Option<StoredDraft>, StoreError> {
    store
        .get_raw(DRAFTS_STORE, household_id)
        .await?
        .map(|json| {
            read_stored_draft(&json)
                .map_err(|error| StoreError::Corrupt(format!("draft {household_id}: {error}")))
        })
        .transpose()
}

/// What the phone holds for a household's draft, as the household page opens it.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftOnPhone {
    None,
    /// Read (and migrated, if an older app saved it).
    Found(Box<StoredDraft>),
    /// It could not be read (damaged, or saved by a newer app). Its text is kept under `aside_key` in the `meta`
    /// store and it is no longer the household's draft: the page starts a new one and says so.
    SetAside {
        aside_key: String,
    },
}

/// A draft that could not be read, as kept aside: its text exactly as it was stored, and why it was unreadable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadableDraft {
    pub household_id: String,
    /// RFC 3339 instant it was set aside.
    pub kept_at: String,
    pub reason: String,
    /// The stored JSON text.
    pub raw: String,
}

/// The `meta` key a household's unreadable draft is kept under.
pub fn draft_aside_key(household_id: &str, kept_at: &str) -> String {
    format!("{}{household_id}/{kept_at}", keys::DRAFT_ASIDE_PREFIX)
}

/// Opens a household's draft. One that cannot be read is copied aside (committed) and then removed from the
/// drafts, so nothing the page saves next can overwrite it; `kept_at` (RFC 3339, now) names the copy. Any storage
/// failure is an error, and then the page must not start a draft of its own.
pub async fn open_draft(
    store: &impl Store,
    household_id: &str,
    kept_at: &str,
) -> Result<DraftOnPhone, StoreError> {
    let Some(json) = store.get_raw(DRAFTS_STORE, household_id).await? else {
        return Ok(DraftOnPhone::None);
    };
    match read_stored_draft(&json) {
        Ok(stored) => Ok(DraftOnPhone::Found(Box::new(stored))),
        Err(error) => set_draft_aside(store, household_id, kept_at, json, &error).await,
    }
}

async fn set_draft_aside(
    store: &impl Store,
    household_id: &str,
    kept_at: &str,
    raw: String,
    error: &DraftReadError,
) -> Result<DraftOnPhone, StoreError> {
    let aside_key = draft_aside_key(household_id, kept_at);
    let kept = UnreadableDraft {
        household_id: household_id.to_owned(),
        kept_at: kept_at.to_owned(),
        reason: error.to_string(),
        raw,
    };
    store.put(META_STORE, &aside_key, &kept).await?;
    store.delete(DRAFTS_STORE, household_id).await?;
    Ok(DraftOnPhone::SetAside { aside_key })
}

/// Every unreadable draft kept aside for a household, oldest first.
pub async fn unreadable_drafts(
    store: &impl Store,
    household_id: &str,
) -> Result<Vec<UnreadableDraft>, StoreError> {
    let prefix = draft_aside_key(household_id, "");
    let mut kept = Vec::new();
    for (key, json) in store.get_all_raw(META_STORE).await? {
        if key.starts_with(&prefix) {
            kept.push(super::decode::<UnreadableDraft>(&key, &json)?);
        }
    }
    Ok(kept)
}

pub async fn save_draft(
    store: &impl Store,
    household_id: &str,
    draft: &StoredDraft,
) -> Result<(), StoreError> {
    store.put(DRAFTS_STORE, household_id, draft).await
}

/// Writes a household's draft given as the JSON text of a [`StoredDraft`], as
/// [`super::draft_writer::DraftWriter`] makes it while the helper types.
pub async fn save_draft_json(
    store: &impl Store,
    household_id: &str,
    stored_json: String,
) -> Result<(), StoreError> {
    store
        .put_json(DRAFTS_STORE, household_id, stored_json)
        .await
}

/// When each household's draft was last saved, by household id. Only the time is read, so one damaged draft
/// does not hide the others (opening it sets it aside).
pub async fn draft_times(store: &impl Store) -> Result<BTreeMap<String, String>, StoreError> {
    #[derive(Deserialize)]
    struct SavedAt {
        saved_at: String,
    }
    Ok(store
        .get_all_raw(DRAFTS_STORE)
        .await?
        .into_iter()
        .filter_map(|(id, json)| {
            let time = serde_json::from_str::<SavedAt>(&json).ok()?;
            Some((id, time.saved_at))
        })
        .collect())
}

/// A submitted household visit (household record, plan, income sheet, visit log) on its way to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The submission's client UUID: the server's idempotency key.
    pub id: Uuid,
    pub household_id: String,
    /// When the helper submitted it (stored as RFC 3339 text).
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// The draft as it was when submitted.
    pub snapshot: HouseholdDraft,
    /// The written reason for each warning, by rule code.
    pub warning_reasons: BTreeMap<String, String>,
    /// Where it is on its way to the server.
    #[serde(flatten)]
    pub delivery: Delivery,
    /// The server's receipt, once [`OutboxStatus::Sent`].
    #[serde(default)]
    pub receipt: Option<SubmissionReceipt>,
    /// The user who submitted it: it is only ever sent with that user's login. Set by [`enqueue`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Uuid>,
}

impl OutboxItem {
    /// A freshly submitted item, waiting to be sent.
    pub fn queued(id: Uuid, submitted_at: OffsetDateTime, snapshot: HouseholdDraft) -> OutboxItem {
        OutboxItem {
            id,
            household_id: snapshot.household.id.to_string(),
            submitted_at,
            warning_reasons: snapshot.warning_reasons.clone(),
            snapshot,
            delivery: Delivery::queued(),
            receipt: None,
            owner: None,
        }
    }

    /// Still to be sent (queued, or interrupted while sending).
    pub fn is_pending(&self) -> bool {
        self.delivery.is_pending()
    }
}

/// Queues an item, owned by the store's user.
pub async fn enqueue(store: &impl Store, item: &OutboxItem) -> Result<(), StoreError> {
    match (item.owner, store.owner()) {
        (None, Some(owner)) => {
            let owned = OutboxItem {
                owner: Some(owner),
                ..item.clone()
            };
            store.put(OUTBOX_STORE, &item.id.to_string(), &owned).await
        }
        _ => store.put(OUTBOX_STORE, &item.id.to_string(), item).await,
    }
}

/// Replaces an item after a state change.
pub async fn update_item(store: &impl Store, item: &OutboxItem) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.id.to_string(), item).await
}

/// Removes an item; only for items the server has answered for (sent, or refused and replaced).
pub async fn remove_item(store: &impl Store, id: Uuid) -> Result<(), StoreError> {
    store.delete(OUTBOX_STORE, &id.to_string()).await
}

/// Every outbox item (household visits), oldest submission first. Queued review decisions and attendance sheets
/// share the store under their own keys (`storage::review_queue`, `storage::night_school`) and are left out here.
pub async fn outbox(store: &impl Store) -> Result<Vec<OutboxItem>, StoreError> {
    let mut items = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        if !key.starts_with(super::review_queue::REVIEW_KEY_PREFIX)
            && !key.starts_with(super::night_school::ATTENDANCE_KEY_PREFIX)
        {
            items.push(super::decode::<OutboxItem>(&key, &json)?);
        }
    }
    items.sort_by_key(|item| item.submitted_at);
    Ok(items)
}

/// Keeps households the server says changed (with their plans and reviews), leaving the others as they are (and
/// their village digests in step, `storage::village_digest`).
pub async fn merge_households(
    store: &impl Store,
    changed: &[AssignedHousehold],
) -> Result<(), StoreError> {
    if changed.is_empty() {
        return Ok(());
    }
    let digest = super::village_digest::load(store).await?;
    super::village_digest::forget(store).await?;
    for assigned in changed {
        store
            .put(
                HOUSEHOLDS_STORE,
                &assigned.household.id.to_string(),
                assigned,
            )
            .await?;
    }
    super::village_digest::merge(store, digest, changed).await
}

/// The policy tables the server sent with the households, if any were received.
pub async fn load_policy(store: &impl Store) -> Result<Option<PolicyDocument>, StoreError> {
    store.get_meta(keys::POLICY).await
}

/// A household visit in the outbox, as the household page shows it: only what that needs is decoded, not the
/// whole snapshot (which would cost as much as reading the household's draft again for every submission).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionOnPhone {
    /// When the helper submitted it.
    pub submitted_at: OffsetDateTime,
    /// When the submitted visit started.
    pub visit_started_at: OffsetDateTime,
    /// Still to be sent.
    pub pending: bool,
}

/// Every visit of `household_id` in the outbox, oldest submission first. Reads the same text as [`outbox`].
pub async fn submissions_of(
    store: &impl Store,
    household_id: &str,
) -> Result<Vec<SubmissionOnPhone>, StoreError> {
    #[derive(Deserialize)]
    struct Item {
        household_id: String,
        #[serde(with = "time::serde::rfc3339")]
        submitted_at: OffsetDateTime,
        status: OutboxStatus,
        snapshot: Snapshot,
    }
    #[derive(Deserialize)]
    struct Snapshot {
        visit: Visit,
    }
    #[derive(Deserialize)]
    struct Visit {
        #[serde(with = "time::serde::rfc3339")]
        started_at: OffsetDateTime,
    }
    let mut submissions = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        // Review decisions, attendance sheets and confirmations share the store and have no household visit.
        if key.starts_with(super::review_queue::REVIEW_KEY_PREFIX)
            || key.starts_with(super::night_school::ATTENDANCE_KEY_PREFIX)
        {
            continue;
        }
        let item = super::decode::<Item>(&key, &json)?;
        if item.household_id == household_id {
            submissions.push(SubmissionOnPhone {
                pending: matches!(item.status, OutboxStatus::Queued | OutboxStatus::Sending),
                submitted_at: item.submitted_at,
                visit_started_at: item.snapshot.visit.started_at,
            });
        }
    }
    submissions.sort_by_key(|submission| submission.submitted_at);
    Ok(submissions)
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
    use super::super::{MemoryStore, Store};
    use super::*;
    use futures::executor::block_on;
    use zoufang_domain::listing::listing_order;

    const DAMAGED: &str =
        r#"{"draft": {"schema_version": 1, "household": 42}, "saved_at": "2026-11-20T08:00:00Z"}"#;
    const NOW: &str = "2026-11-21T09:30:00Z";

    #[test]
    fn an_unreadable_draft_is_kept_aside_word_for_word_before_anything_can_overwrite_it() {
        block_on(async {
            let store = MemoryStore::default();
            let raw = DAMAGED.to_owned();
            // The damaged text itself, as a broken app or disk would leave it.
            store.put_raw(DRAFTS_STORE, "h1", &raw);
            let opened = open_draft(&store, "h1", NOW).await;
            let aside_key = draft_aside_key("h1", NOW);
            assert_eq!(
                opened,
                Ok(DraftOnPhone::SetAside {
                    aside_key: aside_key.clone()
                })
            );
            let kept = unreadable_drafts(&store, "h1").await.unwrap_or_default();
            assert_eq!(kept.len(), 1);
            assert_eq!(kept[0].raw, raw);
            assert_eq!(kept[0].kept_at, NOW);
            assert!(kept[0].reason.contains("shape"), "{}", kept[0].reason);
            assert_eq!(
                store
                    .get_raw(META_STORE, &aside_key)
                    .await
                    .map(|v| v.is_some()),
                Ok(true)
            );
            // It is no longer the household's draft: the next open starts afresh, and the copy stays.
            assert_eq!(store.get_raw(DRAFTS_STORE, "h1").await, Ok(None));
            assert_eq!(open_draft(&store, "h1", NOW).await, Ok(DraftOnPhone::None));
            assert_eq!(
                unreadable_drafts(&store, "h1").await.map(|k| k.len()),
                Ok(1)
            );
            assert_eq!(
                unreadable_drafts(&store, "h2").await.map(|k| k.len()),
                Ok(0)
            );
        });
    }

    #[test]
    fn a_damaged_draft_does_not_hide_the_other_drafts_in_the_list() {
        block_on(async {
            let store = MemoryStore::default();
            store.put_raw(DRAFTS_STORE, "bad", "{not json");
            store.put_raw(DRAFTS_STORE, "good", DAMAGED);
            let times = draft_times(&store).await.unwrap_or_default();
            assert_eq!(times.len(), 1);
            assert_eq!(
                times.get("good").map(String::as_str),
                Some("2026-11-20T08:00:00Z")
            );
            // load_draft (used by sync) reports it instead of treating it as missing.
            assert!(matches!(
                load_draft(&store, "bad").await,
                Err(StoreError::Corrupt(_))
            ));
        });
    }

    #[test]
    fn groups_sort_by_their_chinese_numeral() {
        let mut groups = vec!["十二组", "二组", "十组", "一组", "东村"];
        groups.sort_by(|a, b| listing_order((a, ""), (b, "")));
        assert_eq!(groups, vec!["一组", "二组", "十组", "十二组", "东村"]);
    }
}
