//! Table-driven tests of the 红黄绿 rules: each test names the rule it pins and starts from the green sample household.

use time::macros::date;
use zoufang_domain::income::{
    IncomeLine, IncomeLineKind, IncomeReport, IncomeSheet, compute_income,
};
use zoufang_domain::model::*;
use zoufang_domain::money::Fen;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::risk::*;
use zoufang_domain::sample;

struct Case {
    household: Household,
    plan: Plan,
    sheet: IncomeSheet,
    previous_per_capita: Option<Fen>,
    rules: RiskRuleSet,
}

fn base() -> Case {
    let household = sample::household();
    let plan = sample::plan(&household);
    let sheet = sample::income_sheet(&household);
    Case {
        household,
        plan,
        sheet,
        previous_per_capita: Some(yuan(9_000)),
        rules: RiskRuleSet::default(),
    }
}

fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

fn assess(case: &Case) -> RiskAssessment {
    let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
    let income: IncomeReport = compute_income(&case.sheet, &case.household, &policy)
        .unwrap_or_else(|error| panic!("{error}"));
    let inputs = RiskInputs {
        household: &case.household,
        plan: Some(&case.plan),
        income: Some(&income),
        previous_per_capita: case.previous_per_capita,
        today: sample::TODAY,
    };
    assess_risk(&inputs, &case.rules)
}

/// Applies `mutate` and expects `code` to fire with `colour` and the overall colour to be `overall`.
fn check(mutate: impl FnOnce(&mut Case), code: &str, colour: RiskColour, overall: RiskColour) {
    let mut case = base();
    mutate(&mut case);
    let assessment = assess(&case);
    let rule = assessment.triggered.iter().find(|rule| rule.code == code);
    assert!(
        rule.is_some(),
        "{code} did not fire: {:#?}",
        assessment.triggered
    );
    let rule = rule.unwrap_or_else(|| unreachable!());
    assert_eq!(rule.colour, colour);
    assert!(!rule.reason_zh.is_empty() && !rule.reason_en.is_empty() && !rule.source.is_empty());
    assert_eq!(assessment.colour, overall, "{:#?}", assessment.triggered);
}

fn disable(rules: &mut RiskRuleSet, code: &str) {
    let config = match code {
        "RED-BELOW-STANDARD" => &mut rules.red_below_standard,
        "RED-GUARANTEE-FAILING" => &mut rules.red_guarantee_failing,
        "RED-RIGID-SPENDING" => &mut rules.red_rigid_spending,
        "RED-SUDDEN-EVENT" => &mut rules.red_sudden_event,
        "RED-MONITORED-HOUSEHOLD" => &mut rules.red_monitored_household,
        "RED-SERIOUS-ILLNESS-NO-LABOUR" => &mut rules.red_serious_illness_no_labour,
        "YELLOW-BELOW-MONITORING" => &mut rules.yellow_below_monitoring,
        "YELLOW-ILL-MEMBER-UNCOVERED" => &mut rules.yellow_ill_member_uncovered,
        "YELLOW-UNSTABLE-EMPLOYMENT" => &mut rules.yellow_unstable_employment,
        "YELLOW-INCOME-DROP" => &mut rules.yellow_income_drop,
        "YELLOW-NO-LABOUR-NO-SAFETY-NET" => &mut rules.yellow_no_labour_no_safety_net,
        "YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT" => &mut rules.yellow_weak_industry_and_employment,
        "YELLOW-EXTERNAL-SHOCK" => &mut rules.yellow_external_shock,
        other => panic!("unknown rule {other}"),
    };
    config.enabled = false;
}

/// `check`, then the same change with the rule disabled must not fire it.
fn check_rule(mutate: impl Fn(&mut Case), code: &str, colour: RiskColour, overall: RiskColour) {
    check(&mutate, code, colour, overall);
    let mut case = base();
    mutate(&mut case);
    disable(&mut case.rules, code);
    assert!(
        !assess(&case).triggered.iter().any(|rule| rule.code == code),
        "{code} fired while disabled"
    );
}

#[test]
fn the_sample_household_is_green_with_the_rule_set_version() {
    let assessment = assess(&base());
    assert_eq!(
        assessment.colour,
        RiskColour::Green,
        "{:#?}",
        assessment.triggered
    );
    assert!(assessment.triggered.is_empty());
    assert_eq!(assessment.rule_set_version, RiskRuleSet::default().version);
}

#[test]
fn red_below_standard() {
    check_rule(
        |case| case.sheet.lines[0].amount = yuan(8_000),
        "RED-BELOW-STANDARD",
        RiskColour::Red,
        RiskColour::Red,
    );
}

#[test]
fn red_guarantee_failing_from_the_checklist() {
    check_rule(
        |case| case.household.checklist.housing_safety.status = CheckStatus::Fail,
        "RED-GUARANTEE-FAILING",
        RiskColour::Red,
        RiskColour::Red,
    );
}

#[test]
fn red_guarantee_failing_derived_from_an_uninsured_member_a_dropout_an_unsafe_house_or_water() {
    check_rule(
        |case| case.household.members[1].insurance.resident_medical = false,
        "RED-GUARANTEE-FAILING",
        RiskColour::Red,
        RiskColour::Red,
    );
    check_rule(
        |case| {
            case.household.members[2].schooling =
                Some(Schooling::Education(EducationLevel::Primary))
        },
        "RED-GUARANTEE-FAILING",
        RiskColour::Red,
        RiskColour::Red,
    );
    check_rule(
        |case| case.household.housing.danger_grade = DangerGrade::D,
        "RED-GUARANTEE-FAILING",
        RiskColour::Red,
        RiskColour::Red,
    );
    check_rule(
        |case| case.household.water.safe_drinking_water = false,
        "RED-GUARANTEE-FAILING",
        RiskColour::Red,
        RiskColour::Red,
    );
}

#[test]
fn red_rigid_spending_at_half_of_net_income() {
    // Net 37200; self-pay 4000 → 18600.
    check_rule(
        |case| case.sheet.lines[5].amount = yuan(18_600),
        "RED-RIGID-SPENDING",
        RiskColour::Red,
        RiskColour::Red,
    );
    let mut below = base();
    below.sheet.lines[5].amount = yuan(18_599);
    assert!(
        !assess(&below)
            .triggered
            .iter()
            .any(|rule| rule.code == "RED-RIGID-SPENDING")
    );
}

#[test]
fn red_sudden_event_in_the_last_3_months() {
    let event = |on| SuddenEvent {
        kind: SuddenEventKind::Accident,
        occurred_on: on,
        note: String::new(),
    };
    check_rule(
        move |case| {
            case.household
                .sudden_events
                .push(event(date!(2020 - 09 - 02)))
        },
        "RED-SUDDEN-EVENT",
        RiskColour::Red,
        RiskColour::Red,
    );
    let mut old = base();
    old.household
        .sudden_events
        .push(event(date!(2020 - 09 - 01) - time::Duration::days(1)));
    assert!(
        !assess(&old)
            .triggered
            .iter()
            .any(|rule| rule.code == "RED-SUDDEN-EVENT")
    );
}

#[test]
fn red_monitored_household_for_monitoring_and_edge_households_seed_004() {
    check_rule(
        |case| case.household.monitoring_category = Some(MonitoringCategory::EdgeProne),
        "RED-MONITORED-HOUSEHOLD",
        RiskColour::Red,
        RiskColour::Red,
    );
}

#[test]
fn red_serious_illness_no_labour_seed_002() {
    check_rule(
        |case| {
            for member in &mut case.household.members {
                member.labour = Some(LabourAbility::NoLabour);
            }
        },
        "RED-SERIOUS-ILLNESS-NO-LABOUR",
        RiskColour::Red,
        RiskColour::Red,
    );
}

#[test]
fn yellow_below_monitoring() {
    // Net 4 × 5800 = 23200 → wage 16000: above 4000, below 6000.
    check_rule(
        |case| case.sheet.lines[0].amount = yuan(16_000),
        "YELLOW-BELOW-MONITORING",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn yellow_ill_member_uncovered() {
    check_rule(
        |case| case.household.members[3].insurance.critical_illness = false,
        "YELLOW-ILL-MEMBER-UNCOVERED",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn yellow_unstable_employment_single_earner_under_6_months() {
    check_rule(
        |case| case.household.members[0].work.months = WorkMonths::new(5).unwrap_or_default(),
        "YELLOW-UNSTABLE-EMPLOYMENT",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn yellow_income_drop_of_30_percent() {
    check_rule(
        |case| case.previous_per_capita = Some(yuan(13_286)),
        "YELLOW-INCOME-DROP",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
    let mut small = base();
    small.previous_per_capita = Some(yuan(13_000));
    assert!(
        !assess(&small)
            .triggered
            .iter()
            .any(|rule| rule.code == "YELLOW-INCOME-DROP")
    );
}

#[test]
fn yellow_no_labour_no_safety_net() {
    check_rule(
        |case| {
            for member in &mut case.household.members {
                member.labour = Some(LabourAbility::Weak);
            }
            case.household.members[3].health =
                HealthStatus::new([HealthCondition::ChronicDisease]).unwrap_or_default();
        },
        "YELLOW-NO-LABOUR-NO-SAFETY-NET",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn yellow_weak_industry_and_employment_seed_002() {
    check_rule(
        |case| {
            case.household.members[0].work.months = WorkMonths::new(3).unwrap_or_default();
            case.household.members[1].work = WorkRecord {
                location: WorkLocation::WithinTownship,
                months: WorkMonths::new(3).unwrap_or_default(),
            };
            case.sheet.lines[2].amount = yuan(8_000);
        },
        "YELLOW-WEAK-INDUSTRY-AND-EMPLOYMENT",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn yellow_external_shock_african_swine_fever_seed_002() {
    check_rule(
        |case| {
            case.household.sudden_events.push(SuddenEvent {
                kind: SuddenEventKind::AnimalDisease,
                occurred_on: date!(2020 - 03 - 01),
                note: "非洲猪瘟".into(),
            })
        },
        "YELLOW-EXTERNAL-SHOCK",
        RiskColour::Yellow,
        RiskColour::Yellow,
    );
}

#[test]
fn red_wins_over_yellow_and_every_triggered_rule_is_listed() {
    let mut case = base();
    case.sheet.lines[0].amount = yuan(8_000);
    case.household.members[3].insurance.critical_illness = false;
    let assessment = assess(&case);
    assert_eq!(assessment.colour, RiskColour::Red);
    let codes: Vec<&str> = assessment
        .triggered
        .iter()
        .map(|rule| rule.code.as_str())
        .collect();
    assert!(
        codes.contains(&"RED-BELOW-STANDARD")
            && codes.contains(&"YELLOW-ILL-MEMBER-UNCOVERED")
            && codes.contains(&"YELLOW-BELOW-MONITORING"),
        "{codes:?}"
    );
}

#[test]
fn the_rule_set_is_data_and_round_trips_through_json() {
    let rules = RiskRuleSet::default();
    let json = serde_json::to_string(&rules).unwrap_or_default();
    assert_eq!(serde_json::from_str::<RiskRuleSet>(&json).ok(), Some(rules));
    let _ = IncomeLine::new(IncomeLineKind::MigrantWork, Fen::ZERO);
}
