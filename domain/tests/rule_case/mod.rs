//! What the validation-rule tests share: the valid sample household (with its plan and income sheet), a run of
//! every rule over it, and `check`, which changes one thing and expects exactly that rule to fire.

#![allow(dead_code, unused_imports)]

pub use time::macros::{date, datetime};
pub use uuid::Uuid;
pub use zoufang_domain::income::{IncomeLine, IncomeLineKind, IncomeSheet, TreatmentOverride};
pub use zoufang_domain::model::*;
pub use zoufang_domain::money::{Centi, Fen};
pub use zoufang_domain::policy::PolicyTables;
pub use zoufang_domain::sample;
pub use zoufang_domain::validation::*;

/// The household under test, with its plan and income sheet.
pub struct Case {
    pub household: Household,
    pub plan: Option<Plan>,
    pub sheet: Option<IncomeSheet>,
}

pub fn base() -> Case {
    let household = sample::household();
    let plan = sample::plan(&household);
    let sheet = sample::income_sheet(&household);
    Case {
        household,
        plan: Some(plan),
        sheet: Some(sheet),
    }
}

pub fn validate(case: &Case) -> ValidationReport {
    let policy = policy();
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
pub fn check(mutate: impl FnOnce(&mut Case), code: &str, severity: Severity, path: &str) {
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

pub fn member(case: &mut Case, index: usize) -> &mut Member {
    &mut case.household.members[index]
}

pub fn sheet(case: &mut Case) -> &mut IncomeSheet {
    case.sheet
        .as_mut()
        .unwrap_or_else(|| panic!("sample has a sheet"))
}

pub fn plan(case: &mut Case) -> &mut Plan {
    case.plan
        .as_mut()
        .unwrap_or_else(|| panic!("sample has a plan"))
}

pub fn yuan(amount: i64) -> Fen {
    Fen::from_fen(amount * 100)
}

/// Schooling as a student at `stage`.
pub fn student(stage: SchoolStage) -> Option<Schooling> {
    SchoolStatus::new(stage, None).ok().map(Schooling::Student)
}

/// The built-in policy tables.
pub fn policy() -> PolicyTables {
    PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"))
}

/// The validation report of `household` with `sheet` (no plan) on `today`.
pub fn validation_report(
    household: &Household,
    sheet: &IncomeSheet,
    today: time::Date,
) -> ValidationReport {
    let policy = policy();
    let config = ValidationConfig::default();
    let context = ValidationContext {
        today,
        policy: &policy,
        config: &config,
    };
    validate_household(household, None, Some(sheet), &context)
}
