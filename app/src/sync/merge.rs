//! Resolving a 409: the helper's edit started from an older server copy. The helper sees which parts differ and
//! keeps, part by part, their own version or the server's; the result is submitted again on the server's version.
//! The visit log and the income sheet are the helper's own new records and always stay. The helpers (帮扶责任人)
//! always come from the server: only the first secretary or an administrator changes them, and the server refuses
//! a visit whose helpers differ from its copy.

use crate::draft::HouseholdDraft;
use std::collections::BTreeSet;
use zoufang_domain::protocol::AssignedHousehold;

/// The parts of a household a helper chooses between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// 户编号, address, attributes, status, monitoring, linkage, bank account, sudden events.
    Basic,
    /// 住房, land, water, electricity, road, fuel, toilet.
    Housing,
    /// 家庭成员.
    Members,
    /// 致贫原因.
    Causes,
    /// 两不愁三保障 checklist.
    Checklist,
    /// 一户一策.
    Plan,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Basic,
        Part::Housing,
        Part::Members,
        Part::Causes,
        Part::Checklist,
        Part::Plan,
    ];

    /// Stable code (for test ids).
    pub fn code(self) -> &'static str {
        match self {
            Part::Basic => "basic",
            Part::Housing => "housing",
            Part::Members => "members",
            Part::Causes => "causes",
            Part::Checklist => "checklist",
            Part::Plan => "plan",
        }
    }
}

fn same(part: Part, mine: &HouseholdDraft, server: &AssignedHousehold) -> bool {
    let (a, b) = (&mine.household, &server.household);
    match part {
        Part::Basic => {
            a.household_code == b.household_code
                && a.address == b.address
                && a.attribute == b.attribute
                && a.identification_standard == b.identification_standard
                && a.poverty_status == b.poverty_status
                && a.exit_year == b.exit_year
                && a.first_identified_on == b.first_identified_on
                && a.monitoring_category == b.monitoring_category
                && a.linkage == b.linkage
                && a.bank_account == b.bank_account
                && a.sudden_events == b.sudden_events
        }
        Part::Housing => {
            a.land == b.land
                && a.housing == b.housing
                && a.water == b.water
                && a.electricity == b.electricity
                && a.road == b.road
                && a.fuel == b.fuel
                && a.sanitary_toilet == b.sanitary_toilet
        }
        Part::Members => a.members == b.members,
        Part::Causes => a.causes == b.causes,
        Part::Checklist => a.checklist == b.checklist,
        // No plan on the server: nothing to choose.
        Part::Plan => server.plan.as_ref().is_none_or(|plan| *plan == mine.plan),
    }
}

/// The parts where the helper's version and the server's differ.
pub fn differing_parts(mine: &HouseholdDraft, server: &AssignedHousehold) -> Vec<Part> {
    Part::ALL
        .into_iter()
        .filter(|part| !same(*part, mine, server))
        .collect()
}

/// The helper's draft with the `from_server` parts replaced by the server's, built on the server's version.
pub fn merge(
    mine: &HouseholdDraft,
    server: &AssignedHousehold,
    from_server: &BTreeSet<Part>,
) -> HouseholdDraft {
    let mut merged = mine.clone();
    let (to, from) = (&mut merged.household, &server.household);
    for part in from_server {
        match part {
            Part::Basic => {
                to.household_code = from.household_code.clone();
                to.address = from.address.clone();
                to.attribute = from.attribute;
                to.identification_standard = from.identification_standard;
                to.poverty_status = from.poverty_status;
                to.exit_year = from.exit_year;
                to.first_identified_on = from.first_identified_on;
                to.monitoring_category = from.monitoring_category;
                to.linkage = from.linkage.clone();
                to.bank_account = from.bank_account.clone();
                to.sudden_events = from.sudden_events.clone();
            }
            Part::Housing => {
                to.land = from.land.clone();
                to.housing = from.housing.clone();
                to.water = from.water.clone();
                to.electricity = from.electricity.clone();
                to.road = from.road.clone();
                to.fuel = from.fuel;
                to.sanitary_toilet = from.sanitary_toilet;
            }
            Part::Members => to.members = from.members.clone(),
            Part::Causes => to.causes = from.causes.clone(),
            Part::Checklist => to.checklist = from.checklist.clone(),
            Part::Plan => {
                if let Some(plan) = &server.plan {
                    merged.plan = plan.clone();
                }
            }
        }
    }
    // Text kept for fields of parts now taken from the server no longer applies to them.
    if from_server.contains(&Part::Members) {
        merged
            .raw_inputs
            .retain(|path, _| !path.starts_with("members"));
    }
    if from_server.contains(&Part::Plan) {
        merged
            .raw_inputs
            .retain(|path, _| !path.starts_with("plan"));
    }
    merged.household.helpers = server.household.helpers.clone();
    merged.base_version = server.version;
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::NewDraftIds;
    use time::macros::datetime;
    use uuid::Uuid;
    use zoufang_domain::model::{IncomeSheetId, PlanId, UserId, VisitId};
    use zoufang_domain::risk::{RiskAssessment, RiskColour};

    fn mine() -> HouseholdDraft {
        HouseholdDraft::start(
            zoufang_domain::sample::household(),
            1,
            NewDraftIds {
                income: IncomeSheetId(Uuid::from_u128(1)),
                plan: PlanId(Uuid::from_u128(2)),
                visit: VisitId(Uuid::from_u128(3)),
            },
            2026,
            UserId(Uuid::from_u128(4)),
            datetime!(2026-11-22 08:00 UTC),
        )
    }

    fn server(household: zoufang_domain::model::Household) -> AssignedHousehold {
        AssignedHousehold {
            household,
            version: 5,
            risk: RiskAssessment {
                colour: RiskColour::Green,
                triggered: Vec::new(),
                rule_set_version: "test".into(),
            },
            last_visit_on: None,
            plan: None,
            review: None,
            income_sheets: Vec::new(),
            visits: Vec::new(),
            review_history: Vec::new(),
            night_school_follow_up: None,
            earlier_visits: Vec::new(),
            review_basis: None,
        }
    }

    #[test]
    fn finds_the_parts_that_differ_and_merges_part_by_part() {
        let mine = mine();
        let mut theirs = mine.household.clone();
        theirs.members.pop();
        theirs.sanitary_toilet = !theirs.sanitary_toilet;
        let server = server(theirs.clone());
        assert_eq!(
            differing_parts(&mine, &server),
            vec![Part::Housing, Part::Members]
        );

        let merged = merge(&mine, &server, &[Part::Members].into_iter().collect());
        assert_eq!(merged.household.members, theirs.members);
        assert_eq!(
            merged.household.sanitary_toilet, mine.household.sanitary_toilet,
            "the helper's housing stays"
        );
        assert_eq!(merged.base_version, 5, "built on the server's version");
        assert_eq!(merged.visit, mine.visit, "the visit is always the helper's");
        assert_eq!(differing_parts(&merged, &server), vec![Part::Housing]);
    }

    #[test]
    fn the_helpers_always_come_from_the_server_and_are_not_a_choice() {
        let mine = mine();
        let mut theirs = mine.household.clone();
        let mut new_helper = theirs.helpers[0].clone();
        new_helper.name = "刘新".into();
        theirs
            .change_helper(new_helper, time::macros::date!(2026 - 03 - 01))
            .unwrap_or_else(|error| panic!("{error}"));
        let server = server(theirs.clone());
        assert_eq!(differing_parts(&mine, &server), Vec::<Part>::new());
        let merged = merge(&mine, &server, &BTreeSet::new());
        assert_eq!(merged.household.helpers, theirs.helpers);
    }

    #[test]
    fn keeping_everything_of_mine_only_moves_the_base() {
        let mine = mine();
        let mut theirs = mine.household.clone();
        theirs.household_code = "469000000000999".into();
        let merged = merge(&mine, &server(theirs), &BTreeSet::new());
        assert_eq!(merged.household, mine.household);
        assert_eq!(merged.base_version, 5);
    }
}
