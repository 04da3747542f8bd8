//! The facts a household's status badge is derived from, read from the phone: drafts' save times, the outbox and the
//! queued review decisions. Shared by the village view, the household list and the household header.

use crate::storage::records::{self, OutboxItem, OutboxStatus};
use crate::storage::review_queue::{self, QueuedReview};
use crate::storage::{AppStore, StoreError};
use crate::ui::badge::{HouseholdStatus, StatusFacts, SubmissionFact, household_status};
use std::collections::BTreeMap;
use zoufang_domain::protocol::AssignedHousehold;

/// What this phone holds that the server may not know yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhoneRecords {
    /// When each household's draft was last saved, by household id.
    pub drafts: BTreeMap<String, String>,
    /// Household submissions, oldest first.
    pub outbox: Vec<OutboxItem>,
    /// Review decisions, oldest first.
    pub reviews: Vec<QueuedReview>,
}

/// Reads the three parts; a part that cannot be read is reported and left empty (the badges then follow the server).
pub async fn load_phone_records(store: &AppStore) -> (PhoneRecords, Option<StoreError>) {
    let mut problem = None;
    let drafts = records::draft_times(store)
        .await
        .map_err(|error| problem = Some(error))
        .unwrap_or_default();
    let outbox = records::outbox(store)
        .await
        .map_err(|error| problem = Some(error))
        .unwrap_or_default();
    let reviews = review_queue::queued_reviews(store)
        .await
        .map_err(|error| problem = Some(error))
        .unwrap_or_default();
    (
        PhoneRecords {
            drafts,
            outbox,
            reviews,
        },
        problem,
    )
}

impl PhoneRecords {
    /// The household's status from these records and the server's copy of it.
    pub fn status_of(&self, assigned: &AssignedHousehold) -> Option<HouseholdStatus> {
        self.status_with_save(assigned, None)
    }

    /// [`Self::status_of`], counting `saved_here` (RFC 3339) as the draft's save time when it is the later one.
    pub fn status_with_save(
        &self,
        assigned: &AssignedHousehold,
        saved_here: Option<&str>,
    ) -> Option<HouseholdStatus> {
        let id = assigned.household.id.to_string();
        let latest = self
            .outbox
            .iter()
            .filter(|item| item.household_id == id)
            .max_by_key(|item| item.submitted_at);
        let latest_submission = latest.map(|item| SubmissionFact {
            submitted_at: item.submitted_at,
            unsent: item.delivery.status != OutboxStatus::Sent,
            in_server_copy: assigned
                .visits
                .iter()
                .any(|visit| visit.submission_id == item.id)
                || assigned
                    .review
                    .as_ref()
                    .is_some_and(|review| review.submission_id == item.id)
                || assigned
                    .review_history
                    .iter()
                    .any(|entry| entry.submission_id == item.id),
        });
        let current_plan = assigned.review.as_ref().map(|review| review.submission_id);
        let queued_decision = self
            .reviews
            .iter()
            .rev()
            .find(|queued| {
                queued.household_id == id
                    && queued.is_pending()
                    && Some(queued.request.submission_id) == current_plan
            })
            .map(|queued| queued.request.decision);
        household_status(&StatusFacts {
            draft_saved_at: self.drafts.get(&id).map(String::as_str).max(saved_here),
            latest_submission,
            queued_decision,
            server_review: assigned.review.as_ref().map(|review| review.status),
        })
    }

    /// Whether a decision on the household's current plan is queued on this phone (sent or not): the plan has left
    /// the first secretary's queue.
    pub fn decided_here(&self, assigned: &AssignedHousehold) -> bool {
        let id = assigned.household.id.to_string();
        assigned.review.as_ref().is_some_and(|review| {
            self.reviews.iter().any(|queued| {
                queued.household_id == id
                    && queued.request.submission_id == review.submission_id
                    && queued.delivery.status != OutboxStatus::NeedsAttention
            })
        })
    }
}

/// The household page's header badge: read from the phone when the page opens, again after every sync run and every
/// 提交, and moved to 草稿 by an autosave of this page (from the save's own time, without reading every draft again).
#[leptos::component]
pub fn HeaderStatus(
    household_id: String,
    save_state: leptos::prelude::ReadSignal<crate::autosave::SaveState>,
    outcome: leptos::prelude::RwSignal<Option<Result<String, String>>>,
) -> impl leptos::IntoView {
    use crate::autosave::SaveState;
    use crate::ui::badge::StatusBadge;
    use leptos::prelude::*;
    let context = expect_context::<crate::session::AppContext>();
    let sync = crate::sync::service::use_sync();
    let facts = RwSignal::new(None::<(PhoneRecords, AssignedHousehold)>);
    let id = StoredValue::new(household_id);
    let load = move || async move {
        let Some(store) = context.store() else { return };
        let household_id = id.get_value();
        if let Ok(Some(assigned)) = records::load_household(&store, &household_id).await {
            let (phone, _) = load_phone_records(&store).await;
            facts.set(Some((phone, assigned)));
        }
    };
    // Reads the phone (the outside world) whenever a sync run or a 提交 may have changed it.
    Effect::new(move |_| {
        sync.revision.track();
        outcome.track();
        leptos::task::spawn_local(load());
    });
    let status = Signal::derive(move || {
        let saved_here = match save_state.get() {
            SaveState::Saved(at) => Some(crate::clock::rfc3339(at)),
            _ => None,
        };
        facts.with(|facts| {
            facts.as_ref().and_then(|(phone, assigned)| {
                phone.status_with_save(assigned, saved_here.as_deref())
            })
        })
    });
    view! { <StatusBadge status=status /> }
}
