//! The household register (户). Each row holds one domain [`Household`] as JSON in `record`, the source of truth;
//! the summary columns `code`, `head_name`, `group_name` and `helper_user_id` are copied from the record by every
//! write here, so scoping and sorting never parse JSON. `version` is the server copy's version; `last_visit_on` the
//! date of the latest visit.

use sqlx::SqliteExecutor;
use time::macros::format_description;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::{Household, Relation};

use super::{StoreError, format_instant};

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

/// A household as read back: the record, its version and its last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHousehold {
    pub record: Household,
    pub version: i64,
    pub last_visit_on: Option<Date>,
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
    executor: impl SqliteExecutor<'_>,
    household: &NewHousehold<'_>,
) -> Result<(), StoreError> {
    let summary = summary(household.record)?;
    let created_at = format_instant(household.created_at);
    sqlx::query(
        "INSERT INTO households \
         (id, village_id, code, head_name, group_name, address, helper_user_id, record, version, \
          last_visit_on, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
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
    executor: impl SqliteExecutor<'_>,
    household: &NewHousehold<'_>,
) -> Result<bool, StoreError> {
    let summary = summary(household.record)?;
    let result = sqlx::query(
        "UPDATE households SET code = ?, head_name = ?, group_name = ?, address = ?, helper_user_id = ?, \
         record = ?, last_visit_on = ?, updated_at = ? \
         WHERE id = ? AND record IS NULL",
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

/// The households whose current helper is `helper_user_id`, sorted by [`listing_order`](zoufang_domain::listing::listing_order).
pub async fn list_for_helper(
    executor: impl SqliteExecutor<'_>,
    helper_user_id: Uuid,
) -> Result<Vec<StoredHousehold>, StoreError> {
    let rows: Vec<HouseholdRow> = sqlx::query_as(
        "SELECT id, code, group_name, record, version, last_visit_on FROM households \
         WHERE helper_user_id = ?",
    )
    .bind(helper_user_id.to_string())
    .fetch_all(executor)
    .await?;
    into_listing(rows)
}

/// Every household of a village, sorted by [`listing_order`](zoufang_domain::listing::listing_order).
pub async fn list_for_village(
    executor: impl SqliteExecutor<'_>,
    village_id: Uuid,
) -> Result<Vec<StoredHousehold>, StoreError> {
    let rows: Vec<HouseholdRow> = sqlx::query_as(
        "SELECT id, code, group_name, record, version, last_visit_on FROM households \
         WHERE village_id = ?",
    )
    .bind(village_id.to_string())
    .fetch_all(executor)
    .await?;
    into_listing(rows)
}

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: String,
    code: String,
    group_name: String,
    record: Option<String>,
    version: i64,
    last_visit_on: Option<String>,
}

fn into_listing(mut rows: Vec<HouseholdRow>) -> Result<Vec<StoredHousehold>, StoreError> {
    rows.sort_by(|a, b| {
        zoufang_domain::listing::listing_order((&a.group_name, &a.code), (&b.group_name, &b.code))
    });
    rows.into_iter()
        .map(|row| {
            // NULL only for a row from before migration 0002 that nothing has backfilled: a server-side fault.
            let json = row.record.ok_or_else(|| StoreError::Corrupt {
                column: "households.record",
                value: format!("NULL for household {}", row.id),
            })?;
            let record: Household =
                serde_json::from_str(&json).map_err(|error| StoreError::Corrupt {
                    column: "households.record",
                    value: format!("household {}: {error}", row.id),
                })?;
            let last_visit_on = row
                .last_visit_on
                .map(|text| parse_date("households.last_visit_on", &text))
                .transpose()?;
            Ok(StoredHousehold {
                record,
                version: row.version,
                last_visit_on,
            })
        })
        .collect()
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
