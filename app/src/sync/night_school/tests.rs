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
    ApiErrorBody, AttendanceSheet, ChangesResponse, PlanReview, ReviewRequest, SessionRecord,
    Submission, SubmissionReceipt, SubmissionRecord,
};

const NOW: OffsetDateTime = datetime!(2026-11-30 12:30 UTC);

/// Keeps each session's current version; a repeat of a UUID answers its first receipt, a stale base a 409.
#[derive(Default)]
struct SessionServer {
    fail: RefCell<VecDeque<ApiError>>,
    receipts: RefCell<BTreeMap<Uuid, SubmissionReceipt>>,
    versions: RefCell<BTreeMap<SessionId, u32>>,
    calls: RefCell<Vec<Uuid>>,
    confirmed: RefCell<Vec<(SessionId, u32)>>,
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
    /// Confirms the session's current version; an older one is refused with 409 `session_changed`.
    async fn confirm_session(
        &self,
        session_id: Uuid,
        version: u32,
    ) -> Result<SessionRecord, ApiError> {
        self.calls.borrow_mut().push(session_id);
        if let Some(error) = self.fail.borrow_mut().pop_front() {
            return Err(error);
        }
        let current = self
            .versions
            .borrow()
            .get(&SessionId(session_id))
            .copied()
            .unwrap_or(0);
        if current != version {
            return Err(ApiError::Rejected {
                status: 409,
                body: ApiErrorBody {
                    code: "session_changed".into(),
                    message: "这次夜校在你查看后又被修改了，请刷新后确认最新的签到表。".into(),
                },
            });
        }
        self.confirmed
            .borrow_mut()
            .push((SessionId(session_id), version));
        Ok(record_of(
            sheet(session_id.as_u128(), version.saturating_sub(1), &[]),
            version,
        ))
    }
}

/// The server's record of a session version, as the confirmation answers it.
fn record_of(sheet: AttendanceSheet, version: u32) -> SessionRecord {
    SessionRecord {
        session: sheet.session,
        version,
        rate: Default::default(),
        confirmation: None,
        history: Vec::new(),
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
    let item = QueuedAttendance::queued(
        Uuid::from_u128(id),
        crate::clock::parse_rfc3339(at).expect("an RFC 3339 instant"),
        sheet,
    );
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
    assert_eq!(stored(&store)[0].delivery.status, OutboxStatus::Queued);
    assert_eq!(stored(&store)[0].delivery.attempts, 1);

    let later = NOW + time::Duration::seconds(5);
    let report = run_at(&store, &server, later);
    assert_eq!(report.sent, 1);
    let sent = &stored(&store)[0];
    assert_eq!(
        sent.delivery.status,
        OutboxStatus::Sent,
        "kept, marked sent"
    );
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
    item.delivery.status = OutboxStatus::Sending;
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
    assert_eq!(items[0].delivery.status, OutboxStatus::NeedsAttention);
    assert!(items[0].is_conflict());
    assert!(matches!(
        &items[0].delivery.problem,
        Some(OutboxProblem::Refused { status: 409, .. })
    ));
    assert_eq!(
        items[1].delivery.status,
        OutboxStatus::Queued,
        "waits behind the refused version"
    );
    assert_eq!(
        items[2].delivery.status,
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
    tried.delivery.attempts = 1;
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
            .all(|item| item.delivery.status == OutboxStatus::Sent)
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

fn confirm(store: &MemoryStore, id: u128, session: u128, version: u32, at: &str) {
    let item = night_school::QueuedConfirmation::queued(
        Uuid::from_u128(id),
        (SessionId(Uuid::from_u128(session)), date!(2026 - 11 - 30)),
        version,
        crate::clock::parse_rfc3339(at).expect("an RFC 3339 instant"),
    );
    block_on(night_school::put_confirmation(store, &item)).expect("queued");
}

fn confirmations(store: &MemoryStore) -> Vec<night_school::QueuedConfirmation> {
    block_on(night_school::queued_confirmations(store)).expect("readable")
}

#[test]
fn a_confirmation_made_offline_waits_backs_off_and_is_sent_after_the_sheet_it_confirms() {
    let store = MemoryStore::default();
    let server = SessionServer::default();
    // Recorded and confirmed on the same phone with no signal: the sheet, then the 确认 of the version it makes.
    queue(&store, 1, "2026-11-30T12:00:00Z", sheet(10, 0, &[1, 2]));
    confirm(&store, 50, 10, 1, "2026-11-30T12:05:00Z");
    server.fail.borrow_mut().push_back(ApiError::Offline);
    let report = run_at(&store, &server, NOW);
    assert!(matches!(report.outcome, RunOutcome::Backoff { .. }));
    assert_eq!(
        confirmations(&store)[0].delivery.status,
        OutboxStatus::Queued
    );
    assert!(server.confirmed.borrow().is_empty());

    let report = run_at(&store, &server, NOW + time::Duration::minutes(10));
    assert!(
        matches!(report.outcome, RunOutcome::Done { .. }),
        "{report:?}"
    );
    assert_eq!(report.sent, 2);
    assert_eq!(stored(&store)[0].delivery.status, OutboxStatus::Sent);
    assert_eq!(confirmations(&store)[0].delivery.status, OutboxStatus::Sent);
    assert_eq!(
        *server.confirmed.borrow(),
        [(SessionId(Uuid::from_u128(10)), 1)]
    );
}

#[test]
fn a_confirmation_of_a_version_changed_meanwhile_needs_attention_with_the_servers_reason() {
    let store = MemoryStore::default();
    let server = SessionServer::default();
    server
        .versions
        .borrow_mut()
        .insert(SessionId(Uuid::from_u128(10)), 2);
    confirm(&store, 50, 10, 1, "2026-11-30T12:05:00Z");
    confirm(&store, 51, 11, 0, "2026-11-30T12:06:00Z");
    server
        .versions
        .borrow_mut()
        .insert(SessionId(Uuid::from_u128(11)), 0);
    let report = run_at(&store, &server, NOW);
    assert_eq!(report.needs_attention, 1);
    let items = confirmations(&store);
    assert_eq!(items[0].delivery.status, OutboxStatus::NeedsAttention);
    assert!(matches!(
        &items[0].delivery.problem,
        Some(OutboxProblem::Refused { code, message, .. })
            if code == "session_changed" && message.contains("刷新后确认最新")
    ));
    // The refusal holds nothing else back.
    assert_eq!(items[1].delivery.status, OutboxStatus::Sent);
}
