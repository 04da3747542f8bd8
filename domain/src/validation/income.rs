//! Checks of an income sheet against its household and the plausibility bounds (rules `IN-*`).

use super::ValidationContext;
use super::finding::{FieldPath, Finding, en, finding, zh};
use super::rules::*;
use crate::income::{IncomeLineKind, IncomeReport, IncomeSheet};
use crate::model::Household;
use crate::money::Fen;

fn sum_of(sheet: &IncomeSheet, kinds: &[IncomeLineKind]) -> Fen {
    sheet
        .lines
        .iter()
        .filter(|line| kinds.contains(&line.kind))
        .fold(Fen::ZERO, |total, line| {
            total.checked_add(line.amount).unwrap_or(total)
        })
}

pub(super) fn income_rules(
    household: &Household,
    sheet: &IncomeSheet,
    report: &IncomeReport,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let income_path = FieldPath::root().field("income");
    let config = context.config;
    if sheet.household_id != household.id {
        findings.push(finding(
            IN_HOUSEHOLD_MISMATCH,
            income_path.field("household_id"),
            "收入核算表不属于该户".into(),
            "the income sheet belongs to another household".into(),
        ));
    }
    for (index, line) in sheet.lines.iter().enumerate() {
        if line
            .treatment_override
            .as_ref()
            .is_some_and(|chosen| chosen.reason.trim().is_empty())
        {
            findings.push(finding(
                IN_OVERRIDE_NO_REASON,
                income_path
                    .field("lines")
                    .index(index)
                    .field("treatment_override")
                    .field("reason"),
                format!("“{}”改变了是否计入纯收入，须填写依据", zh(line.kind)),
                format!(
                    "\"{}\" overrides whether it counts toward net income: give the reason",
                    en(line.kind)
                ),
            ));
        }
    }
    if !report.per_capita.is_positive() || report.per_capita > config.max_plausible_per_capita {
        findings.push(finding(
            IN_PER_CAPITA_IMPLAUSIBLE,
            income_path.field("per_capita"),
            format!("人均纯收入{}元不合常理，请核实", report.per_capita),
            format!(
                "per-capita net income {} yuan is implausible: please check",
                report.per_capita
            ),
        ));
    }
    if (report.wage.is_positive() && report.wage < config.min_plausible_wage)
        || report.wage > config.max_plausible_wage
    {
        findings.push(finding(
            IN_WAGE_IMPLAUSIBLE,
            income_path.field("wage"),
            format!("工资性收入{}元不合常理，请核实", report.wage),
            format!(
                "wage income {} yuan is implausible: please check",
                report.wage
            ),
        ));
    }
    if report.business_income.is_positive() && !report.business_costs.is_positive() {
        findings.push(finding(
            IN_BUSINESS_WITHOUT_COST,
            income_path.field("business_costs"),
            "有生产经营性收入，须填写生产经营性支出".into(),
            "business income without business costs".into(),
        ));
    }
    let any_worker = household
        .members
        .iter()
        .any(|member| member.work.has_record());
    if report.wage.is_positive() && !any_worker {
        findings.push(finding(
            IN_WAGE_WITHOUT_WORKER,
            income_path.field("wage"),
            "有工资性收入，但没有成员有务工记录".into(),
            "wage income but no member has a work record".into(),
        ));
    }
    if !report.wage.is_positive() && any_worker {
        findings.push(finding(
            IN_WORKER_WITHOUT_WAGE,
            income_path.field("wage"),
            "有成员务工，但工资性收入为0".into(),
            "a member works but wage income is 0".into(),
        ));
    }
    let dibao = sum_of(sheet, &[IncomeLineKind::Dibao]);
    let tekun = sum_of(sheet, &[IncomeLineKind::Tekun]);
    if dibao.is_positive() && !household.members.iter().any(|member| member.dibao) {
        findings.push(finding(
            IN_DIBAO_WITHOUT_MEMBER,
            income_path.field("dibao"),
            "有低保金收入，但没有成员享受低保".into(),
            "minimum-allowance income but no member receives it".into(),
        ));
    }
    if dibao.is_positive() && tekun.is_positive() {
        findings.push(finding(
            IN_DIBAO_AND_TEKUN,
            income_path.field("tekun"),
            "不能同时领取低保金和特困供养金".into(),
            "minimum allowance and destitute support cannot both be received".into(),
        ));
    }
    if sum_of(sheet, &[IncomeLineKind::EcoReturnedFarmland]).is_positive()
        && household.land.returned_to_forest == crate::money::Centi::ZERO
    {
        findings.push(finding(
            IN_ECO_WITHOUT_RETURNED_LAND,
            income_path.field("eco_returned_farmland"),
            "有退耕还林补助，但退耕还林面积为0".into(),
            "returned-farmland compensation but no returned land".into(),
        ));
    }
    for (kind, minimum_yuan) in [
        (IncomeLineKind::Dibao, 200),
        (IncomeLineKind::FamilyPlanning, 100),
        (IncomeLineKind::Pension, 88),
        (IncomeLineKind::Tekun, 200),
    ] {
        let amount = sum_of(sheet, &[kind]);
        if amount.is_positive() && amount.fen() < minimum_yuan * 100 {
            findings.push(finding(
                IN_SMALL_TRANSFER,
                income_path.field("lines"),
                format!(
                    "{}全年仅{}元，低于{}元，请核实",
                    zh(kind),
                    amount,
                    minimum_yuan
                ),
                format!(
                    "{} is only {} yuan for the year, below {}: please check",
                    en(kind),
                    amount,
                    minimum_yuan
                ),
            ));
        }
    }
}
