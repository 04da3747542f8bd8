//! Table-driven tests of the validation rules: each test is named after the rule it pins and starts from the valid
//! sample household, changes one thing, and expects exactly that rule to fire.

use time::macros::{date, datetime};
use uuid::Uuid;
use zoufang_domain::income::{IncomeLine, IncomeLineKind, IncomeSheet, TreatmentOverride};
use zoufang_domain::model::*;
use zoufang_domain::money::{Centi, Fen};
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::sample;
use zoufang_domain::validation::*;

struct Case {
    household: Household,
    plan: Option<Plan>,
    sheet: Option<IncomeSheet>,
}

fn base() -> Case {
    let household = sample::household();
    let plan = sample::plan(&household);
    let sheet = sample::income_sheet(&household);
    Case {
        household,
        plan: Some(plan),
        sheet: Some(sheet),
    }
}

fn validate(case: &Case) -> ValidationReport {
    let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today: sample::TODAY,
        policy: &policy,
        config: &config,
    };
    validate_household(
        &case.household,
        case.plan.as_ref(),
        case.sheet.as_ref(),
        &context,
    )
}

/// Applies `mutate` to the valid sample and expects `code` (and no other new code unless listed in `also`).
fn check(mutate: impl FnOnce(&mut Case), code: &str, severity: Severity, path: &str) {
    let mut case = base();
    mutate(&mut case);
    let report = validate(&case);
    let found: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|finding| finding.code.as_str() == code)
        .collect();
    assert!(
        !found.is_empty(),
        "{code} did not fire; findings: {:#?}",
        report.findings
    );
    assert!(
        found.iter().all(|finding| finding.severity == severity),
        "{code} has the wrong severity"
    );
    assert!(
        found.iter().any(|finding| finding.path.as_str() == path),
        "{code} paths: {:?}",
        found.iter().map(|f| f.path.as_str()).collect::<Vec<_>>()
    );
    assert!(
        found
            .iter()
            .all(|finding| !finding.message_zh.is_empty() && !finding.message_en.is_empty())
    );
    assert_eq!(report.can_submit(), report.errors().next().is_none());
}

fn member(case: &mut Case, index: usize) -> &mut Member {
    &mut case.household.members[index]
}

fn sheet(case: &mut Case) -> &mut IncomeSheet {
    case.sheet
        .as_mut()
        .unwrap_or_else(|| panic!("sample has a sheet"))
}

fn plan(case: &mut Case) -> &mut Plan {
    case.plan
        .as_mut()
        .unwrap_or_else(|| panic!("sample has a plan"))
}

fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

#[test]
fn the_sample_household_passes_every_rule() {
    let report = validate(&base());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn every_rule_code_is_unique_and_cites_a_source() {
    let mut codes: Vec<&str> = RULES.iter().map(|rule| rule.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), RULES.len());
    assert!(RULES.iter().all(|rule| !rule.source.is_empty()));
}

// ---- household structure ----

#[test]
fn hh_members_none_a_household_with_nobody_counted_is_an_error() {
    check(
        |case| {
            case.household
                .members
                .iter_mut()
                .for_each(|m| m.membership = Membership::Excluded(ExclusionReason::Missing))
        },
        "HH-MEMBERS-NONE",
        Severity::Error,
        "members",
    );
}

#[test]
fn hh_head_count_two_heads_is_an_error() {
    check(
        |case| member(case, 2).relation = Relation::Head,
        "HH-HEAD-COUNT",
        Severity::Error,
        "members",
    );
}

#[test]
fn hh_spouse_count_two_spouses_is_an_error() {
    check(
        |case| {
            let m = member(case, 3);
            m.relation = Relation::Spouse;
        },
        "HH-SPOUSE-COUNT",
        Severity::Error,
        "members[3].relation",
    );
}

#[test]
fn hh_head_spouse_same_sex_is_an_error() {
    check(
        |case| case.household.members[0].sex = Sex::Female,
        "HH-HEAD-SPOUSE-SAME-SEX",
        Severity::Error,
        "members[1].sex",
    );
}

#[test]
fn hh_id_duplicate_within_the_household_is_an_error() {
    check(
        |case| {
            let id = case.household.members[0].id_number.clone();
            member(case, 2).id_number = id;
        },
        "HH-ID-DUPLICATE",
        Severity::Error,
        "members[2].id_number",
    );
}

#[test]
fn hh_helper_missing_for_a_registered_household_is_an_error() {
    check(
        |case| case.household.helpers.clear(),
        "HH-HELPER-MISSING",
        Severity::Error,
        "helpers",
    );
}

#[test]
fn hh_helper_history_overlapping_rows_is_an_error() {
    check(
        |case| {
            let mut second = case.household.helpers[0].clone();
            second.started_on = date!(2018 - 01 - 01);
            case.household.helpers.push(second);
        },
        "HH-HELPER-HISTORY",
        Severity::Error,
        "helpers[0]",
    );
}

#[test]
fn a_helper_change_closes_the_old_row_and_passes_hh_helper_history() {
    let mut case = base();
    let mut new_helper = case.household.helpers[0].clone();
    new_helper.name = "刘新".into();
    assert!(
        case.household
            .change_helper(new_helper.clone(), date!(2020 - 06 - 01))
            .is_ok()
    );
    assert_eq!(case.household.helpers.len(), 2);
    assert_eq!(
        case.household.helpers[0].ended_on,
        Some(date!(2020 - 05 - 31)),
        "the previous helper's inclusive period ends the day before"
    );
    assert_eq!(case.household.helpers[1].started_on, date!(2020 - 06 - 01));
    assert_eq!(
        case.household
            .current_helper()
            .map(|helper| helper.name.as_str()),
        Some("刘新")
    );
    assert!(!validate(&case).has("HH-HELPER-HISTORY"));
    assert!(
        case.household
            .change_helper(new_helper, date!(2020 - 01 - 01))
            .is_err()
    );
}

#[test]
fn a_helper_change_on_the_day_the_current_helper_started_is_refused() {
    let mut case = base();
    let started = case.household.helpers[0].started_on;
    let new_helper = case.household.helpers[0].clone();
    assert!(
        case.household
            .change_helper(new_helper.clone(), started)
            .is_err()
    );
    assert_eq!(case.household.helpers.len(), 1, "nothing changed");
    let next_day = started.next_day().unwrap_or(started);
    assert!(case.household.change_helper(new_helper, next_day).is_ok());
    assert_eq!(case.household.helpers[0].ended_on, Some(started));
}

#[test]
fn hh_helper_name_missing_is_an_error() {
    check(
        |case| case.household.helpers[0].name = "  ".into(),
        "HH-HELPER-NAME-MISSING",
        Severity::Error,
        "helpers[0].name",
    );
}

// ---- bank account ----

fn set_account_number(case: &mut Case, number: &str) {
    if let Some(account) = case.household.bank_account.as_mut() {
        account.account_number = Sensitive(number.into());
    }
}

#[test]
fn hh_bank_account_invalid_when_too_short() {
    check(
        |case| set_account_number(case, "622848000000123"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn hh_bank_account_invalid_when_too_long() {
    check(
        |case| set_account_number(case, "62284800000000000001"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn hh_bank_account_invalid_with_a_letter_or_empty() {
    check(
        |case| set_account_number(case, "62284800000000000a"),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
    check(
        |case| set_account_number(case, ""),
        "HH-BANK-ACCOUNT-INVALID",
        Severity::Error,
        "bank_account.account_number",
    );
}

#[test]
fn sixteen_and_nineteen_digit_bank_accounts_and_no_account_pass() {
    for number in ["6228480000000000", "6228480000000000000"] {
        let mut case = base();
        set_account_number(&mut case, number);
        assert!(!validate(&case).has("HH-BANK-ACCOUNT-INVALID"), "{number}");
    }
    let mut case = base();
    case.household.bank_account = None;
    assert!(!validate(&case).has("HH-BANK-ACCOUNT-INVALID"));
}

// ---- members ----

#[test]
fn mb_name_missing_is_an_error() {
    check(
        |case| member(case, 1).name = " ".into(),
        "MB-NAME-MISSING",
        Severity::Error,
        "members[1].name",
    );
}

#[test]
fn mb_id_invalid_check_digit_is_an_error() {
    check(
        |case| {
            let m = member(case, 1);
            let last = m.id_number.pop();
            m.id_number.push(if last == Some('0') { '1' } else { '0' });
        },
        "MB-ID-INVALID",
        Severity::Error,
        "members[1].id_number",
    );
}

#[test]
fn mb_id_birth_mismatch_is_an_error() {
    check(
        |case| member(case, 1).birth_date = date!(1972 - 03 - 16),
        "MB-ID-BIRTH-MISMATCH",
        Severity::Error,
        "members[1].birth_date",
    );
}

#[test]
fn mb_id_sex_mismatch_is_an_error() {
    check(
        |case| {
            let m = member(case, 3);
            m.relation = Relation::Other;
            m.sex = Sex::Male;
        },
        "MB-ID-SEX-MISMATCH",
        Severity::Error,
        "members[3].sex",
    );
}

#[test]
fn mb_birth_in_future_is_an_error() {
    check(
        |case| member(case, 2).birth_date = date!(2021 - 01 - 01),
        "MB-BIRTH-IN-FUTURE",
        Severity::Error,
        "members[2].birth_date",
    );
}

#[test]
fn mb_relation_sex_a_male_daughter_is_an_error() {
    check(
        |case| member(case, 2).relation = Relation::Daughter,
        "MB-RELATION-SEX",
        Severity::Error,
        "members[2].relation",
    );
}

#[test]
fn mb_schooling_missing_is_an_error() {
    check(
        |case| member(case, 0).schooling = None,
        "MB-SCHOOLING-MISSING",
        Severity::Error,
        "members[0].schooling",
    );
}

#[test]
fn mb_health_missing_is_an_error() {
    check(
        |case| member(case, 0).health = HealthStatus::default(),
        "MB-HEALTH-MISSING",
        Severity::Error,
        "members[0].health",
    );
}

#[test]
fn mb_labour_missing_between_16_and_65_is_an_error() {
    check(
        |case| member(case, 1).labour = None,
        "MB-LABOUR-MISSING",
        Severity::Error,
        "members[1].labour",
    );
}

fn student(stage: SchoolStage) -> Option<Schooling> {
    SchoolStatus::new(stage, None).ok().map(Schooling::Student)
}

#[test]
fn mb_school_high_too_young_a_12_year_old_in_senior_high_is_a_warning() {
    check(
        |case| member(case, 2).schooling = student(SchoolStage::SeniorHigh),
        "MB-SCHOOL-HIGH-TOO-YOUNG",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_school_primary_too_old_a_50_year_old_pupil_is_a_warning() {
    check(
        |case| member(case, 0).schooling = student(SchoolStage::Primary),
        "MB-SCHOOL-PRIMARY-TOO-OLD",
        Severity::Warning,
        "members[0].schooling",
    );
}

#[test]
fn mb_school_junior_age_outside_12_to_17_is_a_warning() {
    check(
        |case| member(case, 0).schooling = student(SchoolStage::JuniorHigh),
        "MB-SCHOOL-JUNIOR-AGE",
        Severity::Warning,
        "members[0].schooling",
    );
}

#[test]
fn mb_school_senior_age_outside_15_to_20_is_a_warning() {
    check(
        |case| member(case, 0).schooling = student(SchoolStage::SecondaryVocational),
        "MB-SCHOOL-SENIOR-AGE",
        Severity::Warning,
        "members[0].schooling",
    );
}

#[test]
fn mb_school_college_too_young_is_a_warning() {
    check(
        |case| member(case, 2).schooling = student(SchoolStage::Undergraduate),
        "MB-SCHOOL-COLLEGE-TOO-YOUNG",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_school_postgraduate_too_young_is_a_warning() {
    check(
        |case| member(case, 2).schooling = student(SchoolStage::Postgraduate),
        "MB-SCHOOL-POSTGRADUATE-TOO-YOUNG",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_school_preschool_too_old_a_healthy_17_year_old_is_a_warning() {
    // Within 6–15 the compulsory-education rule speaks instead (see exit_and_schooling_rules.rs).
    check(
        |case| {
            let m = member(case, 2);
            m.birth_date = date!(2003 - 09 - 10);
            m.id_number = sample::make_id_number("460108", m.birth_date, 5);
            m.labour = Some(LabourAbility::Ordinary);
            m.schooling = student(SchoolStage::Preschool);
        },
        "MB-SCHOOL-PRESCHOOL-TOO-OLD",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_education_low_for_age_is_a_warning() {
    check(
        |case| {
            let m = member(case, 2);
            m.birth_date = date!(2002 - 09 - 10);
            m.id_number = sample::make_id_number("460108", m.birth_date, 5);
            m.schooling = Some(Schooling::Education(EducationLevel::Primary));
            m.labour = Some(LabourAbility::Ordinary);
        },
        "MB-EDUCATION-LOW-FOR-AGE",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_compulsory_age_not_in_school_is_a_warning() {
    check(
        |case| member(case, 2).schooling = Some(Schooling::Education(EducationLevel::Primary)),
        "MB-COMPULSORY-AGE-NOT-IN-SCHOOL",
        Severity::Warning,
        "members[2].schooling",
    );
}

#[test]
fn mb_labour_healthy_adult_without_labour_is_a_warning() {
    check(
        |case| {
            let m = member(case, 0);
            m.labour = Some(LabourAbility::Weak);
        },
        "MB-LABOUR-HEALTHY-ADULT",
        Severity::Warning,
        "members[0].labour",
    );
}

#[test]
fn mb_tekun_able_adult_is_a_warning() {
    check(
        |case| member(case, 0).tekun = true,
        "MB-TEKUN-ABLE-ADULT",
        Severity::Warning,
        "members[0].tekun",
    );
}

#[test]
fn mb_work_months_location_months_without_location_is_an_error() {
    check(
        |case| member(case, 0).work.location = WorkLocation::NotWorking,
        "MB-WORK-MONTHS-LOCATION",
        Severity::Error,
        "members[0].work",
    );
}

#[test]
fn mb_work_without_labour_is_an_error() {
    check(
        |case| member(case, 0).labour = Some(LabourAbility::Lost),
        "MB-WORK-WITHOUT-LABOUR",
        Severity::Error,
        "members[0].work",
    );
}

#[test]
fn mb_work_under_16_is_an_error() {
    check(
        |case| {
            member(case, 2).work = WorkRecord {
                location: WorkLocation::WithinTownship,
                months: WorkMonths::new(2).unwrap_or_default(),
            }
        },
        "MB-WORK-UNDER-16",
        Severity::Error,
        "members[2].work",
    );
}

#[test]
fn mb_medical_insurance_none_is_a_warning() {
    check(
        |case| member(case, 0).insurance.resident_medical = false,
        "MB-MEDICAL-INSURANCE-NONE",
        Severity::Warning,
        "members[0].insurance",
    );
}

#[test]
fn mb_medical_insurance_both_is_an_error() {
    check(
        |case| member(case, 0).insurance.employee_medical = true,
        "MB-MEDICAL-INSURANCE-BOTH",
        Severity::Error,
        "members[0].insurance",
    );
}

#[test]
fn mb_assistance_without_insurance_is_a_warning() {
    check(
        |case| {
            let m = member(case, 3);
            m.insurance.resident_medical = false;
            m.insurance.medical_assistance = true;
        },
        "MB-ASSISTANCE-WITHOUT-INSURANCE",
        Severity::Warning,
        "members[3].insurance.medical_assistance",
    );
}

#[test]
fn mb_disabled_no_certificate_is_a_warning() {
    check(
        |case| {
            member(case, 3).health =
                HealthStatus::new([HealthCondition::Disability]).unwrap_or_default()
        },
        "MB-DISABLED-NO-CERTIFICATE",
        Severity::Warning,
        "members[3].disability_certificate",
    );
}

#[test]
fn mb_disability_certificate_invalid_is_an_error() {
    check(
        |case| {
            let m = member(case, 3);
            m.disability_certificate = Some(format!("{}99", m.id_number));
        },
        "MB-DISABILITY-CERTIFICATE-INVALID",
        Severity::Error,
        "members[3].disability_certificate",
    );
    let mut case = base();
    let m = member(&mut case, 3);
    m.health = HealthStatus::new([HealthCondition::Disability]).unwrap_or_default();
    m.disability_certificate = Some(format!("{}42", m.id_number));
    let report = validate(&case);
    assert!(
        !report.has("MB-DISABILITY-CERTIFICATE-INVALID")
            && !report.has("MB-DISABLED-NO-CERTIFICATE"),
        "{:#?}",
        report.findings
    );
}

// ---- causes and categories ----

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

#[test]
fn field_level_id_number_and_money_validators_name_the_fault() {
    let path = FieldPath::root()
        .field("members")
        .index(2)
        .field("id_number");
    let finding = validate_id_number_field("11010519491231002Y", path, sample::TODAY);
    assert_eq!(
        finding.as_ref().map(|f| (f.code.as_str(), f.path.as_str())),
        Some(("MB-ID-INVALID", "members[2].id_number"))
    );
    assert!(
        finding
            .map(|f| f.message_zh.contains("第18位"))
            .unwrap_or(false)
    );
    assert!(
        validate_id_number_field("11010519491231002X", FieldPath::root(), sample::TODAY).is_none()
    );
    assert_eq!(
        validate_money_field("1,234.56", FieldPath::root()),
        Ok(Fen::from_fen(123_456))
    );
    let money = validate_money_field("12.345", FieldPath::root().field("amount"));
    assert_eq!(
        money.map_err(|f| (f.code.as_str().to_string(), f.message_zh)),
        Err((
            "FIELD-MONEY-INVALID".to_string(),
            "金额最多保留两位小数(精确到分)".to_string()
        ))
    );
}

#[test]
fn the_benchmark_household_of_20_members_and_50_measures_has_no_errors() {
    let (household, plan, sheet) = sample::large_household(20, 50);
    assert_eq!((household.members.len(), plan.measures.len()), (20, 50));
    let report = validate(&Case {
        household,
        plan: Some(plan),
        sheet: Some(sheet),
    });
    assert!(report.can_submit(), "{:#?}", report.findings);
}

#[test]
fn field_level_member_validation_matches_the_household_run() {
    let mut case = base();
    member(&mut case, 1).name.clear();
    let alone = validate_member(
        &case.household.members[1],
        &FieldPath::root().field("members").index(1),
        sample::TODAY,
    );
    let all = validate(&case);
    for finding in &alone {
        assert!(all.findings.contains(finding));
    }
    assert_eq!(alone.len(), 1);
}

// ---- visits and night school ----

fn visit() -> VisitLog {
    VisitLog {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: VisitId(Uuid::from_u128(1)),
        household_id: HouseholdId(Uuid::from_u128(2)),
        purposes: vec![VisitPurpose::RoutineVisit],
        visitor_ids: vec![UserId(Uuid::from_u128(3))],
        started_at: datetime!(2020 - 11 - 30 09:00 +08:00),
        ended_at: datetime!(2020 - 11 - 30 10:00 +08:00),
        notes: String::new(),
        issues_found: vec![],
        follow_ups: vec![],
        household_confirmation: Some(HouseholdConfirmation {
            method: ConfirmationMethod::Signature,
            confirmed_by: "王海".into(),
            confirmed_at: datetime!(2020 - 11 - 30 10:00 +08:00),
            signature_evidence: None,
        }),
        evidence: vec![],
    }
}

fn check_visit(mutate: impl FnOnce(&mut VisitLog), code: &str) {
    let now = datetime!(2020 - 12 - 01 12:00 +08:00);
    assert!(validate_visit(&visit(), now).findings.is_empty());
    let mut changed = visit();
    mutate(&mut changed);
    assert!(validate_visit(&changed, now).has(code), "{code}");
}

#[test]
fn visit_rules_vl_no_purpose_no_visitor_end_before_start_in_future_not_confirmed() {
    check_visit(|v| v.purposes.clear(), "VL-NO-PURPOSE");
    check_visit(|v| v.visitor_ids.clear(), "VL-NO-VISITOR");
    check_visit(
        |v| v.ended_at = datetime!(2020 - 11 - 30 08:00 +08:00),
        "VL-END-BEFORE-START",
    );
    check_visit(
        |v| {
            v.started_at = datetime!(2020 - 12 - 02 09:00 +08:00);
            v.ended_at = v.started_at;
        },
        "VL-IN-FUTURE",
    );
    check_visit(|v| v.household_confirmation = None, "VL-NOT-CONFIRMED");
}

fn session() -> Session {
    Session {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: SessionId(Uuid::from_u128(1)),
        teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
        date: date!(2020 - 11 - 30),
        episode: Some(208),
        topic: "莲雾种植".into(),
        discussion_notes: String::new(),
        attendance: vec![
            Attendance {
                household_id: HouseholdId(Uuid::from_u128(10)),
                present_member_ids: vec![
                    MemberId(Uuid::from_u128(100)),
                    MemberId(Uuid::from_u128(101)),
                ],
                status: AttendanceStatus::Present,
                absence_reason: None,
                absence_note: String::new(),
                recorded_by: UserId(Uuid::from_u128(5)),
                recorded_at: datetime!(2020 - 11 - 30 20:05 +08:00),
            },
            Attendance {
                household_id: HouseholdId(Uuid::from_u128(11)),
                present_member_ids: vec![],
                status: AttendanceStatus::Absent,
                absence_reason: Some(AbsenceReason::MigrantWork),
                absence_note: String::new(),
                recorded_by: UserId(Uuid::from_u128(5)),
                recorded_at: datetime!(2020 - 11 - 30 20:05 +08:00),
            },
        ],
        confirmed_by: None,
        training_requests: vec![],
        hotline_referrals: vec![],
        market_sales: vec![],
    }
}

#[test]
fn night_school_rules_and_participation_rate() {
    assert!(validate_session(&session()).findings.is_empty());
    // 缺席 without a reason is fine (a household that did not come rarely says why); 请假 needs one.
    let mut absent = session();
    absent.attendance[1].absence_reason = None;
    assert!(validate_session(&absent).findings.is_empty());
    absent.attendance[1].status = AttendanceStatus::Excused;
    assert!(validate_session(&absent).has("NS-EXCUSED-WITHOUT-REASON"));
    let mut other = session();
    other.attendance[1].absence_reason = Some(AbsenceReason::Other);
    assert!(validate_session(&other).has("NS-OTHER-WITHOUT-NOTE"));
    other.attendance[1].absence_note = "去海口办事".into();
    assert!(validate_session(&other).findings.is_empty());
    // One tap marks 出席 without naming members.
    let mut present = session();
    present.attendance[0].present_member_ids.clear();
    assert!(validate_session(&present).findings.is_empty());
    present.attendance[0].absence_reason = Some(AbsenceReason::Illness);
    assert!(validate_session(&present).has("NS-PRESENT-WITH-REASON"));
    let mut sale = session();
    sale.market_sales.push(MarketSale {
        seller_household_id: HouseholdId(Uuid::from_u128(10)),
        product: " ".into(),
        amount: Fen::ZERO,
    });
    let report = validate_session(&sale);
    assert!(report.has("NS-SALE-AMOUNT-OUT-OF-RANGE") && report.has("NS-SALE-WITHOUT-PRODUCT"));
    sale.market_sales[0] = MarketSale {
        seller_household_id: HouseholdId(Uuid::from_u128(10)),
        product: "莲雾 5 斤".into(),
        amount: Fen::from_fen(5_000),
    };
    assert!(validate_session(&sale).findings.is_empty());
    let mut duplicate = session();
    duplicate.attendance[1].household_id = duplicate.attendance[0].household_id;
    assert!(validate_session(&duplicate).has("NS-DUPLICATE-HOUSEHOLD"));
    let roster = [
        HouseholdId(Uuid::from_u128(10)),
        HouseholdId(Uuid::from_u128(11)),
        HouseholdId(Uuid::from_u128(12)),
    ];
    let rate = session().participation(&roster);
    assert_eq!(
        (
            rate.present_households,
            rate.roster_households,
            rate.person_times,
            rate.per_mille()
        ),
        (1, 3, 2, Some(333))
    );
}

#[test]
fn mb_disability_certificate_of_another_person_is_an_error() {
    check(
        |case| {
            let m = member(case, 3);
            m.health = HealthStatus::new([HealthCondition::Disability]).unwrap_or_default();
            m.disability_certificate = Some("11010519491231002X42".into());
        },
        "MB-DISABILITY-CERTIFICATE-INVALID",
        Severity::Error,
        "members[3].disability_certificate",
    );
}
