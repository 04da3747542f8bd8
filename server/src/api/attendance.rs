//! An attendance sheet from a phone's outbox (`POST /api/submissions` with a night-school record): who may send it,
//! its households on the point's roster, its version against the session's current one, and one session per
//! teaching point and date — a sheet for a Monday another phone recorded first is folded into that session or
//! refused as a conflict, never stored as a second session. The claim step is the submissions module's.

use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::check_schema_version;
use zoufang_domain::protocol::{
    AttendanceSheet, Role, SessionConflict, Submission, SubmissionReceipt,
};
use zoufang_domain::validation::{FieldPath, ValidationConfig, record_bounds, validate_session};

use super::submissions::{
    ATTENDANCE_FORBIDDEN, Claim, Outcome, claim, evidence_hashes, refuse_unless_submittable,
};
use crate::AppState;
use crate::api::photos::check_links;
use crate::auth::AuthUser;
use crate::error::AppError;
use crate::store::submissions::{self, NewSubmission};
use crate::store::{self, StoreError, format_instant, households, night_school, villages};

pub(super) async fn submit_attendance(
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
    let mut writer = state.writer.acquire().await?;
    let transaction = writer.begin().await?;
    let mut transaction = match claim(
        state,
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
    // Under the write lock, taken on the teaching point: no other sheet of the point (another version of the
    // session, or the same Monday started on another phone) can commit between these checks and the insert.
    store::serialize_on(&mut transaction, point_id).await?;
    let sheet = match same_day_session(&mut transaction, sheet, point_id).await {
        Ok(sheet) => sheet,
        Err(refusal) => {
            transaction.rollback().await.map_err(StoreError::from)?;
            return Err(match refusal {
                SessionRefusal::Stale => session_conflict(state, sheet).await?,
                SessionRefusal::MarkedDifferently(sheet, households) => {
                    same_day_conflict(state, &sheet, households).await?
                }
                SessionRefusal::Other(error) => error,
            });
        }
    };
    let sheet = &sheet;
    if let Err(refusal) = check_session_base(&mut transaction, sheet, point_id).await {
        transaction.rollback().await.map_err(StoreError::from)?;
        return Err(match refusal {
            SessionRefusal::Stale => session_conflict(state, sheet).await?,
            SessionRefusal::MarkedDifferently(sheet, households) => {
                same_day_conflict(state, &sheet, households).await?
            }
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
    /// A sheet started on another phone for a point and date the server has a session for: these households are
    /// marked differently on the two (the sheet addressed to the existing session).
    MarkedDifferently(Box<AttendanceSheet>, usize),
    Other(AppError),
}

/// One session per teaching point and date. A sheet whose session the server does not know, for a point and date it
/// already has a session for (two phones each started the same Monday offline), addresses that session: a first
/// version (base 0) is folded into its current version when no household is marked differently and that version is
/// not confirmed, else refused as a conflict with the server's copy; a later version is an edit of it.
async fn same_day_session(
    transaction: &mut sqlx::AnyConnection,
    sheet: &AttendanceSheet,
    point_id: Uuid,
) -> Result<AttendanceSheet, SessionRefusal> {
    let mut sheet = sheet.clone();
    let session_id = sheet.session.id.0;
    if night_school::current_version(&mut *transaction, session_id)
        .await?
        .is_some()
    {
        return Ok(sheet);
    }
    let Some(existing) =
        night_school::session_on_date(&mut *transaction, point_id, sheet.session.date)
            .await?
            .filter(|existing| *existing != session_id)
    else {
        return Ok(sheet);
    };
    sheet.session.id = zoufang_domain::model::SessionId(existing);
    if sheet.base_version != 0 {
        return Ok(sheet);
    }
    let Some(current) = night_school::versions_of_session(&mut *transaction, existing)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(sheet);
    };
    let confirmed =
        night_school::is_confirmed(&mut *transaction, existing, current.version).await?;
    match zoufang_domain::night_school_fold::fold_into(&current.session, &sheet.session) {
        Ok(folded) if !confirmed => {
            sheet.session = folded;
            sheet.base_version = current.version;
            Ok(sheet)
        }
        Ok(_) => Err(SessionRefusal::MarkedDifferently(Box::new(sheet), 0)),
        Err(households) => Err(SessionRefusal::MarkedDifferently(
            Box::new(sheet),
            households.len(),
        )),
    }
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
    if sheet.base_version > version {
        // No phone can have started from a version the server never made.
        return Err(SessionRefusal::Other(AppError::InvalidBaseVersion));
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

/// 409 `session_conflict` for a sheet of a Monday another phone recorded first: the server's copy, so the phone
/// compares household by household (`households` marked differently; 0 when the server's version is confirmed).
async fn same_day_conflict(
    state: &AppState,
    sheet: &AttendanceSheet,
    households: usize,
) -> Result<AppError, AppError> {
    let Some((_, server, _)) =
        crate::api::night_school::session_record(state, sheet.session.id.0).await?
    else {
        return Ok(AppError::InvalidBaseVersion);
    };
    let message = if households == 0 {
        format!(
            "这一天的夜校已由另一部手机提交并经确认（版本 {}）。请逐户核对，写明修改原因后重新提交。",
            server.version
        )
    } else {
        format!(
            "这一天的夜校已由另一部手机提交（版本 {}），其中 {households} 户两边记录不同。请逐户核对后重新提交。",
            server.version
        )
    };
    Ok(AppError::SessionConflict(Box::new(SessionConflict {
        code: "session_conflict".to_owned(),
        message,
        base_version: 0,
        server,
    })))
}
