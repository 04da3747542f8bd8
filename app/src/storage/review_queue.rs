//! A first secretary's review decisions (通过 / 退回 with comments) waiting to be sent: queued in the outbox like a
//! visit, so a review needs no connection. Each carries the UUID it was given when decided, which the server uses
//! as its idempotency key: a retry after a lost answer records nothing twice.
//!
//! They live in the `outbox` object store under keys starting with [`REVIEW_KEY_PREFIX`] (visits are keyed by
//! their bare UUID), so no schema change was needed; [`super::records::outbox`] leaves them out.

use serde::{Deserialize, Serialize};
use zoufang_domain::protocol::{PlanReview, ReviewRequest};

use time::OffsetDateTime;

use super::delivery::Delivery;
use super::schema::OUTBOX_STORE;
use super::{Store, StoreError};

/// Outbox keys of queued review decisions start with this.
pub const REVIEW_KEY_PREFIX: &str = "review/";

/// One review decision on its way to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedReview {
    /// The decision as it will be sent; `request.id` is always set.
    pub request: ReviewRequest,
    pub household_id: String,
    /// When the first secretary decided (stored as RFC 3339 text).
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    /// Where it is on its way; a refusal's problem says why (a newer plan was submitted meanwhile, the caller's
    /// own plan …).
    #[serde(flatten)]
    pub delivery: Delivery,
    /// The review as the server recorded it, once sent.
    #[serde(default)]
    pub answer: Option<PlanReview>,
}

impl QueuedReview {
    /// A decision just made, waiting to be sent. `request.id` must be the decision's fresh UUID.
    pub fn queued(
        request: ReviewRequest,
        household_id: String,
        decided_at: OffsetDateTime,
    ) -> Self {
        QueuedReview {
            request,
            household_id,
            decided_at,
            delivery: Delivery::queued(),
            answer: None,
        }
    }

    /// The outbox key: the prefix and the decision's UUID.
    pub fn key(&self) -> String {
        let id = self.request.id.map(|id| id.to_string()).unwrap_or_default();
        format!("{REVIEW_KEY_PREFIX}{id}")
    }

    pub fn is_pending(&self) -> bool {
        self.delivery.is_pending()
    }
}

/// Queues a decision, or stores its new state.
pub async fn put_review(store: &impl Store, review: &QueuedReview) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &review.key(), review).await
}

/// Every queued review decision, oldest first.
pub async fn queued_reviews(store: &impl Store) -> Result<Vec<QueuedReview>, StoreError> {
    let mut reviews = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        if key.starts_with(REVIEW_KEY_PREFIX) {
            reviews.push(super::decode::<QueuedReview>(&key, &json)?);
        }
    }
    reviews.sort_by_key(|review| review.decided_at);
    Ok(reviews)
}

/// The latest decision queued for a household (sent or not), for showing it on the household's page and row.
pub async fn latest_for_household(
    store: &impl Store,
    household_id: &str,
) -> Result<Option<QueuedReview>, StoreError> {
    Ok(queued_reviews(store)
        .await?
        .into_iter()
        .rev()
        .find(|review| review.household_id == household_id))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::super::MemoryStore;
    use super::super::records::{self, OutboxItem};
    use super::*;
    use futures::executor::block_on;
    use uuid::Uuid;
    use zoufang_domain::protocol::ReviewDecision;

    fn decision(n: u128, at: &str) -> QueuedReview {
        QueuedReview::queued(
            ReviewRequest {
                id: Some(Uuid::from_u128(n)),
                submission_id: Uuid::from_u128(100 + n),
                decision: ReviewDecision::Approve,
                comments: "同意".into(),
            },
            "h1".into(),
            crate::clock::parse_rfc3339(at).expect("an RFC 3339 instant"),
        )
    }

    #[test]
    fn review_decisions_share_the_outbox_without_disturbing_the_visits() {
        block_on(async {
            let store = MemoryStore::default();
            let later = decision(2, "2026-11-21T09:00:00Z");
            let earlier = decision(1, "2026-11-21T08:00:00Z");
            assert_eq!(put_review(&store, &later).await, Ok(()));
            assert_eq!(put_review(&store, &earlier).await, Ok(()));
            let draft = crate::draft::HouseholdDraft::start(
                zoufang_domain::sample::household(),
                1,
                crate::draft::NewDraftIds {
                    income: zoufang_domain::model::IncomeSheetId(Uuid::from_u128(7)),
                    plan: zoufang_domain::model::PlanId(Uuid::from_u128(8)),
                    visit: zoufang_domain::model::VisitId(Uuid::from_u128(9)),
                },
                2025,
                zoufang_domain::model::UserId(Uuid::from_u128(10)),
                time::OffsetDateTime::UNIX_EPOCH,
            );
            let visit = OutboxItem::queued(
                Uuid::from_u128(50),
                time::macros::datetime!(2026-11-21 07:00 UTC),
                draft,
            );
            assert_eq!(records::enqueue(&store, &visit).await, Ok(()));

            assert_eq!(records::outbox(&store).await, Ok(vec![visit]));
            assert_eq!(
                queued_reviews(&store).await,
                Ok(vec![earlier.clone(), later.clone()])
            );
            assert_eq!(latest_for_household(&store, "h1").await, Ok(Some(later)));
            assert_eq!(latest_for_household(&store, "h2").await, Ok(None));
        });
    }
}
