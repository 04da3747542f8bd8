//! Types that cross the network between the app and the server. Nothing else is shared between them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::income::IncomeSheet;
use crate::model::{
    Evidence, Household, HouseholdId, Plan, PlanId, Session, UnitLevel, UserId, VisitLog,
};
use crate::policy::{BUILTIN_POLICY_JSON, PolicyError, PolicyTables};
use crate::risk::{RiskAssessment, RiskRuleSet};
use crate::validation::Finding;

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

/// `PUT`/`GET /api/me/data-key` body: the phone's data key, wrapped on the phone by a key derived from the account
/// password (PBKDF2-SHA256 with this salt and iteration count, then AES-GCM key wrap). Opaque to the server, which
/// keeps one per account and gives it back only to a password login of the last few minutes, so a user who forgot
/// the app PIN gets their phone's data back by logging in again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedDataKey {
    /// Base64 of `iv ‖ wrapped key ‖ tag`.
    pub wrapped: String,
    /// Base64 of the PBKDF2 salt.
    pub salt: String,
    pub iterations: u32,
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
    /// The household's current plan version on the server (`None`: no plan submitted yet).
    #[serde(default)]
    pub plan: Option<Plan>,
    /// Where the current plan version stands with the first secretary.
    #[serde(default)]
    pub review: Option<PlanReview>,
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

/// `POST /api/submissions` body: one record a phone submitted, keyed by the UUID the phone gave it. The UUID is the
/// idempotency key: sending the same submission again (a retry after a lost response, two tabs) returns the first
/// receipt and never stores a second row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub id: Uuid,
    /// The phone's clock when the helper pressed 提交.
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub record: SubmissionRecord,
}

/// What a submission carries.
// A wire value, built once per send and moved rarely: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SubmissionRecord {
    /// A household visit: the edited household record, the 一户一策 plan version, the income sheet and the visit log.
    HouseholdVisit(HouseholdVisit),
    /// A night-school attendance sheet (电视夜校).
    Attendance(AttendanceSheet),
}

impl SubmissionRecord {
    /// The stable code of the record's kind (`household_visit`, `attendance`).
    pub fn kind(&self) -> &'static str {
        match self {
            SubmissionRecord::HouseholdVisit(_) => "household_visit",
            SubmissionRecord::Attendance(_) => "attendance",
        }
    }
}

/// A household visit as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdVisit {
    pub household: Household,
    /// The server version of the household the helper's edits started from. A stale base is refused with 409
    /// and the server's copy ([`Conflict`]).
    pub base_version: i64,
    pub plan: Plan,
    pub income: IncomeSheet,
    pub visit: VisitLog,
    /// Metadata of the photos the visit refers to; their bytes are uploaded first (`PUT /api/photos/{sha256}`).
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The written reason for each warning, by rule code: a warning without a reason is refused like an error.
    #[serde(default)]
    pub warning_reasons: BTreeMap<String, String>,
}

/// A night-school attendance sheet as submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub session: Session,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// The written reason for each warning of `validate_session`, by rule code, as for a household visit.
    #[serde(default)]
    pub warning_reasons: BTreeMap<String, String>,
}

/// `POST /api/submissions` success body (201 the first time, 200 with the same body for a repeat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionReceipt {
    /// The submission's client UUID.
    pub id: Uuid,
    /// RFC 3339 UTC instant the server stored it.
    pub accepted_at: String,
    /// For a household visit: the household's new server version (the base for the next edit).
    pub household_version: Option<i64>,
    /// True when this answer repeats an earlier one for the same UUID.
    pub duplicate: bool,
}

/// 422 `validation_failed` body: the domain's findings that refused the submission (errors, and warnings sent
/// without a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationRejection {
    pub code: String,
    pub message: String,
    pub findings: Vec<Finding>,
}

/// 409 `stale_base` body: the edit started from an older version of the household than the server holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub code: String,
    pub message: String,
    /// The version the submission named as its base.
    pub base_version: i64,
    /// The server's copy now, with its version, current plan and review.
    pub server: AssignedHousehold,
}

/// Where a plan version stands with the first secretary (驻村第一书记).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// 待审核
    Pending,
    /// 已通过
    Approved,
    /// 已退回: the helper revises and submits a new version.
    Returned,
}

/// The review of one submitted plan version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanReview {
    pub plan_id: PlanId,
    pub household_id: HouseholdId,
    /// The submission that carried this plan version.
    pub submission_id: Uuid,
    pub status: ReviewStatus,
    /// The first secretary's comments (required when returning).
    pub comments: String,
    pub reviewer_name: Option<String>,
    /// RFC 3339 UTC instant of the decision.
    pub reviewed_at: Option<String>,
}

/// A first secretary's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Approve,
    /// Return with comments; the comments must not be empty.
    Return,
}

/// `POST /api/reviews` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The submission that carried the plan version being reviewed.
    pub submission_id: Uuid,
    pub decision: ReviewDecision,
    #[serde(default)]
    pub comments: String,
}

/// `POST /api/households/{id}/helper` body: the first secretary of the household's village makes an account of that
/// village its current helper (帮扶责任人) from `started_on`; the previous helper's row closes on the day before.
/// The answer is the household's new server copy ([`AssignedHousehold`]). A household visit can never do this: the
/// server refuses a visit whose `helpers` differ from its copy with 422 `helpers_changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperChangeRequest {
    /// The new helper's account: a helper or first secretary of the household's village.
    pub user_id: UserId,
    /// 帮扶单位
    #[serde(default)]
    pub unit: String,
    /// 职务
    #[serde(default)]
    pub position: String,
    /// 单位隶属关系; 其他 when absent.
    #[serde(default)]
    pub unit_level: Option<UnitLevel>,
    /// The first day of the new helper (`YYYY-MM-DD`); after the current helper's start.
    pub started_on: Date,
}

/// `GET /api/changes?since=<cursor>` body: what changed on the caller's households since the cursor (omit it for
/// everything). Keep [`ChangesResponse::cursor`] and send it next time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesResponse {
    /// Households (with their current plan and review) changed since the cursor, in listing order.
    pub households: Vec<AssignedHousehold>,
    /// An opaque position to ask from next time.
    pub cursor: String,
}

/// `HEAD`/`PUT /api/photos/{sha256}`: the answer to an upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoReceipt {
    pub sha256: String,
    pub bytes: u64,
    /// False when the server already had these bytes.
    pub created: bool,
}
