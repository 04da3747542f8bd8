//! What the village view shows, derived in one pass from the households' digests on the phone
//! (`domain::village`; no signals, no storage): one row per household, the colour counts, the filters, the plans
//! awaiting review, overdue visits, the households under a line and each helper's progress. Pure, so it is tested
//! natively and measured by `scripts/bench-village`.

use super::status::PhoneRecords;
use crate::ui::badge::HouseholdStatus;
use std::collections::BTreeMap;
use time::{Date, UtcOffset};
use zoufang_domain::listing::listing_order;
use zoufang_domain::night_school::AbsenceFollowUp;
use zoufang_domain::protocol::ReviewStatus;
use zoufang_domain::risk::RiskColour;
use zoufang_domain::village::{DigestReason, HouseholdDigest};

/// The rule that fires when the accounted income does not exceed the year's poverty standard.
const BELOW_STANDARD_RULE: &str = "RED-BELOW-STANDARD";
/// The rule that fires when it does not exceed the year's monitoring line.
const BELOW_MONITORING_RULE: &str = "YELLOW-BELOW-MONITORING";

/// The colours in the order the summary shows them, most urgent first.
pub const COLOURS: [RiskColour; 5] = [
    RiskColour::Red,
    RiskColour::Yellow,
    RiskColour::Green,
    RiskColour::NotAccounted,
    RiskColour::NotConfigured,
];

/// One household as the village view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageRow {
    pub id: String,
    pub head_name: String,
    pub code: String,
    pub group: String,
    /// The current 帮扶责任人's name (empty: none recorded).
    pub helper: String,
    pub colour: RiskColour,
    pub reasons: Vec<DigestReason>,
    pub status: Option<HouseholdStatus>,
    pub last_visit_on: Option<Date>,
    /// Days since the last visit (`None`: never visited).
    pub days_since_visit: Option<i64>,
    /// Never visited, or not for the village's overdue days.
    pub overdue: bool,
    pub below_standard: bool,
    pub below_monitoring: bool,
    /// The current plan waits for the first secretary: when the server accepted it (RFC 3339; empty if unknown).
    pub awaiting_review_since: Option<String>,
    /// Visits in the current calendar month (among the visits the phone holds).
    pub visits_this_month: u32,
    pub follow_up: Option<AbsenceFollowUp>,
}

impl VillageRow {
    fn new(
        digest: &HouseholdDigest,
        phone: &PhoneRecords,
        today: Date,
        offset: UtcOffset,
        overdue_after_days: u32,
    ) -> VillageRow {
        let days_since_visit = digest
            .last_visit_on
            .map(|visited| (today - visited).whole_days());
        let overdue = days_since_visit.is_none_or(|days| days >= i64::from(overdue_after_days));
        let awaiting_review_since = digest
            .review
            .as_ref()
            .filter(|review| review.status == ReviewStatus::Pending && !phone.decided_here(digest))
            .map(|review| review.submitted_at.clone());
        let visits_this_month = digest
            .visits_started
            .iter()
            .filter(|started| {
                let on = started.to_offset(offset).date();
                on.year() == today.year() && on.month() == today.month()
            })
            .count();
        VillageRow {
            id: digest.id.to_string(),
            head_name: digest.head_name.clone(),
            code: digest.code.clone(),
            group: digest.group.clone(),
            helper: digest.helper.clone(),
            colour: digest.colour,
            reasons: digest.reasons.clone(),
            status: phone.status_of_digest(digest),
            last_visit_on: digest.last_visit_on,
            days_since_visit,
            overdue,
            below_standard: digest.fired(BELOW_STANDARD_RULE),
            below_monitoring: digest.fired(BELOW_MONITORING_RULE),
            awaiting_review_since,
            visits_this_month: u32::try_from(visits_this_month).unwrap_or(u32::MAX),
            follow_up: digest.follow_up,
        }
    }
}

/// One helper's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperProgress {
    pub name: String,
    pub households: u32,
    pub visits_this_month: u32,
    pub overdue: u32,
}

/// The whole village, derived in one pass over the digests per change of its inputs: the rows and every summary
/// the view shows (the panels hold row indices, so nothing is copied or computed again per panel).
#[derive(Debug, Clone, PartialEq)]
pub struct Village {
    /// In the server's order (组, then 户编号).
    pub rows: Vec<VillageRow>,
    pub overdue_after_days: u32,
    colour_counts: Vec<(RiskColour, usize)>,
    groups: Vec<String>,
    helpers: Vec<HelperProgress>,
    awaiting: Vec<usize>,
    overdue: Vec<usize>,
    below: Vec<usize>,
    follow_ups: Vec<usize>,
}

impl Village {
    pub fn new(
        households: &[HouseholdDigest],
        phone: &PhoneRecords,
        today: Date,
        offset: UtcOffset,
        overdue_after_days: u32,
    ) -> Village {
        let mut rows: Vec<VillageRow> = households
            .iter()
            .map(|digest| VillageRow::new(digest, phone, today, offset, overdue_after_days))
            .collect();
        rows.sort_by(|a, b| listing_order((&a.group, &a.code), (&b.group, &b.code)));
        let mut counts = [0usize; COLOURS.len()];
        let mut groups: Vec<String> = Vec::new();
        let mut by_helper: BTreeMap<&str, HelperProgress> = BTreeMap::new();
        let (mut awaiting, mut overdue, mut below, mut follow_ups) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (index, row) in rows.iter().enumerate() {
            if let Some(slot) = COLOURS.iter().position(|colour| *colour == row.colour) {
                counts[slot] += 1;
            }
            if groups.last() != Some(&row.group) && !groups.contains(&row.group) {
                groups.push(row.group.clone());
            }
            let helper = by_helper
                .entry(row.helper.as_str())
                .or_insert_with(|| HelperProgress {
                    name: row.helper.clone(),
                    households: 0,
                    visits_this_month: 0,
                    overdue: 0,
                });
            helper.households += 1;
            helper.visits_this_month = helper
                .visits_this_month
                .saturating_add(row.visits_this_month);
            helper.overdue += u32::from(row.overdue);
            if row.awaiting_review_since.is_some() {
                awaiting.push(index);
            }
            if row.overdue {
                overdue.push(index);
            }
            if row.below_standard || row.below_monitoring {
                below.push(index);
            }
            if row.follow_up.is_some() {
                follow_ups.push(index);
            }
        }
        // Plans waiting the longest first; the never visited, then the longest unvisited first.
        awaiting.sort_by(|a, b| {
            rows[*a]
                .awaiting_review_since
                .cmp(&rows[*b].awaiting_review_since)
        });
        overdue.sort_by_key(|index| {
            std::cmp::Reverse(rows[*index].days_since_visit.unwrap_or(i64::MAX))
        });
        let helpers = by_helper.into_values().collect();
        Village {
            colour_counts: COLOURS.iter().copied().zip(counts).collect(),
            rows,
            overdue_after_days,
            groups,
            helpers,
            awaiting,
            overdue,
            below,
            follow_ups,
        }
    }

    fn pick(&self, indices: &[usize]) -> Vec<&VillageRow> {
        indices
            .iter()
            .filter_map(|index| self.rows.get(*index))
            .collect()
    }

    /// How many households have each colour, in [`COLOURS`] order.
    pub fn colour_counts(&self) -> Vec<(RiskColour, usize)> {
        self.colour_counts.clone()
    }

    /// The 组 of the village, in listing order, each once.
    pub fn groups(&self) -> Vec<String> {
        self.groups.clone()
    }

    /// The helpers with their households' progress, by name.
    pub fn helpers(&self) -> Vec<HelperProgress> {
        self.helpers.clone()
    }

    /// Plans waiting for the first secretary, the longest-waiting first.
    pub fn awaiting_review(&self) -> Vec<&VillageRow> {
        self.pick(&self.awaiting)
    }

    /// Households not visited for the overdue days, the longest first (never visited before all).
    pub fn overdue(&self) -> Vec<&VillageRow> {
        self.pick(&self.overdue)
    }

    /// Households whose accounted income does not exceed the standard or the monitoring line.
    pub fn below_lines(&self) -> Vec<&VillageRow> {
        self.pick(&self.below)
    }

    /// Households the night school asks their helper to follow up.
    pub fn night_school_follow_ups(&self) -> Vec<&VillageRow> {
        self.pick(&self.follow_ups)
    }
}

/// The village view's filters; `None` in a field lets every household through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub colour: Option<RiskColour>,
    pub group: Option<String>,
    pub helper: Option<String>,
    /// `Some(None)`: households with no status yet.
    pub status: Option<Option<HouseholdStatus>>,
}

impl Filters {
    pub fn admits(&self, row: &VillageRow) -> bool {
        self.colour.is_none_or(|colour| row.colour == colour)
            && self.group.as_ref().is_none_or(|group| &row.group == group)
            && self
                .helper
                .as_ref()
                .is_none_or(|helper| &row.helper == helper)
            && self.status.is_none_or(|status| row.status == status)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[cfg(test)]
mod tests;
