//! The household register (户) and its members. For now only written by the demo seed; assignments, visits and
//! plans will read from here.

use sqlx::SqliteExecutor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{StoreError, format_instant};

/// Sex as stored: `male` / `female`. (Replace with the domain's enum once `zoufang-domain` has one.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewHousehold<'a> {
    pub id: Uuid,
    pub village_id: Uuid,
    /// 户编号, unique across the server.
    pub code: &'a str,
    pub head_name: &'a str,
    /// 组 (villager group), e.g. 一组.
    pub group_name: &'a str,
    pub address: &'a str,
    pub helper_user_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewMember<'a> {
    pub id: Uuid,
    pub household_id: Uuid,
    /// Position in the household list, from 1; the 户主 is 1.
    pub ordinal: i64,
    pub name: &'a str,
    /// 与户主关系 as the national system writes it: 户主, 配偶, 之子, …
    pub relation: &'a str,
    pub sex: Sex,
    pub birth_date: Date,
    /// 18-character 身份证号. Sensitive: never shown in public views.
    pub id_number: &'a str,
}

pub async fn insert(
    executor: impl SqliteExecutor<'_>,
    household: &NewHousehold<'_>,
) -> Result<(), StoreError> {
    let created_at = format_instant(household.created_at);
    sqlx::query(
        "INSERT INTO households \
         (id, village_id, code, head_name, group_name, address, helper_user_id, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(household.id.to_string())
    .bind(household.village_id.to_string())
    .bind(household.code)
    .bind(household.head_name)
    .bind(household.group_name)
    .bind(household.address)
    .bind(household.helper_user_id.map(|id| id.to_string()))
    .bind(&created_at)
    .bind(&created_at)
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn insert_member(
    executor: impl SqliteExecutor<'_>,
    member: &NewMember<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO household_members \
         (id, household_id, ordinal, name, relation, sex, birth_date, id_number) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(member.id.to_string())
    .bind(member.household_id.to_string())
    .bind(member.ordinal)
    .bind(member.name)
    .bind(member.relation)
    .bind(member.sex.code())
    .bind(format_date(member.birth_date))
    .bind(member.id_number)
    .execute(executor)
    .await?;
    Ok(())
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
