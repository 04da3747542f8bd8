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
    AttendanceSheet, Conflict, HouseholdVisit, Role, SessionConflict, Submission,
    SubmissionReceipt, SubmissionRecord,
};
use zoufang_domain::risk::RiskRuleSet;
use zoufang_domain::validation::{
    FieldPath, Finding, ValidationConfig, ValidationContext, ValidationReport,
    earliest_visit_instant, record_bounds, validate_household_visit, validate_session,
    warnings_without_reason,
};

use crate::AppState;
use crate::api::assignments::{assigned_household, policy};
use crate::api::photos::check_links;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::{ApiJson, AppError};
use crate::store::changes::{self, ChangeKind};
use crate::store::history::{self, HouseholdHistory};
use crate::store::households::{self, RecordUpdate, StoredHousehold};
use crate::store::plans::{self, NewPlanVersion};
use crate::store::submissions::{self, NewSubmission, StoredSubmission};
use crate::store::{self, StoreError, format_instant, night_school, villages};

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
    // The common retry: answered from the stored receipt without checking anything else again.
    if let Some(stored) = submissions::find(&state.pool, submission.id).await? {
        return replay(&stored, &auth, &payload);
    }
    let now = OffsetDateTime::now_utc();
    check_submitted_at(submission.submitted_at, now)?;
    let outcome = match &submission.record {
        SubmissionRecord::HouseholdVisit(visit) => {
            submit_visit(&state, &auth, &submission, visit, &payload, now).await?
        }
        SubmissionRecord::Attendance(sheet) => {
            submit_attendance(&state, &auth, &submission, sheet, &payload, now).await?
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
        // Another request with the same UUID won the insert between our first look and our transaction.
        Outcome::AlreadyStored(stored) => replay(&stored, &auth, &payload),
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

enum Outcome {
    Accepted(SubmissionReceipt),
    AlreadyStored(StoredSubmission),
}

/// Who wrote a submission's row first.
enum Claim {
    /// This request: go on in the transaction, which holds the write lock.
    Won(sqlx::Transaction<'static, sqlx::Any>),
    /// Another request with the same UUID (the transaction is rolled back): answer with its row.
    Lost(StoredSubmission),
}

/// Inserts the submission's row first: among concurrent duplicates exactly one wins, and the insert takes the
/// write lock for the checks and writes that follow.
async fn claim(
    mut transaction: sqlx::Transaction<'static, sqlx::Any>,
    row: &NewSubmission<'_>,
) -> Result<Claim, AppError> {
    if submissions::insert_if_absent(&mut *transaction, row).await? {
        return Ok(Claim::Won(transaction));
    }
    let stored = submissions::find(&mut *transaction, row.id).await?;
    transaction.rollback().await.map_err(StoreError::from)?;
    stored
        .map(Claim::Lost)
        .ok_or_else(|| AppError::Internal("a conflicting submission vanished".to_owned()))
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
fn refuse_unless_submittable(
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
fn evidence_hashes(evidence: &[Evidence]) -> Vec<String> {
    let mut hashes: Vec<String> = evidence
        .iter()
        .map(|item| item.sha256.as_str().to_owned())
        .collect();
    hashes.sort();
    hashes.dedup();
    hashes
}

fn may_submit_visit(auth: &AuthUser, household: &StoredHousehold) -> bool {
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
    let current = households::find(&state.pool, household_id)
        .await?
        .ok_or(AppError::HouseholdNotFound)?;
    if !may_submit_visit(auth, &current) {
        return Err(AppError::Forbidden(VISIT_FORBIDDEN));
    }
    if visit.household.household_code != current.record.household_code {
        return Err(AppError::HouseholdCodeChanged);
    }
    let unmasked = super::bank_account::with_kept_bank_account_number(visit, &current);
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
    let policy = policy(&state.pool).await?;
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
    let transaction = state.pool.begin().await.map_err(StoreError::from)?;
    // The insert comes first: it decides between concurrent duplicates and takes the write lock.
    let mut transaction = match claim(
        transaction,
        &NewSubmission {
            id: submission.id,
            kind: submission.record.kind(),
            user_id: auth.user_id,
            household_id: Some(household_id),
            teaching_point_id: None,
            payload,
            receipt: &receipt_json,
            submitted_at: submission.submitted_at,
            accepted_at: now,
        },
    )
    .await?
    {
        Claim::Won(transaction) => transaction,
        Claim::Lost(stored) => return Ok(Outcome::AlreadyStored(stored)),
    };
    // Under the write lock, so no other visit to the household can commit between this check and ours.
    store::serialize_on(&mut transaction, household_id).await?;
    if households::version(&mut *transaction, household_id).await? != Some(visit.base_version) {
        transaction.rollback().await.map_err(StoreError::from)?;
        let current = households::find(&state.pool, household_id)
            .await?
            .ok_or(AppError::HouseholdNotFound)?;
        let mut connection = state.pool.acquire().await.map_err(StoreError::from)?;
        let mut histories = history::load(&mut connection, &[household_id]).await?;
        let history = histories.remove(&household_id).unwrap_or_default();
        return Err(stale_base(
            visit.base_version,
            current,
            history,
            auth.role,
            now,
            &policy,
        ));
    }
    if let Err(refusal) = check_links(&mut transaction, auth, &hashes).await {
        transaction.rollback().await.map_err(StoreError::from)?;
        return Err(refusal);
    }
    submissions::link_photos(&mut transaction, submission.id, &hashes).await?;
    plans::insert(
        &mut *transaction,
        &NewPlanVersion {
            submission_id: submission.id,
            household_id,
            plan: &visit.plan,
            created_at: now,
        },
    )
    .await?;
    submissions::insert_income_sheet(&mut *transaction, submission.id, &visit.income, now).await?;
    submissions::insert_visit_log(
        &mut *transaction,
        submission.id,
        &visit.visit,
        &visit.evidence,
        now,
    )
    .await?;
    let updated = households::update_record(
        &mut *transaction,
        &RecordUpdate {
            record: &visit.household,
            base_version: visit.base_version,
            visited_on: Some(china_date(visit.visit.started_at)),
            visit_submission_id: Some(submission.id),
            updated_at: now,
        },
    )
    .await?;
    if !updated {
        return Err(AppError::Internal(
            "the household version moved under the write lock".to_owned(),
        ));
    }
    changes::append(&mut transaction, household_id, ChangeKind::Visit, now).await?;
    transaction.commit().await.map_err(StoreError::from)?;
    Ok(Outcome::Accepted(receipt))
}

/// Who helps a household is changed only by its first secretary or an admin (`POST /api/households/{id}/helper`,
/// `admin assign-helper`): a visit whose `helpers` differ from the server copy it is based on is refused, whoever
/// sends it. A visit based on an older copy is left to the base-version check (409 with the server copy).
fn refuse_helper_change(visit: &HouseholdVisit, current: &StoredHousehold) -> Result<(), AppError> {
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

async fn submit_attendance(
    state: &AppState,
    auth: &AuthUser,
    submission: &Submission,
    sheet: &AttendanceSheet,
    payload: &str,
    now: OffsetDateTime,
) -> Result<Outcome, AppError> {
    if !matches!(auth.role, Role::VillageCadre | Role::FirstSecretary) {
        return Err(AppError::Forbidden(ATTENDANCE_FORBIDDEN));
    }
    let point_id = sheet.session.teaching_point_id.0;
    let village_id = villages::teaching_point_village(&state.pool, point_id)
        .await?
        .ok_or(AppError::TeachingPointNotFound)?;
    let allowed = match auth.role {
        Role::VillageCadre => auth.teaching_point_id == Some(point_id),
        Role::FirstSecretary => auth.village_id == Some(village_id),
        Role::Helper | Role::Admin => false,
    };
    if !allowed {
        return Err(AppError::Forbidden(ATTENDANCE_FORBIDDEN));
    }
    check_schema_version(sheet.session.schema_version)
        .map_err(|_| AppError::UnsupportedSchemaVersion(sheet.session.schema_version))?;
    let mut report = validate_session(&sheet.session);
    report.findings.extend(record_bounds(
        &sheet.session,
        &FieldPath::root(),
        &ValidationConfig::default(),
    ));
    refuse_unless_submittable(report, &sheet.warning_reasons)?;
    let listed = named_households(&sheet.session);
    let known = households::villages_of(&state.pool, &listed).await?;
    let mut outside: Vec<String> = listed
        .iter()
        .filter(|id| {
            !known
                .iter()
                .any(|(known_id, village)| known_id == *id && *village == village_id)
        })
        .map(Uuid::to_string)
        .collect();
    outside.dedup();
    if !outside.is_empty() {
        return Err(AppError::HouseholdsOutsideVillage(outside));
    }
    let roster = night_school::roster_ids(&state.pool, point_id, village_id).await?;
    let off_roster: Vec<String> = listed
        .iter()
        .filter(|id| !roster.contains(id))
        .map(Uuid::to_string)
        .collect();
    if !off_roster.is_empty() {
        return Err(AppError::HouseholdsOffRoster(off_roster));
    }
    let hashes = evidence_hashes(&sheet.evidence);

    let receipt = SubmissionReceipt {
        id: submission.id,
        accepted_at: format_instant(now),
        household_version: None,
        duplicate: false,
    };
    let receipt_json = serde_json::to_string(&receipt)
        .map_err(|error| AppError::Internal(format!("encoding a receipt: {error}")))?;
    let transaction = state.pool.begin().await.map_err(StoreError::from)?;
    let mut transaction = match claim(
        transaction,
        &NewSubmission {
            id: submission.id,
            kind: submission.record.kind(),
            user_id: auth.user_id,
            household_id: None,
            teaching_point_id: Some(point_id),
            payload,
            receipt: &receipt_json,
            submitted_at: submission.submitted_at,
            accepted_at: now,
        },
    )
    .await?
    {
        Claim::Won(transaction) => transaction,
        Claim::Lost(stored) => return Ok(Outcome::AlreadyStored(stored)),
    };
    // Under the write lock: no other version of the session can commit between this check and the insert.
    store::serialize_on(&mut transaction, sheet.session.id.0).await?;
    if let Err(refusal) = check_session_base(&mut transaction, sheet, point_id).await {
        transaction.rollback().await.map_err(StoreError::from)?;
        return Err(match refusal {
            SessionRefusal::Stale => session_conflict(state, sheet).await?,
            SessionRefusal::Other(error) => error,
        });
    }
    if let Err(refusal) = check_links(&mut transaction, auth, &hashes).await {
        transaction.rollback().await.map_err(StoreError::from)?;
        return Err(refusal);
    }
    submissions::link_photos(&mut transaction, submission.id, &hashes).await?;
    submissions::insert_attendance(
        &mut *transaction,
        submission.id,
        &sheet.session,
        sheet.base_version.saturating_add(1),
        sheet.edit_reason.trim(),
        now,
    )
    .await?;
    transaction.commit().await.map_err(StoreError::from)?;
    Ok(Outcome::Accepted(receipt))
}

/// Every household a sheet names (attendance, 点单, 961017 referrals, 集市 sellers), each once, in order.
fn named_households(session: &zoufang_domain::model::Session) -> Vec<Uuid> {
    let mut named: Vec<Uuid> = Vec::new();
    let all = session
        .attendance
        .iter()
        .map(|entry| entry.household_id.0)
        .chain(
            session
                .training_requests
                .iter()
                .filter_map(|r| r.household_id.map(|id| id.0)),
        )
        .chain(
            session
                .hotline_referrals
                .iter()
                .filter_map(|r| r.household_id.map(|id| id.0)),
        )
        .chain(
            session
                .market_sales
                .iter()
                .map(|sale| sale.seller_household_id.0),
        );
    for id in all {
        if !named.contains(&id) {
            named.push(id);
        }
    }
    named
}

enum SessionRefusal {
    Stale,
    Other(AppError),
}

impl From<StoreError> for SessionRefusal {
    fn from(error: StoreError) -> Self {
        SessionRefusal::Other(error.into())
    }
}

/// A new session has base 0; an edit names the current version, keeps its teaching point and, once that version is
/// confirmed, says why.
async fn check_session_base(
    transaction: &mut sqlx::AnyConnection,
    sheet: &AttendanceSheet,
    point_id: Uuid,
) -> Result<(), SessionRefusal> {
    let session_id = sheet.session.id.0;
    let current = night_school::current_version(&mut *transaction, session_id).await?;
    let (version, stored_point) = current.unwrap_or((0, point_id));
    if stored_point != point_id {
        return Err(SessionRefusal::Other(AppError::SessionPointChanged));
    }
    if sheet.base_version != version {
        return Err(SessionRefusal::Stale);
    }
    if version > 0
        && night_school::is_confirmed(&mut *transaction, session_id, version).await?
        && sheet.edit_reason.trim().is_empty()
    {
        return Err(SessionRefusal::Other(AppError::EditReasonRequired));
    }
    Ok(())
}

/// 409 `session_conflict` with the server's copy, so the phone can show what differs household by household.
async fn session_conflict(state: &AppState, sheet: &AttendanceSheet) -> Result<AppError, AppError> {
    let Some((_, server, _)) =
        crate::api::night_school::session_record(state, sheet.session.id.0).await?
    else {
        // The base names a version of a session the server never had.
        return Ok(AppError::InvalidBaseVersion);
    };
    Ok(AppError::SessionConflict(Box::new(SessionConflict {
        code: "session_conflict".to_owned(),
        message: format!(
            "这次夜校在服务器上已被修改（版本 {}，你的修改基于版本 {}）。请逐户核对后重新提交。",
            server.version, sheet.base_version
        ),
        base_version: sheet.base_version,
        server,
    })))
}
