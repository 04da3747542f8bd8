//! Typed night-school records on the phone: the teaching point(s) as last received from `GET /api/night-school`, and
//! one attendance draft per session (its submission UUID kept with it, so a resend is answered as a repeat).
//! Both live in the `meta` store; built on the [`Store`] trait only.

use super::{Store, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zoufang_domain::model::Session;
use zoufang_domain::protocol::{NightSchoolResponse, SubmissionReceipt};

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
