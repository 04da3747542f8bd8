//! Table-driven tests of the income sheet's (`in_*`) and the plan's (`pl_*`) validation rules, each from the valid
//! sample household with one thing changed.

mod rule_case;

use rule_case::*;

#[test]
fn in_compute_failed_negative_amount_is_an_error() {
    check(
        |case| sheet(case).lines[0].amount = Fen::from_fen(-1),
        "IN-COMPUTE-FAILED",
        Severity::Error,
        "income",
    );
}

#[test]
fn in_household_mismatch_is_an_error() {
    check(
        |case| sheet(case).household_id = HouseholdId(Uuid::from_u128(99)),
        "IN-HOUSEHOLD-MISMATCH",
        Severity::Error,
        "income.household_id",
    );
}

#[test]
fn in_override_without_reason_is_an_error() {
    check(
        |case| {
            sheet(case).lines[4].treatment_override = Some(TreatmentOverride {
                counts_toward_net_income: false,
                reason: String::new(),
            })
        },
        "IN-OVERRIDE-NO-REASON",
        Severity::Error,
        "income.lines[4].treatment_override.reason",
    );
}

#[test]
fn in_per_capita_implausible_above_100000_is_a_warning() {
    check(
        |case| sheet(case).lines[0].amount = yuan(500_000),
        "IN-PER-CAPITA-IMPLAUSIBLE",
        Severity::Warning,
        "income.per_capita",
    );
}

#[test]
fn in_wage_implausible_below_300_is_a_warning() {
    check(
        |case| {
            sheet(case).lines[0].amount = yuan(200);
            sheet(case)
                .lines
                .push(IncomeLine::new(IncomeLineKind::LandTransfer, yuan(30_000)));
        },
        "IN-WAGE-IMPLAUSIBLE",
        Severity::Warning,
        "income.wage",
    );
}

#[test]
fn in_business_without_cost_is_an_error() {
    check(
        |case| {
            sheet(case).lines.remove(2);
        },
        "IN-BUSINESS-WITHOUT-COST",
        Severity::Error,
        "income.business_costs",
    );
}

#[test]
fn in_wage_without_worker_is_a_warning() {
    check(
        |case| member(case, 0).work = WorkRecord::default(),
        "IN-WAGE-WITHOUT-WORKER",
        Severity::Warning,
        "income.wage",
    );
}

#[test]
fn in_worker_without_wage_is_a_warning() {
    check(
        |case| {
            sheet(case).lines[0].kind = IncomeLineKind::LandTransfer;
        },
        "IN-WORKER-WITHOUT-WAGE",
        Severity::Warning,
        "income.wage",
    );
}

#[test]
fn in_dibao_without_member_is_an_error() {
    check(
        |case| {
            sheet(case)
                .lines
                .push(IncomeLine::new(IncomeLineKind::Dibao, yuan(2_000)))
        },
        "IN-DIBAO-WITHOUT-MEMBER",
        Severity::Error,
        "income.dibao",
    );
}

#[test]
fn in_dibao_and_tekun_together_is_an_error() {
    check(
        |case| {
            sheet(case)
                .lines
                .push(IncomeLine::new(IncomeLineKind::Dibao, yuan(2_000)));
            sheet(case)
                .lines
                .push(IncomeLine::new(IncomeLineKind::Tekun, yuan(2_000)));
        },
        "IN-DIBAO-AND-TEKUN",
        Severity::Error,
        "income.tekun",
    );
}

#[test]
fn in_eco_without_returned_land_is_a_warning() {
    check(
        |case| {
            sheet(case).lines.push(IncomeLine::new(
                IncomeLineKind::EcoReturnedFarmland,
                yuan(500),
            ))
        },
        "IN-ECO-WITHOUT-RETURNED-LAND",
        Severity::Warning,
        "income.eco_returned_farmland",
    );
}

#[test]
fn in_small_transfer_pension_below_88_is_a_warning() {
    check(
        |case| sheet(case).lines[3].amount = yuan(50),
        "IN-SMALL-TRANSFER",
        Severity::Warning,
        "income.lines",
    );
}

// ---- plan ----

#[test]
fn pl_household_mismatch_is_an_error() {
    check(
        |case| plan(case).household_id = HouseholdId(Uuid::from_u128(99)),
        "PL-HOUSEHOLD-MISMATCH",
        Severity::Error,
        "plan.household_id",
    );
}

#[test]
fn pl_measure_content_missing_is_an_error() {
    check(
        |case| plan(case).measures[1].content.clear(),
        "PL-MEASURE-CONTENT-MISSING",
        Severity::Error,
        "plan.measures[1].content",
    );
}

#[test]
fn pl_measure_unit_missing_is_an_error() {
    check(
        |case| plan(case).measures[0].responsible_unit.clear(),
        "PL-MEASURE-UNIT-MISSING",
        Severity::Error,
        "plan.measures[0].responsible_unit",
    );
}

#[test]
fn pl_measure_deadline_missing_is_an_error() {
    check(
        |case| plan(case).measures[0].deadline = None,
        "PL-MEASURE-DEADLINE-MISSING",
        Severity::Error,
        "plan.measures[0].deadline",
    );
}

#[test]
fn pl_effect_not_confirmed_by_the_household_is_an_error() {
    check(
        |case| plan(case).effects[0].confirmation = None,
        "PL-EFFECT-NOT-CONFIRMED",
        Severity::Error,
        "plan.effects[0].confirmation",
    );
}

#[test]
fn pl_effect_unknown_measure_is_an_error() {
    check(
        |case| plan(case).effects[0].measure_id = Some(MeasureId(Uuid::from_u128(77))),
        "PL-EFFECT-UNKNOWN-MEASURE",
        Severity::Error,
        "plan.effects[0].measure_id",
    );
}

#[test]
fn pl_target_below_standard_is_a_warning() {
    check(
        |case| plan(case).target_per_capita_income = Some(yuan(4_000)),
        "PL-TARGET-BELOW-STANDARD",
        Severity::Warning,
        "plan.target_per_capita_income",
    );
}

#[test]
fn pl_no_development_measure_for_a_household_with_labour_is_a_warning() {
    check(
        |case| {
            plan(case)
                .measures
                .iter_mut()
                .for_each(|measure| measure.category = MeasureCategory::Health)
        },
        "PL-NO-DEVELOPMENT-MEASURE",
        Severity::Warning,
        "plan.measures",
    );
}

#[test]
fn pl_no_labour_no_safety_net_is_a_warning() {
    check(
        |case| {
            for m in &mut case.household.members {
                m.labour = Some(LabourAbility::NoLabour);
                m.work = WorkRecord::default();
            }
        },
        "PL-NO-LABOUR-NO-SAFETY-NET",
        Severity::Warning,
        "plan.measures",
    );
}

// ---- field-level validators ----
