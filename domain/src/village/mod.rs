//! A household as the first secretary's village view needs it ([`HouseholdDigest`]): who, where, the colour and its
//! reasons, the last visit, the plan's review, the visits' start times, the submissions the server copy knows and the
//! night-school follow-up. A few hundred bytes instead of a household's several kilobytes, so a phone keeps the
//! whole village's digests in one record and draws the village view from it without reading every household.
//!
//! Pure: the phone derives it from the household the server sent ([`HouseholdDigest::of`]) whenever it stores one.

use crate::model::{HouseholdId, Relation};
use crate::night_school::AbsenceFollowUp;
use crate::protocol::{AssignedHousehold, ReviewStatus};
use crate::risk::RiskColour;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The digests' format: a stored list of another format is not read (the phone builds it again).
pub const DIGEST_FORMAT: u32 = 1;

/// Every household's digest, as the phone keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VillageDigest {
    pub format: u32,
    pub households: Vec<HouseholdDigest>,
}

impl VillageDigest {
    pub fn of(households: &[AssignedHousehold]) -> VillageDigest {
        VillageDigest {
            format: DIGEST_FORMAT,
            households: households.iter().map(HouseholdDigest::of).collect(),
        }
    }

    /// Replaces the digests of `changed` households (by id) and adds those not there yet.
    pub fn merge(&mut self, changed: &[AssignedHousehold]) {
        for assigned in changed {
            let digest = HouseholdDigest::of(assigned);
            match self
                .households
                .iter_mut()
                .find(|known| known.id == digest.id)
            {
                Some(known) => *known = digest,
                None => self.households.push(digest),
            }
        }
    }
}

/// One reason of the household's colour, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestReason {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The current plan's review as the server had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestReview {
    pub submission_id: Uuid,
    pub status: ReviewStatus,
    /// When the server accepted the submission that carried the plan (RFC 3339; empty when the phone does not hold
    /// that visit).
    pub submitted_at: String,
}

/// What the village view shows of one household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdDigest {
    pub id: HouseholdId,
    /// The head's name (the first member's when no head is recorded; empty without members).
    pub head_name: String,
    pub code: String,
    pub group: String,
    /// The current 帮扶责任人's name (empty: none recorded).
    pub helper: String,
    pub colour: RiskColour,
    pub reasons: Vec<DigestReason>,
    pub last_visit_on: Option<Date>,
    pub review: Option<DigestReview>,
    /// When each visit the phone holds in full started.
    pub visits_started: Vec<OffsetDateTime>,
    /// The submissions the server copy knows of (its full visits, the current plan's, the review history's): a
    /// submission made on this phone and listed here has reached the server.
    pub known_submissions: Vec<Uuid>,
    pub follow_up: Option<AbsenceFollowUp>,
}

impl HouseholdDigest {
    pub fn of(assigned: &AssignedHousehold) -> HouseholdDigest {
        let household = &assigned.household;
        let head_name = household
            .members
            .iter()
            .find(|member| member.relation == Relation::Head)
            .or(household.members.first())
            .map(|member| member.name.clone())
            .unwrap_or_default();
        let review = assigned.review.as_ref().map(|review| DigestReview {
            submission_id: review.submission_id,
            status: review.status,
            submitted_at: assigned
                .visits
                .iter()
                .find(|visit| visit.submission_id == review.submission_id)
                .map(|visit| visit.accepted_at.clone())
                .unwrap_or_default(),
        });
        let mut known_submissions: Vec<Uuid> = assigned
            .visits
            .iter()
            .map(|visit| visit.submission_id)
            .chain(assigned.review.as_ref().map(|review| review.submission_id))
            .chain(
                assigned
                    .review_history
                    .iter()
                    .map(|entry| entry.submission_id),
            )
            .collect();
        known_submissions.sort_unstable();
        known_submissions.dedup();
        HouseholdDigest {
            id: household.id,
            head_name,
            code: household.household_code.clone(),
            group: household.address.group.clone(),
            helper: household
                .current_helper()
                .map(|helper| helper.name.clone())
                .unwrap_or_default(),
            colour: assigned.risk.colour,
            reasons: assigned
                .risk
                .triggered
                .iter()
                .map(|rule| DigestReason {
                    code: rule.code.clone(),
                    zh: rule.reason_zh.clone(),
                    en: rule.reason_en.clone(),
                })
                .collect(),
            last_visit_on: assigned.last_visit_on,
            review,
            visits_started: assigned
                .visits
                .iter()
                .map(|entry| entry.visit.started_at)
                .collect(),
            known_submissions,
            follow_up: assigned.night_school_follow_up,
        }
    }

    /// Whether the server copy knows this submission.
    pub fn knows_submission(&self, submission_id: Uuid) -> bool {
        self.known_submissions.binary_search(&submission_id).is_ok()
    }

    /// Whether a rule with this code set the colour.
    pub fn fired(&self, code: &str) -> bool {
        self.reasons.iter().any(|reason| reason.code == code)
    }
}

#[cfg(test)]
mod tests;
