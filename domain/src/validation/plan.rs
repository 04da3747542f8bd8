//! Checks of the 一户一策 plan: its measures and effects, its target against the standard, and the measures a
//! household's labour calls for (rules `PL-*`).

use super::ValidationContext;
use super::bounds;
use super::finding::{FieldPath, Finding, finding};
use super::rules::*;
use crate::model::*;

pub(super) fn plan_rules(
    household: &Household,
    plan: &Plan,
    context: &ValidationContext<'_>,
    findings: &mut Vec<Finding>,
) {
    let plan_path = FieldPath::root().field("plan");
    bounds::plan_amount_bounds(plan, &plan_path, findings);
    if plan.household_id != household.id {
        findings.push(finding(
            PL_HOUSEHOLD_MISMATCH,
            plan_path.field("household_id"),
            "帮扶计划不属于该户".into(),
            "the plan belongs to another household".into(),
        ));
    }
    for (index, measure) in plan.measures.iter().enumerate() {
        if measure.status == MeasureStatus::Cancelled {
            continue;
        }
        let path = plan_path.field("measures").index(index);
        if measure.content.trim().is_empty() {
            findings.push(finding(
                PL_MEASURE_CONTENT_MISSING,
                path.field("content"),
                "请填写措施内容".into(),
                "the measure has no content".into(),
            ));
        }
        if measure.responsible_unit.trim().is_empty() {
            findings.push(finding(
                PL_MEASURE_UNIT_MISSING,
                path.field("responsible_unit"),
                "请填写帮扶(责任)单位".into(),
                "the measure has no responsible unit".into(),
            ));
        }
        if measure.deadline.is_none() {
            findings.push(finding(
                PL_MEASURE_DEADLINE_MISSING,
                path.field("deadline"),
                "请填写完成时限".into(),
                "the measure has no deadline".into(),
            ));
        }
    }
    for (index, effect) in plan.effects.iter().enumerate() {
        let path = plan_path.field("effects").index(index);
        if effect.confirmation.is_none() {
            findings.push(finding(
                PL_EFFECT_NOT_CONFIRMED,
                path.field("confirmation"),
                "帮扶成效须经户主签字确认".into(),
                "the effect entry must be confirmed by the household".into(),
            ));
        }
        if let Some(measure_id) = effect.measure_id
            && !plan.measures.iter().any(|measure| measure.id == measure_id)
        {
            findings.push(finding(
                PL_EFFECT_UNKNOWN_MEASURE,
                path.field("measure_id"),
                "成效对应的措施不在计划中".into(),
                "the effect refers to a measure not in the plan".into(),
            ));
        }
    }
    if let Some(target) = plan.target_per_capita_income {
        let region = crate::policy::RegionPath::from_address(&household.address);
        if let crate::policy::Lookup::Found(standard) =
            context.policy.poverty_standard(&region, plan.year)
            && target <= standard.value
        {
            findings.push(finding(
                PL_TARGET_BELOW_STANDARD,
                plan_path.field("target_per_capita_income"),
                format!(
                    "目标人均纯收入{}元未超过{}年标准{}元",
                    target, plan.year, standard.value
                ),
                format!(
                    "target per-capita income {} yuan does not exceed the {} standard of {} yuan",
                    target, plan.year, standard.value
                ),
            ));
        }
    }
    let active = || {
        plan.measures
            .iter()
            .filter(|measure| measure.status != MeasureStatus::Cancelled)
    };
    let able = household
        .counted_members()
        .any(|member| member.labour.is_some_and(LabourAbility::is_able));
    if able && !active().any(|measure| measure.category.is_developmental()) {
        findings.push(finding(
            PL_NO_DEVELOPMENT_MEASURE,
            plan_path.field("measures"),
            "有劳动能力的家庭应有产业、就业、金融或公益岗位等开发式帮扶措施".into(),
            "a household with labour should have a developmental measure (industry, employment, finance, public-welfare job)".into(),
        ));
    }
    let counted: Vec<&Member> = household.counted_members().collect();
    let none_able = !counted.is_empty()
        && counted
            .iter()
            .all(|member| member.labour.is_none_or(|labour| !labour.is_able()));
    if none_able && !active().any(|measure| measure.category == MeasureCategory::SafetyNet) {
        findings.push(finding(
            PL_NO_LABOUR_NO_SAFETY_NET,
            plan_path.field("measures"),
            "整户无劳动能力，应有兜底保障措施".into(),
            "no member can work: a safety-net measure is expected".into(),
        ));
    }
}
