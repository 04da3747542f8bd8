//! Table-driven tests of the household's validation rules on causes, assistance (低保, 特困), housing, land and exit
//! (已脱贫 / 预脱贫 against the standard and the checklist), each from the valid sample household with one thing
//! changed.

mod rule_case;

use rule_case::*;

#[test]
fn hh_cause_main_missing_for_a_registered_household_is_an_error() {
    check(
        |case| case.household.causes = PovertyCauses::default(),
        "HH-CAUSE-MAIN-MISSING",
        Severity::Error,
        "causes.main",
    );
}

#[test]
fn hh_cause_secondary_repeats_main_is_an_error_at_field_level_and_refused_by_the_constructor() {
    let findings = validate_causes(
        Some(PovertyCause::Illness),
        &[PovertyCause::LackOfSkills, PovertyCause::Illness],
    );
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.code.as_str(), f.path.as_str()))
            .collect::<Vec<_>>(),
        vec![("HH-CAUSE-SECONDARY-REPEATS-MAIN", "causes.secondary[1]")]
    );
    assert_eq!(
        PovertyCauses::new(Some(PovertyCause::Illness), vec![PovertyCause::Illness]),
        Err(ModelError::SecondaryRepeatsMain {
            cause: PovertyCause::Illness
        })
    );
    let json = r#"{"main":"illness","secondary":["illness"]}"#;
    assert!(serde_json::from_str::<PovertyCauses>(json).is_err());
}

#[test]
fn main_cause_illness_without_an_ill_member_is_an_error() {
    check(
        |case| {
            for m in &mut case.household.members {
                m.health = HealthStatus::healthy();
                m.labour = Some(LabourAbility::Ordinary);
            }
            member(case, 2).labour = None;
            member(case, 3).labour = Some(LabourAbility::NoLabour);
        },
        "HH-CAUSE-ILLNESS",
        Severity::Error,
        "causes.main",
    );
}

#[test]
fn main_cause_schooling_without_a_student_is_an_error() {
    check(
        |case| {
            case.household.causes =
                PovertyCauses::new(Some(PovertyCause::Schooling), vec![]).unwrap_or_default();
            member(case, 2).schooling = student(SchoolStage::PreschoolAgeChild);
        },
        "HH-CAUSE-STUDY",
        Severity::Error,
        "causes.main",
    );
}

#[test]
fn main_cause_disability_without_a_disabled_member_is_an_error() {
    check(
        |case| {
            case.household.causes =
                PovertyCauses::new(Some(PovertyCause::Disability), vec![]).unwrap_or_default()
        },
        "HH-CAUSE-DISABILITY",
        Severity::Error,
        "causes.main",
    );
}

#[test]
fn hh_dibao_no_member_is_an_error() {
    check(
        |case| case.household.attribute = PovertyAttribute::DibaoExited,
        "HH-DIBAO-NO-MEMBER",
        Severity::Error,
        "attribute",
    );
}

#[test]
fn hh_general_with_dibao_member_is_an_error() {
    check(
        |case| member(case, 3).dibao = true,
        "HH-GENERAL-WITH-DIBAO-MEMBER",
        Severity::Error,
        "attribute",
    );
}

#[test]
fn hh_tekun_labour_age_member_is_an_error() {
    check(
        |case| case.household.attribute = PovertyAttribute::TekunExited,
        "HH-TEKUN-LABOUR-AGE-MEMBER",
        Severity::Error,
        "attribute",
    );
}

// ---- housing and land ----

#[test]
fn hh_housing_area_missing_is_a_warning() {
    check(
        |case| case.household.housing.area_m2 = Centi::ZERO,
        "HH-HOUSING-AREA-MISSING",
        Severity::Warning,
        "housing.area_m2",
    );
}

#[test]
fn hh_dangerous_house_without_a_housing_measure_is_an_error() {
    check(
        |case| case.household.housing.danger_grade = DangerGrade::D,
        "HH-DANGEROUS-HOUSE-NO-MEASURE",
        Severity::Error,
        "housing.danger_grade",
    );
    let mut case = base();
    case.household.housing.danger_grade = DangerGrade::C;
    let mut measure = plan(&mut case).measures[0].clone();
    measure.category = MeasureCategory::Housing;
    plan(&mut case).measures.push(measure);
    assert!(!validate(&case).has("HH-DANGEROUS-HOUSE-NO-MEASURE"));
}

#[test]
fn hh_land_cultivated_per_capita_above_50_mu_is_a_warning() {
    check(
        |case| case.household.land.cultivated = Centi::from_hundredths(20_001),
        "HH-LAND-CULTIVATED-PER-CAPITA",
        Severity::Warning,
        "land.cultivated",
    );
}

#[test]
fn hh_land_forest_per_capita_above_70_mu_is_a_warning() {
    check(
        |case| case.household.land.forest = Centi::from_hundredths(28_001),
        "HH-LAND-FOREST-PER-CAPITA",
        Severity::Warning,
        "land.forest",
    );
}

#[test]
fn hh_land_returned_exceeding_forest_and_pasture_is_a_warning() {
    check(
        |case| case.household.land.returned_to_forest = Centi::from_hundredths(201),
        "HH-LAND-RETURNED-EXCEEDS",
        Severity::Warning,
        "land.returned_to_forest",
    );
}

// ---- exit ----

#[test]
fn hh_exit_year_missing_is_an_error() {
    check(
        |case| case.household.exit_year = None,
        "HH-EXIT-YEAR-MISSING",
        Severity::Error,
        "exit_year",
    );
}

#[test]
fn marked_exited_while_below_the_standard_is_an_error() {
    check(
        |case| sheet(case).lines[0].amount = yuan(8_000),
        "HH-EXIT-BELOW-STANDARD",
        Severity::Error,
        "poverty_status",
    );
}

#[test]
fn marked_exited_exactly_at_the_standard_is_an_error_because_it_must_exceed() {
    // 4 people × 4000 = 16000 net: (30000 → 8800) + 8000 − 2000 + 1200 = 16000.
    check(
        |case| sheet(case).lines[0].amount = yuan(8_800),
        "HH-EXIT-BELOW-STANDARD",
        Severity::Error,
        "poverty_status",
    );
}

#[test]
fn marked_exited_with_no_configured_standard_is_a_warning() {
    check(
        |case| sheet(case).year = 2023,
        "HH-EXIT-NO-STANDARD",
        Severity::Warning,
        "poverty_status",
    );
}

#[test]
fn marked_exited_without_an_income_sheet_is_a_warning() {
    check(
        |case| case.sheet = None,
        "HH-EXIT-NO-INCOME",
        Severity::Warning,
        "poverty_status",
    );
}

#[test]
fn marked_exited_with_a_failing_checklist_item_is_an_error() {
    check(
        |case| case.household.checklist.drinking_water.status = CheckStatus::Fail,
        "HH-EXIT-CHECKLIST-FAIL",
        Severity::Error,
        "checklist.drinking_water",
    );
}

#[test]
fn marked_exited_with_an_unchecked_item_is_a_warning() {
    check(
        |case| case.household.checklist.clothing.status = CheckStatus::NotChecked,
        "HH-EXIT-CHECKLIST-UNCHECKED",
        Severity::Warning,
        "checklist.clothing",
    );
}

#[test]
fn exit_carried_mostly_by_transfer_income_is_a_warning() {
    check(
        |case| {
            sheet(case).lines.push(IncomeLine::new(
                IncomeLineKind::EcoPublicForest,
                yuan(40_000),
            ))
        },
        "HH-EXIT-TRANSFER-DEPENDENT",
        Severity::Warning,
        "income.transfer",
    );
}

#[test]
fn exit_carried_by_one_off_items_counted_by_override_is_a_warning() {
    check(
        |case| {
            let mut gift = IncomeLine::new(IncomeLineKind::SocialDonation, yuan(40_000));
            gift.treatment_override = Some(TreatmentOverride {
                counts_toward_net_income: true,
                reason: "县文件计入".into(),
            });
            sheet(case).lines.push(gift);
        },
        "HH-EXIT-TRANSFER-DEPENDENT",
        Severity::Warning,
        "income.transfer",
    );
}

#[test]
fn hh_below_monitoring_not_monitored_is_a_warning() {
    check(
        |case| sheet(case).lines[0].amount = yuan(16_000),
        "HH-BELOW-MONITORING-NOT-MONITORED",
        Severity::Warning,
        "monitoring_category",
    );
}

// ---- income ----
