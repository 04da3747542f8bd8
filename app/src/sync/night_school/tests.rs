//! The attendance delivery against a scripted server that keeps session versions as the real one does.
#![allow(clippy::expect_used)]

use super::super::{NoPhotos, RunOutcome, RunReport, Transport, run};
use crate::api::ApiError;
use crate::storage::MemoryStore;
use crate::storage::night_school::{self, QueuedAttendance};
use crate::storage::records::{OutboxProblem, OutboxStatus};
use futures::executor::block_on;
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use time::OffsetDateTime;
use time::macros::{date, datetime};
use uuid::Uuid;
use zoufang_domain::model::{
    Attendance, AttendanceStatus, CURRENT_SCHEMA_VERSION, HouseholdId, Session, SessionId,
    TeachingPointId, UserId,
};
use zoufang_domain::protocol::{
    ApiErrorBody, AttendanceSheet, ChangesResponse, PlanReview, ReviewRequest, Submission,
    SubmissionReceipt, SubmissionRecord,
};

const NOW: OffsetDateTime = datetime!(2026-11-30 12:30 UTC);

/// Keeps each session's current version; a repeat of a UUID answers its first receipt, a stale base a 409.
#[derive(Default)]
struct SessionServer {
    fail: RefCell<VecDeque<ApiError>>,
    receipts: RefCell<BTreeMap<Uuid, SubmissionReceipt>>,
    versions: RefCell<BTreeMap<SessionId, u32>>,
    calls: RefCell<Vec<Uuid>>,
}

impl Transport for SessionServer {
    async fn photo_exists(&self, _sha256: &str) -> Result<bool, ApiError> {
        Ok(true)
    }
    async fn put_photo(&self, _sha256: &str, _bytes: &[u8]) -> Result<(), ApiError> {
        Ok(())
    }
    async fn submit(&self, submission: &Submission) -> Result<SubmissionReceipt, ApiError> {
        self.calls.borrow_mut().push(submission.id);
        if let Some(error) = self.fail.borrow_mut().pop_front() {
            return Err(error);
        }
        if let Some(first) = self.receipts.borrow().get(&submission.id) {
            return Ok(SubmissionReceipt {
                duplicate: true,
                ..first.clone()
            });
        }
        let SubmissionRecord::Attendance(sheet) = &submission.record else {
            return Err(ApiError::Server("not an attendance sheet".into()));
        };
        let mut versions = self.versions.borrow_mut();
        let current = versions.get(&sheet.session.id).copied().unwrap_or(0);
        if sheet.base_version != current {
            return Err(ApiError::Rejected {
                status: 409,
                body: ApiErrorBody {
                    code: "session_conflict".into(),
                    message: "这次夜校在服务器上已被修改。".into(),
                },
            });
        }
        versions.insert(sheet.session.id, current + 1);
        let receipt = SubmissionReceipt {
            id: submission.id,
            accepted_at: "2026-11-30T12:30:01Z".into(),
            household_version: None,
            duplicate: false,
        };
        self.receipts
            .borrow_mut()
            .insert(submission.id, receipt.clone());
        Ok(receipt)
    }
    async fn changes(&self, _since: Option<&str>) -> Result<ChangesResponse, ApiError> {
        Ok(ChangesResponse {
            households: Vec::new(),
            cursor: "1".into(),
        })
    }
    async fn review(&self, _request: &ReviewRequest) -> Result<PlanReview, ApiError> {
        Err(ApiError::Offline)
    }
}

fn sheet(session: u128, base_version: u32, present: &[u128]) -> AttendanceSheet {
    AttendanceSheet {
        session: Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(Uuid::from_u128(session)),
            teaching_point_id: TeachingPointId(Uuid::from_u128(1)),
            date: date!(2026 - 11 - 30),
            episode: Some(12),
            topic: "冬季瓜菜".into(),
            discussion_notes: String::new(),
            attendance: present
                .iter()
                .map(|n| Attendance {
                    household_id: HouseholdId(Uuid::from_u128(*n)),
                    present_member_ids: Vec::new(),
                    status: AttendanceStatus::Present,
                    absence_reason: None,
                    absence_note: String::new(),
                    recorded_by: UserId(Uuid::from_u128(9)),
                    recorded_at: NOW,
                })
                .collect(),
            confirmed_by: None,
            training_requests: vec![],
            hotline_referrals: vec![],
            market_sales: vec![],
        },
        base_version,
        edit_reason: String::new(),
        evidence: vec![],
        warning_reasons: Default::default(),
    }
}

fn queue(store: &MemoryStore, id: u128, at: &str, sheet: AttendanceSheet) -> QueuedAttendance {
    let item = QueuedAttendance::queued(Uuid::from_u128(id), at.into(), sheet);
    block_on(night_school::put_queued(store, &item)).expect("queued");
    item
}

fn run_at(store: &MemoryStore, server: &SessionServer, now: OffsetDateTime) -> RunReport {
    block_on(run(
        store,
        server,
        &NoPhotos,
        now,
        false,
        &mut || 0.0,
        &mut |_| {},
    ))
}

fn stored(store: &MemoryStore) -> Vec<QueuedAttendance> {
    block_on(night_school::queued(store)).expect("readable")
}

#[test]
fn a_session_submitted_offline_waits_backs_off_and_is_stored_once_when_the_network_returns() {
    let store = MemoryStore::default();
    queue(&store, 100, "2026-11-30T12:20:00Z", sheet(1, 0, &[11, 12]));
    let server = SessionServer::default();
    server.fail.borrow_mut().push_back(ApiError::Offline);

    let report = run_at(&store, &server, NOW);
    assert!(matches!(report.outcome, RunOutcome::Backoff { .. }));
    assert_eq!(stored(&store)[0].status, OutboxStatus::Queued);
    assert_eq!(stored(&store)[0].attempts, 1);

    let later = NOW + time::Duration::seconds(5);
    let report = run_at(&store, &server, later);
    assert_eq!(report.sent, 1);
    let sent = &stored(&store)[0];
    assert_eq!(sent.status, OutboxStatus::Sent, "kept, marked sent");
    assert_eq!(
        sent.receipt.as_ref().map(|r| r.id),
        Some(Uuid::from_u128(100))
    );
    assert_eq!(
        server.versions.borrow().get(&SessionId(Uuid::from_u128(1))),
        Some(&1)
    );

    run_at(&store, &server, later);
    assert_eq!(
        *server.calls.borrow(),
        [Uuid::from_u128(100), Uuid::from_u128(100)],
        "tried once offline, sent once; a sent sheet is not sent again"
    );
}

#[test]
fn an_answer_lost_on_the_way_back_is_resent_under_the_same_uuid_and_stored_once() {
    let store = MemoryStore::default();
    queue(&store, 100, "2026-11-30T12:20:00Z", sheet(1, 0, &[11]));
    let server = SessionServer::default();
    // The server stored it, then the phone lost the answer (a sending item found at start is sent again).
    let mut item = stored(&store).remove(0);
    let first = block_on(server.submit(&Submission {
        id: item.id,
        submitted_at: NOW,
        record: SubmissionRecord::Attendance(item.sheet.clone()),
    }))
    .expect("stored");
    item.status = OutboxStatus::Sending;
    block_on(night_school::put_queued(&store, &item)).expect("saved");

    let report = run_at(&store, &server, NOW);
    assert_eq!(report.sent, 1);
    let sent = &stored(&store)[0];
    assert_eq!(sent.receipt.as_ref().map(|r| r.duplicate), Some(true));
    assert_eq!(sent.receipt.as_ref().map(|r| r.id), Some(first.id));
    assert_eq!(
        server.versions.borrow().get(&SessionId(Uuid::from_u128(1))),
        Some(&1)
    );
}

#[test]
fn a_session_edited_on_another_phone_needs_attention_and_its_later_version_waits_while_other_sessions_go()
 {
    let store = MemoryStore::default();
    let server = SessionServer::default();
    // Another phone already made version 1 of session 1.
    server
        .versions
        .borrow_mut()
        .insert(SessionId(Uuid::from_u128(1)), 1);
    queue(&store, 100, "2026-11-30T12:20:00Z", sheet(1, 0, &[11]));
    queue(&store, 101, "2026-11-30T12:25:00Z", sheet(1, 1, &[11, 12]));
    queue(&store, 200, "2026-11-30T12:26:00Z", sheet(2, 0, &[11]));

    let report = run_at(&store, &server, NOW);
    assert_eq!((report.sent, report.needs_attention), (1, 1));
    let items = stored(&store);
    assert_eq!(items[0].status, OutboxStatus::NeedsAttention);
    assert!(items[0].is_conflict());
    assert!(matches!(
        &items[0].problem,
        Some(OutboxProblem::Refused { status: 409, .. })
    ));
    assert_eq!(
        items[1].status,
        OutboxStatus::Queued,
        "waits behind the refused version"
    );
    assert_eq!(
        items[2].status,
        OutboxStatus::Sent,
        "another session is not held up"
    );
    assert_eq!(
        *server.calls.borrow(),
        [Uuid::from_u128(100), Uuid::from_u128(200)]
    );

    // Replaced by a merged version (what the page does after the cadre chose per household): the refused one goes.
    assert_eq!(
        block_on(night_school::remove_unsent(&store, &items[0])),
        Ok(true)
    );
    assert_eq!(
        block_on(night_school::remove_unsent(&store, &items[1])),
        Ok(true),
        "the later version never went out"
    );
    assert_eq!(
        block_on(night_school::remove_unsent(&store, &items[2])),
        Ok(false),
        "a sent sheet is never removed"
    );
    let mut tried = items[1].clone();
    tried.attempts = 1;
    assert_eq!(
        block_on(night_school::remove_unsent(&store, &tried)),
        Ok(false),
        "one that may have reached the server stays"
    );
    queue(&store, 102, "2026-11-30T12:28:00Z", sheet(1, 1, &[11, 12]));
    run_at(&store, &server, NOW);
    assert_eq!(stored(&store).len(), 2);
    assert!(
        stored(&store)
            .iter()
            .all(|item| item.status == OutboxStatus::Sent)
    );
    assert_eq!(
        server.versions.borrow().get(&SessionId(Uuid::from_u128(1))),
        Some(&2)
    );
}

#[test]
fn attendance_sheets_share_the_outbox_without_showing_as_household_visits() {
    let store = MemoryStore::default();
    queue(&store, 100, "2026-11-30T12:20:00Z", sheet(1, 0, &[11]));
    assert_eq!(
        block_on(crate::storage::records::outbox(&store)),
        Ok(Vec::new())
    );
    assert_eq!(stored(&store).len(), 1);
}
