//! 红黄绿 (red/yellow/green) risk classification of seeds 002 and 004, as a configurable rule set.
//!
//! The seeds give the criteria in words: 绿灯户 no risk; 黄灯户 weak industry, unstable employment, hit by COVID-19 or
//! African swine fever; 红灯户 a member with serious illness, limited self-development, large daily spending — and
//! (seed 004) 脱贫监测户 and 边缘户. The numeric triggers are this project's proposal, kept as data in
//! [`RiskRuleSet`] so a county can change them without a code change. The result names every rule that fired.
//!
//! Green is never a guess: a household whose income for the accounting year (the last full calendar year) has not
//! been accounted is [`RiskColour::NotAccounted`] (未核算), and one whose year has no standard or monitoring line
//! configured is [`RiskColour::NotConfigured`] (未配置), unless a red or yellow rule fires anyway.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::income::{ComparisonOutcome, IncomeReport};
use crate::model::*;
use crate::money::Fen;
use crate::policy::RegionPath;

mod checks;
mod rule_set;

pub use rule_set::{RiskRuleConfig, RiskRuleSet};

/// The colour of a household. Ordered by how much it asks for attention, so the highest that fired wins:
/// 绿灯户 < 未配置 < 未核算 < 黄灯户 < 红灯户.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskColour {
    Green,
    /// 未配置: the income is accounted, but its year has no poverty standard or monitoring line configured, so the
    /// income rules could not run.
    NotConfigured,
    /// 未核算: no income sheet for the accounting year (none at all, or only an older year's).
    NotAccounted,
    Yellow,
    Red,
}

/// A rule that fired, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggeredRule {
    pub code: String,
    pub colour: RiskColour,
    pub reason_zh: String,
    pub reason_en: String,
    pub source: String,
}

/// The classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAssessment {
    pub colour: RiskColour,
    pub triggered: Vec<TriggeredRule>,
    pub rule_set_version: String,
}

/// What the rules look at. `today` is passed in (the domain never reads the clock); its calendar year is the
/// accounting year the income must be for.
#[derive(Debug, Clone, Copy)]
pub struct RiskInputs<'a> {
    pub household: &'a Household,
    pub plan: Option<&'a Plan>,
    /// The latest income report the caller has (any year): an older year's report counts as not accounted.
    pub income: Option<&'a IncomeReport>,
    /// Last year's per-capita net income, for YELLOW-INCOME-DROP.
    pub previous_per_capita: Option<Fen>,
    pub today: Date,
}

/// Where the states that are not rules come from.
const ACCOUNTING_SOURCE: &str =
    "收入核算以年度为单位(当年收入)；未核算或未配置标准时不判定为绿灯户";

/// Collects the rules that fired.
struct Fired {
    triggered: Vec<TriggeredRule>,
}

impl Fired {
    fn push(
        &mut self,
        config: &RiskRuleConfig,
        code: &str,
        colour: RiskColour,
        reason_zh: String,
        reason_en: String,
    ) {
        self.push_with_source(&config.source, code, colour, reason_zh, reason_en);
    }

    fn push_with_source(
        &mut self,
        source: &str,
        code: &str,
        colour: RiskColour,
        reason_zh: String,
        reason_en: String,
    ) {
        self.triggered.push(TriggeredRule {
            code: code.to_string(),
            colour,
            reason_zh,
            reason_en,
            source: source.to_string(),
        });
    }
}

/// Classifies a household. Disabled rules never fire; the colour is the highest colour that fired, else green.
/// Rules about income only see a report for the accounting year.
pub fn assess_risk(inputs: &RiskInputs<'_>, rules: &RiskRuleSet) -> RiskAssessment {
    let mut fired = Fired {
        triggered: Vec::new(),
    };
    let accounting_year = crate::income::accounting_year(inputs.today);
    let income = inputs
        .income
        .filter(|report| report.year >= accounting_year);
    checks::red_rules(inputs, income, rules, &mut fired);
    checks::yellow_rules(inputs, income, rules, &mut fired);
    accounting_state(inputs.income, income, accounting_year, &mut fired);
    let colour = fired
        .triggered
        .iter()
        .map(|rule| rule.colour)
        .max()
        .unwrap_or(RiskColour::Green);
    RiskAssessment {
        colour,
        triggered: fired.triggered,
        rule_set_version: rules.version.clone(),
    }
}

/// 未核算 when there is no report for the accounting year; 未配置 when its year lacks a standard or a monitoring line.
fn accounting_state(
    latest: Option<&IncomeReport>,
    current: Option<&IncomeReport>,
    accounting_year: i32,
    fired: &mut Fired,
) {
    let Some(report) = current else {
        let (reason_zh, reason_en) = match latest {
            Some(older) => (
                format!(
                    "最近一次收入核算是{}年的，{accounting_year}年收入尚未核算",
                    older.year
                ),
                format!(
                    "the latest income accounting is for {}; income for {accounting_year} has not been accounted",
                    older.year
                ),
            ),
            None => (
                format!("{accounting_year}年收入尚未核算"),
                format!("income for {accounting_year} has not been accounted"),
            ),
        };
        fired.push_with_source(
            ACCOUNTING_SOURCE,
            "NOT-ACCOUNTED",
            RiskColour::NotAccounted,
            reason_zh,
            reason_en,
        );
        return;
    };
    for (outcome, line_zh, line_en) in [
        (&report.standard, "扶贫标准", "poverty standard"),
        (&report.monitoring, "监测范围", "monitoring line"),
    ] {
        if let ComparisonOutcome::NotConfigured { region, year } = outcome {
            let region_en = if *region == RegionPath::national() {
                "the whole country".to_string()
            } else {
                region.to_string()
            };
            fired.push_with_source(
                ACCOUNTING_SOURCE,
                "NOT-CONFIGURED",
                RiskColour::NotConfigured,
                format!("{region}{year}年未配置{line_zh}，无法判断收入是否达到"),
                format!(
                    "no {line_en} is configured for {region_en} in {year}, so the income cannot be judged against it"
                ),
            );
        }
    }
}
