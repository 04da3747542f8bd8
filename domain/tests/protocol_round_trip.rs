//! The sync-protocol types survive a JSON round trip, and a policy document is checked when it is read.

use time::macros::date;
use zoufang_domain::policy::{BUILTIN_POLICY_JSON, PolicyTables, RegionPath};
use zoufang_domain::protocol::{AssignedHousehold, AssignmentsResponse, PolicyDocument};
use zoufang_domain::risk::{RiskColour, RiskInputs, RiskRuleSet, assess_risk};
use zoufang_domain::sample;

#[test]
fn an_assignments_response_round_trips_through_json() {
    let household = sample::household();
    let rules = RiskRuleSet::default();
    let risk = assess_risk(
        &RiskInputs {
            household: &household,
            plan: None,
            income: None,
            previous_per_capita: None,
            today: sample::TODAY,
        },
        &rules,
    );
    let response = AssignmentsResponse {
        households: vec![
            AssignedHousehold {
                household: household.clone(),
                version: 3,
                risk,
                last_visit_on: Some(date!(2020 - 11 - 30)),
                plan: None,
                review: None,
                income_sheets: Vec::new(),
                visits: Vec::new(),
                review_history: Vec::new(),
                night_school_follow_up: None,
                earlier_visits: Vec::new(),
                review_basis: None,
            },
            AssignedHousehold {
                household: sample::large_household(12, 3).0,
                version: 1,
                risk: assess_risk(
                    &RiskInputs {
                        household: &household,
                        plan: None,
                        income: None,
                        previous_per_capita: None,
                        today: sample::TODAY,
                    },
                    &rules,
                ),
                last_visit_on: None,
                plan: None,
                review: None,
                income_sheets: Vec::new(),
                visits: Vec::new(),
                review_history: Vec::new(),
                night_school_follow_up: None,
                earlier_visits: Vec::new(),
                review_basis: None,
            },
        ],
        policy: PolicyDocument::builtin().unwrap_or_else(|error| panic!("{error}")),
        risk_rules: rules,
        as_of: sample::TODAY,
        generated_at: "2020-12-01T02:00:00Z".to_owned(),
        overdue_after_days: 21,
    };
    let json = serde_json::to_string(&response).unwrap_or_else(|error| panic!("{error}"));
    let back: AssignmentsResponse =
        serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}: {json}"));
    assert_eq!(back, response);
    // No income sheet was given: the household is 未核算, never a silent green.
    assert_eq!(back.households[0].risk.colour, RiskColour::NotAccounted);
    assert!(json.contains(r#""colour":"not_accounted""#), "{json}");
    assert_eq!(back.households[1].last_visit_on, None);
    assert_eq!(back.overdue_after_days, 21);
    // An older server sends no overdue setting: the phone counts 30 days.
    let mut older: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}"));
    if let Some(object) = older.as_object_mut() {
        object.remove("overdue_after_days");
    }
    let older: AssignmentsResponse =
        serde_json::from_value(older).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(older.overdue_after_days, 30);
}

#[test]
fn a_policy_document_is_sent_as_the_admin_wrote_it_and_gives_the_same_tables() {
    let document = PolicyDocument::builtin().unwrap_or_else(|error| panic!("{error}"));
    let builtin = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(document.tables(), &builtin);
    let as_written: serde_json::Value =
        serde_json::from_str(BUILTIN_POLICY_JSON).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        serde_json::to_value(&document).unwrap_or_else(|error| panic!("{error}")),
        as_written
    );
    let region = RegionPath::parse("海南省/海口市/琼山区/三门坡镇/清泉村");
    assert_eq!(
        document.tables().poverty_standard(&region, 2020),
        builtin.poverty_standard(&region, 2020)
    );
}

#[test]
fn a_policy_document_that_fails_its_checks_is_refused_when_read() {
    let missing_source = r#"{ "schema_version": 1, "version": "x",
        "poverty_standards": [{ "region": "", "year": 2020, "series": "exit_standard",
                                "yuan_per_person_per_year": "4000", "source": " " }] }"#;
    assert!(PolicyDocument::parse(missing_source).is_err());
    assert!(serde_json::from_str::<PolicyDocument>(missing_source).is_err());
    assert!(
        serde_json::from_str::<PolicyDocument>(r#"{"schema_version": 99, "version": "x"}"#)
            .is_err()
    );
    assert!(PolicyDocument::parse("not json").is_err());
}
