//! What a household's history sends beyond its current state: earlier visits in brief, the basis of a pending
//! review (the submission as sent and the last approved version), and the full history read on demand.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{HouseholdVisit, ReviewEntry, VisitEntry};
use crate::income::IncomeSheet;
use crate::model::{Household, HouseholdId, Plan, VisitPurpose};

/// How many of the latest visits the assignments download and the changes feed carry in full; the rest go as
/// [`VisitSummary`]. Every visit in full costs its photos' SHA-256 and ids, which do not compress: 12 visits of 2
/// photos for 300 households were 680 KB of a 700 KB download.
pub const VISITS_IN_FULL: usize = 1;

/// An earlier visit in brief, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSummary {
    /// The submission that carried it: two submissions of one visit (a correction) are two entries.
    pub submission_id: Uuid,
    /// When the visit started, as the phone recorded it: the day to show, and what tells this visit apart from
    /// the full entries a phone fetches later.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<VisitPurpose>,
    /// How many photos the submission carried.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub photos: u32,
    /// Who submitted it (their name on the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<String>,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl VisitSummary {
    /// The brief of a full entry.
    pub fn of(entry: &VisitEntry) -> VisitSummary {
        VisitSummary {
            submission_id: entry.submission_id,
            started_at: entry.visit.started_at,
            purposes: entry.visit.purposes.clone(),
            photos: u32::try_from(entry.evidence.len()).unwrap_or(u32::MAX),
            submitted_by: entry.submitted_by.clone(),
        }
    }
}

/// What a review looks at, kept on the first secretary's phone while a plan awaits review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewBasis {
    /// The submission carrying the plan under review ([`super::PlanReview::submission_id`]).
    pub submission_id: Uuid,
    /// That submission exactly as the helper sent it: the record, plan, income sheet, visit, photos' metadata and
    /// the reasons written for warnings.
    pub submitted: HouseholdVisit,
    /// The last approved version before it (`None`: no plan of this household was approved yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<ApprovedVersion>,
}

/// The record, plan and income sheet of the last approved submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovedVersion {
    pub submission_id: Uuid,
    /// RFC 3339 UTC instant of the approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<String>,
    pub household: Household,
    pub plan: Plan,
    pub income: IncomeSheet,
}

/// `GET /api/households/{id}/history`: a household's latest visits in full (at most [`super::VISIT_HISTORY_LIMIT`], newest
/// first, each with its photos' metadata) and its review decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdHistoryResponse {
    pub household_id: HouseholdId,
    pub visits: Vec<VisitEntry>,
    pub reviews: Vec<ReviewEntry>,
}
