//! Types that cross the network between the app and the server. Nothing else is shared between them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub use crate::household_visit::HouseholdVisit;

mod history;
use crate::income::IncomeSheet;
use crate::model::{
    Evidence, Household, HouseholdId, MemberId, ParticipationRate, Plan, PlanId, Session,
    TeachingPointId, UnitLevel, UserId, VisitLog,
};
use crate::night_school::{AbsenceFollowUp, NightSchoolRules};
use crate::policy::lines::{ConfiguredLine, overlay};
use crate::policy::{BUILTIN_POLICY_JSON, PolicyError, PolicyTables};
use crate::risk::{RiskAssessment, RiskRuleSet};
use crate::validation::Finding;
pub use history::{
    ApprovedVersion, HouseholdHistoryResponse, ReviewBasis, VISITS_IN_FULL, VisitSummary,
};

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

    /// This document with an administrator's configured standards and monitoring lines laid over it (see
    /// [`crate::policy::lines::overlay`]); checked like any document.
    pub fn with_lines(&self, lines: &[ConfiguredLine]) -> Result<PolicyDocument, PolicyError> {
        if lines.is_empty() {
            return Ok(self.clone());
        }
        PolicyDocument::try_from(overlay(self.document.clone(), lines)?)
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
    /// The latest accepted income sheet of each year, newest year first (empty: none submitted yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income_sheets: Vec<IncomeSheet>,
    /// The latest visits the server accepted in full, newest first, each with the metadata of its photos (the bytes
    /// come from `GET /api/photos/{sha256}` when a phone needs them). The assignments download and the changes
    /// feed carry [`VISITS_IN_FULL`]; `GET /api/households/{id}/history` carries up to [`VISIT_HISTORY_LIMIT`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub visits: Vec<VisitEntry>,
    /// The visits before those in [`AssignedHousehold::visits`], in brief, newest first (together at most
    /// [`VISIT_HISTORY_LIMIT`]): a household's timeline on a new phone shows them offline; their notes and photos
    /// come with `GET /api/households/{id}/history`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_visits: Vec<VisitSummary>,
    /// While the current plan awaits review: the submission exactly as sent and the last approved version, so a
    /// first secretary can review offline and see what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_basis: Option<Box<ReviewBasis>>,
    /// The first secretary's decisions on the household's plans (approvals and returns, each with its comments),
    /// newest first, at most [`VISIT_HISTORY_LIMIT`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review_history: Vec<ReviewEntry>,
    /// Absent from the night school at least N of the teaching point's last M sessions: the helper follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub night_school_follow_up: Option<AbsenceFollowUp>,
}

impl AssignedHousehold {
    /// The accepted income sheet for `year`, if one was submitted.
    pub fn income_sheet(&self, year: i32) -> Option<&IncomeSheet> {
        self.income_sheets.iter().find(|sheet| sheet.year == year)
    }

    /// The comment of the latest review decision, approval or return, with its status, for showing to the helper;
    /// `None` when the current plan has no decision with a comment.
    pub fn review_comment(&self) -> Option<(ReviewStatus, &str)> {
        self.review
            .as_ref()
            .filter(|review| review.status != ReviewStatus::Pending && !review.comments.is_empty())
            .map(|review| (review.status, review.comments.as_str()))
    }
}

/// How many visits (and review decisions) a household's history holds.
pub const VISIT_HISTORY_LIMIT: usize = 12;

/// One accepted visit as the household's history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitEntry {
    /// The submission that carried the visit.
    pub submission_id: Uuid,
    pub visit: VisitLog,
    /// The photos' metadata the submission carried.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Who submitted it (their name on the server).
    pub submitted_by: Option<String>,
    /// RFC 3339 UTC instant the server accepted it.
    pub accepted_at: String,
}

/// One review decision as the household's history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    /// The decision's id (the phone's UUID when it was queued offline).
    pub id: Uuid,
    /// The submission that carried the plan version decided on.
    pub submission_id: Uuid,
    pub decision: ReviewDecision,
    pub comments: String,
    pub reviewer_name: Option<String>,
    /// RFC 3339 UTC instant the server recorded it.
    pub decided_at: String,
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
    /// After how many days without a visit a household counts as overdue in the village view: the caller's
    /// village's setting (`villages.overdue_after_days`), [`DEFAULT_OVERDUE_AFTER_DAYS`] when the caller has none.
    #[serde(default = "default_overdue_after_days")]
    pub overdue_after_days: u32,
}

/// Days without a visit after which a household is overdue, when the village sets nothing else.
pub const DEFAULT_OVERDUE_AFTER_DAYS: u32 = 30;

fn default_overdue_after_days() -> u32 {
    DEFAULT_OVERDUE_AFTER_DAYS
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

/// A night-school attendance sheet as submitted. Each submission of a session is a new version of it: the first
/// has `base_version` 0, an edit names the version it started from, and a stale base is refused with 409
/// `session_conflict` and the server copy ([`SessionConflict`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub session: Session,
    #[serde(default)]
    pub base_version: u32,
    /// Why a confirmed session is changed (required then: 422 `edit_reason_required` without it).
    #[serde(default)]
    pub edit_reason: String,
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

/// `POST /api/reviews` body. A decision queued in the phone's outbox carries its own UUID in `id`: sending it again
/// (a retry after a lost answer) returns the first answer and records nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The decision's idempotency key (`None` from older apps: the server gives it one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
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

/// One roster household as a cadre sees it: names, 组 and members' names only — no ID numbers, phones, bank
/// accounts or health (the 公示 rule, domain.md §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterHousehold {
    pub household_id: HouseholdId,
    pub head_name: String,
    /// 组, e.g. 一组.
    pub group_name: String,
    pub members: Vec<RosterMember>,
}

/// A member's name on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterMember {
    pub id: MemberId,
    pub name: String,
}

/// One earlier or current version of a session: who submitted it, when, and why it was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionVersion {
    pub version: u32,
    pub submitted_by: String,
    /// RFC 3339 UTC instant the server accepted it.
    pub accepted_at: String,
    /// Empty for a version nobody had to justify (before confirmation).
    pub edit_reason: String,
    pub session: Session,
}

/// The first secretary's confirmation of one version of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionConfirmation {
    pub version: u32,
    pub confirmed_by: String,
    pub confirmed_at: String,
}

/// A session as the server holds it: the current version, its rate against the roster, the latest confirmation and
/// every version (who, when, why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub session: Session,
    pub version: u32,
    pub rate: ParticipationRate,
    /// The latest confirmation (of this or an earlier version).
    pub confirmation: Option<SessionConfirmation>,
    /// Every version, newest first: the first is the current one.
    pub history: Vec<SessionVersion>,
}

impl SessionRecord {
    /// Whether the current version is the confirmed one.
    pub fn is_confirmed(&self) -> bool {
        self.confirmation
            .as_ref()
            .is_some_and(|confirmation| confirmation.version == self.version)
    }
}

/// A teaching point with its roster and sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingPointSheet {
    pub id: TeachingPointId,
    pub name: String,
    pub location: String,
    /// Sorted by 组 then 户编号.
    pub roster: Vec<RosterHousehold>,
    /// Newest first.
    pub sessions: Vec<SessionRecord>,
    /// Households absent N of the last M sessions.
    pub follow_ups: Vec<AbsenceFollowUp>,
}

/// `GET /api/night-school` body: a cadre's teaching point, or every teaching point of a first secretary's village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightSchoolResponse {
    pub points: Vec<TeachingPointSheet>,
    pub rules: NightSchoolRules,
    /// The server's date (China Standard Time).
    pub as_of: Date,
}

/// `POST /api/night-school/sessions/{id}/confirm` body: the version the first secretary read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmSessionRequest {
    pub version: u32,
}

/// `PUT /api/night-school/points/{id}/households` body: the households of the village assigned to this teaching
/// point (each moves here from any other point; those assigned here before and not listed are assigned nowhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterAssignmentRequest {
    pub household_ids: Vec<HouseholdId>,
}

/// 409 `session_conflict` body: the session changed on the server since the phone's base version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionConflict {
    pub code: String,
    pub message: String,
    pub base_version: u32,
    pub server: SessionRecord,
}
