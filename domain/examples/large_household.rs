//! Prints a 20-member household with a 50-measure plan as the app stores it — an assigned household
//! and a draft — for the autosave benchmark (`tools/bench-autosave.mjs`).
//!
//! `cargo run -p zoufang-domain --example large_household`

use time::macros::{date, datetime};
use uuid::Uuid;
use zoufang_domain::model::{UserId, VisitId, VisitLog, VisitPurpose};
use zoufang_domain::protocol::AssignedHousehold;
use zoufang_domain::risk::{RiskInputs, RiskRuleSet, assess_risk};
use zoufang_domain::sample::large_household;

fn main() -> Result<(), serde_json::Error> {
    let (household, plan, income) = large_household(20, 50);
    let today = date!(2026 - 11 - 22);
    let risk = assess_risk(
        &RiskInputs {
            household: &household,
            plan: Some(&plan),
            income: None,
            previous_per_capita: None,
            today,
        },
        &RiskRuleSet::default(),
    );
    let visit = VisitLog {
        schema_version: 1,
        id: VisitId(Uuid::from_u128(0xbe4c)),
        household_id: household.id,
        purposes: vec![VisitPurpose::RoutineVisit],
        visitor_ids: vec![UserId(Uuid::from_u128(0xbe4d))],
        started_at: datetime!(2026-11-22 09:00 UTC),
        ended_at: datetime!(2026-11-22 09:00 UTC),
        notes: String::new(),
        issues_found: Vec::new(),
        follow_ups: Vec::new(),
        household_confirmation: None,
        evidence: Vec::new(),
    };
    let assigned = AssignedHousehold {
        household: household.clone(),
        version: 1,
        risk,
        last_visit_on: None,
        plan: None,
        review: None,
        income_sheets: Vec::new(),
        visits: Vec::new(),
        review_history: Vec::new(),
        night_school_follow_up: None,
        earlier_visits: Vec::new(),
        review_basis: None,
    };
    let output = serde_json::json!({
        "household_id": household.id.to_string(),
        "assigned": assigned,
        "stored_draft": {
            "draft": {
                "schema_version": 1,
                "household": household,
                "income": income,
                "plan": plan,
                "visit": visit,
                "raw_inputs": {},
                "base_version": 1
            },
            "saved_at": "2026-11-22T09:00:00Z"
        }
    });
    println!("{}", serde_json::to_string(&output)?);
    Ok(())
}
