//! Sending queued night-school attendance sheets: one at a time, oldest first, under the rules every record
//! follows — sent with the UUID it was given at 提交 (a repeat is answered with the first receipt), kept with the
//! receipt when sent, 需处理 when refused (409 `session_conflict`: the session changed on the server, 422
//! `edit_reason_required` …) while the others go on, a network failure or a 5xx backs off, 401 stops.
//!
//! A session's later versions wait behind an earlier one that is waiting or refused: each was built on the
//! version the one before would make, so sending it first could only be refused.
//!
//! The first secretary's confirmations (确认, made offline like review decisions) go after the sheets, by the same
//! rules.

use std::collections::BTreeSet;

use time::OffsetDateTime;
use zoufang_domain::protocol::{Submission, SubmissionRecord};

use super::{
    PhotoSource, RunOutcome, RunReport, Step, Transport, after_failure, classify_api, go_on,
    upload_photos,
};
use crate::storage::delivery::earliest;
use crate::storage::night_school::{self, QueuedAttendance, QueuedConfirmation};
use crate::storage::records::OutboxStatus;
use crate::storage::{Store, StoreError};

/// Sends every due sheet. `Ok` with when the earliest waiting one is due; `Err` with how the run must end.
pub(super) async fn send_attendance(
    store: &impl Store,
    transport: &impl Transport,
    photos: &impl PhotoSource,
    now: OffsetDateTime,
    force: bool,
    jitter: &mut impl FnMut() -> f64,
    report: &mut RunReport,
) -> Result<Option<OffsetDateTime>, RunOutcome> {
    let queued = night_school::queued(store)
        .await
        .map_err(RunOutcome::Storage)?;
    let mut next_due: Option<OffsetDateTime> = None;
    // Sessions with an earlier version waiting or refused: their later versions wait too.
    let mut held = BTreeSet::new();
    for item in queued {
        let session = item.session_id();
        if item.delivery.status == OutboxStatus::NeedsAttention {
            held.insert(session);
            continue;
        }
        if !item.is_pending() || held.contains(&session) {
            continue;
        }
        if let Some(due_at) = item.delivery.waiting_until(now, force) {
            next_due = earliest(next_due, Some(due_at));
            held.insert(session);
            continue;
        }
        let mut item = item;
        item.delivery.status = OutboxStatus::Sending;
        save(store, &item).await.map_err(RunOutcome::Storage)?;
        let submission = Submission {
            id: item.id,
            submitted_at: item.submitted_at,
            record: SubmissionRecord::Attendance(item.sheet.clone()),
        };
        // The session's photos first (skipping those the server has), then the sheet.
        let ids = item.sheet.evidence.iter().map(|evidence| &evidence.id);
        let answer = match upload_photos(ids, transport, photos, report).await {
            Ok(_) => transport.submit(&submission).await.map_err(Step::from),
            Err(step) => Err(step),
        };
        let stop = match answer {
            Ok(receipt) => {
                report.sent += 1;
                item.delivery.sent();
                item.receipt = Some(receipt);
                None
            }
            Err(step) => {
                let stop = after_failure(&mut item.delivery, step, now, jitter, report);
                if item.delivery.status == OutboxStatus::NeedsAttention {
                    held.insert(session);
                }
                stop
            }
        };
        go_on(stop, save(store, &item).await)?;
    }
    Ok(next_due)
}

/// Sends every due confirmation, oldest first, under the same rules: kept when sent, 需处理 when refused (409
/// `session_changed`: the session changed after it was read), a network failure or a 5xx backs off, 401 stops.
pub(super) async fn send_confirmations(
    store: &impl Store,
    transport: &impl Transport,
    now: OffsetDateTime,
    force: bool,
    jitter: &mut impl FnMut() -> f64,
    report: &mut RunReport,
) -> Result<Option<OffsetDateTime>, RunOutcome> {
    let queued = night_school::queued_confirmations(store)
        .await
        .map_err(RunOutcome::Storage)?;
    let mut next_due: Option<OffsetDateTime> = None;
    for item in queued.into_iter().filter(QueuedConfirmation::is_pending) {
        if let Some(due_at) = item.delivery.waiting_until(now, force) {
            next_due = earliest(next_due, Some(due_at));
            continue;
        }
        let mut item = item;
        item.delivery.status = OutboxStatus::Sending;
        night_school::put_confirmation(store, &item)
            .await
            .map_err(RunOutcome::Storage)?;
        let stop = match transport
            .confirm_session(item.session_id.0, item.version)
            .await
        {
            Ok(_) => {
                report.sent += 1;
                item.delivery.sent();
                None
            }
            Err(error) => {
                after_failure(&mut item.delivery, classify_api(error), now, jitter, report)
            }
        };
        go_on(stop, night_school::put_confirmation(store, &item).await)?;
    }
    Ok(next_due)
}

async fn save(store: &impl Store, item: &QueuedAttendance) -> Result<(), StoreError> {
    night_school::put_queued(store, item).await
}

#[cfg(test)]
mod tests;
