//! Typed night-school records on the phone: the teaching point(s) as last received from `GET /api/night-school`, and
//! one attendance draft per session (its submission UUID kept with it, so a resend is answered as a repeat).
//! Both live in the `meta` store; built on the [`Store`] trait only.
//!
//! A submitted session waits in the outbox like every record ([`QueuedAttendance`]): in the `outbox` object store
//! under keys starting with [`ATTENDANCE_KEY_PREFIX`] (visits are keyed by their bare UUID, review decisions by
//! `review/`), so no schema change was needed; `records::outbox` leaves them out.

use super::delivery::{Delivery, OutboxProblem, OutboxStatus};
use super::schema::OUTBOX_STORE;
use super::{Store, StoreError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
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
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
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
    /// 提交 on the phone's clock (stored as RFC 3339 text); every resend carries the same instant.
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub sheet: AttendanceSheet,
    /// Where it is on its way; a refusal's problem says why (the session changed on the server meanwhile, a
    /// reason is missing …).
    #[serde(flatten)]
    pub delivery: Delivery,
    /// The server's receipt once sent.
    #[serde(default)]
    pub receipt: Option<SubmissionReceipt>,
}

impl QueuedAttendance {
    /// A sheet just submitted, waiting to be sent.
    pub fn queued(id: Uuid, submitted_at: OffsetDateTime, sheet: AttendanceSheet) -> Self {
        QueuedAttendance {
            id,
            submitted_at,
            sheet,
            delivery: Delivery::queued(),
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
        self.delivery.is_pending()
    }

    /// Refused because the session changed on the server since this version's base.
    pub fn is_conflict(&self) -> bool {
        matches!(&self.delivery.problem, Some(OutboxProblem::Refused { code, .. }) if code == "session_conflict")
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
    let delivery = &item.delivery;
    let never_tried = delivery.status == OutboxStatus::Queued && delivery.attempts == 0;
    if delivery.status != OutboxStatus::NeedsAttention && !never_tried {
        return Ok(false);
    }
    store.delete(OUTBOX_STORE, &item.key()).await?;
    Ok(true)
}

/// Every queued attendance sheet, oldest submission first.
pub async fn queued(store: &impl Store) -> Result<Vec<QueuedAttendance>, StoreError> {
    let mut items = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        if key.starts_with(ATTENDANCE_KEY_PREFIX) && !key.starts_with(CONFIRMATION_KEY_PREFIX) {
            items.push(super::decode::<QueuedAttendance>(&key, &json)?);
        }
    }
    items.sort_by_key(|item| item.submitted_at);
    Ok(items)
}

/// Outbox keys of queued confirmations start with this (inside [`ATTENDANCE_KEY_PREFIX`], so the visits' outbox
/// leaves them out as it leaves out the sheets).
pub const CONFIRMATION_KEY_PREFIX: &str = "attendance/confirm/";

/// The first secretary's 确认 of one version of a session, waiting to be sent: made offline like a review decision,
/// sent at the next sync. Confirming a version twice is answered with the first confirmation, so a retry after a
/// lost answer records nothing twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedConfirmation {
    /// The phone's own id for this confirmation (its outbox key).
    pub id: Uuid,
    pub session_id: SessionId,
    /// The session's date, to name it in lists.
    pub session_date: time::Date,
    /// The version the first secretary read and confirmed.
    pub version: u32,
    /// The tap (stored as RFC 3339 text).
    #[serde(with = "time::serde::rfc3339")]
    pub confirmed_at: OffsetDateTime,
    /// Where it is on its way; a refusal's problem says why (the session changed after it was read …).
    #[serde(flatten)]
    pub delivery: Delivery,
}

impl QueuedConfirmation {
    pub fn queued(
        id: Uuid,
        (session_id, session_date): (SessionId, time::Date),
        version: u32,
        confirmed_at: OffsetDateTime,
    ) -> Self {
        QueuedConfirmation {
            id,
            session_id,
            session_date,
            version,
            confirmed_at,
            delivery: Delivery::queued(),
        }
    }

    pub fn key(&self) -> String {
        format!("{CONFIRMATION_KEY_PREFIX}{}", self.id)
    }

    pub fn is_pending(&self) -> bool {
        self.delivery.is_pending()
    }
}

/// Queues a confirmation, or stores its new state.
pub async fn put_confirmation(
    store: &impl Store,
    item: &QueuedConfirmation,
) -> Result<(), StoreError> {
    store.put(OUTBOX_STORE, &item.key(), item).await
}

/// Every queued confirmation, oldest first.
pub async fn queued_confirmations(
    store: &impl Store,
) -> Result<Vec<QueuedConfirmation>, StoreError> {
    let mut items = Vec::new();
    for (key, json) in store.get_all_raw(OUTBOX_STORE).await? {
        if key.starts_with(CONFIRMATION_KEY_PREFIX) {
            items.push(super::decode::<QueuedConfirmation>(&key, &json)?);
        }
    }
    items.sort_by_key(|item| item.confirmed_at);
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
    fn confirmations_share_the_outbox_apart_from_the_sheets_and_the_visits() {
        futures::executor::block_on(async {
            let store = MemoryStore::default();
            let later = QueuedConfirmation::queued(
                Uuid::from_u128(9),
                (SessionId(Uuid::from_u128(1)), date!(2026 - 11 - 30)),
                2,
                time::macros::datetime!(2026-11-30 14:00 UTC),
            );
            let earlier = QueuedConfirmation::queued(
                Uuid::from_u128(8),
                (SessionId(Uuid::from_u128(2)), date!(2026 - 11 - 23)),
                1,
                time::macros::datetime!(2026-11-30 13:00 UTC),
            );
            assert_eq!(put_confirmation(&store, &later).await, Ok(()));
            assert_eq!(put_confirmation(&store, &earlier).await, Ok(()));
            let sheet = QueuedAttendance::queued(
                Uuid::from_u128(7),
                time::macros::datetime!(2026-11-30 12:00 UTC),
                AttendanceSheet {
                    session: draft(1, date!(2026 - 11 - 30)).session,
                    base_version: 0,
                    edit_reason: String::new(),
                    evidence: Vec::new(),
                    warning_reasons: Default::default(),
                },
            );
            assert_eq!(put_queued(&store, &sheet).await, Ok(()));
            assert_eq!(queued_confirmations(&store).await, Ok(vec![earlier, later]));
            assert_eq!(queued(&store).await, Ok(vec![sheet]));
            assert_eq!(crate::storage::records::outbox(&store).await, Ok(vec![]));
            // Regression: a household's page read the whole outbox as visits and failed on an attendance sheet.
            assert_eq!(
                crate::storage::records::submissions_of(&store, "h1").await,
                Ok(vec![])
            );
        });
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
