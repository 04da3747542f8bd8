//! The household register (户). Each row holds one domain [`Household`] as JSON in `record`, the source of truth;
//! the summary columns `code`, `head_name`, `group_name` and `helper_user_id` are copied from the record by every
//! write here, so scoping and sorting never parse JSON. `version` is the server copy's version; `last_visit_on` the
//! date of the latest visit; `plan_submission_id` and `income_submission_id` point at the current plan version and
//! the latest income sheet.

use sqlx::AnyExecutor;
use time::macros::format_description;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::income::IncomeSheet;
use zoufang_domain::model::{Household, Plan, Relation};
use zoufang_domain::protocol::PlanReview;

use super::batch::{Bind, Statement};
use super::{StoreError, format_instant, parse_uuid};

/// A household to write. The summary columns are derived from `record`.
#[derive(Debug, Clone)]
pub struct NewHousehold<'a> {
    pub village_id: Uuid,
    /// The door-plate address shown in lists (the domain's address stops at the 组), e.g. `清泉村一组 3 号`.
    pub address: &'a str,
    pub record: &'a Household,
    pub last_visit_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

/// A household as read back: the record, its version, its last visit, its current plan version with the review,
/// and its latest income sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHousehold {
    pub village_id: Uuid,
    /// The account of the current helper (a copy from the record).
    pub helper_user_id: Option<Uuid>,
    pub record: Household,
    pub version: i64,
    pub last_visit_on: Option<Date>,
    pub plan: Option<Plan>,
    pub review: Option<PlanReview>,
    pub income: Option<IncomeSheet>,
}

/// The summary columns, as copied from a record.
struct Summary {
    id: String,
    code: String,
    head_name: String,
    group_name: String,
    helper_user_id: Option<String>,
    record: String,
}

fn summary(record: &Household) -> Result<Summary, StoreError> {
    let head = record
        .members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .or_else(|| record.members.first());
    Ok(Summary {
        id: record.id.0.to_string(),
        code: record.household_code.clone(),
        head_name: head.map(|member| member.name.clone()).unwrap_or_default(),
        group_name: record.address.group.clone(),
        helper_user_id: record
            .current_helper()
            .and_then(|helper| helper.user_id)
            .map(|id| id.0.to_string()),
        record: serde_json::to_string(record).map_err(|source| StoreError::Encode {
            what: "households.record",
            source,
        })?,
    })
}

/// Inserts a household at version 1.
pub async fn insert(
    executor: impl AnyExecutor<'_>,
    household: &NewHousehold<'_>,
) -> Result<(), StoreError> {
    let summary = summary(household.record)?;
    let created_at = format_instant(household.created_at);
    sqlx::query(
        "INSERT INTO households \
         (id, village_id, code, head_name, group_name, address, helper_user_id, record, version, \
          last_visit_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11)",
    )
    .bind(&summary.id)
    .bind(household.village_id.to_string())
    .bind(&summary.code)
    .bind(&summary.head_name)
    .bind(&summary.group_name)
    .bind(household.address)
    .bind(&summary.helper_user_id)
    .bind(&summary.record)
    .bind(household.last_visit_on.map(format_date))
    .bind(&created_at)
    .bind(&created_at)
    .execute(executor)
    .await?;
    Ok(())
}

/// Fills in the record of a row written before households had records (migration 0002), with its summary columns
/// and last visit. Leaves a row that already has a record alone; returns whether it wrote.
pub async fn backfill_record(
    executor: impl AnyExecutor<'_>,
    household: &NewHousehold<'_>,
) -> Result<bool, StoreError> {
    let summary = summary(household.record)?;
    let result = sqlx::query(
        "UPDATE households SET code = $1, head_name = $2, group_name = $3, address = $4, helper_user_id = $5, \
         record = $6, last_visit_on = $7, updated_at = $8 \
         WHERE id = $9 AND record IS NULL",
    )
    .bind(&summary.code)
    .bind(&summary.head_name)
    .bind(&summary.group_name)
    .bind(household.address)
    .bind(&summary.helper_user_id)
    .bind(&summary.record)
    .bind(household.last_visit_on.map(format_date))
    .bind(format_instant(household.created_at))
    .bind(&summary.id)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() > 0)
}

/// Whose households a listing covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdScope {
    /// The households whose current helper is this account.
    Helper(Uuid),
    /// Every household of this village.
    Village(Uuid),
}

/// Change-log positions: a listing limited to households with a change in `(after, up_to]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeWindow {
    pub after: i64,
    pub up_to: i64,
}

/// The households whose current helper is `helper_user_id`, sorted by [`listing_order`](zoufang_domain::listing::listing_order).
pub async fn list_for_helper(
    executor: impl AnyExecutor<'_>,
    helper_user_id: Uuid,
) -> Result<Vec<StoredHousehold>, StoreError> {
    list(executor, HouseholdScope::Helper(helper_user_id), None).await
}

/// Every household of a village, sorted by [`listing_order`](zoufang_domain::listing::listing_order).
pub async fn list_for_village(
    executor: impl AnyExecutor<'_>,
    village_id: Uuid,
) -> Result<Vec<StoredHousehold>, StoreError> {
    list(executor, HouseholdScope::Village(village_id), None).await
}

/// The households of a scope, all of them or only those changed within `changed`, sorted by
/// [`listing_order`](zoufang_domain::listing::listing_order).
pub async fn list(
    executor: impl AnyExecutor<'_>,
    scope: HouseholdScope,
    changed: Option<ChangeWindow>,
) -> Result<Vec<StoredHousehold>, StoreError> {
    let (scope_column, scope_id) = match scope {
        HouseholdScope::Helper(id) => ("h.helper_user_id", id),
        HouseholdScope::Village(id) => ("h.village_id", id),
    };
    let mut sql = format!("{SELECT_HOUSEHOLD} WHERE {scope_column} = $1");
    if changed.is_some() {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM household_changes c \
               WHERE c.household_id = h.id AND c.position > $2 AND c.position <= $3)",
        );
    }
    let mut query = sqlx::query_as::<_, HouseholdRow>(&sql).bind(scope_id.to_string());
    if let Some(window) = changed {
        query = query.bind(window.after).bind(window.up_to);
    }
    let rows = query.fetch_all(executor).await?;
    into_listing(rows)
}

/// One household with its plan, review and latest income sheet; `None` when the id is unknown.
pub async fn find(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<StoredHousehold>, StoreError> {
    let row: Option<HouseholdRow> = sqlx::query_as(&format!("{SELECT_HOUSEHOLD} WHERE h.id = $1"))
        .bind(id.to_string())
        .fetch_optional(executor)
        .await?;
    row.map(HouseholdRow::into_stored).transpose()
}

/// A household's record with its version and the columns that decide who may write it: what a visit is checked
/// against, without the plan version and income sheet that [`find`] joins and decodes.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRecord {
    pub village_id: Uuid,
    /// The account of the current helper (a copy from the record).
    pub helper_user_id: Option<Uuid>,
    pub record: Household,
    pub version: i64,
}

/// The household's record and version; `None` when the id is unknown.
pub async fn find_record(
    executor: impl AnyExecutor<'_>,
    id: Uuid,
) -> Result<Option<HouseholdRecord>, StoreError> {
    let row: Option<RecordRow> = sqlx::query_as(FIND_RECORD)
        .bind(id.to_string())
        .fetch_optional(executor)
        .await?;
    row.map(|row| record_from_row(id, row)).transpose()
}

/// [`find_record`]'s query, with the household's id as `$1`.
pub(super) const FIND_RECORD: &str =
    "SELECT village_id, helper_user_id, record, version FROM households WHERE id = $1";

/// A row of [`FIND_RECORD`].
pub(super) type RecordRow = (String, Option<String>, Option<String>, i64);

pub(super) fn record_from_row(
    id: Uuid,
    (village_id, helper_user_id, record, version): RecordRow,
) -> Result<HouseholdRecord, StoreError> {
    let household_id = id.to_string();
    let json = record.as_deref().ok_or_else(|| StoreError::Corrupt {
        column: "households.record",
        value: format!("NULL for household {household_id}"),
    })?;
    Ok(HouseholdRecord {
        village_id: parse_uuid("households.village_id", &village_id)?,
        helper_user_id: helper_user_id
            .map(|id| parse_uuid("households.helper_user_id", &id))
            .transpose()?,
        record: decode("households.record", &household_id, json)?,
        version,
    })
}

/// The household's current version; `None` when the id is unknown.
pub async fn version(executor: impl AnyExecutor<'_>, id: Uuid) -> Result<Option<i64>, StoreError> {
    let version: Option<i64> = sqlx::query_scalar("SELECT version FROM households WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(executor)
        .await?;
    Ok(version)
}

/// The village of each listed household that exists (unknown ids are left out).
pub async fn villages_of(
    executor: impl AnyExecutor<'_>,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, village_id FROM households WHERE id IN ({})",
        super::history::placeholders(ids.len())
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for id in ids {
        query = query.bind(id.to_string());
    }
    query
        .fetch_all(executor)
        .await?
        .into_iter()
        .map(|(id, village_id)| {
            Ok((
                parse_uuid("households.id", &id)?,
                parse_uuid("households.village_id", &village_id)?,
            ))
        })
        .collect()
}

/// The household's id by its 户编号.
pub async fn id_by_code(
    executor: impl AnyExecutor<'_>,
    code: &str,
) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM households WHERE code = $1")
        .bind(code)
        .fetch_optional(executor)
        .await?;
    id.map(|id| parse_uuid("households.id", &id)).transpose()
}

/// An accepted edit of the household record: from a visit (with the plan version and income sheet it carried) or
/// from an admin (helper change).
#[derive(Debug, Clone)]
pub struct RecordUpdate<'a> {
    pub record: &'a Household,
    /// The version the edit started from; the write happens only if the row is still at this version.
    pub base_version: i64,
    /// The visit's date (China time): `last_visit_on` moves forward to it, never back.
    pub visited_on: Option<Date>,
    /// The submission carrying the new plan version and income sheet, when the edit came from a visit.
    pub visit_submission_id: Option<Uuid>,
    pub updated_at: OffsetDateTime,
}

/// Writes the record and its summary columns and raises the version by one. Returns false (and writes nothing)
/// when the row is no longer at `base_version`.
pub async fn update_record(
    executor: impl AnyExecutor<'_>,
    update: &RecordUpdate<'_>,
) -> Result<bool, StoreError> {
    let statement = update_record_statement(update)?;
    let result = super::batch::bind_all(sqlx::query(statement.sql), statement.binds)
        .execute(executor)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// [`update_record`] as a statement of a batch: it changes one row, or none when the row is no longer at
/// `base_version`.
pub(super) fn update_record_statement(update: &RecordUpdate<'_>) -> Result<Statement, StoreError> {
    let summary = summary(update.record)?;
    let visited_on = update.visited_on.map(format_date);
    let submission = update.visit_submission_id.map(|id| id.to_string());
    Ok(Statement {
        sql: "UPDATE households SET code = $1, head_name = $2, group_name = $3, helper_user_id = $4, record = $5, \
              version = version + 1, \
              last_visit_on = CASE WHEN last_visit_on IS NULL OR last_visit_on < $6 \
                                   THEN $7 ELSE last_visit_on END, \
              plan_submission_id = COALESCE($8, plan_submission_id), \
              income_submission_id = COALESCE($9, income_submission_id), \
              updated_at = $10 \
              WHERE id = $11 AND version = $12",
        binds: vec![
            Bind::Text(summary.code),
            Bind::Text(summary.head_name),
            Bind::Text(summary.group_name),
            Bind::OptionalText(summary.helper_user_id),
            Bind::Text(summary.record),
            // NULL leaves the date alone: `last_visit_on < NULL` is never true, and a NULL date stays NULL.
            Bind::OptionalText(visited_on.clone()),
            Bind::OptionalText(visited_on),
            Bind::OptionalText(submission.clone()),
            Bind::OptionalText(submission),
            Bind::Text(format_instant(update.updated_at)),
            Bind::Text(summary.id),
            Bind::Integer(update.base_version),
        ],
    })
}

const SELECT_HOUSEHOLD: &str = "SELECT h.id, h.village_id, h.helper_user_id, h.code, h.group_name, h.record, \
        h.version, h.last_visit_on, \
        pv.submission_id AS plan_submission_id, pv.plan, pv.status AS plan_status, \
        pv.comments AS plan_comments, r.name AS reviewer_name, pv.reviewed_at, i.sheet AS income_sheet \
     FROM households h \
     LEFT JOIN plan_versions pv ON pv.submission_id = h.plan_submission_id \
     LEFT JOIN users r ON r.id = pv.reviewer_user_id \
     LEFT JOIN income_sheets i ON i.submission_id = h.income_submission_id";

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: String,
    village_id: String,
    helper_user_id: Option<String>,
    code: String,
    group_name: String,
    record: Option<String>,
    version: i64,
    last_visit_on: Option<String>,
    plan_submission_id: Option<String>,
    plan: Option<String>,
    plan_status: Option<String>,
    plan_comments: Option<String>,
    reviewer_name: Option<String>,
    reviewed_at: Option<String>,
    income_sheet: Option<String>,
}

fn into_listing(mut rows: Vec<HouseholdRow>) -> Result<Vec<StoredHousehold>, StoreError> {
    rows.sort_by(|a, b| {
        zoufang_domain::listing::listing_order((&a.group_name, &a.code), (&b.group_name, &b.code))
    });
    rows.into_iter().map(HouseholdRow::into_stored).collect()
}

fn decode<T: serde::de::DeserializeOwned>(
    column: &'static str,
    id: &str,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|error| StoreError::Corrupt {
        column,
        value: format!("household {id}: {error}"),
    })
}

impl HouseholdRow {
    fn into_stored(self) -> Result<StoredHousehold, StoreError> {
        // NULL only for a row from before migration 0002 that nothing has backfilled: a server-side fault.
        let json = self.record.as_deref().ok_or_else(|| StoreError::Corrupt {
            column: "households.record",
            value: format!("NULL for household {}", self.id),
        })?;
        let record: Household = decode("households.record", &self.id, json)?;
        let last_visit_on = self
            .last_visit_on
            .map(|text| parse_date("households.last_visit_on", &text))
            .transpose()?;
        let plan: Option<Plan> = self
            .plan
            .as_deref()
            .map(|json| decode("plan_versions.plan", &self.id, json))
            .transpose()?;
        let review = match (&plan, self.plan_submission_id, self.plan_status) {
            (Some(plan), Some(submission_id), Some(status)) => Some(PlanReview {
                plan_id: plan.id,
                household_id: record.id,
                submission_id: parse_uuid("plan_versions.submission_id", &submission_id)?,
                status: super::plans::parse_status(&status)?,
                comments: self.plan_comments.unwrap_or_default(),
                reviewer_name: self.reviewer_name,
                reviewed_at: self.reviewed_at,
            }),
            _ => None,
        };
        let income: Option<IncomeSheet> = self
            .income_sheet
            .as_deref()
            .map(|json| decode("income_sheets.sheet", &self.id, json))
            .transpose()?;
        Ok(StoredHousehold {
            village_id: parse_uuid("households.village_id", &self.village_id)?,
            helper_user_id: self
                .helper_user_id
                .map(|id| parse_uuid("households.helper_user_id", &id))
                .transpose()?,
            record,
            version: self.version,
            last_visit_on,
            plan,
            review,
            income,
        })
    }
}

/// `YYYY-MM-DD`, the one date format stored.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Reads a date written by [`format_date`].
pub fn parse_date(column: &'static str, value: &str) -> Result<Date, StoreError> {
    Date::parse(value, format_description!("[year]-[month]-[day]")).map_err(|_| {
        StoreError::Corrupt {
            column,
            value: value.to_owned(),
        }
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn dates_are_written_and_read_as_yyyy_mm_dd() {
        let text = format_date(date!(2026 - 03 - 07));
        assert_eq!(text, "2026-03-07");
        assert_eq!(parse_date("t.c", &text).ok(), Some(date!(2026 - 03 - 07)));
        assert!(parse_date("t.c", "2026-3-7x").is_err());
    }
}
