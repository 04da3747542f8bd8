//! What a household's history sends with it: the latest accepted income sheet of each year, the latest visits with
//! their photos' metadata, the review decisions with their comments, and for a plan awaiting review the submission
//! as sent with the last approved version. Read for many households at once (five queries per batch, never one per
//! household), so a village of 300 households costs the same few queries.

use std::collections::HashMap;

use sqlx::AnyConnection;
use uuid::Uuid;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Evidence, VisitLog};
use zoufang_domain::protocol::{
    ApprovedVersion, HouseholdVisit, ReviewBasis, ReviewDecision, ReviewEntry, Submission,
    SubmissionRecord, VISIT_HISTORY_LIMIT, VisitEntry,
};

use super::{StoreError, format_instant, parse_uuid};

/// The history of one household, newest first in each list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdHistory {
    /// One sheet per year (the latest accepted), newest year first.
    pub income_sheets: Vec<IncomeSheet>,
    /// At most [`VISIT_HISTORY_LIMIT`].
    pub visits: Vec<VisitEntry>,
    /// At most [`VISIT_HISTORY_LIMIT`].
    pub reviews: Vec<ReviewEntry>,
    /// Only while the current plan awaits review.
    pub review_basis: Option<ReviewBasis>,
}

/// Households per query: well under SQLite's bound-parameter limit.
const BATCH: usize = 400;

/// The history of each listed household (households without any history are absent from the map).
pub async fn load(
    connection: &mut AnyConnection,
    household_ids: &[Uuid],
) -> Result<HashMap<Uuid, HouseholdHistory>, StoreError> {
    let mut histories: HashMap<Uuid, HouseholdHistory> = HashMap::new();
    for batch in household_ids.chunks(BATCH) {
        let ids: Vec<String> = batch.iter().map(Uuid::to_string).collect();
        for (household, sheet) in income_sheets(&mut *connection, &ids).await? {
            histories
                .entry(household)
                .or_default()
                .income_sheets
                .push(sheet);
        }
        for (household, visit) in visits(&mut *connection, &ids).await? {
            histories.entry(household).or_default().visits.push(visit);
        }
        for (household, review) in reviews(&mut *connection, &ids).await? {
            histories.entry(household).or_default().reviews.push(review);
        }
        let mut approved = approved_versions(&mut *connection, &ids).await?;
        for (household, submission_id, submitted) in
            pending_submissions(&mut *connection, &ids).await?
        {
            histories.entry(household).or_default().review_basis = Some(ReviewBasis {
                submission_id,
                submitted,
                approved: approved.remove(&household),
            });
        }
    }
    Ok(histories)
}

/// `$1, $2, … $count`: numbered placeholders, the form both engines accept.
pub(crate) fn placeholders(count: usize) -> String {
    (1..=count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The household visit a stored submission payload carries. A payload this build cannot read (written by an
/// older or newer app) only leaves the review without its basis — logged, never failing a whole village's download.
fn readable_payload(submission_id: &str, payload: &str) -> Option<HouseholdVisit> {
    match serde_json::from_str::<Submission>(payload) {
        Ok(Submission {
            record: SubmissionRecord::HouseholdVisit(visit),
            ..
        }) => Some(visit),
        Ok(_) => {
            tracing::warn!(
                submission_id,
                "a plan's submission is not a household visit"
            );
            None
        }
        Err(error) => {
            tracing::warn!(submission_id, %error, "a plan's submission payload does not decode");
            None
        }
    }
}

/// The submission carrying each listed household's current plan, for those whose plan awaits review.
async fn pending_submissions(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Uuid, Uuid, HouseholdVisit)>, StoreError> {
    let sql = format!(
        "SELECT h.id, s.id, s.payload FROM households h \
         JOIN plan_versions p ON p.submission_id = h.plan_submission_id \
         JOIN submissions s ON s.id = p.submission_id \
         WHERE p.status = 'pending' AND h.id IN ({})",
        placeholders(ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String, String)>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query
        .fetch_all(connection)
        .await?
        .into_iter()
        .filter_map(|(household, submission, payload)| {
            readable_payload(&submission, &payload).map(|visit| {
                Ok((
                    parse_uuid("households.id", &household)?,
                    parse_uuid("submissions.id", &submission)?,
                    visit,
                ))
            })
        })
        .collect()
}

/// The latest approved plan version of each listed household, with the record and income sheet its submission
/// carried.
async fn approved_versions(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<HashMap<Uuid, ApprovedVersion>, StoreError> {
    let sql = format!(
        "SELECT household_id, submission_id, reviewed_at, payload FROM ( \
           SELECT p.household_id, p.submission_id, p.reviewed_at, s.payload, ROW_NUMBER() OVER ( \
             PARTITION BY p.household_id ORDER BY p.reviewed_at DESC, p.created_at DESC) AS n \
           FROM plan_versions p JOIN submissions s ON s.id = p.submission_id \
           WHERE p.status = 'approved' AND p.household_id IN ({})) AS approved \
         WHERE n = 1",
        placeholders(ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String, Option<String>, String)>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query
        .fetch_all(connection)
        .await?
        .into_iter()
        .filter_map(|(household, submission, approved_at, payload)| {
            let visit = readable_payload(&submission, &payload)?;
            let parsed = (|| {
                Ok((
                    parse_uuid("plan_versions.household_id", &household)?,
                    ApprovedVersion {
                        submission_id: parse_uuid("plan_versions.submission_id", &submission)?,
                        approved_at,
                        household: visit.household,
                        plan: visit.plan,
                        income: visit.income,
                    },
                ))
            })();
            Some(parsed)
        })
        .collect()
}

fn decode<T: serde::de::DeserializeOwned>(
    column: &'static str,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|error| StoreError::Corrupt {
        column,
        value: error.to_string(),
    })
}

async fn income_sheets(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Uuid, IncomeSheet)>, StoreError> {
    // The latest accepted sheet per household and year; a later submission for the same year replaces it.
    let sql = format!(
        "SELECT household_id, sheet FROM ( \
           SELECT i.household_id, i.year, i.sheet, ROW_NUMBER() OVER ( \
             PARTITION BY i.household_id, i.year ORDER BY i.created_at DESC, s.accepted_at DESC) AS n \
           FROM income_sheets i JOIN submissions s ON s.id = i.submission_id \
           WHERE i.household_id IN ({})) ranked \
         WHERE n = 1 ORDER BY household_id, year DESC",
        placeholders(ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query
        .fetch_all(connection)
        .await?
        .into_iter()
        .map(|(household, sheet)| {
            Ok((
                parse_uuid("income_sheets.household_id", &household)?,
                decode("income_sheets.sheet", &sheet)?,
            ))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    household_id: String,
    submission_id: String,
    visit: String,
    evidence: String,
    accepted_at: String,
    submitted_by: Option<String>,
}

async fn visits(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Uuid, VisitEntry)>, StoreError> {
    let sql = format!(
        "SELECT household_id, submission_id, visit, evidence, accepted_at, submitted_by FROM ( \
           SELECT v.household_id, v.submission_id, v.visit, v.evidence, v.started_at, s.accepted_at, \
                  u.name AS submitted_by, ROW_NUMBER() OVER ( \
             PARTITION BY v.household_id ORDER BY v.started_at DESC, s.accepted_at DESC) AS n \
           FROM visit_logs v JOIN submissions s ON s.id = v.submission_id \
           LEFT JOIN users u ON u.id = s.user_id \
           WHERE v.household_id IN ({})) ranked \
         WHERE n <= ${} ORDER BY household_id, started_at DESC, accepted_at DESC",
        placeholders(ids.len()),
        ids.len() + 1
    );
    let mut query = sqlx::query_as::<_, VisitRow>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let limit = i64::try_from(VISIT_HISTORY_LIMIT).unwrap_or(i64::MAX);
    query
        .bind(limit)
        .fetch_all(connection)
        .await?
        .into_iter()
        .map(|row| {
            let visit: VisitLog = decode("visit_logs.visit", &row.visit)?;
            let evidence: Vec<Evidence> = decode("visit_logs.evidence", &row.evidence)?;
            Ok((
                parse_uuid("visit_logs.household_id", &row.household_id)?,
                VisitEntry {
                    submission_id: parse_uuid("visit_logs.submission_id", &row.submission_id)?,
                    visit,
                    evidence,
                    submitted_by: row.submitted_by,
                    accepted_at: row.accepted_at,
                },
            ))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    household_id: String,
    submission_id: String,
    decision: String,
    comments: String,
    reviewer_name: Option<String>,
    decided_at: String,
}

async fn reviews(
    connection: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<(Uuid, ReviewEntry)>, StoreError> {
    let sql = format!(
        "SELECT id, household_id, submission_id, decision, comments, reviewer_name, decided_at FROM ( \
           SELECT d.id, d.household_id, d.submission_id, d.decision, d.comments, d.decided_at, \
                  u.name AS reviewer_name, ROW_NUMBER() OVER ( \
             PARTITION BY d.household_id ORDER BY d.decided_at DESC, d.id) AS n \
           FROM review_decisions d LEFT JOIN users u ON u.id = d.user_id \
           WHERE d.household_id IN ({})) ranked \
         WHERE n <= ${} ORDER BY household_id, decided_at DESC, id",
        placeholders(ids.len()),
        ids.len() + 1
    );
    let mut query = sqlx::query_as::<_, ReviewRow>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let limit = i64::try_from(VISIT_HISTORY_LIMIT).unwrap_or(i64::MAX);
    query
        .bind(limit)
        .fetch_all(connection)
        .await?
        .into_iter()
        .map(|row| {
            Ok((
                parse_uuid("review_decisions.household_id", &row.household_id)?,
                ReviewEntry {
                    id: parse_uuid("review_decisions.id", &row.id)?,
                    submission_id: parse_uuid(
                        "review_decisions.submission_id",
                        &row.submission_id,
                    )?,
                    decision: parse_decision(&row.decision)?,
                    comments: row.comments,
                    reviewer_name: row.reviewer_name,
                    decided_at: row.decided_at,
                },
            ))
        })
        .collect()
}

/// The stable code of a decision, as stored.
pub fn decision_code(decision: ReviewDecision) -> &'static str {
    match decision {
        ReviewDecision::Approve => "approve",
        ReviewDecision::Return => "return",
    }
}

fn parse_decision(code: &str) -> Result<ReviewDecision, StoreError> {
    match code {
        "approve" => Ok(ReviewDecision::Approve),
        "return" => Ok(ReviewDecision::Return),
        other => Err(StoreError::Corrupt {
            column: "review_decisions.decision",
            value: other.to_owned(),
        }),
    }
}

/// A review decision to record.
#[derive(Debug, Clone)]
pub struct NewReviewDecision<'a> {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub household_id: Uuid,
    pub user_id: Uuid,
    pub decision: ReviewDecision,
    pub comments: &'a str,
    pub decided_at: time::OffsetDateTime,
}

/// Records a decision under its id. Returns false (and writes nothing) when the id is already taken: the caller
/// then reads the stored one with [`find_decision`] to tell a repeat from a reused id.
pub async fn insert_decision(
    connection: &mut AnyConnection,
    decision: &NewReviewDecision<'_>,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO review_decisions \
         (id, submission_id, household_id, user_id, decision, comments, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(decision.id.to_string())
    .bind(decision.submission_id.to_string())
    .bind(decision.household_id.to_string())
    .bind(decision.user_id.to_string())
    .bind(decision_code(decision.decision))
    .bind(decision.comments)
    .bind(format_instant(decision.decided_at))
    .execute(connection)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// A recorded decision, as a repeat is compared with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub submission_id: Uuid,
    pub user_id: Uuid,
    pub decision: ReviewDecision,
    pub comments: String,
}

/// The decision recorded under `id`, if any.
pub async fn find_decision(
    connection: &mut AnyConnection,
    id: Uuid,
) -> Result<Option<StoredDecision>, StoreError> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT submission_id, user_id, decision, comments FROM review_decisions WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(connection)
    .await?;
    row.map(|(submission_id, user_id, decision, comments)| {
        Ok(StoredDecision {
            submission_id: parse_uuid("review_decisions.submission_id", &submission_id)?,
            user_id: parse_uuid("review_decisions.user_id", &user_id)?,
            decision: parse_decision(&decision)?,
            comments,
        })
    })
    .transpose()
}
