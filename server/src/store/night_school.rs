//! Night-school reads and confirmations: teaching points, every version of a point's sessions with who submitted
//! it, and the first secretary's confirmations (`attendance_confirmations`). Versions are written by
//! [`super::submissions::insert_attendance`].

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::model::Session;

use super::{StoreError, format_instant, parse_uuid};

/// A teaching point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTeachingPoint {
    pub id: Uuid,
    pub village_id: Uuid,
    pub name: String,
    pub location: String,
}

type PointRow = (String, String, String, String);

fn point(row: PointRow) -> Result<StoredTeachingPoint, StoreError> {
    Ok(StoredTeachingPoint {
        id: parse_uuid("teaching_points.id", &row.0)?,
        village_id: parse_uuid("teaching_points.village_id", &row.1)?,
        name: row.2,
        location: row.3,
    })
}

/// One teaching point; `None` when unknown.
pub async fn teaching_point(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<StoredTeachingPoint>, StoreError> {
    let row: Option<PointRow> =
        sqlx::query_as("SELECT id, village_id, name, location FROM teaching_points WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(executor)
            .await?;
    row.map(point).transpose()
}

/// The teaching points of a village, by name.
pub async fn teaching_points_of_village(
    executor: impl AnyExecutor<'_>,
    village_id: Uuid,
) -> Result<Vec<StoredTeachingPoint>, StoreError> {
    let rows: Vec<PointRow> = sqlx::query_as(
        "SELECT id, village_id, name, location FROM teaching_points WHERE village_id = $1 ORDER BY name, id",
    )
    .bind(village_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(point).collect()
}

/// One stored version of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSessionVersion {
    pub session: Session,
    pub version: u32,
    pub teaching_point_id: Uuid,
    pub submitted_by: String,
    pub accepted_at: String,
    pub edit_reason: String,
}

type VersionRow = (String, String, i64, String, String, String, String);

const SELECT_VERSION: &str = "SELECT a.sheet, a.teaching_point_id, a.version, u.name, a.created_at, a.edit_reason, \
     a.session_id FROM attendance_sessions a \
     JOIN submissions s ON s.id = a.submission_id JOIN users u ON u.id = s.user_id";

fn version(row: VersionRow) -> Result<StoredSessionVersion, StoreError> {
    let session: Session = serde_json::from_str(&row.0).map_err(|error| StoreError::Corrupt {
        column: "attendance_sessions.sheet",
        value: format!("session {}: {error}", row.6),
    })?;
    Ok(StoredSessionVersion {
        session,
        version: u32::try_from(row.2).map_err(|_| StoreError::Corrupt {
            column: "attendance_sessions.version",
            value: row.2.to_string(),
        })?,
        teaching_point_id: parse_uuid("attendance_sessions.teaching_point_id", &row.1)?,
        submitted_by: row.3,
        accepted_at: row.4,
        edit_reason: row.5,
    })
}

/// Every version of every session of a teaching point: newest session date first, then newest version first.
pub async fn versions_of_point(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
) -> Result<Vec<StoredSessionVersion>, StoreError> {
    let rows: Vec<VersionRow> = sqlx::query_as(&format!(
        "{SELECT_VERSION} WHERE a.teaching_point_id = $1 \
         ORDER BY a.session_date DESC, a.session_id, a.version DESC"
    ))
    .bind(teaching_point_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(version).collect()
}

/// Every version of one session, newest first (empty for an unknown session).
pub async fn versions_of_session(
    executor: impl AnyExecutor<'_>,
    session_id: Uuid,
) -> Result<Vec<StoredSessionVersion>, StoreError> {
    let rows: Vec<VersionRow> = sqlx::query_as(&format!(
        "{SELECT_VERSION} WHERE a.session_id = $1 ORDER BY a.version DESC"
    ))
    .bind(session_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(version).collect()
}

/// The current version of a session and its teaching point; `None` for a session never submitted.
pub async fn current_version(
    executor: impl AnyExecutor<'_>,
    session_id: Uuid,
) -> Result<Option<(u32, Uuid)>, StoreError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, teaching_point_id FROM attendance_sessions WHERE session_id = $1 \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(session_id.to_string())
    .fetch_optional(executor)
    .await?;
    row.map(|(version, point)| {
        Ok((
            u32::try_from(version).map_err(|_| StoreError::Corrupt {
                column: "attendance_sessions.version",
                value: version.to_string(),
            })?,
            parse_uuid("attendance_sessions.teaching_point_id", &point)?,
        ))
    })
    .transpose()
}

/// The session a teaching point already has on a date (the first one stored, should there be several from before
/// sheets were folded), whatever id a phone gave it.
pub async fn session_on_date(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
    date: time::Date,
) -> Result<Option<Uuid>, StoreError> {
    let row: Option<String> = sqlx::query_scalar(
        "SELECT session_id FROM attendance_sessions WHERE teaching_point_id = $1 AND session_date = $2 \
         ORDER BY created_at, version, submission_id LIMIT 1",
    )
    .bind(teaching_point_id.to_string())
    .bind(super::households::format_date(date))
    .fetch_optional(executor)
    .await?;
    row.map(|id| parse_uuid("attendance_sessions.session_id", &id))
        .transpose()
}

/// A confirmation as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConfirmation {
    pub session_id: Uuid,
    pub version: u32,
    pub confirmed_by: String,
    pub confirmed_at: String,
}

/// Every confirmation of a teaching point's sessions, newest version first within a session.
pub async fn confirmations_of_point(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
) -> Result<Vec<StoredConfirmation>, StoreError> {
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT c.session_id, c.version, u.name, c.confirmed_at FROM attendance_confirmations c \
         JOIN users u ON u.id = c.confirmed_by WHERE c.teaching_point_id = $1 \
         ORDER BY c.session_id, c.version DESC",
    )
    .bind(teaching_point_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|(session_id, version, confirmed_by, confirmed_at)| {
            Ok(StoredConfirmation {
                session_id: parse_uuid("attendance_confirmations.session_id", &session_id)?,
                version: u32::try_from(version).map_err(|_| StoreError::Corrupt {
                    column: "attendance_confirmations.version",
                    value: version.to_string(),
                })?,
                confirmed_by,
                confirmed_at,
            })
        })
        .collect()
}

/// Whether this version of the session is confirmed.
pub async fn is_confirmed(
    executor: impl AnyExecutor<'_>,
    session_id: Uuid,
    version: u32,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM attendance_confirmations WHERE session_id = $1 AND version = $2",
    )
    .bind(session_id.to_string())
    .bind(i64::from(version))
    .fetch_optional(executor)
    .await?;
    Ok(found.is_some())
}

/// A confirmation to write.
#[derive(Debug, Clone, Copy)]
pub struct NewConfirmation {
    pub session_id: Uuid,
    pub version: u32,
    pub teaching_point_id: Uuid,
    pub confirmed_by: Uuid,
    pub confirmed_at: OffsetDateTime,
}

/// Confirms one version; false when it was confirmed already (the first confirmation stays).
pub async fn confirm(
    executor: impl AnyExecutor<'_>,
    confirmation: &NewConfirmation,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO attendance_confirmations \
         (session_id, version, teaching_point_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (session_id, version) DO NOTHING",
    )
    .bind(confirmation.session_id.to_string())
    .bind(i64::from(confirmation.version))
    .bind(confirmation.teaching_point_id.to_string())
    .bind(confirmation.confirmed_by.to_string())
    .bind(format_instant(confirmation.confirmed_at))
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The household ids on a teaching point's roster: the households of its village assigned to it and those assigned
/// to no point (migration 0011), in no particular order.
pub async fn roster_ids(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
    village_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT h.id FROM households h \
         LEFT JOIN teaching_point_households t ON t.household_id = h.id \
         WHERE h.village_id = $1 AND (t.teaching_point_id IS NULL OR t.teaching_point_id = $2)",
    )
    .bind(village_id.to_string())
    .bind(teaching_point_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|id| parse_uuid("households.id", id))
        .collect()
}

/// The households assigned to a teaching point by name (not those on its roster for being assigned nowhere).
pub async fn assigned_ids(
    executor: impl AnyExecutor<'_>,
    teaching_point_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT household_id FROM teaching_point_households WHERE teaching_point_id = $1 \
         ORDER BY household_id",
    )
    .bind(teaching_point_id.to_string())
    .fetch_all(executor)
    .await?;
    rows.iter()
        .map(|id| parse_uuid("teaching_point_households.household_id", id))
        .collect()
}

/// Makes `household_ids` the households assigned to the point: each listed household moves here from any other
/// point, and households assigned here before but not listed are assigned nowhere again. The caller checks that
/// every household belongs to the point's village; one transaction, starting with a write.
pub async fn replace_assignment(
    transaction: &mut sqlx::AnyConnection,
    teaching_point_id: Uuid,
    household_ids: &[Uuid],
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM teaching_point_households WHERE teaching_point_id = $1")
        .bind(teaching_point_id.to_string())
        .execute(&mut *transaction)
        .await?;
    let assigned_at = format_instant(now);
    for household_id in household_ids {
        sqlx::query(
            "INSERT INTO teaching_point_households (household_id, teaching_point_id, assigned_at) \
             VALUES ($1, $2, $3) ON CONFLICT (household_id) DO UPDATE \
             SET teaching_point_id = excluded.teaching_point_id, assigned_at = excluded.assigned_at",
        )
        .bind(household_id.to_string())
        .bind(teaching_point_id.to_string())
        .bind(&assigned_at)
        .execute(&mut *transaction)
        .await?;
    }
    Ok(())
}
