//! `POST /api/submissions`: a household visit or an attendance sheet from a phone's outbox, keyed by the UUID the
//! phone gave it.
//!
//! The UUID is an idempotency key: the first accepted submission stores one row and answers 201 with a receipt;
//! the same UUID again (a retry after a lost response, two tabs, concurrent duplicates) answers 200 with that same
//! receipt (`duplicate: true`) and writes nothing. The same UUID with other content, or from another account, is
//! refused with 409 `id_reused`. Refused submissions (403, 404, 409 `stale_base`, 422) store nothing, so the phone
//! may fix and resend them under the same UUID.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::{Evidence, check_schema_version};
use zoufang_domain::protocol::{
    Conflict, HouseholdVisit, Role, Submission, SubmissionReceipt, SubmissionRecord,
};
use zoufang_domain::risk::RiskRuleSet;
use zoufang_domain::validation::{
    Finding, ValidationConfig, ValidationContext, ValidationReport, earliest_visit_instant,
    validate_household_visit, warnings_without_reason,
};

use crate::AppState;
use crate::api::assignments::{assigned_household, policy_of};
use crate::api::photos::check_links;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::{ApiJson, AppError};
use crate::store::history::{self, HouseholdHistory};
use crate::store::households::{self, HouseholdRecord, StoredHousehold};
use crate::store::submissions::{self, NewSubmission, StoredSubmission};
use crate::store::visits::{self, Unwritten, VisitWrites};
use crate::store::{StoreError, format_instant, policy_lines};

/// Who may submit a household visit, said to everyone else.
pub const VISIT_FORBIDDEN: &str = "只有这一户的帮扶责任人和本村驻村第一书记可以提交走访记录。";
/// Who may submit an attendance sheet, said to everyone else.
pub const ATTENDANCE_FORBIDDEN: &str = "只有本教学点的村干部和本村驻村第一书记可以提交夜校签到表。";

/// Phones' clocks run a little fast or slow; a visit that starts up to this far in the server's future is not
/// refused as `VL-IN-FUTURE`.
const CLOCK_SKEW_ALLOWANCE: time::Duration = time::Duration::minutes(15);

/// 201 with a receipt the first time, 200 with the same receipt for a repeat; see the module documentation.
pub async fn submit(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<(StatusCode, Json<SubmissionReceipt>), AppError> {
    let payload = serde_json::to_string(&submission)
        .map_err(|error| AppError::Internal(format!("re-encoding a submission: {error}")))?;
    let now = OffsetDateTime::now_utc();
    let outcome = match accept(&state, &auth, &submission, &payload, now).await {
        Ok(outcome) => outcome,
        Err(refusal) => {
            return refusal_unless_stored(&state, &auth, &submission, &payload, refusal).await;
        }
    };
    match outcome {
        Outcome::Accepted(receipt) => {
            tracing::info!(
                submission_id = %submission.id,
                kind = submission.record.kind(),
                user_id = %auth.user_id,
                "submission accepted"
            );
            Ok((StatusCode::CREATED, Json(receipt)))
        }
        // Another request with the same UUID stored it first (a retry, or a concurrent duplicate).
        Outcome::AlreadyStored(stored) => replay(&stored, &auth, &payload),
    }
}

async fn accept(
    state: &AppState,
    auth: &AuthUser,
    submission: &Submission,
    payload: &str,
    now: OffsetDateTime,
) -> Result<Outcome, AppError> {
    check_submitted_at(submission.submitted_at, now)?;
    match &submission.record {
        SubmissionRecord::HouseholdVisit(visit) => {
            submit_visit(state, auth, submission, visit, payload, now).await
        }
        SubmissionRecord::Attendance(sheet) => {
            super::attendance::submit_attendance(state, auth, submission, sheet, payload, now).await
        }
    }
}

/// A repeat is answered from its stored receipt without checking anything again: the household may have moved
/// on, or the day changed, since it was accepted. A repeat that passes the checks meets its stored row at the
/// claim; one that fails them is found here, so only refused submissions pay for looking.
async fn refusal_unless_stored(
    state: &AppState,
    auth: &AuthUser,
    submission: &Submission,
    payload: &str,
    refusal: AppError,
) -> Result<(StatusCode, Json<SubmissionReceipt>), AppError> {
    match submissions::find(&state.pool, submission.id).await? {
        Some(stored) => replay(&stored, auth, payload),
        None => Err(refusal),
    }
}

/// How far ahead of the server's clock a phone's 提交 time may be before it is refused as impossible.
const SUBMITTED_AT_AHEAD_ALLOWANCE: time::Duration = time::Duration::days(1);

/// Refuses a `submitted_at` before the earliest visit year (China time) or more than a day ahead of `now`.
fn check_submitted_at(submitted_at: OffsetDateTime, now: OffsetDateTime) -> Result<(), AppError> {
    let config = ValidationConfig::default();
    let earliest = earliest_visit_instant(&config).ok_or_else(|| {
        AppError::Internal(format!(
            "earliest visit year {}",
            config.earliest_visit_year
        ))
    })?;
    if submitted_at < earliest || submitted_at > now + SUBMITTED_AT_AHEAD_ALLOWANCE {
        return Err(AppError::SubmittedAtOutOfRange);
    }
    Ok(())
}

pub(super) enum Outcome {
    Accepted(SubmissionReceipt),
    AlreadyStored(StoredSubmission),
}

/// Who wrote a submission's row first.
pub(super) enum Claim<'c> {
    /// This request: go on in the transaction, which holds the write lock.
    Won(sqlx::Transaction<'c, sqlx::Any>),
    /// Another request with the same UUID (the transaction is rolled back): answer with its row.
    Lost(StoredSubmission),
}

/// Inserts the submission's row first: among concurrent duplicates exactly one wins, and the insert takes the
/// write lock for the checks and writes that follow.
pub(super) async fn claim<'c>(
    state: &AppState,
    mut transaction: sqlx::Transaction<'c, sqlx::Any>,
    row: &NewSubmission<'_>,
) -> Result<Claim<'c>, AppError> {
    if submissions::insert_if_absent(&mut *transaction, row).await? {
        return Ok(Claim::Won(transaction));
    }
    transaction.rollback().await.map_err(StoreError::from)?;
    lost_to(state, row.id).await.map(Claim::Lost)
}

/// The submission that holds `id`, after this request's insert of it changed nothing (and was rolled back).
async fn lost_to(state: &AppState, id: Uuid) -> Result<StoredSubmission, AppError> {
    submissions::find(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::Internal("a conflicting submission vanished".to_owned()))
}

async fn already_stored(state: &AppState, id: Uuid) -> Result<Outcome, AppError> {
    lost_to(state, id).await.map(Outcome::AlreadyStored)
}

/// The stored receipt, marked as a repeat, when the same account sends the same content again.
fn replay(
    stored: &StoredSubmission,
    auth: &AuthUser,
    payload: &str,
) -> Result<(StatusCode, Json<SubmissionReceipt>), AppError> {
    if stored.user_id != auth.user_id || stored.payload != payload {
        return Err(AppError::IdReused);
    }
    let mut receipt: SubmissionReceipt =
        serde_json::from_str(&stored.receipt).map_err(|error| {
            AppError::Store(StoreError::Corrupt {
                column: "submissions.receipt",
                value: error.to_string(),
            })
        })?;
    receipt.duplicate = true;
    Ok((StatusCode::OK, Json(receipt)))
}

/// Refuses errors, and warnings without a written reason, with the findings that refused it.
pub(super) fn refuse_unless_submittable(
    report: ValidationReport,
    reasons: &std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    let unexplained = warnings_without_reason(&report, reasons);
    if report.can_submit() && unexplained.is_empty() {
        return Ok(());
    }
    let findings: Vec<Finding> = report
        .findings
        .into_iter()
        .filter(|finding| {
            finding.severity == zoufang_domain::validation::Severity::Error
                || unexplained.iter().any(|code| code == finding.code.as_str())
        })
        .collect();
    Err(AppError::ValidationFailed(findings))
}

/// The photo hashes a record refers to, without repeats.
pub(super) fn evidence_hashes(evidence: &[Evidence]) -> Vec<String> {
    let mut hashes: Vec<String> = evidence
        .iter()
        .map(|item| item.sha256.as_str().to_owned())
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes
}

fn may_submit_visit(auth: &AuthUser, household: &HouseholdRecord) -> bool {
    match auth.role {
        Role::Helper => household.helper_user_id == Some(auth.user_id),
        Role::FirstSecretary => auth.village_id == Some(household.village_id),
        Role::VillageCadre | Role::Admin => false,
    }
}

async fn submit_visit(
    state: &AppState,
    auth: &AuthUser,
    submission: &Submission,
    visit: &HouseholdVisit,
    payload: &str,
    now: OffsetDateTime,
) -> Result<Outcome, AppError> {
    if !matches!(auth.role, Role::Helper | Role::FirstSecretary) {
        return Err(AppError::Forbidden(VISIT_FORBIDDEN));
    }
    let household_id = visit.household.id.0;
    // The household and the policy lines in force, read together (one hand-off on SQLite).
    let mut reader = state.pool.acquire().await.map_err(StoreError::from)?;
    let (current, lines) =
        policy_lines::household_and_lines_in_force(&mut reader, household_id).await?;
    drop(reader);
    let current = current.ok_or(AppError::HouseholdNotFound)?;
    if !may_submit_visit(auth, &current) {
        return Err(AppError::Forbidden(VISIT_FORBIDDEN));
    }
    if visit.household.household_code != current.record.household_code {
        return Err(AppError::HouseholdCodeChanged);
    }
    let unmasked = super::bank_account::with_kept_bank_account_number(visit, &current.record);
    let visit = unmasked.as_ref().unwrap_or(visit);
    refuse_helper_change(visit, &current)?;
    for version in [
        visit.household.schema_version,
        visit.plan.schema_version,
        visit.income.schema_version,
        visit.visit.schema_version,
    ] {
        check_schema_version(version).map_err(|_| AppError::UnsupportedSchemaVersion(version))?;
    }
    let policy = policy_of(lines)?;
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today: china_date(now),
        policy: policy.tables(),
        config: &config,
    };
    refuse_unless_submittable(
        validate_household_visit(visit, &context, now + CLOCK_SKEW_ALLOWANCE),
        &visit.warning_reasons,
    )?;
    // The base version is checked inside the transaction, after the insert: a concurrent duplicate that has just
    // committed must be answered as a repeat, not as a stale base.
    let hashes = evidence_hashes(&visit.evidence);

    let receipt = SubmissionReceipt {
        id: submission.id,
        accepted_at: format_instant(now),
        household_version: Some(
            visit
                .base_version
                .checked_add(1)
                .ok_or(AppError::InvalidBaseVersion)?,
        ),
        duplicate: false,
    };
    let receipt_json = serde_json::to_string(&receipt)
        .map_err(|error| AppError::Internal(format!("encoding a receipt: {error}")))?;
    let claim = NewSubmission {
        id: submission.id,
        kind: submission.record.kind(),
        user_id: auth.user_id,
        household_id: Some(household_id),
        teaching_point_id: None,
        payload,
        receipt: &receipt_json,
        submitted_at: submission.submitted_at,
        accepted_at: now,
    };
    let writes = VisitWrites {
        submission_id: submission.id,
        household: &visit.household,
        base_version: visit.base_version,
        plan: &visit.plan,
        income: &visit.income,
        visit: &visit.visit,
        evidence: &visit.evidence,
        visited_on: china_date(visit.visit.started_at),
        accepted_at: now,
    };
    let mut writer = state.writer.acquire().await?;
    // On SQLite a visit with no photos to link is written in a transaction of its own, in one hand-off.
    if hashes.is_empty()
        && let Some(written) =
            visits::claim_and_record_in_one_step(&mut writer, &claim, &writes).await
    {
        drop(writer);
        return match written.transpose() {
            None => Ok(Outcome::Accepted(receipt)),
            Some(unwritten) => {
                unwritten_visit(state, auth, submission.id, visit, unwritten, now, &policy).await
            }
        };
    }
    let mut transaction = writer.begin().await?;
    // The submission's row and the visit's writes, each of which writes only while the household is still at the
    // base version: a concurrent duplicate that has just committed is answered as a repeat, not as a stale base.
    let unwritten = visits::claim_and_record(&mut transaction, &claim, &writes)
        .await
        .transpose();
    if let Some(unwritten) = unwritten {
        transaction.rollback().await.map_err(StoreError::from)?;
        drop(writer);
        return unwritten_visit(state, auth, submission.id, visit, unwritten, now, &policy).await;
    }
    if !hashes.is_empty() {
        if let Err(refusal) = check_links(&mut transaction, auth, &hashes).await {
            transaction.rollback().await.map_err(StoreError::from)?;
            return Err(refusal);
        }
        submissions::link_photos(&mut transaction, submission.id, &hashes).await?;
    }
    transaction.commit().await.map_err(StoreError::from)?;
    Ok(Outcome::Accepted(receipt))
}

/// The answer to a visit whose writes were rolled back: the submission that holds its id, or the server's copy of a
/// household that has moved on from the visit's base version.
async fn unwritten_visit(
    state: &AppState,
    auth: &AuthUser,
    submission_id: Uuid,
    visit: &HouseholdVisit,
    unwritten: Result<Unwritten, StoreError>,
    now: OffsetDateTime,
    policy: &zoufang_domain::protocol::PolicyDocument,
) -> Result<Outcome, AppError> {
    let household_id = visit.household.id.0;
    match unwritten {
        Ok(Unwritten::Lost) => already_stored(state, submission_id).await,
        Ok(Unwritten::Stale) => {
            let current = households::find(&state.pool, household_id)
                .await?
                .ok_or(AppError::HouseholdNotFound)?;
            let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
            let mut histories = history::load(&mut connection, &[household_id]).await?;
            let history = histories.remove(&household_id).unwrap_or_default();
            Err(stale_base(
                visit.base_version,
                current,
                history,
                auth.role,
                now,
                policy,
            ))
        }
        // A write that failed because another submission holds the id (its visit rows have the same key) is
        // answered with that submission.
        Err(error) => match submissions::find(&state.pool, submission_id).await? {
            Some(stored) => Ok(Outcome::AlreadyStored(stored)),
            None => Err(error.into()),
        },
    }
}

/// Who helps a household is changed only by its first secretary or an admin (`POST /api/households/{id}/helper`,
/// `admin assign-helper`): a visit whose `helpers` differ from the server copy it is based on is refused, whoever
/// sends it. A visit based on an older copy is left to the base-version check (409 with the server copy).
fn refuse_helper_change(visit: &HouseholdVisit, current: &HouseholdRecord) -> Result<(), AppError> {
    if visit.base_version == current.version && visit.household.helpers != current.record.helpers {
        return Err(AppError::HelpersChanged);
    }
    Ok(())
}

fn stale_base(
    base_version: i64,
    current: StoredHousehold,
    history: HouseholdHistory,
    viewer: Role,
    now: OffsetDateTime,
    policy: &zoufang_domain::protocol::PolicyDocument,
) -> AppError {
    let server = assigned_household(
        current,
        history,
        viewer,
        china_date(now),
        policy,
        &RiskRuleSet::default(),
    );
    AppError::StaleBase(Box::new(Conflict {
        code: "stale_base".to_owned(),
        message: format!(
            "这一户在服务器上已更新（版本 {}，你的修改基于版本 {base_version}）。请对照服务器上的内容后重新提交。",
            server.version
        ),
        base_version,
        server,
    }))
}
