//! Validation rules of domain.md §8 with stable codes, severities, field paths and zh-CN/English messages.
//!
//! An **error** blocks submitting; a **warning** may be submitted with a written reason. Whole-record validators
//! ([`validate_household`], [`validate_visit`], [`validate_session`]) and field-level ones ([`validate_member`],
//! [`validate_id_number_field`], [`validate_money_field`], [`validate_causes`]) return the same [`Finding`]s, so the
//! forms can show a message next to the field named by [`Finding::path`]. [`RULES`] lists every rule with its source.
//!
//! One file per subject: `finding` (what a run returns), `rules` (the catalogue), `fields` (ID numbers, amounts, bank
//! card, causes), `members`, `household` (structure, causes and categories, housing and land), `income`, `exit`
//! (exit checks), `plan`, `visit` (visit log, whole household visit, warning reasons), `night_school` and `bounds`
//! (limits every record keeps). This file holds the thresholds ([`ValidationConfig`]) and the household run.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::income::{IncomeReport, IncomeSheet, compute_income};
use crate::model::*;
use crate::money::Fen;
use crate::policy::PolicyTables;

mod bounds;
mod exit;
mod fields;
mod finding;
mod household;
mod income;
mod members;
mod night_school;
mod plan;
mod rules;
mod visit;

pub use bounds::{earliest_visit_instant, record_bounds, validate_visit_bounds};
pub use fields::{
    BANK_ACCOUNT_DIGITS, validate_bank_account_number, validate_causes, validate_id_number_field,
    validate_money_field,
};
pub use finding::{FieldPath, Finding, RuleCode, Severity, ValidationReport};
pub use members::{COMPULSORY_SCHOOL_AGES, out_of_compulsory_school, validate_member};
pub use night_school::validate_session;
pub use rules::{RULES, RuleInfo};
pub use visit::{validate_household_visit, validate_visit, warnings_without_reason};

use exit::exit_rules;
use finding::finding;
use household::{causes_and_categories, household_structure, housing_and_land};
use income::income_rules;
use plan::plan_rules;
use rules::IN_COMPUTE_FAILED;

/// Numeric thresholds of the rules, as data. Defaults cite their source; `[I]` marks proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationConfig {
    pub version: String,
    /// `HH-EXIT-TRANSFER-DEPENDENT`: transfer + one-off share of gross income above this (‰) [I: 500].
    pub transfer_share_warning_per_mille: u32,
    /// `HH-LAND-CULTIVATED-PER-CAPITA`: 人均耕地 above this, in hundredths of 亩 (C1: 50 亩).
    pub max_cultivated_per_capita_centi_mu: u32,
    /// `HH-LAND-FOREST-PER-CAPITA`: 人均林地 above this (C1: 70 亩).
    pub max_forest_per_capita_centi_mu: u32,
    /// `IN-PER-CAPITA-IMPLAUSIBLE`: above this (C1/C3: 100 000 元).
    pub max_plausible_per_capita: Fen,
    /// `IN-WAGE-IMPLAUSIBLE`: wage income in (0, low) or above high (C3: 300 / 300 000 元).
    pub min_plausible_wage: Fen,
    pub max_plausible_wage: Fen,
    /// `FIELD-TEXT-TOO-LONG`: the longest free text (notes, reasons, addresses…) in characters [I: 2000].
    #[serde(default = "bounds::default_max_text_chars")]
    pub max_text_chars: u32,
    /// `FIELD-NAME-TOO-LONG`: the longest person name in characters [I: 50; 公安部 names are far shorter].
    #[serde(default = "bounds::default_max_name_chars")]
    pub max_name_chars: u32,
    /// `VL-BEFORE-EARLIEST`: no visit starts before 1 January of this year, China time (中办发〔2013〕25号).
    #[serde(default = "bounds::default_earliest_visit_year")]
    pub earliest_visit_year: i32,
    /// `VL-TOO-LONG`: a visit lasts at most this many hours [I: 24].
    #[serde(default = "bounds::default_max_visit_hours")]
    pub max_visit_hours: u32,
}

impl Default for ValidationConfig {
    fn default() -> Self {
        ValidationConfig {
            version: "validation-2026-11-22".to_string(),
            transfer_share_warning_per_mille: 500,
            max_cultivated_per_capita_centi_mu: 5_000,
            max_forest_per_capita_centi_mu: 7_000,
            max_plausible_per_capita: Fen::from_fen(10_000_000),
            min_plausible_wage: Fen::from_fen(30_000),
            max_plausible_wage: Fen::from_fen(30_000_000),
            max_text_chars: bounds::default_max_text_chars(),
            max_name_chars: bounds::default_max_name_chars(),
            earliest_visit_year: bounds::default_earliest_visit_year(),
            max_visit_hours: bounds::default_max_visit_hours(),
        }
    }
}

/// What validation needs from outside: today's date (ages), the policy tables and the thresholds.
#[derive(Debug, Clone, Copy)]
pub struct ValidationContext<'a> {
    pub today: Date,
    pub policy: &'a PolicyTables,
    pub config: &'a ValidationConfig,
}

/// Validates a household with its plan and income sheet (either may be absent in a draft). Computes the income
/// report itself; use [`validate_household_with_income`] to reuse one.
pub fn validate_household(
    household: &Household,
    plan: Option<&Plan>,
    income_sheet: Option<&IncomeSheet>,
    context: &ValidationContext<'_>,
) -> ValidationReport {
    let income = income_sheet.map(|sheet| compute_income(sheet, household, context.policy));
    validate_household_with_income(household, plan, income_sheet.zip(income.as_ref()), context)
}

/// Like [`validate_household`] with the income already computed.
pub fn validate_household_with_income(
    household: &Household,
    plan: Option<&Plan>,
    income: Option<(
        &IncomeSheet,
        &Result<IncomeReport, crate::income::IncomeError>,
    )>,
    context: &ValidationContext<'_>,
) -> ValidationReport {
    let mut findings = Vec::new();
    let today = context.today;
    let root = FieldPath::root();
    let members_path = root.field("members");
    for (index, member) in household.members.iter().enumerate() {
        findings.extend(validate_member(member, &members_path.index(index), today));
    }
    household_structure(household, &mut findings);
    causes_and_categories(household, today, &mut findings);
    housing_and_land(household, plan, context, &mut findings);
    let report = match income {
        Some((sheet, Ok(report))) => {
            income_rules(household, sheet, report, context, &mut findings);
            Some(report)
        }
        Some((_, Err(error))) => {
            findings.push(finding(
                IN_COMPUTE_FAILED,
                root.field("income"),
                format!("收入无法核算：{error}"),
                format!("income cannot be computed: {error}"),
            ));
            None
        }
        None => None,
    };
    exit_rules(household, report, context, &mut findings);
    if let Some(plan) = plan {
        plan_rules(household, plan, context, &mut findings);
    }
    ValidationReport { findings }
}
