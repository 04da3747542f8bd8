//! Sending queued night-school attendance sheets: one at a time, oldest first, under the rules every record
//! follows — sent with the UUID it was given at 提交 (a repeat is answered with the first receipt), kept with the
//! receipt when sent, 需处理 when refused (409 `session_conflict`: the session changed on the server, 422
//! `edit_reason_required` …) while the others go on, a network failure or a 5xx backs off, 401 stops.
//!
//! A session's later versions wait behind an earlier one that is waiting or refused: each was built on the
//! version the one before would make, so sending it first could only be refused.

use std::collections::BTreeSet;

use time::OffsetDateTime;
use zoufang_domain::protocol::{Submission, SubmissionRecord};

use super::{PhotoSource, RunOutcome, RunReport, Step, Transport, backoff_delay, classify_api};
use crate::storage::Store;
use crate::storage::night_school::{self, QueuedAttendance};
use crate::storage::records::OutboxStatus;

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
        if item.status == OutboxStatus::NeedsAttention {
            held.insert(session);
            continue;
        }
        if !item.is_pending() || held.contains(&session) {
            continue;
        }
        let due_at = item
            .next_attempt_at
            .as_deref()
            .and_then(crate::clock::parse_rfc3339);
        if let Some(due_at) = due_at
            && due_at > now
            && !force
        {
            next_due = Some(next_due.map_or(due_at, |earliest| earliest.min(due_at)));
            held.insert(session);
            continue;
        }
        let mut item = item;
        item.status = OutboxStatus::Sending;
        save(store, &item).await?;
        let submitted_at =
            crate::clock::parse_rfc3339(&item.submitted_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let submission = Submission {
            id: item.id,
            submitted_at,
            record: SubmissionRecord::Attendance(item.sheet.clone()),
        };
        // The session's photos first (skipping those the server has), then the sheet.
        let mut sent = Ok(());
        for evidence in &item.sheet.evidence {
            let Some((meta, bytes)) = photos
                .evidence(&evidence.id)
                .await
                .map_err(RunOutcome::Storage)?
            else {
                continue;
            };
            let sha = meta.sha256.as_str().to_owned();
            sent = match transport.photo_exists(&sha).await {
                Ok(true) => Ok(()),
                Ok(false) => transport.put_photo(&sha, &bytes).await.map(|()| {
                    report.photos_uploaded += 1;
                }),
                Err(error) => Err(error),
            };
            if sent.is_err() {
                break;
            }
        }
        let answer = match sent {
            Ok(()) => transport.submit(&submission).await,
            Err(error) => Err(error),
        };
        match answer {
            Ok(receipt) => {
                report.sent += 1;
                item.status = OutboxStatus::Sent;
                item.receipt = Some(receipt);
                item.problem = None;
                item.last_error = None;
                item.next_attempt_at = None;
                save(store, &item).await?;
            }
            Err(error) => match classify_api(error) {
                Step::Refused(problem) => {
                    report.needs_attention += 1;
                    item.status = OutboxStatus::NeedsAttention;
                    item.problem = Some(problem);
                    item.last_error = None;
                    held.insert(session);
                    save(store, &item).await?;
                }
                Step::Retry(reason) => {
                    item.status = OutboxStatus::Queued;
                    item.attempts = item.attempts.saturating_add(1);
                    let retry_at = now + backoff_delay(item.attempts, jitter());
                    item.next_attempt_at = Some(crate::clock::rfc3339(retry_at));
                    item.last_error = Some(reason.clone());
                    save(store, &item).await?;
                    return Err(RunOutcome::Backoff { retry_at, reason });
                }
                Step::NeedsLogin => {
                    item.status = OutboxStatus::Queued;
                    save(store, &item).await?;
                    return Err(RunOutcome::NeedsLogin);
                }
                Step::Sent(_) => {}
                Step::Storage(error) => return Err(RunOutcome::Storage(error)),
            },
        }
    }
    Ok(next_due)
}

async fn save(store: &impl Store, item: &QueuedAttendance) -> Result<(), RunOutcome> {
    night_school::put_queued(store, item)
        .await
        .map_err(RunOutcome::Storage)
}

#[cfg(test)]
mod tests;
