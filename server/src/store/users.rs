//! Accounts. Passwords are stored only as argon2id PHC strings.

use sqlx::SqliteExecutor;
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

/// What login needs to know about an account: who it is and the hash to verify against.
#[derive(Debug, Clone)]
pub struct LoginAccount {
    pub id: Uuid,
    pub password_hash: String,
}

pub async fn insert(
    executor: impl SqliteExecutor<'_>,
    user: &NewUser<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (id, phone, name, role, password_hash, village_id, teaching_point_id, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
    executor: impl SqliteExecutor<'_>,
    phone: &str,
) -> Result<Option<LoginAccount>, StoreError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE phone = ?")
            .bind(phone)
            .fetch_optional(executor)
            .await?;
    row.map(|(id, password_hash)| {
        Ok(LoginAccount {
            id: parse_uuid("users.id", &id)?,
            password_hash,
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
pub async fn profile(
    executor: impl SqliteExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<UserProfile>, StoreError> {
    let row: Option<ProfileRow> = sqlx::query_as(
        "SELECT u.id, u.name, u.phone, u.role, \
                v.id AS village_id, v.name AS village_name, \
                t.id AS teaching_point_id, t.name AS teaching_point_name \
         FROM users u \
         LEFT JOIN villages v ON v.id = u.village_id \
         LEFT JOIN teaching_points t ON t.id = u.teaching_point_id \
         WHERE u.id = ?",
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
}

pub async fn find_by_phone(
    executor: impl SqliteExecutor<'_>,
    phone: &str,
) -> Result<Option<UserSummary>, StoreError> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, name, phone, role FROM users WHERE phone = ?")
            .bind(phone)
            .fetch_optional(executor)
            .await?;
    row.map(|(id, name, phone, role)| {
        Ok(UserSummary {
            id: parse_uuid("users.id", &id)?,
            name,
            phone,
            role: parse_role(&role)?,
        })
    })
    .transpose()
}
