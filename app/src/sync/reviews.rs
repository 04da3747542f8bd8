//! Sending queued review decisions: one at a time, oldest first, under the same rules as visits — a sent decision
//! is kept with the server's answer, a refusal (a newer plan was submitted, the reviewer's own plan …) marks it
//! 需处理 and the rest go on, a network failure or a 5xx backs off, 401 stops.

use time::OffsetDateTime;

use super::{RunOutcome, RunReport, Transport, after_failure, classify_api, go_on};
use crate::storage::delivery::earliest;
use crate::storage::records::OutboxStatus;
use crate::storage::review_queue::{self, QueuedReview};
use crate::storage::{Store, StoreError};

/// Sends every due decision. `Ok` with when the earliest waiting one is due; `Err` with how the run must end.
pub(super) async fn send_reviews(
    store: &impl Store,
    transport: &impl Transport,
    now: OffsetDateTime,
    force: bool,
    jitter: &mut impl FnMut() -> f64,
    report: &mut RunReport,
) -> Result<Option<OffsetDateTime>, RunOutcome> {
    let queued = review_queue::queued_reviews(store)
        .await
        .map_err(RunOutcome::Storage)?;
    let mut next_due: Option<OffsetDateTime> = None;
    for review in queued.into_iter().filter(QueuedReview::is_pending) {
        if let Some(due_at) = review.delivery.waiting_until(now, force) {
            next_due = earliest(next_due, Some(due_at));
            continue;
        }
        let mut review = review;
        review.delivery.status = OutboxStatus::Sending;
        save(store, &review).await.map_err(RunOutcome::Storage)?;
        let stop = match transport.review(&review.request).await {
            Ok(answer) => {
                report.sent += 1;
                review.delivery.sent();
                review.answer = Some(answer);
                None
            }
            Err(error) => after_failure(
                &mut review.delivery,
                classify_api(error),
                now,
                jitter,
                report,
            ),
        };
        go_on(stop, save(store, &review).await)?;
    }
    Ok(next_due)
}

async fn save(store: &impl Store, review: &QueuedReview) -> Result<(), StoreError> {
    review_queue::put_review(store, review).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;
    use crate::api::ApiError;
    use crate::storage::MemoryStore;
    use crate::storage::records::OutboxProblem;
    use futures::executor::block_on;
    use std::cell::RefCell;
    use std::collections::{BTreeMap, VecDeque};
    use time::macros::datetime;
    use uuid::Uuid;
    use zoufang_domain::model::{HouseholdId, PlanId};
    use zoufang_domain::protocol::{
        ApiErrorBody, ChangesResponse, PlanReview, ReviewDecision, ReviewRequest, ReviewStatus,
        Submission, SubmissionReceipt,
    };

    const NOW: OffsetDateTime = datetime!(2026-11-22 08:00 UTC);

    /// Records decisions by id as the server does; `fail` scripts the next answers.
    #[derive(Default)]
    struct ReviewServer {
        fail: RefCell<VecDeque<ApiError>>,
        recorded: RefCell<BTreeMap<Uuid, ReviewRequest>>,
        calls: RefCell<usize>,
    }

    impl Transport for ReviewServer {
        async fn photo_exists(&self, _sha256: &str) -> Result<bool, ApiError> {
            Ok(true)
        }
        async fn put_photo(&self, _sha256: &str, _bytes: &[u8]) -> Result<(), ApiError> {
            Ok(())
        }
        async fn submit(&self, _submission: &Submission) -> Result<SubmissionReceipt, ApiError> {
            Err(ApiError::Offline)
        }
        async fn changes(&self, _since: Option<&str>) -> Result<ChangesResponse, ApiError> {
            Ok(ChangesResponse {
                households: Vec::new(),
                cursor: "1".into(),
            })
        }
        async fn confirm_session(
            &self,
            _session_id: Uuid,
            _version: u32,
        ) -> Result<zoufang_domain::protocol::SessionRecord, ApiError> {
            Err(ApiError::Offline)
        }
        async fn review(&self, request: &ReviewRequest) -> Result<PlanReview, ApiError> {
            *self.calls.borrow_mut() += 1;
            if let Some(error) = self.fail.borrow_mut().pop_front() {
                return Err(error);
            }
            let id = request.id.expect("queued decisions carry an id");
            self.recorded
                .borrow_mut()
                .entry(id)
                .or_insert_with(|| request.clone());
            Ok(PlanReview {
                plan_id: PlanId(Uuid::from_u128(1)),
                household_id: HouseholdId(Uuid::from_u128(2)),
                submission_id: request.submission_id,
                status: ReviewStatus::Approved,
                comments: request.comments.clone(),
                reviewer_name: Some("符明亮".into()),
                reviewed_at: Some("2026-11-22T08:00:01Z".into()),
            })
        }
    }

    fn queue(store: &MemoryStore, n: u128, decided_at: &str) -> QueuedReview {
        let review = QueuedReview::queued(
            ReviewRequest {
                id: Some(Uuid::from_u128(n)),
                submission_id: Uuid::from_u128(100 + n),
                decision: ReviewDecision::Approve,
                comments: "同意。下次走访请带上低保申请表。".into(),
            },
            "h1".into(),
            crate::clock::parse_rfc3339(decided_at).expect("an RFC 3339 instant"),
        );
        block_on(review_queue::put_review(store, &review)).expect("queued");
        review
    }

    fn run(
        store: &MemoryStore,
        server: &ReviewServer,
        now: OffsetDateTime,
    ) -> super::super::RunReport {
        block_on(super::super::run(
            store,
            server,
            &super::super::NoPhotos,
            now,
            false,
            &mut || 0.0,
            &mut |_| {},
        ))
    }

    fn stored(store: &MemoryStore) -> Vec<QueuedReview> {
        block_on(review_queue::queued_reviews(store)).expect("readable")
    }

    #[test]
    fn a_decision_made_offline_is_kept_backs_off_and_is_sent_once_with_its_id_when_the_network_returns()
     {
        let store = MemoryStore::default();
        let queued = queue(&store, 1, "2026-11-22T07:00:00Z");
        let server = ReviewServer::default();
        server.fail.borrow_mut().push_back(ApiError::Offline);

        let report = run(&store, &server, NOW);
        assert!(matches!(report.outcome, RunOutcome::Backoff { .. }));
        let waiting = &stored(&store)[0];
        assert_eq!(waiting.delivery.status, OutboxStatus::Queued);
        assert_eq!(waiting.delivery.attempts, 1);
        assert_eq!(waiting.request, queued.request);

        // Not due yet: nothing is sent.
        run(&store, &server, NOW);
        assert_eq!(*server.calls.borrow(), 1);

        let later = NOW + time::Duration::seconds(5);
        let report = run(&store, &server, later);
        assert_eq!(report.sent, 1);
        assert!(matches!(report.outcome, RunOutcome::Done { .. }));
        let sent = &stored(&store)[0];
        assert_eq!(
            sent.delivery.status,
            OutboxStatus::Sent,
            "kept, marked sent"
        );
        assert_eq!(
            sent.answer.as_ref().map(|a| a.comments.as_str()),
            Some("同意。下次走访请带上低保申请表。")
        );
        assert_eq!(server.recorded.borrow().len(), 1);
        run(&store, &server, later);
        assert_eq!(
            *server.calls.borrow(),
            2,
            "a sent decision is not sent again"
        );
    }

    #[test]
    fn a_decision_on_a_superseded_plan_needs_attention_and_the_next_one_still_goes() {
        let store = MemoryStore::default();
        queue(&store, 1, "2026-11-22T07:00:00Z");
        queue(&store, 2, "2026-11-22T07:30:00Z");
        let server = ReviewServer::default();
        server.fail.borrow_mut().push_back(ApiError::Rejected {
            status: 409,
            body: ApiErrorBody {
                code: "superseded".into(),
                message: "帮扶责任人已提交了更新的计划，请审核最新版本。".into(),
            },
        });
        let report = run(&store, &server, NOW);
        assert_eq!((report.sent, report.needs_attention), (1, 1));
        let reviews = stored(&store);
        assert_eq!(reviews[0].delivery.status, OutboxStatus::NeedsAttention);
        assert!(matches!(
            &reviews[0].delivery.problem,
            Some(OutboxProblem::Refused { status: 409, code, .. }) if code == "superseded"
        ));
        assert_eq!(reviews[1].delivery.status, OutboxStatus::Sent);
    }
}
