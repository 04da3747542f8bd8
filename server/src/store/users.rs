//! Accounts. Passwords are stored only as argon2id PHC strings.

use sqlx::AnyExecutor;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::{Role, TeachingPointRef, UserProfile, VillageRef};

use super::{StoreError, format_instant, parse_uuid};

/// An account to create. `password_hash` is already an argon2id PHC string.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub phone: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub village_id: Option<Uuid>,
    pub teaching_point_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

/// What login needs to know about an account: who it is, the hash to verify against, and whether it may log in.
#[derive(Debug, Clone)]
pub struct LoginAccount {
    pub id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn insert(executor: impl AnyExecutor<'_>, user: &NewUser<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (id, phone, name, role, password_hash, village_id, teaching_point_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user.id.to_string())
    .bind(user.phone)
    .bind(user.name)
    .bind(user.role.code())
    .bind(user.password_hash)
    .bind(user.village_id.map(|id| id.to_string()))
    .bind(user.teaching_point_id.map(|id| id.to_string()))
    .bind(format_instant(user.created_at))
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn find_for_login(
    executor: impl AnyExecutor<'_>,
    phone: &str,
) -> Result<Option<LoginAccount>, StoreError> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash, disabled_at FROM users WHERE phone = $1")
            .bind(phone)
            .fetch_optional(executor)
            .await?;
    row.map(|(id, password_hash, disabled_at)| {
        Ok(LoginAccount {
            id: parse_uuid("users.id", &id)?,
            password_hash,
            disabled: disabled_at.is_some(),
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: String,
    name: String,
    phone: String,
    role: String,
    village_id: Option<String>,
    village_name: Option<String>,
    teaching_point_id: Option<String>,
    teaching_point_name: Option<String>,
}

/// The profile shown to the logged-in person, with their village and teaching point by name.
/// Whether the account exists and is disabled (`admin disable-user`).
pub async fn is_disabled(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
) -> Result<bool, StoreError> {
    // The column itself, not `disabled_at IS NOT NULL`: a comparison is an integer on SQLite, a boolean on
    // PostgreSQL.
    let disabled_at: Option<Option<String>> =
        sqlx::query_scalar("SELECT disabled_at FROM users WHERE id = $1")
            .bind(user_id.to_string())
            .fetch_optional(executor)
            .await?;
    Ok(disabled_at.flatten().is_some())
}

pub async fn profile(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<UserProfile>, StoreError> {
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT u.id, u.name, u.phone, u.role, \
                v.id AS village_id, v.name AS village_name, \
                t.id AS teaching_point_id, t.name AS teaching_point_name \
         FROM users u \
         LEFT JOIN villages v ON v.id = u.village_id \
         LEFT JOIN teaching_points t ON t.id = u.teaching_point_id \
         WHERE u.id = $1",
    )
    .bind(user_id.to_string())
    .fetch_optional(executor)
    .await?;
    row.map(ProfileRow::into_profile).transpose()
}

impl ProfileRow {
    fn into_profile(self) -> Result<UserProfile, StoreError> {
        let village = match (self.village_id, self.village_name) {
            (Some(id), Some(name)) => Some(VillageRef {
                id: parse_uuid("villages.id", &id)?,
                name,
            }),
            _ => None,
        };
        let teaching_point = match (self.teaching_point_id, self.teaching_point_name) {
            (Some(id), Some(name)) => Some(TeachingPointRef {
                id: parse_uuid("teaching_points.id", &id)?,
                name,
            }),
            _ => None,
        };
        Ok(UserProfile {
            id: parse_uuid("users.id", &self.id)?,
            name: self.name,
            phone: self.phone,
            role: parse_role(&self.role)?,
            village,
            teaching_point,
        })
    }
}

pub(crate) fn parse_role(code: &str) -> Result<Role, StoreError> {
    Role::from_code(code).ok_or_else(|| StoreError::Corrupt {
        column: "users.role",
        value: code.to_owned(),
    })
}

/// An account as the admin tool needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub role: Role,
    pub disabled: bool,
    /// One of the demo village's accounts (published password).
    pub is_demo: bool,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    phone: String,
    role: String,
    disabled_at: Option<String>,
    is_demo: i64,
}

impl SummaryRow {
    fn into_summary(self) -> Result<UserSummary, StoreError> {
        Ok(UserSummary {
            id: parse_uuid("users.id", &self.id)?,
            name: self.name,
            phone: self.phone,
            role: parse_role(&self.role)?,
            disabled: self.disabled_at.is_some(),
            is_demo: self.is_demo != 0,
        })
    }
}

pub async fn find_by_phone(
    executor: impl AnyExecutor<'_>,
    phone: &str,
) -> Result<Option<UserSummary>, StoreError> {
    let row: Option<SummaryRow> = sqlx::query_as(
        "SELECT id, name, phone, role, disabled_at, is_demo FROM users WHERE phone = $1",
    )
    .bind(phone)
    .fetch_optional(executor)
    .await?;
    row.map(SummaryRow::into_summary).transpose()
}

/// The demo village's accounts (`users.is_demo`), disabled or not.
pub async fn demo_accounts(executor: impl AnyExecutor<'_>) -> Result<Vec<UserSummary>, StoreError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, name, phone, role, disabled_at, is_demo FROM users WHERE is_demo = 1 ORDER BY phone",
    )
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

/// Marks an account as one of the demo village's (published password).
pub async fn mark_demo(executor: impl AnyExecutor<'_>, user_id: Uuid) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET is_demo = 1 WHERE id = $1")
        .bind(user_id.to_string())
        .execute(executor)
        .await?;
    Ok(())
}

/// Disables the account from `at` (`Some`) or enables it (`None`); returns whether the account exists.
pub async fn set_disabled(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
    at: Option<OffsetDateTime>,
) -> Result<bool, StoreError> {
    let result = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(at.map(format_instant))
        .bind(user_id.to_string())
        .execute(executor)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// Replaces the account's password hash (an argon2id PHC string); returns whether the account exists.
pub async fn set_password_hash(
    executor: impl AnyExecutor<'_>,
    user_id: Uuid,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id.to_string())
        .execute(executor)
        .await?;
    Ok(result.rows_affected() > 0)
}

/// How many accounts exist.
pub async fn count(executor: impl AnyExecutor<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(executor)
        .await?)
}
