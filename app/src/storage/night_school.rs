//! Typed night-school records on the phone: the teaching point(s) as last received from `GET /api/night-school`, and
//! one attendance draft per session (its submission UUID kept with it, so a resend is answered as a repeat).
//! Both live in the `meta` store; built on the [`Store`] trait only.
//!
//! A submitted session waits in the outbox like every record ([`QueuedAttendance`]): in the `outbox` object store
//! under keys starting with [`ATTENDANCE_KEY_PREFIX`] (visits are keyed by their bare UUID, review decisions by
//! `review/`), so no schema change was needed; `records::outbox` leaves them out.

use super::records::{OutboxProblem, OutboxStatus};
use super::schema::OUTBOX_STORE;
use super::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zoufang_domain::model::{Session, SessionId};
use zoufang_domain::protocol::{AttendanceSheet, NightSchoolResponse, SubmissionReceipt};

/// Outbox keys of queued attendance sheets start with this.
pub const ATTENDANCE_KEY_PREFIX: &str = "attendance/";

const SHEETS: &str = "night_school";
const DRAFT_PREFIX: &str = "night_school_draft/";

/// A session being recorded on this phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceDraft {
    /// The UUID the submission will carry: the server's idempotency key.
    pub submission_id: Uuid,
    pub session: Session,
    /// The server version this draft started from (0 for a new session).
    pub base_version: u32,
    #[serde(default)]
    pub edit_reason: String,
    /// RFC 3339 instant of the last save.
    pub saved_at: String,
    /// The phone's clock at the first 提交 of this version: a resend carries the same instant, so the server sees
    /// the same submission.
    #[serde(default)]
    pub submitted_at: Option<String>,
    /// The server's receipt once sent.
    #[serde(default)]
    pub receipt: Option<SubmissionReceipt>,
}

pub async fn save_sheets(
    store: &impl Store,
    response: &NightSchoolResponse,
) -> Result<(), StoreError> {
    store.put_meta(SHEETS, response).await
}

pub async fn load_sheets(store: &impl Store) -> Result<Option<NightSchoolResponse>, StoreError> {
    store.get_meta(SHEETS).await
}

fn draft_key(session_id: Uuid) -> String {
    format!("{DRAFT_PREFIX}{session_id}")
}

pub async fn save_draft(store: &impl Store, draft: &AttendanceDraft) -> Result<(), StoreError> {
    store.put_meta(&draft_key(draft.session.id.0), draft).await
}

/// Every attendance draft on the phone, newest session first.
pub async fn drafts(store: &impl Store) -> Result<Vec<AttendanceDraft>, StoreError> {
    let mut found: Vec<AttendanceDraft> = store
        .get_all_raw(super::schema::META_STORE)
        .await?
        .into_iter()
        .filter(|(key, _)| key.starts_with(DRAFT_PREFIX))
        .filter_map(|(_, json)| serde_json::from_str(&json).ok())
        .collect();
    found.sort_by_key(|draft| std::cmp::Reverse(draft.session.date));
    Ok(found)
}

/// One submitted version of a session on its way to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedAttendance {
    /// The submission's UUID: the server's idempotency key.
    pub id: Uuid,
    /// RFC 3339 instant of 提交 on the phone's clock; every resend carries the same instant.
    pub submitted_at: String,
    pub sheet: AttendanceSheet,
    pub status: OutboxStatus,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub next_attempt_at: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
    /// Why the server refused it (the session changed on the server meanwhile, a reason is missing …).
    #[serde(default)]
    pub problem: Option<OutboxProblem>,
    /// The server's receipt once sent.
    #[serde(default)]
    pub receipt: Option<SubmissionReceipt>,
}

impl QueuedAttendance {
    /// A sheet just submitted, waiting to be sent.
    pub fn queued(id: Uuid, submitted_at: String, sheet: AttendanceSheet) -> Self {
        QueuedAttendance {
            id,
            submitted_at,
            sheet,
            status: OutboxStatus::Queued,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            problem: None,
            receipt: None,
        }
    }

    pub fn key(&self) -> String {
        format!("{ATTENDANCE_KEY_PREFIX}{}", self.id)
    }

    pub fn session_id(&self) -> SessionId {
        self.sheet.session.id
    }

    pub fn is_pending(&self) -> bool {
        matches!(self.status, OutboxStatus::Queued | OutboxStatus::Sending)
    }

    /// Refused because the session changed on the server since this version's base.
    pub fn is_conflict(&self) -> bool {
        matches!(&self.problem, Some(OutboxProblem::Refused { code, .. }) if code == "session_conflict")
    }
}

/// Queues a submitted sheet, or stores its new state.
pub async fn put_queued(store: &impl Store, item: &QueuedAttendance) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.key(), item).await
}

/// Removes a queued sheet a newer submission of its session replaces: one the server refused, or one never handed
/// to the network (queued, no attempt yet). Never one that may have reached the server; says whether it went.
pub async fn remove_unsent(
    store: &impl Store,
    item: &QueuedAttendance,
) -> Result<bool, StoreError> {
    let never_tried = item.status == OutboxStatus::Queued && item.attempts == 0;
    if item.status != OutboxStatus::NeedsAttention && !never_tried {
        return Ok(false);
    }
    store.delete(OUTBOX_STORE, &item.key()).await?;
    Ok(true)
}

/// Every queued attendance sheet, oldest submission first.
pub async fn queued(store: &impl Store) -> Result<Vec<QueuedAttendance>, StoreError> {
    let mut items = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        if key.starts_with(ATTENDANCE_KEY_PREFIX) {
            items.push(super::decode::<QueuedAttendance>(&key, &json)?);
        }
    }
    items.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;
    use time::macros::date;
    use zoufang_domain::model::{CURRENT_SCHEMA_VERSION, SessionId, TeachingPointId};

    fn draft(n: u128, date: time::Date) -> AttendanceDraft {
        AttendanceDraft {
            submission_id: Uuid::from_u128(n + 100),
            session: Session {
                schema_version: CURRENT_SCHEMA_VERSION,
                id: SessionId(Uuid::from_u128(n)),
                teaching_point_id: TeachingPointId(Uuid::from_u128(1)),
                date,
                episode: Some(12),
                topic: "冬季瓜菜".into(),
                discussion_notes: String::new(),
                attendance: vec![],
                confirmed_by: None,
                training_requests: vec![],
                hotline_referrals: vec![],
                market_sales: vec![],
            },
            base_version: 0,
            edit_reason: String::new(),
            saved_at: "2026-11-30T12:00:00Z".into(),
            submitted_at: None,
            receipt: None,
        }
    }

    #[test]
    fn drafts_are_kept_per_session_and_listed_newest_first() {
        futures::executor::block_on(async {
            let store = MemoryStore::default();
            save_draft(&store, &draft(1, date!(2026 - 11 - 23)))
                .await
                .ok();
            save_draft(&store, &draft(2, date!(2026 - 11 - 30)))
                .await
                .ok();
            let mut changed = draft(1, date!(2026 - 11 - 23));
            changed.session.topic = "槟榔".into();
            save_draft(&store, &changed).await.ok();
            store.put_meta("policy", &"x").await.ok();
            let found = drafts(&store).await.unwrap_or_default();
            assert_eq!(
                found
                    .iter()
                    .map(|d| (d.session.id.0.as_u128(), d.session.topic.as_str()))
                    .collect::<Vec<_>>(),
                [(2, "冬季瓜菜"), (1, "槟榔")]
            );
        });
    }
}
