//! 电视夜校 for cadres and first secretaries: `GET /api/night-school` (the teaching point's roster — names, 组 and
//! members' names only — and its sessions with their versions, rates and confirmations), the first secretary's
//! `POST /api/night-school/sessions/{id}/confirm`, and the CSV exports. Sessions themselves arrive through
//! `POST /api/submissions` (see `submissions.rs`).
//!
//! The roster of a teaching point is the households of its village assigned to it and those assigned to no point
//! (`store::night_school::roster_ids`); the first secretary assigns them (`night_school_roster.rs`).

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::{Month, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::labels::{Labelled, Locale};
use zoufang_domain::model::{AttendanceStatus, HouseholdId, Relation, Session};
use zoufang_domain::night_school::{
    AbsenceFollowUp, NightSchoolRules, follow_ups, month_participation,
};
use zoufang_domain::protocol::{
    ConfirmSessionRequest, NightSchoolResponse, Role, RosterHousehold, RosterMember,
    SessionConfirmation, SessionRecord, SessionVersion, TeachingPointSheet,
};

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::china_date;
use crate::error::{ApiJson, AppError};
use crate::store::households::{self, StoredHousehold};
use crate::store::night_school::{
    self as store, NewConfirmation, StoredConfirmation, StoredSessionVersion, StoredTeachingPoint,
};

/// Who may open the night school, said to everyone else.
pub const NIGHT_SCHOOL_FORBIDDEN: &str = "只有教学点的村干部和本村驻村第一书记可以查看夜校签到。";
/// Who may confirm a session.
pub const CONFIRM_FORBIDDEN: &str = "只有本村驻村第一书记可以确认夜校签到表。";

/// The rules in force. For now the built-in ones; a village's own numbers come with the policy editor.
pub(crate) fn rules() -> NightSchoolRules {
    NightSchoolRules::default()
}

fn may_see(auth: &AuthUser, point: &StoredTeachingPoint) -> bool {
    match auth.role {
        Role::VillageCadre => auth.teaching_point_id == Some(point.id),
        Role::FirstSecretary => auth.village_id == Some(point.village_id),
        Role::Helper | Role::Admin => false,
    }
}

/// A roster entry: names, 组 and members' names — nothing else of the record leaves the server here.
fn roster_entry(stored: &StoredHousehold) -> RosterHousehold {
    let record = &stored.record;
    let head = record
        .members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .or_else(|| record.members.first());
    RosterHousehold {
        household_id: record.id,
        head_name: head.map(|member| member.name.clone()).unwrap_or_default(),
        group_name: record.address.group.clone(),
        members: record
            .members
            .iter()
            .map(|member| RosterMember {
                id: member.id,
                name: member.name.clone(),
            })
            .collect(),
    }
}

/// The current version of each session with its history and confirmation, newest session first.
fn session_records(
    versions: Vec<StoredSessionVersion>,
    confirmations: &[StoredConfirmation],
    roster: &[HouseholdId],
) -> Vec<SessionRecord> {
    let mut records: Vec<SessionRecord> = Vec::new();
    for stored in versions {
        let entry = SessionVersion {
            version: stored.version,
            submitted_by: stored.submitted_by,
            accepted_at: stored.accepted_at,
            edit_reason: stored.edit_reason,
            session: stored.session,
        };
        match records.last_mut() {
            Some(record) if record.session.id == entry.session.id => record.history.push(entry),
            _ => {
                let confirmation = confirmations
                    .iter()
                    .find(|confirmation| confirmation.session_id == entry.session.id.0)
                    .map(|confirmation| SessionConfirmation {
                        version: confirmation.version,
                        confirmed_by: confirmation.confirmed_by.clone(),
                        confirmed_at: confirmation.confirmed_at.clone(),
                    });
                records.push(SessionRecord {
                    rate: entry.session.participation(roster),
                    session: entry.session.clone(),
                    version: entry.version,
                    confirmation,
                    history: vec![entry],
                });
            }
        }
    }
    records
}

/// A teaching point's roster (names, 组 and members' names), sorted as the village's list.
pub(crate) async fn point_roster(
    state: &AppState,
    point: &StoredTeachingPoint,
) -> Result<Vec<RosterHousehold>, AppError> {
    let on_roster = store::roster_ids(&state.pool, point.id, point.village_id).await?;
    let stored = households::list_for_village(&state.pool, point.village_id).await?;
    Ok(stored
        .iter()
        .filter(|stored| on_roster.contains(&stored.record.id.0))
        .map(roster_entry)
        .collect())
}

/// A teaching point's roster, sessions and follow-ups.
pub(crate) async fn point_sheet(
    state: &AppState,
    point: StoredTeachingPoint,
) -> Result<TeachingPointSheet, AppError> {
    let roster = point_roster(state, &point).await?;
    let ids: Vec<HouseholdId> = roster.iter().map(|entry| entry.household_id).collect();
    let versions = store::versions_of_point(&state.pool, point.id).await?;
    let confirmations = store::confirmations_of_point(&state.pool, point.id).await?;
    let sessions = session_records(versions, &confirmations, &ids);
    let current: Vec<Session> = sessions
        .iter()
        .map(|record| record.session.clone())
        .collect();
    Ok(TeachingPointSheet {
        id: zoufang_domain::model::TeachingPointId(point.id),
        name: point.name,
        location: point.location,
        follow_ups: follow_ups(&current, &ids, &rules()),
        roster,
        sessions,
    })
}

/// The session record of one session id, for a 409 and the exports; `None` for an unknown session.
pub(crate) async fn session_record(
    state: &AppState,
    session_id: Uuid,
) -> Result<Option<(StoredTeachingPoint, SessionRecord, Vec<RosterHousehold>)>, AppError> {
    let versions = store::versions_of_session(&state.pool, session_id).await?;
    let Some(first) = versions.first() else {
        return Ok(None);
    };
    let point = store::teaching_point(&state.pool, first.teaching_point_id)
        .await?
        .ok_or(AppError::TeachingPointNotFound)?;
    let roster = point_roster(state, &point).await?;
    let ids: Vec<HouseholdId> = roster.iter().map(|entry| entry.household_id).collect();
    let confirmations = store::confirmations_of_point(&state.pool, point.id).await?;
    let record = session_records(versions, &confirmations, &ids)
        .into_iter()
        .next();
    Ok(record.map(|record| (point, record, roster)))
}

/// 200 with the caller's teaching point(s); 403 `forbidden` for helpers and admins.
pub async fn night_school(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<NightSchoolResponse>, AppError> {
    let points = match auth.role {
        Role::VillageCadre => match auth.teaching_point_id {
            Some(id) => store::teaching_point(&state.pool, id)
                .await?
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
        Role::FirstSecretary => match auth.village_id {
            Some(village) => store::teaching_points_of_village(&state.pool, village).await?,
            None => Vec::new(),
        },
        Role::Helper | Role::Admin => return Err(AppError::Forbidden(NIGHT_SCHOOL_FORBIDDEN)),
    };
    let mut sheets = Vec::with_capacity(points.len());
    for point in points {
        sheets.push(point_sheet(&state, point).await?);
    }
    Ok(Json(NightSchoolResponse {
        points: sheets,
        rules: rules(),
        as_of: china_date(OffsetDateTime::now_utc()),
    }))
}

/// 200 with the session record after confirming `version`; 403 unless the first secretary of the point's village;
/// 404 `session_not_found`; 409 `session_changed` when `version` is no longer the current one. Confirming a
/// confirmed version again answers the same record.
pub async fn confirm(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
    ApiJson(request): ApiJson<ConfirmSessionRequest>,
) -> Result<Json<SessionRecord>, AppError> {
    let Path(session_id) = path.map_err(|_| AppError::SessionNotFound)?;
    if auth.role != Role::FirstSecretary {
        return Err(AppError::Forbidden(CONFIRM_FORBIDDEN));
    }
    let (version, point_id) = store::current_version(&state.pool, session_id)
        .await?
        .ok_or(AppError::SessionNotFound)?;
    let point = store::teaching_point(&state.pool, point_id)
        .await?
        .ok_or(AppError::TeachingPointNotFound)?;
    if auth.village_id != Some(point.village_id) {
        return Err(AppError::Forbidden(CONFIRM_FORBIDDEN));
    }
    if request.version != version {
        return Err(AppError::SessionChanged);
    }
    store::confirm(
        &state.pool,
        &NewConfirmation {
            session_id,
            version,
            teaching_point_id: point_id,
            confirmed_by: auth.user_id,
            confirmed_at: OffsetDateTime::now_utc(),
        },
    )
    .await?;
    let (_, record, _) = session_record(&state, session_id)
        .await?
        .ok_or(AppError::SessionNotFound)?;
    tracing::info!(%session_id, version, user_id = %auth.user_id, "night-school session confirmed");
    Ok(Json(record))
}

/// The follow-up of each household in `listing` that is absent N of the last M sessions of its village's teaching
/// points (for the helper's list).
pub(crate) async fn follow_ups_for(
    state: &AppState,
    listing: &[StoredHousehold],
) -> Result<HashMap<HouseholdId, AbsenceFollowUp>, AppError> {
    let mut villages: Vec<Uuid> = listing.iter().map(|stored| stored.village_id).collect();
    villages.sort();
    villages.dedup();
    let mut found = HashMap::new();
    for village in villages {
        for point in store::teaching_points_of_village(&state.pool, village).await? {
            let roster: Vec<HouseholdId> = store::roster_ids(&state.pool, point.id, village)
                .await?
                .into_iter()
                .map(HouseholdId)
                .collect();
            let versions = store::versions_of_point(&state.pool, point.id).await?;
            let current: Vec<Session> = session_records(versions, &[], &roster)
                .into_iter()
                .map(|record| record.session)
                .collect();
            for follow_up in follow_ups(&current, &roster, &rules()) {
                found.entry(follow_up.household_id).or_insert(follow_up);
            }
        }
    }
    Ok(found)
}

/// A CSV cell: quoted, and a value a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) starts with
/// an apostrophe.
fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", neutral.replace('"', "\"\""))
}

fn csv_response(file_name: &str, rows: Vec<Vec<String>>) -> Response {
    let mut body = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|value| cell(value)).collect();
        body.push_str(&cells.join(","));
        body.push_str("\r\n");
    }
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /api/night-school/sessions/{id}/sign-in.csv`: one line per roster household (组, 户主, 状态, 出席成员, 原因,
/// 备注, 签名 left empty for the paper copy), UTF-8 with a byte-order mark.
pub async fn sign_in_csv(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(session_id) = path.map_err(|_| AppError::SessionNotFound)?;
    let (point, record, roster) = session_record(&state, session_id)
        .await?
        .ok_or(AppError::SessionNotFound)?;
    if !may_see(&auth, &point) {
        return Err(AppError::Forbidden(NIGHT_SCHOOL_FORBIDDEN));
    }
    let session = &record.session;
    let mut rows = vec![
        vec![
            "教学点".to_owned(),
            point.name.clone(),
            "日期".to_owned(),
            session.date.to_string(),
            "期数".to_owned(),
            session.episode.map(|n| n.to_string()).unwrap_or_default(),
            "主题".to_owned(),
            session.topic.clone(),
        ],
        ["组", "户主", "状态", "出席成员", "原因", "备注", "签名"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for household in &roster {
        let entry = session.entry(household.household_id);
        let status = entry.map_or("未记", |entry| entry.status.label(Locale::ZhCn));
        let members = entry
            .filter(|entry| entry.status == AttendanceStatus::Present)
            .map(|entry| {
                household
                    .members
                    .iter()
                    .filter(|member| entry.present_member_ids.contains(&member.id))
                    .map(|member| member.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default();
        let reason = entry
            .and_then(|entry| entry.absence_reason)
            .map(|reason| reason.label(Locale::ZhCn))
            .unwrap_or_default();
        let note = entry
            .map(|entry| entry.absence_note.clone())
            .unwrap_or_default();
        rows.push(vec![
            household.group_name.clone(),
            household.head_name.clone(),
            status.to_owned(),
            members,
            reason.to_owned(),
            note,
            String::new(),
        ]);
    }
    let rate = record.rate;
    rows.push(vec![
        "参学率".to_owned(),
        per_mille_text(rate.per_mille()),
        "出席户".to_owned(),
        rate.present_households.to_string(),
        "请假户".to_owned(),
        rate.excused_households.to_string(),
        "人次".to_owned(),
        rate.person_times.to_string(),
    ]);
    Ok(csv_response(&format!("sign-in-{}.csv", session.date), rows))
}

/// `66.7%`, or `—` for an empty roster.
fn per_mille_text(per_mille: Option<u32>) -> String {
    per_mille.map_or_else(
        || "—".to_owned(),
        |value| format!("{}.{}%", value / 10, value % 10),
    )
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    month: String,
}

fn parse_month(text: &str) -> Result<(i32, Month), AppError> {
    let (year, month) = text.split_once('-').ok_or(AppError::InvalidMonth)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(AppError::InvalidMonth);
    }
    let year: i32 = year.parse().map_err(|_| AppError::InvalidMonth)?;
    let month: u8 = month.parse().map_err(|_| AppError::InvalidMonth)?;
    let month = Month::try_from(month).map_err(|_| AppError::InvalidMonth)?;
    Ok((year, month))
}

/// `GET /api/night-school/rates.csv?month=YYYY-MM`: the month's 参学率 of each teaching point the caller sees.
pub async fn rates_csv(
    State(state): State<AppState>,
    auth: AuthUser,
    query: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|_| AppError::InvalidMonth)?;
    let (year, month) = parse_month(&query.month)?;
    let Json(response) = night_school(State(state), auth).await?;
    let mut rows = vec![
        [
            "月份",
            "教学点",
            "场次",
            "应到户次",
            "出席户次",
            "请假户次",
            "缺席户次",
            "未记户次",
            "人次",
            "参学率",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for point in &response.points {
        let ids: Vec<HouseholdId> = point
            .roster
            .iter()
            .map(|entry| entry.household_id)
            .collect();
        let sessions: Vec<Session> = point
            .sessions
            .iter()
            .map(|record| record.session.clone())
            .collect();
        let total = month_participation(&sessions, &ids, year, month);
        let rate = total.rate;
        rows.push(vec![
            query.month.clone(),
            point.name.clone(),
            total.sessions.to_string(),
            rate.roster_households.to_string(),
            rate.present_households.to_string(),
            rate.excused_households.to_string(),
            rate.absent_households.to_string(),
            rate.unrecorded_households.to_string(),
            rate.person_times.to_string(),
            per_mille_text(rate.per_mille()),
        ]);
    }
    Ok(csv_response(&format!("rates-{}.csv", query.month), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_neutralised_and_quotes_doubled() {
        for (value, expected) in [
            ("王海燕", "\"王海燕\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "\"'+1\""),
            ("-2", "\"'-2\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("a,b", "\"a,b\""),
        ] {
            assert_eq!(cell(value), expected, "{value}");
        }
    }

    #[test]
    fn months_are_yyyy_mm() {
        assert_eq!(parse_month("2026-11").ok(), Some((2026, Month::November)));
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "", "abcd-ef"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }
}
