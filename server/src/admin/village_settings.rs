//! `admin set-overdue-days`: after how many days without a visit a household of a village counts as overdue in the
//! first secretary's village view (`villages.overdue_after_days`, 30 until set). Phones receive it with their next
//! assignments.

use sqlx::AnyPool;

use super::{AdminError, invalid, village_summary};
use crate::store::villages;

/// The longest overdue period that can be set: a household unvisited for a year is overdue whatever the village says.
pub const MAX_OVERDUE_DAYS: u32 = 365;

/// Reads `--days` as given: a whole number from 1 to [`MAX_OVERDUE_DAYS`].
pub fn parse_days(text: &str) -> Result<u32, AdminError> {
    let trimmed = text.trim();
    let days: i64 = trimmed
        .parse()
        .map_err(|_| invalid(format!("--days {text:?} is not a whole number of days")))?;
    if days < 1 {
        return Err(invalid(format!(
            "--days {days}: a household is overdue after at least 1 day without a visit"
        )));
    }
    if days > i64::from(MAX_OVERDUE_DAYS) {
        return Err(invalid(format!(
            "--days {days} is more than {MAX_OVERDUE_DAYS}: a household unvisited for a year is always overdue"
        )));
    }
    u32::try_from(days).map_err(|_| invalid(format!("--days {days} is out of range")))
}

/// What `set-overdue-days` changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueChange {
    pub village: String,
    pub before: Option<u32>,
    pub days: u32,
}

/// Sets the village's overdue days, given as typed; the days are checked before the village is looked up.
pub async fn set_overdue_days(
    pool: &AnyPool,
    village: &str,
    days: &str,
) -> Result<OverdueChange, AdminError> {
    let days = parse_days(days)?;
    let village = village_summary(pool, village).await?;
    let before = villages::overdue_after_days(pool, village.id).await?;
    if !villages::set_overdue_after_days(pool, village.id, days).await? {
        return Err(invalid(format!("no village {:?}", village.name)));
    }
    Ok(OverdueChange {
        village: village.name,
        before,
        days,
    })
}
