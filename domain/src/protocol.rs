//! Types that cross the network between the app and the server. Nothing else is shared between them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The four kinds of account. Serialised in snake_case on the wire and in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 帮扶责任人: visits the households assigned to them.
    Helper,
    /// 驻村第一书记: sees and reviews every household of the village.
    FirstSecretary,
    /// 村干部: runs a night-school teaching point.
    VillageCadre,
    /// Township or county poverty office: accounts, villages, policy tables.
    Admin,
}

impl Role {
    /// The stable code used in the database and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Role::Helper => "helper",
            Role::FirstSecretary => "first_secretary",
            Role::VillageCadre => "village_cadre",
            Role::Admin => "admin",
        }
    }

    /// Parses a stable code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Role> {
        match code {
            "helper" => Some(Role::Helper),
            "first_secretary" => Some(Role::FirstSecretary),
            "village_cadre" => Some(Role::VillageCadre),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// `POST /api/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub phone: String,
    pub password: String,
}

/// A village (行政村) the user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageRef {
    pub id: Uuid,
    pub name: String,
}

/// A night-school teaching point (教学点) the user runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingPointRef {
    pub id: Uuid,
    pub name: String,
}

/// Who is logged in: returned by `POST /api/login` and `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserProfile {
    pub id: Uuid,
    pub name: String,
    pub phone: String,
    pub role: Role,
    pub village: Option<VillageRef>,
    pub teaching_point: Option<TeachingPointRef>,
}

/// `POST /api/login` success body. The token goes in `Authorization: Bearer <token>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    /// RFC 3339 instant after which the server refuses the token.
    pub expires_at: String,
    pub user: UserProfile,
}

/// `GET /api/health` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// Every 4xx/5xx body: a stable machine code and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: String,
    pub message: String,
}
