//! What the village view shows, derived once from the households on the phone (no signals, no storage): one row per
//! household, the colour counts, the filters, the plans awaiting review, overdue visits, the households under a line
//! and each helper's progress. Pure, so it is tested natively and measured by `scripts/bench-village`.

use super::status::PhoneRecords;
use crate::ui::badge::HouseholdStatus;
use std::collections::BTreeMap;
use time::{Date, UtcOffset};
use zoufang_domain::listing::listing_order;
use zoufang_domain::model::Relation;
use zoufang_domain::night_school::AbsenceFollowUp;
use zoufang_domain::protocol::{AssignedHousehold, ReviewStatus};
use zoufang_domain::risk::{RiskColour, TriggeredRule};

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
    pub reasons: Vec<TriggeredRule>,
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
        assigned: &AssignedHousehold,
        phone: &PhoneRecords,
        today: Date,
        offset: UtcOffset,
        overdue_after_days: u32,
    ) -> VillageRow {
        let household = &assigned.household;
        let head_name = household
            .members
            .iter()
            .find(|member| member.relation == Relation::Head)
            .or(household.members.first())
            .map(|member| member.name.clone())
            .unwrap_or_default();
        let days_since_visit = assigned
            .last_visit_on
            .map(|visited| (today - visited).whole_days());
        let overdue = days_since_visit.is_none_or(|days| days >= i64::from(overdue_after_days));
        let fired = |code: &str| assigned.risk.triggered.iter().any(|rule| rule.code == code);
        let awaiting_review_since = assigned
            .review
            .as_ref()
            .filter(|review| {
                review.status == ReviewStatus::Pending && !phone.decided_here(assigned)
            })
            .map(|review| {
                assigned
                    .visits
                    .iter()
                    .find(|visit| visit.submission_id == review.submission_id)
                    .map(|visit| visit.accepted_at.clone())
                    .unwrap_or_default()
            });
        let visits_this_month = assigned
            .visits
            .iter()
            .filter(|entry| {
                let on = entry.visit.started_at.to_offset(offset).date();
                on.year() == today.year() && on.month() == today.month()
            })
            .count();
        VillageRow {
            id: household.id.to_string(),
            head_name,
            code: household.household_code.clone(),
            group: household.address.group.clone(),
            helper: household
                .current_helper()
                .map(|helper| helper.name.clone())
                .unwrap_or_default(),
            colour: assigned.risk.colour,
            reasons: assigned.risk.triggered.clone(),
            status: phone.status_of(assigned),
            last_visit_on: assigned.last_visit_on,
            days_since_visit,
            overdue,
            below_standard: fired(BELOW_STANDARD_RULE),
            below_monitoring: fired(BELOW_MONITORING_RULE),
            awaiting_review_since,
            visits_this_month: u32::try_from(visits_this_month).unwrap_or(u32::MAX),
            follow_up: assigned.night_school_follow_up,
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

/// The whole village, derived once per change of its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Village {
    /// In the server's order (组, then 户编号).
    pub rows: Vec<VillageRow>,
    pub overdue_after_days: u32,
}

impl Village {
    pub fn new(
        households: &[AssignedHousehold],
        phone: &PhoneRecords,
        today: Date,
        offset: UtcOffset,
        overdue_after_days: u32,
    ) -> Village {
        let mut rows: Vec<VillageRow> = households
            .iter()
            .map(|assigned| VillageRow::new(assigned, phone, today, offset, overdue_after_days))
            .collect();
        rows.sort_by(|a, b| listing_order((&a.group, &a.code), (&b.group, &b.code)));
        Village {
            rows,
            overdue_after_days,
        }
    }

    /// How many households have each colour, in [`COLOURS`] order.
    pub fn colour_counts(&self) -> Vec<(RiskColour, usize)> {
        COLOURS
            .iter()
            .map(|colour| {
                let count = self.rows.iter().filter(|row| row.colour == *colour).count();
                (*colour, count)
            })
            .collect()
    }

    /// The 组 of the village, in listing order, each once.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        for row in &self.rows {
            if !groups.contains(&row.group) {
                groups.push(row.group.clone());
            }
        }
        groups
    }

    /// The helpers with their households' progress, by name.
    pub fn helpers(&self) -> Vec<HelperProgress> {
        let mut by_name: BTreeMap<&str, HelperProgress> = BTreeMap::new();
        for row in &self.rows {
            let entry = by_name
                .entry(row.helper.as_str())
                .or_insert_with(|| HelperProgress {
                    name: row.helper.clone(),
                    households: 0,
                    visits_this_month: 0,
                    overdue: 0,
                });
            entry.households += 1;
            entry.visits_this_month = entry
                .visits_this_month
                .saturating_add(row.visits_this_month);
            entry.overdue += u32::from(row.overdue);
        }
        by_name.into_values().collect()
    }

    /// Plans waiting for the first secretary, the longest-waiting first.
    pub fn awaiting_review(&self) -> Vec<&VillageRow> {
        let mut waiting: Vec<&VillageRow> = self
            .rows
            .iter()
            .filter(|row| row.awaiting_review_since.is_some())
            .collect();
        waiting.sort_by(|a, b| a.awaiting_review_since.cmp(&b.awaiting_review_since));
        waiting
    }

    /// Households not visited for the overdue days, the longest first (never visited before all).
    pub fn overdue(&self) -> Vec<&VillageRow> {
        let mut overdue: Vec<&VillageRow> = self.rows.iter().filter(|row| row.overdue).collect();
        overdue.sort_by_key(|row| std::cmp::Reverse(row.days_since_visit.unwrap_or(i64::MAX)));
        overdue
    }

    /// Households whose accounted income does not exceed the standard or the monitoring line.
    pub fn below_lines(&self) -> Vec<&VillageRow> {
        self.rows
            .iter()
            .filter(|row| row.below_standard || row.below_monitoring)
            .collect()
    }

    /// Households the night school asks their helper to follow up.
    pub fn night_school_follow_ups(&self) -> Vec<&VillageRow> {
        self.rows
            .iter()
            .filter(|row| row.follow_up.is_some())
            .collect()
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
