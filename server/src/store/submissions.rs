//! Submissions keyed by the phone's UUID (the idempotency key), and the records they carry: income sheets, visit
//! logs, attendance sheets and the photos they refer to. Plan versions live in [`super::plans`].

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Evidence, Session, VisitLog};

use super::batch::{self, Bind, Statement};
use super::{StoreError, format_instant, parse_uuid};

/// A submission to record. `payload` is the canonical JSON of the whole submission, `receipt` the JSON of the
/// receipt answered the first time.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    pub id: Uuid,
    pub kind: &'static str,
    pub user_id: Uuid,
    pub household_id: Option<Uuid>,
    pub teaching_point_id: Option<Uuid>,
    pub payload: &'a str,
    pub receipt: &'a str,
    pub submitted_at: OffsetDateTime,
    pub accepted_at: OffsetDateTime,
}

/// A submission as stored: who sent it, what, and what they were answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSubmission {
    pub user_id: Uuid,
    pub payload: String,
    pub receipt: String,
}

/// Inserts the submission unless its id is taken; returns whether it inserted. The primary key makes this safe
/// against concurrent duplicates: exactly one insert wins. As the first statement of a transaction it also takes
/// SQLite's write lock (waiting for it under the busy timeout), so the reads that follow see the latest commit.
pub async fn insert_if_absent(
    executor: impl AnyExecutor<'_>,
    submission: &NewSubmission<'_>,
) -> Result<bool, StoreError> {
    let statement = insert_if_absent_statement(submission);
    let result = batch::bind_all(sqlx::query(statement.sql), statement.binds)
        .execute(executor)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// The submission row's insert, with `$tail` after its values.
macro_rules! insert_submission {
    ($tail:literal) => {
        concat!(
            "INSERT INTO submissions \
             (id, kind, user_id, household_id, teaching_point_id, payload, receipt, submitted_at, accepted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            $tail
        )
    };
}

/// [`insert_if_absent`] as a statement of a [`batch`]: it changes one row when it inserts, none when the id is taken.
pub(super) fn insert_if_absent_statement(submission: &NewSubmission<'_>) -> Statement {
    Statement {
        sql: insert_submission!(" ON CONFLICT (id) DO NOTHING"),
        ..insert_statement(submission)
    }
}

/// The submission's row; a unique violation when another submission holds its id.
pub(super) fn insert_statement(submission: &NewSubmission<'_>) -> Statement {
    Statement {
        sql: insert_submission!(""),
        binds: vec![
            Bind::Text(submission.id.to_string()),
            Bind::Text(submission.kind.to_owned()),
            Bind::Text(submission.user_id.to_string()),
            Bind::OptionalText(submission.household_id.map(|id| id.to_string())),
            Bind::OptionalText(submission.teaching_point_id.map(|id| id.to_string())),
            Bind::Text(submission.payload.to_owned()),
            Bind::Text(submission.receipt.to_owned()),
            Bind::Text(format_instant(submission.submitted_at)),
            Bind::Text(format_instant(submission.accepted_at)),
        ],
    }
}

pub async fn find(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<StoredSubmission>, StoreError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT user_id, payload, receipt FROM submissions WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(executor)
            .await?;
    row.map(|(user_id, payload, receipt)| {
        Ok(StoredSubmission {
            user_id: parse_uuid("submissions.user_id", &user_id)?,
            payload,
            receipt,
        })
    })
    .transpose()
}

/// How many submissions are stored (for tests and the benchmark).
pub async fn count(executor: impl AnyExecutor<'_>) -> Result<i64, StoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM submissions")
        .fetch_one(executor)
        .await?;
    Ok(count)
}

fn encode<T: serde::Serialize>(what: &'static str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|source| StoreError::Encode { what, source })
}

pub async fn insert_income_sheet(
    executor: impl AnyExecutor<'_>,
    submission_id: Uuid,
    sheet: &IncomeSheet,
    created_at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO income_sheets (submission_id, sheet_id, household_id, year, sheet, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(submission_id.to_string())
    .bind(sheet.id.0.to_string())
    .bind(sheet.household_id.0.to_string())
    .bind(sheet.year)
    .bind(encode("income_sheets.sheet", sheet)?)
    .bind(format_instant(created_at))
    .execute(executor)
    .await?;
    Ok(())
}

/// Records a visit with the metadata of the photos its submission carried (shown in the household's history).
pub async fn insert_visit_log(
    executor: impl AnyExecutor<'_>,
    submission_id: Uuid,
    visit: &VisitLog,
    evidence: &[Evidence],
    created_at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO visit_logs \
         (submission_id, visit_id, household_id, started_at, visit, evidence, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(submission_id.to_string())
    .bind(visit.id.0.to_string())
    .bind(visit.household_id.0.to_string())
    .bind(format_instant(visit.started_at))
    .bind(encode("visit_logs.visit", visit)?)
    .bind(encode("visit_logs.evidence", &evidence)?)
    .bind(format_instant(created_at))
    .execute(executor)
    .await?;
    Ok(())
}

/// Stores one version of a session (`version` 1 for the first; `edit_reason` empty unless it was confirmed).
pub async fn insert_attendance(
    executor: impl AnyExecutor<'_>,
    submission_id: Uuid,
    session: &Session,
    version: u32,
    edit_reason: &str,
    created_at: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attendance_sessions \
         (submission_id, session_id, teaching_point_id, session_date, sheet, created_at, version, edit_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(submission_id.to_string())
    .bind(session.id.0.to_string())
    .bind(session.teaching_point_id.0.to_string())
    .bind(super::households::format_date(session.date))
    .bind(encode("attendance_sessions.sheet", session)?)
    .bind(format_instant(created_at))
    .bind(i64::from(version))
    .bind(edit_reason)
    .execute(executor)
    .await?;
    Ok(())
}

/// Records that the submission refers to these photos (already uploaded; repeats are ignored).
pub async fn link_photos(
    executor: &mut sqlx::AnyConnection,
    submission_id: Uuid,
    sha256s: &[String],
) -> Result<(), StoreError> {
    for chunk in sha256s.chunks(super::photos::HASHES_PER_STATEMENT) {
        let rows: Vec<String> = (2..chunk.len() + 2)
            .map(|placeholder| format!("($1, ${placeholder})"))
            .collect();
        let sql = format!(
            "INSERT INTO submission_photos (submission_id, sha256) VALUES {} \
             ON CONFLICT (submission_id, sha256) DO NOTHING",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(submission_id.to_string());
        for sha256 in chunk {
            query = query.bind(sha256);
        }
        query.execute(&mut *executor).await?;
    }
    Ok(())
}
