//! Exit checks: a household marked as lifted out must clear the standard and every 两不愁三保障 item, and should not
//! live on transfers alone (算账式脱贫).

use super::ValidationContext;
use super::finding::{FieldPath, Finding, en, finding, zh};
use super::rules::*;
use crate::income::{ComparisonOutcome, IncomeReport};
use crate::model::*;

pub(super) fn exit_rules(
    household: &Household,
    report: Option<&IncomeReport>,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let root = FieldPath::root();
    let status_path = root.field("poverty_status");
    if (household.poverty_status.is_exited() || household.poverty_status == PovertyStatus::Returned)
        && household.exit_year.is_none()
    {
        findings.push(finding(
            HH_EXIT_YEAR_MISSING,
            root.field("exit_year"),
            "请填写脱贫年度".into(),
            "enter the exit year".into(),
        ));
    }
    let exited = household.poverty_status.is_exited();
    // 预脱贫 is the stage where a paper exit most needs catching: it gets the same checks as 已脱贫.
    let status = household.poverty_status;
    if exited || status == PovertyStatus::PreExit {
        for (item, entry) in household.checklist.entries() {
            let path = root.field("checklist").field(item.field_name());
            match entry.status {
                CheckStatus::Fail => findings.push(finding(
                    HH_EXIT_CHECKLIST_FAIL,
                    path,
                    format!("“{}”未达标，不能标记为{}", zh(item), zh(status)),
                    format!(
                        "\"{}\" fails: the household cannot be marked \"{}\"",
                        en(item),
                        en(status)
                    ),
                )),
                CheckStatus::NotChecked => findings.push(finding(
                    HH_EXIT_CHECKLIST_UNCHECKED,
                    path,
                    format!("标记为{}的户，“{}”尚未核查", zh(status), zh(item)),
                    format!(
                        "\"{}\" has not been checked for a household marked \"{}\"",
                        en(item),
                        en(status)
                    ),
                )),
                CheckStatus::Pass => {}
            }
        }
        match report {
            None => findings.push(finding(
                HH_EXIT_NO_INCOME,
                status_path.clone(),
                format!("标记为{}的户须有收入核算", zh(status)),
                format!(
                    "a household marked \"{}\" needs an income sheet",
                    en(status)
                ),
            )),
            Some(report) => {
                match &report.standard {
                    ComparisonOutcome::Compared(comparison) if !comparison.above => {
                        findings.push(finding(
                            HH_EXIT_BELOW_STANDARD,
                            status_path.clone(),
                            format!(
                                "人均纯收入{}元，未超过{}年标准{}元，不能标记为{}",
                                report.per_capita,
                                report.year,
                                comparison.line.value,
                                zh(status)
                            ),
                            format!(
                                "per-capita net income of {} yuan does not exceed the {} standard of {} yuan: the household cannot be marked \"{}\"",
                                report.per_capita,
                                report.year,
                                comparison.line.value,
                                en(status)
                            ),
                        ))
                    }
                    ComparisonOutcome::Compared(_) => {}
                    ComparisonOutcome::NotConfigured { region, year } => findings.push(finding(
                        HH_EXIT_NO_STANDARD,
                        status_path.clone(),
                        format!("{region}{year}年未配置脱贫标准，无法核对收入"),
                        format!("no poverty standard is configured for {region} in {year}: income cannot be checked"),
                    )),
                }
                if let Some(share) = report.transfer_share_per_mille
                    && share > context.config.transfer_share_warning_per_mille
                {
                    // The share is of 年收入 (gross: W + B + P + T before business costs), as the report
                    // computes it, so the sentence names that base.
                    let limit = context.config.transfer_share_warning_per_mille;
                    findings.push(finding(
                        HH_EXIT_TRANSFER_DEPENDENT,
                        root.field("income").field("transfer"),
                        format!(
                            "年收入(未扣除生产经营性支出)中，转移性收入和一次性收入占{}.{}%，超过{}%，须防止“算账式脱贫”",
                            share / 10,
                            share % 10,
                            limit / 10
                        ),
                        format!(
                            "transfer and one-off income is {}.{}% of gross income (before business costs), above {}%: guard against an exit on paper",
                            share / 10,
                            share % 10,
                            limit / 10
                        ),
                    ));
                }
            }
        }
    }
    if let Some(report) = report
        && (exited || household.poverty_status == PovertyStatus::Returned)
        && household.monitoring_category.is_none()
        && let ComparisonOutcome::Compared(comparison) = &report.monitoring
        && !comparison.above
    {
        findings.push(finding(
                        HH_BELOW_MONITORING_NOT_MONITORED,
                        root.field("monitoring_category"),
                        format!("人均纯收入{}元低于监测范围{}元，但未纳入监测", report.per_capita, comparison.line.value),
                        format!("per-capita income {} yuan is below the monitoring line {} yuan but the household is not monitored", report.per_capita, comparison.line.value),
                    ));
    }
}
