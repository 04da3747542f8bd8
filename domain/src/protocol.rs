//! Types that cross the network between the app and the server. Nothing else is shared between them.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::model::Household;
use crate::policy::{BUILTIN_POLICY_JSON, PolicyError, PolicyTables};
use crate::risk::{RiskAssessment, RiskRuleSet};

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

/// A policy-tables document in the shape of `data/policy-tables.json`, as it crosses the network. Deserialising
/// checks it with [`PolicyTables::from_json`], so a value of this type always holds usable [`PolicyTables`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value", into = "serde_json::Value")]
pub struct PolicyDocument {
    document: serde_json::Value,
    tables: PolicyTables,
}

impl PolicyDocument {
    /// The tables shipped with this build.
    pub fn builtin() -> Result<PolicyDocument, PolicyError> {
        PolicyDocument::parse(BUILTIN_POLICY_JSON)
    }

    /// Checks a document (as an admin would upload it) and keeps it as sent.
    pub fn parse(json: &str) -> Result<PolicyDocument, PolicyError> {
        let document: serde_json::Value =
            serde_json::from_str(json).map_err(|error| PolicyError::Json(error.to_string()))?;
        PolicyDocument::try_from(document)
    }

    /// The typed tables, for income accounting, validation and lookups.
    pub fn tables(&self) -> &PolicyTables {
        &self.tables
    }

    /// The document as JSON (for storing it on the phone as received).
    pub fn document(&self) -> &serde_json::Value {
        &self.document
    }
}

impl TryFrom<serde_json::Value> for PolicyDocument {
    type Error = PolicyError;
    fn try_from(document: serde_json::Value) -> Result<Self, Self::Error> {
        let tables = PolicyTables::from_json(&document.to_string())?;
        Ok(PolicyDocument { document, tables })
    }
}

impl From<PolicyDocument> for serde_json::Value {
    fn from(policy: PolicyDocument) -> Self {
        policy.document
    }
}

/// One household on the caller's list, as `GET /api/assignments` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedHousehold {
    /// The server copy of the record.
    pub household: Household,
    /// The server copy's version: an edit names it as its base, and a stale base is refused with 409.
    pub version: i64,
    /// 红黄绿 on [`AssignmentsResponse::as_of`] with [`AssignmentsResponse::risk_rules`], and which rules fired.
    pub risk: RiskAssessment,
    /// The date of the latest visit the server knows of (`None`: never visited).
    pub last_visit_on: Option<Date>,
}

/// `GET /api/assignments` body: everything a phone needs to work offline on the caller's households. A 帮扶责任人
/// gets the households whose current helper they are; a 驻村第一书记 every household of their village; other roles
/// get 403 `forbidden`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentsResponse {
    /// Sorted by 组 (一组, 二组 … in numeral order), then 户编号.
    pub households: Vec<AssignedHousehold>,
    /// The policy tables in force (standards, monitoring lines, 低保/特困 standards, award tiers).
    pub policy: PolicyDocument,
    /// The 红黄绿 rule set the risk colours were computed with.
    pub risk_rules: RiskRuleSet,
    /// The server's date (China Standard Time) the risk colours are computed for.
    pub as_of: Date,
    /// RFC 3339 UTC instant when the server built this response.
    pub generated_at: String,
}
