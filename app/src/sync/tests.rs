//! The driver against a scripted server, natively.
#![allow(clippy::expect_used)]

use super::*;
use crate::draft::{HouseholdDraft, NewDraftIds};
use crate::storage::MemoryStore;
use crate::storage::records::{OutboxItem, OutboxProblem, OutboxStatus};
use futures::executor::block_on;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use time::macros::datetime;
use uuid::Uuid;
use zoufang_domain::model::{
    EvidenceId, EvidenceKind, HouseholdId, IncomeSheetId, PlanId, Sha256Digest, UserId, VisitId,
};
use zoufang_domain::protocol::{ApiErrorBody, ChangesResponse, ValidationRejection};

const NOW: OffsetDateTime = datetime!(2026-11-22 08:00 UTC);

/// What the scripted server does with the next submission.
#[derive(Debug, Clone)]
enum Script {
    /// Store it and answer.
    Accept,
    /// Store it, then lose the answer (the phone sees a dropped connection).
    AcceptButDropAnswer,
    /// Fail before storing.
    Fail(ApiError),
}

/// A server that keeps submissions by UUID, as the real one does.
#[derive(Default)]
struct FakeServer {
    script: RefCell<VecDeque<Script>>,
    stored: RefCell<BTreeMap<Uuid, (Submission, SubmissionReceipt)>>,
    versions: RefCell<BTreeMap<HouseholdId, i64>>,
    photos: RefCell<BTreeSet<String>>,
    photo_puts: RefCell<Vec<String>>,
    requests: RefCell<Vec<String>>,
    changes_cursor: RefCell<u32>,
    user: Option<Uuid>,
}

impl FakeServer {
    fn then(&self, steps: impl IntoIterator<Item = Script>) {
        self.script.borrow_mut().extend(steps);
    }
}

impl Transport for FakeServer {
    async fn photo_exists(&self, sha256: &str) -> Result<bool, ApiError> {
        self.requests.borrow_mut().push(format!("head {sha256}"));
        Ok(self.photos.borrow().contains(sha256))
    }

    async fn put_photo(&self, sha256: &str, _bytes: &[u8]) -> Result<(), ApiError> {
        self.requests.borrow_mut().push(format!("put {sha256}"));
        self.photo_puts.borrow_mut().push(sha256.to_owned());
        self.photos.borrow_mut().insert(sha256.to_owned());
        Ok(())
    }

    async fn submit(&self, submission: &Submission) -> Result<SubmissionReceipt, ApiError> {
        self.requests
            .borrow_mut()
            .push(format!("submit {}", submission.id));
        let step = self
            .script
            .borrow_mut()
            .pop_front()
            .unwrap_or(Script::Accept);
        if let Script::Fail(error) = step {
            return Err(error);
        }
        if let Some((_, receipt)) = self.stored.borrow().get(&submission.id) {
            return Ok(SubmissionReceipt {
                duplicate: true,
                ..receipt.clone()
            });
        }
        let SubmissionRecord::HouseholdVisit(visit) = &submission.record else {
            panic!("only household visits here");
        };
        let household = visit.household.id;
        let current = *self.versions.borrow().get(&household).unwrap_or(&1);
        if visit.base_version != current {
            return Err(ApiError::Rejected {
                status: 409,
                body: ApiErrorBody {
                    code: "stale_base".into(),
                    message: format!("base {} is not {current}", visit.base_version),
                },
            });
        }
        self.versions.borrow_mut().insert(household, current + 1);
        let receipt = SubmissionReceipt {
            id: submission.id,
            accepted_at: "2026-11-22T08:00:01Z".into(),
            household_version: Some(current + 1),
            duplicate: false,
        };
        self.stored
            .borrow_mut()
            .insert(submission.id, (submission.clone(), receipt.clone()));
        match step {
            Script::AcceptButDropAnswer => Err(ApiError::Unreachable),
            _ => Ok(receipt),
        }
    }

    fn session_user(&self) -> Option<Uuid> {
        self.user
    }

    async fn confirm_session(
        &self,
        _session_id: Uuid,
        _version: u32,
    ) -> Result<zoufang_domain::protocol::SessionRecord, ApiError> {
        Err(ApiError::Offline)
    }

    async fn review(
        &self,
        _request: &zoufang_domain::protocol::ReviewRequest,
    ) -> Result<zoufang_domain::protocol::PlanReview, ApiError> {
        Err(ApiError::Offline)
    }

    async fn changes(&self, _since: Option<&str>) -> Result<ChangesResponse, ApiError> {
        *self.changes_cursor.borrow_mut() += 1;
        Ok(ChangesResponse {
            households: Vec::new(),
            cursor: self.changes_cursor.borrow().to_string(),
        })
    }
}

fn draft(household: &zoufang_domain::model::Household, base_version: i64) -> HouseholdDraft {
    let ids = NewDraftIds {
        income: IncomeSheetId(Uuid::from_u128(1)),
        plan: PlanId(Uuid::from_u128(2)),
        visit: VisitId(Uuid::from_u128(3)),
    };
    HouseholdDraft::start(
        household.clone(),
        base_version,
        ids,
        2026,
        UserId(Uuid::from_u128(4)),
        NOW,
    )
}

/// Queues `count` submissions of the sample household, one second apart, all built on version 1.
fn queue(store: &MemoryStore, count: u128) -> Vec<Uuid> {
    let household = zoufang_domain::sample::household();
    (0..count)
        .map(|n| {
            let id = Uuid::from_u128(100 + n);
            let at = NOW + std::time::Duration::from_secs(n as u64);
            let item = OutboxItem::queued(id, at, draft(&household, 1));
            block_on(records::enqueue(store, &item)).expect("enqueue");
            id
        })
        .collect()
}

fn items(store: &MemoryStore) -> Vec<OutboxItem> {
    block_on(records::outbox(store)).expect("outbox")
}

fn run_now(store: &MemoryStore, server: &FakeServer, at: OffsetDateTime, force: bool) -> RunReport {
    block_on(run(
        store,
        server,
        &NoPhotos,
        at,
        force,
        &mut || 0.5,
        &mut |_| {},
    ))
}

#[test]
fn backoff_starts_at_one_second_doubles_and_stops_at_five_minutes() {
    let no_jitter: Vec<u64> = (1..=12)
        .map(|attempt| backoff_delay(attempt, 0.0).as_secs())
        .collect();
    assert_eq!(
        no_jitter,
        vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    );
    assert_eq!(backoff_delay(u32::MAX, 0.0), BACKOFF_MAX);
    // Jitter takes off at most a quarter, never adds.
    assert_eq!(backoff_delay(3, 0.999_999).as_millis(), 3000);
    assert_eq!(backoff_delay(1, f64::NAN), BACKOFF_FIRST);
    assert_eq!(backoff_delay(1, 7.0).as_millis(), 750);
}

#[test]
fn sends_in_order_keeps_sent_items_with_their_receipts() {
    let store = MemoryStore::default();
    let ids = queue(&store, 2);
    let server = FakeServer::default();
    let report = run_now(&store, &server, NOW, false);
    assert_eq!(report.sent, 2);
    assert_eq!(report.outcome, RunOutcome::Done { next_due: None });
    let after = items(&store);
    assert_eq!(after.len(), 2, "nothing is deleted");
    assert!(
        after
            .iter()
            .all(|item| item.delivery.status == OutboxStatus::Sent)
    );
    assert_eq!(
        after[0].receipt.as_ref().map(|r| r.id),
        Some(ids[0]),
        "the receipt is kept"
    );
    assert_eq!(
        *server.requests.borrow(),
        vec![format!("submit {}", ids[0]), format!("submit {}", ids[1])]
    );
}

#[test]
fn a_second_submission_of_the_same_household_continues_from_the_first_ones_version() {
    let store = MemoryStore::default();
    queue(&store, 2);
    let server = FakeServer::default();
    let report = run_now(&store, &server, NOW, false);
    assert_eq!(report.sent, 2, "{report:?}");
    assert_eq!(report.needs_attention, 0, "no false conflict");
    let after = items(&store);
    assert_eq!(after[1].snapshot.base_version, 2);
    assert_eq!(
        after[1].receipt.as_ref().and_then(|r| r.household_version),
        Some(3)
    );
}

#[test]
fn a_dropped_connection_backs_off_then_the_retry_with_the_same_uuid_makes_no_duplicate() {
    let store = MemoryStore::default();
    let ids = queue(&store, 1);
    let server = FakeServer::default();
    server.then([Script::AcceptButDropAnswer]);
    let first = run_now(&store, &server, NOW, false);
    let RunOutcome::Backoff { retry_at, .. } = first.outcome else {
        panic!("expected a backoff, got {first:?}");
    };
    assert_eq!(retry_at, NOW + backoff_delay(1, 0.5));
    let waiting = &items(&store)[0];
    assert_eq!(waiting.delivery.status, OutboxStatus::Queued);
    assert_eq!(waiting.delivery.attempts, 1);
    assert_eq!(waiting.delivery.last_error.as_deref(), Some("unreachable"));

    // Before it is due, a run leaves it alone and says when it is due.
    let early = run_now(&store, &server, NOW, false);
    assert_eq!(early.sent, 0);
    assert_eq!(
        early.outcome,
        RunOutcome::Done {
            next_due: Some(retry_at)
        }
    );

    let later = run_now(&store, &server, retry_at, false);
    assert_eq!(later.sent, 1);
    assert_eq!(server.stored.borrow().len(), 1, "one record on the server");
    let sent = &items(&store)[0];
    assert_eq!(sent.delivery.status, OutboxStatus::Sent);
    let receipt = sent.receipt.as_ref().expect("receipt");
    assert_eq!(receipt.id, ids[0]);
    assert!(
        receipt.duplicate,
        "the server answered the repeat with its first receipt"
    );
}

#[test]
fn a_households_later_submission_waits_behind_one_backing_off_while_other_households_go_on() {
    let store = MemoryStore::default();
    let ids = queue(&store, 2);
    let mut other = zoufang_domain::sample::household();
    other.id = HouseholdId(Uuid::from_u128(77));
    let other_id = Uuid::from_u128(300);
    let at = NOW + std::time::Duration::from_secs(10);
    block_on(records::enqueue(
        &store,
        &OutboxItem::queued(other_id, at, draft(&other, 1)),
    ))
    .expect("enqueue");
    let server = FakeServer::default();
    // The first item is stored but its answer is lost: it backs off.
    server.then([Script::AcceptButDropAnswer]);
    let first = run_now(&store, &server, NOW, false);
    assert!(matches!(first.outcome, RunOutcome::Backoff { .. }));
    // Before it is due (the phone came online, say): the same household's second item must not overtake it,
    // or it would be sent on a base the server has already moved past. The other household's item goes.
    let early = run_now(&store, &server, NOW, false);
    assert_eq!(early.sent, 1);
    assert_eq!(early.needs_attention, 0);
    let after = items(&store);
    let status = |id: Uuid| {
        after
            .iter()
            .find(|item| item.id == id)
            .map(|item| item.delivery.status)
    };
    assert_eq!(status(other_id), Some(OutboxStatus::Sent));
    assert_eq!(status(ids[1]), Some(OutboxStatus::Queued));
    let later = run_now(&store, &server, NOW + BACKOFF_MAX, false);
    assert_eq!((later.sent, later.needs_attention), (2, 0));
    assert_eq!(server.stored.borrow().len(), 3);
}

#[test]
fn force_ignores_the_backoff_time() {
    let store = MemoryStore::default();
    queue(&store, 1);
    let server = FakeServer::default();
    server.then([Script::Fail(ApiError::Timeout)]);
    run_now(&store, &server, NOW, false);
    let report = run_now(&store, &server, NOW, true);
    assert_eq!(report.sent, 1);
}

#[test]
fn one_refused_item_does_not_block_the_others() {
    let store = MemoryStore::default();
    let ids = queue(&store, 3);
    let server = FakeServer::default();
    let rejection = ValidationRejection {
        code: "validation_failed".into(),
        message: "refused".into(),
        findings: Vec::new(),
    };
    server.then([
        Script::Fail(ApiError::Invalid(Box::new(rejection))),
        Script::Fail(ApiError::Rejected {
            status: 413,
            body: ApiErrorBody {
                code: "too_large".into(),
                message: "over 1 MiB".into(),
            },
        }),
        Script::Accept,
    ]);
    let report = run_now(&store, &server, NOW, false);
    assert_eq!((report.sent, report.needs_attention), (1, 2));
    let after = items(&store);
    assert_eq!(after[0].delivery.status, OutboxStatus::NeedsAttention);
    assert!(matches!(
        after[0].delivery.problem,
        Some(OutboxProblem::Invalid { .. })
    ));
    assert_eq!(
        after[1].delivery.problem,
        Some(OutboxProblem::Refused {
            status: 413,
            code: "too_large".into(),
            message: "over 1 MiB".into()
        })
    );
    assert_eq!(after[2].delivery.status, OutboxStatus::Sent);
    assert_eq!(after[2].id, ids[2]);
    // A later run does not send the refused items again.
    let again = run_now(&store, &server, NOW, true);
    assert_eq!((again.sent, again.needs_attention), (0, 0));
}

#[test]
fn unauthorised_keeps_everything_and_asks_for_the_password() {
    let store = MemoryStore::default();
    queue(&store, 2);
    let server = FakeServer::default();
    server.then([Script::Fail(ApiError::Unauthorized(ApiErrorBody {
        code: "unauthorized".into(),
        message: "expired".into(),
    }))]);
    let report = run_now(&store, &server, NOW, false);
    assert_eq!(report.outcome, RunOutcome::NeedsLogin);
    let after = items(&store);
    assert!(
        after
            .iter()
            .all(|item| item.delivery.status == OutboxStatus::Queued)
    );
    assert!(
        after.iter().all(|item| item.delivery.attempts == 0),
        "a 401 is not a failed attempt"
    );
    let resumed = run_now(&store, &server, NOW, false);
    assert_eq!(resumed.sent, 2);
}

#[test]
fn a_server_error_backs_off_and_stops_the_run() {
    let store = MemoryStore::default();
    queue(&store, 2);
    let server = FakeServer::default();
    server.then([Script::Fail(ApiError::Server("HTTP 503".into()))]);
    let report = run_now(&store, &server, NOW, false);
    assert!(matches!(report.outcome, RunOutcome::Backoff { .. }));
    assert_eq!(
        server.requests.borrow().len(),
        1,
        "the second item waits too"
    );
}

#[test]
fn an_item_left_sending_by_a_closed_tab_is_sent_again() {
    let store = MemoryStore::default();
    let ids = queue(&store, 1);
    let mut item = items(&store).remove(0);
    item.delivery.status = OutboxStatus::Sending;
    block_on(records::update_item(&store, &item)).expect("update");
    let server = FakeServer::default();
    let report = run_now(&store, &server, NOW, false);
    assert_eq!(report.sent, 1);
    assert_eq!(
        server.stored.borrow().keys().copied().collect::<Vec<_>>(),
        ids
    );
}

#[test]
fn a_conflict_keeps_the_servers_copy_for_the_helper() {
    let store = MemoryStore::default();
    queue(&store, 1);
    let server = FakeServer::default();
    let household = zoufang_domain::sample::household();
    let server_copy = zoufang_domain::protocol::AssignedHousehold {
        household: household.clone(),
        version: 7,
        risk: zoufang_domain::risk::RiskAssessment {
            colour: zoufang_domain::risk::RiskColour::Green,
            triggered: Vec::new(),
            rule_set_version: "test".into(),
        },
        last_visit_on: None,
        plan: None,
        review: None,
        income_sheets: Vec::new(),
        visits: Vec::new(),
        review_history: Vec::new(),
        night_school_follow_up: None,
        earlier_visits: Vec::new(),
        review_basis: None,
    };
    server.then([Script::Fail(ApiError::Conflict(Box::new(
        zoufang_domain::protocol::Conflict {
            code: "stale_base".into(),
            message: "newer".into(),
            base_version: 1,
            server: server_copy,
        },
    )))]);
    let report = run_now(&store, &server, NOW, false);
    assert_eq!(report.needs_attention, 1);
    match &items(&store)[0].delivery.problem {
        Some(OutboxProblem::Conflict { server }) => assert_eq!(server.version, 7),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // The helper keeps their version: a new submission on version 7 replaces the refused one.
    let old = items(&store)[0].id;
    let new_id = Uuid::from_u128(900);
    let replaced = block_on(resolve_conflict(&store, old, &Default::default(), new_id))
        .expect("resolve")
        .expect("a replacement");
    assert_eq!(replaced.snapshot.base_version, 7);
    let after = items(&store);
    assert_eq!(after.len(), 1);
    assert_eq!(
        (after[0].id, after[0].delivery.status),
        (new_id, OutboxStatus::Queued)
    );
    // A queued item cannot be discarded; a refused one can.
    assert!(!block_on(discard_refused(&store, new_id)).expect("discard"));
}

/// Photos the phone holds, by evidence id.
struct Photos(BTreeMap<EvidenceId, (Evidence, Vec<u8>)>);

impl PhotoSource for Photos {
    async fn evidence(&self, id: &EvidenceId) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
        Ok(self.0.get(id).cloned())
    }
}

fn evidence(n: u128, sha: char) -> Evidence {
    Evidence {
        schema_version: 1,
        id: EvidenceId(Uuid::from_u128(n)),
        visit_id: Some(VisitId(Uuid::from_u128(3))),
        kind: EvidenceKind::SitePhoto,
        taken_at: NOW,
        gps: None,
        sha256: Sha256Digest::parse(&sha.to_string().repeat(64)).expect("sha"),
        bytes: 3,
        width: Some(1600),
        height: Some(1200),
        caption: String::new(),
    }
}

#[test]
fn photos_go_first_skipping_those_the_server_has_then_the_record_carries_their_metadata() {
    let store = MemoryStore::default();
    let household = zoufang_domain::sample::household();
    let mut visit_draft = draft(&household, 1);
    let (a, b) = (evidence(10, 'a'), evidence(11, 'b'));
    visit_draft.visit.evidence = vec![a.id, b.id];
    let id = Uuid::from_u128(200);
    let item = OutboxItem::queued(id, NOW, visit_draft);
    block_on(records::enqueue(&store, &item)).expect("enqueue");
    let photos = Photos(
        [
            (a.id, (a.clone(), vec![1, 2, 3])),
            (b.id, (b.clone(), vec![4, 5, 6])),
        ]
        .into_iter()
        .collect(),
    );
    let server = FakeServer::default();
    server.photos.borrow_mut().insert("a".repeat(64));
    let mut steps = 0;
    let report = block_on(run(
        &store,
        &server,
        &photos,
        NOW,
        false,
        &mut || 0.0,
        &mut |_| steps += 1,
    ));
    assert_eq!(
        steps, 2,
        "told when the item started sending and when it was sent"
    );
    assert_eq!((report.sent, report.photos_uploaded), (1, 1));
    assert_eq!(
        *server.requests.borrow(),
        vec![
            format!("head {}", "a".repeat(64)),
            format!("head {}", "b".repeat(64)),
            format!("put {}", "b".repeat(64)),
            format!("submit {id}"),
        ]
    );
    let stored = server.stored.borrow();
    let SubmissionRecord::HouseholdVisit(visit) = &stored[&id].0.record else {
        panic!("a household visit");
    };
    assert_eq!(visit.evidence, vec![a, b]);
}

#[test]
fn changes_are_fetched_after_the_queue_and_the_cursor_is_kept() {
    let store = MemoryStore::default();
    let server = FakeServer::default();
    run_now(&store, &server, NOW, false);
    run_now(&store, &server, NOW, false);
    let cursor: Option<String> = block_on(store.get_meta(CHANGES_CURSOR)).expect("meta");
    assert_eq!(cursor.as_deref(), Some("2"));
}

#[test]
fn photos_of_checklist_items_and_plan_measures_go_with_the_record_too() {
    let store = MemoryStore::default();
    let household = zoufang_domain::sample::household();
    let mut visit_draft = draft(&household, 1);
    let (photo, progress) = (evidence(12, 'c'), evidence(13, 'd'));
    visit_draft.household.checklist.food.evidence = vec![photo.id];
    let mut measure = zoufang_domain::sample::plan(&household).measures.remove(0);
    measure.evidence = vec![progress.id];
    visit_draft.plan.measures.push(measure);
    let item = OutboxItem::queued(Uuid::from_u128(201), NOW, visit_draft);
    block_on(records::enqueue(&store, &item)).expect("enqueue");
    let photos = Photos([(photo.id, (photo.clone(), vec![7]))].into_iter().collect());
    let server = FakeServer::default();
    let report = block_on(run(
        &store,
        &server,
        &photos,
        NOW,
        false,
        &mut || 0.0,
        &mut |_| {},
    ));
    assert_eq!((report.sent, report.photos_uploaded), (1, 1));
    assert_eq!(*server.photo_puts.borrow(), vec!["c".repeat(64)]);
}

#[path = "owner_tests.rs"]
mod owner;
