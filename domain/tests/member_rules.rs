//! Table-driven tests of the members' validation rules (`mb_*`: name, ID number, birth, relation, schooling, health,
//! labour, work, insurance, disability), each from the valid sample household with one thing changed.

mod rule_case;

use rule_case::*;

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
